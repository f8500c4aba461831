"""`iosgen schema`: the printed schemas take every file the loader takes, and refuse bad ones.

Checked with a real JSON Schema validator (jsonschema, draft 2020-12, formats on), on
the files as iosgen's own YAML loader reads them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.model.schema import KINDS, SchemaKind, schema
from iosgen.model.yamlsource import load_yaml
from tests.conftest import INVENTORY

BAD = Path(__file__).parent / "bad" / "sites"
SITES = sorted((INVENTORY / "sites").glob("*.yaml"))
GROUPS = sorted((INVENTORY / "groups").glob("*.yaml"))


def validator(kind: SchemaKind) -> jsonschema.Draft202012Validator:
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return jsonschema.Draft202012Validator(schema(kind), format_checker=checker)


def errors(kind: SchemaKind, data: Any) -> list[tuple[list[str | int], str]]:
    return [(list(e.absolute_path), e.message) for e in validator(kind).iter_errors(data)]


def where(kind: SchemaKind, data: Any) -> list[list[str | int]]:
    """The keys the schema refuses (one each, though a value may break two rules)."""
    found = sorted({tuple(path) for path, _ in errors(kind, data)})
    return [list(path) for path in found]


def data_of(path: Path) -> Any:
    return load_yaml(path)[0]


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_is_a_valid_draft_2020_12_schema(kind: SchemaKind) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(kind))
    assert schema(kind)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_there_are_example_files_to_check() -> None:
    assert len(SITES) >= 6 and GROUPS and (INVENTORY / "defaults.yaml").exists()


@pytest.mark.parametrize("site", SITES, ids=[s.stem for s in SITES])
def test_every_example_site_validates(site: Path) -> None:
    assert errors("site", data_of(site)) == []


def test_example_defaults_and_groups_validate() -> None:
    assert errors("defaults", data_of(INVENTORY / "defaults.yaml")) == []
    for group in GROUPS:
        assert errors("group", data_of(group)) == [], group


def test_mppe_takes_the_integers_yaml_gives_and_refuses_others() -> None:
    site = data_of(INVENTORY / "sites" / "varna.yaml")
    tunnel = site["pptp_clients"]["sofia"]
    for good in (40, 128, "40", "128", "auto", "none"):
        tunnel["mppe"] = good
        assert errors("site", site) == [], good
    tunnel["mppe"] = 56
    assert where("site", site) == [["pptp_clients", "sofia", "mppe"]]


def test_a_site_may_leave_to_its_group_what_the_group_gives(tmp_path: Path) -> None:
    """management (and any other key) may come from a group: the file is still valid,
    and the loader agrees (the merged site builds)."""
    inventory = tmp_path / "inv"
    (inventory / "sites").mkdir(parents=True)
    (inventory / "groups").mkdir()
    site = data_of(INVENTORY / "sites" / "plovdiv.yaml")
    text = (INVENTORY / "sites" / "plovdiv.yaml").read_text()
    start = text.index("management:")
    end = text.index("interfaces:")
    (inventory / "groups" / "ops.yaml").write_text(text[start:end])
    (inventory / "sites" / "plovdiv.yaml").write_text(
        text[:start].replace("groups: [branch]", "groups: [ops]") + text[end:]
    )
    del site["management"]
    assert errors("site", data_of(inventory / "sites" / "plovdiv.yaml")) == []
    assert errors("group", data_of(inventory / "groups" / "ops.yaml")) == []
    result = CliRunner().invoke(app, ["build", str(inventory / "sites" / "plovdiv.yaml")])
    assert result.exit_code == 0, result.output


# Bad site files (tests/compiler/bad/sites) whose fault is in one value: the schema
# refuses each at that key. (Faults across fields, such as two WANs, need the loader.)
BAD_AT = {
    "bad-host": ["management", "host"],
    "bad-hostname": ["hostname"],
    "bad-ipv4-octet": ["interfaces", "FastEthernet0/1", "ipv4"],
    "bad-mask": ["interfaces", "FastEthernet0/1", "ipv4"],
    "bad-mppe": ["pptp_clients", "sofia", "mppe"],
    "bad-platform": ["platform"],
    "bad-role": ["interfaces", "FastEthernet0/1", "role"],
    "bad-server": ["pptp_clients", "sofia", "server"],
    "bool-type": ["internet_nat"],
    "description-newline": ["interfaces", "FastEthernet0/1", "description"],
    "dialer-range": ["pptp_clients", "sofia", "dialer"],
    "dialer-string-type": ["pptp_clients", "sofia", "dialer"],
    "ipv4-no-prefix": ["interfaces", "FastEthernet0/1", "ipv4"],
    "mtu-range": ["pptp_clients", "sofia", "mtu"],
    "not-a-mapping": [],
    "unknown-key": ["interfaces", "FastEthernet0/0"],
    "unknown-top-key": [],
}


@pytest.mark.parametrize(("case", "key"), BAD_AT.items(), ids=list(BAD_AT))
def test_known_bad_site_files_fail_at_their_key(case: str, key: list[str]) -> None:
    assert where("site", data_of(BAD / f"{case}.yaml")) == [key]


def test_ios_only_keys_fail_on_a_linux_site_but_not_in_defaults() -> None:
    site = data_of(INVENTORY / "sites" / "gabrovo-linux.yaml")
    assert errors("site", site) == []
    site["nat_acl"] = 10
    site["interfaces"]["eth0"]["dhcp_client_id"] = "x"
    site["pptp_clients"]["sofia"]["tcp_mss"] = 1360
    assert where("site", site) == [
        ["interfaces", "eth0", "dhcp_client_id"],
        ["nat_acl"],
        ["pptp_clients", "sofia", "tcp_mss"],
    ]
    assert errors("defaults", {"nat_acl": 10, "archive": {"maximum": 5}}) == []


def test_list_items_keep_their_required_keys_and_groups_take_no_groups() -> None:
    """`routes` is replaced whole by the merge: an item needs all its keys."""
    site = data_of(INVENTORY / "sites" / "plovdiv.yaml")
    site["routes"] = [{"network": "10.20.0.0/16"}]
    assert where("site", site) == [["routes", 0]]
    assert where("group", {"groups": ["other"]}) == [[]]


def test_secrets_and_addresses() -> None:
    site = data_of(INVENTORY / "sites" / "plovdiv.yaml")
    site["management"]["password"] = 12345678  # the loader reads it as "12345678"
    assert errors("site", site) == []
    site["name_servers"] = ["10.10.0.300"]
    assert where("site", site) == [["name_servers", 0]]


def test_cli_prints_each_schema_and_refuses_an_unknown_kind() -> None:
    runner = CliRunner()
    for kind in KINDS:
        result = runner.invoke(app, ["schema", "--file", kind])
        assert result.exit_code == 0
        assert json.loads(result.stdout) == schema(kind)
    plain = runner.invoke(app, ["schema"])
    assert json.loads(plain.stdout) == schema("site")
    bad = runner.invoke(app, ["schema", "--file", "router"])
    assert bad.exit_code == 2 and "--file must be one of site, defaults, group" in bad.stderr
