"""`iosgen import`: every golden and real config adopted, built back, and in sync.

THE PROOF: for every golden IOS config and every tests/realconfigs/*.cfg, `iosgen
import` writes a site and a secrets file; `iosgen diff SITE --running CONFIG
--secrets SECRETS` then reports in sync with no real drift (and no cosmetic drift
either for the 12.4 configs), and lint of the build finds nothing lint of the
original did not. Around it: secrets never in the site file, the secrets file
0600, bad input one error with exit 2 and nothing written, no overwrite without
--force, type 7 decoded, a capture with prompts read like the bare config.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.ios.secrets import redact
from iosgen.lint import lint_config
from iosgen.model.inventory import load_site
from iosgen.model.secret import SecretResolver
from tests.conftest import GOLDEN, INVENTORY, ROOT

REAL = sorted((ROOT / "tests" / "realconfigs").glob("*.cfg"))
# the goldens of the typed model: iosgen's own builds, and the two of tests/build
CONFIGS = [
    *sorted(GOLDEN.glob("*.cfg")),
    ROOT / "tests/build/typed/R-BRANCH.cfg",
    ROOT / "tests/build/extra/R-EXTRA.cfg",
    *REAL,
]
IDS = [p.stem for p in CONFIGS]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def _import(config: Path, tmp_path: Path, *more: str) -> tuple[Path, Path, str]:
    site, secrets = tmp_path / "site.yaml", tmp_path / "secrets.yaml"
    code, out, err = run(
        "import", str(config), "-o", str(site), "--secrets-out", str(secrets), *more
    )
    assert code == 0, err
    return site, secrets, out


def _password_env(site: Path) -> dict[str, str]:
    data = yaml.safe_load(site.read_text(encoding="utf-8"))
    name = re.fullmatch(r"\$\{(\w+)\}", data["management"]["password"])
    assert name is not None
    return {name[1]: "Import-demo1"}


def _is_12_4(config: Path) -> bool:
    return re.search(r"^version 12\.4$", config.read_text(encoding="utf-8"), re.M) is not None


@pytest.mark.parametrize("config", CONFIGS, ids=IDS)
def test_import_then_diff_is_in_sync(config: Path, tmp_path: Path) -> None:
    site, secrets, _ = _import(config, tmp_path)
    env = _password_env(site)
    code, out, err = run(
        "diff",
        str(site),
        "--running",
        str(config),
        "--secrets",
        str(secrets),
        "--format",
        "json",
        env=env,
    )
    assert code == 0, err + out
    report = json.loads(out)
    assert report["status"] == "in_sync"
    assert report["drift"]["real"] == []
    if _is_12_4(config):
        assert report["drift"]["cosmetic"] == []


@pytest.mark.parametrize("config", CONFIGS, ids=IDS)
def test_lint_of_the_build_finds_nothing_new(config: Path, tmp_path: Path) -> None:
    site_file, secrets, _ = _import(config, tmp_path)
    resolver = SecretResolver(
        environ=_password_env(site_file),
        secrets=yaml.safe_load(secrets.read_text(encoding="utf-8")) or {},
    )
    from iosgen.build.ios import render

    built = render(load_site(site_file, resolver)).text
    original = config.read_text(encoding="utf-8")

    def found(text: str) -> set[tuple[str, str]]:
        # by rule and message: line numbers move, what is found must not
        return {(f.code, f.message) for f in lint_config(text, "x.cfg")}

    assert found(built) <= found(original)


@pytest.mark.parametrize("config", CONFIGS, ids=IDS)
def test_no_secret_in_the_site_file_and_the_secrets_file_is_0600(
    config: Path, tmp_path: Path
) -> None:
    site, secrets, out = _import(config, tmp_path)
    text = site.read_text(encoding="utf-8")
    moved = yaml.safe_load(secrets.read_text(encoding="utf-8")) or {}
    # a word the config also has outside its secrets (user `cisco`, password `cisco`)
    # proves nothing; every other word of a secret must be gone
    elsewhere = set(redact(config.read_text(encoding="utf-8")).split())
    for name, value in moved.items():
        for part in str(value).split():
            if len(part) >= 4 and part not in elsewhere:
                assert part not in text, f"the value of {name} is in the site file"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert f"{len(moved)} secrets moved" in out
    # every type-7 value of the original is gone: decoded into the secrets file
    for hexa in re.findall(r" 7 ([0-9A-F]{4,})\b", config.read_text(encoding="utf-8")):
        assert hexa not in text


def test_public_community_is_moved_too(tmp_path: Path) -> None:
    # `public` is too common a word to look for above; here it must be the secret's
    site, secrets, _ = _import(ROOT / "tests/realconfigs/881-oxidized-r2.cfg", tmp_path)
    data = yaml.safe_load(site.read_text())
    community = data["snmp"]["communities"][0]
    assert community["access"] == "RO"
    assert yaml.safe_load(secrets.read_text())[community["community"][7:]] == "public"
    assert "public" not in site.read_text()


def test_the_branch_services_come_back_typed(tmp_path: Path) -> None:
    """The build of a site with every branch service, imported: each one typed again."""
    original = yaml.safe_load((ROOT / "tests/build/typed/R-BRANCH.yaml").read_text())
    site, _, _ = _import(ROOT / "tests/build/typed/R-BRANCH.cfg", tmp_path)
    data = yaml.safe_load(site.read_text())
    for key in ("ntp_servers", "logging_hosts", "nat_forwards", "access_lists", "dhcp"):
        assert data[key] == original[key], key
    assert [r["next_hop"] for r in data["routes"]] == ["203.0.113.9", "Null0", "Null0"]
    assert [c["access"] for c in data["snmp"]["communities"]] == ["RO"]
    assert data["snmp"]["hosts"][0]["version"] == "2c"


def test_type7_is_decoded_and_type5_kept_as_a_hash(tmp_path: Path) -> None:
    from tests.conftest import example_env

    site, secrets, _ = _import(GOLDEN / "R-ITD.cfg", tmp_path)
    moved = yaml.safe_load(secrets.read_text(encoding="utf-8"))
    assert example_env()["IOSGEN_SOFIA_CHAP"] in moved.values()  # the decoded CHAP secret
    data = yaml.safe_load(site.read_text(encoding="utf-8"))
    enable = data["management"]["enable_secret"].removeprefix("secret:")
    assert re.fullmatch(r"5 \$1\$\S{4}\$\S{22}", moved[enable])
    users = data["users"]
    assert users["netops"]["privilege"] == 15
    assert moved[users["netops"]["secret"].removeprefix("secret:")].startswith("5 $1$")


def test_the_summary_counts_lines_and_secrets(tmp_path: Path) -> None:
    _, _, out = _import(ROOT / "tests/realconfigs/3725-rcprojecto-r1.cfg", tmp_path)
    match = re.search(r"R1: (\d+) lines typed, (\d+) kept in extra_config, (\d+) secrets", out)
    assert match is not None, out
    assert int(match[1]) > 0 and int(match[2]) > 0
    assert "0 real drift, 0 cosmetic" in out


def test_a_capture_with_prompts_is_read_like_the_bare_config(tmp_path: Path) -> None:
    bare = ROOT / "tests/realconfigs/2811-feup-gnu-rtr3.cfg"
    capture = tmp_path / "capture.txt"
    body = bare.read_text(encoding="utf-8")
    capture.write_text(
        f"gnu-rtr3#show running-config\nBuilding configuration...\n\n"
        f"Current configuration : 1963 bytes\n{body}\ngnu-rtr3#\n",
        encoding="utf-8",
    )
    site, secrets, _ = _import(capture, tmp_path)
    assert "show running" not in site.read_text() and "gnu-rtr3#" not in site.read_text()
    code, out, err = run(
        "diff",
        str(site),
        "--running",
        str(bare),
        "--secrets",
        str(secrets),
        env=_password_env(site),
    )
    assert code == 0 and "in sync" in out, err + out


# --- refusals: one error, exit 2, nothing written ---------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"", "not an IOS config"),
        (b"\n\n!\n", "not an IOS config"),
        ((INVENTORY / "sites" / "plovdiv.yaml").read_bytes(), "YAML"),
        (b"interface FastEthernet0/0\n ip address dhcp\n", "hostname"),
    ],
    ids=["binary", "empty", "only-comments", "yaml-site-file", "no-hostname"],
)
def test_bad_input_is_one_error_and_nothing_is_written(
    tmp_path: Path, content: bytes, message: str
) -> None:
    config = tmp_path / "in.cfg"
    config.write_bytes(content)
    site = tmp_path / "out.yaml"
    code, _, err = run("import", str(config), "-o", str(site))
    assert code == 2
    assert message in err
    assert len(err.strip().split("\n")) == 1, err
    assert not site.exists() and not (tmp_path / "out.secrets.yaml").exists()


def test_a_missing_config_is_exit_2(tmp_path: Path) -> None:
    code, _, err = run("import", str(tmp_path / "nope.cfg"), "-o", str(tmp_path / "s.yaml"))
    assert code == 2 and "no such config file" in err


@pytest.mark.parametrize("existing", ["site", "secrets"], ids=["site-exists", "secrets-exist"])
def test_never_overwrites_without_force(tmp_path: Path, existing: str) -> None:
    config = ROOT / "tests/realconfigs/3725-rcprojecto-r1.cfg"
    site, secrets = tmp_path / "site.yaml", tmp_path / "secrets.yaml"
    (site if existing == "site" else secrets).write_text("mine\n", encoding="utf-8")
    args = ("import", str(config), "-o", str(site), "--secrets-out", str(secrets))
    code, _, err = run(*args)
    assert code == 2 and "--force" in err
    kept = site if existing == "site" else secrets
    other = secrets if existing == "site" else site
    assert kept.read_text() == "mine\n" and not other.exists()
    code, _, _ = run(*args, "--force")
    assert code == 0 and kept.read_text() != "mine\n"


def test_in_group_leaves_out_what_the_group_says(tmp_path: Path) -> None:
    # golden R-ITD has `ip domain name branch.example`, which groups/branch.yaml gives
    site, secrets, _ = _import(
        GOLDEN / "R-ITD.cfg", tmp_path, "--in-group", "branch", "-i", str(INVENTORY)
    )
    data = yaml.safe_load(site.read_text(encoding="utf-8"))
    assert data["groups"] == ["branch"] and "domain_name" not in data
    inventory = tmp_path / "inv"
    (inventory / "sites").mkdir(parents=True)
    (inventory / "groups").mkdir()
    (inventory / "groups" / "branch.yaml").write_text(
        (INVENTORY / "groups" / "branch.yaml").read_text()
    )
    placed = inventory / "sites" / "r-itd.yaml"
    placed.write_text(site.read_text())
    code, out, err = run(
        "diff",
        str(placed),
        "--running",
        str(GOLDEN / "R-ITD.cfg"),
        "--secrets",
        str(secrets),
        "-i",
        str(inventory),
        env=_password_env(site),
    )
    assert code == 0 and "in sync" in out, err + out


def test_a_config_saved_as_typed_is_adopted(tmp_path: Path) -> None:
    typed = tmp_path / "typed.txt"
    typed.write_text(
        "conf t\nhostname R-TYPED\ninterface FastEthernet0/0\ndescription uplink\n"
        "ip address dhcp\nno shutdown\nexit\nip route 10.0.0.0 255.0.0.0 192.0.2.1\n"
        "ntp server 192.0.2.123\nline vty 0 4\ntransport input ssh\nend\nwr\n",
        encoding="utf-8",
    )
    site, _, out = _import(typed, tmp_path)
    assert "0 real drift" in out, out
    data = yaml.safe_load(site.read_text(encoding="utf-8"))
    assert data["interfaces"]["FastEthernet0/0"]["ipv4"] == "dhcp"
    assert data["routes"] == [{"network": "10.0.0.0/8", "next_hop": "192.0.2.1"}]
    assert "conf t" not in site.read_text() and "wr" not in data.get("extra_config", {}).get(
        "lines", []
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (" description why?", "request for help"),
        (" description caf\u00e9", "non-ASCII"),
    ],
    ids=["question-mark", "non-ascii"],
)
def test_a_line_iosgen_cannot_keep_is_an_error_at_its_line(
    tmp_path: Path, line: str, message: str
) -> None:
    config = tmp_path / "r.cfg"
    config.write_text(
        f"hostname R1\n!\ninterface FastEthernet0/0\n{line}\n ip address dhcp\n!\nend\n",
        encoding="utf-8",
    )
    code, _, err = run("import", str(config), "-o", str(tmp_path / "s.yaml"))
    assert code == 2 and message in err
    assert f"{config}:4:1:" in err
    assert not (tmp_path / "s.yaml").exists()
