"""The box's files against the build: pure drift buckets, and a live audit over real SSH."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iosgen.build import Build
from iosgen.build.files import BuiltFile
from iosgen.diff.linux import BoxFile, audit_tree, redact, unified
from iosgen.model.site import Site
from iosgen.push.linux import audit_linux_site, push_linux_host
from tests.linux_box.conftest import Box

PEER = BuiltFile("etc/ppp/peers/sofia", "# sofia\npty x\nmtu 1460\n")
SECRETS = BuiltFile("etc/ppp/chap-secrets", 'plovdiv sofia "Pe5n" *\n', 0o600)

CASES = {
    "same": (PEER, BoxFile(PEER.path, PEER.content, 0o644, "root:root"), [], []),
    "line": (
        PEER,
        BoxFile(PEER.path, "# sofia\npty x\nmtu 1400\n", 0o644, "root:root"),
        ["+ etc/ppp/peers/sofia > mtu 1460", "- etc/ppp/peers/sofia > mtu 1400"],
        [],
    ),
    "comment-only": (
        PEER,
        BoxFile(PEER.path, "# edited\npty x\nmtu 1460\n", 0o644, "root:root"),
        [],
        ["+ etc/ppp/peers/sofia > # sofia", "- etc/ppp/peers/sofia > # edited"],
    ),
    "mode-owner": (
        SECRETS,
        BoxFile(SECRETS.path, SECRETS.content, 0o644, "netops:netops"),
        [
            "+ etc/ppp/chap-secrets (mode 0600, the box has 0644)",
            "+ etc/ppp/chap-secrets (owner root:root, the box has netops:netops)",
        ],
        [],
    ),
    "secret-changed": (
        SECRETS,
        BoxFile(SECRETS.path, 'plovdiv sofia "old one" *\n', 0o600, "root:root"),
        [
            '+ etc/ppp/chap-secrets > plovdiv sofia "<redacted>" *',
            '- etc/ppp/chap-secrets > plovdiv sofia "<redacted>" *',
        ],
        [],
    ),
    "missing": (PEER, BoxFile(PEER.path, None), ["+ etc/ppp/peers/sofia (missing on the box)"], []),
}


@pytest.mark.parametrize("name", CASES, ids=list(CASES))
def test_drift_buckets(name: str) -> None:
    want, have, real, cosmetic = CASES[name]
    result = audit_tree("gw", (want,), {want.path: have})
    assert result.drift.as_dict()["real"] == real
    assert result.drift.as_dict()["cosmetic"] == cosmetic
    assert result.status == ("drift" if real else "in_sync")
    assert "Pe5n" not in json.dumps(result.to_json()) and "old one" not in repr(result)


def test_unified_diff_masks_a_changed_secret_but_shows_the_change() -> None:
    diff = unified(SECRETS.path, 'plovdiv sofia "old" *\n', SECRETS.content)
    assert diff[2:] == [
        "@@ -1 +1 @@",
        '-plovdiv sofia "<redacted>" *',
        '+plovdiv sofia "<redacted>" *',
    ]


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ('a b "x y" *', 'a b "<redacted>" *'),
        ("a b plain 10.0.0.1", 'a b "<redacted>" 10.0.0.1'),
        ('a b "q\\"uote" *', 'a b "<redacted>" *'),
        ("# a b c", "# a b c"),
    ],
    ids=["quoted", "bare", "escaped-quote", "comment"],
)
def test_redact_masks_the_secret_column(line: str, masked: str) -> None:
    assert redact("etc/ppp/chap-secrets", line) == masked


def test_live_audit_finds_drift_and_then_none(box: Box, site: Site, build: Build) -> None:
    options = box.options(force=True)
    before = audit_linux_site(site, build, options.device, target=box.target)
    assert before.status == "drift"
    assert len(before.drift.real) == len(build.files)  # every file missing
    assert push_linux_host(site, build, options, target=box.target).ok
    assert audit_linux_site(site, build, options.device, target=box.target).status == "in_sync"
    secrets = box.root / "etc/ppp/chap-secrets"
    secrets.write_text(secrets.read_text().replace("Pe5n", "typed-by-hand"))
    secrets.chmod(0o644)
    after = audit_linux_site(site, build, options.device, target=box.target)
    assert after.status == "drift"
    rendered = json.dumps(after.to_json())
    assert "typed-by-hand" not in rendered and "Pe5n" not in rendered
    assert "+ etc/ppp/chap-secrets (mode 0600, the box has 0644)" in after.drift.as_dict()["real"]


def test_unreachable_box_is_an_audit_result(box: Box, site: Site, build: Build) -> None:
    from dataclasses import replace

    target = replace(box.target, port=1)
    result = audit_linux_site(site, build, box.options().device, target=target)
    assert result.status == "unreachable"
    assert result.error is not None and "127.0.0.1:1" in result.error


def test_backup_keeps_the_box_files_with_the_secret_redacted(
    box: Box, site: Site, build: Build, tmp_path: Path
) -> None:
    from iosgen.push.linux import backup_linux_site

    assert push_linux_host(site, build, box.options(force=True), target=box.target).ok
    folder = backup_linux_site(
        site, tmp_path / "backups", build, box.options().device, target=box.target
    )
    saved = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert saved == {f.path for f in build.files}
    secrets = (folder / "etc/ppp/chap-secrets").read_text()
    assert "Pe5n" not in secrets and '"<redacted>"' in secrets
    assert (folder / "etc/ppp/peers/sofia").read_text() == (
        box.root / "etc/ppp/peers/sofia"
    ).read_text()
    assert (folder / "etc/ppp/ip-up.d/iosgen").stat().st_mode & 0o777 == 0o755


def test_the_fleet_live_audit_reads_a_linux_box(
    sudo_box: Box, site: Site, build: Build, tmp_path: Path
) -> None:
    """Through iosgen.fleet.audit.audit_live, with a targets file: a password login,
    then sudo with the same password (no sudo_password given)."""
    from iosgen.device.session import DeviceOptions
    from iosgen.fleet.audit import audit_live
    from tests.linux_box.conftest import SUDO_PASSWORD, SUDO_USER

    targets = tmp_path / "targets.yaml"
    targets.write_text(
        f"plovdiv-gw:\n  host: 127.0.0.1\n  port: {sudo_box.port}\n  username: {SUDO_USER}\n"
        f"  password: '{SUDO_PASSWORD}'\n  host_key: {sudo_box.target.host_key}\n"
    )
    (result,) = audit_live([site], targets, DeviceOptions(known_hosts=None), workers=1)
    assert result.value is not None and result.value.status == "drift", result.value
    assert result.value.drift.as_dict()["real"][0].endswith("(missing on the box)")
    assert SUDO_PASSWORD not in json.dumps(result.value.to_json())
