"""Golden checks: each site's build against `golden/`, compared hierarchy-aware.

IOS configs are compared as sequences of lines with their parents (through
ciscoconfparse), ignoring `!` separators and blank lines; a difference also
gets a unified text diff. Linux file trees are compared file by file.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from iosgen.build import Build, golden_path, write_build
from iosgen.secret import MASK


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


_CHAP_LINE_RE = re.compile(r'^(\s*\S+\s+\S+\s+)("(?:[^"\\]|\\.)*"|\S+)(.*)$')


def _shown(name: str, text: str, show_secrets: bool) -> str:
    """What a diff may print: secrets redacted by what the line is, unless asked."""
    if show_secrets:
        return text
    if name.endswith(".cfg"):
        from iosgen.redact import redact

        return redact(text)
    if name.endswith("chap-secrets"):
        lines = []
        for line in text.split("\n"):
            match = None if line.lstrip().startswith("#") else _CHAP_LINE_RE.match(line)
            lines.append(f"{match[1]}{MASK}{match[3]}" if match else line)
        return "\n".join(lines)
    return text


def _compare_text(
    hostname: str, golden: Path, name: str, want: str, have: str, show_secrets: bool = False
) -> GoldenResult:
    if want == have:
        return GoldenResult(hostname, golden, "same")
    want, have = _shown(name, want, show_secrets), _shown(name, have, show_secrets)
    if want == have:
        note = "(the difference is in secret values; --show-secrets prints them)"
        return GoldenResult(hostname, golden, "differs", (), (note,))
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


def check_build(
    build: Build, root: Path, update: bool = False, show_secrets: bool = False
) -> GoldenResult:
    golden = golden_path(root, build)
    if update:
        write_build(build, golden)
        return GoldenResult(build.hostname, golden, "updated")
    if build.platform == "ios":
        if not golden.exists():
            return GoldenResult(build.hostname, golden, "missing")
        have = build.files[0].content
        want = golden.read_text()
        return _compare_text(build.hostname, golden, golden.name, want, have, show_secrets)
    results = []
    expected = {p.relative_to(golden).as_posix() for p in golden.rglob("*") if p.is_file()}
    built = {f.path: f.content for f in build.files}
    if not golden.exists():
        return GoldenResult(build.hostname, golden, "missing")
    for name in sorted(expected | set(built)):
        want = (golden / name).read_text() if name in expected else ""
        have = built.get(name, "")
        results.append(_compare_text(build.hostname, golden, name, want, have, show_secrets))
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
