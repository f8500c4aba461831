"""A small inventory for verify: one head office (pptp_server with explicit users) and
N branches that dial it, built by iosgen and served by the simulator."""

from __future__ import annotations

from pathlib import Path

from iosgen.build import build_site
from iosgen.model.inventory import load_inventory
from iosgen.sim import RouterSpec

HQ_WAN = "192.0.2.10"
SECRET = "Tunnel-s3cret"


def branch_yaml(n: int, chap_password: str = SECRET, mppe: str = "128") -> str:
    return f"""hostname: BR{n}
management:
  host: 198.18.{n // 60}.{(n % 60) * 4 + 2}
  username: netops
  password: branch-pw
interfaces:
  Fa0/0:
    role: wan
    ipv4: 198.18.{n // 60}.{(n % 60) * 4 + 2}/30
    gateway: 198.18.{n // 60}.{(n % 60) * 4 + 1}
  Fa0/1:
    role: lan
    ipv4: 172.16.{n}.1/24
internet_nat: true
pptp_clients:
  hq:
    server: {HQ_WAN}
    dialer: 2
    chap_hostname: br{n}
    chap_password: {chap_password}
    mppe: {mppe}
    mppe_required: true
    remote_networks: [10.10.0.0/16]
"""


def hq_yaml(branches: int) -> str:
    users = "".join(f"    br{n}: {SECRET}\n" for n in range(branches))
    return f"""hostname: HQ
management:
  host: {HQ_WAN}
  username: netops
  password: hq-pw
interfaces:
  Fa0/0:
    role: wan
    ipv4: {HQ_WAN}/24
    gateway: 192.0.2.1
  Fa0/1:
    role: lan
    ipv4: 10.10.0.1/16
pptp_server:
  pool: [10.10.254.1, 10.10.254.250]
  mppe: auto
  users:
{users}"""


def write_inventory(root: Path, branches: int, **branch_kw: str) -> Path:
    (root / "sites").mkdir(parents=True, exist_ok=True)
    (root / "sites" / "hq.yaml").write_text(hq_yaml(branches), encoding="utf-8")
    for n in range(branches):
        text = branch_yaml(n, **branch_kw) if n == 0 else branch_yaml(n)
        (root / "sites" / f"br{n}.yaml").write_text(text, encoding="utf-8")
    return root


def specs(root: Path) -> list[RouterSpec]:
    """Each site's built config, loaded into a simulated router."""
    out = []
    for site in load_inventory(root).sites:
        config = build_site(site).files[0].content
        m = site.management
        out.append(
            RouterSpec(site.hostname, m.username, m.password.reveal(), initial_config=config)
        )
    return out
