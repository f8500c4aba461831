"""Audit reports people read: one self-contained HTML page, and Markdown for a pull request.

Both take the fleet's `AuditResult`s and give text; nothing here fetches or prints.
Everything a router said (descriptions, banners, error messages) is data, escaped
where it lands: a `description <script>...` drift line is shown, never run. Secrets
are masked unless `show_secrets`, exactly as in the text and JSON outputs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iosgen.diff.audit import AuditResult

# (key in Drift.as_dict, heading): the buckets in the order a reader needs them.
BUCKETS: tuple[tuple[str, str], ...] = (
    ("real", "Drift"),
    ("cosmetic", "Cosmetic"),
    ("secret_only", "Secret only"),
)
STATUS_TITLE = {"in_sync": "in sync", "drift": "drift", "unreachable": "unreachable"}


@dataclass(frozen=True, slots=True)
class Summary:
    """How many routers are in each state, and the counts of one report's drift."""

    routers: int
    in_sync: int
    drift: int
    unreachable: int

    @classmethod
    def of(cls, results: Sequence[AuditResult]) -> Summary:
        count = {s: sum(r.status == s for r in results) for s in STATUS_TITLE}
        return cls(len(results), count["in_sync"], count["drift"], count["unreachable"])

    def sentence(self) -> str:
        return (
            f"{self.routers} router{'s' if self.routers != 1 else ''}: {self.in_sync} in sync, "
            f"{self.drift} with drift, {self.unreachable} unreachable"
        )


def _counts(r: AuditResult) -> tuple[str, str, str]:
    if r.status == "unreachable":
        return ("", "", "")
    d = r.drift
    return (str(len(d.real)), str(len(d.cosmetic)), str(len(d.secret_only)))


def _sections(r: AuditResult, show_secrets: bool) -> list[tuple[str, list[str]]]:
    """(heading, lines) for each non-empty part of one router's report."""
    buckets = r.drift.as_dict(show_secrets)
    out = [(title, buckets[key]) for key, title in BUCKETS if buckets[key]]
    if r.remediation:
        out.append(("Remediation", r.remediation.lines(show_secrets)))
        out.append(("Rollback", r.rollback.lines(show_secrets)))
    return out


# --- HTML -----------------------------------------------------------------------------------

# Inline, so the page is one file that opens anywhere (a CI artefact, a mail): no
# scripts, no fonts, no links out. The policy tells a browser to load nothing else.
_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .7em;text-align:left}
td.n{text-align:right}pre{background:#f6f6f6;padding:.6em;overflow-x:auto}
.in_sync{color:#17692c}.drift{color:#a15c00}.unreachable{color:#b00020}
section{border-top:1px solid #ddd;margin-top:1.5em}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def audit_html(
    results: Sequence[AuditResult], show_secrets: bool = False, title: str = "iosgen audit"
) -> str:
    """One HTML page: the fleet summary, a table of routers, each drifted router's buckets
    with its remediation and rollback, each unreachable router's reason."""
    summary = Summary.of(results)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>{_e(summary.sentence())}</p>",
        "<table><thead><tr><th>router</th><th>status</th><th>drift</th><th>cosmetic</th>"
        "<th>secret only</th></tr></thead><tbody>",
    ]
    for r in results:
        cells = "".join(f'<td class="n">{c}</td>' for c in _counts(r))
        host = f'<a href="#{_anchor(r.host)}">{_e(r.host)}</a>' if r.status != "in_sync" else ""
        out.append(
            f"<tr><td>{host or _e(r.host)}</td>"
            f'<td class="{r.status}">{STATUS_TITLE[r.status]}</td>{cells}</tr>'
        )
    out.append("</tbody></table>")
    for r in results:
        if r.status == "in_sync":
            continue
        out.append(f'<section id="{_anchor(r.host)}"><h2>{_e(r.host)}: ')
        out.append(f'<span class="{r.status}">{STATUS_TITLE[r.status]}</span></h2>')
        if r.error:
            out.append(f"<p>{_e(r.error)}</p>")
        for heading, lines in _sections(r, show_secrets):
            out.append(f"<h3>{_e(heading)}</h3><pre>{_e(chr(10).join(lines))}</pre>")
        out.append("</section>")
    if not show_secrets:
        out.append("<p><small>Secrets are masked.</small></p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _anchor(host: str) -> str:
    return "host-" + re.sub(r"[^A-Za-z0-9_-]", "_", host)


# --- Markdown -------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text for a Markdown table cell or paragraph: no HTML, no table breaks, one line."""
    text = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", text)


def _fence(lines: Sequence[str]) -> list[str]:
    """A code block no line inside can close: the fence is longer than any backtick run."""
    longest = max((len(m) for line in lines for m in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, *lines, fence]


def audit_markdown(
    results: Sequence[AuditResult], show_secrets: bool = False, title: str = "iosgen audit"
) -> str:
    """GitHub-flavoured Markdown for a pull request comment: the summary table, then each
    router that is not in sync in a collapsed block with its drift and remediation."""
    out = [
        f"## {_md(title)}",
        "",
        _md(Summary.of(results).sentence()),
        "",
        "| router | status | drift | cosmetic | secret only |",
        "|---|---|--:|--:|--:|",
    ]
    for r in results:
        out.append(f"| {_md(r.host)} | {STATUS_TITLE[r.status]} | " + " | ".join(_counts(r)) + " |")
    for r in results:
        if r.status == "in_sync":
            continue
        out += ["", "<details>", f"<summary>{_md(r.host)}: {STATUS_TITLE[r.status]}</summary>", ""]
        if r.error:
            out += [_md(r.error), ""]
        for heading, lines in _sections(r, show_secrets):
            out += [f"**{heading}**", "", *_fence(lines), ""]
        out.append("</details>")
    if not show_secrets:
        out += ["", "_Secrets are masked._"]
    return "\n".join(out) + "\n"
