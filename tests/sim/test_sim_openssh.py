"""The README's manual `ssh` command, run as written with the real OpenSSH client.

Non-interactive: the password comes from SSH_ASKPASS (SSH_ASKPASS_REQUIRE=force,
OpenSSH 8.4+), the host key goes to a known-hosts file of the test's own, and
the commands are piped in. Also: what `iosgen sim` leaves on disk is private and
ignored by git.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
from pathlib import Path

from iosgen.sim import RouterSpec, SimFleet

ROOT = Path(__file__).resolve().parents[2]


def readme_ssh_command() -> list[str]:
    """The `$ ssh ...` line of the README (with its continuation), as words."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^\$ (ssh .*?)(?<!\\)$", text, re.MULTILINE | re.DOTALL)
    assert m, "the README has no `$ ssh` line"
    line = m.group(1).replace("\\\n", " ").split("#")[0]
    return shlex.split(line)


def test_readme_ssh_line_names_the_legacy_algorithms() -> None:
    words = readme_ssh_command()
    assert "-oCiphers=+aes128-cbc" in words
    assert "-oKexAlgorithms=+diffie-hellman-group14-sha1" in words
    assert words[-1] == "netops@127.0.0.1"


def test_readme_ssh_command_logs_in_with_openssh(state_dir: Path, tmp_path: Path) -> None:
    askpass = tmp_path / "askpass.sh"
    askpass.write_text("#!/bin/sh\necho pw\n", encoding="utf-8")
    askpass.chmod(0o700)
    words = readme_ssh_command()
    with SimFleet([RouterSpec("R1", "netops", "pw")], state_dir=state_dir / "openssh") as fleet:
        port = str(fleet.targets["R1"].port)
        words[words.index("-p") + 1] = port
        # the README's words unchanged, plus what makes it non-interactive
        extra = [
            "-F", "/dev/null",
            "-oUserKnownHostsFile=" + str(tmp_path / "known_hosts"),
            "-oStrictHostKeyChecking=accept-new",
            "-oPreferredAuthentications=password",
            "-oConnectTimeout=10",
        ]  # fmt: skip
        env = dict(os.environ, SSH_ASKPASS=str(askpass), SSH_ASKPASS_REQUIRE="force")
        env.pop("DISPLAY", None)
        done = subprocess.run(
            [words[0], *extra, *words[1:]],
            input="terminal length 0\nshow version\nexit\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            start_new_session=True,  # no controlling terminal: askpass, never a prompt
        )
        # logged in and answered (the exit code is 255: the router closes the channel
        # on `exit` without an exit status)
        assert "Permission denied" not in done.stderr, done.stderr
        assert "Cisco IOS Software, 2801 Software" in done.stdout
        assert "R1#" in done.stdout

        # Without the cipher option OpenSSH 9 finds no cipher in common (the README's
        # old line).
        bare = [w for w in words if not w.startswith("-oCiphers=")]
        refused = subprocess.run(
            [bare[0], *extra, *bare[1:]],
            input="exit\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            start_new_session=True,
        )
        assert refused.returncode != 0
        assert "no matching cipher" in refused.stderr


def test_sim_leaves_private_files(state_dir: Path, tmp_path: Path) -> None:
    targets = tmp_path / "sim-targets.yaml"
    state = tmp_path / ".iosgen-sim"
    with SimFleet([RouterSpec("R1", "netops", "pw")], state_dir=state, targets_file=targets):
        pass
    key = state / "hostkeys" / "R1.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((state / "hostkeys").stat().st_mode) == 0o700
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE(targets.stat().st_mode) == 0o600
    # a key an older version left world-readable is closed up when it is read again
    key.chmod(0o644)
    with SimFleet([RouterSpec("R1", "netops", "pw")], state_dir=state, targets_file=targets):
        pass
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_git_ignores_what_sim_writes() -> None:
    paths = ["sim-targets.yaml", ".iosgen-sim/hostkeys/R-ITD.key", "lab/sim-targets.yaml"]
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.split() == paths
