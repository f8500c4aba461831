"""The IPsec fleet checks (FLEET114-118) over real inventories, and FLEET113 with the
routes' real distances: each broken/FLEET11n/ breaks one rule; both nodes are named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iosgen.lint.fleet import lint_inventory

BROKEN = Path(__file__).parent / "broken"
IPSEC_INVENTORY = Path(__file__).parents[1] / "build" / "ipsec"

# code -> (file:line of the node, file:line of the other node or "")
EXPECTED: dict[str, tuple[str, str]] = {
    "FLEET114": ("a.yaml:10", "hq.yaml:2"),
    "FLEET115": ("a.yaml:10", ""),
    "FLEET116": ("a.yaml:10", "hq.yaml:7"),
    "FLEET117": ("a.yaml:11", "hq.yaml:11"),
    "FLEET118": ("a.yaml:12", "hq.yaml:8"),
}


@pytest.mark.parametrize("code", sorted(EXPECTED), ids=sorted(EXPECTED))
def test_each_broken_fleet_gives_its_finding_at_both_nodes(code: str) -> None:
    report = lint_inventory(BROKEN / code)
    assert [f.code for f in report.findings] == [code], [f.render() for f in report.findings]
    finding = report.findings[0]
    node, other = EXPECTED[code]
    assert f"{Path(finding.node.file).name}:{finding.node.line}" == node
    if other:
        assert finding.other is not None
        assert f"{Path(finding.other.file).name}:{finding.other.line}" == other
    else:
        assert finding.other is None
    text = finding.render()
    for secret in ("a-branch-psk", "a-hq-psk"):
        assert secret not in text


def test_a_head_office_compiled_from_its_branches_matches_them() -> None:
    """R-HQ's side is derived: the same keys and proposals as each branch, by construction."""
    report = lint_inventory(IPSEC_INVENTORY)
    assert report.findings == ()


def _copy(tmp_path: Path, source: Path) -> Path:
    dest = tmp_path / "inv"
    shutil.copytree(source, dest)
    return dest


def test_a_dhcp_branch_keyed_otherwise_than_the_wildcard_is_refused(tmp_path: Path) -> None:
    """A hand-typed head office (no from_branches) with the dynamic key: the DHCP branch's
    key is compared with it."""
    inv = _copy(tmp_path, IPSEC_INVENTORY)
    hq = inv / "sites" / "hq.yaml"
    text = hq.read_text().replace("dynamic_key: secret:map_psk", "dynamic_key: secret:vti_psk")
    hq.write_text(
        text.replace(
            "ipsec_server:\n  from_branches: true", "ipsec_server:\n  from_branches: false"
        )
    )
    report = lint_inventory(inv)
    codes = sorted({f.code for f in report.findings})
    assert "FLEET117" in codes, [f.render() for f in report.findings]
    hit = next(f for f in report.findings if f.code == "FLEET117" and f.node.site == "R-MAP")
    assert hit.node.path == "tunnels.hq.pre_shared_key"
    assert hit.other is not None and hit.other.path == "ipsec_server.dynamic_key"


SAME_DISTANCE = [
    ("both-at-1", None, ["FLEET113"]),
    ("ipsec-floats", 250, []),
]


@pytest.mark.parametrize(
    ("distance", "codes"), [c[1:] for c in SAME_DISTANCE], ids=[c[0] for c in SAME_DISTANCE]
)
def test_pptp_beside_ipsec_shares_the_load_only_at_one_distance(
    tmp_path: Path, distance: int | None, codes: list[str]
) -> None:
    inv = _copy(tmp_path, IPSEC_INVENTORY)
    pat = inv / "sites" / "pat.yaml"
    text = pat.read_text().replace("    distance: 250\n", "")
    if distance is not None:
        text = text.replace("    nat: true\n", f"    nat: true\n    distance: {distance}\n")
    pat.write_text(text)
    report = lint_inventory(inv)
    found = [f for f in report.findings if f.code == "FLEET113"]
    assert [f.code for f in found] == codes, [f.render() for f in report.findings]
    if found:
        assert "Tunnel0" in found[0].message and "Dialer2" in found[0].message
