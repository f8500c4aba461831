"""Paths of the repository for tests/migrate (importable: conftest.py is not)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "inventory"
