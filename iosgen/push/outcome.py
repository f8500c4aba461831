"""What a push did to one router: a frozen result that always says where the router ended."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any


class Status(StrEnum):
    PUSHED = "pushed"
    IN_SYNC = "nothing to do"
    PLANNED = "planned"  # dry run, or planned and waiting for confirmation
    ROLLED_BACK = "rolled back"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    ABORTED = "aborted"  # stopped before the first line: nothing sent
    FAILED = "rollback failed"  # could not prove old or new: the router needs a look
    SKIPPED = "skipped"  # a canary failed first


class Final(StrEnum):
    """Which config the router runs when iosgen lets go of it."""

    NEW = "new"
    OLD = "old"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Sent:
    """One line sent and IOS's exact answer to it (secrets masked)."""

    line: str
    answer: str
    note: str = ""


@dataclass(frozen=True)
class PushOutcome:
    host: str
    status: Status
    final: Final
    message: str = ""
    lines: tuple[str, ...] = ()  # the remediation, secrets masked
    sent: tuple[Sent, ...] = ()
    failing_line: str | None = None
    ios_answer: str | None = None
    refusals: tuple[str, ...] = ()  # management-path findings, rendered
    notes: tuple[str, ...] = ()
    drift_after: tuple[str, ...] = ()  # what still differed after the push (then rolled back)
    revert_minutes: int | None = None
    safety_net: str = "none"  # "revert timer", "reload in" or "none" (safetynet.Net)
    archive_first: bool = False  # the archive block was pushed (and kept) on its own first
    saved: bool = False
    seconds: float = 0.0
    history: Path | None = None
    # a plan (dry run): the sha256 of the built config, and of the running config it was
    # planned against (iosgen.push.planfile)
    built_sha256: str | None = None
    running_sha256: str | None = None
    box: bool = False  # a linux-pppd box (iosgen.push.linux): a file tree, not a config

    @property
    def ok(self) -> bool:
        return self.status in (Status.PUSHED, Status.IN_SYNC, Status.PLANNED)

    def where(self) -> str:
        """The sentence every outcome ends with."""
        if self.box:
            return {
                Final.NEW: "the box has the NEW (intended) file tree",
                Final.OLD: "the box has its OLD file tree, as before the push",
            }.get(self.final, "the box's files are UNKNOWN: check them by hand")
        if self.final is Final.NEW:
            return "the router runs the NEW (intended) config"
        if (
            self.final is Final.OLD
            and self.status is Status.FAILED
            and self.safety_net == "reload in"
        ):
            return (
                "iosgen lost the router: its scheduled reload restarts it on the OLD "
                f"(startup) config within {self.revert_minutes} min"
            )
        if self.final is Final.OLD and self.status is Status.FAILED and self.revert_minutes:
            return (
                f"iosgen lost the router: its revert timer puts the OLD config back "
                f"within {self.revert_minutes} min"
            )
        if self.final is Final.OLD:
            return "the router runs its OLD config, as before the push"
        return "the router's config is UNKNOWN: check it by hand"

    def as_dict(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "status": self.status.value,
            "final": self.final.value,
            "where": self.where(),
            "message": self.message,
            "lines": list(self.lines),
            "sent": [{"line": s.line, "answer": s.answer, "note": s.note} for s in self.sent],
            "failing_line": self.failing_line,
            "ios_answer": self.ios_answer,
            "refusals": list(self.refusals),
            "notes": list(self.notes),
            "drift_after": list(self.drift_after),
            "revert_minutes": self.revert_minutes,
            "safety_net": self.safety_net,
            "archive_first": self.archive_first,
            "saved": self.saved,
            "seconds": round(self.seconds, 3),
            "history": str(self.history) if self.history else None,
            **(
                {"built_sha256": self.built_sha256, "running_sha256": self.running_sha256}
                if self.built_sha256 is not None
                else {}
            ),
        }
