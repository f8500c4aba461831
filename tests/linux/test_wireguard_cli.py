"""`iosgen build` of a Linux site with WireGuard and IPsec tunnels: the files and their
modes, every secret masked in what is printed, and one clear error for what a Linux
IPsec tunnel cannot be."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.cli import app

WG_KEY = "GPsVTjJ5OGBaA5I1kkPsAVvcVvhipMeV6XvRrgM+flg="
WG_PSK = "e5vTVzOH0sEJnnpDprXBpHQw6JYRI69x/bNsI6hecJw="
PEER_KEY = "ULxnEICAv0D0YX5klgWaX3HUDzNn7IMjunP5KUF5FVo="
IPSEC_PSK = "psk with spaces # and more"

# A branch on its own (no inventory): the head office's key is given.
SITE = f"""
hostname: lx-alone
platform: linux
management: {{host: 192.0.2.5, username: root, password: root-demo}}
interfaces:
  eth0: {{role: wan, ipv4: 192.0.2.6/24, gateway: 192.0.2.1}}
  eth1: {{role: lan, ipv4: 192.168.90.1/24}}
internet_nat: true
tunnels:
  hq:
    kind: wireguard
    peer: 203.0.113.50
    private_key: {WG_KEY}
    preshared_key: {WG_PSK}
    peer_public_key: {PEER_KEY}
    address: 10.254.0.9/24
    remote_networks: [10.50.0.0/16]
    nat: true
  ios:
    kind: ipsec
    peer: 203.0.113.10
    pre_shared_key: '{IPSEC_PSK}'
    remote_networks: [10.10.0.0/16]
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def site_file(tmp_path: Path) -> Path:
    path = tmp_path / "lx-alone.yaml"
    path.write_text(SITE)
    return path


def test_build_writes_keys_owner_only(site_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "out"
    code, out, err = run("build", str(site_file), "-o", str(target))
    assert code == 0 and out == "", err
    for path in ("etc/wireguard/wg0.conf", "etc/swanctl/conf.d/iosgen.conf"):
        assert stat.S_IMODE((target / path).stat().st_mode) == 0o600, path
    wg = (target / "etc/wireguard/wg0.conf").read_text()
    assert f"PrivateKey = {WG_KEY}\n" in wg and f"PresharedKey = {WG_PSK}\n" in wg
    assert f'secret = "{IPSEC_PSK}"\n' in (target / "etc/swanctl/conf.d/iosgen.conf").read_text()
    rules = (target / "etc/iptables/rules.v4").read_text()
    assert '-s 192.168.90.0/24 -o wg0 -m comment --comment "iosgen:hq" -j MASQUERADE' in rules
    assert "-d 10.10.0.0/16 -m policy --dir out --pol ipsec" in rules


@pytest.mark.parametrize("show", [False, True], ids=["masked", "show-secrets"])
def test_printed_build_masks_every_secret(site_file: Path, show: bool) -> None:
    code, out, err = run("build", str(site_file), *(["--show-secrets"] if show else []))
    assert code == 0, err
    for secret in (WG_KEY, WG_PSK, IPSEC_PSK):
        assert (secret in out) is show, secret
        assert secret not in err
    assert PEER_KEY in out  # a public key is no secret
    if not show:
        assert "PrivateKey = <redacted>\n" in out and "PresharedKey = <redacted>\n" in out
        assert 'secret = "<redacted>"\n' in out


UNBUILT = [
    ("distance: 250", "tunnels.ios.distance: not built on Linux"),
    ("mtu: 1400", "tunnels.ios.mtu: not built on Linux"),
    ("address: 10.255.0.2/30", "tunnels.ios.address: not built on Linux"),
]


@pytest.mark.parametrize(("line", "message"), UNBUILT, ids=["distance", "mtu", "address"])
def test_what_a_linux_ipsec_tunnel_cannot_be_is_one_error(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "lx.yaml"
    path.write_text(SITE + f"    {line}\n")
    target = tmp_path / "out"
    code, out, err = run("build", str(path), "-o", str(target))
    assert code == 2
    assert message in err
    # located: the site file, the line, the column of the value
    line_number = path.read_text().splitlines().index(f"    {line}") + 1
    column = len("    ") + line.index(": ") + 3
    assert err.startswith(f"{path}:{line_number}:{column}: "), err
    assert len(err.strip().splitlines()) == 1
    assert IPSEC_PSK not in err + out
    assert not target.exists()  # nothing half-written


def test_a_linux_ipsec_tunnel_without_remote_networks_is_located(tmp_path: Path) -> None:
    path = tmp_path / "lx.yaml"
    text = SITE
    start = text.rindex("    remote_networks:")  # the ios tunnel's, the last
    end = text.index("\n", start) + 1
    path.write_text(text[:start] + text[end:])
    code, _out, err = run("build", str(path), "-o", str(tmp_path / "out"))
    assert code == 2, err
    assert str(path) in err and "remote_networks" in err and "give at least one" in err


def test_ipsec_nat_hides_the_lans_behind_the_wan_address(tmp_path: Path) -> None:
    path = tmp_path / "lx.yaml"
    path.write_text(SITE + "    nat: true\n")
    target = tmp_path / "out"
    code, _, err = run("build", str(path), "-o", str(target))
    assert code == 0, err
    swan = (target / "etc/swanctl/conf.d/iosgen.conf").read_text()
    assert "local_ts = dynamic\n" in swan
    rules = (target / "etc/iptables/rules.v4").read_text()
    nat = (
        "-A POSTROUTING -s 192.168.90.0/24 -d 10.10.0.0/16 -o eth0"
        ' -m comment --comment "iosgen:ios" -j MASQUERADE'
    )
    assert nat in rules
    assert "--pol ipsec" not in rules  # nothing to exempt: the tunnel wants the NAT
