"""Offline commands: build, check, schema (no network, no heavy imports).

No `from __future__ import annotations` here: typer evaluates each string annotation
of a command back (`inspect.signature(eval_str=True)`), ~1 ms of every `iosgen build`.
"""

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iosgen.cli.options import InventoryOpt, SecretsOpt
from iosgen.cli.root import app, guarded
from iosgen.errors import EXIT_FINDINGS, InputError, UsageError

if TYPE_CHECKING:
    from iosgen.model.inventory import Inventory
    from iosgen.model.site import Site


@app.command()
@guarded
def build(
    site_file: Annotated[Path | None, typer.Argument(help="A site YAML file.")] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="File (IOS; an existing folder gets HOSTNAME.cfg) or folder (Linux, --all).",
        ),
    ] = None,
    all_sites: Annotated[bool, typer.Option("--all", help="Every site of the inventory.")] = False,
    inventory: InventoryOpt = Path("inventory"),
    secrets: SecretsOpt = None,
    show_secrets: Annotated[
        bool, typer.Option("--show-secrets", help="Print reversible secrets in clear on stdout.")
    ] = False,
) -> None:
    """Print (or write) the whole intended config of a site, or of every site with --all."""
    from iosgen.build import build_site, write_build
    from iosgen.model.inventory import load_files, load_inventory, load_resolver

    if all_sites:
        if output is None:
            raise UsageError("build --all needs -o DIR")
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output} is a file; build --all writes into a folder")
        inv = load_inventory(inventory, secrets)
        refuse_broken_fleet(inv)
        _build_all(inv.sites, output)
        return
    if site_file is None:
        raise UsageError("give a site file, or --all -o DIR")
    inv = load_files([site_file], load_resolver(secrets, inventory=inventory, site_file=site_file))
    result = build_site(inv.sites[0])
    single = result.builder.single_file
    if output is not None:
        if single and output.is_dir():
            # like `cp FILE DIR` and `build --all -o DIR`: the config goes in as HOSTNAME.cfg
            output = result.builder.path_in(output, result)
        elif not single and output.exists() and not output.is_dir():
            raise UsageError(f"{output} is a file; a {result.platform} build is a folder")
        for path in write_build(result, output):
            print(f"wrote {path}", file=sys.stderr)
        return
    masked = False
    for item in result.files:
        text = item.content if show_secrets else result.masked(item.content)
        masked = masked or text != item.content
        if not single:
            sys.stdout.write(f"==> {item.path} (mode {item.mode:04o}) <==\n")
        sys.stdout.write(text)
    if masked:
        print(
            "note: secrets masked; --show-secrets prints them, -o FILE writes them", file=sys.stderr
        )


def refuse_broken_fleet(inventory: "Inventory") -> None:
    """The fleet checks first: an error finding refuses the whole run (exit 2, each one
    located); warnings are told on stderr and the run goes on."""
    from iosgen.lint.fleet import errors_as_problems, lint_fleet

    report = lint_fleet(inventory)
    problems = errors_as_problems(report.findings)
    if problems:
        raise InputError(problems)
    for finding in report.findings:
        if finding.severity == "warning":
            print(finding.render(), file=sys.stderr)


def _build_all(sites: list["Site"], output: Path) -> None:
    """Every site into the folder `output`: all built, then every target checked, then
    written, so that a bad site or a blocked path leaves nothing half-written."""
    from iosgen.build import build_site, check_target, write_build

    builds = [build_site(site) for site in sites]
    targets = [result.builder.path_in(output, result) for result in builds]
    for result, target in zip(builds, targets, strict=True):
        check_target(result, target)
    for result, target in zip(builds, targets, strict=True):
        write_build(result, target)
    print(f"built {len(builds)} sites into {output}", file=sys.stderr)


@app.command()
@guarded
def check(
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Rewrite the golden files that change; remove those with no site."
        ),
    ] = False,
    inventory: InventoryOpt = Path("inventory"),
    golden: Annotated[Path, typer.Option("--golden", help="Golden folder.")] = Path("golden"),
    secrets: SecretsOpt = None,
    show_secrets: Annotated[
        bool, typer.Option("--show-secrets", help="Show secret values in the diffs.")
    ] = False,
) -> None:
    """Build every site and compare it with golden/ (exit 1 if any differs or has no site)."""
    from iosgen.build import build_site
    from iosgen.build.golden import check_build, orphans, remove_orphan
    from iosgen.model.inventory import load_inventory

    inv = load_inventory(inventory, secrets)
    refuse_broken_fleet(inv)
    builds = [build_site(site) for site in inv.sites]
    failed = 0
    for result in builds:
        outcome = check_build(result, golden, update, show_secrets)
        print(f"{outcome.status:9} {outcome.hostname:16} {outcome.golden}")
        if outcome.status in {"differs", "missing"}:
            failed += 1
            for line in outcome.semantic:
                print(f"    {line}")
            for line in outcome.text_diff:
                print(f"  {line}")
    stale = orphans(golden, builds)
    for path in stale:
        if update:
            remove_orphan(path)
            print(f"{'removed':9} {'-':16} {path}")
        else:
            print(f"{'orphan':9} {'-':16} {path}: no site of {inventory} builds it")
    problems = []
    if failed:
        problems.append(f"{failed} of {len(builds)} sites differ from {golden}")
    if stale and not update:
        problems.append(f"{len(stale)} golden files have no site")
    if problems:
        print(f"{'; '.join(problems)}; --update rewrites or removes them")
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
@guarded
def schema(
    kind: Annotated[
        str,
        typer.Option(
            "--file", metavar="site|defaults|group", help="Which inventory file (default: site)."
        ),
    ] = "site",
) -> None:
    """Print the JSON Schema of a site file (or of defaults.yaml, a group file), for editors."""
    from iosgen.model.schema import KINDS
    from iosgen.model.schema import schema as file_schema

    for known in KINDS:
        if kind == known:
            print(json.dumps(file_schema(known), indent=2))
            return
    raise UsageError(f"--file must be one of {', '.join(KINDS)}")
