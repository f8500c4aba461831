"""JSON Schemas of the inventory's files, for editors and CI: a site file, defaults.yaml, a group.

The site model (`iosgen.model.site.Site`) describes a site once merged over its groups and the
defaults; a site FILE is only the top layer of that merge. So the schemas here are the
model's schema, changed in three ways:

- nothing is required in a mapping that the merge deep-merges (a group or the defaults
  may supply any key, `management.password` as well as `hostname`); items of lists
  (`routes`), which the merge replaces whole, keep their required keys;
- values are typed as the loader takes them: `mppe: 128` (an integer in YAML) as well as
  `'128'`, a secret given as a bare number;
- a `platform: linux-pppd` site file may not name the IOS-only keys (as the loader refuses
  them there); defaults and groups serve both platforms and may.

Whatever needs several fields (one WAN, subnets that overlap, ...) is beyond a schema:
`iosgen build` and `iosgen lint` check the merged site.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from iosgen.model.platform import ALIASES, Platform

SchemaKind = Literal["site", "defaults", "group"]
KINDS: tuple[SchemaKind, ...] = ("site", "defaults", "group")

DIALECT = "https://json-schema.org/draft/2020-12/schema"

_TITLES = {
    "site": "iosgen site file (inventory/sites/*.yaml)",
    "defaults": "iosgen defaults file (inventory/defaults.yaml)",
    "group": "iosgen group file (inventory/groups/*.yaml)",
}


def schema(kind: SchemaKind = "site") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of inventory file."""
    from iosgen.model.site import (
        INTERFACE_IOS_ONLY_KEYS,
        IOS_ONLY_KEYS,
        TUNNEL_IOS_ONLY_KEYS,
        Address,
        InterfaceAddress,
        Ipv4Setting,
        LoginSecret,
        Network,
        Site,
    )

    model = copy.deepcopy(Site.model_json_schema())
    # The value types' own schema fragments, found by equality and replaced whole.
    swaps: Swaps = [
        # every secret type shares one schema; `password: 1234` reaches the resolver as "1234"
        (_fragment(LoginSecret), {"type": ["string", "integer"]}),
        (_fragment(Address), {"pattern": f"^{_QUAD}$"}),
        (_fragment(Network), {"pattern": f"^{_QUAD}/{_PREFIX}$"}),
        (_fragment(InterfaceAddress), {"pattern": f"^{_QUAD}/{_PREFIX}$"}),
        (_fragment(Ipv4Setting), {"pattern": f"^(dhcp|{_QUAD}/{_PREFIX})$"}),
    ]
    out: dict[str, Any] = {"$schema": DIALECT, "title": _TITLES[kind]}
    out |= _loosen(model, swaps, in_list=False)
    out["title"] = _TITLES[kind]
    # The old key of the PPTP tunnels: read as `tunnels` of `kind: pptp`.
    out["properties"]["pptp_clients"] = {
        "type": "object",
        "description": "The PPTP tunnels by name: `tunnels` entries with kind: pptp",
        "additionalProperties": {"$ref": "#/$defs/PptpClient"},
    }
    if kind == "site":
        out["description"] = (
            "One router. Merged over its groups (in order) over defaults.yaml: a key "
            "any of them gives may be left out here."
        )
        out["allOf"] = [
            _linux_forbids(
                [k[0] for k in IOS_ONLY_KEYS],
                list(INTERFACE_IOS_ONLY_KEYS),
                list(TUNNEL_IOS_ONLY_KEYS),
            )
        ]
    else:
        # `groups:` is read from the site file only: here it would load nothing.
        out["properties"].pop("groups", None)
        out["description"] = (
            "Keys every site (defaults) or every member of the group starts from; "
            "the site file overrides them. Serves both platforms."
        )
    return out


# A dotted quad as `ipaddress` takes it (no leading zeros), and a prefix length.
_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_QUAD = rf"{_OCTET}(\.{_OCTET}){{3}}"
_PREFIX = "(3[0-2]|[12]?[0-9])"

Swaps = list[tuple[dict[str, Any], dict[str, Any]]]


def _fragment(annotation: Any) -> dict[str, Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(annotation).json_schema()


def _loosen(node: Any, swaps: Swaps, in_list: bool) -> Any:
    """The changes of the module docstring, applied to the whole tree."""
    if isinstance(node, list):
        return [_loosen(item, swaps, in_list) for item in node]
    if not isinstance(node, dict):
        return node
    bare = {k: v for k, v in node.items() if k not in {"title", "default"}}
    for old, new in swaps:
        if bare == old:
            return node | new
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in {"items", "prefixItems"}:
            out[key] = _loosen(value, swaps, in_list=True)
        elif key == "$defs":
            out[key] = {name: _loosen(d, swaps, in_list=False) for name, d in value.items()}
        else:
            out[key] = _loosen(value, swaps, in_list)
    if "required" in out and not in_list and "$defs" not in node:
        del out["required"]
    if "$defs" in node:  # the root: Site itself is a merged mapping
        out.pop("required", None)
        for name in _list_only_defs(node):
            # models only ever list items (`routes`) keep their required keys
            if "required" in node["$defs"][name]:
                out["$defs"][name]["required"] = node["$defs"][name]["required"]
    enum = out.get("enum")
    if isinstance(enum, list) and any(isinstance(v, str) and v.isdigit() for v in enum):
        # the model's before-validators take `mppe: 40` as '40'
        out["enum"] = enum + [int(v) for v in enum if isinstance(v, str) and v.isdigit()]
        if out.get("type") == "string":
            out["type"] = ["string", "integer"]
    if "patternProperties" in out and "additionalProperties" not in out:
        # keys the pattern refuses are refused by the model too
        out["additionalProperties"] = False
    return out


def _list_only_defs(root: dict[str, Any]) -> set[str]:
    """`$defs` names referenced only from list items (which the merge replaces whole)."""
    in_lists: set[str] = set()
    elsewhere: set[str] = set()

    def walk(node: Any, in_list: bool) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, in_list)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                (in_lists if in_list else elsewhere).add(ref.removeprefix("#/$defs/"))
            for key, value in node.items():
                if key != "$defs":
                    walk(value, in_list or key in {"items", "prefixItems"})

    walk(root, False)
    for definition in root.get("$defs", {}).values():
        walk(definition, False)
    return in_lists - elsewhere


def _linux_forbids(
    site_keys: list[str], interface_keys: list[str], tunnel_keys: list[str]
) -> dict[str, Any]:
    """On a linux (linux-pppd) site file, the IOS-only keys are errors (the loader says so)."""
    never = {"not": {}, "description": "IOS-only: not on platform linux"}

    def without(keys: list[str]) -> dict[str, Any]:
        return {"properties": dict.fromkeys(keys, never)}

    then = without([*site_keys, "pptp_server"])
    then["properties"]["interfaces"] = {"additionalProperties": without(interface_keys)}
    then["properties"]["pptp_clients"] = {"additionalProperties": without(tunnel_keys)}
    then["properties"]["tunnels"] = {"additionalProperties": without(tunnel_keys)}
    return {
        "if": {
            "properties": {"platform": {"enum": [Platform.LINUX.value, *ALIASES]}},
            "required": ["platform"],
        },
        "then": then,
    }


__all__ = ["KINDS", "SchemaKind", "schema"]
