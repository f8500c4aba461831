"""Every lint rule as data: stable code, severity, one-line summary.

Codes never change meaning once published: a retired rule keeps its code
unused. IOS1xx undefined references, IOS2xx unused objects, IOS3xx NAT
structure, IOS4xx security, IOS5xx platform and design notes; SITE4xx are the PPTP/MPPE
checks made from the site model when there is no IOS config to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[Severity, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str


RULES: tuple[Rule, ...] = (
    Rule("IOS101", "error", "route-map `match ip address` names an undefined ACL or prefix-list"),
    Rule("IOS102", "error", "`ip nat ... route-map X` names an undefined route-map"),
    Rule("IOS103", "error", "`ip nat ... interface Y` names an undefined interface"),
    Rule("IOS104", "error", "`ip nat ... list N` names an undefined ACL"),
    Rule("IOS105", "error", "`dialer-group N` has no `dialer-list N`"),
    Rule("IOS106", "error", "`rotary-group N` has no `interface DialerN` with `dialer in-band`"),
    Rule(
        "IOS107", "error", "`virtual-template N` (vpdn-group, bba-group) has no Virtual-TemplateN"
    ),
    Rule("IOS108", "error", "`peer default ip address pool P` has no `ip local pool P`"),
    Rule("IOS109", "error", "static route out of an undefined interface"),
    Rule("IOS110", "error", "`ip unnumbered X` names an undefined interface"),
    Rule("IOS111", "error", "route-map `match interface X` names an undefined interface"),
    Rule("IOS112", "error", "`access-group`/`access-class` names an undefined ACL (permits all)"),
    Rule("IOS113", "error", "interface `crypto map X` names an undefined crypto map"),
    Rule("IOS114", "error", "crypto map entry `match address N` names an undefined ACL"),
    Rule("IOS115", "error", "crypto map entry `set transform-set T` names an undefined one"),
    Rule("IOS116", "error", "interface `ip inspect X in|out` has no `ip inspect name X`"),
    Rule("IOS117", "error", "`service-policy` names an undefined policy-map"),
    Rule("IOS118", "error", "`ip policy route-map X` names an undefined route-map"),
    Rule("IOS119", "error", "`ip nat ... pool P` has no `ip nat pool P`"),
    Rule("IOS120", "error", "`dialer pool N` has no member (`dialer pool-member N`, PPPoE client)"),
    Rule("IOS201", "warning", "ACL defined but never referenced"),
    Rule("IOS202", "warning", "route-map defined but never referenced"),
    Rule("IOS203", "warning", "dialer-list defined but no `dialer-group` uses it"),
    Rule("IOS204", "warning", "`ip local pool` defined but never referenced"),
    Rule("IOS301", "error", "`ip nat inside` without any `ip nat outside` interface"),
    Rule("IOS302", "error", "`ip nat outside` without any `ip nat inside` interface"),
    Rule(
        "IOS401",
        "warning",
        "PPTP vpdn-group: MS-CHAPv2 and MPPE (RC4) are broken; `iosgen migrate ... --to ipsec`",
    ),
    Rule("IOS402", "warning", "MPPE is not `required`: the link may come up unencrypted"),
    Rule("IOS403", "warning", "PPTP interface with no `ppp encrypt mppe`: traffic in clear"),
    Rule("IOS404", "warning", "type-7 secret: reversible by anyone who reads the config"),
    Rule("IOS405", "warning", "`enable password` instead of `enable secret`"),
    Rule("IOS406", "warning", "telnet allowed on vty lines"),
    Rule("IOS407", "warning", "no `ip ssh version 2`: SSH accepts version 1"),
    Rule("IOS408", "warning", "clear-text password and no `service password-encryption`"),
    Rule("IOS409", "warning", "privilege-15 user with `password` instead of `secret`"),
    Rule("IOS410", "error", "`aaa authentication login ... none` first: logins need no password"),
    Rule("IOS411", "warning", "DES (`encr des`, `esp-des`): 56-bit, broken by brute force"),
    Rule("IOS412", "warning", "ISAKMP policy with no `encr` line: IOS negotiates the DES default"),
    Rule("IOS413", "warning", "3DES (`encr 3des`, `esp-3des`) where the image offers AES"),
    Rule("IOS414", "warning", "DH group 1 or 2 (IKE, PFS or by default) where the image offers 5"),
    Rule("IOS415", "warning", "MD5 (`hash md5`, `esp-md5-hmac`) where the image offers SHA"),
    Rule("IOS416", "warning", "IKE aggressive mode: the pre-shared key can be cracked offline"),
    Rule("IOS417", "warning", "crypto map entry or ipsec profile without `set pfs`"),
    Rule("IOS418", "warning", "wildcard pre-shared key (`address 0.0.0.0 0.0.0.0`)"),
    Rule("IOS419", "warning", "transform set with no ESP encryption: traffic in clear"),
    Rule("IOS420", "info", "DH group 5 where the image offers group 14 (12.4(22)T on)"),
    Rule("IOS501", "info", "PPTP client group without `service internal`"),
    Rule("IOS502", "info", "`ip name-server` with `no ip domain lookup`: never used"),
    Rule("IOS503", "warning", "PPTP-server pool outside the subnet of the interface it borrows"),
    Rule("IOS504", "error", "IPsec lines on a feature set without crypto (not a k9 image)"),
    Rule("SITE401", "warning", "PPTP tunnel: MS-CHAPv2 and MPPE (RC4) are broken; use IPsec"),
    Rule("SITE402", "warning", "MPPE is not required: the tunnel may come up unencrypted"),
    Rule("SITE403", "warning", "PPTP tunnel without MPPE: traffic in clear"),
)

# The weak-IPsec rules of `iosgen.lint.checks.ipsec` (their tests: tests/lint/test_lint_ipsec.py).
IPSEC_CODES = frozenset({f"IOS{n}" for n in range(411, 421)} | {"IOS504"})
IPSEC_RULES: tuple[Rule, ...] = tuple(rule for rule in RULES if rule.code in IPSEC_CODES)

RULE_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
