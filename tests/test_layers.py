"""The layer contracts of pyproject.toml's [tool.importlinter] hold, and each one can fail.

A contract that cannot fail proves nothing: every one is run against a copy of the
package with one planted import that breaks it (directly or through a chain).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

CONTRACTS = ["sim-independent", "cli-on-top", "ios-pure", "offline-stages", "pipeline-layers"]


def _lint_imports(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first: grimp finds the package under `cwd`, not the installed one
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_contracts_are_configured() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    assert [c["id"] for c in contracts] == CONTRACTS


def test_the_tree_keeps_every_contract() -> None:
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in proc.stdout


# (contract, module planted in the copy, its import): each breaks exactly that contract
PLANTED = [
    ("sim-independent", "iosgen/sim/_planted.py", "from iosgen.errors import IosgenError"),
    ("cli-on-top", "iosgen/fleet/_planted.py", "from iosgen.cli.root import app"),
    ("ios-pure", "iosgen/ios/_planted.py", "from iosgen.model.site import Site"),
    ("offline-stages", "iosgen/diff/_planted.py", "import paramiko"),
    ("offline-stages", "iosgen/build/_planted.py", "from iosgen.device.session import Device"),
    # indirect: lint -> push -> device is as bad as lint -> device
    ("offline-stages", "iosgen/lint/_planted.py", "from iosgen.push.flow import push_host"),
    # a lazy import inside a function counts too (that is how the CLI keeps start-up fast)
    ("ios-pure", "iosgen/ios/_planted.py", "def f() -> None:\n    import iosgen.errors"),
    # upwards: the session layer reaching for the push that drives it, a model needing a build
    ("pipeline-layers", "iosgen/device/_planted.py", "from iosgen.push.plan import plan_push"),
    ("pipeline-layers", "iosgen/model/_planted.py", "from iosgen.build import build_site"),
    # diff and lint are siblings: neither imports the other
    ("pipeline-layers", "iosgen/diff/_planted.py", "from iosgen.lint import lint_config"),
    # cli and nornir are siblings on the top layer: neither imports the other
    ("pipeline-layers", "iosgen/nornir/_planted.py", "from iosgen.cli.root import app"),
    ("pipeline-layers", "iosgen/cli/_planted.py", "from iosgen.nornir.tasks import iosgen_push"),
    ("cli-on-top", "iosgen/nornir/_planted.py", "def f() -> None:\n    import iosgen.cli"),
    # nothing below the top layer reaches up into the Nornir plugins
    ("pipeline-layers", "iosgen/fleet/_planted.py", "from iosgen.nornir import inventory"),
    ("sim-independent", "iosgen/sim/_planted.py", "import iosgen.nornir.inventory"),
    ("ios-pure", "iosgen/ios/_planted.py", "import iosgen.nornir"),
]


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(
        ROOT / "iosgen", root / "iosgen", ignore=shutil.ignore_patterns("__pycache__", "templates")
    )
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.mark.parametrize(
    ("contract", "module", "line"),
    PLANTED,
    ids=[
        "sim-errors",
        "fleet-cli",
        "ios-model",
        "diff-paramiko",
        "build-device",
        "lint-push-device",
        "ios-lazy",
        "device-push",
        "model-build",
        "diff-lint",
        "nornir-cli",
        "cli-nornir",
        "nornir-cli-lazy",
        "fleet-nornir",
        "sim-nornir",
        "ios-nornir",
    ],
)
def test_a_planted_import_breaks_its_contract(
    package_copy: Path, contract: str, module: str, line: str
) -> None:
    planted = package_copy / module
    planted.write_text(f'"""Planted by tests/test_layers.py."""\n\n{line}\n', encoding="utf-8")
    try:
        proc = _lint_imports(package_copy, "--contract", contract)
    finally:
        planted.unlink()
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert "BROKEN" in proc.stdout
    assert module.removesuffix(".py").replace("/", ".") in proc.stdout
