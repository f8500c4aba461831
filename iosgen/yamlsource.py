"""YAML files as plain data plus the `file:line:column` of every key and value.

PyYAML's composer (on libyaml, ~20x faster than a pure-Python parser: it
keeps `iosgen build` under its start-up budget) gives every node its
position; we copy the data into plain dicts and lists (what pydantic
validates) and keep a table from key path to position, so any error's `loc`
maps back to where the user typed it. Duplicate keys are errors, not
silently last-wins.
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


def _loader() -> type[Any]:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, display: str | None = None) -> tuple[Any, SourceMap]:
    """Parse one file; syntax errors become an InputError with the parser's position."""
    import yaml

    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([Problem(name, 1, 1, "", f"cannot read: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(name, 1, 1, "", "not UTF-8 text")]) from None
    try:
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


def _plain(
    node: Any,
    path: KeyPath,
    name: str,
    source: SourceMap,
    constructor: Any,
    problems: list[Problem],
) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            try:
                key = str(constructor.construct_object(key_node))
            except (yaml.YAMLError, ValueError, TypeError, OverflowError):
                mark = key_node.start_mark
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


def _kind(node: Any) -> str:
    tag = str(getattr(node, "tag", ""))
    if tag.startswith("tag:yaml.org,2002:"):
        return f"value as {tag.rsplit(':', 1)[-1]}"
    return f"value (unknown tag {tag})" if tag.startswith("!") else "value"
