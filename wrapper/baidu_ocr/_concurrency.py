"""What differs between the sync and the async client: sleeping, blocking work, running many calls in order.

The async client (``_async_client.py``) is the one source of both clients; ``scripts/unasync.py`` writes the sync
one by renaming each async name here to its sync twin (``asleep`` → ``sleep``, ``AsyncOrderedPool`` →
``OrderedPool``, …). Each pair has one job and two implementations, never a copy of the other.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

from ._errors import BaiduOCRError, InvalidOptionError

__all__ = ["AsyncOrderedPool", "OrderedPool", "arun_blocking", "asleep", "run_blocking", "sleep"]

ItemT = TypeVar("ItemT")
WorkT = TypeVar("WorkT")
ResultT = TypeVar("ResultT")


def sleep(seconds: float) -> None:
    """Wait ``seconds`` (the sync twin of :func:`asleep`)."""
    if seconds > 0:
        time.sleep(seconds)


async def asleep(seconds: float) -> None:
    """Wait ``seconds`` without blocking the event loop."""
    if seconds > 0:
        await asyncio.sleep(seconds)


def run_blocking(function: Callable[[], ResultT], *, inline: bool = False) -> ResultT:
    """Run ``function`` here (the sync twin of :func:`arun_blocking`)."""
    return function()


async def arun_blocking(function: Callable[[], ResultT], *, inline: bool = False) -> ResultT:
    """Run ``function`` (file reading, encoding) in a worker thread, off the event loop; ``inline`` when it is known
    to be quick (small bytes already in memory), where a thread hop would cost more than the work."""
    if inline:
        return function()
    return await asyncio.to_thread(function)


def _check(concurrency: int) -> int:
    if concurrency < 1:
        raise InvalidOptionError(f"concurrency must be at least 1, got {concurrency}")
    return concurrency


class OrderedPool(Generic[ItemT, WorkT, ResultT]):
    """Runs ``run`` on many prepared items in ``concurrency`` threads; yields outcomes in input order, reading the
    input lazily (at most ``2 * concurrency`` items ahead). Stopping early cancels what has not started."""

    def __init__(self, concurrency: int) -> None:
        self.concurrency = _check(concurrency)

    def map(
        self,
        items: Iterable[ItemT],
        prepare: Callable[[ItemT], WorkT | BaiduOCRError],
        run: Callable[[WorkT], ResultT],
    ) -> Iterator[tuple[int, ItemT, ResultT | BaiduOCRError]]:
        window: deque[Future[tuple[int, ItemT, ResultT | BaiduOCRError]]] = deque()
        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="baidu-ocr") as pool:
            try:
                for index, item in enumerate(items):
                    work = prepare(item)
                    if isinstance(work, BaiduOCRError):
                        done: Future[tuple[int, ItemT, ResultT | BaiduOCRError]] = Future()
                        done.set_result((index, item, work))
                        window.append(done)
                    else:
                        window.append(pool.submit(_outcome, index, item, run, work))
                    while len(window) > 2 * self.concurrency or (window and window[0].done()):
                        yield window.popleft().result()
                while window:
                    yield window.popleft().result()
            finally:  # the caller stopped early: send nothing more than what is already running
                for pending in window:
                    pending.cancel()


def _outcome(
    index: int, item: ItemT, run: Callable[[WorkT], ResultT], work: WorkT
) -> tuple[int, ItemT, ResultT | BaiduOCRError]:
    try:
        return index, item, run(work)
    except BaiduOCRError as error:
        return index, item, error


class AsyncOrderedPool(Generic[ItemT, WorkT, ResultT]):
    """Runs ``run`` on many prepared items, ``concurrency`` at a time, as asyncio tasks; yields outcomes in input
    order. Each item is prepared (read, encoded) in a worker thread. Stopping early cancels what is pending."""

    def __init__(self, concurrency: int) -> None:
        self.concurrency = _check(concurrency)

    async def map(
        self,
        items: Iterable[ItemT],
        prepare: Callable[[ItemT], WorkT | BaiduOCRError],
        run: Callable[[WorkT], Awaitable[ResultT]],
    ) -> AsyncIterator[tuple[int, ItemT, ResultT | BaiduOCRError]]:
        semaphore = asyncio.Semaphore(self.concurrency)

        async def outcome(
            index: int, item: ItemT, work: WorkT | BaiduOCRError
        ) -> tuple[int, ItemT, ResultT | BaiduOCRError]:
            if isinstance(work, BaiduOCRError):
                return index, item, work
            async with semaphore:
                try:
                    return index, item, await run(work)
                except BaiduOCRError as error:
                    return index, item, error

        window: deque[asyncio.Task[tuple[int, ItemT, ResultT | BaiduOCRError]]] = deque()
        try:
            for index, item in enumerate(items):
                work = await asyncio.to_thread(prepare, item)
                window.append(asyncio.ensure_future(outcome(index, item, work)))
                while len(window) > 2 * self.concurrency or (window and window[0].done()):
                    yield await window.popleft()
            while window:
                yield await window.popleft()
        finally:
            for task in window:
                task.cancel()
