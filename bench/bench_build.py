"""Benchmark `iosgen build`: one site as a whole process, and 10,000 sites in one process.

Run: .venv/bin/python bench/bench_build.py [--runs 15] [--sites 10000]
Goals (issue 2): one site <= 0.25 s wall (median); 10,000 sites <= 5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def example_env() -> dict[str, str]:
    from iosgen.model.secret import read_env_file

    return {**os.environ, **read_env_file(ROOT / "inventory" / "example.env")}


RELEASE_VENV = ROOT / "bench" / ".release-venv"


def release_install() -> Path:
    """iosgen installed as users install it (`pip install .`, not editable), current code."""
    pip = RELEASE_VENV / "bin" / "pip"
    if not pip.exists():
        subprocess.run([sys.executable, "-m", "venv", str(RELEASE_VENV)], check=True)
        subprocess.run([str(pip), "install", "-q", str(ROOT)], check=True, capture_output=True)
    subprocess.run(
        [str(pip), "install", "-q", "--no-deps", "--force-reinstall", str(ROOT)],
        check=True,
        capture_output=True,
    )
    return RELEASE_VENV / "bin" / "iosgen"


def one_site_process(runs: int, iosgen: Path) -> list[float]:
    site = ROOT / "inventory" / "sites" / "plovdiv.yaml"
    env = example_env()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(iosgen), "build", str(site)], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def generated_site(i: int) -> dict[str, Any]:
    """A branch like R-ITD, each with its own hostname, LAN and secrets."""
    lan = f"10.{100 + i // 250 % 100}.{i % 250}.1/24"
    return {
        "hostname": f"R-GEN{i:05d}",
        "management": {
            "host": f"198.18.{i // 250 % 250}.{i % 250 + 1}",
            "username": "netops",
            "password": f"pw-{i}",
            "enable_secret": f"en-{i}",
        },
        "interfaces": {
            "Fa0/0": {"role": "wan", "ipv4": "dhcp", "description": "WAN"},
            "Fa0/1": {"role": "lan", "ipv4": lan, "description": "LAN"},
        },
        "internet_nat": True,
        "domain_name": "branch.example",
        "pptp_clients": {
            "sofia": {
                "server": "203.0.113.10",
                "dialer": 2,
                "chap_hostname": f"br{i}",
                "chap_password": f"chap-{i}",
                "remote_networks": ["172.16.0.0/16"],
            },
        },
    }


def many_sites(count: int) -> tuple[float, int]:
    from iosgen.build.ios import render
    from iosgen.model.inventory import load_resolver
    from iosgen.model.site import Site, site_problems

    resolver = load_resolver(None)
    data = [generated_site(i) for i in range(count)]
    start = time.perf_counter()
    total = 0
    for item in data:
        site = Site.model_validate(item, context={"resolver": resolver})
        assert not list(site_problems(site))
        total += len(render(site).text)
    return time.perf_counter() - start, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sites", type=int, default=10_000)
    args = parser.parse_args()
    dev = one_site_process(args.runs, ROOT / ".venv" / "bin" / "iosgen")
    release = one_site_process(args.runs, release_install())
    wall, size = many_sites(args.sites)
    print(f"{'benchmark':44} {'figure':>12} {'goal':>10}")
    for label, times in (("pip install .", release), ("editable dev venv", dev)):
        one = statistics.median(times)
        name = f"iosgen build, one site, process ({label})"
        print(f"{name:44} {one:>10.3f} s {'<= 0.25 s':>10}")
        print(f"{'  min / max':44} {min(times):>6.3f}/{max(times):.3f}")
    print(f"{f'build {args.sites} generated sites, one process':44} {wall:>10.2f} s {'<= 5 s':>10}")
    print(
        f"{'  per site':44} {wall / args.sites * 1000:>9.3f} ms   ({size / 1e6:.1f} MB of config)"
    )


if __name__ == "__main__":
    main()
