"""`iosgen audit --format html | markdown`: one self-contained page, Markdown for a pull request.

Both are read back with real parsers (the standard library's HTML parser, markdown-it as
a Markdown renderer): what a router printed is shown as text, never as markup.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from iosgen.cli import app
from tests.audit.audit_mutations import HOSTS

SCRIPT = "<script>alert(1)</script>"
CHAP = "0123035155"
# GitHub's Markdown is CommonMark with tables; raw HTML passes through the renderer.
GFM = MarkdownIt("commonmark").enable(
    "table"
)  # R-ITD's chap password as type 7, changed on the router below


class Page(HTMLParser):
    """Every start tag with its attributes, and the text, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def run(*args: str | Path) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def drifted(tmp_path: Path, intended: dict[str, str]) -> Path:
    """Saved configs: R-ITD with a hostile WAN description and a changed CHAP password,
    R-RUSE missing (unreachable), R-VARNA in sync."""
    folder = tmp_path / "saved"
    folder.mkdir()
    itd = intended["R-ITD"].replace(" description WAN ITD", f" description {SCRIPT}")
    itd = itd.replace("ppp chap password 7 ", "ppp chap password 7 1")
    assert SCRIPT in itd and f"7 1{CHAP}" in itd
    (folder / "R-ITD.cfg").write_text(itd)
    (folder / "R-VARNA.cfg").write_text(intended["R-VARNA"])
    return folder


def test_html_is_one_safe_self_contained_page(inventory_dir: Path, drifted: Path) -> None:
    result = run("audit", "--all", "-i", inventory_dir, "--from", drifted, "--format", "html")
    assert result.exit_code == 3  # an unreachable router outranks drift, as in every format
    page = parsed(result.stdout)
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags and not tags & {"link", "img", "iframe", "object", "embed"}
    for _, attrs in page.tags:
        assert not any(k.startswith("on") for k in attrs)
        assert "src" not in attrs
        assert (attrs.get("href") or "#").startswith("#")  # in-page links only
    text = "".join(page.text)
    assert "3 routers: 1 in sync, 1 with drift, 1 unreachable" in text
    # the hostile description is data: in the drift bucket and in the rollback
    assert f"- interface FastEthernet0/0 > description {SCRIPT}" in text
    assert f" description {SCRIPT}" in text.split("Rollback", 1)[1]
    assert "interface FastEthernet0/0\n description WAN ITD" in text  # the remediation
    assert "no saved config" in text  # R-RUSE's reason
    assert CHAP not in result.stdout and "ppp chap password 7 <redacted>" in text
    shown = run(
        "audit", "--all", "-i", inventory_dir, "--from", drifted, "--format", "html",
        "--show-secrets",
    )  # fmt: skip
    assert f"7 1{CHAP}" in "".join(parsed(shown.stdout).text)


def test_markdown_renders_the_drift_as_text(inventory_dir: Path, drifted: Path) -> None:
    result = run("audit", "--all", "-i", inventory_dir, "--from", drifted, "--format", "markdown")
    assert result.exit_code == 3
    md = result.stdout
    assert md.splitlines()[4:9] == [
        "| router | status | drift | cosmetic | secret only |",
        "|---|---|--:|--:|--:|",
        "| R-ITD | drift | 4 | 0 | 0 |",  # description and chap password, - and +
        "| R-RUSE | unreachable |  |  |  |",
        "| R-VARNA | in sync | 0 | 0 | 0 |",
    ]
    assert CHAP not in md
    # rendered as GitHub would (raw HTML allowed): the description stays inside code blocks
    page = parsed(GFM.render(md))
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags and {"details", "summary", "table", "pre"} <= tags
    assert f"- interface FastEthernet0/0 > description {SCRIPT}" in "".join(page.text)


def test_markdown_escapes_a_hostile_error_and_a_fence_in_a_line() -> None:
    from iosgen.diff.audit import unreachable
    from iosgen.fleet.report import _fence, audit_markdown

    md = audit_markdown([unreachable("R1", f"{SCRIPT} | `x`")])
    page = parsed(GFM.render(md))
    assert "script" not in {tag for tag, _ in page.tags}
    assert f"{SCRIPT} | `x`" in "".join(page.text)
    assert _fence(["banner ```x```"])[0] == "````"


# --- live, on the simulator -----------------------------------------------------------


def test_html_and_markdown_from_the_simulators_audit(
    sim: Any, inventory_dir: Path, tmp_path: Path, intended: dict[str, str]
) -> None:
    for host in HOSTS:
        assert sim.router(host).set_running(intended[host]) == []
    sim.router("R-VARNA").set_running(intended["R-VARNA"] + "logging 192.0.2.9\n")
    opts = ("-i", inventory_dir, "--targets", sim.targets_file, "--known-hosts", tmp_path / "kh")
    try:
        _live_reports(opts)
    finally:
        sim.router("R-VARNA").set_running(intended["R-VARNA"])


def _live_reports(opts: tuple[str | Path, ...]) -> None:
    page = run("audit", "--all", *opts, "--format", "html")
    assert page.exit_code == 1, page.output
    text = "".join(parsed(page.stdout).text)
    assert "3 routers: 2 in sync, 1 with drift, 0 unreachable" in text
    assert "Drift- logging 192.0.2.9\nRemediationno logging 192.0.2.9" in text
    md = run("audit", "--all", *opts, "--format", "markdown")
    assert md.exit_code == 1
    assert "<summary>R-VARNA: drift</summary>" in md.stdout
    assert "```\nno logging 192.0.2.9\n```" in md.stdout
