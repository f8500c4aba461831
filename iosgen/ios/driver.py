"""IOS 12.4 (an ISR 2801) as a hier_config driver: which commands hold one value, how a
removal is typed.

hier_config's Cisco IOS driver is written for IOS-XE switches; on 12.4 routers two of
its habits break a push and two facts are missing:

- its post-load callbacks renumber named-ACL entries 10, 20, ... (12.4 shows no
  sequence numbers, so every ACL looks changed) and delete remarks: dropped;
- its per-line substitutions delete ` no ip address` and comment lines, which iosgen's
  own parser (ios.config) already handles: dropped;
- `SINGLE_VALUE`: a command that holds one value is replaced by typing the new value,
  never negated first (`ppp chap password` negated first drops a live tunnel);
- `SHORT_NEGATIONS`: a removal typed the short way IOS wants, without the secret
  (`no username ivan`, not `no username ivan password 7 0822455D0A16`);
- `REWRITTEN_WHOLE`: a named ACL that differs in any entry, or only in their order, is
  removed and typed again whole.

What hier_config cannot express (numbered ACLs rewritten whole, the order
objects are created and deleted in, list clauses, subnet release) is in
diff/remediation.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from hier_config.models import (
    IdempotentCommandsRule,
    MatchRule,
    NegationSubRule,
    SectionalOverwriteRule,
)
from hier_config.platforms.cisco_ios.driver import HConfigDriverCiscoIOS
from hier_config.platforms.driver_base import HConfigDriverRules

from iosgen.ios.lines import ORDERED_SECTIONS

# The sub-modes below a `vpdn-group`: their lines sit two levels deep.
_VPDN_SUBMODES = frozenset({"request-dialin", "accept-dialin"})


def _lineage(parent: str | None) -> tuple[MatchRule, ...]:
    """Match rules for the sections above a line: none (global), one, or vpdn-group + one."""
    if parent is None:
        return ()
    if parent in _VPDN_SUBMODES:
        return (MatchRule(startswith="vpdn-group "), MatchRule(equals=parent))
    return (MatchRule(startswith=f"{parent} "),)


def _one(parent: str | None, pattern: str) -> IdempotentCommandsRule:
    """A single-value command: `pattern`'s match (or its groups) is its identity."""
    return IdempotentCommandsRule(match_rules=(*_lineage(parent), MatchRule(re_search=pattern)))


SINGLE_VALUE: tuple[IdempotentCommandsRule, ...] = (
    _one(None, r"^hostname "),
    _one(None, r"^banner (\S+) "),  # banner motd ^C...^C: typing a new one replaces it
    # enable secret 5 $1$...  /  enable secret level 7 5 $1$...: one value per level
    _one(None, r"^(enable secret(?: level \d+)?) "),
    _one(None, r"^(enable password(?: level \d+)?) "),
    _one(None, r"^username (\S+) (?!autocommand )"),  # username ivan password 7 ...
    _one(None, r"^(username \S+ autocommand) "),  # a user's attribute: its own line
    _one(None, r"^ip domain name "),
    _one(None, r"^ip ssh version "),
    _one(None, r"^aaa session-id "),
    _one(None, r"^(aaa authentication \S+ \S+) "),
    _one(None, r"^(aaa authorization \S+ \S+) "),
    _one(None, r"^(dialer-list \d+ protocol ip) "),
    # ip nat inside source route-map VPN interface Dialer2 overload: one per name
    _one(None, r"^(ip nat inside source (?:route-map|list) \S+) "),
    _one(None, r"^(snmp-server community \S+)"),
    _one(None, r"^snmp-server location "),
    _one(None, r"^snmp-server contact "),
    _one(None, r"^logging buffered"),
    _one(None, r"^logging trap "),
    _one(None, r"^logging console"),
    _one(None, r"^scheduler allocate "),
    _one(None, r"^clock timezone "),
    _one(None, r"^(service timestamps \S+) "),
    # interface Dialer2
    _one("interface", r"^description "),
    _one("interface", r"^mtu "),
    # `ip address`, `ip address dhcp`, `ip address negotiated`, `ip unnumbered X`: one slot
    _one("interface", r"^ip (?=address |unnumbered )"),
    _one("interface", r"^ip dhcp client client-id "),
    _one("interface", r"^ip nat (?=inside$|outside$)"),
    _one("interface", r"^ip tcp adjust-mss "),
    _one("interface", r"^encapsulation "),
    _one("interface", r"^dialer idle-timeout "),
    _one("interface", r"^dialer string "),
    _one("interface", r"^dialer pool "),
    _one("interface", r"^dialer-group "),
    _one("interface", r"^peer default ip address "),
    _one("interface", r"^ppp pfc local "),
    _one("interface", r"^ppp pfc remote "),
    _one("interface", r"^ppp encrypt mppe "),
    _one("interface", r"^ppp authentication "),
    _one("interface", r"^ppp chap hostname "),
    _one("interface", r"^ppp chap password "),
    _one("interface", r"^duplex "),
    _one("interface", r"^speed "),
    # vpdn-group 2 / request-dialin
    _one("vpdn-group", r"^initiate-to "),
    _one("vpdn-group", r"^description "),
    _one("vpdn-group", r"^source-ip "),
    _one("vpdn-group", r"^local name "),
    _one("request-dialin", r"^protocol "),
    _one("request-dialin", r"^(?:rotary-group|pool-member) "),
    _one("accept-dialin", r"^protocol "),
    _one("accept-dialin", r"^virtual-template "),
    # line vty 0 4
    _one("line", r"^exec-timeout "),
    _one("line", r"^password "),
    _one("line", r"^transport input "),
    _one("line", r"^transport output "),
    _one("line", r"^privilege level "),
    _one("line", r"^login(?: |$)"),
    # archive
    _one("archive", r"^path "),
    _one("archive", r"^maximum "),
    _one("archive", r"^time-period "),
    _one("route-map", r"^description "),
    _one("route-map", r"^set ip next-hop "),
    _one("route-map", r"^set interface "),
)


def _short(parent: str | None, keep: str) -> NegationSubRule:
    """A removal typed as `no ` + what `keep` matches at the start of the line."""
    return NegationSubRule(
        match_rules=(*_lineage(parent), MatchRule(re_search=f"^{keep}")),
        search=f"(?s)^no ({keep}).*",
        replace=r"no \1",
    )


SHORT_NEGATIONS: tuple[NegationSubRule, ...] = (
    _short(None, r"username \S+ autocommand"),
    _short(None, r"username \S+"),  # no username ivan
    _short(None, r"enable (?:secret|password)(?: level \d+)?"),  # no enable secret level 7
    _short(None, r"snmp-server community \S+"),
    _short(None, r"access-list \d+"),  # deletes the whole list anyway
    _short(None, r"banner \S+"),
    _short(None, r"(?:tacacs|radius)-server key"),
    _short("interface", r"description"),
    _short("interface", r"ip address(?= )"),
    _short("interface", r"ppp chap password"),  # no ppp chap password
    _short("interface", r"ppp pap sent-username"),
    _short("interface", r"l2tp tunnel password"),
    _short("vpdn-group", r"l2tp tunnel password"),
    _short("vpdn-group", r"description"),
    _short("line", r"password"),
    _short("line", r"exec-timeout"),
    _short("route-map", r"description"),
)


REWRITTEN_WHOLE: tuple[SectionalOverwriteRule, ...] = (
    SectionalOverwriteRule(match_rules=(MatchRule(startswith=ORDERED_SECTIONS),)),
)


class HConfigDriverIOS124(HConfigDriverCiscoIOS):
    """IOS 12.4 on an ISR 2801: iosgen's rules as hier_config data (1-space indents)."""

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        base = HConfigDriverCiscoIOS._instantiate_rules()
        return base.model_copy(
            update={
                "indentation": 1,
                "post_load_callbacks": [],
                "per_line_sub": [],
                "negation_sub": [*base.negation_sub, *SHORT_NEGATIONS],
                "sectional_overwrite": [*base.sectional_overwrite, *REWRITTEN_WHOLE],
                "idempotent_commands": [*base.idempotent_commands, *SINGLE_VALUE],
            }
        )


@cache
def driver() -> HConfigDriverIOS124:
    """The one driver instance (its rules are read-only)."""
    return HConfigDriverIOS124()


def _is_match(rule: MatchRule, text: str) -> bool:
    """hier_config's `HConfigChild.is_match`, for a line that is not in a tree."""
    if isinstance(rule.equals, str) and text != rule.equals:
        return False
    if isinstance(rule.equals, frozenset) and text not in rule.equals:
        return False
    if rule.startswith is not None and not text.startswith(rule.startswith):
        return False
    if rule.endswith is not None and not text.endswith(rule.endswith):
        return False
    if isinstance(rule.contains, str) and rule.contains not in text:
        return False
    if isinstance(rule.contains, tuple) and not any(c in text for c in rule.contains):
        return False
    return rule.re_search is None or re.search(rule.re_search, text) is not None


@cache
def _short_rules() -> dict[int, tuple[tuple[NegationSubRule, re.Pattern[str]], ...]]:
    """SHORT_NEGATIONS by depth, each with its line's regex compiled (25,000 lines)."""
    out: dict[int, list[tuple[NegationSubRule, re.Pattern[str]]]] = {}
    for rule in SHORT_NEGATIONS:
        line = rule.match_rules[-1]
        assert line.re_search is not None and line.startswith is None  # as _short makes them
        out.setdefault(len(rule.match_rules), []).append((rule, re.compile(line.re_search)))
    return {depth: tuple(rules) for depth, rules in out.items()}


def negation(text: str, parents: Sequence[str] = ()) -> str:
    """How to type the removal of `text` under `parents`: hier_config's negate(), on text.

    `no X` is undone by typing `X`; a line with a short form loses what IOS does not
    need; any other line gets `no ` in front.

    >>> negation("username ivan privilege 15 secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0")
    'no username ivan'
    >>> negation("ppp chap password 7 0822455D0A16", ["interface Dialer2"])
    'no ppp chap password'
    >>> negation("mtu 1400", ["interface Dialer2"])
    'no mtu 1400'
    >>> negation("no cdp run")
    'cdp run'
    """
    if text.startswith("no "):
        return text[3:]
    for rule, regex in _short_rules().get(len(parents) + 1, ()):
        if regex.search(text) and all(map(_is_match, rule.match_rules, parents)):
            return re.sub(rule.search, rule.replace, f"no {text}")
    return f"no {text}"
