"""iosgen's IPsec against what real routers print (tests/realconfigs/ipsec/; sources in each
file's first line, findings in docs/ipsec-facts.md). They are kept out of the generic
real-config tests beside this file: those boot every config on the simulated 12.4(25d),
and these are 15.x and 12.4T routers' (docs/ipsec-facts.md, discrepancy 6).

The build's lines are compared with the lines real routers print for the same settings;
a running config padded as real routers pad it must audit clean against the build; the
simulator's `show crypto ...` must print a real capture's lines for the same tunnel; lint
must read the real configs' defaults as IOS does; and no output shows their keys.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iosgen.build import ipsec as build_ipsec
from iosgen.build.ios import render
from iosgen.model import ipsec as names
from iosgen.model.inventory import load_resolver, load_site
from iosgen.model.site import IkePolicy, IpsecProposal
from iosgen.sim import show
from iosgen.sim.router import Router, RouterSpec
from tests.conftest import INVENTORY
from tests.realconfigs.test_realconfigs import PLOVDIV, assert_no_secret, iosgen, no_traceback

HERE = Path(__file__).resolve().parent
IPSEC = HERE / "ipsec"
REAL = sorted(IPSEC.glob("*.cfg"))
BUILD = HERE.parent / "build" / "ipsec"
# The order 12.4 and 15.x print an ISAKMP policy's and a crypto map entry's lines in
POLICY_ORDER = ["encr", "hash", "authentication", "group", "lifetime"]
ENTRY_ORDER = [
    "description",
    "set peer",
    "set security-association",
    "set transform-set",
    "set pfs",
    "match address",
]


def blocks(text: str, head: str) -> list[tuple[str, list[str]]]:
    """Each top-level line starting with `head` and its children, trailing blanks kept."""
    out: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith(" ") and current is not None:
            current.append(line[1:])
        elif line.startswith(head):
            current = []
            out.append((line, current))
        else:
            current = None
    return out


def keyword(line: str, order: list[str]) -> str:
    return next(k for k in order if line.strip().startswith(k))


def test_there_is_real_ipsec_material() -> None:
    assert len(REAL) >= 5
    for path in [*REAL, *IPSEC.glob("*.txt")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(("! source: ", "# source: ")), path.name


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_policies_and_entries_print_in_the_order_the_build_uses(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = 0
    for head, order in (("crypto isakmp policy ", POLICY_ORDER), ("crypto map ", ENTRY_ORDER)):
        for _, children in blocks(text, head):
            words = [keyword(c, order) for c in children if c.strip()]
            assert words == sorted(words, key=order.index), f"{path.name}: {words}"
            found += 1
    assert found, f"{path.name} has no ISAKMP policy nor crypto map entry"


def test_the_build_prints_alfas_policy_as_the_2801_does() -> None:
    # 2801-serpa-alfa: aes 256, SHA (the default, no `hash` line), pre-shared, group 5, 3600 s
    text = (IPSEC / "2801-serpa-alfa-ipsec.cfg").read_text(encoding="utf-8")
    (_, real), *_ = blocks(text, "crypto isakmp policy ")
    ike = IkePolicy(encryption="aes-256", group=5, lifetime_seconds=3600)
    assert list(build_ipsec._policy_lines(ike)) == real


def test_the_build_leaves_out_what_real_routers_leave_out() -> None:
    # HQ1's policy 10 sets only md5 and pre-share: no `encr` (DES), `group` (1) nor
    # `lifetime` (86400) line; policy 30 prints `encr aes` for 128 bits
    text = (IPSEC / "7200-gns3-hq1-excerpt.cfg").read_text(encoding="utf-8")
    policies = dict(blocks(text, "crypto isakmp policy "))
    assert policies["crypto isakmp policy 10"] == ["hash md5", "authentication pre-share"]
    assert policies["crypto isakmp policy 30"] == [
        "encr aes",
        "authentication pre-share",
        "group 2",
    ]
    # the model offers no group 2: the same policy with group 5 differs in that line only
    built = build_ipsec._policy_lines(IkePolicy(encryption="aes-128", group=5))
    assert list(built) == ["encr aes", "authentication pre-share", "group 5"]
    default = build_ipsec._policy_lines(IkePolicy(encryption="aes-256", group=5))
    assert not any(line.startswith(("hash", "lifetime")) for line in default)


def test_the_transform_set_line_is_the_routers() -> None:
    # ALFA and HQ-EDGE print `esp-aes 256 esp-sha-hmac`; HQ1 `esp-aes esp-sha-hmac` (128)
    alfa = (IPSEC / "2801-serpa-alfa-ipsec.cfg").read_text(encoding="utf-8")
    hq1 = (IPSEC / "7200-gns3-hq1-excerpt.cfg").read_text(encoding="utf-8")
    assert " esp-aes 256 esp-sha-hmac " in alfa
    assert names.transforms(IpsecProposal(encryption="aes-256")) == "esp-aes 256 esp-sha-hmac"
    assert "crypto ipsec transform-set Trset30 esp-aes esp-sha-hmac " in hq1
    assert names.transforms(IpsecProposal(encryption="aes-128")) == "esp-aes esp-sha-hmac"


def test_the_build_s_crypto_map_entry_has_hq_edge_s_order() -> None:
    real_text = (IPSEC / "2900-techpatix-hq-edge-154.cfg").read_text(encoding="utf-8")
    (_, real), *_ = blocks(real_text, "crypto map MYMAP 10")
    site = load_site(BUILD / "sites" / "map.yaml", load_resolver(None, inventory=BUILD))
    (_, built), *_ = blocks(render(site).text, "crypto map IOSGEN-VPN 10")
    real_words = [keyword(c, ENTRY_ORDER) for c in real]
    built_words = [keyword(c, ENTRY_ORDER) for c in built]
    assert real_words == ENTRY_ORDER[1:]
    assert built_words == ENTRY_ORDER


def _pad_as_ios(text: str) -> str:
    """The build as 12.4/15.x NVGEN pads it: a blank after `crypto ipsec transform-set ...`,
    `crypto map NAME N ipsec-isakmp` and ` set transform-set T`, the key's address padded
    to 15 columns (2801-serpa-alfa, ipsec/2900-techpatix, ipsec/7200-gns3-hq1)."""
    out = []
    for line in text.splitlines():
        if re.match(
            r"^(crypto ipsec transform-set |crypto map \S+ \d+ ipsec-isakmp$| set transform-set )",
            line,
        ):
            line += " "
        m = re.match(r"^(crypto isakmp key \S+ address )(\S+)$", line)
        if m:
            line = m[1] + m[2].ljust(15)
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("host", ["R-MAP", "R-VTI", "R-HQ"])
def test_a_running_config_padded_as_ios_pads_it_audits_clean(host: str, tmp_path: Path) -> None:
    site = {"R-MAP": "map", "R-VTI": "vti", "R-HQ": "hq"}[host]
    golden = (BUILD / "golden" / f"{host}.cfg").read_text(encoding="utf-8")
    padded = _pad_as_ios(golden)
    assert padded != golden and padded.count(" \n") >= 2
    running = tmp_path / f"{host}.cfg"
    running.write_text(padded, encoding="utf-8")
    run = iosgen(
        "diff", str(BUILD / "sites" / f"{site}.yaml"), "--running", str(running), "-i", str(BUILD)
    )
    no_traceback(host, run)
    assert run.code == 0, run.both[-2000:]
    assert "in sync" in run.out


def test_the_15x_tunnel_line_order_is_cosmetic_not_drift(tmp_path: Path) -> None:
    # 15.x/IOS XE print `tunnel mode ipsec ipv4` before `tunnel destination` (ipsec-facts.md)
    lines = (BUILD / "golden" / "R-VTI.cfg").read_text(encoding="utf-8").splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith(" tunnel destination "))
    assert lines[at + 1] == " tunnel mode ipsec ipv4"
    lines[at], lines[at + 1] = lines[at + 1], lines[at]
    running = tmp_path / "R-VTI.cfg"
    running.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = iosgen(
        "diff", str(BUILD / "sites" / "vti.yaml"), "--running", str(running), "-i", str(BUILD)
    )
    no_traceback("R-VTI", run)
    assert run.code == 0, run.both[-2000:]
    assert "interface Tunnel10 (lines in another order)" in run.out


# --- the simulator's show crypto against a 12.4T capture ---------------------------------

R1 = """hostname R1
crypto isakmp policy 10
 encr 3des
 hash md5
 authentication pre-share
 group 2
crypto isakmp key Lab-Psk-1 address 192.1.20.2
crypto ipsec transform-set TSET esp-3des esp-md5-hmac
crypto map CMAP 10 ipsec-isakmp
 set peer 192.1.20.2
 set transform-set TSET
 match address VPN
interface FastEthernet0/0
 ip address 192.1.10.2 255.255.255.0
 crypto map CMAP
interface FastEthernet0/1
 ip address 10.1.1.1 255.255.255.0
ip route 0.0.0.0 0.0.0.0 192.1.10.1
ip access-list extended VPN
 permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255
end
"""
R2 = (
    R1.replace("hostname R1", "hostname R2")
    .replace("192.1.20.2", "192.1.10.2", 2)
    .replace("ip address 192.1.10.2", "ip address 192.1.20.2")
    .replace("10.1.1.1 255", "10.2.2.1 255")
    .replace("192.1.10.1", "192.1.20.1")
    .replace("permit ip 10.1.1.0 0.0.0.255 10.2.2.0", "permit ip 10.2.2.0 0.0.0.255 10.1.1.0")
)
# what changes from one SA to the next: SPIs, counters, remaining lifetimes
_VOLATILE = re.compile(r"0x[0-9A-F]+\(\d+\)|\(\d+/\d+\)|#pkts (\w+): \d+|#send errors \d+")


def _masked(text: str) -> list[str]:
    return [
        _VOLATILE.sub(lambda m: m[0].split(":")[0] + ":N" if m[1] else "N", ln)
        for ln in text.splitlines()
    ]


def _capture(name: str, command: str) -> list[str]:
    """The lines of `command`'s answer in a capture file, without the prompt line."""
    lines = (IPSEC / name).read_text(encoding="utf-8").splitlines()[1:]
    at = next(i for i, ln in enumerate(lines) if re.match(rf"^\S+# ?{command}\s*$", ln))
    end = next((i for i in range(at + 1, len(lines)) if re.match(r"^\S+#", lines[i])), len(lines))
    return lines[at + 1 : end]


@pytest.fixture(scope="module")
def pair() -> dict[str, Router]:
    net: dict[str, Router] = {}
    for name, text in (("R1", R1), ("R2", R2)):
        router = Router(RouterSpec(name, "netops", "pw", initial_config=text, image="12.4(15)T7"))
        assert router.load_errors == [], router.load_errors
        router.network = net
        net[name] = router
    net["R1"].refresh_tunnels()
    return net


def test_show_crypto_isakmp_sa_is_the_captures(pair: dict[str, Router]) -> None:
    want = _capture("show-crypto-12.4t-crypto-map.txt", "show crypto isakmp sa")
    got = show.show_crypto_isakmp_sa(pair["R1"].running).splitlines()
    assert got[:3] == want[:3]


def test_show_crypto_ipsec_sa_is_the_captures_but_its_numbers(pair: dict[str, Router]) -> None:
    from iosgen.sim import ping

    ping.run(pair["R1"].running, "10.2.2.1", source="10.1.1.1")
    pair["R1"].refresh_tunnels()
    want = _capture("show-crypto-12.4t-crypto-map.txt", "show crypto ipsec sa")
    got = show.show_crypto_ipsec_sa(pair["R1"].running).splitlines()
    got_body = [ln for ln in _masked("\n".join(got)) if ln.strip()]
    want_body = [ln for ln in _masked("\n".join(want)) if ln.strip()]
    assert got_body == want_body


def test_show_crypto_isakmp_sa_of_15x_has_no_slot_column() -> None:
    want = _capture("show-crypto-isakmp-sa-15x.txt", "show crypto isakmp sa")
    net: dict[str, Router] = {}
    for name, text in (("R1", R1), ("R2", R2)):
        router = Router(RouterSpec(name, "netops", "pw", initial_config=text, image="15.1(4)M"))
        router.network = net
        net[name] = router
    net["R1"].refresh_tunnels()
    got = show.show_crypto_isakmp_sa(net["R1"].running).splitlines()
    assert got[:2] == want[:2]
    # the row's columns: dst 16, src 16, state 15, conn-id right-aligned to 7
    row = next(ln for ln in want if "QM_IDLE" in ln)
    assert got[2].index("QM_IDLE") == row.index("QM_IDLE")
    assert len(got[2]) - len("ACTIVE") == len(row) - len("ACTIVE")
    assert "\n".join(got).rstrip().endswith("\n\nIPv6 Crypto ISAKMP SA")
    assert "\n".join(want).rstrip().endswith("\n\nIPv6 Crypto ISAKMP SA")


def test_show_crypto_session_has_the_12_4_lines(pair: dict[str, Router]) -> None:
    want = [
        ln.strip()
        for ln in _capture("show-crypto-session-12.4.txt", "show crypto session")
        if ln.strip()
    ]
    got = [
        ln.strip() for ln in show.show_crypto_session(pair["R1"].running).splitlines() if ln.strip()
    ]
    shape = re.compile(r"[\d.]+/[\d.]+|[\d.]+ ?/500|\d+\.\d+\.\d+\.\d+|FastEthernet\S+")
    assert [shape.sub("X", ln) for ln in got] == [shape.sub("X", ln) for ln in want]


# --- lint and the CLI on the real configs ----------------------------------------------------


def _lint(path: Path) -> str:
    run = iosgen("lint", str(path))
    no_traceback(path.name, run)
    assert run.code in (0, 1), run.err[-1500:]
    return run.out


def test_lint_reads_hq1_s_policy_10_as_des_and_group_1() -> None:
    out = _lint(IPSEC / "7200-gns3-hq1-excerpt.cfg")
    assert re.search(r":4: warning IOS412: .*crypto isakmp policy 10", out), out
    assert re.search(r":4: warning IOS414: .*group 1", out), out


def test_lint_reads_a_config_with_no_isakmp_policy_as_the_default_suite() -> None:
    # 2801-serpa-beta has a key and a crypto map but no policy: IOS offers its default
    # suite (DES, SHA, RSA signatures, group 1), which cannot use the pre-shared key
    out = _lint(IPSEC / "2801-serpa-beta-ipsec.cfg")
    assert re.search(r"warning IOS412: .*no `crypto isakmp policy`", out), out


@pytest.mark.parametrize("path", sorted(IPSEC.glob("*.cfg")), ids=lambda p: p.name)
def test_lint_diff_and_audit_of_the_real_ipsec_configs_show_no_key(
    path: Path, tmp_path: Path
) -> None:
    name = f"ipsec/{path.name}"
    run = iosgen("lint", str(path))
    no_traceback(name, run)
    assert run.code in (0, 1)
    assert_no_secret(name, run)
    run = iosgen("diff", str(PLOVDIV), "--running", str(path))
    no_traceback(name, run)
    assert run.code == 1, run.err[-1500:]
    assert_no_secret(name, run)
    saved = tmp_path / "R-ITD.cfg"
    saved.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    run = iosgen("audit", "--host", "R-ITD", "-i", str(INVENTORY), "--from", str(tmp_path))
    no_traceback(name, run)
    assert run.code == 1, run.both[-1500:]
    assert_no_secret(name, run)
