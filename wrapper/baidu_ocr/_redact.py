"""Keep access tokens out of logs: httpx logs every request URL, and Baidu's URLs carry ``access_token``."""

from __future__ import annotations

import logging
import re

__all__ = ["install_log_redaction", "redact"]

_SECRET_PARAMETER = re.compile(r"((?:access_token|client_secret|client_id)=)[^&\s\"']+")


def redact(text: str) -> str:
    """``text`` with the values of token and credential parameters replaced by ``***``."""
    return _SECRET_PARAMETER.sub(r"\1***", text)


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = _RedactingFilter()


def install_log_redaction() -> None:
    """Add the redacting filter to the loggers of httpx and httpcore (once)."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
