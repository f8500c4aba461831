"""Targets files: the simulator's format, and a located error for a bad entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.errors import InputError
from iosgen.model.targets import read_targets_file


def test_reads_entries_by_lower_case_hostname(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text(
        '"R-ITD":\n  host: 127.0.0.1\n  port: 2201\n  username: "netops"\n'
        '  password: "pw"\n  secret: null\n  host_key: "ssh-rsa AAAAB3Nza"\n',
        encoding="utf-8",
    )
    target = read_targets_file(path)["r-itd"]
    assert (target.hostname, target.host, target.port) == ("R-ITD", "127.0.0.1", 2201)
    assert target.password.reveal() == "pw" and str(target.password) == "<redacted>"
    assert target.enable_secret is None
    assert target.host_key == "ssh-rsa AAAAB3Nza"


def test_bad_entry_is_located(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text("R-A:\n  host: 127.0.0.1\n  password: x\nR-B:\n  port: 22\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_targets_file(path)
    lines = info.value.lines()
    # each problem points at its entry's body and names what is missing
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:2:3", f"{path}:5:3"]
    assert lines[0].endswith("R-A: bad target entry: 'username'")
    assert lines[1].endswith("R-B: bad target entry: 'host'")
