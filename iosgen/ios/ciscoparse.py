"""The one door to ciscoconfparse (v1.9.51): parse IOS text into a queryable tree.

ciscoconfparse is slow to import (~280 ms) and adds a loguru handler that
prints on every parse; it is imported here only, on first use, and silenced.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _module() -> Any:
    import ciscoconfparse
    from loguru import logger

    logger.remove()
    return ciscoconfparse


def parse(text: str) -> Any:
    """A `CiscoConfParse` of `text` (IOS syntax, comments kept as `!` lines)."""
    return _module().CiscoConfParse(text.splitlines(), syntax="ios", factory=False)
