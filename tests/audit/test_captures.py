"""diff, audit --from and lint on the real configs as operators save them.

Each tests/realconfigs/*.cfg becomes three captures: the terminal's (prompt lines and
header around it), typed (unindented, `conf t` ... `exit` ... `end`, `wr`), and typed
with the config prompts. The proof: `iosgen diff --running CAPTURE` says exactly what it
says for the file itself (same drift, same remediation and rollback), in every format,
without a prompt, `conf t` or secret in it; a typed config iosgen cannot place is one
error at its line (exit 2) that shows no secret; lint finds the same at the same lines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.lint import lint_config
from tests.realconfigs.test_realconfigs import CONFIGS, banner_text, refused, secrets_of

# IOS refuses this fixture's `passsive-interface` typo: typed, there is no telling its mode.
REFUSED_TYPED = {"2600xm-ccp-pppoa-154.cfg": "passsive-interface FastEthernet0/0"}
CAPTURED = re.compile(r"^(?:[\w.-]+#|Building configuration|Current configuration)")
TYPED_ONLY = ("conf t", "configure terminal", "exit", "end", "wr", "write memory")


def with_prompts(text: str) -> str:
    return (
        f"R1#terminal length 0\nR1#show running-config\nBuilding configuration...\n\n{text}\nR1#\n"
    )


def _typed_rows(text: str) -> list[tuple[int, str]]:
    """(depth, line) as typed from the printed config: each section left with `exit`.

    The file's own capture lines (`R1#sh run`, `Building configuration...`) are not typed.
    """
    rows: list[tuple[int, str]] = []
    for line in (row for row in text.splitlines() if not CAPTURED.match(row)):
        depth = len(line) - len(line.lstrip(" "))
        if line and depth == 0 and rows and rows[-1][0] > 0 and rows[-1][1].strip():
            rows.append((rows[-1][0], "exit"))  # `exit` after a section's last line
        rows.append((depth, line.lstrip(" ")))
    return rows


def typed(text: str) -> str:
    """Typed from the printed config: unindented, `exit` after sections, the session saved."""
    return "\n".join(["conf t", *(line for _d, line in _typed_rows(text)), "end", "wr", ""])


def typed_with_prompts(text: str) -> str:
    """Typed at the config prompt as a terminal shows it: before each line the prompt of
    the mode IOS is in (`R1(config)#` in global config mode); the banner text has no
    prompt, IOS asks for it (`Enter TEXT message.`)."""
    out = ["R1#conf t", "Enter configuration commands, one per line.  End with CNTL/Z."]
    rows = _typed_rows(text)
    mode = 0  # the depth of the mode IOS is in
    delim: str | None = None
    for i, (depth, line) in enumerate(rows):
        if delim is not None:
            out.append(line)
            delim = None if delim in line else delim
            continue
        prompt = "R1(config)#" if mode == 0 else "R1(config-sub)#"
        out.append(f"{prompt}{line}" if line.strip() else line)
        if line.strip() and not line.startswith("!"):
            nxt = next((d for d, t in rows[i + 1 :] if t.strip() and not t.startswith("!")), 0)
            mode = depth - 1 if line == "exit" else depth + 1 if nxt > depth else depth
        if (
            line.startswith("banner ")
            and (d := line.split()[2][:2]) not in line.split(None, 2)[2][2:]
        ):
            delim = d
            out.append(f"Enter TEXT message.  End with the character '{d[-1]}'.")
    return "\n".join([*out, "R1(config)#end", "R1#wr", "Building configuration...", "[OK]", "R1#"])


CAPTURES = {"prompts": with_prompts, "typed": typed, "typed-prompts": typed_with_prompts}
CASES = [(path, kind) for path in CONFIGS for kind in CAPTURES]
IDS = [f"{path.stem}-{kind}" for path, kind in CASES]


def run(*args: str | Path) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def leaks(path: Path, output: str) -> list[str]:
    return [value for value in secrets_of(path) if value in output]


def is_refused(path: Path, kind: str) -> bool:
    return kind != "prompts" and path.name in REFUSED_TYPED


def not_ios(lines: list[str], path: Path) -> list[str]:
    bad = refused(lines, banner_text(path))
    return bad + [line for line in lines if line.strip() in TYPED_ONLY]


@pytest.mark.parametrize(("path", "kind"), CASES, ids=IDS)
def test_diff_of_a_capture_is_the_diff_of_its_config(
    path: Path, kind: str, inventory_dir: Path, tmp_path: Path
) -> None:
    capture = tmp_path / path.name
    capture.write_text(CAPTURES[kind](path.read_text()))
    site = inventory_dir / "sites" / "plovdiv.yaml"
    got = run("diff", site, "--running", capture, "--format", "json")
    if is_refused(path, kind):
        bad = REFUSED_TYPED[path.name]
        line = (
            capture.read_text()
            .splitlines()
            .index(next(row for row in capture.read_text().splitlines() if row.endswith(bad)))
            + 1
        )
        assert got.exit_code == 2
        assert f"{capture}:{line}:1: typed config: `{bad}`" in got.output
        assert leaks(path, got.output) == []
        return
    want = run("diff", site, "--running", path, "--format", "json")
    assert (got.exit_code, want.exit_code) == (1, 1)
    assert json.loads(got.output) == json.loads(want.output)
    assert leaks(path, got.output) == []
    result = json.loads(got.output)
    result = result[0] if isinstance(result, list) else result
    assert not_ios(result["remediation"] + result["rollback"], path) == []


@pytest.mark.parametrize(("path", "kind"), CASES, ids=IDS)
def test_audit_from_a_saved_capture(
    path: Path, kind: str, inventory_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "R-ITD.cfg").write_text(CAPTURES[kind](path.read_text()))
    for fmt in ("text", "junit"):
        got = run(
            "audit", "--host", "R-ITD", "-i", inventory_dir, "--from", tmp_path, "--format", fmt
        )
        # a refused capture is bad input (2), located, the other hosts still audited
        refused = is_refused(path, kind)
        assert got.exit_code == (2 if refused else 1), got.output
        assert not refused or f"{tmp_path / 'R-ITD.cfg'}:" in got.output
        assert leaks(path, got.output) == []
        assert "no conf t" not in got.output and "no R1#" not in got.output


@pytest.mark.parametrize(("path", "kind"), CASES, ids=IDS)
def test_lint_of_a_capture_finds_what_lint_of_its_config_finds(path: Path, kind: str) -> None:
    text = path.read_text()
    capture = CAPTURES[kind](text)
    if is_refused(path, kind):
        with pytest.raises(Exception, match="typed config"):
            lint_config(capture, path.name)
        return
    got = {
        (f.code, capture.splitlines()[f.line - 1].strip()) for f in lint_config(capture, path.name)
    }
    want = {(f.code, text.splitlines()[f.line - 1].strip()) for f in lint_config(text, path.name)}
    # the same finding at the same config line (its number is the capture's own);
    # a typed line may have lost its prompt: compare the config text after it
    strip = {
        (code, line.split("#", 1)[1] if line.startswith("R1(config") else line)
        for code, line in got
    }
    assert strip == want


ABBREVIATED_REFERENCES = {
    "nat-interface": (
        "ip nat inside source list 1 interface {} overload",
        "Fa0/0",
        "FastEthernet0/0",
    ),
    "route-exit": ("ip route 0.0.0.0 0.0.0.0 {}", "Di2", "Dialer2"),
    "route-exit-and-gateway": (
        "ip route 10.0.0.0 255.0.0.0 {} 192.0.2.1",
        "fa0/0",
        "FastEthernet0/0",
    ),
    "unnumbered": ("interface Dialer2\n ip unnumbered {}", "Fa0/0", "FastEthernet0/0"),
}


@pytest.mark.parametrize(
    ("line", "typed_name", "full"),
    ABBREVIATED_REFERENCES.values(),
    ids=ABBREVIATED_REFERENCES.keys(),
)
def test_an_interface_named_as_typed_is_the_same_interface(
    line: str, typed_name: str, full: str
) -> None:
    """IOS stores `Di2` as `Dialer2`: a saved config that has it as typed is in sync."""
    from iosgen.diff.audit import audit_text

    base = "hostname R1\ninterface FastEthernet0/0\n ip address dhcp\n"
    intended = base + line.format(full) + "\n"
    assert audit_text("R1", intended, base + line.format(typed_name) + "\n").status == "in_sync"
    other = "Dialer3" if full == "Dialer2" else "FastEthernet0/1"
    assert audit_text("R1", intended, base + line.format(other) + "\n").status == "drift"
