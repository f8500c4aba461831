"""Plan files: what `iosgen plan` reviewed, pushed by `iosgen push --plan` exactly.

Per router: the sha256 of the built config, the sha256 of the running config it
was planned against, the remediation with its secrets masked (the clear values are
resolved again from the secrets at push time, and the lines must come out the same),
the guard's findings and the revert timer. The file carries a sha256 of its own
content, so an edited plan is refused instead of pushed.

A linux-pppd box's entry has the same fields in its own terms
(`iosgen.push.linux`): `built_sha256` is its built tree's (`tree_sha256`),
`running_sha256` its managed files' as read (`box_sha256`), `lines` the diff.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from iosgen.errors import UsageError
from iosgen.push.engine import body
from iosgen.push.outcome import PushOutcome, Status

FORMAT = "iosgen-plan/1"


class PlanFileError(UsageError):
    """A plan file that cannot be read, or was changed after it was written (exit 2)."""


def built_sha256(intended: str) -> str:
    return hashlib.sha256(intended.encode("utf-8")).hexdigest()


def running_sha256(running: str) -> str:
    """The running config's hash without its volatile header (`! Last configuration
    change at ...`, `Current configuration : N bytes`), so only a change of config counts."""
    return hashlib.sha256("\n".join(body(running)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PlannedHost:
    host: str
    status: str
    built_sha256: str | None
    running_sha256: str | None
    lines: tuple[str, ...]  # masked, as `--dry-run` prints them
    findings: tuple[str, ...]
    revert_minutes: int | None
    message: str = ""

    @property
    def sends(self) -> bool:
        return self.status == Status.PLANNED.value

    def as_dict(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "status": self.status,
            "built_sha256": self.built_sha256,
            "running_sha256": self.running_sha256,
            "lines": list(self.lines),
            "findings": list(self.findings),
            "revert_minutes": self.revert_minutes,
            "message": self.message,
        }


@dataclass(frozen=True)
class PlanFile:
    hosts: tuple[PlannedHost, ...]
    created: str = ""

    def host(self, name: str) -> PlannedHost | None:
        return next((h for h in self.hosts if h.host.lower() == name.lower()), None)


def from_outcomes(outcomes: Sequence[PushOutcome], revert: int | None) -> PlanFile:
    """The plan of a dry run; `revert`: the revert timer the push will arm (None: none)."""
    return PlanFile(
        tuple(
            PlannedHost(
                host=o.host,
                status=o.status.value,
                built_sha256=o.built_sha256,
                running_sha256=o.running_sha256,
                lines=o.lines,
                findings=o.refusals,
                revert_minutes=revert,
                message=o.message,
            )
            for o in outcomes
        ),
        datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def _checksum(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def write_plan(plan: PlanFile, path: Path) -> None:
    """Write atomically (a temporary file renamed): never a half-written plan."""
    content = {
        "format": FORMAT,
        "created": plan.created,
        "hosts": [h.as_dict() for h in plan.hosts],
    }
    text = json.dumps({**content, "sha256": _checksum(content)}, indent=2) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_plan(path: Path) -> PlanFile:
    """The plan in `path`; a `PlanFileError` naming the file (and line:column) if bad."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanFileError(f"{path}: cannot read the plan: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PlanFileError(f"{path}: not a plan file (not UTF-8 text)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFileError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PlanFileError(f'{path}: not an iosgen plan (expected "format": "{FORMAT}")')
    claimed = data.get("sha256")
    content = {k: v for k, v in data.items() if k != "sha256"}
    if claimed != _checksum(content):
        raise PlanFileError(
            f"{path}: the plan was changed after `iosgen plan` wrote it (its sha256 does "
            "not match its content): refusing to push it",
            "make a new plan with `iosgen plan ... -o FILE` and review that",
        )
    try:
        hosts = tuple(_host(h) for h in data["hosts"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanFileError(f"{path}: a host entry is malformed ({exc})") from None
    if len({h.host.lower() for h in hosts}) != len(hosts):
        raise PlanFileError(f"{path}: a host appears twice")
    return PlanFile(hosts, str(data.get("created", "")))


def _host(item: Any) -> PlannedHost:
    if not isinstance(item, dict):
        raise TypeError("not an object")

    def text(key: str, optional: bool = False) -> Any:
        value = item[key]
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise ValueError(f"{key} must be a string")
        return value

    def texts(key: str) -> tuple[str, ...]:
        value = item[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{key} must be a list of strings")
        return tuple(value)

    revert = item["revert_minutes"]
    if revert is not None and (not isinstance(revert, int) or isinstance(revert, bool)):
        raise ValueError("revert_minutes must be a whole number or null")
    return PlannedHost(
        host=text("host"),
        status=text("status"),
        built_sha256=text("built_sha256", optional=True),
        running_sha256=text("running_sha256", optional=True),
        lines=texts("lines"),
        findings=texts("findings"),
        revert_minutes=revert,
        message=str(item.get("message", "")),
    )


__all__ = [
    "FORMAT",
    "PlanFile",
    "PlanFileError",
    "PlannedHost",
    "built_sha256",
    "from_outcomes",
    "read_plan",
    "running_sha256",
    "write_plan",
]
