"""CLI: exit codes, files written, masking, golden check, schema, lazy imports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from tests.conftest import GOLDEN, INVENTORY, ROOT

PLOVDIV = str(INVENTORY / "sites" / "plovdiv.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_build_prints_config_with_secrets_masked() -> None:
    code, out, err = run("build", PLOVDIV)
    assert code == 0
    assert out.startswith("!\nversion 12.4\n") and out.endswith("end\n")
    assert " ppp chap password 7 <redacted>\n" in out
    assert "secrets masked" in err


def test_build_show_secrets_prints_the_real_config() -> None:
    code, out, _ = run("build", PLOVDIV, "--show-secrets")
    assert code == 0
    assert out == (GOLDEN / "R-ITD.cfg").read_text()


def test_build_output_file(tmp_path: Path) -> None:
    target = tmp_path / "r-itd.cfg"
    code, out, _ = run("build", PLOVDIV, "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text() == (GOLDEN / "R-ITD.cfg").read_text()


def test_build_all(tmp_path: Path) -> None:
    code, _, err = run("build", "--all", "-i", str(INVENTORY), "-o", str(tmp_path))
    assert code == 0
    assert (tmp_path / "R-VARNA.cfg").read_text() == (GOLDEN / "R-VARNA.cfg").read_text()
    assert "built" in err


def test_build_all_needs_output() -> None:
    code, _, err = run("build", "--all")
    assert code == 2 and "needs -o DIR" in err


def test_build_missing_file_is_exit_2() -> None:
    code, _, err = run("build", "no/such/site.yaml")
    assert code == 2 and "no/such/site.yaml:1:1: cannot read" in err


def test_missing_secret_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IOSGEN_SOFIA_CHAP")
    code, out, err = run("build", PLOVDIV)
    assert code == 2 and out == ""
    assert "plovdiv.yaml:32:20: pptp_clients.sofia.chap_password: " in err
    assert "IOSGEN_SOFIA_CHAP is not set" in err


def test_check_same_then_differs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    monkeypatch.chdir(ROOT)
    code, out, _ = run("check", "--golden", str(golden))
    assert code == 0, out
    cfg = golden / "R-ITD.cfg"
    cfg.write_text(cfg.read_text().replace(" mtu 1460\n", " mtu 1400\n"))
    code, out, _ = run("check", "--golden", str(golden))
    assert code == 1
    assert "differs" in out and "interface Dialer2 > mtu 1400" in out
    assert "-golden/R-ITD.cfg" not in out and "--- golden/R-ITD.cfg" in out
    code, _, _ = run("check", "--golden", str(golden), "--update")
    assert code == 0
    assert cfg.read_text() == (GOLDEN / "R-ITD.cfg").read_text()


def test_check_separator_only_change_is_cosmetic(tmp_path: Path) -> None:
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    cfg = golden / "R-ITD.cfg"
    cfg.write_text(cfg.read_text().replace("!\nip cef\n", "!\n!\n!\nip cef\n"))
    code, out, _ = run("check", "--golden", str(golden), "-i", str(INVENTORY))
    assert code == 0
    assert "cosmetic" in out


def test_schema_is_json_schema_of_the_site() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert {"hostname", "interfaces", "pptp_clients", "management"} <= set(schema["properties"])
    # a site file is merged over groups and defaults: any key may come from them
    assert "required" not in schema


def test_build_does_not_import_heavy_modules() -> None:
    probe = (
        "import sys\n"
        "from iosgen.cli import app\n"
        f"sys.argv = ['iosgen', 'build', {PLOVDIV!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "heavy = ['netmiko', 'paramiko', 'asyncssh', 'ciscoconfparse', 'hier_config']\n"
        "print('heavy=' + ','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=dict(os.environ)
    )
    assert result.stdout.strip().splitlines()[-1] == "heavy=", result.stdout + result.stderr
    assert "version 12.4" in result.stdout


def test_check_never_prints_secrets_in_its_diffs(tmp_path: Path) -> None:
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    chap = golden / "gabrovo-gw" / "etc" / "ppp" / "chap-secrets"
    chap.write_text(chap.read_text().replace("gabrovo-sofia-demo", "old-secret"))
    cfg = golden / "R-ITD.cfg"
    cfg.write_text(cfg.read_text().replace(" mtu 1460\n", " mtu 1400\n"))
    code, out, _ = run("check", "--golden", str(golden), "-i", str(INVENTORY))
    assert code == 1
    assert "interface Dialer2 > mtu 1400" in out
    assert "the difference is in secret values" in out
    secrets = ["gabrovo-sofia-demo", "old-secret", "Pe5n"]
    type7 = [w for line in cfg.read_text().splitlines() if " 7 " in line for w in line.split()[-1:]]
    assert [s for s in secrets + type7 if s in out] == []
    code, out, _ = run("check", "--golden", str(golden), "-i", str(INVENTORY), "--show-secrets")
    assert "old-secret" in out


def test_unwritable_output_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, out, err = run("build", PLOVDIV, "-o", str(blocker / "x.cfg"))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and str(blocker) in err


def test_built_config_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "r-itd.cfg"
    assert run("build", PLOVDIV, "-o", str(target))[0] == 0
    assert target.stat().st_mode & 0o777 == 0o600


# --- check: golden files with no site, --update that rewrites only what changes -----------


def test_check_reports_golden_files_no_site_builds(tmp_path: Path) -> None:
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    shutil.copy(golden / "R-ITD.cfg", golden / "R-GONE.cfg")  # a site renamed or removed
    (golden / "old-gw" / "etc").mkdir(parents=True)
    (golden / ".gitkeep").write_text("")  # hidden files are not golden files
    code, out, _ = run("check", "--golden", str(golden), "-i", str(INVENTORY))
    assert code == 1
    assert f"orphan    -                {golden / 'R-GONE.cfg'}: no site of " in out
    assert f"orphan    -                {golden / 'old-gw'}: no site of " in out
    assert ".gitkeep" not in out
    assert out.splitlines()[-1] == "2 golden files have no site; --update rewrites or removes them"
    code, out, _ = run("check", "--golden", str(golden), "-i", str(INVENTORY), "--update")
    assert code == 0
    assert f"removed   -                {golden / 'R-GONE.cfg'}" in out
    assert not (golden / "R-GONE.cfg").exists() and not (golden / "old-gw").exists()
    assert (golden / ".gitkeep").exists()
    assert run("check", "--golden", str(golden), "-i", str(INVENTORY))[0] == 0


def test_check_update_rewrites_only_what_changes(tmp_path: Path) -> None:
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    itd = golden / "R-ITD.cfg"
    itd.write_text(itd.read_text().replace(" mtu 1460\n", " mtu 1400\n"))
    stale = golden / "gabrovo-gw" / "etc" / "ppp" / "peers" / "old-tunnel"
    stale.write_text("pty ...\n")
    untouched = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in golden.rglob("*")}
    code, out, _ = run("check", "--golden", str(golden), "-i", str(INVENTORY), "--update")
    assert code == 0
    status = {line.split()[1]: line.split()[0] for line in out.splitlines()}
    assert status == {
        "R-ITD": "updated",
        "gabrovo-gw": "updated",
        "plovdiv-gw": "unchanged",
        "R-RUSE": "unchanged",
        "R-SHUMEN": "unchanged",
        "R-SOFIA": "unchanged",
        "R-VARNA": "unchanged",
    }
    assert itd.read_text() == (GOLDEN / "R-ITD.cfg").read_text()
    assert not stale.exists()  # a file the tree no longer has goes
    for path, before in untouched.items():
        if path.is_file() and path != itd:
            assert (path.stat().st_ino, path.stat().st_mtime_ns) == before, path
    code, out, _ = run("check", "--golden", str(golden), "-i", str(INVENTORY), "--update")
    assert {line.split()[0] for line in out.splitlines()} == {"unchanged"}


# --- a closed stdout (`iosgen ... | head`) ends quietly -------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("build", PLOVDIV),
        ("build", PLOVDIV, "--show-secrets"),
        ("schema",),
        ("check", "-i", str(INVENTORY), "--golden", str(GOLDEN)),
        ("lint", PLOVDIV),
        ("lint", str(GOLDEN / "R-RUSE.cfg"), "--format", "json"),
        ("audit", "--all", "-i", str(INVENTORY), "--from", str(GOLDEN), "--format", "json"),
        ("diff", PLOVDIV, "--running", str(GOLDEN / "R-RUSE.cfg")),
    ],
    ids=["build", "build-shown", "schema", "check", "lint-site", "lint-cfg", "audit", "diff"],
)
def test_a_closed_stdout_ends_quietly(args: tuple[str, ...]) -> None:
    """As `cat` in `cat big | head`: the status of a SIGPIPE death (128+13), no message."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "from iosgen.cli import main; main()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, err
    assert "Broken pipe" not in err and "Traceback" not in err and "Exception" not in err
    assert "error" not in err


# --- build -o: folders and files ------------------------------------------------------------


def test_build_into_an_existing_folder_writes_hostname_cfg(tmp_path: Path) -> None:
    code, out, err = run("build", PLOVDIV, "-o", str(tmp_path))
    assert code == 0 and out == ""
    assert (tmp_path / "R-ITD.cfg").read_text() == (GOLDEN / "R-ITD.cfg").read_text()
    assert err == f"wrote {tmp_path / 'R-ITD.cfg'}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["R-ITD.cfg"]


def test_build_onto_the_wrong_kind_of_target_says_so(tmp_path: Path) -> None:
    (tmp_path / "R-ITD.cfg").mkdir()  # the config's own name is taken by a folder
    code, _, err = run("build", PLOVDIV, "-o", str(tmp_path))
    assert code == 2
    assert err == f"error: {tmp_path / 'R-ITD.cfg'} is a directory, not a file\n"
    code, _, err = run("build", "--all", "-i", str(INVENTORY), "-o", str(tmp_path))
    assert code == 2 and err == f"error: {tmp_path / 'R-ITD.cfg'} is a directory, not a file\n"
    a_file = tmp_path / "file"
    a_file.write_text("")
    linux = str(INVENTORY / "sites" / "gabrovo-linux.yaml")
    code, _, err = run("build", linux, "-o", str(a_file))
    assert code == 2 and err == f"error: {a_file} is a file; a linux build is a folder\n"
    code, _, err = run("build", "--all", "-i", str(INVENTORY), "-o", str(a_file))
    assert code == 2 and err == f"error: {a_file} is a file; build --all writes into a folder\n"
    # no temporary file named, none left behind
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["R-ITD.cfg", "file"]
