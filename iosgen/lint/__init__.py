"""Lint an IOS config, or a site (built first), into findings with stable codes and locations.

The rules live in `iosgen.lint.checks` (the table in `table.py`); this module runs
them and attaches file, line and severity. Findings are results, not errors:
only unreadable input raises (exit 2); exit 1 means an error-severity finding.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import cast

from iosgen.errors import EXIT_FINDINGS, EXIT_OK, InputError, Problem
from iosgen.ios.capture import saved_config_text
from iosgen.ios.config import ConfigTextError
from iosgen.lint.checks.access import (
    check_aaa_login,
    check_name_servers,
    check_secrets,
    check_ssh_version,
    check_vty,
)
from iosgen.lint.checks.config import Config, read_config
from iosgen.lint.checks.ipsec import check_ipsec, ipsec_checks
from iosgen.lint.checks.nat import check_nat_sides
from iosgen.lint.checks.pptp import check_mppe, check_pptp, check_server_pool
from iosgen.lint.checks.references import check_references, check_unused
from iosgen.lint.checks.secrets import redact
from iosgen.lint.hit import Hit
from iosgen.lint.rules import RULE_BY_CODE, RULES, SEVERITY_ORDER, Rule, Severity
from iosgen.model.site import Site

SITE_SUFFIXES = frozenset({".yaml", ".yml"})

IOS_CHECKS: tuple[Callable[[Config], Iterable[Hit]], ...] = (
    check_references,
    check_unused,
    check_nat_sides,
    check_pptp,
    check_mppe,
    check_secrets,
    check_vty,
    check_ssh_version,
    check_name_servers,
    check_aaa_login,
    check_server_pool,
    check_ipsec,
)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    file: str  # the file the user named
    line: int  # 1-based; in `config` when set, else in `file`; 0: the whole file
    message: str
    config: str | None = None  # the rendered config a site's finding is in

    @property
    def location(self) -> str:
        where = f"{self.file} -> {self.config}" if self.config else self.file
        return f"{where}:{self.line}" if self.line else where

    def render(self) -> str:
        return f"{self.location}: {self.severity} {self.code}: {self.message}"


@dataclass(frozen=True)
class LintReport:
    file: str
    findings: tuple[Finding, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.count("error") else EXIT_OK

    def summary(self) -> str:
        return (
            f"{self.file}: {self.count('error')} error(s), {self.count('warning')} warning(s), "
            f"{self.count('info')} info"
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "file": self.file,
                "findings": [asdict(f) for f in self.findings],
                "summary": {s: self.count(s) for s in SEVERITY_ORDER},
            },
            indent=2,
        )


_QUOTED = re.compile(r"`([^`\n]*)`")


def _masked(message: str) -> str:
    """Every config line a message quotes, redacted once more.

    Rules quote their own line through `redact`, but a parent or a neighbour in a
    config with its lines out of place can be a secret line too (`username ivan
    password 7 ...` taking ` ppp encrypt mppe auto` as its child).
    """
    return _QUOTED.sub(lambda m: f"`{redact(m[1])}`", message)


def _finding(hit: Hit, file: str, config: str | None = None) -> Finding:
    rule = RULE_BY_CODE[hit.code]
    return Finding(hit.code, rule.severity, file, hit.line, _masked(hit.message), config)


def _sorted(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (f.line, SEVERITY_ORDER[f.severity], f.code)))


def lint_config(
    text: str,
    file: str,
    config: str | None = None,
    *,
    image: str | None = None,
    feature_set: str | None = None,
) -> tuple[Finding, ...]:
    """Every finding of every IOS rule over one config text.

    The text is read as an operator saved it (`ios.capture`): prompt lines and headers
    are no config, a typed config is linted in the modes IOS types it in; line numbers
    stay the file's. Text that is no IOS config is an InputError at its line. `image`
    and `feature_set` (a site's hardware) say what the router can do, for the IPsec
    rules; without them the text's own `show version` comments or `version` line do.
    """
    try:
        text = saved_config_text(text, config or file)
    except ConfigTextError as exc:
        raise InputError([Problem(exc.source, exc.line, exc.column, "", exc.message)]) from exc
    parsed = read_config(text)
    if not parsed.lines:
        raise InputError([Problem(file, 1, 1, "", "no configuration lines: not an IOS config")])
    checks = IOS_CHECKS
    if image is not None or feature_set is not None:
        site_ipsec = ipsec_checks(image, feature_set)
        checks = tuple(site_ipsec if c is check_ipsec else c for c in IOS_CHECKS)
    hits = [hit for check in checks for hit in check(parsed)]
    return _sorted(_finding(hit, file, config) for hit in hits)


def lint_site(site: Site, site_file: Path) -> tuple[Finding, ...]:
    """An IOS site: lint its built config. A Linux site: the Linux linter, or the model."""
    from iosgen.build import PLATFORMS

    file = str(site_file)
    builder = PLATFORMS[site.platform]
    if builder.lint == "config":
        config = builder.build(site).files[0]
        hardware = site.hardware
        return lint_config(
            config.content,
            file,
            config.path,
            image=hardware.image,
            feature_set=hardware.feature_set,
        )
    linux = _linux_findings()
    if linux is not None:
        found = [(code, _severity(severity), message) for code, severity, message in linux(site)]
    else:
        from iosgen.lint.checks.site import site_hits

        found = [(h.code, RULE_BY_CODE[h.code].severity, h.message) for h in site_hits(site)]
    lines = _key_lines(site_file)
    return _sorted(
        Finding(code, severity, file, _line_of(message, lines), _masked(message))
        for code, severity, message in found
    )


LinuxLinter = Callable[[Site], list[tuple[str, str, str]]]


def _linux_findings() -> LinuxLinter | None:
    """`iosgen.lint.checks.linux.linux_findings`, if that module exists yet."""
    try:
        module = importlib.import_module("iosgen.lint.checks.linux")
    except ImportError:
        return None
    function = getattr(module, "linux_findings", None)
    return cast(LinuxLinter, function) if callable(function) else None


def _severity(value: str) -> Severity:
    for severity in SEVERITY_ORDER:
        if value.lower() == severity:
            return severity
    return "warning"


def _key_lines(site_file: Path) -> dict[tuple[str, ...], int]:
    """Key path -> line where the key is typed in the site file itself."""
    from iosgen.model.yamlsource import load_yaml

    _data, source = load_yaml(site_file, str(site_file))
    return {tuple(str(k) for k in path): pos.line for path, pos in source.keys.items()}


def _line_of(message: str, lines: dict[tuple[str, ...], int]) -> int:
    """`pptp_clients.sofia.mppe: ...` -> the line of the deepest of those keys in the file."""
    match = re.match(r"^([A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*):", message)
    path = tuple(match[1].split(".")) if match else ()
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 0


def lint_path(path: Path, secrets_file: Path | None = None) -> LintReport:
    """A site YAML (built first) or an IOS config file; unreadable input raises InputError."""
    if path.suffix.lower() in SITE_SUFFIXES:
        from iosgen.model.inventory import load_files, load_resolver

        inventory = load_files([path], load_resolver(secrets_file, site_file=path))
        return LintReport(str(path), lint_site(inventory.sites[0], path))
    return LintReport(str(path), lint_config(read_config_file(path), str(path)))


# A running config of a branch router is tens of kilobytes; a 5,000-route-map test
# config about 300 KB. Past this, the input is not a config.
MAX_CONFIG_BYTES = 16 * 1024 * 1024


def read_config_file(path: Path) -> str:
    """An IOS config file's text: a regular file (never a FIFO or device, which would
    hang), not binary, bounded in size; anything else is an InputError at its file."""
    from iosgen.model.yamlsource import read_regular_bytes

    data = read_regular_bytes(path, str(path), MAX_CONFIG_BYTES, "an IOS config file")
    return _config_text(data, str(path))


def _config_text(data: bytes, file: str) -> str:
    """The text of a config file; binary data (an image, a tarball) is refused, not linted.

    IOS configs are text: a NUL never appears in one, and only a banner may hold a few
    bytes of another 8-bit charset, so text that is mostly not UTF-8 is not a config.
    """
    if b"\x00" in data:
        at = data.index(b"\x00")
        line = data.count(b"\n", 0, at) + 1
        column = at - (data.rfind(b"\n", 0, at) + 1) + 1
        raise InputError(
            [Problem(file, line, column, "", "binary data (a NUL byte): not an IOS config")]
        )
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") * 100 > max(len(text), 1):
        raise InputError(
            [Problem(file, 1, 1, "", "binary data (not UTF-8 text): not an IOS config")]
        )
    return text


__all__ = [
    "RULES",
    "Finding",
    "LintReport",
    "Rule",
    "Severity",
    "lint_config",
    "lint_path",
    "lint_site",
]
