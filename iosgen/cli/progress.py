"""The rich progress bar of fleet commands, fed by `run_fleet`'s callbacks.

`iosgen.fleet` reports progress as `on_start(host)` / `on_done(result)`; this
object turns them into a bar on stderr, shown only on a terminal and only for
more than one host (one host's own messages say enough).
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from iosgen.fleet.runner import HostResult


class ProgressBar:
    """`with ProgressBar("audit", len(sites)) as bar: audit_live(..., on_done=bar.on_done)`."""

    def __init__(self, label: str, total: int, show: bool | None = None) -> None:
        self.label = label
        self.total = total
        self.show = (sys.stderr.isatty() if show is None else show) and total > 1
        self.started: list[str] = []
        self.done: list[str] = []
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> ProgressBar:
        if self.show:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self._bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                # stderr: stdout may be JSON going to a file while stderr is the terminal
                console=Console(stderr=True),
                transient=True,  # gone when the report prints
            )
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def on_start(self, host: str) -> None:
        self.started.append(host)

    def on_done(self, result: HostResult[Any]) -> None:
        self.done.append(result.host)
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task)
