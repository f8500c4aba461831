"""The management path: a branch iosgen manages through the tunnel being replaced may
take step 2 only once the IPsec SA was seen up, step 3 only once the head office
answered through it (else the router would be reachable only through a tunnel no one
has verified)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.migrate.steps import managed_through, path_refusal
from iosgen.model.inventory import load_inventory
from iosgen.model.migration import MigrationState

STATE = MigrationState("R-VARNA", "sofia", "sofia-ipsec", "${K}", "R-SOFIA")


def test_managed_through_the_tunnel_is_found(inventory: Path) -> None:
    site = load_inventory(inventory).find("R-VARNA")
    assert managed_through(site, STATE, "127.0.0.1") is None  # at its WAN / the simulator
    assert managed_through(site, STATE, "10.10.4.20") == "10.10.4.20"  # from head office
    inside = site.model_copy(
        update={"management": site.management.model_copy(update={"host": "10.10.0.9"})}
    )
    assert managed_through(inside, STATE, None) == "10.10.0.9"


@pytest.mark.parametrize(
    ("step", "done", "verified", "refused"),
    [
        (1, 0, None, None),
        (2, 1, True, None),
        (2, 1, False, "is not verified now (its IPsec SA up)"),
        (2, 0, True, "step 2 waits for step 1"),
        (3, 2, True, None),
        (3, 2, False, "the head office answering through it"),
    ],
    ids=[
        "add",
        "prefer-verified",
        "prefer-unverified",
        "prefer-early",
        "remove",
        "remove-unverified",
    ],
)
def test_a_step_that_would_strand_the_router_is_refused(
    step: int, done: int, verified: bool | None, refused: str | None
) -> None:
    from dataclasses import replace

    got = path_refusal(step, replace(STATE, done=done), verified, "10.10.4.20")
    assert got is None if refused is None else got is not None and refused in got
