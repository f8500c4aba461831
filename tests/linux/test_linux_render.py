"""The Linux tree: file set and modes, pppd options per MPPE mode, chap-secrets
quoting and masking, the hooks' steps, reproducibility, goldens, lint findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.build import build_site
from iosgen.build.linux import render_linux
from iosgen.build.linux.chapsecrets import pppd_quote, secret_problem
from iosgen.errors import RenderError
from iosgen.lint.checks.linux import linux_findings
from iosgen.model.secret import Secret
from iosgen.model.site import Site
from tests.conftest import GOLDEN
from tests.linux.conftest import LINUX_SITE_FILES, VARIANTS, load_linux_site, site_from_yaml


def plovdiv(tmp_path: Path) -> Site:
    return load_linux_site(LINUX_SITE_FILES["plovdiv-gw"], tmp_path)


def with_tunnel(site: Site, **changes: object) -> Site:
    """The site with its `sofia` tunnel changed."""
    clients = {"sofia": site.pptp_clients["sofia"].model_copy(update=changes)}
    return site.model_copy(update={"pptp_clients": clients})


def files_of(site: Site) -> dict[str, tuple[str, int]]:
    files, _ = render_linux(site)
    return {f.path: (f.content, f.mode) for f in files}


# --- golden trees -----------------------------------------------------------------------


@pytest.mark.parametrize("hostname", sorted(LINUX_SITE_FILES))
def test_build_matches_golden_tree(hostname: str, tmp_path: Path) -> None:
    site = load_linux_site(LINUX_SITE_FILES[hostname], tmp_path)
    golden = GOLDEN / hostname
    on_disk = {p.relative_to(golden).as_posix(): p for p in golden.rglob("*") if p.is_file()}
    built = files_of(site)
    assert sorted(on_disk) == sorted(built)
    for path, (content, mode) in built.items():
        assert on_disk[path].read_text() == content, path
        # git keeps only the executable bit: scripts are executable, nothing else is.
        assert bool(on_disk[path].stat().st_mode & 0o100) == bool(mode & 0o100), path


def test_two_builds_are_identical(tmp_path: Path) -> None:
    site = plovdiv(tmp_path)
    assert render_linux(site) == render_linux(site)


# --- the file set -----------------------------------------------------------------------


def test_file_set_and_modes_of_a_two_tunnel_site(tmp_path: Path) -> None:
    site = load_linux_site(LINUX_SITE_FILES["gabrovo-gw"], tmp_path)
    modes = {path: mode for path, (_, mode) in files_of(site).items()}
    assert modes == {
        "etc/inittab.iosgen": 0o644,
        "etc/iptables/rules.v4": 0o644,
        "etc/ppp/chap-secrets": 0o600,
        "etc/ppp/ip-down": 0o755,
        "etc/ppp/ip-down.d/iosgen": 0o755,
        "etc/ppp/ip-up": 0o755,
        "etc/ppp/ip-up.d/iosgen": 0o755,
        "etc/ppp/options.pptp": 0o644,
        "etc/ppp/peers/sofia": 0o644,
        "etc/ppp/peers/varna": 0o644,
        "etc/sysctl.d/90-iosgen.conf": 0o644,
        "etc/systemd/system/pptp-sofia.service": 0o644,
        "etc/systemd/system/pptp-varna.service": 0o644,
    }


def test_site_without_tunnels_has_no_pppd_files(tmp_path: Path) -> None:
    """No PPTP tunnel, no pppd to read etc/ppp/*: not options.pptp, not chap-secrets,
    not the hooks, peers, units or inittab lines; the gateway's files stay."""
    site = site_from_yaml(VARIANTS["no-tunnel"], tmp_path)
    paths = set(files_of(site))
    assert not any(p.startswith(("etc/ppp/", "etc/systemd/")) for p in paths), paths
    assert "etc/inittab.iosgen" not in paths
    assert paths == {"etc/iptables/rules.v4", "etc/sysctl.d/90-iosgen.conf"}


def test_wireguard_and_ipsec_only_site_has_no_pppd_files() -> None:
    from iosgen.build import build_site
    from tests.linux.vpn_support import vpn_sites

    sites = vpn_sites()
    for host in ("lx-br1", "lx-hq"):
        paths = {f.path for f in build_site(sites[host]).files}
        assert not [p for p in paths if p.startswith("etc/ppp/") or "pptp" in p], host
    assert {f.path for f in build_site(sites["lx-br1"]).files} == {
        "etc/iptables/rules.v4",
        "etc/swanctl/conf.d/iosgen.conf",
        "etc/sysctl.d/90-iosgen.conf",
        "etc/wireguard/wg0.conf",
    }


def test_ios_site_is_refused() -> None:
    from iosgen.model.inventory import load_site
    from tests.conftest import INVENTORY

    site = load_site(INVENTORY / "sites" / "plovdiv.yaml")
    with pytest.raises(RenderError, match="does not build a Linux tree"):
        render_linux(site)


# --- peer files -------------------------------------------------------------------------

MPPE_LINES = [
    ("none", False, []),
    ("auto", False, ["require-mppe"]),
    ("auto", True, ["require-mppe"]),
    ("40", True, ["require-mppe-40"]),
    ("128", False, ["require-mppe-128"]),
    ("128", True, ["require-mppe-128"]),
]


@pytest.mark.parametrize(
    ("mppe", "required", "expected"), MPPE_LINES, ids=[f"{m}-{r}" for m, r, _ in MPPE_LINES]
)
def test_peer_mppe_options(mppe: str, required: bool, expected: list[str], tmp_path: Path) -> None:
    """pppd's MPPE is always required once on; `none` is pppd's default (no line)."""
    site = with_tunnel(plovdiv(tmp_path), mppe=mppe, mppe_required=required)
    peer = files_of(site)["etc/ppp/peers/sofia"][0]
    assert [line for line in peer.splitlines() if "mppe" in line and not line.startswith("#")] == (
        expected
    )


def test_peer_lines(tmp_path: Path) -> None:
    site = with_tunnel(plovdiv(tmp_path), mtu=1400)
    lines = [
        line
        for line in files_of(site)["etc/ppp/peers/sofia"][0].splitlines()
        if not line.startswith("#")
    ]
    assert lines == [
        'pty "pptp 203.0.113.10 --nolaunchpppd"',
        "file /etc/ppp/options.pptp",
        "name plovdiv",
        "remotename sofia",
        "ipparam sofia",
        "unit 2",
        "mtu 1400",
        "mru 1400",
        "require-mppe-128",
        "refuse-pap",
        "refuse-eap",
        "noauth",
        "nodefaultroute",
        "persist",
        "maxfail 0",
        "holdoff 10",
    ]


# --- chap-secrets -----------------------------------------------------------------------

QUOTES = [
    ("Pe5n", '"Pe5n"'),
    ("two words", '"two words"'),
    ('say "hi"', r'"say \"hi\""'),
    ("back\\slash", r'"back\\slash"'),
    ("hash#not-a-comment", '"hash#not-a-comment"'),
    ("single'quote", '"single\'quote"'),
    ("tab\tnew\nline", r'"tab\011new\012line"'),
    ("digit after \x01" + "7", r'"digit after \0017"'),
    ("", '""'),
]


@pytest.mark.parametrize(("secret", "quoted"), QUOTES, ids=[q for _, q in QUOTES])
def test_pppd_quote(secret: str, quoted: str) -> None:
    assert pppd_quote(secret) == quoted


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        ("x" * 255, None),
        ("x" * 256, "is 256 bytes; pppd keeps only the first 255"),
        ("é" * 128, "is 256 bytes; pppd keeps only the first 255"),
        ("a\x00b", "contains a NUL byte, where pppd ends the secret"),
    ],
    ids=["255", "256", "utf8-256", "nul"],
)
def test_secret_problem(secret: str, problem: str | None) -> None:
    assert secret_problem(secret) == problem


def test_too_long_secret_is_a_render_error(tmp_path: Path) -> None:
    site = with_tunnel(plovdiv(tmp_path), chap_password=Secret("x" * 300))
    with pytest.raises(RenderError, match=r"pptp_clients\.sofia\.chap_password is 300 bytes"):
        render_linux(site)


def test_chap_secrets_line_and_masking(tmp_path: Path) -> None:
    secret = 'my "secret" pass'
    site = with_tunnel(plovdiv(tmp_path), chap_password=Secret(secret))
    build = build_site(site)
    content = next(f.content for f in build.files if f.path == "etc/ppp/chap-secrets")
    assert content.splitlines()[-1] == r'plovdiv sofia "my \"secret\" pass" *'
    masked = build.masked(content)
    assert masked.splitlines()[-1] == 'plovdiv sofia "<redacted>" *'
    assert "secret" not in masked.replace("chap-secrets", "").lower().replace(
        "secret addresses", ""
    )


# --- hooks ------------------------------------------------------------------------------


def test_hook_steps_follow_the_model(tmp_path: Path) -> None:
    site = load_linux_site(LINUX_SITE_FILES["gabrovo-gw"], tmp_path)
    up = files_of(site)["etc/ppp/ip-up.d/iosgen"][0]
    down = files_of(site)["etc/ppp/ip-down.d/iosgen"][0]
    assert (
        "    sofia)\n"
        "        route_add 10.10.0.0/16\n"
        "        route_add 10.11.0.0/16\n"
        "        nat_add 192.168.40.0/24\n"
        "        nat_add 192.168.41.0/24\n"
        "        ;;\n"
        "    varna)\n"
        "        route_add 192.168.20.0/24\n"
        "        ;;\n"
    ) in up
    assert (
        "    sofia)\n"
        "        nat_del 192.168.41.0/24\n"
        "        nat_del 192.168.40.0/24\n"
        "        route_del 10.11.0.0/16\n"
        "        route_del 10.10.0.0/16\n"
        "        ;;\n"
    ) in down
    assert '-o "${PPP_IFACE}" -m comment --comment "iosgen:${PPP_IPPARAM}" -j MASQUERADE' in up


def test_inittab_ids_are_unique_and_short(tmp_path: Path) -> None:
    site = load_linux_site(LINUX_SITE_FILES["gabrovo-gw"], tmp_path)
    lines = [
        line
        for line in files_of(site)["etc/inittab.iosgen"][0].splitlines()
        if not line.startswith("#")
    ]
    assert lines == [
        "pp01:2345:respawn:/usr/sbin/pppd call sofia nodetach",
        "pp03:2345:respawn:/usr/sbin/pppd call varna nodetach",
    ]


# --- lint -------------------------------------------------------------------------------


def test_findings_of_an_encrypted_tunnel(tmp_path: Path) -> None:
    findings = linux_findings(plovdiv(tmp_path))
    assert [(code, severity) for code, severity, _ in findings] == [("SITE401", "warning")]
    assert findings[0][2].startswith("pptp_clients.sofia: ")


def test_findings_of_an_unencrypted_tunnel(tmp_path: Path) -> None:
    site = with_tunnel(plovdiv(tmp_path), mppe="none")
    assert [code for code, _, _ in linux_findings(site)] == ["SITE401", "SITE403"]
    assert "in clear" in linux_findings(site)[1][2]


def test_no_findings_without_tunnels(tmp_path: Path) -> None:
    assert linux_findings(site_from_yaml(VARIANTS["no-tunnel"], tmp_path)) == []
