"""iosgen.nornir sits on the top layer beside iosgen.cli: each rule about it can fail.

The same method as tests/test_layers.py: a copy of the package, one planted import,
`lint-imports --contract ID` must report that contract broken by that module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

PLANTED = [
    # cli and nornir are siblings on the top layer: neither imports the other
    ("pipeline-layers", "iosgen/nornir/_planted.py", "from iosgen.cli.app import app"),
    ("pipeline-layers", "iosgen/cli/_planted.py", "from iosgen.nornir.tasks import iosgen_push"),
    ("cli-on-top", "iosgen/nornir/_planted.py", "def f() -> None:\n    import iosgen.cli"),
    # nothing below the top layer reaches up into the Nornir plugins
    ("pipeline-layers", "iosgen/fleet/_planted.py", "from iosgen.nornir import inventory"),
    ("sim-independent", "iosgen/sim/_planted.py", "import iosgen.nornir.inventory"),
    ("ios-pure", "iosgen/ios/_planted.py", "import iosgen.nornir"),
]


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("nornir-layers")
    shutil.copytree(
        ROOT / "iosgen", root / "iosgen", ignore=shutil.ignore_patterns("__pycache__", "templates")
    )
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.mark.parametrize(
    ("contract", "module", "line"),
    PLANTED,
    ids=["nornir-cli", "cli-nornir", "nornir-cli-lazy", "fleet-nornir", "sim-nornir", "ios-nornir"],
)
def test_a_planted_import_breaks_its_contract(
    package_copy: Path, contract: str, module: str, line: str
) -> None:
    planted = package_copy / module
    planted.write_text(f'"""Planted by {Path(__file__).name}."""\n\n{line}\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(package_copy)}  # grimp reads the copy
    try:
        proc = subprocess.run(
            [str(LINT_IMPORTS), "--no-cache", "--contract", contract],
            cwd=package_copy,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        planted.unlink()
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert "BROKEN" in proc.stdout
    assert module.removesuffix(".py").replace("/", ".") in proc.stdout
