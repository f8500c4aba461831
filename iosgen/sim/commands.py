"""The command table: every command the simulated 2801 knows, mode by mode.

Within a mode, commands are listed in the order IOS prints them (NVGEN order), so
the table is also the rendering order; global commands carry the running-config
section they print in (facts.LAYOUT). A line this table cannot parse is rejected
with `% Invalid input detected at '^' marker.` and never stored.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

from iosgen.sim.grammar import Cmd, Grammar

_ACL_ADDR = "{<ip> [<ip>]|host <ip>|any}"
_EXT_ADDR = "{<ip> <ip>|host <ip>|any}"
_AAA_METHOD = "{local|line|none|enable|if-authenticated|local-case|group <word>}"
_AAA_METHODS = f"{_AAA_METHOD} [{_AAA_METHOD} [{_AAA_METHOD}]]"
_PPP_AUTH = "{chap|pap|ms-chap|ms-chap-v2|eap}"
# IP protocols an extended entry names (docs/simulator-grammar.md, "ACL entries"):
# `permit esp any any`, `deny igmp any any`, `permit gre host A host B`.
_IP_PROTO = "{ip|gre|esp|ahp|igmp|ospf|pim|eigrp|ipinip|nos|pcp|<0-255>}"
# ICMP message names of `permit icmp any any unreachable` (12.4 command reference).
_ICMP_TYPES = (
    "administratively-prohibited|alternate-address|conversion-error|dod-host-prohibited|"
    "dod-net-prohibited|echo|echo-reply|general-parameter-problem|host-isolated|"
    "host-precedence-unreachable|host-redirect|host-tos-redirect|host-tos-unreachable|"
    "host-unknown|host-unreachable|information-reply|information-request|mask-reply|"
    "mask-request|mobile-redirect|net-redirect|net-tos-redirect|net-tos-unreachable|"
    "net-unreachable|network-unknown|no-room-for-option|option-missing|packet-too-big|"
    "parameter-problem|port-unreachable|precedence-unreachable|protocol-unreachable|"
    "reassembly-timeout|redirect|router-advertisement|router-solicitation|source-quench|"
    "source-route-failed|time-exceeded|timestamp-reply|timestamp-request|traceroute|"
    "ttl-exceeded|unreachable"
)
_ICMP = f"[{{{_ICMP_TYPES}|<0-255> [<0-255>]}}]"
# `log` takes an optional cookie word (`permit tcp any any eq 22 log SSH`).
_LOG = "[{log|log-input} [<word>]]"
_PORTS = "[{eq|gt|lt|neq} <word>|range <word> <word>]"
# The entry bodies, after `access-list N` (numbered) or in the named sub-mode.
_STD_RESTS = (f"{_ACL_ADDR} [log]",)
_EXT_RESTS = (
    f"{_IP_PROTO} {_EXT_ADDR} {_EXT_ADDR} [fragments] {_LOG}",
    f"icmp {_EXT_ADDR} {_EXT_ADDR} {_ICMP} {_LOG}",
    f"{{tcp|udp}} {_EXT_ADDR} {_PORTS} {_EXT_ADDR} {_PORTS} [established] {_LOG}",
)
_EXT_BODIES = tuple(f"{{permit|deny}} {rest}" for rest in _EXT_RESTS)
_SEQ = "<1-2147483647>"


# config-if commands a subinterface lacks: the port's own settings and its framing
# (a FastEthernet subinterface takes `encapsulation dot1Q` only).
_NOT_ON_SUBIF = frozenset({"duplex", "speed", "encapsulation", "cdp", "hold-queue"})


def _table() -> list[Cmd]:
    c: list[Cmd] = []

    def add(mode: str, syntax: str, **kw: Any) -> None:
        c.append(Cmd(mode=mode, syntax=syntax, **kw))

    # ---- exec (privileged "exec" and user "user") ---------------------------------------
    for mode in ("user", "exec"):
        add(mode, "enable", kind="action", action="enable")
        add(mode, "exit", kind="action", action="logout")
        add(mode, "logout", kind="action", action="logout")
        add(mode, "quit", kind="action", action="logout")
        add(mode, "terminal length <0-512>", kind="action", action="terminal")
        add(mode, "terminal width <0-512>", kind="action", action="terminal")
        add(mode, "terminal monitor", kind="action", action="terminal")
        add(mode, "terminal no monitor", kind="action", action="terminal")
        add(mode, "show version", kind="action", action="show_version")
        add(mode, "show ip interface brief", kind="action", action="show_ip_int_brief")
        add(mode, "show clock", kind="action", action="show_clock")
        # operational commands (show.py, ping.py): the handler checks the arguments
        # (an interface the running config has, ping's options) and carets a bad one
        add(mode, "show interfaces [<if>]", kind="action", action="op", key=2)
        add(mode, "show ip route", kind="action", action="op", key=3)
        add(mode, "show users", kind="action", action="op", key=2)
        add(mode, "ping [<line>]", kind="action", action="op", key=1)
        add(mode, "traceroute [<line>]", kind="action", action="op", key=1)
    add("exec", "show vpdn", kind="action", action="op", key=2)
    add("exec", "disable", kind="action", action="disable")
    add("exec", "show running-config", kind="action", action="show_run")
    add("exec", "show running-config interface <if>", kind="action", action="show_run_if")
    add("exec", "show startup-config", kind="action", action="show_start")
    add("exec", "show archive", kind="action", action="show_archive")
    add("exec", "show flash:", kind="action", action="dir")
    add("exec", "show ip nat translations", kind="action", action="show_nat")
    add("exec", "dir [flash:]", kind="action", action="dir")
    add("exec", "more <url>", kind="action", action="more")
    add("exec", "write [memory]", kind="action", action="write")
    add("exec", "copy running-config startup-config", kind="action", action="copy_run_start")
    add("exec", "copy running-config <url>", kind="action", action="copy_run_flash")
    add("exec", "copy startup-config running-config", kind="action", action="copy_start_run")
    add("exec", "copy <url> running-config", kind="action", action="copy_flash_run")
    add("exec", "copy <url> startup-config", kind="action", action="copy_flash_start")
    add("exec", "delete <url>", kind="action", action="delete")
    add("exec", "configure terminal", kind="action", action="configure")
    add("exec", "configure terminal revert timer <1-120>", kind="action", action="configure")
    add(
        "exec",
        "configure replace <url> [list] [force] [time <1-120>] [nolock]",
        kind="action",
        action="replace",
    )
    add("exec", "configure confirm", kind="action", action="confirm")
    add("exec", "reload", kind="action", action="reload")
    add("exec", "reload in <1-999>", kind="action", action="reload")
    add("exec", "reload cancel", kind="action", action="reload_cancel")
    add("exec", "show reload", kind="action", action="show_reload")
    add("exec", "clear ip nat translation *", kind="action", action="clear_nat")
    # the PPP debug verify turns on to see why a tunnel's CHAP fails (tunnels.py)
    add("exec", "debug ppp authentication", kind="action", action="debug")
    add("exec", "undebug all", kind="action", action="undebug")
    # IPsec (docs/sim-ipsec.md): the SAs the fleet's IKE gives this router, and why not
    add("exec", "show crypto isakmp sa", kind="action", action="crypto_show")
    add("exec", "show crypto ipsec sa", kind="action", action="crypto_show")
    add("exec", "show crypto session", kind="action", action="crypto_show")
    add("exec", "show crypto isakmp policy", kind="action", action="crypto_show")
    add("exec", "show crypto map", kind="action", action="crypto_show")
    add("exec", "debug crypto {isakmp|ipsec}", kind="action", action="debug_crypto")
    add("exec", "clear crypto {sa|isakmp}", kind="action", action="clear_crypto")
    add("exec", "archive config", kind="action", action="archive_config")

    # ---- global configuration -----------------------------------------------------------
    g = "config"
    add(g, "end", kind="action", action="end")
    add(g, "exit", kind="action", action="exit")
    add(g, "do <line>", kind="action", action="do")
    add(g, "version <word>", kind="noop", section="version")
    # 2600xm-ccp-pppoa-cbac.cfg lines 5-8: `service nagle`, `no service pad`,
    # `service tcp-keepalives-in|out`, before the timestamps; pad is on by default.
    add(g, "service nagle", kind="toggle", section="service")
    add(g, "service pad", kind="toggle", on=False, off=True, default=True, section="service")
    add(g, "service tcp-keepalives-in", kind="toggle", section="service")
    add(g, "service tcp-keepalives-out", kind="toggle", section="service")
    add(
        g,
        "service timestamps {debug|log} [datetime [msec] [localtime] [show-timezone] [year]]",
        key=3,
        section="service",
    )
    add(g, "service timestamps {debug|log} uptime", key=3, section="service")
    add(
        g, "service password-encryption", kind="toggle", off=True, section="service", action="pwenc"
    )
    add(g, "service internal", kind="toggle", section="service")
    add(g, "service sequence-numbers", kind="toggle", section="service")
    add(g, "hostname <word>", key=1, section="hostname", action="hostname")
    add(g, "boot-start-marker", kind="noop", section="boot")
    add(g, "boot system flash <word>", kind="multi", section="boot")
    add(g, "boot-end-marker", kind="noop", section="boot")
    # after boot-end-marker, before the logging lines (cbac lines 19-20)
    add(
        g,
        "security authentication failure rate <2-1024> [log]",
        key=3,
        section="security",
    )
    add(g, "security passwords min-length <0-16>", key=3, section="security")
    add(g, "logging snmp-authfail", kind="toggle", section="logging-global")
    add(
        g,
        "logging buffered [<4096-2147483647>] [{debugging|informational|notifications|"
        "warnings|errors|critical|alerts|emergencies}]",
        key=2,
        section="logging-global",
    )
    add(g, "logging rate-limit <1-10000>", key=2, section="logging-global")
    add(
        g,
        "logging console [{debugging|informational|notifications|warnings|errors|critical|"
        "alerts|emergencies}]",
        key=2,
        section="logging-global",
    )
    add(g, "enable secret [{0|5}] <word>", key=2, section="enable", pw="secret")
    add(g, "enable password [{0|7}] <word>", key=2, section="enable", pw="bare")
    add(g, "aaa new-model", kind="toggle", off=True, section="aaa-new-model", action="aaa")
    add(
        g,
        f"aaa authentication login {{default|<word>}} {_AAA_METHODS}",
        key=4,
        section="aaa-methods",
    )
    add(
        g, f"aaa authentication ppp {{default|<word>}} {_AAA_METHODS}", key=4, section="aaa-methods"
    )
    add(
        g,
        f"aaa authorization {{exec|network}} {{default|<word>}} {_AAA_METHODS}",
        key=4,
        section="aaa-methods",
    )
    # Local AAA attribute lists (docs/simulator-grammar.md, "Local AAA attribute lists"):
    # a block per list, printed after the method lists, before `aaa session-id`.
    add(
        g,
        "aaa attribute list <word>",
        kind="enter",
        enters="config-attr-list",
        section="aaa-attr-list*",
    )
    add(g, "aaa session-id {common|unique}", key=2, section="aaa-session")
    add(g, "clock timezone <word> <-23-23> [<0-59>]", key=2, section="clock")
    add(g, "clock summer-time <word> {recurring|date} [<line>]", key=2, section="clock")
    # on by default; `no ip source-route`, `no ip gratuitous-arps` print before `ip cef`
    # (cbac lines 42-43)
    add(g, "ip source-route", kind="toggle", on=False, off=True, default=True, section="ip-src")
    add(g, "ip gratuitous-arps", kind="toggle", on=False, off=True, default=True, section="ip-src")
    add(g, "ip cef", kind="toggle", off=True, section="ip-cef", default=True)
    # `ip dhcp excluded-address 172.16.1.1 172.16.1.50`, then the pools, after `ip cef`
    add(g, "ip dhcp excluded-address <ip> [<ip>]", kind="multi", section="ip-dhcp-excluded")
    add(g, "ip dhcp pool <word>", kind="enter", enters="dhcp-config", section="ip-dhcp-pool*")
    # `no ip bootp server` after the pools (cbac line 61)
    add(g, "ip bootp server", kind="toggle", on=False, off=True, default=True, section="ip-bootp")
    add(g, "ip domain lookup", kind="toggle", on=False, off=True, section="ip-domain", default=True)
    add(g, "ip domain name <word>", key=3, section="ip-domain")
    # pre-12.3 spellings IOS still accepts and prints in the new form
    add(g, "ip domain-lookup", kind="action", action="alias", alias="ip domain lookup")
    add(g, "ip domain-name <word>", kind="action", action="alias", alias="ip domain name")
    add(g, "ip name-server <ip>", kind="multi", section="ip-domain")
    # CBAC, after the name servers: the global timers, then each rule of each name
    # (`ip inspect name EXT_OUT ftp alert on audit-trail off`) as typed.
    add(g, "ip inspect alert-off", kind="toggle", section="ip-inspect")
    add(g, "ip inspect audit-trail", kind="toggle", section="ip-inspect")
    add(g, "ip inspect max-incomplete {low|high} <1-2147483647>", key=4, section="ip-inspect")
    add(g, "ip inspect one-minute {low|high} <1-2147483647>", key=4, section="ip-inspect")
    add(g, "ip inspect dns-timeout <1-2147483>", key=3, section="ip-inspect")
    add(
        g,
        "ip inspect tcp {idle-time|finwait-time|synwait-time} <1-2147483>",
        key=4,
        section="ip-inspect",
    )
    add(
        g,
        "ip inspect tcp max-incomplete host <1-250> [block-time <0-35791>]",
        key=5,
        section="ip-inspect",
    )
    add(g, "ip inspect udp idle-time <1-2147483>", key=4, section="ip-inspect")
    add(g, "ip inspect name <word> <word> [<line>]", key=5, nokey=4, section="ip-inspect")
    add(g, "multilink bundle-name authenticated", kind="toggle", section="multilink", default=True)
    add(g, "vpdn enable", kind="toggle", section="vpdn-enable")
    add(g, "vpdn-group <word>", kind="enter", enters="config-vpdn", section="vpdn-group*")
    add(
        g,
        "username <word> [privilege <0-15>] password [{0|7}] <word>",
        key=2,
        section="username",
        pw="zero",
    )
    add(
        g,
        "username <word> [privilege <0-15>] secret [{0|5}] <word>",
        key=2,
        section="username",
        pw="secret",
    )
    add(g, "username <word> [privilege <0-15>] nopassword", key=2, section="username")
    # A per-user attribute on a line of its own (the password line takes the rest of
    # its line); `no username U` removes it with the user, `no username U autocommand`
    # only the attribute.
    add(g, "username <word> autocommand <line>", key=3, nokey=2, section="username")
    # `username U aaa attribute list L`: the user's local attribute list, one per user
    # (a second list replaces the first) [L]
    add(g, "username <word> aaa attribute list <word>", key=4, nokey=2, section="username")
    add(g, "archive", kind="enter", enters="config-archive", section="archive*")
    # login protection (cbac line 109; on-failure/on-success: 2901-oxidized-r1.cfg)
    add(
        g,
        "login block-for <1-65535> attempts <1-65535> within <1-65535>",
        key=2,
        section="login-global",
    )
    add(g, "login on-failure log [every <1-65535>]", key=2, section="login-global")
    add(g, "login on-success log [every <1-65535>]", key=2, section="login-global")
    # TCP stack tuning, before `ip ssh` (cbac lines 139-144, in this order)
    add(g, "ip tcp selective-ack", kind="toggle", section="ip-tcp")
    add(g, "ip tcp timestamp", kind="toggle", section="ip-tcp")
    add(g, "ip tcp window-size <68-1073741823>", key=3, section="ip-tcp")
    add(g, "ip tcp queuemax <5-50>", key=3, section="ip-tcp")
    add(g, "ip tcp synwait-time <5-300>", key=3, section="ip-tcp")
    add(g, "ip tcp path-mtu-discovery [age-timer {<10-30>|infinite}]", key=3, section="ip-tcp")
    add(g, "ip telnet tos <word>", key=3, section="ip-tcp")
    add(g, "ip ftp username <word>", key=3, section="ip-tcp")
    add(g, "ip ftp password [{0|7}] <word>", key=3, section="ip-tcp", pw="bare")
    add(g, "ip ssh version {1|2}", key=3, section="ip-ssh")
    add(g, "ip ssh time-out <1-120>", key=3, section="ip-ssh")
    add(g, "ip ssh authentication-retries <0-5>", key=3, section="ip-ssh")
    # QoS (MQC), after `ip ssh` and before the crypto blocks (2600xm-ccp-pppoa-cbac.cfg:
    # `class-map match-all IP_PREC_HIGH`, `policy-map EXTERNAL_CBWFQ` / ` class ...`).
    add(
        g,
        "class-map {match-all|match-any} <word>",
        kind="enter",
        enters="config-cmap",
        section="class-map*",
        key=0,
    )
    # `class-map NAME` re-enters class-map NAME, or makes `class-map match-all NAME`, the
    # default IOS prints (config.py `_enter`)
    add(g, "class-map <word>", kind="enter", enters="config-cmap", section="class-map*")
    add(g, "policy-map <word>", kind="enter", enters="config-pmap", section="policy-map*")
    # IPsec, before the interfaces (12.4 NVGEN: isakmp policies, keys, transform-sets,
    # crypto maps).
    add(
        g,
        "crypto isakmp policy <1-10000>",
        kind="enter",
        enters="config-isakmp",
        section="crypto-isakmp-policy*",
    )
    # One key per peer address and mask: typed again for the same peer it replaces the
    # old one (config.py, action "isakmp_key"); `0.0.0.0 0.0.0.0` is the wildcard key.
    add(
        g,
        "crypto isakmp key [{0|6}] <word> address <ip> [<ip>] [no-xauth]",
        kind="multi",
        section="crypto-isakmp-key",
        nokey=4,
        action="isakmp_key",
    )
    # dead-peer detection (Security Command Reference, `crypto isakmp keepalive seconds
    # [retries] [periodic|on-demand]`: 10-3600 s, retries 2-60 s), after the keys
    add(
        g,
        "crypto isakmp keepalive <10-3600> [<2-60>] [{periodic|on-demand}]",
        key=3,
        section="crypto-isakmp-key",
    )
    add(g, "crypto isakmp identity {address|hostname|dn}", key=3, section="crypto-isakmp-key")
    # more global ISAKMP knobs 12.4 takes (Security Command Reference 12.4); their place
    # among the key lines is [L]
    add(g, "crypto isakmp nat keepalive <5-3600>", key=4, section="crypto-isakmp-key")
    add(g, "crypto isakmp invalid-spi-recovery", key=3, section="crypto-isakmp-key")
    add(g, "crypto isakmp aggressive-mode disable", key=3, section="crypto-isakmp-key")
    transform = (
        "{ah-md5-hmac|ah-sha-hmac|esp-des|esp-3des|esp-aes [{128|192|256}]|esp-null|"
        "esp-md5-hmac|esp-sha-hmac|comp-lzs}"
    )
    add(
        g,
        "crypto ipsec security-association lifetime {seconds <120-86400>|"
        "kilobytes <2560-536870912>}",
        key=5,
        section="crypto-ipsec-global",
    )
    add(g, "crypto ipsec df-bit {clear|set|copy}", key=3, section="crypto-ipsec-global")
    add(
        g,
        "crypto ipsec nat-transparency udp-encapsulation",
        key=3,
        section="crypto-ipsec-global",
    )
    add(
        g,
        f"crypto ipsec transform-set <word> {transform} [{transform} [{transform}]]",
        kind="enter",
        enters="cfg-crypto-trans",
        section="crypto-ipsec*",
        key=4,
    )
    # `crypto ipsec profile NAME` opens `(ipsec-profile)#` (Cisco, IPSec Virtual Tunnel
    # Interface: "Router(config)# crypto ipsec profile profile-name" / "Router
    # (ipsec-profile)# set transform-set ..."); printed after the transform sets
    add(
        g,
        "crypto ipsec profile <word>",
        kind="enter",
        enters="ipsec-profile",
        section="crypto-ipsec-profile*",
    )
    # A dynamic map's entries take the crypto map's sub-mode and its `set`/`match` lines
    # (Security Command Reference, `crypto dynamic-map`: "enters crypto map configuration
    # mode"); they print before the crypto maps (docs/sim-ipsec.md).
    add(
        g,
        "crypto dynamic-map <word> <1-65535>",
        kind="enter",
        enters="config-crypto-map",
        section="crypto-dynamic-map*",
        key=4,
    )
    # `crypto map M 10 ipsec-isakmp dynamic DYN`: an entry that is the dynamic map; no
    # sub-mode (a line of the crypto maps' section)
    add(
        g,
        "crypto map <word> <1-65535> ipsec-isakmp dynamic <word>",
        key=4,
        section="crypto-map*",
    )
    # the map's own source address for IKE: before its entries [L]
    add(g, "crypto map <word> local-address <if>", key=4, section="crypto-map*")
    add(
        g,
        "crypto map <word> <1-65535> [{ipsec-isakmp|ipsec-manual}]",
        kind="enter",
        enters="config-crypto-map",
        section="crypto-map*",
        key=4,
        action="crypto_map",
    )
    # PPPoE server/client profile (`bba-group pppoe global`), before the interfaces
    add(
        g,
        "bba-group pppoe {global|<word>}",
        kind="enter",
        enters="config-bba-group",
        section="bba-group*",
    )
    add(g, "interface <if>", kind="enter", enters="config-if", section="interface*", key=2)
    # routing processes print after the interfaces, before `ip forward-protocol`
    add(
        g,
        "router ospf <1-65535>",
        kind="enter",
        enters="config-router-ospf",
        section="router*",
    )
    add(
        g,
        "router eigrp <1-65535>",
        kind="enter",
        enters="config-router-eigrp",
        section="router*",
    )
    # A pool is a set of ranges: the same name again adds a range (each prints on its
    # own line); `no ip local pool NAME` drops them all, `... NAME LOW HIGH` just one.
    add(g, "ip local pool <word> <ip> [<ip>]", kind="multi", section="ip-local-pool")
    add(g, "ip forward-protocol nd", kind="toggle", off=True, section="ip-forward", default=True)
    add(
        g,
        "ip route <ip> <ip> {<ip>|<if>} [<1-255>] [permanent]",
        kind="multi",
        section="ip-route",
        nokey=4,
    )
    add(
        g,
        "ip route <ip> <ip> <if> <ip> [<1-255>] [permanent]",
        kind="multi",
        section="ip-route",
        nokey=4,
    )
    # a discard route (`ip route 172.16.255.254 255.255.255.255 Null0`) and the
    # 12.4 default route learnt from a DHCP server (`ip route 0.0.0.0 0.0.0.0 dhcp`)
    add(g, "ip route <ip> <ip> Null0 [<1-255>] [permanent]", kind="multi", section="ip-route")
    add(g, "ip route <ip> <ip> dhcp [<1-255>]", kind="multi", section="ip-route", nokey=4)
    add(g, "ip http server", kind="toggle", off=True, section="ip-http")
    # cbac lines 287-291: server, access-class, authentication, secure-server, timeout
    add(g, "ip http access-class <1-99>", key=3, section="ip-http")
    add(g, "ip http authentication {local|enable|aaa}", key=3, section="ip-http")
    add(g, "ip http secure-server", kind="toggle", off=True, section="ip-http")
    add(
        g,
        "ip http timeout-policy idle <1-600> life <1-86400> requests <1-86400>",
        key=3,
        section="ip-http",
    )
    # the pools and the timeouts print before the mappings (2600xm-ccp-pppoa-154.cfg)
    add(
        g,
        "ip nat pool <word> <ip> <ip> {netmask <ip>|prefix-length <1-32>}",
        key=4,
        section="ip-nat-pool",
    )
    add(
        g,
        "ip nat translation {timeout|tcp-timeout|udp-timeout|dns-timeout|icmp-timeout|"
        "finrst-timeout|syn-timeout} {<0-536870>|never}",
        key=4,
        section="ip-nat-translation",
    )
    add(
        g,
        "ip nat inside source route-map <word> interface <if> overload",
        key=6,  # one dynamic mapping per route-map / list name: typing it again replaces it
        section="ip-nat",
        nokey=4,
        action="nat",
    )
    add(
        g,
        "ip nat inside source list {<1-199>|<word>} interface <if> [overload]",
        key=6,  # one dynamic mapping per route-map / list name: typing it again replaces it
        section="ip-nat",
        nokey=4,
        action="nat",
    )
    add(
        g,
        "ip nat inside source list {<1-199>|<word>} pool <word> [overload]",
        key=6,
        section="ip-nat",
        nokey=4,
        action="nat",
    )
    # port forwards: `ip nat inside source static tcp 172.16.1.5 22 interface Dialer1 1415`
    add(
        g,
        "ip nat inside source static {tcp|udp} <ip> <1-65535> <ip> <1-65535> [extendable]",
        kind="multi",
        section="ip-nat",
        nokey=4,
        action="nat",
    )
    add(
        g,
        "ip nat inside source static {tcp|udp} <ip> <1-65535> interface <if> <1-65535>",
        kind="multi",
        section="ip-nat",
        nokey=4,
        action="nat",
    )
    add(
        g,
        "ip nat inside source static <ip> <ip> [extendable]",
        kind="multi",
        section="ip-nat",
        nokey=4,
        action="nat",
    )
    # `logging facility local6`, `logging source-interface Loopback0` before the hosts
    add(g, "logging facility <word>", key=2, section="logging-host")
    add(g, "logging source-interface <if>", key=2, section="logging-host")
    add(g, "logging <ip>", kind="multi", section="logging-host")
    add(g, "logging host <ip>", kind="multi", section="logging-host", action="logging_host")
    add(
        g,
        "logging trap {debugging|informational|notifications|warnings|errors|critical|"
        "alerts|emergencies}",
        key=2,
        section="logging-host",
    )
    add(g, "access-list <1-99> remark <line>", kind="acl", key=2, section="access-list")
    add(
        g,
        f"access-list <1-99> {{permit|deny}} {_ACL_ADDR} [log]",
        kind="acl",
        key=2,
        section="access-list",
    )
    add(g, "access-list <100-199> remark <line>", kind="acl", key=2, section="access-list")
    for body in _EXT_BODIES:
        add(g, f"access-list <100-199> {body}", kind="acl", key=2, section="access-list")
    # Named lists (`ip access-list extended NAME`): blocks with their own sub-mode,
    # printed after the numbered lists' neighbours (`ip nat`), standard ones first.
    add(
        g,
        "ip access-list standard <word>",
        kind="enter",
        enters="config-std-nacl",
        section="ip-acl-standard*",
    )
    add(
        g,
        "ip access-list extended <word>",
        kind="enter",
        enters="config-ext-nacl",
        section="ip-acl-extended*",
    )
    add(
        g,
        "dialer-list <1-10> protocol ip {permit|deny|list <1-199>}",
        key=4,
        section="dialer-list",
        nokey=2,  # `no dialer-list 2` removes the list
    )
    add(g, "cdp run", kind="toggle", on=False, off=True, section="cdp", default=True)
    add(
        g,
        "route-map <word> [{permit|deny}] [<0-65535>]",
        kind="enter",
        enters="config-route-map",
        section="route-map*",
        action="route_map",
    )
    add(g, "snmp-server community <word> [{RO|RW}] [<1-99>]", key=3, section="snmp")
    add(g, "snmp-server location <line>", key=2, section="snmp")
    add(g, "snmp-server contact <line>", key=2, section="snmp")
    # 2600xm-ccp-nm-fe.cfg lines 251-264: community, ifindex persist, trap link ietf,
    # trap-source, enable traps (one line per group, as typed), host
    add(g, "snmp-server ifindex persist", kind="toggle", section="snmp")
    add(g, "snmp-server trap link ietf", kind="toggle", section="snmp")
    add(g, "snmp-server trap-source <if>", key=2, section="snmp")
    add(g, "snmp-server enable traps [<line>]", kind="multi", section="snmp")
    add(
        g,
        "cdp log mismatch duplex",
        kind="toggle",
        on=False,
        off=True,
        default=True,
        section="cdp-log",
    )
    # `snmp-server host 172.16.1.5 version 2c COMMUNITY [notification types]`
    add(
        g,
        "snmp-server host <ip> [{traps|informs}] [version {1|2c}] <word> [<line>]",
        kind="multi",
        section="snmp",
        nokey=3,
    )
    add(
        g,
        "crypto key generate rsa [general-keys] [modulus <360-2048>]",
        kind="action",
        action="crypto_key",
    )
    add(g, "control-plane", kind="enter", enters="config-cp", section="control-plane*")
    add(g, "banner {motd|login|exec} <line>", key=2, section="banner", action="banner")
    add(g, "line con 0", kind="enter", enters="config-line", section="line")
    add(g, "line aux 0", kind="enter", enters="config-line", section="line")
    add(g, "line vty <0-15> [<0-15>]", kind="enter", enters="config-line", section="line")
    add(g, "scheduler allocate <400-60000> <100-4000>", key=2, section="scheduler")
    # cbac lines 449-451: `ntp clock-period`, `ntp master`, then the servers
    add(g, "ntp clock-period <0-4294967295>", key=2, section="ntp")
    add(g, "ntp master [<1-15>]", key=2, section="ntp")
    add(
        g,
        "ntp server <ip> [minpoll <4-17>] [maxpoll <4-17>] [source <if>] [prefer]",
        key=3,
        section="ntp",
    )

    # ---- interface ----------------------------------------------------------------------
    i = "config-if"
    add(i, "exit", kind="action", action="exit")
    add(i, "description <line>", key=1)
    add(i, "mtu <64-18000>", key=1)
    add(i, "bandwidth <1-10000000>", key=1)
    add(i, "ip dhcp client client-id ascii <word>", key=4, slot="dhcp-client-id")
    add(i, "ip dhcp client client-id <if>", key=4, slot="dhcp-client-id")
    add(i, "ip address <ip> <ip>", slot="ipaddr", key=2)
    add(i, "ip address dhcp", slot="ipaddr", key=2)
    # 12.4: `ip address dhcp client-id FastEthernet0/0` (the client-id on the same line)
    add(i, "ip address dhcp client-id <if> [hostname <word>]", slot="ipaddr", key=2)
    add(i, "ip address negotiated", slot="ipaddr", key=2)
    add(i, "ip unnumbered <if>", slot="ipaddr", key=2)
    add(i, "ip helper-address <ip>", kind="multi")
    add(i, "ip access-group {<1-199>|<word>} {in|out}", key=4)
    # on by default; only `no ip redirects` ... prints (2600xm-ccp-pppoa-cbac.cfg)
    add(i, "ip redirects", kind="toggle", on=False, off=True, default=True)
    add(i, "ip unreachables", kind="toggle", on=False, off=True, default=True)
    add(i, "ip proxy-arp", kind="toggle", on=False, off=True, default=True)
    add(i, "ip mtu <68-18000>", key=2)
    add(i, "ip nat {inside|outside}", slot="ipnat", key=2, action="ipnat")
    add(i, "ip inspect <word> {in|out}", kind="multi", nokey=3)
    add(i, "ip virtual-reassembly", key=2)
    add(i, "ip flow {ingress|egress}", kind="multi")
    add(i, "ip policy route-map <word>", key=3)
    # NVGEN prints `encapsulation` before `ip tcp adjust-mss` (ios-reference §2.3)
    add(i, "encapsulation {ppp|hdlc}", key=1)
    add(i, "ip tcp adjust-mss <500-1460>", key=3)
    # Tunnel interfaces only (configmode.py refuses them elsewhere), after `ip tcp
    # adjust-mss` (Cisco, IPSec Virtual Tunnel Interface, example: ` ip tcp adjust-mss
    # 1360` / ` tunnel source ...` / ` tunnel destination ...` / ` tunnel mode ipsec ipv4`
    # / ` tunnel protection ipsec profile VTI`). `tunnel mode gre ip` is the default and
    # prints nothing.
    add(i, "tunnel source {<if>|<ip>}", key=2, action="tunnel_if")
    add(i, "tunnel destination <ip>", key=2, action="tunnel_if")
    add(i, "tunnel key <0-4294967295>", key=2, action="tunnel_if")
    add(i, "tunnel mode {gre ip|ipip|ipsec ipv4}", key=2, action="tunnel_mode")
    add(i, "tunnel protection ipsec profile <word> [shared]", key=2, action="tunnel_protection")
    add(i, "load-interval <30-600>", key=1)
    add(i, "dialer in-band", key=2)
    add(i, "dialer idle-timeout <0-2147483> [either]", key=2)
    add(i, "dialer string <word>", key=2)
    add(i, "dialer vpdn", key=2)
    add(i, "dialer pool <1-255>", key=2)
    add(i, "dialer pool-member <1-255>", key=2)
    add(i, "dialer persistent", key=2)
    add(i, "dialer-group <1-10>", key=1)
    add(i, "cdp enable", kind="toggle", on=False, off=True, default=True)
    add(i, "peer default ip address pool <word>", key=4)
    add(i, "peer neighbor-route", kind="toggle", on=False, off=True, default=True)
    add(i, "keepalive", kind="toggle", on=False, off=True, default=True)
    add(i, "ppp pfc local {request|forbid}", key=3)
    add(i, "ppp pfc remote {apply|reject|ignore}", key=3)
    add(i, "ppp encrypt mppe {auto|40|128} [{passive|required}] [stateful]", key=3)
    add(
        i,
        f"ppp authentication {_PPP_AUTH} [{_PPP_AUTH} [{_PPP_AUTH} [{_PPP_AUTH}]]] [callin] "
        "[one-time] [optional]",
        key=2,
    )
    add(i, "ppp chap hostname <word>", key=3)
    add(i, "ppp chap password [{0|7}] <word>", key=3, pw="zero")
    add(i, "ppp chap refuse [callin]", key=3)
    add(i, "ppp ms-chap refuse [callin]", key=3)
    add(i, "ppp eap refuse [callin]", key=3)
    add(i, "ppp pap sent-username <word> password [{0|7}] <word>", key=2, pw="zero")
    add(i, "ppp ipcp dns request [accept]", key=3)
    add(i, "ppp ipcp route default", key=3)
    add(i, "shutdown", kind="toggle")
    add(i, "duplex {auto|full|half}", key=1)
    add(i, "speed {10|100|auto}", key=1)
    # HSRP (12.4 First Hop Redundancy Protocols command reference, `standby`), after
    # `speed` and by group, in facts.HSRP_ORDER (docs/simulator-grammar.md, HSRP)
    add(i, "standby version {1|2}", key=2, section="hsrp")
    add(i, "standby ip <ip>", key=2, section="hsrp")
    add(i, "standby <0-255> ip <ip>", key=3, section="hsrp")
    add(i, "standby <0-255> ip <ip> secondary", kind="multi", section="hsrp")
    add(i, "standby <0-255> timers <1-254> <1-255>", key=3, section="hsrp")
    add(i, "standby <0-255> priority <0-255>", key=3, section="hsrp")
    add(i, "standby <0-255> preempt [delay minimum <0-3600>]", key=3, section="hsrp")
    add(i, "standby <0-255> name <word>", key=3, section="hsrp")
    # one track line per tracked interface or object: typed again it is replaced
    add(i, "standby <0-255> track <if> [<1-255>]", key=4, section="hsrp")
    add(i, "standby <0-255> track <1-1000> decrement <1-255>", key=4, section="hsrp")
    # on by default; `no cdp log mismatch duplex` prints after speed/duplex
    # (2600xm-ccp-nm-fe.cfg lines 157-160), and globally after snmp (line 265)
    add(i, "cdp log mismatch duplex", kind="toggle", on=False, off=True, default=True)
    # the PPPoE client on the Ethernet port, after `speed` (871/877 captures)
    add(i, "pppoe enable [group <word>]", key=2)
    add(i, "pppoe-client dial-pool-number <1-255>", key=1)
    add(i, "max-reserved-bandwidth <1-100>", key=1)
    add(i, "service-policy {input|output} <word>", key=2)
    # last in the block (cbac Dialer1: `hold-queue 500 out`)
    add(i, "hold-queue <0-4096> in", slot="hold-in")
    add(i, "hold-queue <0-4096> out", slot="hold-out")
    add(i, "crypto map <word>", key=2)

    # ---- subinterface (prompt `(config-subif)#`): the port's IP commands, no duplex/speed,
    # `encapsulation dot1Q N` after the description (7200-tin-subif.cfg lines 65-70:
    # `interface FastEthernet0/0.50` / ` encapsulation dot1Q 50` / ` ip address ...`)
    sub_if = "config-subif"
    for cmd in [x for x in c if x.mode == i]:
        if cmd.syntax.split()[0] in _NOT_ON_SUBIF:
            continue
        c.append(replace(cmd, mode=sub_if))
        if cmd.syntax == "description <line>":
            add(sub_if, "encapsulation dot1Q <1-4094> [native]", key=1)

    # ---- vpdn-group and its subgroups ---------------------------------------------------
    v = "config-vpdn"
    add(v, "exit", kind="action", action="exit")
    add(v, "description <line>", key=1)
    add(v, "request-dialin", kind="enter", enters="config-vpdn-req-in")
    add(v, "accept-dialin", kind="enter", enters="config-vpdn-acc-in")
    add(v, "initiate-to ip <ip> [limit <1-65535>] [priority <1-65535>]", key=1)
    add(v, "source-ip <ip>", key=1)
    add(v, "local name <word>", key=2)
    add(v, "l2tp tunnel password [{0|7}] <word>", key=3, pw="bare")
    for sub in ("config-vpdn-req-in", "config-vpdn-acc-in"):
        add(sub, "exit", kind="action", action="exit")
        add(sub, "protocol {pptp|l2tp|pppoe|any}", key=1, action="vpdn_protocol")
        if sub == "config-vpdn-req-in":
            add(sub, "rotary-group <0-255>", slot="dialer-bind", action="needs_protocol")
            add(sub, "pool-member <1-255>", slot="dialer-bind", action="needs_protocol")
        else:
            add(sub, "virtual-template <1-1000>", key=1, action="needs_protocol")

    # ---- route-map ----------------------------------------------------------------------
    r = "config-route-map"
    add(r, "exit", kind="action", action="exit")
    add(r, "description <line>", key=1)
    # Match clauses are lists: a second `match ip address 20` joins the first
    # (`match ip address 10 20`); `no match ip address 10` takes 10 out of it.
    add(r, "match ip address {<1-199>|<word>} [{<1-199>|<word>}]", kind="list", key=3)
    add(r, "match interface <if> [<if>]", kind="list", key=2)
    add(r, "set ip next-hop <ip>", key=3)
    add(r, "set interface <if>", key=2)

    # ---- line ---------------------------------------------------------------------------
    ln = "config-line"
    add(ln, "exit", kind="action", action="exit")
    # `access-class 23 in` prints first in a line block (2811-feup-gnu-rtr3.cfg)
    add(ln, "access-class {<1-199>|<word>} in [vrf-also]", slot="access-class-in")
    add(ln, "access-class {<1-199>|<word>} out", slot="access-class-out")
    add(ln, "exec-timeout <0-35791> [<0-2147483>]", key=1)
    add(ln, "logout-warning <0-4294967>", key=1)
    add(ln, "privilege level <0-15>", key=2)
    add(ln, "password [{0|7}] <word>", key=1, pw="bare")
    add(ln, "logging synchronous", key=2)
    add(ln, "authorization exec {default|<word>}", key=2)
    add(ln, "login", slot="login")
    add(ln, "login local", slot="login")
    add(ln, "login authentication <word>", slot="login")
    add(ln, "exec", kind="toggle", on=False, off=True, default=True)
    # cbac lines 423-447: exec prompt, history, transport preferred, then input/output
    add(ln, "exec prompt timestamp", key=2)
    add(ln, "history size <0-256>", key=2)
    add(ln, "transport preferred {none|ssh|telnet|all}", key=2)
    add(ln, "transport input {ssh|telnet|all|none} [{ssh|telnet}]", key=2)
    add(ln, "transport output {ssh|telnet|all|none} [{ssh|telnet}]", key=2)
    add(ln, "stopbits {1|1.5|2}", key=1)
    add(ln, "flowcontrol {hardware|software|none}", key=1)

    # ---- archive ------------------------------------------------------------------------
    a = "config-archive"
    add(a, "exit", kind="action", action="exit")
    add(a, "log config", kind="enter", enters="config-archive-log-cfg")
    add(a, "path <word>", key=1)
    add(a, "maximum <1-14>", key=1)
    add(a, "write-memory", key=1)
    add(a, "time-period <1-525600>", key=1)
    lg = "config-archive-log-cfg"
    add(lg, "exit", kind="action", action="exit")
    add(lg, "logging enable", key=2)
    add(lg, "logging size <1-1000>", key=2)
    add(lg, "notify syslog", key=2)
    add(lg, "hidekeys", key=1)

    add("config-cp", "exit", kind="action", action="exit")

    # ---- named access lists: entries with or without a sequence number ---------------------
    # `10 permit any` is the entry `permit any` numbered 10 (12.4 NVGEN prints no numbers;
    # the number places it: `15 deny ...` between 10 and 20).
    for nacl, rests in (("config-std-nacl", _STD_RESTS), ("config-ext-nacl", _EXT_RESTS)):
        add(nacl, "exit", kind="action", action="exit")
        add(nacl, "remark <line>", kind="multi")
        for rest in rests:
            add(nacl, f"{{permit|deny}} {rest}", kind="multi")
        seq = {"remark": ("<line>",), "permit": rests, "deny": rests}
        for word, tails in seq.items():
            for tail in tails:
                add(
                    nacl,
                    f"{_SEQ} {word} {tail}",
                    kind="action",
                    action="nacl_seq",
                    nokey=1,  # `no 10` deletes entry 10
                )

    # ---- class-map / policy-map / class / police (MQC) ---------------------------------
    cmap = "config-cmap"
    add(cmap, "exit", kind="action", action="exit")
    add(cmap, "description <line>", key=1)
    add(cmap, "match any", kind="multi")
    add(cmap, "match access-group {<1-2699>|name <word>}", kind="multi")
    add(cmap, "match protocol <word>", kind="multi")
    add(cmap, "match ip precedence <0-7> [<0-7> [<0-7> [<0-7>]]]", kind="multi")
    add(cmap, "match ip dscp <word> [<word> [<word> [<word>]]]", kind="multi")
    add(cmap, "match input-interface <if>", kind="multi")
    pmap = "config-pmap"
    add(pmap, "exit", kind="action", action="exit")
    add(pmap, "description <line>", key=1)
    add(pmap, "class <word>", kind="enter", enters="config-pmap-c")
    pc = "config-pmap-c"
    add(pc, "exit", kind="action", action="exit")
    add(pc, "set {ip dscp|ip precedence|dscp|precedence} <word>", key=0)
    add(pc, "bandwidth {<8-2000000>|percent <1-100>|remaining percent <1-100>}", key=1)
    add(pc, "priority {<8-2000000>|percent <1-100>} [<32-2000000>]", key=1)
    add(pc, "shape {average|peak} <8000-154400000> [<32-154400000>] [<0-154400000>]", key=2)
    add(
        pc,
        "police cir {<8000-200000000>|percent <1-100>} [bc <1000-51200000>]",
        kind="enter",
        enters="config-pmap-c-police",
        key=1,
    )
    add(pc, "queue-limit <1-4096> [packets]", key=1)
    add(pc, "fair-queue [<16-4096>]", key=1)
    add(pc, "random-detect [dscp-based|prec-based]", key=1)
    add(pc, "service-policy <word>", key=1)
    pol = "config-pmap-c-police"
    add(pol, "exit", kind="action", action="exit")
    add(pol, "conform-action {transmit|drop|set-dscp-transmit <word>}", key=1)
    add(pol, "exceed-action {transmit|drop|set-dscp-transmit <word>}", key=1)
    add(pol, "violate-action {transmit|drop|set-dscp-transmit <word>}", key=1)

    # ---- router ospf / eigrp (prompt `(config-router)#`) --------------------------------
    o = "config-router-ospf"
    add(o, "exit", kind="action", action="exit")
    add(o, "router-id <ip>", key=1)
    # 12.4 adds it to every new process and prints it (captures); 15.1 stopped printing it
    add(o, "log-adjacency-changes", kind="toggle", off=True, default=True)
    add(o, "auto-cost reference-bandwidth <1-4294967>", key=2)
    add(o, "timers throttle spf <1-600000> <1-600000> <1-600000>", key=3)
    add(o, "redistribute {connected|static} [metric <0-16777214>] [subnets]", key=2)
    add(o, "passive-interface {default|<if>}", kind="multi")
    add(o, "network <ip> <ip> area {<0-4294967295>|<ip>}", kind="multi", nokey=3)
    add(
        o,
        "default-information originate [always] [metric <0-16777214>] [metric-type {1|2}]",
        key=2,
    )
    e = "config-router-eigrp"
    add(e, "exit", kind="action", action="exit")
    add(
        e,
        "redistribute {connected|static} "
        "[metric <1-4294967295> <0-4294967295> <0-255> <1-255> <1-65535>]",
        key=2,
    )
    add(e, "passive-interface {default|<if>}", kind="multi")
    add(e, "network <ip> [<ip>]", kind="multi", nokey=2)
    # 12.4: on by default, `no auto-summary` prints
    add(e, "auto-summary", kind="toggle", on=False, off=True, default=True)
    add(e, "eigrp router-id <ip>", key=2)

    # ---- aaa attribute list (prompt `(config-attr-list)#`) ----------------------------
    # `attribute type addr A service ppp protocol ip` (Cisco IOS Security Command
    # Reference 12.3T, `attribute type`); one address per list: a second replaces it [L]
    a = "config-attr-list"
    add(a, "exit", kind="action", action="exit")
    add(a, "attribute type addr <ip> [service {ppp|exec}] [protocol ip]", key=3)

    # ---- ip dhcp pool (prompt `(dhcp-config)#`) -----------------------------------------
    d = "dhcp-config"
    add(d, "exit", kind="action", action="exit")
    add(d, "network <ip> [<ip>]", key=1)
    add(d, "default-router <ip> [<ip> [<ip>]]", key=1)
    add(d, "domain-name <word>", key=1)
    add(d, "dns-server <ip> [<ip> [<ip>]]", key=1)
    add(d, "lease {<0-365> [<0-23> [<0-59>]]|infinite}", key=1)

    # ---- crypto isakmp policy / transform-set / crypto map ------------------------------
    k = "config-isakmp"
    add(k, "exit", kind="action", action="exit")
    add(k, "encr {des|3des|aes [{128|192|256}]}", key=1)
    add(k, "hash {sha|md5}", key=1)
    add(k, "authentication {pre-share|rsa-sig|rsa-encr}", key=1)
    # groups 14-16 exist from 12.4(22)T on (configmode.py refuses them before)
    add(k, "group {1|2|5|14|15|16}", key=1)
    add(k, "lifetime <60-86400>", key=1)
    t = "cfg-crypto-trans"
    add(t, "exit", kind="action", action="exit")
    add(t, "mode {tunnel|transport}", key=1)
    cm = "config-crypto-map"
    add(cm, "exit", kind="action", action="exit")
    add(cm, "description <line>", key=1)
    add(cm, "set peer <ip> [default]", kind="multi", nokey=3)
    add(
        cm,
        "set security-association lifetime {seconds <120-86400>|kilobytes <2560-536870912>}",
        key=4,
    )
    add(cm, "set transform-set <word> [<word> [<word> [<word> [<word> [<word>]]]]]", key=2)
    add(cm, "set pfs [{group1|group2|group5|group14|group15|group16}]", key=2)
    add(cm, "match address {<100-199>|<word>}", key=2)
    add(cm, "reverse-route [static]", key=1)
    # `crypto ipsec profile` (prompt `(ipsec-profile)#`): a VTI's phase-2 settings
    pr = "ipsec-profile"
    add(pr, "exit", kind="action", action="exit")
    add(pr, "description <line>", key=1)
    add(
        pr,
        "set security-association lifetime {seconds <120-86400>|kilobytes <2560-536870912>}",
        key=4,
    )
    add(pr, "set transform-set <word> [<word> [<word> [<word> [<word> [<word>]]]]]", key=2)
    add(pr, "set pfs [{group1|group2|group5|group14|group15|group16}]", key=2)

    # ---- bba-group pppoe ----------------------------------------------------------------
    b = "config-bba-group"
    add(b, "exit", kind="action", action="exit")
    add(b, "virtual-template <1-1000>", key=1)
    add(b, "sessions per-mac limit <1-65535>", key=3)

    ranks: dict[str, int] = {}
    shared: dict[str, int] = {}
    out = []
    for cmd in c:
        ranks[cmd.mode] = ranks.get(cmd.mode, 0) + 1
        group = _RANK_GROUPS.get(cmd.section or cmd.mode)
        rank = (
            shared.setdefault(f"{group} {cmd.mode}", ranks[cmd.mode]) if group else ranks[cmd.mode]
        )
        out.append(replace(cmd, rank=rank))
    return out


# Commands that print in one sequence whatever their syntax: the static routes sorted
# by prefix (`ip route 0.0.0.0 0.0.0.0 Dialer1 250` before `ip route 172.16.255.254
# 255.255.255.255 Null0`), and a named list's entries and remarks in the order typed.
_RANK_GROUPS: dict[str, str] = {
    "ip-route": "ip-route",
    "config-std-nacl": "nacl",
    "config-ext-nacl": "nacl",
    "hsrp": "hsrp",  # an interface's `standby` lines: by group, then facts.HSRP_ORDER
    # a crypto map's entries by name and number, `... ipsec-isakmp dynamic D` ones too
    "crypto-map*": "crypto-map",
}


CONFIG_MODES = (
    "config",
    "config-if",
    "config-subif",
    "config-vpdn",
    "config-vpdn-req-in",
    "config-vpdn-acc-in",
    "config-route-map",
    "config-line",
    "config-archive",
    "config-archive-log-cfg",
    "config-cp",
    "config-std-nacl",
    "config-ext-nacl",
    "dhcp-config",
    "config-attr-list",
    "config-isakmp",
    "cfg-crypto-trans",
    "config-crypto-map",
    "ipsec-profile",
    "config-bba-group",
    "config-cmap",
    "config-pmap",
    "config-pmap-c",
    "config-pmap-c-police",
    "config-router-ospf",
    "config-router-eigrp",
)


@cache
def table() -> tuple[Cmd, ...]:
    """Every command, ranked in NVGEN order within its mode."""
    return tuple(_table())


@cache
def grammar() -> Grammar:
    """The compiled grammar (built once per process)."""
    return Grammar(table(), CONFIG_MODES)


@cache
def toggles(mode: str, section: str = "") -> tuple[Cmd, ...]:
    """The on/off commands of a mode (and global section), whose default state prints."""
    return tuple(
        c for c in table() if c.kind == "toggle" and c.mode == mode and c.section == section
    )
