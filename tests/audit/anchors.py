"""A branch config in the seed's shape, small enough to read in a test."""

from __future__ import annotations

BASE = """\
hostname R-ITD
!
username netops privilege 15 secret 5 {netops_hash}
!
interface FastEthernet0/0
 description WAN
 ip address dhcp
 ip nat outside
 ip virtual-reassembly
 duplex auto
 speed auto
!
interface FastEthernet0/1
 description LAN
 ip address 192.168.10.1 255.255.255.0
 ip nat inside
 ip virtual-reassembly
 duplex auto
 speed auto
!
interface Dialer2
 mtu 1460
 ip address negotiated
 ip nat outside
 ip virtual-reassembly
 encapsulation ppp
 dialer-group 2
 no cdp enable
 ppp encrypt mppe auto
 ppp chap hostname plovdiv
 ppp chap password 7 0123035155
!
ip route 10.10.0.0 255.255.0.0 Dialer2
ip nat inside source route-map INTERNET interface FastEthernet0/0 overload
ip nat inside source route-map VPN interface Dialer2 overload
!
access-list 10 permit 192.168.10.0 0.0.0.255
dialer-list 2 protocol ip permit
!
route-map INTERNET permit 10
 match ip address 10
 match interface FastEthernet0/0
!
route-map VPN permit 10
 match ip address 10
 match interface Dialer2
!
line vty 0 4
 transport input ssh
!
end
"""

NETOPS_CLEAR = "netops-demo"
# md5-crypt of "netops-demo" under two salts, as two IOS writes would store it
NETOPS_HASH = "$1$Jw63$K/0bbUC1dcBONvGTC6o/i."
NETOPS_OTHER_SALT = "$1$abcd$bQnPtva63t7/ADMuTVA4v/"
CHAP_CLEAR = "Pe5n"  # 0123035155 decodes to it


def base(**values: str) -> str:
    return BASE.format(netops_hash=values.get("netops_hash", NETOPS_HASH))


def without_block(text: str, header: str) -> str:
    """The config without the block opened by `header` (and its children)."""
    out, skipping = [], False
    for line in text.splitlines():
        if line == header:
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out) + "\n"
