"""A Linux box's managed files against its build: content, mode and owner, as drift.

Pure: the device layer reads the files (`iosgen.device.linux`), this module
compares them. The buckets are the routers' (`iosgen.diff.compare.Drift`):
`real` for what changes what the box does (a line, a mode, an owner, a missing
file), `cosmetic` for comment and blank lines only. chap-secrets holds clear
text: its secret column is redacted on both sides before any line is kept, so
a drift item, a log or a diff never shows a secret.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from iosgen.build.files import BuiltFile
from iosgen.diff.audit import AuditResult
from iosgen.diff.compare import Drift, DriftItem
from iosgen.model.secret import MASK

# The files whose lines carry a secret, and the 0-based word that holds it:
# chap-secrets(5) of pppd, `client server secret addresses`.
SECRET_COLUMNS: dict[str, int] = {"etc/ppp/chap-secrets": 2}

# Every managed file belongs to root: pppd reads chap-secrets as root, and a
# script or unit another user may write is a way to root.
OWNER = "root:root"


@dataclass(frozen=True)
class BoxFile:
    """One file as the box has it (None content: the file does not exist)."""

    path: str  # relative to the box's root, as in the build
    content: str | None
    mode: int = 0
    owner: str = ""

    @property
    def exists(self) -> bool:
        return self.content is not None

    @property
    def sha256(self) -> str:
        return hashlib.sha256((self.content or "").encode("utf-8")).hexdigest()


def words(line: str) -> list[tuple[int, int]]:
    """The (start, end) of each word as pppd's `getword()` splits it.

    White space ends a word unless quoted (`"` or `'`); a backslash takes the
    next character. A `#` outside quotes starts a comment.

    >>> line = 'plovdiv sofia "a b" *'
    >>> [line[a:b] for a, b in words(line)]
    ['plovdiv', 'sofia', '"a b"', '*']
    """
    out: list[tuple[int, int]] = []
    i, n = 0, len(line)
    while i < n:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n or line[i] == "#":
            break
        start, quote = i, ""
        while i < n:
            char = line[i]
            if char == "\\":
                i += 2
                continue
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char in " \t":
                break
            i += 1
        out.append((start, min(i, n)))
    return out


def redact(path: str, text: str) -> str:
    """`text` with the secret word of every line masked, for a file that holds secrets.

    >>> redact("etc/ppp/chap-secrets", 'plovdiv sofia "Pe 5" *\\n')
    'plovdiv sofia "<redacted>" *\\n'
    """
    column = SECRET_COLUMNS.get(path)
    if column is None:
        return text
    out = []
    for line in text.splitlines(keepends=True):
        spans = words(line)
        if len(spans) > column:
            start, end = spans[column]
            line = f'{line[:start]}"{MASK}"{line[end:]}'
        out.append(line)
    return "".join(out)


def _is_cosmetic(line: str) -> bool:
    """A blank or comment line (`#!` is no comment: it picks the interpreter)."""
    text = line.strip()
    return not text or (text.startswith("#") and not text.startswith("#!"))


def unified(path: str, old: str | None, new: str | None) -> list[str]:
    """The unified diff of one file, each line's secret redacted after the diff (so a
    changed secret still shows, as a `-` and a `+` line, both masked)."""
    lines = difflib.unified_diff(
        (old or "").splitlines(),
        (new or "").splitlines(),
        f"a/{path}" if old is not None else "/dev/null",
        f"b/{path}" if new is not None else "/dev/null",
        lineterm="",
    )
    out = []
    for line in lines:
        if line[:1] in "+- " and not line.startswith(("+++", "---")):
            line = line[0] + redact(path, line[1:])
        out.append(line)
    return out


def file_drift(want: BuiltFile, have: BoxFile) -> tuple[list[DriftItem], list[DriftItem]]:
    """(real, cosmetic) items of one managed file."""
    where = (want.path,)
    if not have.exists:
        return [DriftItem("+", where, "", "missing on the box")], []
    real: list[DriftItem] = []
    cosmetic: list[DriftItem] = []
    old = (have.content or "").splitlines()
    new = want.content.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # compared in clear, shown redacted: a changed secret is real drift
        for sign, lines in (("+", new[b1:b2]), ("-", old[a1:a2])):
            for line in lines:
                item = DriftItem(sign, where, redact(want.path, line))
                (cosmetic if _is_cosmetic(line) else real).append(item)
    if have.content != want.content and not real and not cosmetic:
        real.append(DriftItem("~", where, "", "line ends or trailing newline differ"))
    if have.mode != want.mode:
        real.append(DriftItem("+", where, "", f"mode {want.mode:04o}, the box has {have.mode:04o}"))
    if have.owner != OWNER:
        real.append(DriftItem("+", where, "", f"owner {OWNER}, the box has {have.owner}"))
    return real, cosmetic


def tree_drift(
    files: tuple[BuiltFile, ...], box: Mapping[str, BoxFile], stale: tuple[str, ...] = ()
) -> Drift:
    """Every managed file's drift; `stale`: files iosgen wrote before that the build no
    longer has (a removed tunnel's peer), which a push deletes."""
    real: list[DriftItem] = []
    cosmetic: list[DriftItem] = []
    for want in files:
        r, c = file_drift(want, box.get(want.path, BoxFile(want.path, None)))
        real += r
        cosmetic += c
    for path in stale:
        if box.get(path, BoxFile(path, None)).exists:
            real.append(DriftItem("-", (path,), "", "no longer in the build"))
    return Drift(tuple(real), tuple(cosmetic))


def differing(files: tuple[BuiltFile, ...], box: Mapping[str, BoxFile]) -> tuple[BuiltFile, ...]:
    """The built files a push writes: content, mode or owner not as built."""
    out = []
    for want in files:
        have = box.get(want.path, BoxFile(want.path, None))
        if have.content != want.content or have.mode != want.mode or have.owner != OWNER:
            out.append(want)
    return tuple(out)


def tree_diff(
    files: tuple[BuiltFile, ...], box: Mapping[str, BoxFile], removes: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """What a push changes, as a person reviews it: a unified diff per file whose content
    differs (secrets redacted), a `~` line per mode or owner, a `-` line per file to
    remove. `iosgen push --dry-run` and `iosgen diff` print it."""
    out: list[str] = []
    for f in differing(files, box):
        have = box.get(f.path, BoxFile(f.path, None))
        if have.content != f.content:
            out += unified(f.path, have.content, f.content)
        if have.exists and (have.mode != f.mode or have.owner != OWNER):
            out.append(f"~ /{f.path}: {have.mode:04o} {have.owner} -> {f.mode:04o} {OWNER}")
    out += [f"- /{p} (no longer in the build)" for p in removes]
    return tuple(out)


def as_saved(files: tuple[BuiltFile, ...]) -> tuple[BuiltFile, ...]:
    """The build as a backup keeps it (`iosgen backup`: secrets redacted), to compare
    with a saved tree: a saved chap-secrets has no secret left to compare."""
    return tuple(
        BuiltFile(f.path, redact(f.path, f.content), f.mode) if f.path in SECRET_COLUMNS else f
        for f in files
    )


def audit_tree(
    host: str,
    files: tuple[BuiltFile, ...],
    box: Mapping[str, BoxFile],
    stale: tuple[str, ...] = (),
) -> AuditResult:
    """The box's audit: `in_sync` when no real drift; the remediation is a push of
    the files `differing` names (no IOS lines: `remediation` stays empty)."""
    drift = tree_drift(files, box, stale)
    return AuditResult(host, "in_sync" if drift.in_sync else "drift", drift)


__all__ = [
    "OWNER",
    "SECRET_COLUMNS",
    "BoxFile",
    "as_saved",
    "audit_tree",
    "differing",
    "file_drift",
    "redact",
    "tree_diff",
    "tree_drift",
    "unified",
    "words",
]
