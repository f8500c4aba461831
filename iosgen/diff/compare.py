"""Semantic comparison of an intended and a running config, into three buckets of drift.

A line is its parents plus itself (`interface Dialer2 > mtu 1460`). Lines are
matched by meaning, not by text:

- a reversible secret by its clear text: `ppp chap password 7 0123035155` on the
  router and `ppp chap password 7 13061E010803` in the model are the same `Pe5n`
  (IOS re-salts type 7 on every write), so they are *secret-only*: not drift;
- a type-5 hash by checking the model's clear text against the router's hash,
  salt and all (`username netops ... secret 5 $1$Jw63$...`), never by its text;
- what IOS never prints (`no shutdown`) is dropped from both sides, and what
  IOS adds by itself (`ip virtual-reassembly` beside `ip nat inside`, `no ip
  address` on an unused port) is not drift on the running side (both tables
  are ios.lines);
- order matters only where IOS evaluates in order: the entries of a numbered
  ACL (`access-list 10 permit ...`, first match wins) and of a named ACL. Any
  other reordering is *cosmetic*. Route-map entries are ordered by their
  sequence number (`route-map VPN permit 10`), which is part of their text; the
  match clauses inside one entry are all evaluated together, so their order is
  free;
- a port the intended config does not name is compared at its factory state
  (` shutdown`), and `interface Null0` as an empty section: neither can be
  removed (ios.names); a subinterface can, and is.

The result also carries both configs *aligned*: automatic lines removed, and
each secret-only line of the running config rewritten to the intended text, so
that the remediation (remediation.py) sees exactly the real drift.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from iosgen.ios.config import IosConfig, Line
from iosgen.ios.lines import (
    AUTOMATIC_LINES,
    HIDDEN_DEFAULTS,
    ORDERED_SECTIONS,
    AutomaticLine,
    is_automatic,
    is_hidden_default,
)
from iosgen.ios.names import factory_state, is_removable
from iosgen.ios.passwords import md5_crypt_verify
from iosgen.ios.secrets import mask_line, secret_field, secret_key

# The line facts live in ios.lines; these names stay importable from here.
__all__ = [
    "AUTOMATIC_LINES",
    "HIDDEN_DEFAULTS",
    "AutomaticLine",
    "Comparison",
    "Drift",
    "DriftItem",
    "SecretBook",
    "compare",
    "factory_ports",
    "numbered_acl",
    "ordered_section",
]

# --- where order is meaning ------------------------------------------------------------


def numbered_acl(text: str) -> str | None:
    """`access-list 10 permit 192.168.10.0 0.0.0.255` -> "10" (the list it belongs to)."""
    if text.startswith("access-list "):
        return text.split(" ", 2)[1]
    return None


def ordered_section(text: str) -> bool:
    """A section whose children IOS evaluates in order: `ip access-list standard NAME`."""
    return text.startswith(ORDERED_SECTIONS)


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class DriftItem:
    """One difference: `+` only intended, `-` only running, `~` order, `=` same secret.

    Its repr is masked like its rendering: a secret never leaks through a log or a traceback.
    """

    sign: str
    path: tuple[str, ...]
    text: str
    note: str = ""
    parent: str | None = None

    def __repr__(self) -> str:
        return f"DriftItem({self.render()!r})"

    def render(self, show_secrets: bool = False) -> str:
        text = self.text if show_secrets else _mask_text(self.text, self.parent)
        path = self.path
        if not show_secrets:  # a parent can be a secret line too, in a shuffled config
            path = tuple(_mask_text(p, path[i - 1] if i else None) for i, p in enumerate(path))
        where = " > ".join((*path, text)) if text else " > ".join(path)
        return f"{self.sign} {where}{f' ({self.note})' if self.note else ''}"


def _mask_text(text: str, parent: str | None) -> str:
    if text.startswith("banner "):
        return text.split("\n", 1)[0] + (" ..." if "\n" in text else "")
    return mask_line(text, parent)


@dataclass(frozen=True, slots=True)
class Drift:
    real: tuple[DriftItem, ...] = ()
    cosmetic: tuple[DriftItem, ...] = ()
    secret_only: tuple[DriftItem, ...] = ()

    @property
    def in_sync(self) -> bool:
        return not self.real

    def as_dict(self, show_secrets: bool = False) -> dict[str, list[str]]:
        return {
            "real": [i.render(show_secrets) for i in self.real],
            "cosmetic": [i.render(show_secrets) for i in self.cosmetic],
            "secret_only": [i.render(show_secrets) for i in self.secret_only],
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    drift: Drift
    intended: IosConfig
    running: IosConfig


@dataclass(frozen=True)
class SecretBook:
    """The model's clear text of hashed secrets, by line identity (`username netops`, `enable`).

    A type-5 hash on the router is checked against these; one the book does not
    know is compared by its text.
    """

    clear: Mapping[str, str] = field(default_factory=dict)

    def verifies(self, identity: str, hashed: str) -> bool:
        plain = self.clear.get(identity)
        return plain is not None and md5_crypt_verify(plain, hashed)


# --- comparison ------------------------------------------------------------------------


@dataclass
class _Acc:
    real: list[DriftItem] = field(default_factory=list)
    cosmetic: list[DriftItem] = field(default_factory=list)
    secret_only: list[DriftItem] = field(default_factory=list)


_MASKED = "\x00masked"


def _key(text: str, parent: str | None, book: SecretBook) -> str:
    """The line as it compares: its secret by meaning, without a type digit."""
    found = secret_field(text, parent)
    if found is None:
        return text
    words = text.split(" ")
    kind, value = secret_key(words, found)
    if kind == "hash" and book.verifies(found.identity(words), value):
        kind, value = "verified", ""
    token = _MASKED if kind == "masked" else f"\x00{kind}:{value}"
    out = [token if i == found.value_index else w for i, w in enumerate(words)]
    if found.type_index is not None and kind != "hash":
        del out[found.type_index]
    return " ".join(out)


def _loose_key(key: str) -> str:
    """A key with its secret value hidden: what a redacted line can still be matched on."""
    return re.sub(r"\x00\S*", _MASKED, key)


def _drop_hidden(lines: Sequence[Line], parent: str | None) -> tuple[Line, ...]:
    out = []
    for line in lines:
        if is_hidden_default(line.text, parent):
            continue
        if line.children:
            line = Line(line.text, _drop_hidden(line.children, line.text), line.raw)
        out.append(line)
    return tuple(out)


def _count(line: Line) -> int:
    return sum(1 for _ in line.walk())


def _item(sign: str, path: tuple[str, ...], line: Line, parent: str | None) -> DriftItem:
    note = f"{_count(line)} lines" if line.children else ""
    return DriftItem(sign, path, line.text, note, parent)


def _compare(
    intended: Sequence[Line],
    running: Sequence[Line],
    path: tuple[str, ...],
    parent: str | None,
    ordered: bool,
    book: SecretBook,
    acc: _Acc,
) -> tuple[Line, ...]:
    """Compare two sibling lists; return the running siblings aligned to the intended."""
    # Exact text first (the common case, and no secret work), then by meaning.
    match, taken, rest = _match_text(intended, running)
    dropped: set[int] = set()
    if rest:
        dropped = _match_meaning(intended, running, rest, match, taken, path, parent, book, acc)
    for i, line in enumerate(intended):
        if i not in taken:
            acc.real.append(_item("+", path, line, parent))
    aligned, formatting = _align(intended, running, match, dropped, path, book, acc)
    _order_notes(path or ("global",), match, formatting, ordered, acc)
    return aligned


def _match_text(
    intended: Sequence[Line], running: Sequence[Line]
) -> tuple[dict[int, int], set[int], list[int]]:
    """Running lines matched by their exact text: (running -> intended, taken, the rest)."""
    by_text: dict[str, list[int]] = {}
    for i, line in enumerate(intended):
        by_text.setdefault(line.text, []).append(i)
    match: dict[int, int] = {}  # running index -> intended index
    taken: set[int] = set()
    rest: list[int] = []
    for r, line in enumerate(running):
        slots = by_text.get(line.text)
        if slots:
            i = slots.pop(0)
            match[r] = i
            taken.add(i)
        else:
            rest.append(r)
    return match, taken, rest


def _match_meaning(
    intended: Sequence[Line],
    running: Sequence[Line],
    rest: Sequence[int],
    match: dict[int, int],
    taken: set[int],
    path: tuple[str, ...],
    parent: str | None,
    book: SecretBook,
    acc: _Acc,
) -> set[int]:
    """Match the `rest` by meaning (a secret by its value); return the automatic ones."""
    by_key: dict[str, list[int]] = {}
    by_loose: dict[str, list[int]] = {}
    for i in range(len(intended)):
        if i in taken:
            continue
        key = _key(intended[i].text, parent, book)
        by_key.setdefault(key, []).append(i)
        if "\x00" in key:
            by_loose.setdefault(_loose_key(key), []).append(i)
    dropped: set[int] = set()
    for r in rest:
        line = running[r]
        key = _key(line.text, parent, book)
        slots = by_key.get(key)
        if not slots and _MASKED in key:
            slots = by_loose.get(_loose_key(key))
        while slots and slots[0] in taken:  # matched already through the other map
            slots.pop(0)
        if slots:
            i = slots.pop(0)
            match[r] = i
            taken.add(i)
            note = (
                "redacted in the saved config, not compared"
                if _MASKED in key
                else "same secret, another encoding"
            )
            acc.secret_only.append(DriftItem("=", path, line.text, note, parent))
        elif is_automatic(line.text, parent, (s.text for s in intended)):
            dropped.add(r)
        else:
            acc.real.append(_item("-", path, line, parent))
    return dropped


def _align(
    intended: Sequence[Line],
    running: Sequence[Line],
    match: Mapping[int, int],
    dropped: set[int],
    path: tuple[str, ...],
    book: SecretBook,
    acc: _Acc,
) -> tuple[tuple[Line, ...], int]:
    """The running lines in intended text, compared one level down; and how many are spaced
    otherwise than their intended line."""
    aligned: list[Line] = []
    formatting = 0
    for r, line in enumerate(running):
        if r in dropped:
            continue
        i_ = match.get(r)
        if i_ is None:
            aligned.append(line)
            continue
        want = intended[i_]
        formatting += bool(want.raw and line.raw and _layout(want.raw) != _layout(line.raw))
        children = line.children
        if want.children or line.children:
            children = _compare(
                want.children,
                line.children,
                (*path, want.text),
                want.text,
                ordered_section(want.text),
                book,
                acc,
            )
        aligned.append(Line(want.text, children, line.raw))
    return tuple(aligned), formatting


def _order_notes(
    where: tuple[str, ...], match: Mapping[int, int], formatting: int, ordered: bool, acc: _Acc
) -> None:
    """Spacing is cosmetic; order is real drift only where IOS evaluates in order."""
    if formatting:
        note = f"{formatting} line{'s' if formatting > 1 else ''} spaced or indented otherwise"
        acc.cosmetic.append(DriftItem("~", where, "", note))
    order = [match[r] for r in sorted(match)]
    if order != sorted(order):
        if ordered:
            acc.real.append(DriftItem("~", where, "", "entries in another order"))
        else:
            acc.cosmetic.append(DriftItem("~", where, "", "lines in another order"))


def _layout(raw: str) -> tuple[str, bool]:
    """How a line is spaced, without its words: indentation, and any run of blanks inside.

    Two lines matched by meaning (`ppp chap password 7 0123035155` and `... 7 13061E010803`,
    a value `<redacted>` in a saved config) differ in their words, not in their spacing.
    """
    body = raw.lstrip()
    return raw[: len(raw) - len(body)], "  " in body or "\t" in body


def _acl_order(intended: Sequence[Line], running: Sequence[Line], acc: _Acc) -> None:
    """Numbered ACL entries are global lines, but their order within one list is meaning."""
    want: dict[str, list[str]] = {}
    have: dict[str, list[str]] = {}
    for lines, out in ((intended, want), (running, have)):
        for line in lines:
            number = numbered_acl(line.text)
            if number is not None:
                out.setdefault(number, []).append(line.text)
    for number, entries in want.items():
        got = have.get(number, [])
        if entries != got and sorted(entries) == sorted(got):
            acc.real.append(
                DriftItem("~", (f"access-list {number}",), "", "entries in another order")
            )


def factory_ports(lines: Sequence[Line], other: Sequence[Line]) -> tuple[Line, ...]:
    """The sections of `other` that cannot be removed and `lines` does not name, at their
    factory state (ios.names.factory_state).

    Physical ports exist whatever the config says (`% Removal of physical interfaces is
    not permitted`): one a config does not mention (a spare `BRI0/0/0`, `ATM0/0/0`,
    `Serial0/1/0`) is compared as ` shutdown` (and IOS's hidden ` no ip address`), so
    what the model does not use stays off, never `no interface ATM0/0/0` and never `no
    shutdown` on a spare WIC/HWIC port. `interface Null0` exists on every router: it is
    compared as an empty section, never removed. Subinterfaces (`ATM0/0/0.1`,
    `FastEthernet0/0.50`) are not ports: they are removed like any other section.
    """
    named = {line.text for line in lines}
    out: list[Line] = []
    for line in other:
        if line.text in named:
            continue
        factory = factory_state(line.text)
        if factory is not None:
            out.append(Line(line.text, tuple(Line(text) for text in factory)))
        elif line.text.startswith("interface ") and not is_removable(line.text):
            # a type ios.names does not know: left exactly as it is, never removed
            out.append(line)
    return tuple(out)


def compare(intended: IosConfig, running: IosConfig, book: SecretBook | None = None) -> Comparison:
    """Drift of `running` from `intended`, and both configs aligned for remediation."""
    book = book or SecretBook()
    acc = _Acc()
    want = _drop_hidden(intended.lines, None)
    have = _drop_hidden(running.lines, None)
    want += factory_ports(want, have)
    aligned = _compare(want, have, (), None, False, book, acc)
    _acl_order(want, aligned, acc)
    # A global reorder that only moves ACL entries of one list is real (above), not cosmetic.
    cosmetic = [
        c for c in acc.cosmetic if not (c.path == ("global",) and _only_acl_moves(want, aligned))
    ]
    return Comparison(
        Drift(tuple(acc.real), tuple(cosmetic), tuple(acc.secret_only)),
        IosConfig(want),
        IosConfig(aligned),
    )


def _only_acl_moves(intended: Sequence[Line], running: Sequence[Line]) -> bool:
    a = [line.text for line in intended if numbered_acl(line.text) is None]
    b = [line.text for line in running if numbered_acl(line.text) is None]
    common = set(a) & set(b)
    return [t for t in a if t in common] == [t for t in b if t in common]
