"""`push_linux_host` and `audit_linux_site`: a `linux-pppd` box's tree pushed and audited.

The router's push guarantees, for files: preflight on the box before anything
is written (pppd, pptp, PPP and MPPE in the kernel, an init system the tree
fits, `ip_forward` writable), a plan (which files change, each with a unified
diff, secrets redacted; which services reload), the management-path guard, a
backup of every file it replaces (on the box, `var/backups/iosgen/<ts>/`),
each file written atomically (`iosgen.device.linux.LinuxBox.place`), only
the units and rules whose files changed reloaded, a verify (the tree read
back equals the build), and on any failure every file put back as it was and
the same services reloaded on it, ending at the OLD tree, or the NEW one, and
saying which. Never raises for a box's failure: every path returns a
`PushOutcome`.

`var/lib/iosgen/manifest.json` on the box keeps the sha256 of every file the
last push wrote: a file that differs from it was edited by hand (refused
without `force`), and a file it names that the build no longer has is removed.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from ipaddress import IPv4Address, ip_address
from pathlib import Path
from typing import TYPE_CHECKING

from iosgen.build.files import MODE_FILE, BuiltFile
from iosgen.device.linux import LinuxBox, LinuxOptions
from iosgen.device.session import DeviceOptions
from iosgen.diff.audit import AuditResult, unreachable
from iosgen.diff.linux import OWNER, BoxFile, audit_tree, differing, tree_diff
from iosgen.errors import DeviceError, UsageError
from iosgen.model.platform import Platform
from iosgen.model.secret import Secret
from iosgen.model.site import Site
from iosgen.model.targets import Target, target_of
from iosgen.push.linux_vpn import PROBE as VPN_PROBE
from iosgen.push.linux_vpn import (
    judge_vpn,
    stop_steps,
    unit_steps,
    verify_script,
    vpn_guard,
    vpn_problems,
    vpn_versions,
)
from iosgen.push.outcome import Final, PushOutcome, Sent, Status
from iosgen.push.plan import PushOptions
from iosgen.push.signals import shielded, why

if TYPE_CHECKING:
    from iosgen.build import Build

MANIFEST = "var/lib/iosgen/manifest.json"
BACKUPS = "var/backups/iosgen"
RULES = "etc/iptables/rules.v4"
SYSCTL = "etc/sysctl.d/90-iosgen.conf"
# A change to these can cut the path iosgen reaches the box through.
STALE = "the box's files changed since the plan was confirmed: run again"
GUARDED = {RULES: "the permanent iptables rules", SYSCTL: "the forwarding sysctl"}
# Files every tunnel's pppd reads (or runs) when it dials: a change restarts them all.
SHARED = (
    "etc/ppp/options.pptp",
    "etc/ppp/chap-secrets",
    "etc/ppp/ip-up",
    "etc/ppp/ip-down",
    "etc/ppp/ip-up.d/iosgen",
    "etc/ppp/ip-down.d/iosgen",
)

# Preflight: what the probe prints (`key=value`), and the message naming the fix
# when it is missing. The kernel's PPP and MPPE come from its config
# (CONFIG_PPP, CONFIG_PPP_MPPE: drivers/net/ppp/Kconfig) or its module list.
PROBE = r"""
R=$1
echo "pppd=$(command -v pppd)"
echo "pptp=$(command -v pptp)"
echo "ppp_version=$(dpkg-query -W -f '${Version}' ppp 2>/dev/null ||
  pppd --version 2>&1 | sed -n 's/^pppd version //p')"
echo "pptp_version=$(dpkg-query -W -f '${Version}' pptp-linux 2>/dev/null)"
rel=$(uname -r)
{ cat "$R/boot/config-$rel" 2>/dev/null; [ -z "$R" ] && zcat /proc/config.gz 2>/dev/null; } |
  sed -n 's/^CONFIG_PPP=\(.\)$/kernel_ppp=\1/p; s/^CONFIG_PPP_MPPE=\(.\)$/kernel_mppe=\1/p'
for m in ppp_generic ppp_mppe; do
  grep -qs "/$m\.ko" "$R/lib/modules/$rel/modules.dep" "$R/lib/modules/$rel/modules.builtin" &&
    echo "module_$m=yes"
done
[ -d "$R/run/systemd/system" ] && echo init=systemd
[ -f "$R/etc/inittab" ] && echo inittab=yes
[ -w "$R/proc/sys/net/ipv4/ip_forward" ] && echo ip_forward=writable
"""
PROBE += VPN_PROBE + "exit 0\n"

INSTALL = {
    "pppd": "pppd is not installed: apt-get install ppp",
    "pptp": "pptp is not installed: apt-get install pptp-linux",
    "ppp": "the kernel has no PPP (CONFIG_PPP, module ppp_generic): use a kernel with PPP",
    "mppe": (
        "the kernel has no MPPE (CONFIG_PPP_MPPE, module ppp_mppe), which every tunnel "
        "with mppe other than none requires: use a kernel with MPPE"
    ),
    "init": (
        "the box runs neither systemd (/run/systemd/system) nor a sysvinit inittab "
        "(/etc/inittab): the tree fits neither"
    ),
    "ip_forward": "/proc/sys/net/ipv4/ip_forward is not writable (a container without "
    "its own network namespace?): the gateway cannot forward",
}


@dataclass(frozen=True)
class Preflight:
    facts: dict[str, str]
    problems: tuple[str, ...]
    init: str  # "systemd" or "inittab"
    vpn: str = ""  # the WireGuard/strongSwan packages' versions, when the site has them
    pptp: bool = True  # the site has a PPTP tunnel (pppd's versions matter)

    def versions(self) -> str:
        parts = []
        if self.pptp:
            parts.append(
                f"ppp {self.facts.get('ppp_version') or '?'}, "
                f"pptp-linux {self.facts.get('pptp_version') or '?'}"
            )
        if self.vpn:
            parts.append(self.vpn)
        return ", ".join([*parts, f"init {self.init or '?'}"])


def judge_probe(text: str, site: Site) -> Preflight:
    """The probe's output against what the site's tree needs (pure): pppd, pptp and the
    kernel's PPP only for a site with a PPTP tunnel; wg/wg-quick and swanctl for its
    WireGuard and IPsec tunnels (iosgen.push.linux_vpn)."""
    facts = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    pptp = bool(site.pptp_clients)
    problems = [INSTALL[k] for k in ("pppd", "pptp") if pptp and not facts.get(k)]
    has_ppp = facts.get("kernel_ppp") in ("y", "m") or facts.get("module_ppp_generic") == "yes"
    if pptp and not has_ppp:
        problems.append(INSTALL["ppp"])
    wants_mppe = any(c.mppe != "none" for c in site.pptp_clients.values())
    has_mppe = facts.get("kernel_mppe") in ("y", "m") or facts.get("module_ppp_mppe") == "yes"
    if wants_mppe and not has_mppe:
        problems.append(INSTALL["mppe"])
    init = "systemd" if facts.get("init") == "systemd" else ""
    init = init or ("inittab" if facts.get("inittab") else "")
    if not init:
        problems.append(INSTALL["init"])
    if facts.get("ip_forward") != "writable":
        problems.append(INSTALL["ip_forward"])
    problems += vpn_problems(site, facts, init)
    return Preflight(facts, tuple(problems), init, vpn_versions(site, facts), pptp)


@dataclass(frozen=True)
class LinuxPushOptions:
    dry_run: bool = False
    force: bool = False
    device: LinuxOptions = field(default_factory=LinuxOptions)
    history_dir: Path | None = Path(".iosgen/history")
    reconnect_delays: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
    # `<dir>/<host>.log`: every command and its answer, redacted (LinuxBox.log)
    session_log_dir: Path | None = None
    # one push per box on this machine, as for routers (`<lock_dir>/<HOST>.lock`)
    lock_dir: Path | None = None
    # `push --verify-network`: after the reloads, every tunnel must be up (unit
    # running, ppp<dialer> with its address, routes, MASQUERADE) within
    # `tunnel_wait_seconds` (pppd dials the server first), else everything rolls back
    verify_tunnels: bool = False
    tunnel_wait_seconds: float = 30.0
    # `push --plan`: per host, the sha256 of the box's files the plan was made
    # against (`box_sha256`); a box whose files differ now is refused
    planned_state: Mapping[str, str] | None = None
    # Called with ("upload" | "place" | "reload", build path or command) before each
    # step: the tests drop the session or fill the disk there.
    on_step: Callable[[str, str], None] | None = None

    @classmethod
    def of(
        cls, device: DeviceOptions, *, sudo_password: Secret | None = None, **kw: object
    ) -> LinuxPushOptions:
        """From the router push's options (known hosts, timeouts)."""
        return cls(
            device=LinuxOptions(
                known_hosts=device.known_hosts,
                accept_new_host_key=device.accept_new_host_key,
                conn_timeout=device.conn_timeout,
                read_timeout=device.read_timeout,
                sudo_password=sudo_password,
            ),
            **kw,  # type: ignore[arg-type]
        )


def linux_options(options: PushOptions | None) -> LinuxPushOptions:
    """The router push's options as a Linux push's (the revert timer and `save` have no
    Linux meaning: a box's rollback is iosgen's own, and its files are its startup)."""
    options = options or PushOptions()
    return LinuxPushOptions.of(
        options.device,
        dry_run=options.dry_run,
        force=options.force,
        history_dir=options.history_dir,
        reconnect_delays=options.reconnect_delays,
        session_log_dir=options.session_log_dir,
        lock_dir=options.lock_dir,
        verify_tunnels=options.verify_network,
        tunnel_wait_seconds=options.network_wait_seconds,
        planned_state=options.planned_running,
    )


def linux_audit_job(
    targets_file: Path | None, options: DeviceOptions
) -> Callable[[Site], AuditResult]:
    """The fleet's per-site audit job for Linux boxes (`iosgen.fleet.audit.audit_live`)."""
    from iosgen.model.targets import read_targets_file

    overrides = read_targets_file(targets_file) if targets_file is not None else None
    device = LinuxPushOptions.of(options).device

    def job(site: Site) -> AuditResult:
        if overrides is not None and site.hostname.lower() not in overrides:
            raise UsageError(f"{targets_file} has no entry for {site.hostname}")
        target = overrides[site.hostname.lower()] if overrides is not None else None
        return audit_linux_site(site, None, device, target=target)

    return job


@dataclass(frozen=True)
class LinuxPlan:
    writes: tuple[BuiltFile, ...]
    removes: tuple[str, ...]
    diff: tuple[str, ...]  # unified diffs, secrets redacted
    steps: tuple[str, ...]  # the reload commands, in order
    refusals: tuple[str, ...]
    created: tuple[str, ...]  # tunnels whose unit file is new
    # run before any file is written: the VPN units whose file goes (linux_vpn.stop_steps)
    stops: tuple[str, ...] = ()

    @property
    def in_sync(self) -> bool:
        return not self.writes and not self.removes

    @property
    def changed(self) -> set[str]:
        return {f.path for f in self.writes} | set(self.removes)


def sha256(text: str) -> str:
    return BoxFile("", text).sha256


def read_manifest(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    try:
        files = json.loads(text).get("files", {})
    except (ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def manifest_text(files: tuple[BuiltFile, ...]) -> str:
    data = {"written_by": "iosgen", "files": {f.path: sha256(f.content) for f in files}}
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def tree_sha256(files: tuple[BuiltFile, ...]) -> str:
    """The build as a plan file records it: each path with its mode and content's sha256."""
    lines = sorted(f"{f.path} {f.mode:04o} {sha256(f.content)}" for f in files)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def box_sha256(box: Mapping[str, BoxFile]) -> str:
    """The box's managed files as a plan file records them (content, mode, owner; a
    missing file counts too): a box whose files differ later is refused the plan."""
    lines = sorted(
        f"{p} {f.mode:04o} {f.owner} {f.sha256}" if f.exists else f"{p} missing"
        for p, f in box.items()
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# The seed's inittab path (a box without systemd): the tree's inittab.iosgen holds
# the respawn lines; the push keeps them in /etc/inittab between these two lines,
# replacing its own block and leaving every other line as the box has it.
INITTAB = "etc/inittab"
RESPAWN = "etc/inittab.iosgen"
BEGIN = "# BEGIN iosgen: the respawn lines of /etc/inittab.iosgen (written by iosgen push)"
END = "# END iosgen"


def with_respawn(inittab: str, respawn: str) -> str:
    """`inittab` with iosgen's block holding the respawn lines of `respawn` (pure).

    >>> print(with_respawn("id:2:initdefault:\\n", "# comment\\npp02:2345:respawn:/x\\n"), end="")
    id:2:initdefault:
    # BEGIN iosgen: the respawn lines of /etc/inittab.iosgen (written by iosgen push)
    pp02:2345:respawn:/x
    # END iosgen
    """
    keep: list[str] = []
    inside = False
    for line in inittab.splitlines():
        if line == BEGIN:
            inside = True
        elif line == END and inside:
            inside = False
        elif not inside:
            keep.append(line)
    lines = [ln for ln in respawn.splitlines() if ln.strip() and not ln.startswith("#")]
    return "\n".join([*keep, BEGIN, *lines, END]) + "\n"


def _unit_tunnel(path: str) -> str | None:
    prefix, suffix = "etc/systemd/system/pptp-", ".service"
    if path.startswith(prefix) and path.endswith(suffix):
        return path[len(prefix) : -len(suffix)]
    return None


def _unit_path(tunnel: str) -> str:
    return f"etc/systemd/system/pptp-{tunnel}.service"


def reload_steps(
    site: Site,
    changed: set[str],
    init: str,
    root: str,
    created: tuple[str, ...] = (),
    present: set[str] | None = None,
    was: set[str] | None = None,
) -> list[str]:
    """The commands that make the box run the changed files, and only those.

    A tunnel restarts when its peer file or unit changed, or a file every tunnel
    reads (`SHARED`); rules.v4 is loaded with iptables-restore, the sysctl file
    with `sysctl -p`. The WireGuard and strongSwan units follow `linux_vpn.unit_steps`
    (`present`: the paths there once written, default the changed ones; `was`: those
    there before, default none). With `present` the pptp tunnels are those whose unit
    is there (a rollback's old tree may hold a tunnel the site dropped).
    """
    names = set(site.pptp_clients)
    if present is not None:
        names = {t for p in present if (t := _unit_tunnel(p))}
        new = {t for p in changed if (t := _unit_tunnel(p)) and p in present}
        before = was or set()
        created = tuple(sorted(set(created) | {t for t in new if _unit_path(t) not in before}))
    tunnels = sorted(names)
    if any(p in SHARED for p in changed):
        restart = tunnels
    else:
        restart = [
            t
            for t in tunnels
            if f"etc/ppp/peers/{t}" in changed or f"etc/systemd/system/pptp-{t}.service" in changed
        ]
    base = root.rstrip("/")
    steps: list[str] = []
    if RULES in changed:
        steps.append(f"iptables-restore {base}/{RULES}")
    if SYSCTL in changed:
        steps.append(f"sysctl -p {base}/{SYSCTL}")
    if init == "systemd":
        gone = sorted(t for p in changed if (t := _unit_tunnel(p)) and t not in names)
        steps += [f"systemctl disable --now pptp-{t}.service" for t in gone]
        if any(_unit_tunnel(p) for p in changed):
            steps.append("systemctl daemon-reload")
        steps += [f"systemctl enable pptp-{t}.service" for t in created]
        steps += [f"systemctl restart pptp-{t}.service" for t in restart]
        steps += unit_steps(site, changed, changed if present is None else present, was or set())
    elif restart or INITTAB in changed:
        # inittab's respawn starts a killed pppd again, on the new files.
        steps.append("telinit q")
        steps += [f"pkill -f '^/usr/sbin/pppd call {t} nodetach'; true" for t in restart]
    return steps


def guard(
    site: Site,
    changed: set[str],
    manager: str | None,
    old: Mapping[str, BoxFile] | None = None,
) -> list[str]:
    """Changes that can cut the management path (refused without force); `old`: the
    box's files, for a WireGuard or IPsec tunnel the build no longer has."""
    out = [f"/{p} ({what}) changes" for p, what in GUARDED.items() if p in changed]
    try:
        address = ip_address(manager) if manager else None
    except ValueError:
        address = None
    for name, client in sorted(site.pptp_clients.items()):
        touched = f"etc/ppp/peers/{name}" in changed or any(p in SHARED for p in changed)
        if touched and isinstance(address, IPv4Address):
            for net in client.remote_networks:
                if address in net:
                    out.append(
                        f"tunnel {name} restarts and its remote network {net} holds "
                        f"the management endpoint {address}"
                    )
    if isinstance(address, IPv4Address):
        out += vpn_guard(site, changed, address, old or {})
    return out


def plan_tree(
    site: Site,
    files: tuple[BuiltFile, ...],
    box: dict[str, BoxFile],
    manifest: dict[str, str],
    init: str,
    root: str,
    manager: str | None,
    force: bool,
) -> LinuxPlan:
    """What a push does to this box (pure); `files`: the build's, and on an inittab box
    /etc/inittab with the respawn block (`with_respawn`)."""
    writes = differing(files, box)
    built = {f.path for f in files}
    removes = tuple(
        sorted(p for p in manifest if p not in built and box.get(p, BoxFile(p, None)).exists)
    )
    refusals: list[str] = []
    for path in [f.path for f in writes] + list(removes):
        have = box.get(path, BoxFile(path, None))
        if have.exists and path in manifest and manifest[path] != have.sha256:
            refusals.append(f"/{path} was edited by hand since the last push")
    changed = {f.path for f in writes} | set(removes)
    refusals += guard(site, changed, manager, box)
    diff = tree_diff(files, box, removes)
    created = tuple(
        t
        for f in writes
        if (t := _unit_tunnel(f.path)) and not box.get(f.path, BoxFile(f.path, None)).exists
    )
    return LinuxPlan(
        writes,
        removes,
        diff,
        tuple(reload_steps(site, changed, init, root, created, built, _existing(box))),
        tuple(refusals) if not force else (),
        created,
        tuple(stop_steps(site, changed, built) if init == "systemd" else ()),
    )


def _existing(box: Mapping[str, BoxFile]) -> set[str]:
    return {p for p, f in box.items() if f.exists}


@dataclass
class _Run:
    site: Site
    build: Build
    target: Target
    options: LinuxPushOptions
    expected: tuple[str, ...] | None = None
    started: float = field(default_factory=time.monotonic)
    before: dict[str, BoxFile] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    plan: LinuxPlan | None = None
    since: int | None = None  # the box's clock (epoch) before the reloads
    reloaded: bool = False  # a reload step ran (services may hold the new files)
    files: tuple[BuiltFile, ...] = ()  # what the push manages (the build, /etc/inittab)
    hashes: tuple[str | None, str | None] = (None, None)  # a plan's (build, box) sha256

    def step(self, kind: str, what: str) -> None:
        if self.options.on_step is not None:
            self.options.on_step(kind, what)

    def outcome(self, status: Status, final: Final, message: str) -> PushOutcome:
        plan = self.plan
        return PushOutcome(
            self.site.hostname,
            status,
            final,
            message,
            lines=plan.diff if plan else (),
            sent=tuple(self.sent),
            refusals=plan.refusals if plan else (),
            notes=tuple(self.notes),
            seconds=time.monotonic() - self.started,
            box=True,
            built_sha256=self.hashes[0],
            running_sha256=self.hashes[1],
        )


def managed_paths(build: Build) -> list[str]:
    return [f.path for f in build.files]


def push_linux_host(
    site: Site,
    build: Build | None = None,
    options: LinuxPushOptions | None = None,
    *,
    target: Target | None = None,
    expected: tuple[str, ...] | None = None,
) -> PushOutcome:
    """Push the site's tree to its box; never raises for the box's failure.

    `expected`: the diff lines the operator confirmed (a dry run's `lines`); if the
    box changed since, the plan differs and the push is refused, nothing written.

    Raises `UsageError` (exit 2) for a site that is not `linux-pppd` or has no
    usable management login.
    """
    from iosgen.build import build_site

    if site.platform is not Platform.LINUX_PPPD:
        raise UsageError(f"{site.hostname}: platform {site.platform} is not linux-pppd")
    options = options or LinuxPushOptions()
    build = build or build_site(site)
    target = target or target_of(site)
    ssh = target.ssh
    keyed = options.device.key_file or ssh.identity_file or ssh.config_file
    if not target.username or not (target.password.reveal() or keyed):
        raise UsageError(
            f"{site.hostname}: management has no usable login (user and password or key)"
        )
    if options.device.sudo_password is None:
        # management.sudo_password; without it sudo is asked the login's password
        sudo = site.management.sudo_password
        if isinstance(sudo, Secret):
            options = replace(options, device=replace(options.device, sudo_password=sudo))
    run = _Run(site, build, target, options, expected, files=build.files)
    if options.dry_run or options.lock_dir is None:
        return _connected(run)
    from iosgen.push.lock import LockHeld, host_lock

    try:
        with host_lock(options.lock_dir, site.hostname):
            return _connected(run)
    except LockHeld as exc:
        return _finish(run, run.outcome(Status.REFUSED, Final.OLD, str(exc)))


def _connected(run: _Run) -> PushOutcome:
    options = run.options
    device = replace(options.device, hide=(*options.device.hide, *_secrets(run.site)))
    if options.session_log_dir is not None:
        try:
            options.session_log_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            run.notes.append(f"session log not written: {exc.strerror or exc}")
        else:
            log = options.session_log_dir / f"{run.site.hostname}.log"
            device = replace(device, session_log=log)
    run.options = options = replace(options, device=device)
    box = LinuxBox(run.target, options.device)
    try:
        try:
            box.connect()
        except DeviceError as exc:
            return _finish(run, run.outcome(Status.UNREACHABLE, Final.OLD, str(exc)))
        try:
            outcome = _push(run, box, run.expected)
        except DeviceError as exc:  # before the first write
            outcome = run.outcome(Status.UNREACHABLE, Final.OLD, f"{exc}: nothing written")
        box.log(f"-- {run.site.hostname}: {outcome.status.value}: {outcome.message}")
        return _finish(run, outcome)
    finally:
        box.close()


def _secrets(site: Site) -> tuple[str, ...]:
    """The site's clear-text secrets (the routers' list, and the sudo password)."""
    from iosgen.push.engine import site_secrets

    sudo = site.management.sudo_password
    extra = (sudo.reveal(),) if isinstance(sudo, Secret) and sudo.reveal() else ()
    return (*site_secrets(site), *extra)


@dataclass(frozen=True)
class BoxTree:
    """What the box has of the files a push manages."""

    files: tuple[BuiltFile, ...]  # the build's, and /etc/inittab on an inittab box
    have: dict[str, BoxFile]  # each managed and stale path as the box has it
    manifest: dict[str, str]  # the last push's sha256 per path

    @property
    def stale(self) -> tuple[str, ...]:
        built = {f.path for f in self.files}
        return tuple(p for p in self.manifest if p not in built)


def read_tree(box: LinuxBox, build: Build, init: str) -> BoxTree:
    """The box's managed files, the manifest, and on an inittab box /etc/inittab with
    the respawn block (`with_respawn`) among the files to manage. Raises DeviceError."""
    paths = managed_paths(build)
    inittab = [INITTAB] if init == "inittab" else []
    have = box.read_files([*paths, *inittab, MANIFEST])
    manifest = read_manifest(have.pop(MANIFEST).content)
    have.update(box.read_files(p for p in manifest if p not in paths and p not in have))
    files = build.files
    if inittab:
        old = have[INITTAB]
        # no PPTP tunnel, no respawn lines: iosgen's block is emptied if it has one,
        # and an inittab it never wrote to is left alone
        respawn = next((f.content for f in build.files if f.path == RESPAWN), "")
        if respawn or BEGIN in (old.content or ""):
            text = with_respawn(old.content or "", respawn)
            files = (*files, BuiltFile(INITTAB, text, old.mode or MODE_FILE))
    return BoxTree(files, have, manifest)


def _read_box(run: _Run, box: LinuxBox, init: str) -> dict[str, str]:
    """The box's managed files into `run.before`, the files to manage into `run.files`;
    returns the manifest."""
    tree = read_tree(box, run.build, init)
    run.files, run.before = tree.files, tree.have
    return tree.manifest


# The init system alone (the preflight's rule), for audit and diff.
INIT_PROBE = r"""
R=$1
if [ -d "$R/run/systemd/system" ]; then echo systemd
elif [ -f "$R/etc/inittab" ]; then echo inittab; fi
exit 0
"""


def _push(run: _Run, box: LinuxBox, expected: tuple[str, ...] | None) -> PushOutcome:
    options = run.options
    root = options.device.root
    probe = box.run(f"set -- {_q(root)}; {PROBE}")
    pre = judge_probe(probe.out, run.site)
    if pre.problems:
        run.notes += list(pre.problems)
        return run.outcome(
            Status.REFUSED, Final.OLD, "preflight: " + "; ".join(pre.problems) + ": nothing written"
        )
    run.notes.append(f"preflight: {pre.versions()}")
    manifest = _read_box(run, box, pre.init)
    planned = (options.planned_state or {}).get(run.site.hostname)
    now = box_sha256(run.before)
    if planned is not None and now != planned:
        return run.outcome(
            Status.REFUSED,
            Final.OLD,
            f"the box's files changed since the plan was made (planned against sha256 "
            f"{planned[:12]}..., the box now has {now[:12]}...): nothing written; "
            "make a new plan",
        )
    plan = plan_tree(
        run.site, run.files, run.before, manifest, pre.init, root, box.local_address, options.force
    )
    run.plan = plan
    if options.dry_run:  # a plan: what it was made from, for a plan file
        run.hashes = (tree_sha256(run.build.files), now)
        if plan.stops or plan.steps:
            run.notes.append("would run: " + "; ".join((*plan.stops, *plan.steps)))
    if plan.in_sync:
        return run.outcome(Status.IN_SYNC, Final.NEW, "the box already has the built tree")
    if options.dry_run:
        return run.outcome(Status.PLANNED, Final.OLD, "dry run: nothing written")
    if expected is not None and tuple(expected) != plan.diff:
        return run.outcome(Status.REFUSED, Final.OLD, STALE)
    if plan.refusals:
        return run.outcome(
            Status.REFUSED,
            Final.OLD,
            f"{len(plan.refusals)} change(s) refused: --force pushes them anyway",
        )
    return _apply(run, box, plan, pre.init)


def _apply(run: _Run, box: LinuxBox, plan: LinuxPlan, init: str) -> PushOutcome:
    staged = box.staging()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    touched = False
    try:
        box.upload(staged, _uploads(plan.writes, run.build), lambda p: run.step("upload", p))
        _backup(run, box, stamp)
        # the box's clock before any restart: a WireGuard handshake must be newer
        run.since = _box_clock(box) if run.options.verify_tunnels else None
        for command in plan.stops:
            run.step("reload", command)
            touched = run.reloaded = True
            out = box.checked(command, command)
            run.sent.append(Sent(command, out.strip()))
        for index, f in enumerate(plan.writes):
            run.step("place", f.path)
            touched = True
            box.place(f"{staged}/{index}", f.path, f.mode)
            run.sent.append(Sent(f"write /{f.path} {f.mode:04o} {OWNER}", "ok"))
        for path in plan.removes:
            run.step("place", path)
            touched = True
            box.remove(path)
            run.sent.append(Sent(f"remove /{path}", "ok"))
        box.place(f"{staged}/{len(plan.writes)}", MANIFEST, MODE_FILE)
        for command in plan.steps:
            run.step("reload", command)
            run.reloaded = True
            out = box.checked(command, command)
            run.sent.append(Sent(command, out.strip()))
        _verify_tree(run, box, plan)
        if run.options.verify_tunnels and _has_tunnels(run.site):
            run.step("verify", "tunnels")
            _verify_tunnels(run, box)
    except DeviceError as exc:
        if not touched:
            _cleanup(run, box, staged)
            return run.outcome(Status.ABORTED, Final.OLD, f"{exc}: nothing written")
        return _rollback(run, box, plan, init, str(exc))
    except KeyboardInterrupt as exc:
        # Ctrl-C, SIGTERM or SIGHUP (iosgen.push.signals) mid-push: the box may be
        # mid-command, so a fresh session puts the old files back, unstoppable.
        with shielded():
            box.close()
            if not touched:
                _cleanup(run, box, staged)
                return run.outcome(Status.ABORTED, Final.OLD, f"{why(exc)}: nothing written")
            return _rollback(run, box, plan, init, why(exc))
    box.cleanup(staged)
    run.notes.append(f"backup on the box: /{BACKUPS}/{stamp}/")
    return run.outcome(Status.PUSHED, Final.NEW, f"{len(plan.changed)} file(s) written")


def _verify_tree(run: _Run, box: LinuxBox, plan: LinuxPlan) -> None:
    """The tree read back equals the build, and the stale files are gone."""
    left = [f"/{f.path}" for f in differing(run.files, box.read_files(f.path for f in run.files))]
    left += [f"/{p}" for p, f in box.read_files(plan.removes).items() if f.exists]
    if left:
        raise DeviceError(
            run.site.hostname,
            "verify: the box's tree differs from the build after the push: " + ", ".join(left),
        )


def _box_clock(box: LinuxBox) -> int | None:
    text = box.run("date +%s", privileged=False).out.strip()
    return int(text) if text.isdigit() else None


def _has_tunnels(site: Site) -> bool:
    return bool(site.tunnels or site.wireguard_server)


def _restarted(run: _Run) -> frozenset[str]:
    """The WireGuard interfaces this push restarted (`systemctl restart wg-quick@wgN`)."""
    prefix = "systemctl restart wg-quick@"
    return frozenset(
        s.line.removeprefix(prefix).removesuffix(".service")
        for s in run.sent
        if s.line.startswith(prefix)
    )


def _verify_tunnels(run: _Run, box: LinuxBox) -> None:
    """Every tunnel up within `tunnel_wait_seconds` (pppd dials after its restart), read
    as `verify_linux_site` reads it; else a DeviceError naming each tunnel's problems
    and pppd's logged cause, and the push rolls back."""
    deadline = time.monotonic() + run.options.tunnel_wait_seconds
    while True:
        states = tunnel_states(run.site, box, run.since, _restarted(run))
        down = [s for s in states if not s.up]
        if not down or time.monotonic() >= deadline:
            break
        time.sleep(1.0)
    for state in states:
        run.sent.append(Sent(f"verify tunnel {state.name}", "up" if state.up else "down"))
    if down:
        why = "; ".join(
            f"{s.name}: {', '.join(s.problems)}"
            + (f" (pppd: {'; '.join(s.causes)})" if s.causes else "")
            for s in down
        )
        raise DeviceError(run.site.hostname, f"verify: tunnel(s) down after the restart: {why}")
    run.notes.append(
        "verify: " + ", ".join(f"{s.name} up on {s.interface} ({s.address})" for s in states)
    )


def _uploads(files: tuple[BuiltFile, ...], build: Build) -> list[tuple[str, str]]:
    """The files, then the new manifest (its last slot)."""
    return [(f.path, f.content) for f in files] + [(MANIFEST, manifest_text(build.files))]


def _backup(run: _Run, box: LinuxBox, stamp: str) -> None:
    """`cp -p` of every file the push replaces or removes, on the box, before any write."""
    assert run.plan is not None
    folder = box.path(f"{BACKUPS}/{stamp}")
    names = [p for p in sorted(run.plan.changed | {MANIFEST}) if run.before.get(p, _none(p)).exists]
    if not names:
        return
    script = f"set -e; umask 077; mkdir -p {_q(folder)}; " + "; ".join(
        f"mkdir -p {_q(folder + '/' + p.rsplit('/', 1)[0])}; cp -p {_q(box.path(p))} "
        f"{_q(folder + '/' + p)}"
        for p in names
    )
    box.checked(script, "the backup")


def _none(path: str) -> BoxFile:
    return BoxFile(path, None)


def _cleanup(run: _Run, box: LinuxBox, staged: str) -> None:
    if not box.alive:
        box = _reconnect(run) or box
    box.cleanup(staged)


def _reconnect(run: _Run) -> LinuxBox | None:
    for delay in (0.0, *run.options.reconnect_delays):
        time.sleep(delay)
        try:
            return LinuxBox(run.target, run.options.device).connect()
        except DeviceError:
            continue
    return None


def _rollback_stops(
    run: _Run, box: LinuxBox, plan: LinuxPlan, init: str, back: set[str]
) -> set[str]:
    """The units the push created stopped while their files are still there (wg-quick
    reads its file to go down); returns the commands run."""
    done = []
    for t in plan.created:
        done.append(f"systemctl disable --now pptp-{t}.service")
        box.run(done[-1])
    if init == "systemd":
        for command in stop_steps(run.site, plan.changed, back):
            result = box.run(command)
            done.append(command)
            run.sent.append(Sent(f"(rollback) {command}", (result.out + result.err).strip()))
    return set(done)


def _rollback(run: _Run, box: LinuxBox, plan: LinuxPlan, init: str, why: str) -> PushOutcome:
    """Every changed file back as it was, the same services reloaded on it, then checked."""
    run.notes.append(f"rolling back: {why}")
    if not box.alive:
        fresh = _reconnect(run)
        if fresh is None:
            return run.outcome(
                Status.FAILED, Final.UNKNOWN, f"{why}; the box could not be reached to roll back"
            )
        box = fresh
    paths = sorted(plan.changed | {MANIFEST})
    # the old tree's paths, and those the push left (the steps of the way back)
    back = _existing(run.before)
    left = (back | {f.path for f in run.files}) - set(plan.removes)
    try:
        done = _rollback_stops(run, box, plan, init, back)
        # only what differs from before: a write that failed left its file as it was
        # (the rename never happened), and a full disk has no room for a needless copy
        current = box.read_files(paths)
        olds = [
            old for p in paths if _state(current[p]) != _state(old := run.before.get(p, _none(p)))
        ]
        keep = [f for f in olds if f.exists]
        if keep:
            staged = box.staging()
            box.upload(staged, [(f.path, f.content or "") for f in keep], lambda p: None)
            for index, f in enumerate(keep):
                box.place(f"{staged}/{index}", f.path, f.mode)
                if f.owner != OWNER:
                    box.checked(f"chown {_q(f.owner)} {_q(box.path(f.path))}", f"chown /{f.path}")
            box.cleanup(staged)
        for f in olds:
            if not f.exists:
                box.remove(f.path)
        if olds or run.reloaded:
            root = run.options.device.root
            for command in reload_steps(run.site, plan.changed, init, root, (), back, left):
                if command in done:
                    continue
                result = box.run(command)
                run.sent.append(Sent(f"(rollback) {command}", (result.out + result.err).strip()))
        now = box.read_files(paths)
    except DeviceError as exc:
        return run.outcome(Status.FAILED, Final.UNKNOWN, f"{why}; the rollback failed: {exc}")
    wrong = [p for p in paths if _state(now[p]) != _state(run.before.get(p, _none(p)))]
    if wrong:
        return run.outcome(
            Status.FAILED,
            Final.UNKNOWN,
            f"{why}; after the rollback these differ from before: {', '.join(wrong)}",
        )
    return run.outcome(Status.ROLLED_BACK, Final.OLD, f"{why}; the old tree is back")


def _state(f: BoxFile) -> tuple[str | None, int, str]:
    return (f.content, f.mode, f.owner) if f.exists else (None, 0, "")


def _finish(run: _Run, outcome: PushOutcome) -> PushOutcome:
    """The history record (as for routers: not for a dry run or nothing to do)."""
    outcome = replace(outcome, notes=(*outcome.notes, where_linux(outcome)))
    history = run.options.history_dir
    if history is None or outcome.status in (Status.PLANNED, Status.IN_SYNC):
        return outcome
    from iosgen.push.engine import AuditEngine
    from iosgen.push.history import write_history

    try:
        path = write_history(history, run.site, outcome, None, None, AuditEngine())
    except OSError as exc:
        return replace(outcome, notes=(*outcome.notes, f"history not written: {exc}"))
    return replace(outcome, history=path)


def where_linux(outcome: PushOutcome) -> str:
    """The sentence a Linux push ends with (PushOutcome.where() speaks of routers)."""
    return {
        Final.NEW: "the box has the NEW (built) tree",
        Final.OLD: "the box has its OLD tree, as before the push",
        Final.UNKNOWN: "the box's tree is UNKNOWN: check it by hand",
    }[outcome.final]


def audit_linux_site(
    site: Site,
    build: Build | None = None,
    options: LinuxOptions | None = None,
    *,
    target: Target | None = None,
) -> AuditResult:
    """The box's managed files against the build; `unreachable` when they cannot be read."""
    return diff_linux_site(site, build, options, target=target).result


@dataclass(frozen=True)
class TreeDiff:
    """`iosgen diff` of a box: the audit, and the unified diff a push would apply."""

    result: AuditResult
    diff: tuple[str, ...] = ()


def diff_linux_site(
    site: Site,
    build: Build | None = None,
    options: LinuxOptions | None = None,
    *,
    target: Target | None = None,
) -> TreeDiff:
    """The box's managed files against the build, with each file's unified diff (secrets
    redacted); `unreachable` when they cannot be read."""
    from iosgen.build import build_site

    build = build or build_site(site)
    try:
        with LinuxBox(target or target_of(site), options) as box:
            init = box.run(f"set -- {_q(box.options.root)}; {INIT_PROBE}").out.strip()
            tree = read_tree(box, build, init)
    except DeviceError as exc:
        return TreeDiff(unreachable(site.hostname, str(exc)))
    removes = tuple(p for p in tree.stale if tree.have[p].exists)
    return TreeDiff(
        audit_tree(site.hostname, tree.files, tree.have, tree.stale),
        tree_diff(tree.files, tree.have, removes),
    )


# -- verify: the tunnels themselves -------------------------------------------------------

# What pppd logs when a PPTP tunnel does not come up, each with the cause an operator
# looks for. The texts are pppd's own format strings (ppp-project/ppp: pppd/ccp.c,
# pppd/chap-new.c, pppd/fsm.c with "LCP" for %s), as Debian 12's /usr/sbin/pppd
# (ppp 2.4.9) holds them (`strings /usr/sbin/pppd`).
PPPD_FAILURES: tuple[tuple[str, str], ...] = (
    ("MPPE required but peer negotiation failed", "the server offers no (or other) MPPE"),
    ("MPPE required but peer refused", "the server refuses MPPE"),
    ("CHAP authentication failed", "the server refused the CHAP name or secret"),
    ("LCP: timeout sending Config-Requests", "no PPP answer through the PPTP call"),
)

# $1: the root prefix, then the units. Without systemd (the inittab respawn) the
# tunnel's state is its pppd process, said in systemctl's words (Init=inittab).
VERIFY = r"""
R=$1; shift
ip -j addr show
echo "@@route"
ip -j route show
echo "@@nat"
iptables-save -t nat
for unit in "$@"; do
  echo "@@unit $unit"
  if [ -d "$R/run/systemd/system" ]; then
    systemctl show -p ActiveState -p SubState -p MainPID "$unit"
  else
    name=${unit#pptp-}; name=${name%.service}
    pid=$(pgrep -of "^/usr/sbin/pppd call $name nodetach")
    echo Init=inittab
    if [ -n "$pid" ]; then printf 'MainPID=%s\nActiveState=active\nSubState=running\n' "$pid"
    else printf 'MainPID=0\nActiveState=inactive\nSubState=dead\n'; fi
  fi
done
exit 0
"""


@dataclass(frozen=True)
class TunnelState:
    name: str
    interface: str
    up: bool
    problems: tuple[str, ...] = ()
    address: str = ""  # `local peer` as negotiated
    log: tuple[str, ...] = ()  # pppd's last lines when down (journalctl -u)
    causes: tuple[str, ...] = ()  # PPPD_FAILURES found in the log


def _sections(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    key = "addr"
    for line in text.splitlines(keepends=True):
        if line.startswith("@@"):
            key = line[2:].strip()
            continue
        out[key] = out.get(key, "") + line
    return out


def judge_tunnels(site: Site, text: str) -> tuple[TunnelState, ...]:
    """The VERIFY script's output against the site's tunnels (pure).

    A tunnel is up when its unit is active and running, `ppp<dialer>` is UP with an
    address, a route to each remote network goes through it, and the tagged
    MASQUERADE rule (`iosgen:<tunnel>`) is in place for each LAN when `nat`.
    """
    parts = _sections(text)
    links = {str(i.get("ifname")): i for i in json.loads(parts.get("addr") or "[]")}
    routes = json.loads(parts.get("route") or "[]")
    nat = parts.get("nat", "")
    lans = [str(n) for n in site.lan_networks]
    out = []
    for name, client in sorted(site.pptp_clients.items()):
        ifname = f"ppp{client.dialer}"
        problems = []
        unit = dict(
            line.split("=", 1)
            for line in parts.get(f"unit pptp-{name}.service", "").splitlines()
            if "=" in line
        )
        state = f"{unit.get('ActiveState', '?')}/{unit.get('SubState', '?')}"
        if state != "active/running" and unit.get("Init") == "inittab":
            problems.append(f"pppd call {name} is not running (inittab respawn)")
        elif state != "active/running":
            problems.append(f"pptp-{name}.service is {state}")
        link = links.get(ifname)
        address = ""
        if link is None or "UP" not in link.get("flags", []):
            problems.append(f"{ifname} is {'down' if link else 'missing'}")
        else:
            inet = [a for a in link.get("addr_info", []) if a.get("family") == "inet"]
            if inet:
                address = f"{inet[0].get('local')} peer {inet[0].get('address', '?')}"
            else:
                problems.append(f"{ifname} has no negotiated address")
        for net in client.remote_networks:
            if not any(r.get("dst") == str(net) and r.get("dev") == ifname for r in routes):
                problems.append(f"no route to {net} via {ifname}")
        for lan in lans if client.nat else []:
            rule = f'-s {lan} -o {ifname} -m comment --comment "iosgen:{name}" -j MASQUERADE'
            if rule not in nat:
                problems.append(f"no MASQUERADE of {lan} out of {ifname}")
        out.append(TunnelState(name, ifname, not problems, tuple(problems), address))
    return tuple(out)


def with_log(state: TunnelState, log: str) -> TunnelState:
    """A down tunnel with pppd's last lines and the known causes found in them."""
    lines = tuple(line for line in log.splitlines() if line.strip())[-10:]
    causes = tuple(
        f"{text}: {cause}" for text, cause in PPPD_FAILURES if any(text in ln for ln in lines)
    )
    return replace(state, log=lines, causes=causes)


def tunnel_states(
    site: Site,
    box: LinuxBox,
    since: int | None = None,
    restarted: frozenset[str] = frozenset(),
) -> tuple[TunnelState, ...]:
    """Each tunnel's state on a connected box; a PPTP tunnel that is down comes with
    `journalctl -u`'s last lines. WireGuard and IPsec tunnels: `linux_vpn.judge_vpn`
    (a handshake after `since` for the `restarted` interfaces). Raises DeviceError."""
    out: list[TunnelState] = []
    if site.pptp_clients:
        out += _pptp_states(site, box)
    if site.wireguard_tunnels or site.ipsec_tunnels or site.wireguard_server:
        text = box.checked(verify_script(site), "verify")
        out += [
            TunnelState(v.name, v.interface, v.up, v.problems, v.address)
            for v in judge_vpn(site, text, since, restarted)
        ]
    return tuple(out)


def _pptp_states(site: Site, box: LinuxBox) -> list[TunnelState]:
    units = " ".join(_q(f"pptp-{n}.service") for n in sorted(site.pptp_clients))
    root = _q(box.options.root)
    states = judge_tunnels(site, box.checked(f"set -- {root} {units}; {VERIFY}", "verify"))
    out = []
    for state in states:
        if not state.up:
            unit = _q(f"pptp-{state.name}.service")
            log = box.run(f"journalctl -u {unit} -n 20 --no-pager -o cat 2>/dev/null").out
            state = with_log(state, log)
        out.append(state)
    return out


def verify_linux_site(
    site: Site, options: LinuxOptions | None = None, *, target: Target | None = None
) -> tuple[TunnelState, ...]:
    """Each tunnel's state on the box (`ip -j`, `iptables-save`, `systemctl show`, or
    pppd's process on an inittab box); a tunnel that is down comes with `journalctl
    -u`'s last lines. Raises DeviceError."""
    with LinuxBox(target or target_of(site), options) as box:
        return tunnel_states(site, box)


def backup_linux_site(
    site: Site,
    folder: Path,
    build: Build | None = None,
    options: LinuxOptions | None = None,
    *,
    target: Target | None = None,
) -> Path:
    """The box's managed files under `folder/<hostname>/`, as the box has them, secrets
    redacted (chap-secrets' secret column): for people and diffs, not for restoring.
    On an inittab box, /etc/inittab too: iosgen manages its respawn block (`BEGIN`).
    Raises DeviceError."""
    from iosgen.build import build_site
    from iosgen.diff.linux import redact

    build = build or build_site(site)
    paths = managed_paths(build)
    inittab = [INITTAB] if RESPAWN in paths else []
    with LinuxBox(target or target_of(site), options) as box:
        have = box.read_files([*paths, *inittab])
    box_inittab = have.get(INITTAB)
    if box_inittab is not None and BEGIN not in (box_inittab.content or ""):
        del have[INITTAB]  # a systemd box's inittab, or none: not iosgen's
    base = folder / site.hostname
    for rel, f in sorted(have.items()):
        if f.content is None:
            continue
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(redact(rel, f.content), encoding="utf-8")
        path.chmod(f.mode & 0o777)
    return base


def _q(text: str) -> str:
    import shlex

    return shlex.quote(text)


__all__ = [
    "PPPD_FAILURES",
    "LinuxPlan",
    "LinuxPushOptions",
    "Preflight",
    "TreeDiff",
    "TunnelState",
    "audit_linux_site",
    "backup_linux_site",
    "box_sha256",
    "diff_linux_site",
    "judge_probe",
    "judge_tunnels",
    "linux_audit_job",
    "linux_options",
    "plan_tree",
    "push_linux_host",
    "reload_steps",
    "tree_sha256",
    "tunnel_states",
    "verify_linux_site",
    "where_linux",
    "with_respawn",
]
