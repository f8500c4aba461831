"""`iosgen graph`: a picture of the inventory (SVG, Graphviz DOT or Mermaid)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from iosgen.cli.options import InventoryOpt, SecretsOpt
from iosgen.cli.root import app, guarded
from iosgen.errors import UsageError


@app.command()
@guarded
def graph(
    inventory: InventoryOpt = Path("inventory"),
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE.svg|.dot|.mmd",
            help="Write the picture here, its format from the suffix (default: DOT on stdout).",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", metavar="FILE", help="An audit or verify JSON report to colour by."
        ),
    ] = None,
    secrets: SecretsOpt = None,
) -> None:
    """Head offices, branches, LANs, tunnels (dialer, MPPE) and Internet exits."""
    from iosgen.build import write_atomic
    from iosgen.fleet.graph import WRITERS, graph_of, read_report, render
    from iosgen.lint.fleet import fleet_of
    from iosgen.model.inventory import load_inventory

    suffix = output.suffix.lower() if output is not None else ".dot"
    if suffix not in WRITERS:
        known = ", ".join(sorted(WRITERS))
        raise UsageError(f"{output}: the picture's format comes from the suffix ({known})")
    if output is not None and output.is_dir():
        raise UsageError(f"{output} is a folder; give a file name ending in {suffix}")
    colours = read_report(report) if report is not None else None
    picture = graph_of(fleet_of(load_inventory(inventory, secrets)), colours)
    for host in picture.unmatched:
        print(f"note: {report}: host {host!r} is no site of {inventory}", file=sys.stderr)
    text = render(picture, suffix)
    if output is None:
        sys.stdout.write(text)
        return
    write_atomic(output, text)
    print(f"wrote {output}", file=sys.stderr)
