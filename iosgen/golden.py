"""Golden checks: each site's build against `golden/`, compared hierarchy-aware.

IOS configs are compared as sequences of lines with their parents (through
ciscoconfparse), ignoring `!` separators and blank lines; a difference also
gets a unified text diff. Linux file trees are compared file by file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from iosgen.build import Build, golden_path, write_build


@dataclass(frozen=True)
class GoldenResult:
    hostname: str
    golden: Path
    status: str  # "same", "cosmetic", "differs", "missing", "updated"
    semantic: tuple[str, ...] = ()
    text_diff: tuple[str, ...] = field(default=())


def hierarchy_lines(text: str) -> list[str]:
    """Each config line as `parent > child > line`, comments and blanks dropped."""
    from iosgen.ciscoparse import parse

    out = []
    for obj in parse(text).ConfigObjs:
        if obj.is_comment or not obj.text.strip():
            continue
        chain = [a.text.strip() for a in obj.all_parents] + [obj.text.strip()]
        out.append(" > ".join(chain))
    return out


def _compare_text(hostname: str, golden: Path, name: str, want: str, have: str) -> GoldenResult:
    if want == have:
        return GoldenResult(hostname, golden, "same")
    text_diff = tuple(
        difflib.unified_diff(
            want.splitlines(), have.splitlines(), f"golden/{name}", f"build/{name}", lineterm=""
        )
    )
    if name.endswith(".cfg"):
        semantic = tuple(
            line
            for line in difflib.unified_diff(
                hierarchy_lines(want), hierarchy_lines(have), lineterm="", n=0
            )
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        )
        status = "cosmetic" if not semantic else "differs"
        return GoldenResult(hostname, golden, status, semantic, text_diff)
    return GoldenResult(hostname, golden, "differs", (), text_diff)


def check_build(build: Build, root: Path, update: bool = False) -> GoldenResult:
    golden = golden_path(root, build)
    if update:
        write_build(build, golden)
        return GoldenResult(build.hostname, golden, "updated")
    if build.platform == "ios":
        if not golden.exists():
            return GoldenResult(build.hostname, golden, "missing")
        have = build.files[0].content
        return _compare_text(build.hostname, golden, golden.name, golden.read_text(), have)
    results = []
    expected = {p.relative_to(golden).as_posix() for p in golden.rglob("*") if p.is_file()}
    built = {f.path: f.content for f in build.files}
    if not golden.exists():
        return GoldenResult(build.hostname, golden, "missing")
    for name in sorted(expected | set(built)):
        want = (golden / name).read_text() if name in expected else ""
        results.append(_compare_text(build.hostname, golden, name, want, built.get(name, "")))
    bad = [r for r in results if r.status != "same"]
    if not bad:
        return GoldenResult(build.hostname, golden, "same")
    return GoldenResult(
        build.hostname,
        golden,
        "differs",
        tuple(s for r in bad for s in r.semantic),
        tuple(line for r in bad for line in r.text_diff),
    )
