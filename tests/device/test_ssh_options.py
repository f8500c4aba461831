"""Per-host SSH options: `management.ssh` in a site, `ssh:` in a targets entry, and the
route an ssh_config(5) file makes of them (iosgen.device.sshconfig)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.device.sshconfig import LEGACY_ALGORITHMS, disabled_algorithms, resolve
from iosgen.errors import InputError, UsageError
from iosgen.model.inventory import load_site
from iosgen.model.sshoptions import SshOptions, parse_jump
from iosgen.model.targets import Target, read_targets_file, target_of
from tests.conftest import INVENTORY

ENTRY = '"R-ITD":\n  host: 127.0.0.1\n  port: 2201\n  username: netops\n  password: pw\n'


def targets(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_targets_entry_reads_its_ssh_options(tmp_path: Path) -> None:
    key = tmp_path / "id_ed25519"
    key.write_text("not read here")
    path = targets(
        tmp_path,
        ENTRY + "  ssh:\n    proxy_jump: jump@bastion.example.net:2222\n"
        f"    identity_file: {key}\n    legacy_algorithms: false\n",
    )
    target = read_targets_file(path)["r-itd"]
    assert target.ssh.jump is not None
    assert target.ssh.jump == ("jump", "bastion.example.net", 2222)
    assert target.ssh.identity_file == str(key)
    assert target.ssh.legacy_algorithms is False


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            ENTRY + "  proxy_jump: bastion\n",
            "6:3: R-ITD.proxy_jump",
            "unknown key 'proxy_jump'",
        ),
        (
            ENTRY + "  ssh:\n    proxy_jmp: bastion\n",
            "7:5: R-ITD.ssh.proxy_jmp",
            "unknown key 'proxy_jmp' (did you mean 'proxy_jump'?)",
        ),
        (
            ENTRY + "  ssh:\n    proxy_jump: 'a@b@c'\n",
            "7:17: R-ITD.ssh.proxy_jump",
            "is not a jump host ([user@]host[:port])",
        ),
        (
            ENTRY + "  ssh:\n    proxy_jump: 'a,b'\n",
            "7:17: R-ITD.ssh.proxy_jump",
            "one jump host only",
        ),
        (
            ENTRY + "  ssh:\n    legacy_algorithms: sometimes\n",
            "7:24: R-ITD.ssh.legacy_algorithms",
            "valid boolean",
        ),
        (ENTRY + "  ssh: [proxy_jump]\n", "6:8: R-ITD.ssh", "expected a mapping"),
    ],
    ids=["top-level", "misspelt", "bad-jump", "two-hops", "not-a-bool", "not-a-mapping"],
)
def test_bad_ssh_option_is_one_located_error(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = targets(tmp_path, text)
    with pytest.raises(InputError) as caught:
        read_targets_file(path)
    lines = caught.value.lines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}:{where}: ")
    assert message in lines[0]
    assert caught.value.exit_code == 2


def test_cli_refuses_a_misspelt_option_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    path = targets(tmp_path, ENTRY + "  ssh:\n    identity_fle: ~/.ssh/id\n")
    result = CliRunner().invoke(app, ["audit", "--host", "R-ITD", "--targets", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"{path}:7:5: R-ITD.ssh.identity_fle: unknown key 'identity_fle'" in result.output


def test_inventory_management_ssh_reaches_the_target(tmp_path: Path) -> None:
    sites = tmp_path / "inv"
    shutil.copytree(INVENTORY, sites)
    site_file = sites / "sites" / "plovdiv.yaml"
    text = site_file.read_text().replace(
        "  enable_secret: ${IOSGEN_R_ITD_ENABLE}\n",
        "  enable_secret: ${IOSGEN_R_ITD_ENABLE}\n  ssh:\n    proxy_jump: ops@10.10.0.5\n",
    )
    site_file.write_text(text)
    target = target_of(load_site(site_file))
    assert target.ssh == SshOptions(proxy_jump="ops@10.10.0.5")


def test_inventory_misspelt_ssh_option_is_located(tmp_path: Path) -> None:
    sites = tmp_path / "inv"
    shutil.copytree(INVENTORY, sites)
    site_file = sites / "sites" / "plovdiv.yaml"
    text = site_file.read_text().replace(
        "  enable_secret: ${IOSGEN_R_ITD_ENABLE}\n",
        "  enable_secret: ${IOSGEN_R_ITD_ENABLE}\n  ssh:\n    proxyjump: ops@10.10.0.5\n",
    )
    site_file.write_text(text)
    with pytest.raises(InputError) as caught:
        load_site(site_file)
    assert f"{site_file}:14:5: management.ssh.proxyjump: unknown key" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bastion", (None, "bastion", None)),
        ("ops@bastion:2222", ("ops", "bastion", 2222)),
        ("[2001:db8::1]:22", (None, "2001:db8::1", 22)),
    ],
    ids=["host", "user-host-port", "ipv6"],
)
def test_parse_jump(text: str, expected: tuple[object, ...]) -> None:
    assert tuple(parse_jump(text)) == expected


def target(tmp_path: Path, **ssh: object) -> Target:
    from iosgen.model.secret import Secret

    return Target(
        "R-ITD", "r-itd", 22, "netops", Secret("pw", source="test"), ssh=SshOptions(**ssh)
    )


def ssh_config(tmp_path: Path, key: Path) -> Path:
    path = tmp_path / "ssh_config"
    path.write_text(
        "Host r-itd\n  HostName 198.51.100.10\n  Port 2201\n  ProxyJump bastion\n"
        f"Host bastion\n  HostName 192.0.2.7\n  User jumper\n  Port 2022\n  IdentityFile {key}\n"
        "Host *\n  User nobody\n",
        encoding="utf-8",
    )
    return path


def test_ssh_config_fills_address_port_jump_user_and_key(tmp_path: Path) -> None:
    key = tmp_path / "jump_key"
    key.write_text("-")
    route = resolve(target(tmp_path, config_file=str(ssh_config(tmp_path, key))), True)
    assert (route.target.host, route.target.port) == ("198.51.100.10", 2201)
    assert route.jump is not None
    hop = route.jump
    assert (hop.user, hop.host, hop.port, hop.identity_files) == (
        "jumper",
        "192.0.2.7",
        2022,
        (str(key),),
    )
    assert route.legacy is True


def test_own_options_win_over_the_config_file(tmp_path: Path) -> None:
    key = tmp_path / "jump_key"
    key.write_text("-")
    mine = tmp_path / "mine"
    mine.write_text("-")
    config = str(ssh_config(tmp_path, key))
    route = resolve(
        target(tmp_path, config_file=config, proxy_jump="me@10.0.0.9:22", identity_file=str(mine)),
        True,
    )
    assert route.jump is not None
    assert (route.jump.user, route.jump.host, route.jump.port) == ("me", "10.0.0.9", 22)
    assert route.jump.identity_files == (str(mine),)
    direct = resolve(target(tmp_path, config_file=config, proxy_jump="none"), True)
    assert direct.jump is None


@pytest.mark.parametrize(
    ("ssh", "message"),
    [
        ({"config_file": "/nonexistent/ssh_config"}, "ssh config_file /nonexistent/ssh_config"),
        (
            {"proxy_jump": "ops@bastion", "identity_file": "/nonexistent/key"},
            "identity_file /nonexistent/key (jump host ops@bastion): no such file",
        ),
    ],
    ids=["no-config-file", "no-key-file"],
)
def test_missing_files_are_usage_errors(
    tmp_path: Path, ssh: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve(target(tmp_path, **ssh), True)


@pytest.mark.parametrize(
    ("legacy", "default", "disabled"),
    [(None, True, False), (None, False, True), (False, True, True), (True, False, False)],
    ids=["ios-default", "linux-default", "off-for-a-router", "on-for-a-box"],
)
def test_legacy_algorithms_per_host(
    tmp_path: Path, legacy: bool | None, default: bool, disabled: bool
) -> None:
    route = resolve(target(tmp_path, legacy_algorithms=legacy), default)
    off = disabled_algorithms(route.legacy)
    assert bool(off) is disabled
    if disabled:
        assert "diffie-hellman-group1-sha1" in off["kex"] and "aes128-cbc" in off["ciphers"]
        assert off["keys"] == ["ssh-rsa"]


def test_legacy_table_is_what_debian_openssh_leaves_out() -> None:
    """Each legacy name is absent from Debian 12's OpenSSH client defaults (`ssh -G`)."""
    import subprocess

    if shutil.which("ssh") is None:
        pytest.fail("missing ssh: apt-get install openssh-client (listed in .ci/apt-linux.txt)")
    out = subprocess.run(
        ["ssh", "-G", "-F", "/dev/null", "example.net"], capture_output=True, text=True, check=True
    ).stdout
    defaults = {
        line.split()[0]: set(line.split()[1].split(","))
        for line in out.splitlines()
        if len(line.split()) == 2
    }
    option = {
        "kex": "kexalgorithms",
        "ciphers": "ciphers",
        "keys": "hostkeyalgorithms",
        "pubkeys": "pubkeyacceptedalgorithms",
        "macs": "macs",
    }
    for kind, names in LEGACY_ALGORITHMS.items():
        assert not set(names) & defaults[option[kind]], kind


def test_an_identity_file_for_a_router_itself_is_refused(tmp_path: Path) -> None:
    from iosgen.device.session import Device

    key = tmp_path / "key"
    key.write_text("-")
    with pytest.raises(UsageError, match=r"IOS 12\.4 logs in with the password only"):
        Device(target(tmp_path, identity_file=str(key))).connect()


def test_a_chain_of_jump_hosts_in_the_config_file_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "ssh_config"
    config.write_text("Host r-itd\n  ProxyJump a.example.net,b.example.net\n")
    with pytest.raises(UsageError, match="one jump host only"):
        resolve(target(tmp_path, config_file=str(config)), True)
