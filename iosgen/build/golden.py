"""Golden checks: each site's build against `golden/`, compared hierarchy-aware.

A golden file pins the text the build prints, byte for byte. When it differs, the
difference is cosmetic if the two texts are the same config to IOS
(`ios.config.same_config`: only `!` separators, blanks, the header differ) or if
they hold the same lines under the same parents (read with ciscoconfparse through
`ios.ciscoparse`); otherwise it is listed line by line. Unlike the audit, golden
does not forgive reordering or the lines IOS adds itself: a build that prints them
otherwise has changed. Every difference also gets a unified text diff. Linux file
trees are compared file by file.
"""

from __future__ import annotations

import difflib
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from iosgen.build import Build, golden_path, write_atomic, write_build
from iosgen.ios.config import same_config
from iosgen.model.secret import MASK


@dataclass(frozen=True)
class GoldenResult:
    hostname: str
    golden: Path
    # "same", "cosmetic", "differs", "missing"; with --update "updated" or "unchanged";
    # "orphan" (a golden file no site builds), "removed" (an orphan, with --update)
    status: str
    semantic: tuple[str, ...] = ()
    text_diff: tuple[str, ...] = field(default=())


def hierarchy_lines(text: str) -> list[str]:
    """Each config line as `parent > child > line`, comments and blanks dropped."""
    from iosgen.ios.ciscoparse import parse

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
        from iosgen.ios.secrets import redact

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
        if same_config(want, have):
            return GoldenResult(hostname, golden, "cosmetic", (), text_diff)
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
        return _update(build, golden)
    if build.builder.single_file:
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


def _update(build: Build, golden: Path) -> GoldenResult:
    """Rewrite only the golden files whose text changes; drop files a tree no longer has."""
    if build.builder.single_file:
        item = build.files[0]
        if golden.is_file() and golden.read_text() == item.content:
            return GoldenResult(build.hostname, golden, "unchanged")
        write_build(build, golden)
        return GoldenResult(build.hostname, golden, "updated")
    if golden.exists() and not golden.is_dir():
        golden.unlink()  # a file where the tree goes
    changed = False
    built = {item.path for item in build.files}
    for item in build.files:
        path = golden / item.path
        if path.is_file() and path.read_text() == item.content:
            continue
        write_atomic(path, item.content, item.mode)
        changed = True
    if golden.is_dir():
        for path in sorted(golden.rglob("*"), reverse=True):  # files before their folders
            name = path.relative_to(golden).as_posix()
            if path.is_file() and name not in built:
                path.unlink()
                changed = True
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return GoldenResult(build.hostname, golden, "updated" if changed else "unchanged")


def orphans(root: Path, builds: Iterable[Build]) -> list[Path]:
    """Entries of the golden folder that no site builds (hidden files aside): a site
    renamed or removed leaves its golden file behind, checked against nothing."""
    if not root.is_dir():
        return []
    claimed = {golden_path(root, build).name for build in builds}
    return sorted(p for p in root.iterdir() if p.name not in claimed and not p.name.startswith("."))


def remove_orphan(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
