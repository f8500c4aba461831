"""One CLI session on a simulated router: characters in, IOS's answers out.

Pure logic, no I/O: the SSH layer feeds what the client typed and writes back what
`feed` returns. Every character is echoed as typed; after Enter the whole answer
and the next prompt come back as one piece, which is what netmiko's reads expect
(ios-reference §5). Output uses "\\n"; the SSH layer sends CRLF.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from iosgen.sim import facts, ipsec, ping, show, tunnels
from iosgen.sim.commands import grammar
from iosgen.sim.configmode import ConfigMode, error_text, load_text
from iosgen.sim.grammar import (
    Cmd,
    Failure,
    Match,
    Tok,
    canonical_ip,
    interface_type,
    on_hardware,
    tokenize,
)
from iosgen.sim.hardware import image_file
from iosgen.sim.images import REPLACE, REVERT, has_crypto, image_has
from iosgen.sim.router import Router

_PIPES = ("begin", "count", "exclude", "include", "section")
# The operational commands (iosgen/sim/show.py, ping.py): keywords with the shortest
# abbreviation IOS 12.4 takes for each (`sh int`, `sh ip ro`: "sh in" is ambiguous with
# `show inventory`, "sh ip r" with `show ip rip`), the handler and the lowest level.
_MORE = " --More-- "


class Shell:
    """A logged-in user's CLI: exec levels, configuration mode, dialogues."""

    def __init__(self, router: Router, username: str) -> None:
        self.r = router
        self.user = username
        self.level = router.privilege(username)
        self.cfg: ConfigMode | None = None
        self.buf: list[str] = []
        self.prev_cr = False
        self.pending: Callable[[str], str] | None = None
        self.echo = True
        self.closed = False
        self.reload_requested = False
        self.dropped = False
        self.config_lines = 0
        self.pw_tries = 0
        self.length = 24  # `terminal length`: 0 = no paging (what netmiko sets first)
        self.monitor = False  # `terminal monitor`: syslog messages reach this session
        self.more: list[str] = []  # output lines held back behind ` --More-- `
        self.syslog: list[str] = []  # messages the SSH layer prints a moment later
        self._where = ("", 0, "")  # prompt, offset and line of the exec command running

    # ---- prompt ------------------------------------------------------------------------
    def prompt(self) -> str:
        host = self.r.hostname
        if self.cfg is not None:
            return host + facts.MODE_PROMPTS[self.cfg.mode]
        return host + ("#" if self.level >= 15 else ">")

    def greeting(self) -> str:
        banner = self.r.running.value("banner", "motd")
        text = ""
        if banner is not None:
            text = banner.words[2][2:-2] + "\n"
        command = self.r.autocommand(self.user)
        if command is not None:
            # The user's autocommand runs before any prompt; when it completes the
            # router hangs up (no `nohangup`): such an account never gets a CLI.
            with self.r.lock:
                text += self._exec_line(command, self.level, 0, self.prompt())
            self.closed = True
            return text
        return text + "\n" + self.prompt()

    # ---- input ---------------------------------------------------------------------------
    def feed(self, data: str) -> list[tuple[str, bool]]:
        """Process typed characters; returns (text, is_answer) chunks in order."""
        out: list[tuple[str, bool]] = []
        echo: list[str] = []
        for ch in data:
            if self.closed:
                break
            if ch == "\n" and self.prev_cr:
                self.prev_cr = False
                continue
            self.prev_cr = ch == "\r"
            if self.more:
                out.append((self._page(ch), True))
                continue
            if ch in "\r\n":
                echo.append("\n")
                out.append(("".join(echo), False))
                echo = []
                line = "".join(self.buf)
                self.buf = []
                out.append((self._enter(line), True))
            elif ch == "\x1a":  # Ctrl-Z: leave configuration mode
                echo.append("^Z\n")
                out.append(("".join(echo), False))
                echo = []
                self.buf = []
                if self.cfg is not None and self.pending is None:
                    self.cfg = None
                    self._config_done()
                out.append((self.prompt(), True))
            elif ch in "\x08\x7f":
                if self.buf:
                    self.buf.pop()
                    if self.echo:
                        echo.append("\b \b")
            elif ch >= " " or ch == "\t":
                self.buf.append(ch)
                if self.echo:
                    echo.append(ch)
        if echo:
            out.append(("".join(echo), False))
        return out

    def _enter(self, line: str) -> str:
        if self.pending is not None:
            fn = self.pending
            self.pending = None
            self.echo = True
            text = fn(line)
            if self.pending is None and not self.closed:
                text += self.prompt()
            return text
        was_config = self.cfg is not None
        if self.cfg is not None:
            text = self._config_line(line)
        elif line.strip() and self.r.rejects(line.strip()):
            pos = len(line) - len(line.lstrip())
            text = error_text(Failure("invalid", pos), line, self.prompt())
        else:
            with self.r.lock:
                text = self._exec_line(line, self.level, 0, self.prompt())
        if was_config and self.cfg is None:
            self._config_done()
        if self.closed or self.pending is not None:
            return text
        if self.cfg is not None and self.cfg.in_banner:
            # IOS prints no prompt while it collects a banner's text: not after "Enter
            # TEXT message.  End with the character '^C'." nor after each text line
            # (docs/simulator-grammar.md, Banners)
            return text
        return self._paged(text)

    # ---- paging (`terminal length N`, default 24) -------------------------------------------
    def _paged(self, text: str) -> str:
        lines = text.split("\n")
        if self.length <= 0 or len(lines) <= self.length:
            return text + self.prompt()
        self.more = lines[self.length - 1 :]
        return "\n".join(lines[: self.length - 1]) + "\n" + _MORE

    def _page(self, ch: str) -> str:
        """A key at ` --More-- `: space a page, Enter a line, anything else stops."""
        erase = "\b" * len(_MORE) + " " * len(_MORE) + "\b" * len(_MORE)
        if ch == " ":
            take = max(self.length - 1, 1)
        elif ch in "\r\n":
            take = 1
        else:
            self.more = []
            return erase + self.prompt()
        shown, self.more = self.more[:take], self.more[take:]
        if self.more:
            return erase + "\n".join(shown) + "\n" + _MORE
        return erase + "\n".join(shown) + self.prompt()

    def _config_done(self) -> None:
        # IOS logs the change; a vty session sees it only with `terminal monitor`.
        if self.monitor:
            stamp = time.strftime("%b %d %H:%M:%S", time.gmtime())
            ms = int((time.time() % 1) * 1000)
            message = facts.SYSLOG_CONFIG_I.format(stamp=f"{stamp}.{ms:03d}", user=self.user)
            self.syslog.append(f"\n{message}\n")

    # ---- configuration mode --------------------------------------------------------------
    def _config_line(self, line: str) -> str:
        assert self.cfg is not None
        if line.strip():
            self.config_lines += 1
            drop = self.r.fault("drop-after")
            if drop is not None and self.config_lines > int(drop.value):
                self.closed = True
                self.dropped = True  # the drop-after fault: the TCP connection just dies
                return ""
            if not self.cfg.in_banner and self.r.rejects(line.strip()):
                pos = len(line) - len(line.lstrip())
                return error_text(Failure("invalid", pos), line, self.prompt())
        with self.r.lock:
            if self.cfg.config is not self.r.running:
                # replaced under us (configure replace, a rollback timer, a test): go on
                # in the new running config, at the top of configuration mode
                self.cfg.config = self.r.running
                self.cfg.mode, self.cfg.stack = "config", []
        prompt = self.prompt()
        with self.r.lock:
            res = self.cfg.feed(line, prompt)
            if (
                not res.error
                and not res.comment
                and line.strip()
                and not res.exit_config
                and res.do is None
            ):
                self.r.changed(self.user)
        if res.do is not None:
            with self.r.lock:
                return self._exec_line(res.do, 15, res.do_offset, prompt)
        if res.nat_removal is not None:
            removal = res.nat_removal

            def answer(text: str) -> str:
                if text.strip().lower() == "yes":
                    with self.r.lock:
                        assert self.cfg is not None
                        self.cfg.apply(removal)
                        self.r.changed(self.user)
                return ""

            self.pending = answer
            return facts.NAT_IN_USE
        if res.exit_config:
            self.cfg = None
        return res.output

    def _nat_changes(self, m: Match) -> bool:
        """A dynamic mapping typed anew, unlike the one of that name, while in use."""
        if not self.r.nat_active or m.words[4] not in ("route-map", "list"):
            return False
        key = m.words[:6]
        return any(ln.words[:6] == key and ln.words != m.words for ln in self.r.running.root)

    def _nat_guard(self, m: Match) -> bool:
        if not self.r.nat_active:
            return False
        n = len(m.words)
        return any(ln.words[:n] == m.words for ln in self.r.running.root)

    # ---- exec mode ------------------------------------------------------------------------
    def _exec_line(self, line: str, level: int, offset: int, prompt: str) -> str:
        mode = "exec" if level >= 15 else "user"
        left, bar, right = line.partition("|")
        if not bar or not left.strip().lower().startswith(("sh", "mo", "di")):
            left, right = line, ""
        with on_hardware(self.r.running.hw):
            r = grammar().parse(mode, left)
        if r is None:
            return ""
        if isinstance(r, Failure):
            toks = tokenize(left)
            if r.kind == "invalid" and r.depth == 0 and len(toks) == 1 and offset == 0:
                lookup = self.r.running.toggle_state(self.r.running.root, _domain_lookup())
                msg = facts.UNKNOWN_HOST_LOOKUP if lookup else facts.UNKNOWN_HOST
                return msg.format(word=toks[0].text) + "\n"
            return error_text(Failure(r.kind, r.pos + offset, r.depth), line, prompt)
        action = r.cmd.action or ""
        self._where = (prompt, offset, line)
        handler = getattr(self, "_x_" + action)
        text: str = handler(r)
        if bar and right.strip():
            return _pipe(text, right, len(left) + 1 + offset, line, prompt)
        return text

    def _x_enable(self, m: Match) -> str:
        if self.level >= 15:
            return ""
        running = self.r.running
        if (
            running.value("enable", "secret") is None
            and running.value("enable", "password") is None
        ):
            return facts.NO_ENABLE_PASSWORD + "\n\n"
        self.pw_tries = 0
        self._ask_enable()
        return facts.PASSWORD_PROMPT

    def _ask_enable(self) -> None:
        def answer(text: str) -> str:
            if self.r.check_enable(text):
                self.level = 15
                return ""
            self.pw_tries += 1
            if self.pw_tries >= 3:
                return facts.BAD_SECRETS + "\n\n"
            self._ask_enable()
            return facts.PASSWORD_PROMPT

        self.pending = answer
        self.echo = False

    def _x_disable(self, m: Match) -> str:
        self.level = 1
        return ""

    def _x_logout(self, m: Match) -> str:
        self.closed = True
        return ""

    def _x_terminal(self, m: Match) -> str:
        if m.words[1] == "length":
            self.length = int(m.words[2])
        elif m.words[1] == "monitor":
            self.monitor = True
        elif m.words[1:3] == ["no", "monitor"]:
            self.monitor = False
        return ""

    def _x_debug(self, m: Match) -> str:
        """IOS answers "PPP authentication debugging is on"; a Dialer that keeps
        redialling (idle-timeout 0) then prints its next attempt's lines on a
        monitoring terminal, here at once (tunnels.Session.debug_lines)."""
        self.r.debugs.add("ppp authentication")
        out = [facts.DEBUG_PPP_AUTH_ON]
        if self.monitor:
            self.r.refresh_tunnels()
            view = self.r.running.live
            for s in view.dials if isinstance(view, tunnels.Live) else []:
                server = s.server or s.server_ip
                host = (
                    self.r.network[server].hostname
                    if self.r.network and server in self.r.network
                    else server
                )
                out += [f"{_debug_stamp()}: {row}" for row in s.debug_lines(host)]
        return "\n".join(out) + "\n"

    def _no_crypto(self, m: Match) -> str | None:
        """`% Invalid input` under `crypto` on an image without it (images.py)."""
        if has_crypto(self.r.spec.feature_set):
            return None
        prompt, offset, line = self._where
        return error_text(Failure("invalid", offset + m.starts[1]), line, prompt)

    def _x_crypto_show(self, m: Match) -> str:
        refused = self._no_crypto(m)
        if refused is not None:
            return refused
        self.r.refresh_tunnels()
        what = " ".join(m.words[2:])
        if what == "isakmp sa":
            return show.show_crypto_isakmp_sa(self.r.running)
        if what == "ipsec sa":
            return show.show_crypto_ipsec_sa(self.r.running)
        if what == "isakmp policy":
            return show.show_crypto_isakmp_policy(self.r.running)
        if what == "map":
            return show.show_crypto_map(self.r.running)
        return show.show_crypto_session(self.r.running)

    def _x_debug_crypto(self, m: Match) -> str:
        """IOS answers "Crypto ISAKMP debugging is on"; on a monitoring terminal the next
        attempt of each negotiation that fails prints its lines (ipsec.DEBUG), here at
        once, as `debug ppp authentication` does."""
        refused = self._no_crypto(m)
        if refused is not None:
            return refused
        kind = m.words[2]
        self.r.debugs.add(f"crypto {kind}")
        out = [ipsec.DEBUG_ISAKMP_ON if kind == "isakmp" else ipsec.DEBUG_IPSEC_ON]
        if self.monitor:
            self.r.refresh_tunnels()
            view = self.r.running.live
            for side in view.ipsec if isinstance(view, tunnels.Live) else []:
                out += [f"{_debug_stamp()}: {row}" for row in side.debug_lines()]
        return "\n".join(out) + "\n"

    def _x_clear_crypto(self, m: Match) -> str:
        """`clear crypto sa|isakmp`: this router forgets its SAs (counters, stale ones);
        IOS renegotiates those its configs still allow at once."""
        refused = self._no_crypto(m)
        if refused is not None:
            return refused
        self.r.running.ipsec_memory.clear()
        self.r.running.generation += 1  # the fleet's view is recomputed
        return ""

    def _x_undebug(self, m: Match) -> str:
        self.r.debugs.clear()
        return facts.UNDEBUG_ALL + "\n"

    def _x_show_version(self, m: Match) -> str:
        up = int(time.time() - self.r.booted)
        hours, mins = divmod(up // 60, 60)
        uptime = f"{hours} hours, {mins} minutes" if hours else f"{mins} minutes"
        hw, spec = self.r.hw, self.r.spec
        image = image_file(hw, spec.image, spec.feature_set)
        label = f"{hw.chassis.family}-{spec.feature_set}-m".upper()
        ports = "".join(
            facts.PORT_COUNT.format(n=n, kind=facts.PORT_KINDS[t], s="s" if n > 1 else "")
            for t, n in sorted(hw.counts().items())
        )
        return facts.SHOW_VERSION.format(
            hostname=self.r.hostname,
            uptime=uptime,
            image=image,
            software=hw.chassis.software,
            label=label,
            version=spec.image,
            model=hw.model,
            ports=ports + (facts.VPN_MODULE if hw.chassis.vpn_module else ""),
        )

    def _x_show_clock(self, m: Match) -> str:
        now = time.time()
        tm = time.gmtime(now)
        ms = int((now % 1) * 1000)
        return (
            time.strftime("*%H:%M:%S", tm)
            + f".{ms:03d} "
            + time.strftime("UTC %a %b ", tm)
            + f"{tm.tm_mday} {tm.tm_year}\n"
        )

    def _x_show_ip_int_brief(self, m: Match) -> str:
        self.r.refresh_tunnels()
        rows = [facts.IP_INT_BRIEF_HEADER]
        for name, ip, method, status, proto in show.ip_interface_brief(self.r.running):
            rows.append(f"{name:<27}{ip:<16}YES {method:<7}{status:<22}{proto}")
        return "\n".join(rows) + "\n"

    # ---- operational commands (show.py, ping.py) -------------------------------------------
    def _x_op(self, m: Match) -> str:
        """An operational command: `_op_<its words>` gets the tokens after the command's
        own words (`key` of them); its None is an argument refused: the caret under it."""
        self.r.refresh_tunnels()
        prompt, offset, line = self._where
        name = "_".join(w.lower() for w in m.words[: m.cmd.key] if w.lower() != "show")
        cut = m.starts[m.cmd.key] if len(m.starts) > m.cmd.key else None
        text = line.partition("|")[0] if "|" in line else line
        rest = [t for t in tokenize(text) if cut is not None and t.start >= cut]
        answer: str | None = getattr(self, "_op_" + name.replace("-", "_"))(rest, text)
        if answer is None:
            pos = rest[0].start if rest else len(text.rstrip())
            return error_text(Failure("invalid", pos + offset), text, prompt)
        return answer

    def _interface_arg(self, toks: list[Tok], line: str) -> str | None:
        """`fa0/0`, `FastEthernet0/0` or `FastEthernet 0/0` as the running config names it."""
        text = line[toks[0].start :].strip().replace(" ", "")
        head = text.rstrip("0123456789/.:")
        with on_hardware(self.r.running.hw):
            typ = interface_type(head) if head else None
        if typ is None:
            return None
        name = typ + text[len(head) :]
        found = show.find(self.r.running, name)
        return found.name if found is not None else None

    def _op_interfaces(self, rest: list[Tok], line: str) -> str | None:
        name = self._interface_arg(rest, line) if rest else None
        if rest and name is None:
            return None
        return show.show_interfaces(self.r.running, name)

    def _op_ip_route(self, rest: list[Tok], line: str) -> str | None:
        return None if rest else show.show_ip_route(self.r.running)

    def _op_vpdn(self, rest: list[Tok], line: str) -> str | None:
        return None if rest else show.show_vpdn(self.r.running)

    def _op_users(self, rest: list[Tok], line: str) -> str | None:
        return None if rest else show.show_users(self.user)

    def _op_traceroute(self, rest: list[Tok], line: str) -> str | None:
        if len(rest) != 1:
            return None if rest else facts.INCOMPLETE + "\n\n"
        target = canonical_ip(rest[0].text)
        if target is None:
            return ping.UNRECOGNIZED + "\n"
        return ping.traceroute(self.r.running, target)

    def _op_ping(self, rest: list[Tok], line: str) -> str | None:
        if not rest:
            if self.level < 15:  # the extended dialog is privileged
                return facts.INCOMPLETE + "\n\n"
            dialog = ping.Dialog(self.r.running)
            self._ask_ping(dialog)
            return dialog.first()
        target = canonical_ip(rest[0].text)
        if target is None:
            return ping.UNRECOGNIZED + "\n"
        options: dict[str, str] = {}
        i = 1
        while i < len(rest):
            key = next(
                (
                    k
                    for k in ("repeat", "size", "timeout", "source")
                    if k.startswith(rest[i].text.lower())
                ),
                None,
            )
            if key is None or i + 1 >= len(rest):
                return None if key is None else facts.INCOMPLETE + "\n\n"
            options[key] = rest[i + 1].text
            i += 2
        numbers = {k: int(v) for k, v in options.items() if k != "source" and v.isdigit()}
        if len(numbers) != len(options) - ("source" in options):
            return None
        source = options.get("source")
        if source is not None and canonical_ip(source) is None:
            source = self._interface_arg([t for t in rest if t.text == source], line) or source
        return ping.run(self.r.running, target, source=source, **numbers)

    def _ask_ping(self, dialog: ping.Dialog) -> None:
        def answer(text: str) -> str:
            with self.r.lock:
                reply, more = dialog.answer(text)
            if more:
                self._ask_ping(dialog)
            return reply

        self.pending = answer

    def _x_show_run(self, m: Match) -> str:
        body = self.r.running_text()
        return f"{facts.BUILDING}\n\nCurrent configuration : {len(body.encode())} bytes\n{body}\n"

    def _x_show_run_if(self, m: Match) -> str:
        name = m.words[3]
        block = self.r.running.block("interface", name)
        if block is None:  # no such interface: IOS refuses the name
            prompt, offset, line = self._where
            return error_text(Failure("invalid", offset + m.starts[3]), line, prompt)
        body = "!\n" + "\n".join(self.r.running.render_block(block)) + "\nend\n"
        return f"{facts.BUILDING}\n\nCurrent configuration : {len(body.encode())} bytes\n{body}\n"

    def _x_show_start(self, m: Match) -> str:
        body = self.r.startup
        if body is None:
            return facts.NO_STARTUP + "\n"
        return f"Using {len(body.encode())} out of {facts.NVRAM_SIZE} bytes\n{body}\n"

    def _x_show_archive(self, m: Match) -> str:
        maximum = self.r.archive_setting("maximum")
        keep = int(maximum[1]) if maximum else 10
        nxt = self.r.next_archive_name()
        if nxt is None:
            return facts.ARCHIVE_OFF + "\n"
        rows = [
            facts.ARCHIVE_MAX.format(n=keep),
            facts.ARCHIVE_NEXT.format(name=nxt),
            facts.ARCHIVE_HEAD,
        ]
        path = self.r.archive_path() or ""
        first = max(1, self.r.archive_count - keep + 1)
        for n in range(first, self.r.archive_count + 1):
            mark = facts.ARCHIVE_RECENT if n == self.r.archive_count else ""
            rows.append(f"   {n:<8} {path}-{n}{mark}")
        return "\n".join(rows) + "\n"

    def _x_show_nat(self, m: Match) -> str:
        rows = [facts.NAT_TABLE_HEAD]
        if self.r.nat_active:
            rows.append(facts.NAT_TABLE_ROW)
        rows += show.static_nat_rows(self.r.running)
        return "\n".join(rows) + "\n"

    def _x_dir(self, m: Match) -> str:
        rows = ["Directory of flash:/", ""]
        total = facts.IMAGE_SIZE
        image = image_file(self.r.hw, self.r.spec.image, self.r.spec.feature_set)
        rows.append(f"    1  -rw-    {facts.IMAGE_SIZE:>8}  <no date>  {image}")
        for n, (name, text) in enumerate(sorted(self.r.flash.items()), start=2):
            size = len(text.encode())
            total += size
            rows.append(f"{n:>5}  -rw-    {size:>8}  <no date>  {name}")
        rows += ["", f"{facts.FLASH_SIZE} bytes total ({facts.FLASH_SIZE - total} bytes free)"]
        return "\n".join(rows) + "\n"

    def _x_more(self, m: Match) -> str:
        name = m.words[1].removeprefix("flash:")
        if name not in self.r.flash:
            return facts.OPEN_MISSING.format(name=name) + "\n"
        return self.r.flash[name]

    def _saved(self) -> str:
        self.r.save(self.user)
        return f"{facts.BUILDING}\n{facts.OK}\n"

    def _x_write(self, m: Match) -> str:
        return self._saved()

    def _x_copy_run_start(self, m: Match) -> str:
        def answer(text: str) -> str:
            with self.r.lock:
                return self._saved()

        self.pending = answer
        return facts.DEST_FILENAME.format(name="startup-config")

    def _x_copy_run_flash(self, m: Match) -> str:
        default = m.words[2].removeprefix("flash:")

        def write(name: str) -> str:
            with self.r.lock:
                text = self.r.running_text()
                self.r.flash[name] = text
            return _copied(text)

        def answer(text: str) -> str:
            name = text.strip().removeprefix("flash:") or default
            if name in self.r.flash:

                def confirm(ans: str) -> str:
                    if ans.strip().lower() in ("", "y", "yes"):
                        return write(name)
                    return facts.COPY_ABORTED + "\n"

                self.pending = confirm
                return facts.OVERWRITE + "\n"
            return write(name)

        self.pending = answer
        return facts.DEST_FILENAME.format(name=default)

    def _merge(self, text: str) -> str:
        with self.r.lock:
            errors = load_text(self.r.running, text)
            self.r.changed(self.user)
        out = "".join(f"{e}\n" for e in errors)
        return out + _copied(text)

    def _x_copy_start_run(self, m: Match) -> str:
        def answer(_: str) -> str:
            if self.r.startup is None:
                return facts.NO_STARTUP_COPY + "\n"
            return self._merge(self.r.startup)

        self.pending = answer
        return facts.DEST_FILENAME.format(name="running-config")

    def _x_copy_flash_run(self, m: Match) -> str:
        name = m.words[1].removeprefix("flash:")

        def answer(_: str) -> str:
            if name not in self.r.flash:
                return facts.OPEN_MISSING.format(name=name) + "\n"
            return self._merge(self.r.flash[name])

        self.pending = answer
        return facts.DEST_FILENAME.format(name="running-config")

    def _x_copy_flash_start(self, m: Match) -> str:
        name = m.words[1].removeprefix("flash:")

        def answer(_: str) -> str:
            if name not in self.r.flash:
                return facts.OPEN_MISSING.format(name=name) + "\n"
            with self.r.lock:
                self.r.startup = self.r.flash[name]
            return f"{facts.OK}\n" + _copied(self.r.flash[name])

        self.pending = answer
        return facts.DEST_FILENAME.format(name="startup-config")

    def _x_delete(self, m: Match) -> str:
        default = m.words[1].removeprefix("flash:")

        def answer(text: str) -> str:
            name = text.strip().removeprefix("flash:") or default

            def confirm(ans: str) -> str:
                if ans.strip().lower() not in ("", "y", "yes"):
                    return ""
                with self.r.lock:
                    if self.r.flash.pop(name, None) is None:
                        return facts.DELETE_MISSING.format(name=name) + "\n"
                return ""

            self.pending = confirm
            return facts.DELETE_CONFIRM.format(name=name)

        self.pending = answer
        return facts.DELETE_FILENAME.format(name=default)

    def _missing(self, feature: str, m: Match, word: int) -> str | None:
        """`% Invalid input` at word `word` when the image lacks the feature (images.py)."""
        if image_has(self.r.spec.image, feature):
            return None
        prompt, offset, line = self._where
        return error_text(Failure("invalid", offset + m.starts[word]), line, prompt)

    def _x_configure(self, m: Match) -> str:
        head = ""
        if len(m.words) > 2:  # configure terminal revert timer N (Rollback Confirmed Change)
            refused = self._missing(REVERT, m, 2)
            if refused is not None:
                return refused
            if self.r.archive_path() is None:
                return facts.REPLACE_NEEDS_ARCHIVE + "\n"
            backup = self.r.archive_now()
            self.r.arm_rollback(int(m.words[4]), self.r.running.clone())
            head = facts.REPLACE_BACKUP.format(path=backup) + "\n"
        self.cfg = ConfigMode(self.r.running)
        self.cfg.nat_guard = self._nat_guard
        self.cfg.nat_changes = self._nat_changes
        return head + facts.CONFIG_BANNER + "\n"

    def _x_replace(self, m: Match) -> str:
        refused = self._missing(REPLACE, m, 1)
        if refused is not None:
            return refused
        w = m.words
        name = w[2].removeprefix("flash:")
        minutes = int(w[w.index("time") + 1]) if "time" in w else None
        if name not in self.r.flash:
            return facts.OPEN_MISSING.format(name=name) + "\n"
        if minutes is not None and self.r.archive_path() is None:
            return facts.REPLACE_NEEDS_ARCHIVE + "\n"

        def run() -> str:
            with self.r.lock:
                out = ""
                before = self.r.running
                target = self.r.flash[name]
                # IOS applies only the differences: a file that is the running config
                # as printed now (a push arming its revert timer with the rollback
                # point it just saved) changes nothing, so nothing is loaded
                same = target == self.r.running_text()
                if minutes is not None:
                    backup = self.r.archive_now()
                    out += facts.REPLACE_BACKUP.format(path=backup) + "\n"
                if not same:
                    fresh = self.r.new_config()
                    for error in load_text(fresh, target):
                        out += f"{error}\n"
                    self.r.running = fresh
                self.r.changed(self.user)
                if minutes is not None:
                    # the timer goes back to this config: `before` itself if a fresh one
                    # replaced it, else (the same one goes on changing) its text
                    self.r.arm_rollback(minutes, target if same else before)
            return out + facts.REPLACE_DONE + "\n"

        if "force" in w:
            return run()

        def answer(text: str) -> str:
            if text.strip().lower() in ("y", "yes"):
                return run()
            return ""

        self.pending = answer
        return facts.REPLACE_WARNING

    def _x_confirm(self, m: Match) -> str:
        refused = self._missing(REPLACE, m, 1)
        if refused is not None:
            return refused
        self.r.cancel_rollback()
        return ""

    def _x_reload(self, m: Match) -> str:
        minutes = int(m.words[2]) if len(m.words) == 3 else None

        def proceed(text: str) -> str:
            if text.strip().lower() not in ("", "y", "yes"):
                return ""
            if minutes is not None:
                with self.r.lock:
                    self.r.arm_reload(minutes, self.user)
                return ""
            self.closed = True
            self.reload_requested = True
            return ""

        def ask_proceed(out: str) -> str:
            self.pending = proceed
            if minutes is not None:
                out += facts.RELOAD_SCHEDULED.format(minutes=minutes, user=self.user) + "\n"
            return out + facts.RELOAD_PROCEED

        def save(text: str) -> str:
            ans = text.strip().lower()
            if ans in ("y", "yes"):
                with self.r.lock:
                    out = self._saved()
            elif ans in ("n", "no"):
                out = ""
            else:
                self.pending = save
                return facts.ANSWER_YES_NO + "\n" + facts.RELOAD_SAVE
            return ask_proceed(out)

        if self.r.startup != self.r.running_text():
            self.pending = save
            return facts.RELOAD_SAVE
        return ask_proceed("")

    def _x_reload_cancel(self, m: Match) -> str:
        if not self.r.cancel_reload():
            return facts.RELOAD_NONE_CANCEL + "\n"
        self.syslog.append(facts.RELOAD_ABORTED)  # IOS broadcasts it a moment later
        return ""

    def _x_show_reload(self, m: Match) -> str:
        if self.r.reload_at is None:
            return facts.RELOAD_NONE + "\n"
        when, user = self.r.reload_at
        left = max(0, int(when - time.time()))
        tm = time.gmtime(when)
        at = time.strftime("%H:%M:%S UTC %a %b ", tm) + f"{tm.tm_mday} {tm.tm_year}"
        return (
            facts.RELOAD_SHOW.format(at=at, minutes=left // 60, seconds=left % 60, user=user) + "\n"
        )

    def _x_clear_nat(self, m: Match) -> str:
        self.r.nat_active = False
        return ""

    def _x_archive_config(self, m: Match) -> str:
        if self.r.archive_now() is None:
            return facts.ARCHIVE_NO_PATH + "\n"
        return ""


def _domain_lookup() -> Cmd:
    from iosgen.sim.commands import table

    for c in table():
        if c.syntax == "ip domain lookup":
            return c
    raise KeyError("ip domain lookup")


def _copied(text: str) -> str:
    n = len(text.encode())
    return facts.BYTES_COPIED.format(n=n, ms=124, rate=n * 8) + "\n"


def _pipe(text: str, spec: str, pos: int, line: str, prompt: str) -> str:
    """`| include/exclude/begin/section/count REGEX` on a show command's output."""
    toks = tokenize(spec)
    word = toks[0].text.lower()
    hits = [p for p in _PIPES if p.startswith(word)]
    if len(hits) != 1 or len(toks) < 2:
        kind = "incomplete" if len(hits) == 1 else "invalid"
        return error_text(Failure(kind, pos + toks[0].start), line, prompt)
    regex = spec[toks[1].start :].rstrip()
    try:
        pattern = re.compile(regex)
    except re.error:
        return error_text(Failure("invalid", pos + toks[1].start), line, prompt)
    lines = text.rstrip("\n").split("\n")
    how = hits[0]
    if how == "include":
        kept = [ln for ln in lines if pattern.search(ln)]
    elif how == "exclude":
        kept = [ln for ln in lines if not pattern.search(ln)]
    elif how == "begin":
        kept = []
        for i, ln in enumerate(lines):
            if pattern.search(ln):
                kept = lines[i:]
                break
    elif how == "count":
        count = sum(1 for ln in lines if pattern.search(ln))
        return facts.PIPE_COUNT.format(n=count) + "\n"
    else:  # section: matching top-level lines with their indented children
        kept = []
        take = False
        for ln in lines:
            if ln and not ln.startswith(" "):
                take = bool(pattern.search(ln))
            elif ln.startswith(" ") and not take and pattern.search(ln):
                kept.append(ln)
                continue
            if take:
                kept.append(ln)
    return "".join(f"{ln}\n" for ln in kept)


def _debug_stamp() -> str:
    # `service timestamps debug datetime msec`: "*Mar  3 02:51:47.395" (827 guide capture)
    t = time.time()
    tm = time.gmtime(t)
    return (
        "*"
        + time.strftime("%b ", tm)
        + f"{tm.tm_mday:>2} "
        + time.strftime("%H:%M:%S", tm)
        + f".{int(t * 1000) % 1000:03d}"
    )
