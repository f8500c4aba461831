"""`iosgen lint`: exit codes, locations, formats, bad input, and no secret in any output."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.build.ios import render
from iosgen.cli import app
from iosgen.lint.checks.secrets import secret_fields
from iosgen.model.inventory import load_files, load_resolver
from iosgen.model.secret import read_env_file

ROOT = Path(__file__).resolve().parents[2]
SITES = ROOT / "inventory" / "sites"
CASES = Path(__file__).parent / "cases"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["lint", *args])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def example_secrets() -> set[str]:
    """The demo secret values (the autouse fixture in conftest.py exports them)."""
    return set(read_env_file(ROOT / "inventory" / "example.env").values())


def test_golden_config_has_warnings_only() -> None:
    code, out, _ = run(str(ROOT / "golden" / "R-ITD.cfg"))
    assert code == 0
    assert re.search(r"R-ITD\.cfg:\d+: warning IOS401: `vpdn-group 2` is a PPTP client", out)
    assert "IPsec" in out
    assert out.rstrip().endswith("0 error(s), 3 warning(s), 0 info")


def test_error_finding_exits_1_with_file_and_line() -> None:
    case = CASES / "IOS101-route-map-acl.cfg"
    code, out, _ = run(str(case))
    assert code == 1
    assert f"{case}:16: error IOS101: `match ip address 10 20`: access list 20" in out


@pytest.mark.parametrize("site", ["plovdiv", "varna", "ruse"])
def test_site_lints_its_rendered_config(site: str) -> None:
    """Locations name the site file and the line of the rendered config."""
    path = SITES / f"{site}.yaml"
    code, out, _ = run(str(path))
    assert code == 0
    built = render(load_files([path], load_resolver(None)).sites[0])
    rendered = built.text.splitlines()
    located = re.findall(
        rf"^{re.escape(str(path))} -> {built.hostname}\.cfg:(\d+): \S+ (\w+):", out, re.M
    )
    assert located, out
    shapes = {"IOS401": r"vpdn-group \d+$", "IOS402": r" ppp encrypt mppe ", "IOS404": r".* 7 \S+$"}
    for line, code_ in located:
        assert re.match(shapes[code_], rendered[int(line) - 1]), (line, code_)


def test_json_format() -> None:
    code, out, _ = run(str(CASES / "IOS408-clear-passwords.cfg"), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["summary"] == {"error": 0, "warning": 4, "info": 0}
    first = report["findings"][0]
    assert first["code"] == "IOS408" and first["severity"] == "warning" and first["line"] == 7
    assert first["file"].endswith("IOS408-clear-passwords.cfg") and first["config"] is None


def test_json_exit_code_follows_errors() -> None:
    code, out, _ = run(str(CASES / "IOS302-nat-outside-only.cfg"), "--format", "json")
    assert code == 1
    assert {f["code"] for f in json.loads(out)["findings"]} == {"IOS302"}


@pytest.mark.parametrize("name", ["missing.cfg", "missing.yaml"])
def test_missing_file_is_exit_2(tmp_path: Path, name: str) -> None:
    code, out, err = run(str(tmp_path / name))
    assert code == 2 and out == ""
    assert f"{name}:1:1: cannot read" in err


def test_folder_and_empty_config_are_exit_2(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path))
    assert code == 2 and "not a regular file (a folder)" in err
    empty = tmp_path / "empty.cfg"
    empty.write_text("!\n\n!\n")
    code, _, err = run(str(empty))
    assert code == 2 and "empty.cfg:1:1: no configuration lines" in err


def test_yaml_syntax_error_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("hostname: R1\ninterfaces: [\n")
    code, out, err = run(str(bad))
    assert code == 2 and out == ""
    assert re.search(r"bad\.yaml:\d+:\d+: YAML syntax", err), err


def test_missing_secret_is_exit_2_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IOSGEN_SOFIA_CHAP")
    code, out, err = run(str(SITES / "plovdiv.yaml"))
    assert code == 2 and out == ""
    assert "IOSGEN_SOFIA_CHAP is not set" in err


def test_missing_secrets_file_is_exit_2(tmp_path: Path) -> None:
    code, _, err = run(str(SITES / "plovdiv.yaml"), "--secrets", str(tmp_path / "none.yaml"))
    assert code == 2 and "secrets file not found" in err


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("site", ["plovdiv", "varna", "ruse"])
def test_no_secret_in_site_lint_output(site: str, fmt: str) -> None:
    path = SITES / f"{site}.yaml"
    text = render(load_files([path], load_resolver(None)).sites[0]).text
    stored = {
        line.strip()[f.start : f.end]
        for line in text.splitlines()
        for f in secret_fields(line.strip())
    }
    secrets = example_secrets() | stored
    code, out, err = run(str(path), "--format", fmt)
    assert code == 0
    assert [s for s in secrets if s in out + err] == []
    assert "<redacted>" in out  # the type-7 lines were reported, without their values


def test_no_clear_password_in_config_lint_output() -> None:
    code, out, err = run(str(CASES / "IOS408-clear-passwords.cfg"))
    assert code == 0
    assert "clear-demo" not in out + err
    assert out.count("<redacted>") == 4


LINUX_SITE = """\
hostname: slack-box
platform: linux-pppd
management: {host: 198.51.100.20, username: netops, password: mgmt-demo-secret}
interfaces:
  eth0: {role: wan, ipv4: dhcp}
  eth1: {role: lan, ipv4: 192.168.60.1/24}
internet_nat: true
pptp_clients:
  sofia:
    server: 203.0.113.10
    dialer: 0
    chap_hostname: box
    chap_password: chap-demo-secret
    mppe: none
"""


def test_linux_site_uses_the_linux_linter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    fake = types.ModuleType("iosgen.lint.checks.linux")
    fake.linux_findings = lambda site: [("SITE401", "WARNING", "pptp_clients.sofia: weak")]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "iosgen.lint.checks.linux", fake)
    site = tmp_path / "box.yaml"
    site.write_text(LINUX_SITE)
    code, out, _ = run(str(site))
    assert code == 0
    assert f"{site}:9: warning SITE401: pptp_clients.sofia: weak" in out


def test_linux_site_without_linux_linter_checks_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "iosgen.lint.checks.linux", None)  # import raises ImportError
    site = tmp_path / "box.yaml"
    site.write_text(LINUX_SITE)
    code, out, err = run(str(site))
    assert code == 0
    assert f"{site}:9: warning SITE401: pptp_clients.sofia: PPTP is broken" in out
    assert f"{site}:14: warning SITE403: pptp_clients.sofia.mppe: none" in out
    assert "SITE402" not in out  # pppd never brings MPPE up optionally
    assert "chap-demo-secret" not in out + err and "mgmt-demo-secret" not in out + err


def test_real_process_exit_code_and_no_traceback() -> None:
    """One run as a real process: what a shell or CI sees (bad input is covered in-process)."""
    broken = subprocess.run(
        [
            sys.executable,
            "-c",
            "from iosgen.cli import main; main()",
            "lint",
            str(CASES / "IOS106-rotary-group.cfg"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert broken.returncode == 1
    assert "error IOS106" in broken.stdout and "Traceback" not in broken.stderr


ALL_SITES = sorted(SITES.glob("*.yaml"))


@pytest.mark.parametrize("path", ALL_SITES, ids=[p.stem for p in ALL_SITES])
def test_every_example_site_lints_clean_of_errors_and_secrets(path: Path) -> None:
    """IOS and Linux sites alike: no error finding, PPTP reported where used, no secret printed."""
    code, out, err = run(str(path), "--format", "json")
    assert code == 0, out + err
    report = json.loads(out)
    assert report["summary"]["error"] == 0
    runs_pptp = "pptp_clients" in path.read_text() or "pptp_server" in path.read_text()
    assert any(f["code"] in {"IOS401", "SITE401"} for f in report["findings"]) == runs_pptp
    assert [s for s in example_secrets() if s in out + err] == []


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"hostname R\n\x00\x01\x02ELF", ":2:1: binary data (a NUL byte)"),
        (bytes(range(128, 256)) * 20, ":1:1: binary data (not UTF-8 text)"),
    ],
    ids=["nul", "not-utf8"],
)
def test_binary_input_is_refused(tmp_path: Path, data: bytes, where: str) -> None:
    target = tmp_path / "image.cfg"
    target.write_bytes(data)
    code, out, err = run(str(target))
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [f"{target}{where}: not an IOS config"]


def test_a_banner_in_another_charset_is_still_a_config(tmp_path: Path) -> None:
    target = tmp_path / "r.cfg"
    golden = (ROOT / "golden" / "R-ITD.cfg").read_bytes()
    banner = b"banner motd ^C\xc4\xee\xe1\xf0\xe5 \xe4\xee\xf8\xeb\xe8^C\n"  # cp1251
    target.write_bytes(golden.replace(b"line con 0", banner + b"line con 0"))
    assert run(str(target))[0] == 0


@pytest.mark.parametrize("text", ["}\nhostname R\n", "hostname R\n}\n", "hostname R\n {\n"])
def test_a_brace_line_is_no_traceback(tmp_path: Path, text: str) -> None:
    target = tmp_path / "r.cfg"
    target.write_text(text)
    code, out, err = run(str(target))
    assert code == 0, err
    assert "Traceback" not in out + err
    assert "IOS407" in out
