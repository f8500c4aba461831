"""Drift commands: `diff`, `audit`, `backup` (live over SSH, or from saved configs).

Arguments in, library calls, output out; nothing here knows IOS. netmiko and
paramiko load only when a command really goes to a router.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iosgen.cli.boxes import select_fleet
from iosgen.cli.options import (
    AcceptOpt,
    AllOpt,
    GroupOpt,
    HostOpt,
    InventoryOpt,
    KnownHostsOpt,
    SecretsOpt,
    ShowSecretsOpt,
    TargetsOpt,
    WorkersOpt,
    device_options,
)
from iosgen.cli.root import app, guarded
from iosgen.errors import EXIT_FINDINGS, UsageError

if TYPE_CHECKING:
    from iosgen.device.session import DeviceOptions
    from iosgen.diff.audit import AuditResult
    from iosgen.fleet.gitstore import GitStore
    from iosgen.fleet.runner import Results
    from iosgen.model.site import Site


# --- output ---------------------------------------------------------------------------------


def _details(result: AuditResult, show_secrets: bool) -> list[str]:
    out = [f"== {result.host}: {result.status.replace('_', ' ')}"]
    if result.error:
        out.append(f"   {result.error}")
    buckets = result.drift.as_dict(show_secrets)
    for name, title in (
        ("real", "drift"),
        ("cosmetic", "cosmetic"),
        ("secret_only", "secret-only"),
    ):
        if buckets[name]:
            out.append(f"{title}:")
            out += [f"  {item}" for item in buckets[name]]
    if result.remediation:
        out.append("remediation:")
        out += [f"  {line}" for line in result.remediation.lines(show_secrets)]
        out.append("rollback:")
        out += [f"  {line}" for line in result.rollback.lines(show_secrets)]
    return out


def _summary(results: Sequence[AuditResult]) -> list[str]:
    width = max([len(r.host) for r in results] + [4])
    out = [f"{'host':<{width}}  {'status':<11}  {'real':>4}  {'cosmetic':>8}  {'secret-only':>11}"]
    for r in results:
        d = r.drift
        counts = (
            ("", "", "")
            if r.status == "unreachable"
            else (len(d.real), len(d.cosmetic), len(d.secret_only))
        )
        out.append(
            f"{r.host:<{width}}  {r.status.replace('_', ' '):<11}  "
            f"{counts[0]:>4}  {counts[1]:>8}  {counts[2]:>11}"
        )
    return out


def junit(results: Sequence[AuditResult], show_secrets: bool = False) -> str:
    """One testcase per host: drift is a failure, an unreachable router an error."""
    from xml.etree import ElementTree as ET

    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="iosgen audit",
        tests=str(len(results)),
        failures=str(sum(r.status == "drift" for r in results)),
        errors=str(sum(r.status == "unreachable" for r in results)),
    )
    for r in results:
        case = ET.SubElement(suite, "testcase", classname="iosgen.diff.audit", name=r.host)
        if r.status == "drift":
            failure = ET.SubElement(case, "failure", message=f"{len(r.drift.real)} real drift")
            failure.text = "\n".join(_details(r, show_secrets))
        elif r.status == "unreachable":
            error = ET.SubElement(case, "error", message=r.error or "unreachable")
            error.text = r.error or ""
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _emit(results: Sequence[AuditResult], fmt: str, show_secrets: bool, one: bool) -> None:
    if fmt != "text":  # stdout may be parsed or saved; a person reads stderr
        for r in results:
            if r.error:
                print(f"error: {r.host}: {r.error}", file=sys.stderr)
    if fmt == "json":
        # an unreachable host's entry carries its reason; other entries keep their shape
        data = [r.to_json(show_secrets) | ({"error": r.error} if r.error else {}) for r in results]
        print(json.dumps(data[0] if one else data, indent=2))
    elif fmt == "junit":
        sys.stdout.write(junit(results, show_secrets))
    elif fmt in ("html", "markdown"):
        from iosgen.fleet.report import audit_html, audit_markdown

        sys.stdout.write((audit_html if fmt == "html" else audit_markdown)(results, show_secrets))
    else:
        lines = [] if one else _summary(results)
        for r in results:
            if r.status != "in_sync" or one:
                lines += ["", *_details(r, show_secrets)] if lines else _details(r, show_secrets)
        print("\n".join(lines))
        if not show_secrets and any(r.remediation for r in results):
            print("note: secrets masked; --show-secrets prints them", file=sys.stderr)


FORMATS = ("text", "json", "junit", "html", "markdown")


def _format(value: str) -> str:
    if value not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}")
    return value


# --- commands -------------------------------------------------------------------------------


@app.command()
@guarded
def diff(
    site_file: Annotated[Path | None, typer.Argument(help="A site YAML file.")] = None,
    running: Annotated[
        Path | None,
        typer.Option("--running", metavar="FILE", help="A saved running config to compare."),
    ] = None,
    host: Annotated[
        str | None, typer.Option("--host", metavar="HOST", help="A router, fetched live.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="text | json")] = "text",
    inventory: InventoryOpt = Path("inventory"),
    secrets: SecretsOpt = None,
    targets: TargetsOpt = None,
    show_secrets: ShowSecretsOpt = False,
    accept_new_host_key: AcceptOpt = False,
    known_hosts: KnownHostsOpt = None,
) -> None:
    """Semantic diff of one router against its site, and the remediation commands; of a
    linux-pppd box, the unified diff of its files (secrets masked)."""
    from iosgen.diff.audit import audit_site
    from iosgen.model.inventory import load_files, load_inventory, load_resolver

    fmt = _format(fmt)
    if fmt not in ("text", "json"):
        raise UsageError(f"diff prints text or json; audit prints {fmt}")
    if (site_file is None) == (host is None):
        raise UsageError("give a site file (with --running FILE) or --host H")
    if site_file is not None:
        if running is None:
            raise UsageError("a site file needs --running FILE (or use --host H to fetch it)")
        site = load_files(
            [site_file], load_resolver(secrets, inventory=inventory, site_file=site_file)
        ).sites[0]
    else:
        assert host is not None
        site = load_inventory(inventory, secrets).find(host)
    from iosgen.model.platform import Platform

    if site.platform is Platform.LINUX_PPPD:
        options = device_options(known_hosts, accept_new_host_key)
        _diff_box(site, running, targets, options, fmt)
    if running is not None:
        if not running.exists():
            raise UsageError(f"no such running config: {running}")
        from iosgen.lint import read_config_file

        text = read_config_file(running)
    else:
        options = device_options(known_hosts, accept_new_host_key)
        from iosgen.fleet.audit import fetch_job

        text = fetch_job([site], targets, options)(site)
    from iosgen.fleet.audit import audited
    from iosgen.fleet.runner import Results

    result = audit_site(site, text, str(running) if running is not None else None)
    _emit([result], fmt, show_secrets, one=True)
    raise typer.Exit(Results([audited(result)]).exit_code)


def _diff_box(
    site: Site, saved: Path | None, targets: Path | None, options: DeviceOptions, fmt: str
) -> None:
    """A box's files against its build, live or from a saved tree (`--running DIR`, as
    `backup` writes it): the unified diff a push would apply, secrets masked. Exits."""
    from iosgen.diff.linux import tree_diff
    from iosgen.fleet.audit import audited
    from iosgen.fleet.runner import Results

    if saved is not None:
        if not saved.is_dir():
            raise UsageError(f"--running {saved}: a linux-pppd box's saved tree is a folder")
        from iosgen.build import build_site
        from iosgen.diff.linux import as_saved, audit_tree
        from iosgen.fleet.audit import read_saved_tree

        # the backup folder (DIR/<hostname>/ inside) or the tree itself
        tree = saved / site.hostname if (saved / site.hostname).is_dir() else saved
        files = as_saved(build_site(site).files)
        have = read_saved_tree(tree, [f.path for f in files])
        result, lines = audit_tree(site.hostname, files, have), tree_diff(files, have)
    else:
        from iosgen.model.targets import read_targets_file
        from iosgen.push.linux import LinuxPushOptions, diff_linux_site

        target = None
        if targets is not None:
            entries = read_targets_file(targets)
            if site.hostname.lower() not in entries:
                raise UsageError(f"{targets} has no entry for {site.hostname}")
            target = entries[site.hostname.lower()]
        got = diff_linux_site(site, options=LinuxPushOptions.of(options).device, target=target)
        result, lines = got.result, got.diff
    if fmt == "json":
        data = result.to_json() | {"diff": list(lines)}
        print(json.dumps(data | ({"error": result.error} if result.error else {}), indent=2))
    else:
        print("\n".join([f"== {site.hostname}: {result.status.replace('_', ' ')}", *lines]))
    if result.error:
        print(f"error: {site.hostname}: {result.error}", file=sys.stderr)
    raise typer.Exit(Results([audited(result)]).exit_code)


@app.command()
@guarded
def audit(
    host: HostOpt = None,
    group: GroupOpt = None,
    all_sites: AllOpt = False,
    from_dir: Annotated[
        Path | None,
        typer.Option(
            "--from", metavar="DIR", help="Saved configs <hostname>.cfg instead of the routers."
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", metavar="FORMAT", help="text | json | junit | html | markdown"),
    ] = "text",
    workers: WorkersOpt = 20,
    inventory: InventoryOpt = Path("inventory"),
    secrets: SecretsOpt = None,
    targets: TargetsOpt = None,
    show_secrets: ShowSecretsOpt = False,
    accept_new_host_key: AcceptOpt = False,
    known_hosts: KnownHostsOpt = None,
) -> None:
    """Drift of one router, a group or the fleet; exit 0 in sync, 1 drift, 3 unreachable."""
    fmt = _format(fmt)
    sites = select_fleet(inventory, secrets, host, group, all_sites)
    results: Results[AuditResult]
    if from_dir is not None:
        if not from_dir.is_dir():
            raise UsageError(f"--from {from_dir}: no such folder")
        import os

        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        from iosgen.fleet.audit import audit_saved

        results = audit_saved(sites, from_dir, min(workers, cores) if len(sites) > 50 else 1)
    else:
        options = device_options(known_hosts, accept_new_host_key)
        from iosgen.cli.progress import ProgressBar
        from iosgen.fleet.audit import audit_live

        with ProgressBar("audit", len(sites)) as bar:
            results = audit_live(sites, targets, options, workers, on_done=bar.on_done)
    _emit(results.values(), fmt, show_secrets, one=False)
    raise typer.Exit(results.exit_code)


@app.command()
@guarded
def backup(
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="DIR", help="Folder for <hostname>.cfg.")
    ],
    host: HostOpt = None,
    all_sites: AllOpt = False,
    git: Annotated[
        bool,
        typer.Option(
            "--git", help="Commit what changed to DIR as a Git repository (made if none)."
        ),
    ] = False,
    on_change: Annotated[
        str | None,
        typer.Option(
            "--on-change",
            metavar="CMD",
            help="With --git: run CMD (sh) after a commit; it gets IOSGEN_CHANGED, IOSGEN_COMMIT.",
        ),
    ] = None,
    workers: WorkersOpt = 20,
    inventory: InventoryOpt = Path("inventory"),
    secrets: SecretsOpt = None,
    targets: TargetsOpt = None,
    show_secrets: Annotated[
        bool, typer.Option("--show-secrets", help="Keep secrets (default: redacted).")
    ] = False,
    accept_new_host_key: AcceptOpt = False,
    known_hosts: KnownHostsOpt = None,
) -> None:
    """Save each router's `show running-config` as DIR/<hostname>.cfg, secrets redacted."""
    from iosgen.cli.progress import ProgressBar
    from iosgen.fleet.backup import backup_fleet

    if git and show_secrets:
        raise UsageError("--git keeps every version for good: backups in Git stay redacted")
    if on_change is not None and not git:
        raise UsageError("--on-change runs when a commit is made: it needs --git")
    sites = select_fleet(inventory, secrets, host, None, all_sites)
    store = None
    if git:  # before any router is asked: a folder that cannot be a store writes nothing
        from iosgen.fleet.gitstore import open_store

        store = open_store(output)
    options = device_options(known_hosts, accept_new_host_key)
    with ProgressBar("backup", len(sites)) as bar:
        results = backup_fleet(
            sites,
            output,
            targets,
            options,
            show_secrets=show_secrets,
            workers=workers,
            on_done=bar.on_done,
        )
    for r in results:
        if r.value is not None:
            print(f"saved {r.value}")
        else:
            for line in r.error.lines() if r.error else [f"error: {r.host}: failed"]:
                print(line, file=sys.stderr)
    hook_ok = True
    if store is not None:
        hook_ok = _commit(store, [r.value for r in results if r.value is not None], on_change)
    # a hook that failed: the backup is saved, but the alert did not go out (exit 1)
    raise typer.Exit(results.exit_code or (0 if hook_ok else EXIT_FINDINGS))


def _commit(store: GitStore, paths: list[Path], on_change: str | None) -> bool:
    """Commit what changed, run the hook if it did; False when the hook failed."""
    from iosgen.fleet.gitstore import run_hook

    commit = store.commit(paths)
    if commit is None:
        print("no change: nothing committed")
        return True
    print(f"committed {commit.sha[:12]}: {', '.join(commit.hosts)}")
    if on_change is not None:
        status = run_hook(on_change, store, commit)
        if status != 0:
            print(f"error: --on-change command exited {status}", file=sys.stderr)
            return False
    return True
