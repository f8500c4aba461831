"""`iosgen import`: a saved router config into a site file and a secrets file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from iosgen.cli.options import AcceptOpt, InventoryOpt, KnownHostsOpt, TargetsOpt, device_options
from iosgen.cli.root import app, guarded
from iosgen.errors import UsageError

# The password of a router the inventory does not know (else asked at a prompt).
PASSWORD_ENV = "IOSGEN_IMPORT_PASSWORD"
ENABLE_ENV = "IOSGEN_IMPORT_ENABLE"


@app.command("import")
@guarded
def import_config(
    config: Annotated[
        Path | None, typer.Argument(help="A saved config (show running-config), or --host.")
    ] = None,
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
    live: Annotated[
        str | None,
        typer.Option("--host", help="Read the running config of this router over SSH."),
    ] = None,
    targets: TargetsOpt = None,
    username: Annotated[
        str | None,
        typer.Option("--username", help=f"Login of a router not in --targets ({PASSWORD_ENV})."),
    ] = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="SSH port.")] = 22,
    accept_new_host_key: AcceptOpt = False,
    known_hosts: KnownHostsOpt = None,
) -> None:
    """Adopt a router: its config into a site that builds back to it, secrets apart."""
    from iosgen.adopt import adopt
    from iosgen.adopt.files import DriftRefused, default_paths, leave_out_group, prove, write
    from iosgen.adopt.reader import read_config

    if config is not None and live is not None:
        raise UsageError("give a saved config file or --host H, not both")
    if config is None and live is None:
        raise UsageError("give a saved config file, or --host H")
    if host is not None:
        _check_host(host)
    if config is not None:
        text, source = read_config(config)
    else:
        assert live is not None
        text = _fetch(
            live, targets, username, port, device_options(known_hosts, accept_new_host_key)
        )
        source = f"{live} (running config)"
        host = host or live
    adopted = adopt(text, source, host)
    group: dict[str, Any] | None = None
    if in_group is not None:
        group = _group(inventory, in_group)
        leave_out_group(adopted, group, in_group)
    proof = prove(adopted, text, source, group)
    if proof.real and not force:
        raise DriftRefused(adopted.hostname, proof)
    site_path, secrets_path = default_paths(adopted, output, secrets_out)
    write(adopted, source, site_path, secrets_path, force, shared=inventory / "secrets.yaml")
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


def _fetch(host: str, targets: Path | None, username: str | None, port: int, options: Any) -> str:
    """`show running-config` of `host`: from the targets file's entry, else as `username`."""
    import getpass
    import os

    from iosgen.device.session import Device
    from iosgen.model.secret import Secret
    from iosgen.model.targets import Target, read_targets_file

    target = read_targets_file(targets).get(host.lower()) if targets is not None else None
    if target is None:
        if username is None:
            where = f"not in {targets}" if targets is not None else "not in a targets file"
            raise UsageError(f"{host} is {where}: give --username (password: {PASSWORD_ENV})")
        password = os.environ.get(PASSWORD_ENV) or getpass.getpass(
            f"password of {username}@{host}: "
        )
        enable = os.environ.get(ENABLE_ENV)
        target = Target(
            hostname=host,
            host=host,
            port=port,
            username=username,
            password=Secret(password, source=f"${{{PASSWORD_ENV}}}"),
            enable_secret=Secret(enable, source=f"${{{ENABLE_ENV}}}") if enable else None,
        )
    with Device(target, options) as device:
        text: str = device.running_config()
    return text


def _check_host(host: str) -> None:
    """`--management-host`: an IPv4 address (each octet 0-255) or a DNS name."""
    from ipaddress import IPv4Address

    if re.fullmatch(r"[\d.]+", host):
        try:
            IPv4Address(host)
        except ValueError:
            raise UsageError(f"--management-host {host!r} is not an IPv4 address") from None
    elif not _HOSTNAME_RE.fullmatch(host) or len(host) > 253:
        raise UsageError(f"--management-host {host!r} is neither an IPv4 address nor a DNS name")


# RFC 1123 labels: letters, digits and inner hyphens, at most 63 characters each
_HOSTNAME_RE = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*")


def _group(inventory: Path, name: str) -> dict[str, Any]:
    from iosgen.model.yamlsource import load_yaml

    groups = inventory / "groups"
    known = sorted(p.stem for p in groups.glob("*.yaml")) if groups.is_dir() else []
    if name not in known:  # a name, never a path: `../defaults` is no group
        listed = ", ".join(known) or "none"
        raise UsageError(f"no group {name!r} in {groups} (groups: {listed})")
    path = groups / f"{name}.yaml"
    data, _ = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"{path}: a group file is a mapping of keys")
    return data
