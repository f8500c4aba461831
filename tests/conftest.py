"""Shared fixtures: the example inventory's demo secrets, and the repository root."""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.model.secret import read_env_file

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = ROOT / "inventory"
GOLDEN = ROOT / "golden"


def example_env() -> dict[str, str]:
    """The demo secrets of the example inventory (inventory/example.env)."""
    return read_env_file(INVENTORY / "example.env")


@pytest.fixture(autouse=True)
def _example_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in example_env().items():
        monkeypatch.setenv(name, value)
