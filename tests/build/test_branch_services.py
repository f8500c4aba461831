"""The services branch routers need most, typed: discard routes, NTP, syslog, SNMP,
port forwards, named ACLs with remarks, DHCP pools.

tests/build/typed/R-BRANCH.yaml uses each; its build is pinned in R-BRANCH.cfg and
the simulator (over real SSH) takes it and prints it back in sync; a lost line of
each is drift that the remediation repairs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from iosgen.build.ios import render
from iosgen.errors import InputError
from iosgen.model.inventory import load_site
from iosgen.model.secret import SecretResolver
from iosgen.model.site import Site

HERE = Path(__file__).parent / "typed"
SITE_FILE = HERE / "R-BRANCH.yaml"
ENV = {"IOSGEN_R_BRANCH_PASSWORD": "Demo-pass1", "IOSGEN_R_BRANCH_ENABLE": "Demo-enable1"}
SECRETS = {"snmp_ro": "ro-demo-c0mm"}


def _site(data: dict[str, Any] | None = None, tmp_path: Path | None = None) -> Site:
    resolver = SecretResolver(environ=ENV, secrets=SECRETS)
    if data is None:
        return load_site(SITE_FILE, resolver)
    assert tmp_path is not None
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_site(path, resolver)


def _data() -> dict[str, Any]:
    data = yaml.safe_load(SITE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_build_matches_its_golden_file() -> None:
    assert render(_site()).text == (HERE / "R-BRANCH.cfg").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("before", "line"),
    [
        ("ip route 0.0.0.0 0.0.0.0 203.0.113.9", "ip route 10.0.0.0 255.0.0.0 Null0"),
        ("scheduler allocate 20000 1000", "ntp server 192.0.2.123"),
        (" deny   ip any any log", "logging 192.168.50.10"),
        ("route-map INTERNET permit 10", "snmp-server community ro-demo-c0mm RO 5"),
        (
            "ip nat inside source route-map INTERNET interface FastEthernet0/0 overload",
            "ip nat inside source static tcp 192.168.50.5 22 interface FastEthernet0/0 2222",
        ),
        ("ip cef", "ip dhcp excluded-address 192.168.50.1 192.168.50.99"),
        ("ip dhcp pool LAN", "   dns-server 192.168.50.1 192.0.2.53"),
        ("no ip http secure-server", "ip access-list extended WAN-IN"),
    ],
    ids=["null0", "ntp", "logging", "snmp", "port-forward", "dhcp-excluded", "dhcp-pool", "acl"],
)
def test_each_service_prints_where_ios_prints_it(before: str, line: str) -> None:
    lines = render(_site()).text.split("\n")
    assert line in lines and before in lines[: lines.index(line)]


def test_the_community_is_masked_in_both_lines() -> None:
    rendered = render(_site())
    assert rendered.text.count("ro-demo-c0mm") == 2
    masked = rendered.masked()
    assert "ro-demo-c0mm" not in masked
    assert "snmp-server community <redacted> RO 5" in masked
    assert "snmp-server host 192.168.50.10 version 2c <redacted>" in masked


def test_logging_hosts_take_the_15x_form_on_a_15x_image(tmp_path: Path) -> None:
    data = _data()
    data["hardware"] = {"model": "881", "image": "15.4(3)M"}
    data["interfaces"] = {
        "FastEthernet4": {"role": "wan", "ipv4": "dhcp"},
        "Vlan1": {"role": "lan", "ipv4": "192.168.50.1/24"},
    }
    data["nat_forwards"] = []
    assert "logging host 192.168.50.10" in render(_site(data, tmp_path)).text.split("\n")


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("snmp", "communities", 0, "community"), "two words", "not one word"),
        (("snmp", "communities", 0, "access"), "RX", "'RO' or 'RW'"),
        (("nat_forwards", 0, "outside"), "203.0.113.10", "exactly one of outside"),
        (("nat_forwards", 0, "inside_port"), 70000, "less than or equal to 65535"),
        (("routes", 0, "next_hop"), "Null1", "IPv4 address"),
        (("access_lists", "WAN-IN", "entries", 0), "permit ip any any?", "request for help"),
        (("dhcp", "pools", "LAN", "network"), "192.168.50.1/24", "host bits"),
    ],
    ids=[
        "community-words",
        "community-access",
        "two-outsides",
        "port",
        "null1",
        "acl-help",
        "pool-network",
    ],
)
def test_a_bad_value_is_refused_at_its_key(
    tmp_path: Path, path: tuple[Any, ...], value: Any, message: str
) -> None:
    data = _data()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InputError) as caught:
        _site(data, tmp_path)
    assert message in str(caught.value)
    assert "site.yaml:" in str(caught.value) and "two words" not in str(caught.value)


@pytest.fixture(scope="module")
def branch_sim(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from iosgen.sim import RouterSpec, SimFleet

    spec = RouterSpec(
        hostname="R-BRANCH",
        username="netops",
        password=ENV["IOSGEN_R_BRANCH_PASSWORD"],
        enable_secret=ENV["IOSGEN_R_BRANCH_ENABLE"],
        initial_config=render(_site()).text,
    )
    with SimFleet([spec], state_dir=tmp_path_factory.mktemp("branch-sim")) as fleet:
        yield fleet


LOST = (
    "ntp server 192.0.2.124\n",
    "logging 192.168.50.10\n",
    "snmp-server host 192.168.50.10 version 2c ro-demo-c0mm\n",
    "ip nat inside source static tcp 192.168.50.5 22 interface FastEthernet0/0 2222\n",
    " remark the VPN\n",
    "ip route 172.16.0.0 255.240.0.0 Null0\n",
)


def test_the_simulator_takes_the_build_and_repairs_each_lost_line(branch_sim: Any) -> None:
    _repair(branch_sim, LOST)


def test_a_lost_dhcp_pool_line_is_repaired(branch_sim: Any) -> None:
    _repair(branch_sim, ("   lease 2\n",))


def _repair(branch_sim: Any, lost: tuple[str, ...]) -> None:
    from iosgen.device.session import Device, DeviceOptions
    from iosgen.diff.audit import audit_text, secret_book
    from iosgen.model.targets import resolve_targets

    site = _site()
    want = render(site).text
    router = branch_sim.router(site.hostname)
    assert router.set_running(want) == []
    target = resolve_targets([site], branch_sim.targets_file)[site.hostname]
    with Device(target, DeviceOptions(known_hosts=None, read_timeout=30.0)) as dev:
        result = audit_text(site.hostname, want, dev.running_config(), secret_book(site))
        assert result.status == "in_sync", result.drift.as_dict()
        drifted = want
        for line in lost:
            assert line in drifted
            drifted = drifted.replace(line, "", 1)
        assert router.set_running(drifted) == []
        before = audit_text(site.hostname, want, dev.running_config(), secret_book(site))
        assert len(before.drift.real) >= len(lost), before.drift.as_dict()
        dev.send_config(before.remediation.lines(show_secrets=True))
        after = audit_text(site.hostname, want, dev.running_config(), secret_book(site))
        assert after.status == "in_sync", after.drift.as_dict()
