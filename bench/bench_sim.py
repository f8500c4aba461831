"""Benchmark of the IOS simulator with real netmiko (not a test): prints a table.

    .venv/bin/python bench/bench_sim.py [--routers 100] [--threads 20] [--repeat 15]
    .venv/bin/python bench/bench_sim.py --fleet 200 [--profile sim.prof] [--repeat 1]

Goals (issue 3): connect <= 0.3 s; a 30-line send_config_set <= 0.4 s; 100 routers
with 20 client threads <= 6 s; <= 1 MB per idle simulated router.

`--fleet N`: the simulator's side of issue 15's fleet benchmark (bench_fleet1000.py's
inventory, change and commands): one simulator process serving N routers to `iosgen
audit --all` and `iosgen push --all` (50 workers), and the simulator's CPU per router
for each (medians of --repeat); `--profile FILE` also writes a cProfile of the
simulator's event loop thread, where it does all its work, over the runs.
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


def serve_profiled(specs: list[Any], state: Path, orders: Any, answers: Any) -> None:
    """The fleet in a process of its own; "reset", "profile FILE" (start a cProfile of
    the event loop's thread), "dump" (write it), "stop"."""
    import asyncio
    import cProfile

    warnings.simplefilter("ignore")
    profiler = cProfile.Profile()
    out = ""
    with SimFleet(specs, state_dir=state) as fleet:
        answers.put(str(fleet.targets_file))

        async def on_loop(enable: bool) -> None:  # cProfile sees the thread it runs on
            profiler.enable() if enable else profiler.disable()

        def loop_call(enable: bool) -> None:
            assert fleet._loop is not None  # the bench looks inside the fleet
            asyncio.run_coroutine_threadsafe(on_loop(enable), fleet._loop).result(30)

        while (order := orders.get()) != "stop":
            if order == "reset":  # outside the profile: no client waits on it
                if out:
                    loop_call(False)
                for spec in specs:
                    fleet.router(spec.hostname).reset()
                if out:
                    loop_call(True)
            elif order.startswith("profile "):
                out = order.split(" ", 1)[1]
                loop_call(True)
            elif order == "dump":
                loop_call(False)
                profiler.dump_stats(out)
                out = ""
            answers.put(order)


def fleet_rows(routers: int, workers: int, repeat: int, profile: str | None) -> None:
    """Simulator CPU per router for an audit and a 10-line push of `routers` routers."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_audit import demo_env, make_inventory
    from bench_fleet1000 import cpu_of, run_child, specs_of, with_change

    demo_env()
    iosgen = str(Path(sys.executable).with_name("iosgen"))
    state = Path(tempfile.gettempdir()) / "iosgen-bench-sim-fleet"
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        make_inventory(base / "inv", routers)
        with_change(base / "inv", base / "changed")
        specs = specs_of(base / "inv")
        ctx = mp.get_context("spawn")
        orders, answers = ctx.Queue(), ctx.Queue()
        server = ctx.Process(target=serve_profiled, args=(specs, state, orders, answers))
        server.start()
        assert server.pid is not None

        def order(what: str) -> None:
            orders.put(what)
            assert answers.get(timeout=300) == what

        try:
            targets = answers.get(timeout=900)
            common = ["--targets", targets, "--known-hosts", str(base / "kh")]
            common += ["--workers", str(workers), "--format", "json"]
            audit = [iosgen, "audit", "--all", "-i", str(base / "inv"), *common]
            push = [iosgen, "push", "--all", "--yes", "-i", str(base / "changed"), *common]
            push += ["--history", str(base / "history")]
            run_child(audit, 0)  # warm-up: known hosts accepted, imports done
            if profile:
                order(f"profile {profile}")
            sims: dict[str, list[float]] = {"audit": [], "push": []}
            for _ in range(repeat):
                before = cpu_of(server.pid)
                run = run_child(audit, 0)
                sims["audit"].append(cpu_of(server.pid) - before)
                assert run.out.count('"status": "in_sync"') == routers, run.out[-500:]
                order("reset")
                before = cpu_of(server.pid)
                run = run_child(push, 0)
                sims["push"].append(cpu_of(server.pid) - before)
                assert run.out.count('"status": "pushed"') == routers, run.out[-1500:]
                order("reset")
            if profile:
                order("dump")
        finally:
            orders.put("stop")
            server.join(60)
    print(
        f"{routers} routers, {workers} workers, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, medians of {repeat}"
        + (" (under cProfile)" if profile else "")
    )
    show_rows(
        [
            (
                f"simulator CPU per router, {kind}",
                f"{statistics.median(v) / routers * 1e3:.1f} ms",
                "",
            )
            for kind, v in sims.items()
        ]
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--routers", type=int, default=100)
    ap.add_argument("--threads", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--per-line-only", action="store_true", help="only the per-line costs")
    ap.add_argument("--fleet", type=int, metavar="N", help="audit and push N routers only")
    ap.add_argument("--workers", type=int, default=50, help="with --fleet")
    ap.add_argument("--profile", metavar="FILE", help="with --fleet: cProfile the simulator")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    if args.fleet:
        fleet_rows(args.fleet, args.workers, args.repeat, args.profile)
        return
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
