"""YAML files as plain data plus the `file:line:column` of every key and value.

PyYAML's composer (on libyaml, ~20x faster than a pure-Python parser: it
keeps `iosgen build` under its start-up budget) gives every node its
position; we copy the data into plain dicts and lists (what pydantic
validates) and keep a table from key path to position, so any error's `loc`
maps back to where the user typed it. Duplicate keys are errors, not
silently last-wins.

Input is bounded before it is parsed: only regular files are opened (a FIFO
would block the open, `/dev/zero` never ends), a file is at most
`MAX_BYTES`, and an event pass over the document refuses recursive aliases,
alias expansions past `MAX_NODES` nodes (billion laughs) and nesting past
`MAX_DEPTH`, each at the alias or node that crosses the limit. YAML 1.1
readings that a user rarely means (`yes`/`on` as booleans, `1:30` as 5400,
`010` as 8, `!!binary`, a null key) are refused with what to write instead.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any, NamedTuple

from iosgen.errors import InputError, Problem

KeyPath = tuple[str | int, ...]

# A site file is a few kilobytes and a few hundred nodes; these leave room for
# an inventory's largest defaults file and stop a hostile one in milliseconds.
MAX_BYTES = 1 << 20
MAX_NODES = 100_000
MAX_DEPTH = 64

_YAML11_WORDS = frozenset({"yes", "no", "on", "off", "y", "n"})
_QUOTE_WORD = (
    "an unquoted yes/no/on/off/y/n is read by YAML 1.1 as a boolean (or a word): "
    "write true or false, or quote it ('yes') for the word"
)
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
# Other YAML 1.1 integer spellings PyYAML turns into another number's digits: 0x1F
# (31), 0b101 (5), 1_000 (1000), +12 (12). As a secret that is a different password.
_OTHER_INT = re.compile(r"^[-+]?0[xXbB]|_|^\+")


class Position(NamedTuple):
    file: str
    line: int  # 1-based
    column: int  # 1-based


class SourceMap:
    """Positions by key path: where the key was typed, and where its value starts.

    A plain class, not a dataclass, for the start-up (docs/performance.md)."""

    __slots__ = ("keys", "spellings", "values")

    def __init__(
        self,
        keys: dict[KeyPath, Position] | None = None,
        values: dict[KeyPath, Position] | None = None,
        spellings: dict[KeyPath, KeyPath] | None = None,
    ) -> None:
        self.keys: dict[KeyPath, Position] = {} if keys is None else keys
        self.values: dict[KeyPath, Position] = {} if values is None else values
        # A key path as the file spelled it, by the path the model knows it as: a tunnel
        # typed under `pptp_clients` lives under `tunnels` (see `moved`).
        self.spellings: dict[KeyPath, KeyPath] = {} if spellings is None else spellings

    def locate(self, path: KeyPath, prefer_key: bool = False) -> Position | None:
        """The position of `path`, or of its nearest ancestor that has one."""
        if path[:1] == ("pptp_clients",):
            path = ("tunnels", *path[1:])  # the old key: its tunnels moved under `tunnels`
        for end in range(len(path), -1, -1):
            sub = path[:end]
            first, second = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            if sub in first:
                return first[sub]
            if sub in second:
                return second[sub]
        return None

    def overlay(self, other: SourceMap, prefix: KeyPath = ()) -> None:
        for path, pos in other.keys.items():
            self.keys[prefix + path] = pos
        for path, pos in other.values.items():
            self.values[prefix + path] = pos
        for path, typed in other.spellings.items():
            self.spellings[prefix + path] = prefix + typed

    def spelled(self, path: KeyPath) -> KeyPath:
        """`path` as the file typed it (`tunnels.sofia.mtu` typed as `pptp_clients...`)."""
        for end in range(len(path), 0, -1):
            typed = self.spellings.get(path[:end])
            if typed is not None:
                return (*typed, *path[end:])
        return path

    def moved(self, old: KeyPath, new: KeyPath) -> SourceMap:
        """A copy with the positions under `old` under `new`, remembering the spelling."""
        out = SourceMap(dict(self.keys), dict(self.values), dict(self.spellings))
        out.rename(old, new)
        out.spellings[new] = old
        return out

    def rename(self, old: KeyPath, new: KeyPath) -> None:
        """Move the positions under `old` to `new` (interface names are canonicalised)."""
        for table in (self.keys, self.values):
            for path in [p for p in table if p[: len(old)] == old]:
                table[new + path[len(old) :]] = table.pop(path)


def _loader() -> type[Any]:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, display: str | None = None) -> tuple[Any, SourceMap]:
    """Parse one file; syntax errors become an InputError with the parser's position."""
    import yaml

    name = display or str(path)
    text = read_text_file(path, name)
    try:
        if "*" in text:  # without an alias the data is no bigger than the text
            _check_events(text, name)
        root = yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML syntax: {exc.problem or exc.context}"
        raise InputError([Problem(name, line, col, "", message)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, 1, 1, "", f"YAML syntax: {exc}")]) from None
    source = SourceMap()
    source.values[()] = Position(name, 1, 1)
    problems: list[Problem] = []
    constructor = yaml.constructor.SafeConstructor()
    data = _plain(root, (), name, source, constructor, problems) if root is not None else None
    if problems:
        raise InputError(problems)
    return data, source


def read_regular_bytes(path: Path, name: str, limit: int, what: str) -> bytes:
    """A regular file's bytes, refused before reading if it is a FIFO, device, folder
    or socket (`what` says what was expected), or longer than `limit`.

    `stat` first, then open without blocking and check the opened file again, so
    a FIFO swapped in between cannot make the open wait for a writer.
    """

    def refuse(message: str) -> InputError:
        return InputError([Problem(name, 1, 1, "", message)])

    try:
        kind = _file_kind(os.stat(path).st_mode)
        if kind:
            raise refuse(f"not a regular file ({kind}); give {what}")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        kind = _file_kind(os.fstat(handle.fileno()).st_mode)
        if kind:
            raise refuse(f"not a regular file ({kind}); give {what}")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise refuse(f"larger than {limit} bytes: too big for {what}")
    return data


def read_text_file(path: Path, name: str, limit: int = MAX_BYTES) -> str:
    """A regular file's UTF-8 text (`read_regular_bytes`), for site and secrets files."""
    data = read_regular_bytes(path, name, limit, "a YAML file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError([Problem(name, 1, 1, "", "not UTF-8 text")]) from None


def _file_kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def _check_events(text: str, name: str) -> None:
    """Refuse recursive aliases, alias bombs and deep nesting before composing nodes.

    The composer shares one node between an anchor and its aliases, so the size
    of the document as plain data is only known by counting: each alias adds the
    expanded size of the node it names.
    """
    import yaml

    sizes: dict[str, int] = {}  # anchor -> expanded node count, once its node is closed
    stack: list[tuple[str | None, int]] = []  # open collections: (anchor, total before it)
    total = 0

    def refuse(event: Any, message: str) -> InputError:
        mark = event.start_mark
        return InputError([Problem(name, mark.line + 1, mark.column + 1, "", message)])

    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, yaml.AliasEvent):
            anchor = event.anchor
            if any(open_anchor == anchor for open_anchor, _ in stack):
                raise refuse(event, f"recursive alias *{anchor}: it is inside the node it names")
            if anchor not in sizes:
                continue  # an undefined alias: the composer reports it
            total += sizes[anchor]
            if total > MAX_NODES:
                raise refuse(
                    event,
                    f"alias *{anchor} expands the document past {MAX_NODES} nodes "
                    "(an alias bomb?); write the data out or use fewer aliases",
                )
        elif isinstance(event, yaml.ScalarEvent):
            total += 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            total += 1
            stack.append((event.anchor, total - 1))
            if len(stack) > MAX_DEPTH:
                raise refuse(event, f"nested deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent) and stack:
            anchor, before = stack.pop()
            if anchor is not None:
                sizes[anchor] = total - before
        if total > MAX_NODES:
            raise refuse(event, f"more than {MAX_NODES} nodes; a site file has a few hundred")


def _plain(
    node: Any,
    path: KeyPath,
    name: str,
    source: SourceMap,
    constructor: Any,
    problems: list[Problem],
) -> Any:
    import yaml

    if len(path) > MAX_DEPTH:
        mark = node.start_mark
        where = ".".join(map(str, path[:3])) + "..."
        message = f"nested deeper than {MAX_DEPTH} levels"
        problems.append(Problem(name, mark.line + 1, mark.column + 1, where, message))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            quirk = _key_quirk(key_node) or _scalar_quirk(key_node)
            if quirk:
                where = ".".join(map(str, path))
                problems.append(Problem(name, mark.line + 1, mark.column + 1, where, quirk))
                continue
            try:
                key = str(constructor.construct_object(key_node))
            except (yaml.YAMLError, ValueError, TypeError, OverflowError):
                problems.append(
                    Problem(name, mark.line + 1, mark.column + 1, "", "cannot read key")
                )
                continue
            key_path = (*path, key)
            kmark, vmark = key_node.start_mark, value_node.start_mark
            if key in out:
                problems.append(
                    Problem(
                        name,
                        kmark.line + 1,
                        kmark.column + 1,
                        ".".join(map(str, key_path)),
                        f"duplicate key {key!r}",
                    )
                )
                continue
            source.keys[key_path] = Position(name, kmark.line + 1, kmark.column + 1)
            source.values[key_path] = Position(name, vmark.line + 1, vmark.column + 1)
            out[key] = _plain(value_node, key_path, name, source, constructor, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            mark = item.start_mark
            source.values[(*path, index)] = Position(name, mark.line + 1, mark.column + 1)
            items.append(_plain(item, (*path, index), name, source, constructor, problems))
        return items
    quirk = _scalar_quirk(node)
    if quirk:
        mark = node.start_mark
        where = ".".join(map(str, path))
        problems.append(Problem(name, mark.line + 1, mark.column + 1, where, quirk))
        return None
    try:
        value = constructor.construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        # `2026-13-45` (a bad date), `!foo x`, `!!int s3cret`: say where, never the value,
        # which may be a secret.
        mark = node.start_mark
        where = ".".join(map(str, path))
        problems.append(
            Problem(name, mark.line + 1, mark.column + 1, where, f"cannot read this {_kind(node)}")
        )
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


_YAML = "tag:yaml.org,2002:"
_NULL, _BOOL, _STR, _INT, _FLOAT, _BINARY = (
    _YAML + kind for kind in ("null", "bool", "str", "int", "float", "binary")
)


def _key_quirk(node: Any) -> str:
    """A key YAML reads as something other than a name."""
    tag = node.tag
    if tag == _NULL:
        return "a null key (empty, ~ or null): write the key's name, or quote it"
    if tag == _BOOL:
        return "a key YAML reads as a boolean: quote it"
    if not isinstance(node.value, str):
        return "a mapping or list as a key: write the key's name"
    return ""


def _scalar_quirk(node: Any) -> str:
    """YAML 1.1 readings PyYAML applies that a user rarely means; the value is never shown.

    Called on every scalar: the common case (a plain string or number) returns
    after a few comparisons.
    """
    tag = node.tag
    if tag == _BINARY:
        return "binary data (!!binary) is not accepted: write the text itself"
    if node.style or not isinstance(node.value, str):
        return ""  # quoted or block scalars are read as typed
    value: str = node.value
    if tag in (_STR, _BOOL):
        return _QUOTE_WORD if len(value) <= 3 and value.lower() in _YAML11_WORDS else ""
    if tag in (_INT, _FLOAT):
        if ":" in value and _SEXAGESIMAL.match(value):
            return (
                "YAML 1.1 reads an unquoted 1:30 as the base-60 number 90: "
                "write the number itself, or quote it ('1:30')"
            )
        if tag == _INT and value[:1] in "0+-" and _OCTAL.match(value):
            return (
                "YAML 1.1 reads an unquoted number with a leading 0 as octal (010 is 8): "
                "write it without the 0, or quote it ('010')"
            )
        if tag == _INT and _OTHER_INT.search(value):
            return (
                "YAML 1.1 reads an unquoted 0x1F, 0b101, 1_000 or +12 as another number "
                "(31, 5, 1000, 12): write the plain decimal number, or quote it"
            )
    return ""


def _kind(node: Any) -> str:
    tag = str(getattr(node, "tag", ""))
    if tag.startswith("tag:yaml.org,2002:"):
        return f"value as {tag.rsplit(':', 1)[-1]}"
    return f"value (unknown tag {tag})" if tag.startswith("!") else "value"
