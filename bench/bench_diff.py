"""Benchmark `diff` on a running config with many extra route-maps (issue 9 item 9).

    .venv/bin/python bench/bench_diff.py [--small 1000] [--large 5000] [--repeat 3]

The router's running config is R-ITD's intended build plus N route-maps the model
does not have (each with a match clause on an ACL of its own), so the comparison,
the remediation (N `no route-map` steps, N `no access-list`) and the rollback all
grow with N. Times `audit_text` (what `iosgen diff` runs after reading the files),
median of --repeat runs for each N, and prints the ratio large/small.

Goal: the time for 5,000 route-maps at most 6x the time for 1,000 (linear would be 5x).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def intended_and_book() -> tuple[str, object]:
    from iosgen.build.ios import render
    from iosgen.diff.audit import secret_book
    from iosgen.model.inventory import load_files, load_resolver
    from iosgen.model.secret import read_env_file

    os.environ.update(read_env_file(ROOT / "inventory" / "example.env"))
    site = load_files([ROOT / "inventory" / "sites" / "plovdiv.yaml"], load_resolver(None)).sites[0]
    return render(site).text, secret_book(site)


def running_with(intended: str, count: int) -> str:
    extra = []
    for i in range(count):
        extra.append(f"access-list {1300 + i % 600} permit 10.{i // 250}.{i % 250}.0 0.0.0.255")
        extra.append(f"route-map RM{i:05d} permit {10 + i % 7}")
        extra.append(f" match ip address {1300 + i % 600}")
        extra.append(" match interface Dialer2")
        extra.append("!")
    return intended.replace("\nline con 0", "\n" + "\n".join(extra) + "\nline con 0")


def median_time(intended: str, running: str, book: object, repeat: int) -> float:
    from iosgen.diff.audit import audit_text

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = audit_text("R-ITD", intended, running, book)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
        assert result.status == "drift" and result.remediation
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    intended, book = intended_and_book()
    median_time(intended, running_with(intended, 10), book, 1)  # imports, caches
    rows = []
    for count in (args.small, args.large):
        rows.append(
            (count, median_time(intended, running_with(intended, count), book, args.repeat))
        )
    (small, t_small), (large, t_large) = rows
    print(f"{'route-maps':>10}  {'median s':>9}")
    for count, seconds in rows:
        print(f"{count:>10}  {seconds:>9.3f}")
    ratio = t_large / t_small
    print(f"ratio {large}/{small}: {ratio:.2f} (goal <= 6.0: {'ok' if ratio <= 6 else 'MISSED'})")


if __name__ == "__main__":
    main()
