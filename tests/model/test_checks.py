"""The cross-field checks (iosgen.model.checks): each one's job, its key path, the order."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from iosgen.model import checks
from iosgen.model.checks import SITE_CHECKS, SiteCheck, interface_problems, site_problems
from iosgen.model.platform import Platform
from iosgen.model.secret import SecretResolver
from iosgen.model.site import Site
from tests.compiler.sitefactory import ENV, IOS_SITE, LINUX_SITE, problems_of

Data = dict[str, Any]


def _site(data: Data) -> Site:
    return Site.model_validate(data, context={"resolver": SecretResolver(environ=ENV)})


def _with(base: Data, **changes: Any) -> Data:
    data = copy.deepcopy(base)
    data.update(changes)
    return data


def _tunnel(**changes: Any) -> Data:
    tunnel = copy.deepcopy(IOS_SITE["pptp_clients"]["sofia"])
    tunnel.update(changes)
    return tunnel


def _interfaces(extra: Data) -> Data:
    """The IOS site's interfaces with `extra` added or replaced."""
    return {**copy.deepcopy(IOS_SITE["interfaces"]), **extra}


# One row per check: a site that trips it, and the one problem it must report there.
CASES: list[tuple[SiteCheck, Data, tuple[str | int, ...], str]] = [
    (
        checks.wan_count,
        _with(
            IOS_SITE,
            interfaces=_interfaces({"FastEthernet0/2": {"role": "wan", "ipv4": "dhcp"}}),
        ),
        ("interfaces", "FastEthernet0/2", "role"),
        "a second WAN interface; FastEthernet0/0 is the WAN",
    ),
    (
        checks.each_interface,
        _with(
            IOS_SITE,
            interfaces=_interfaces(
                {
                    "FastEthernet0/1": {
                        "role": "lan",
                        "ipv4": "192.168.10.1/24",
                        "dhcp_client_id": "x",
                    }
                }
            ),
        ),
        ("interfaces", "FastEthernet0/1", "dhcp_client_id"),
        "dhcp_client_id needs ipv4: dhcp",
    ),
    (
        checks.overlaps,
        _with(IOS_SITE, pptp_clients={"sofia": _tunnel(remote_networks=["192.168.0.0/16"])}),
        ("pptp_clients", "sofia", "remote_networks", 0),
        "192.168.0.0/16 overlaps LAN FastEthernet0/1 (192.168.10.0/24)",
    ),
    (
        checks.addresses,
        _with(IOS_SITE, interfaces=_interfaces({"Vlan1": {"role": "lan", "ipv4": "127.0.0.2/8"}})),
        ("interfaces", "Vlan1", "ipv4"),
        "127.0.0.2 is a loopback address (127.0.0.0/8), which never leaves a host",
    ),
    (
        checks.routes,
        _with(IOS_SITE, routes=[{"network": "10.0.0.0/8", "next_hop": "192.168.10.1"}]),
        ("routes", 0, "next_hop"),
        "next hop 192.168.10.1 is this router's own address (FastEthernet0/1)",
    ),
    (
        checks.tunnel_servers,
        _with(IOS_SITE, pptp_clients={"sofia": _tunnel(server="192.168.10.9")}),
        ("pptp_clients", "sofia", "server"),
        "server 192.168.10.9 is inside LAN FastEthernet0/1 (192.168.10.0/24): the tunnel runs "
        "over the WAN to a server outside this site",
    ),
    (
        checks.aaa_login,
        _with(IOS_SITE, aaa={"login": "none"}),
        ("aaa", "login"),
        "login method 'none' lets anyone log in without a password: use 'local' (or 'local line')",
    ),
    (
        checks.ios_dialers,
        _with(IOS_SITE, pptp_clients={"sofia": _tunnel(dialer=12)}),
        ("pptp_clients", "sofia", "dialer"),
        "dialer 12 is outside 1-10: it is also the tunnel's dialer-group and dialer-list number, "
        "which IOS takes from 1 to 10",
    ),
    (
        checks.each_tunnel,
        _with(IOS_SITE, pptp_clients={"sofia": _tunnel(), "varna": _tunnel(nat_route_map="SOFIA")}),
        ("pptp_clients", "varna", "dialer"),
        "dialer 2 is already used by tunnel 'sofia'",
    ),
    (
        checks.pptp_server,
        _with(IOS_SITE, pptp_server={"pool": ["192.168.10.220", "192.168.10.200"], "users": {}}),
        ("pptp_server", "pool"),
        "pool start 192.168.10.220 is after its end",
    ),
    (
        checks.management_privilege,
        _with(IOS_SITE, users={"netops": {"privilege": 5, "secret": "${INJ_AUDITOR}"}}),
        ("users", "netops", "privilege"),
        "the management account needs privilege 15 (push and audit log in with it)",
    ),
    (
        checks.tunnel_kinds,
        _with(
            IOS_SITE,
            tunnels={
                "hq": {
                    "kind": "wireguard",
                    "peer": "203.0.113.10",
                    "private_key": "A" * 42 + "E=",
                    "address": "10.99.0.2/30",
                }
            },
        ),
        ("tunnels", "hq", "kind"),
        "kind wireguard needs platform linux: IOS 12.4 has no WireGuard (use kind: ipsec)",
    ),
]


@pytest.mark.parametrize(
    ("check", "data", "path", "message"),
    CASES,
    ids=[case[0].__name__ for case in CASES],
)
def test_each_check_reports_its_problem_at_its_key(
    check: SiteCheck, data: Data, path: tuple[str | int, ...], message: str
) -> None:
    site = _site(data)
    assert (path, message) in list(check(site))
    assert (path, message) in list(site_problems(site))


@pytest.mark.parametrize("base", [IOS_SITE, LINUX_SITE], ids=["ios", "linux-pppd"])
def test_a_valid_site_passes_every_check(base: Data) -> None:
    site = _site(base)
    assert {check.__name__: list(check(site)) for check in SITE_CHECKS} == {
        check.__name__: [] for check in SITE_CHECKS
    }
    assert list(interface_problems(site)) == []


def test_site_checks_are_each_listed_once() -> None:
    names = [check.__name__ for check in SITE_CHECKS]
    assert len(names) == len(set(names))
    assert checks.ios_dialers in SITE_CHECKS and checks.ios_hardware in SITE_CHECKS


@pytest.mark.parametrize(
    ("platform", "expected"),
    [(Platform.IOS, ["dialer"]), (Platform.LINUX_PPPD, [])],
    ids=["ios-takes-1-10", "pppd-takes-any-unit"],
)
def test_dialer_range_is_an_ios_fact(platform: Platform, expected: list[str]) -> None:
    base = IOS_SITE if platform is Platform.IOS else LINUX_SITE
    data = copy.deepcopy(base)
    data["pptp_clients"]["sofia"]["dialer"] = 0
    site = _site(data)
    assert site.platform is platform
    assert [path[-1] for path, _ in checks.ios_dialers(site)] == expected


def test_tunnel_problems_come_in_site_file_order() -> None:
    """Per tunnel, every tunnel check; tunnels in the order the file lists them."""
    tunnels = {
        "b": _tunnel(tcp_mss=1450),
        "a": _tunnel(mppe="none", mppe_required=True, nat_route_map="A"),
    }
    site = _site(_with(IOS_SITE, pptp_clients=tunnels))
    assert [path for path, _ in checks.each_tunnel(site)] == [
        ("pptp_clients", "b", "tcp_mss"),
        ("pptp_clients", "a", "dialer"),
        ("pptp_clients", "a", "mppe_required"),
    ]


def test_route_map_of_internet_nat_is_taken() -> None:
    site = _site(_with(IOS_SITE, pptp_clients={"sofia": _tunnel(nat_route_map="INTERNET")}))
    assert list(checks.each_tunnel(site)) == [
        (
            ("pptp_clients", "sofia", "nat_route_map"),
            "route-map INTERNET is already used by internet_nat",
        )
    ]


def test_problems_are_located_in_the_site_file(tmp_path: Path) -> None:
    data = _with(IOS_SITE, pptp_clients={"sofia": _tunnel(), "varna": _tunnel(nat_route_map="V")})
    problems = [p for p in problems_of(tmp_path, data) if p.path == "pptp_clients.varna.dialer"]
    assert [(p.message, p.file.endswith("site.yaml"), p.line > 1) for p in problems] == [
        ("dialer 2 is already used by tunnel 'sofia'", True, True)
    ]


def test_old_import_path_still_answers() -> None:
    """bench/bench_build.py imports `site_problems` from iosgen.model.site."""
    from iosgen.model import site as site_module

    assert site_module.site_problems is site_problems
    assert site_module.interface_problems is interface_problems
    with pytest.raises(AttributeError):
        _ = site_module.no_such_name
