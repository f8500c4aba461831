"""`iosgen lint`: findings of a site (built first) or of any IOS config file."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from iosgen.cli.app import app, guarded


class LintFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
@guarded
def lint(
    target: Annotated[
        Path,
        typer.Argument(
            metavar="SITE.yaml|CONFIG.cfg", help="A site YAML file or an IOS config file."
        ),
    ],
    output_format: Annotated[
        LintFormat, typer.Option("--format", help="text for people, json for machines.")
    ] = LintFormat.text,
    secrets: Annotated[
        Path | None,
        typer.Option("--secrets", help="Secrets file for secret:NAME (site files only)."),
    ] = None,
) -> None:
    """Reference, NAT and security checks; exit 1 if any error-severity finding."""
    from iosgen.lint import lint_path

    report = lint_path(target, secrets)
    if output_format is LintFormat.json:
        sys.stdout.write(report.to_json() + "\n")
    else:
        for finding in report.findings:
            print(finding.render())
        print(report.summary())
    raise typer.Exit(report.exit_code)
