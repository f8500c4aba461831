"""The `>>>` examples in the docstrings run: IOS facts written as examples stay true.

Every iosgen module with an example is found by scanning the package, so a new table
with examples is checked without touching this file.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "iosgen"
WITH_EXAMPLES = sorted(
    ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    for path in PACKAGE.rglob("*.py")
    if ">>> " in path.read_text(encoding="utf-8") and "sim" not in path.relative_to(PACKAGE).parts
)


def test_the_ios_tables_have_examples() -> None:
    assert {"iosgen.ios.names", "iosgen.ios.secrets", "iosgen.ios.lines"} <= set(WITH_EXAMPLES)


@pytest.mark.parametrize("module", WITH_EXAMPLES, ids=WITH_EXAMPLES)
def test_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{module}: no example ran"
    assert result.failed == 0, f"{module}: {result.failed} example(s) failed"
