"""The three ways Baidu authenticates an OCR request (four ways to configure them), declared once: what each is
called, its constructor keywords, environment variables and command-line flags, and its ``httpx.Auth`` class."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["CredentialKind", "KindInfo"]


@dataclass(frozen=True)
class KindInfo:
    """How one kind of credential is named and passed."""

    label: str
    """What the user has, in the console's words."""
    short: str
    """A short name for messages."""
    names: tuple[str, ...]
    """What each value is called, one per keyword (``API Key``, ``Secret Key``)."""
    keywords: tuple[str, ...]
    """Constructor keywords (``OCR(api_key=…, secret_key=…)``), in order; also the CLI flags (``--api-key``)."""
    environment: tuple[str, ...]
    """The environment variables, one per keyword."""
    auth_class: str
    """The ``baidu_ocr`` auth class taking the same values."""

    @property
    def flags(self) -> tuple[str, ...]:
        """The command-line flags, one per keyword."""
        return tuple("--" + keyword.replace("_", "-") for keyword in self.keywords)

    def describe(self, index: int) -> str:
        """Value ``index`` with where it comes from, e.g. ``the API Key (api_key= / BAIDU_OCR_API_KEY)``."""
        return f"the {self.names[index]} ({self.keywords[index]}= / {self.environment[index]})"

    def how_to_pass(self) -> str:
        """One line: the class, the keywords and the environment variables."""
        keywords = ", ".join(f"{keyword}=" for keyword in self.keywords)
        return f"{self.auth_class}(...), or {keywords}, or {' + '.join(self.environment)}"


class CredentialKind(enum.Enum):
    """A kind of credential; ``value`` tells how it is named and passed."""

    APP_KEYS = KindInfo(
        "app API Key + Secret Key (client credentials: an access token is fetched from /oauth/2.0/token)",
        "app API Key + Secret Key",
        ("API Key", "Secret Key"),
        ("api_key", "secret_key"),
        ("BAIDU_OCR_API_KEY", "BAIDU_OCR_SECRET_KEY"),
        "ClientCredentialsAuth",
    )
    ACCESS_TOKEN = KindInfo(
        "access token (fetched beforehand; cannot be renewed)",
        "fixed access token",
        ("access token",),
        ("access_token",),
        ("BAIDU_OCR_ACCESS_TOKEN",),
        "AccessTokenAuth",
    )
    IAM_KEYS = KindInfo(
        "IAM Access Key ID + Secret Access Key (bce-auth-v1 request signing)",
        "IAM AK/SK signing (bce-auth-v1)",
        ("Access Key ID", "Secret Access Key"),
        ("access_key_id", "secret_access_key"),
        ("BAIDU_OCR_ACCESS_KEY_ID", "BAIDU_OCR_SECRET_ACCESS_KEY"),
        "BceV1Auth",
    )
    BEARER_KEY = KindInfo(
        "Baidu Cloud API key (bce-v3/ALTAK-…, sent as Authorization: Bearer)",
        "bearer API key (bce-v3)",
        ("bearer API key",),
        ("bearer_key",),
        ("BAIDU_OCR_BEARER_KEY",),
        "BearerAuth",
    )

    @property
    def info(self) -> KindInfo:
        """The naming of this kind (``self.value``, typed)."""
        value: KindInfo = self.value
        return value
