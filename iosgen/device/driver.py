"""`IOS124Driver`: NAPALM's operator contract for one IOS 12.4 router.

The verbs are NAPALM's (`napalm/base/base.py`), mapped onto the commands
iosgen's push already sends:

==========================  =====================================================
open / close                the SSH session (`Device`), or one given already open
get_config                  `show running-config` / `show startup-config` (NAPALM's dict)
load_replace_candidate      the whole intended config; compare = iosgen's remediation
load_merge_candidate        lines to add; compare = those lines (secrets masked)
compare_config              the remediation text, secrets masked; "" when in sync
commit_config(revert_in=N)  `copy running-config flash:iosgen-rollback-TS.cfg`;
                            `configure replace flash:... force time N` where the
                            image has it and an archive path exists, else
                            `reload in N`; the lines typed one by one (the NAT
                            `Dynamic mapping in use` dialogue answered); verified
confirm_commit              `configure confirm` / `reload cancel`; `write memory`
has_pending_commit          a revert timer or a scheduled reload is running
discard_config              forget the candidate
rollback                    `configure replace flash:iosgen-rollback-TS.cfg force`
==========================  =====================================================

A commit without `revert_in` saves at once (`write memory`), as NAPALM's does.
Unlike `iosgen.push.push_host` the driver raises (`DeviceError`s); it is the
building block for a notebook or a Nornir task, not the safe one-call path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING

from iosgen.device.session import Device, DeviceOptions
from iosgen.errors import CommitError, DeviceError
from iosgen.model.targets import Target

if TYPE_CHECKING:
    from iosgen.model.site import Site

ROLLBACK_PREFIX = "iosgen-rollback-"


@dataclass(frozen=True)
class Candidate:
    config: str
    replace: bool  # True: the whole config (load_replace_candidate); False: merge lines


class IOS124Driver:
    """One router through NAPALM's verbs. `site` (optional) gives the secrets to mask
    and the image (which safety net `revert_in` arms); `device` an open session."""

    def __init__(
        self,
        target: Target,
        options: DeviceOptions | None = None,
        device: Device | None = None,
        *,
        site: Site | None = None,
    ) -> None:
        self.target = target
        self.options = options or DeviceOptions()
        self.site = site
        self.device = device
        self._owns_device = device is None
        self.candidate: Candidate | None = None
        self.rollback_file: str | None = None
        self._before: str | None = None  # the running config the last commit started from
        self._timer = False  # `configure replace ... time N` armed
        self._reload = False  # `reload in N` scheduled

    # -- session ----------------------------------------------------------------------

    def open(self) -> None:
        if self.device is None:
            self.device = Device(self.target, self.options)
            self._owns_device = True
        if not self.device.alive:
            self.device.connect()

    def close(self) -> None:
        """Close the session, unless it was given open (then its owner closes it)."""
        if self.device is not None and self._owns_device:
            self.device.close()

    def __enter__(self) -> IOS124Driver:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def _dev(self) -> Device:
        if self.device is None:
            raise DeviceError(self.target.hostname, "not open: call open() first")
        return self.device

    # -- candidate --------------------------------------------------------------------

    def get_config(
        self, retrieve: str = "all", full: bool = False, sanitized: bool = False
    ) -> dict[str, str]:
        """NAPALM's shape: {"running", "startup", "candidate"}, each as IOS prints it ("" for
        what was not retrieved, or no candidate loaded); `sanitized` masks every secret.
        `full` (NAPALM: defaults included) is accepted; IOS 12.4's `show running-config
        all` is not what iosgen compares, so the text is the same."""
        if retrieve not in ("all", "running", "startup", "candidate"):
            raise ValueError(f"retrieve: all, running, startup or candidate, not {retrieve!r}")
        del full
        out = {"running": "", "startup": "", "candidate": ""}
        if retrieve in ("all", "running"):
            out["running"] = self._running()
        if retrieve in ("all", "startup"):
            out["startup"] = self._dev.startup_config() or ""
        if retrieve in ("all", "candidate") and self.candidate is not None:
            out["candidate"] = self.candidate.config
        if sanitized:
            from iosgen.ios.secrets import redact

            out = {key: redact(text) for key, text in out.items()}
        return out

    def _running(self) -> str:
        return self._dev.running_config()

    def load_replace_candidate(self, config: str) -> None:
        self.candidate = Candidate(config, replace=True)

    def load_merge_candidate(self, config: str) -> None:
        self.candidate = Candidate(config, replace=False)

    def discard_config(self) -> None:
        self.candidate = None

    def _lines(self, running: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(clear, masked) lines that take `running` to the candidate."""
        from iosgen.diff.audit import audit_text, secret_book
        from iosgen.ios.secrets import mask_line
        from iosgen.ios.typed import walk

        if self.candidate is None:
            return (), ()
        if not self.candidate.replace:
            lines = tuple(line.rstrip() for line in self.candidate.config.splitlines())
            lines = tuple(line for line in lines if line.strip() and line.strip() != "!")
            masked = tuple(
                " " * len(parents) + mask_line(text, parents[-1] if parents else None)
                for parents, text in walk(lines)
            )
            return lines, masked
        book = secret_book(self.site) if self.site is not None else None
        result = audit_text(self.target.hostname, self.candidate.config, running, book)
        if result.remediation is None:
            return (), ()
        return (
            tuple(result.remediation.lines(show_secrets=True)),
            tuple(result.remediation.lines()),
        )

    def compare_config(self) -> str:
        """The lines a commit would type, secrets masked; "" when in sync (or no candidate)."""
        _clear, masked = self._lines(self._running())
        return "\n".join(masked)

    # -- commit -----------------------------------------------------------------------

    def commit_config(self, revert_in: int | None = None) -> None:
        """Save a rollback point, arm the safety net (revert_in minutes), type the lines,
        verify. Without revert_in the new config is saved at once."""
        from iosgen.ios.safetynet import can_replace
        from iosgen.ios.typed import has_archive_path, nat_retyped, send_form

        dev = self._dev
        running = dev.running_config()
        clear, _masked = self._lines(running)
        if not clear:
            return
        self._before = running
        self.rollback_file = f"{ROLLBACK_PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.cfg"
        dev.copy_running_to(self.rollback_file)
        if revert_in:
            image = self.site.hardware.image if self.site is not None else "12.4(25)"
            if can_replace(image) and has_archive_path(running):
                dev.configure_replace(self.rollback_file, revert_in)
                self._timer = True
            else:
                dev.reload_in(revert_in)
                self._reload = True
        typed = nat_retyped(send_form(clear), running, [])
        dev.send_config([text for text, _ in typed])
        if self.candidate is not None and self.candidate.replace:
            left, _ = self._lines(dev.running_config())
            if left:
                raise CommitError(
                    self.target.hostname,
                    f"the router still differs from the candidate after the commit "
                    f"({len(left)} line(s))",
                    "rollback() returns to the config from before the commit",
                )
        if not revert_in:
            dev.write_memory()

    def has_pending_commit(self) -> bool:
        """A commit with revert_in that is neither confirmed nor rolled back."""
        return self._timer or self._reload

    def confirm_commit(self) -> None:
        """`configure confirm` (or `reload cancel`), then `write memory`."""
        dev = self._dev
        if not self.has_pending_commit():
            raise DeviceError(self.target.hostname, "no pending commit to confirm")
        if self._timer:
            dev.configure_confirm()
            self._timer = False
        if self._reload:
            dev.reload_cancel()
            self._reload = False
        dev.write_memory()

    def rollback(self) -> None:
        """Back to the config from before the last commit: `configure replace
        flash:iosgen-rollback-TS.cfg force`, then any pending timer is stopped."""
        dev = self._dev
        if self.rollback_file is None:
            raise DeviceError(self.target.hostname, "nothing to roll back to")
        dev.configure_replace(self.rollback_file)
        if self._timer:
            # the old config is back: the revert timer has nothing left to do
            dev.configure_confirm()
            self._timer = False
        if self._reload:
            dev.reload_cancel()
            self._reload = False
        if self._before is not None and not _same(self._before, dev.running_config()):
            raise CommitError(
                self.target.hostname,
                f"after `configure replace flash:{self.rollback_file} force` the config "
                "still differs from the one before the commit",
            )


def _same(before: str, now: str) -> bool:
    """The same config, the volatile header (`! Last configuration change ...`) aside."""
    from iosgen.diff.audit import in_sync

    return in_sync(before, now)


__all__ = ["ROLLBACK_PREFIX", "Candidate", "IOS124Driver"]
