"""Errors raised by the API functions. Neither ever puts the response body in its message (it may carry
secrets, and can be megabytes): read ``.content`` when you need it."""


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code} ({len(content)} bytes of content)"
        )


class UnexpectedResponse(Exception):
    """A documented status whose body is not the documented JSON shape: not JSON (HTML, truncated, not UTF-8),
    nested too deeply, an integer too long to convert, required fields missing, or a list or object where the
    schema has another shape. Scalars are not type-checked (a code sent as text still parses). ``content`` holds
    the body; the message only its length."""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected response body for status {status_code}: {len(content)} bytes that are not the documented JSON"
        )


__all__ = ["UnexpectedResponse", "UnexpectedStatus"]
