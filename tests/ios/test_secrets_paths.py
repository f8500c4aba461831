"""Every path that shows a config or a line masks the same secret of the same line.

One row per real IOS 12.4 secret line, with the sections it lives in. The paths:
`redact` of a config (the line under its sections), `mask_line` (with its parent
and out of place), `redact_line` (bare, indented as `show running-config` prints
it, and glued to a config prompt as the session log records the echo), lint's
`redact` and `secret_fields`, lint's findings for the config, the session log
file that `iosgen.device.session` writes through netmiko, device errors, diff and
audit (drift, remediation and rollback of `audit_text`), the push history (the
engine's `redact` and `mask_line`) and the error of a typed config refused at the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from iosgen.device.session import ConfigLineError, _tail
from iosgen.device.sessionlog import redacting_log
from iosgen.ios.secrets import MASK, hide_values, mask_line, redact, redact_line, redact_text
from iosgen.lint import lint_config
from iosgen.lint.checks.secrets import redact as lint_redact
from iosgen.lint.checks.secrets import secret_fields


@dataclass(frozen=True)
class Case:
    sections: tuple[str, ...]  # the parent lines, outermost first
    line: str
    secret: str
    encoding: str  # the type digit IOS printed for it, "" for none
    also: tuple[str, ...] = ()  # the line's further secrets, left to right (no type digit)

    @property
    def parent(self) -> str | None:
        return self.sections[-1] if self.sections else None

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.secret, *self.also)

    @property
    def masked(self) -> str:
        out = self.line
        for secret in self.secrets:
            out = out.replace(secret, MASK)
        return out

    def leaks(self, text: str) -> list[str]:
        return [s for s in self.secrets if s in text]

    def config(self) -> str:
        lines = [" " * depth + text for depth, text in enumerate(self.sections)]
        return "\n".join([*lines, " " * len(self.sections) + self.line, "end", ""])


CASES = {
    "username-secret-5": Case(
        (),
        "username netops privilege 15 secret 5 $1$Jw63$K/0bbUC1dcBONvGTC6o/i.",
        "$1$Jw63$K/0bbUC1dcBONvGTC6o/i.",
        "5",
    ),
    "username-password-7": Case(
        (), "username ivan password 7 060F192042030D1C0818", "060F192042030D1C0818", "7"
    ),
    "enable-secret-5": Case(
        (), "enable secret 5 $1$Nqw3$T1y1T.ZFJRpArE6vQc8ls0", "$1$Nqw3$T1y1T.ZFJRpArE6vQc8ls0", "5"
    ),
    "enable-secret-level": Case(
        (),
        "enable secret level 7 5 $1$Nqw3$T1y1T.ZFJRpArE6vQc8ls0",
        "$1$Nqw3$T1y1T.ZFJRpArE6vQc8ls0",
        "5",
    ),
    "enable-password-level": Case(
        (), "enable password level 15 S3cretLevelPw", "S3cretLevelPw", ""
    ),
    # every type digit IOS prints before a secret (type 4: SHA-256 of 15.0(1)S, deprecated)
    "username-secret-4": Case(
        (),
        "username a secret 4 tnhtc92DXBhelxjYk8LWJrPV36S2i4ntXrpb4RFmfqY",
        "tnhtc92DXBhelxjYk8LWJrPV36S2i4ntXrpb4RFmfqY",
        "4",
    ),
    "enable-secret-4": Case(
        (),
        "enable secret 4 tnhtc92DXBhelxjYk8LWJrPV36S2i4ntXrpb4RFmfqY",
        "tnhtc92DXBhelxjYk8LWJrPV36S2i4ntXrpb4RFmfqY",
        "4",
    ),
    "username-secret-8": Case(
        (),
        "username a secret 8 $8$dsYGNam3K1SIJO$7nv/35M/qr6t.dVc7UY9zrJDWRVqncHub1PE9UlMQFs",
        "$8$dsYGNam3K1SIJO$7nv/35M/qr6t.dVc7UY9zrJDWRVqncHub1PE9UlMQFs",
        "8",
    ),
    "enable-secret-9": Case(
        (),
        "enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM",
        "$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM",
        "9",
    ),
    "username-secret-0": Case((), "username a secret 0 S3cretClear", "S3cretClear", "0"),
    "enable-password-0": Case((), "enable password 0 S3cretClear", "S3cretClear", "0"),
    "aaa-server-private": Case(
        ("aaa group server radius BRANCH",),
        "server-private 192.0.2.7 key 7 0822455D0A16",
        "0822455D0A16",
        "7",
    ),
    "aaa-pod-server-key": Case((), "aaa pod server server-key S3cretPod", "S3cretPod", ""),
    "vrrp-text": Case(
        ("interface FastEthernet0/1",), "vrrp 1 authentication text S3cretVrrp", "S3cretVrrp", ""
    ),
    "glbp-text": Case(
        ("interface FastEthernet0/1",), "glbp 1 authentication text S3cretGlbp", "S3cretGlbp", ""
    ),
    "vrrp-md5-key-string": Case(
        ("interface FastEthernet0/1",),
        "vrrp 1 authentication md5 key-string 7 0822455D0A16",
        "0822455D0A16",
        "7",
    ),
    "nhrp-authentication": Case(
        ("interface Tunnel0",), "ip nhrp authentication S3cretNhrp", "S3cretNhrp", ""
    ),
    "wep-key": Case(
        ("interface Dot11Radio0",),
        "encryption vlan 1 key 1 size 128bit 7 0822455D0A16 transmit-key",
        "0822455D0A16",
        "7",
    ),
    "ppp-chap-password-7": Case(
        ("interface Dialer2",), "ppp chap password 7 0123035155", "0123035155", "7"
    ),
    "ppp-pap-sent-username": Case(
        ("interface Dialer2",),
        "ppp pap sent-username plovdiv password 7 0822455D0A16",
        "0822455D0A16",
        "7",
    ),
    "snmp-community": Case((), "snmp-server community S3cretRO RO 10", "S3cretRO", ""),
    "snmp-host-version-2c": Case(
        (), "snmp-server host 192.0.2.5 version 2c S3cretCommunity", "S3cretCommunity", ""
    ),
    "snmp-host-traps-version-2c": Case(
        (),
        "snmp-server host 192.0.2.5 traps version 2c S3cretCommunity udp-port 162",
        "S3cretCommunity",
        "",
    ),
    "snmp-user-auth-priv": Case(
        (),
        "snmp-server user NETOPS V3RO v3 auth sha S3cretAuth priv aes 128 S3cretPriv",
        "S3cretAuth",
        "",
        also=("S3cretPriv",),
    ),
    "tacacs-server-key-7": Case((), "tacacs-server key 7 14141B180F0B", "14141B180F0B", "7"),
    "radius-server-host-key": Case(
        (),
        "radius-server host 192.0.2.7 auth-port 1645 acct-port 1646 key 7 0822455D0A16",
        "0822455D0A16",
        "7",
    ),
    "wpa-psk": Case(("dot11 ssid BRANCH",), "wpa-psk ascii 7 0822455D0A16", "0822455D0A16", "7"),
    "tacacs-server-block-key": Case(
        ("tacacs server HQ",), "key 7 0822455D0A16", "0822455D0A16", "7"
    ),
    "crypto-isakmp-key": Case(
        (), "crypto isakmp key S3cretPsk address 203.0.113.10", "S3cretPsk", ""
    ),
    "crypto-isakmp-key-6": Case(
        (),
        "crypto isakmp key 6 RHZEJACMUIbcbTdELISAAB address 203.0.113.10",
        "RHZEJACMUIbcbTdELISAAB",
        "6",
    ),
    "isakmp-client-group-key": Case(
        ("crypto isakmp client configuration group EZVPN",),
        "key S3cretGroupKey",
        "S3cretGroupKey",
        "",
    ),
    "pre-shared-key": Case(
        ("crypto keyring BRANCH",),
        "pre-shared-key address 203.0.113.10 key S3cretPsk",
        "S3cretPsk",
        "",
    ),
    "ntp-authentication-key": Case(
        (), "ntp authentication-key 1 md5 0822455D0A16 7", "0822455D0A16", "7"
    ),
    "key-string": Case(
        ("key chain OSPF", "key 1"), "key-string 7 0822455D0A16", "0822455D0A16", "7"
    ),
    "standby-md5-key-string": Case(
        ("interface FastEthernet0/1",),
        "standby 1 authentication md5 key-string 7 0822455D0A16",
        "0822455D0A16",
        "7",
    ),
    "standby-plain": Case(
        ("interface FastEthernet0/1",), "standby authentication S3cretHsrp", "S3cretHsrp", ""
    ),
    "standby-text": Case(
        ("interface FastEthernet0/1",),
        "standby 1 authentication text S3cretHsrp",
        "S3cretHsrp",
        "",
    ),
    "ospf-message-digest-key": Case(
        ("interface Serial0/0",),
        "ip ospf message-digest-key 1 md5 7 0822455D0A16",
        "0822455D0A16",
        "7",
    ),
    "ospf-authentication-key": Case(
        ("interface Serial0/0",), "ip ospf authentication-key 7 0822455D0A16", "0822455D0A16", "7"
    ),
    "neighbor-password": Case(
        ("router bgp 65001",), "neighbor 192.0.2.1 password 7 0822455D0A16", "0822455D0A16", "7"
    ),
    "line-password-7": Case(("line vty 0 4",), "password 7 045802150C2E", "045802150C2E", "7"),
    "l2tp-tunnel-password": Case(
        ("vpdn-group 2",), "l2tp tunnel password 7 0822455D0A16", "0822455D0A16", "7"
    ),
    "no-snmp-community": Case((), "no snmp-server community S3cretRO", "S3cretRO", ""),
    # issue 12's shapes, from configs iosgen did not write
    "ezvpn-client-group-key": Case(
        ("crypto ipsec client ezvpn BRANCH",), "group EZVPN key S3cretEzKey", "S3cretEzKey", ""
    ),
    "ezvpn-server-group-key-6": Case(
        ("crypto isakmp client configuration group EZVPN",),
        "key 6 RHZEJACMUIbcbTdELISAAB",
        "RHZEJACMUIbcbTdELISAAB",
        "6",
    ),
    "ikev2-keyring-psk": Case(
        ("crypto ikev2 keyring KR", "peer HQ"), "pre-shared-key S3cretIkev2", "S3cretIkev2", ""
    ),
    "ikev2-keyring-psk-local-6": Case(
        ("crypto ikev2 keyring KR", "peer HQ"),
        "pre-shared-key local 6 RHZEJACMUIbcbTdELISAAB",
        "RHZEJACMUIbcbTdELISAAB",
        "6",
    ),
    "ikev2-profile-pre-share-key": Case(
        ("crypto ikev2 profile HQ",),
        "authentication remote pre-share key S3cretRemote",
        "S3cretRemote",
        "",
    ),
    "crypto-isakmp-key-6-hostname": Case(
        (),
        "crypto isakmp key 6 RHZE[JACMUI\\bcbTdELISAAB hostname hq.example.net",
        "RHZE[JACMUI\\bcbTdELISAAB",
        "6",
    ),
    "wpa-psk-hex": Case(("dot11 ssid BRANCH",), "wpa-psk hex 0 S3cretWpaHex", "S3cretWpaHex", "0"),
    "hsrp-text-no-group": Case(
        ("interface FastEthernet0/1",), "standby authentication text S3cretHsrp", "S3cretHsrp", ""
    ),
    # 2600xm-ccp-pppoa-154.cfg (tests/realconfigs), interface FastEthernet0/0
    "ospfv3-encryption-md5": Case(
        ("interface FastEthernet0/0",),
        "ospfv3 encryption ipsec spi 1001 esp null md5 0 27576134094768132473302031209727",
        "27576134094768132473302031209727",
        "0",
    ),
    "ipv6-ospf-authentication-md5": Case(
        ("interface Serial0/0",),
        "ipv6 ospf authentication ipsec spi 500 md5 1234567890ABCDEF1234567890ABCDEF",
        "1234567890ABCDEF1234567890ABCDEF",
        "",
    ),
    "ipv6-ospf-encryption-two-keys": Case(
        ("interface Serial0/0",),
        "ipv6 ospf encryption ipsec spi 1001 esp aes-cbc 128 0 A1B2C3D4E5F6A7B8 sha1 FEDCBA987654",
        "A1B2C3D4E5F6A7B8",
        "0",
        also=("FEDCBA987654",),
    ),
    "ospfv3-area-authentication": Case(
        ("ipv6 router ospf 1",),
        "area 1 authentication ipsec spi 678 sha1 1234567890ABCDEF1234567890ABCDEF12345678",
        "1234567890ABCDEF1234567890ABCDEF12345678",
        "",
    ),
    "l2tp-class-password": Case(
        ("l2tp-class BRANCH",), "password 7 0822455D0A16", "0822455D0A16", "7"
    ),
    "l2tp-class-digest-secret": Case(
        ("l2tp-class BRANCH",), "digest secret 0 S3cretDigest hash sha", "S3cretDigest", "0"
    ),
}

PROMPTS = {"": "", "indented": " ", "prompt": "R-ITD(config-if)#"}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_redact_of_a_config(case: Case) -> None:
    out = redact(case.config())
    assert case.leaks(out) == []
    assert f"{' ' * len(case.sections)}{case.masked}\n" in out


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("parent", ["own", "out-of-place"])
def test_mask_line(case: Case, parent: str) -> None:
    assert mask_line(case.line, case.parent if parent == "own" else None) == case.masked


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("head", PROMPTS.values(), ids=PROMPTS.keys())
def test_redact_line(case: Case, head: str) -> None:
    assert redact_line(head + case.line) == head + case.masked
    assert redact_text(f"{head}{case.line}\r\nR-ITD(config-if)#") == (
        f"{head}{case.masked}\r\nR-ITD(config-if)#"
    )


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_lint_redact_and_secret_fields(case: Case) -> None:
    assert lint_redact(case.line) == case.masked
    found = [(case.line[f.start : f.end], f.type) for f in secret_fields(case.line)]
    assert found == [(case.secret, case.encoding or None), *((s, None) for s in case.also)]


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_lint_findings_quote_no_secret(case: Case) -> None:
    messages = [f.message for f in lint_config(case.config(), "r.cfg")]
    assert [m for m in messages if case.leaks(m)] == []
    if case.encoding == "7":  # type 7 is reported, with the value masked
        assert any(m.startswith(f"`{case.masked}`") for m in messages), messages


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_session_log(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "session.log"
    log = redacting_log(path, ())
    log.open()
    # netmiko hands the log the echo in pieces; a secret split across writes is still masked
    text = f"R-ITD(config-if)#{case.line}\r\nR-ITD(config-if)#"
    cut = text.index(case.secret) + 2
    log.write(text[:cut])
    log.write(text[cut:])
    log.close()
    written = path.read_text(encoding="utf-8")
    assert case.leaks(written) == []
    assert f"R-ITD(config-if)#{case.masked}" in written


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_device_error_messages(case: Case) -> None:
    """A refused line and the last output of a failed read quote the line masked."""
    error = ConfigLineError("R-ITD", f" {case.line}\n", "% Invalid input detected", 3)
    assert case.leaks(str(error)) == []
    assert repr(case.masked) in str(error)
    tail = _tail(f"R-ITD(config)#\r\nR-ITD(config-if)#{case.line}\r\n")
    assert case.leaks(tail) == []
    assert tail == f"last output: {f'R-ITD(config-if)#{case.masked}'[-120:]!r}"


NOT_SECRETS = {
    "chap-hostname": ("interface Dialer2", "ppp chap hostname plovdiv"),
    "key-chain": (None, "key chain OSPF"),
    "key-id": ("key chain OSPF", "key 1"),
    "description": ("interface Dialer2", "description password 7 is prose"),
    "standby-key-chain": (
        "interface FastEthernet0/1",
        "standby 1 authentication md5 key-chain HSRP",
    ),
    "snmp-host-no-community": (None, "snmp-server host 192.0.2.5 version 2c"),
    "password-encryption": (None, "service password-encryption"),
    "rsa-key": (None, "crypto key generate rsa modulus 1024"),
    "password-prompt": (None, "Password: "),
    # SNMPv3: the word after the security level is the user's name (snmp-server host)
    "snmp-host-v3-user": (None, "snmp-server host 192.0.2.5 informs version 3 priv NETOPS"),
    "snmp-host-v3-auth-user": (None, "snmp-server host 192.0.2.5 version 3 auth NETOPS"),
    "ikev1-keyring-psk-peer": ("peer HQ", "pre-shared-key address 203.0.113.10"),
    "ospfv3-null": ("interface Serial0/0", "ipv6 ospf authentication null"),
    # banner prose seen alone (a session log's echo of a typed banner)
    "banner-prose": (None, "Access is logged: the password is changed daily."),
    "banner-prose-lower": (None, "the password of this router is changed daily"),
}


@pytest.mark.parametrize(("parent", "line"), NOT_SECRETS.values(), ids=NOT_SECRETS.keys())
def test_lines_without_a_secret_stay_as_they_are(parent: str | None, line: str) -> None:
    assert mask_line(line, parent) == line
    assert redact_line(line) == line
    assert lint_redact(line) == line
    assert list(secret_fields(line)) == []


def test_hide_values_masks_the_sites_literal_secrets() -> None:
    line = "R-ITD#ping 192.0.2.1 source Pe5n-literal"
    assert redact_line(line, ["Pe5n-literal", "ab"]) == f"R-ITD#ping 192.0.2.1 source {MASK}"
    assert hide_values("ab Pe5n", ["ab"]) == "ab Pe5n"  # too short to be a secret's text


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("key 6 RHZE[JACMUI", f"key 6 {MASK}"),
        ("key 7 0822455D0A16", f"key 7 {MASK}"),
        ("key S3cretGroupKey", f"key {MASK}"),
    ],
    ids=["type-6", "type-7", "clear"],
)
def test_a_bare_key_line_keeps_its_type_digit(line: str, masked: str) -> None:
    """Out of place, two rows read `key 6 X` (an isakmp group's and a tacacs server's):
    the digit the first reads as the type is not masked as a value by the second."""
    assert redact_line(line) == masked
    assert mask_line(line, None) == masked


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_diff_and_audit(case: Case) -> None:
    """The router has the line, the model has not: drift, remediation, rollback, masked."""
    from iosgen.diff.audit import audit_text

    running = f"hostname R-ITD\n!\n{case.config()}"
    result = audit_text("R-ITD", "hostname R-ITD\n", running)
    assert result.status == "drift"

    def shown(show_secrets: bool) -> str:
        data = result.to_json(show_secrets)
        drift = [line for bucket in data["drift"].values() for line in bucket]
        return "\n".join([*data["remediation"], *data["rollback"], *drift])

    assert case.leaks(shown(False) + repr(result)) == []
    assert case.leaks(shown(True))  # not a lost line


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_history_records(case: Case) -> None:
    """push/history.py writes before.cfg/after.cfg through the engine's redact and the
    lines sent through its mask_line."""
    from iosgen.push.engine import AuditEngine

    engine = AuditEngine()
    assert case.leaks(engine.redact(case.config(), None)) == []
    assert engine.mask_line(case.line, case.parent) == case.masked


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_typed_config_refused_at_the_line_shows_no_secret(case: Case) -> None:
    """ios.capture quotes the line it cannot place: a secret line in a mode that has no
    such command (here a loopback's) is quoted masked."""
    from iosgen.ios.capture import CaptureError, running_config_text

    typed = f"conf t\ninterface Loopback0\nip address 192.0.2.1 255.255.255.255\n{case.line}\nend\n"
    try:
        running_config_text(typed, "typed.cfg")
    except CaptureError as exc:
        assert case.leaks(str(exc)) == []
        assert exc.line == 4
