"""``AipOcr``: a drop-in for the official SDK's ``aip.AipOcr`` (general text recognition methods).

Migrating is one changed import: the same constructor and method names, an ``options`` dict, and plain dicts back
(errors too, as ``{"error_code": …, "error_msg": …}``), but with TLS verification on, the secret never in a URL,
a thread-safe token cache, renewal on 110 and 111, and retries with backoff on QPS limits and transient errors.
A wrong API key or secret key answers error 14 as the official SDK does, with the token endpoint's ``error`` and
``error_description`` alongside (the real reason, which the official SDK loses).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import httpx

from baidu_ocr_spec import ERROR_CODES

from ._base import NOT_GIVEN
from ._client import OCR
from ._errors import APIError, InputError, RequestTimeoutError
from ._inputs import FileSource
from ._options import Endpoint

__all__ = ["AipOcr"]

_TIMEOUT_ANSWER: Final = {"error_code": "SDK108", "error_msg": "connection or read data timeout"}


def _token_failure(oauth: Mapping[str, Any]) -> dict[str, Any]:
    """What the official SDK ends up answering for a wrong key (it falls back to IAM signing, which fails with
    error 14), plus the token endpoint's own reason, which the official SDK drops."""
    row = ERROR_CODES[14]
    return {"error_code": row.code, "error_msg": row.message, **oauth}


class AipOcr:
    """``AipOcr(appId, apiKey, secretKey)``, as in ``from aip import AipOcr``; ``base_url`` for another server."""

    def __init__(self, appId: str, apiKey: str, secretKey: str, *, base_url: str | None = None) -> None:  # noqa: N803
        self._app_id = appId.strip()
        self._connect_timeout = 60.0
        self._socket_timeout = 60.0
        self._client = OCR(apiKey.strip(), secretKey.strip(), base_url=base_url)

    def __repr__(self) -> str:
        return f"AipOcr(appId={self._app_id!r}, base_url={self._client.base_url!r})"

    def getVersion(self) -> str:  # noqa: N802
        """The SDK version (official-SDK name)."""
        return "2_0_0"

    def setConnectionTimeoutInMillis(self, ms: float) -> None:  # noqa: N802
        """Connect timeout in milliseconds (official-SDK name)."""
        self._connect_timeout = ms / 1000.0
        self._client.timeout = self._timeout()

    def setSocketTimeoutInMillis(self, ms: float) -> None:  # noqa: N802
        """Read / write timeout in milliseconds (official-SDK name)."""
        self._socket_timeout = ms / 1000.0
        self._client.timeout = self._timeout()

    def setProxies(self, proxies: Mapping[str, str]) -> None:  # noqa: N802
        """requests-style ``{"https": "http://proxy:3128"}``; the https (else http) entry is used for every call."""
        proxy = proxies.get("https") or proxies.get("http")
        old = self._client
        old.close()
        self._client = OCR(auth=old.auth, base_url=old.base_url, timeout=old.timeout, proxy=proxy)

    def close(self) -> None:
        """Close the connection pool (the official SDK has none)."""
        self._client.close()

    def __del__(self) -> None:
        # Code written for the official SDK never closes its client: release the pool when it is collected.
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()

    def _timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self._socket_timeout, connect=self._connect_timeout)

    def _call(
        self,
        endpoint: Endpoint,
        options: Mapping[str, Any] | None,
        *,
        image: FileSource | None = None,
        url: str | None = None,
        pdf: FileSource | None = None,
    ) -> Any:
        options = dict(options or {})
        page = options.pop("pdf_file_num", None) if pdf is not None else None
        client = self._client
        try:
            pdf_page = int(page) if page is not None else None
            call = client._call(endpoint, image, url, pdf, pdf_page, {}, None)
            # the official SDK's options go as they are (booleans as true/false): the service judges them
            call.body.additional_properties.update({str(name): value for name, value in options.items()})
            return client._recognize(call, self._timeout(), NOT_GIVEN, client.max_retries).raw
        except InputError as error:
            row = ERROR_CODES[error.service_code]
            return {"error_code": row.code, "error_msg": row.message}
        except ValueError:
            row = ERROR_CODES[216100]
            return {"error_code": row.code, "error_msg": row.message}
        except APIError as error:
            if "error" in error.raw and "error_code" not in error.raw:
                return _token_failure(error.raw)
            return error.raw
        except RequestTimeoutError:
            return dict(_TIMEOUT_ANSWER)

    def basicGeneral(self, image: bytes, options: Mapping[str, Any] | None = None) -> Any:  # noqa: N802
        """通用文字识别（标准版）: image bytes."""
        return self._call("general_basic", options, image=image)

    def basicGeneralUrl(self, url: str, options: Mapping[str, Any] | None = None) -> Any:  # noqa: N802
        """通用文字识别（标准版）: image url."""
        return self._call("general_basic", options, url=url)

    def basicGeneralPdf(self, pdf_file: bytes, options: Mapping[str, Any] | None = None) -> Any:  # noqa: N802
        """通用文字识别（标准版）: PDF bytes (page ``options["pdf_file_num"]``, default 1)."""
        return self._call("general_basic", options, pdf=pdf_file)

    def basicAccurate(self, image: bytes, options: Mapping[str, Any] | None = None) -> Any:  # noqa: N802
        """通用文字识别（高精度版）: image bytes."""
        return self._call("accurate_basic", options, image=image)

    def basicAccurateUrl(self, url: str, options: Mapping[str, Any] | None = None) -> Any:  # noqa: N802
        """通用文字识别（高精度版）: image url."""
        return self._call("accurate_basic", options, url=url)

    def basicAccuratePdf(self, pdf_file: bytes, options: Mapping[str, Any] | None = None) -> Any:  # noqa: N802
        """通用文字识别（高精度版）: PDF bytes (page ``options["pdf_file_num"]``, default 1)."""
        return self._call("accurate_basic", options, pdf=pdf_file)
