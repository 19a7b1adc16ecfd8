"""Pydantic v2 models generated from openapi/baidu-ocr.yaml. Do not edit: run ``nox -s generate``."""
