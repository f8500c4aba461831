"""Benchmark `iosgen push` on the simulator, beside a bare netmiko script.

Run: .venv/bin/python bench/bench_push.py [--runs 9] [--routers 100] [--workers 20]

1. A 30-line push to one router through iosgen's full flow (connect, fetch,
   remediate, guard, rollback point, send with per-line checks, fetch again and
   audit, write memory, delete the rollback point, history), beside a bare
   netmiko script doing only connect, `send_config_set` and `save_config`.
2. The same push to N routers with W workers.

Goals (issue 5): one router <= 1.2 s and within 1.6x of the bare script;
100 routers with 20 workers <= 12 s. Figures are medians of wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

warnings.simplefilter("ignore")  # asyncssh's FFDH deprecation, once per session

LINES = 30


def load_env() -> dict[str, str]:
    from iosgen.model.secret import read_env_file

    env = read_env_file(ROOT / "inventory" / "example.env")
    os.environ.update(env)
    return env


def sites(count: int):  # type: ignore[no-untyped-def]
    """(start site, target site) pairs: the target adds 30 static routes to R-ITD."""
    from iosgen.model.inventory import load_files, load_resolver
    from iosgen.model.site import Route

    base = load_files([ROOT / "inventory" / "sites" / "plovdiv.yaml"], load_resolver(None))
    itd = base.sites[0]
    routes = [
        Route(network=IPv4Network(f"10.200.{n}.0/24"), next_hop=IPv4Address("192.168.10.254"))
        for n in range(LINES)
    ]
    out = []
    for i in range(count):
        name = "R-ITD" if count == 1 else f"R-B{i:03d}"
        start = itd.model_copy(update={"hostname": name})
        out.append((start, start.model_copy(update={"routes": routes})))
    return out


def specs(pairs, env):  # type: ignore[no-untyped-def]
    from iosgen.build.ios import render
    from iosgen.sim import RouterSpec

    return [
        RouterSpec(
            start.hostname,
            "netops",
            env["IOSGEN_R_ITD_PASSWORD"],
            env["IOSGEN_R_ITD_ENABLE"],
            render(start).text,
        )
        for start, _ in pairs
    ]


def bare_netmiko(target, lines: list[str]) -> float:  # type: ignore[no-untyped-def]
    from netmiko import ConnectHandler

    start = time.perf_counter()
    conn = ConnectHandler(
        device_type="cisco_ios",
        host=target.host,
        port=target.port,
        username=target.username,
        password=target.password.reveal(),
        secret=target.enable_secret.reveal(),
    )
    conn.enable()
    conn.send_config_set(lines)
    conn.save_config()
    conn.disconnect()
    return time.perf_counter() - start


def one_router(runs: int, env: dict[str, str], tmp: Path) -> tuple[list[float], list[float], int]:
    from iosgen.build.ios import render
    from iosgen.device.session import DeviceOptions
    from iosgen.model.targets import read_targets_file
    from iosgen.push import PushOptions, Status, push_host
    from iosgen.sim import SimFleet

    ((start, site),) = sites(1)
    options = PushOptions(
        device=DeviceOptions(known_hosts=tmp / "known_hosts"),
        history_dir=tmp / "history",
        lock_dir=tmp / "locks",
    )
    ours: list[float] = []
    bare: list[float] = []
    sent = 0
    with SimFleet(specs([(start, site)], env), state_dir=tmp / "one") as fleet:
        target = read_targets_file(fleet.targets_file)["r-itd"]
        router = fleet.router("R-ITD")
        lines = [f"ip route 10.200.{n}.0 255.255.255.0 192.168.10.254" for n in range(LINES)]
        for _ in range(runs):
            router.set_running(render(start).text)
            t0 = time.perf_counter()
            outcome = push_host(site, target, options)
            ours.append(time.perf_counter() - t0)
            assert outcome.status is Status.PUSHED, outcome.message
            sent = len(outcome.lines)
            router.set_running(render(start).text)
            bare.append(bare_netmiko(target, lines))
    return ours, bare, sent


def _serve(specs_: list[object], state: Path, stop: object) -> None:
    """Child process: serve the simulated routers until `stop` is set."""
    import warnings as _warnings

    from iosgen.sim import SimFleet

    _warnings.simplefilter("ignore")
    with SimFleet(specs_, state_dir=state):  # type: ignore[arg-type]
        stop.wait()  # type: ignore[attr-defined]


def fleet_push(
    count: int, workers: int, env: dict[str, str], tmp: Path, separate: bool
) -> tuple[float, dict[str, int]]:
    """Push to `count` routers. `separate`: the simulator runs in its own process,
    so its asyncio loop does not share iosgen's interpreter lock."""
    import multiprocessing
    from collections import Counter

    from iosgen.device.session import DeviceOptions
    from iosgen.fleet.push import push_fleet
    from iosgen.model.targets import read_targets_file
    from iosgen.push import PushOptions
    from iosgen.sim import SimFleet

    pairs = sites(count)
    options = PushOptions(
        device=DeviceOptions(known_hosts=tmp / "known_hosts"),
        history_dir=tmp / "history",
        lock_dir=tmp / "locks",
    )
    state = tmp / ("fleet-proc" if separate else "fleet")

    def run(targets_file: Path) -> tuple[float, dict[str, int]]:
        targets = read_targets_file(targets_file)
        jobs = [(site, targets[site.hostname.lower()]) for _, site in pairs]
        t0 = time.perf_counter()
        outcomes = push_fleet(jobs, options, workers=workers)
        return time.perf_counter() - t0, dict(Counter(o.status.value for o in outcomes))

    if not separate:
        with SimFleet(specs(pairs, env), state_dir=state) as fleet:
            return run(fleet.targets_file)
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    child = context.Process(target=_serve, args=(specs(pairs, env), state, stop))
    child.start()
    targets_file = state / "sim-targets.yaml"
    deadline = time.monotonic() + 120
    while not targets_file.exists():  # the simulator writes it once every router listens
        if time.monotonic() > deadline or not child.is_alive():
            raise RuntimeError("the simulator process did not start")
        time.sleep(0.05)
    try:
        return run(targets_file)
    finally:
        stop.set()
        child.join(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--routers", type=int, default=100)
    parser.add_argument("--workers", type=int, default=20)
    args = parser.parse_args()
    env = load_env()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        ours, bare, sent = one_router(args.runs, env, tmp)
        fleet_seconds, counts = fleet_push(args.routers, args.workers, env, tmp, False)
        proc_seconds, proc_counts = fleet_push(args.routers, args.workers, env, tmp, True)
    mine, theirs = statistics.median(ours), statistics.median(bare)
    ratio = mine / theirs
    rows = [
        ("one router, iosgen full flow", f"{mine:.3f} s", f"{sent} lines", "<= 1.2 s"),
        ("one router, bare netmiko", f"{theirs:.3f} s", f"{LINES} lines", "-"),
        ("iosgen / bare", f"{ratio:.2f}x", "", "<= 1.6x"),
        (
            f"{args.routers} routers, {args.workers} workers",
            f"{fleet_seconds:.2f} s",
            ", ".join(f"{v} {k}" for k, v in counts.items()),
            "<= 12 s",
        ),
        (
            "  the same, simulator in its own process",
            f"{proc_seconds:.2f} s",
            ", ".join(f"{v} {k}" for k, v in proc_counts.items()),
            "<= 12 s",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'median':>9}  {'':<14}  goal")
    for name, value, note, goal in rows:
        print(f"{name:<{width}}  {value:>9}  {note:<14}  {goal}")
    print(f"(one-router runs: {args.runs}; min iosgen {min(ours):.3f} s, bare {min(bare):.3f} s)")


if __name__ == "__main__":
    main()
