"""The local record of every push: `.iosgen/history/<host>/<timestamp>/`.

`push.json` (the outcome, for machines), `push.txt` (the same for people: each
line sent with IOS's answer), `before.cfg` and `after.cfg` (the running config
before and after, secrets redacted). Nothing in it may hold a secret: configs
go through the audit engine's redaction and the site's clear secrets are masked
wherever they appear.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from iosgen.ios.secrets import hide_values
from iosgen.model.site import Site
from iosgen.push.engine import Engine, site_secrets
from iosgen.push.outcome import PushOutcome


def _directory(root: Path, host: str) -> Path:
    base = root / host / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    path.mkdir(parents=True)
    return path


def render_text(outcome: PushOutcome) -> str:
    out = [
        f"host:    {outcome.host}",
        f"outcome: {outcome.status.value}",
        f"final:   {outcome.where()}",
        f"message: {outcome.message}",
        f"seconds: {outcome.seconds:.2f}",
    ]
    if outcome.revert_minutes:
        out.append(f"revert timer: {outcome.revert_minutes} min")
    out.append(f"saved:   {'yes' if outcome.saved else 'no'}")
    if outcome.refusals:
        out.append("management path:")
        out += [f"  {r}" for r in outcome.refusals]
    if outcome.failing_line:
        out.append(f"failing line: {outcome.failing_line}")
    if outcome.ios_answer:
        out.append("IOS answered:")
        out += [f"  {a}" for a in outcome.ios_answer.splitlines()]
    if outcome.notes:
        out.append("notes:")
        out += [f"  {n}" for n in outcome.notes]
    if outcome.drift_after:
        out.append("drift after the push:")
        out += [f"  {d}" for d in outcome.drift_after]
    out.append("lines sent (with IOS's answers):")
    for item in outcome.sent:
        out.append(f"  {item.line}")
        out += [f"    | {a}" for a in item.answer.splitlines()]
        if item.note:
            out.append(f"    ({item.note})")
    return "\n".join(out) + "\n"


def write_history(
    root: Path,
    site: Site,
    outcome: PushOutcome,
    before: str | None,
    after: str | None,
    engine: Engine,
) -> Path:
    path = _directory(root, outcome.host)
    hide = site_secrets(site)
    data = dict(outcome.as_dict(), history=str(path))
    (path / "push.json").write_text(
        hide_values(json.dumps(data, indent=2), hide) + "\n", encoding="utf-8"
    )
    (path / "push.txt").write_text(hide_values(render_text(outcome), hide), encoding="utf-8")
    if before is not None:
        (path / "before.cfg").write_text(engine.redact(before, site), encoding="utf-8")
    if after is not None:
        (path / "after.cfg").write_text(engine.redact(after, site), encoding="utf-8")
    return path
