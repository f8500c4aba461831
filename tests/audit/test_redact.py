"""Backups keep every byte except secret values."""

from __future__ import annotations

import pytest

from iosgen.ios.secrets import redact
from tests.audit.anchors import base

CONFIG = """\
Building configuration...

Current configuration : 2028 bytes
!
enable secret 5 $1$Nqw3$T1y1T.ZFJRpArE6vQc8ls0
enable password 7 00071A150754
username ivan password 7 060F192042030D1C0818
username netops privilege 15 secret 5 $1$Jw63$K/0bbUC1dcBONvGTC6o/i.
vpdn-group 2
 l2tp tunnel password 7 0822455D0A16
!
interface Dialer2
 description password 7 stays
 ppp pap sent-username plovdiv password 7 0822455D0A16
 ppp chap password 7 0123035155
!
snmp-server community public RO
banner motd ^C
password 7 this-is-banner-text
^C
line vty 0 4
 password 7 045802150C2E
 transport input ssh
!
end

"""

REDACTED = """\
Building configuration...

Current configuration : 2028 bytes
!
enable secret 5 <redacted>
enable password 7 <redacted>
username ivan password 7 <redacted>
username netops privilege 15 secret 5 <redacted>
vpdn-group 2
 l2tp tunnel password 7 <redacted>
!
interface Dialer2
 description password 7 stays
 ppp pap sent-username plovdiv password 7 <redacted>
 ppp chap password 7 <redacted>
!
snmp-server community <redacted> RO
banner motd ^C
password 7 this-is-banner-text
^C
line vty 0 4
 password 7 <redacted>
 transport input ssh
!
end

"""


def test_every_secret_field_is_redacted_and_nothing_else() -> None:
    assert redact(CONFIG) == REDACTED


def test_crlf_output_keeps_its_line_ends() -> None:
    assert redact(CONFIG.replace("\n", "\r\n")) == REDACTED.replace("\n", "\r\n")


def test_redacting_twice_changes_nothing() -> None:
    assert redact(redact(base())) == redact(base())


BEYOND_THE_MODEL = {
    "ntp-key": ("ntp authentication-key 1 md5 0822455D0A16 7\n", "0822455D0A16"),
    "ftp-password": ("ip ftp password 7 0822455D0A16\n", "0822455D0A16"),
    "vtp-password": ("vtp password s3cret-vtp\n", "s3cret-vtp"),
    "bgp-neighbor": (
        "router bgp 65001\n neighbor 192.0.2.1 password 7 0822455D0A16\n",
        "0822455D0A16",
    ),
    "key-string": ("key chain K\n key 1\n  key-string 7 0822455D0A16\n", "0822455D0A16"),
    "hsrp-md5": (
        "interface FastEthernet0/1\n standby 1 authentication md5 key-string 7 0822455D0A16\n",
        "0822455D0A16",
    ),
    "ospf-md5": (
        "interface Serial0/0\n ip ospf message-digest-key 1 md5 7 0822455D0A16\n",
        "0822455D0A16",
    ),
    "keyring-psk": (
        "crypto keyring B\n pre-shared-key address 203.0.113.10 key s3cret-psk\n",
        "s3cret-psk",
    ),
    "tacacs-server-block": ("tacacs server HQ\n key 7 0822455D0A16\n", "0822455D0A16"),
    "snmp-host-v2c": ("snmp-server host 192.0.2.5 version 2c s3cret-comm\n", "s3cret-comm"),
    "snmp-host-traps-v2c": (
        "snmp-server host 192.0.2.5 traps version 2c s3cret-comm\n",
        "s3cret-comm",
    ),
    "snmp-host-plain": ("snmp-server host 192.0.2.5 s3cret-plain udp-port 162\n", "s3cret-plain"),
    "isakmp-key-6": (
        "crypto isakmp key 6 RHZEJACMUIbcbTdELISAAB address 203.0.113.10\n",
        "RHZEJACMUIbcbTdELISAAB",
    ),
    "snmp-user-priv": (
        "snmp-server user OPS V3 v3 auth sha s3cret-auth priv aes 128 s3cret-priv\n",
        "s3cret-priv",
    ),
}


@pytest.mark.parametrize(
    ("config", "secret"), BEYOND_THE_MODEL.values(), ids=BEYOND_THE_MODEL.keys()
)
def test_secrets_beyond_the_model_are_redacted(config: str, secret: str) -> None:
    out = redact(config)
    assert secret not in out
    assert "<redacted>" in out


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (
            "ntp authentication-key 1 md5 0822455D0A16 7",
            "ntp authentication-key 1 md5 <redacted> 7",
        ),
        (
            "crypto isakmp key 6 RHZEJACMUIbcbTdELISAAB address 203.0.113.10",
            "crypto isakmp key 6 <redacted> address 203.0.113.10",
        ),
    ],
    ids=["ntp-keeps-md5-and-type", "isakmp-keeps-type-6"],
)
def test_the_keyword_and_type_digit_stay(line: str, shown: str) -> None:
    assert redact(line + "\n") == shown + "\n"
