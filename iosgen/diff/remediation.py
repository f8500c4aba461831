"""The commands that take a running config to an intended one, in an order IOS survives.

hier_config 3 does the tree difference with ios.driver.HConfigDriverIOS124 (single-value
commands, short negations, named ACLs rewritten whole, as hier_config rules); the step
order reads ios.objects (what defines and names an object). What hier_config cannot
express is here (design/lessons.md):

- a numbered ACL that differs in any entry, or only in order, is rewritten:
  `no access-list 10`, then every intended entry in order, because
  `no access-list 10 permit 192.168.10.0 0.0.0.255` deletes all of list 10 on IOS
  and a new entry is always appended at the end (a named ACL likewise, from
  hier_config's sectional overwrite, typed here as one step: removal, then the list);
- dependency order: every command that creates or changes an object runs before
  every command that deletes one; among them, an object is created before what
  references it (`access-list 101` before `match ip address 101`, the route-map
  before `ip nat inside source route-map VPN ...`, the pool before
  `peer default ip address pool`), and a reference is removed before its object
  (`no ip nat inside source ... interface Dialer2 overload` before
  `no interface Dialer2`);
- in a route-map entry the new `match` is added before the old one is removed,
  so the entry never matches everything;
- a delta line negating a running line is matched back to it by the short form
  hier_config typed (`no username ivan`), so its step knows what it deletes;
- a static route whose distance changes (`ip route P M Dialer2` to `... Dialer2 250`)
  is negated first, just before its new line: `no ip route P M Dialer2` removes it
  whatever its distance, so the usual order (new line, then old negated) would leave
  no route (ios.lines.STATIC_ROUTE);
- a physical port cannot be removed (`% Removal of physical interfaces is not
  permitted`): compare.py gives the intended side an empty port, so its lines
  are negated instead.

The rollback is the same computation from intended back to running.
"""

from __future__ import annotations

import contextlib
import heapq
import ipaddress
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from iosgen.diff.compare import numbered_acl, ordered_section
from iosgen.ios.config import IosConfig, Line, list_clause
from iosgen.ios.lines import HIDDEN_DEFAULTS, STATIC_ROUTE
from iosgen.ios.objects import Obj, defined, referenced
from iosgen.ios.secrets import mask_line

# --- IOS facts: the tables are in ios/ (driver: single values and short negations; objects:
# what defines and names an object) -------------------------------------------------------

# Route-map match clauses hold lists (`match ip address 10 101`, ios.lines.LIST_VALUED):
# a value typed joins the list, `no match ip address 10` takes one value out. So a
# changed clause is typed as the values to add, then the values to take out: the
# entry never has an empty clause, i.e. never matches everything.


# --- hier_config, tuned ---------------------------------------------------------------------


def _scope(parent: str | None) -> str | None:
    return parent.split(" ", 1)[0] if parent else None


def _hconfig(lines: Iterable[Line]) -> Any:
    """An HConfig of the lines; a line repeated in one section is kept once.

    (hier_config raises DuplicateChildError on a repeated child; IOS stores the
    line once anyway.) Numbered-ACL lines are left out: iosgen rewrites them itself.
    """
    from hier_config import HConfig

    from iosgen.ios.driver import driver

    root = HConfig(driver())

    def add(parent: Any, items: Iterable[Line]) -> None:
        for line in items:
            node = parent.add_child(line.text, return_if_present=True)
            if line.children:
                add(node, line.children)

    add(root, (ln for ln in lines if numbered_acl(ln.text) is None))
    return root


# --- steps ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class Command:
    """One line to type, with its depth and its parent's text (for masking); repr masked."""

    text: str
    depth: int = 0
    parent: str | None = None

    def __repr__(self) -> str:
        return f"Command({mask_line(self.text, self.parent)!r})"

    def render(self, show_secrets: bool = False) -> list[str]:
        text = self.text if show_secrets else mask_line(self.text, self.parent)
        if "\n" in text:  # a banner is typed as the lines it prints
            return text.split("\n")
        return [" " * self.depth + text]


@dataclass(frozen=True, slots=True)
class Remediation:
    """The commands in the order to type them."""

    commands: tuple[Command, ...] = ()

    def lines(self, show_secrets: bool = False) -> list[str]:
        return [line for c in self.commands for line in c.render(show_secrets)]

    def __bool__(self) -> bool:
        return bool(self.commands)


@dataclass
class _Step:
    commands: list[Command]
    positive: bool
    defines: set[Obj]
    deletes: set[Obj]
    refs: set[Obj]
    derefs: set[Obj]


def _negation(text: str, parent: str | None) -> str:
    """`no <text>`, shortened where IOS wants the short form (ios.driver); `no X` is `X`."""
    from iosgen.ios.driver import negation

    return negation(text, (parent,) if parent else ())


def _may_undo(text: str, parent: str | None) -> bool:
    """Whether a running line may be taken away; `no X` only where X is the known default.

    Taking `no X` away types `X`. That is right for a default IOS does not print
    (`no cdp run` -> `cdp run`, ios.lines.HIDDEN_DEFAULTS), where the intended config
    means X by leaving it out; anywhere else a missing `no X` in the intended config
    is no request for X (`no ip http secure-server` dropped by a template would turn
    the HTTPS server on): the line stays, reported as drift, and nothing is typed.
    An intended X is typed as its own line.
    """
    if not text.startswith("no "):
        return True
    return (_scope(parent), text[3:]) in HIDDEN_DEFAULTS


def _unwanted_undo(
    text: str, running: Line | None, intended: Line | None, parent: str | None
) -> bool:
    """`X` computed only to undo a running `no X` the intended config does not ask to undo."""
    if running is None or f"no {text}" not in _children(running):
        return False
    if intended is not None and text in _children(intended):
        return False
    return not _may_undo(f"no {text}", parent)


def _all_refs(line: Line) -> set[Obj]:
    out = referenced(line.text)
    for child in line.children:
        out |= _all_refs(child)
    return out


def _section_commands(
    delta: Any,
    running: Line | None,
    depth: int,
    parent: str | None,
    step: _Step,
    intended: Line | None = None,
) -> None:
    """Commands for one delta section's children, list clauses merged, refs collected."""
    handled, list_commands = _list_changes(delta, running, parent)
    for child in delta.children:
        if child.text in handled or _unwanted_undo(child.text, running, intended, parent):
            continue
        text = child.text
        run_child = _find(running, text, intended)
        if run_child is not None:  # a negation of a running line (hier_config typed `no ` + it)
            if not _may_undo(run_child.text, parent):
                continue
            text = _negation(run_child.text, parent)
            step.derefs |= _all_refs(run_child)
        else:
            step.refs |= referenced(text)
        step.commands.append(Command(text, depth, parent))
        if child.children:
            sub = _find_section(running, child.text)
            want = _find_section(intended, child.text)
            _section_commands(child, sub, depth + 1, child.text, step, want)
    for command in list_commands:
        if command.startswith("no "):
            step.derefs |= referenced(command[3:])
        else:
            step.refs |= referenced(command)
        step.commands.append(Command(command, depth, parent))


def _list_changes(
    delta: Any, running: Line | None, parent: str | None
) -> tuple[set[str], list[str]]:
    """The delta lines that are list clauses, and the commands that replace them.

    hier_config sees `match ip address 10 20` against `match ip address 10` as one
    line out and one in; IOS needs the values to add (`match ip address 20`), then
    the values to take out, or `no match ip address` when the clause goes whole.
    """
    want: dict[str, list[str]] = {}
    handled: set[str] = set()
    for child in delta.children:
        negated = child.text.startswith("no ")
        clause = list_clause(child.text[3:] if negated else child.text, parent)
        if clause is None:
            continue
        handled.add(child.text)
        if not negated:
            want.setdefault(clause[0], []).extend(clause[1])
    have: dict[str, list[str]] = {}
    for line in running.children if running is not None else ():
        clause = list_clause(line.text, parent)
        if clause is not None:
            have.setdefault(clause[0], []).extend(clause[1])
    prefixes = {c[0] for t in handled if (c := list_clause(t.removeprefix("no "), parent))}
    adds: list[str] = []
    removes: list[str] = []
    for prefix in sorted(prefixes):
        wanted, had = want.get(prefix), have.get(prefix, [])
        if wanted is None:  # the clause goes whole
            removes.append(f"no {prefix.rstrip()}")
            continue
        if new := [v for v in wanted if v not in had]:
            adds.append(prefix + " ".join(new))
        if old := [v for v in had if v not in wanted]:
            removes.append(f"no {prefix}{' '.join(old)}")
    return handled, adds + removes


# Top-level sections removed without hier_config (see _steps).
_PLAIN_REMOVALS: tuple[str, ...] = ("route-map ", "interface ", "ip route ", "ip prefix-list ")


@dataclass(frozen=True, slots=True)
class _Removal:
    """A delta line made here: `no <running line>`, with no children."""

    text: str
    children: tuple[()] = ()


# The children of a Line by text and by how hier_config types their removal, per
# remediate() call and thread: a lookup per delta line must not scan the section
# (10,000 route-maps).
_LOCAL = threading.local()


@dataclass(frozen=True, slots=True)
class _Index:
    section: Line
    by_text: dict[str, Line]
    by_negation: dict[str, list[Line]]


def _build_index(section: Line) -> _Index:
    by_negation: dict[str, list[Line]] = defaultdict(list)
    parent = section.text or None
    for child in section.children:
        if not child.text.startswith("no "):
            by_negation[_negation(child.text, parent)].append(child)
    # the first one of a text wins
    return _Index(section, {c.text: c for c in reversed(section.children)}, by_negation)


def _index(section: Line) -> _Index:
    cache: dict[int, _Index] | None = getattr(_LOCAL, "index", None)
    if cache is None:
        return _build_index(section)
    hit = cache.get(id(section))
    if hit is None or hit.section is not section:
        hit = cache[id(section)] = _build_index(section)
    return hit


def _children(section: Line) -> dict[str, Line]:
    return _index(section).by_text


def _find(running: Line | None, delta_text: str, intended: Line | None) -> Line | None:
    """The running line a delta line negates (hier_config typed ios.driver.negation of it).

    Two lines may share a short negation (`username ivan ...` twice): the one negated is
    one the intended section does not have.
    """
    if running is None or not delta_text.startswith("no "):
        return None
    lines = _index(running).by_negation.get(delta_text, ())
    if len(lines) > 1 and intended is not None:
        wanted = _children(intended)
        lines = [ln for ln in lines if ln.text not in wanted] or lines
    return lines[0] if lines else None


def _find_section(running: Line | None, text: str) -> Line | None:
    if running is None:
        return None
    return _children(running).get(text)


def _acl_steps(intended: Sequence[Line], running: Sequence[Line]) -> list[_Step]:
    """Numbered ACLs whose entries differ in any way: rewritten whole (hier_config would
    negate the one entry, and `no access-list 10 permit ...` deletes all of list 10)."""
    steps: list[_Step] = []

    def numbered(lines: Sequence[Line]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for line in lines:
            if (n := numbered_acl(line.text)) is not None:
                out[n].append(line.text)
        return out

    want, have = numbered(intended), numbered(running)
    for number in [*want, *(n for n in have if n not in want)]:
        entries, got = want.get(number, []), have.get(number, [])
        if entries == got:
            continue
        obj = ("acl", number)
        if not entries:
            steps.append(
                _Step([Command(f"no access-list {number}")], False, set(), {obj}, set(), set())
            )
            continue
        commands = [Command(f"no access-list {number}")] if got else []
        commands += [Command(e) for e in entries]
        steps.append(_Step(commands, True, {obj}, set(), set(), set()))

    return steps


def _named_acl_steps(
    named: Sequence[Any], intended: Sequence[Line], running: Sequence[Line]
) -> list[_Step]:
    """Named ACLs as hier_config's sectional overwrite (ios.driver) gives them: whole.

    The delta holds `no ip access-list standard MGMT` and the whole new section for
    a changed one; one step types both, the removal first, so the list is never
    deleted after it is written. Rewrites go in the intended order, removals after.
    """
    rewrite = {c.text: c for c in named if not c.text.startswith("no ")}
    dropped = {c.text[3:] for c in named if c.text.startswith("no ")}
    steps: list[_Step] = []
    for text in dict.fromkeys(ln.text for ln in intended if ordered_section(ln.text)):
        if (section := rewrite.get(text)) is None:
            continue
        commands = [Command(f"no {text}")] if text in dropped else []
        commands.append(Command(text))
        commands += [Command(c.text, 1, text) for c in section.children]
        steps.append(_Step(commands, True, defined(text), set(), set(), set()))
    for text in dict.fromkeys(ln.text for ln in running if ordered_section(ln.text)):
        if text in dropped and text not in rewrite:
            steps.append(_Step([Command(f"no {text}")], False, set(), defined(text), set(), set()))
    return steps


def _steps(intended: IosConfig, running: IosConfig) -> list[_Step]:
    # Sections equal on both sides (most of them) cannot add to the delta: leave them
    # out of hier_config, whose trees cost more to build than the whole comparison.
    have = {ln.text: ln for ln in running.lines}
    same = {ln.text for ln in intended.lines if have.get(ln.text) == ln}
    # Sections only on the router that no intended line can replace (a route-map, an
    # interface, a static route) are plain removals: computed here, because hier_config
    # rebuilds its delta's index on each negation, quadratic in their number.
    wanted = {ln.text for ln in intended.lines}
    gone = {
        ln.text
        for ln in running.lines
        if ln.text not in wanted and ln.text.startswith(_PLAIN_REMOVALS)
    }
    delta = _hconfig(
        ln for ln in running.lines if ln.text not in same and ln.text not in gone
    ).config_to_get_to(_hconfig(ln for ln in intended.lines if ln.text not in same))
    run_root = Line("", running.lines)
    want_root = Line("", intended.lines)
    steps = _release_subnets(intended.lines, running.lines)
    steps += _acl_steps(intended.lines, running.lines)
    named = [c for c in delta.children if ordered_section(c.text.removeprefix("no "))]
    steps += _named_acl_steps(named, intended.lines, running.lines)
    order = {ln.text: i for i, ln in enumerate(running.lines)}
    negations: list[tuple[int, Any]] = [(order[t], _Removal(f"no {t}")) for t in gone]
    rest: list[Any] = []
    for child in delta.children:
        if ordered_section(child.text.removeprefix("no ")):
            continue
        run_line = _find(run_root, child.text, want_root)
        if run_line is not None:
            negations.append((order.get(run_line.text, -1), child))
        else:
            rest.append(child)
    # hier_config lists its negations first, in the router's order: so do these
    for child in [c for _i, c in sorted(negations, key=lambda x: x[0])] + rest:
        run_line = _find(run_root, child.text, want_root)
        if run_line is not None and not _may_undo(run_line.text, None):
            continue
        if _unwanted_undo(child.text, run_root, want_root, None):
            continue
        if run_line is not None:
            deletes = defined(run_line.text)
            text = _negation(run_line.text, None)
            positive = run_line.text.startswith("no ")  # `no cdp run` removed = `cdp run` typed
            commands = [Command(text)]
            if re.match(r"username \S+$", text[3:]):  # IOS drops the user's attributes too
                user = text[3:] + " autocommand "
                commands += [Command(ln.text) for ln in intended.lines if ln.text.startswith(user)]
            steps.append(_Step(commands, positive, set(), deletes, set(), _all_refs(run_line)))
            continue
        step = _Step(
            [*_clear_first(child.text, running.lines), Command(child.text)],
            True,
            defined(child.text),
            set(),
            referenced(child.text),
            set(),
        )
        if child.children:
            _section_commands(
                child,
                _find_section(run_root, child.text),
                1,
                child.text,
                step,
                _find_section(want_root, child.text),
            )
            if step.commands[-1].text == child.text and _find_section(run_root, child.text):
                continue  # every change inside was left out (above): nothing to enter
        steps.append(step)
    # An object is only deleted if the intended config has none of that name left
    # (`no route-map VPN permit 20` while `route-map VPN permit 10` stays deletes nothing).
    kept: set[Obj] = set()
    for line in intended.lines:
        kept |= defined(line.text)
    for step in steps:
        step.deletes -= kept
    return steps


_USER_KINDS = frozenset({"password", "secret"})


def _user_kind(words: Sequence[str]) -> str | None:
    return next((w for w in words[2:] if w in _USER_KINDS), None)


def _clear_first(text: str, running: Sequence[Line]) -> list[Command]:
    """`no username ivan` before `username ivan secret ...` when ivan had a `password`.

    IOS keeps one kind per user and refuses the other ("Can not have both a user
    password and a user secret") until the user is removed.
    """
    words = text.split(" ")
    if words[0] != "username" or len(words) < 3:
        return []
    for line in running:
        old = line.text.split(" ")
        if old[:2] == words[:2] and _user_kind(old) not in (None, _user_kind(words)):
            return [Command(f"no username {words[1]}")]
    return []


def _subnets(lines: Sequence[Line]) -> dict[str, ipaddress.IPv4Network]:
    """The subnet of each interface with a static `ip address A M`."""
    out: dict[str, ipaddress.IPv4Network] = {}
    for line in lines:
        if not line.text.startswith("interface "):
            continue
        for child in line.children:
            words = child.text.split(" ")
            if len(words) == 4 and words[:2] == ["ip", "address"]:
                with contextlib.suppress(ValueError):
                    out[line.text] = ipaddress.IPv4Interface(f"{words[2]}/{words[3]}").network
    return out


def _release_subnets(intended: Sequence[Line], running: Sequence[Line]) -> list[_Step]:
    """`no ip address` first on a port whose subnet another port is about to take.

    IOS refuses an address in a subnet another interface has (`% 203.0.113.4 overlaps
    with FastEthernet0/1`), so when addresses move between ports (a WAN/LAN swap) the
    port giving a subnet up is cleared before the other one is addressed.
    """
    want, have = _subnets(intended), _subnets(running)
    steps: list[_Step] = []
    for port, net in want.items():
        if have.get(port) == net:
            continue
        for other, old in have.items():
            if other != port and old.overlaps(net) and want.get(other) != old:
                steps.append(
                    _Step(
                        [Command(other), Command("no ip address", 1, other)],
                        True,
                        set(),
                        set(),
                        set(),
                        set(),
                    )
                )
    return steps


def _order(steps: list[_Step]) -> list[_Step]:
    """Creations first, then deletions; within each, dependency order, else as computed.

    A step waits for the steps that define what it references and for those that drop
    a reference to what it deletes. Among the steps free to go, the earliest computed
    goes first; in a cycle, the earliest not yet placed. Linear in steps and objects.
    """
    out: list[_Step] = []
    for phase in ([s for s in steps if s.positive], [s for s in steps if not s.positive]):
        definers: dict[Obj, list[int]] = defaultdict(list)
        dereferers: dict[Obj, list[int]] = defaultdict(list)
        for i, step in enumerate(phase):
            for obj in step.defines:
                definers[obj].append(i)
            for obj in step.derefs:
                dereferers[obj].append(i)
        waits: list[set[int]] = []
        for b, step in enumerate(phase):
            before = {a for obj in step.refs for a in definers.get(obj, ())}
            before |= {a for obj in step.deletes for a in dereferers.get(obj, ())}
            before.discard(b)
            waits.append(before)
        then: list[list[int]] = [[] for _ in phase]
        for b, before in enumerate(waits):
            for a in before:
                then[a].append(b)
        pending = [len(w) for w in waits]
        ready = [i for i, n in enumerate(pending) if n == 0]
        heapq.heapify(ready)
        done = [False] * len(phase)
        next_undone = 0
        for _ in range(len(phase)):
            while ready and done[ready[0]]:
                heapq.heappop(ready)
            if ready:
                pick = heapq.heappop(ready)
            else:  # a cycle: keep the computed order for the rest
                while done[next_undone]:
                    next_undone += 1
                pick = next_undone
            done[pick] = True
            out.append(phase[pick])
            for b in then[pick]:
                pending[b] -= 1
                if pending[b] == 0 and not done[b]:
                    heapq.heappush(ready, b)
    return out


def route_negations_first(texts: Sequence[str]) -> list[int]:
    """The order (indices into `texts`, top-level lines) with each `no ip route P M X [D]`
    moved just before the `ip route P M X ...` that replaces it.

    >>> texts = ("ip route 10.10.0.0 255.255.0.0 Dialer2 250",
    ...          "ip route 10.10.0.0 255.255.0.0 Tunnel0",
    ...          "no ip route 10.10.0.0 255.255.0.0 Dialer2",
    ...          "no ip route 10.10.0.0 255.255.0.0 Tunnel0 250")
    >>> [texts[i] for i in route_negations_first(texts)]  # doctest: +NORMALIZE_WHITESPACE
    ['no ip route 10.10.0.0 255.255.0.0 Dialer2',
     'ip route 10.10.0.0 255.255.0.0 Dialer2 250',
     'no ip route 10.10.0.0 255.255.0.0 Tunnel0 250',
     'ip route 10.10.0.0 255.255.0.0 Tunnel0']
    """
    added: dict[str, int] = {}
    negated: dict[str, list[int]] = defaultdict(list)
    for index, text in enumerate(texts):
        m = STATIC_ROUTE.match(text)
        if m is None:
            continue
        if m.group(1):
            negated[m.group(2)].append(index)
        else:
            added.setdefault(m.group(2), index)
    moved = {i for key, found in negated.items() if key in added for i in found}
    if not moved:
        return list(range(len(texts)))
    order: list[int] = []
    for index, text in enumerate(texts):
        if index in moved:
            continue
        m = STATIC_ROUTE.match(text)
        if m is not None and not m.group(1) and added.get(m.group(2)) == index:
            order += negated.get(m.group(2), [])
        order.append(index)
    return order


def remediate(intended: IosConfig, running: IosConfig) -> Remediation:
    """Commands that take `running` to `intended` (both aligned by compare.compare)."""
    _LOCAL.index = {}
    try:
        steps = _order(_steps(intended, running))
    finally:
        _LOCAL.index = None
    commands = [c for s in steps for c in s.commands]
    order = route_negations_first([c.text if c.depth == 0 else "" for c in commands])
    return Remediation(tuple(commands[i] for i in order))
