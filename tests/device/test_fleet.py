"""The worker pool: order kept, every host a result, Ctrl-C stops hosts not yet started."""

from __future__ import annotations

import _thread
import threading
import time

from iosgen.errors import DeviceError
from iosgen.fleet.runner import Interrupted, run_fleet


def test_every_host_gets_a_result_in_order() -> None:
    def job(n: int) -> int:
        if n == 2:
            raise DeviceError(f"h{n}", "unreachable")
        if n == 3:
            raise ValueError("a bug")
        time.sleep(0.01 * (5 - n))
        return n * 10

    results = run_fleet(list(range(5)), job, key=lambda n: f"h{n}", workers=3, progress=False)
    assert [r.host for r in results] == ["h0", "h1", "h2", "h3", "h4"]
    assert [r.value for r in results] == [0, 10, None, None, 40]
    assert isinstance(results[2].error, DeviceError)
    assert (
        results[3].error is not None and "unexpected ValueError: a bug" in results[3].error.message
    )


def test_ctrl_c_leaves_hosts_not_started_untouched() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def job(n: int) -> int:
        with lock:
            started.append(n)
        if n == 0:
            _thread.interrupt_main()  # the operator presses Ctrl-C during host 0
        time.sleep(0.05)
        return n

    results = run_fleet(list(range(6)), job, key=lambda n: f"h{n}", workers=1, progress=False)
    assert results[0].value == 0
    skipped = [r for r in results if isinstance(r.error, Interrupted)]
    assert len(skipped) >= 4
    assert all(int(r.host[1:]) not in started for r in skipped)
    assert all(r.ok for r in results if r not in skipped)
