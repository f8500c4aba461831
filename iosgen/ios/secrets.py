"""Redact the secrets of a config by what each line is, keeping everything else byte for byte.

A line's secret is found by parsing it (`secret_field` below: the command,
its sub-mode, the keyword, the optional type digit), not by a list of
patterns, so `ppp pap sent-username plovdiv password 7 0822455D0A16` and
`l2tp tunnel password 7 ...` are caught like `username ... secret 5 ...`.
The value becomes `<redacted>`; the type digit stays, so the reader still
sees which encoding the router used. Banner bodies are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from iosgen.ios.passwords import is_type7, type7_decode

# What every secret value is replaced with wherever a config or a line is shown.
MASK = "<redacted>"

# --- secrets as fields of a line ------------------------------------------------------------

ENCODING_DIGITS = frozenset({"0", "5", "7", "8", "9"})


@dataclass(frozen=True, slots=True)
class SecretSpec:
    """Where a command keeps a secret: after `keyword`, an optional type digit, the value.

    parent: the sub-mode the command lives in, by the first word of its parent line
    (`interface`, `line`, ...); None for a global command. lead: the words the
    command starts with. typed: whether IOS puts a type digit (0/5/7) before the value.
    """

    parent: str | None
    lead: tuple[str, ...]
    keyword: str
    typed: bool = True


# Each row is a real IOS line shape; comments show one as IOS prints it.
SECRET_SPECS: tuple[SecretSpec, ...] = (
    # username netops privilege 15 secret 5 $1$Jw63$K/0bbUC1dcBONvGTC6o/i.
    SecretSpec(None, ("username",), "secret"),
    # username ivan password 7 060F192042030D1C0818
    SecretSpec(None, ("username",), "password"),
    # enable secret 5 $1$Nqw3$T1y1T.ZFJRpArE6vQc8ls0
    SecretSpec(None, ("enable",), "secret"),
    # enable password 7 00071A150754
    SecretSpec(None, ("enable",), "password"),
    # snmp-server community public RO
    SecretSpec(None, ("snmp-server",), "community", typed=False),
    # tacacs-server key 7 ...  /  radius-server key 7 ...
    SecretSpec(None, ("tacacs-server",), "key"),
    SecretSpec(None, ("radius-server",), "key"),
    # crypto isakmp key SECRET address 203.0.113.10
    SecretSpec(None, ("crypto", "isakmp"), "key"),
    # interface Dialer2 /  ppp chap password 7 0123035155
    SecretSpec("interface", ("ppp", "chap"), "password"),
    # interface Dialer2 /  ppp pap sent-username plovdiv password 7 0822455D0A16
    SecretSpec("interface", ("ppp", "pap", "sent-username"), "password"),
    # interface Serial0/0 /  ip ospf authentication-key 7 ...
    SecretSpec("interface", ("ip", "ospf"), "authentication-key"),
    # vpdn-group 2 /  l2tp tunnel password 7 ...  (also valid in a virtual-template)
    SecretSpec("vpdn-group", ("l2tp", "tunnel"), "password"),
    SecretSpec("interface", ("l2tp", "tunnel"), "password"),
    # line vty 0 4 /  password 7 0822455D0A16
    SecretSpec("line", (), "password"),
    # Lines a branch router may carry beyond iosgen's model, so that backups, diffs and
    # history never print them in clear:
    # ntp authentication-key 1 md5 0822455D0A16 7
    SecretSpec(None, ("ntp", "authentication-key"), "md5", typed=False),
    # ip ftp password 7 0822455D0A16
    SecretSpec(None, ("ip", "ftp"), "password"),
    # vtp password s3cret
    SecretSpec(None, ("vtp",), "password", typed=False),
    # router bgp 65001 /  neighbor 192.0.2.1 password 7 0822455D0A16
    SecretSpec("router", ("neighbor",), "password"),
    # key chain OSPF / key 1 /  key-string 7 0822455D0A16
    SecretSpec("key", (), "key-string"),
    # interface FastEthernet0/1 /  standby 1 authentication md5 key-string 7 0822455D0A16
    SecretSpec("interface", ("standby",), "key-string"),
    # interface Serial0/0 /  ip ospf message-digest-key 1 md5 7 0822455D0A16
    SecretSpec("interface", ("ip", "ospf", "message-digest-key"), "md5"),
    # crypto keyring BRANCH /  pre-shared-key address 203.0.113.10 key s3cret
    SecretSpec("crypto", ("pre-shared-key",), "key", typed=False),
    # tacacs server HQ /  key 7 0822455D0A16   (and radius server X)
    SecretSpec("tacacs", (), "key"),
    SecretSpec("radius", (), "key"),
)


@dataclass(frozen=True, slots=True)
class SecretField:
    """The secret of one line: the index of its value word and of its type digit, if any."""

    value_index: int
    type_index: int | None
    spec: SecretSpec

    def encoding(self, words: Sequence[str]) -> str:
        """ "0", "5", "7" (as typed), or "" where the command takes no type digit."""
        return words[self.type_index] if self.type_index is not None else ""

    def identity(self, words: Sequence[str]) -> str:
        """The words before the secret keyword: `username netops`, `enable`, `ppp chap`."""
        if self.spec.lead == ("username",):
            return " ".join(words[:2])
        if self.spec.lead == ("snmp-server", "host"):
            return " ".join(words[:3])  # one community per receiving host
        return " ".join(self.spec.lead) or self.spec.keyword


def secret_field(text: str, parent: str | None) -> SecretField | None:
    """The secret field of a line under `parent` (the parent line's text), if it has one.

    A line found where its command does not live (a flattened config: every line at
    column 0, or lines out of place) still holds its secret: when no row of its own
    sub-mode matches, the rows of every other sub-mode are tried, then any
    `password`/`secret` keyword. What the line is decides, not where it stands.
    """
    words = text.split(" ")
    if words and words[0] == "no":  # `no snmp-server community s3cret` still names it
        inner = secret_field(text[3:], parent)
        if inner is None:
            return None
        type_index = None if inner.type_index is None else inner.type_index + 1
        return SecretField(inner.value_index + 1, type_index, inner.spec)
    scope = parent.split(" ", 1)[0] if parent else None
    if words[:2] == ["snmp-server", "host"]:
        return _snmp_host_community(words)
    found = _spec_field(words, lambda spec: spec.parent == scope and spec not in _ANY_SPECS)
    if found is None:
        # Out of place: a row of another sub-mode, if the line starts like it (`password 7
        # X` of a `line vty`, `key-string 7 X` of a key chain: their keyword comes first).
        found = _spec_field(
            words,
            lambda spec: (
                spec.parent != scope
                and spec not in _ANY_SPECS
                and (bool(spec.lead) or _leads(spec, words))
            ),
        )
    if found is None and words[0] not in FREE_TEXT:
        found = _spec_field(words, lambda spec: spec in _ANY_SPECS)
    return found


# Commands whose words after the first are prose: `description password 7 is not a secret`.
FREE_TEXT = frozenset({"description", "remark", "alias"})


def _leads(spec: SecretSpec, words: Sequence[str]) -> bool:
    if not words or words[0] != spec.keyword:
        return False
    # `key chain OSPF` and a chain's `key 1` are no `key 7 ...` of a tacacs server
    return not (words[0] == "key" and (words[1:2] == ["chain"] or len(words) == 2))


# The last net: any `password` or `secret` word followed by a value, wherever the line
# stands (`ppp pptp ... password X` of a release iosgen does not model).
_ANY_SPECS: tuple[SecretSpec, ...] = (
    SecretSpec(None, (), "secret"),
    SecretSpec(None, (), "password"),
)


def _spec_field(words: Sequence[str], wanted: Callable[[SecretSpec], bool]) -> SecretField | None:
    for spec in (*SECRET_SPECS, *_ANY_SPECS):
        if not wanted(spec) or tuple(words[: len(spec.lead)]) != spec.lead:
            continue
        try:
            k = words.index(spec.keyword, len(spec.lead))
        except ValueError:
            continue
        v = k + 1
        if v >= len(words):
            continue
        if spec.typed and words[v] in ENCODING_DIGITS and v + 1 < len(words):
            return SecretField(v + 1, v, spec)
        return SecretField(v, None, spec)
    return None


_SNMP_HOST_SPEC = SecretSpec(None, ("snmp-server", "host"), "", typed=False)


def _snmp_host_community(words: Sequence[str]) -> SecretField | None:
    """snmp-server host 192.0.2.5 [informs|traps] [version 1|2c|3 [auth|noauth|priv]] COMMUNITY"""
    i = 3
    if i < len(words) and words[i] in ("informs", "traps"):
        i += 1
    if i + 1 < len(words) and words[i] == "version":
        i += 2
        if words[i - 1] == "3" and i < len(words) and words[i] in ("auth", "noauth", "priv"):
            i += 1
    return SecretField(i, None, _SNMP_HOST_SPEC) if i < len(words) else None


def secret_key(words: Sequence[str], field: SecretField) -> tuple[str, str]:
    """How two secrets compare: reversible ones by clear text, hashes by their text.

    `password 7 0123035155` and `password 0 Pe5n` both give ("clear", "Pe5n");
    `secret 5 $1$...` gives ("hash", "$1$..."): it is checked against the model's
    clear text elsewhere (compare.py), never compared as text alone.
    """
    value = words[field.value_index]
    if value == MASK:
        return ("masked", "")
    encoding = field.encoding(words)
    if encoding == "7" and is_type7(value):
        return ("clear", type7_decode(value))
    if encoding in {"5", "8", "9"}:
        return ("hash", value)
    return ("clear", value)


# A URL with credentials: `archive path ftp://backup:s3cret@192.0.2.9/$h`, `copy
# scp://u:p@h/f flash:`. The password is what sits between `user:` and `@`.
URL_CREDENTIALS = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s/:@]*:)[^\s/@]+@")


def mask_urls(text: str) -> str:
    """`ftp://user:<redacted>@host/...`: every URL's password masked."""
    if "://" not in text:
        return text
    return URL_CREDENTIALS.sub(lambda m: f"{m['head']}{MASK}@", text)


def mask_line(text: str, parent: str | None) -> str:
    """The line with its secret value replaced by `<redacted>` (the type digit stays)."""
    text = mask_urls(text)
    field = secret_field(text, parent)
    if field is None:
        return text
    words = text.split(" ")
    words[field.value_index] = MASK
    return " ".join(words)


_BANNER_RE = re.compile(r"^banner \S+ (?P<delim>\^C|\S)(?P<rest>.*)$")


def redact(text: str) -> str:
    """The config with every secret value replaced by `<redacted>`."""
    out: list[str] = []
    parents: list[tuple[int, str]] = []  # (indent, text) of the open sections
    banner_end: str | None = None
    for raw in text.split("\n"):
        body = raw.rstrip("\r")
        if banner_end is not None:
            out.append(raw)
            if banner_end in body:
                banner_end = None
            continue
        stripped = body.strip()
        if not stripped or stripped.startswith("!"):
            out.append(raw)
            continue
        indent = len(body) - len(body.lstrip())
        while parents and parents[-1][0] >= indent:
            parents.pop()
        if indent == 0 and (banner := _BANNER_RE.match(stripped)):
            if banner["delim"] not in banner["rest"]:
                banner_end = banner["delim"]
            out.append(raw)
            continue
        parent = parents[-1][1] if parents else None
        normal = " ".join(stripped.split())
        masked = mask_line(normal, parent)
        if masked != normal:
            ending = raw[len(body) :]
            raw = " " * indent + masked + ending
        out.append(raw)
        parents.append((indent, normal))
    return "\n".join(out)


# --- single lines without their section (session logs, history) ---------------------------
# A session log line has lost its parent, so the parsed field above can miss it; this
# safety net masks the word after any secret keyword (and its type digit), e.g.
#      ppp pap sent-username plovdiv password 7 0822455D0A16
# and the literal values the caller knows (the site's revealed secrets).

# keyword, optional encryption type, the secret itself
_SECRET_FIELD_RE: Final = re.compile(
    r"(?P<key>\b(?:password|secret|community|key-string|key)\s+)(?P<type>[0-9]\s+)?(?P<value>\S+)"
)


def hide_values(text: str, hide: Iterable[str]) -> str:
    """`text` with every literal secret value masked."""
    for value in sorted(hide, key=len, reverse=True):
        if value and len(value) >= 3:
            text = text.replace(value, MASK)
    return text


def redact_line(line: str, hide: Iterable[str] = ()) -> str:
    out = _SECRET_FIELD_RE.sub(lambda m: f"{m['key']}{m['type'] or ''}{MASK}", mask_urls(line))
    return hide_values(out, hide)


def redact_text(text: str, hide: Iterable[str] = ()) -> str:
    values = tuple(hide)
    return "\n".join(redact_line(line, values) for line in text.split("\n"))
