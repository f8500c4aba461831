"""How a change is typed at IOS's config prompt: sub-modes, their exits, NAT re-typing.

Pure facts of the 12.4 CLI that push and the driver share: which sub-mode a line of a
remediation is typed in, where `exit` must be typed, that a dynamic NAT mapping in use
is removed (with its dialog) before it is typed again, and whether a config has the
`archive` / ` path` that `configure replace ... time N` needs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from iosgen.ios.dialogs import NAT_DYNAMIC_RE


def walk(lines: Sequence[str]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(parents, text) for every line; sub-mode lines are indented one space per level."""
    stack: list[tuple[int, str]] = []
    for raw in lines:
        text = raw.strip()
        if not text or text == "!":
            continue
        depth = len(raw) - len(raw.lstrip(" "))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents = tuple(t for _, t in stack)
        yield parents, text
        stack.append((depth, text))


def send_form(lines: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """The remediation as typed: (stripped line, the line whose sub-mode it is in),
    `exit` where a sub-mode ends.

    IOS would fall back to the parent mode by itself for most lines, but not for
    a line that also parses in the sub-mode; typing `exit` makes the mode explicit.
    """
    out: list[tuple[str, str | None]] = []
    items = list(walk(lines))
    depth = 0  # the sub-mode depth IOS is in
    for index, (parents, text) in enumerate(items):
        want = len(parents)
        if text == "exit":
            depth = max(0, depth - 1)
            out.append((text, parents[-1] if parents else None))
            continue
        while depth > want:
            depth -= 1
            out.append(("exit", None))
        out.append((text, parents[-1] if parents else None))
        following = items[index + 1][0] if index + 1 < len(items) else ()
        if len(following) > want:  # the next line is typed inside this one
            depth = want + 1
    return out


def nat_retyped(
    typed: list[tuple[str, str | None]], before: str | None, notes: list[str]
) -> list[tuple[str, str | None]]:
    """A dynamic NAT mapping re-typed with other words: `no <old mapping>` first.

    IOS refuses to change a mapping that has translations; removing it asks
    `Dynamic mapping in use, do you want to delete all entries? [no]:`, which iosgen
    answers `yes` (only that mapping's translations go), then the new one is typed.
    """
    if before is None:
        return typed
    have = {
        m[1]: line.strip()
        for line in before.splitlines()
        if (m := NAT_DYNAMIC_RE.match(line.strip()))
    }
    removed = {text[3:] for text, parent in typed if parent is None and text.startswith("no ")}
    out: list[tuple[str, str | None]] = []
    for text, parent in typed:
        m = NAT_DYNAMIC_RE.match(text) if parent is None else None
        old = have.get(m[1]) if m else None
        if old is not None and old != text and old not in removed:
            out.append((f"no {old}", None))
            removed.add(old)
            notes.append(
                f"NAT mapping {m[1] if m else ''} re-typed: `no {old}` is sent first (IOS "
                "refuses to change a mapping in use), then the new one"
            )
        out.append((text, parent))
    return out


def has_archive_path(config: str) -> bool:
    """Whether a config has `archive` with a ` path` line (`time N` needs one).

    >>> has_archive_path("archive\\n path flash:archive\\n!")
    True
    >>> has_archive_path("archive\\n log config\\n!\\nip cef")
    False
    """
    in_archive = False
    for line in config.split("\n"):
        if line.startswith("archive"):
            in_archive = True
        elif in_archive and line.startswith(" path "):
            return True
        elif line and not line.startswith(" "):
            in_archive = False
    return False
