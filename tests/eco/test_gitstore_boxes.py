"""A Linux box's backup is a folder of files: its commit names the box once, not each file."""

from __future__ import annotations

from pathlib import Path

from iosgen.fleet.gitstore import open_store


def test_a_box_folder_is_named_once_beside_a_router(tmp_path: Path) -> None:
    store = open_store(tmp_path / "backups")
    router = store.folder / "R-ITD.cfg"
    router.write_text("hostname R-ITD\n")
    box = store.folder / "plovdiv-gw"
    (box / "etc" / "ppp" / "peers").mkdir(parents=True)
    (box / "etc" / "ppp" / "peers" / "sofia").write_text("pty x\n")
    (box / "etc" / "ppp" / "options.pptp").write_text("lock\n")
    first = store.commit([router, box])
    assert first is not None and first.added == ("R-ITD", "plovdiv-gw")
    (box / "etc" / "ppp" / "options.pptp").write_text("lock\nnoauth\n")
    second = store.commit([router, box])
    assert second is not None and second.added == () and second.changed == ("plovdiv-gw",)
    subject = store.git("log", "-1", "--format=%s").stdout.strip()
    assert subject == "backup: plovdiv-gw"
