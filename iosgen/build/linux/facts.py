"""Facts about pppd, pptp-linux, iptables and the init systems, kept once as data.

Sources (see docs/linux-platform.md): pppd(8) and README.MPPE of ppp 2.4.9,
pptp(8) of pptp-linux 1.10, inittab(5) of sysvinit, systemd.service(5).
"""

from __future__ import annotations

from typing import Final

# pppd's MPPE is all or nothing (README.MPPE: "strictly a binary option, off by
# default ... MPPE *must* be negotiated successfully in both directions or the
# link will be disconnected"). So IOS's optional `ppp encrypt mppe auto` has no
# pppd twin: every mode but `none` is required on Linux, and `none` is pppd's
# default (`nomppe`), written as no line at all.
MPPE_OPTIONS: Final[dict[str, tuple[str, ...]]] = {
    "none": (),
    "auto": ("require-mppe",),  # 40- or 128-bit, as the server offers
    "40": ("require-mppe-40",),
    "128": ("require-mppe-128",),
}

# Shared by every PPTP peer file (`file /etc/ppp/options.pptp`): the pptp-linux
# package's own options.pptp less its `noauth`, which each peer states for itself.
OPTIONS_PPTP: Final[tuple[tuple[str, str], ...]] = (
    ("lock", "lock the pty device"),
    ("refuse-pap", "never send the secret in clear"),
    ("refuse-eap", ""),
    ("refuse-chap", "CHAP-MD5 gives no MPPE keys"),
    ("refuse-mschap", "MS-CHAPv1: weaker than v2, no mutual authentication"),
    ("nobsdcomp", "MPPE disables other compression anyway"),
    ("nodeflate", ""),
)

OPTIONS_PPTP_PATH: Final = "/etc/ppp/options.pptp"
PPPD: Final = "/usr/sbin/pppd"

# Seconds pppd waits before redialling a dropped tunnel (`holdoff`); also the
# systemd restart delay. No model key yet.
HOLDOFF_SECONDS: Final = 10

# pppd reads at most MAXSECRETLEN (256) bytes of a secret, NUL included, and
# silently truncates the rest (pppd/pppd.h, auth.c get_secret).
MAX_SECRET_BYTES: Final = 255

# inittab(5): the id field is 1-4 characters.
INITTAB_ID_MAX: Final = 4

# Where Debian's iptables-persistent loads IPv4 rules from at boot.
IPTABLES_RULES_PATH: Final = "etc/iptables/rules.v4"
