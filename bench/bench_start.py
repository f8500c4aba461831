"""Benchmark iosgen's start-up (issue 15 item 4): `iosgen build SITE` against a bare Python.

    .venv/bin/python bench/bench_start.py [--runs 31]

Each run is a fresh process, start to exit, timed by wall clock and by its CPU time
(user + system, from `wait4`: on a loaded 2-core machine the CPU time says what the
process itself costs, the wall clock what a person waits). Runs of the four commands
are interleaved, so a burst of load elsewhere touches all of them alike.

- bare: a Python that imports typer, pydantic, jinja2 and PyYAML and renders one
  template (the floor any typer + pydantic + jinja2 tool starts from);
- `iosgen build inventory/sites/plovdiv.yaml` (the seed router, secrets masked);
- `iosgen --help`, and the shell-completion request bash sends on TAB
  (`_IOSGEN_COMPLETE=complete_bash`, `COMP_WORDS="iosgen bu"`).

Byte-code: `pip install` compiles a package's .pyc files; an editable install under
PYTHONDONTWRITEBYTECODE=1 (as this sandbox runs) would compile iosgen's ~130 modules
from source on every start, ~60 ms that no installed copy pays. So every command runs
with PYTHONPYCACHEPREFIX set to a scratch folder, after one warm-up run that fills it.

This machine's speed swings by a third within minutes (a process's CPU time with it),
so a run interleaves 31 rounds by default: fewer let one slow phase move the ratio.

Goals: build <= 1.5x bare (median wall); --help and completion < 0.3 s. The median of
each round's own ratio is printed too: it is steadier when the machine's speed drifts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from iosgen.model.secret import read_env_file  # the parent only: each run is a fresh process

ROOT = Path(__file__).resolve().parents[1]
BARE = """\
import jinja2, pydantic, typer, yaml
print(jinja2.Environment().from_string("hostname {{ h }}").render(h="R-ITD"))
"""
RATIO_GOAL = 1.5
HELP_GOAL = 0.3


def demo_env() -> dict[str, str]:
    """The example inventory's demo secrets (inventory/example.env), as the README runs it."""
    return {**os.environ, **read_env_file(ROOT / "inventory" / "example.env")}


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one process, start to exit; it must exit 0."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)}: exit {proc.returncode}\n{err.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    python = sys.executable
    iosgen = str(Path(python).with_name("iosgen"))
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE)
        env = demo_env()
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        complete = env | {
            "_IOSGEN_COMPLETE": "complete_bash",
            "COMP_WORDS": "iosgen bu",
            "COMP_CWORD": "1",
        }
        commands = {
            "bare python (typer, pydantic, jinja2, yaml, 1 template)": ([python, str(bare)], env),
            "iosgen build inventory/sites/plovdiv.yaml": (
                [iosgen, "build", "inventory/sites/plovdiv.yaml"],
                env,
            ),
            "iosgen --help": ([iosgen, "--help"], env),
            "iosgen shell completion (bash, TAB after `bu`)": ([iosgen], complete),
        }
        for argv, e in commands.values():  # warm-up: byte-code into the scratch cache
            timed(argv, e)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (argv, e) in commands.items():
                wall, cpu = timed(argv, e)
                walls[name].append(wall)
                cpus[name].append(cpu)
    load = os.getloadavg()[0]
    print(f"start-up, {args.runs} interleaved runs, load average {load:.1f}, medians")
    print(f"{'command':58} {'wall':>7} {'cpu':>7}")
    for name in commands:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:58} {wall:6.3f}s {cpu:6.3f}s")
    names = list(commands)
    ratio = statistics.median(walls[names[1]]) / statistics.median(walls[names[0]])
    cpu_ratio = statistics.median(cpus[names[1]]) / statistics.median(cpus[names[0]])
    verdict = "met" if ratio <= RATIO_GOAL else "NOT met"
    print(f"ratio build / bare: {ratio:.2f}x wall, {cpu_ratio:.2f}x cpu", end=" ")
    print(f"(goal <= {RATIO_GOAL}x: {verdict})")
    # Each round's build over the same round's bare run: a drift in the machine's speed
    # over the minutes of a run touches both sides of each pair alike.
    paired = statistics.median(b / a for a, b in zip(walls[names[0]], walls[names[1]], strict=True))
    print(f"median of the {args.runs} rounds' own ratios: {paired:.2f}x wall")
    for name in names[2:]:
        wall = statistics.median(walls[name])
        verdict = "met" if wall < HELP_GOAL else "NOT met"
        print(f"{name}: {wall:.3f}s (goal < {HELP_GOAL}s: {verdict})")


if __name__ == "__main__":
    main()
