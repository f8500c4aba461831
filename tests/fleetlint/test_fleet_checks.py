"""The fleet checks over real inventories: one broken fleet per code, and a clean one.

Each `broken/FLEETnnn/` is a small inventory that breaks exactly one fleet rule;
the expected places are the YAML nodes of both files, read back from the files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iosgen.errors import InputError
from iosgen.lint.fleet import (
    FLEET_RULES,
    MppeEnd,
    check_fleet,
    fleet_of,
    lint_inventory,
    mppe_agreement,
)
from iosgen.model.inventory import Inventory, LoadedSite, load_files, load_resolver

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
CLEAN = HERE / "clean"

# code -> (file:key of the node, file:key of the other node); keys as typed in the file
EXPECTED: dict[str, tuple[str, str]] = {
    "FLEET101": ("b.yaml:eth1", "a.yaml:FastEthernet0/1"),
    "FLEET102": ("a.yaml:pool", "hq.yaml:FastEthernet0/1"),
    "FLEET103": ("a.yaml:remote_networks", "c.yaml:FastEthernet0/1"),
    "FLEET105": ("hq.yaml:management", "a.yaml:management"),
    "FLEET106": ("a.yaml:management", "a.yaml:FastEthernet0/0"),
    "FLEET107": ("b.yaml:server", "a.yaml:hostname"),
    "FLEET108": ("a.yaml:server", ""),
    "FLEET109": ("a.yaml:chap_hostname", "hq.yaml:users"),
    "FLEET110": ("a.yaml:chap_password", "hq.yaml:a"),
    "FLEET111": ("a.yaml:mppe", "hq.yaml:mppe"),
    "FLEET112": ("a.yaml:mppe", "hq.yaml:mppe"),
    "FLEET113": ("a.yaml:remote_networks", "a.yaml:remote_networks"),
}
LOADABLE = sorted(EXPECTED)


def _line_of(file: Path, key: str, after: int = 0) -> int:
    """The first line after `after` where `key` is typed (as a key, `key:`)."""
    for number, line in enumerate(file.read_text().splitlines(), 1):
        if number > after and re.search(rf"(^|[\s{{]){re.escape(key)}:", line):
            return number
    raise AssertionError(f"{key} not in {file}")


def test_every_rule_has_a_broken_fleet() -> None:
    cases = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())
    assert cases == sorted(rule.code for rule in FLEET_RULES)


@pytest.mark.parametrize("code", LOADABLE, ids=LOADABLE)
def test_broken_fleet_has_its_finding_at_both_nodes(code: str) -> None:
    report = lint_inventory(BROKEN / code)
    assert {f.code for f in report.findings} == {code}, [f.render() for f in report.findings]
    finding = next(f for f in report.findings if f.code == code)
    sites = BROKEN / code / "sites"
    where, other = EXPECTED[code]
    file, key = where.split(":")
    assert Path(finding.node.file).name == file
    assert finding.node.line == _line_of(sites / file, key, after=0 if code != "FLEET113" else 16)
    assert finding.node.column > 1
    if other:
        assert finding.other is not None
        ofile, okey = other.split(":")
        assert Path(finding.other.file).name == ofile
        assert finding.other.line == _line_of(sites / ofile, okey)
    else:
        assert finding.other is None


@pytest.mark.parametrize("code", LOADABLE, ids=LOADABLE)
def test_exit_code_follows_severity(code: str) -> None:
    report = lint_inventory(BROKEN / code)
    severity = next(r.severity for r in FLEET_RULES if r.code == code)
    assert report.exit_code == (1 if severity == "error" else 0)


def test_clean_fleet_has_no_finding() -> None:
    report = lint_inventory(CLEAN)
    assert report.findings == ()
    assert report.exit_code == 0


def test_duplicate_hostname_is_refused_by_the_loader_and_found_by_the_check() -> None:
    """The loader refuses two sites of one hostname (exit 2); the check finds them in a
    fleet put together site by site."""
    case = BROKEN / "FLEET104"
    with pytest.raises(InputError, match=r"a2\.yaml:2:11: hostname: hostname 'r-a'"):
        lint_inventory(case)
    files = sorted((case / "sites").glob("*.yaml"))
    resolver = load_resolver(None, inventory=case)
    loaded = [LoadedSite(load_files([f], resolver, case).sites[0], f) for f in files]
    findings = check_fleet(fleet_of(Inventory(case, loaded)))
    assert [f.code for f in findings] == ["FLEET104"]
    assert findings[0].node.file.endswith("a2.yaml") and findings[0].node.line == 2
    assert findings[0].other is not None and findings[0].other.file.endswith("/a.yaml")


def test_chap_secret_mismatch_never_shows_either_secret() -> None:
    report = lint_inventory(BROKEN / "FLEET110")
    text = "\n".join(f.render() for f in report.findings) + report.to_json()
    assert "a-hq-secret" not in text and "a-old-secret" not in text
    assert "values not shown" in text


MPPE_CASES = [
    # (client mode, client required, server mode, server required, outcome)
    ("auto", False, "128", True, "agree"),
    ("40", False, "128", False, "clear"),
    ("40", True, "128", False, "refused"),
    ("40", False, "128", True, "refused"),
    ("none", False, "auto", False, "clear"),
    ("none", False, "auto", True, "refused"),
    ("128", True, "auto", False, "agree"),
    ("40", True, "auto", True, "agree"),
]


@pytest.mark.parametrize(
    ("mode", "required", "smode", "srequired", "outcome"),
    MPPE_CASES,
    ids=[f"{m}{'-req' if r else ''}~{s}{'-req' if sr else ''}" for m, r, s, sr, _ in MPPE_CASES],
)
def test_mppe_agreement(
    mode: str, required: bool, smode: str, srequired: bool, outcome: str
) -> None:
    assert mppe_agreement(MppeEnd(mode, required), MppeEnd(smode, srequired)) == outcome


def test_example_inventory_is_a_clean_fleet() -> None:
    """No error or warning; the info notes are the head offices outside the inventory."""
    from tests.conftest import INVENTORY

    report = lint_inventory(INVENTORY)
    assert [f.render() for f in report.findings if f.severity != "info"] == []
    assert {f.code for f in report.findings} <= {"FLEET108"}


def test_every_overlapping_pair_once(tmp_path: Path) -> None:
    """Two equal /24s, a /16 holding them and a /23 beside them: the four overlapping
    pairs, each found once, the later file's LAN as the node; the /23 and the /24s
    do not meet."""
    sites = tmp_path / "inv" / "sites"
    sites.mkdir(parents=True)
    lans = {
        "a": "192.168.1.1/24",
        "b": "192.168.1.1/24",
        "c": "192.168.0.1/16",
        "d": "192.168.2.1/23",
    }
    for n, (name, lan) in enumerate(lans.items(), 1):
        (sites / f"{name}.yaml").write_text(
            f"hostname: R-{name.upper()}\n"
            f'management: {{host: 198.51.100.{n}, username: netops, password: "mgmt-{n}"}}\n'
            "interfaces:\n"
            f"  FastEthernet0/0: {{role: wan, ipv4: 203.0.113.{4 * n + 2}/30}}\n"
            f"  FastEthernet0/1: {{role: lan, ipv4: {lan}}}\n"
        )
    findings = lint_inventory(tmp_path / "inv").findings
    pairs = sorted((f.node.site, f.other.site if f.other else "") for f in findings)
    expected = [("R-B", "R-A"), ("R-C", "R-A"), ("R-C", "R-B"), ("R-D", "R-C")]
    assert pairs == sorted(expected)
    assert {f.code for f in findings} == {"FLEET101"}


def test_a_node_from_a_group_file_is_located_there(tmp_path: Path) -> None:
    """The tunnel comes from groups/spoke.yaml: its finding points into that file."""
    inv = tmp_path / "inv"
    (inv / "sites").mkdir(parents=True)
    (inv / "groups").mkdir()
    (inv / "groups" / "spoke.yaml").write_text(
        "# Every spoke dials the head office.\n"
        "pptp_clients:\n"
        "  hq:\n"
        "    server: 203.0.113.2\n"
        "    dialer: 2\n"
        "    chap_hostname: a\n"
        '    chap_password: "a-hq-secret"\n'
    )
    (inv / "sites" / "a.yaml").write_text(
        (BROKEN / "FLEET108" / "sites" / "a.yaml").read_text().split("pptp_clients:")[0]
        + "groups: [spoke]\n"
    )
    (finding,) = lint_inventory(inv).findings
    assert finding.code == "FLEET108"
    assert (Path(finding.node.file).name, finding.node.line) == ("spoke.yaml", 4)
