"""A targets file that lacks a host never sends iosgen to the inventory's real address."""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.errors import UsageError
from iosgen.inventory import load_inventory
from iosgen.targets import resolve_targets
from tests.conftest import INVENTORY


def test_missing_host_in_targets_file_is_a_usage_error(tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    targets.write_text("R-VARNA: {host: 127.0.0.1, port: 2222, username: u, password: p}\n")
    sites = [s for s in load_inventory(INVENTORY).sites if s.hostname in {"R-ITD", "R-VARNA"}]
    with pytest.raises(UsageError, match="has no entry for R-ITD"):
        resolve_targets(sites, targets)
    varna = [s for s in sites if s.hostname == "R-VARNA"]
    assert resolve_targets(varna, targets)["R-VARNA"].port == 2222
