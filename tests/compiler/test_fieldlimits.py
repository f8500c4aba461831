"""Every free-text field at its limit and one past it, and the shapes IOS or pppd refuse.

The rules are the rows of iosgen.ios.limits; each case goes through the real
loader (YAML file, merge, validation), so a refusal is a located problem at the
field's key, and a secret's problem never shows the secret.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iosgen.ios import limits as fieldlimits
from iosgen.ios.passwords import type7_encode
from tests.compiler.sitefactory import (
    IOS_SITE,
    LINUX_SITE,
    problems_of,
    rename_key,
    site_data,
    valid_site,
)

Case = tuple[str, dict[str, Any], str]  # id, site data, key path of the expected problem

DOMAIN_253 = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])
assert len(DOMAIN_253) == 253


def _value(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    return site_data(IOS_SITE, path, value)


def _key(path: tuple[str, ...], new: str) -> dict[str, Any]:
    return rename_key(IOS_SITE, path, new)


# (id, site at the limit, site one past it, key path of the problem one past it)
LIMITS: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("hostname", _value(("hostname",), "a" * 63), _value(("hostname",), "a" * 64), "hostname"),
    (
        "domain_name",
        _value(("domain_name",), DOMAIN_253),
        _value(("domain_name",), DOMAIN_253 + "d"),
        "domain_name",
    ),
    (
        "management.username",
        _value(("management", "username"), "n" * 63),
        _value(("management", "username"), "n" * 64),
        "management.username",
    ),
    (
        "users.NAME",
        _key(("users", "auditor"), "u" * 63),
        _key(("users", "auditor"), "u" * 64),
        "users." + "u" * 64,
    ),
    (
        "pptp_server.users.NAME",
        _key(("pptp_server", "users", "ivan"), "i" * 63),
        _key(("pptp_server", "users", "ivan"), "i" * 64),
        "pptp_server.users." + "i" * 64,
    ),
    (
        "chap_hostname",
        _value(("pptp_clients", "sofia", "chap_hostname"), "c" * 63),
        _value(("pptp_clients", "sofia", "chap_hostname"), "c" * 64),
        "pptp_clients.sofia.chap_hostname",
    ),
    (
        "pptp_clients.NAME",
        _key(("pptp_clients", "sofia"), "t" * 63),
        _key(("pptp_clients", "sofia"), "t" * 64),
        "pptp_clients." + "t" * 64,
    ),
    (
        "nat_route_map",
        _value(("pptp_clients", "sofia", "nat_route_map"), "R" * 63),
        _value(("pptp_clients", "sofia", "nat_route_map"), "R" * 64),
        "pptp_clients.sofia.nat_route_map",
    ),
    (
        "pool_name",
        _value(("pptp_server", "pool_name"), "P" * 63),
        _value(("pptp_server", "pool_name"), "P" * 64),
        "pptp_server.pool_name",
    ),
    (
        "description",
        _value(("interfaces", "FastEthernet0/1", "description"), "d" * 240),
        _value(("interfaces", "FastEthernet0/1", "description"), "d" * 241),
        "interfaces.FastEthernet0/1.description",
    ),
    (
        "dhcp_client_id",
        _value(("interfaces", "FastEthernet0/0", "dhcp_client_id"), "c" * 254),
        _value(("interfaces", "FastEthernet0/0", "dhcp_client_id"), "c" * 255),
        "interfaces.FastEthernet0/0.dhcp_client_id",
    ),
    (
        "dialer_string",
        _value(("pptp_clients", "sofia", "dialer_string"), "1" * 32),
        _value(("pptp_clients", "sofia", "dialer_string"), "1" * 33),
        "pptp_clients.sofia.dialer_string",
    ),
]


@pytest.mark.parametrize(("at", "past", "key"), [c[1:] for c in LIMITS], ids=[c[0] for c in LIMITS])
def test_name_at_its_limit_and_one_past(
    tmp_path: Path, at: dict[str, Any], past: dict[str, Any], key: str
) -> None:
    assert problems_of(tmp_path, at) == []
    problems = problems_of(tmp_path, past)
    assert [p.path for p in problems] == [key]
    assert "characters; at most" in problems[0].message


def test_every_name_rule_has_a_limit_case() -> None:
    covered = {c[0] for c in LIMITS}
    assert len(covered) == len(LIMITS)
    assert len(fieldlimits.NAME_RULES) == 10
    for rule in fieldlimits.NAME_RULES:
        assert rule.source and rule.max_length > 0


REFUSED_NAMES: list[tuple[str, dict[str, Any], str, str]] = [
    # id, site, key path, a words of the message
    ("hostname-underscore", _value(("hostname",), "R_TEST"), "hostname", "is not a host name"),
    ("hostname-digit-first", _value(("hostname",), "1R"), "hostname", "is not a host name"),
    ("hostname-hyphen-last", _value(("hostname",), "R-"), "hostname", "is not a host name"),
    ("hostname-dot", _value(("hostname",), "r.test"), "hostname", "is not a host name"),
    ("hostname-cyrillic", _value(("hostname",), "Роутер"), "hostname", "non-ASCII"),
    ("hostname-newline", _value(("hostname",), "R\nusername x"), "hostname", "line break"),
    ("hostname-number", _value(("hostname",), 2801), "hostname", "is a number, not text"),
    ("domain-leading-dot", _value(("domain_name",), ".example"), "domain_name", "domain name"),
    ("domain-trailing-dot", _value(("domain_name",), "example."), "domain_name", "domain name"),
    ("domain-empty-label", _value(("domain_name",), "a..example"), "domain_name", "domain name"),
    ("domain-space", _value(("domain_name",), "ex ample"), "domain_name", "not one word"),
    ("domain-hyphen-label", _value(("domain_name",), "-a.example"), "domain_name", "domain name"),
    (
        "domain-label-64",
        _value(("domain_name",), "a" * 64 + ".example"),
        "domain_name",
        "domain name",
    ),
    (
        "pptp-user-privilege",
        _key(("pptp_server", "users", "ivan"), "ivan privilege 15"),
        "pptp_server.users.ivan privilege 15",
        "is not one word",
    ),
    (
        "pptp-user-newline",
        _key(("pptp_server", "users", "ivan"), "ivan\nusername evil privilege 15 password 0 x"),
        "pptp_server.users.'ivan\\nusername evil privilege 15 password 0 x'",
        "line break",
    ),
    (
        "pptp-user-question",
        _key(("pptp_server", "users", "ivan"), "iv?an"),
        "pptp_server.users.iv?an",
        "'?'",
    ),
    (
        "pptp-user-quote",
        _key(("pptp_server", "users", "ivan"), 'iv"an'),
        'pptp_server.users.iv"an',
        "IOS user name",
    ),
    (
        "login-user-privilege",
        _key(("users", "auditor"), "auditor privilege 15"),
        "users.auditor privilege 15",
        "is not one word",
    ),
    (
        "management-user-space",
        _value(("management", "username"), "net ops"),
        "management.username",
        "is not one word",
    ),
    (
        "chap-hostname-hash",
        _value(("pptp_clients", "sofia", "chap_hostname"), "plov#div"),
        "pptp_clients.sofia.chap_hostname",
        "CHAP name",
    ),
    (
        "description-question",
        _value(("interfaces", "FastEthernet0/1", "description"), "LAN?"),
        "interfaces.FastEthernet0/1.description",
        "'?'",
    ),
    (
        "description-tab",
        _value(("interfaces", "FastEthernet0/1", "description"), "LAN\tx"),
        "interfaces.FastEthernet0/1.description",
        "control character",
    ),
    (
        "description-cr",
        _value(("interfaces", "FastEthernet0/1", "description"), "LAN\rshutdown"),
        "interfaces.FastEthernet0/1.description",
        "line break",
    ),
    (
        "description-cyrillic",
        _value(("interfaces", "FastEthernet0/1", "description"), "ЛАН"),
        "interfaces.FastEthernet0/1.description",
        "non-ASCII",
    ),
    (
        "client-id-space",
        _value(("interfaces", "FastEthernet0/0", "dhcp_client_id"), "a b"),
        "interfaces.FastEthernet0/0.dhcp_client_id",
        "not one word",
    ),
    (
        "dialer-string-letters",
        _value(("pptp_clients", "sofia", "dialer_string"), "12a"),
        "pptp_clients.sofia.dialer_string",
        "digits only",
    ),
    (
        "dialer-string-number",
        _value(("pptp_clients", "sofia", "dialer_string"), 123),
        "pptp_clients.sofia.dialer_string",
        "is a number, not text",
    ),
]


@pytest.mark.parametrize(
    ("data", "key", "words"), [c[1:] for c in REFUSED_NAMES], ids=[c[0] for c in REFUSED_NAMES]
)
def test_name_ios_refuses_is_a_located_error(
    tmp_path: Path, data: dict[str, Any], key: str, words: str
) -> None:
    problems = problems_of(tmp_path, data)
    assert [p.path for p in problems] == [key]
    assert words in problems[0].message
    assert "\n" not in problems[0].render(), "one line per problem, the value escaped"


def test_description_surrounding_spaces_are_stripped(tmp_path: Path) -> None:
    data = _value(("interfaces", "FastEthernet0/1", "description"), "  local LAN  ")
    site = valid_site(tmp_path, data)
    assert site.interfaces["FastEthernet0/1"].description == "local LAN"


def test_names_are_not_stripped(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, _value(("hostname",), " R-INJ"))
    assert [p.path for p in problems] == ["hostname"]


# --- secrets ----------------------------------------------------------------------------

IOS_SECRET_FIELDS: list[tuple[str, tuple[str, ...]]] = [
    ("management.password", ("management", "password")),
    ("management.enable_secret", ("management", "enable_secret")),
    ("users.auditor.secret", ("users", "auditor", "secret")),
    ("pptp_server.users.ivan", ("pptp_server", "users", "ivan")),
    ("pptp_clients.sofia.chap_password", ("pptp_clients", "sofia", "chap_password")),
]
LINUX_SECRET_FIELDS: list[tuple[str, tuple[str, ...]]] = [
    ("management.password", ("management", "password")),
    ("pptp_clients.sofia.chap_password", ("pptp_clients", "sofia", "chap_password")),
]


def _with_secret(base: dict[str, Any], path: tuple[str, ...], plain: str) -> tuple[Any, Any]:
    """The site with the secret at `path` taken from environment variable INJ_X."""
    return site_data(base, path, "${INJ_X}"), {"INJ_X": plain}


@pytest.mark.parametrize(("key", "path"), IOS_SECRET_FIELDS, ids=[f[0] for f in IOS_SECRET_FIELDS])
def test_ios_secret_at_25_and_26(tmp_path: Path, key: str, path: tuple[str, ...]) -> None:
    assert fieldlimits.IOS_MAX_SECRET == 25
    data, env = _with_secret(IOS_SITE, path, "k" * 25)
    assert problems_of(tmp_path, data, env) == []
    data, env = _with_secret(IOS_SITE, path, "k" * 26)
    problems = problems_of(tmp_path, data, env)
    assert [p.path for p in problems] == [key]
    assert "longer than the 25 characters IOS takes" in problems[0].message
    assert "k" * 26 not in problems[0].render()


@pytest.mark.parametrize(
    ("key", "path"), LINUX_SECRET_FIELDS, ids=[f[0] for f in LINUX_SECRET_FIELDS]
)
def test_pppd_secret_at_255_and_256(tmp_path: Path, key: str, path: tuple[str, ...]) -> None:
    data, env = _with_secret(LINUX_SITE, path, "k" * 255)
    assert problems_of(tmp_path, data, env) == []
    data, env = _with_secret(LINUX_SITE, path, "k" * 256)
    problems = problems_of(tmp_path, data, env)
    assert [p.path for p in problems] == [key]
    assert "longer than the 255 characters pppd takes" in problems[0].message


BAD_SECRETS: list[tuple[str, str, str]] = [
    # id, secret, words of the message
    ("empty", "", "is empty"),
    ("newline-injection", "x\nusername evil privilege 15 password 0 evil", "line break"),
    ("trailing-newline", "chap-inj\n", "ends with a line break"),
    ("trailing-cr", "chap-inj\r", "ends with a line break"),
    ("nul", "chap\x00inj", "NUL"),
    ("control", "chap\x1binj", "control character"),
    ("delete", "chap\x7finj", "control character"),
    ("cyrillic", "парола", "non-ASCII"),
    ("emoji", "pass\U0001f600", "non-ASCII"),
    ("leading-space", " chap-inj", "starts or ends with a space"),
    ("trailing-space", "chap-inj ", "starts or ends with a space"),
    ("over-4096", "k" * 4097, "longer than"),
]


@pytest.mark.parametrize(
    ("secret", "words"), [c[1:] for c in BAD_SECRETS], ids=[c[0] for c in BAD_SECRETS]
)
@pytest.mark.parametrize(("key", "path"), IOS_SECRET_FIELDS, ids=[f[0] for f in IOS_SECRET_FIELDS])
def test_ios_secret_that_cannot_be_typed_is_refused_unseen(
    tmp_path: Path, key: str, path: tuple[str, ...], secret: str, words: str
) -> None:
    data, env = _with_secret(IOS_SITE, path, secret)
    problems = problems_of(tmp_path, data, env)
    assert [p.path for p in problems] == [key]
    message = problems[0].render()
    assert words in message and "environment variable INJ_X" in message
    for part in (secret.strip(), "evil", "парола", "chap-inj", "\U0001f600"):
        if part and part in secret:
            assert part not in message


@pytest.mark.parametrize(("key", "path"), IOS_SECRET_FIELDS, ids=[f[0] for f in IOS_SECRET_FIELDS])
def test_ios_secret_with_question_mark_is_refused(
    tmp_path: Path, key: str, path: tuple[str, ...]
) -> None:
    data, env = _with_secret(IOS_SITE, path, "what?ever")
    problems = problems_of(tmp_path, data, env)
    assert [p.path for p in problems] == [key]
    assert "request for help" in problems[0].message


def test_pppd_takes_a_question_mark_and_spaces_inside(tmp_path: Path) -> None:
    path = ("pptp_clients", "sofia", "chap_password")
    data, env = _with_secret(LINUX_SITE, path, 'a? b"c\\d')
    site = valid_site(tmp_path, data, env)
    assert site.pptp_clients["sofia"].chap_password.reveal() == 'a? b"c\\d'


def test_pppd_indirect_secret_file_is_refused(tmp_path: Path) -> None:
    path = ("pptp_clients", "sofia", "chap_password")
    data, env = _with_secret(LINUX_SITE, path, "@/etc/shadow")
    problems = problems_of(tmp_path, data, env)
    assert [p.path for p in problems] == ["pptp_clients.sofia.chap_password"]
    assert "file holding the secret" in problems[0].message
    assert "/etc/shadow" not in problems[0].render()


def test_embedded_space_is_kept_on_ios(tmp_path: Path) -> None:
    # `username NAME password` takes embedded spaces (it is the last argument).
    data, env = _with_secret(IOS_SITE, ("pptp_server", "users", "ivan"), "two words")
    site = valid_site(tmp_path, data, env)
    assert site.pptp_server is not None
    assert site.pptp_server.users["ivan"].reveal() == "two words"


def test_type7_value_is_checked_decoded(tmp_path: Path) -> None:
    encoded = type7_encode("x\nusername evil privilege 15", 7)
    data = site_data(IOS_SITE, ("pptp_clients", "sofia", "chap_password"), f"7 {encoded}")
    problems = problems_of(tmp_path, data)
    assert [p.path for p in problems] == ["pptp_clients.sofia.chap_password"]
    assert "type-7 secret (decoded) contains a line break" in problems[0].message
    assert encoded not in problems[0].render()


def test_literal_and_secrets_file_sources_are_named(tmp_path: Path) -> None:
    data = site_data(IOS_SITE, ("pptp_server", "users", "ivan"), "pass\nword")
    [problem] = problems_of(tmp_path, data)
    assert problem.message.startswith("the secret contains a line break")


# --- pydantic's own errors never echo a secret ------------------------------------------

SECRET = "s3cr3t-literal"
ECHOES: list[tuple[str, tuple[str, ...], Any]] = [
    ("user-as-string", ("users", "bob"), SECRET),
    ("users-as-string", ("users",), SECRET),
    ("management-as-string", ("management",), SECRET),
    ("pptp-server-as-string", ("pptp_server",), SECRET),
    ("pptp-users-as-string", ("pptp_server", "users"), SECRET),
    ("pptp-users-as-list", ("pptp_server", "users"), [SECRET]),
    ("tunnel-as-string", ("pptp_clients", "sofia"), SECRET),
    ("tunnels-as-list", ("pptp_clients",), [{"chap_password": SECRET}]),
    ("password-as-list", ("management", "password"), [SECRET]),
    ("secret-as-mapping", ("users", "auditor", "secret"), {"value": SECRET}),
    ("enable-as-float", ("management", "enable_secret"), 12.5),
    ("password-as-bool", ("management", "password"), True),
]


@pytest.mark.parametrize(("path", "value"), [c[1:] for c in ECHOES], ids=[c[0] for c in ECHOES])
def test_no_error_message_quotes_a_secret(
    tmp_path: Path, path: tuple[str, ...], value: Any
) -> None:
    problems = problems_of(tmp_path, site_data(IOS_SITE, path, value))
    assert problems, "the bad value is refused"
    for problem in problems:
        assert SECRET not in problem.render()
        assert "12.5" not in problem.render()


def test_docs_limits_lists_every_row() -> None:
    """docs/limits.md gives the same facts as the table in code."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "limits.md").read_text()
    for rule in fieldlimits.NAME_RULES:
        row = next(
            line for line in text.splitlines() if line.startswith(f"| `{rule.field.split(',')[0]}`")
        )
        assert f"| {rule.max_length} |" in row, rule.field
    for secret in fieldlimits.SECRET_RULES:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{secret.field}`"))
        ios = str(secret.max_ios) if secret.max_ios is not None else "(IOS only)"
        pppd = str(secret.max_pppd) if secret.max_pppd is not None else "(IOS only)"
        assert f"| {ios} |" in row and f"| {pppd} |" in row, secret.field


def test_a_bad_value_that_is_not_secret_is_still_quoted(tmp_path: Path) -> None:
    data = site_data(IOS_SITE, ("users", "auditor", "privilege"), "high")
    [problem] = problems_of(tmp_path, data)
    assert problem.path == "users.auditor.privilege"
    assert problem.message.startswith("'high': input should be a valid integer")
