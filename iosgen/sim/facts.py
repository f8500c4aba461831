"""What IOS 12.4 on an ISR 2801 prints and how it names things, kept as data in one place.

Every string here is an observation of the real router (sources in docs/simulator.md
and ios-reference.md); the code of the simulator only looks them up. Output lines
end in CRLF on the wire: the session layer converts, so texts here use "\n".
"""

from __future__ import annotations

from typing import Final

# --- errors (ios-reference §5) --------------------------------------------------------
# Invalid input: the caret line, then this message, then one blank line.
INVALID_INPUT: Final = "% Invalid input detected at '^' marker."
# Incomplete: the message and one blank line.
INCOMPLETE: Final = "% Incomplete command."
# Ambiguous: two spaces after the colon, the line as typed, no blank line after.
AMBIGUOUS: Final = '% Ambiguous command:  "{line}"'
# Exec mode, unknown single word with `no ip domain lookup` (telnet to a host name).
UNKNOWN_HOST: Final = (
    'Translating "{word}"\n% Unknown command or computer name, or unable to find computer address'
)
UNKNOWN_HOST_LOOKUP: Final = (
    'Translating "{word}"...domain server (255.255.255.255)\n'
    "% Unknown command or computer name, or unable to find computer address"
)
BAD_SECRETS: Final = "% Bad secrets"
NO_ENABLE_PASSWORD: Final = "% No password set"

# --- prompts and banners ----------------------------------------------------------------
CONFIG_BANNER: Final = "Enter configuration commands, one per line.  End with CNTL/Z."
PASSWORD_PROMPT: Final = "Password: "

# mode name -> prompt suffix between the hostname and '#'
MODE_PROMPTS: Final[dict[str, str]] = {
    "user": ">",
    "exec": "#",
    "config": "(config)#",
    "config-if": "(config-if)#",
    # `Router(config-subif)#encapsulation dot1Q 10` (Cisco, Configuring Routing Between
    # VLANs with IEEE 802.1Q Encapsulation) [M]
    "config-subif": "(config-subif)#",
    "config-vpdn": "(config-vpdn)#",
    "config-vpdn-req-in": "(config-vpdn-req-in)#",
    "config-vpdn-acc-in": "(config-vpdn-acc-in)#",
    "config-route-map": "(config-route-map)#",
    "config-line": "(config-line)#",
    "config-archive": "(config-archive)#",
    "config-archive-log-cfg": "(config-archive-log-cfg)#",
    "config-cp": "(config-cp)#",
    # docs/simulator-grammar.md: the prompts of the 12.4 sub-modes
    "config-std-nacl": "(config-std-nacl)#",
    "config-ext-nacl": "(config-ext-nacl)#",
    "dhcp-config": "(dhcp-config)#",
    "config-attr-list": "(config-attr-list)#",
    "config-isakmp": "(config-isakmp)#",
    "cfg-crypto-trans": "(cfg-crypto-trans)#",
    "config-crypto-map": "(config-crypto-map)#",
    # `Router(config)# crypto ipsec profile P` / `Router(ipsec-profile)# set transform-set
    # T` (Cisco, IPSec Virtual Tunnel Interface, 12.3(14)T feature guide) [H]
    "ipsec-profile": "(ipsec-profile)#",
    # `Router(config-keyring)# pre-shared-key ...`, `Router(conf-isa-prof)# keyring ...`,
    # `Router(config-isakmp-peer)# set aggressive-mode ...` (Cisco, VRF-Aware IPsec and
    # the Security Command Reference's examples) [M]
    "config-keyring": "(config-keyring)#",
    "conf-isa-prof": "(conf-isa-prof)#",
    "config-isakmp-peer": "(config-isakmp-peer)#",
    "config-bba-group": "(config-bba-group)#",
    "config-cmap": "(config-cmap)#",
    "config-pmap": "(config-pmap)#",
    "config-pmap-c": "(config-pmap-c)#",
    "config-pmap-c-police": "(config-pmap-c-police)#",
    "config-router-ospf": "(config-router)#",
    "config-router-eigrp": "(config-router)#",
}

# config sub-mode -> its parent (a command unknown in a sub-mode is tried in the parents)
MODE_PARENT: Final[dict[str, str]] = {
    "config-if": "config",
    "config-subif": "config",
    "config-vpdn": "config",
    "config-vpdn-req-in": "config-vpdn",
    "config-vpdn-acc-in": "config-vpdn",
    "config-route-map": "config",
    "config-line": "config",
    "config-archive": "config",
    "config-archive-log-cfg": "config-archive",
    "config-cp": "config",
    "config-std-nacl": "config",
    "config-ext-nacl": "config",
    "dhcp-config": "config",
    "config-attr-list": "config",
    "config-isakmp": "config",
    "cfg-crypto-trans": "config",
    "config-crypto-map": "config",
    "ipsec-profile": "config",
    "config-keyring": "config",
    "conf-isa-prof": "config",
    "config-isakmp-peer": "config",
    "config-bba-group": "config",
    "config-cmap": "config",
    "config-pmap": "config",
    "config-pmap-c": "config-pmap",
    "config-pmap-c-police": "config-pmap-c",
    "config-router-ospf": "config",
    "config-router-eigrp": "config",
}

# --- dialogues (ios-reference §5, §6) ----------------------------------------------------
BUILDING: Final = "Building configuration..."
OK: Final = "[OK]"
DEST_FILENAME: Final = "Destination filename [{name}]? "
OVERWRITE: Final = (
    "%Warning:There is a file already existing with this name \n"
    "Do you want to over write? [confirm]"
)
BYTES_COPIED: Final = "{n} bytes copied in 0.{ms:03d} secs ({rate} bytes/sec)"
DELETE_FILENAME: Final = "Delete filename [{name}]? "
DELETE_CONFIRM: Final = "Delete flash:{name}? [confirm]"
DELETE_MISSING: Final = "%Error deleting flash:{name} (No such file or directory)"
OPEN_MISSING: Final = "%Error opening flash:{name} (File not found)"
RELOAD_SAVE: Final = "System configuration has been modified. Save? [yes/no]: "
RELOAD_PROCEED: Final = "Proceed with reload? [confirm]"
RELOAD_SCHEDULED: Final = "Reload scheduled in {minutes} minutes by {user} on vty0 (127.0.0.1)"
RELOAD_SHOW: Final = (
    "Reload scheduled for {at} (in {minutes} minutes and {seconds} seconds) "
    "by {user} on vty0 (127.0.0.1)"
)
RELOAD_NONE: Final = "No reload is scheduled."
RELOAD_NONE_CANCEL: Final = "%No reload is scheduled."  # [L] wording
RELOAD_ABORTED: Final = "\n\n***\n*** --- SHUTDOWN ABORTED ---\n***\n"
NAT_IN_USE: Final = "Dynamic mapping in use, do you want to delete all entries? [no]: "
# Changing a dynamic mapping (same route-map/list, another interface) while it has
# translations: refused (the same "in use" family as above) [M: behaviour; L: wording].
NAT_CANNOT_CHANGE: Final = "%Dynamic mapping in use, cannot change"
REPLACE_WARNING: Final = (
    "This will apply all necessary additions and deletions\n"
    "to replace the current running configuration with the\n"
    "contents of the specified configuration file, which is\n"
    "assumed to be a complete configuration, not a partial\n"
    "configuration. Enter Y if you are sure you want to proceed. ? [no]: "
)
REPLACE_BACKUP: Final = "Rollback Confirmed Change: Backing up current running config to {path}"
REPLACE_DONE: Final = "Total number of passes: 1\nRollback Done"
# Unverified wording [L]: IOS refuses `time` without an archive path (Cisco: "You must
# configure a configuration archive before performing this procedure").
REPLACE_NEEDS_ARCHIVE: Final = (
    "%Archive path is not configured. Please configure it before using the time option."
)
BANNER_ENTER: Final = "Enter TEXT message.  End with the character '{delim}'."
PHYSICAL_NOT_REMOVABLE: Final = "% Removal of physical interfaces is not permitted"
# `no line vty 0 4` (any range reaching below vty 5): IOS keeps the first five vty lines
# and says so; `no line vty 5 15` deletes those lines (docs/simulator-grammar.md, vty).
VTY_LAST_FIVE: Final = "%Can't delete last 5 VTY lines"
NO_STARTUP: Final = "startup-config is not present"
NO_STARTUP_COPY: Final = "%Error opening nvram:startup-config (No such file or directory)"
COPY_ABORTED: Final = "%Error copying (Operation aborted)"
ANSWER_YES_NO: Final = "% Please answer 'yes' or 'no'."
NEEDS_PROTOCOL: Final = "% Tunnel protocol must be configured first"  # [L] wording
# `ip address` in a subnet another interface has: refused, the old address stays
# ("% 192.168.10.0 overlaps with FastEthernet0/1") [H: behaviour; M: wording].
# A named-list entry typed with a number another entry has: refused, the old one stays
# ("Statements cannot be overwritten using the same sequence number as an existing
# statement. The current statement must be deleted first", Cisco CCNA RSE 9.2.2.2) [M];
# the text as IOS words it [L].
DUPLICATE_SEQUENCE: Final = "% Duplicate sequence number"
# The modes of a named list's entries, and the step of an entry typed without a number
# ("each statement will receive a sequence number with increments of 10: 10, 20, 30",
# networklessons.com, ACL Sequence Numbers; `R1(config-ext-nacl)#15 deny ip ...` lands
# between 10 and 20).
NACL_MODES: Final = frozenset({"config-std-nacl", "config-ext-nacl"})
NACL_STEP: Final = 10
SUBNET_OVERLAP: Final = "% {net} overlaps with {iface}"
# `username u secret x` while `username u password y` exists (or the reverse): IOS keeps
# one kind per user and refuses the other until `no username u` [M: behaviour; L: wording].
USER_PASSWORD_AND_SECRET: Final = (
    "% ERROR: Can not have both a user password and a user secret.\nPlease choose one or the other."
)
ARCHIVE_OFF: Final = "Archive feature not enabled"  # [L] wording
ARCHIVE_NO_PATH: Final = "%Archive path not specified"  # [L] wording
ARCHIVE_MAX: Final = "The maximum archive configurations allowed is {n}."
ARCHIVE_NEXT: Final = "The next archive file will be named {name}"
ARCHIVE_HEAD: Final = " Archive #  Name"
ARCHIVE_RECENT: Final = " <- Most Recent"
PIPE_COUNT: Final = "Number of lines which match regexp = {n}"
NAT_TABLE_HEAD: Final = (
    "Pro Inside global      Inside local       Outside local      Outside global"
)
# one live translation shown while the nat-in-use fault is on (documentation addresses)
NAT_TABLE_ROW: Final = (
    "tcp 198.51.100.10:1024 192.168.50.10:51000 203.0.113.80:443   203.0.113.80:443"
)
RSA_KEYS: Final = (
    "The name for the keys will be: {name}\n\n"
    "% The key modulus size is {bits} bits\n"
    "% Generating {bits} bit RSA keys, keys will be non-exportable...[OK]\n"
)
SYSLOG_CONFIG_I: Final = (
    "*{stamp}: %SYS-5-CONFIG_I: Configured from console by {user} on vty0 (127.0.0.1)"
)
NVRAM_SIZE: Final = 196600
FLASH_SIZE: Final = 64016384
IMAGE_SIZE: Final = 22429420

SHOW_VERSION: Final = (
    "Cisco IOS Software, {software} ({label}), Version {version}, "
    "RELEASE SOFTWARE (fc1)\n"
    """\
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2010 by Cisco Systems, Inc.
Compiled Wed 18-Aug-10 07:55 by prod_rel_team

ROM: System Bootstrap, Version 12.4(13r)T, RELEASE SOFTWARE (fc1)

{hostname} uptime is {uptime}
System returned to ROM by power-on
System image file is "flash:{image}"


This product contains cryptographic features and is subject to United
States and local country laws governing import, export, transfer and
use. Delivery of Cisco cryptographic products does not imply
third-party authority to import, export, distribute or use encryption.

Cisco {model} (revision 7.0) with 236544K/25600K bytes of memory.
Processor board ID FCZ1234A0BC
{ports}DRAM configuration is 64 bits wide with parity disabled.
191K bytes of NVRAM.
62720K bytes of ATA CompactFlash (Read/Write)

Configuration register is 0x2102
"""
)

# `show version`'s hardware lines, one per interface type, then the VPN module
PORT_COUNT: Final = "{n} {kind} interface{s}\n"
PORT_KINDS: Final[dict[str, str]] = {
    "ATM": "ATM",
    "BRI": "ISDN Basic Rate",
    "FastEthernet": "FastEthernet",
    "GigabitEthernet": "Gigabit Ethernet",
    "Serial": "Serial",
}
VPN_MODULE: Final = "1 Virtual Private Network (VPN) Module\n"

# running-config comment lines IOS writes itself
LAST_CHANGE: Final = "! Last configuration change at {at} by {user}"
NVRAM_UPDATED: Final = "! NVRAM config last updated at {at} by {user}"
DEFAULT_PPTP_GROUP: Final = "! Default PPTP VPDN group"  # ios-reference §3 [M]

# `show ip interface brief` states
STATE_SHUT: Final = "administratively down"
STATE_UP: Final = "up"
STATE_DOWN: Final = "down"
STATE_SPOOFING: Final = "up (spoofing)"  # a dialer interface waiting for a call

IP_INT_BRIEF_HEADER: Final = (
    "Interface                  IP-Address      OK? Method Status                Protocol"
)

# --- interfaces ------------------------------------------------------------------------
# canonical type name -> NVGEN sort rank. Loopback/Tunnel print before the physical
# ports, then Virtual-Template, Vlan and Dialer (ios-reference §2.2 item 9; Vlan1
# between Virtual-Template1 and Dialer0 in 87x captures [L]);
# physical ports of every type share one rank and sort by their numbers (onboard
# first, then slot by slot). Which physical types and ports a router has comes from
# its hardware (hardware.py); the dict order is also the order in which an
# abbreviation is resolved.
INTERFACE_TYPES: Final[dict[str, int]] = {
    "Loopback": 0,
    "Tunnel": 1,
    "ATM": 2,
    "BRI": 2,
    "FastEthernet": 2,
    "GigabitEthernet": 2,
    "Serial": 2,
    "Virtual-Template": 3,
    "Vlan": 4,
    "Dialer": 5,
}
# Subinterface numbers 1-4294967295 (Cisco, Interface and Hardware Component command
# reference, `interface`: "subinterface-number ... 1 to 4294967295") [M].
SUBIF_MAX: Final = 4294967295
# NVGEN's indentation of a block's children where it is not one space per level
# (docs/simulator-grammar.md, "Indentation"), by the block's mode; the absolute pad:
CHILD_INDENT: Final[dict[str, str]] = {
    # `ip dhcp pool HOME_LAN` / `   network 172.16.1.0 255.255.255.0` (cbac lines 53-58)
    "dhcp-config": "   ",
    # `  police cir percent 10` / `    conform-action transmit` (cbac lines 163-165)
    "config-pmap-c-police": "    ",
    # `crypto keyring K` / `  pre-shared-key address ...`; `crypto isakmp profile P` /
    # `   keyring K` (Cisco's VRF-Aware IPsec example; a public config with both) [M]
    "config-keyring": "  ",
    "conf-isa-prof": "   ",
}
# Words NVGEN pads to the width of `permit`, by the block's mode:
# `ip access-list extended BLACKHOLE` / ` deny   ip host 81.7.148.87 any` (nm-fe line 208)
PADDED_ACTION: Final[dict[str, dict[str, str]]] = {
    "config-ext-nacl": {"deny": "deny  "},
}
# Values NVGEN prints two spaces apart, by mode and leading words:
# ` match ip precedence 2  3  4  5` (cbac line 151, 154 line 163).
WIDE_VALUES: Final[dict[str, tuple[str, ...]]] = {
    "config-cmap": ("match", "ip", "precedence"),
}
# An HSRP group's lines in NVGEN order (`standby version` first, then group by group):
# 2811 captures ` speed auto` / ` standby 1 ip 10.0.0.1` / ` standby 1 priority 110` /
# ` standby 1 preempt` / ` standby 1 track FastEthernet0/1`; with timers and secondaries
# ` standby 1 ip A` / ` standby 1 ip B secondary` / ` standby 1 timers 5 15` / ` standby
# 1 priority 110` / ` standby 1 preempt delay minimum 60` / ... / ` standby 1 track 101
# decrement 50` (docs/simulator-grammar.md, HSRP). `name` is placed before `track` [L].
HSRP_ORDER: Final = ("ip", "timers", "priority", "preempt", "name", "track")
# Children NVGEN leaves out because they are the defaults, by the block's mode. An ISAKMP
# policy's defaults (Cisco IOS Security Command Reference, `crypto isakmp policy`:
# encryption DES, hash SHA-1, RSA signatures, group 1, lifetime 86400 s); Cisco's
# show-run examples print `crypto isakmp policy 10` / ` hash md5` / ` authentication
# pre-share` and no encr, group or lifetime line (docs/simulator-grammar.md).
SILENT_DEFAULTS: Final[dict[str, frozenset[str]]] = {
    "config-isakmp": frozenset(
        {"encr des", "hash sha", "authentication rsa-sig", "group 1", "lifetime 86400"}
    ),
    # A transform set's default mode: Cisco's 12.4 VTI and crypto-map examples print
    # `crypto ipsec transform-set T1 esp-aes esp-sha-hmac` with no mode line; 15.x prints
    # ` mode tunnel` (docs/sim-ipsec.md) [M]
    "cfg-crypto-trans": frozenset({"mode tunnel"}),
}
# A new `crypto map NAME SEQ ipsec-isakmp` entry (not one re-entered): IOS warns that it is
# inert until it has a peer and an ACL, and makes it (docs/sim-ipsec.md) [M]. iosgen's
# push reads `% NOTE:` as information (ios/dialogs.py INFORMATIONAL).
CRYPTO_MAP_NOTE_ON: Final = True
CRYPTO_MAP_NOTE: Final = (
    "% NOTE: This new crypto map will remain disabled until a peer\n"
    "        and a valid access list have been configured."
)
# short names IOS prints in `show ip interface brief`: none on 12.4, full names are used.

# --- type 7 (ios-reference §4) ---------------------------------------------------------
TYPE7_KEY: Final = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"

# --- running-config layout (ios-reference §2.2, §8) ------------------------------------
# The global sections in NVGEN order; "!" entries are separators IOS always prints
# (subsystems print their own "!" whether or not they have lines, hence the runs).
# A name ending in "*" is a block section: each block is followed by its own "!".
LAYOUT: Final[tuple[str, ...]] = (
    "!",
    "version",
    "service",
    "!",
    "hostname",
    "!",
    "boot",
    "!",
    "security",
    "logging-global",
    "enable",
    "!",
    "aaa-new-model",
    "!",
    "!",
    "aaa-methods",
    "!",
    "aaa-attr-list*",
    "!",
    "aaa-session",
    "!",
    "!",
    "clock",
    "ip-src",
    "ip-cef",
    "ip-dhcp-excluded",
    "ip-dhcp-pool*",
    "ip-bootp",
    "!",
    "!",
    "ip-domain",
    "ip-inspect",
    "login-global",
    "!",
    "multilink",
    "vpdn-enable",
    "!",
    "vpdn-group*",
    "!",
    "!",
    "username",
    "archive*",
    "!",
    "ip-tcp",
    "ip-ssh",
    "class-map*",
    "policy-map*",
    "crypto-keyring*",
    "crypto-isakmp-policy*",
    "crypto-isakmp-key",
    "crypto-isakmp-profile*",
    "crypto-ipsec-global",
    "crypto-ipsec*",
    "crypto-ipsec-profile*",
    "crypto-dynamic-map*",
    "crypto-map*",
    "bba-group*",
    "!",
    "!",
    "!",
    "interface*",
    "router*",
    "ip-local-pool",
    "ip-forward",
    "ip-route",
    "!",
    "!",
    "ip-http",
    "ip-nat-translation",
    "ip-nat-pool",
    "ip-nat",
    "ip-acl-standard*",
    "ip-acl-extended*",
    "!",
    "logging-host",
    "access-list",
    "dialer-list",
    "cdp",
    "!",
    "route-map*",
    "!",
    "snmp",
    "cdp-log",
    "!",
    "control-plane*",
    "!",
    "banner",
    "!",
    "line",
    "!",
    "scheduler",
    "ntp",
    "end",
)

# Block sections NVGEN prints with no `!` between two blocks of the kind, one after the
# last: class-maps, policy-maps, named ACLs of one type (2600xm-ccp-pppoa-cbac.cfg lines
# 150-175 and 300-370; the 154 file alike). AAA attribute lists alike [L: the captures
# found hold one list each; docs/simulator-grammar.md].
UNSEPARATED: Final = frozenset(
    {"class-map*", "policy-map*", "ip-acl-standard*", "ip-acl-extended*", "aaa-attr-list*"}
)
# Block sections with no `!` at all, not even after the last block: ISAKMP policies run
# straight into the keys (`crypto isakmp policy 10` / ` group 2` / `crypto isakmp key
# cisco address 102.1.1.1` / `!` / `!` / `crypto ipsec transform-set ...`, a lab capture
# in docs/sim-ipsec.md; Cisco's VTI example prints the same) [M].
BACK_TO_BACK: Final = frozenset({"crypto-isakmp-policy*"})

# Lines an IOS 12.4 ISR prints with an empty startup config (before the management
# account is added), the interfaces aside: every physical port of the router's
# hardware is there from the start (config.Config), with its defaults (`no ip
# address`, `duplex auto`, `speed auto` on a routed Ethernet port, nothing on a
# switch port). Parsed through the grammar like any other config.
FACTORY_DEFAULTS: Final = """\
version 12.4
service timestamps debug datetime msec
service timestamps log datetime msec
no service password-encryption
hostname Router
boot-start-marker
boot-end-marker
no aaa new-model
ip cef
multilink bundle-name authenticated
ip forward-protocol nd
no ip http server
no ip http secure-server
control-plane
line con 0
line aux 0
line vty 0 4
scheduler allocate 20000 1000
end
"""

# `debug ppp authentication` / `undebug all` answers (12.4; the same words on every IOS
# since 11.x: "PPP authentication debugging is on", "All possible debugging has been
# turned off")
DEBUG_PPP_AUTH_ON: Final = "PPP authentication debugging is on"
UNDEBUG_ALL: Final = "All possible debugging has been turned off"
