"""The credentials the service accepts besides its apps' access tokens: IAM key pairs (bce-auth-v1 signing) and
Baidu Cloud API keys (``Authorization: Bearer bce-v3/ALTAK-…/…``), with their demo values and parsers.

Configured like apps (see :mod:`.config`): ``BAIDU_OCR_SERVER_IAM_KEYS`` (``AK:SK``, comma-separated),
``BAIDU_OCR_SERVER_BEARER_KEYS`` (comma-separated), the config file's ``iam_keys`` (tables of ``access_key_id``,
``secret_access_key``) and ``bearer_keys`` (strings), and ``serve``'s ``--iam-key`` / ``--bearer-key``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEMO_BEARER_KEY",
    "DEMO_IAM_KEY",
    "BearerKey",
    "IamKeyPair",
    "bearer_keys_from_list",
    "check_unique",
    "iam_keys_from_list",
    "parse_bearer_keys",
    "parse_iam_keys",
]


def _invalid(message: str) -> ValueError:
    from .config import ConfigError  # config imports this module: looked up when needed

    return ConfigError(message)


def _check_text(value: object, what: str) -> None:
    if not isinstance(value, str) or not value:
        raise _invalid(f"{what} must be a non-empty string")
    if any(character.isspace() or character == "," for character in value):
        raise _invalid(f"{what} contains whitespace or a comma")


@dataclass(frozen=True)
class IamKeyPair:
    """An IAM Access Key ID and its Secret Access Key, for bce-auth-v1 signed requests."""

    access_key_id: str
    secret_access_key: str

    def __post_init__(self) -> None:
        _check_text(self.access_key_id, "an IAM access key id")
        _check_text(self.secret_access_key, "an IAM secret access key")
        if "/" in self.access_key_id:
            raise _invalid(f"IAM access key id {self.access_key_id!r} contains '/'")

    def __repr__(self) -> str:  # never print the secret
        return f"IamKeyPair(access_key_id={self.access_key_id!r})"


@dataclass(frozen=True)
class BearerKey:
    """A Baidu Cloud API key (``bce-v3/ALTAK-…/…``) accepted as ``Authorization: Bearer``."""

    key: str

    def __post_init__(self) -> None:
        _check_text(self.key, "a bearer API key")

    @property
    def key_id(self) -> str:
        """The public part (``ALTAK-…``) for logs and limits; the key's last part is its secret."""
        parts = self.key.split("/")
        return parts[1] if len(parts) == 3 and parts[1] else "bearer-key"

    def __repr__(self) -> str:  # never print the secret
        return f"BearerKey(key_id={self.key_id!r})"


DEMO_IAM_KEY = IamKeyPair("local-access-key-id", "local-secret-access-key")
"""The IAM key pair configured when none is given."""
DEMO_BEARER_KEY = BearerKey("bce-v3/ALTAK-local-demo-key/local-bearer-secret")
"""The bearer API key configured when none is given."""


def parse_iam_keys(specs: Iterable[str]) -> tuple[IamKeyPair, ...]:
    """``AK:SK`` items (empty items skipped; a whole string is split at commas)."""
    pairs = []
    for item in _items(specs):
        access_key_id, sep, secret = item.partition(":")
        if not sep:
            raise _invalid("an IAM key pair is ACCESS_KEY_ID:SECRET_ACCESS_KEY")
        pairs.append(IamKeyPair(access_key_id, secret))
    return tuple(pairs)


def parse_bearer_keys(specs: Iterable[str]) -> tuple[BearerKey, ...]:
    """Bearer API keys (empty items skipped; a whole string is split at commas)."""
    return tuple(BearerKey(item) for item in _items(specs))


def _items(specs: Iterable[str]) -> list[str]:
    if isinstance(specs, str):
        specs = specs.split(",")
    return [item.strip() for item in specs if item.strip()]


def iam_keys_from_list(value: Any) -> tuple[IamKeyPair, ...]:
    """The config file's ``iam_keys``: tables of ``access_key_id`` and ``secret_access_key`` (or ``AK:SK``)."""
    if not isinstance(value, list):
        raise _invalid("iam_keys must be a list")
    pairs: list[IamKeyPair] = []
    for item in value:
        if isinstance(item, str):
            pairs.extend(parse_iam_keys([item]))
        elif isinstance(item, dict) and set(item) == {"access_key_id", "secret_access_key"}:
            pairs.append(IamKeyPair(item["access_key_id"], item["secret_access_key"]))
        else:
            raise _invalid("each iam_keys entry is {access_key_id, secret_access_key} or 'AK:SK'")
    return tuple(pairs)


def bearer_keys_from_list(value: Any) -> tuple[BearerKey, ...]:
    """The config file's ``bearer_keys``: strings (or ``{key}`` tables)."""
    if not isinstance(value, list):
        raise _invalid("bearer_keys must be a list")
    keys = []
    for item in value:
        key = item["key"] if isinstance(item, dict) and set(item) == {"key"} else item
        if not isinstance(key, str):
            raise _invalid("each bearer_keys entry is a string")
        keys.append(BearerKey(key))
    return tuple(keys)


def check_unique(iam_keys: Iterable[IamKeyPair], bearer_keys: Iterable[BearerKey]) -> None:
    """A configuration error when an access key id or a bearer key is given twice."""
    ids = [pair.access_key_id for pair in iam_keys]
    if len(set(ids)) != len(ids):
        raise _invalid("duplicate IAM access key id")
    keys = [bearer.key for bearer in bearer_keys]
    if len(set(keys)) != len(keys):
        raise _invalid("duplicate bearer key")
