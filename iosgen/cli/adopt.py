"""`iosgen import`: a saved router config into a site file and a secrets file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from iosgen.cli.app import app, guarded
from iosgen.cli.options import InventoryOpt
from iosgen.errors import UsageError


@app.command("import")
@guarded
def import_config(
    config: Annotated[Path, typer.Argument(help="A saved config (show running-config).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Site file (default: HOSTNAME.yaml).")
    ] = None,
    secrets_out: Annotated[
        Path | None,
        typer.Option("--secrets-out", help="Secrets file, 0600 (default: SITE.secrets.yaml)."),
    ] = None,
    in_group: Annotated[
        str | None,
        typer.Option("--in-group", help="Leave out what this inventory group already says."),
    ] = None,
    host: Annotated[
        str | None, typer.Option("--management-host", help="management.host (default: hostname).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing site or secrets file.")
    ] = False,
    inventory: InventoryOpt = Path("inventory"),
) -> None:
    """Adopt a router: its config into a site that builds back to it, secrets apart."""
    from iosgen.adopt import adopt
    from iosgen.adopt.files import default_paths, leave_out_group, prove, write
    from iosgen.adopt.reader import read_config

    text, source = read_config(config)
    adopted = adopt(text, source, host)
    group: dict[str, Any] | None = None
    if in_group is not None:
        group = _group(inventory, in_group)
        leave_out_group(adopted, group, in_group)
    proof = prove(adopted, text, source, group)
    site_path, secrets_path = default_paths(adopted, output, secrets_out)
    write(adopted, source, site_path, secrets_path, force)
    env = str(adopted.site["management"]["password"])[2:-1]
    print(
        f"{adopted.hostname}: {adopted.typed_lines} lines typed, {adopted.extra_lines} kept "
        f"in extra_config, {adopted.secrets_moved} secrets moved to {secrets_path}"
    )
    print(
        f"  builds back: {proof.real} real drift, {proof.cosmetic} cosmetic, "
        f"{proof.secret_only} secret-only (re-encoded)"
    )
    if adopted.given_up:
        print(
            f"  kept as extra_config (the site checks refused them typed): "
            f"{', '.join(adopted.given_up)}"
        )
    print(f"  wrote {site_path} and {secrets_path}; push and audit log in with ${{{env}}}")


def _group(inventory: Path, name: str) -> dict[str, Any]:
    from iosgen.model.yamlsource import load_yaml

    path = inventory / "groups" / f"{name}.yaml"
    if not path.exists():
        raise UsageError(f"no group {name!r}: {path} does not exist")
    data, _ = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"{path}: a group file is a mapping of keys")
    return data
