"""Where each IOS command keeps its secret, once, and every way iosgen masks it.

A line's secret is found by parsing it against one table, `SECRET_SPECS` (the
command, its sub-mode, the keyword, the optional type digit), not by a list of
patterns, so `ppp pap sent-username plovdiv password 7 0822455D0A16` and
`l2tp tunnel password 7 ...` are caught like `username ... secret 5 ...`.
The same rows serve every path that shows a config or a line:

- `redact` masks a whole config, each line read under its parent section;
- `mask_line` masks one line whose parent is known (diff, remediation);
- `redact_line` masks one line that lost its section (the session log, device
  error messages, push history), as `secret_field` reads a line out of place;
- lint's secret findings (`iosgen.lint.checks.secrets`) read `secret_spans`.

The value becomes `<redacted>`; the type digit stays, so the reader still
sees which encoding the router used. Banner bodies are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from iosgen.ios.config import BANNER_RE
from iosgen.ios.dialogs import PROMPT
from iosgen.ios.mask import MASK as MASK
from iosgen.ios.passwords import is_type7, type7_decode

# --- secrets as fields of a line ------------------------------------------------------------

# The type digit IOS writes before a value: 0 clear, 4 SHA-256 (15.0(1)S/15.1(1)T, unsalted,
# deprecated but still printed), 5 md5-crypt, 7 reversible (Vigenère with a fixed key),
# 8/9 PBKDF2/scrypt on later releases (Cisco IOS Security Command Reference: `enable
# secret`, `username`: "0 | 4 | 5 | 8 | 9" for a secret, "0 | 7" for a password).
ENCODING_DIGITS = frozenset({"0", "4", "5", "7", "8", "9"})
# The digits a `secret` takes (a hash or the clear text), and those a `password` takes.
SECRET_DIGITS = frozenset({"0", "4", "5", "8", "9"})
PASSWORD_DIGITS = frozenset({"0", "7"})
# The digits whose value is a one-way hash: compared by its text, never decoded.
HASH_DIGITS = frozenset({"4", "5", "8", "9"})
# Type 6 is AES (`password encryption aes`): pre-shared keys take it, not passwords.
#   crypto isakmp key 6 RHZE[JACMUI\bcbTdELISAAB address 203.0.113.10
_WITH_AES = ENCODING_DIGITS | {"6"}


@dataclass(frozen=True, slots=True)
class SecretSpec:
    """Where a command keeps a secret: after `keyword`, an optional type digit, the value.

    parent: the sub-mode the command lives in, by the first word of its parent line
    (`interface`, `line`, ...); None for a global command. lead: the words the
    command starts with. keyword: the word before the secret, anywhere after the lead;
    "" when the value is positional (`args` words after the lead, then the optional
    clauses of `skip`). typed: whether IOS may put a type digit (one of `digits`)
    before the value; `type_after`: it puts it after (`ntp authentication-key`).
    skip: optional clauses, in IOS's order, that may stand before the value, each as
    (word, how many arguments it takes). not_values: words that stand where the value
    would and mean the line keeps no secret there; unless: two words in a row that
    say the same of the whole line (`version 3`: the word is an SNMPv3 user name).
    """

    parent: str | None
    lead: tuple[str, ...]
    keyword: str
    typed: bool = True
    digits: frozenset[str] = ENCODING_DIGITS
    type_after: bool = False
    args: int = 0
    skip: tuple[tuple[str, int], ...] = ()
    not_values: frozenset[str] = frozenset()
    unless: tuple[tuple[str, str], ...] = ()  # word pairs that say the line keeps no secret


# Each row is a real IOS line shape; comments show one as IOS prints it. Order matters
# within a sub-mode: the first row whose lead and keyword match wins.
SECRET_SPECS: tuple[SecretSpec, ...] = (
    # username netops privilege 15 secret 5 $1$Jw63$K/0bbUC1dcBONvGTC6o/i.
    # username a secret 4 tnhtc92DXBhelxjYk8LWJrPV36S2i4ntXrpb4RFmfqY
    SecretSpec(None, ("username",), "secret", digits=SECRET_DIGITS),
    # username ivan password 7 060F192042030D1C0818
    SecretSpec(None, ("username",), "password", digits=PASSWORD_DIGITS),
    # enable secret 5 $1$Nqw3$T1y1T.ZFJRpArE6vQc8ls0  /  enable secret level 7 5 $1$...
    SecretSpec(None, ("enable",), "secret", digits=SECRET_DIGITS, skip=(("level", 1),)),
    # enable password 7 00071A150754  /  enable password level 15 S3cret
    SecretSpec(None, ("enable",), "password", digits=PASSWORD_DIGITS, skip=(("level", 1),)),
    # snmp-server community public RO
    SecretSpec(None, ("snmp-server",), "community", typed=False),
    # snmp-server host 192.0.2.5 [vrf V] [informs|traps] [version 1|2c|3 [auth|noauth|priv]]
    #   COMMUNITY [udp-port 162] ...: the community has no keyword, it follows the clauses
    # snmp-server host 192.0.2.5 traps version 2c S3cretCommunity
    # With `version 3` the word is the SNMPv3 user's name, not a secret (Cisco IOS SNMP
    # command reference, snmp-server host: "community-string ... SNMPv3: the username"):
    # snmp-server host 192.0.2.5 version 3 auth NETOPS
    SecretSpec(
        None,
        ("snmp-server", "host"),
        "",
        typed=False,
        args=1,
        skip=(
            ("vrf", 1),
            ("informs", 0),
            ("traps", 0),
            ("version", 1),
            ("auth", 0),
            ("noauth", 0),
            ("priv", 0),
        ),
        unless=(("version", "3"),),
    ),
    # snmp-server user NETOPS V3RO v3 auth sha S3cretAuth priv aes 128 S3cretPriv: two secrets
    # (12.4 keeps SNMPv3 users out of the running config, but the typed line has them)
    SecretSpec(None, ("snmp-server", "user"), "auth", typed=False, skip=(("md5", 0), ("sha", 0))),
    SecretSpec(
        None,
        ("snmp-server", "user"),
        "priv",
        typed=False,
        skip=(("des", 0), ("des56", 0), ("3des", 0), ("aes", 1)),
    ),
    # tacacs-server key 7 ...  /  tacacs-server host 192.0.2.7 key 7 ...  /  radius-server key 7 ...
    SecretSpec(None, ("tacacs-server",), "key"),
    SecretSpec(None, ("radius-server",), "key"),
    # crypto isakmp key S3cretPsk address 203.0.113.10  /  crypto isakmp key 6 <aes> address ...
    SecretSpec(None, ("crypto", "isakmp"), "key", digits=_WITH_AES),
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
    # ntp authentication-key 1 md5 0822455D0A16 7   (the type digit follows the key)
    SecretSpec(None, ("ntp", "authentication-key"), "md5", type_after=True),
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
    # interface FastEthernet0/1 /  standby 1 authentication text S3cretHsrp  (`text` optional;
    # `standby 1 authentication md5 key-chain HSRP` names a key chain, no secret)
    SecretSpec(
        "interface",
        ("standby",),
        "authentication",
        typed=False,
        skip=(("text", 0),),
        not_values=frozenset({"md5"}),
    ),
    # interface Serial0/0 /  ip ospf message-digest-key 1 md5 7 0822455D0A16
    SecretSpec("interface", ("ip", "ospf", "message-digest-key"), "md5"),
    # crypto keyring BRANCH /  pre-shared-key address 203.0.113.10 key s3cret
    SecretSpec("crypto", ("pre-shared-key",), "key", typed=False),
    # crypto isakmp client configuration group EZVPN /  key 6 <aes>  (or the clear key)
    SecretSpec("crypto", (), "key", digits=_WITH_AES),
    # dot11 ssid BRANCH /  wpa-psk ascii 7 0822455D0A16   (an ISR's access point)
    SecretSpec("dot11", (), "wpa-psk", skip=(("ascii", 0), ("hex", 0))),
    # aaa group server radius BRANCH /  server-private 192.0.2.7 key 7 0822455D0A16
    SecretSpec("aaa", ("server-private",), "key"),
    # aaa pod server server-key S3cret   (RADIUS packet of disconnect)
    SecretSpec(None, ("aaa", "pod", "server"), "server-key"),
    # interface FastEthernet0/1 /  vrrp 1 authentication text S3cret  (md5 key-string below)
    #   and the same for GLBP: glbp 1 authentication text S3cret
    *(
        SecretSpec(
            "interface",
            (protocol,),
            "authentication",
            typed=False,
            skip=(("text", 0),),
            not_values=frozenset({"md5"}),
        )
        for protocol in ("vrrp", "glbp")
    ),
    # interface FastEthernet0/1 /  vrrp 1 authentication md5 key-string 7 0822455D0A16
    SecretSpec("interface", ("vrrp",), "key-string"),
    SecretSpec("interface", ("glbp",), "key-string"),
    # interface Tunnel0 /  ip nhrp authentication S3cret   (DMVPN)
    SecretSpec("interface", ("ip", "nhrp"), "authentication", typed=False),
    # interface Dot11Radio0 /  encryption vlan 1 key 1 size 128bit 7 0822455D0A16 transmit-key
    SecretSpec("interface", ("encryption",), "size", skip=(("40bit", 0), ("128bit", 0))),
    # tacacs server HQ /  key 7 0822455D0A16   (and radius server X)
    SecretSpec("tacacs", (), "key"),
    SecretSpec("radius", (), "key"),
    # crypto ipsec client ezvpn BRANCH /  group EZVPN key S3cretGroupKey  (the EzVPN client;
    # `key` with a lead, so that the line is found out of place too)
    SecretSpec("crypto", ("group",), "key", digits=_WITH_AES),
    # crypto ikev2 profile HQ /  authentication remote pre-share key S3cretPsk
    SecretSpec("crypto", ("authentication",), "key", digits=_WITH_AES),
    # crypto ikev2 keyring KR / peer HQ /  pre-shared-key [local|remote] [0|6] S3cretPsk
    # (IKEv1's keyring line names its peer first: pre-shared-key address 203.0.113.10 key X)
    SecretSpec(
        "peer",
        ("pre-shared-key",),
        "",
        digits=_WITH_AES,
        skip=(("local", 0), ("remote", 0)),
        not_values=frozenset({"address", "hostname"}),
    ),
    # OSPFv3 IPsec keys (Cisco IOS IPv6 command reference: ipv6 ospf authentication,
    # ipv6 ospf encryption, area authentication / encryption; ospfv3 on 15.x):
    #   ipv6 ospf authentication ipsec spi 500 md5 1234567890ABCDEF1234567890ABCDEF
    #   ospfv3 encryption ipsec spi 1001 esp null md5 0 27576134094768132473302031209727
    #   ipv6 ospf encryption ipsec spi 1001 esp aes-cbc 128 0 <key> sha1 0 <key>: two keys
    #   ipv6 router ospf 1 /  area 1 authentication ipsec spi 678 md5 <key>
    *(
        SecretSpec(parent, lead, keyword)
        for parent, lead in (
            ("interface", ("ipv6", "ospf")),
            ("interface", ("ospfv3",)),
            ("router", ("area",)),
            ("ipv6", ("area",)),
        )
        for keyword in ("md5", "sha1")
    ),
    *(
        SecretSpec(
            parent,
            lead,
            "esp",
            skip=(("des", 0), ("3des", 0), ("aes-cbc", 1)),
            not_values=frozenset({"null"}),
        )
        for parent, lead in (
            ("interface", ("ipv6", "ospf")),
            ("interface", ("ospfv3",)),
            ("router", ("area",)),
            ("ipv6", ("area",)),
        )
    ),
    # l2tp-class BRANCH /  password 7 0822455D0A16  /  digest secret 7 0822455D0A16 hash sha
    SecretSpec("l2tp-class", (), "password"),
    SecretSpec("l2tp-class", ("digest",), "secret"),
)


@dataclass(frozen=True, slots=True)
class SecretField:
    """The secret of one line: the index of its value word and of its type digit, if any."""

    value_index: int
    type_index: int | None
    spec: SecretSpec

    def encoding(self, words: Sequence[str]) -> str:
        """ "0", "5", "7" (as typed), or "" where the line gives no type digit."""
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
    The first field of `secret_fields`: the one a line compares by.

    >>> found = secret_field("ntp authentication-key 1 md5 0822455D0A16 7", None)
    >>> (found.value_index, found.type_index)
    (4, 5)
    >>> secret_field("password 7 0822455D0A16", "interface Dialer2").value_index  # out of place
    2
    """
    found = secret_fields(text, parent)
    return found[0] if found else None


def secret_fields(text: str, parent: str | None) -> tuple[SecretField, ...]:
    """Every secret field of a line, read like `secret_field`: most lines have one,
    `snmp-server user ... auth sha A priv aes 128 P` has two."""
    return _fields(text.split(" "), _scope(parent))


def _scope(parent: str | None) -> str | None:
    return parent.split(" ", 1)[0] if parent else None


def _fields(words: Sequence[str], scope: str | None) -> tuple[SecretField, ...]:
    if words and words[0] == "no":  # `no snmp-server community s3cret` still names it
        return tuple(
            SecretField(
                f.value_index + 1, None if f.type_index is None else f.type_index + 1, f.spec
            )
            for f in _fields(words[1:], scope)
        )
    if not words:
        return ()
    found = _spec_fields(words, lambda spec: spec.parent == scope)
    if not found:
        # Out of place: a row of another sub-mode, if the line starts like it (`password 7
        # X` of a `line vty`, `key-string 7 X` of a key chain: their keyword comes first).
        found = _spec_fields(
            words,
            lambda spec: spec.parent != scope and (bool(spec.lead) or _leads(spec, words)),
        )
    if not found and words[0] not in FREE_TEXT and _COMMAND_WORD.match(words[0]):
        found = tuple(
            f
            for f in _spec_fields(words, lambda spec: True, _ANY_SPECS)
            if f.type_index is not None or f.value_index == len(words) - 1
        )
    return found


# The last net reads commands, not prose: a banner line seen alone (a session log's echo
# of `banner motd`) says "Access is logged: the password is changed daily." A command's
# first word is lower case (`username`, `ppp`), and a value the net takes is the line's
# last word or follows a type digit (`... password 7 0822455D0A16`, `... password S3cret`).
_COMMAND_WORD: Final = re.compile(r"^[a-z][a-z0-9-]*$")


# Commands whose words after the first are prose: `description password 7 is not a secret`.
FREE_TEXT = frozenset({"description", "remark", "alias"})


def _leads(spec: SecretSpec, words: Sequence[str]) -> bool:
    if words[0] != spec.keyword:
        return False
    # `key chain OSPF` and a chain's `key 1` (a number: its key id) are no `key 7 ...` of a
    # tacacs server nor the `key S3cret` of an isakmp client group
    key_id = len(words) == 2 and words[1].isdigit()
    return not (words[0] == "key" and (words[1:2] == ["chain"] or key_id))


# The last net: any `password` or `secret` word followed by a value, wherever the line
# stands (`ppp pptp ... password X` of a release iosgen does not model).
_ANY_SPECS: tuple[SecretSpec, ...] = (
    SecretSpec(None, (), "secret"),
    SecretSpec(None, (), "password"),
)


def _spec_fields(
    words: Sequence[str],
    wanted: Callable[[SecretSpec], bool],
    specs: Sequence[SecretSpec] = SECRET_SPECS,
) -> tuple[SecretField, ...]:
    """The fields of every wanted row that matches, in table order, one per value word."""
    found: list[SecretField] = []
    taken: set[int] = set()  # words already a value or a type digit of a found field
    for spec in specs:
        if wanted(spec) and tuple(words[: len(spec.lead)]) == spec.lead:
            field = _value_of(spec, words)
            # `key 6 X` out of place: the isakmp group row reads 6 as the type digit; a
            # later row that takes the 6 as a value (a tacacs server's `key`) is not read
            if field is not None and field.value_index not in taken:
                found.append(field)
                taken.add(field.value_index)
                if field.type_index is not None:
                    taken.add(field.type_index)
    return tuple(found)


def _value_of(spec: SecretSpec, words: Sequence[str]) -> SecretField | None:
    """Where `spec` puts the value in `words` (which start with its lead), if anywhere."""
    if spec.unless and any(pair in spec.unless for pair in pairwise(words)):
        return None
    if spec.keyword:
        try:
            v = words.index(spec.keyword, len(spec.lead)) + 1
        except ValueError:
            return None
    else:
        v = len(spec.lead) + spec.args
    for word, arguments in spec.skip:  # IOS's order; each clause at most once
        if v < len(words) and words[v] == word:
            v += 1 + arguments
    if v >= len(words) or words[v] in spec.not_values:
        return None
    if spec.typed and spec.type_after:
        after = v + 1 < len(words) and words[v + 1] in spec.digits
        return SecretField(v, v + 1 if after else None, spec)
    if spec.typed and words[v] in spec.digits and v + 1 < len(words):
        return SecretField(v + 1, v, spec)
    return SecretField(v, None, spec)


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
    if encoding in HASH_DIGITS:
        return ("hash", value)
    return ("clear", value)


# --- the secret of a line as typed ------------------------------------------------------------

_WORD_RE: Final = re.compile(r"\S+")
# A session log line is the prompt with the echo glued to it: `R-ITD(config-if)#ppp chap ...`
_PROMPT_HEAD_RE: Final = re.compile(PROMPT)


@dataclass(frozen=True, slots=True)
class SecretSpan:
    """Where a secret of a line as typed sits: characters `start:end` of the line.

    head: the line up to the secret, without the type digit when it comes first
    (`username admin privilege 15 password`); encoding: the type digit or "".
    """

    start: int
    end: int
    encoding: str
    head: str


def secret_spans(line: str, parent: str | None = None) -> tuple[SecretSpan, ...]:
    """The secrets of `line` as typed (any spacing, a prompt before it), left to right,
    read like `secret_field` reads the line under `parent` (None: out of place).

    >>> line = "R-ITD(config)#ntp authentication-key 1 md5 0822455D0A16 7"
    >>> [(line[s.start : s.end], s.encoding, s.head) for s in secret_spans(line)]
    [('0822455D0A16', '7', 'R-ITD(config)#ntp authentication-key 1 md5')]
    """
    spans = [m.span() for m in _WORD_RE.finditer(line)]
    if spans and (prompt := _PROMPT_HEAD_RE.match(line, spans[0][0])):
        if prompt.end() == spans[0][1]:
            spans = spans[1:]  # `R-ITD# show running-config`: the prompt is a word
        else:
            spans[0] = (prompt.end(), spans[0][1])
    words = [line[s:e] for s, e in spans]
    out: list[SecretSpan] = []
    for found in _fields(words, _scope(parent)):
        start, end = spans[found.value_index]
        cut = start
        if found.type_index is not None and found.type_index < found.value_index:
            cut = spans[found.type_index][0]
        out.append(SecretSpan(start, end, found.encoding(words), line[:cut].rstrip()))
    return tuple(sorted(out, key=lambda span: span.start))


def _masked(line: str, spans: Iterable[SecretSpan]) -> str:
    for span in sorted(spans, key=lambda span: span.start, reverse=True):
        line = line[: span.start] + MASK + line[span.end :]
    return line


# A URL with credentials: `archive path ftp://backup:s3cret@192.0.2.9/$h`, `copy
# scp://u:p@h/f flash:`. The password is what sits between `user:` and `@`.
URL_CREDENTIALS = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s/:@]*:)[^\s/@]+@")


def mask_urls(text: str) -> str:
    """`ftp://user:<redacted>@host/...`: every URL's password masked."""
    if "://" not in text:
        return text
    return URL_CREDENTIALS.sub(lambda m: f"{m['head']}{MASK}@", text)


def mask_line(text: str, parent: str | None) -> str:
    """The line with its secret value replaced by `<redacted>` (the type digit stays).

    `text` is one line as `iosgen.ios.config` keeps it (no indentation, single spaces).

    >>> mask_line("ppp chap password 7 0123035155", "interface Dialer2")
    'ppp chap password 7 <redacted>'
    >>> mask_line("snmp-server host 192.0.2.5 version 2c S3cretCommunity", None)
    'snmp-server host 192.0.2.5 version 2c <redacted>'
    >>> mask_line("ntp authentication-key 1 md5 0822455D0A16 7", None)
    'ntp authentication-key 1 md5 <redacted> 7'
    >>> mask_line("snmp-server user OPS V3 v3 auth sha S3cretA priv aes 128 S3cretP", None)
    'snmp-server user OPS V3 v3 auth sha <redacted> priv aes 128 <redacted>'
    >>> mask_line("description password 7 is prose", "interface Dialer2")
    'description password 7 is prose'
    """
    text = mask_urls(text)
    words = text.split(" ")
    for field in secret_fields(text, parent):
        words[field.value_index] = MASK
    return " ".join(words)


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
        if indent == 0 and (banner := BANNER_RE.match(stripped)):
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


def hide_values(text: str, hide: Iterable[str]) -> str:
    """`text` with every literal secret value masked (the site's revealed secrets)."""
    for value in sorted(hide, key=len, reverse=True):
        if value and len(value) >= 3:
            text = text.replace(value, MASK)
    return text


def redact_line(line: str, hide: Iterable[str] = (), parent: str | None = None) -> str:
    """One line that lost its section, its secret masked, every other byte kept.

    The line is read out of place (`secret_field` with no parent: its own rows, every
    sub-mode's rows, then any `password`/`secret`; under `parent` when the caller knows
    it), after the prompt a session log glues to it; then URL passwords and the literal
    values of `hide` are masked.

    >>> redact_line(" ppp chap password 7 0123035155")
    ' ppp chap password 7 <redacted>'
    >>> redact_line("R-ITD(config)#snmp-server host 192.0.2.5 version 2c S3cretCommunity")
    'R-ITD(config)#snmp-server host 192.0.2.5 version 2c <redacted>'
    >>> redact_line("ntp authentication-key 1 md5 0822455D0A16 7")
    'ntp authentication-key 1 md5 <redacted> 7'
    >>> redact_line("Password: ")
    'Password: '
    """
    line = mask_urls(line)
    return hide_values(_masked(line, secret_spans(line, parent)), hide)


def redact_text(text: str, hide: Iterable[str] = ()) -> str:
    """Every line of `text` through `redact_line` (a session log, an error message)."""
    values = tuple(hide)
    return "\n".join(redact_line(line, values) for line in text.split("\n"))
