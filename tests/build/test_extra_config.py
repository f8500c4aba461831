"""extra_config: lines the typed model has no field for, placed where IOS prints them.

The example site tests/build/extra/R-EXTRA.yaml uses every kind (global lines, a
line `after:` another, sections new and merged into a typed block, interface
lines, a secret placeholder); its build is pinned in R-EXTRA.cfg, and the
simulator (the independent oracle, over real SSH) takes it and prints it back
in sync. A line the typed model already prints is an error naming both.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from iosgen.build.ios import render
from iosgen.errors import InputError, RenderError
from iosgen.model.inventory import load_files, load_site
from iosgen.model.secret import SecretResolver
from iosgen.model.site import Site

HERE = Path(__file__).parent / "extra"
SITE_FILE = HERE / "R-EXTRA.yaml"
ENV = {"IOSGEN_R_EXTRA_PASSWORD": "Demo-pass1", "IOSGEN_R_EXTRA_ENABLE": "Demo-enable1"}
SECRETS = {"snmp_ro": "public-ro-demo"}


def _resolver() -> SecretResolver:
    return SecretResolver(environ=ENV, secrets=SECRETS)


def _site_data() -> dict[str, Any]:
    data = yaml.safe_load(SITE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _load(tmp_path: Path, data: dict[str, Any], name: str = "site.yaml") -> Site:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_site(path, _resolver())


def test_build_matches_its_golden_file() -> None:
    site = load_site(SITE_FILE, _resolver())
    assert render(site).text == (HERE / "R-EXTRA.cfg").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("before", "line"),
    [
        ("ip cef", "ip dhcp excluded-address 192.168.40.1 192.168.40.99"),
        ("ip dhcp excluded-address 192.168.40.1 192.168.40.99", "ip dhcp pool LAN"),
        (
            "access-list 5 permit 192.168.40.0 0.0.0.255",
            "snmp-server community public-ro-demo RO 5",
        ),
        ("scheduler allocate 20000 1000", "ntp server 192.0.2.123"),
        (" speed auto", "logging 192.168.40.10"),
        (" transport input ssh", " access-class 5 in"),
        (" no ip redirects", " no ip unreachables"),
    ],
    ids=[
        "after-ip-cef",
        "pool-after-excluded",
        "after-anchor",
        "ntp-last",
        "logging-host-late",
        "merged-into-vty",
        "interface-lines",
    ],
)
def test_each_line_lands_where_ios_prints_it(before: str, line: str) -> None:
    lines = render(load_site(SITE_FILE, _resolver())).text.split("\n")
    assert line in lines
    at = lines.index(line)
    assert before in lines[:at], f"{line!r} should come after {before!r}"
    if before.startswith(" ") == line.startswith(" ") and not line.startswith(" "):
        # a global line comes right after its neighbour's block
        previous = [x for x in lines[:at] if not x.startswith((" ", "!"))]
        assert previous[-1] == before or before.startswith(" ")


def test_interface_lines_go_before_duplex_and_speed() -> None:
    text = render(load_site(SITE_FILE, _resolver())).text
    block = text.split("interface FastEthernet0/0\n", 1)[1].split("!\n", 1)[0]
    assert block.rstrip().split("\n")[-2:] == [" duplex auto", " speed auto"]


def test_an_untyped_interface_section_is_sorted_among_the_interfaces() -> None:
    text = render(load_site(SITE_FILE, _resolver())).text
    assert text.index("interface Loopback0") < text.index("interface FastEthernet0/0")


def test_the_secret_is_masked_and_never_in_the_site_file() -> None:
    assert "public-ro-demo" not in SITE_FILE.read_text(encoding="utf-8")
    rendered = render(load_site(SITE_FILE, _resolver()))
    assert "snmp-server community public-ro-demo RO 5" in rendered.text
    assert "public-ro-demo" not in rendered.masked()
    assert "snmp-server community <redacted> RO 5" in rendered.masked()


def test_a_type7_placeholder_prints_like_a_typed_password(tmp_path: Path) -> None:
    data = _site_data()
    data["interfaces"]["FastEthernet0/1"]["extra_config"] = [
        "standby 1 ip 192.168.40.254",
        "standby 1 authentication {type7:snmp_ro}",
    ]
    text = render(_load(tmp_path, data)).text
    line = next(x for x in text.split("\n") if "standby 1 authentication" in x)
    assert line.startswith(" standby 1 authentication 7 ") and "public" not in line


# --- errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("lines",), ["ip cef\nno ip cef"], "line break"),
        (("lines",), ["ntp server 192.0.2.1?"], "request for help"),
        (("lines",), [" ntp server 192.0.2.1"], "column 0"),
        (("lines",), ["end"], "leave configuration mode"),
        (("lines",), ["! a comment"], "comment"),
        (("lines",), ["x" * 300], "at most 254"),
        (("lines",), ["ntp server\t192.0.2.1"], "control character"),
        (("lines",), [""], "empty"),
        (("lines",), ["snmp-server community {secret:missing} RO"], "'missing' is not in"),
        (("sections",), {"router ospf 1": ["network 10.0.0.0 0.0.0.255 area 0\r"]}, "line break"),
    ],
    ids=[
        "newline",
        "question-mark",
        "indented-global",
        "end",
        "comment",
        "too-long",
        "tab",
        "empty",
        "missing-secret",
        "section-cr",
    ],
)
def test_a_bad_line_is_refused_at_its_position(
    tmp_path: Path, where: tuple[str, ...], value: Any, message: str
) -> None:
    data = _site_data()
    data["extra_config"] = {where[0]: value}
    with pytest.raises(InputError) as caught:
        _load(tmp_path, data)
    text = str(caught.value)
    assert message in text
    assert "site.yaml:" in text and "extra_config" in text


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"lines": ["ip cef"]}, "'ip cef' is already printed by the typed model"),
        ({"lines": ["hostname R-EXTRA"]}, "(hostname)"),
        ({"sections": {"line vty 0 4": ["transport input ssh"]}}, "(ssh.vty_transport)"),
        ({"lines": [{"line": "ntp server 192.0.2.9", "after": "no such line"}]}, "no top-level"),
    ],
    ids=["baseline-line", "hostname", "vty-transport", "bad-anchor"],
)
def test_a_line_the_typed_model_prints_is_an_error_naming_both(
    tmp_path: Path, extra: dict[str, Any], named: str
) -> None:
    data = _site_data()
    data["extra_config"] = extra
    with pytest.raises(RenderError, match=r"extra_config") as caught:
        render(_load(tmp_path, data))
    assert named in str(caught.value)


def test_an_interface_line_the_typed_fields_print_is_an_error(tmp_path: Path) -> None:
    data = _site_data()
    data["interfaces"]["FastEthernet0/1"]["extra_config"] = ["description LAN"]
    with pytest.raises(RenderError, match=r"FastEthernet0/1.extra_config\[0\].*description"):
        render(_load(tmp_path, data))


# --- merging through defaults and groups ------------------------------------------------


def test_group_lines_come_first_then_the_sites(tmp_path: Path) -> None:
    root = tmp_path / "inv"
    (root / "groups").mkdir(parents=True)
    (root / "sites").mkdir()
    (root / "defaults.yaml").write_text(
        "extra_config:\n  lines: [ntp server 192.0.2.1]\n", encoding="utf-8"
    )
    (root / "groups" / "branch.yaml").write_text(
        "extra_config:\n  lines: [ntp server 192.0.2.2]\n"
        "  sections:\n    line vty 0 4: [access-class 5 in]\n",
        encoding="utf-8",
    )
    data = copy.deepcopy(_site_data())
    data["groups"] = ["branch"]
    data["extra_config"] = {
        "lines": ["ntp server 192.0.2.3", "access-list 5 permit 192.168.40.0 0.0.0.255"],
        "sections": {"line vty 0 4": ["exec-timeout 5 0"]},
    }
    data["interfaces"]["FastEthernet0/0"].pop("extra_config")
    data.pop("banners")
    site_file = root / "sites" / "extra.yaml"
    site_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    site = load_files([site_file], _resolver(), root).sites[0]
    text = render(site).text
    servers = [x for x in text.split("\n") if x.startswith("ntp server")]
    assert servers == ["ntp server 192.0.2.1", "ntp server 192.0.2.2", "ntp server 192.0.2.3"]
    vty = text.split("line vty 0 4\n", 1)[1].split("!", 1)[0]
    assert vty.index("access-class 5 in") < vty.index("exec-timeout 5 0")


def test_a_bad_line_from_a_group_is_reported_in_the_group_file(tmp_path: Path) -> None:
    root = tmp_path / "inv"
    (root / "groups").mkdir(parents=True)
    (root / "sites").mkdir()
    (root / "groups" / "branch.yaml").write_text(
        "extra_config:\n  lines:\n    - ntp server 192.0.2.2\n", encoding="utf-8"
    )
    data = _site_data()
    data["groups"] = ["branch"]
    data["extra_config"] = {"lines": ["ntp server 192.0.2.3", "bad?"]}
    site_file = root / "sites" / "extra.yaml"
    site_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_files([site_file], _resolver(), root)
    assert "sites/extra.yaml" in str(caught.value) and "extra_config.lines.2" in str(caught.value)


# --- the simulator takes the build and prints it back in sync -----------------------------


@pytest.fixture(scope="module")
def extra_sim(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from iosgen.sim import RouterSpec, SimFleet

    site = load_site(SITE_FILE, _resolver())
    spec = RouterSpec(
        hostname=site.hostname,
        username="netops",
        password=ENV["IOSGEN_R_EXTRA_PASSWORD"],
        enable_secret=ENV["IOSGEN_R_EXTRA_ENABLE"],
        initial_config=render(site).text,
    )
    with SimFleet([spec], state_dir=tmp_path_factory.mktemp("extra-sim")) as fleet:
        yield fleet


def test_the_simulator_takes_the_build_and_audits_in_sync(extra_sim: Any) -> None:
    from iosgen.device.session import Device, DeviceOptions
    from iosgen.diff.audit import audit_text, secret_book
    from iosgen.model.targets import resolve_targets

    site = load_site(SITE_FILE, _resolver())
    want = render(site).text
    router = extra_sim.router(site.hostname)
    assert router.set_running(want) == []
    target = resolve_targets([site], extra_sim.targets_file)[site.hostname]
    with Device(target, DeviceOptions(known_hosts=None, read_timeout=30.0)) as dev:
        running = dev.running_config()
        result = audit_text(site.hostname, want, running, secret_book(site))
        assert result.status == "in_sync", result.drift.as_dict()
        # an extra line lost on the router is drift, and its remediation restores it
        drifted = want.replace("ntp server 192.0.2.123\n", "").replace(" access-class 5 in\n", "")
        assert router.set_running(drifted) == []
        before = audit_text(site.hostname, want, dev.running_config(), secret_book(site))
        assert before.status != "in_sync"
        dev.send_config(before.remediation.lines(show_secrets=True))
        after = audit_text(site.hostname, want, dev.running_config(), secret_book(site))
        assert after.status == "in_sync", after.drift.as_dict()


@pytest.mark.parametrize(
    "key", ["extra_config", "baseline", "banners", "ntp_servers", "snmp", "dhcp"], ids=str
)
def test_a_linux_site_refuses_the_ios_only_keys(tmp_path: Path, key: str) -> None:
    values: dict[str, Any] = {
        "extra_config": {"lines": ["ip cef"]},
        "baseline": False,
        "banners": {"motd": "hello"},
        "ntp_servers": ["192.0.2.1"],
        "snmp": {"communities": []},
        "dhcp": {"pools": {}},
    }
    data = {
        "hostname": "inj-gw",
        "platform": "linux-pppd",
        "management": {"host": "198.51.100.20", "username": "netops", "password": "x-pass-12"},
        "interfaces": {
            "eth0": {"role": "wan", "ipv4": "dhcp"},
            "eth1": {"role": "lan", "ipv4": "192.168.20.1/24"},
        },
        key: values[key],
    }
    with pytest.raises(InputError, match=rf"{key}: .* is IOS-only; platform is linux-pppd"):
        _load(tmp_path, data)
