"""Real routers' configs, run as a new user would: lint, diff, audit --from, the simulator.

Every `*.cfg` beside this file is a public `show running-config` capture (see README.md).
The CLI runs in a subprocess, with the example inventory's secrets in the environment,
so what is checked is what a user sees: exit codes, no traceback, no secret of the file
in any output, and remediation lines IOS would take. The secrets are found here with
our own patterns and an independent type-7 decoder, not with iosgen's redaction.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from iosgen.sim.router import Router, RouterSpec
from tests.conftest import INVENTORY, ROOT, example_env

HERE = Path(__file__).resolve().parent
CONFIGS = sorted(HERE.glob("*.cfg"))
PLOVDIV = INVENTORY / "sites" / "plovdiv.yaml"
PLOVDIV_HOST = "R-ITD"
TIMEOUT = 60
# The installed entry point, as a user runs it; else the same main() through the interpreter.
_SCRIPT = Path(sys.executable).parent / "iosgen"
IOSGEN = (
    [str(_SCRIPT)]
    if _SCRIPT.exists()
    else [sys.executable, "-c", "from iosgen.cli import main; main()"]
)


# --- running the CLI --------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err


def iosgen(*args: str) -> Run:
    env = dict(os.environ)
    env.update(example_env())
    env["NO_COLOR"] = "1"
    proc = subprocess.run(
        [*IOSGEN, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )
    return Run(tuple(args), proc.returncode, proc.stdout, proc.stderr)


def no_traceback(name: str, run: Run) -> None:
    assert "Traceback (most recent call last)" not in run.both, (
        f"{name}: `iosgen {' '.join(run.args)}` printed a traceback:\n{run.err[-2000:]}"
    )


# --- the secrets of a file --------------------------------------------------------------------

# IOS's type-7 key (the Vigenere-like table every decoder uses).
_XLAT = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"


def decode_type7(cipher: str) -> str | None:
    """The clear text of a type-7 string, or None when it is not one."""
    if len(cipher) < 4 or len(cipher) % 2 or not re.fullmatch(r"\d\d[0-9A-Fa-f]+", cipher):
        return None
    seed = int(cipher[:2])
    if seed > 15:
        return None
    chars = []
    for i in range(2, len(cipher), 2):
        chars.append(chr(int(cipher[i : i + 2], 16) ^ ord(_XLAT[(seed + i // 2 - 1) % len(_XLAT)])))
    text = "".join(chars)
    return text if text.isprintable() else None


# Each pattern's last group is a secret value; type 7 values are decoded too.
_SECRET_PATTERNS = [
    # password 7 X / password 0 X / password X (username, line, ppp, ftp, enable...)
    re.compile(r"\bpassword\s+(?:(?P<t>[0-7])\s+)?(?P<v>\S+)"),
    re.compile(r"\bsecret\s+(?:(?P<t>[0-9])\s+)?(?P<v>\S+)"),
    # key 7 X / key X (radius, tacacs, isakmp, ntp, ospf md5, key-string, pre-shared-key)
    re.compile(
        r"\b(?:key|key-string|authentication-key\s+\d+\s+md5)\s+(?:(?P<t>[0-7])\s+)?(?P<v>\S+)"
    ),
    re.compile(r"\bmessage-digest-key\s+\d+\s+md5\s+(?:(?P<t>[0-7])\s+)?(?P<v>\S+)"),
    re.compile(r"\bwpa-psk\s+(?:ascii|hex)\s+(?:(?P<t>[0-7])\s+)?(?P<v>\S+)"),
    re.compile(r"^snmp-server community\s+(?P<v>\S+)"),
    re.compile(
        r"^snmp-server host\s+\S+(?:\s+(?:informs|traps))?(?:\s+version\s+(?:1|2c|3\s+\S+))?"
        r"\s+(?P<v>\S+)"
    ),
    re.compile(r"\b[a-z]+://[^:/\s@]+:(?P<v>[^@\s]+)@"),
]
# After these words the next token is a type, a keyword or a user name, not a secret.
_NOT_SECRETS = {"encryption", "encrypted", "7", "0", "5", "level", "min-length", "address"}


@cache
def secrets_of(path: Path) -> dict[str, str]:
    """Secret value -> the line it comes from, for the values an output must never show."""
    found: dict[str, str] = {}
    public_lines = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        spans: list[tuple[int, int]] = []
        if not line.startswith("!"):
            for pattern in _SECRET_PATTERNS:
                for m in pattern.finditer(line):
                    value = m.group("v")
                    if value in _NOT_SECRETS or value.startswith("<"):
                        continue
                    spans.append(m.span("v"))
                    found[value] = line
                    clear = decode_type7(value)
                    if clear and m.groupdict().get("t") in ("7", None):
                        found[clear] = line
        for a, b in sorted(spans, reverse=True):
            line = line[:a] + " " + line[b:]
        public_lines.append(line)
    # A value that also appears outside every secret position (a user named like the
    # password, `cisco` in a hostname) cannot be told apart in an output: leave it out.
    public = "\n".join(public_lines)
    return {
        value: line
        for value, line in found.items()
        if len(value) >= 4 and not _word(value).search(public)
    }


def _word(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w$./]){re.escape(value)}(?![\w$./])")


def assert_no_secret(name: str, run: Run) -> None:
    leaked = []
    for value, line in secrets_of(HERE / name).items():
        for stream, text in (("stdout", run.out), ("stderr", run.err)):
            if _word(value).search(text):
                shown = next(s for s in text.splitlines() if value in s)
                leaked.append(f"  {value!r} (from `{line}`) in {stream}: {shown.strip()!r}")
                break
    assert not leaked, f"{name}: `iosgen {' '.join(run.args)}` shows secrets:\n" + "\n".join(leaked)


def test_type7_decoder_is_right() -> None:
    # Values published with their clear text (Cisco's own examples and the seed's demo).
    assert decode_type7("02050D480809") == "cisco"
    assert decode_type7("094F471A1A0A") == "cisco"
    assert decode_type7("hello") is None


# --- lines IOS would not take ------------------------------------------------------------------

_PHYSICAL = re.compile(
    r"^no interface (?:FastEthernet|GigabitEthernet|Ethernet|Serial|ATM|BRI|Dot11Radio|Async)"
    r"\d+(?:/\d+)*$"
)
_PROMPT = re.compile(r"^[\w.-]+(?:\([\w-]+\))?[#>]")
_HEADER = re.compile(
    r"^(?:no\s+)?(?:Building configuration|Current configuration|Last configuration change"
    r"|NVRAM config last updated|end$)"
)
_HEX_DUMP = re.compile(r"^[0-9A-Fa-f]{8}(?: [0-9A-Fa-f]{8})*$")


@cache
def banner_text(path: Path) -> frozenset[str]:
    """The text lines inside the file's banners (not the `banner` commands themselves)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    body: set[str] = set()
    i = 0
    while i < len(lines):
        m = re.match(r"^banner \S+ (\^C|\S)(.*)$", lines[i])
        if m and m.group(1) not in m.group(2):
            delim = m.group(1)
            i += 1
            while i < len(lines) and delim not in lines[i]:
                if lines[i].strip():
                    body.add(lines[i].strip())
                i += 1
        i += 1
    return frozenset(body)


def sections(out: str) -> dict[str, list[str]]:
    """The `remediation:` and `rollback:` blocks of diff/audit text output, unindented once."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in out.splitlines():
        if line in ("remediation:", "rollback:"):
            current = found.setdefault(line[:-1], [])
        elif current is not None and line.startswith("  "):
            current.append(line[2:])
        else:
            current = None
    return found


def refused(lines: list[str], banner_body: frozenset[str] = frozenset()) -> list[str]:
    """Each line IOS would refuse or that is not a command at all, with why."""
    bad = []
    in_banner: str | None = None
    for line in lines:
        text = line.strip()
        if in_banner is not None:
            if in_banner in text:
                in_banner = None
            continue
        m = re.match(r"^banner \S+ (\^C|\S)(.*)$", text)
        if m and m.group(1) not in m.group(2):
            in_banner = m.group(1)
            continue
        why = None
        core = text[3:] if text.startswith("no ") else text  # `no R1#sh run` is as wrong
        if _PROMPT.match(core):
            why = "a prompt, not a command"
        elif _HEADER.match(text):
            why = "a `show running-config` header/trailer, not a command"
        elif _PHYSICAL.match(text):
            why = "a physical port cannot be removed (IOS: removal not permitted)"
        elif text.startswith("no !") or text == "no":
            why = "the negation of a comment"
        elif core in banner_body:
            why = "banner text sent as a command"
        elif _HEX_DUMP.match(core):
            why = "certificate hex sent as a command"
        if why:
            bad.append(f"  {line!r}: {why}")
    return bad


def assert_remediation_is_ios(name: str, run: Run) -> None:
    blocks = sections(run.out)
    assert "remediation" in blocks, (
        f"{name}: `iosgen {' '.join(run.args)}` printed no remediation for a drifted router"
    )
    problems = []
    for block, lines in blocks.items():
        problems += [f"{block}:{p}" for p in refused(lines, banner_text(HERE / name))]
    assert not problems, (
        f"{name}: `iosgen {' '.join(run.args)}` prints lines IOS does not take:\n"
        + "\n".join(problems)
    )


def test_the_checker_flags_what_ios_refuses() -> None:
    lines = [
        "R1#sh run",
        "no R1#sh run",
        "no Building configuration...",
        "Current configuration : 1602 bytes",
        "no interface FastEthernet0/0",
        "no interface ATM0/0",
        "Go away.",
        "30820241 308201AA",
        "end",
    ]
    assert len(refused(lines, frozenset({"Go away."}))) == len(lines)
    fine = [
        "no interface ATM0/0.32 point-to-point",
        "no interface Dialer1",
        "interface FastEthernet0/0",
        " no ip address",
        "banner login ^C",
        "Go away.",
        "^C",
        "no ip route 0.0.0.0 0.0.0.0 Dialer1 250",
    ]
    assert refused(fine, frozenset({"Go away."})) == []
    out = "drift:\n  - x\nremediation:\n  a\n   b\nrollback:\n  c\nnote\n"
    assert sections(out) == {"remediation": ["a", " b"], "rollback": ["c"]}


# --- the tests, one set per file ------------------------------------------------------------

ids = [p.name for p in CONFIGS]


def test_there_are_real_configs() -> None:
    assert len(CONFIGS) >= 6
    for path in CONFIGS:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("! source: "), f"{path.name}: first line must name its source"


@pytest.mark.parametrize("path", CONFIGS, ids=ids)
def test_lint(path: Path) -> None:
    run = iosgen("lint", str(path))
    no_traceback(path.name, run)
    assert run.code in (0, 1), (
        f"{path.name}: `iosgen lint` exit {run.code} for a real router's config "
        f"(2 means it was taken as bad input):\n{run.err[-1500:]}"
    )
    assert_no_secret(path.name, run)


@pytest.mark.parametrize("path", CONFIGS, ids=ids)
def test_diff(path: Path) -> None:
    run = iosgen("diff", str(PLOVDIV), "--running", str(path))
    no_traceback(path.name, run)
    assert run.code == 1, (
        f"{path.name}: `iosgen diff` exit {run.code}, expected 1 (drift):\n{run.err[-1500:]}"
    )
    assert_no_secret(path.name, run)
    assert_remediation_is_ios(path.name, run)


# A config with no indented line is read as typed (ios.capture); these real configs hold
# a line IOS refuses (2600xm-ccp-pppoa-154: `passsive-interface` under router rip).
TYPO_WHEN_TYPED = {"2600xm-ccp-pppoa-154.cfg": 380}


@pytest.mark.parametrize("path", CONFIGS, ids=ids)
def test_diff_of_a_flattened_copy(path: Path, tmp_path: Path) -> None:
    # The same config with its indentation lost (a paste through a tool that strips it):
    # secrets now sit on top-level lines, where redaction must still find them (issue 9.3).
    flat = tmp_path / path.name
    flat.write_text("".join(line.lstrip(" ") + "\n" for line in path.read_text().splitlines()))
    run = iosgen("diff", str(PLOVDIV), "--running", str(flat))
    no_traceback(path.name, run)
    assert_no_secret(path.name, run)
    if path.name in TYPO_WHEN_TYPED:
        # read as typed, the copy meets the router's own typo where IOS would refuse it
        line = TYPO_WHEN_TYPED[path.name]
        assert run.code == 2 and f"{flat}:{line}:" in run.err, run.err[-1500:]
        return
    assert run.code == 1, (
        f"{path.name} (flattened): `iosgen diff` exit {run.code}, expected 1:\n{run.err[-1500:]}"
    )


@pytest.mark.parametrize("path", CONFIGS, ids=ids)
def test_audit_from_saved(path: Path, tmp_path: Path) -> None:
    # audit --from reads <folder>/<hostname>.cfg for each selected site
    shutil.copyfile(path, tmp_path / f"{PLOVDIV_HOST}.cfg")
    run = iosgen("audit", "--host", PLOVDIV_HOST, "-i", str(INVENTORY), "--from", str(tmp_path))
    no_traceback(path.name, run)
    assert run.code == 1, (
        f"{path.name}: `iosgen audit --from` exit {run.code}, expected 1 (drift):\n"
        f"{run.both[-1500:]}"
    )
    assert_no_secret(path.name, run)
    assert_remediation_is_ios(path.name, run)


@pytest.mark.parametrize("path", CONFIGS, ids=ids)
def test_simulator_boots_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    commands = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("!")
    ]
    router = Router(RouterSpec("R", "netops", "pw", initial_config=text))
    # Not asserted to be zero: the simulator does not model every feature of these routers yet.
    refused_lines = list(router.load_errors)
    print(
        f"\n{path.name}: simulator refused {len(refused_lines)} of {len(commands)} lines"
        + "".join(f"\n    {e}" for e in refused_lines[:5])
        + ("\n    ..." if len(refused_lines) > 5 else "")
    )
    m = re.search(r"^hostname (\S+)$", text, re.M)
    assert m is not None
    assert router.hostname == m.group(1), (
        f"{path.name}: the simulator booted as {router.hostname!r}, not {m.group(1)!r}"
    )
