"""Build, audit and push read the migration states (`.iosgen/migrations`, or the
`migrations` setting): the loader gives a branch mid-migration the site of its step done
and compiles its head office from it; `iosgen migrate` reads the files as they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from migkit import TUNNEL
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.diff.audit import intended_config
from iosgen.migrate.state import write_state
from iosgen.model.inventory import load_files, load_inventory, load_resolver
from iosgen.model.migration import FLOATING_DISTANCE, MigrationState
from iosgen.model.statefolder import MIGRATIONS_ENV

HOST = "R-SHUMEN"
KEY = "${IOSGEN_R_SHUMEN_SOFIA_PSK}"


def _state(done: int) -> MigrationState:
    return MigrationState(HOST, TUNNEL, "sofia-ipsec", KEY, "R-SOFIA", done=done)


@pytest.fixture
def states(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "states"
    monkeypatch.setenv(MIGRATIONS_ENV, str(folder))
    return folder


def test_no_state_folder_changes_nothing(inventory: Path, states: Path) -> None:
    assert not states.exists()
    site = load_inventory(inventory).find(HOST)
    assert set(site.tunnels) == {TUNNEL}


@pytest.mark.parametrize("done", [1, 2, 3])
def test_a_branch_at_its_step_and_its_head_office(inventory: Path, states: Path, done: int) -> None:
    write_state(states, _state(done))
    inv = load_inventory(inventory)
    branch = inv.find(HOST)
    assert "sofia-ipsec" in branch.ipsec_tunnels
    assert (TUNNEL in branch.pptp_clients) is (done < 3)
    ipsec = branch.ipsec_tunnels["sofia-ipsec"]
    assert (ipsec.distance == FLOATING_DISTANCE) is (done == 1)
    # the loaded entry keeps its file (push and audit name it)
    assert inv.file_of(branch).name == "shumen.yaml"
    office = intended_config(inv.find("R-SOFIA"))
    # R-SOFIA keys the branch's IPsec peer (its static WAN address) only from step 1
    assert "crypto isakmp key" in office
    assert "crypto isakmp key" not in intended_config(
        load_inventory(inventory, migrations=False).find("R-SOFIA")
    )
    # without the states: the site files as they are
    plain = load_inventory(inventory, migrations=False).find(HOST)
    assert set(plain.tunnels) == {TUNNEL}


def test_a_head_office_loaded_alone_sees_its_branches_steps(inventory: Path, states: Path) -> None:
    write_state(states, _state(1))
    resolver = load_resolver(None, inventory=inventory)
    alone = load_files([inventory / "sites" / "sofia.yaml"], resolver).find("R-SOFIA")
    whole = load_inventory(inventory).find("R-SOFIA")
    assert intended_config(alone) == intended_config(whole)
    before = load_files([inventory / "sites" / "sofia.yaml"], resolver, migrations=False)
    assert intended_config(before.find("R-SOFIA")) != intended_config(alone)


def test_build_prints_the_step(inventory: Path, states: Path) -> None:
    write_state(states, _state(2))
    site_file = str(inventory / "sites" / "shumen.yaml")
    result = CliRunner().invoke(app, ["build", site_file])
    assert result.exit_code == 0, result.output
    assert "tunnel protection ipsec profile" in result.output or "crypto map" in result.output
    assert f" {FLOATING_DISTANCE}\n" in result.output  # the PPTP routes float at step 2


def test_the_setting_in_iosgen_toml(
    inventory: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MIGRATIONS_ENV, raising=False)
    work = tmp_path / "work"
    write_state(work / "elsewhere", _state(1))
    (work / "iosgen.toml").write_text('migrations = "elsewhere"\n', encoding="utf-8")
    monkeypatch.chdir(work)
    site_file = str(inventory / "sites" / "shumen.yaml")
    result = CliRunner().invoke(app, ["build", site_file])
    assert result.exit_code == 0, result.output
    assert "ipsec" in result.output


def test_a_broken_state_file_is_one_located_error(inventory: Path, states: Path) -> None:
    states.mkdir()
    (states / f"{HOST}.json").write_text('{"version": 1,\n "host": 3}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--all", "-i", str(inventory), "-o", "out"])
    assert result.exit_code == 2, result.output
    assert f"{HOST}.json:1:1: host: expected text" in result.output
    assert "Traceback" not in result.output


def test_a_state_that_no_longer_fits_the_site_names_the_folder(
    inventory: Path, states: Path
) -> None:
    write_state(states, MigrationState(HOST, "nosuch", "nosuch-ipsec", KEY, "R-SOFIA", done=1))
    result = CliRunner().invoke(app, ["build", "--all", "-i", str(inventory), "-o", "out"])
    assert result.exit_code == 2, result.output
    assert "no PPTP tunnel 'nosuch'" in result.output
    assert str(states) in result.output


def test_a_state_folder_that_is_a_file_is_refused(inventory: Path, states: Path) -> None:
    """Built as if no migration ran, a branch mid-migration would get its old config
    pushed back: a file where the states' folder should be is an error, not no states."""
    states.write_text("not a folder\n", encoding="utf-8")
    out = states.parent / "out"
    result = CliRunner().invoke(app, ["build", "--all", "-i", str(inventory), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"{states}:1:1: the migration states' folder is a file (IOSGEN_MIGRATIONS, `migrations`)"
    ]
    assert not out.exists()  # nothing half-written
