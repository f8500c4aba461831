"""Nornir task plugins over iosgen's public API: build, diff, audit, push, verify.

Each task reads the iosgen `Site` that `IosgenInventory` put in `host.data["site"]`
and returns a Nornir `Result` with

- `result`: what iosgen returned (the masked config of a build, an `AuditResult`, a
  `PushOutcome`); `build` / `audit` / `outcome` attributes hold the same objects;
- `diff`: the remediation, one command a line, secrets masked;
- `changed`: whether the router was (or, in a dry run, would be) changed;
- `failed`: the task could not do its job, or (audit) the router drifted.

An iosgen error (bad input, an unreachable router) becomes a failed Result whose
`result` is iosgen's one-line message, never a traceback. `iosgen_push` is
`push_host`: it never leaves a router half-configured (its rollback guarantees),
and under Nornir's `dry_run` it plans from the running config and types nothing.
`iosgen_verify` is `iosgen verify` (iosgen.network.verify_host): `failed` when a
tunnel is down or a check fails, `result` the HostReport.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from nornir.core.task import Result, Task

from iosgen.errors import IosgenError, UsageError
from iosgen.model.platform import Platform
from iosgen.model.site import Site
from iosgen.nornir.inventory import SITE_KEY, TARGET_KEY

if TYPE_CHECKING:
    from iosgen.device.session import DeviceOptions
    from iosgen.model.targets import Target
    from iosgen.push import PushOptions

NO_SITE = "no iosgen site in host.data['site']: load the inventory with the IosgenInventory plugin"

# netmiko's package imports are circular: imported for the first time from several
# runner threads at once, some get a partially initialised module (as fleet/audit.py).
_IMPORT_LOCK = threading.Lock()


def _load_ssh() -> None:
    with _IMPORT_LOCK:
        import netmiko  # noqa: F401

        import iosgen.device.session  # noqa: F401


def _site(task: Task) -> Site:
    site = task.host.data.get(SITE_KEY)
    if not isinstance(site, Site):
        raise UsageError(f"{task.host.name}: {NO_SITE}")
    return site


def _ios_site(task: Task, verb: str) -> Site:
    site = _site(task)
    if site.platform != Platform.IOS:
        raise UsageError(
            f"{site.hostname}: platform {site.platform}: iosgen {verb} drives IOS 12.4 routers "
            "only (iosgen_build builds this site's files)"
        )
    return site


def _target(task: Task, site: Site) -> Target:
    from iosgen.model.targets import Target

    target = task.host.data.get(TARGET_KEY)
    if not isinstance(target, Target):
        raise UsageError(
            f"{site.hostname}: the inventory's targets file has no entry for this host",
            hint="iosgen never falls back to the management address when a targets file is given",
        )
    return target


def _guarded(task: Task, body: Callable[[], Result]) -> Result:
    """`body()`, with an iosgen error turned into a failed Result carrying its message."""
    try:
        return body()
    except IosgenError as exc:
        return Result(host=task.host, result=exc.message, failed=True, exception=exc)


def iosgen_build(task: Task) -> Result:
    """Build the host's site. `result`: the config (IOS) or `{path: content}` (Linux),
    every secret masked (`secret 5` hashes too); `build`: the `Build` itself, secrets in
    clear (to write a file)."""

    def body() -> Result:
        from iosgen.build import build_site
        from iosgen.ios.secrets import redact

        build = build_site(_site(task))
        single = build.single
        shown: str | dict[str, str] = (
            redact(single.content)
            if single is not None
            else {f.path: build.masked(f.content) for f in build.files}
        )
        return Result(host=task.host, result=shown, build=build)

    return _guarded(task, body)


def _running(target: Target, device: DeviceOptions | None) -> str:
    _load_ssh()
    from iosgen.device.session import Device

    with Device(target, device) as dev:
        return dev.running_config()


def iosgen_diff(
    task: Task, running: str | None = None, device: DeviceOptions | None = None
) -> Result:
    """The remediation that takes the router's running config (`running`, else fetched
    over SSH) to the model. `changed`: there is drift, i.e. a push would change it."""

    def body() -> Result:
        from iosgen.diff.audit import audit_site

        site = _ios_site(task, "diff")
        text = running if running is not None else _running(_target(task, site), device)
        audit = audit_site(site, text)
        return Result(
            host=task.host,
            result=audit,
            changed=audit.status == "drift",
            diff="\n".join(audit.remediation.lines()),
            audit=audit,
        )

    return _guarded(task, body)


def iosgen_audit(
    task: Task, saved: str | Path | None = None, device: DeviceOptions | None = None
) -> Result:
    """Audit the router: live over SSH, or against `<saved>/<HOSTNAME>.cfg` (as `iosgen
    backup` writes them). `failed`: drift or unreachable (as `iosgen audit` exits 1 or 3);
    `changed` is always False, an audit changes nothing."""

    def body() -> Result:
        from iosgen.diff.audit import audit_site, unreachable
        from iosgen.errors import DeviceError

        site = _ios_site(task, "audit")
        try:
            if saved is not None:
                path = Path(saved) / f"{site.hostname}.cfg"
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError as exc:
                    raise DeviceError(
                        site.hostname, f"no saved config {path}: {exc.strerror}"
                    ) from None
                source = str(path)
            else:
                text, source = _running(_target(task, site), device), site.hostname
        except DeviceError as exc:
            audit = unreachable(site.hostname, exc.message)
            return Result(
                host=task.host, result=exc.message, failed=True, exception=exc, audit=audit
            )
        audit = audit_site(site, text, source)
        return Result(
            host=task.host,
            result=audit,
            failed=audit.status != "in_sync",
            diff="\n".join(audit.remediation.lines()),
            audit=audit,
        )

    return _guarded(task, body)


def iosgen_push(
    task: Task,
    dry_run: bool | None = None,
    force: bool | None = None,
    options: PushOptions | None = None,
) -> Result:
    """`push_host` on the host's router. `dry_run`: Nornir's (`InitNornir(dry_run=True)`
    or this argument) plans from the running config and types nothing. `force`: push
    changes on the management path too (as `--force`). `options`: the rest of
    `PushOptions` (history, lock and known-hosts folders, revert timer, save).

    `changed`: pushed (a dry run: the plan has lines); `failed`: not pushed, planned or
    in sync (refused, rolled back, unreachable); `diff`: the lines, masked."""

    def body() -> Result:
        _load_ssh()
        from iosgen.push import PushOptions, push_host
        from iosgen.push.outcome import Status

        site = _ios_site(task, "push")
        target = _target(task, site)
        base = options or PushOptions()
        wanted = replace(
            base,
            dry_run=task.is_dry_run(dry_run),
            force=base.force if force is None else force,
        )
        outcome = push_host(site, target, wanted)
        changed = outcome.status is Status.PUSHED or (
            outcome.status is Status.PLANNED and bool(outcome.lines)
        )
        return Result(
            host=task.host,
            result=outcome,
            changed=changed,
            diff="\n".join(outcome.lines),
            failed=not outcome.ok,
            outcome=outcome,
        )

    return _guarded(task, body)


def _inventory_sites(task: Task) -> list[Site]:
    """Every iosgen site of the run's inventory: a head office's own address to ping."""
    nornir = getattr(task, "nornir", None)
    if nornir is None:
        return []
    return [
        s for h in nornir.inventory.hosts.values() if isinstance(s := h.data.get(SITE_KEY), Site)
    ]


def iosgen_verify(
    task: Task, device: DeviceOptions | None = None, fleet: list[Site] | None = None
) -> Result:
    """`iosgen verify` on the host's router: per PPTP tunnel, the session is up, its
    networks are routed through its Dialer, the head office answers a ping from the
    LAN; with `internet_nat`, PAT works (docs/verify.md). `fleet`: the sites whose
    addresses the pings aim at (default: every site of the Nornir inventory).

    `result` and `report`: the `HostReport` (`.tunnels`: name -> "up" | "down",
    `.checks` with the reason of each failure); `failed`: a check failed (a tunnel
    down) or the router is unreachable; `changed` is always False."""

    def body() -> Result:
        _load_ssh()
        from iosgen.device.session import DeviceOptions
        from iosgen.errors import DeviceError
        from iosgen.network.verify import HostReport, verify_target

        site = _ios_site(task, "verify")
        target = _target(task, site)
        sites = fleet if fleet is not None else _inventory_sites(task)
        try:
            report: HostReport = verify_target(site, target, device or DeviceOptions(), sites)
        except DeviceError as exc:
            report = HostReport(site.hostname, unreachable=exc.message)
            return Result(
                host=task.host, result=exc.message, failed=True, exception=exc, report=report
            )
        return Result(host=task.host, result=report, failed=not report.ok, report=report)

    return _guarded(task, body)
