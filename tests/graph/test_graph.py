"""`iosgen graph`: the picture names every site and tunnel in each format, the DOT is
what Graphviz reads, and an audit/verify report colours hosts and tunnels."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.fleet.graph import STATUS_COLOUR, Graph, graph_of, read_report, to_dot, to_svg
from iosgen.lint.fleet import fleet_of
from iosgen.model.inventory import load_inventory
from tests.conftest import INVENTORY

CLEAN = Path(__file__).parents[1] / "fleetlint" / "clean"
SVG = "{http://www.w3.org/2000/svg}"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["graph", *args])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def example_graph(report: Path | None = None) -> Graph:
    fleet = fleet_of(load_inventory(INVENTORY))
    return graph_of(fleet, read_report(report) if report else None)


def names() -> tuple[list[str], list[str]]:
    """Every hostname, and every tunnel name, of the example inventory."""
    sites = load_inventory(INVENTORY).sites
    return [s.hostname for s in sites], sorted({t for s in sites for t in s.pptp_clients})


def dot_path() -> str:
    dot = shutil.which("dot")
    assert dot, "Graphviz `dot` is needed (Debian package graphviz, in .ci/apt-linux.txt)"
    return dot


def svg_texts(text: str) -> list[str]:
    root = ET.fromstring(text)  # parses, or the test fails here
    assert root.tag == f"{SVG}svg"
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("use_dot", [True, False], ids=["graphviz", "pure-python"])
def test_svg_parses_and_names_every_site_and_tunnel(use_dot: bool) -> None:
    if use_dot:
        dot_path()
    texts = svg_texts(to_svg(example_graph(), use_dot=use_dot))
    hosts, tunnels = names()
    for name in [*hosts, *tunnels]:
        assert name in texts, name
    # the Internet exits and the LANs are drawn too
    assert "Internet" in texts and "192.168.20.0/24" in texts


def test_dot_is_read_by_graphviz(tmp_path: Path) -> None:
    dot = dot_path()
    code, out, _ = run("-i", str(INVENTORY), "-o", str(tmp_path / "fleet.dot"))
    assert code == 0 and out == ""
    source = (tmp_path / "fleet.dot").read_text()
    done = subprocess.run(
        [dot, "-Tsvg", str(tmp_path / "fleet.dot")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no syntax warning either
    texts = svg_texts(done.stdout)
    assert "R-VARNA" in texts and "varna" in texts
    assert source.startswith("digraph iosgen {")


def test_tunnel_labels_carry_dialer_and_mppe() -> None:
    text = to_dot(example_graph())
    assert 'site_R_VARNA -> outside_192_0_2_50 [label="bourgas\\nDialer3, MPPE 40/128"' in text
    # gabrovo-gw's tunnel to R-VARNA ends at the site itself, a head office in the picture
    assert 'site_gabrovo_gw -> site_R_VARNA [label="varna\\nppp3, MPPE 40/128 required"' in text
    assert re.search(r"site_R_VARNA \[[^\]]*shape=box3d", text)


def test_mermaid_names_every_site_and_tunnel(tmp_path: Path) -> None:
    code, _, _ = run("-i", str(INVENTORY), "-o", str(tmp_path / "fleet.mmd"))
    assert code == 0
    text = (tmp_path / "fleet.mmd").read_text()
    assert text.startswith("flowchart LR\n")
    hosts, tunnels = names()
    for name in [*hosts, *tunnels]:
        assert re.search(rf'[">]{re.escape(name)}<', text), name
    declared = set(re.findall(r"^  (\w+)[\[(]", text, re.M))
    for source, target in re.findall(r"^  (\w+) [=\-.]+\S* (\w+)$", text, re.M):
        assert {source, target} <= declared, (source, target)


def _report(tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_text(
        json.dumps(
            [
                {"host": "R-ITD", "status": "in_sync"},
                {"host": "r-varna", "status": "drift"},
                {"host": "R-RUSE", "status": "unreachable", "error": "connection refused"},
                {"host": "gabrovo-gw", "status": "ok", "tunnels": {"varna": "down"}},
                {"host": "R-GONE", "status": "drift"},
            ]
        )
    )
    return path


def test_report_colours_hosts_and_tunnels(tmp_path: Path) -> None:
    graph = example_graph(_report(tmp_path))
    text = to_dot(graph)
    assert re.search(rf'site_R_VARNA \[[^\]]*color="{STATUS_COLOUR["drift"]}"', text)
    assert re.search(rf'site_R_ITD \[[^\]]*color="{STATUS_COLOUR["in_sync"]}"', text)
    assert re.search(rf'site_R_RUSE \[[^\]]*color="{STATUS_COLOUR["unreachable"]}"', text)
    down = rf'site_gabrovo_gw -> site_R_VARNA \[[^\]]*color="{STATUS_COLOUR["down"]}"'
    assert re.search(down, text)
    # a host the report names that no site has is told, not drawn
    assert graph.unmatched == ("r-gone",)
    uncoloured = to_dot(example_graph())
    assert STATUS_COLOUR["drift"] not in uncoloured


def test_cli_report_note_and_svg_file(tmp_path: Path) -> None:
    dot_path()
    out_file = tmp_path / "fleet.svg"
    code, out, err = run(
        "-i", str(INVENTORY), "-o", str(out_file), "--report", str(_report(tmp_path))
    )
    assert code == 0 and out == ""
    assert "host 'r-gone' is no site of" in err
    assert "drift" in svg_texts(out_file.read_text())


def test_special_characters_are_escaped(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    shutil.copytree(CLEAN, inv)
    site = inv / "sites" / "a.yaml"
    site.write_text(
        site.read_text().replace(
            "{role: lan, ipv4: 192.168.1.1/24}",
            "{role: lan, ipv4: 192.168.1.1/24, description: 'a \"quoted\" <b>&LAN\\'}",
        )
    )
    graph = graph_of(fleet_of(load_inventory(inv)))
    texts = svg_texts(to_svg(graph, use_dot=False))
    assert 'a "quoted" <b>&LAN\\' in texts
    done = subprocess.run(
        [dot_path(), "-Tsvg"], input=to_dot(graph), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert 'a "quoted" <b>&LAN\\' in svg_texts(done.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "fleet.png"), "the picture's format comes from the suffix"),
        (("--report", "{missing}"), "cannot read"),
        (("--report", "{bad}"), "not JSON"),
        (("--report", "{shape}"), "expected an object with `host` and `status`"),
    ],
    ids=["suffix", "missing-report", "bad-json", "bad-shape"],
)
def test_bad_input_is_exit_2(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"host": "R-ITD",\n "status": }')
    (tmp_path / "shape.json").write_text('[{"status": "drift"}]')
    paths = {"missing": tmp_path / "none.json", "bad": tmp_path / "bad.json"}
    paths["shape"] = tmp_path / "shape.json"
    filled = tuple(a.format(**{k: str(v) for k, v in paths.items()}) for a in args)
    code, out, err = run("-i", str(INVENTORY), *filled)
    assert code == 2 and out == ""
    assert message in err
    if "bad" in args[-1]:
        assert f"{paths['bad']}:2:12: not JSON" in err


@pytest.mark.parametrize("suffix", [".dot", ".mmd", ".svg"])
def test_no_secret_in_the_picture(suffix: str, tmp_path: Path) -> None:
    from tests.conftest import example_env

    if suffix == ".svg":
        dot_path()
    code, _, err = run("-i", str(INVENTORY), "-o", str(tmp_path / f"fleet{suffix}"))
    assert code == 0
    text = (tmp_path / f"fleet{suffix}").read_text() + err
    assert [s for s in example_env().values() if s in text] == []
