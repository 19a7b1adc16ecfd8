"""Exit codes of the ``baidu-ocr`` commands."""

from __future__ import annotations

from typing import Final

__all__ = ["EXIT_ACCOUNT", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_SOME_FAILED", "EXIT_UNREACHABLE", "EXIT_USAGE"]

EXIT_OK: Final = 0
EXIT_SOME_FAILED: Final = 1
EXIT_USAGE: Final = 2
EXIT_ACCOUNT: Final = 3
"""Wrong or missing credentials, no permission, quota used up: every later request would fail too."""
EXIT_UNREACHABLE: Final = 4
EXIT_INTERRUPTED: Final = 130
