"""IOS124Driver against the simulator over real SSH: NAPALM's verbs end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.device.driver import IOS124Driver
from iosgen.device.session import Device, DeviceOptions
from iosgen.errors import DeviceError
from iosgen.ios.config import significant_lines
from iosgen.model.targets import Target

MERGE = (
    "interface FastEthernet0/1\n"
    " description driver test\n"
    "username bob privilege 1 password 0 hunter2"  # the secret compare_config masks
)


@pytest.fixture
def driver(target: Target, known: Path) -> IOS124Driver:
    drv = IOS124Driver(target, DeviceOptions(known_hosts=known, read_timeout=30.0))
    drv.open()
    yield drv  # type: ignore[misc]
    drv.close()


def test_merge_compare_masks_the_secret(driver: IOS124Driver) -> None:
    driver.load_merge_candidate(MERGE)
    shown = driver.compare_config()
    assert shown.splitlines() == [
        "interface FastEthernet0/1",
        " description driver test",
        "username bob privilege 1 password 0 <redacted>",
    ]
    assert "hunter2" not in shown
    driver.discard_config()
    assert driver.compare_config() == ""


def test_merge_commit_then_rollback_restores_running(driver: IOS124Driver) -> None:
    before = driver.get_config(retrieve="running")["running"]
    driver.load_merge_candidate(MERGE)
    driver.commit_config()
    assert not driver.has_pending_commit()
    assert " description driver test" in driver.get_config(retrieve="running")["running"]
    driver.rollback()
    after = driver.get_config(retrieve="running")["running"]
    assert " description driver test" not in after
    assert "username bob" not in after
    assert significant_lines(after) == significant_lines(before)


def test_replace_reaches_the_candidate_and_compares_clean(driver: IOS124Driver) -> None:
    running = driver.get_config(retrieve="running")["running"]
    candidate = running.replace("hostname R-DEV\n", "hostname R-DEV\nip domain name example.net\n")
    driver.load_replace_candidate(candidate)
    assert driver.compare_config() == "ip domain name example.net"
    driver.commit_config()
    assert "ip domain name example.net" in driver.get_config(retrieve="running")["running"]
    assert driver.compare_config() == ""  # in sync after the commit


@pytest.mark.parametrize("finish", ["confirm", "rollback"], ids=["confirm", "rollback"])
def test_revert_in_is_pending_until_confirmed_or_rolled_back(
    driver: IOS124Driver, finish: str
) -> None:
    driver.load_merge_candidate("interface FastEthernet0/1\n description pending")
    driver.commit_config(revert_in=5)
    assert driver.has_pending_commit()
    if finish == "confirm":
        driver.confirm_commit()
        assert " description pending" in driver.get_config(retrieve="running")["running"]
    else:
        driver.rollback()
        assert " description pending" not in driver.get_config(retrieve="running")["running"]
    assert not driver.has_pending_commit()


def test_a_given_open_session_is_used_and_left_open(target: Target, known: Path) -> None:
    with Device(target, DeviceOptions(known_hosts=known)) as dev:
        drv = IOS124Driver(target, device=dev)
        drv.open()
        assert "hostname R-DEV" in drv.get_config(retrieve="running")["running"]
        drv.close()
        assert dev.alive  # its owner closes it


def test_verbs_need_an_open_session(target: Target) -> None:
    with pytest.raises(DeviceError, match="not open"):
        IOS124Driver(target).get_config()
    with pytest.raises(DeviceError, match="nothing to roll back"):
        IOS124Driver(target, device=Device(target)).rollback()


def test_get_config_has_napalms_shape_and_sanitizes(driver: IOS124Driver) -> None:
    """NAPALM's get_config: a dict of running, startup and candidate; sanitized masks."""
    driver.load_merge_candidate(MERGE)
    config = driver.get_config()
    assert sorted(config) == ["candidate", "running", "startup"]
    assert "hostname R-DEV" in config["running"]
    assert config["candidate"] == MERGE
    assert "hunter2" in config["candidate"]
    clean = driver.get_config(sanitized=True)
    assert "hunter2" not in clean["candidate"]
    assert "<redacted>" in clean["candidate"]
    only = driver.get_config(retrieve="running")
    assert only["startup"] == "" and only["candidate"] == "" and only["running"]
    driver.discard_config()
