"""No secret in any output when the running config lost its indentation or its line order.

The configs are made from golden/R-ITD.cfg: flattened (every line at column 0, as a
copy-paste through some ticket systems leaves it) and shuffled (lines out of place,
so a secret line lands under another section or becomes a section itself). Each
secret line is still a secret line: `diff`, `audit` and `lint` print none of the
type-7 texts, their decoded values or the hashes, in any format.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.ios.config import parse
from iosgen.ios.passwords import type7_decode
from iosgen.ios.secrets import mask_line, redact, redact_line
from tests.conftest import GOLDEN

GOLDEN_ITD = (GOLDEN / "R-ITD.cfg").read_text()


def _secrets(text: str) -> set[str]:
    """Every type-7 text of the config, its clear text, and every type-5 hash."""
    out: set[str] = set()
    for kind, value in re.findall(r"(?:password|secret) ([57]) (\S+)", text):
        out.add(value)
        if kind == "7":
            out.add(type7_decode(value))
    return out


SECRETS = _secrets(GOLDEN_ITD)


def flattened() -> str:
    return "\n".join(line.lstrip() for line in GOLDEN_ITD.splitlines()) + "\n"


def shuffled(seed: int) -> str:
    lines = GOLDEN_ITD.splitlines()
    random.Random(seed).shuffle(lines)
    return "\n".join(lines) + "\n"


def secret_as_parent() -> str:
    """The CHAP line moved to the top, so that the next indented lines become its children."""
    lines = GOLDEN_ITD.splitlines()
    chap = next(line for line in lines if "chap password" in line)
    lines.remove(chap)
    at = lines.index(" request-dialin")
    return "\n".join([*lines[:at], chap.lstrip(), *lines[at:]]) + "\n"


VARIANTS = {
    "flattened": flattened(),
    **{f"shuffled-{seed}": shuffled(seed) for seed in range(6)},
    "secret-as-parent": secret_as_parent(),
}


def run(*args: str | Path) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def leaks(text: str) -> list[str]:
    return sorted(s for s in SECRETS if s in text)


def test_the_secrets_are_there_to_leak() -> None:
    # the golden file has the CHAP password (type 7) and two md5 hashes; Pe5n is its clear text
    assert "Pe5n" in SECRETS and "0123035155" in SECRETS and len(SECRETS) >= 4
    for name, text in VARIANTS.items():
        assert leaks(text), name


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_diff_and_audit_print_no_secret(variant: str, inventory_dir: Path, tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    running = saved / "R-ITD.cfg"
    running.write_text(VARIANTS[variant])
    site = inventory_dir / "sites" / "plovdiv.yaml"
    # flattened, the config is read as typed (ios.capture) and is the router's own config
    drift = 0 if variant == "flattened" else 1
    outputs = []
    for fmt in ("text", "json"):
        result = run("diff", site, "--running", running, "--format", fmt)
        assert result.exit_code == drift, result.output
        outputs.append(result.output)
    for fmt in ("text", "json", "junit"):
        result = run(
            "audit", "--host", "R-ITD", "-i", inventory_dir, "--from", saved, "--format", fmt
        )
        assert result.exit_code == drift, result.output
        outputs.append(result.output)
    assert [leaks(out) for out in outputs] == [[]] * len(outputs)
    if drift:
        assert any("<redacted>" in out for out in outputs)
        # and --show-secrets still shows them: the masking above is not a lost line
        shown = run("diff", site, "--running", running, "--show-secrets")
        assert leaks(shown.output)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_lint_prints_no_secret(variant: str, tmp_path: Path) -> None:
    config = tmp_path / "R-ITD.cfg"
    config.write_text(VARIANTS[variant])
    for fmt in ("text", "json"):
        result = run("lint", config, "--format", fmt)
        assert result.exit_code in (0, 1), result.output
        assert "IOS404" in result.output  # the type-7 line is still found, and masked
        assert leaks(result.output) == []


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_backup_redaction_and_every_parsed_line(variant: str) -> None:
    text = VARIANTS[variant]
    assert leaks(redact(text)) == []
    parsed = parse(text)
    for _depth, line in parsed.walk():
        assert leaks(mask_line(line.text, None)) == []


URL_LINES = [
    "archive\n path ftp://backup:Fl4shB4ck@192.0.2.9/$h-cfg",
    "ip ftp password 7 0822455D0A16",
    "copy scp://netops:Fl4shB4ck@192.0.2.9/R-ITD.cfg flash:",
    "boot system tftp://admin:Fl4shB4ck@192.0.2.9/c2801-image",
]


@pytest.mark.parametrize("text", URL_LINES)
def test_credentials_in_urls_are_masked(text: str) -> None:
    assert "Fl4shB4ck" not in redact(text)
    assert "0822455D0A16" not in redact(text)
    assert "Fl4shB4ck" not in redact_line(text)
    last = text.split("\n")[-1].strip()
    assert "Fl4shB4ck" not in mask_line(last, None)
    if "://" in text:
        assert "<redacted>@192.0.2.9/" in mask_line(last, None)


def test_url_credentials_in_a_diff_and_in_lint(inventory_dir: Path, tmp_path: Path) -> None:
    running = tmp_path / "R-ITD.cfg"
    running.write_text(
        GOLDEN_ITD.replace(" path flash:R-ITD-cfg", " path ftp://backup:Fl4shB4ck@192.0.2.9/x")
    )
    site = inventory_dir / "sites" / "plovdiv.yaml"
    result = run("diff", site, "--running", running)
    assert result.exit_code == 1
    assert "ftp://backup:<redacted>@192.0.2.9/x" in result.output
    assert "Fl4shB4ck" not in result.output
    from iosgen.lint.checks.secrets import redact as lint_redact

    assert lint_redact("path ftp://backup:Fl4shB4ck@h/x") == "path ftp://backup:<redacted>@h/x"


# The two shapes the regex copies got wrong: the community of `snmp-server host` (no
# keyword before it) and the ntp key (its type digit follows it, `md5` is no secret).
BEYOND_THE_MODEL = {
    "snmp-server host 192.0.2.5 version 2c S3cretCommunity": "S3cretCommunity",
    "snmp-server host 192.0.2.6 traps version 2c S3cretTraps": "S3cretTraps",
    "ntp authentication-key 1 md5 0822455D0A16 7": "0822455D0A16",
}


@pytest.mark.parametrize("layout", ["in-place", "flattened"])
def test_snmp_host_and_ntp_key_in_diff_audit_and_lint(
    layout: str, inventory_dir: Path, tmp_path: Path
) -> None:
    base = flattened() if layout == "flattened" else GOLDEN_ITD
    extra = "\n".join(BEYOND_THE_MODEL) + "\n"
    saved = tmp_path / "saved"
    saved.mkdir()
    running = saved / "R-ITD.cfg"
    running.write_text(base.replace("\nend", "\n" + extra + "end", 1))
    site = inventory_dir / "sites" / "plovdiv.yaml"
    outputs = [
        run("diff", site, "--running", running, "--format", fmt).output for fmt in ("text", "json")
    ]
    outputs += [
        run(
            "audit", "--host", "R-ITD", "-i", inventory_dir, "--from", saved, "--format", fmt
        ).output
        for fmt in ("text", "json")
    ]
    outputs += [run("lint", running, "--format", fmt).output for fmt in ("text", "json")]
    for out in outputs:
        assert [s for s in BEYOND_THE_MODEL.values() if s in out] == [], out
    text = outputs[0]
    assert "snmp-server host 192.0.2.5 version 2c <redacted>" in text
    assert "ntp authentication-key 1 md5 <redacted> 7" in text
    assert "IOS404" in outputs[4]  # the ntp key is type 7: reported, masked
    assert "ntp authentication-key 1 md5 <redacted> 7" in outputs[4]
