"""Run one job per host on a worker pool; every host gets a result, whatever happens.

Like nornir: a host's exception becomes its result; one failing or
unreachable router never stops the others. Ctrl-C starts no further host,
lets the running jobs finish (a push completes or rolls back: stopping it
halfway would leave a router half-configured) and reports the hosts never
started as `Interrupted`.

Progress is the caller's: `on_start` and `on_done` are called once per host
(the CLI passes its rich bar, `iosgen.cli.progress`); nothing here draws.

Many workers are spread over forked processes, a thread pool in each (`processes`):
a session's client work is CPU (paramiko's packets and key exchange, netmiko's
reads, the compare), and one process's threads share one core through the GIL. A
job therefore returns what it found and keeps no state in the caller's memory; its
files (history records, backups, locks) are its own per host, as they are already.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

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

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.sharedctypes import Synchronized
    from multiprocessing.synchronize import Event

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
    processes: int | None = None,
) -> Results[R]:
    """Results in the order of `items`.

    `judge` says what a returned value means (drift is failed, a push changed
    the router); an exception is always failed. `on_start(host)` is called when
    a host's job starts, `on_done(result)` once per host when its result is known,
    including the hosts a Ctrl-C kept from starting. The callbacks are never
    called concurrently (a lock), from whichever thread ran the host, and always in
    this process.

    `processes`: how many forked processes share the `workers` (None: `auto_processes`;
    1: threads of this process only).
    """
    count = auto_processes(workers, len(items)) if processes is None else processes
    if count > 1 and len(items) > 1 and _can_fork():
        return _run_forked(items, job, key, workers, judge, on_start, on_done, count)
    return _run_threads(items, job, key, workers, judge, on_start, on_done)


# A process is worth forking for this many workers and hosts of its own: fewer threads
# than this rarely keep one core busy, and a fork costs a few ms.
THREADS_PER_PROCESS = 10
HOSTS_PER_PROCESS = 20


def usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def auto_processes(workers: int, hosts: int) -> int:
    """How many processes a run of `workers` over `hosts` spreads over by default.

    One per usable core, as long as each gets THREADS_PER_PROCESS workers and
    HOSTS_PER_PROCESS hosts; 1 when this process already runs other threads (a
    fork copies only the calling thread, and a lock another thread held then stays
    held in the child forever) or cannot fork.
    """
    if threading.active_count() > 1 or not _can_fork():
        return 1
    return max(1, min(usable_cores(), workers // THREADS_PER_PROCESS, hosts // HOSTS_PER_PROCESS))


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _run_threads(
    items: Sequence[T],
    job: Callable[[T], R],
    key: Callable[[T], str],
    workers: int,
    judge: Callable[[R], Verdict],
    on_start: Callable[[str], None],
    on_done: Callable[[HostResult[R]], None],
) -> Results[R]:
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


# --- workers in forked processes ------------------------------------------------------------
#
# The children inherit `items`, `job` and `judge` by the fork (nothing of them is
# pickled); they take the next host from one shared counter, so a slow router holds up
# only its own thread, and send ("start", index, host) and ("done", index, result) back
# on their own pipe. The callbacks run here, in the order the messages come.


def _rebuild_error(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class _ResultPickler(pickle.Pickler):
    """Pickles exceptions by their attributes: iosgen's take the host, message and hint
    as arguments that are not their `args`, so pickle's own way (`cls(*args)`) fails."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, BaseException):
            return _rebuild_error, (type(obj), obj.args, dict(vars(obj)))
        return NotImplemented


def _dumps(result: HostResult[Any]) -> bytes:
    buffer = io.BytesIO()
    try:
        _ResultPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(result)
    except Exception as exc:  # a value that cannot travel: the host's failure, said so
        error = DeviceError(result.host, f"result not returned from its worker process: {exc}")
        return _dumps(HostResult(result.host, None, error, failed=True, seconds=result.seconds))
    return buffer.getvalue()


# never a `_run_one` of a child: the signals the parent handles (Ctrl-C, and the
# push's SIGTERM and SIGHUP) reach a terminal's whole process group; the parent
# answers them by starting no further host, as a thread would never see them at all
_PARENT_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _child(
    items: Sequence[T],
    job: Callable[[T], R],
    key: Callable[[T], str],
    judge: Callable[[R], Verdict],
    threads: int,
    following: Synchronized[int],
    stop: Event,
    pipe: Connection,
    parent: int,
) -> None:
    """A forked worker process: its signals are the parent's to answer."""
    for signum in _PARENT_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    _serve(items, job, key, judge, threads, following, stop, pipe, parent)


def _serve(
    items: Sequence[T],
    job: Callable[[T], R],
    key: Callable[[T], str],
    judge: Callable[[R], Verdict],
    threads: int,
    following: Synchronized[int],
    stop: Event,
    pipe: Connection,
    parent: int | None,
) -> None:
    """`threads` workers taking hosts from `following` until none is left or `stop`,
    each host's start and result sent on `pipe`; `parent`: the pid to outlive (a child)."""
    send = threading.Lock()

    def take() -> int | None:
        # a parent gone (killed) starts nothing more: its children were its workers
        if stop.is_set() or (parent is not None and os.getppid() != parent):
            return None
        with following.get_lock():
            index = following.value
            if index >= len(items):
                return None
            following.value = index + 1
        return index

    def work() -> None:
        while (index := take()) is not None:
            host = key(items[index])
            with send:
                pipe.send(("start", index, host))
            data = _dumps(_run_one(items[index], host, job, judge))
            with send:
                pipe.send(("done", index, data))

    pool = [threading.Thread(target=work, name=f"iosgen-fleet-{n}") for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    pipe.close()


@contextlib.contextmanager
def _stop_on_signals(stop: Event) -> Iterator[None]:
    """While the children run: a signal that would raise here (Ctrl-C's KeyboardInterrupt,
    the push's `Stopped`) sets `stop` instead, after its own handler has noted it.

    Raised, it could land between two reads of a child's pipe and garble the next
    message; a thread pool's Ctrl-C means "start no further host", and so does `stop`.
    Signals with no handler of Python's (SIGTERM outside a push) keep their default.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only: nothing to catch here
        return
    old: dict[int, Any] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()
        with contextlib.suppress(KeyboardInterrupt):
            old[signum](signum, frame)

    for signum in _PARENT_SIGNALS:
        if callable(previous := signal.getsignal(signum)):
            old[signum] = previous
            signal.signal(signum, handler)
    try:
        yield
    finally:
        for number, before in old.items():
            signal.signal(number, before)


def _run_forked(
    items: Sequence[T],
    job: Callable[[T], R],
    key: Callable[[T], str],
    workers: int,
    judge: Callable[[R], Verdict],
    on_start: Callable[[str], None],
    on_done: Callable[[HostResult[R]], None],
    count: int,
) -> Results[R]:
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("fork")
    count = min(count, workers, len(items))
    following = context.Value("q", 0)
    stop = context.Event()
    # what a child would otherwise print again: the parent's unflushed output
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    shares = [workers // count + (1 if n < workers % count else 0) for n in range(count)]
    children: dict[Connection, Any] = {}
    # This process is one of the `count`: a child's heap is a copy-on-write of this
    # one, and each more child costs the pages its work touches. Frozen, this process's
    # objects are left alone by the children's collector (a full collection there would
    # write to every one of them, and copy every page the fork shares).
    gc.freeze()
    try:
        for n, threads in enumerate(shares[1:], 1):
            reader, writer = context.Pipe(duplex=False)
            args = (items, job, key, judge, threads, following, stop, writer, os.getpid())
            process = context.Process(target=_child, args=args, name=f"iosgen-fleet-{n}")
            process.start()
            writer.close()
            children[reader] = process
    finally:
        gc.unfreeze()
    # this process's own share, started once every fork is done (a fork copies only the
    # thread that calls it: none of these may be running then)
    reader, writer = context.Pipe(duplex=False)
    here = threading.Thread(
        target=_serve,
        args=(items, job, key, judge, shares[0], following, stop, writer, None),
        name="iosgen-fleet-0",
    )
    here.start()
    results: dict[int, HostResult[R]] = {}
    running: dict[Connection, dict[int, str]] = {r: {} for r in [reader, *children]}
    open_pipes = list(running)
    with _stop_on_signals(stop):
        while open_pipes:
            for ready in wait(open_pipes):
                reader = next(r for r in open_pipes if r is ready)
                try:
                    message = reader.recv()
                except EOFError:
                    open_pipes.remove(reader)
                    continue
                if message[0] == "start":
                    _, index, host = message
                    running[reader][index] = host
                    on_start(host)
                else:
                    _, index, data = message
                    running[reader].pop(index, None)
                    results[index] = pickle.loads(data)
                    on_done(results[index])
    here.join()
    for reader, process in children.items():
        process.join()
        for index, host in running[reader].items():  # its process died under it
            error = DeviceError(host, f"worker process ended (exit {process.exitcode})")
            results[index] = HostResult(host, None, error, failed=True)
            on_done(results[index])
    for index, item in enumerate(items):
        if index not in results:
            host = key(item)
            results[index] = HostResult(host, None, Interrupted(host), failed=True)
            on_done(results[index])
    return Results(results[i] for i in range(len(items)))
