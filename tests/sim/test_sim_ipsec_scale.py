"""A head office with many VTI branches (iosgen/sim/ipsec.py): every SA comes up, each
branch's LAN answers through its own tunnel, and the fleet's IKE is evaluated fast."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from test_sim_ipsec import BR, HQ

from iosgen.sim import RouterSpec, ping, show
from iosgen.sim.router import Router
from iosgen.sim.tunnels import Live

BRANCHES = 60
# measured 0.08 s for 100 branches on an idle core; the bound leaves room for a loaded one
EVALUATION_SECONDS = 5.0


def _wan(n: int) -> str:
    return f"198.51.{100 + n // 200}.{n % 200 + 2}"


def head_office() -> str:
    lines = [ln for ln in HQ.splitlines() if ln != "end"]
    start = lines.index("interface Tunnel10")
    head = [ln for ln in lines[:start] if not ln.startswith("crypto isakmp key")]
    rest = lines[start + 7 :]  # the one tunnel of the pair and its route, replaced below
    rest = [ln for ln in rest if "Tunnel10" not in ln]
    for n in range(BRANCHES):
        head.append(f"crypto isakmp key S3cretKey address {_wan(n)}")
        head += [
            f"interface Tunnel{n + 100}",
            f" ip address 10.255.{n}.1 255.255.255.252",
            " tunnel source FastEthernet0/0",
            f" tunnel destination {_wan(n)}",
            " tunnel mode ipsec ipv4",
            " tunnel protection ipsec profile IOSGEN-BR",
        ]
        rest.append(f"ip route 192.168.{n}.0 255.255.255.0 Tunnel{n + 100}")
    return "\n".join(head + rest) + "\nend\n"


def branch(n: int) -> str:
    return (
        BR.replace("hostname BR", f"hostname BR{n}")
        .replace("198.51.100.2 255.255.255.0", f"{_wan(n)} 255.255.0.0")
        .replace("192.168.20.", f"192.168.{n}.")
        .replace("10.255.10.2", f"10.255.{n}.2")
    )


def test_every_branch_of_a_big_head_office_comes_up_and_answers() -> None:
    net: dict[str, Router] = {}
    texts = [("HQ", head_office())] + [(f"BR{n}", branch(n)) for n in range(BRANCHES)]
    for name, text in texts:
        router = Router(RouterSpec(name, "netops", "pw", initial_config=text))
        assert router.load_errors == [], (name, router.load_errors[:3])
        router.network = net
        net[name] = router
    started = time.perf_counter()
    net["HQ"].refresh_tunnels()
    took = time.perf_counter() - started
    view = net["HQ"].running.live
    assert isinstance(view, Live)
    assert sorted(s.endpoint.interface for s in view.ipsec if s.up) == sorted(
        f"Tunnel{n + 100}" for n in range(BRANCHES)
    )
    assert took < EVALUATION_SECONDS, took
    hq = net["HQ"].running
    for n in (0, BRANCHES // 2, BRANCHES - 1):
        out = ping.run(hq, f"192.168.{n}.1", source="10.10.0.1")
        assert "Success rate is 100 percent" in out, n
    rows = show.show_crypto_isakmp_sa(hq).splitlines()[1:-1]
    assert len(rows) == BRANCHES and all(" QM_IDLE " in r for r in rows)
