"""Every built tree checked by the real tools it is written for.

- shellcheck (all optional checks on) finds nothing in any script;
- `pppd call <tunnel> dryrun` accepts every peer file, read from the tree
  mounted over /etc/ppp in a private mount namespace where /dev/ppp is a
  null device (this kernel has no PPP, and pppd stops before its option
  checks without /dev/ppp);
- the iptables rules load for real in a throwaway network namespace
  (`iptables-restore --test` misses target typos and undefined chains);
- sysctl applies the forwarding file in a network namespace;
- systemd-analyze verifies every unit;
- ip-up then ip-down, in a network namespace with a point-to-point device
  standing in for ppp0, leaves routes and NAT rules exactly as before, and a
  second ip-up adds nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iosgen.build import Build
from iosgen.build.linux.chapsecrets import pppd_quote
from iosgen.model.site import Site
from tests.linux.conftest import SITE_NAMES, require, run

pytestmark = pytest.mark.parametrize("linux_site", SITE_NAMES, indirect=True)

# A private /dev holding only a null device named ppp (c 1 3), and the tree's
# etc/ppp mounted over /etc/ppp: pppd then reads exactly the built files.
PPPD_SANDBOX = """
set -e
mount -t tmpfs iosgen-dev /dev
mknod /dev/null c 1 3
mknod /dev/ppp c 1 3
mount --bind "$1/etc/ppp" /etc/ppp
shift
exec pppd "$@"
"""


def pppd_dryrun(root: Path, *options: str) -> tuple[int, str, str]:
    require("pppd", "unshare")
    result = run(["unshare", "-m", "sh", "-c", PPPD_SANDBOX, "sandbox", str(root), *options], False)
    return result.returncode, result.stdout, result.stderr


def has_pppd(build: Build, root: Path) -> bool:
    """A site without a PPTP tunnel gets no pppd files at all (render._pppd_files): a
    pppd check of it asserts that instead."""
    if any(f.path.startswith("etc/ppp/peers/") for f in build.files):
        return True
    assert not (root / "etc/ppp").exists()
    assert not scripts(build)
    return False


def scripts(build: Build) -> list[str]:
    return [f.path for f in build.files if f.mode == 0o755]


def test_every_script_passes_shellcheck(built_tree: tuple[Build, Path]) -> None:
    require("shellcheck")
    build, root = built_tree
    if not has_pppd(build, root):
        return
    paths = scripts(build)
    assert set(paths) == {
        "etc/ppp/ip-up",
        "etc/ppp/ip-down",
        "etc/ppp/ip-up.d/iosgen",
        "etc/ppp/ip-down.d/iosgen",
    }
    for path in paths:
        assert (root / path).read_text().startswith("#!/bin/sh\n"), path
    result = run(["shellcheck", "--enable=all", *(str(root / p) for p in paths)], check=False)
    assert result.returncode == 0 and result.stdout == "", result.stdout


def test_every_peer_passes_pppd_dryrun(linux_site: Site, built_tree: tuple[Build, Path]) -> None:
    _, root = built_tree
    for name, client in linux_site.pptp_clients.items():
        code, out, err = pppd_dryrun(root, "call", name, "dryrun")
        assert code == 0, err
        assert err == ""
        # pppd lists each option with the file it came from: both files were read.
        assert "refuse-mschap\t\t# (from /etc/ppp/options.pptp)" in out
        peer = f"# (from /etc/ppp/peers/{name})"
        for line in (
            f"pty pptp {client.server} --nolaunchpppd",
            f"name {client.chap_hostname}",
            f"remotename {name}",
            f"ipparam {name}",
            f"mtu {client.mtu}",
            f"mru {client.mtu}",
            "noauth",
            "persist",
            "maxfail 0",
            "nodefaultroute",
        ):
            assert f"{line}\t\t{peer}" in out, line
        mppe = {"none": None, "auto": "require-mppe", "40": "require-mppe-40"}
        expected = mppe.get(client.mppe, "require-mppe-128")
        if expected is None:
            assert "mppe" not in out
        else:
            assert f"{expected}\t\t{peer}" in out


def test_pppd_dryrun_does_check_the_options(built_tree: tuple[Build, Path]) -> None:
    """The control: a typo in a peer file fails the same sandboxed dryrun."""
    build, root = built_tree
    if not has_pppd(build, root):
        return
    peers = root / "etc/ppp/peers"
    peers.mkdir(parents=True, exist_ok=True)
    (peers / "typo").write_text("pty true\nfile /etc/ppp/options.pptp\nrequire-mppe-129\n")
    code, _, err = pppd_dryrun(root, "call", "typo", "dryrun")
    assert code == 2
    assert "unrecognized option 'require-mppe-129'" in err


def test_chap_secret_quoting_reads_back_through_pppd(built_tree: tuple[Build, Path]) -> None:
    """pppd reads options files and chap-secrets with one tokenizer (getword);
    a quoted word in a peer file prints back in dryrun as the original text."""
    _, root = built_tree
    secret = "".join(chr(c) for c in range(1, 128)) + " é"
    peers = root / "etc/ppp/peers"
    peers.mkdir(parents=True, exist_ok=True)
    (peers / "quoting").write_text(f"pty true\nremotename {pppd_quote(secret)}\n")
    code, out, err = pppd_dryrun(root, "call", "quoting", "dryrun")
    assert code == 0, err
    printed = next(line for line in out.splitlines() if line.startswith("remotename "))
    value = printed.removeprefix("remotename ").split("\t\t# (from")[0]
    assert _unprint(value) == secret


def _unprint(text: str) -> str:
    """Undo pppd's `%q` printing: `\\xHH`, `\\b \\t \\n \\f`, `\\"` and `\\\\`."""
    named = {"b": b"\b", "t": b"\t", "n": b"\n", "f": b"\f", '"': b'"', "\\": b"\\"}
    raw = text.encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i : i + 1] == b"\\":
            nxt = chr(raw[i + 1])
            if nxt == "x":
                out.append(int(raw[i + 2 : i + 4], 16))
                i += 4
                continue
            out += named[nxt]
            i += 2
            continue
        out.append(raw[i])
        i += 1
    return out.decode("utf-8")


def test_iptables_rules_load_in_a_network_namespace(
    linux_site: Site, built_tree: tuple[Build, Path]
) -> None:
    require("iptables-restore", "iptables-save", "unshare")
    _, root = built_tree
    rules = root / "etc/iptables/rules.v4"
    script = 'iptables-restore "$1" && iptables-save -t nat'
    result = run(["unshare", "-n", "sh", "-c", script, "sh", str(rules)])
    loaded = [line for line in result.stdout.splitlines() if line.startswith("-A ")]
    wan, _ = linux_site.wan
    expected = (
        [
            f'-A POSTROUTING -s {net} -o {wan} -m comment --comment "iosgen:internet_nat" '
            "-j MASQUERADE"
            for net in linux_site.lan_networks
        ]
        if linux_site.internet_nat
        else []
    )
    assert loaded == expected


def test_iptables_namespace_load_catches_a_target_typo(built_tree: tuple[Build, Path]) -> None:
    """The control: `--test` passes this typo, a real load does not."""
    require("iptables-restore", "unshare")
    _, root = built_tree
    bad = root / "bad.v4"
    text = (root / "etc/iptables/rules.v4").read_text()
    bad.write_text(text.replace("COMMIT", "-A POSTROUTING -o eth0 -j MASQUERAD\nCOMMIT"))
    result = run(["unshare", "-n", "iptables-restore", str(bad)], check=False)
    assert result.returncode != 0


def test_sysctl_file_turns_forwarding_on(built_tree: tuple[Build, Path]) -> None:
    require("sysctl", "unshare")
    _, root = built_tree
    conf = root / "etc/sysctl.d/90-iosgen.conf"
    script = 'sysctl -n net.ipv4.ip_forward && sysctl -q -p "$1" && sysctl -n net.ipv4.ip_forward'
    result = run(["unshare", "-n", "sh", "-c", script, "sh", str(conf)])
    assert result.stdout.split() == ["0", "1"]
    assert result.stderr == ""


def test_systemd_units_verify(linux_site: Site, built_tree: tuple[Build, Path]) -> None:
    require("systemd-analyze", "pppd")
    build, root = built_tree
    units = sorted(f.path for f in build.files if f.path.endswith(".service"))
    assert units == sorted(
        f"etc/systemd/system/pptp-{name}.service" for name in linux_site.pptp_clients
    )
    for unit in units:
        result = run(["systemd-analyze", "verify", str(root / unit)], check=False)
        assert result.returncode == 0 and result.stderr == "", result.stderr


# --- ip-up / ip-down in a network namespace ------------------------------------------

# $1: the built tree; $2: "debian" (Debian's own /etc/ppp/ip-up runs our ip-up.d
# through run-parts) or "wrapper" (our /etc/ppp/ip-up, as on Slackware); $3: the
# tunnel (ipparam); $4: a folder for the snapshots and exit codes; $5: commands
# run before the first snapshot. A tun device is point-to-point like ppp0 (this
# kernel has no dummy driver).
HOOK_SANDBOX = r"""
set -e
tree=$1 mode=$2 tunnel=$3 out=$4 setup=${5:-}
if [ "$mode" = debian ]; then
    mount --bind "$tree/etc/ppp/ip-up.d" /etc/ppp/ip-up.d
    mount --bind "$tree/etc/ppp/ip-down.d" /etc/ppp/ip-down.d
else
    mount --bind "$tree/etc/ppp" /etc/ppp
fi
ip link set lo up
ip link add eth0 type veth peer name eth0-peer
ip link set eth0 up
ip addr add 198.51.100.2/24 dev eth0
ip route add default via 198.51.100.1
iptables-restore "$tree/etc/iptables/rules.v4"
# A hand-typed rule identical to the tunnel's but for the comment: never touched.
iptables -t nat -A POSTROUTING -s 172.31.0.0/16 -o ppp0 -j MASQUERADE
ip tuntap add dev ppp0 mode tun
ip link set ppp0 up
ip addr add 10.255.0.2 peer 10.255.0.1 dev ppp0
eval "$setup"
snap() {
    ip route show table all > "$out/$1.routes"
    iptables-save -t nat | grep -v '^#' > "$out/$1.nat"
}
hook() {
    rc=0
    "/etc/ppp/$1" ppp0 /dev/pts/9 0 10.255.0.2 10.255.0.1 "$2" 2>> "$out/stderr" || rc=$?
    echo "$rc" > "$out/$3.rc"
    snap "$3"
}
: > "$out/stderr"
snap before
hook ip-up "$tunnel" up
hook ip-up "$tunnel" up-again
hook ip-up not-ours foreign
hook ip-down "$tunnel" down
hook ip-down "$tunnel" down-again
"""


def hook_run(root: Path, mode: str, tunnel: str, out: Path, setup: str = "") -> None:
    out.mkdir()
    args = [str(root), mode, tunnel, str(out), setup]
    run(["unshare", "-m", "-n", "sh", "-c", HOOK_SANDBOX, "sh", *args])


def exit_codes(out: Path) -> dict[str, int]:
    names = ["up", "up-again", "foreign", "down", "down-again"]
    return {name: int((out / f"{name}.rc").read_text()) for name in names}


def _lines(folder: Path, name: str) -> list[str]:
    routes = (folder / f"{name}.routes").read_text().splitlines()
    nat = (folder / f"{name}.nat").read_text().splitlines()
    return routes + nat


@pytest.mark.parametrize("mode", ["debian", "wrapper"])
def test_ip_up_then_down_restores_routes_and_rules(
    linux_site: Site, built_tree: tuple[Build, Path], tmp_path: Path, mode: str
) -> None:
    require("ip", "iptables", "iptables-save", "iptables-restore", "unshare")
    if mode == "debian" and not Path("/etc/ppp/ip-up").exists():
        pytest.fail("Debian's /etc/ppp/ip-up is missing: apt-get install ppp")
    _, root = built_tree
    for name, client in linux_site.pptp_clients.items():
        out = tmp_path / f"snap-{mode}-{name}"
        hook_run(root, mode, name, out)
        assert exit_codes(out) == dict.fromkeys(exit_codes(out), 0)
        assert (out / "stderr").read_text() == ""
        before, up = _lines(out, "before"), _lines(out, "up")
        added = [line for line in up if line not in before]
        assert [line for line in before if line not in up] == []
        added_routes = sorted(line.split()[0] for line in added if " dev ppp0 " in line)
        assert added_routes == sorted(str(n) for n in client.remote_networks)
        nat = [line for line in added if line.startswith("-A ")]
        lans = linux_site.lan_networks if client.nat else []
        assert nat == [
            f'-A POSTROUTING -s {lan} -o ppp0 -m comment --comment "iosgen:{name}" -j MASQUERADE'
            for lan in lans
        ]
        assert len(added) == len(added_routes) + len(nat)
        assert _lines(out, "up-again") == up, "a second ip-up changed something"
        assert _lines(out, "foreign") == up, "another link's ipparam changed something"
        assert _lines(out, "down") == before, "ip-down did not restore the state before ip-up"
        assert _lines(out, "down-again") == before


@pytest.mark.parametrize("mode", ["debian", "wrapper"])
def test_a_route_that_was_there_before_is_left_alone(
    linux_site: Site, built_tree: tuple[Build, Path], tmp_path: Path, mode: str
) -> None:
    """A remote network already routed elsewhere: ip-up says so and fails, ip-down
    deletes nothing of it."""
    require("ip", "iptables", "iptables-save", "iptables-restore", "unshare")
    _, root = built_tree
    for name, client in linux_site.pptp_clients.items():
        if not client.remote_networks:
            continue
        net = client.remote_networks[0]
        out = tmp_path / f"taken-{mode}-{name}"
        hook_run(root, mode, name, out, f"ip route add {net} via 198.51.100.1")
        codes = exit_codes(out)
        # Debian's ip-up ends with its own test, not with run-parts' status.
        assert codes["up"] == (0 if mode == "debian" else 1)
        assert codes["down"] == 0
        assert f"iosgen ip-up: cannot add route {net} dev ppp0" in (out / "stderr").read_text()
        before = _lines(out, "before")
        assert f"{net} via 198.51.100.1 dev eth0 " in "\n".join(before)
        assert _lines(out, "down") == before


def test_hooks_need_an_interface(built_tree: tuple[Build, Path]) -> None:
    build, root = built_tree
    if not has_pppd(build, root):
        return
    result = run([str(root / "etc/ppp/ip-up.d/iosgen")], check=False)
    assert result.returncode == 1
    assert "no interface name" in result.stderr


def test_ip_down_is_ip_up_reversed(linux_site: Site, built_tree: tuple[Build, Path]) -> None:
    build, root = built_tree
    if not has_pppd(build, root):
        return
    up = (root / "etc/ppp/ip-up.d/iosgen").read_text()
    down = (root / "etc/ppp/ip-down.d/iosgen").read_text()
    for name in linux_site.pptp_clients:
        steps_up = _branch(up, name)
        steps_down = _branch(down, name)
        assert [s.replace("_add ", "_del ") for s in reversed(steps_up)] == steps_down


def _branch(script: str, tunnel: str) -> list[str]:
    match = re.search(rf"^    {re.escape(tunnel)}\)\n(.*?)^        ;;$", script, re.M | re.S)
    assert match, tunnel
    return [
        line.strip()
        for line in match[1].splitlines()
        if line.strip().startswith(("route_", "nat_"))
    ]
