"""A test kit for code that uses Baidu OCR: the local service with fault injection and a request journal, as a
pytest plugin (what moto and LocalStack are for AWS).

Installed with ``baidu-ocr[server]``; pytest loads the plugin by itself (entry point ``pytest11``). Fixtures:

=====================  ==============================================================================
``ocr_service``        the running :class:`OCRTestService` (one per test session; reset around each test)
``ocr_client``         a ready :class:`baidu_ocr.OCR` on it (retries without waiting), closed afterwards
``async_ocr_client``   a ready :class:`baidu_ocr.AsyncOCR` on it (any event loop), closed afterwards
``ocr_faults``         its :class:`FaultPlan`: ``fail(endpoint, error_code, times)``, ``delay(...)``
``ocr_journal``        its :class:`RequestJournal`: ``entries()``, ``clear()``
``ocr_env``            the ``BAIDU_OCR_*`` environment pointed at it (for code that builds its own client)
=====================  ==============================================================================
"""

from baidu_ocr_server.faults import Fault, FaultPlan
from baidu_ocr_server.journal import JournalEntry, RequestJournal

from .service import OCRTestService

__all__ = ["Fault", "FaultPlan", "JournalEntry", "OCRTestService", "RequestJournal"]
