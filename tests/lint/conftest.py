"""The example inventory's demo secrets in the environment, for every lint test.

Loaded from `inventory/example.env` here (not from the shell), so the lint
tests need nothing exported and never see a real secret.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.model.secret import read_env_file

EXAMPLE_ENV = Path(__file__).resolve().parents[2] / "inventory" / "example.env"


def example_env() -> dict[str, str]:
    return read_env_file(EXAMPLE_ENV)


@pytest.fixture(autouse=True)
def _example_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in example_env().items():
        monkeypatch.setenv(name, value)
