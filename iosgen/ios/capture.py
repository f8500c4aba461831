"""What an operator saved, turned into the config `show running-config` prints.

A saved config comes in three shapes, and every stage that reads one (diff, audit,
compare, remediation, lint, import) goes through `running_config_text` or
`config_lines` first:

- as `show running-config` prints it (indented, one space per sub-mode level);
- a terminal capture of that: prompt lines (`R1#show run`, a trailing `Router#`),
  `Building configuration...`, `Current configuration : 1602 bytes`;
- as typed at the config prompt: unindented, with `conf t`, `exit`, `end`, `wr`,
  maybe with the prompts (`R1(config-if)#ip address ...`).

The first two differ only in lines that are not configuration, dropped here. The
typed shape is re-indented by the command modes of IOS (`MODES`): a line belongs to
the open sub-mode if it is one of that mode's commands, else it is a global command
(IOS itself parses a line in the current mode first, then in its parents: Cisco IOS
Configuration Fundamentals, "Using the Cisco IOS Command-Line Interface", command
modes). A line that is neither, the typed config is refused at that line rather
than guessed (`CaptureError`, its secret masked): remediation typed from a wrong
guess would take lines out of the router that belong to it.

A text that is no IOS config (empty, binary, a YAML or JSON file) is refused too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from iosgen.ios.config import BANNER_RE, ConfigTextError
from iosgen.ios.dialogs import PROMPT
from iosgen.ios.names import canonical_name
from iosgen.ios.secrets import redact_line

_PROMPT_RE = re.compile("^" + PROMPT + r"[ \t]?(?P<rest>.*)$")

# Lines a terminal prints around a config that are not part of it (ios-reference §2.1).
CAPTURE_NOISE: tuple[str, ...] = (
    "Building configuration...",
    "Current configuration :",  # Current configuration : 1602 bytes
    "Using ",  # show startup-config: Using 1449 out of 196600 bytes
    "Enter configuration commands, one per line.",  # what `configure terminal` answers
    "[OK]",  # what `write memory` answers
    "Destination filename [startup-config]?",  # `copy running-config startup-config`
)

# Typed at the exec prompt: they enter or leave config mode, or save it; never config.
_CONFIGURE_RE = re.compile(
    r"^conf(?:i(?:g(?:u(?:r(?:e)?)?)?)?)?(?: t(?:e(?:r(?:m(?:i(?:n(?:a(?:l)?)?)?)?)?)?)?)?$"
)
# What IOS answers `banner motd ^C` typed alone: "Enter TEXT message.  End with the
# character '^C'." (not banner text; `^C` is printed as the one character it stands for)
_ASKED = re.compile(r"^Enter TEXT message\.\s+End with the character '.+'\.$")

# Exec commands typed inside a config session: saving it, or `do` anything.
_EXEC_RE = re.compile(
    r"^(?:do .*|wr(?:i(?:t(?:e)?)?)?(?: mem(?:ory)?)?|copy run\S* start\S*|sh(?:o(?:w)?)? .*"
    # config-mode commands that act once and are never printed: the RSA key is made and
    # kept outside the config (Cisco IOS Security Command Reference, crypto key generate
    # rsa); a trustpoint is authenticated and enrolled
    r"|crypto key (?:generate|zeroize) .*|crypto (?:pki|ca) (?:authenticate|enroll) .*)$"
)
# `crypto key generate rsa` without `modulus N` asks "How many bits in the modulus
# [512]: " and the next line typed is the answer (`1024`), no config either.
_ASKS_MODULUS = re.compile(r"^crypto key generate rsa(?!.* modulus \d+)")
_ANSWER = re.compile(r"^\d+$")
# The commands whose output is the config: `show running-config`, `sh run`, `more
# system:running-config`, `show startup-config`.
_SHOW_RUN_RE = re.compile(
    r"^(?:sh(?:o(?:w)?)? (?:run\S*|start\S*|conf\S*)"
    r"|more (?:system:running-config|nvram:startup-config))(?: .*)?$"
)
_END = "end"
_EXIT = "exit"


def _alt(*words: str) -> re.Pattern[str]:
    """One anchored regex for a command list; each entry matches itself or its `no` form."""
    return re.compile(r"^(?:no |default )?(?:" + "|".join(words) + r")(?:\s|$)")


# --- the command modes IOS 12.4 prints (as typed, by their first words) -----------------
# A command list names commands by their first words; `\S+` stands for a name or number.


@dataclass(frozen=True, slots=True)
class Mode:
    """A sub-mode: the header that enters it and the commands typed in it."""

    name: str
    header: re.Pattern[str]
    commands: re.Pattern[str]
    modes: tuple[Mode, ...] = ()  # the sub-modes it opens (`vpdn-group` / `request-dialin`)


# `ip ...` on an interface; `ip dhcp pool`, `ip pim rp-address`, `ip nat inside source`
# are global, so each entry names exactly what the interface takes.
_IF_IP = (
    r"ip (?:address|unnumbered|access-group|helper-address|nat (?:inside|outside)$"
    r"|inspect \S+ (?:in|out)$|virtual-reassembly|mtu|tcp adjust-mss|policy route-map"
    r"|flow (?:ingress|egress)|route-cache|redirects|unreachables|proxy-arp|directed-broadcast"
    r"|mroute-cache|accounting|dhcp (?:client|relay|smart-relay)|verify|wccp \S+ redirect"
    r"|wccp redirect|nhrp|split-horizon|summary-address|rip|authentication|hello-interval"
    r"|hold-time|multicast (?:boundary|ttl-threshold|helper-map)|load-sharing"
    r"|ips \S+ (?:in|out)$|auth-proxy \S+$|admission \S+$"
    r"|nbar protocol-discovery|cgmp|sap|irdp|mask-reply|information-reply|local-proxy-arp"
    r"|bandwidth-percent|pim (?:sparse-mode|dense-mode|sparse-dense-mode|passive|nbma-mode"
    r"|dr-priority|query-interval|bsr-border|neighbor-filter|version)"
    r"|igmp (?:version|join-group|static-group|query-interval|access-group|helper-address)"
    r"|ospf (?!name-lookup))"
)
_IF_IPV6 = (
    r"ipv6 (?:address|enable|mtu|nd|ospf|dhcp (?:server|client|relay)|tcp adjust-mss"
    r"|traffic-filter|unnumbered|rip|eigrp|pim|mld|redirects|unreachables|verify|policy"
    r"|inspect|virtual-reassembly|flow)"
)
_IF_COMMANDS = _alt(
    _IF_IP,
    _IF_IPV6,
    "description",
    "shutdown",
    "duplex",
    "speed",
    "full-duplex",
    "half-duplex",
    "encapsulation",
    "ppp",
    "dialer",
    "dialer-group",
    "bandwidth",
    "delay",
    "mtu",
    "clock rate",  # `clock timezone` is global
    "standby",
    "vrrp",
    r"cdp (?:enable|log|tlv)",  # `cdp run`, `cdp timer` are global
    "keepalive",
    "hold-queue",
    "load-interval",
    "carrier-delay",
    "service-policy",
    "switchport",
    r"spanning-tree (?:portfast|bpduguard|bpdufilter|cost|port-priority|guard|link-type)",
    "channel-group",
    "tunnel",
    "peer",
    "pppoe",
    "pppoe-client",
    r"crypto map \S+$",  # the interface takes one map; `crypto map M 10 ...` is global
    "crypto ipsec client ezvpn",
    "dsl",
    "atm",
    "bundle-enable",
    "max-reserved-bandwidth",
    "fair-queue",
    "service-module",
    "ospfv3",
    "zone-member",
    "mac-address",
    "media-type",
    "bridge-group",
    "ntp (?:disable|broadcast|multicast)",
    "mop",
    r"arp (?:timeout|arpa|probe|snap)",  # `arp 192.0.2.1 0000.0c00.0001 arpa` is global
    "snmp trap",
    "logging event",
    "autodetect",
    "negotiation",
    "xconnect",
    "frame-relay",
    "framing",
    "linecode",
    "invert",
    "physical-layer",
    "priority-queue",
    "qos",
    "random-detect",
    "tx-ring-limit",
    "ssid",
    "encryption",
    "station-role",
    "channel",
    "power",
    "antenna",
    "world-mode",
    "beacon",
    "pvc",
    "isdn",
    "custom-queue-list",
    "priority-group",
    "vlan-id",
    "compress",
    "timeout absolute",
    "authentication",
    r"lldp (?:transmit|receive)",  # `lldp run` is global
)
_PVC = Mode(
    "pvc",
    _alt(r"pvc(?: \S+)? \d+/\d+"),
    _alt(
        "protocol",
        "dialer pool-member",
        "vbr-nrt",
        "vbr-rt",
        "ubr",
        "cbr",
        "encapsulation",
        "oam",
        "oam-pvc",
        "pppoe-client",
        "pppoe",
        "inarp",
        "tx-ring-limit",
        "service-policy",
        "vc-hold-queue",
    ),
)
_POLICE = Mode(
    "police",
    _alt("police"),
    _alt("conform-action", "exceed-action", "violate-action"),
)
_PM_CLASS = Mode(
    "policy-map class",
    _alt("class"),
    _alt(
        "bandwidth",
        "priority",
        "set",
        "shape",
        "service-policy",
        "fair-queue",
        "queue-limit",
        "random-detect",
        "drop",
        "compress",
        "inspect",
        "pass",
        "log",
    ),
    (_POLICE,),
)
_DIALIN = _alt("protocol", "pool-member", "rotary-group", "virtual-template", "domain")
_ROUTER = _alt(
    "network",
    "router-id",
    "passive-interface",
    "log-adjacency-changes",
    "default-information",
    "redistribute",
    "area",
    "auto-summary",
    "version",
    "neighbor",
    "distance",
    "default-metric",
    "timers",
    "maximum-paths",
    "summary-address",
    "distribute-list",
    "offset-list",
    "bgp",
    "eigrp",
    "metric",
    "variance",
    "traffic-share",
    "ispf",
    "compatible",
    "capability",
    "max-metric",
    "auto-cost",
    "nsf",
    "synchronization",
    "shutdown",
    "validate-update-source",
    "output-delay",
    "flash-update-threshold",
    "table-map",
)
_CERTIFICATE = Mode(
    "certificate",
    _alt("certificate"),
    re.compile(r"^(?:[0-9A-Fa-f]{2,8}(?: [0-9A-Fa-f]{2,8})*|quit)$"),
)
_KEY = Mode("key", _alt(r"key \d+"), _alt("key-string", "accept-lifetime", "send-lifetime"))
_IKEV2_PEER = Mode(
    "ikev2 peer",
    _alt("peer"),
    _alt("address", "pre-shared-key", "identity", "hostname", "description"),
)
# archive / log config takes `logging enable|size N|persistent`; `logging 192.0.2.9` is global
_LOG_CONFIG = Mode(
    "log config",
    _alt("log config"),
    _alt(r"logging (?:enable|size|persistent)", "hidekeys", "notify", "record"),
)

MODES: tuple[Mode, ...] = (
    Mode("interface", _alt("interface"), _IF_COMMANDS, (_PVC,)),
    Mode(
        "line",
        _alt("line"),
        _alt(
            "access-class",
            "authorization",
            "accounting",
            "exec-timeout",
            "exec",
            "exec prompt",
            "flowcontrol",
            "history",
            "ipv6 access-class",
            "logging synchronous",
            # `login block-for`, `login on-failure` are global
            r"login(?: local| authentication \S+)?$",
            "logout-warning",
            "activation-character",
            "modem",
            "password",
            "privilege level",
            "stopbits",
            "transport",
            "speed",
            "databits",
            "parity",
            "session-timeout",
            "absolute-timeout",
            "escape-character",
            "autoselect",
            "autocommand",
            "rotary",
            "length",
            "width",
            "terminal-type",
            "location",
            "motd-banner",
            "exec-banner",
            "vacant-message",
            "international",
            "monitor",
            "notify",
            "timeout login",
        ),
    ),
    Mode("router", _alt("router", r"ipv6 router"), _ROUTER),
    Mode(
        "access-list",
        _alt(r"ip access-list (?:standard|extended)", r"ipv6 access-list"),
        _alt(r"(?:\d+ )?(?:permit|deny|remark|evaluate|dynamic)", "sequence"),
    ),
    Mode(
        "dhcp pool",
        _alt(r"ip dhcp pool", r"ipv6 dhcp pool"),
        _alt(
            "network",
            "default-router",
            "dns-server",
            "domain-name",
            "lease",
            "netbios-name-server",
            "netbios-node-type",
            "option",
            "host",
            "hardware-address",
            "client-identifier",
            "client-name",
            "import",
            "bootfile",
            "next-server",
            "utilization",
            "update",
            "relay",
            "origin",
            "address prefix",
            "prefix-delegation",
        ),
    ),
    Mode(
        "vpdn-group",
        _alt("vpdn-group"),
        _alt(
            "initiate-to",
            "local name",
            "l2tp",
            "pptp",
            "source-ip",
            "terminate-from",
            "lcp renegotiation",
            "ip pmtu",
            "ip mtu",
            "ip tos",
            "force-local-chap",
            "authen",
            "description",
        ),
        (
            Mode("request-dialin", _alt("request-dialin"), _DIALIN),
            Mode("accept-dialin", _alt("accept-dialin"), _DIALIN),
        ),
    ),
    Mode("class-map", _alt("class-map"), _alt("match", "description")),
    Mode("policy-map", _alt("policy-map"), _alt("description"), (_PM_CLASS,)),
    Mode("route-map", _alt("route-map"), _alt("match", "set", "description", "continue")),
    Mode(
        "archive",
        _alt("archive"),
        _alt("path", "maximum", "write-memory", "time-period"),
        (_LOG_CONFIG,),
    ),
    # `aaa attribute list shumen` / ` attribute type addr 10.10.255.254 service ppp
    # protocol ip` (Cisco's Local AAA Server guide; docs/head-office.md)
    Mode("aaa attribute list", _alt(r"aaa attribute list"), _alt("attribute type")),
    Mode(
        "isakmp policy",
        _alt(r"crypto isakmp policy"),
        _alt("encr", "encryption", "hash", "authentication", "group", "lifetime"),
    ),
    Mode(
        "isakmp client group",
        _alt(r"crypto isakmp client configuration group"),
        _alt(
            r"key (?:[0-9] )?\S+$",  # one word: `key chain EIGRP` is global
            "dns",
            "wins",
            "domain",
            "pool",
            "acl",
            "save-password",
            "include-local-lan",
            "netmask",
            "max-users",
            "max-logins",
            "firewall",
            "split-dns",
            "backup-gateway",
            "pfs",
            "dhcp",
        ),
    ),
    Mode("transform-set", _alt(r"crypto ipsec transform-set"), _alt("mode")),
    Mode(
        "crypto map",
        _alt(r"crypto map \S+ \d+"),
        _alt("set", "match address", "description", "reverse-route", "qos"),
    ),
    # `crypto dynamic-map DYN 10` takes what a crypto map entry takes, less `set peer`
    # being required (Cisco IOS Security Command Reference, crypto dynamic-map)
    Mode(
        "crypto dynamic-map",
        _alt(r"crypto dynamic-map \S+ \d+"),
        _alt("set", "match address", "description", "reverse-route"),
    ),
    # `crypto ipsec profile P` (`(ipsec-profile)#`): set transform-set / pfs /
    # security-association lifetime / identity (VTI, 12.3(14)T on)
    Mode("ipsec profile", _alt(r"crypto ipsec profile"), _alt("set", "description")),
    Mode(
        "isakmp profile",
        _alt(r"crypto isakmp profile"),
        _alt(
            "match identity",
            "keyring",
            "self-identity",
            "keepalive",
            "virtual-template",
            "initiate mode",
            "client",
            "isakmp authorization",
            "local-address",
            "vrf",
            "description",
            "ca trust-point",
        ),
    ),
    Mode("isakmp peer", _alt(r"crypto isakmp peer"), _alt("set", "description")),
    Mode(
        "keyring",
        _alt(r"crypto keyring"),
        _alt("pre-shared-key", "local-address", "description"),
    ),
    Mode(
        "ezvpn",
        _alt(r"crypto ipsec client ezvpn \S+$"),
        _alt("connect", "group", "peer", "mode", "username", "xauth", "virtual-interface"),
    ),
    Mode("ikev2 keyring", _alt(r"crypto ikev2 keyring"), _alt(), (_IKEV2_PEER,)),
    Mode(
        "ikev2",
        _alt(r"crypto ikev2 (?:proposal|policy|profile)"),
        _alt(
            "encryption",
            "integrity",
            "group",
            "proposal",
            "match",
            "identity",
            "authentication",
            "keyring",
            "lifetime",
            "dpd",
            "aaa",
            "virtual-template",
            "description",
        ),
    ),
    Mode(
        "trustpoint",
        _alt(r"crypto pki trustpoint"),
        _alt(
            "enrollment",
            "revocation-check",
            "rsakeypair",
            "subject-name",
            "serial-number",
            "ip-address",
            "fqdn",
            "auto-enroll",
            "crl",
        ),
    ),
    Mode("certificate chain", _alt(r"crypto pki certificate chain"), _alt(), (_CERTIFICATE,)),
    Mode("key chain", _alt(r"key chain"), _alt(), (_KEY,)),
    # 15.x prints ` vstack` (the Smart Install client) under control-plane
    Mode("control-plane", _alt("control-plane"), _alt("service-policy", "vstack")),
    Mode(
        "bba-group",
        _alt(r"bba-group"),
        _alt("virtual-template", "sessions", "session", "pado", "service"),
    ),
    Mode(
        "l2tp-class",
        _alt("l2tp-class"),
        _alt("authentication", "password", "hello", "hostname", "receive-window", "retransmit"),
    ),
    Mode(
        "ip sla",
        _alt(r"ip sla \d+$", r"ip sla monitor \d+$"),
        _alt("icmp-echo", "type", "frequency", "timeout", "threshold", "tag", "udp-jitter"),
    ),
    Mode(
        "dot11 ssid",
        _alt(r"dot11 ssid"),
        _alt("authentication", "wpa-psk", "guest-mode", "vlan", "infrastructure-ssid", "mbssid"),
    ),
    Mode("vrf", _alt(r"ip vrf"), _alt("rd", "route-target", "description")),
    Mode(
        "zone", _alt(r"zone security", r"zone-pair security"), _alt("description", "service-policy")
    ),
    Mode("redundancy", _alt("redundancy"), _alt("mode", "main-cpu")),
    Mode("gatekeeper", _alt("gatekeeper"), _alt("shutdown", "zone", "gw-type-prefix")),
    Mode(
        "dial-peer",
        _alt(r"dial-peer voice"),
        _alt(
            "destination-pattern",
            "session",
            "port",
            "codec",
            "incoming",
            "forward-digits",
            "description",
            "dtmf-relay",
            "vad",
            "preference",
            "translation-profile",
        ),
    ),
    Mode("voice-card", _alt("voice-card"), _alt("dspfarm", "codec", "ds0-group")),
    Mode("mgcp profile", _alt(r"mgcp profile"), _alt("max1", "max2", "timeout", "package")),
)

# Global commands (config mode), by their first words: a typed line outside every mode
# must be one of them, and in a mode a line that is not the mode's is one of them.
GLOBAL_COMMANDS = _alt(
    "aaa",
    "access-list",
    "alias",
    "banner",
    "boot",
    "boot-start-marker",
    "boot-end-marker",
    "cdp",
    "clock",
    "config-register",
    "crypto",
    "dialer-list",
    "dialer",
    "dot11",
    "enable",
    "errdisable",
    "file",
    "hostname",
    "ip",
    "ipv6",
    "license",
    "logging",
    "login",
    "memory",
    "memory-size",
    "multilink",
    "network-clock-participate",
    "ntp",
    "privilege",
    "resource",
    "scheduler",
    "security",
    "service",
    "snmp-server",
    "spd",
    "tacacs-server",
    "radius-server",
    "upgrade",
    "username",
    "version",
    "vpdn",
    "vtp",
    "vlan",
    "cts",
    "archive",
    "mgcp",
    "voice-card",
    "voice",
    "dial-peer",
    "gatekeeper",
    "track",
    "event",
    "parameter-map",
    "kron",
    "ppp",
    "chat-script",
    "virtual-profile",
    "xconnect",
    "mac-address-table",
    "spanning-tree",
    "port-channel",
    "default-value",
    "exception",
    "call",
    "sccp",
    "telephony-service",
    "stcapp",
    "appfw",
    "class-map",
    "policy-map",
    "route-map",
    "vpdn-group",
    "bba-group",
    "l2tp-class",
    "key",
    "control-plane",
    "interface",
    "line",
    "router",
    "redundancy",
    "zone",
    "zone-pair",
    "object-group",
    "template",
    "sdm",
    "wsma",
    "vstack",
    "end",
)


class CaptureError(ConfigTextError):
    """A saved text that is no config IOS prints, or a typed config this module cannot read."""


def saved_config_text(text: str, source: str = "running config") -> str:
    """`config_lines` joined with each line that is not config made a `!`: the config, at
    the line numbers of the file it came from (for a parser that reports lines)."""
    return "\n".join("!" if line is None else line for line in config_lines(text, source))


def running_config_text(text: str, source: str = "running config") -> str:
    """The config of a saved text, as `show running-config` prints it (see module doc).

    >>> running_config_text("R1#sh run\\nBuilding configuration...\\nhostname R1\\nend\\nR1#")
    'hostname R1'
    >>> typed = "conf t\\ninterface Fa0/0\\nip address dhcp\\nexit\\nip cef\\nend\\nwr"
    >>> print(running_config_text(typed))
    interface FastEthernet0/0
     ip address dhcp
    ip cef
    >>> running_config_text("hostname: R1\\n", "site.yaml")
    Traceback (most recent call last):
    ...
    iosgen.ios.capture.CaptureError: site.yaml:1:1: looks like YAML or JSON (`hostname: R1`), ...
    """
    return "\n".join(line for line in config_lines(text, source) if line is not None)


def config_lines(text: str, source: str = "running config") -> list[str | None]:
    """One entry per line of `text`: the config line (indented as IOS prints it), or None
    for a line that is not config. Line numbers of findings stay those of the file."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    _refuse_binary(text, source)
    lines = _strip_capture(raw)
    if not any(line is not None and line.strip() and line.strip()[0] != "!" for line in lines):
        raise CaptureError(source, 1, 1, "no configuration lines: not an IOS config")
    _refuse_foreign(lines, source)
    if _is_typed(lines):
        return _reindent(lines, source, _at_global_prompt(raw))
    return lines


def _at_global_prompt(raw: Sequence[str]) -> frozenset[int]:
    """The lines typed at `R1(config)#`: IOS was in global config mode when they came,
    whatever section the lines before them opened (0-based indexes)."""
    out = set()
    for index, line in enumerate(raw):
        match = _PROMPT_RE.match(line) if line[:1] not in (" ", "\t") else None
        if match is not None and match["mode"] == "config":
            out.add(index)
    return frozenset(out)


def _refuse_binary(text: str, source: str) -> None:
    """IOS configs are text: no NUL, and mostly UTF-8 (a banner may hold a few odd bytes)."""
    for bad, why in (("\x00", "binary data (a NUL byte)"), ("\ufffd", "binary data (not UTF-8)")):
        at = text.find(bad)
        if at < 0 or (bad == "\ufffd" and text.count(bad) * 100 <= len(text)):
            continue
        line = text.count("\n", 0, at) + 1
        raise CaptureError(
            source, line, at - (text.rfind("\n", 0, at) + 1) + 1, f"{why}: not an IOS config"
        )


def _strip_capture(raw: Sequence[str]) -> list[str | None]:
    """Prompts, headers and exec commands become None; the config after a prompt is kept.

    Which lines are config: with `configure terminal` in the text (a typed session),
    those from it to `end`; else (a saved `show running-config`) all of them, or, in a
    capture of several commands, the output of `R1#show running-config` only.
    """
    commands = [_exec_command(line) for line in raw]
    typed = any(
        _is_configure(line.strip() if c is None else c)
        for line, c in zip(raw, commands, strict=True)
    )
    in_config = not typed and not any(c is not None and _SHOW_RUN_RE.match(c) for c in commands)
    out: list[str | None] = []
    banner: str | None = None
    answer = False  # the line after `crypto key generate rsa` may answer its question
    for line, command in zip(raw, commands, strict=True):
        if answer and line.strip():
            answer = False
            if _ANSWER.match(line.strip()):
                out.append(None)
                continue
        if banner is not None:  # banner text is kept as it is, whatever it says
            if out[-1] is not None and out[-1].startswith("banner ") and _ASKED.match(line):
                # the question, not text: the banner starts on its line (no `!` within)
                out[-1:] = [None, out[-1]]
                continue
            out.append(line)
            banner = None if banner in line else banner
            continue
        if command is not None:  # `R1#show run`, `R1#conf t`, a bare `Router#`, `R1>en`
            if command:
                in_config = _is_configure(command) or _SHOW_RUN_RE.match(command) is not None
            out.append(None)
            continue
        prompt = _PROMPT_RE.match(line) if line[:1] not in (" ", "\t") else None
        if prompt is not None:  # `R1(config-if)#ip address dhcp`: the line typed
            line = prompt["rest"].strip()
            in_config = True
        stripped = line.strip()
        if _is_configure(stripped):
            in_config = True
            out.append(None)
        elif not in_config or stripped.startswith(CAPTURE_NOISE) or _exec_line(line):
            answer = in_config and _ASKS_MODULUS.match(stripped) is not None
            out.append(None)
        elif stripped == _END and line == stripped:
            # after `end` a typed session is at the exec prompt, until `configure terminal`
            in_config = not typed
            out.append(None)
        else:
            out.append(line)
            match = BANNER_RE.match(stripped) if stripped.startswith("banner ") else None
            if match and match["delim"] not in match["rest"]:
                banner = match["delim"]
    return out


def _exec_command(line: str) -> str | None:
    """The command after an exec prompt (`R1#sh run`: `sh run`; `Router#`: ""), else None."""
    if line[:1] in (" ", "\t"):
        return None
    match = _PROMPT_RE.match(line.strip())
    return match["rest"].strip() if match is not None and not match["mode"] else None


def _exec_line(line: str) -> bool:
    """`wr`, `do show ip route`: typed at the top level only (IOS prints them nowhere)."""
    return line[:1] not in (" ", "\t") and _EXEC_RE.match(line.strip()) is not None


def _is_configure(stripped: str) -> bool:
    return stripped.startswith("conf") and _CONFIGURE_RE.match(stripped) is not None


def _refuse_foreign(lines: Sequence[str | None], source: str) -> None:
    """A YAML or JSON file is not a config: IOS commands never end their first word in `:`."""
    for number, line in enumerate(lines, 1):
        if line is None or not line.strip() or line[:1] in (" ", "\t", "!", "#"):
            continue  # `#`: a YAML (or shell) comment, no IOS line; the next line tells
        first = line.split()[0]
        if first.endswith(":") or first in ("---", "-", "{", "[") or first[0] in "{[\"'":
            shown = redact_line(line.strip())
            raise CaptureError(
                source, number, 1, f"looks like YAML or JSON (`{shown}`), not an IOS config"
            )
        return


def _is_typed(lines: Sequence[str | None]) -> bool:
    """Typed, not printed: no line is indented, and a sub-mode header is there to nest under.

    A config of global lines only is the same typed or printed: it is kept as it is.
    """
    banner: str | None = None
    header = False
    for line in lines:
        if line is None or not line.strip():
            continue
        if banner is not None:
            banner = None if banner in line else banner
            continue
        if line[:1] in (" ", "\t"):
            return False
        text = " ".join(line.split())
        header = header or any(mode.header.match(text) for mode in MODES)
        match = BANNER_RE.match(text) if text.startswith("banner ") else None
        if match and match["delim"] not in match["rest"]:
            banner = match["delim"]
    return header


def _reindent(
    lines: Sequence[str | None], source: str, at_global: frozenset[int] = frozenset()
) -> list[str | None]:
    """Each typed line at the depth of the mode IOS would type it in (module doc);
    a line in `at_global` was typed at the global config prompt."""
    out: list[str | None] = []
    stack: list[Mode] = []  # the open modes, outermost first
    banner: str | None = None
    for number, line in enumerate(lines, 1):
        if banner is not None:
            out.append(line)
            banner = None if line is not None and banner in line else banner
            continue
        if line is None or not line.strip() or line[0] == "!":
            out.append(line)
            continue
        text = typed_in_full(" ".join(line.split()))
        if number - 1 in at_global:
            stack.clear()
        if text == _EXIT:
            if stack:
                stack.pop()
            out.append(None)
            continue
        where = f"`{stack[-1].name}` mode" if stack else "global config mode"
        depth = _place(text, stack)
        if depth is None:
            raise CaptureError(
                source,
                number,
                1,
                f"typed config: `{redact_line(text)}` is not a command iosgen knows in "
                f"{where} nor a global one; save the config as `show running-config` "
                "prints it (indented)",
            )
        out.append(" " * depth + text)
        match = BANNER_RE.match(text) if depth == 0 and text.startswith("banner ") else None
        if match and match["delim"] not in match["rest"]:
            banner = match["delim"]
    return out


# What operators type for the commands IOS then prints in full (IOS takes any unique
# prefix of a keyword, and NVGEN prints the full form, ios-reference §2.3): read from
# the typed public configs in tests/foreign/ and the lint cases (`int g1/0`, `no shut`,
# `ip add 192.168.1.1 255.255.255.0`).
TYPED_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("int", "interface"),
    ("inter", "interface"),
    ("interf", "interface"),
    ("no shut", "no shutdown"),
    ("no shu", "no shutdown"),
    ("shut", "shutdown"),
    ("ip add", "ip address"),
    ("ip addr", "ip address"),
    ("desc", "description"),
    ("descr", "description"),
    ("enc", "encapsulation"),
    ("encap", "encapsulation"),
    ("ip nat ins", "ip nat inside"),
    ("ip nat out", "ip nat outside"),
    # the older or longer spelling typed, the one 12.4 prints (ios-reference §2.2:
    # `no ip domain lookup`, `ip domain name ...`, `line con 0`)
    ("ip domain-name", "ip domain name"),
    ("ip domain-lookup", "ip domain lookup"),
    ("no ip domain-lookup", "no ip domain lookup"),
    ("line console", "line con"),
)
_ABBREVIATED = {short: full for short, full in TYPED_ABBREVIATIONS}
_LONGEST = max(len(short.split()) for short, _full in TYPED_ABBREVIATIONS)


def typed_in_full(text: str) -> str:
    """A typed line as IOS prints it: its abbreviated command words and interface name
    in full (the rest of the line is kept).

    >>> typed_in_full("int g1/0"), typed_in_full("no shut"), typed_in_full("int dialer 1")
    ('interface GigabitEthernet1/0', 'no shutdown', 'interface Dialer1')
    """
    words = text.split(" ")
    for size in range(min(_LONGEST, len(words)), 0, -1):
        full = _ABBREVIATED.get(" ".join(words[:size]))
        if full is not None:
            words = [*full.split(" "), *words[size:]]
            break
    if words[0] == "interface" and len(words) > 1:
        name = canonical_name(" ".join(words[1:3])) if len(words) > 2 else None
        if name is not None and not words[2].startswith(("point", "multi")):
            words = ["interface", name, *words[3:]]
        elif (name := canonical_name(words[1])) is not None:
            words = ["interface", name, *words[2:]]
    return " ".join(words)


def _place(text: str, stack: list[Mode]) -> int | None:
    """The depth `text` is typed at, the stack updated; None: no mode IOS knows takes it.

    IOS tries the current mode, then each mode around it, then global config mode.
    """
    while stack:
        mode = stack[-1]
        for sub in mode.modes:
            if sub.header.match(text):
                stack.append(sub)
                return len(stack) - 1
        if mode.commands.match(text):
            return len(stack)
        stack.pop()
    for mode in MODES:
        if mode.header.match(text):
            stack.append(mode)
            return 0
    return 0 if GLOBAL_COMMANDS.match(text) else None
