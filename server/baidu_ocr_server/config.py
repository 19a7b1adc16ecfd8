"""Service configuration: a frozen :class:`ServiceConfig` from defaults, a JSON/TOML file and the environment.

Precedence (lowest first): built-in defaults, the config file (``BAIDU_OCR_SERVER_CONFIG`` or ``--config``),
``BAIDU_OCR_SERVER_*`` environment variables, command-line flags.

Environment variables:

==================================  ============================================================
``BAIDU_OCR_SERVER_CONFIG``         path of a ``.json`` or ``.toml`` config file
``BAIDU_OCR_SERVER_APPS``           ``id:secret[:qps[:daily_limit]]``, comma-separated
``BAIDU_OCR_SERVER_IAM_KEYS``       ``access_key_id:secret_access_key``, comma-separated (bce-auth-v1 signing)
``BAIDU_OCR_SERVER_BEARER_KEYS``    Baidu Cloud API keys (``bce-v3/ALTAK-…/…``) accepted as bearer, comma-separated
``BAIDU_OCR_SERVER_SIGNING_KEY``    token signing key (any string; share it between replicas)
``BAIDU_OCR_SERVER_HOST`` / ``_PORT`` / ``_WORKERS``
``BAIDU_OCR_SERVER_TOKEN_LIFETIME`` seconds (default 2592000, 30 days)
``BAIDU_OCR_SERVER_FETCH_TIMEOUT``  seconds for a ``url`` download (default 10)
``BAIDU_OCR_SERVER_FETCH_MAX_BYTES`` cap on a downloaded image (default: the endpoint's limit)
``BAIDU_OCR_SERVER_ALLOW_PRIVATE_URLS`` ``true`` lets ``url`` reach loopback/private/link-local addresses
``BAIDU_OCR_SERVER_URL_ALLOW_NETWORKS`` comma-separated CIDRs ``url`` may reach even so (e.g. ``10.1.2.0/24``)
``BAIDU_OCR_SERVER_ENGINE_THREADS`` requests decoded and recognized at once per process (default 1)
``BAIDU_OCR_SERVER_QPS`` / ``_DAILY_LIMIT`` default per-app limits (per replica)
``BAIDU_OCR_SERVER_QUEUE_DEPTH``    OCR requests a process holds at once; one more answers 18 (default 8)
``BAIDU_OCR_SERVER_DECODE_THREADS`` images decoded / PDF pages rendered at once (default 2)
``BAIDU_OCR_SERVER_PIXEL_BUDGET``   pixels decoded at once, all requests together (default 4096*4096)
``BAIDU_OCR_SERVER_ENGINE_MAX_SIDE`` longest side of a page handed to the engine (default: the profile's)
``BAIDU_OCR_SERVER_PDF_MEMORY_MB``  address-space limit of the PDF renderer process in MiB (default 384)
``BAIDU_OCR_SERVER_PDF_TIMEOUT``    seconds to render one PDF page (default 20)
``BAIDU_OCR_SERVER_HEADER_TIMEOUT`` seconds to receive a request line and headers (default 10)
``BAIDU_OCR_SERVER_BODY_TIMEOUT``   seconds to receive a request body (default 60)
``BAIDU_OCR_SERVER_KEEP_ALIVE_TIMEOUT`` seconds an idle keep-alive connection stays open (default 5)
``BAIDU_OCR_SERVER_MAX_CONNECTIONS`` open connections per process (default 4096; lowered to fit the fd limit)
``BAIDU_OCR_SERVER_MAX_HEADER_BYTES`` request line plus headers (default 16384)
==================================  ============================================================

A config file holds the same keys in lower case (``host``, ``port``, ``signing_key``, …) and ``apps`` as a list of
``{client_id, client_secret, qps?, daily_limit?}`` tables, ``iam_keys`` as ``{access_key_id, secret_access_key}``
tables and ``bearer_keys`` as strings (see :mod:`.credentials`).
"""

from __future__ import annotations

import ipaddress
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from .credentials import (
    DEMO_BEARER_KEY,
    DEMO_IAM_KEY,
    BearerKey,
    IamKeyPair,
    bearer_keys_from_list,
    check_unique,
    iam_keys_from_list,
    parse_bearer_keys,
    parse_iam_keys,
)

__all__ = [
    "DEFAULT_PORT",
    "DEMO_APP",
    "ENV_PREFIX",
    "AppCredentials",
    "ConfigError",
    "ServiceConfig",
    "parse_apps",
]

ENV_PREFIX = "BAIDU_OCR_SERVER_"
DEFAULT_PORT = 8282


class ConfigError(ValueError):
    """The configuration is malformed."""


@dataclass(frozen=True)
class AppCredentials:
    """One application: its API key (``client_id``), secret key, and optional per-replica limits."""

    client_id: str
    client_secret: str
    qps: float | None = None
    daily_limit: int | None = None

    def __post_init__(self) -> None:
        if not self.client_id or not self.client_secret:
            raise ConfigError("an app needs a non-empty client id and secret")
        if any(c.isspace() for c in self.client_id):
            raise ConfigError(f"client id {self.client_id!r} contains whitespace")
        if self.qps is not None and self.qps <= 0:
            raise ConfigError("qps must be positive")
        if self.daily_limit is not None and self.daily_limit <= 0:
            raise ConfigError("daily_limit must be positive")

    def __repr__(self) -> str:  # never print the secret
        return f"AppCredentials(client_id={self.client_id!r}, qps={self.qps!r}, daily_limit={self.daily_limit!r})"


DEMO_APP = AppCredentials("local-api-key", "local-secret-key")
"""The app configured when none is given: API key ``local-api-key``, secret key ``local-secret-key``."""


@dataclass(frozen=True)
class ServiceConfig:
    """Everything the service needs; immutable. Build with :meth:`from_env`, :meth:`from_file` or directly."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    apps: tuple[AppCredentials, ...] = (DEMO_APP,)
    iam_keys: tuple[IamKeyPair, ...] = (DEMO_IAM_KEY,)
    """IAM key pairs accepted for bce-auth-v1 signed requests (default: the demo pair)."""
    bearer_keys: tuple[BearerKey, ...] = (DEMO_BEARER_KEY,)
    """Baidu Cloud API keys accepted as ``Authorization: Bearer`` (default: the demo key)."""
    signing_key: str | None = None
    """HMAC key for tokens. ``None``: a random key per process (tokens die with the process, replicas disagree)."""
    token_lifetime: int = 2592000
    fetch_timeout: float = 10.0
    fetch_max_bytes: int | None = None
    """Cap on a downloaded ``url`` image in bytes; ``None`` means the endpoint's own limit."""
    allow_private_urls: bool = False
    url_allow_networks: tuple[str, ...] = ()
    """CIDR networks ``url`` may reach even when private addresses are refused (e.g. an internal image host)."""
    workers: int = 1
    engine_threads: int = 1
    """Requests past the queue: each decodes its input, then is recognized. The bundled engine recognizes one
    page at a time (ONNX Runtime already uses every core for it); 2 would overlap one decoding (fast) with one
    recognition, but the second request would then wait inside the engine, where a client that leaves can no
    longer be dropped, holding a decoded page."""
    qps: float | None = None
    """Default QPS limit for apps that set none (per replica); ``None``: unlimited."""
    daily_limit: int | None = None
    """Default daily request limit for apps that set none (per replica); ``None``: unlimited."""
    preload_engine: bool = True
    """Load the OCR models at start-up (in the background) rather than on the first request."""
    queue_depth: int = 8
    """OCR requests a process holds at once (reading the body, decoding, waiting for or in recognition); one
    more is answered error 18 at once, as Baidu does past its QPS."""
    decode_threads: int = 2
    """Images decoded and PDF pages rendered at once per process."""
    pixel_budget: int = 4096 * 4096
    """Pixels decoded at once, all requests together (4 to 6.5 bytes each while decoding); a PNG or BMP larger than
    this answers 216202 (a JPEG is decoded at 1/2, 1/4 or 1/8 scale first when that fits the engine)."""
    engine_max_side: int | None = None
    """Longest side of the page handed to the engine; ``None``: the engine profile's own (2000 px for
    ``general_basic``, 2560 px for ``accurate_basic``). Lower it to bound the engine's memory (its detector's
    working set grows with the page's pixels: about 1.15 GiB at 2560x2560 on ``accurate_basic``)."""
    pdf_memory_mb: int = 384
    """Address-space limit of the process that renders PDF pages (MiB); a page needing more answers 216202."""
    pdf_timeout: float = 20.0
    """Seconds to render one PDF page; longer answers 216202."""
    header_timeout: float = 10.0
    """Seconds from a connection's (or request's) first byte to the end of its request headers."""
    body_timeout: float = 60.0
    """Seconds to receive a request body, from the end of its headers."""
    keep_alive_timeout: float = 5.0
    """Seconds an idle keep-alive connection stays open between requests."""
    max_connections: int = 4096
    """Open connections per process (lowered at start-up to fit the open-file limit). At the cap the connection
    idle the longest is closed to make room; if none is idle, the new one is answered error 18 and closed."""
    max_header_bytes: int = 16384
    """Longest request line plus headers; longer answers 216103 (HTTP 431)."""

    def __post_init__(self) -> None:
        if not self.apps:
            raise ConfigError("at least one app is needed")
        ids = [app.client_id for app in self.apps]
        if len(set(ids)) != len(ids):
            raise ConfigError("duplicate client id")
        check_unique(self.iam_keys, self.bearer_keys)
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"bad port {self.port}")
        at_least_one = ("workers", "engine_threads", "queue_depth", "decode_threads", "max_connections")
        for name in at_least_one:
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1")
        positive = ("token_lifetime", "fetch_timeout", "pdf_timeout", "header_timeout", "body_timeout")
        for name in (*positive, "keep_alive_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} must be positive")
        if self.pixel_budget < 1024 * 1024:
            raise ConfigError("pixel_budget must be at least 1048576 (1024*1024)")
        if self.engine_max_side is not None and self.engine_max_side < 256:
            raise ConfigError("engine_max_side must be at least 256")
        if self.pdf_memory_mb < 128:
            raise ConfigError("pdf_memory_mb must be at least 128")
        if self.max_header_bytes < 1024:
            raise ConfigError("max_header_bytes must be at least 1024")
        if self.signing_key is not None and not self.signing_key:
            raise ConfigError("signing_key must not be empty")
        for network in self.url_allow_networks:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError as exc:
                raise ConfigError(f"url_allow_networks: {exc}") from exc

    def __repr__(self) -> str:  # never print secrets
        secret = ("apps", "signing_key", "iam_keys", "bearer_keys")
        shown = {k: v for k, v in asdict(self).items() if k not in secret}
        key = "set" if self.signing_key else "random"
        apps = ", ".join(app.client_id for app in self.apps)
        iam = ", ".join(pair.access_key_id for pair in self.iam_keys)
        bearer = ", ".join(bearer.key_id for bearer in self.bearer_keys)
        return f"ServiceConfig(apps=[{apps}], iam_keys=[{iam}], bearer_keys=[{bearer}], signing_key={key}, {shown})"

    def app(self, client_id: str) -> AppCredentials | None:
        """The app with this client id, if configured."""
        for app in self.apps:
            if app.client_id == client_id:
                return app
        return None

    def credential_lines(self) -> list[str]:
        """The IAM key pairs and bearer keys accepted, for the log at start: the demo ones in full (they are
        public), configured ones by their public id only."""
        lines = []
        if self.iam_keys == (DEMO_IAM_KEY,):
            pair = DEMO_IAM_KEY
            lines.append(f"demo IAM key pair: access key id {pair.access_key_id!r}, secret {pair.secret_access_key!r}")
        elif self.iam_keys:
            lines.append("IAM access key ids: " + ", ".join(pair.access_key_id for pair in self.iam_keys))
        if self.bearer_keys == (DEMO_BEARER_KEY,):
            lines.append(f"demo bearer API key: {DEMO_BEARER_KEY.key!r}")
        elif self.bearer_keys:
            lines.append("bearer API keys: " + ", ".join(bearer.key_id for bearer in self.bearer_keys))
        return lines

    def with_overrides(self, **changes: Any) -> ServiceConfig:
        """A copy with the non-``None`` ``changes`` applied."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    # --- loading -------------------------------------------------------------------------------------------------

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], base: ServiceConfig | None = None) -> ServiceConfig:
        """Apply a parsed config file (or JSON blob) on top of ``base`` (defaults when ``None``)."""
        base = base or cls()
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown config keys: {sorted(unknown)}")
        changes: dict[str, Any] = {}
        for key, value in data.items():
            if key == "apps":
                changes[key] = _apps_from_list(value)
            elif key == "iam_keys":
                changes[key] = iam_keys_from_list(value)
            elif key == "bearer_keys":
                changes[key] = bearer_keys_from_list(value)
            elif key == "url_allow_networks":
                changes[key] = tuple(value)
            elif value is not None:
                changes[key] = value
        try:
            return replace(base, **changes)
        except TypeError as exc:
            raise ConfigError(str(exc)) from exc

    @classmethod
    def from_file(cls, path: str | Path, base: ServiceConfig | None = None) -> ServiceConfig:
        """Load a ``.json`` or ``.toml`` file (by suffix; anything else is tried as TOML)."""
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected an object at the top level")
        return cls.from_mapping(data, base)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, base: ServiceConfig | None = None) -> ServiceConfig:
        """Defaults, then ``BAIDU_OCR_SERVER_CONFIG`` (a file), then the other ``BAIDU_OCR_SERVER_*`` variables."""
        env = os.environ if env is None else env
        config = base or cls()
        if path := env.get(ENV_PREFIX + "CONFIG"):
            config = cls.from_file(path, config)
        changes: dict[str, Any] = {}
        converters: dict[str, Any] = {
            "iam_keys": parse_iam_keys,
            "bearer_keys": parse_bearer_keys,
            "host": str,
            "port": int,
            "workers": int,
            "signing_key": str,
            "token_lifetime": int,
            "fetch_timeout": float,
            "fetch_max_bytes": int,
            "allow_private_urls": _parse_bool,
            "engine_threads": int,
            "qps": float,
            "daily_limit": int,
            "preload_engine": _parse_bool,
            "url_allow_networks": _parse_list,
            "queue_depth": int,
            "decode_threads": int,
            "pixel_budget": int,
            "engine_max_side": int,
            "pdf_memory_mb": int,
            "pdf_timeout": float,
            "header_timeout": float,
            "body_timeout": float,
            "keep_alive_timeout": float,
            "max_connections": int,
            "max_header_bytes": int,
        }
        for key, convert in converters.items():
            raw = env.get(ENV_PREFIX + key.upper())
            if raw is None or raw == "":
                continue
            try:
                changes[key] = convert(raw)
            except ValueError as exc:
                raise ConfigError(f"{ENV_PREFIX}{key.upper()}: {exc}") from exc
        if apps := env.get(ENV_PREFIX + "APPS"):
            changes["apps"] = parse_apps(apps.split(","))
        return replace(config, **changes)

    def to_json(self) -> str:
        """Serialize, secrets included (never for logs or the environment)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, blob: str) -> ServiceConfig:
        """Inverse of :meth:`to_json`."""
        try:
            data = json.loads(blob)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"bad serialized config: {exc}") from exc
        return cls.from_mapping(data)


def _parse_list(raw: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not a boolean: {raw!r}")


def parse_apps(specs: list[str] | tuple[str, ...]) -> tuple[AppCredentials, ...]:
    """Parse ``id:secret[:qps[:daily_limit]]`` items (empty items are skipped)."""
    apps = []
    for item in specs:
        spec = item.strip()
        if not spec:
            continue
        parts = spec.split(":")
        if len(parts) < 2 or len(parts) > 4:
            raise ConfigError("an app is id:secret[:qps[:daily_limit]]")
        try:
            qps = float(parts[2]) if len(parts) > 2 and parts[2] else None
            daily = int(parts[3]) if len(parts) > 3 and parts[3] else None
        except ValueError as exc:
            raise ConfigError(f"bad app limits: {exc}") from exc
        apps.append(AppCredentials(parts[0], parts[1], qps, daily))
    if not apps:
        raise ConfigError("no apps given")
    return tuple(apps)


def _apps_from_list(value: Any) -> tuple[AppCredentials, ...]:
    if not isinstance(value, list) or not value:
        raise ConfigError("apps must be a non-empty list")
    apps = []
    for item in value:
        if not isinstance(item, dict):
            raise ConfigError("each app must be a table/object")
        try:
            apps.append(AppCredentials(**item))
        except TypeError as exc:
            raise ConfigError(f"bad app entry: {exc}") from exc
    return tuple(apps)
