"""Hostile input through the real CLI in a subprocess: refused, exit 2, no hang, no blow-up.

FIFOs and devices cannot live in the bad/ folder, and an alias bomb is only
shown harmless by a process with a memory cap, so these run `iosgen` itself.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import INVENTORY

BAD = Path(__file__).parent / "bad"
SITE = BAD / "sites" / "bad-role.yaml"
IOSGEN = Path(sys.executable).parent / "iosgen"  # the installed console script
MEMORY_CAP = 1 << 30  # 1 GiB of address space: the bomb used 24 GB before


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def iosgen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, IOSGEN_TEST_PASSWORD="test-password", IOSGEN_TEST_CHAP="test-chap")
    return subprocess.run(
        [str(IOSGEN), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        preexec_fn=_cap_memory,
    )


def good_site() -> str:
    return SITE.read_text().replace("role: dmz", "role: lan")


def refused(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_the_good_site_builds(tmp_path: Path) -> None:
    """The baseline every case below mutates really builds."""
    (tmp_path / "site.yaml").write_text(good_site().replace("groups: [branch]\n", ""))
    result = iosgen("build", str(tmp_path / "site.yaml"), "-o", str(tmp_path / "out.cfg"))
    assert result.returncode == 0, result.stderr
    assert "interface Dialer2" in (tmp_path / "out.cfg").read_text()


def test_fifo_as_site_file_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "site.yaml"
    os.mkfifo(fifo)
    result = iosgen("build", str(fifo), "-o", str(tmp_path / "out.cfg"))
    refused(result, "site.yaml:1:1: not a regular file (a FIFO)")
    assert not (tmp_path / "out.cfg").exists()


def test_device_as_site_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    result = iosgen("build", "/dev/zero", "-o", str(tmp_path / "out.cfg"))
    refused(result, "/dev/zero:1:1: not a regular file (a device)")


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_fifo_or_device_as_secrets_file_is_refused(tmp_path: Path, kind: str) -> None:
    secrets = tmp_path / "secrets.yaml"
    if kind == "fifo":
        os.mkfifo(secrets)
    else:
        secrets = Path("/dev/zero")
    (tmp_path / "site.yaml").write_text(good_site().replace("groups: [branch]\n", ""))
    result = iosgen("build", str(tmp_path / "site.yaml"), "--secrets", str(secrets))
    refused(result, f"{secrets}:1:1: not a regular file")


def test_an_oversized_site_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "site.yaml"
    big.write_text(good_site() + "# " + "x" * (2 << 20) + "\n")
    refused(iosgen("build", str(big)), "larger than 1048576 bytes")


def test_billion_laughs_is_refused_at_the_alias_within_the_memory_cap(tmp_path: Path) -> None:
    lines = ["lol: &l0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 10)]
    bomb = tmp_path / "site.yaml"
    bomb.write_text("\n".join(lines) + "\n" + good_site())
    result = iosgen("build", str(bomb))
    # l4 is the first level past 100,000 expanded nodes: 10 + 100 + ... + 100,000.
    refused(result, "site.yaml:5:", "alias *l3 expands the document past 100000 nodes")


def test_recursive_alias_is_refused_at_the_alias(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(good_site().replace("[10.10.0.0/16]", "&n [10.10.0.0/16, *n]"))
    refused(iosgen("build", str(site)), "recursive alias *n: it is inside the node it names")


def test_pptp_clients_true_on_a_linux_site(tmp_path: Path) -> None:
    text = (INVENTORY / "sites" / "plovdiv-linux.yaml").read_text()
    text = text[: text.index("pptp_clients:")] + "pptp_clients: true\n"
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "x.yaml").write_text(text.replace("groups: [branch]\n", ""))
    result = iosgen("build", "sites/x.yaml", cwd=tmp_path)
    refused(result, "sites/x.yaml:", "pptp_clients: ", "expected a mapping of keys")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("FastEthernet0/2", "this router has no FastEthernet0/2 (it has FastEthernet0/0, Fast"),
        ("Fa0/9", "this router has no FastEthernet0/9"),
        ("Eth0", "this router has no Ethernet0"),
        ("FastEthernet\uff10/1", "non-ASCII character (interface numbers are the digits 0-9"),
        ("Fa\u0660/\u0661", "this router has FastEthernet0/0, FastEthernet0/1;"),
    ],
)
def test_ports_a_2801_does_not_have(tmp_path: Path, name: str, expected: str) -> None:
    site = tmp_path / "site.yaml"
    text = good_site().replace("groups: [branch]\n", "")
    site.write_text(text.replace("  FastEthernet0/1:", f"  {name}:"))
    result = iosgen("build", str(site), "-o", str(tmp_path / "out.cfg"))
    refused(result, "site.yaml:10:3: interfaces.", expected)
    assert not (tmp_path / "out.cfg").exists()


def test_dialer_12_on_ios_is_refused_but_builds_on_linux(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(
        good_site().replace("groups: [branch]\n", "").replace("dialer: 2", "dialer: 12")
    )
    refused(iosgen("build", str(site)), "pptp_clients.sofia.dialer: dialer 12 is outside 1-10")
    text = (
        (INVENTORY / "sites" / "plovdiv-linux.yaml").read_text().replace("dialer: 2", "dialer: 12")
    )
    linux = tmp_path / "linux.yaml"
    linux.write_text(text.replace("groups: [branch]\n", ""))
    result = iosgen("build", str(linux), "-o", str(tmp_path / "tree"))
    assert result.returncode == 0, result.stderr


# -- found by review: configs from FIFOs and devices, special targets, other integers ----


@pytest.mark.parametrize("command", ["lint", "diff"])
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_config_that_is_a_fifo_or_device_is_refused_unread(
    tmp_path: Path, command: str, kind: str
) -> None:
    path = tmp_path / "running.cfg"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    site = tmp_path / "site.yaml"
    site.write_text(good_site().replace("groups: [branch]\n", ""))
    args = [str(path)] if command == "lint" else [str(site), "--running", str(path)]
    what = "a FIFO" if kind == "fifo" else "a device"
    refused(iosgen(command, *args), f"{path}:1:1: not a regular file ({what})")


def test_diff_refuses_a_binary_running_config(tmp_path: Path) -> None:
    path = tmp_path / "running.cfg"
    path.write_bytes(b"hostname R1\n\x00\x01\x02")
    site = tmp_path / "site.yaml"
    site.write_text(good_site().replace("groups: [branch]\n", ""))
    refused(iosgen("diff", str(site), "--running", str(path)), "binary data (a NUL byte)")


def test_build_never_replaces_a_device_or_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "out.cfg"
    os.mkfifo(fifo)
    (tmp_path / "site.yaml").write_text(good_site().replace("groups: [branch]\n", ""))
    result = iosgen("build", str(tmp_path / "site.yaml"), "-o", str(fifo))
    refused(result, "exists and is not a regular file: nothing written")
    assert fifo.is_fifo()


@pytest.mark.parametrize("spelling", ["0x1F", "0b101", "1_000", "+12"])
def test_integers_yaml_would_respell_are_refused(tmp_path: Path, spelling: str) -> None:
    text = good_site().replace("groups: [branch]\n", "")
    text = text.replace("${IOSGEN_TEST_CHAP}", spelling, 1)
    assert spelling in text
    (tmp_path / "site.yaml").write_text(text)
    refused(iosgen("build", str(tmp_path / "site.yaml")), "YAML 1.1 reads an unquoted 0x1F")
