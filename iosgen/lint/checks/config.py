"""A typed, read-only view of an IOS config parsed by ciscoconfparse, with 1-based line numbers.

ciscoconfparse drops blank lines and renumbers what is left, so blank lines
become `!` before parsing: then its `linenum` is the line in the user's file.
Banner text is a child of its `banner` line in ciscoconfparse; we drop it, so
a banner that says "password 7 ..." is never taken for a command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from iosgen.ios.names import canonical_name, exists_implicitly
from iosgen.ios.objects import IFNAME as IFNAME

# An interface name as it may appear in a command: `Dialer2`, `FastEthernet0/0`, `Dialer 2`.


def interface_key(name: str) -> str | None:
    """`Fa0/1`, `fastethernet0/1`, `Dialer 2` -> a comparable key; None if not an interface."""
    canonical = canonical_name(name.strip())
    return canonical.lower() if canonical is not None else None


def is_builtin_interface(key: str) -> bool:
    """`null0`, `virtual-access1`: exists without an `interface` line (ios.names)."""
    return exists_implicitly(key)


@dataclass(eq=False)
class Line:
    """One config line: 1-based number in the linted file, text without its indentation."""

    number: int
    text: str
    parent: Line | None = None
    children: list[Line] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return self.text.split()

    @property
    def top(self) -> Line:
        line = self
        while line.parent is not None:
            line = line.parent
        return line

    def descendants(self) -> Iterator[Line]:
        for child in self.children:
            yield child
            yield from child.descendants()

    def has_child(self, pattern: str) -> bool:
        return any(re.match(pattern, c.text) for c in self.descendants())


@dataclass
class Config:
    """The lines of one config: all of them in file order, and the top-level ones."""

    lines: list[Line]
    top: list[Line]
    interfaces: dict[str, Line]  # interface_key -> `interface ...` line
    # The text as linted, `!` comments included: backup tools keep `show version` there
    # (the image and feature set), which the IPsec rules judge a config by.
    source: str = ""

    def matching(
        self, pattern: str, top_only: bool = False
    ) -> Iterator[tuple[Line, re.Match[str]]]:
        regex = re.compile(pattern)
        for line in self.top if top_only else self.lines:
            match = regex.match(line.text)
            if match:
                yield line, match

    def has(self, pattern: str) -> bool:
        return any(True for _ in self.matching(pattern, top_only=True))


def _prepared(text: str) -> list[str]:
    """Blank lines become `!`; so do lines ciscoconfparse would take for braces.

    IOS has no brace blocks, but ciscoconfparse pairs a line ending in `{` with a
    later line starting with `}` and raises on a `}` it cannot pair: such a line is
    no IOS command, so it is left out like a comment (its line number kept).
    """
    return [line if line.strip() and not _brace(line) else "!" for line in text.splitlines()]


def _brace(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("}") or stripped.endswith("{")


def read_config(text: str) -> Config:
    """Parse with ciscoconfparse (through `iosgen.ios.ciscoparse`) into a typed `Config`."""
    from iosgen.ios.ciscoparse import parse

    parsed = parse("\n".join(_prepared(text)))
    by_number: dict[int, Line] = {}
    lines: list[Line] = []
    top: list[Line] = []
    for obj in parsed.objs:
        _add(obj, by_number, lines, top)
    interfaces: dict[str, Line] = {}
    for line in top:
        words = line.words
        if words[0] == "interface" and len(words) > 1:
            # `interface Dialer2`, `interface Fa0/0.10 point-to-point`, `interface Dialer 2`
            key = interface_key(words[1]) or interface_key(" ".join(words[1:3]))
            if key is not None:
                interfaces.setdefault(key, line)
    return Config(lines, top, interfaces, text)


def _add(obj: Any, by_number: dict[int, Line], lines: list[Line], top: list[Line]) -> None:
    text = str(obj.text).strip()
    if not text or text.startswith("!"):
        return
    parent_obj = obj.parent
    is_top = parent_obj is obj or int(parent_obj.linenum) == int(obj.linenum)
    parent = None if is_top else by_number.get(int(parent_obj.linenum) + 1)
    if not is_top and (parent is None or parent.top.text.startswith("banner ")):
        return  # banner text, or a child of a dropped line
    line = Line(int(obj.linenum) + 1, text, parent)
    by_number[line.number] = line
    lines.append(line)
    if parent is None:
        top.append(line)
    else:
        parent.children.append(line)
