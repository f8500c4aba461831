"""Issue 11 item 5 on the real configs: each block `no`-ed and typed again, and the lines
the grammar covers typed into a bare router.

For every file of tests/realconfigs, loaded as a router holds it (`--initial`):

* `no <header>` of a top-level block the grammar knows removes that block and nothing
  else; typing the block again (as show running-config printed it) restores the same
  show running-config. IOS's own exceptions (docs/simulator-grammar.md, Round trips):
  a physical port (`% Removal of physical interfaces is not permitted`), vty 0-4
  (`%Can't delete last 5 VTY lines`), the console, aux and control-plane (kept), and
  the kinds IOS keeps in the order they were made (class-map, policy-map: typed again,
  the block prints after the others of its kind).
* The lines the grammar covers (all but the held ones) type into a bare router with no
  answer but a banner's "Enter TEXT message" and print back as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sim_helpers import body, typed

from iosgen.sim.config import Config
from iosgen.sim.facts import PHYSICAL_NOT_REMOVABLE, VTY_LAST_FIVE
from iosgen.sim.router import Router, RouterSpec

REAL = sorted((Path(__file__).parents[1] / "realconfigs").glob("*.cfg"))
IDS = [p.name for p in REAL]

# Blocks `no` leaves in place, and IOS's answer (None: IOS says nothing).
KEPT: tuple[tuple[str, str | None], ...] = (
    ("line con 0", None),
    ("line aux 0", None),
    ("line vty 0 4", VTY_LAST_FIVE),
    ("control-plane", None),
)
# Sections whose blocks print in the order they were made (cbac lines 150-157:
# IP_PREC_MEDIUM before IP_PREC_HIGH): one typed again comes after the others.
MADE_ORDER = ("class-map ", "policy-map ")


@dataclass(frozen=True)
class Block:
    lines: list[str]  # the header and its children as printed
    start: int  # index of the header in the printed body
    held: bool  # holds a line the grammar does not know (loaded, not typable)

    @property
    def header(self) -> str:
        return self.lines[0]


def boot(path: Path) -> Router:
    return Router(RouterSpec("R", "netops", "pw", initial_config=path.read_text("utf-8")))


def printed_paths(text: str) -> list[tuple[str, str]]:
    """(line, parent > line path) for each printed line, in order."""
    out: list[tuple[str, str]] = []
    stack: list[tuple[int, str]] = []
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        out.append((line, " > ".join([*(t for _, t in stack), line.strip()])))
        if line.strip() and line.strip() != "!":
            stack.append((indent, line.strip()))
    return out


def blocks(router: Router) -> list[Block]:
    """The top-level blocks the grammar knows (a held header is not one), banners aside."""
    text = body(router.running)
    held = set(router.held_lines)
    lines = text.splitlines()
    paths = printed_paths(text)
    out = []
    for i, line in enumerate(lines):
        if not line or line[0] in " !" or line.startswith("banner ") or line in held:
            continue
        end = i + 1
        while end < len(lines) and lines[end].startswith(" "):
            end += 1
        if end > i + 1:
            inner = any(paths[n][1] in held for n in range(i + 1, end))
            out.append(Block(lines[i:end], i, inner))
    return out


def without_bangs(text: str) -> list[str]:
    return [line for line in text.splitlines() if line != "!"]


def moved_last(text: str, block: Block) -> list[str]:
    """`text`'s lines, `!` aside, with `block` after the last block of its kind."""
    lines = without_bangs(text)
    at = lines.index(block.header)
    rest = lines[:at] + lines[at + len(block.lines) :]
    kind = block.header.split()[0] + " "
    last = max(i for i, line in enumerate(rest) if line.startswith(kind))
    while rest[last + 1].startswith(" "):
        last += 1
    return rest[: last + 1] + block.lines + rest[last + 1 :]


@pytest.mark.parametrize("path", REAL, ids=IDS)
def test_no_block_removes_it_and_typing_it_again_restores_it(path: Path) -> None:
    router = boot(path)
    before = body(router.running)
    found = blocks(router)
    assert found, f"{path.name}: no block the grammar knows"
    for block in found:
        cfg = router.running.clone()
        _, answer = typed(["no " + block.header], cfg)
        after = body(cfg)
        kept = dict(KEPT)
        if block.header.startswith("interface ") and block.header in _physical(cfg):
            assert answer == [PHYSICAL_NOT_REMOVABLE + "\n"], block.header
            assert after == before, f"{path.name}: no {block.header} changed the config"
            continue
        if block.header in kept:
            message = kept[block.header]
            assert answer == [message + "\n" if message else ""], block.header
            assert after == before, f"{path.name}: no {block.header} changed the config"
            continue
        assert answer == [""], f"{path.name}: no {block.header}: {answer}"
        gone = without_bangs(before)
        top = gone.index(block.header)
        del gone[top : top + len(block.lines)]
        assert without_bangs(after) == gone, f"{path.name}: no {block.header} changed more"
        if block.held:
            continue  # its held lines were loaded, not typed: they cannot be typed back
        _, answers = typed(block.lines, cfg)
        assert not any(answers), f"{path.name}: typing {block.header} again: {answers}"
        again = body(cfg)
        if block.header.startswith(MADE_ORDER):
            assert without_bangs(again) == moved_last(before, block), block.header
        else:
            assert again == before, f"{path.name}: {block.header} typed again is not as it was"


def _physical(cfg: Config) -> set[str]:
    return {f"interface {port}" for port in cfg.hw.ports}


@pytest.mark.parametrize("path", REAL, ids=IDS)
def test_the_lines_the_grammar_covers_type_into_a_bare_router(path: Path) -> None:
    router = boot(path)
    text = body(router.running)
    held = set(router.held_lines)
    known = [
        line
        for line, where in printed_paths(text)
        if not any(where == h or where.startswith(h + " > ") for h in held)
    ]
    bare = Config(router.running.hw)
    _, answers = typed(known, bare)
    refused = [(line, a) for line, a in zip(known, answers, strict=True) if a]
    refused = [(line, a) for line, a in refused if not a.startswith("Enter TEXT message")]
    assert not refused, f"{path.name}: {refused[:5]}"
    assert without_bangs(body(bare)) == without_bangs("\n".join(known) + "\n")
