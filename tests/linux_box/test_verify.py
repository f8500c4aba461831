"""Verify of the tunnels: real `ip -j` and `iptables-save` output from a network namespace
where a tun device named ppp2 stands in for the tunnel (this kernel has no PPP), its
routes and NAT rules added by the tree's own ip-up hook."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from iosgen.model.site import Site
from iosgen.push.linux import push_linux_host, verify_linux_site
from tests.linux_box.conftest import Box

# pppd's own lines for an MPPE refusal (pppd/ccp.c; Debian 12's pppd 2.4.9 holds them)
JOURNAL = """\
Using interface ppp2
Connect: ppp2 <--> /dev/pts/3
CHAP authentication succeeded
MPPE required but peer negotiation failed
Connection terminated.
"""


def sh(*args: str) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True).stdout


@pytest.fixture
def netns(box: Box, site: Site) -> Iterator[str]:
    """A namespace with ppp2 up (10.255.0.2 peer 10.255.0.1) after the tree's ip-up hook."""
    assert push_linux_host(site, None, box.options(force=True), target=box.target).ok
    name = f"iosgen-l17-{os.getpid()}-{box.port}"
    sh("ip", "netns", "add", name)
    try:
        run = ["ip", "netns", "exec", name]
        sh(*run, "ip", "tuntap", "add", "ppp2", "mode", "tun")
        sh(*run, "ip", "addr", "add", "10.255.0.2", "peer", "10.255.0.1", "dev", "ppp2")
        sh(*run, "ip", "link", "set", "ppp2", "up")
        hook = str(box.root / "etc/ppp/ip-up.d/iosgen")
        sh(*run, "env", "PPP_IFACE=ppp2", "PPP_IPPARAM=sofia", "sh", hook)
        tools = {
            "ip": f'exec /usr/sbin/ip netns exec {name} /usr/sbin/ip "$@"',
            "iptables-save": f'exec /usr/sbin/ip netns exec {name} /usr/sbin/iptables-save "$@"',
            "journalctl": f'cat "{box.dir}/journal"',
        }
        for tool, line in tools.items():
            path = box.dir / "bin" / tool
            path.write_text(f"#!/bin/sh\n{line}\n")
            path.chmod(0o755)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


def test_a_tunnel_that_is_up(box: Box, site: Site, netns: str) -> None:
    (state,) = verify_linux_site(site, box.options().device, target=box.target)
    assert (state.name, state.interface, state.up) == ("sofia", "ppp2", True), state.problems
    assert state.address == "10.255.0.2 peer 10.255.0.1"
    assert state.log == ()


def test_a_tunnel_that_is_down_says_why(box: Box, site: Site, netns: str) -> None:
    sh("ip", "netns", "exec", netns, "ip", "route", "del", "10.10.0.0/16", "dev", "ppp2")
    sh("ip", "netns", "exec", netns, "iptables", "-t", "nat", "-F", "POSTROUTING")
    (box.dir / "down").touch()
    (box.dir / "journal").write_text(JOURNAL)
    (state,) = verify_linux_site(site, box.options().device, target=box.target)
    assert not state.up
    assert state.problems == (
        "pptp-sofia.service is activating/auto-restart",
        "no route to 10.10.0.0/16 via ppp2",
        "no MASQUERADE of 192.168.11.0/24 out of ppp2",
    )
    assert state.log[-2:] == ("MPPE required but peer negotiation failed", "Connection terminated.")
    assert state.causes == (
        "MPPE required but peer negotiation failed: the server offers no (or other) MPPE",
    )
