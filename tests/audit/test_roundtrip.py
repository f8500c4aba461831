"""The round trip on the simulator, over real SSH: remediation converges, rollback returns.

For every example site: start the simulated router at a mutated config, fetch
`show running-config` over SSH, audit, type the remediation through the device
layer (netmiko), read the config back over SSH: the audit is clean, in one push.
Then type the rollback: the router is back at the mutated config. The simulator
is the oracle here: it was written from IOS behaviour, not from this code.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from iosgen.audit import audit_text, secret_book
from iosgen.device import Device, DeviceOptions
from iosgen.model import Site
from iosgen.targets import resolve_targets
from tests.audit.audit_mutations import HOSTS, KINDS, mutate

DRIFTING_PER_SITE = 70  # three sites: 210 mutations with real drift


def _session(sim: Any, site: Site) -> Device:
    target = resolve_targets([site], sim.targets_file)[site.hostname]
    return Device(target, DeviceOptions(known_hosts=None))


@pytest.mark.parametrize("host", HOSTS)
def test_intended_build_audits_clean_on_the_router(
    host: str, sim: Any, sites: dict[str, Site], intended: dict[str, str]
) -> None:
    router = sim.router(host)
    assert router.set_running(intended[host]) == []
    with _session(sim, sites[host]) as dev:
        running = dev.running_config()
    result = audit_text(host, intended[host], running, secret_book(sites[host]))
    assert result.status == "in_sync", result.drift.as_dict()


@pytest.mark.parametrize(("host", "seed"), list(zip(HOSTS, (11, 22, 33), strict=True)))
def test_mutations_converge_in_one_push_and_roll_back(
    host: str, seed: int, sim: Any, sites: dict[str, Site], intended: dict[str, str]
) -> None:
    site, want = sites[host], intended[host]
    book = secret_book(site)
    router = sim.router(host)
    rng = random.Random(seed)
    kinds: Counter[str] = Counter()
    secret_only = 0
    failures: list[str] = []
    drifting = tries = refused = 0
    with _session(sim, site) as dev:
        while drifting < DRIFTING_PER_SITE:
            tries += 1
            assert tries < 5 * DRIFTING_PER_SITE, "the generator stopped producing drift"
            mutation = mutate(want, rng, KINDS[tries % len(KINDS)])
            if router.set_running(mutation.running):
                # IOS refused a line of it (`rotary-group 2` with no `protocol pptp` before
                # it): no router can be in that state, so there is nothing to repair.
                refused += 1
                continue
            before = dev.running_config()
            result = audit_text(host, want, before, book)
            if result.status == "in_sync":
                # e.g. a re-salted type 7, or a default IOS prints anyway: not drift.
                secret_only += mutation.kind == "secret" and bool(result.drift.secret_only)
                continue
            drifting += 1
            kinds[mutation.kind] += 1
            dev.send_config(result.remediation.lines(show_secrets=True))
            after = audit_text(host, want, dev.running_config(), book)
            if after.status != "in_sync":
                failures.append(f"{mutation}: still {after.drift.as_dict()}")
                continue
            dev.send_config(result.rollback.lines(show_secrets=True))
            back = audit_text(host, before, router.running_config(), book)
            if back.status != "in_sync":
                failures.append(f"{mutation}: rollback left {back.drift.as_dict()}")
    assert failures == []
    assert refused < tries // 10, f"{refused} of {tries} mutations were refused by the router"
    assert set(kinds) == set(KINDS) - {"secret"}, kinds
    assert secret_only > 0  # re-salted type-7 secrets were seen, and were not drift


def test_secret_reencryption_on_the_router_is_not_drift(
    sim: Any, sites: dict[str, Site], intended: dict[str, str]
) -> None:
    """`service password-encryption` typed again re-salts nothing; a new salt is no drift."""
    host = "R-RUSE"
    router = sim.router(host)
    running = intended[host].replace(
        "username ivan password 7 060F192042030D1C0818", "username ivan password 0 ivan-demo"
    )
    for _ in range(50):  # IOS picks a salt 00-15 at random: wait for one other than ours
        assert router.set_running(running) == []
        text = router.running_config()
        if "060F192042030D1C0818" not in text:
            break
    assert "username ivan password 7 " in text  # the router encrypted it with its own salt
    result = audit_text(host, intended[host], text, secret_book(sites[host]))
    assert result.status == "in_sync"
    assert [i.text.split(" 7 ")[0] for i in result.drift.secret_only] == ["username ivan password"]
