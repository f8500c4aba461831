"""Run netmiko's own device tests for cisco_ios (show, config, save) against the simulator.

netmiko ships its live-device tests in its source distribution (tests/test_netmiko_*.py,
driven by tests/etc/test_devices.yml, commands.yml and responses.yml). This script
downloads the sdist of the installed netmiko (`pip download --no-binary :all:`),
writes the three files for one simulated router, runs the tests in a subprocess and
prints pass/fail/skip with each skip's and failure's reason. The textfsm, ttp and
genie parser tests are left aside (they test parsers, not the device). The two tests
netmiko skips under fast_cli (its default) run a second time with fast_cli off.

    python bench/netmiko_device_tests.py [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from iosgen.sim import RouterSpec, SimFleet

HOSTNAME = "sim-rtr1"
USER, PASSWORD, SECRET = "pyclass", "88newclass", "enablepw"
TEST_FILES = ("test_netmiko_show.py", "test_netmiko_config.py", "test_netmiko_save.py")
LEFT_ASIDE = "not textfsm and not ttp and not genie"

# A branch router (the account lands at privilege 15, as on netmiko's lab routers:
# the extended ping is privileged) with a way out (the default route: netmiko's ping tests ping
# 8.8.8.8) and a shut port (its show tests look for an interface that "is down").
ROUTER_CONFIG = f"""\
hostname {HOSTNAME}
enable secret {SECRET}
username {USER} privilege 15 secret {PASSWORD}
interface FastEthernet0/0
 description uplink
 ip address 10.220.88.20 255.255.255.0
interface FastEthernet0/1
 no ip address
 shutdown
ip route 0.0.0.0 0.0.0.0 10.220.88.1
ip ssh version 2
line vty 0 4
 login local
 transport input ssh
"""

# netmiko's tests/etc/commands.yml.example, its cisco_ios entry
COMMANDS = {
    "version": "show version",
    "basic": "show ip interface brief",
    "wide_command": (
        "show ip access-lists myverybiglongaccesslistthatdoesntexistand"
        "wherethisexceeds80characterssolinewrappingoccurs"
    ),
    "extended_output": "show version",
    "config": ["logging buffered 20000", "no logging console", "logging buffered 20010"],
    "config_verification": "show run | inc logging buffer",
    "config_file": "cisco_ios_commands.txt",
    "save_config_confirm": False,
}

# Beyond the example (its cisco_ios entry has none, so three config tests skip):
# what test_config_error_pattern, test_banner and test_global_cmd_verify need. The two
# banner tests expect IOS's prompt-less banner dialog (docs/simulator-grammar.md, Banners).
EXTRAS = {
    "error_pattern": r"% Invalid input",
    "invalid_config": "lggoing buffered 20000",
    # the tests end a half-typed banner with "%\n": the delimiter is %
    "banner": "banner login %\nSimulated router: authorised access only\n%",
}

# netmiko's tests/etc/responses.yml.example, its cisco_ios entry, for this router
RESPONSES = {
    "base_prompt": HOSTNAME,
    "router_prompt": f"{HOSTNAME}>",
    "enable_prompt": f"{HOSTNAME}#",
    "interface_ip": "10.220.88.20",
    "version_banner": "Cisco IOS Software",
    "multiple_line_output": "Configuration register is",
    "file_check_cmd": "logging buffered 8880",
    "save_config": "OK",
}


# The tests that skip, and why the skip is right for this router.
SKIP_WHY = {
    "test_netmiko_show::test_failed_key": (
        "it checks netmiko's own refusal of a missing key file (ValueError before any "
        "connection) and runs only for a device with use_keys; the simulator takes passwords"
    ),
    "test_netmiko_show::test_complete_on_space_disabled": (
        "Junos and SR OS only (complete-on-space); netmiko skips it for every other platform"
    ),
    "test_netmiko_show::test_send_command_timing_no_cmd_verify": (
        "skipped under fast_cli (netmiko 4's default); run again below with fast_cli off"
    ),
    "test_netmiko_show::test_send_command_no_cmd_verify": (
        "skipped under fast_cli (netmiko 4's default); run again below with fast_cli off"
    ),
}
SLOW_DEVICE = "cisco1_no_fast_cli"
SLOW_TESTS = "no_cmd_verify"


def fetch_tests(workdir: Path) -> Path:
    """netmiko's tests/ folder from the sdist of the installed version."""
    version = importlib.metadata.version("netmiko")
    target = workdir / f"netmiko-{version}"
    if not (target / "tests").is_dir():
        pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:"]
        subprocess.run([*pip, f"netmiko=={version}", "-d", str(workdir)], check=True)
        with tarfile.open(workdir / f"netmiko-{version}.tar.gz") as tar:
            members = [
                m for m in tar.getmembers() if m.name.startswith(f"netmiko-{version}/tests/")
            ]
            tar.extractall(workdir, members=members, filter="data")
    return target / "tests"


def write_device_files(tests: Path, host: str, port: int, extras: bool) -> None:
    device = {
        "device_type": "cisco_ios",
        "host": host,
        "port": port,
        "username": USER,
        "password": PASSWORD,
        "secret": SECRET,
    }
    etc = tests / "etc"
    devices = {"cisco1": device, SLOW_DEVICE: device | {"fast_cli": False}}
    (etc / "test_devices.yml").write_text(yaml.safe_dump(devices))
    (etc / "commands.yml").write_text(
        yaml.safe_dump({"cisco_ios": COMMANDS | (EXTRAS if extras else {})})
    )
    responses = {name: RESPONSES for name in devices}
    (etc / "responses.yml").write_text(yaml.safe_dump(responses))


def run_tests(tests: Path, device: str = "cisco1", select: str = LEFT_ASIDE) -> Path:
    report = tests / f"sim-results-{device}.xml"
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs"]
    cmd += ["--test_device", device, "-k", select, f"--junitxml={report}", *TEST_FILES]
    subprocess.run(cmd, cwd=tests, check=False)
    return report


def results(report: Path) -> list[tuple[str, str, str]]:
    """(test, outcome, reason) for every test run."""
    out = []
    for case in ET.parse(report).getroot().iter("testcase"):
        name = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
        outcome, reason = "pass", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "fail", "error": "error", "skipped": "skip"}[child.tag]
                reason = (
                    (child.get("message") or "").splitlines()[0][:160]
                    if child.get("message")
                    else ""
                )
        out.append((name, outcome, reason))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", type=Path, default=None, help="where the sdist goes")
    ap.add_argument(
        "--example-only", action="store_true", help="netmiko's example commands.yml, no extras"
    )
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="netmiko-tests-"))
    workdir.mkdir(parents=True, exist_ok=True)
    tests = fetch_tests(workdir)
    spec = RouterSpec(HOSTNAME, USER, PASSWORD, SECRET, initial_config=ROUTER_CONFIG)
    with SimFleet([spec], state_dir=workdir / "sim-state") as fleet:
        target = fleet.targets[HOSTNAME]
        write_device_files(tests, target.host, target.port, not args.example_only)
        rows = results(run_tests(tests))
        again = {
            name: (f"{name} [fast_cli off]", outcome, reason)
            for name, outcome, reason in results(run_tests(tests, SLOW_DEVICE, SLOW_TESTS))
        }
    merged = []
    for name, outcome, reason in rows:
        merged.append((name, outcome, SKIP_WHY.get(name, reason) if outcome == "skip" else reason))
        if name in again:
            merged.append(again[name])
    rows = merged
    counts = {k: sum(1 for r in rows if r[1] == k) for k in ("pass", "fail", "error", "skip")}
    if args.json:
        print(json.dumps({"counts": counts, "tests": rows}, indent=1))
    else:
        for name, outcome, reason in rows:
            print(f"{outcome:<5} {name}" + (f"  ({reason})" if reason else ""))
        print(" ".join(f"{k} {v}" for k, v in counts.items()) + f" of {len(rows)}")
    return 0 if counts["fail"] == counts["error"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
