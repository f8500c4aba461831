"""A PPTP user's fixed address typed by hand (`pptp_server.addresses`): the checks that
keep it applicable, and the lines it renders as (docs/head-office.md)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from iosgen.build.ios import render
from iosgen.model.inventory import load_site
from iosgen.model.secret import SecretResolver
from tests.compiler.sitefactory import ENV, IOS_SITE, problems_of, write_site


def _site(addresses: dict[str, str], aaa: dict[str, Any] | None = None) -> dict[str, Any]:
    data = copy.deepcopy(IOS_SITE)
    data["pptp_server"]["addresses"] = addresses
    data["aaa"] = aaa if aaa is not None else {"authorization_network": "local"}
    return data


def test_a_fixed_address_renders_as_an_attribute_list(tmp_path: Path) -> None:
    path = write_site(tmp_path, _site({"ivan": "192.168.10.199"}))
    text = render(load_site(path, SecretResolver(environ=ENV))).text
    assert "username ivan aaa attribute list ivan\n" in text
    assert (
        "aaa authorization network default local\n!\naaa attribute list ivan\n"
        " attribute type addr 192.168.10.199 service ppp protocol ip\n!\n!\n"
        "aaa session-id common\n"
    ) in text
    # the user's password line first, then its attributes
    lines = text.splitlines()
    assert lines.index("username ivan aaa attribute list ivan") == 1 + next(
        i for i, ln in enumerate(lines) if ln.startswith("username ivan privilege 0 password ")
    )


@pytest.mark.parametrize(
    ("addresses", "aaa", "where", "says"),
    [
        ({"olga": "192.168.10.199"}, None, "pptp_server.addresses.olga", "no user of"),
        ({"ivan": "192.168.10.210"}, None, "pptp_server.addresses.ivan", "is in the pool"),
        (
            {"ivan": "192.168.10.199"},
            {"authorization_network": "if-authenticated"},
            "aaa.authorization_network",
            "must include 'local'",
        ),
        ({"ivan": "192.168.10.199"}, {"enabled": False}, "pptp_server.addresses", "aaa needed"),
    ],
    ids=["unknown-user", "inside-the-pool", "aaa-not-local", "no-aaa"],
)
def test_a_fixed_address_that_cannot_apply_is_refused(
    tmp_path: Path, addresses: dict[str, str], aaa: dict[str, Any] | None, where: str, says: str
) -> None:
    found = [p for p in problems_of(tmp_path, _site(addresses, aaa)) if says in p.message]
    assert [p.path for p in found] == [where]
