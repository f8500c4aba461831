"""Typed and loaded configs as IOS holds them: comments, exit/end, held lines, vty ranges."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sim_helpers import block, body, typed

from iosgen.sim.config import Config
from iosgen.sim.configmode import load_text
from iosgen.sim.router import Router, RouterSpec
from iosgen.sim.shell import Shell

REAL = sorted((Path(__file__).parents[1] / "realconfigs").glob("*.cfg"))

# Lines of a real config that IOS 12.4 prints differently from the capture, as
# parent>line paths: (the capture's line, what the 2801 prints, why).
REWRITES: tuple[tuple[str, str | None, str], ...] = (
    # "version 15.4": the simulated image is 12.4(25d); NVGEN prints its own train.
    ("version *", "version 12.4", "the image's own version"),
    # "logging host 10.20.0.28": 12.4 prints `logging 10.20.0.28` (ios-reference §3).
    ("logging host *", "logging *", "12.4 prints the host without `host`"),
    # the 15.4 capture's HSRP track names the port with a space; the grammar reads it as
    # the interface and NVGEN prints its name (docs/simulator-grammar.md, HSRP) [L]
    (
        "interface FastEthernet0/0 > standby 110 track FastEthernet 0/1",
        "interface FastEthernet0/0 > standby 110 track FastEthernet0/1",
        "an interface argument prints as its name",
    ),
)
# Lines the 2801 prints that a capture need not have (its defaults and its own ports).
DEFAULTS: tuple[str, ...] = (
    "version 12.4",  # the version line, whatever the capture's
    "scheduler allocate 20000 1000",  # printed by 12.4 when not configured
    "ip forward-protocol nd",  # on by default, printed (factory config)
    "multilink bundle-name authenticated",  # printed by default on 12.4
    "interface FastEthernet0/0",  # the 2801's onboard ports exist whatever the file says
    "interface FastEthernet0/1",
    "interface * > no ip address",  # an interface without an address prints it
    "interface * > duplex auto",  # Ethernet defaults printed by 12.4
    "interface * > speed auto",
    # 12.4 adds `log-adjacency-changes` to every OSPF process and prints it; the 15.x
    # captures (oxidized's 2901 and 881) are silent about it (docs/simulator-grammar.md)
    "router ospf * > log-adjacency-changes",
)
# Default-state lines some releases print and the simulated 12.4(25d) leaves silent: the
# 12.4 captures disagree (the 2811 feup and 7200 tin print `ip source-route`, the two
# 3725s and every 15.x capture do not), so a capture may have them or not.
SILENT_DEFAULTS: tuple[str, ...] = ("ip source-route",)
_SKIP = ("Building configuration", "Current configuration", "Using ")


def paths(text: str) -> Counter[str]:
    """Each command as `parent > child` (volatile header, `!` and `end` left out)."""
    out: Counter[str] = Counter()
    stack: list[tuple[int, str]] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        words = " ".join(line.split())
        if not words or words.startswith("!") or words == "end" or words.startswith(_SKIP):
            continue
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        out[" > ".join([*(t for _, t in stack), words])] += 1
        stack.append((indent, words))
    return out


def _like(path: str, pattern: str) -> bool:
    from fnmatch import fnmatchcase

    return fnmatchcase(path, pattern)


def _rewritten(path: str) -> str:
    for old, new, _why in REWRITES:
        if _like(path, old) and new is not None:
            if new.endswith("*"):
                return new[:-1] + path.split()[-1]
            return new
    return path


def boot(text: str) -> Router:
    return Router(RouterSpec("R", "netops", "pw", initial_config=text))


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_a_real_config_loads_with_no_line_lost_or_moved(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    router = boot(text)
    before = Counter(_rewritten(p) for p in paths(text).elements() if p not in SILENT_DEFAULTS)
    after = paths(router.running_text())
    lost = before - after
    assert not lost, f"{path.name}: lines lost or moved: {sorted(lost)[:10]}"
    extra = [p for p in (after - before) if not any(_like(p, d) for d in DEFAULTS)]
    assert not extra, f"{path.name}: lines that were not in the file: {extra[:10]}"


def _followed(text: str, held: set[str]) -> list[tuple[str, str]]:
    """(held global line, the known global line before it in `text`)."""
    out: list[tuple[str, str]] = []
    prev = ""
    for line in text.splitlines():
        words = " ".join(line.split())
        if not words or line[0] == " " or words.startswith(("!", *_SKIP)) or words == "end":
            continue
        if line.rstrip() in held:
            if prev:
                out.append((line.rstrip(), prev))
        elif words not in SILENT_DEFAULTS:  # not printed: a held line follows the one before
            prev = _rewritten(words)
    return out


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_held_global_lines_print_in_place(path: Path) -> None:
    # A held global line prints after the line it followed in the file (only `!`,
    # that line's children and other held lines between them).
    text = path.read_text(encoding="utf-8")
    router = boot(text)
    held = {h for h in router.held_lines if " > " not in h}
    assert router.held_count == len(router.held_lines)
    shown = router.running_text().splitlines()
    for line, prev in _followed(text, held):
        n = shown.index(line) - 1
        while n > 0 and (shown[n][:1] in (" ", "!") or shown[n] in held):
            n -= 1
        assert " ".join(shown[n].split()) == prev, f"{path.name}: {line!r} not after {prev!r}"


LOADED = """hostname X1
interface Serial0/0/9
 ip address 192.0.2.1 255.255.255.252
 frobnicate deeply
  nested child
interface FastEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 widget on
line 33 48
 no exec
line con 0
 exec-timeout 5 0
"""


def test_an_unknown_header_keeps_its_children() -> None:
    router = boot(LOADED)
    out = router.running_text()
    assert "interface Serial0/0/9\n ip address 192.0.2.1 255.255.255.252\n" in out
    assert " frobnicate deeply\n  nested child\n" in out
    assert "line 33 48\n no exec\n" in out
    # the previous section did not get them
    fa = out[out.index("interface FastEthernet0/0") :]
    assert fa.index(" ip address 10.0.0.1") < fa.index(" widget on") < fa.index("!")
    assert "line con 0\n exec-timeout 5 0\n" in out
    assert router.held_lines[:2] == [
        "interface Serial0/0/9",
        "interface Serial0/0/9 > ip address 192.0.2.1 255.255.255.252",
    ]


@pytest.mark.parametrize(
    ("no_line", "gone", "kept"),
    [
        ("no interface Serial0/0/9", "interface Serial0/0/9", "line 33 48"),
        ("no line 33 48", "line 33 48", "interface Serial0/0/9"),
    ],
    ids=["interface", "line"],
)
def test_no_removes_a_held_header_with_its_children(no_line: str, gone: str, kept: str) -> None:
    cfg = Config()
    load_text(cfg, LOADED)
    _, outputs = typed([no_line], cfg)
    assert outputs == [""]
    text = body(cfg)
    assert gone not in text
    assert kept in text


def test_no_removes_a_held_child_in_its_block() -> None:
    cfg = Config()
    load_text(cfg, LOADED)
    _, outputs = typed(["interface FastEthernet0/0", "no widget on"], cfg)
    assert outputs == ["", ""]
    assert "widget" not in body(cfg)


def test_refused_lines_are_the_errors_not_held() -> None:
    text = LOADED + "interface Loopback1\n ip address 10.0.0.2 255.255.255.0\n"
    router = boot(text)
    assert any(e.startswith("widget on: %") for e in router.load_errors)
    assert router.refused_lines == [
        e for e in router.load_errors if e.startswith("ip address 10.0.0.2")
    ]
    assert len(router.refused_lines) == 1  # the subnet of FastEthernet0/0: refused, not held


def test_a_held_line_survives_save_and_reload() -> None:
    router = boot(LOADED)
    router.save("netops")
    router.reload_now()
    assert "line 33 48\n no exec\n" in router.running_text()
    assert router.held_count == len(router.running.held()) > 0


def test_a_flat_text_keeps_an_unknown_line_in_the_open_block() -> None:
    cfg = Config()
    load_text(cfg, "interface Loopback1\nwidget on\nip address 192.0.2.1 255.255.255.0\n")
    assert "interface Loopback1\n ip address 192.0.2.1 255.255.255.0\n widget on\n" in body(cfg)


def test_a_clone_keeps_held_lines_and_commands() -> None:
    cfg = Config()
    load_text(cfg, LOADED + "no ip domain lookup\n")
    copy = cfg.clone()
    assert copy.held() == cfg.held()
    assert body(copy) == body(cfg)
    assert copy.remove_held(["line", "33", "48"], copy.root)
    assert "line 33 48" not in body(copy) and "line 33 48" in body(cfg)
    typed(["ip domain lookup"], copy)  # a toggle found by its command after the copy
    assert "no ip domain lookup" not in body(copy)


def test_a_rollback_brings_held_lines_back() -> None:
    router = boot(LOADED)
    before = body(router.running)
    router.arm_rollback(5, router.running.clone())
    router.set_running("hostname X1\n")
    assert router.held_count == 0
    assert router.expire_rollback_timer()
    assert body(router.running) == before
    assert router.held_count > 0


# ---- typed input -------------------------------------------------------------------------


def shell() -> Shell:
    sh = Shell(Router(RouterSpec("R1", "netops", "pw")), "netops")
    sh.feed("terminal length 0\n")
    return sh


def say(sh: Shell, text: str) -> str:
    return "".join(t for t, answer in sh.feed(text) if answer)


@pytest.mark.parametrize(
    "lines",
    [["!"], ["! a comment"], ["interface Loopback1", "  ! indented comment"], ["!!!"]],
    ids=["bang", "comment", "indented", "bangs"],
)
def test_a_bang_line_is_a_comment(lines: list[str]) -> None:
    cfg, outputs = typed(lines)
    assert outputs == [""] * len(lines)
    assert body(cfg) == body(typed([ln for ln in lines if "!" not in ln])[0])


def test_comment_keeps_the_mode() -> None:
    sh = shell()
    say(sh, "configure terminal\n")
    assert say(sh, "interface Loopback1\n").endswith("R1(config-if)#")
    assert say(sh, "! note\n") == "R1(config-if)#"


def test_a_comment_is_no_configuration_change() -> None:
    sh = shell()
    say(sh, "configure terminal\n")
    for line in ("!", "! note", "interface Loopback1", "  ! indented"):
        say(sh, line + "\n")
    changed = sh.r.last_change
    assert changed is not None  # `interface Loopback1` made the block
    sh.r.last_change = None
    for line in ("!", "! another note", "!!!"):
        say(sh, line + "\n")
    assert sh.r.last_change is None
    assert "Last configuration change" not in sh.r.running_text()
    say(sh, "description now\n")
    assert sh.r.last_change is not None


def test_a_refused_header_keeps_the_mode_and_its_children_are_tried_there() -> None:
    sh = shell()
    say(sh, "configure terminal\n")
    say(sh, "interface Loopback1\n")
    out = say(sh, "interface Serial0/0/9\n")
    assert "% Invalid input" in out and out.endswith("R1(config-if)#")
    # the child lands in the block still open, as on IOS
    assert say(sh, "ip address 192.0.2.1 255.255.255.0\n") == "R1(config-if)#"
    assert say(sh, "exit\n") == "R1(config)#"
    assert say(sh, "interface Serial0/0/9\n").endswith("R1(config)#")
    assert say(sh, "exit\n").endswith("R1#")  # exit at (config) leaves config mode
    say(sh, "end\n")
    assert "interface Loopback1\n ip address 192.0.2.1 255.255.255.0" in sh.r.running_text()


@pytest.mark.parametrize(
    ("lines", "prompt"),
    [
        (["interface Loopback1", "end"], "R1#"),
        (["interface Loopback1", "exit"], "R1(config)#"),
        (["line vty 0 15", "exit", "exit"], "R1#"),
        (["router ospf 1", "end"], "R1#"),
    ],
    ids=["end-from-if", "exit-from-if", "exit-twice", "end-from-router"],
)
def test_end_and_exit(lines: list[str], prompt: str) -> None:
    sh = shell()
    say(sh, "configure terminal\n")
    out = ""
    for line in lines:
        out = say(sh, line + "\n")
    assert out.endswith(prompt)


# ---- line ranges ---------------------------------------------------------------------------


def vty_blocks(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith("line vty")]


@pytest.mark.parametrize(
    ("lines", "printed"),
    [
        (["line vty 0 15", "transport input ssh"], ["line vty 0 4", "line vty 5 15"]),
        (["line vty 0 4", "transport input ssh"], ["line vty 0 4"]),
        (["line vty 0 2", "transport input ssh"], ["line vty 0 2", "line vty 3 4"]),
        (["line vty 3", "exec-timeout 5 0"], ["line vty 0 2", "line vty 3", "line vty 4"]),
        (
            ["line vty 0 2", "transport input ssh", "line vty 3 4", "transport input ssh"],
            ["line vty 0 4"],
        ),
        (["line vty 5 15", "login"], ["line vty 0 4", "line vty 5 15"]),
    ],
    ids=["0-15", "0-4", "split", "middle", "merged-back", "5-15"],
)
def test_vty_ranges_print_as_ios(lines: list[str], printed: list[str]) -> None:
    cfg, outputs = typed(lines)
    assert outputs == [""] * len(lines)
    assert vty_blocks(body(cfg)) == printed


@pytest.mark.parametrize(
    ("no_line", "answer", "printed"),
    [
        ("no line vty 5 15", "", ["line vty 0 4"]),
        ("no line vty 10 15", "", ["line vty 0 4", "line vty 5 9"]),
        ("no line vty 0 4", "%Can't delete last 5 VTY lines\n", ["line vty 0 4", "line vty 5 15"]),
        ("no line vty 0 15", "%Can't delete last 5 VTY lines\n", ["line vty 0 4"]),
    ],
    ids=["5-15", "10-15", "0-4-kept", "0-15-keeps-0-4"],
)
def test_no_line_vty_deletes_the_lines_above_the_first_five(
    no_line: str, answer: str, printed: list[str]
) -> None:
    cfg, outputs = typed(["line vty 0 15", "login local", "exit", no_line])
    assert outputs[-1] == answer
    text = body(cfg)
    assert vty_blocks(text) == printed
    assert all(block(text, head)[1:] == [" login local"] for head in printed)
    # the lines gone took their settings with them: typed again, they start bare
    gone = [int(w) for w in no_line.split()[3:]]
    first = max(gone[0], 5)
    if first <= gone[-1]:
        typed([f"line vty {first} 15", "exec-timeout 5 0"], cfg)
        assert block(body(cfg), f"line vty {first} 15")[1:] == [" exec-timeout 5 0"]


def test_line_vty_0_15_children_go_to_every_range() -> None:
    cfg, _ = typed(["line vty 0 15", "transport input ssh", "login local"])
    text = body(cfg)
    assert "line vty 0 4\n login local\n transport input ssh\nline vty 5 15\n login local\n" in text


def test_a_loaded_0_15_is_held_as_0_4_and_5_15() -> None:
    cfg = Config()
    assert load_text(cfg, "line vty 0 15\n transport input telnet\n") == []
    assert vty_blocks(body(cfg)) == ["line vty 0 4", "line vty 5 15"]
    assert set(cfg.vty_transports()) == set(range(16))


@pytest.mark.parametrize(
    ("lines", "ssh", "telnet"),
    [
        ([], True, True),  # no `transport input`: all (12.4's vty default)
        (["line vty 0 4", "transport input telnet"], False, True),
        (["line vty 0 15", "transport input telnet"], False, True),
        (["line vty 0 4", "transport input none"], False, False),
        (["line vty 0 4", "transport input ssh"], True, False),
        (["line vty 0 4", "transport input telnet ssh"], True, True),
        (["line vty 0 4", "transport input all"], True, True),
        (
            ["line vty 0 4", "transport input telnet", "line vty 5 15", "transport input ssh"],
            True,
            True,
        ),
    ],
    ids=["default", "telnet", "telnet-0-15", "none", "ssh", "both", "all", "5-15-ssh"],
)
def test_vty_transports(lines: list[str], ssh: bool, telnet: bool) -> None:
    cfg, _ = typed(lines)
    assert cfg.vty_allows("ssh") is ssh
    assert cfg.vty_allows("telnet") is telnet


def test_vty_transports_per_line() -> None:
    cfg, _ = typed(["line vty 0 1", "transport input ssh", "line vty 2 4", "transport input none"])
    got = cfg.vty_transports()
    assert got[0] == got[1] == frozenset({"ssh"})
    assert got[2] == got[4] == frozenset()
    assert 5 not in got  # a 2801 has vty 5-15 only once configured
