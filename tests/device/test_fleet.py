"""The worker pool: order kept, every host a result, Ctrl-C stops hosts not yet started."""

from __future__ import annotations

import _thread
import threading
import time

import pytest

from iosgen.errors import DeviceError
from iosgen.fleet.runner import HostResult, Interrupted, Verdict, run_fleet


def test_every_host_gets_a_result_in_order() -> None:
    def job(n: int) -> int:
        if n == 2:
            raise DeviceError(f"h{n}", "unreachable")
        if n == 3:
            raise ValueError("a bug")
        time.sleep(0.01 * (5 - n))
        return n * 10

    results = run_fleet(list(range(5)), job, key=lambda n: f"h{n}", workers=3)
    assert [r.host for r in results] == ["h0", "h1", "h2", "h3", "h4"]
    assert [r.value for r in results] == [0, 10, None, None, 40]
    assert isinstance(results[2].error, DeviceError)
    assert results.failed_hosts == ["h2", "h3"]
    assert results.exit_code == 3  # h2 unreachable (a bug is reported as a device error)
    assert (
        results[3].error is not None and "unexpected ValueError: a bug" in results[3].error.message
    )


@pytest.mark.parametrize("workers", [1, 3], ids=["one-worker", "three-workers"])
@pytest.mark.parametrize("count", [1, 5], ids=["one-host", "five-hosts"])
def test_callbacks_are_called_once_per_host(workers: int, count: int) -> None:
    started: list[str] = []
    done: list[HostResult[int]] = []

    def job(n: int) -> int:
        if n == 1:
            raise DeviceError("h1", "unreachable")
        return n

    results = run_fleet(
        list(range(count)),
        job,
        key=lambda n: f"h{n}",
        workers=workers,
        judge=lambda n: Verdict(changed=n == 0, failed=n == 4),
        on_start=started.append,
        on_done=done.append,
    )
    hosts = [f"h{n}" for n in range(count)]
    assert sorted(started) == hosts
    assert sorted(r.host for r in done) == hosts
    assert sorted(done, key=lambda r: r.host) == list(results)  # the same results
    assert [(r.changed, r.failed) for r in results][:1] == [(True, False)]
    assert results.failed_hosts == [h for h in ("h1", "h4") if h in hosts]


def test_ctrl_c_leaves_hosts_not_started_untouched() -> None:
    started: list[int] = []
    done: list[str] = []
    lock = threading.Lock()

    def job(n: int) -> int:
        with lock:
            started.append(n)
        if n == 0:
            _thread.interrupt_main()  # the operator presses Ctrl-C during host 0
        time.sleep(0.05)
        return n

    results = run_fleet(
        list(range(6)), job, key=lambda n: f"h{n}", workers=1, on_done=lambda r: done.append(r.host)
    )
    assert sorted(done) == [f"h{n}" for n in range(6)]  # the interrupted ones too
    assert results[0].value == 0
    skipped = [r for r in results if isinstance(r.error, Interrupted)]
    assert len(skipped) >= 4
    assert all(int(r.host[1:]) not in started for r in skipped)
    assert all(r.ok for r in results if r not in skipped)
    assert results.exit_code == 1  # interrupted hosts are failed, not unreachable
