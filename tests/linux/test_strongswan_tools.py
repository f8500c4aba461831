"""Every built etc/swanctl/conf.d/iosgen.conf loaded by the real strongSwan of Debian 12
(charon-systemd and swanctl 5.9.8), in an empty network namespace with a private /run
and the sandbox's own /etc/swanctl (Debian's files plus the built one in conf.d):

- `swanctl --load-all` loads every connection and every secret, and says nothing else;
- `swanctl --list-conns --raw` reads back the model's addresses, identities, IKEv1,
  lifetimes, DPD and traffic selectors;
- an IKE exchange with a second charon standing in for the IOS 12.4 head office (a
  responder configured here with IOS's values and the key in hex, not by iosgen):
  main mode comes up with the model's proposal and key, and quick mode agrees on the
  ESP proposal with PFS. This kernel has no ESP in its XFRM (netlink: "Protocol not
  supported"), so the IPsec SA is negotiated but cannot be installed;
- controls: a proposal strongSwan does not know, and a responder with another key, fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iosgen.model.site import Site
from tests.linux.vpn_support import (
    SWAN_LOAD,
    SWAN_OFFICE,
    built,
    checked,
    require,
    sections,
    swan_etc,
    swan_sandbox,
    swanctl_complaints,
    vpn_sites,
)

CONNECTIONS = {"lx-br1": ("sofia-ipsec",), "lx-br2": ("ruse-ipsec", "varna-ipsec")}


@pytest.fixture(scope="module")
def sites() -> dict[str, Site]:
    return vpn_sites()


def _conf(site: Site, tmp_path: Path) -> Path:
    built(site, tmp_path / "root")
    conf = tmp_path / "root" / "etc" / "swanctl" / "conf.d" / "iosgen.conf"
    assert oct(conf.stat().st_mode & 0o777) == "0o600"
    return conf


def _raw_conns(text: str) -> dict[str, str]:
    """`list-conn event {NAME {...}}` lines of `--list-conns --raw`, by connection."""
    out = {}
    for line in text.splitlines():
        found = re.match(r"list-conn event \{([\w-]+) \{(.*)\}\}$", line)
        if found:
            out[found.group(1)] = found.group(2)
    return out


@pytest.mark.parametrize("host", sorted(CONNECTIONS), ids=sorted(CONNECTIONS))
def test_swanctl_loads_and_lists_what_the_model_says(
    sites: dict[str, Site], host: str, tmp_path: Path
) -> None:
    site = sites[host]
    etc = swan_etc(tmp_path / "etc", _conf(site, tmp_path))
    code, out, err = swan_sandbox(SWAN_LOAD, str(etc))
    assert code == 0, err
    parts = sections(out)
    names = CONNECTIONS[host]
    for name in names:
        assert f"loaded ike secret 'ike-{name}'" in parts["load"]
        assert f"loaded connection '{name}'" in parts["load"]
    assert f"successfully loaded {len(names)} connections, 0 unloaded" in parts["load"]
    assert swanctl_complaints(err) == []

    conns = _raw_conns(parts["conns"])
    assert sorted(conns) == sorted(names)
    _, wan = site.wan
    for name in names:
        tunnel = site.ipsec_tunnels[name]
        raw = conns[name]
        assert f"remote_addrs=[{tunnel.peer}]" in raw
        assert "version=IKEv1" in raw
        if wan.ipv4 == "dhcp":
            assert "local_addrs=[%any]" in raw
        else:
            assert f"local_addrs=[{wan.ipv4.ip}]" in raw
            assert f"local-1 {{id={wan.ipv4.ip} class=pre-shared key" in raw
        assert f"remote-1 {{id={tunnel.peer} class=pre-shared key" in raw
        life = tunnel.ike.lifetime_seconds
        # proposed lifetime = reauth_time + over_time = IOS's `lifetime`
        assert f"reauth_time={life - life // 10} rekey_time=0" in raw
        dpd = tunnel.dpd
        assert f"dpd_delay={dpd.interval} dpd_timeout={dpd.interval + 5 * dpd.retry}" in raw
        # nat: true hides the LANs behind this end's own address (strongSwan's dynamic)
        lans = "dynamic" if tunnel.nat else " ".join(str(n) for n in site.lan_networks)
        remote = " ".join(str(n) for n in tunnel.remote_networks)
        esp_life = tunnel.ipsec.lifetime_seconds
        assert f"children {{{name} {{mode=TUNNEL rekey_time={esp_life - esp_life // 10} " in raw
        assert f"local-ts=[{lans}] remote-ts=[{remote}]" in raw


def test_unknown_proposal_fails_to_load(sites: dict[str, Site], tmp_path: Path) -> None:
    """The control: the same sandbox refuses a proposal with a group strongSwan lacks."""
    conf = _conf(sites["lx-br1"], tmp_path)
    bad = tmp_path / "bad.conf"
    bad.write_text(
        conf.read_text().replace(
            "proposals = aes256-sha1-modp1536", "proposals = aes256-sha1-modp1537", 1
        )
    )
    etc = swan_etc(tmp_path / "etc", bad)
    code, out, err = swan_sandbox(SWAN_LOAD, str(etc))
    assert code != 0
    assert "loading connection 'sofia-ipsec' failed" in out + err


# What the IOS head office of each tunnel is configured with, written here as an IOS
# admin would (crypto isakmp policy / transform-set / set pfs), in strongSwan's words.
OFFICES = {
    ("lx-br1", "sofia-ipsec"): ("aes256-sha1-modp1536", "aes256-sha1-modp1536"),
    ("lx-br2", "varna-ipsec"): ("aes128-sha1-modp2048", "aes128-sha1-modp2048"),
    ("lx-br2", "ruse-ipsec"): ("aes192-sha1-modp3072", "aes256-sha1-modp1536"),
}
# The proposals as charon reports them once agreed
SEEN = {
    "aes256-sha1-modp1536": ("AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1536",),
    "aes128-sha1-modp2048": ("AES_CBC-128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048",),
    "aes192-sha1-modp3072": ("AES_CBC-192/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_3072",),
}
ESP_SEEN = {
    "aes256-sha1-modp1536": "ESP:AES_CBC_256/HMAC_SHA1_96/MODP_1536/NO_EXT_SEQ",
    "aes128-sha1-modp2048": "ESP:AES_CBC_128/HMAC_SHA1_96/MODP_2048/NO_EXT_SEQ",
}


def office_conf(name: str, peer: str, ike: str, esp: str, key: str, site: Site) -> str:
    """The responder's swanctl file: IOS's values, the key in hex (not iosgen's encoding)."""
    tunnel = site.ipsec_tunnels[name]
    # a branch with nat: true offers its own address: IOS's ACL names it
    lans = "dynamic" if tunnel.nat else ", ".join(str(n) for n in site.lan_networks)
    remote = ", ".join(str(n) for n in tunnel.remote_networks)
    return f"""connections {{
    office {{
        version = 1
        local_addrs = {peer}
        proposals = {ike}
        local {{
            auth = psk
            id = {peer}
        }}
        remote {{
            auth = psk
        }}
        children {{
            office {{
                local_ts = {remote}
                remote_ts = {lans}
                esp_proposals = {esp}
            }}
        }}
    }}
}}
secrets {{
    ike-office {{
        secret = 0x{key.encode().hex()}
    }}
}}
"""


def _exchange(site: Site, name: str, key: str, tmp_path: Path) -> tuple[str, str]:
    tunnel = site.ipsec_tunnels[name]
    ike, esp = OFFICES[(site.hostname, name)]
    peer = str(tunnel.peer)
    _, wan = site.wan
    # a DHCP WAN gets an address here; IOS answers it through its dynamic crypto map
    address = str(wan.ipv4.ip) if wan.ipv4 != "dhcp" else "198.51.100.99"
    branch = swan_etc(tmp_path / "branch", _conf(site, tmp_path))
    office = swan_etc(
        tmp_path / "office", extra={"office.conf": office_conf(name, peer, ike, esp, key, site)}
    )
    sync = tmp_path / "sync"
    sync.mkdir()
    code, _, err = swan_sandbox(
        SWAN_OFFICE, str(office), str(branch), name, address, peer, str(sync), timeout=90
    )
    assert code == 0, err
    parts = sections((sync / "branch.out").read_text())
    return parts["sas"], parts["log"]


@pytest.mark.parametrize(
    ("host", "name"), sorted(OFFICES), ids=[f"{h}-{n}" for h, n in sorted(OFFICES)]
)
def test_ike_comes_up_with_an_ios_like_responder(
    sites: dict[str, Site], host: str, name: str, tmp_path: Path
) -> None:
    site = sites[host]
    key = site.ipsec_tunnels[name].pre_shared_key.reveal()
    sas, log = _exchange(site, name, key, tmp_path)
    ike, esp = OFFICES[(host, name)]
    assert re.search(rf"^{name}: #\d+, ESTABLISHED, IKEv1", sas, re.M), log
    assert SEEN[ike][0] in sas
    # quick mode agreed on ESP with PFS (the KE payload's group)
    if esp in ESP_SEEN:
        assert f"selected proposal: {ESP_SEEN[esp]}" in log, log


def test_ike_fails_with_another_key(sites: dict[str, Site], tmp_path: Path) -> None:
    """The control: the responder holds a different key, and main mode never completes."""
    sas, log = _exchange(sites["lx-br1"], "sofia-ipsec", "not-the-key", tmp_path)
    assert "ESTABLISHED" not in sas
    # main mode's third exchange is encrypted with keys the PSK went into
    assert "decryption failed?" in log, log


def test_rules_with_nat_exemption_and_wireguard_masquerade_load(
    sites: dict[str, Site], tmp_path: Path
) -> None:
    """rules.v4 of lx-br1 (IPsec exemptions before the Internet MASQUERADE, a MASQUERADE
    out of wg0) loaded for real by iptables-restore in an empty network namespace, and
    read back in that order by iptables-save."""
    require("iptables-restore", "iptables-save", "unshare")
    root = tmp_path / "root"
    built(sites["lx-br1"], root)
    script = 'iptables-restore "$1" && iptables-save -t nat'
    out = checked(["unshare", "-n", "sh", "-c", script, "sh", str(root / "etc/iptables/rules.v4")])
    rules = [line for line in out.splitlines() if line.startswith("-A POSTROUTING")]
    exempt = [r for r in rules if "--pol ipsec" in r]
    assert len(exempt) == 4  # 2 LANs x 2 remote networks
    assert all("-j ACCEPT" in r and "iosgen:sofia-ipsec" in r for r in exempt)
    masq_wg = [r for r in rules if "-o wg0" in r]
    assert masq_wg == [
        f'-A POSTROUTING -s {lan} -o wg0 -m comment --comment "iosgen:hq-wg" -j MASQUERADE'
        for lan in ("192.168.61.0/24", "192.168.62.0/24")
    ]
    internet = [i for i, r in enumerate(rules) if "iosgen:internet_nat" in r]
    # the exemptions come first: the Internet MASQUERADE would take the tunnel's traffic
    assert max(rules.index(r) for r in exempt) < min(internet)


def test_rules_of_a_nat_tunnel_load(sites: dict[str, Site], tmp_path: Path) -> None:
    """lx-br2's ruse-ipsec has nat: true: its LAN is masqueraded out of the WAN towards
    the remote network, and nothing is exempted."""
    require("iptables-restore", "iptables-save", "unshare")
    root = tmp_path / "root"
    built(sites["lx-br2"], root)
    script = 'iptables-restore "$1" && iptables-save -t nat'
    out = checked(["unshare", "-n", "sh", "-c", script, "sh", str(root / "etc/iptables/rules.v4")])
    rules = [line for line in out.splitlines() if line.startswith("-A POSTROUTING")]
    assert rules == [
        "-A POSTROUTING -s 192.168.72.0/24 -d 192.168.30.0/24 -o eth0"
        ' -m comment --comment "iosgen:ruse-ipsec" -j MASQUERADE'
    ]
