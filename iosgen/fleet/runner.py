"""Run one job per host on a worker pool; every host gets a result, whatever happens.

Like nornir: a host's exception becomes its result; one failing or
unreachable router never stops the others. Ctrl-C starts no further host,
lets the running jobs finish (a push completes or rolls back: stopping it
halfway would leave a router half-configured) and reports the hosts never
started as `Interrupted`.

Progress is the caller's: `on_start` and `on_done` are called once per host
(the CLI passes its rich bar, `iosgen.cli.progress`); nothing here draws.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from iosgen.errors import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREACHABLE,
    DeviceError,
    InputError,
    IosgenError,
)
from iosgen.errors import Interrupted as Interrupted  # re-exported: fleet's own error

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class HostResult(Generic[R]):
    """One host's result in every fleet job (audit, push, plan, backup): Nornir's shape.

    `error` set means `failed`; `failed` without an error is a result the job
    judged bad (drift, a rolled-back push). `changed`: the router's config was
    changed (a push that stayed).
    """

    host: str
    value: R | None
    error: IosgenError | None = None
    changed: bool = False
    failed: bool = False
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if self.error is not None and not self.failed:
            raise ValueError(f"{self.host}: a result with an error is failed")

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def unreachable(self) -> bool:
        """The router could not be reached, logged into or driven (a DeviceError)."""
        return isinstance(self.error, DeviceError)


def exit_code(results: Iterable[HostResult[Any]]) -> int:
    """The one exit-code rule of every fleet command.

    2 if any host's input was bad (a saved config that is none), else 3 if any host
    was unreachable, else 1 if any failed (for audit, diff and verify a drifted host
    is failed), else 0.
    """
    listed = list(results)
    if any(isinstance(r.error, InputError) for r in listed):
        return EXIT_BAD_INPUT
    if any(r.unreachable for r in listed):
        return EXIT_UNREACHABLE
    if any(r.failed for r in listed):
        return EXIT_FINDINGS
    return EXIT_OK


class Results(list[HostResult[R]]):
    """The results of one fleet run, in the order of its items."""

    @property
    def failed_hosts(self) -> list[str]:
        return [r.host for r in self if r.failed]

    @property
    def exit_code(self) -> int:
        return exit_code(self)

    def values(self) -> list[R]:
        """The value of every host that has one, in order."""
        return [r.value for r in self if r.value is not None]


@dataclass(frozen=True)
class Verdict:
    """What a job's value means for its host (see HostResult)."""

    changed: bool = False
    failed: bool = False
    error: IosgenError | None = None


def _fine(_value: object) -> Verdict:
    return Verdict()


def noop(_arg: object) -> None:
    """The callback of a run nobody watches."""
    return None


def reason(error: IosgenError) -> str:
    """A host's failure as one line without `error:` or the hostname (the report names
    the host already): the same reason in text, JSON and JUnit."""
    message = error.message
    host = getattr(error, "host", None)
    if host and message.startswith(f"{host}: "):
        message = message[len(host) + 2 :]
    return f"{message}; {error.hint}" if error.hint else message


def _run_one(
    item: T, host: str, job: Callable[[T], R], judge: Callable[[R], Verdict]
) -> HostResult[R]:
    start = time.perf_counter()
    try:
        value = job(item)
    except IosgenError as exc:
        return HostResult(host, None, exc, failed=True, seconds=time.perf_counter() - start)
    except Exception as exc:  # one host's bug must not stop the fleet
        error = DeviceError(host, f"unexpected {type(exc).__name__}: {exc}")
        return HostResult(host, None, error, failed=True, seconds=time.perf_counter() - start)
    v = judge(value)
    failed = v.failed or v.error is not None
    return HostResult(host, value, v.error, v.changed, failed, time.perf_counter() - start)


def run_fleet(
    items: Sequence[T],
    job: Callable[[T], R],
    *,
    key: Callable[[T], str],
    workers: int = 20,
    judge: Callable[[R], Verdict] = _fine,
    on_start: Callable[[str], None] = noop,
    on_done: Callable[[HostResult[R]], None] = noop,
) -> Results[R]:
    """Results in the order of `items`.

    `judge` says what a returned value means (drift is failed, a push changed
    the router); an exception is always failed. `on_start(host)` is called when
    a host's job starts, `on_done(result)` once per host when its result is known,
    including the hosts a Ctrl-C kept from starting. The callbacks are never
    called concurrently (a lock), from whichever thread ran the host.
    """
    lock = threading.Lock()

    def started(host: str) -> None:
        with lock:
            on_start(host)

    def done(result: HostResult[R]) -> HostResult[R]:
        with lock:
            on_done(result)
        return result

    if len(items) <= 1:
        # in the calling thread: a Ctrl-C reaches the job itself (a push rolls back)
        out: Results[R] = Results()
        for item in items:
            host = key(item)
            started(host)
            out.append(done(_run_one(item, host, job, judge)))
        return out

    # Workers store their own results and count themselves in and out: a Ctrl-C can
    # land in the main thread anywhere (even inside `submit`, before the pool knows
    # its new thread), and no running job may be abandoned or forgotten.
    results: dict[int, HostResult[R]] = {}
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
            host = key(item)
            started(host)
            result = done(_run_one(item, host, job, judge))
            with cond:
                results[index] = result
        finally:
            with cond:
                running -= 1
                cond.notify_all()

    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(items))))
    try:
        futures = [pool.submit(work, index, item) for index, item in enumerate(items)]
        for future in as_completed(futures):
            future.result()
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
            host = key(item)
            results[index] = done(HostResult(host, None, Interrupted(host), failed=True))
    return Results(results[i] for i in range(len(items)))
