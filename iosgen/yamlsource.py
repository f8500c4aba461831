"""YAML files as plain data plus the `file:line:column` of every key and value.

ruamel.yaml keeps node positions while parsing; we copy the data into plain
dicts and lists (what pydantic validates) and keep a table from key path to
position, so any error's `loc` maps back to where the user typed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iosgen.errors import InputError, Problem

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    file: str
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceMap:
    """Positions by key path: where the key was typed, and where its value starts."""

    keys: dict[KeyPath, Position] = field(default_factory=dict)
    values: dict[KeyPath, Position] = field(default_factory=dict)

    def locate(self, path: KeyPath, prefer_key: bool = False) -> Position | None:
        """The position of `path`, or of its nearest ancestor that has one."""
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

    def rename(self, old: KeyPath, new: KeyPath) -> None:
        """Move the positions under `old` to `new` (interface names are canonicalised)."""
        for table in (self.keys, self.values):
            for path in [p for p in table if p[: len(old)] == old]:
                table[new + path[len(old) :]] = table.pop(path)


def load_yaml(path: Path, display: str | None = None) -> tuple[Any, SourceMap]:
    """Parse one file; syntax errors become an InputError with the parser's position."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([Problem(name, 1, 1, "", f"cannot read: {exc.strerror}")]) from None
    yaml = YAML(typ="rt")
    try:
        raw = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML syntax: {exc.problem or exc.context}"
        raise InputError([Problem(name, line, col, "", message)]) from None
    except YAMLError as exc:
        raise InputError([Problem(name, 1, 1, "", f"YAML syntax: {exc}")]) from None
    source = SourceMap()
    source.values[()] = Position(name, 1, 1)
    data = _plain(raw, (), name, source)
    return data, source


def _plain(node: Any, path: KeyPath, name: str, source: SourceMap) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            key_path = (*path, str(key))
            try:
                kline, kcol = node.lc.key(key)
                vline, vcol = node.lc.value(key)
                source.keys[key_path] = Position(name, kline + 1, kcol + 1)
                source.values[key_path] = Position(name, vline + 1, vcol + 1)
            except (KeyError, TypeError):
                pass
            out[str(key)] = _plain(value, key_path, name, source)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            try:
                line, col = node.lc.item(index)
                source.values[(*path, index)] = Position(name, line + 1, col + 1)
            except (KeyError, TypeError):
                pass
            items.append(_plain(value, (*path, index), name, source))
        return items
    if node is None or isinstance(node, bool | int | float):
        return node
    if isinstance(node, str):
        return str(node)
    return str(node)
