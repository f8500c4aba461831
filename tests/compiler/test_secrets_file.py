"""The secrets file for `secret:NAME`: `--secrets FILE`, else `<inventory>/secrets.yaml`.

The inventory is `-i DIR`, or for a site file the folder above its `sites/` (where its
defaults and groups come from too). Every command that loads sites finds the same file,
wherever it runs from; a missing secret names the file read, or where none was found.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from tests.conftest import GOLDEN, INVENTORY

NAME = "itd-password"


def run(*args: str | Path) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def inv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example inventory whose R-ITD password is `secret:itd-password`,
    with its secrets.yaml; the commands run from a folder that has no inventory/."""
    root = tmp_path / "inv"
    shutil.copytree(INVENTORY, root)
    site = root / "sites" / "plovdiv.yaml"
    text = site.read_text()
    assert "password: ${IOSGEN_R_ITD_PASSWORD}" in text
    site.write_text(text.replace("${IOSGEN_R_ITD_PASSWORD}", f"secret:{NAME}"))
    (root / "secrets.yaml").write_text(f"{NAME}: from-the-inventory\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return root


def closed_port_targets(tmp_path: Path) -> Path:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    targets = tmp_path / "targets.yaml"
    targets.write_text(f"R-ITD: {{host: 127.0.0.1, port: {port}, username: netops, password: x}}\n")
    return targets


def commands(inv: Path, tmp_path: Path) -> dict[str, tuple[str | Path, ...]]:
    """Each command that loads sites, with the exit code it gives once they load."""
    site = inv / "sites" / "plovdiv.yaml"
    saved = tmp_path / "saved"
    saved.mkdir(exist_ok=True)
    running = saved / "R-ITD.cfg"
    running.write_text((GOLDEN / "R-ITD.cfg").read_text())
    targets = closed_port_targets(tmp_path)
    live = ("--targets", targets, "--known-hosts", tmp_path / "kh")
    return {
        "build-site": ("build", site),
        "build-all": ("build", "--all", "-i", inv, "-o", tmp_path / "out"),
        "check": ("check", "-i", inv, "--golden", GOLDEN),
        "lint": ("lint", site),
        "diff-site": ("diff", site, "--running", running),
        "diff-host": ("diff", "--host", "R-ITD", "-i", inv, "--running", running),
        "audit": ("audit", "--host", "R-ITD", "-i", inv, "--from", saved),
        "backup": ("backup", "--host", "R-ITD", "-i", inv, "-o", tmp_path / "bk", *live),
        "push": ("push", "--host", "R-ITD", "-i", inv, "--dry-run", *live),
    }


def test_every_command_reads_the_inventorys_secrets_file(inv: Path, tmp_path: Path) -> None:
    for name, args in commands(inv, tmp_path).items():
        result = run(*args)
        # loaded: the command went on to its own work (R-ITD's password changed, so
        # check and diff find drift; backup and push find no router on a closed port)
        assert result.exit_code != 2, (name, result.output)
        assert "is not in" not in result.output, name


def test_without_the_file_the_error_says_where_it_looked(inv: Path, tmp_path: Path) -> None:
    (inv / "secrets.yaml").unlink()
    for name, args in commands(inv, tmp_path).items():
        result = run(*args)
        assert result.exit_code == 2, (name, result.output)
        expected = f"secret {NAME!r} is not in {inv / 'secrets.yaml'} (no such file; "
        assert expected in result.stderr, (name, result.stderr)
        assert "plovdiv.yaml:11:13: management.password: " in result.stderr, name
        assert "inventory/secrets.yaml" not in result.stderr, name


def test_a_file_without_the_secret_is_named(inv: Path) -> None:
    (inv / "secrets.yaml").write_text("other: value\n")
    for args in (("build", inv / "sites" / "plovdiv.yaml"), ("build", "--all", "-i", inv)):
        result = run(*args, "-o", inv.parent / "out")
        assert result.exit_code == 2
        assert result.stderr.endswith(f"secret {NAME!r} is not in {inv / 'secrets.yaml'}\n")


def test_secrets_option_wins_for_every_command(inv: Path, tmp_path: Path) -> None:
    (inv / "secrets.yaml").write_text("other: value\n")
    chosen = tmp_path / "vault.yaml"
    chosen.write_text(f"{NAME}: from-the-option\n")
    for name, args in commands(inv, tmp_path).items():
        result = run(*args, "--secrets", chosen)
        assert result.exit_code != 2, (name, result.output)
    missing = run("build", inv / "sites" / "plovdiv.yaml", "--secrets", tmp_path / "nope.yaml")
    assert missing.exit_code == 2
    assert missing.stderr == f"{tmp_path / 'nope.yaml'}:1:1: secrets file not found\n"


def test_the_secret_reaches_the_config(inv: Path, tmp_path: Path) -> None:
    out = tmp_path / "r-itd.cfg"
    assert run("build", inv / "sites" / "plovdiv.yaml", "-o", out).exit_code == 0
    other = tmp_path / "other.cfg"
    (inv / "secrets.yaml").write_text(f"{NAME}: another-password\n")
    assert run("build", inv / "sites" / "plovdiv.yaml", "-o", other).exit_code == 0
    mine = [line for line in out.read_text().splitlines() if line.startswith("username netops")]
    theirs = [line for line in other.read_text().splitlines() if "username netops" in line]
    assert mine and theirs and mine != theirs  # the hash follows the file's value


def test_a_site_outside_an_inventory_uses_the_i_inventory(inv: Path, tmp_path: Path) -> None:
    loose = tmp_path / "loose.yaml"
    text = (inv / "sites" / "plovdiv.yaml").read_text().replace("groups: [branch]\n", "")
    loose.write_text(text)
    assert run("build", loose, "-i", inv).exit_code == 0
    (tmp_path / "empty").mkdir()
    result = run("build", loose, "-i", tmp_path / "empty")
    assert result.exit_code == 2
    assert f"is not in {tmp_path / 'empty' / 'secrets.yaml'} (no such file" in result.stderr
    # from the working directory's point of view when it is inside it
    here = run("build", loose, "-i", ".")
    assert "is not in secrets.yaml (no such file" in here.stderr
