"""The ``serve`` command, its flags declared once: ``python -m baidu_ocr_server`` runs it, and the SDK's
``baidu-ocr`` command line mounts :func:`serve` as its ``serve`` command.

Importing this module is cheap (typer and the stdlib-only config): the server itself is imported when the command
runs. Settings: flags > ``BAIDU_OCR_SERVER_*`` environment > ``--config`` file > defaults.
"""

from __future__ import annotations

import enum
import os
from typing import Annotated

import typer

from .config import ENV_PREFIX, ConfigError, ServiceConfig, parse_apps
from .credentials import parse_bearer_keys, parse_iam_keys

__all__ = ["LogLevel", "app", "config_from_flags", "main", "serve"]

EXIT_USAGE = 2


class LogLevel(enum.StrEnum):
    """Log levels of ``serve``."""

    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


def config_from_flags(
    config_file: str | None = None, env: dict[str, str] | None = None, **flags: object
) -> ServiceConfig:
    """Defaults < ``config_file`` (or ``BAIDU_OCR_SERVER_CONFIG``) < environment < the non-``None`` ``flags``
    (``ServiceConfig`` field names; ``apps`` as ``ID:SECRET[:QPS[:DAILY]]`` strings, ``iam_keys`` as ``AK:SK``
    strings, ``bearer_keys`` as strings)."""
    env = dict(os.environ if env is None else env)
    if config_file:
        env[ENV_PREFIX + "CONFIG"] = config_file
    config = ServiceConfig.from_env(env)
    apps = flags.pop("apps", None)
    if apps:
        flags["apps"] = parse_apps(list(apps))  # type: ignore[call-overload]
    iam_keys = flags.pop("iam_keys", None)
    if iam_keys:
        flags["iam_keys"] = parse_iam_keys(list(iam_keys))  # type: ignore[call-overload]
    bearer_keys = flags.pop("bearer_keys", None)
    if bearer_keys:
        flags["bearer_keys"] = parse_bearer_keys(list(bearer_keys))  # type: ignore[call-overload]
    return config.with_overrides(**flags)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=0, max=65535, help="Port (default 8282).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (default 1).")] = None,
    apps: Annotated[
        list[str] | None,
        typer.Option(
            "--app",
            metavar="ID:SECRET[:QPS[:DAILY]]",
            help="An application (repeatable); default: the demo app local-api-key:local-secret-key.",
        ),
    ] = None,
    iam_keys: Annotated[
        list[str] | None,
        typer.Option(
            "--iam-key",
            metavar="ACCESS_KEY_ID:SECRET_ACCESS_KEY",
            help="An IAM key pair for bce-auth-v1 signed requests (repeatable); default: the demo pair "
            "local-access-key-id:local-secret-access-key.",
        ),
    ] = None,
    bearer_keys: Annotated[
        list[str] | None,
        typer.Option(
            "--bearer-key",
            metavar="bce-v3/ALTAK-…/…",
            help="A Baidu Cloud API key accepted as Authorization: Bearer (repeatable); default: the demo key.",
        ),
    ] = None,
    config: Annotated[str | None, typer.Option(metavar="FILE", help="A .json or .toml config file.")] = None,
    signing_key: Annotated[
        str | None, typer.Option(help="Token signing key; share it between replicas (visible in the process list).")
    ] = None,
    qps: Annotated[float | None, typer.Option(help="Default per-app QPS limit (per replica).")] = None,
    daily_limit: Annotated[int | None, typer.Option(help="Default per-app daily request limit (per replica).")] = None,
    allow_private_urls: Annotated[
        bool | None,
        typer.Option(help="Let url inputs reach loopback, private and link-local addresses (default: no)."),
    ] = None,
    fetch_timeout: Annotated[float | None, typer.Option(help="Seconds for a url download (default 10).")] = None,
    fetch_max_bytes: Annotated[
        int | None, typer.Option(help="Cap on a downloaded url image in bytes (default: the endpoint's limit).")
    ] = None,
    token_lifetime: Annotated[int | None, typer.Option(help="Token lifetime in seconds (default 2592000).")] = None,
    engine_threads: Annotated[
        int | None, typer.Option(min=1, help="Requests decoded and recognized at once per process (default 1).")
    ] = None,
    queue_depth: Annotated[
        int | None,
        typer.Option(min=1, help="OCR requests a process holds at once; one more is answered error 18 (default 8)."),
    ] = None,
    decode_threads: Annotated[
        int | None, typer.Option(min=1, help="Images decoded / PDF pages rendered at once (default 2).")
    ] = None,
    pixel_budget: Annotated[
        int | None,
        typer.Option(
            help="Pixels decoded at once, all requests together; a larger image answers 216202 "
            "(default 16777216 = 4096*4096)."
        ),
    ] = None,
    engine_max_side: Annotated[
        int | None,
        typer.Option(help="Longest side of a page handed to the engine (default: 2000 general, 2560 accurate)."),
    ] = None,
    pdf_memory_mb: Annotated[
        int | None, typer.Option(help="Memory limit of the PDF renderer process in MiB (default 384).")
    ] = None,
    pdf_timeout: Annotated[float | None, typer.Option(help="Seconds to render one PDF page (default 20).")] = None,
    header_timeout: Annotated[
        float | None, typer.Option(help="Seconds to receive a request line and headers (default 10).")
    ] = None,
    body_timeout: Annotated[float | None, typer.Option(help="Seconds to receive a request body (default 60).")] = None,
    keep_alive_timeout: Annotated[
        float | None, typer.Option(help="Seconds an idle keep-alive connection stays open (default 5).")
    ] = None,
    max_connections: Annotated[
        int | None, typer.Option(min=1, help="Open connections per process (default 4096).")
    ] = None,
    max_header_bytes: Annotated[
        int | None, typer.Option(help="Longest request line plus headers in bytes (default 16384).")
    ] = None,
    log_level: Annotated[LogLevel, typer.Option(help="Server log level.")] = LogLevel.INFO,
) -> None:
    """Run the local Baidu-compatible OCR service (settings: flags > BAIDU_OCR_SERVER_* environment > --config)."""
    try:
        settings = config_from_flags(
            config,
            host=host,
            port=port,
            workers=workers,
            apps=apps,
            iam_keys=iam_keys,
            bearer_keys=bearer_keys,
            signing_key=signing_key,
            qps=qps,
            daily_limit=daily_limit,
            allow_private_urls=allow_private_urls,
            fetch_timeout=fetch_timeout,
            fetch_max_bytes=fetch_max_bytes,
            token_lifetime=token_lifetime,
            engine_threads=engine_threads,
            queue_depth=queue_depth,
            decode_threads=decode_threads,
            pixel_budget=pixel_budget,
            engine_max_side=engine_max_side,
            pdf_memory_mb=pdf_memory_mb,
            pdf_timeout=pdf_timeout,
            header_timeout=header_timeout,
            body_timeout=body_timeout,
            keep_alive_timeout=keep_alive_timeout,
            max_connections=max_connections,
            max_header_bytes=max_header_bytes,
        )
    except (ConfigError, OSError) as error:  # a bad flag value, environment variable or config file
        typer.echo(f"serve: {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    from . import serve as server  # uvicorn, starlette, the engine: only when the command runs

    server.run(settings, log_level=log_level.value)


app = typer.Typer(
    name="baidu-ocr-server",
    help="A local, Baidu-compatible OCR service (general_basic, accurate_basic, oauth token).",
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(serve)


def main() -> None:
    """``python -m baidu_ocr_server [flags]``."""
    app(prog_name="python -m baidu_ocr_server")
