"""run_fleet over forked processes: the same results, callbacks and Ctrl-C as threads."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from iosgen.errors import ConfigLineError, DeviceError, InputError, Interrupted, Problem
from iosgen.fleet.runner import (
    HOSTS_PER_PROCESS,
    THREADS_PER_PROCESS,
    HostResult,
    Verdict,
    auto_processes,
    run_fleet,
    usable_cores,
)

HOSTS = [f"R{n:02d}" for n in range(24)]


def test_results_keep_order_and_callbacks_run_here() -> None:
    started: list[str] = []
    done: list[str] = []
    me = os.getpid()

    def job(host: str) -> tuple[str, int]:
        time.sleep(0.1)  # long enough for every process to take some hosts
        return host, os.getpid()

    results = run_fleet(
        HOSTS,
        job,
        key=str,
        workers=6,
        processes=3,
        judge=lambda value: Verdict(changed=value[0].endswith("3")),
        on_start=lambda host: started.append(host),
        on_done=lambda r: done.append(r.host),
    )
    assert [r.host for r in results] == HOSTS
    assert [r.value[0] for r in results if r.value] == HOSTS
    pids = {r.value[1] for r in results if r.value}
    # this process does its share; the others ran in the forked children
    assert me in pids and 2 <= len(pids) <= 3
    assert sorted(started) == sorted(done) == HOSTS  # each once, in this process
    assert [r.host for r in results if r.changed] == ["R03", "R13", "R23"]


def _fail(host: str) -> str:
    number = int(host[1:])
    if number % 3 == 0:
        raise DeviceError(host, "connection refused", "is the router up?")
    if number % 3 == 1:
        raise ConfigLineError(host, "ip nat inside", "% Invalid input detected", 4)
    raise InputError([Problem(f"{host}.cfg", 3, 1, "", "not a config")])


def test_errors_come_back_whole() -> None:
    # iosgen's errors take arguments that are not their `args`: pickle alone cannot
    # rebuild them; their type, attributes and lines must survive the trip
    in_process = {host: _error_of(host) for host in HOSTS[:6]}
    results = run_fleet(HOSTS[:6], _fail, key=str, workers=4, processes=2)
    for result in results:
        want = in_process[result.host]
        assert result.failed and type(result.error) is type(want)
        assert result.error is not None and result.error.lines() == want.lines()
        assert result.error.exit_code == want.exit_code
    assert [r.unreachable for r in results] == [True, True, False] * 2


def _error_of(host: str) -> Exception:
    try:
        _fail(host)
    except Exception as exc:
        return exc
    raise AssertionError(host)


def test_a_value_that_cannot_travel_is_that_hosts_failure() -> None:
    results = run_fleet(
        HOSTS[:4],
        lambda host: threading.Lock() if host == "R01" else host,  # a lock never pickles
        key=str,
        workers=2,
        processes=2,
    )
    assert [r.value for r in results] == ["R00", None, "R02", "R03"]
    assert results[1].error is not None
    assert "result not returned from its worker process" in results[1].error.message


def test_a_worker_process_that_dies_fails_its_hosts_only() -> None:
    me = os.getpid()

    def job(host: str) -> str:
        if os.getpid() != me:
            os._exit(9)  # the child is gone mid-host, as under the OOM killer
        time.sleep(0.02)
        return host

    results = run_fleet(HOSTS, job, key=str, workers=2, processes=2)
    dead = [r for r in results if r.failed]
    # the child's one host, failed with why; this process did every other
    assert len(dead) == 1 and isinstance(dead[0].error, DeviceError)
    assert "worker process ended (exit 9)" in dead[0].error.message
    assert [r.value for r in results if r.ok] == [h for h in HOSTS if h != dead[0].host]


CTRL_C = """
import os, signal, sys, time
from iosgen.errors import Interrupted
from iosgen.fleet.runner import run_fleet

hosts = [f"R{n:02d}" for n in range(40)]
sent = []

def on_start(host):
    if not sent:  # Ctrl-C at a terminal: the whole process group gets SIGINT
        sent.append(host)
        os.killpg(0, signal.SIGINT)

def job(host):
    time.sleep(0.3)
    return host

results = run_fleet(hosts, job, key=str, workers=4, processes=2, on_start=on_start)
ran = [r.host for r in results if r.value == r.host]
stopped = [r.host for r in results if isinstance(r.error, Interrupted)]
print(len(ran), len(stopped), len(ran) + len(stopped) == len(hosts), flush=True)
"""


def test_ctrl_c_starts_no_further_host_and_lets_running_ones_finish() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CTRL_C],
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,  # its own process group, for its own Ctrl-C
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    ran, stopped, whole = proc.stdout.split()
    assert whole == "True"
    # the 4 workers had their first hosts running: those finished, nothing after them
    assert 1 <= int(ran) <= 8 and int(stopped) >= 32


def test_one_process_runs_threads_here() -> None:
    results = run_fleet(HOSTS[:3], lambda host: os.getpid(), key=str, workers=3, processes=1)
    assert {r.value for r in results} == {os.getpid()}


@pytest.mark.parametrize(
    ("workers", "hosts", "expected"),
    [
        (50, 1000, min(usable_cores(), 50 // THREADS_PER_PROCESS)),
        (THREADS_PER_PROCESS - 1, 1000, 1),
        (50, HOSTS_PER_PROCESS * 2 - 1, 1),
        (20, 5, 1),
    ],
    ids=["many-workers-many-hosts", "few-workers", "few-hosts", "small-run"],
)
def test_auto_processes(
    workers: int, hosts: int, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the choice for a process running no other thread (earlier tests of a whole run may
    # leave one, e.g. a simulator's; the threaded case is the next test)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert auto_processes(workers, hosts) == expected


def test_auto_processes_stays_in_a_threaded_process() -> None:
    # a fork copies the calling thread only: with another thread running, no fork
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert auto_processes(50, 1000) == 1
    finally:
        stop.set()
        other.join()


def test_a_whole_run_has_no_interrupted_host() -> None:
    # a result per item, each of them good, when nothing stops the run (a guard for
    # the message loop's bookkeeping: a result lost would show as Interrupted)
    start = time.perf_counter()

    def slow(host: str) -> str:
        time.sleep(0.05)
        return host

    results = run_fleet(HOSTS, slow, key=str, workers=8, processes=2)
    assert time.perf_counter() - start < 30
    assert all(isinstance(r, HostResult) and r.ok for r in results)
    assert not any(isinstance(r.error, Interrupted) for r in results)
