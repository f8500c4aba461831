"""Run one job per host on a worker pool; every host gets a result, whatever happens.

Like nornir: a host's exception becomes its result; one failing or
unreachable router never stops the others. Progress goes to stderr.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Generic, TypeVar

from iosgen.errors import DeviceError, IosgenError

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class HostResult(Generic[R]):
    host: str
    value: R | None
    error: IosgenError | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.error is None


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
    if len(items) == 1 or workers <= 1:
        for index, item in enumerate(items):
            results[index] = _run_one(item, key(item), job)
        return [results[i] for i in range(len(items))]
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with (
        ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=not show,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task(label, total=len(items))
        futures = {pool.submit(_run_one, item, key(item), job): i for i, item in enumerate(items)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            bar.advance(task)
    return [results[i] for i in range(len(items))]
