"""A saved config as its top-level blocks, each with the file line it starts at.

What the operator saved (prompts, capture headers, a config typed with `conf t`)
is turned into what `show running-config` prints by iosgen.ios.capture; a text that
is no IOS config (binary, empty, YAML) is one located error there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from iosgen.errors import InputError, Problem, UsageError
from iosgen.ios.capture import config_lines
from iosgen.ios.config import BANNER_RE, ConfigTextError

# Not configuration: what `show running-config` prints around it.
_SKIP_EXACT = frozenset({"end"})


@dataclass
class Block:
    """A top-level line, its sub-mode lines as printed (indentation kept), its file line."""

    head: str
    body: list[str] = field(default_factory=list)
    line: int = 0
    banner: bool = False

    @property
    def children(self) -> list[str]:
        """The body one level up: ` network 10.0.0.0` -> `network 10.0.0.0`."""
        return [x[1:] if x.startswith(" ") else x for x in self.body]


def read_config(path: Path) -> tuple[str, str]:
    """The file's text and the name errors give it; a missing or unreadable file is one error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such config file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, not a config file") from None
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror}") from None
    return data.decode("utf-8", errors="replace"), str(path)


def config_blocks(text: str, source: str) -> list[Block]:
    """The config's top-level blocks in order; comments, blanks and `end` left out."""
    try:
        lines = config_lines(text, source)
    except ConfigTextError as exc:
        raise InputError([Problem(exc.source, exc.line, exc.column, "", exc.message)]) from None
    out: list[Block] = []
    i = 0
    while i < len(lines):
        raw, number = lines[i], i + 1
        i += 1
        if raw is None:
            continue
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("!") or stripped in _SKIP_EXACT:
            continue
        banner = BANNER_RE.match(line) if not line.startswith(" ") else None
        if banner and banner["delim"] not in banner["rest"]:
            block = Block(line, line=number, banner=True)
            while i < len(lines):
                text_line = (lines[i] or "").rstrip("\r")
                i += 1
                block.body.append(text_line)
                if banner["delim"] in text_line:
                    break
            out.append(block)
        elif line.startswith(" ") and out and not out[-1].banner:
            out[-1].body.append(line)
        elif line.startswith(" "):
            raise InputError(
                [Problem(source, number, 1, "", "an indented line with no section above it")]
            )
        else:
            out.append(Block(line, line=number))
    return out
