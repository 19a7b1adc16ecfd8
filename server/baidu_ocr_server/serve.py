"""Run the service as a server: :func:`run` (used by ``baidu-ocr serve``) and :func:`main` (``python -m``).

With ``workers > 1`` uvicorn starts worker processes that build their app with
``baidu_ocr_server.app:create_app_from_env``; the resolved config travels to them in the
``BAIDU_OCR_SERVER_CONFIG_JSON`` environment variable. Without a configured signing key, one random key is made
here, before the workers start, so all workers accept each other's tokens (but not after a restart).
Limits (QPS, daily) are counted per worker process.
"""

from __future__ import annotations

import argparse
import copy
import logging
import logging.config
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import uvicorn
import uvicorn.config

from .app import create_app
from .config import CONFIG_JSON_ENV, DEMO_APP, ENV_PREFIX, ConfigError, ServiceConfig, parse_apps
from .tokens import random_signing_key

__all__ = ["build_parser", "config_from_args", "main", "run"]

logger = logging.getLogger("baidu_ocr_server")


def _log_config(log_level: str) -> dict[str, Any]:
    """uvicorn's logging config plus our ``baidu_ocr_server`` loggers (access lines included)."""
    config: dict[str, Any] = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["baidu_ocr_server"] = {"handlers": ["default"], "level": log_level.upper(), "propagate": False}
    return config


def run(config: ServiceConfig | None = None, *, log_level: str = "info") -> None:
    """Serve ``config`` (default: from the environment) until interrupted. Blocks."""
    config = config or ServiceConfig.from_env()
    log_config = _log_config(log_level)
    common: dict[str, Any] = {
        "host": config.host,
        "port": config.port,
        "access_log": False,  # uvicorn's access line would print the query string, i.e. the access token
        "log_config": log_config,
        "log_level": log_level,
        "proxy_headers": False,
    }
    logging.config.dictConfig(log_config)
    if config.apps == (DEMO_APP,):
        logger.info("no apps configured: demo app API key %r, secret key %r", DEMO_APP.client_id, "local-secret-key")
    else:
        logger.info("apps: %s", ", ".join(app.client_id for app in config.apps))
    for line in config.credential_lines():
        logger.info("%s", line)
    if config.workers > 1:
        if config.signing_key is None:
            config = replace(config, signing_key=random_signing_key())
            logger.warning("no signing key configured: a random one shared by this server's workers only")
        os.environ[CONFIG_JSON_ENV] = config.to_json()
        uvicorn.run("baidu_ocr_server.app:create_app_from_env", factory=True, workers=config.workers, **common)
    else:
        uvicorn.run(create_app(config), **common)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m baidu_ocr_server",
        description="A local, Baidu-compatible OCR service (general_basic, accurate_basic, oauth token).",
        epilog=(
            f"Environment variables {ENV_PREFIX}* give the same settings (flags win). Secrets given as flags "
            "are visible in the process list: prefer the environment or a config file."
        ),
    )
    parser.add_argument("--host", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 8282)")
    parser.add_argument("--workers", type=int, help="worker processes (default 1)")
    parser.add_argument(
        "--app",
        action="append",
        metavar="ID:SECRET[:QPS[:DAILY]]",
        help="an application (repeatable); default: the demo app local-api-key:local-secret-key",
    )
    parser.add_argument("--config", metavar="FILE", help="a .json or .toml config file")
    parser.add_argument("--signing-key", help="token signing key; share it between replicas")
    parser.add_argument("--qps", type=float, help="default per-app QPS limit (per replica)")
    parser.add_argument("--daily-limit", type=int, help="default per-app daily request limit (per replica)")
    parser.add_argument(
        "--allow-private-urls",
        action="store_true",
        default=None,
        help="let `url` inputs reach loopback, private and link-local addresses",
    )
    parser.add_argument(
        "--engine-threads",
        type=int,
        help="requests processed at once per process (default: CPU count)",
    )
    parser.add_argument("--fetch-timeout", type=float, help="seconds for a `url` download (default 10)")
    parser.add_argument("--token-lifetime", type=int, help="token lifetime in seconds (default 2592000)")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    return parser


def config_from_args(args: argparse.Namespace, env: dict[str, str] | None = None) -> ServiceConfig:
    """Defaults < config file < environment < flags."""
    env = dict(os.environ if env is None else env)
    env.pop(CONFIG_JSON_ENV, None)
    if args.config:
        env[ENV_PREFIX + "CONFIG"] = args.config
    config = ServiceConfig.from_env(env)
    return config.with_overrides(
        host=args.host,
        port=args.port,
        workers=args.workers,
        apps=parse_apps(args.app) if args.app else None,
        signing_key=args.signing_key,
        qps=args.qps,
        daily_limit=args.daily_limit,
        allow_private_urls=args.allow_private_urls,
        engine_threads=args.engine_threads,
        fetch_timeout=args.fetch_timeout,
        token_lifetime=args.token_lifetime,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m baidu_ocr_server``: parse flags and :func:`run`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except (ConfigError, OSError) as exc:
        parser.error(str(exc))
    run(config, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    sys.exit(main())
