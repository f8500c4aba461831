"""What a rule returns: a code, the 1-based line it is about, and a message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    code: str
    line: int  # 1-based line in the linted text; 0 when no line applies
    message: str
