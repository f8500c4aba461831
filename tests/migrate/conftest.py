"""Fixtures for the migration tests: a copy of the example inventory and its keys."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from migkit import KEYS, copy_inventory


@pytest.fixture(autouse=True)
def _ipsec_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    return copy_inventory(tmp_path / "inventory")
