"""Benchmark the fleet checks and the picture on a generated hub-and-spoke inventory.

    .venv/bin/python bench/bench_fleet.py [--sites 500]

One head office (a PPTP server with a user per branch) and N IOS branches that dial
it, each with its own LAN: load the inventory, read the node positions again
(`fleet_of`), run every fleet check, draw the DOT. The checks sweep sorted address
ranges and look servers up in an index, so they grow as N log N, not N squared.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from iosgen.fleet.graph import graph_of, to_dot  # noqa: E402
from iosgen.lint.fleet import check_fleet, fleet_of  # noqa: E402
from iosgen.model.inventory import load_inventory  # noqa: E402

HQ = """hostname: R-HQ
management: {{host: 198.18.0.1, username: netops, password: "mgmt-hq"}}
interfaces:
  FastEthernet0/0: {{role: wan, ipv4: 203.0.113.2/30, gateway: 203.0.113.1}}
  FastEthernet0/1: {{role: lan, ipv4: 10.10.0.1/16}}
pptp_server:
  pool: [10.10.1.1, 10.10.1.250]
  mppe: 128
  mppe_required: true
  users:
{users}
"""
BRANCH = """hostname: R-B{i}
management: {{host: 198.18.{a}.{b}, username: netops, password: "mgmt-{i}"}}
interfaces:
  FastEthernet0/0: {{role: wan, ipv4: dhcp}}
  FastEthernet0/1: {{role: lan, ipv4: 172.{c}.{d}.1/24}}
internet_nat: true
pptp_clients:
  hq:
    server: 203.0.113.2
    dialer: 2
    chap_hostname: b{i}
    chap_password: "secret-{i}"
    mppe: 128
    mppe_required: true
    remote_networks: [10.10.0.0/16]
"""


def make(root: Path, sites: int) -> None:
    (root / "sites").mkdir(parents=True)
    users = "\n".join(f'    b{i}: "secret-{i}"' for i in range(sites))
    (root / "sites" / "hq.yaml").write_text(HQ.format(users=users))
    for i in range(sites):
        a, b = divmod(i, 250)
        c, d = divmod(i, 256)
        text = BRANCH.format(i=i, a=1 + a, b=1 + b, c=16 + c, d=d)
        (root / "sites" / f"b{i:04}.yaml").write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "inventory"
        make(root, args.sites)
        start = time.perf_counter()
        inventory = load_inventory(root)
        loaded = time.perf_counter()
        fleet = fleet_of(inventory)
        placed = time.perf_counter()
        findings = check_fleet(fleet)
        checked = time.perf_counter()
        to_dot(graph_of(fleet))
        drawn = time.perf_counter()
    print(f"{args.sites + 1} sites, {len(findings)} findings")
    for step, seconds in (
        ("load_inventory", loaded - start),
        ("fleet_of (node positions)", placed - loaded),
        ("check_fleet (all checks)", checked - placed),
        ("graph_of + to_dot", drawn - checked),
    ):
        print(f"  {step:28} {seconds:7.3f} s")


if __name__ == "__main__":
    main()
