"""The migration as data: each step's site of every example branch, the head office
compiled from the branches at their steps, the state file."""

from __future__ import annotations

from pathlib import Path

import pytest
from migkit import BRANCHES, TUNNEL

from iosgen.model.inventory import load_inventory, load_resolver
from iosgen.model.migration import (
    FLOATING_DISTANCE,
    MigrationError,
    MigrationState,
    StepRecord,
    default_key_reference,
    fleet_at_steps,
    site_at_step,
)
from iosgen.model.site import IpsecTunnel, PptpClient, Site


def _state(host: str, key: str = "${IOSGEN_SOFIA_DYNAMIC_PSK}", done: int = 0) -> MigrationState:
    return MigrationState(host, TUNNEL, "sofia-ipsec", key, "R-SOFIA", done=done)


def _find(sites: tuple[Site, ...] | list[Site], host: str) -> Site:
    return next(s for s in sites if s.hostname == host)


@pytest.mark.parametrize("host", BRANCHES, ids=BRANCHES)
def test_each_step_of_each_branch(inventory: Path, host: str) -> None:
    inv = load_inventory(inventory)
    resolver = load_resolver(None, inventory=inventory)
    site = inv.find(host)
    pptp = site.pptp_clients[TUNNEL]
    state = _state(host)

    assert site_at_step(site, state, 0, resolver) is site
    one = site_at_step(site, state, 1, resolver)
    new = one.tunnels["sofia-ipsec"]
    assert isinstance(new, IpsecTunnel)
    assert (new.peer, new.remote_networks, new.nat) == (
        pptp.server,
        pptp.remote_networks,
        pptp.nat,
    )
    assert new.distance == FLOATING_DISTANCE and one.pptp_clients[TUNNEL].distance is None
    assert new.pre_shared_key.source == "${IOSGEN_SOFIA_DYNAMIC_PSK}"
    # the new tunnel sits right after the one it replaces (the rest keep their order)
    names = list(one.tunnels)
    assert names[names.index(TUNNEL) + 1] == "sofia-ipsec"

    two = site_at_step(site, state, 2, resolver)
    assert two.tunnels["sofia-ipsec"].distance is None
    assert two.pptp_clients[TUNNEL].distance == FLOATING_DISTANCE

    three = site_at_step(site, state, 3, resolver)
    assert TUNNEL not in three.tunnels and three.tunnels["sofia-ipsec"].distance is None
    # the other tunnels (R-VARNA's bourgas) are untouched at every step
    others = {n: t for n, t in site.tunnels.items() if n != TUNNEL}
    for stepped in (one, two, three):
        assert {n: t for n, t in stepped.tunnels.items() if n not in (TUNNEL, "sofia-ipsec")} == (
            others
        )
    # a site file already rewritten (step 3 in the file) is step 3 as it is
    assert site_at_step(three, state, 3, resolver) is three


def test_the_head_office_follows_the_branch(inventory: Path) -> None:
    inv = load_inventory(inventory)
    resolver = load_resolver(None, inventory=inventory)
    states = {"R-SHUMEN": _state("R-SHUMEN", "${IOSGEN_R_SHUMEN_SOFIA_PSK}")}
    from iosgen.model.headoffice import dialins

    for step, dials in ((0, True), (1, True), (2, True), (3, False)):
        fleet = fleet_at_steps(inv.sites, states, resolver, {"R-SHUMEN": step})
        office = _find(fleet, "R-SOFIA")
        assert office.fleet is not None
        assert _find(office.fleet, "R-SHUMEN") is _find(fleet, "R-SHUMEN")
        users = {d.user for d in dialins(office, fleet)}
        assert ("shumen" in users) is dials, step
        branch = _find(fleet, "R-SHUMEN")
        assert ("sofia-ipsec" in branch.ipsec_tunnels) is (step > 0)
    # the loaded head office keeps its own fleet: fleet_at_steps works on copies
    assert "shumen" in {d.user for d in dialins(inv.find("R-SOFIA"), inv.sites)}


def test_the_last_branch_takes_the_pptp_server_with_it(inventory: Path) -> None:
    inv = load_inventory(inventory)
    resolver = load_resolver(None, inventory=inventory)
    keys = {
        "R-ITD": "${IOSGEN_SOFIA_DYNAMIC_PSK}",
        "R-RUSE": "${IOSGEN_SOFIA_DYNAMIC_PSK}",
        "R-VARNA": "${IOSGEN_R_VARNA_SOFIA_PSK}",
        "R-SHUMEN": "${IOSGEN_R_SHUMEN_SOFIA_PSK}",
    }
    states = {h: _state(h, k, done=3) for h, k in keys.items()}
    # the Linux gateways (plovdiv-gw, gabrovo-gw) still dial R-SOFIA over PPTP
    office = _find(fleet_at_steps(inv.sites, states, resolver), "R-SOFIA")
    assert office.pptp_server is not None
    routers = [s for s in inv.sites if s.platform == "ios"]
    office = _find(fleet_at_steps(routers, states, resolver), "R-SOFIA")
    assert office.pptp_server is None and office.ipsec_server is not None
    three = {h: s for h, s in states.items() if h != "R-ITD"}
    office = _find(fleet_at_steps(routers, three, resolver), "R-SOFIA")
    assert office.pptp_server is not None  # R-ITD still dials it


def test_a_missing_key_is_named_not_shown(inventory: Path) -> None:
    inv = load_inventory(inventory)
    resolver = load_resolver(None, inventory=inventory)
    state = _state("R-VARNA", "${IOSGEN_NOT_SET_PSK}")
    with pytest.raises(MigrationError, match="IOSGEN_NOT_SET_PSK is not set"):
        site_at_step(inv.find("R-VARNA"), state, 1, resolver)
    with pytest.raises(MigrationError, match="no PPTP tunnel 'nope'"):
        nope = MigrationState("R-VARNA", "nope", "x", "k", "R-SOFIA")
        site_at_step(inv.find("R-VARNA"), nope, 1, resolver)


def test_a_pptp_route_already_floating_is_refused(inventory: Path) -> None:
    inv = load_inventory(inventory)
    resolver = load_resolver(None, inventory=inventory)
    site = inv.find("R-VARNA")
    pptp: PptpClient = site.pptp_clients[TUNNEL]
    floating = site.model_copy(
        update={
            "pptp_clients": {**site.pptp_clients, TUNNEL: pptp.model_copy(update={"distance": 250})}
        }
    )
    with pytest.raises(MigrationError, match="must be worse"):
        site_at_step(floating, _state("R-VARNA", "${IOSGEN_R_VARNA_SOFIA_PSK}"), 1, resolver)


def test_the_state_file_round_trips_and_bad_ones_are_placed() -> None:
    state = _state("R-ITD").after(StepRecord(1, "2026-12-02T07:00:00Z", True, "step 1 done"))
    assert state.done == 1
    failed = state.after(StepRecord(2, "2026-12-02T07:01:00Z", False, "rolled back"))
    assert failed.done == 1 and len(failed.log) == 2
    assert MigrationState.from_json(failed.to_json(), "x.json") == failed
    assert "dynamic-demo" not in failed.to_json()  # a reference, never the key
    for text, why in (
        ("{", "x.json:1:2: not JSON"),
        ('{"version": 9}', "x.json:1:1: not an iosgen migration state"),
        (failed.to_json().replace('"done": 1', '"done": 7'), "done: expected a step 0-3"),
        (failed.to_json().replace('"to": "ipsec"', '"to": "gre"'), "to: 'gre' is not one of"),
    ):
        with pytest.raises(MigrationError, match=why):
            MigrationState.from_json(text, "x.json")


@pytest.mark.parametrize(
    ("host", "tunnel", "ref"),
    [
        ("R-ITD", "sofia", "${IOSGEN_R_ITD_SOFIA_PSK}"),
        ("r-varna", "bourgas", "${IOSGEN_R_VARNA_BOURGAS_PSK}"),
        ("BR.1", "hq-2", "${IOSGEN_BR_1_HQ_2_PSK}"),
    ],
    ids=["seed", "lower-case", "dots-and-dashes"],
)
def test_default_key_reference(host: str, tunnel: str, ref: str) -> None:
    assert default_key_reference(host, tunnel) == ref


def test_the_loader_hook_applies_the_states(inventory: Path, tmp_path: Path) -> None:
    """What the loader does with `apply_states` (docs/migrate.md): the branch at its step,
    the head office compiled from it, also when only the head office's file is named."""
    from iosgen.migrate.state import write_state
    from iosgen.model.headoffice import dialins
    from iosgen.model.inventory import load_files
    from iosgen.model.migration import apply_states

    folder = tmp_path / "migrations"
    resolver = load_resolver(None, inventory=inventory)
    inv = load_inventory(inventory)
    assert apply_states(inv.sites, folder, resolver) == tuple(inv.sites)  # no folder
    write_state(folder, _state("R-SHUMEN", "${IOSGEN_R_SHUMEN_SOFIA_PSK}", done=3))
    stepped = apply_states(inv.sites, folder, resolver)
    assert [s.hostname for s in stepped] == [s.hostname for s in inv.sites]
    assert "sofia" not in _find(stepped, "R-SHUMEN").tunnels
    office = _find(stepped, "R-SOFIA")
    assert office.fleet is not None
    assert "shumen" not in {d.user for d in dialins(office, office.fleet)}
    alone = load_files([inventory / "sites" / "sofia.yaml"], resolver, inventory).sites
    (only,) = apply_states(alone, folder, resolver)
    assert only.fleet is not None
    assert "shumen" not in {d.user for d in dialins(only, only.fleet)}
    assert "varna" in {d.user for d in dialins(only, only.fleet)}
    # a finished migration (the site file rewritten) is applied no more
    finished = MigrationState(
        "R-SHUMEN", TUNNEL, "sofia-ipsec", "${K}", "R-SOFIA", done=3, rewritten=True
    )
    write_state(folder, finished)
    assert apply_states(inv.sites, folder, resolver) == tuple(inv.sites)
