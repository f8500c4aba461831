"""IOS config text as a tree, normalised for comparison; IOS facts about lines, as data.

What `show running-config` prints that is not configuration is dropped here,
once: the header (`Building configuration...`, `Current configuration : 2028
bytes`), `! Last configuration change ...` / `! NVRAM config last updated ...`,
every `!` line (runs of them, `! Default PPTP VPDN group`), `end`, blank lines
and trailing blanks, `ntp clock-period 17179866` (the router's own clock
trim), `version 12.4` (the image's, not typed) and the NVGEN markers
`boot-start-marker` / `boot-end-marker`.

Which lines are volatile and which clauses hold lists are facts of `ios.lines`;
where a line keeps its secret is `ios.secrets`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from iosgen.ios.dialogs import PROMPT
from iosgen.ios.lines import LIST_VALUED, VOLATILE_PREFIXES
from iosgen.ios.names import canonical_name
from iosgen.ios.objects import canonical_references

# `!` starts a comment line: separators, `! Last configuration change at ...`,
# `! NVRAM config last updated at ...`, `! Default PPTP VPDN group`.
COMMENT = "!"
END = "end"
# A capture pasted from a terminal keeps its prompts: `R1#sh run` above the config,
# `Router#` after `end`, `R1(config)#` in a config saved as typed. No IOS command starts
# with a word glued to `#` or `>`, so such a line is the prompt (iosfacts.PROMPT), not config.
_PROMPT_RE = re.compile("^" + PROMPT)

# A banner runs from `banner motd ^C` to the next line holding the delimiter `^C`.
BANNER_RE = re.compile(r"^banner (?P<kind>\S+) (?P<delim>\^C|\S)(?P<rest>.*)$")


@dataclass(frozen=True, slots=True)
class Line:
    """One config line and its sub-mode lines; `text` has single spaces, no indentation.

    A banner is one Line whose text holds its newlines (`banner motd ^C\\nhello\\n^C`).
    `raw` is the line as printed (indentation kept, trailing blanks dropped): it
    does not take part in equality, only in telling formatting differences apart.
    """

    text: str
    children: tuple[Line, ...] = ()
    raw: str = field(default="", compare=False)

    def walk(self, depth: int = 0) -> Iterator[tuple[int, Line]]:
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass(frozen=True, slots=True)
class IosConfig:
    """A parsed, normalised config: the top-level lines in the order they were printed."""

    lines: tuple[Line, ...]

    def walk(self) -> Iterator[tuple[int, Line]]:
        for line in self.lines:
            yield from line.walk()

    def render(self) -> list[str]:
        """The lines as IOS indents them: one space per sub-mode level."""
        return render_lines(self.lines)


def render_lines(lines: Iterable[Line], depth: int = 0) -> list[str]:
    out: list[str] = []
    for line in lines:
        for d, item in line.walk(depth):
            out.append(" " * d + item.text)
    return out


def significant_lines(text: str) -> list[str]:
    """The lines that mean something, as printed: two configs equal here have no drift at all.

    A cheap first look (no tree): a router that matches its model is the common case.
    """
    out = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        stripped = raw.strip()
        if stripped and not _is_volatile(stripped):
            out.append(raw.rstrip())
    return out


def same_config(a: str, b: str) -> bool:
    r"""The cheap, textual half of "the same config": True means no drift at all.

    Only what IOS prints that is not configuration may differ (the header, `!`
    lines, `end`, blank lines, trailing blanks). False says nothing yet: the tree
    compare (`diff.audit.in_sync`) decides, as every caller that needs the answer does.

    >>> same_config("Building configuration...\n!\nhostname R1\nend\n", "hostname R1  \n")
    True
    >>> same_config("hostname R1\n", "hostname R2\n")
    False
    """
    return a == b or significant_lines(a) == significant_lines(b)


def _is_volatile(stripped: str) -> bool:
    return (
        stripped[0] == COMMENT
        or stripped == END
        or stripped.startswith(VOLATILE_PREFIXES)
        or _PROMPT_RE.match(stripped) is not None
    )


def list_clause(text: str, parent: str | None) -> tuple[str, list[str]] | None:
    """(`match ip address `, ["10", "20"]) for a list-valued clause, else None."""
    scope = parent.split(" ", 1)[0] if parent else None
    for prefix in LIST_VALUED.get(scope or "", ()):
        if text.startswith(prefix):
            return prefix, text[len(prefix) :].split()
    return None


def _value_key(value: str) -> tuple[int, int, str]:
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


# A node while parsing: [text, indent, children, raw]; frozen into `Line`s at the end.
_Node = list[Any]


def _freeze(node: _Node) -> Line:
    children: list[_Node] = node[2]
    return Line(node[0], tuple(_freeze(c) for c in children) if children else (), node[3])


# IOS sub-modes nest a few levels (`vpdn-group 2` / ` request-dialin` / `  protocol pptp`,
# `policy-map` / `class` / `police` / `conform-action`): a deeper tree is not a config
# IOS prints, and the recursive walks over it must stay bounded.
MAX_DEPTH = 32


class ConfigTextError(ValueError):
    """A config text refused at a place: where, and why (callers turn it into a Problem).

    The message never holds a secret: a line it quotes is masked first.
    """

    def __init__(self, source: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{source}:{line}:{column}: {message}")
        self.source, self.line, self.column, self.message = source, line, column, message


class ConfigNestingError(ConfigTextError):
    """A config nested deeper than MAX_DEPTH."""


def parse(text: str, source: str = "running config") -> IosConfig:
    """Parse `show running-config` output (with or without its header) into a tree.

    Indentation gives the hierarchy (one space per level on IOS, any amount is
    accepted); words are re-joined with single spaces. Nesting deeper than
    MAX_DEPTH is refused with the line it starts at (ConfigNestingError naming `source`).
    """
    root: list[_Node] = []
    stack: list[_Node] = []
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    count = len(raw_lines)
    while i < count:
        raw = raw_lines[i]
        i += 1
        stripped = raw.strip()
        if not stripped or _is_volatile(stripped):
            continue
        indent = len(raw) - len(raw.lstrip())
        banner = BANNER_RE.match(stripped) if stripped.startswith("banner ") else None
        if indent == 0 and banner:
            body, i = _read_banner(banner, raw_lines, i)
            node: _Node = [body, 0, [], body]
            root.append(node)
            stack = [node]
            continue
        text = " ".join(stripped.split()) if "  " in stripped or "\t" in stripped else stripped
        while stack and stack[-1][1] >= indent:
            stack.pop()
        if stack and (clause := list_clause(text, stack[-1][0])):
            prefix, values = clause
            text = prefix + " ".join(sorted(dict.fromkeys(values), key=_value_key))
        if len(stack) >= MAX_DEPTH:
            raise ConfigNestingError(
                source,
                i,
                indent + 1,
                f"nested more than {MAX_DEPTH} levels deep: not a config IOS prints",
            )
        node = [text, indent, [], raw.rstrip()]
        (stack[-1][2] if stack else root).append(node)
        stack.append(node)
    return IosConfig(tuple(_freeze(n) for n in root))


def _read_banner(match: re.Match[str], raw_lines: Sequence[str], i: int) -> tuple[str, int]:
    """`banner motd ^C` ... `^C`: the banner as one line of text with its newlines."""
    delim = match["delim"]
    rest = match["rest"]
    head = f"banner {match['kind']} {delim}"
    if delim in rest:
        return head + rest[: rest.index(delim) + len(delim)], i
    body = [rest] if rest else []
    while i < len(raw_lines):
        raw = raw_lines[i].rstrip("\r")
        i += 1
        if delim in raw:
            if raw[: raw.index(delim)]:
                body.append(raw[: raw.index(delim)])
            break
        body.append(raw)
    text = "\n".join(body)
    return f"{head}\n{text}\n{delim}" if text else f"{head}\n{delim}", i


def canonical_headers(config: IosConfig) -> IosConfig:
    """The config with each interface named as `show running-config` prints it: in the
    `interface` headers and in the lines that name one (`ios.objects` references).

    IOS never prints `interface Fa0/1`, but a config saved as typed may hold it; compared
    as typed it would be a second port beside `interface FastEthernet0/1`, and the
    remediation would shut the very port it configures. So with `ip route 0.0.0.0
    0.0.0.0 Di2`: IOS keeps `Dialer2`, the route is the same.

    >>> canonical_headers(parse("interface Fa0/1\\n description LAN")).render()
    ['interface FastEthernet0/1', ' description LAN']
    >>> canonical_headers(parse("ip route 0.0.0.0 0.0.0.0 Di2")).render()
    ['ip route 0.0.0.0 0.0.0.0 Dialer2']
    """
    return IosConfig(tuple(_canonical_line(_canonical_header(line)) for line in config.lines))


def _canonical_line(line: Line) -> Line:
    text = canonical_references(line.text, canonical_name)
    children = tuple(_canonical_line(child) for child in line.children)
    if text == line.text and all(a is b for a, b in zip(children, line.children, strict=True)):
        return line
    return Line(text, children, line.raw)


def _canonical_header(line: Line) -> Line:
    if not line.text.startswith("interface "):
        return line
    rest = line.text[len("interface ") :]
    name = canonical_name(rest)
    if name is None:  # `interface Fa0/0.1 point-to-point`: the name, then a keyword
        first, _, tail = rest.partition(" ")
        name = canonical_name(first)
        if name is None:
            return line
        name = f"{name} {tail}" if tail else name
    text = f"interface {name}"
    return line if text == line.text else Line(text, line.children, line.raw)
