"""The inventory: find site files, deep-merge defaults and groups, validate into `Site`s.

Layout: `ROOT/defaults.yaml`, `ROOT/groups/<group>.yaml`, `ROOT/sites/*.yaml`.
A site file is merged over its groups (in the order listed) over the defaults.
Every problem of every file is collected and reported at once.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from iosgen.errors import InputError, Problem, UsageError
from iosgen.ios import hardware
from iosgen.model.checks import interface_problems, site_problems
from iosgen.model.headoffice import head_office
from iosgen.model.platform import SPELLINGS, Platform, platform_of
from iosgen.model.secret import SecretResolver
from iosgen.model.site import (
    INTERFACE_IOS_ONLY_KEYS,
    IOS_ONLY_KEYS,
    TUNNEL_IOS_ONLY_KEYS,
    TUNNEL_KINDS,
    Site,
    canonical_interface_name,
    tunnels_with_alias,
)
from iosgen.model.yamlsource import KeyPath, Position, SourceMap, load_yaml


# A NamedTuple and a plain class, not dataclasses: a dataclass compiles its generated
# methods on every start (~0.5 ms each; docs/performance.md).
class LoadedSite(NamedTuple):
    site: Site
    file: Path
    # where each key of the merged site was typed (None: a site put together in code)
    source: SourceMap | None = None


class Inventory:
    """The loaded sites; `root` is the inventory folder (None: site files named alone)."""

    __slots__ = ("loaded", "root")

    def __init__(self, root: Path | None, loaded: list[LoadedSite] | None = None) -> None:
        self.root = root
        self.loaded: list[LoadedSite] = [] if loaded is None else loaded

    @property
    def sites(self) -> list[Site]:
        return [entry.site for entry in self.loaded]

    def find(self, hostname: str) -> Site:
        """A site by hostname, case-insensitively."""
        for entry in self.loaded:
            if entry.site.hostname.lower() == hostname.lower():
                return entry.site
        known = ", ".join(s.hostname for s in self.sites) or "none"
        raise UsageError(f"no site with hostname {hostname!r} (known: {known})")

    def file_of(self, site: Site) -> Path:
        return next(e.file for e in self.loaded if e.site is site)

    def group(self, name: str) -> list[Site]:
        members = [s for s in self.sites if name in s.groups]
        if not members:
            raise UsageError(f"no site is in group {name!r}")
        return members


# --- secrets ----------------------------------------------------------------------------


def load_resolver(
    secrets_file: Path | None, *, inventory: Path | None = None, site_file: Path | None = None
) -> SecretResolver:
    """The resolver for `${ENV}` and `secret:NAME`.

    The secrets file is `--secrets FILE` (which must exist), else `<inventory>/secrets.yaml`
    if it exists, the inventory being the folder above a site file's `sites/` (where its
    defaults and groups come from), else `inventory` (`-i`, default `./inventory`).
    A missing secret's error names the file that was read, or where none was found.
    """
    if secrets_file is not None:
        if not secrets_file.exists():
            raise InputError([Problem(str(secrets_file), 1, 1, "", "secrets file not found")])
        path = secrets_file
    else:
        root = inventory_root_of(site_file) if site_file is not None else None
        path = (root or inventory or Path("inventory")) / "secrets.yaml"
        if not path.exists():
            looked = _display(path)
            return SecretResolver(
                secrets_file=f"{looked} (no such file; --secrets FILE names another)"
            )
    data, _source = load_yaml(path, _display(path))
    if data is None:
        data = {}
    if not isinstance(data, dict) or not all(isinstance(v, str | int) for v in data.values()):
        raise InputError(
            [Problem(_display(path), 1, 1, "", "expected a mapping of secret names to strings")]
        )
    return SecretResolver(secrets={k: str(v) for k, v in data.items()}, secrets_file=_display(path))


# --- merging ----------------------------------------------------------------------------


def _concatenated(path: KeyPath) -> bool:
    """extra_config lists add up through the layers (group lines first, then the site's);
    every other list is replaced by the later layer."""
    return "extra_config" in path


def _deep_merge(base: Any, over: Any, path: KeyPath = ()) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = (
                _deep_merge(base[key], value, (*path, key)) if key in base else copy.deepcopy(value)
            )
        return merged
    if isinstance(base, list) and isinstance(over, list) and _concatenated(path):
        return copy.deepcopy(base) + copy.deepcopy(over)
    return copy.deepcopy(over)


def merge_layers(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` deep-merged over `base` as the inventory merges a site over its groups."""
    merged: dict[str, Any] = _deep_merge(base, over)
    return merged


def _list_offsets(base: Any, over: Any, path: KeyPath = ()) -> dict[KeyPath, int]:
    """Where each concatenated list of `over` starts in the merge: its positions shift."""
    out: dict[KeyPath, int] = {}
    if isinstance(base, dict) and isinstance(over, dict):
        for key, value in over.items():
            if key in base:
                out.update(_list_offsets(base[key], value, (*path, key)))
    elif isinstance(base, list) and isinstance(over, list) and _concatenated(path):
        out[path] = len(base)
    return out


def _shifted(layer_map: SourceMap, offsets: dict[KeyPath, int]) -> SourceMap:
    if not offsets:
        return layer_map
    out = SourceMap()
    for table, target in ((layer_map.keys, out.keys), (layer_map.values, out.values)):
        for key_path, pos in table.items():
            moved = list(key_path)
            for list_path, offset in offsets.items():
                n = len(list_path)
                index = moved[n] if len(moved) > n else None
                if tuple(moved[:n]) == list_path and isinstance(index, int):
                    moved[n] = index + offset
            target[tuple(moved)] = pos
    return out


def inventory_root_of(site_file: Path) -> Path | None:
    """`ROOT/sites/x.yaml` -> ROOT, when ROOT looks like an inventory."""
    parent = site_file.resolve().parent
    if parent.name == "sites":
        return parent.parent
    return None


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


SharedLayers = dict[Path, tuple[Any, SourceMap]]


def _shared(path: Path, cache: SharedLayers | None) -> tuple[Any, SourceMap]:
    """defaults.yaml and group files, parsed once per inventory load (never mutated)."""
    if cache is None:
        return load_yaml(path, _display(path))
    if path not in cache:
        cache[path] = load_yaml(path, _display(path))
    return cache[path]


def _layers(
    root: Path | None, site_file: Path, cache: SharedLayers | None = None
) -> tuple[Any, SourceMap, list[Problem]]:
    """Defaults, groups and the site itself merged, with each key's position."""
    problems: list[Problem] = []
    site_data, site_map = load_yaml(site_file, _display(site_file))
    if site_data is None:
        site_data = {}
    if not isinstance(site_data, dict):
        pos = site_map.values[()]
        raise InputError([Problem(pos.file, 1, 1, "", "a site file is a mapping of keys")])
    merged: Any = {}
    source = SourceMap()
    layers: list[tuple[Any, SourceMap]] = []
    if root is not None and (root / "defaults.yaml").exists():
        layers.append(_shared(root / "defaults.yaml", cache))
    groups = site_data.get("groups", [])
    if isinstance(groups, list):
        for index, group in enumerate(groups):
            group_file = (root / "groups" / f"{group}.yaml") if root else None
            if group_file is None or not group_file.exists():
                pos = site_map.locate(("groups", index)) or site_map.values[()]
                problems.append(
                    Problem(
                        pos.file, pos.line, pos.column, f"groups.{index}", f"no group {group!r}"
                    )
                )
                continue
            layers.append(_shared(group_file, cache))
    layers.append((site_data, site_map))
    for data, layer_map in layers:
        if data is None:
            continue
        if not isinstance(data, dict):
            pos = layer_map.values[()]
            problems.append(Problem(pos.file, 1, 1, "", "expected a mapping of keys"))
            continue
        if "pptp_clients" in data:
            data, layer_map, clashes = _pptp_alias(data, layer_map)
            problems += clashes
        offsets = _list_offsets(merged, data)
        merged = _deep_merge(merged, data)
        source.overlay(_shifted(layer_map, offsets))
    # The root position is the site file's, whatever the layers were.
    source.values[()] = site_map.values[()]
    return merged, source, problems


def _pptp_alias(data: dict[str, Any], layer_map: SourceMap) -> tuple[Any, SourceMap, list[Problem]]:
    """A layer's `pptp_clients` as `tunnels` of `kind: pptp`, each position moved with
    its tunnel (the layer itself, perhaps shared, is not changed)."""
    moved, clash = tunnels_with_alias(data)
    alias = data["pptp_clients"]
    problems: list[Problem] = []
    for name in alias if isinstance(alias, dict) else ():
        if name in clash:
            pos = layer_map.locate(("pptp_clients", name), prefer_key=True)
            pos = layer_map.keys.get(("pptp_clients", name)) or pos or layer_map.values[()]
            problems.append(
                Problem(
                    pos.file,
                    pos.line,
                    pos.column,
                    f"pptp_clients.{name}",
                    f"tunnel {name!r} is under both pptp_clients and tunnels: keep one",
                )
            )
            continue
        layer_map = layer_map.moved(("pptp_clients", name), ("tunnels", name))
    if not isinstance(alias, dict):
        layer_map = layer_map.moved(("pptp_clients",), ("tunnels",))
    return moved, layer_map, problems


# --- validation -------------------------------------------------------------------------


def _canonicalise(data: dict[str, Any], source: SourceMap) -> list[tuple[KeyPath, str]]:
    """Canonical interface names; keys that the site's platform does not take."""
    platform = platform_of(data.get("platform", Platform.IOS))
    problems = _canonical_interfaces(data, source, str(platform))
    if platform == Platform.LINUX_PPPD:
        problems += _ios_only_keys(data, source)
    return problems


def _canonical_interfaces(
    data: dict[str, Any], source: SourceMap, platform: str
) -> list[tuple[KeyPath, str]]:
    """`Fa0/1` becomes `FastEthernet0/1` (the key's position moves with it)."""
    interfaces = data.get("interfaces")
    if not isinstance(interfaces, dict):
        return []
    problems: list[tuple[KeyPath, str]] = []
    renamed: dict[str, Any] = {}
    for name, body in interfaces.items():
        canonical = canonical_interface_name(platform, name)
        if canonical is None:
            problems.append((("interfaces", name), _not_a_name(data, platform, name)))
            canonical = name
        if canonical in renamed:
            problems.append((("interfaces", name), f"{name!r} names {canonical} a second time"))
            continue
        if canonical != name:
            source.rename(("interfaces", name), ("interfaces", canonical))
        renamed[canonical] = body
    data["interfaces"] = renamed
    return problems


def _not_a_name(data: dict[str, Any], platform: str, name: str) -> str:
    if not name.isascii():
        return (
            f"{name!r} is not an interface name on {platform}: it has a non-ASCII "
            f"character (interface numbers are the digits 0-9; {_ports_hint(data)})"
        )
    expected = (
        "eth0, eth1, ..." if platform == Platform.LINUX_PPPD else "FastEthernet0/0, Fa0/1, ..."
    )
    return f"{name!r} is not an interface name on {platform} ({expected})"


def _ios_only_keys(data: dict[str, Any], source: SourceMap) -> list[tuple[KeyPath, str]]:
    """The IOS-only keys of a linux-pppd site: an error where the site file types them;
    dropped where they come from defaults or groups, which serve both platforms."""
    problems: list[tuple[KeyPath, str]] = []
    site_file = source.values[()].file
    spelled = data.get("platform")

    def reject(container: dict[str, Any], path: KeyPath, what: str) -> None:
        pos = source.keys.get(path)
        if pos is None or pos.file == site_file:
            problems.append((path, f"{what} is IOS-only; platform is {spelled}"))
        else:
            del container[str(path[-1])]

    for key_path, what in IOS_ONLY_KEYS.items():
        if key_path[0] in data:
            reject(data, key_path, what)
    sections = (
        ("interfaces", INTERFACE_IOS_ONLY_KEYS),
        ("tunnels", TUNNEL_IOS_ONLY_KEYS),
    )
    for section, keys in sections:
        for name, body in _mapping(data.get(section)).items():
            for key in keys:
                if isinstance(body, dict) and key in body:
                    reject(body, (section, name, key), key)
    if "pptp_server" in data:
        reject(data, ("pptp_server",), "the PPTP server")
    return problems


def _ports_hint(data: dict[str, Any]) -> str:
    """What the router of this (not yet validated) site has, for a message."""
    if platform_of(data.get("platform", Platform.IOS)) != Platform.IOS:
        return "eth0, eth1, ..."
    hw = _mapping(data.get("hardware"))
    modules = _mapping(hw.get("modules"))
    model = hw.get("model", "2801")
    ports = hardware.ports_of(str(model), {str(k): str(v) for k, v in modules.items()})
    return f"this router has {ports.describe()}" if ports else "FastEthernet0/0, Fa0/1, ..."


def _mapping(value: Any) -> dict[str, Any]:
    """A section as a mapping; anything else (`pptp_clients: true`) is left to validation."""
    return value if isinstance(value, dict) else {}


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation names, through dict, list, Union and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()):
        found += _models_in(arg)
    return found


def _all_field_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(name)
        for inner in _models_in(info.annotation):
            names |= _all_field_names(inner)
    return names


@cache
def _vocabulary() -> list[str]:
    """The keys a site file may type, for "did you mean": the fields, and the old
    spelling. Walked on the first unknown key, not at import (~1 ms of every start)."""
    return sorted(_all_field_names(Site) | {"pptp_clients"})


# Keys whose values are secrets, or mappings holding them: an error there never
# shows the input (pydantic's `input` is the raw value, often the secret itself).
_SECRET_KEYS = frozenset({"password", "enable_secret", "secret", "chap_password"})


def _may_show_input(loc: tuple[Any, ...], value: Any) -> bool:
    """Whether the rejected value can be quoted back: a scalar, outside any secret."""
    if not isinstance(value, str | int | float | bool) and value is not None:
        return False  # a list or mapping may hold a secret anywhere inside
    keys = [str(p) for p in loc]
    if any(k in _SECRET_KEYS for k in keys):
        return False
    # `users.NAME` (a secret typed where the user's section was due) and
    # `pptp_server.users.NAME` (the secret itself).
    return not (len(keys) >= 2 and keys[-2] == "users")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "null" if value is None else type(value).__name__


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    loc = tuple(error["loc"])
    if kind == "extra_forbidden":
        key = str(loc[-1])
        close = difflib.get_close_matches(key, _vocabulary(), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown key {key!r}{hint}"
    if kind == "missing":
        return "required key is missing"
    kinds = ", ".join(TUNNEL_KINDS)
    if kind == "union_tag_not_found":
        return f"required key 'kind' is missing: the tunnel's kind ({kinds})"
    if kind == "union_tag_invalid":
        tag = (error.get("ctx") or {}).get("tag")
        return f"kind {tag!r} is not a tunnel kind ({kinds})"
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if kind == "value_error":
        return message  # our own validators' words: they never quote a secret
    value = error.get("input")
    if kind == "enum" and loc == ("platform",):
        spellings = ", ".join(repr(s) for s in SPELLINGS)
        return f"{value!r} is not a platform: expected one of {spellings}"
    if kind == "string_pattern_mismatch" and _may_show_input(loc, value):
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        if "a-z][a-z0-9" in pattern:
            return f"{value!r} is not an AAA method list (e.g. 'local line')"
        if "0-9.\\-:" in pattern:
            return f"{value!r} is not an address or host name"
        return f"{value!r} does not match {pattern}"
    text = f"{message[0].lower()}{message[1:]}"
    # A scalar where a section was due may be a secret typed one level too high.
    section = kind in {"model_type", "model_attributes_type", "dict_type"}
    if section:
        return f"expected a mapping of keys, got {_kind(value)} (not shown: it may hold a secret)"
    if _may_show_input(loc, value):
        return f"{value!r}: {text}"
    return f"{text} (got {_kind(value)}; not shown: it may hold a secret)"


def _problem(source: SourceMap, path: KeyPath, message: str, prefer_key: bool = False) -> Problem:
    pos = source.locate(path, prefer_key) or source.values[()]
    typed = source.spelled(("tunnels", *path[1:]) if path[:1] == ("pptp_clients",) else path)
    # A key holding a newline must not split the message into two lines.
    dotted = ".".join(str(p) if str(p).isprintable() else repr(str(p)) for p in typed)
    return Problem(pos.file, pos.line, pos.column, dotted, message)


def validate_site_data(
    data: dict[str, Any], source: SourceMap, resolver: SecretResolver
) -> tuple[Site | None, list[Problem]]:
    """Validate merged data into a Site; every problem, located."""
    problems = [_problem(source, p, m, prefer_key=True) for p, m in _canonicalise(data, source)]
    try:
        site = Site.model_validate(data, context={"resolver": resolver})
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and "[" in p))
            if loc[:1] == ("tunnels",) and len(loc) > 2 and loc[2] in TUNNEL_KINDS:
                loc = (*loc[:2], *loc[3:])  # the union's tag, not a key of the file
            missing_or_extra = error["type"] in {"extra_forbidden"}
            problems.append(_problem(source, loc, _message(dict(error)), missing_or_extra))
        return None, problems
    problems += [_problem(source, p, m, prefer_key=True) for p, m in interface_problems(site)]
    problems += [_problem(source, p, m) for p, m in site_problems(site)]
    return (None if problems else site), problems


def load_site(path: Path, resolver: SecretResolver | None = None) -> Site:
    """One site file (merged over its inventory's defaults and groups)."""
    if not path.exists():
        raise UsageError(f"no such site file: {path}")
    resolver = resolver or load_resolver(None, site_file=path)
    data, source, problems = _layers(inventory_root_of(path), path)
    site, more = validate_site_data(data, source, resolver)
    problems += more
    if problems or site is None:
        raise InputError(problems)
    return site


def site_files(root: Path) -> list[Path]:
    sites_dir = root / "sites"
    if not sites_dir.is_dir():
        raise UsageError(f"{root} is not an inventory (no sites/ folder)")
    return sorted(p for p in sites_dir.iterdir() if p.suffix in {".yaml", ".yml"})


def load_inventory(
    root: Path, secrets_file: Path | None = None, *, migrations: bool = True
) -> Inventory:
    """Every site of the inventory; all problems of all files at once."""
    resolver = load_resolver(secrets_file, inventory=root)
    return load_files(site_files(root), resolver, root, migrations=migrations)


def load_files(
    files: Iterable[Path],
    resolver: SecretResolver,
    root: Path | None = None,
    *,
    migrations: bool = True,
) -> Inventory:
    """The named site files; a head office compiled from its branches
    (`pptp_server.from_branches`) gets its inventory's other sites attached, loaded
    here when they were not named (`iosgen build sites/sofia.yaml`).

    With `migrations` (the default), each branch with a migration in progress
    (`iosgen migrate`: a state file in `migrations_folder()`) is the site of its step
    done, and its head office is compiled from it: what the routers run mid-migration.
    `iosgen migrate` itself reads the site files as they are (`migrations=False`).
    """
    inventory = _load_files(files, resolver, root)
    _attach_fleets(inventory, resolver)
    if migrations:
        _apply_migrations(inventory, resolver)
    return inventory


def _apply_migrations(inventory: Inventory, resolver: SecretResolver) -> None:
    from iosgen.model.statefolder import migrations_folder

    folder = migrations_folder()
    if not folder.is_dir():
        if folder.exists():
            # Built as if no migration ran, a branch mid-migration would get its old
            # config pushed back over the steps done: refuse instead.
            why = "the migration states' folder is a file (IOSGEN_MIGRATIONS, `migrations`)"
            raise InputError([Problem(str(folder), 1, 1, "", why)])
        return  # the common case: no migration was ever run here
    from iosgen.model.migration import MigrationError, apply_states

    try:
        sites = apply_states(inventory.sites, folder, resolver)
    except MigrationError as exc:
        raise InputError([_state_problem(folder, str(exc))]) from None
    inventory.loaded = [
        entry if site is entry.site else LoadedSite(site, entry.file, entry.source)
        for entry, site in zip(inventory.loaded, sites, strict=True)
    ]


# `path:line:column: message`, as MigrationState.from_json words a bad state file
_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$", re.S)


def _state_problem(folder: Path, message: str) -> Problem:
    found = _LOCATED.match(message)
    if found:
        return Problem(found["file"], int(found["line"]), int(found["col"]), "", found["msg"])
    return Problem(str(folder), 1, 1, "", f"a migration state cannot be applied: {message}")


def _attach_fleets(inventory: Inventory, resolver: SecretResolver) -> None:
    servers = [entry for entry in inventory.loaded if entry.site.needs_fleet]
    if not servers:
        return  # the common case: nothing more is read
    fleet = tuple(inventory.sites)
    named = {entry.file.resolve() for entry in inventory.loaded}
    roots = {inventory.root or inventory_root_of(entry.file) for entry in servers}
    others = [
        path
        for root in sorted(r for r in roots if r is not None)
        for path in site_files(root)
        if path.resolve() not in named
    ]
    entries = list(inventory.loaded)
    if others:
        known = {site.hostname.lower() for site in fleet}
        more = [
            e
            for e in _load_files(others, resolver, inventory.root).loaded
            if e.site.hostname.lower() not in known
        ]
        fleet += tuple(e.site for e in more)
        entries += more
    sources = {id(e.site): e.source for e in entries}
    problems: list[Problem] = []
    for entry in servers:
        entry.site.with_fleet(fleet)
        for site, path, message in head_office(entry.site, fleet).problems:
            source = sources.get(id(site))
            if source is not None:
                problems.append(_problem(source, path, message))
    if problems:
        raise InputError(problems)


def _load_files(
    files: Iterable[Path], resolver: SecretResolver, root: Path | None = None
) -> Inventory:
    inventory = Inventory(root)
    shared: SharedLayers = {}
    problems: list[Problem] = []
    seen: dict[str, tuple[Path, Position | None]] = {}
    for path in files:
        try:
            data, source, layer_problems = _layers(root or inventory_root_of(path), path, shared)
        except InputError as exc:
            problems += exc.problems
            continue
        site, more = validate_site_data(data, source, resolver)
        problems += layer_problems + more
        if site is None:
            continue
        key = site.hostname.lower()
        if key in seen:
            pos = source.locate(("hostname",))
            assert pos is not None
            problems.append(
                Problem(
                    pos.file,
                    pos.line,
                    pos.column,
                    "hostname",
                    f"hostname {site.hostname!r} is also the hostname of {_display(seen[key][0])}",
                )
            )
            continue
        seen[key] = (path, source.locate(("hostname",)))
        inventory.loaded.append(LoadedSite(site, path, source))
    if problems:
        raise InputError(problems)
    return inventory
