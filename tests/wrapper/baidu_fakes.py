"""Answers a Baidu-like server gives, and small images, for the wrapper tests."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from responder import Answer, Responder

TOKEN_PATH = "/oauth/2.0/token"
GENERAL_PATH = "/rest/2.0/ocr/v1/general_basic"
ACCURATE_PATH = "/rest/2.0/ocr/v1/accurate_basic"
API_KEY = "test-api-key-123"
SECRET_KEY = "test-secret-key-456"


def token_answer(token: str = "24.token-one.2592000.1.-1", expires_in: int = 2592000) -> Answer:
    return Answer.json({"access_token": token, "expires_in": expires_in, "scope": "public brain_all_scope"})


def success(words: list[str], log_id: int = 1234567890123, **extra: Any) -> Answer:
    payload = {"log_id": log_id, "words_result_num": len(words), "words_result": [{"words": w} for w in words]}
    return Answer.json({**payload, **extra})


def error(code: int, message: str, log_id: int = 42) -> Answer:
    return Answer.json({"error_code": code, "error_msg": message, "log_id": log_id})


def baidu(responder: Responder, ocr_answers: Answer | list[Answer], path: str = GENERAL_PATH) -> Responder:
    responder.route(TOKEN_PATH, token_answer())
    responder.route(path, ocr_answers)
    return responder


def image_bytes(width: int = 120, height: int = 40, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_bytes(pages: int = 3) -> bytes:
    images = [Image.new("RGB", (200, 100), "white") for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()
