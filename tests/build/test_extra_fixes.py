"""extra_config holes a review found (issue 12): lines that leave the mode or run exec,
references outside a secret's place, clear secrets, contradictions of typed lines,
type 7 weakened to type 0, two messages per bad line, quadratic placement; and the
model fields other parts read (`management.sudo_password`, `wan_name`)."""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from iosgen.build.ios import render
from iosgen.errors import InputError, RenderError
from iosgen.ios.configmode import mode_problem, single_value_key
from iosgen.model.inventory import load_site
from iosgen.model.secret import SecretResolver
from iosgen.model.site import Site

HERE = Path(__file__).parent / "extra"
ENV = {"IOSGEN_R_EXTRA_PASSWORD": "Demo-pass1", "IOSGEN_R_EXTRA_ENABLE": "Demo-enable1"}
SECRETS = {"snmp_ro": "public-ro-demo", "t7": "cisco", "t7kept": "7 0822455D0A16"}


def _data() -> dict[str, Any]:
    data = yaml.safe_load((HERE / "R-EXTRA.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _load(tmp_path: Path, data: dict[str, Any]) -> Site:
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_site(path, SecretResolver(environ=ENV, secrets=SECRETS))


def _with_line(line: Any) -> dict[str, Any]:
    data = _data()
    data["extra_config"]["lines"].append(line)
    return data


# --- 1. lines that leave the mode, run exec, open a banner ----------------------------


REFUSED = [
    "End",
    "EXIT",
    "exi",
    "en",
    "e",
    "Quit",
    "do write erase",
    "DO reload",
    "banner motd ^C",
    "Ban motd #",
    "crypto key generate rsa modulus 1024",
]


@pytest.mark.parametrize("line", REFUSED, ids=REFUSED)
def test_a_line_that_is_no_configuration_command_is_refused_with_one_message(
    tmp_path: Path, line: str
) -> None:
    with pytest.raises(InputError) as caught:
        _load(tmp_path, _with_line(line))
    text = str(caught.value)
    assert f"{line!r}" in text
    # one message: no union artefact (`...PlacedLine: expected a mapping`)
    assert text.count("extra_config") == 1, text
    assert "PlacedLine" not in text and "[line]" not in text


def test_a_section_line_that_leaves_the_mode_is_refused(tmp_path: Path) -> None:
    data = _data()
    data["extra_config"]["sections"]["router ospf 1"] = [
        "network 10.0.0.0 0.0.0.255 area 0",
        "EXIT",
    ]
    with pytest.raises(InputError, match="would leave the mode"):
        _load(tmp_path, data)


@pytest.mark.parametrize(
    "line",
    ["exit-address-family", "encapsulation dot1Q 10", "enable secret 5 {secret:x}", "domain x"],
    ids=["exit-address-family", "encapsulation", "enable", "domain"],
)
def test_commands_that_only_start_alike_are_kept(line: str) -> None:
    assert mode_problem(line) is None


def test_a_placed_line_gets_one_message(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        _load(tmp_path, _with_line({"line": "exit", "after": "ip cef"}))
    assert str(caught.value).count("\n") == 0, str(caught.value)


# --- 2. a reference only where the command keeps its secret --------------------------


def test_braces_outside_a_secret_word_are_literal(tmp_path: Path) -> None:
    site = _load(tmp_path, _with_line("snmp-server location {secret:snmp_ro}"))
    rendered = render(site)
    assert "snmp-server location {secret:snmp_ro}" in rendered.text.split("\n")
    assert rendered.text.count("public-ro-demo") == 1  # the community line's own


def test_a_literal_reference_needs_no_secret(tmp_path: Path) -> None:
    site = _load(tmp_path, _with_line("snmp-server contact {secret:not-a-secret}"))
    assert "snmp-server contact {secret:not-a-secret}" in render(site).text


# --- 3. clear secrets -------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "snmp-server community TopSecret RW",
        "username bob password 0 TopSecret",
        "enable password TopSecret",
    ],
    ids=["community", "username", "enable-password"],
)
def test_a_clear_secret_is_refused_and_never_shown(tmp_path: Path, line: str) -> None:
    with pytest.raises(InputError) as caught:
        _load(tmp_path, _with_line(line))
    text = str(caught.value)
    assert "in clear" in text and "TopSecret" not in text


def test_a_clear_secret_under_a_section_is_refused(tmp_path: Path) -> None:
    data = _data()
    data["extra_config"]["sections"]["line con 0"] = ["password 7 0822455D0A16"]
    with pytest.raises(InputError) as caught:
        _load(tmp_path, data)
    assert "in clear" in str(caught.value) and "0822455D0A16" not in str(caught.value)


# --- 6. contradictions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "typed"),
    [
        ({"lines": ["username netops privilege 1 password {type7:t7}"]}, "username netops"),
        ({"sections": {"line vty 0 4": ["transport input none"]}}, "transport input ssh"),
        ({"lines": ["no service timestamps debug"]}, "service timestamps debug"),
    ],
    ids=["management-user", "vty-transport", "negated"],
)
def test_a_line_that_contradicts_a_typed_field_names_both(
    tmp_path: Path, extra: dict[str, Any], typed: str
) -> None:
    data = _data()
    for key, value in extra.items():
        if isinstance(value, dict):
            data["extra_config"][key].update(value)
        else:
            data["extra_config"][key] += value
    site = _load(tmp_path, data)
    with pytest.raises(RenderError) as caught:
        render(site)
    text = str(caught.value)
    assert "contradicts" in text and typed in text
    assert "cisco" not in text and "Demo-pass1" not in text


def test_an_interface_line_that_contradicts_its_typed_description(tmp_path: Path) -> None:
    data = _data()
    name = next(n for n, i in data["interfaces"].items() if "description" in i)
    data["interfaces"][name].setdefault("extra_config", []).append("description other")
    with pytest.raises(RenderError, match="contradicts the typed 'description"):
        render(_load(tmp_path, data))


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("username u autocommand exit", None),
        ("username u privilege 0 password 7 X", "username u"),
        ("ip address 10.0.0.1 255.0.0.0 secondary", None),
        ("no ip domain lookup", "ip domain lookup"),
        ("login local", "login"),
        ("login authentication VTY", "login authentication"),
    ],
    ids=["autocommand", "credential", "secondary", "negated", "login", "login-list"],
)
def test_single_value_keys(line: str, key: str | None) -> None:
    assert single_value_key(line) == key


# --- 7. type 7 stays type 7 -------------------------------------------------------------


def test_a_type7_reference_stays_type7_without_password_encryption(tmp_path: Path) -> None:
    data = _with_line("username bob privilege 0 password {type7:t7}")
    data.setdefault("services", {})["password_encryption"] = False
    text = render(_load(tmp_path, data)).text
    line = next(x for x in text.split("\n") if x.startswith("username bob"))
    assert line.startswith("username bob privilege 0 password 7 ") and "cisco" not in line


def test_a_kept_type7_secret_is_printed_as_the_secrets_file_holds_it(tmp_path: Path) -> None:
    data = _with_line("username bob privilege 0 password {secret:t7kept}")
    data.setdefault("services", {})["password_encryption"] = False
    text = render(_load(tmp_path, data)).text
    assert "username bob privilege 0 password 7 0822455D0A16" in text.split("\n")


# --- 4. placement is linear -------------------------------------------------------------


def _acl_site(tmp_path: Path, count: int) -> Site:
    data = _data()
    data["extra_config"]["lines"] += [
        f"access-list 150 permit ip host 10.{i // 250}.{i % 250}.1 any" for i in range(count)
    ]
    return _load(tmp_path, data)


def test_thousands_of_lines_keep_their_order_and_build_fast(tmp_path: Path) -> None:
    site = _acl_site(tmp_path, 8000)
    began = time.process_time()
    text = render(site).text
    took = time.process_time() - began
    lines = [x for x in text.split("\n") if x.startswith("access-list 150 ")]
    assert len(lines) == 8000 and lines[1] == "access-list 150 permit ip host 10.0.1.1 any"
    assert lines == sorted(lines, key=lambda x: tuple(int(p) for p in x.split()[5].split(".")))
    assert took < 5.0, f"8,000 lines took {took:.1f} s to place (was 25.8 s)"


# --- 8. model fields --------------------------------------------------------------------


def test_sudo_password_is_for_linux_sites_only(tmp_path: Path) -> None:
    data = _data()
    data["management"]["sudo_password"] = "${IOSGEN_R_EXTRA_PASSWORD}"
    with pytest.raises(InputError, match="sudo_password is for a Linux box only"):
        _load(tmp_path, data)


def test_a_linux_site_takes_a_sudo_password(tmp_path: Path) -> None:
    data = yaml.safe_load(
        (Path(__file__).parents[2] / "inventory/sites/plovdiv-linux.yaml").read_text()
    )
    data = copy.deepcopy(data)
    data.pop("groups", None)  # loaded alone, out of its inventory
    data["management"]["sudo_password"] = "${IOSGEN_R_EXTRA_PASSWORD}"
    data["management"]["password"] = "${IOSGEN_R_EXTRA_PASSWORD}"
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    resolver = SecretResolver(environ=dict.fromkeys(_env_names(data), "Demo-pass1"))
    site = load_site(path, resolver)
    assert site.management.sudo_password is not None
    assert site.management.sudo_password.reveal() == "Demo-pass1"


def _env_names(data: Any) -> set[str]:
    import re

    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", yaml.safe_dump(data)))


def test_wan_name_is_none_on_a_site_without_a_wan(tmp_path: Path) -> None:
    data = _data()
    data["baseline"] = False
    for body in data["interfaces"].values():
        body["role"] = "lan"
        body.pop("gateway", None)
    data.pop("internet_nat", None)
    site = _load(tmp_path, data)
    assert site.wan_name is None


def test_a_long_chain_of_after_lines_builds_in_order(tmp_path: Path) -> None:
    # `iosgen import` puts each kept line `after:` the one before it
    data = _data()
    previous = "ip cef"
    for i in range(3000):
        line = f"access-list 151 permit ip host 10.{i // 250}.{i % 250}.2 any"
        data["extra_config"]["lines"].append({"line": line, "after": previous})
        previous = line
    text = render(_load(tmp_path, data)).text
    lines = [x for x in text.split("\n") if x.startswith("access-list 151 ")]
    assert len(lines) == 3000 and lines[0].endswith("10.0.0.2 any")
    assert lines[-1].endswith("10.11.249.2 any")
