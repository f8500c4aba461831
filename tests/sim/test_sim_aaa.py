"""A VPN account is no login account: IOS's AAA rules for vty logins, over real SSH.

R-RUSE (a PPTP server for ivan and maria) is pushed from the example inventory to
a bare simulated router; afterwards ivan's SSH login gets no CLI (his `autocommand
exit` runs and the router hangs up) while the management account still lands at
`R-RUSE#`. The offline cases pin the rules the simulator follows (docs/aaa.md).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest
from sim_helpers import body, connect, typed
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.model.secret import read_env_file
from iosgen.sim import RouterSpec, SimFleet
from iosgen.sim.router import Router

ROOT = Path(__file__).resolve().parents[2]
ENV = read_env_file(ROOT / "inventory" / "example.env")


def shell_as(fleet: SimFleet, host: str, user: str, password: str) -> tuple[bool, str, bool]:
    """Log in over SSH and open a shell: (authenticated, what came, channel closed)."""
    t = fleet.targets[host]
    transport = paramiko.Transport((t.host, t.port))
    try:
        transport.start_client(timeout=10)
        try:
            transport.auth_password(user, password)
        except paramiko.AuthenticationException:
            return False, "", True
        chan = transport.open_session()
        chan.get_pty()
        chan.invoke_shell()
        chan.settimeout(0.2)
        seen = ""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                data = chan.recv(4096)
            except TimeoutError:
                if seen.rstrip().endswith(("#", ">")):
                    break
                continue
            if not data:
                break
            seen += data.decode("latin-1")
        return True, seen, chan.closed or chan.exit_status_ready() or chan.eof_received
    finally:
        transport.close()


@pytest.fixture(scope="module")
def ruse(state_dir: Path) -> Iterator[SimFleet]:
    spec = RouterSpec(
        "R-RUSE", "netops", ENV["IOSGEN_R_RUSE_PASSWORD"], ENV["IOSGEN_R_RUSE_ENABLE"]
    )
    with SimFleet([spec], state_dir=state_dir / "aaa") as fleet:
        yield fleet


def test_pushed_pptp_user_gets_no_cli_and_management_still_does(
    ruse: SimFleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    # Before the push (bare router: no such user) ivan cannot log in at all.
    assert shell_as(ruse, "R-RUSE", "ivan", ENV["IOSGEN_PPTP_IVAN"])[0] is False
    result = CliRunner().invoke(
        app,
        ["push", "--host", "R-RUSE", "--inventory", str(ROOT / "inventory"),
         "--targets", str(ruse.targets_file), "--known-hosts", str(tmp_path / "known_hosts"),
         "--history", str(tmp_path / "history"), "--force", "--yes"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "the router audits clean" in result.output
    running = ruse.router("R-RUSE").running_config()
    assert "\nusername ivan autocommand exit\n" in running
    assert "\naaa authorization exec default local\n" in running

    ok, seen, closed = shell_as(ruse, "R-RUSE", "ivan", ENV["IOSGEN_PPTP_IVAN"])
    assert ok  # the password is right: PPP's CHAP/MS-CHAP use the same entry
    assert closed
    assert "R-RUSE>" not in seen and "R-RUSE#" not in seen

    conn = connect(ruse, "R-RUSE")
    try:
        assert conn.find_prompt() == "R-RUSE#"
        assert "username netops privilege 15" in conn.send_command("show running-config")
    finally:
        conn.disconnect()


def _router(lines: list[str]) -> Router:
    router = Router(RouterSpec("R1", "netops", "pw"))
    _cfg, out = typed(lines, router.running)
    assert [o for o in out if o] == []
    return router


AAA = [
    "aaa new-model",
    "aaa authentication login default local line",
    "aaa authorization exec default local",
    "username ivan privilege 0 password 0 vpn",
    "username ivan autocommand exit",
]


def test_autocommand_ends_the_session_before_any_prompt() -> None:
    from iosgen.sim.shell import Shell

    router = _router(AAA)
    assert router.check_login("ivan", "vpn")
    assert router.check_login("IVAN", "vpn")  # `local` matches the name in any case
    assert not router.check_login("ivan", "wrong")
    shell = Shell(router, "ivan")
    text = shell.greeting()
    assert shell.closed and "R1" not in text
    manager = Shell(router, "netops")
    assert manager.greeting().endswith("R1#") and not manager.closed


def test_without_local_exec_authorization_no_attribute_applies() -> None:
    # IOS: under aaa new-model a local user's privilege and autocommand come through
    # exec authorization only; without it the login lands at level 1 with a CLI.
    from iosgen.sim.shell import Shell

    router = _router([ln for ln in AAA if "authorization" not in ln])
    shell = Shell(router, "ivan")
    assert shell.greeting().endswith("R1>") and not shell.closed
    assert router.privilege("netops") == 1


def test_login_methods_in_order() -> None:
    router = _router(
        [
            "aaa new-model",
            "aaa authentication login VTY enable",
            "enable secret 0 en",
            "line vty 0 4",
            "login authentication VTY",
        ]
    )
    assert router.login_methods() == ["enable"]
    assert router.check_login("anyone", "en")
    assert not router.check_login("netops", "pw")  # the local database is not asked
    assert _router(["aaa new-model"]).login_methods() == ["local"]
    assert Router(RouterSpec("R1", "netops", "pw")).login_methods() == ["local"]


def test_a_users_lines_print_together_and_go_with_no_username() -> None:
    cfg, out = typed(
        [
            "username ivan password 0 a",
            "username zed secret 0 b",
            "username ivan autocommand exit",
        ]
    )
    assert [o for o in out if o] == []
    text = body(cfg)
    assert "username ivan password 0 a\nusername ivan autocommand exit\nusername zed" in text
    typed(["no username ivan autocommand"], cfg)
    assert "autocommand" not in body(cfg) and "username ivan password" in body(cfg)
    typed(["username ivan autocommand exit", "no username ivan"], cfg)
    assert "ivan" not in body(cfg)


def test_ssh_refuses_a_wrong_vpn_password(ruse: SimFleet) -> None:
    ok, _, _ = shell_as(ruse, "R-RUSE", "maria", "not-her-password")
    assert not ok
