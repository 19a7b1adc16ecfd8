"""An adaptive request pace (AIMD, as TCP's congestion control): slower at once when the service says "too fast",
faster slowly while it answers.

:class:`AdaptivePace` holds the state and makes every decision without I/O (its clock is injected, its state is
behind a lock, so one pace may serve many threads, tasks and clients at once). :meth:`AdaptivePace.wait_turn` and
:meth:`AdaptivePace.await_turn` (its asyncio twin: "a" + "wait_turn", as ``scripts/unasync.py`` names them)
only sleep the computed delay.

::

    pace = AdaptivePace(start_qps=8, max_qps=10)
    ticket = pace.wait_turn()             # or, in asyncio: ticket = await pace.await_turn()
    try:
        result = send()
    except BaiduOCRError as error:
        pace.record(ticket, error)
        raise
    pace.record(ticket, None)

What slows it comes from the spec's error table (``baidu_ocr_spec.ERROR_CODES``): a code of category
``rate_limit`` (QPS and cluster limits) divides the rate by ``1 / decrease`` at once, as does an HTTP 429. A run of
``server_error_run`` server failures in a row (codes of category ``server``, HTTP 5xx answers that are not Baidu's
JSON) slows it too. Only one slow-down per *epoch*: answers to requests sent before the last slow-down were sent
at the old rate and do not count again, and slots handed out at the old rate are void (a waiting request
reserves a new one). Every other answer of the service, error or not, tells that the pace was accepted and raises
the rate additively, if that request had to wait for its turn (a pace that holds nothing back is not raised);
near the rate the service accepted before the last cut, only slowly (``probe_increase``), so that a batch
settles just under the limit with few refusals. No answer at all (a timeout) changes nothing.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

from baidu_ocr_spec import ERROR_CODES

from ._errors import APIError, InvalidOptionError, InvalidResponseError

__all__ = [
    "DEFAULT_MAX_QPS",
    "DEFAULT_START_QPS",
    "PACED_REFUSALS",
    "AdaptivePace",
    "PaceSignal",
    "PaceTicket",
    "pace_signal",
]

DEFAULT_START_QPS: Final = 10.0
"""A paid tier's limit. On the free tier (2 per second) a batch meets a few refusals at the start (they are
retried) and settles below 2."""
DEFAULT_MAX_QPS: Final = 50.0
"""The ceiling when none is given (paid tiers allow 10 or more)."""
PACED_REFUSALS: Final = 6
"""A request refused as too fast waits for its next turn and goes again at most this many times (the pace has
slowed down meanwhile) before the client's own retries take over: enough to come down from 50 to 2 per second."""
_KNEE_MARGIN: Final = 0.95
"""Above this share of the accepted rate, the pace creeps (``probe_increase``)."""
_KNEE_MIN_ACCEPTED: Final = 4
"""Requests accepted between two cuts needed to measure the accepted rate."""
_MAX_RESERVATIONS: Final = 8
"""A waiting request reserves a new slot after a slow-down at most this many times, then goes."""
_RATE_LIMIT_STATUS: Final = 429
_SERVER_STATUS_MIN: Final = 500

_RATE_LIMIT_CODES: Final = frozenset(code for code, row in ERROR_CODES.items() if row.category == "rate_limit")
_SERVER_CODES: Final = frozenset(code for code, row in ERROR_CODES.items() if row.category == "server")


@dataclass(frozen=True)
class PaceTicket:
    """Handed out with each slot: ``delay`` to wait before sending, and the ``epoch`` (slow-downs so far) the
    request is sent in."""

    delay: float
    epoch: int


PaceSignal: TypeAlias = Literal["ok", "too_fast", "server_error", "neutral"]
"""What an outcome tells the pace: accepted, too fast, a server failure, or nothing (no answer, bad input)."""


def pace_signal(error: BaseException | None) -> PaceSignal:
    """Classify an outcome: a rate-limit code or HTTP 429 is ``"too_fast"``; a server code or a non-JSON 5xx is
    ``"server_error"``; a result or any other answer of the service (a bad image, a quota) is ``"ok"``; no answer
    (a timeout, a refused connection) or an input refused before sending is ``"neutral"``."""
    if error is None:
        return "ok"
    if isinstance(error, APIError):
        if isinstance(error.error_code, int) and error.error_code in _RATE_LIMIT_CODES:
            return "too_fast"
        if isinstance(error.error_code, int) and error.error_code in _SERVER_CODES:
            return "server_error"
        return "ok"
    if isinstance(error, InvalidResponseError):
        if error.status_code == _RATE_LIMIT_STATUS:
            return "too_fast"
        if error.status_code >= _SERVER_STATUS_MIN:
            return "server_error"
    return "neutral"


class AdaptivePace:
    """A shared request rate, adapted to the service's answers (additive increase, multiplicative decrease).

    - ``start_qps``: the first rate (default :data:`DEFAULT_START_QPS`); it never exceeds ``max_qps``
      (default: :data:`DEFAULT_MAX_QPS`) nor falls below ``min_qps``.
    - ``decrease``: the factor applied on "too fast" (0 < decrease < 1); squared when no request was accepted
      since the last cut (still far too fast, as when a batch starts well above the limit).
    - ``increase``: how much one second's worth of accepted requests raises the rate, as a fraction of the
      rate before the last cut (of ``start_qps`` before any): with the default 0.05 a pace cut from 10 to 7
      comes back to 10 in about 6 seconds of requests.
    - ``probe_increase``: the same, once the rate is near the rate the service accepted before the last cut
      (requests accepted between two cuts, per second: an estimate of its limit). Above that point the pace
      creeps, so that going over the limit again takes long and costs one refusal.
    - ``server_error_run``: this many server failures in a row slow it as "too fast" does.
    - ``clock``: monotonic seconds (injected in tests).
    """

    def __init__(
        self,
        start_qps: float | None = None,
        *,
        max_qps: float | None = None,
        min_qps: float = 0.05,
        decrease: float = 0.7,
        increase: float = 0.05,
        probe_increase: float = 0.01,
        server_error_run: int = 3,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        maximum = DEFAULT_MAX_QPS if max_qps is None else max_qps
        start = min(DEFAULT_START_QPS, maximum) if start_qps is None else start_qps
        if min_qps <= 0 or maximum < min_qps:
            raise InvalidOptionError(f"the pace needs 0 < min_qps <= max_qps, got {min_qps} and {maximum}")
        if not min_qps <= start <= maximum:
            raise InvalidOptionError(f"the starting pace {start} qps is not between {min_qps} and {maximum}")
        if not 0 < decrease < 1 or increase <= 0 or probe_increase <= 0:
            raise InvalidOptionError("the pace needs 0 < decrease < 1, increase > 0 and probe_increase > 0")
        if server_error_run < 1:
            raise InvalidOptionError("server_error_run must be at least 1")
        self.max_qps = maximum
        self.min_qps = min_qps
        self._decrease = decrease
        self._increase = increase
        self._probe_increase = probe_increase
        self._server_error_run = server_error_run
        self._clock = clock
        self._lock = threading.Lock()
        self._rate = start
        self._reference = start
        self._knee: float | None = None
        self._epoch = 0
        self._epoch_started: float | None = None
        self._accepted_in_epoch = 0
        self._next_slot: float | None = None
        self._server_errors = 0
        self._slowdowns = 0

    def __repr__(self) -> str:
        return f"AdaptivePace(qps={self.qps:.3g}, max_qps={self.max_qps:g}, slowdowns={self.slowdowns})"

    @property
    def qps(self) -> float:
        """The current rate, in requests per second."""
        with self._lock:
            return self._rate

    @property
    def accepted_qps(self) -> float | None:
        """The rate the service accepted before the last cut (an estimate of its limit), once measured."""
        with self._lock:
            return self._knee

    @property
    def slowdowns(self) -> int:
        """How many times the pace was lowered."""
        with self._lock:
            return self._slowdowns

    def reserve(self) -> PaceTicket:
        """Reserve the next free slot: how long to wait before sending (0 when it is free now)."""
        with self._lock:
            now = self._clock()
            if self._epoch_started is None:
                self._epoch_started = now
            slot = now if self._next_slot is None else max(now, self._next_slot)
            self._next_slot = slot + 1.0 / self._rate
            return PaceTicket(slot - now, self._epoch)

    def record(self, ticket: PaceTicket, error: BaseException | None) -> None:
        """Tell the pace how the request sent with ``ticket`` ended (``None``: it succeeded)."""
        self.record_signal(ticket, pace_signal(error))

    def record_signal(self, ticket: PaceTicket, signal: PaceSignal) -> None:
        """:meth:`record` for an outcome already classified by :func:`pace_signal`."""
        with self._lock:
            if signal == "too_fast":
                self._server_errors = 0
                self._slow_down(ticket)
            elif signal == "server_error":
                self._server_errors += 1
                if self._server_errors >= self._server_error_run:
                    self._server_errors = 0
                    self._slow_down(ticket)
            elif signal == "ok":
                self._server_errors = 0
                if ticket.epoch == self._epoch:
                    self._speed_up(ticket)

    def _speed_up(self, ticket: PaceTicket) -> None:
        self._accepted_in_epoch += 1
        if ticket.delay <= 0:  # the request did not wait for its turn: the pace is not what holds the batch back
            return
        near_limit = self._knee is not None and self._rate >= self._knee * _KNEE_MARGIN
        per_second = self._probe_increase if near_limit else self._increase
        step = per_second * self._reference / self._rate  # per request, so that it adds `per_second` a second
        self._rate = min(self.max_qps, self._rate + step)

    def _slow_down(self, ticket: PaceTicket) -> None:
        if ticket.epoch != self._epoch:  # sent at a rate already lowered since
            return
        now = self._clock()
        lasted = now - (self._epoch_started if self._epoch_started is not None else now)
        if self._accepted_in_epoch >= _KNEE_MIN_ACCEPTED and lasted > 0:
            self._knee = self._accepted_in_epoch / lasted
        deep = self._epoch > 0 and not self._accepted_in_epoch  # nothing accepted since the last cut
        factor = self._decrease**2 if deep else self._decrease
        self._reference = self._rate
        self._rate = max(self.min_qps, self._rate * factor)
        self._epoch += 1
        self._epoch_started = now
        self._accepted_in_epoch = 0
        self._slowdowns += 1
        # the service refused: the slots handed out at the old rate are void (their holders reserve again, see
        # wait_turn()); the next request goes one new interval from now
        self._next_slot = now + 1.0 / self._rate

    def is_current(self, ticket: PaceTicket) -> bool:
        """Whether no slow-down happened since ``ticket`` was handed out (else its slot is void: reserve again)."""
        with self._lock:
            return ticket.epoch == self._epoch

    def wait_turn(self) -> PaceTicket:
        """Reserve a slot and sleep until it comes (threads); reserve again if the pace slowed down meanwhile."""
        for _ in range(_MAX_RESERVATIONS):
            ticket = self.reserve()
            if ticket.delay > 0:
                time.sleep(ticket.delay)
            if self.is_current(ticket):
                break
        return ticket

    async def await_turn(self) -> PaceTicket:
        """Reserve a slot and sleep until it comes (asyncio); reserve again if the pace slowed down meanwhile."""
        for _ in range(_MAX_RESERVATIONS):
            ticket = self.reserve()
            if ticket.delay > 0:
                await asyncio.sleep(ticket.delay)
            if self.is_current(ticket):
                break
        return ticket
