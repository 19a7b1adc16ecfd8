"""A client library for accessing Baidu OCR general text recognition"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
