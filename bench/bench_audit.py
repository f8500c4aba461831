"""Benchmark the drift audit: 1,000 saved configs, a bare hier_config loop, 100 live routers.

    .venv/bin/python bench/bench_audit.py [--sites 1000] [--live 100] [--workers 20]

1. `iosgen audit --all --from DIR --format json`, in-process (typer's runner), on
   an inventory of N generated sites and their saved configs of about 150 lines
   (a third with drift): wall time, on the cores the process may use (2 here).
2. On the same files, a bare hier_config loop: parse intended and running, build
   the remediation (`WorkflowRemediation(...).remediation_config`), one core.
3. `iosgen audit --host ... --targets FILE` against N simulated routers, 20 workers
   (the simulator runs in a process of its own, as the routers would be other
   machines; iosgen in this one).

Goals (issue 4): (1) <= 4 s and <= 1.5x (2); (3) <= 8 s. Prints a table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEMPLATES = ("plovdiv.yaml", "ruse.yaml", "varna.yaml")


def demo_env() -> None:
    from iosgen.model.secret import read_env_file

    os.environ.update(read_env_file(ROOT / "inventory" / "example.env"))


def make_inventory(root: Path, count: int) -> list[str]:
    """N sites cloned from the example IOS sites: own hostname, LAN and WAN addresses."""
    import shutil

    (root / "sites").mkdir(parents=True)
    shutil.copy(ROOT / "inventory" / "defaults.yaml", root / "defaults.yaml")
    shutil.copytree(ROOT / "inventory" / "groups", root / "groups")
    texts = [(ROOT / "inventory" / "sites" / t).read_text() for t in TEMPLATES]
    lans = ("192.168.10.", "192.168.30.", "192.168.20.")
    hosts = []
    for i in range(count):
        k = i % len(texts)
        host = f"R-B{i:04d}"
        net = f"172.{16 + i // 250}.{i % 250}."
        text = texts[k].replace(lans[k], net)
        for old in ("R-ITD", "R-RUSE", "R-VARNA"):
            text = text.replace(f"hostname: {old}", f"hostname: {host}")
        (root / "sites" / f"{host}.yaml").write_text(text)
        hosts.append(host)
    return hosts


HEADER = "Building configuration...\n\nCurrent configuration : 2028 bytes\n!\n"
DRIFTS = (
    (" mtu 1460", " mtu 1400"),
    ("ppp encrypt mppe auto", "ppp encrypt mppe 40"),
    (
        "scheduler allocate",
        "logging 192.0.2.9\nsnmp-server community public RO\nscheduler allocate",
    ),
    (" description ", " description changed "),
)


def saved_configs(inventory: Path, folder: Path) -> dict[str, str]:
    """Each site's build as the router prints it; every third with some drift."""
    from iosgen.build.ios import render
    from iosgen.model.inventory import load_inventory

    rng = random.Random(4)
    folder.mkdir(parents=True)
    intended = {}
    for i, site in enumerate(load_inventory(inventory).sites):
        text = render(site).text
        intended[site.hostname] = text
        running = text
        if i % 3 == 0:
            for old, new in rng.sample(DRIFTS, 2):
                running = running.replace(old, new, 1)
        (folder / f"{site.hostname}.cfg").write_text(HEADER + running + "\n")
    return intended


def bench_saved(inventory: Path, folder: Path, repeat: int) -> tuple[list[float], int]:
    from typer.testing import CliRunner

    from iosgen.cli import app

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = CliRunner().invoke(
            app,
            ["audit", "--all", "-i", str(inventory), "--from", str(folder), "--format", "json"],
        )
        times.append(time.perf_counter() - start)
        assert result.exit_code == 1, result.output[-2000:]
    return times, result.stdout.count('"status": "drift"')


def bench_hier_config(folder: Path, intended: dict[str, str], repeat: int) -> list[float]:
    from hier_config import Platform, WorkflowRemediation, get_hconfig

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for host, text in intended.items():
            running = (folder / f"{host}.cfg").read_text()
            work = WorkflowRemediation(
                get_hconfig(Platform.CISCO_IOS, running), get_hconfig(Platform.CISCO_IOS, text)
            )
            work.remediation_config  # noqa: B018  (the property computes it)
        times.append(time.perf_counter() - start)
    return times


def _serve(specs: list[object], state: Path, ready: Any, stop: Any) -> None:
    """The simulated fleet in a process of its own, as real routers would be."""
    from iosgen.sim import SimFleet

    with SimFleet(specs, state_dir=state) as fleet:  # type: ignore[arg-type]
        ready.put(str(fleet.targets_file))
        stop.wait()


def bench_live(
    inventory: Path, hosts: list[str], workers: int, state: Path, repeat: int
) -> list[float]:
    import multiprocessing

    from typer.testing import CliRunner

    from iosgen.build.ios import render
    from iosgen.cli import app
    from iosgen.model.inventory import load_inventory
    from iosgen.sim import RouterSpec

    sites = {s.hostname: s for s in load_inventory(inventory).sites}
    specs: list[object] = []
    for h in hosts:
        mgmt = sites[h].management
        enable = mgmt.enable_secret.reveal() if mgmt.enable_secret is not None else None
        specs.append(
            RouterSpec(h, mgmt.username, mgmt.password.reveal(), enable, render(sites[h]).text)
        )
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Queue(), context.Event()
    server = context.Process(target=_serve, args=(specs, state, ready, stop))
    server.start()
    try:
        targets = ready.get(timeout=120)
        args = ["audit", "-i", str(inventory), "--targets", targets]
        args += ["--known-hosts", str(state / "kh"), "--workers", str(workers)]
        for h in hosts:
            args += ["--host", h]
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            result = CliRunner().invoke(app, args)
            times.append(time.perf_counter() - start)
            assert result.exit_code == 0, result.output[-2000:]
    finally:
        stop.set()
        server.join(30)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--live", type=int, default=100)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (best shown)")
    args = parser.parse_args()
    demo_env()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        hosts = make_inventory(base / "inv", args.sites)
        intended = saved_configs(base / "inv", base / "saved")
        lines = sum(len(t.splitlines()) for t in intended.values()) / len(intended)
        saved, drifted = bench_saved(base / "inv", base / "saved", args.repeat)
        bare = bench_hier_config(base / "saved", intended, args.repeat)
        live = bench_live(base / "inv", hosts[: args.live], args.workers, base / "sim", args.repeat)
    rows = [
        (
            f"audit --from DIR, {args.sites} configs (~{lines:.0f} lines, {drifted} drifted)",
            saved,
            "<= 4 s",
        ),
        (f"bare hier_config loop, same {args.sites} files (1 core)", bare, ""),
        (f"live audit, {args.live} simulated routers, {args.workers} workers", live, "<= 8 s"),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\niosgen audit benchmark ({cores} cores usable, load average {load:.1f}, "
        f"Python {sys.version.split()[0]}, best and median of {args.repeat})"
    )
    print(f"{'measure':<70} {'best':>7} {'median':>7}  goal")
    for name, times, goal in rows:
        print(f"{name:<70} {min(times):>6.2f}s {statistics.median(times):>6.2f}s  {goal}")
    ratio = min(saved) / min(bare)
    print(f"{'  ratio audit / hier_config (best)':<70} {ratio:>6.2f}x {'':>7}  <= 1.5x")


if __name__ == "__main__":
    main()
