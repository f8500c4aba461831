"""Writing an adopted site: the site file, its secrets file (0600), both or neither.

An existing file is never overwritten unless asked (`force`); both targets are
checked before either is written, so a refusal leaves nothing half-written.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from iosgen.adopt import Adopted
from iosgen.build import write_atomic
from iosgen.build.files import MODE_FILE, MODE_SECRET
from iosgen.errors import EXIT_FINDINGS, InputError, IosgenError, Problem, UsageError

# libyaml's emitter where PyYAML has it (the pure-Python one is 5x slower)
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Proof:
    """The adopted site built and compared with the config it came from."""

    real: int
    cosmetic: int
    secret_only: int
    # the real drift as `diff` prints it, secrets masked
    drift: tuple[str, ...] = ()


class DriftRefused(IosgenError):
    """The site would not build back to the config: nothing written (exit 1, like the
    drift `diff` reports; --force writes it anyway)."""

    exit_code = EXIT_FINDINGS

    def __init__(self, hostname: str, proof: Proof) -> None:
        shown = proof.drift[:_SHOWN]
        more = len(proof.drift) - len(shown)
        super().__init__(
            f"{hostname}: the imported site does not build back to the config "
            f"({proof.real} real drift): nothing written\n"
            + "\n".join(f"  {line}" for line in shown)
            + (f"\n  ... and {more} more" if more > 0 else ""),
            hint="--force writes the site anyway; `iosgen diff` then shows the same drift",
        )


_SHOWN = 20  # drift lines an error lists


def default_paths(adopted: Adopted, output: Path | None, secrets: Path | None) -> tuple[Path, Path]:
    """`-o` or `HOSTNAME.yaml` here; `--secrets-out` or `SITE.secrets.yaml` beside the site."""
    site = output or Path(f"{adopted.hostname.lower()}.yaml")
    if site.is_dir():
        site = site / f"{adopted.hostname.lower()}.yaml"
    return site, secrets or site.with_name(f"{site.stem}.secrets.yaml")


def leave_out_group(adopted: Adopted, group: dict[str, Any], name: str) -> None:
    """Drop from the site what group `name` already says: equal keys, and the group's
    extra_config lines (the merge puts them back, group lines first)."""
    site = adopted.site
    for key, value in group.items():
        if key in {"hostname", "management", "interfaces", "extra_config", "groups"}:
            continue
        if site.get(key) == value:
            del site[key]
    extra = site.get("extra_config", {})
    theirs = group.get("extra_config", {}) if isinstance(group.get("extra_config"), dict) else {}
    if "lines" in extra and isinstance(theirs.get("lines"), list):
        given = {_line_text(x) for x in theirs["lines"]}
        extra["lines"] = [x for x in extra["lines"] if _line_text(x) not in given]
        if not extra["lines"]:
            del extra["lines"]
    if "sections" in extra and isinstance(theirs.get("sections"), dict):
        for header, body in theirs["sections"].items():
            if header in extra["sections"] and _section_lines(extra["sections"][header]) == (
                _section_lines(body)
            ):
                del extra["sections"][header]
        if not extra["sections"]:
            del extra["sections"]
    if "extra_config" in site and not site["extra_config"]:
        del site["extra_config"]
    ordered = {"hostname": site.pop("hostname"), "groups": [name]}
    ordered.update(site)
    adopted.site = ordered


def _line_text(entry: Any) -> str:
    return str(entry["line"]) if isinstance(entry, dict) else str(entry)


def _section_lines(body: Any) -> list[str]:
    return list(body["lines"]) if isinstance(body, dict) else list(body)


def merged_with(group: dict[str, Any] | None, site: dict[str, Any]) -> dict[str, Any]:
    """The site as the inventory will see it: over its group (extra_config lists added)."""
    if group is None:
        return copy.deepcopy(site)
    from iosgen.model.inventory import merge_layers

    return merge_layers(group, site)


def prove(adopted: Adopted, running: str, source: str, group: dict[str, Any] | None) -> Proof:
    """Build the adopted site (over its group) and compare it with the config it came from.

    The compare alone, not the audit: no remediation is needed, and an adopted site's
    hashed secrets are the router's own hashes, compared by their text."""
    from iosgen.diff.compare import compare
    from iosgen.ios.capture import running_config_text
    from iosgen.ios.config import canonical_headers, parse

    built = adopted.built if group is None else _build(adopted, source, group)
    # the saved text as IOS prints it: a capture's prompts gone, a typed config indented
    printed = running_config_text(running, source)
    drift = compare(
        canonical_headers(parse(built, f"{adopted.hostname} (built)")),
        canonical_headers(parse(printed, source)),
    ).drift
    return Proof(
        len(drift.real),
        len(drift.cosmetic),
        len(drift.secret_only),
        tuple(item.render() for item in drift.real),
    )


def _build(adopted: Adopted, source: str, group: dict[str, Any]) -> str:
    from iosgen.build.ios import render
    from iosgen.model.inventory import validate_site_data
    from iosgen.model.secret import SecretResolver
    from iosgen.model.yamlsource import Position, SourceMap

    data = merged_with(group, adopted.site)
    env = str(adopted.site["management"]["password"])[2:-1]
    resolver = SecretResolver(environ={env: "import-check"}, secrets=adopted.secrets)
    where = SourceMap()
    where.values[()] = Position(source, 1, 1)
    site, problems = validate_site_data(data, where, resolver)
    if site is None:
        raise InputError(
            [Problem(source, 1, 1, "", f"cannot adopt: {p.path}: {p.message}") for p in problems]
        )
    return render(site).text


def site_yaml(adopted: Adopted, source: str) -> str:
    head = (
        f"# Adopted from {source} by `iosgen import`: typed where iosgen has a field, the\n"
        "# rest in extra_config in the router's order. Secrets are in the secrets file.\n"
    )
    return head + yaml.dump(adopted.site, Dumper=_DUMPER, sort_keys=False, width=1000)


def secrets_yaml(adopted: Adopted, source: str) -> str:
    head = f"# Secrets of {adopted.hostname}, moved out of {source} by `iosgen import`.\n"
    body = (
        yaml.safe_dump(adopted.secrets, sort_keys=False, width=1000) if adopted.secrets else "{}\n"
    )
    return head + body


def write(
    adopted: Adopted,
    source: str,
    site: Path,
    secrets: Path,
    force: bool,
    shared: Path | None = None,
) -> None:
    """Both files, or neither: an existing one stays unless `force`.

    `shared`: the inventory's secrets file. When it is the target, the site's secrets are
    merged into it (every site of the inventory reads that one file): names already there
    are refused unless they hold the same value, nothing else in it changes."""
    if site.resolve() == secrets.resolve():
        raise UsageError(f"the site and the secrets file are one path: {site}")
    merge = shared is not None and secrets.resolve() == shared.resolve() and secrets.exists()
    for path in (site, secrets):
        if path.is_dir():
            raise UsageError(f"{path} is a directory, not a file")
        if path.exists() and not force and not (merge and path == secrets):
            raise UsageError(f"{path} exists: nothing written (--force overwrites it)")
    secrets_text = _merged_secrets(adopted, secrets) if merge else secrets_yaml(adopted, source)
    site_text = site_yaml(adopted, source)
    write_atomic(secrets, secrets_text, MODE_SECRET)
    write_atomic(site, site_text, MODE_FILE)


def _merged_secrets(adopted: Adopted, path: Path) -> str:
    """The inventory's secrets file with the site's secrets added at its end (its own
    text kept as it is: comments, order); a name it has with another value is refused."""
    from iosgen.model.yamlsource import load_yaml

    data, _ = load_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise UsageError(f"{path}: a secrets file is a mapping of names to values")
    clash = sorted(n for n, v in adopted.secrets.items() if n in data and str(data[n]) != v)
    if clash:
        raise UsageError(
            f"{path} already names {', '.join(clash)} with another value: nothing written"
        )
    new = {n: v for n, v in adopted.secrets.items() if n not in data}
    text = path.read_text(encoding="utf-8")
    if not new:
        return text
    if text and not text.endswith("\n"):
        text += "\n"
    if text.strip() in {"{}", ""}:
        text = ""
    head = f"# {adopted.hostname}, moved out of its config by `iosgen import`\n"
    return text + head + yaml.safe_dump(new, sort_keys=False, width=1000)
