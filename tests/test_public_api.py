"""The public API of `import iosgen`: pinned, resolvable, lazy, and the README's example runs."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import iosgen
from iosgen.model.secret import read_env_file

ROOT = Path(__file__).resolve().parent.parent

# The public API. Adding or removing a name is a decision: change this list with it.
PINNED = [
    "AuditResult",
    "AuthError",
    "Build",
    "BuiltFile",
    "CommandError",
    "CommitError",
    "ConfigLineError",
    "Device",
    "DeviceError",
    "DeviceOptions",
    "HostKeyError",
    "HostResult",
    "IOS124Driver",
    "InputError",
    "Interrupted",
    "Inventory",
    "IosgenError",
    "Platform",
    "Problem",
    "PushOptions",
    "PushOutcome",
    "PushPlan",
    "RenderError",
    "Results",
    "SessionLost",
    "Site",
    "Target",
    "UsageError",
    "audit_site",
    "audit_text",
    "build_site",
    "lint_config",
    "lint_site",
    "load_inventory",
    "plan_push",
    "push_host",
    "resolve_targets",
    "target_of",
]

# What `import iosgen` and `iosgen build` must never load: the SSH stack (netmiko,
# paramiko: ~0.2 s of imports) and the diff/parse libraries.
HEAVY = ("netmiko", "paramiko", "hier_config", "ciscoconfparse")


def test_api_is_pinned() -> None:
    assert sorted(iosgen.__all__) == PINNED


def test_all_is_sorted_and_unique() -> None:
    assert iosgen.__all__ == sorted(set(iosgen.__all__))


@pytest.mark.parametrize("name", PINNED, ids=PINNED)
def test_name_resolves_to_its_stage(name: str) -> None:
    """Each name is the very object its stage module defines (or re-exports)."""
    where = iosgen._WHERE[name]
    assert getattr(iosgen, name) is getattr(importlib.import_module(where), name)


def test_dir_lists_the_api() -> None:
    assert dir(iosgen) == PINNED


@pytest.mark.parametrize(
    "name",
    ["render", "load_site", "not_a_name", "__wrapped__"],
    ids=["render", "load_site", "typo", "dunder"],
)
def test_unknown_name_raises_attribute_error(name: str) -> None:
    with pytest.raises(AttributeError, match=f"has no attribute '{name}'"):
        getattr(iosgen, name)
    assert not hasattr(iosgen, name)


def test_from_import_of_unknown_name_fails() -> None:
    with pytest.raises(ImportError):
        exec("from iosgen import render_site", {})


def _imported(code: str) -> set[str]:
    """The top-level packages a fresh interpreter imports to run `code` (-X importtime)."""
    env = {**os.environ, **read_env_file(ROOT / "inventory" / "example.env")}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)", proc.stderr, re.MULTILINE)
    assert "iosgen" in names  # the parse found the import lines
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize(
    "code",
    [
        "import iosgen",
        "import iosgen; iosgen.__all__; dir(iosgen)",
        # the build path through the API: load, validate, render
        "from pathlib import Path; import iosgen;"
        " iosgen.build_site(iosgen.load_inventory(Path('inventory')).find('R-ITD'))",
        # `iosgen build SITE`, as the console script runs it
        "import sys; from iosgen.cli import main;"
        " sys.argv = ['iosgen', 'build', 'inventory/sites/plovdiv.yaml']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code",
    ],
    ids=["import", "all-and-dir", "api-build", "cli-build"],
)
def test_build_path_loads_no_heavy_library(code: str) -> None:
    assert sorted(_imported(code) & set(HEAVY)) == []


def test_probe_sees_a_heavy_import() -> None:
    """The probe above can fail: it sees paramiko as soon as something imports it."""
    assert {"iosgen", "paramiko"} <= _imported("import iosgen, paramiko")


def _readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 1, "the Python API section has one example"
    return str(blocks[0])


def test_readme_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key, value in read_env_file(ROOT / "inventory" / "example.env").items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(ROOT)
    exec(compile(_readme_example(), "README.md", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[1] for line in out[:3]] == [
        "warning IOS401",
        "warning IOS402",
        "warning IOS404",
    ]
    assert out[3:6] == ["drift", "interface FastEthernet0/1", " description local LAN"]
    assert out[6:] == ["False ('interface FastEthernet0/1', ' description local LAN')"]
