"""The example inventory's R-SOFIA as an IPsec head office, through the CLI: R-SHUMEN
(static WAN) gets an IPsec tunnel beside its PPTP one, as `iosgen migrate` step 1 leaves
it, and R-SOFIA's build answers it; a DHCP branch that cannot be answered is exit 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.cli import app

INVENTORY = Path(__file__).parents[2] / "inventory"
KEY = "shumen-ipsec-demo-k3y"
IPSEC = """\
  sofia-ipsec:
    kind: ipsec
    peer: 203.0.113.10
    pre_shared_key: ${IOSGEN_R_SHUMEN_SOFIA_PSK}
    remote_networks: [10.10.0.0/16]
    distance: 250
"""


@pytest.fixture()
def inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "inventory"
    shutil.copytree(INVENTORY, root, ignore=shutil.ignore_patterns("secrets.yaml"))
    monkeypatch.setenv("IOSGEN_R_SHUMEN_SOFIA_PSK", KEY)
    return root


def _add_tunnel(root: Path, site: str) -> Path:
    path = root / "sites" / site
    text = path.read_text()
    assert "pptp_clients:\n" in text  # the tunnels key beside it: both are read
    path.write_text(text + "\ntunnels:\n" + IPSEC)
    return path


def test_sofia_answers_an_ipsec_branch_and_masks_its_key(inventory: Path) -> None:
    _add_tunnel(inventory, "shumen.yaml")
    sofia = str(inventory / "sites" / "sofia.yaml")
    result = CliRunner().invoke(app, ["build", sofia])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "interface Tunnel100" in lines
    assert " tunnel destination 198.51.100.42" in lines
    assert "crypto isakmp key <redacted> address 198.51.100.42" in lines
    assert "ip route 192.168.50.0 255.255.255.0 Tunnel100 250" in lines
    assert KEY not in result.output
    shown = CliRunner().invoke(app, ["build", sofia, "--show-secrets"])
    assert f"crypto isakmp key {KEY} address 198.51.100.42" in shown.stdout.splitlines()
    # the branch: its floating IPsec route beside the preferred PPTP one
    branch = CliRunner().invoke(app, ["build", str(inventory / "sites" / "shumen.yaml")])
    assert "ip route 10.10.0.0 255.255.0.0 Tunnel0 250" in branch.stdout.splitlines()
    assert "ip route 10.10.0.0 255.255.0.0 Dialer2" in branch.stdout.splitlines()
    fleet = CliRunner().invoke(app, ["lint", "--fleet", "-i", str(inventory)])
    assert " error " not in fleet.stdout, fleet.stdout


def test_a_dhcp_branch_sofia_cannot_answer_is_exit_2_at_its_node(inventory: Path) -> None:
    """R-ITD's WAN is DHCP: a route-based tunnel cannot be answered by the dynamic map."""
    path = _add_tunnel(inventory, "plovdiv.yaml")
    result = CliRunner().invoke(app, ["build", str(inventory / "sites" / "sofia.yaml")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and KEY not in result.output
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "sofia-ipsec:" in t)
    # `mode` is not typed: the problem is at the tunnel's first key, where it would go
    assert f"plovdiv.yaml:{line + 1}:5: tunnels.sofia-ipsec.mode: the WAN is DHCP" in result.output
    assert "mode: crypto-map" in result.output
    # and its key is not the wildcard key (compared, never shown)
    assert "tunnels.sofia-ipsec.pre_shared_key: the WAN is DHCP" in result.output
