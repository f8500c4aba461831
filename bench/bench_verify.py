"""Benchmark `iosgen verify --all`: 100 simulated branches and one head office.

Run: .venv/bin/python bench/bench_verify.py [--branches 100] [--workers 20] [--runs 3]

The inventory (tests/network/netkit.py) is built by iosgen and served by one `SimFleet`
in this process; verify runs as its own process, as an operator runs it. Every tunnel
comes up, so each branch runs every check (show vpdn, show ip route, show ip interface
brief, two extended pings). Goal (issue 13): under 15 s with 20 workers. Also printed:
the fleet's resident memory per router with all tunnels up (goal: under 2 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "network"))

warnings.simplefilter("ignore")  # asyncssh's FFDH deprecation, once per session


def rss_kb() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * (resource.getpagesize() // 1024)


def main() -> None:
    from netkit import specs, write_inventory

    from iosgen.sim import SimFleet

    parser = argparse.ArgumentParser()
    parser.add_argument("--branches", type=int, default=100)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = write_inventory(Path(tmp) / "inv", args.branches)
        routers = specs(root)
        before = rss_kb()
        with SimFleet(routers, state_dir=Path(tmp) / "sim") as fleet:
            states = [fleet.router(s.hostname).tunnels() for s in routers]
            up = sum(v == "up" for t in states for v in t.values())
            per_router = (rss_kb() - before) / len(routers)
            print(f"{up} tunnels up; fleet memory {per_router:.0f} kB a router (RSS)")
            command = [
                sys.executable, "-m", "iosgen", "verify", "--all",
                "--inventory", str(root), "--targets", str(fleet.targets_file),
                "--known-hosts", str(Path(tmp) / "known_hosts"),
                "--workers", str(args.workers), "--format", "json",
            ]  # fmt: skip
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                done = subprocess.run(command, capture_output=True, text=True, env=os.environ)
                times.append(time.perf_counter() - start)
                bad = [h for h in json.loads(done.stdout or "[]") if not h["ok"]]
                if done.returncode != 0:
                    sys.exit(f"verify exited {done.returncode}: {bad[:2]} {done.stderr[-500:]}")
                hosts = json.loads(done.stdout)
                assert len(hosts) == args.branches + 1
            print(
                f"verify --all of {args.branches} branches + 1 head office, "
                f"{args.workers} workers: median {statistics.median(times):.1f} s "
                f"(runs {', '.join(f'{t:.1f}' for t in times)}; goal < 15 s)"
            )


if __name__ == "__main__":
    main()
