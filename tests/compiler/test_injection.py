"""The injection attacks of issue 9, tried end to end through the `iosgen` process.

A user name or a secret that would add a config line (`ivan privilege 15`, a
newline then `username evil privilege 15 password 0 evil`) is refused at build:
exit 2, one located message naming the field, nothing written, the secret in
neither stdout nor stderr, never a traceback. With `password_encryption: false`
secrets are printed in clear (`password 0 ...`), so the masked preview is
checked too: it hides exactly the secrets, line for line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.compiler.sitefactory import ENV, IOS_SITE, LINUX_SITE, rename_key, site_data

ATTACK = "x\nusername evil privilege 15 password 0 evil"


def iosgen(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in a child process (what a user or CI runs)."""
    full_env = {**os.environ, **ENV, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", "from iosgen.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def assert_refused(
    result: subprocess.CompletedProcess[str], out: Path, key: str, *hidden: str
) -> str:
    """Exit 2, one located line naming `key`, nothing written, none of `hidden` shown."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not out.exists(), "nothing is written for bad input"
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert f": {key}: " in lines[0] and "site.yaml:" in lines[0]
    for text in hidden:
        assert text not in result.stderr
    return lines[0]


# --- user names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("ivan privilege 15", "is not one word"),
        ("ivan\nusername evil privilege 15 password 0 evil", "line break"),
        ("ivan?", "request for help"),
    ],
    ids=["privilege-15", "newline", "question-mark"],
)
def test_pptp_user_name_cannot_grant_privilege(tmp_path: Path, name: str, words: str) -> None:
    data = rename_key(IOS_SITE, ("pptp_server", "users", "ivan"), name)
    out = tmp_path / "out.cfg"
    result = iosgen("build", str(write(tmp_path, data)), "-o", str(out))
    shown = name if name.isprintable() else repr(name)
    # A name is not secret: the message may quote it (escaped, on one line).
    line = assert_refused(result, out, f"pptp_server.users.{shown}")
    assert words in line


# --- secrets: from a YAML literal, an environment variable, a secrets file -----------------

SECRET_FIELDS = [
    ("pptp_clients.sofia.chap_password", ("pptp_clients", "sofia", "chap_password")),
    ("pptp_server.users.ivan", ("pptp_server", "users", "ivan")),
    ("users.auditor.secret", ("users", "auditor", "secret")),
]


@pytest.mark.parametrize("source", ["literal", "env", "secrets-file"])
@pytest.mark.parametrize(("key", "path"), SECRET_FIELDS, ids=[f[0] for f in SECRET_FIELDS])
def test_secret_with_newline_cannot_add_a_line(
    tmp_path: Path, source: str, key: str, path: tuple[str, ...]
) -> None:
    args: list[str] = []
    env: dict[str, str] = {}
    if source == "literal":
        data = site_data(IOS_SITE, path, ATTACK)
    elif source == "env":
        data = site_data(IOS_SITE, path, "${INJ_ATTACK}")
        env["INJ_ATTACK"] = ATTACK
    else:
        data = site_data(IOS_SITE, path, "secret:attack")
        secrets = tmp_path / "secrets.yaml"
        secrets.write_text(yaml.safe_dump({"attack": ATTACK}), encoding="utf-8")
        args = ["--secrets", str(secrets)]
    assert data["services"]["password_encryption"] is False  # the clear-text case
    out = tmp_path / "out.cfg"
    result = iosgen("build", str(write(tmp_path, data)), "-o", str(out), *args, env=env)
    line = assert_refused(result, out, key, "evil", "username evil")
    assert "line break" in line


def test_trailing_newline_from_a_secrets_file_is_an_error(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.yaml"
    secrets.write_text("sofia: |\n  chap-inj\n", encoding="utf-8")  # a block scalar keeps "\n"
    data = site_data(IOS_SITE, ("pptp_clients", "sofia", "chap_password"), "secret:sofia")
    out = tmp_path / "out.cfg"
    result = iosgen("build", str(write(tmp_path, data)), "-o", str(out), "--secrets", str(secrets))
    line = assert_refused(result, out, "pptp_clients.sofia.chap_password", "chap-inj")
    assert "the secret 'sofia' of the secrets file ends with a line break" in line


def test_trailing_newline_from_the_environment_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "out.cfg"
    result = iosgen(
        "build", str(write(tmp_path, IOS_SITE)), "-o", str(out), env={"INJ_CHAP": "chap-inj\n"}
    )
    line = assert_refused(result, out, "pptp_clients.sofia.chap_password", "chap-inj")
    assert "environment variable INJ_CHAP ends with a line break" in line


# --- robustness: secrets that used to raise deep inside the encoders ----------------------

ROBUST = [
    # id, key path, value given in YAML, environment
    ("cyrillic-chap", ("pptp_clients", "sofia", "chap_password"), "парола-чап", {}),
    ("emoji-pptp-user", ("pptp_server", "users", "ivan"), "pass\U0001f511word", {}),
    ("nul-hashed-user-secret", ("users", "auditor", "secret"), "qz1\x00wx", {}),
    ("nul-hashed-enable", ("management", "enable_secret"), "qz2\x00wx", {}),
    ("nul-hashed-login", ("management", "password"), "qz3\x00wx", {}),
    ("over-4096-chap", ("pptp_clients", "sofia", "chap_password"), "${INJ_LONG}", {}),
    ("cyrillic-env-login", ("management", "password"), "${INJ_CYR}", {}),
]


@pytest.mark.parametrize(
    ("path", "value", "env"), [r[1:] for r in ROBUST], ids=[r[0] for r in ROBUST]
)
def test_secret_that_broke_the_encoders_is_a_located_error(
    tmp_path: Path, path: tuple[str, ...], value: str, env: dict[str, str]
) -> None:
    env = {**env, "INJ_LONG": "L" * 4097, "INJ_CYR": "пароль"}
    data = site_data(IOS_SITE, path, value)
    out = tmp_path / "out.cfg"
    result = iosgen("build", str(write(tmp_path, data)), "-o", str(out), env=env)
    key = ".".join(path)
    assert_refused(
        result, out, key, "парола", "пароль", "\U0001f511", "L" * 30, "qz1", "qz2", "qz3"
    )


def test_linux_nul_and_long_chap_secret_are_located_errors(tmp_path: Path) -> None:
    for value in ("gab\x00rovo", "G" * 4097):
        data = site_data(LINUX_SITE, ("pptp_clients", "sofia", "chap_password"), value)
        out = tmp_path / "tree"
        result = iosgen("build", str(write(tmp_path, data)), "-o", str(out))
        assert_refused(result, out, "pptp_clients.sofia.chap_password", "gab", "G" * 30)


# --- the masked preview -------------------------------------------------------------------


def test_masked_preview_hides_exactly_the_secrets_line_for_line(tmp_path: Path) -> None:
    site = write(tmp_path, IOS_SITE)
    masked = iosgen("build", str(site))
    clear = iosgen("build", str(site), "--show-secrets")
    assert masked.returncode == 0 and clear.returncode == 0, masked.stderr + clear.stderr
    masked_lines, clear_lines = masked.stdout.splitlines(), clear.stdout.splitlines()
    assert len(masked_lines) == len(clear_lines)
    changed = [(m, c) for m, c in zip(masked_lines, clear_lines, strict=True) if m != c]
    assert {c for _, c in changed} == {
        " ppp chap password 0 chap-inj",
        "username ivan privilege 0 password 0 ivan-inj",
    }
    for m, c in changed:
        assert m == c[: c.rindex(" 0 ") + 3] + "<redacted>"
    assert "chap-inj" not in masked.stdout and "ivan-inj" not in masked.stdout


def test_masked_preview_of_an_attack_prints_nothing(tmp_path: Path) -> None:
    data = site_data(IOS_SITE, ("pptp_clients", "sofia", "chap_password"), "${INJ_ATTACK}")
    result = iosgen("build", str(write(tmp_path, data)), env={"INJ_ATTACK": ATTACK})
    assert result.returncode == 2
    assert result.stdout == ""
    assert "evil" not in result.stderr and "Traceback" not in result.stderr


# --- Linux: what pppd reads back -------------------------------------------------------------


def pppd_words(line: str) -> list[str]:
    """The words pppd's getword() (pppd/options.c) reads from one line of a secrets file."""
    words: list[str] = []
    i = 0
    while i < len(line):
        if line[i].isspace():
            i += 1
            continue
        if line[i] == "#":
            break
        quote = line[i] if line[i] in "\"'" else ""
        i += 1 if quote else 0
        word = []
        while i < len(line):
            c = line[i]
            if c == "\\":
                nxt = line[i + 1]
                if nxt in "01234567":
                    digits = ""
                    while len(digits) < 3 and i + 1 < len(line) and line[i + 1] in "01234567":
                        digits += line[i + 1]
                        i += 1
                    word.append(chr(int(digits, 8)))
                    i += 1
                    continue
                word.append({"n": "\n", "t": "\t", "s": " ", "r": "\r"}.get(nxt, nxt))
                i += 2
                continue
            if (quote and c == quote) or (not quote and (c.isspace() or c == "#")):
                i += 1 if quote else 0
                break
            word.append(c)
            i += 1
        words.append("".join(word))
    return words


@pytest.mark.parametrize(
    "secret",
    ['pe "5" n', "back\\slash", "it's", "hash#tag", "a?b", "#start", "x" * 255],
    ids=["double-quotes", "backslash", "single-quote", "hash", "question", "hash-first", "255"],
)
def test_chap_secrets_line_reads_back_as_typed(tmp_path: Path, secret: str) -> None:
    data = site_data(LINUX_SITE, ("pptp_clients", "sofia", "chap_password"), "${INJ_S}")
    out = tmp_path / "tree"
    result = iosgen("build", str(write(tmp_path, data)), "-o", str(out), env={"INJ_S": secret})
    assert result.returncode == 0, result.stderr
    lines = [
        line
        for line in (out / "etc/ppp/chap-secrets").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert [pppd_words(line) for line in lines] == [["gabrovo", "sofia", secret, "*"]]
    peer = (out / "etc/ppp/peers/sofia").read_text().splitlines()
    assert ["name", "gabrovo"] in [pppd_words(line) for line in peer]
