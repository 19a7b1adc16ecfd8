"""A stand-in for a batch run writing a results file: items finish in a scrambled order on threads, lines go out
in input order. ``python results_run.py PATH ITEMS [KILL_AFTER [TORN]]`` kills itself with SIGKILL once
KILL_AFTER lines are written (after writing half of the next line, with TORN)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from baidu_ocr._results_file import InOrderRelease, ResultLine, ResultsFile


def result_of(name: str) -> dict[str, object]:
    return {"log_id": 1, "words_result_num": 1, "words_result": [{"words": f"{name} 的文字"}]}


def run(path: str, items: int, kill_after: int | None, torn: bool) -> None:
    names = [f"scan-{index:03d}.png" for index in range(items)]
    with ResultsFile(path) as output:
        todo = [(index, name) for index, name in enumerate(names) if not output.resume.take((name, None))]
        lock = threading.Lock()

        def write(line: ResultLine) -> None:
            if kill_after is not None and output.written == kill_after:
                if torn:
                    os.write(os.open(path, os.O_WRONLY | os.O_APPEND), line.to_bytes()[:7])
                os.kill(os.getpid(), signal.SIGKILL)
            output.write(line)

        release: InOrderRelease[ResultLine] = InOrderRelease(write)
        gates = {index: threading.Event() for index, _ in todo}

        def work(position: int, index: int, name: str) -> None:
            # finish in a scrambled order: item k waits for the item after it in each pair
            partner = todo[position ^ 1][0] if position ^ 1 < len(todo) else None
            if position % 2 == 0 and partner is not None:
                gates[partner].wait(timeout=10)
            line = ResultLine(name, None, result=result_of(name))
            with lock:
                release.add(position, line)
            gates[index].set()

        with ThreadPoolExecutor(4) as pool:
            for position, (index, name) in enumerate(todo):
                pool.submit(work, position, index, name)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    run(
        arguments[0],
        int(arguments[1]),
        int(arguments[2]) if len(arguments) > 2 else None,
        len(arguments) > 3,
    )
