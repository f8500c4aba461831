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

from iosgen.device.session import Device, DeviceOptions
from iosgen.diff.audit import audit_text, secret_book
from iosgen.model.site import Site
from iosgen.model.targets import resolve_targets
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
        "username ivan privilege 0 password 7 060F192042030D1C0818",
        "username ivan privilege 0 password 0 ivan-demo",
    )
    for _ in range(50):  # IOS picks a salt 00-15 at random: wait for one other than ours
        assert router.set_running(running) == []
        text = router.running_config()
        if "060F192042030D1C0818" not in text:
            break
    assert (
        "username ivan privilege 0 password 7 " in text
    )  # the router encrypted it with its own salt
    result = audit_text(host, intended[host], text, secret_book(sites[host]))
    assert result.status == "in_sync"
    assert [i.text.split(" 7 ")[0] for i in result.drift.secret_only] == [
        "username ivan privilege 0 password"
    ]


def _without(text: str, *drop: str) -> str:
    """The config without the given lines, and without the blocks they open."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines():
        if skipping and line.startswith(" "):
            continue
        skipping = line in drop
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n"


def _anchor_pairs(golden: str) -> dict[str, tuple[str, str]]:
    """(intended, running) pairs of the rules' anchors, on the full R-ITD config."""
    acl101 = golden.replace(
        "access-list 10 permit 192.168.10.0 0.0.0.255",
        "access-list 101 permit ip 192.168.10.0 0.0.0.255 any",
    ).replace(" match ip address 10\n", " match ip address 101\n")
    no_tunnel = _without(
        golden,
        "vpdn-group 2",
        "interface Dialer2",
        "ip route 10.10.0.0 255.255.0.0 Dialer2",
        "ip nat inside source route-map VPN interface Dialer2 overload",
        "dialer-list 2 protocol ip permit",
        "route-map VPN permit 10",
    )
    two_entries = golden.replace(
        "access-list 10 permit 192.168.10.0 0.0.0.255",
        "access-list 10 permit 192.168.10.0 0.0.0.255\naccess-list 10 permit 10.1.0.0 0.0.255.255",
    )
    return {
        "acl-swap-under-nat": (acl101, golden),
        "dialer-removed-while-nat-points-at-it": (no_tunnel, golden),
        "dialer-added-with-its-references": (golden, no_tunnel),
        "numbered-acl-entry-changed": (
            two_entries,
            two_entries.replace("10.1.0.0 0.0.255.255", "10.2.0.0 0.0.255.255"),
        ),
        "numbered-acl-reordered": (
            two_entries,
            golden.replace(
                "access-list 10 permit 192.168.10.0 0.0.0.255",
                "access-list 10 permit 10.1.0.0 0.0.255.255\n"
                "access-list 10 permit 192.168.10.0 0.0.0.255",
            ),
        ),
        "banner": (
            golden.replace("line con 0", "banner motd ^C\nAuthorized only\n^C\nline con 0"),
            golden,
        ),
        "foreign-logging-host": (
            golden,
            golden.replace("line con 0", "logging host 192.0.2.9\nline con 0"),
        ),
        "no-cdp-enable-on-the-router-only": (
            golden,
            golden.replace(" ip nat inside\n", " ip nat inside\n no cdp enable\n"),
        ),
        "single-values": (
            golden,
            golden.replace("ppp encrypt mppe auto", "ppp encrypt mppe 128")
            .replace(" mtu 1460", " mtu 1400")
            .replace(" description local LAN", " description old"),
        ),
    }


ANCHORS = (
    "acl-swap-under-nat",
    "dialer-removed-while-nat-points-at-it",
    "dialer-added-with-its-references",
    "numbered-acl-entry-changed",
    "numbered-acl-reordered",
    "banner",
    "foreign-logging-host",
    "no-cdp-enable-on-the-router-only",
    "single-values",
)


@pytest.mark.parametrize("anchor", ANCHORS)
def test_anchor_pairs_converge_on_the_router(
    anchor: str, sim: Any, sites: dict[str, Site], intended: dict[str, str]
) -> None:
    want, running = _anchor_pairs(intended["R-ITD"])[anchor]
    _converges_and_rolls_back(sim, sites["R-ITD"], want, running)


def _converges_and_rolls_back(sim: Any, site: Site, want: str, running: str) -> None:
    """Start the router at `running`: the remediation reaches `want`, the rollback returns."""
    host = site.hostname
    book = secret_book(site)
    assert sim.router(host).set_running(running) == []
    with _session(sim, site) as dev:
        before = dev.running_config()
        result = audit_text(host, want, before, book)
        assert result.status == "drift"
        dev.send_config(result.remediation.lines(show_secrets=True))
        after = audit_text(host, want, dev.running_config(), book)
        assert after.status == "in_sync", (result.remediation.lines(), after.drift.as_dict())
        dev.send_config(result.rollback.lines(show_secrets=True))
        back = audit_text(host, before, dev.running_config(), book)
        assert back.status == "in_sync", (result.rollback.lines(), back.drift.as_dict())


def _list_pairs(golden: str) -> dict[str, tuple[str, str]]:
    """R-RUSE pairs where IOS keeps lists: pool ranges and route-map match clauses."""
    pool = "ip local pool PPTP-POOL 192.168.30.200 192.168.30.220"
    return {
        "pool-range-changed": (
            golden,
            golden.replace(pool, "ip local pool PPTP-POOL 192.168.30.150 192.168.30.160"),
        ),
        "pool-extra-range": (
            golden,
            golden.replace(pool, f"{pool}\nip local pool PPTP-POOL 192.168.30.240 192.168.30.250"),
        ),
        "route-map-extra-match": (
            golden,
            golden.replace(
                "access-list 10 permit 192.168.30.0 0.0.0.255",
                "access-list 10 permit 192.168.30.0 0.0.0.255\n"
                "access-list 20 permit 10.9.0.0 0.0.255.255",
            ).replace(
                "route-map SOFIA permit 10\n match ip address 10\n",
                "route-map SOFIA permit 10\n match ip address 10 20\n",
            ),
        ),
    }


@pytest.mark.parametrize(
    "pair", ["pool-range-changed", "pool-extra-range", "route-map-extra-match"]
)
def test_list_valued_lines_converge_on_the_router(
    pair: str, sim: Any, sites: dict[str, Site], intended: dict[str, str]
) -> None:
    want, running = _list_pairs(intended["R-RUSE"])[pair]
    assert want != running
    _converges_and_rolls_back(sim, sites["R-RUSE"], want, running)


def test_user_switching_between_password_and_secret_converges(
    sim: Any, sites: dict[str, Site], intended: dict[str, str]
) -> None:
    """IOS refuses `username u secret ...` while u has a `password`: u is removed first."""
    from iosgen.ios.passwords import type7_encode

    want = intended["R-RUSE"]
    old = next(line for line in want.splitlines() if line.startswith("username auditor "))
    running = want.replace(old, f"username auditor password 7 {type7_encode('old-one', 5)}")
    _converges_and_rolls_back(sim, sites["R-RUSE"], want, running)


def test_nat_mapping_repointed_is_replaced_in_one_line(
    sim: Any, sites: dict[str, Site], intended: dict[str, str]
) -> None:
    """One dynamic mapping per route-map name: re-typed, never negated and re-added."""
    want = intended["R-ITD"]
    line = "ip nat inside source route-map VPN interface Dialer2 overload"
    running = want.replace(line, line.replace("Dialer2", "FastEthernet0/0"))
    result = audit_text("R-ITD", want, running, secret_book(sites["R-ITD"]))
    assert result.remediation.lines() == [line]
    _converges_and_rolls_back(sim, sites["R-ITD"], want, running)


def test_addresses_swapped_between_ports_converge(
    sim: Any, sites: dict[str, Site], intended: dict[str, str]
) -> None:
    """IOS refuses a subnet another port still has: the old address must go first."""
    want = intended["R-VARNA"]
    wan = " ip address 203.0.113.6 255.255.255.252"
    lan = " ip address 192.168.20.1 255.255.255.0"
    running = want.replace(wan, "@WAN@").replace(lan, wan).replace("@WAN@", lan)
    _converges_and_rolls_back(sim, sites["R-VARNA"], want, running)


def test_http_server_site_converges_without_turning_https_on(
    sim: Any, sites: dict[str, Site]
) -> None:
    """Issue 9 item 11: the build keeps `no ip http secure-server`; the push never types it on."""
    from iosgen.build.ios import render

    host = "R-ITD"
    old = sites[host]
    site = old.model_copy(
        update={"services": old.services.model_copy(update={"http_server": True})}
    )
    want = render(site).text
    router = sim.router(host)
    drifted = want.replace(" mtu 1460", " mtu 1400")
    assert router.set_running(drifted) == []
    book = secret_book(site)
    with _session(sim, site) as dev:
        result = audit_text(host, want, dev.running_config(), book)
        assert result.remediation.lines() == ["interface Dialer2", " mtu 1460"]
        dev.send_config(result.remediation.lines(show_secrets=True))
        after = dev.running_config()
    assert audit_text(host, want, after, book).status == "in_sync"
    assert "no ip http secure-server" in after and "ip http server" in after


def test_saved_no_shutdown_and_missing_auto_lines_are_in_sync_on_the_router(
    sim: Any, sites: dict[str, Site], intended: dict[str, str]
) -> None:
    """A saved config with ` no shutdown` and without ` duplex auto` / ` speed auto` is no drift,
    and the router printing its own lines is no drift either."""
    host = "R-ITD"
    want = intended[host]
    saved = want.replace(" duplex auto\n speed auto\n", " no shutdown\n")
    assert saved != want
    book = secret_book(sites[host])
    result = audit_text(host, want, saved, book)
    assert (result.status, result.remediation.lines()) == ("in_sync", [])
    router = sim.router(host)
    assert router.set_running(saved) == []
    with _session(sim, sites[host]) as dev:
        printed = dev.running_config()
    assert " no shutdown" not in printed  # IOS never prints it
    assert audit_text(host, want, printed, book).status == "in_sync"
