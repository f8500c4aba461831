"""Configuration mode: one line at a time, with IOS's mode stack and fall-through.

Used by the interactive CLI and to load a config text (initial config, `copy
flash: running-config`, `configure replace`): a file is simply typed in, as IOS
does, so indentation is not needed and a sub-mode command unknown in the current
mode is tried in the parent modes (`initiate-to ip ...` after `rotary-group 2`
falls back from `(config-vpdn-req-in)` to `(config-vpdn)`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from iosgen.sim.commands import grammar
from iosgen.sim.config import Config, Line
from iosgen.sim.facts import (
    AMBIGUOUS,
    BANNER_ENTER,
    CRYPTO_MAP_NOTE,
    CRYPTO_MAP_NOTE_ON,
    INCOMPLETE,
    INVALID_INPUT,
    MODE_PARENT,
    NAT_CANNOT_CHANGE,
    RSA_KEYS,
)
from iosgen.sim.grammar import Cmd, Failure, Match, on_hardware
from iosgen.sim.images import DH14, VTI, has_crypto, image_has, strong_crypto

# The global crypto commands a non-k9 image lacks (the caret goes under the second word)
_CRYPTO_FAMILIES = frozenset({"isakmp", "ipsec", "map", "dynamic-map"})
_TUNNEL_ACTIONS = frozenset({"tunnel_if", "tunnel_mode", "tunnel_protection"})


# What a k8 (DES-only) image lacks: strong ciphers, for IKE and for ESP
_STRONG = frozenset({"3des", "aes", "esp-3des", "esp-aes"})
_DH14 = frozenset({"14", "15", "16", "group14", "group15", "group16"})


def _cipher_or_group(words: list[str], mode: str) -> int | None:
    """Where a line names a cipher or a DH group (the word an image may lack)."""
    if mode == "config-isakmp" and words[:1] in (["encr"], ["group"]) and len(words) > 1:
        return 1
    if mode in ("config-crypto-map", "ipsec-profile") and words[:2] == ["set", "pfs"]:
        return 2 if len(words) > 2 else None
    if mode == "config" and words[:3] == ["crypto", "ipsec", "transform-set"]:
        return next((n for n, w in enumerate(words) if n > 3 and w in _STRONG), None)
    return None


def _image_refuses(config: Config, m: Match, stack: list[Line]) -> int | None:
    """The word IOS puts its caret under when this router cannot take the line (its
    image has no crypto, no strong crypto, no IPsec VTI or no DH group 14, or the
    interface is no tunnel); None: it can."""
    words = m.words
    crypto = has_crypto(config.feature_set)
    action = m.cmd.action or ""
    at = _cipher_or_group(words, m.cmd.mode)
    if at is not None:
        weak = not strong_crypto(config.feature_set) and words[at] in _STRONG
        if weak or (words[at] in _DH14 and not image_has(config.image, DH14)):
            return at
    if m.cmd.mode == "config" and words[:1] == ["crypto"] and len(words) > 1:
        return None if crypto or words[1] not in _CRYPTO_FAMILIES else 1
    if m.cmd.mode in ("config-if", "config-subif"):
        if words[:2] == ["crypto", "map"] and not crypto:
            return 0
        if action in _TUNNEL_ACTIONS:
            here = stack[-1].words[1] if stack and len(stack[-1].words) > 1 else ""
            if not here.startswith("Tunnel"):
                return 0  # `tunnel ...` exists under a Tunnel interface only
            if action == "tunnel_protection" and not crypto:
                return 1
            ipsec = action == "tunnel_mode" and words[2:3] == ["ipsec"]
            if ipsec and not (crypto and image_has(config.image, VTI)):
                return 2
    return None


def mode_depth(mode: str) -> int:
    depth = 0
    while mode in MODE_PARENT:
        mode = MODE_PARENT[mode]
        depth += 1
    return depth


def error_text(failure: Failure, line: str, prompt: str) -> str:
    """The IOS error for a line typed after `prompt` (the echo is already on screen)."""
    if failure.kind == "ambiguous":
        return AMBIGUOUS.format(line=line) + "\n"
    if failure.kind == "incomplete":
        return INCOMPLETE + "\n\n"
    return " " * (len(prompt) + failure.pos) + "^\n" + INVALID_INPUT + "\n\n"


@dataclass
class LineResult:
    """What one config-mode line produced."""

    output: str = ""
    exit_config: bool = False
    do: str | None = None  # an exec command to run (`do ...`), with its offset
    do_offset: int = 0
    nat_removal: Match | None = None  # a `no ip nat inside source` waiting for the dialog
    error: bool = False
    unknown: bool = False  # the grammar knows it in no mode (a loaded config holds it)
    cmd: Cmd | None = None  # the command the line was
    comment: bool = False  # a `!` line: no change (IOS keeps "Last configuration change")


class ConfigMode:
    """The state of a configuration session: mode, open blocks, banner being typed."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.mode = "config"
        self.stack: list[Line] = []
        self._banner: tuple[str, str, list[str]] | None = None  # kind, delimiter, lines
        self.nat_guard: Callable[[Match], bool] | None = None
        self.nat_changes: Callable[[Match], bool] | None = None

    @property
    def in_banner(self) -> bool:
        return self._banner is not None

    def feed(self, line: str, prompt: str) -> LineResult:
        with on_hardware(self.config.hw):
            return self._feed(line, prompt)

    def _feed(self, line: str, prompt: str) -> LineResult:
        if self._banner is not None:
            return self._banner_line(line)
        stripped = line.strip()
        if not stripped or stripped.startswith("!"):
            # IOS: a line starting with `!` is a comment, in any config mode (facts below)
            return LineResult(comment=bool(stripped))
        chain = [self.mode]
        while chain[-1] in MODE_PARENT:
            chain.append(MODE_PARENT[chain[-1]])
        failures: list[Failure] = []
        g = grammar()
        for mode in chain:
            r = g.parse(mode, line)
            if r is None:
                return LineResult()
            if isinstance(r, Match):
                at = _image_refuses(self.config, r, self.stack if mode == self.mode else [])
                if at is not None:
                    # a command this image or this interface lacks: IOS's caret under it
                    bad = Failure("invalid", r.starts[at] if at < len(r.starts) else 0)
                    return LineResult(output=error_text(bad, line, prompt), error=True)
                if mode != self.mode:
                    self.mode = mode
                    self.stack = self.stack[: mode_depth(mode)]
                result = self._run(r, line)
                result.cmd = r.cmd
                return result
            failures.append(r)
        words = stripped.split()
        if words[0] == "no" and len(words) > 1:
            container = _children(self.stack[-1]) if self.stack else self.config.root
            if self.config.remove_held(words[1:], container):
                return LineResult()
        best = failures[0]
        for f in failures[1:]:
            if f.pos > best.pos and best.kind == "invalid":
                best = f
        return LineResult(output=error_text(best, line, prompt), error=True, unknown=True)

    def _run(self, m: Match, line: str) -> LineResult:
        action = m.cmd.action
        if action == "end":
            self.mode, self.stack = "config", []
            return LineResult(exit_config=True)
        if action == "exit":
            if self.mode == "config":
                return LineResult(exit_config=True)
            self.mode = MODE_PARENT[self.mode]
            self.stack = self.stack[: mode_depth(self.mode)]
            return LineResult()
        if action == "alias" and m.cmd.alias:
            # `ip domain-name x` is `ip domain name x`: same command, printed the new way
            words = m.cmd.alias.split() + m.words[m.cmd.no_min :]
            again = grammar().parse(self.mode, ("no " if m.negated else "") + " ".join(words))
            if isinstance(again, Match):
                return self._run(again, line)
            return LineResult()
        if action == "nacl_seq":
            return self._numbered_entry(m)
        if action == "crypto_key":
            return self._crypto_key(m)
        if action == "do":
            offset = m.starts[1] if len(m.starts) > 1 else len(line)
            return LineResult(do=m.words[1], do_offset=offset)
        if action == "banner":
            if m.negated:
                self.config.remove_banner(m.words[1])
                return LineResult()
            return self._banner_start(m.words[1], m.words[2])
        if action == "nat" and m.negated and self.nat_guard and self.nat_guard(m):
            return LineResult(nat_removal=m)
        if action == "nat" and not m.negated and self.nat_changes and self.nat_changes(m):
            return LineResult(output=NAT_CANNOT_CHANGE + "\n", error=True)
        new_map = (
            CRYPTO_MAP_NOTE_ON
            and action == "crypto_map"
            and not m.negated
            and self._new_isakmp_map(m)
        )
        out = self.config.apply(m, self.stack)
        if out.stack is not None and out.mode is not None:
            self.stack, self.mode = out.stack, out.mode
        if new_map:  # a warning, not a refusal: the entry is made
            return LineResult(output=CRYPTO_MAP_NOTE + "\n")
        # a message from the config is a refusal (`% ... overlaps with ...`): not stored
        return LineResult(output=out.message + "\n" if out.message else "", error=bool(out.message))

    def _new_isakmp_map(self, m: Match) -> bool:
        """`crypto map M N [ipsec-isakmp]` for an entry M N that does not exist yet."""
        if "ipsec-manual" in m.words:
            return False
        return not any(
            ln.words[:4] == m.words[:4] and ln.children is not None for ln in self.config.root
        )

    def _numbered_entry(self, m: Match) -> LineResult:
        """`15 permit ...` in a named list: the entry placed by its number; `no 15`
        deletes entry 15 whatever follows the number."""
        number = int(m.words[0])
        if m.negated:
            self.config.remove_entry(number, self.stack)
            return LineResult()
        entry = grammar().parse(self.mode, " ".join(m.words[1:]))
        if not isinstance(entry, Match):
            return LineResult()
        out = self.config.apply(entry, self.stack, number)
        return LineResult(output=out.message + "\n" if out.message else "", error=bool(out.message))

    def _crypto_key(self, m: Match) -> LineResult:
        # The key lives outside the config (private-config): nothing is stored.
        bits = m.words[m.words.index("modulus") + 1] if "modulus" in m.words else "512"
        host = self.config.hostname
        domain = self.config.value("ip", "domain", "name")
        name = f"{host}.{domain.words[3]}" if domain else host
        return LineResult(output=RSA_KEYS.format(name=name, bits=bits) + "\n")

    def apply(self, m: Match) -> None:
        self.config.apply(m, self.stack)

    # ---- banners: `banner motd #` then lines until `#` -----------------------------------
    def _banner_start(self, kind: str, arg: str) -> LineResult:
        delim = "^C" if arg.startswith("^C") else arg[0]
        rest = arg[len(delim) :]
        if delim in rest:
            self.config.set_banner(kind, rest[: rest.index(delim)])
            return LineResult()
        self._banner = (kind, delim, [rest])
        return LineResult(output=BANNER_ENTER.format(delim=delim) + "\n")

    def _banner_line(self, line: str) -> LineResult:
        assert self._banner is not None
        kind, delim, lines = self._banner
        if delim in line:
            lines.append(line[: line.index(delim)])
            self.config.set_banner(kind, "\n".join(lines))
            self._banner = None
        else:
            lines.append(line)
        return LineResult()


# Lines of a saved or captured config that are not commands: skipped when loading.
# "Building configuration..." / "Current configuration : 1234 bytes" (show running-config),
# "Using 1234 out of 196600 bytes" (show startup-config).
_NOT_COMMANDS = ("Building configuration", "Current configuration", "Using ")


class _Loader:
    """Loads a config text as the router holds it (boot, `copy`, `configure replace`).

    Lines are typed in (so fall-through to parent modes works as IOS's), but a line the
    grammar does not know is held verbatim, and the lines indented below it are its
    children, not tried in the section before it.
    """

    def __init__(self, config: Config, indented: bool = True) -> None:
        self.config = config
        self.indented = indented  # False: a flat text, where the margin tells nothing
        self.session = ConfigMode(config)
        self.errors: list[str] = []
        self.open: list[tuple[int, Line]] = []  # held lines taking children: (indent, line)
        self.anchor: Line | Cmd | None = None  # the global line the next held one follows

    def line(self, raw: str) -> None:
        line = raw.rstrip()
        session = self.session
        if session.in_banner:
            session.feed(line, "")
            return
        stripped = line.strip()
        if not stripped or stripped.startswith("!") or stripped == "end":
            return
        if stripped.startswith(_NOT_COMMANDS):
            return
        indent = len(line) - len(line.lstrip())
        while self.open and self.open[-1][0] >= indent:
            self.open.pop()
        if self.open:  # a child of a held line: held with it
            child = self.config.hold(stripped, _children(self.open[-1][1]), None)
            self.open.append((indent, child))
            return
        root = self.config.root
        before = {id(ln) for ln in root}
        result = session.feed(line, "")
        if result.unknown:
            self._hold(stripped, indent)
            self.errors.append(f"{stripped}: {result.output.strip().splitlines()[-1]}")
            return
        if result.error:
            self.errors.append(f"{stripped}: {result.output.strip().splitlines()[-1]}")
        if result.exit_config:
            session.mode, session.stack = "config", []
        if session.stack:
            top = session.stack[0]
            self.anchor = top.group[-1] if top.group else top
        else:  # the global line it made or replaced (in place: `hostname X`)
            made = [ln for ln in root if id(ln) not in before]
            if made:
                self.anchor = made[0]  # `aaa new-model`, not the session-id it brings
            elif result.cmd is not None and result.cmd.kind in ("toggle", "noop"):
                self.anchor = result.cmd  # printed by default, not stored: `ip cef`

    def _hold(self, text: str, indent: int) -> None:
        session = self.session
        if (indent == 0 and self.indented) or not session.stack:
            # a global line: its own section; the mode goes back to global config
            held = self.config.hold(text, self.config.root, self.anchor)
            self.anchor = held
            session.mode, session.stack = "config", []
        else:
            top = session.stack[-1]
            group = top.group if top.group is not None else [top]
            held = self.config.hold(text, _children(group[0]), None)
            for other in group[1:]:  # a range typed as `line vty 0 15`: each block has it
                self.config.hold(text, _children(other), None)
        self.open.append((indent, held))


def _children(block: Line) -> list[Line]:
    assert block.children is not None
    return block.children


def load_text(config: Config, text: str) -> list[str]:
    """Load a config text into `config` (boot, `copy flash:X running-config`, replace).

    Returns the lines IOS refused, each with its error: a line the grammar does not
    know is among them, and is also held verbatim (`Config.held()`). Header lines of
    `show running-config` / `show startup-config` and `!` comments are skipped.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    # A text with no indented line (a flattened paste): an unknown line stays in the
    # block open before it, as typed.
    loader = _Loader(config, any(ln[:1] == " " and ln.strip() for ln in lines))
    for raw in lines:
        loader.line(raw)
    return loader.errors
