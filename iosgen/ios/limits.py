"""What IOS 12.4 and pppd accept in each free-text value iosgen writes into a config line.

One row per field: where the value lands, the rule, the longest value taken and
where the rule comes from (docs/limits.md gives the same facts with the sources
quoted in our own words). The model's value types check every value against its
row, so a value that would end a command early, add a line, ask the IOS parser
for help (`?`) or be cut short is refused at build with the field named.

Names may be quoted back in messages; secrets never are, not even their length.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple


class NameRule(NamedTuple):
    """A value that is not secret: a host name, a user name, a description."""

    field: str  # key path as a site file spells it
    line: str  # where the value lands
    pattern: str  # the whole value must match
    allowed: str  # the pattern in words, for messages
    max_length: int
    source: str

    def problem(self, value: str) -> str | None:
        """Why IOS (or pppd) would not take `value` here, or None."""
        shown = repr(value) if len(value) <= 60 else f"{value[:40]!r}..."
        if len(value) > self.max_length:
            return f"{shown} is {len(value)} characters; at most {self.max_length} here"
        if re.fullmatch(self.pattern, value):
            return None
        if "\n" in value or "\r" in value:
            why = "contains a line break, which would end the command and start another"
        elif "?" in value:
            why = "contains '?', which the IOS prompt takes as a request for help"
        elif any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
            why = "contains a control character"
        elif not value.isascii():
            why = "contains a non-ASCII character"
        elif value == "":
            why = "is empty"
        elif " " in value and " " not in self.pattern:
            why = "is not one word (IOS would read the rest as more of the command)"
        else:
            return f"{shown} is not {self.allowed}"
        return f"{shown} {why}; expected {self.allowed}"


class SecretRule(NamedTuple):
    """A secret: a password typed at the router's prompt or read by pppd."""

    field: str
    line: str
    max_ios: int | None  # None: the field does not exist on IOS
    max_pppd: int | None  # None: the field does not exist on linux-pppd
    source: str
    # One word on IOS: a space would end the secret and start the next argument
    # (`crypto isakmp key KEY address A`).
    one_word: bool = False


_WORD_CHARS = r"[A-Za-z0-9._@\-]"

# A user name: one IOS word (the `username` reference: "only one word, no white
# space or quotation marks"), so `ivan privilege 15` cannot grant a privilege.
# iosgen takes the subset a letter, then letters, digits, '.', '_', '-', '@': no
# '?' (IOS help), no '!' or '#'.
_USER: Final = rf"[A-Za-z]{_WORD_CHARS}*"
_USER_WORDS: Final = "one word: a letter, then letters, digits, '.', '_', '-' or '@'"
# Names iosgen also uses as file names (pppd peers, systemd units) and as IOS
# route-map and pool names.
_NAME: Final = r"[A-Za-z][A-Za-z0-9_\-]*"
_NAME_WORDS: Final = "a name: a letter, then letters, digits, '-' or '_'"
# A host name (the `hostname` reference, after RFC 1035): a letter first, a letter
# or digit last, letters, digits and hyphens between.
_HOST: Final = r"[A-Za-z](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
# A domain: dot-separated labels of letters, digits and inner hyphens (RFC 1123
# lets a label start with a digit), no leading or trailing dot.
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
# Printable ASCII less '?': the IOS parser answers '?' with help wherever it is typed.
_PRINTABLE: Final = r"[ ->@-~]*"
_ONE_WORD: Final = r"[!->@-~]+"

SOURCE_HOSTNAME: Final = "Cisco IOS `hostname` command reference (ARPANET rules, RFC 1035)"
SOURCE_USERNAME: Final = "Cisco IOS `username` command reference (name: one word)"
SOURCE_HELP: Final = "IOS CLI: '?' anywhere on a line asks for help (Ctrl-V escapes it)"
SOURCE_PASSWORD: Final = (
    "Cisco 'Using Cisco IOS Software': passwords 1-25 characters, leading spaces "
    "ignored; Catalyst 3550 guide: 1-25, leading spaces ignored"
)
SOURCE_PPPD: Final = "pppd/options.c getword(), pppd/auth.c scan_authfile(), MAXSECRETLEN"

HOSTNAME = NameRule(
    "hostname",
    "hostname NAME (and `path flash:NAME-cfg` under archive)",
    _HOST,
    "a host name: a letter first, a letter or digit last, letters, digits and '-' between",
    63,
    SOURCE_HOSTNAME,
)
DOMAIN_NAME = NameRule(
    "domain_name",
    "ip domain name NAME",
    rf"{_LABEL}(?:\.{_LABEL})*",
    "a domain name: labels of letters, digits and inner '-', joined by '.'",
    253,
    "RFC 1035 2.3.1 and 2.3.4 (255 octets on the wire), RFC 1123 2.1",
)
USERNAME = NameRule(
    "management.username, users.NAME, pptp_server.users.NAME",
    "username NAME [privilege N] {secret 5 ... | password 0|7 ...}",
    _USER,
    f"an IOS user name ({_USER_WORDS}; no spaces, quotes or '?')",
    63,
    f"{SOURCE_USERNAME}; 63 is iosgen's bound (no IOS figure found)",
)
CHAP_HOSTNAME = NameRule(
    "pptp_clients.NAME.chap_hostname",
    "ppp chap hostname NAME; pppd `name NAME` and the chap-secrets client column",
    _USER,
    f"a CHAP name ({_USER_WORDS}; no spaces, quotes, '#' or '?')",
    63,
    f"{SOURCE_USERNAME} (the peer matches it to a user name); {SOURCE_PPPD}",
)
TUNNEL_NAME = NameRule(
    "pptp_clients.NAME",
    "route-map NAME (upper-cased); etc/ppp/peers/NAME, pptp-NAME.service, ipparam NAME",
    _NAME,
    _NAME_WORDS,
    63,
    "iosgen's bound: one word for IOS and pppd, a safe file and unit name",
)
ROUTE_MAP = NameRule(
    "pptp_clients.NAME.nat_route_map",
    "route-map NAME permit 10; ip nat inside source route-map NAME ...",
    _NAME,
    _NAME_WORDS,
    63,
    "IOS route-map map-tag is one word; 63 is iosgen's bound",
)
POOL_NAME = NameRule(
    "pptp_server.pool_name",
    "ip local pool NAME A B; peer default ip address pool NAME",
    _NAME,
    _NAME_WORDS,
    63,
    "IOS pool name is one word; 63 is iosgen's bound",
)
DESCRIPTION = NameRule(
    "interfaces.NAME.description",
    "description TEXT",
    _PRINTABLE,
    "one line of printable ASCII without '?'",
    240,
    f"IOS `description` takes up to 240 characters; {SOURCE_HELP}",
)
DHCP_CLIENT_ID = NameRule(
    "interfaces.NAME.dhcp_client_id",
    "ip dhcp client client-id ascii ID",
    _ONE_WORD,
    "one word of printable ASCII without '?'",
    254,
    "RFC 2132 9.14: option 61 holds at most 255 octets, one of them the type",
)
DIALER_STRING = NameRule(
    "pptp_clients.NAME.dialer_string",
    "dialer string DIGITS",
    r"[0-9]+",
    "digits only",
    32,
    "iosgen's bound (a PPTP dialer string is a placeholder; E.164 numbers have 15 digits)",
)

NAME_RULES: Final = (
    HOSTNAME,
    DOMAIN_NAME,
    USERNAME,
    CHAP_HOSTNAME,
    TUNNEL_NAME,
    ROUTE_MAP,
    POOL_NAME,
    DESCRIPTION,
    DHCP_CLIENT_ID,
    DIALER_STRING,
)

# pppd keeps MAXSECRETLEN (256) bytes of a secret, the NUL included.
PPPD_MAX_SECRET: Final = 255
IOS_MAX_SECRET: Final = 25

LOGIN_SECRET = SecretRule(
    "management.password",
    "username NAME privilege 15 secret 5 <md5>; typed at the login prompt",
    IOS_MAX_SECRET,
    PPPD_MAX_SECRET,
    SOURCE_PASSWORD,
)
ENABLE_SECRET = SecretRule(
    "management.enable_secret",
    "enable secret 5 <md5>",
    IOS_MAX_SECRET,
    PPPD_MAX_SECRET,
    SOURCE_PASSWORD,
)
USER_SECRET = SecretRule(
    "users.NAME.secret",
    "username NAME privilege N secret 5 <md5>",
    IOS_MAX_SECRET,
    PPPD_MAX_SECRET,
    SOURCE_PASSWORD,
)
PPTP_USER_SECRET = SecretRule(
    "pptp_server.users.NAME",
    "username NAME password 0|7 SECRET",
    IOS_MAX_SECRET,
    None,
    f"{SOURCE_PASSWORD}; type 7 encoders stop at 25 (netutils)",
)
CHAP_SECRET = SecretRule(
    "pptp_clients.NAME.chap_password",
    'ppp chap password 0|7 SECRET; chap-secrets "SECRET"',
    IOS_MAX_SECRET,
    PPPD_MAX_SECRET,
    f"{SOURCE_PASSWORD}; {SOURCE_PPPD}",
)

# `crypto isakmp key KEYSTRING address A`: "any combination of alphanumeric characters
# up to 128 bytes" (Cisco IOS Security Command Reference, crypto isakmp key); one word.
# On Linux it is a quoted string in swanctl.conf's secrets section (iosgen's bound 255).
IPSEC_PSK = SecretRule(
    "tunnels.NAME.pre_shared_key",
    "crypto isakmp key KEY address A; swanctl.conf secrets { ike-NAME { secret = KEY } }",
    128,
    PPPD_MAX_SECRET,
    "Cisco IOS Security Command Reference: crypto isakmp key (up to 128 bytes); "
    "strongSwan swanctl.conf(5) secrets section",
    one_word=True,
)

SECRET_RULES: Final = (
    LOGIN_SECRET,
    ENABLE_SECRET,
    USER_SECRET,
    PPTP_USER_SECRET,
    CHAP_SECRET,
    IPSEC_PSK,
)


def secret_problem(rule: SecretRule, plain: str, *, pppd: bool = False) -> str | None:
    """Why this secret cannot be typed at the IOS prompt (or, with `pppd`, read back by
    pppd from chap-secrets), or None.

    The answer never contains the secret, a part of it or its length.

    >>> secret_problem(CHAP_SECRET, "why?")
    "contains '?', which the IOS prompt takes as a request for help"
    >>> secret_problem(CHAP_SECRET, "why?", pppd=True) is None
    True
    >>> secret_problem(CHAP_SECRET, "@/etc/key", pppd=True)
    "starts with '@/', which pppd takes as the name of a file holding the secret"
    """
    if plain == "":
        return "is empty"
    if plain.endswith(("\n", "\r")):
        return "ends with a line break (a trailing newline is not stripped: remove it)"
    if "\n" in plain or "\r" in plain:
        return "contains a line break, which would end the command and start another"
    if "\x00" in plain:
        return "contains a NUL character"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in plain):
        return "contains a control character"
    if not plain.isascii():
        return "contains a non-ASCII character (IOS and MS-CHAP take ASCII only)"
    if plain[0] == " " or plain[-1] == " ":
        return "starts or ends with a space (IOS drops a leading space; a trailing one is lost)"
    if rule.one_word and not pppd and any(c.isspace() for c in plain):
        return "is not one word (IOS would read the rest as the next argument)"
    if pppd:
        limit = rule.max_pppd
        if rule.one_word and '"' in plain:
            return "contains a double quote, which would end the quoted secret"
        if plain.startswith("@/"):
            return "starts with '@/', which pppd takes as the name of a file holding the secret"
    else:
        limit = rule.max_ios
        if "?" in plain:
            return "contains '?', which the IOS prompt takes as a request for help"
    if limit is not None and len(plain) > limit:
        taker = "pppd" if pppd else "IOS"
        return f"is longer than the {limit} characters {taker} takes here"
    return None
