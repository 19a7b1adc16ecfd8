"""A client library for accessing Baidu OCR general text recognition"""

from .client import Client

__all__ = ("Client",)
