"""The wheel ships every template, so an installed iosgen renders without the source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_contains_every_template(tmp_path: Path) -> None:
    # Build from a copy: setuptools leaves build/ and *.egg-info in the tree it builds.
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "iosgen", source / "iosgen", ignore=shutil.ignore_patterns("__pycache__")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("iosgen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {
        "iosgen/" + p.relative_to(ROOT / "iosgen").as_posix()
        for p in (ROOT / "iosgen" / "templates").rglob("*.j2")
    }
    assert templates, "no templates found in the source tree"
    assert templates <= names
    assert "iosgen/py.typed" in names
