"""``baidu-ocr cache info`` and ``baidu-ocr cache clear``: the result cache of batch runs (the ``cli`` extra).

The command line mounts :data:`cache_app` as its ``cache`` command group.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import typer

from ._errors import ConfigurationError
from ._result_cache import ENV_RESULT_CACHE_DIR, CacheStats, ResultCache, default_cache_path

__all__ = ["cache_app", "describe_cache"]

EXIT_CACHE_UNUSABLE: Final = 1

cache_app = typer.Typer(
    name="cache",
    help=f"The result cache of batch runs (in the user cache directory, or ${ENV_RESULT_CACHE_DIR}).",
    no_args_is_help=True,
    add_completion=False,
)


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _when(stamp: float | None) -> str:
    return "-" if stamp is None else datetime.fromtimestamp(stamp).astimezone().isoformat(timespec="seconds")


def describe_cache(stats: CacheStats) -> str:
    """The lines ``cache info`` prints."""
    days = stats.max_age / 86400
    return "\n".join(
        [
            f"path:     {stats.path}",
            f"entries:  {stats.entries}",
            f"size:     {_size(stats.stored_bytes)} of results (cap {_size(stats.max_bytes)}), "
            f"{_size(stats.file_bytes)} on disk",
            f"oldest:   {_when(stats.oldest)}",
            f"newest:   {_when(stats.newest)}",
            f"kept for: {days:g} days",
        ]
    )


def _fail(error: ConfigurationError) -> typer.Exit:
    typer.echo(f"baidu-ocr: {error}", err=True)
    return typer.Exit(EXIT_CACHE_UNUSABLE)


@cache_app.command()
def info() -> None:
    """Show where the cache is, how many results it holds and its size."""
    path = default_cache_path()
    if not path.exists():
        typer.echo(f"path:     {path}\nentries:  0 (no cache yet)")
        return
    try:
        with ResultCache(path) as cache:
            typer.echo(describe_cache(cache.stats()))
    except ConfigurationError as error:
        raise _fail(error) from None


@cache_app.command()
def clear() -> None:
    """Delete every cached result."""
    path = default_cache_path()
    if not path.exists():
        typer.echo(f"nothing to clear: no cache at {path}")
        return
    try:
        with ResultCache(path) as cache:
            removed = cache.clear()
    except ConfigurationError as error:
        raise _fail(error) from None
    typer.echo(f"cleared {removed} cached result{'s' if removed != 1 else ''} from {path}")
