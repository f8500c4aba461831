"""`iosgen build` on linux-pppd sites, and located errors for keys of the other platform."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from tests.linux.conftest import VARIANTS


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def site_file(tmp_path: Path) -> Path:
    path = tmp_path / "lx.yaml"
    path.write_text(VARIANTS["mppe-none-no-nat"])
    return path


def test_build_writes_the_tree_with_modes(site_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "out"
    code, out, err = run("build", str(site_file), "-o", str(target))
    assert code == 0 and out == ""
    assert f"wrote {target / 'etc/ppp/chap-secrets'}" in err

    def mode(path: str) -> int:
        return stat.S_IMODE((target / path).stat().st_mode)

    assert mode("etc/ppp/chap-secrets") == 0o600
    assert mode("etc/ppp/ip-up.d/iosgen") == 0o755
    assert mode("etc/ppp/ip-down") == 0o755
    assert mode("etc/ppp/peers/hq") == 0o644
    assert (
        r'lx hq "a \"quoted\" pass#word \\ with spaces" *'
        in (target / "etc/ppp/chap-secrets").read_text()
    )


def test_build_lists_files_with_secrets_masked(site_file: Path) -> None:
    code, out, err = run("build", str(site_file))
    assert code == 0
    assert "==> etc/ppp/chap-secrets (mode 0600) <==\n" in out
    assert "==> etc/ppp/ip-up.d/iosgen (mode 0755) <==\n#!/bin/sh\n" in out
    assert 'lx hq "<redacted>" *\n' in out
    assert 'lx2 empty "<redacted>" *\n' in out
    assert "quoted" not in out and '"plain"' not in out
    assert "secrets masked" in err


def test_build_show_secrets(site_file: Path) -> None:
    code, out, _ = run("build", str(site_file), "--show-secrets")
    assert code == 0
    assert 'lx2 empty "plain" *\n' in out


LINUX_WITH_IOS_KEYS = """\
hostname: lx-bad
platform: linux-pppd
management: {host: 192.0.2.1, username: root, password: x}
nat_acl: 20
interfaces:
  eth0:
    role: wan
    ipv4: dhcp
    dhcp_client_id: test
  FastEthernet0/1: {role: lan, ipv4: 192.168.50.1/24}
pptp_clients:
  hq:
    server: 192.0.2.10
    dialer: 1
    chap_hostname: lx
    chap_password: x
    nat_route_map: VPN
"""

IOS_WITH_LINUX_NAME = """\
hostname: R-BAD
platform: ios
management: {host: 192.0.2.1, username: root, password: x}
interfaces:
  Fa0/0: {role: wan, ipv4: dhcp}
  eth1: {role: lan, ipv4: 192.168.50.1/24}
"""


def test_ios_keys_on_a_linux_site_are_located_errors(tmp_path: Path) -> None:
    path = tmp_path / "lx.yaml"
    path.write_text(LINUX_WITH_IOS_KEYS)
    code, out, err = run("build", str(path), "-o", str(tmp_path / "out"))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"{path}:4:1: nat_acl: the NAT ACL number is IOS-only; platform is linux-pppd",
        f"{path}:9:5: interfaces.eth0.dhcp_client_id: dhcp_client_id is IOS-only; "
        "platform is linux-pppd",
        f"{path}:10:3: interfaces.FastEthernet0/1: 'FastEthernet0/1' is not an interface "
        "name on linux (eth0, eth1, ...)",
        f"{path}:17:5: pptp_clients.hq.nat_route_map: nat_route_map is IOS-only; "
        "platform is linux-pppd",
    ]
    assert not (tmp_path / "out").exists()


def test_linux_interface_name_on_an_ios_site_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "ios.yaml"
    path.write_text(IOS_WITH_LINUX_NAME)
    code, out, err = run("build", str(path))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"{path}:6:3: interfaces.eth1: 'eth1' is not an interface name on ios "
        "(FastEthernet0/0, Fa0/1, ...)"
    ]
