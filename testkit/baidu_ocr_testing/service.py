"""The local OCR service with test controls, and clients wired to it."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from baidu_ocr import OCR, AsyncOCR, Backoff
from baidu_ocr_server.config import ServiceConfig
from baidu_ocr_server.controls import TestControls
from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.engine import OCREngine
from baidu_ocr_server.faults import MAX_DELAY, FaultPlan
from baidu_ocr_server.journal import RequestJournal

__all__ = ["NO_WAIT", "SETTLE_TIMEOUT", "OCRTestService"]

SETTLE_TIMEOUT = MAX_DELAY + 60.0
"""How long :meth:`OCRTestService.settle` waits for calls in flight (the longest fault delay plus an OCR call)."""

NO_WAIT = Backoff(initial=0.0, maximum=0.0, jitter=0.0)
"""The backoff of the clients the kit hands out: retries happen at once, so tests stay fast."""


class OCRTestService:
    """The local Baidu-compatible service on ``127.0.0.1`` with :attr:`faults` and :attr:`journal`.

    ``config`` (apps, limits; default: the demo app ``local-api-key`` / ``local-secret-key``) and ``engine`` (a
    custom OCR engine; default: the real one, loaded on the first OCR call) go to
    :class:`baidu_ocr_server.embedded.LocalService`. Start and stop with ``with`` or :meth:`start` / :meth:`stop`.
    """

    def __init__(self, config: ServiceConfig | None = None, *, engine: OCREngine | None = None) -> None:
        self.controls = TestControls()
        self._service = LocalService(config, engine=engine, test_controls=self.controls)

    def start(self) -> Self:
        """Start the service; returns once it answers."""
        self._service.start()
        return self

    def stop(self) -> None:
        """Stop the service (idempotent)."""
        self._service.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return self._service.base_url

    @property
    def api_key(self) -> str:
        """The demo app's API key (``local-api-key``), or the first configured app's."""
        return self._service.api_key

    @property
    def secret_key(self) -> str:
        """The demo app's secret key (``local-secret-key``), or the first configured app's."""
        return self._service.secret_key

    @property
    def faults(self) -> FaultPlan:
        """Arm faults: the next N calls to an endpoint answer an error code, or are delayed."""
        return self.controls.faults

    @property
    def journal(self) -> RequestJournal:
        """Every call to the token and OCR endpoints: endpoint, options, input kind and size, auth kind, answer."""
        return self.controls.journal

    def reset(self) -> None:
        """Disarm every fault and empty the journal."""
        self.controls.reset()

    def settle(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Wait until the calls still being handled (e.g. delayed ones whose client gave up) are done."""
        if not self.controls.wait_idle(timeout):
            raise TimeoutError(f"the local OCR service was still handling calls after {timeout} s")

    def environment(self) -> dict[str, str]:
        """The ``BAIDU_OCR_*`` variables that point a client built without arguments at this service."""
        return {
            "BAIDU_OCR_BASE_URL": self.base_url,
            "BAIDU_OCR_API_KEY": self.api_key,
            "BAIDU_OCR_SECRET_KEY": self.secret_key,
        }

    def ocr(self, **settings: Any) -> OCR:
        """An :class:`~baidu_ocr.OCR` on this service with the demo credentials; ``settings`` override (e.g.
        ``max_retries=0``); retries do not wait unless ``backoff=`` says otherwise."""
        return OCR(**self._client_settings(settings))

    def async_ocr(self, **settings: Any) -> AsyncOCR:
        """An :class:`~baidu_ocr.AsyncOCR` on this service, like :meth:`ocr`."""
        return AsyncOCR(**self._client_settings(settings))

    def _client_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        chosen: dict[str, Any] = {"base_url": self.base_url, "backoff": NO_WAIT}
        if not {"api_key", "secret_key", "access_token", "auth"} & settings.keys():
            chosen.update(api_key=self.api_key, secret_key=self.secret_key)
        return {**chosen, **settings}
