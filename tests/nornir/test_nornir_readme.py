"""The README's Nornir example, run as written in a fresh process against the simulator."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from nornirkit import ENV, ROOT

from iosgen.diff.audit import audit_site
from iosgen.model.inventory import load_inventory
from iosgen.sim import SimFleet


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Nornir\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None, "README's Nornir section has no python block"
    return match.group(1)


def test_readme_example_is_about_ten_lines() -> None:
    code = [line for line in readme_example().splitlines() if line.strip()]
    assert len(code) <= 12


def test_readme_example_runs(fleet: SimFleet, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "inventory", tmp_path / "inventory")
    shutil.copy(fleet.targets_file, tmp_path / "sim-targets.yaml")
    env = {**os.environ, **ENV, "HOME": str(tmp_path)}  # known hosts: under this HOME
    done = subprocess.run(
        [sys.executable, "-c", readme_example()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    plan, audit = done.stdout.splitlines()
    counts = ast.literal_eval(plan)
    assert sorted(counts) == ["R-ITD", "R-RUSE", "R-SHUMEN", "R-SOFIA", "R-VARNA"]
    assert all(n > 10 for n in counts.values())
    assert audit == "{}"
    # the oracle agrees: every simulated router runs its site's build
    for site in load_inventory(ROOT / "inventory").sites:
        if site.hostname in counts:
            assert audit_site(site, fleet.router(site.hostname).running_config()).status == (
                "in_sync"
            )
    assert (tmp_path / ".iosgen" / "history" / "R-ITD").is_dir()
