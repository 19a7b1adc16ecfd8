"""The ``baidu-ocr`` script: the command line lives in an optional extra, so say how to get it when it is missing."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    """Run the CLI, or explain how to install it."""
    try:
        from ._cli import main as cli_main
    except ModuleNotFoundError as error:
        if error.name not in ("typer", "rich"):
            raise
        print(f"baidu-ocr: the command line needs {error.name}: pip install 'baidu-ocr[cli]'", file=sys.stderr)
        raise SystemExit(2) from None
    cli_main()
