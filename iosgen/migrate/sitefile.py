"""The site file after step 3: the PPTP entry out, the IPsec entry in, comments kept.

ruamel.yaml's round-trip mode keeps the file's comments, key order, flow sequences and
quoting (PyYAML, which the loader reads with, keeps none of them). The new text is
written beside the file, loaded as a site and built: only a file whose build equals
step 3's replaces the old one (`os.replace`), so a failure leaves the old file whole.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from iosgen.model.migration import MigrationError, ipsec_entry
from iosgen.model.site import PptpClient


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the file had on one
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _load(path: Path) -> tuple[YAML, Any]:
    yaml = _yaml()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MigrationError(f"{path}: cannot read: {exc.strerror}") from None
    if not isinstance(data, CommentedMap):
        raise MigrationError(f"{path}:1:1: not a site file (a mapping)")
    return yaml, data


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def migrated_text(path: Path, tunnel: str, new_tunnel: str, client: PptpClient, key: str) -> str:
    """The site file's text with `tunnel` (under `pptp_clients` or `tunnels`) replaced by
    the IPsec entry `new_tunnel`, at the same place."""
    yaml, data = _load(path)
    holder = None
    for section in ("pptp_clients", "tunnels"):
        entries = data.get(section)
        if isinstance(entries, CommentedMap) and tunnel in entries:
            holder = section
            break
    if holder is None:
        raise MigrationError(
            f"{path}: tunnel {tunnel!r} is not typed in this file (a group or the defaults "
            "give it): move it into the site file, then migrate"
        )
    entry = CommentedMap()
    for name, value in ipsec_entry(client, key).items():
        if isinstance(value, list):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            entry[name] = seq
        else:
            entry[name] = value
    entries = data[holder]
    if holder == "tunnels":
        position = list(entries).index(tunnel)
        del entries[tunnel]
        entries.insert(position, new_tunnel, entry)
    else:
        position = list(data).index("pptp_clients")
        del entries[tunnel]
        tunnels = data.get("tunnels")
        if not isinstance(tunnels, CommentedMap):
            tunnels = CommentedMap()
            data.insert(position + (1 if entries else 0), "tunnels", tunnels)
        tunnels[new_tunnel] = entry
        if not entries:
            # the blank line and comments before `pptp_clients:` now stand before `tunnels:`
            comments = data.ca.items.pop("pptp_clients", None)
            del data["pptp_clients"]
            if comments is not None and "tunnels" not in data.ca.items:
                data.ca.items["tunnels"] = comments
    return _dump(yaml, data)


def without_key(path: Path, key: str) -> str:
    """The file's text without the top-level `key` (the head office's `pptp_server`
    once no branch dials it)."""
    yaml, data = _load(path)
    if key in data:
        del data[key]
    return _dump(yaml, data)


def replace_checked(path: Path, text: str, check: Callable[[Path], str | None]) -> None:
    """Write `text` beside `path`, `check(that file)` (a problem, or None), then replace
    `path` with it; on a problem the old file stays and MigrationError says why."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".migrate", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        problem = check(Path(tmp))
        if problem is not None:
            raise MigrationError(f"{path}: not rewritten: {problem}")
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


__all__ = ["migrated_text", "replace_checked", "without_key"]
