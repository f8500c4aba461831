"""Benchmark a thousand routers (issue 15): `audit --all` and `push --all` against the simulator.

    .venv/bin/python bench/bench_fleet1000.py [--routers 1000] [--workers 50] [--repeat 3]

One simulator process holds every router (one asyncio loop, one SSH port each, host keys
kept in --state so later runs skip the RSA key generation); iosgen runs as its console
script in another process, as an operator would run it:

1. `iosgen audit --all --workers 50 --format json` on routers that run exactly their
   build (every host in sync, exit 0): wall time, and the client's peak memory (the
   proportional set size of its process tree, sampled every 0.1 s: forked workers'
   shared pages count once) less that of the same audit with 20 workers (as many
   forked processes), over the 30 sessions more that were open at once: the memory one
   open session costs the client.
2. `iosgen push --all --yes --workers 50` of a 10-line change (each site gains 10
   `logging_hosts`: `logging 192.0.2.N`, none on the management path), the simulator's
   routers reset to their first config before each run; every host must be pushed.

Goals: (1) <= 15 s and <= 1 MB per open session; (2) <= 30 s. Medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_audit import demo_env, make_inventory  # noqa: E402

# workers of the memory baseline: 20, so that it forks as many processes as the 50-worker
# run (runner.THREADS_PER_PROCESS): the difference is sessions only, not a process's heap
FEW = 20
LOGGING = [f"192.0.2.{n}" for n in range(1, 11)]  # the 10-line change


def serve(specs: list[Any], state: Path, orders: Any, answers: Any) -> None:
    """The simulated fleet, in a process of its own; "reset" puts every router back."""
    import warnings

    warnings.simplefilter("ignore")
    from iosgen.sim import SimFleet

    with SimFleet(specs, state_dir=state) as fleet:
        answers.put(str(fleet.targets_file))
        while (order := orders.get()) != "stop":
            if order == "reset":
                for spec in specs:
                    fleet.router(spec.hostname).reset()
            answers.put(order)


def specs_of(inventory: Path) -> list[Any]:
    from iosgen.build.ios import render
    from iosgen.model.inventory import load_inventory
    from iosgen.sim import RouterSpec

    specs = []
    for site in load_inventory(inventory).sites:
        mgmt = site.management
        enable = mgmt.enable_secret.reveal() if mgmt.enable_secret is not None else None
        specs.append(
            RouterSpec(
                site.hostname, mgmt.username, mgmt.password.reveal(), enable, render(site).text
            )
        )
    return specs


def with_change(inventory: Path, changed: Path) -> None:
    """A copy of the inventory whose every site gains the 10 logging hosts."""
    shutil.copytree(inventory, changed)
    hosts = "".join(f"  - {a}\n" for a in LOGGING)
    for path in (changed / "sites").glob("*.yaml"):
        path.write_text(path.read_text() + f"logging_hosts:\n{hosts}")


def tree_pss_kib(pid: int) -> int:
    """Proportional set size of a process and its descendants (shared pages split among
    the processes that share them: a forked worker's copy-on-write pages count once)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def failures(out: str) -> str:
    """The statuses of a JSON report and its first few hosts that went wrong."""
    import collections
    import json

    try:
        data = json.loads(out)
    except ValueError:
        return out[-1500:]
    entries = data if isinstance(data, list) else [data]
    statuses = collections.Counter(str(e.get("status")) for e in entries)
    bad = [e for e in entries if e.get("status") not in ("pushed", "in_sync")][:3]
    return f"statuses {dict(statuses)}\n" + "\n".join(json.dumps(e)[:600] for e in bad)


@dataclass(frozen=True)
class Run:
    wall: float  # seconds, start to exit
    pss: int  # KiB, the process tree's peak
    cpu: float  # seconds of CPU, the process and its forked workers
    out: str


def cpu_of(pid: int) -> float:
    """User + system CPU seconds a running process has used (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_child(argv: list[str], expect: int) -> Run:
    """One iosgen process, which must exit `expect`."""
    import threading

    before = children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    chunks: dict[str, bytes] = {}
    peak = [0]
    finished = threading.Event()

    def sample() -> None:  # every 0.1 s while it runs
        while not finished.wait(0.1):
            peak[0] = max(peak[0], tree_pss_kib(proc.pid))

    threads = [
        threading.Thread(target=lambda n, f: chunks.__setitem__(n, f.read()), args=(n, f))
        for n, f in (("out", proc.stdout), ("err", proc.stderr))
    ]
    threads.append(threading.Thread(target=sample))
    for t in threads:
        t.start()
    code = proc.wait()
    finished.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if code != expect:
        tail = chunks["err"].decode(errors="replace")[-3000:]
        why = failures(chunks["out"].decode(errors="replace"))
        raise SystemExit(f"{' '.join(argv[1:3])}: exit {code}, expected {expect}\n{tail}{why}")
    return Run(wall, peak[0], children_cpu() - before, chunks["out"].decode(errors="replace"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routers", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--state", type=Path, default=Path(tempfile.gettempdir()) / "iosgen-bench-fleet"
    )
    parser.add_argument("--skip-push", action="store_true")
    args = parser.parse_args()
    demo_env()
    iosgen = str(Path(sys.executable).with_name("iosgen"))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        make_inventory(base / "inv", args.routers)
        with_change(base / "inv", base / "changed")
        specs = specs_of(base / "inv")
        context = multiprocessing.get_context("spawn")
        orders, answers = context.Queue(), context.Queue()
        started = time.perf_counter()
        server = context.Process(target=serve, args=(specs, args.state, orders, answers))
        server.start()
        try:
            targets = answers.get(timeout=900)
            print(
                f"{args.routers} simulated routers listening after "
                f"{time.perf_counter() - started:.1f} s"
            )
            common = ["--targets", targets, "--known-hosts", str(base / "kh")]
            audit = [iosgen, "audit", "--all", "-i", str(base / "inv"), *common]
            audit += ["--workers", str(args.workers), "--format", "json"]
            # the same run with 20 workers: the same inventory and results held, as
            # many processes, 30 sessions fewer open at once
            few = [*audit[:-4], "--workers", str(FEW), "--format", "json"]
            assert server.pid is not None
            sim_pid = server.pid
            pss_few = run_child(few, 0).pss
            audits: list[Run] = []
            pushes: list[Run] = []
            sims: dict[str, list[float]] = {"audit": [], "push": []}
            for _ in range(args.repeat):
                sim_before = cpu_of(sim_pid)
                run = run_child(audit, 0)
                sims["audit"].append(cpu_of(sim_pid) - sim_before)
                assert run.out.count('"status": "in_sync"') == args.routers, run.out[-500:]
                audits.append(run)
                print(
                    f"  audit --all: {run.wall:.2f} s, client CPU {run.cpu:.1f} s, "
                    f"simulator CPU {sims['audit'][-1]:.1f} s, peak PSS {run.pss / 1024:.0f} MiB"
                )
            push = [iosgen, "push", "--all", "--yes", "-i", str(base / "changed"), *common]
            push += ["--workers", str(args.workers), "--history", str(base / "history")]
            push += ["--format", "json"]
            for _ in range([args.repeat, 0][args.skip_push]):
                orders.put("reset")
                assert answers.get(timeout=120) == "reset"
                sim_before = cpu_of(sim_pid)
                run = run_child(push, 0)
                sims["push"].append(cpu_of(sim_pid) - sim_before)
                assert run.out.count('"status": "pushed"') == args.routers, run.out[-1500:]
                pushes.append(run)
                print(
                    f"  push --all: {run.wall:.2f} s, client CPU {run.cpu:.1f} s, "
                    f"simulator CPU {sims['push'][-1]:.1f} s"
                )
        finally:
            orders.put("stop")
            server.join(60)
    per_session = (statistics.median(r.pss for r in audits) - pss_few) / max(1, args.workers - FEW)
    load = os.getloadavg()[0]
    print(
        f"\n{args.routers} routers, {args.workers} workers, {os.cpu_count()} cores, "
        f"load average {load:.1f}, medians of {args.repeat}"
    )
    n = args.routers
    rows = [("audit --all", f"{statistics.median(r.wall for r in audits):.2f} s", "<= 15 s")]
    rows += [
        (
            "  client CPU per router",
            f"{statistics.median(r.cpu for r in audits) / n * 1000:.1f} ms",
            "",
        ),
        ("  simulator CPU per router", f"{statistics.median(sims['audit']) / n * 1000:.1f} ms", ""),
        ("client memory per open session", f"{per_session:.0f} KiB", "<= 1024 KiB"),
    ]
    if pushes:
        rows += [
            (
                "push --all, 10-line change",
                f"{statistics.median(r.wall for r in pushes):.2f} s",
                "<= 30 s",
            ),
            (
                "  client CPU per router",
                f"{statistics.median(r.cpu for r in pushes) / n * 1000:.1f} ms",
                "",
            ),
            (
                "  simulator CPU per router",
                f"{statistics.median(sims['push']) / n * 1000:.1f} ms",
                "",
            ),
        ]
    for name, value, goal in rows:
        print(f"{name:36} {value:>10}  {goal}")


if __name__ == "__main__":
    main()
