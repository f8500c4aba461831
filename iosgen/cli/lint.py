"""`iosgen lint`: findings of a site (built first), of any IOS config file, or of the fleet."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from iosgen.cli.options import InventoryOpt
from iosgen.cli.root import app, guarded
from iosgen.errors import UsageError


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"


@app.command()
@guarded
def lint(
    targets: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="SITE.yaml|CONFIG.cfg...",
            help="Site YAML files or IOS config files (none with --fleet); pre-commit passes many.",
            show_default=False,
        ),
    ] = None,
    fleet: Annotated[
        bool,
        typer.Option(
            "--fleet", help="Check the inventory as a whole: overlaps, tunnels, CHAP, MPPE."
        ),
    ] = False,
    inventory: InventoryOpt = Path("inventory"),
    output_format: Annotated[
        LintFormat,
        typer.Option("--format", help="text for people, json for machines, sarif or junit for CI."),
    ] = LintFormat.text,
    secrets: Annotated[
        Path | None,
        typer.Option("--secrets", help="Secrets file for secret:NAME (site files, --fleet)."),
    ] = None,
) -> None:
    """Reference, NAT, security and fleet checks; exit 1 if any error-severity finding."""
    from iosgen import __version__
    from iosgen.cli import lintreport

    if fleet:
        if targets:
            raise UsageError("--fleet checks the inventory (-i DIR); give no file with it")
        from iosgen.lint.fleet import FLEET_RULES, lint_inventory

        report = lint_inventory(inventory, secrets)
        if output_format is LintFormat.json:
            sys.stdout.write(report.to_json() + "\n")
        elif output_format is LintFormat.sarif:
            items = lintreport.items_of_fleet(report.findings)
            sys.stdout.write(lintreport.sarif(items, FLEET_RULES, __version__))
        elif output_format is LintFormat.junit:
            items = lintreport.items_of_fleet(report.findings)
            sys.stdout.write(lintreport.junit(items, "iosgen lint --fleet", str(inventory)))
        else:
            for finding in report.findings:
                print(finding.render())
            print(report.summary())
        raise typer.Exit(report.exit_code)
    if not targets:
        raise UsageError("give a site file or a config file, or --fleet")
    from iosgen.lint import RULES, lint_path

    # Every file is read and linted before anything is printed: a bad file is one error,
    # exit 2, and no half report.
    reports = [lint_path(target, secrets) for target in targets]
    findings = [f for report in reports for f in report.findings]
    if output_format is LintFormat.json:
        # one file: its report, as before; several: one report per line (JSON Lines)
        sys.stdout.write("".join(r.to_json() + "\n" for r in reports))
    elif output_format is LintFormat.sarif:
        items = lintreport.items_of_findings(findings)
        sys.stdout.write(lintreport.sarif(items, RULES, __version__))
    elif output_format is LintFormat.junit:
        items = lintreport.items_of_findings(findings)
        named = str(targets[0]) if len(targets) == 1 else f"{len(targets)} files"
        sys.stdout.write(lintreport.junit(items, "iosgen lint", named))
    else:
        for one in reports:
            for f in one.findings:
                print(f.render())
            print(one.summary())
    raise typer.Exit(max(r.exit_code for r in reports))
