"""Benchmark of the IOS simulator with real netmiko (not a test): prints a table.

    .venv/bin/python bench/bench_sim.py [--routers 100] [--threads 20] [--repeat 15]

Goals (issue 3): connect <= 0.3 s; a 30-line send_config_set <= 0.4 s; 100 routers
with 20 client threads <= 6 s; <= 1 MB per idle simulated router.
"""

from __future__ import annotations

import argparse
import functools
import gc
import logging
import multiprocessing as mp
import os
import statistics
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from iosgen.sim import RouterSpec, SimFleet

ERRORS = r"% (Invalid input|Incomplete command|Ambiguous command)"
THIRTY = [
    line
    for n in range(10)
    for line in (
        f"interface Loopback{n}",
        f"description bench {n}",
        f"ip address 10.9.{n}.1 255.255.255.0",
    )
]


def connect(fleet: SimFleet, name: str) -> Any:
    from netmiko import ConnectHandler

    t = fleet.targets[name]
    return ConnectHandler(
        device_type="cisco_ios",
        host=t.host,
        port=t.port,
        username=t.username,
        password=t.password,
        secret=t.secret or "",
        conn_timeout=30,
    )


def serve(n: int, state: Path, ports: Any, done: Any) -> None:
    """The fleet in a child process (what `iosgen sim` is to its users)."""
    warnings.simplefilter("ignore")
    specs = [RouterSpec(f"B{i:03d}", "netops", "pw") for i in range(n)]
    with SimFleet(specs, state_dir=state) as fleet:
        ports.put(fleet.targets)
        done.wait()


def many(targets: dict[str, Any], threads: int) -> float:
    """Wall time for one session per router: connect, 3 config lines, show run, close."""
    from netmiko import ConnectHandler

    def job(name: str) -> None:
        t = targets[name]
        c = ConnectHandler(
            device_type="cisco_ios",
            host=t.host,
            port=t.port,
            username=t.username,
            password=t.password,
            conn_timeout=30,
        )
        c.send_config_set(THIRTY[:3], error_pattern=ERRORS)
        c.send_command("show running-config")
        c.disconnect()

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(job, sorted(targets)))
    return time.perf_counter() - start


def median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


ROOT = Path(__file__).resolve().parents[1]
# Configs whose load and print cost per line are measured: the example site's golden
# config and the largest real router config of the tests.
PER_LINE = (
    ROOT / "golden" / "R-ITD.cfg",
    ROOT / "tests" / "realconfigs" / "2600xm-ccp-pppoa-154.cfg",
)


def per_line_rows(repeat: int) -> list[tuple[str, str, str]]:
    """Start-up (the config loaded) and `show running-config` (NVGEN) cost per line."""
    from iosgen.sim.router import Router

    rows = []
    for path in PER_LINE:
        text = path.read_text(encoding="utf-8")
        lines = sum(1 for ln in text.splitlines() if ln.strip() and ln.strip() != "!")
        spec = RouterSpec("R", "netops", "pw", initial_config=text)
        router = Router(spec)
        boot = median(functools.partial(Router, spec), repeat)
        show = median(router.running_text, repeat)
        rows.append(
            (f"start-up per line, {path.name} ({lines})", f"{boot / lines * 1e6:.1f} us", "")
        )
        rows.append((f"show run per line, {path.name}", f"{show / lines * 1e6:.1f} us", ""))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--routers", type=int, default=100)
    ap.add_argument("--threads", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--per-line-only", action="store_true", help="only the per-line costs")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    rows: list[tuple[str, str, str]] = per_line_rows(args.repeat)
    if args.per_line_only:
        show_rows(rows)
        return
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp)
        # one router: connect, 30 lines, show running-config, save
        with SimFleet([RouterSpec("B1", "netops", "pw")], state_dir=state / "one") as fleet:
            connect(fleet, "B1").disconnect()  # warm-up (imports)

            def do_connect() -> None:
                connect(fleet, "B1").disconnect()

            rows.append(
                ("connect (median)", f"{median(do_connect, args.repeat):.3f} s", "<= 0.3 s")
            )
            conn = connect(fleet, "B1")

            def push30() -> None:
                conn.send_config_set(THIRTY, error_pattern=ERRORS)

            rows.append(
                (
                    "30-line send_config_set (median)",
                    f"{median(push30, args.repeat):.3f} s",
                    "<= 0.4 s",
                )
            )
            rows.append(
                (
                    "show running-config (median)",
                    f"{median(lambda: conn.send_command('show running-config'), args.repeat):.3f}"
                    " s",
                    "",
                )
            )
            rows.append(
                ("save: write mem (median)", f"{median(conn.save_config, args.repeat):.3f} s", "")
            )
            conn.disconnect()

        # many routers, a pool of client threads: the fleet in its own process (as
        # `iosgen sim` runs), then in this process (as tests run it: one GIL for both)
        specs = [RouterSpec(f"B{n:03d}", "netops", "pw") for n in range(args.routers)]
        with SimFleet(specs, state_dir=state / "many"):
            pass  # host keys generated once, outside the measurement
        ctx = mp.get_context("spawn")
        ports: Any = ctx.Queue()
        done = ctx.Event()
        child = ctx.Process(target=serve, args=(args.routers, state / "many", ports, done))
        child.start()
        targets = ports.get(timeout=120)
        rows.append(
            (
                f"{args.routers} routers (own process), {args.threads} threads: session each",
                f"{many(targets, args.threads):.2f} s",
                "<= 6 s",
            )
        )
        done.set()
        child.join(timeout=30)
        start = time.perf_counter()
        with SimFleet(specs, state_dir=state / "many") as fleet:
            started = time.perf_counter() - start
            wall = many(fleet.targets, args.threads)
        rows.append((f"start {args.routers} routers (keys on disk)", f"{started:.3f} s", ""))
        rows.append(
            (
                f"{args.routers} routers (same process), {args.threads} threads: session each",
                f"{wall:.2f} s",
                "",
            )
        )

        # memory of idle routers: Python heap (tracemalloc) and process RSS
        gc.collect()
        rss0 = rss_kib()
        tracemalloc.start()
        snap0 = tracemalloc.take_snapshot()
        fleet = SimFleet(specs, state_dir=state / "many")
        fleet.start()
        gc.collect()
        snap1 = tracemalloc.take_snapshot()
        rss1 = rss_kib()
        heap = sum(s.size_diff for s in snap1.compare_to(snap0, "filename"))
        tracemalloc.stop()
        fleet.stop()
        rows.append(
            (
                "memory per idle router (Python heap)",
                f"{heap / args.routers / 1024:.0f} KiB",
                "<= 1 MB",
            )
        )
        rows.append(
            (
                "memory per idle router (RSS delta)",
                f"{(rss1 - rss0) / args.routers:.0f} KiB",
                "<= 1 MB",
            )
        )

    show_rows(rows)


def show_rows(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>10}  goal")
    print(f"{'-' * width}  {'-' * 10}  ----")
    for name, value, goal in rows:
        print(f"{name:<{width}}  {value:>10}  {goal}")


if __name__ == "__main__":
    main()
