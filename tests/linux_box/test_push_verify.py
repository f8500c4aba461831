"""The push's verify step: after the restart every tunnel must be up (its unit, its ppp
interface with the negotiated address, the routes, the MASQUERADE rules), read from real
`ip -j` and `iptables-save` output; a tunnel that stays down rolls back every file and
service, ending at the old tree.

This kernel has no PPP, so a network namespace holds a tun device named ppp2 with the
point-to-point address pppd would negotiate, and the recording `systemctl` does what
pppd does when a restarted unit comes up: it runs the tree's own ip-up hook
(`ip-up.d/iosgen`, PPP_IFACE=ppp2 PPP_IPPARAM=sofia) in that namespace, which adds the
route and the tagged rule. A `down` file makes the unit answer as systemd does for a
unit that is redialling, and the hook is not run.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from iosgen.model.site import Site
from iosgen.push.linux import push_linux_host
from iosgen.push.outcome import Final, PushOutcome, Status
from tests.linux_box.conftest import Box
from tests.linux_box.test_verify import JOURNAL

SYSTEMCTL = """#!/bin/sh
echo "systemctl $*" >> "{dir}/calls.log"
if [ "$1" = show ] && [ -e "{dir}/down" ]; then
  printf 'MainPID=0\\nActiveState=activating\\nSubState=auto-restart\\n'
elif [ "$1" = show ]; then
  printf 'MainPID=4242\\nActiveState=active\\nSubState=running\\n'
fi
# pppd coming up after a restart: its ip-up hook runs, in the tunnel's namespace
if [ "$1" = restart ] && [ ! -e "{dir}/down" ] && [ -f "{root}/etc/ppp/ip-up.d/iosgen" ]; then
  ip netns exec {netns} env PPP_IFACE=ppp2 PPP_IPPARAM=sofia sh "{root}/etc/ppp/ip-up.d/iosgen"
fi
exit 0
"""


def sh(*args: str) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True).stdout


@pytest.fixture
def tunnel(box: Box) -> Iterator[str]:
    """ppp2 up in a namespace; the box's ip, iptables-save and journalctl read it."""
    name = f"iosgen-l17v-{os.getpid()}-{box.port}"
    sh("ip", "netns", "add", name)
    try:
        run = ["ip", "netns", "exec", name]
        sh(*run, "ip", "tuntap", "add", "ppp2", "mode", "tun")
        sh(*run, "ip", "addr", "add", "10.255.0.2", "peer", "10.255.0.1", "dev", "ppp2")
        sh(*run, "ip", "link", "set", "ppp2", "up")
        tools = {
            "ip": f'exec /usr/sbin/ip netns exec {name} /usr/sbin/ip "$@"',
            "iptables-save": f'exec /usr/sbin/ip netns exec {name} /usr/sbin/iptables-save "$@"',
            "journalctl": f'cat "{box.dir}/journal"',
        }
        for tool, line in tools.items():
            path = box.dir / "bin" / tool
            path.write_text(f"#!/bin/sh\n{line}\n")
            path.chmod(0o755)
        systemctl = box.dir / "bin" / "systemctl"
        systemctl.write_text(SYSTEMCTL.format(dir=box.dir, root=box.root, netns=name))
        (box.dir / "journal").write_text(JOURNAL)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


def push(box: Box, site: Site, **kw: object) -> PushOutcome:
    options = box.options(verify_tunnels=True, tunnel_wait_seconds=3.0, **kw)
    return push_linux_host(site, None, options, target=box.target)


def with_mtu(site: Site, mtu: int) -> Site:
    sofia = site.pptp_clients["sofia"].model_copy(update={"mtu": mtu})
    return site.model_copy(update={"pptp_clients": {"sofia": sofia}})


def test_the_push_verifies_the_tunnel_it_restarted(box: Box, site: Site, tunnel: str) -> None:
    outcome = push(box, site, force=True)
    assert (outcome.status, outcome.final) == (Status.PUSHED, Final.NEW), outcome.message
    assert "verify: sofia up on ppp2 (10.255.0.2 peer 10.255.0.1)" in outcome.notes
    assert ("verify tunnel sofia", "up") in [(s.line, s.answer) for s in outcome.sent]
    # the hook really ran in the namespace: the route and the tagged rule are there
    assert "10.10.0.0/16 dev ppp2" in sh("ip", "netns", "exec", tunnel, "ip", "route")


# a first push (nothing on the box before) and a change of a pushed tree: both back
CASES = ["first-push", "mtu-change"]


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_a_tunnel_down_after_the_restart_rolls_everything_back(
    box: Box, site: Site, tunnel: str, case: str
) -> None:
    if case == "mtu-change":
        assert push(box, site, force=True).status is Status.PUSHED
        site = with_mtu(site, 1400)
    before, calls = box.tree(), len(box.calls)
    (box.dir / "down").touch()  # the server refuses MPPE: pppd redials, never up
    outcome = push(box, site, force=True)
    assert (outcome.status, outcome.final) == (Status.ROLLED_BACK, Final.OLD), outcome.message
    assert "verify: tunnel(s) down after the restart: sofia: " in outcome.message
    assert "pptp-sofia.service is activating/auto-restart" in outcome.message
    assert "MPPE required but peer negotiation failed" in outcome.message  # pppd's cause
    assert box.tree() == before
    assert "the box has its OLD tree, as before the push" in outcome.notes
    done = [c for c in box.calls[calls:] if not c.startswith("systemctl show")]
    if case == "first-push":  # the new unit is disabled again, nothing else is left
        assert "systemctl disable --now pptp-sofia.service" in done
        assert before == {}
    else:  # restarted on the new files, then again on the old ones
        assert done == ["systemctl restart pptp-sofia.service"] * 2


def test_without_verify_network_a_down_tunnel_does_not_roll_back(
    box: Box, site: Site, tunnel: str
) -> None:
    (box.dir / "down").touch()
    options = box.options(force=True)  # verify_tunnels off: the files are the push's claim
    outcome = push_linux_host(site, None, options, target=box.target)
    assert outcome.status is Status.PUSHED, outcome.message
    assert not any(s.line.startswith("verify tunnel") for s in outcome.sent)
