"""Benchmark `iosgen import` on a 450-line config (issue 12: under 0.5 s of process time).

    .venv/bin/python bench/bench_import.py [--runs 5]

1. The whole command, `iosgen import CONFIG -o SITE` in a fresh process (interpreter
   start, imports, reading, adopting, the proof build and diff, writing): its user +
   system CPU time (resource.RUSAGE_CHILDREN), best and median of the runs.
2. In this process, after one warm-up: `adopt()` alone, and `adopt()` with the proof
   (`prove()`: the build and the compare the command prints).

The config is tests/realconfigs/2600xm-ccp-pppoa-cbac.cfg (453 lines, a real 2600XM
with CBAC, PPPoA, DHCP pools and a banner).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CONFIG = ROOT / "tests" / "realconfigs" / "2600xm-ccp-pppoa-cbac.cfg"
GOAL = 0.5


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command_cpu(runs: int) -> list[float]:
    iosgen = Path(sys.executable).with_name("iosgen")
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(runs):
            site = Path(tmp) / f"site{n}.yaml"
            before = _child_cpu()
            subprocess.run(
                [str(iosgen), "import", str(CONFIG), "-o", str(site)],
                check=True,
                capture_output=True,
            )
            times.append(_child_cpu() - before)
    return times


def in_process(runs: int) -> tuple[list[float], list[float]]:
    from iosgen.adopt import adopt
    from iosgen.adopt.files import prove

    text = CONFIG.read_text(encoding="utf-8")
    prove(adopt(text, str(CONFIG)), text, str(CONFIG), None)  # warm-up: schemas, templates
    alone, proved = [], []
    for _ in range(runs):
        start = time.process_time()
        adopted = adopt(text, str(CONFIG))
        middle = time.process_time()
        prove(adopted, text, str(CONFIG), None)
        alone.append(middle - start)
        proved.append(time.process_time() - start)
    return alone, proved


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    lines = len(CONFIG.read_text(encoding="utf-8").splitlines())
    whole = command_cpu(args.runs)
    alone, proved = in_process(args.runs)
    print(f"config: {CONFIG.relative_to(ROOT)} ({lines} lines), {args.runs} runs")
    print(f"{'what':44} {'best':>8} {'median':>8}")
    for name, values in (
        ("iosgen import, whole process (CPU s)", whole),
        ("adopt() in process (CPU s)", alone),
        ("adopt() + proof build and diff (CPU s)", proved),
    ):
        print(f"{name:44} {min(values):8.3f} {statistics.median(values):8.3f}")
    verdict = "met" if statistics.median(whole) < GOAL else "NOT met"
    print(f"goal: the whole import under {GOAL} s of process time: {verdict}")


if __name__ == "__main__":
    main()
