"""The reviewer's findings on `iosgen import` (issue 12), each as a case that failed before.

Secrets never quoted by an error, type-4 hashes moved like type 5, drift refused,
the options validated. The material is the reviewer's (recreated here byte for byte).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adopt.test_import import run

HASH4 = "tnhtc92DXBhelxjYk8LWJrPV36S2i4ntXrpb4RFmfqY"


@pytest.mark.parametrize(
    ("body", "secret", "message"),
    [
        ("snmp-server community Sup3rS3cret\x01 RO", "Sup3rS3cret", "control character"),
        ("snmp-server community Sup3r?S3cret RO", "S3cret", "request for help"),
        ("crypto isakmp key Sup3rS3cret\x7f address 1.2.3.4", "Sup3rS3cret", "control"),
        (
            "interface FastEthernet0/0\n ppp chap password 0 Sup3rS3cret\x1b[31m",
            "Sup3rS3cret",
            "control character",
        ),
        ("username bob password 0 Pw" + "x" * 300, "Pwxxxx", "254"),
        ("key chain K\n key 1\n  key-string Sup3rS3cret\tx", "Sup3rS3cret", "control"),
        ("enable secret 5 $1$abc$\u00e9\u00e9", "$1$abc$", "non-ASCII"),
        ("username bob password 0 S3cr\u00e9t", "S3cr", "non-ASCII"),
    ],
    ids=["ctrl", "question", "del", "esc-chap", "too-long", "tab-key-string", "utf-hash", "utf"],
)
def test_an_error_never_quotes_the_secret(
    tmp_path: Path, body: str, secret: str, message: str
) -> None:
    config = tmp_path / "r.cfg"
    config.write_text(f"hostname R5\n{body}\nend\n", encoding="utf-8")
    code, out, err = run("import", str(config), "-o", str(tmp_path / "s.yaml"))
    assert code == 2 and message in err, err
    assert secret not in err + out and "<redacted>" in err
    assert not (tmp_path / "s.yaml").exists()


@pytest.mark.parametrize(
    "line",
    [f"enable secret 4 {HASH4}", f"username a secret 4 {HASH4}"],
    ids=["enable", "username"],
)
def test_a_type4_hash_goes_to_the_secrets_file(tmp_path: Path, line: str) -> None:
    config = tmp_path / "r4.cfg"
    config.write_text(f"hostname R4\n!\n{line}\n!\nend\n", encoding="utf-8")
    site, secrets = tmp_path / "r4.yaml", tmp_path / "r4.secrets.yaml"
    code, out, err = run("import", str(config), "-o", str(site), "--secrets-out", str(secrets))
    assert code == 0, err
    assert HASH4 not in site.read_text(encoding="utf-8") + out
    assert " secret 4 {secret:" in site.read_text(encoding="utf-8")
    assert HASH4 in secrets.read_text(encoding="utf-8")
    code, out, err = run(
        "diff",
        str(site),
        "--running",
        str(config),
        "--secrets",
        str(secrets),
        env={"IOSGEN_R4_PASSWORD": "x"},
    )
    assert code == 0 and "in sync" in out and HASH4 not in out + err, out + err


# The reviewer's misc2.cfg: a port printed twice, which no site can build back.
DRIFTING = (
    "version 12.4\nhostname R9\n!\ninterface FastEthernet0/0\n ip address 10.9.0.1 255.255.255.0\n"
    "!\ninterface FastEthernet0/0\n description dup block\n!\nline vty 0 4\n"
    " password Clear!Pass\n login\nend\n"
)


def test_real_drift_is_refused_and_nothing_written(tmp_path: Path) -> None:
    config = tmp_path / "r9.cfg"
    config.write_text(DRIFTING, encoding="utf-8")
    site, secrets = tmp_path / "r9.yaml", tmp_path / "r9.secrets.yaml"
    args = ("import", str(config), "-o", str(site), "--secrets-out", str(secrets))
    code, out, err = run(*args)
    assert code == 1, out + err
    assert "2 real drift" in err and "description dup block" in err and "nothing written" in err
    assert "Clear!Pass" not in out + err
    assert not site.exists() and not secrets.exists()
    code, out, err = run(*args, "--force")
    assert code == 0 and site.exists() and "2 real drift" in out


def test_a_file_and_host_together_say_not_both(tmp_path: Path) -> None:
    config = tmp_path / "r.cfg"
    config.write_text("hostname R1\nend\n", encoding="utf-8")
    code, _, err = run("import", str(config), "--host", "192.0.2.1")
    assert code == 2 and "not both" in err


@pytest.mark.parametrize(
    "host", ["300.1.1.1", "1.2.3", "-bad.example", "a b"], ids=["octet", "short", "dash", "space"]
)
def test_a_bad_management_host_is_refused(tmp_path: Path, host: str) -> None:
    config = tmp_path / "r.cfg"
    config.write_text("hostname R1\nend\n", encoding="utf-8")
    code, _, err = run(
        "import", str(config), "-o", str(tmp_path / "s.yaml"), "--management-host", host
    )
    assert code == 2 and "--management-host" in err
    assert not (tmp_path / "s.yaml").exists()


@pytest.mark.parametrize(
    "group", ["../defaults", "nosuch", "groups/../x"], ids=["up", "none", "path"]
)
def test_in_group_takes_only_a_group_of_the_inventory(tmp_path: Path, group: str) -> None:
    inventory = tmp_path / "inv"
    (inventory / "groups").mkdir(parents=True)
    (inventory / "groups" / "branch.yaml").write_text("services:\n  timestamps: true\n")
    (inventory / "defaults.yaml").write_text("{}\n")
    config = tmp_path / "r.cfg"
    config.write_text("hostname R1\nend\n", encoding="utf-8")
    code, _, err = run(
        "import",
        str(config),
        "-o",
        str(tmp_path / "s.yaml"),
        "-i",
        str(inventory),
        "--in-group",
        group,
    )
    assert code == 2 and "no group" in err and "branch" in err
    assert not (tmp_path / "s.yaml").exists()


def test_a_damaged_type7_is_refused_without_printing_it(tmp_path: Path) -> None:
    config = tmp_path / "r.cfg"
    config.write_text("hostname R7\nusername u password 7 0822455D0AFF\nend\n", encoding="utf-8")
    code, out, err = run("import", str(config), "-o", str(tmp_path / "s.yaml"))
    assert code == 2 and "printable ASCII" in err and f"{config}:2:1:" in err
    assert "0822455D0AFF" not in out + err
    assert not (tmp_path / "s.yaml").exists()


def test_two_routers_imported_into_one_inventory_build_check_and_lint(tmp_path: Path) -> None:
    """The README's flow: each import merges its secrets, named by host, into the
    inventory's secrets file; then build --all, check --update and lint --fleet pass."""
    from tests.conftest import ROOT

    inventory = tmp_path / "inv"
    (inventory / "sites").mkdir(parents=True)
    shared = inventory / "secrets.yaml"
    shared.write_text("# the fleet's secrets\nother: kept\n", encoding="utf-8")
    shared.chmod(0o600)
    env = {"IOSGEN_R2_PASSWORD": "x", "IOSGEN_R3_PASSWORD": "y"}
    for name in ("881-oxidized-r2", "2811-oxidized-r3"):
        config = ROOT / "tests/realconfigs" / f"{name}.cfg"
        code, out, err = run(
            "import", str(config), "-o", f"{inventory}/sites/", "-i", str(inventory),
            "--secrets-out", str(shared),
        )  # fmt: skip
        assert code == 0, err
    text = shared.read_text(encoding="utf-8")
    assert "other: kept" in text and "r2-enable:" in text and "r3-enable:" in text
    assert shared.stat().st_mode & 0o777 == 0o600
    code, _, err = run("build", "--all", "-i", str(inventory), "-o", str(tmp_path / "out"), env=env)
    assert code == 0, err
    golden = str(tmp_path / "golden")
    code, _, err = run("check", "--update", "-i", str(inventory), "--golden", golden, env=env)
    assert code == 0, err
    code, _, err = run("check", "-i", str(inventory), "--golden", golden, env=env)
    assert code == 0, err
    code, out, err = run("lint", "--fleet", "-i", str(inventory), env=env)
    assert code == 0 and "0 error(s)" in out, out + err
    # a third import whose names clash with another value: refused, nothing written
    clash = tmp_path / "r2.cfg"
    clash.write_text("hostname R2\nenable secret 5 $1$abcd$0123456789abcdefghijkl\nend\n")
    site = tmp_path / "r2-again.yaml"
    code, _, err = run(
        "import", str(clash), "-o", str(site), "-i", str(inventory), "--secrets-out", str(shared)
    )
    assert code == 2 and "r2-enable" in err and "$1$abcd" not in err
    assert not site.exists() and shared.read_text(encoding="utf-8") == text


CHAIN = Path(__file__).with_name("certchain-ciscoconfparse.cfg")


def test_a_certificate_chain_is_adopted_and_builds_back(tmp_path: Path) -> None:
    site, secrets = tmp_path / "test.yaml", tmp_path / "test.secrets.yaml"
    code, out, err = run("import", str(CHAIN), "-o", str(site), "--secrets-out", str(secrets))
    assert code == 0, err
    assert "0 real drift, 0 cosmetic" in out
    assert "  quit" in site.read_text(encoding="utf-8") or "- ' quit'" in site.read_text()


def test_a_typed_config_imports_and_diffs_the_same_way(tmp_path: Path) -> None:
    """Import's build-back check and `diff` read a typed config alike (ios.capture for
    both); exec-ish one-off commands (`crypto key generate rsa`, `wr`) never in the site."""
    config = Path(__file__).with_name("lan1-conft.txt")
    site, secrets = tmp_path / "lan1.yaml", tmp_path / "lan1.secrets.yaml"
    code, out, err = run("import", str(config), "-o", str(site), "--secrets-out", str(secrets))
    assert code == 0, err
    assert "0 real drift" in out
    text = site.read_text(encoding="utf-8")
    for absent in ("crypto key", "conf t", "- exit", "wr", "interface g0/1", "tfg\n"):
        assert absent not in text, absent
    assert "interface GigabitEthernet0/1" in text
    code, diff, err = run(
        "diff", str(site), "--running", str(config), "--secrets", str(secrets),
        env={"IOSGEN_LAN1_PASSWORD": "x"},
    )  # fmt: skip
    assert code == 0 and "in sync" in diff, diff + err
    for absent in ("no conf t", "no exit", "crypto key", "tfg"):
        assert absent not in diff


@pytest.mark.parametrize(
    ("header", "lines"),
    [
        ("router ospf 1", ["network 10.0.0.0 0.255.255.255 area 0", " quit"]),
        ("crypto pki certificate chain TP", [" quit"]),  # no certificate opened it
    ],
    ids=["other-section", "no-certificate"],
)
def test_quit_is_kept_only_where_it_ends_a_certificate(header: str, lines: list[str]) -> None:
    from pydantic import ValidationError

    from iosgen.model.extra import ExtraConfig

    with pytest.raises(ValidationError, match="would leave the mode it is typed in"):
        ExtraConfig.model_validate({"sections": {header: lines}})
    chain = {"crypto pki certificate chain TP": ["certificate self-signed 01", " 3082 01", " quit"]}
    assert ExtraConfig.model_validate({"sections": chain}).all_lines()[-1] == " quit"
