"""Run one job per host on a worker pool; every host gets a result, whatever happens.

Like nornir: a host's exception becomes its result; one failing or
unreachable router never stops the others. Progress goes to stderr. Ctrl-C
starts no further host, lets the running jobs finish (a push completes or rolls
back: stopping it halfway would leave a router half-configured) and reports
the hosts never started as `Interrupted`.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Generic, TypeVar

from iosgen.errors import EXIT_FINDINGS, DeviceError, IosgenError

T = TypeVar("T")
R = TypeVar("R")


class Interrupted(IosgenError):
    """The run was interrupted (Ctrl-C) before this host's job started: it was not touched."""

    exit_code = EXIT_FINDINGS

    def __init__(self, host: str) -> None:
        super().__init__(f"{host}: not run: interrupted")
        self.host = host


@dataclass(frozen=True)
class HostResult(Generic[R]):
    host: str
    value: R | None
    error: IosgenError | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.error is None


def reason(error: IosgenError) -> str:
    """A host's failure as one line without `error:` or the hostname (the report names
    the host already): the same reason in text, JSON and JUnit."""
    message = error.message
    host = getattr(error, "host", None)
    if host and message.startswith(f"{host}: "):
        message = message[len(host) + 2 :]
    return f"{message}; {error.hint}" if error.hint else message


def _run_one(item: T, key: str, job: Callable[[T], R]) -> HostResult[R]:
    start = time.perf_counter()
    try:
        value = job(item)
    except IosgenError as exc:
        return HostResult(key, None, exc, time.perf_counter() - start)
    except Exception as exc:  # one host's bug must not stop the fleet
        error = DeviceError(key, f"unexpected {type(exc).__name__}: {exc}")
        return HostResult(key, None, error, time.perf_counter() - start)
    return HostResult(key, value, None, time.perf_counter() - start)


def run_fleet(
    items: Sequence[T],
    job: Callable[[T], R],
    *,
    key: Callable[[T], str],
    workers: int = 20,
    label: str = "hosts",
    progress: bool | None = None,
) -> list[HostResult[R]]:
    """Results in the order of `items`; a progress bar on stderr when it is a terminal."""
    show = sys.stderr.isatty() if progress is None else progress
    results: dict[int, HostResult[R]] = {}
    if len(items) <= 1:
        # in the calling thread: a Ctrl-C reaches the job itself (a push rolls back)
        return [_run_one(item, key(item), job) for item in items]
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    # Workers store their own results and count themselves in and out: a Ctrl-C can
    # land in the main thread anywhere (even inside `submit`, before the pool knows
    # its new thread), and no running job may be abandoned or forgotten.
    cond = threading.Condition()
    running = 0
    stopped = False

    def work(index: int, item: T) -> None:
        nonlocal running
        with cond:
            if stopped:
                return
            running += 1
        try:
            result = _run_one(item, key(item), job)
            with cond:
                results[index] = result
        finally:
            with cond:
                running -= 1
                cond.notify_all()

    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(items))))
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not show,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=len(items))
        try:
            futures = [pool.submit(work, index, item) for index, item in enumerate(items)]
            for future in as_completed(futures):
                future.result()
                bar.advance(task)
        except KeyboardInterrupt:
            # Ctrl-C: hosts not started yet are not started at all; the running ones
            # finish their job (a push rolls back or completes) and keep their result.
            with cond:
                stopped = True
            pool.shutdown(wait=False, cancel_futures=True)
            with cond:
                cond.wait_for(lambda: running == 0)
        finally:
            pool.shutdown(wait=True)
    for index, item in enumerate(items):
        if index not in results:
            results[index] = HostResult(key(item), None, Interrupted(key(item)), 0.0)
    return [results[i] for i in range(len(items))]
