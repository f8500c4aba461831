"""The CLI's progress bar: fed by the fleet callbacks, on stderr, never on stdout."""

from __future__ import annotations

import pytest

from iosgen.cli.progress import ProgressBar
from iosgen.fleet.runner import run_fleet


@pytest.mark.parametrize(
    ("total", "asked", "shown"),
    [(1, True, False), (3, True, True), (3, False, False)],
    ids=["one-host-no-bar", "fleet-bar", "not-a-terminal"],
)
def test_bar_only_for_a_fleet(total: int, asked: bool, shown: bool) -> None:
    assert ProgressBar("audit", total, show=asked).show is shown


def test_bar_counts_each_host_once_and_keeps_stdout_clean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with ProgressBar("audit", 4, show=True) as bar:
        results = run_fleet(
            list(range(4)),
            lambda n: n * 2,
            key=lambda n: f"h{n}",
            workers=2,
            on_start=bar.on_start,
            on_done=bar.on_done,
        )
    assert results.values() == [0, 2, 4, 6]
    assert sorted(bar.started) == sorted(bar.done) == ["h0", "h1", "h2", "h3"]
    assert capsys.readouterr().out == ""
