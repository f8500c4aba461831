"""`iosgen import --host H`: the running config read over real SSH from the simulator.

The simulated router runs a real config (tests/realconfigs/2811-feup-gnu-rtr3.cfg,
less the three lines its 2801 refuses, as IOS would); the import reads it through
iosgen.device, and the site builds back to what the router prints.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.model.targets import read_targets_file
from tests.conftest import ROOT

CONFIG = ROOT / "tests" / "realconfigs" / "2811-feup-gnu-rtr3.cfg"
PASSWORD = "Import-live1"


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from iosgen.sim import RouterSpec, SimFleet

    spec = RouterSpec(hostname="R1", username="netops", password=PASSWORD, enable_secret=None)
    with SimFleet([spec], state_dir=tmp_path_factory.mktemp("import-sim")) as sim:
        # the router's own accounts, plus the one the test logs in with
        text = CONFIG.read_text(encoding="utf-8").replace(
            "\nusername ", f"\nusername netops privilege 15 password 0 {PASSWORD}\nusername ", 1
        )
        refused = sim.router("R1").set_running(text)
        assert len(refused) == 3  # `logging message-counter syslog`, `dot11 syslog`, ...
        yield sim


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def _diff(site: Path, secrets: Path, running: str, tmp_path: Path) -> dict[str, Any]:
    saved = tmp_path / "running.cfg"
    saved.write_text(running, encoding="utf-8")
    code, out, err = run(
        "diff",
        str(site),
        "--running",
        str(saved),
        "--secrets",
        str(secrets),
        "--format",
        "json",
        env={"IOSGEN_GNU_RTR3_PASSWORD": PASSWORD},
    )
    assert code == 0, err + out
    report: dict[str, Any] = json.loads(out)
    return report


def test_import_from_a_targets_file_builds_back_to_the_router(fleet: Any, tmp_path: Path) -> None:
    site, secrets = tmp_path / "r1.yaml", tmp_path / "r1.secrets.yaml"
    code, out, err = run(
        "import",
        "--host",
        "R1",
        "--targets",
        str(fleet.targets_file),
        "--known-hosts",
        str(tmp_path / "known_hosts"),
        "--accept-new-host-key",
        "-o",
        str(site),
        "--secrets-out",
        str(secrets),
    )
    assert code == 0, err
    assert "0 real drift, 0 cosmetic" in out
    data = yaml.safe_load(site.read_text(encoding="utf-8"))
    assert data["hostname"] == "gnu-rtr3" and data["management"]["host"] == "R1"
    report = _diff(site, secrets, fleet.router("R1").running_config(), tmp_path)
    assert report["status"] == "in_sync" and report["drift"]["cosmetic"] == []


def test_import_of_a_router_in_no_targets_file_logs_in_as_username(
    fleet: Any, tmp_path: Path
) -> None:
    target = read_targets_file(fleet.targets_file)["r1"]
    site = tmp_path / "r1.yaml"
    args = (
        "import",
        "--host",
        target.host,
        "--port",
        str(target.port),
        "--username",
        "netops",
        "--known-hosts",
        str(tmp_path / "known_hosts"),
        "--accept-new-host-key",
        "-o",
        str(site),
    )
    code, out, err = run(*args, env={"IOSGEN_IMPORT_PASSWORD": PASSWORD})
    assert code == 0, err
    assert "gnu-rtr3:" in out and site.exists()
    assert PASSWORD not in site.read_text() and PASSWORD not in out + err


def test_a_host_in_no_targets_file_and_no_username_is_one_error(tmp_path: Path) -> None:
    code, _, err = run("import", "--host", "R9", "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and "--username" in err and not (tmp_path / "x.yaml").exists()


def test_a_file_and_a_host_at_once_is_one_error(tmp_path: Path) -> None:
    code, _, err = run("import", str(CONFIG), "--host", "R1")
    assert code == 2 and "not both" in err
