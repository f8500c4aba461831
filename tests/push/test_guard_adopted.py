"""The management-path guard on an adopted site (`iosgen import`, `baseline: false`)
that types no WAN interface: it must judge the change, not fail on the missing WAN."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.model.inventory import load_files, load_resolver
from iosgen.push.guard import ManagementPath

REAL = Path(__file__).resolve().parents[1] / "realconfigs" / "881-oxidized-r2.cfg"


def test_an_adopted_site_without_a_wan_has_a_management_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IOSGEN_R2_PASSWORD", "login-pw")  # the login import leaves to you
    site_file, secrets = tmp_path / "r2.yaml", tmp_path / "r2.secrets.yaml"
    result = CliRunner().invoke(
        app, ["import", str(REAL), "-o", str(site_file), "--secrets-out", str(secrets)]
    )
    assert result.exit_code == 0, result.output
    site = load_files([site_file], load_resolver(secrets)).sites[0]
    assert site.wan_name is None  # the 881's only addressed port is typed as a LAN
    path = ManagementPath.of(site, ["192.168.15.1"], "admin")
    assert path.wan == ""
    assert "FastEthernet4" in path.ports  # the session crosses the port that holds it
