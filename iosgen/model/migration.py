"""A branch's staged cut-over from a PPTP tunnel to IPsec (`iosgen migrate`), as data.

Three steps, each a site the router is built from, pushed to and audited against:

1. add the IPsec tunnel beside the PPTP one: same peer (the PPTP server), remote
   networks and NAT, its routes floating (`FLOATING_DISTANCE`, worse than the PPTP
   routes' distance), so traffic still takes the PPTP tunnel;
2. prefer it: the IPsec routes get the PPTP tunnel's distance, the PPTP routes float;
3. remove the PPTP tunnel (its Dialer, vpdn-group, NAT route-map and, at the head
   office, its user go with it, since they are built from it).

`MigrationState` is what `.iosgen/migrations/<HOST>.json` holds: the step done, the
key's reference (never its value). `site_at_step` is pure; `fleet_at_steps` gives the
inventory as the routers should run it mid-migration (a head office compiled from its
branches sees each branch at its step). Nothing here talks to a router.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from iosgen.model.headoffice import addresses_of, dialins
from iosgen.model.secret import SecretResolver
from iosgen.model.site import IpsecTunnel, PptpClient, Site, Tunnel

# The distance of a floating static route: worse than the default 1 of every route iosgen
# writes, below 255 (which IOS never installs). `ip route ... 250` is the usual floating
# backup in Cisco's own examples ("Floating Static Routes", IP Routing configuration guide).
FLOATING_DISTANCE: Final = 250
STEPS: Final = 3
STEP_TITLES: Final[dict[int, str]] = {
    1: "add the IPsec tunnel beside the PPTP one (floating routes); verify its SA is up",
    2: "prefer the IPsec tunnel (the PPTP routes float); verify the head office answers through it",
    3: "remove the PPTP tunnel (Dialer, vpdn, NAT, the head office's PPTP user)",
}
KINDS: Final = ("ipsec",)
STATE_VERSION: Final = 1


class MigrationError(ValueError):
    """A migration that cannot be built (no such tunnel, no head office, a bad key)."""


@dataclass(frozen=True)
class StepRecord:
    step: int
    at: str  # UTC, ISO 8601
    ok: bool
    message: str


@dataclass(frozen=True)
class MigrationState:
    """One branch's migration: which tunnel, to what, and the last step done (0-3)."""

    host: str
    tunnel: str  # the PPTP tunnel's name
    new_tunnel: str  # the IPsec tunnel's name
    key: str  # the pre-shared key's reference (`${NAME}`, `secret:NAME`): never the value
    head_office: str
    to: str = "ipsec"
    done: int = 0
    rewritten: bool = False  # the site file holds step 3 (then nothing is applied)
    log: tuple[StepRecord, ...] = ()

    def after(self, record: StepRecord) -> MigrationState:
        """The state with `record` logged; a successful step is the new `done`."""
        done = max(self.done, record.step) if record.ok else self.done
        return replace(self, done=done, log=(*self.log, record))

    def to_json(self) -> str:
        data = {
            "version": STATE_VERSION,
            "host": self.host,
            "tunnel": self.tunnel,
            "to": self.to,
            "new_tunnel": self.new_tunnel,
            "key": self.key,
            "head_office": self.head_office,
            "done": self.done,
            "rewritten": self.rewritten,
            "log": [
                {"step": r.step, "at": r.at, "ok": r.ok, "message": r.message} for r in self.log
            ],
        }
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str) -> MigrationState:
        """Parse a state file; MigrationError names the file and what is wrong."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MigrationError(f"{where}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise MigrationError(f"{where}:1:1: not an iosgen migration state (version 1)")
        text_keys = ("host", "tunnel", "to", "new_tunnel", "key", "head_office")
        for key in text_keys:
            if not isinstance(data.get(key), str):
                raise MigrationError(f"{where}:1:1: {key}: expected text")
        done = data.get("done")
        if not isinstance(done, int) or isinstance(done, bool) or not 0 <= done <= STEPS:
            raise MigrationError(f"{where}:1:1: done: expected a step 0-{STEPS}")
        if data["to"] not in KINDS:
            raise MigrationError(f"{where}:1:1: to: {data['to']!r} is not one of {KINDS}")
        log = data.get("log", [])
        try:
            records = tuple(
                StepRecord(int(r["step"]), str(r["at"]), bool(r["ok"]), str(r["message"]))
                for r in log
            )
        except (TypeError, KeyError, ValueError):
            raise MigrationError(f"{where}:1:1: log: expected step records") from None
        return cls(
            host=data["host"],
            tunnel=data["tunnel"],
            new_tunnel=data["new_tunnel"],
            key=data["key"],
            head_office=data["head_office"],
            to=data["to"],
            done=done,
            rewritten=bool(data.get("rewritten", False)),
            log=records,
        )


def default_key_reference(host: str, tunnel: str) -> str:
    """`${IOSGEN_R_ITD_SOFIA_PSK}`: the environment variable a branch tunnel's key is read
    from unless `--key` names another reference."""
    return "${IOSGEN_" + _env_word(host) + "_" + _env_word(tunnel) + "_PSK}"


def new_tunnel_name(tunnel: str, taken: Sequence[str]) -> str:
    """The IPsec tunnel's name: `<tunnel>-ipsec` (the tunnel name rule allows `-`)."""
    name = f"{tunnel}-ipsec"
    n = 2
    while name in taken:
        name, n = f"{tunnel}-ipsec{n}", n + 1
    return name


def _env_word(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")


def head_office_of(branch: Site, tunnel: str, fleet: Sequence[Site]) -> Site:
    """The site the PPTP tunnel dials (its `server` is one of that site's addresses)."""
    client = branch.pptp_clients.get(tunnel)
    if client is None:
        raise MigrationError(no_tunnel(branch, tunnel))
    for site in fleet:
        if site.hostname.lower() != branch.hostname.lower() and client.server in addresses_of(site):
            return site
    raise MigrationError(
        f"{branch.hostname}: tunnel {tunnel!r} dials {client.server}, which no site of the "
        "inventory holds: iosgen cannot build the head office's side"
    )


def no_tunnel(site: Site, tunnel: str) -> str:
    known = ", ".join(site.pptp_clients) or "none"
    return f"{site.hostname} has no PPTP tunnel {tunnel!r} (its PPTP tunnels: {known})"


def ipsec_tunnel(
    client: PptpClient, key: str, resolver: SecretResolver, distance: int | None
) -> IpsecTunnel:
    """The IPsec tunnel that replaces `client`: same peer, remote networks, NAT and TCP
    MSS clamp; the key resolved from its reference (checked as any site key is)."""
    data: dict[str, Any] = ipsec_entry(client, key)
    if distance is not None:
        data["distance"] = distance
    try:
        return IpsecTunnel.model_validate(data, context={"resolver": resolver})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "tunnel"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise MigrationError(f"the IPsec tunnel's {where}: {message}") from None


def ipsec_entry(client: PptpClient, key: str) -> dict[str, Any]:
    """The site-file entry of the IPsec tunnel (the key as its reference)."""
    data: dict[str, Any] = {
        "kind": "ipsec",
        "peer": str(client.server),
        "pre_shared_key": key,
        "remote_networks": [str(n) for n in client.remote_networks],
        "nat": client.nat,
    }
    if client.tcp_mss is not None:
        data["tcp_mss"] = client.tcp_mss
    if client.distance is not None:
        data["distance"] = client.distance
    return data


def site_at_step(site: Site, state: MigrationState, step: int, resolver: SecretResolver) -> Site:
    """The branch as step `step` (0-3) of `state` builds it, from its site file's model.

    A site that already holds step 3 (the file rewritten) is returned as it is.
    """
    if not 0 <= step <= STEPS:
        raise MigrationError(f"no step {step}: the steps are 1-{STEPS}")
    tunnels: dict[str, Tunnel] = {
        n: t for n, t in site.tunnels.items() if n != state.new_tunnel or step == STEPS
    }
    client = site.pptp_clients.get(state.tunnel)
    if client is None:
        if state.new_tunnel in site.ipsec_tunnels:
            return site  # the site file was rewritten after step 3
        raise MigrationError(no_tunnel(site, state.tunnel))
    if step == 0:
        changed = len(tunnels) != len(site.tunnels)
        return site.model_copy(update={"tunnels": tunnels}) if changed else site
    preferred = client.distance  # None: IOS's 1
    if (preferred or 1) >= FLOATING_DISTANCE:
        raise MigrationError(
            f"{site.hostname}: tunnel {state.tunnel!r} has distance {preferred}; the IPsec "
            f"routes float at {FLOATING_DISTANCE}, which must be worse"
        )
    out: dict[str, Tunnel] = {}
    for name, tunnel in tunnels.items():
        if name != state.tunnel:
            out[name] = tunnel
            continue
        if step == 1:
            out[name] = tunnel
            out[state.new_tunnel] = ipsec_tunnel(client, state.key, resolver, FLOATING_DISTANCE)
        elif step == 2:
            out[name] = client.model_copy(update={"distance": FLOATING_DISTANCE})
            out[state.new_tunnel] = ipsec_tunnel(client, state.key, resolver, preferred)
        else:
            out[state.new_tunnel] = ipsec_tunnel(client, state.key, resolver, preferred)
    return site.model_copy(update={"tunnels": out})


def head_office_at(office: Site, fleet: tuple[Site, ...]) -> Site:
    """The head office compiled from `fleet` (a copy: the loaded site keeps its own).

    A head office whose PPTP users all come from the branches loses its PPTP server
    once no branch tunnel dials it any more (the last branch's step 3)."""
    copy = office.model_copy()
    pptp = office.pptp_server
    if pptp is not None and pptp.from_branches and not pptp.users and not dialins(office, fleet):
        copy = office.model_copy(update={"pptp_server": None})
    copy.with_fleet(fleet)
    return copy


def fleet_at_steps(
    sites: Sequence[Site],
    states: Mapping[str, MigrationState],
    resolver: SecretResolver,
    steps: Mapping[str, int] | None = None,
) -> tuple[Site, ...]:
    """The inventory as the routers run it: each branch with a state (by hostname,
    case-insensitively) at `steps[host]` (default: its step done), every head office
    compiled from those branches. States of rewritten sites are skipped."""
    by_host = {h.lower(): s for h, s in states.items() if not s.rewritten}
    at = {h.lower(): n for h, n in (steps or {}).items()}
    branches = tuple(
        site_at_step(site, by_host[key], at.get(key, by_host[key].done), resolver)
        if (key := site.hostname.lower()) in by_host
        else site
        for site in sites
    )
    return tuple(head_office_at(site, branches) if _compiled(site) else site for site in branches)


def _compiled(site: Site) -> bool:
    return site.needs_fleet


# --- the state files (read by the loader, written by iosgen.migrate.state) -----------
# (their folder: iosgen.model.statefolder)


def state_path(folder: Path, host: str) -> Path:
    return folder / f"{host}.json"


def read_state(folder: Path, host: str) -> MigrationState | None:
    path = state_path(folder, host)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise MigrationError(f"{path}:1:1: cannot read: {exc.strerror}") from None
    return MigrationState.from_json(text, str(path))


def read_states(folder: Path) -> dict[str, MigrationState]:
    """Every `<HOST>.json` of the folder (none when it does not exist), by hostname."""
    if not folder.is_dir():
        return {}
    out: dict[str, MigrationState] = {}
    for path in sorted(folder.glob("*.json")):
        state = MigrationState.from_json(path.read_text(encoding="utf-8"), str(path))
        out[state.host.lower()] = state
    return out


def apply_states(
    sites: Sequence[Site], folder: Path | None, resolver: SecretResolver
) -> tuple[Site, ...]:
    """The loader's hook: `sites` (in their order) with the migrations under `folder`
    applied at their step done; unchanged when there are none.

    A head office loaded with its fleet (`Site.fleet`, the loader attaches it) is
    compiled from that fleet, so `iosgen build sites/sofia.yaml` sees its branches at
    their steps too.
    """
    states = read_states(folder) if folder is not None else {}
    if all(s.rewritten for s in states.values()):
        return tuple(sites)
    known = {s.hostname.lower() for s in sites}
    fleet = next((s.fleet for s in sites if s.fleet is not None), ())
    pool = (*sites, *(s for s in fleet if s.hostname.lower() not in known))
    return fleet_at_steps(pool, states, resolver)[: len(sites)]


__all__ = [
    "FLOATING_DISTANCE",
    "STEPS",
    "STEP_TITLES",
    "MigrationError",
    "MigrationState",
    "StepRecord",
    "apply_states",
    "default_key_reference",
    "fleet_at_steps",
    "head_office_at",
    "head_office_of",
    "ipsec_entry",
    "ipsec_tunnel",
    "new_tunnel_name",
    "read_state",
    "read_states",
    "site_at_step",
    "state_path",
]
