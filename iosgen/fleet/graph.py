"""A picture of the fleet made from the model: the seed's network diagram, drawn.

Head offices (the sites and outside servers the tunnels dial), branches, their
LANs, the tunnels (name, dialer, MPPE) and the Internet exits (PAT out of the
WAN). `graph_of` makes a plain `Graph`; `to_dot`, `to_mermaid` and `to_svg`
write it (SVG through Graphviz `dot` when it is on PATH, else a small writer of
our own). Given an audit or verify JSON report, each host is coloured by its
status, and each tunnel by its own where the report says (`tunnels`).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any, Literal

from iosgen.errors import InputError, Problem
from iosgen.lint.fleet import FleetSite, server_of
from iosgen.model.platform import Platform
from iosgen.model.site import PptpClient, Site

Kind = Literal["head", "branch", "outside", "lan", "internet"]

# Report statuses (audit: in_sync | drift | unreachable; verify: ok | failed, per
# check or tunnel up | down) -> the colour they are drawn in.
STATUS_COLOUR: dict[str, str] = {
    "in_sync": "#2e7d32",
    "ok": "#2e7d32",
    "pass": "#2e7d32",
    "passed": "#2e7d32",
    "up": "#2e7d32",
    "drift": "#ef6c00",
    "failed": "#c62828",
    "fail": "#c62828",
    "down": "#c62828",
    "unreachable": "#757575",
}
KIND_FILL: dict[str, str] = {
    "head": "#bbdefb",
    "outside": "#e3f2fd",
    "branch": "#fff9c4",
    "lan": "#f1f8e9",
    "internet": "#eeeeee",
}
KIND_SHAPE: dict[str, str] = {
    "head": "box3d",
    "outside": "box3d",
    "branch": "box",
    "lan": "note",
    "internet": "ellipse",
}
INTERNET = "internet"


@dataclass(frozen=True)
class GNode:
    id: str
    kind: Kind
    lines: tuple[str, ...]  # the label, one entry per line
    status: str | None = None


@dataclass(frozen=True)
class GEdge:
    source: str
    target: str
    kind: Literal["tunnel", "lan", "internet"]
    lines: tuple[str, ...] = ()
    status: str | None = None


@dataclass(frozen=True)
class Graph:
    nodes: tuple[GNode, ...]
    edges: tuple[GEdge, ...]
    unmatched: tuple[str, ...] = ()  # report hosts that are no site of the inventory

    def node(self, node_id: str) -> GNode:
        return next(n for n in self.nodes if n.id == node_id)


@dataclass(frozen=True)
class Report:
    """What an audit or verify JSON report says: a status per host and per tunnel."""

    hosts: dict[str, str] = field(default_factory=dict)  # lower-cased hostname -> status
    tunnels: dict[tuple[str, str], str] = field(default_factory=dict)  # (host, tunnel) -> status


def _id(*parts: str) -> str:
    return "_".join(re.sub(r"[^A-Za-z0-9]", "_", p) for p in parts)


def _mppe(client: PptpClient, platform: Platform) -> str:
    if client.mppe == "none":
        return "no MPPE"
    strength = "40/128" if client.mppe == "auto" else client.mppe
    required = client.mppe_required or platform == Platform.LINUX_PPPD  # pppd: always
    return f"MPPE {strength}{' required' if required else ''}"


def _dialer(client: PptpClient, platform: Platform) -> str:
    return f"ppp{client.dialer}" if platform == Platform.LINUX_PPPD else f"Dialer{client.dialer}"


def graph_of(fleet: Sequence[FleetSite], report: Report | None = None) -> Graph:
    """Every site, LAN, tunnel and Internet exit of the fleet, as nodes and edges."""
    report = report or Report()
    dialled: set[str] = set()
    outside: dict[IPv4Address, list[str]] = {}  # server address -> remote networks
    edges: list[GEdge] = []
    for entry in fleet:
        site = entry.site
        for tname, client in site.pptp_clients.items():
            server = server_of(fleet, client, site)
            if server is None:
                nets = outside.setdefault(client.server, [])
                nets += [str(n) for n in client.remote_networks if str(n) not in nets]
                target = _id("outside", str(client.server))
            else:
                dialled.add(server.hostname)
                target = _id("site", server.hostname)
            status = report.tunnels.get((site.hostname.lower(), tname))
            label = (tname, f"{_dialer(client, site.platform)}, {_mppe(client, site.platform)}")
            edges.append(GEdge(_id("site", site.hostname), target, "tunnel", label, status))
    nodes = [_site_node(e.site, e.site.hostname in dialled, report) for e in fleet]
    nodes += [
        GNode(_id("outside", str(address)), "outside", (str(address), "head office", *nets))
        for address, nets in outside.items()
    ]
    nodes.append(GNode(INTERNET, "internet", ("Internet",)))
    for entry in fleet:
        nodes_, edges_ = _lans_and_exit(entry.site)
        nodes += nodes_
        edges += edges_
    known = {e.site.hostname.lower() for e in fleet}
    unmatched = tuple(sorted(h for h in report.hosts if h not in known))
    return Graph(tuple(nodes), tuple(edges), unmatched)


def _site_node(site: Site, dialled: bool, report: Report) -> GNode:
    kind: Kind = "head" if dialled else "branch"
    platform = "IOS " + site.hardware.model if site.platform == Platform.IOS else "Linux pppd"
    lines = [site.hostname, platform]
    if site.pptp_server is not None:
        lines.append(f"PPTP server, {len(site.pptp_server.users)} user(s)")
    status = report.hosts.get(site.hostname.lower())
    if status is not None:
        lines.append(status.replace("_", " "))
    return GNode(_id("site", site.hostname), kind, tuple(lines), status)


def _lans_and_exit(site: Site) -> tuple[list[GNode], list[GEdge]]:
    nodes, edges = [], []
    me = _id("site", site.hostname)
    for name, iface in site.lans:
        lan_id = _id("lan", site.hostname, name)
        lines = (str(getattr(iface.ipv4, "network", iface.ipv4)), iface.description or name)
        nodes.append(GNode(lan_id, "lan", lines))
        edges.append(GEdge(me, lan_id, "lan", (name,)))
    wan_name, wan = site.wan
    address = "dhcp" if wan.ipv4 == "dhcp" else str(wan.ipv4)
    nat = ("PAT" if site.platform == Platform.IOS else "MASQUERADE") if site.internet_nat else ""
    exit_lines = tuple(x for x in (f"{wan_name} {address}", nat and f"{nat} out") if x)
    edges.append(GEdge(me, INTERNET, "internet", exit_lines))
    return nodes, edges


# --- the report -------------------------------------------------------------------------


def read_report(path: Path) -> Report:
    """An audit (`iosgen audit --format json`) or verify JSON report: one object or a list
    of them, each with `host` and `status`, and optionally `tunnels` (name -> status, or
    name -> {"status": ...})."""
    from iosgen.model.yamlsource import read_regular_bytes

    name = str(path)
    text = read_regular_bytes(path, name, 16 * 1024 * 1024, "a JSON report").decode(
        "utf-8", errors="replace"
    )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(name, exc.lineno, exc.colno, "", f"not JSON: {exc.msg}")]
        ) from None
    entries = data if isinstance(data, list) else [data]
    report = Report()
    for index, entry in enumerate(entries):
        if not (isinstance(entry, dict) and isinstance(entry.get("host"), str)):
            where = f"[{index}]" if isinstance(data, list) else ""
            raise InputError(
                [Problem(name, 1, 1, where, "expected an object with `host` and `status`")]
            )
        host = entry["host"].lower()
        status = entry.get("status")
        if isinstance(status, str):
            report.hosts[host] = status
        for tname, value in _mapping(entry.get("tunnels")).items():
            tstatus = value.get("status") if isinstance(value, dict) else value
            if isinstance(tstatus, str):
                report.tunnels[(host, str(tname))] = tstatus
    return report


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# --- writers ----------------------------------------------------------------------------


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _dot_label(lines: Iterable[str]) -> str:
    return "\\n".join(_dot_text(line) for line in lines)


def to_dot(graph: Graph) -> str:
    out = [
        "digraph iosgen {",
        "  graph [rankdir=LR, fontname=Helvetica, nodesep=0.4, ranksep=1.1];",
        "  node [fontname=Helvetica, fontsize=10, style=filled];",
        "  edge [fontname=Helvetica, fontsize=9];",
    ]
    for n in graph.nodes:
        colour = STATUS_COLOUR.get(n.status or "", "#424242")
        width = "2.5" if n.status else "1"
        out.append(
            f'  {n.id} [label="{_dot_label(n.lines)}", shape={KIND_SHAPE[n.kind]}, '
            f'fillcolor="{KIND_FILL[n.kind]}", color="{colour}", penwidth={width}];'
        )
    for e in graph.edges:
        attrs = [f'label="{_dot_label(e.lines)}"'] if e.lines else []
        if e.kind == "tunnel":
            colour = STATUS_COLOUR.get(e.status or "", "#1565c0")
            attrs += [f'color="{colour}"', "penwidth=2", "style=bold"]
        elif e.kind == "internet":
            attrs += ['color="#9e9e9e"', "style=dashed", "arrowhead=none"]
        else:
            attrs += ["arrowhead=none"]
        out.append(f"  {e.source} -> {e.target} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _mermaid_text(lines: Iterable[str]) -> str:
    # Mermaid labels in quotes: `#quot;` is its escape for a quote, <br/> a line break.
    return "<br/>".join(html.escape(line, quote=False).replace('"', "#quot;") for line in lines)


_MERMAID_SHAPE: dict[str, tuple[str, str]] = {
    "head": ("[[", "]]"),
    "outside": ("[[", "]]"),
    "branch": ("[", "]"),
    "lan": ("[/", "/]"),
    "internet": ("((", "))"),
}


def to_mermaid(graph: Graph) -> str:
    """A Mermaid flowchart, for Markdown (GitHub renders ```mermaid blocks)."""
    out = ["flowchart LR"]
    for n in graph.nodes:
        left, right = _MERMAID_SHAPE[n.kind]
        out.append(f'  {n.id}{left}"{_mermaid_text(n.lines)}"{right}')
    links: list[GEdge] = []
    for e in graph.edges:
        arrow = {"tunnel": "==>", "lan": "---", "internet": "-.-"}[e.kind]
        label = f'|"{_mermaid_text(e.lines)}"|' if e.lines else ""
        out.append(f"  {e.source} {arrow}{label} {e.target}")
        links.append(e)
    for n in graph.nodes:
        if n.status in STATUS_COLOUR:
            out.append(f"  style {n.id} stroke:{STATUS_COLOUR[n.status]},stroke-width:3px")
    for index, e in enumerate(links):
        if e.status in STATUS_COLOUR:
            out.append(f"  linkStyle {index} stroke:{STATUS_COLOUR[e.status]},stroke-width:3px")
    return "\n".join(out) + "\n"


def to_svg(graph: Graph, use_dot: bool | None = None) -> str:
    """SVG through Graphviz `dot` (found on PATH) or, without it, our own simple layout."""
    dot = shutil.which("dot") if use_dot is not False else None
    if dot is None:
        if use_dot:
            raise InputError([Problem("dot", 1, 1, "", "Graphviz `dot` is not on PATH")])
        return _plain_svg(graph)
    done = subprocess.run(
        [dot, "-Tsvg"], input=to_dot(graph), capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        raise InputError([Problem("dot", 1, 1, "", f"dot -Tsvg failed: {done.stderr.strip()}")])
    return done.stdout


# The simple layout: one column per kind, left to right, boxes of fixed size.
_COLUMN: dict[str, int] = {"outside": 0, "head": 1, "branch": 2, "lan": 3, "internet": 1}
_BOX_W, _BOX_H, _GAP_X, _GAP_Y, _LINE = 190, 58, 120, 34, 13


def _plain_svg(graph: Graph) -> str:
    rows: dict[int, int] = {}
    places: dict[str, tuple[int, int]] = {}
    for n in graph.nodes:
        if n.kind == "internet":
            continue
        column = _COLUMN[n.kind]
        row = rows.get(column, 0)
        rows[column] = row + 1
        places[n.id] = (20 + column * (_BOX_W + _GAP_X), 84 + row * (_BOX_H + _GAP_Y))
    width = 40 + 4 * _BOX_W + 3 * _GAP_X
    places[INTERNET] = (20 + _COLUMN["internet"] * (_BOX_W + _GAP_X), 8)
    height = 124 + max(rows.values(), default=1) * (_BOX_H + _GAP_Y)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif">',
    ]
    for e in graph.edges:
        (x1, y1), (x2, y2) = places[e.source], places[e.target]
        ax, ay, bx, by = x1 + _BOX_W / 2, y1 + _BOX_H / 2, x2 + _BOX_W / 2, y2 + _BOX_H / 2
        colour = STATUS_COLOUR.get(e.status or "", "#1565c0" if e.kind == "tunnel" else "#9e9e9e")
        dash = ' stroke-dasharray="5,4"' if e.kind == "internet" else ""
        out.append(f'<g class="edge {e.kind}"><title>{html.escape(" ".join(e.lines))}</title>')
        out.append(
            f'<line x1="{ax:.0f}" y1="{ay:.0f}" x2="{bx:.0f}" y2="{by:.0f}" stroke="{colour}" '
            f'stroke-width="{2 if e.kind == "tunnel" else 1}"{dash}/>'
        )
        for i, line in enumerate(e.lines):
            out.append(
                f'<text x="{(ax + bx) / 2:.0f}" y="{(ay + by) / 2 - 4 + i * 11:.0f}" '
                f'font-size="9" text-anchor="middle">{html.escape(line)}</text>'
            )
        out.append("</g>")
    for n in graph.nodes:
        x, y = places[n.id]
        stroke = STATUS_COLOUR.get(n.status or "", "#424242")
        out.append(f'<g class="node {n.kind}" id="{n.id}"><title>{html.escape(n.lines[0])}</title>')
        out.append(
            f'<rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="6" '
            f'fill="{KIND_FILL[n.kind]}" stroke="{stroke}" '
            f'stroke-width="{3 if n.status else 1}"/>'
        )
        for i, line in enumerate(n.lines[:4]):
            weight = ' font-weight="bold"' if i == 0 else ""
            out.append(
                f'<text x="{x + _BOX_W / 2:.0f}" y="{y + 15 + i * _LINE}" font-size="10" '
                f'text-anchor="middle"{weight}>{html.escape(line)}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


WRITERS = {".dot": to_dot, ".gv": to_dot, ".mmd": to_mermaid, ".svg": to_svg}


def render(graph: Graph, suffix: str) -> str:
    """The picture in the format a file name's suffix asks for."""
    writer = WRITERS.get(suffix.lower())
    if writer is None:
        raise KeyError(suffix)
    return writer(graph)
