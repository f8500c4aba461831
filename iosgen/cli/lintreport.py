"""Lint findings as CI reads them: SARIF 2.1.0 (GitHub code scanning) and JUnit XML.

One neutral shape, `Item`, carries a finding of any linter (site, config file,
fleet) with its places; the two writers take items and the rule table they came
from. Messages are the linters' own, already masked: no secret reaches a report.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iosgen.lint.rules import Rule, Severity

if TYPE_CHECKING:
    from iosgen.lint import Finding
    from iosgen.lint.fleet import FleetFinding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
# SARIF result.level has no "info": its name for an informational result is "note".
SARIF_LEVEL: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "note"}


@dataclass(frozen=True)
class Place:
    file: str
    line: int  # 1-based; 0: the whole file
    column: int = 0  # 1-based; 0: not known
    what: str = ""  # a key path or a note on what is there


@dataclass(frozen=True)
class Item:
    code: str
    severity: Severity
    message: str
    place: Place
    related: tuple[Place, ...] = ()


def _indent_column(file: str, line: int, cache: dict[str, list[str]]) -> int:
    """The column of a config line's first character (findings know only the line)."""
    if line <= 0:
        return 0
    if file not in cache:
        try:
            cache[file] = Path(file).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            cache[file] = []
    lines = cache[file]
    if line > len(lines):
        return 0
    text = lines[line - 1]
    return len(text) - len(text.lstrip()) + 1


def items_of_findings(findings: Iterable[Finding]) -> list[Item]:
    """Site or config-file lint: a site's finding is in its build, not in the YAML file."""
    cache: dict[str, list[str]] = {}
    items = []
    for f in findings:
        if f.config is not None:
            # The rendered config is no file of the repository: the site file is the place,
            # and where the line is in the build is said in the message.
            at = f" (line {f.line} of its build {f.config})" if f.line else ""
            items.append(Item(f.code, f.severity, f.message + at, Place(f.file, 1, 1)))
        else:
            # line 0 is about the whole file: its first line is where a reader looks
            line = f.line or 1
            column = _indent_column(f.file, line, cache) or 1
            items.append(Item(f.code, f.severity, f.message, Place(f.file, line, column)))
    return items


def items_of_fleet(findings: Iterable[FleetFinding]) -> list[Item]:
    items = []
    for f in findings:
        node = Place(f.node.file, f.node.line, f.node.column, f.node.path)
        related: tuple[Place, ...] = ()
        if f.other is not None:
            o = f.other
            related = (Place(o.file, o.line, o.column, f"{o.site}: {o.path}"),)
        items.append(Item(f.code, f.severity, f"{f.node.path}: {f.message}", node, related))
    return items


# --- SARIF ------------------------------------------------------------------------------


def _uri(file: str) -> str:
    """A relative path as SARIF wants it (`/` separators), with the checkout as its base."""
    return Path(file).as_posix()


def _physical(place: Place) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": _uri(place.file)}}
    if place.line > 0:
        region: dict[str, Any] = {"startLine": place.line}
        if place.column > 0:
            region["startColumn"] = place.column
        location["region"] = region
    return location


def sarif(items: Sequence[Item], rules: Sequence[Rule], version: str) -> str:
    """A SARIF 2.1.0 log of one run: every rule in tool.driver.rules, each result with its
    rule id and index, level, message, and file, line and column."""
    index = {rule.code: n for n, rule in enumerate(rules)}
    results = []
    for item in items:
        result: dict[str, Any] = {
            "ruleId": item.code,
            "ruleIndex": index[item.code],
            "level": SARIF_LEVEL[item.severity],
            "message": {"text": item.message},
            "locations": [{"physicalLocation": _physical(item.place)}],
        }
        if item.related:
            result["relatedLocations"] = [
                {"id": n, "physicalLocation": _physical(p), "message": {"text": p.what}}
                for n, p in enumerate(item.related, 1)
            ]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "iosgen",
                        "version": version,
                        "rules": [
                            {
                                "id": rule.code,
                                "shortDescription": {"text": rule.summary},
                                "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
                            }
                            for rule in rules
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


# --- JUnit ------------------------------------------------------------------------------


def _where(place: Place) -> str:
    text = place.file
    if place.line:
        text += f":{place.line}"
        if place.column:
            text += f":{place.column}"
    return text


def junit(items: Sequence[Item], suite_name: str, target: str) -> str:
    """One testcase per finding (an error finding fails, a warning or note is skipped
    output), or one passing testcase when there is none, so CI shows the run."""
    from xml.etree import ElementTree as ET

    errors = [i for i in items if i.severity == "error"]
    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=suite_name,
        tests=str(max(len(items), 1)),
        failures=str(len(errors)),
        errors="0",
        skipped="0",
    )
    if not items:
        ET.SubElement(suite, "testcase", classname=suite_name, name=f"{target}: no findings")
    for item in items:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"iosgen.lint.{item.code}",
            name=f"{_where(item.place)}: {item.code}",
            file=item.place.file,
        )
        if item.place.line:
            case.set("line", str(item.place.line))
        detail = "\n".join(
            [f"{_where(item.place)}: {item.severity} {item.code}: {item.message}"]
            + [f"  see {_where(p)}: {p.what}" for p in item.related]
        )
        if item.severity == "error":
            failure = ET.SubElement(case, "failure", message=item.message, type=item.code)
            failure.text = detail
        else:
            out = ET.SubElement(case, "system-out")
            out.text = detail
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
