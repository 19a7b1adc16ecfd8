"""Run the service as a server: :func:`run` blocks serving a :class:`~.config.ServiceConfig` (the ``serve`` command
of :mod:`.cli` calls it).

The server is uvicorn with :class:`~.connections.GuardedH11Protocol` (timeouts, a connection cap, JSON errors for
bad request heads). Before serving, the soft open-file limit is raised (never beyond the hard limit) to fit
``max_connections``; if it cannot be, ``max_connections`` is lowered to fit.

With ``workers > 1`` uvicorn starts worker processes with the ``spawn`` method: each receives the uvicorn config —
with the service config inside its :class:`AppFactory`, secrets included — pickled through the pipe it is started
with, never through the environment or a file. Without a configured signing key, one random key is made here,
before the workers start, so all workers accept each other's tokens (but not after a restart). Limits (QPS, daily,
queue, connections) are counted per worker process.
"""

from __future__ import annotations

import copy
import ctypes
import ctypes.util
import logging
import logging.config
import os
from dataclasses import replace
from typing import Any

import uvicorn
import uvicorn.config
from starlette.applications import Starlette
from uvicorn.supervisors import Multiprocess

from .app import create_app
from .config import DEMO_APP, ServiceConfig
from .connections import FD_RESERVE, ConnectionLimits, GuardedServerConfig, raise_open_file_limit
from .tokens import random_signing_key

__all__ = ["MALLOC_SETTINGS", "AppFactory", "limit_heap_growth", "run"]

logger = logging.getLogger("baidu_ocr_server")


MALLOC_SETTINGS = {"MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": str(128 * 1024)}
"""glibc settings for the server process and its children (workers, the PDF helper)."""
_M_ARENA_MAX, _M_MMAP_THRESHOLD = -8, -3


def limit_heap_growth() -> None:
    """Keep glibc from holding on to freed request buffers and engine arrays.

    By default glibc raises its mmap threshold after each large free (up to 32 MB), so later multi-megabyte
    buffers (request bodies, base64 strings, decoded pages, the engine's arrays) come from per-thread heaps that
    do not shrink: measured, 32 concurrent 9 MB requests left the service at 1.8 GiB instead of 1.2 GiB. A fixed
    128 KiB threshold returns large buffers to the system on free, and two arenas bound per-thread heaps. Set for
    this process (``mallopt``) and, through the environment, for the processes it starts. No effect off glibc.
    """
    for name, value in MALLOC_SETTINGS.items():
        os.environ.setdefault(name, value)
    libc = ctypes.util.find_library("c")
    if libc is None:
        return
    try:
        mallopt = ctypes.CDLL(libc).mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_ARENA_MAX, int(os.environ["MALLOC_ARENA_MAX"]))
    mallopt(_M_MMAP_THRESHOLD, int(os.environ["MALLOC_MMAP_THRESHOLD_"]))


class AppFactory:
    """Builds the app from a serialized config in a worker process (picklable; its repr shows no secret)."""

    def __init__(self, config: ServiceConfig) -> None:
        self._serialized = config.to_json()

    def __call__(self) -> Starlette:
        return create_app(ServiceConfig.from_json(self._serialized))

    @property
    def config(self) -> ServiceConfig:
        return ServiceConfig.from_json(self._serialized)

    def __repr__(self) -> str:
        return "AppFactory(<config>)"


def _log_config(log_level: str) -> dict[str, Any]:
    """uvicorn's logging config plus our ``baidu_ocr_server`` loggers (access lines included)."""
    config: dict[str, Any] = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["baidu_ocr_server"] = {"handlers": ["default"], "level": log_level.upper(), "propagate": False}
    return config


def run(config: ServiceConfig | None = None, *, log_level: str = "info") -> None:
    """Serve ``config`` (default: from the environment) until interrupted. Blocks."""
    config = config or ServiceConfig.from_env()
    limit_heap_growth()
    log_config = _log_config(log_level)
    logging.config.dictConfig(log_config)
    raise_open_file_limit(config.max_connections + FD_RESERVE)
    limits = ConnectionLimits.from_config(config)
    if limits.max_connections < config.max_connections:
        logger.warning("max_connections lowered to %d to fit the open-file limit", limits.max_connections)
    common: dict[str, Any] = {
        "host": config.host,
        "port": config.port,
        "access_log": False,  # uvicorn's access line would print the query string, i.e. the access token
        "log_config": log_config,
        "log_level": log_level,
        "proxy_headers": False,
    }
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
        server_config = GuardedServerConfig(AppFactory(config), limits, factory=True, workers=config.workers, **common)
        Multiprocess(server_config, sockets=[server_config.bind_socket()]).run()
    else:
        uvicorn.Server(GuardedServerConfig(create_app(config), limits, **common)).run()
