"""The migration's pushes negate a static route before typing it again with another
distance: `no ip route P M IF` takes the route out whatever its distance (the
simulator does too: tests/migrate/test_migrate_sim.py's step 2)."""

from __future__ import annotations

import doctest

import pytest

import iosgen.migrate.engine as engine_module
from iosgen.migrate.engine import negations_first


def test_the_docstring_examples() -> None:
    assert doctest.testmod(engine_module).failed == 0


R = "ip route 10.0.0.0 255.0.0.0"
CASES = {
    "distance-change": ((f"{R} Dialer2 250", f"no {R} Dialer2"), [1, 0]),
    "removal-only": ((f"no {R} Dialer2", "no interface Dialer2"), [0, 1]),
    "addition-only": ((f"{R} Tunnel0", "hostname X"), [0, 1]),
    "among-others": (
        ("interface Tunnel0", " ip unnumbered Fa0/1", f"{R} Tunnel0", f"no {R} Tunnel0 250", "x"),
        [0, 1, 3, 2, 4],
    ),
    "long-form-untouched": ((f"{R} Dialer2 10.1.1.1 250", f"no {R} Dialer2 10.1.1.1"), [0, 1]),
}


@pytest.mark.parametrize(("lines", "want"), CASES.values(), ids=CASES.keys())
def test_order(lines: tuple[str, ...], want: list[int]) -> None:
    assert negations_first(lines) == want
