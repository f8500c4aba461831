"""IOS config text as a tree, normalised for comparison; IOS facts about lines, as data.

What `show running-config` prints that is not configuration is dropped here,
once: the header (`Building configuration...`, `Current configuration : 2028
bytes`), `! Last configuration change ...` / `! NVRAM config last updated ...`,
every `!` line (runs of them, `! Default PPTP VPDN group`), `end`, blank lines
and trailing blanks, `ntp clock-period 17179866` (the router's own clock
trim), `version 12.4` (the image's, not typed) and the NVGEN markers
`boot-start-marker` / `boot-end-marker`.

Also here: where a line carries a secret (`username u password 7 0822455D0A16`,
` ppp chap password 7 0123035155`, `snmp-server community public RO`, ...),
parsed by what the line is, so comparison, redaction and remediation agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from iosgen.errors import InputError, Problem
from iosgen.ios.dialogs import PROMPT
from iosgen.ios.passwords import is_type7, type7_decode
from iosgen.model.secret import MASK

# --- volatile lines ----------------------------------------------------------------------
# Printed by IOS, never typed: ignored by every comparison (ios-reference §2.1, §9).
VOLATILE_PREFIXES: tuple[str, ...] = (
    "Building configuration...",
    "Current configuration :",
    "Using ",  # `show startup-config`: "Using 1449 out of 196600 bytes"
    "ntp clock-period ",
    "version ",
    "boot-start-marker",
    "boot-end-marker",
)
# `!` starts a comment line: separators, `! Last configuration change at ...`,
# `! NVRAM config last updated at ...`, `! Default PPTP VPDN group`.
COMMENT = "!"
END = "end"
# A capture pasted from a terminal keeps its prompts: `R1#sh run` above the config,
# `Router#` after `end`, `R1(config)#` in a config saved as typed. No IOS command starts
# with a word glued to `#` or `>`, so such a line is the prompt (iosfacts.PROMPT), not config.
_PROMPT_RE = re.compile("^" + PROMPT)

# A banner runs from `banner motd ^C` to the next line holding the delimiter `^C`.
_BANNER_RE = re.compile(r"^banner (?P<kind>\S+) (?P<delim>\^C|\S)(?P<rest>.*)$")


@dataclass(frozen=True, slots=True)
class Line:
    """One config line and its sub-mode lines; `text` has single spaces, no indentation.

    A banner is one Line whose text holds its newlines (`banner motd ^C\\nhello\\n^C`).
    `raw` is the line as printed (indentation kept, trailing blanks dropped): it
    does not take part in equality, only in telling formatting differences apart.
    """

    text: str
    children: tuple[Line, ...] = ()
    raw: str = field(default="", compare=False)

    def walk(self, depth: int = 0) -> Iterator[tuple[int, Line]]:
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass(frozen=True, slots=True)
class IosConfig:
    """A parsed, normalised config: the top-level lines in the order they were printed."""

    lines: tuple[Line, ...]

    def walk(self) -> Iterator[tuple[int, Line]]:
        for line in self.lines:
            yield from line.walk()

    def render(self) -> list[str]:
        """The lines as IOS indents them: one space per sub-mode level."""
        return render_lines(self.lines)


def render_lines(lines: Iterable[Line], depth: int = 0) -> list[str]:
    out: list[str] = []
    for line in lines:
        for d, item in line.walk(depth):
            out.append(" " * d + item.text)
    return out


def significant_lines(text: str) -> list[str]:
    """The lines that mean something, as printed: two configs equal here have no drift at all.

    A cheap first look (no tree): a router that matches its model is the common case.
    """
    out = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        stripped = raw.strip()
        if stripped and not _is_volatile(stripped):
            out.append(raw.rstrip())
    return out


def _is_volatile(stripped: str) -> bool:
    return (
        stripped[0] == COMMENT
        or stripped == END
        or stripped.startswith(VOLATILE_PREFIXES)
        or _PROMPT_RE.match(stripped) is not None
    )


# Clauses IOS keeps as lists of values, in the order they were typed: `match ip
# address 10` then `match ip address 20` print as `match ip address 10 20`, and
# the order means nothing (any value matches). Parsed with their values sorted, so
# two routers that got them in another order compare equal.
LIST_VALUED: dict[str, tuple[str, ...]] = {
    "route-map": ("match ip address ", "match interface "),
}


def list_clause(text: str, parent: str | None) -> tuple[str, list[str]] | None:
    """(`match ip address `, ["10", "20"]) for a list-valued clause, else None."""
    scope = parent.split(" ", 1)[0] if parent else None
    for prefix in LIST_VALUED.get(scope or "", ()):
        if text.startswith(prefix):
            return prefix, text[len(prefix) :].split()
    return None


def _value_key(value: str) -> tuple[int, int, str]:
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


# A node while parsing: [text, indent, children, raw]; frozen into `Line`s at the end.
_Node = list[Any]


def _freeze(node: _Node) -> Line:
    children: list[_Node] = node[2]
    return Line(node[0], tuple(_freeze(c) for c in children) if children else (), node[3])


# IOS sub-modes nest a few levels (`vpdn-group 2` / ` request-dialin` / `  protocol pptp`,
# `policy-map` / `class` / `police` / `conform-action`): a deeper tree is not a config
# IOS prints, and the recursive walks over it must stay bounded.
MAX_DEPTH = 32


def parse(text: str, source: str = "running config") -> IosConfig:
    """Parse `show running-config` output (with or without its header) into a tree.

    Indentation gives the hierarchy (one space per level on IOS, any amount is
    accepted); words are re-joined with single spaces. Nesting deeper than
    MAX_DEPTH is refused with the line it starts at (InputError naming `source`).
    """
    root: list[_Node] = []
    stack: list[_Node] = []
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    count = len(raw_lines)
    while i < count:
        raw = raw_lines[i]
        i += 1
        stripped = raw.strip()
        if not stripped or _is_volatile(stripped):
            continue
        indent = len(raw) - len(raw.lstrip())
        banner = _BANNER_RE.match(stripped) if stripped.startswith("banner ") else None
        if indent == 0 and banner:
            body, i = _read_banner(banner, raw_lines, i)
            node: _Node = [body, 0, [], body]
            root.append(node)
            stack = [node]
            continue
        text = " ".join(stripped.split()) if "  " in stripped or "\t" in stripped else stripped
        while stack and stack[-1][1] >= indent:
            stack.pop()
        if stack and (clause := list_clause(text, stack[-1][0])):
            prefix, values = clause
            text = prefix + " ".join(sorted(dict.fromkeys(values), key=_value_key))
        if len(stack) >= MAX_DEPTH:
            raise InputError(
                [
                    Problem(
                        source,
                        i,
                        indent + 1,
                        "",
                        f"nested more than {MAX_DEPTH} levels deep: not a config IOS prints",
                    )
                ]
            )
        node = [text, indent, [], raw.rstrip()]
        (stack[-1][2] if stack else root).append(node)
        stack.append(node)
    return IosConfig(tuple(_freeze(n) for n in root))


def _read_banner(match: re.Match[str], raw_lines: Sequence[str], i: int) -> tuple[str, int]:
    """`banner motd ^C` ... `^C`: the banner as one line of text with its newlines."""
    delim = match["delim"]
    rest = match["rest"]
    head = f"banner {match['kind']} {delim}"
    if delim in rest:
        return head + rest[: rest.index(delim) + len(delim)], i
    body = [rest] if rest else []
    while i < len(raw_lines):
        raw = raw_lines[i].rstrip("\r")
        i += 1
        if delim in raw:
            if raw[: raw.index(delim)]:
                body.append(raw[: raw.index(delim)])
            break
        body.append(raw)
    text = "\n".join(body)
    return f"{head}\n{text}\n{delim}" if text else f"{head}\n{delim}", i


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
