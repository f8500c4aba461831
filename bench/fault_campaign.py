"""Randomized fault campaign: every push must end at exactly the old or the new config.

Run: .venv/bin/python bench/fault_campaign.py [--trials 200] [--seed 5] [--routers 10]

Each trial takes the R-ITD model, mutates it twice at random (the router's
current config and the wanted one: tunnel MTU/MPPE/NAT, the LAN address, NAT
to the Internet, static routes, users, the vty transport, no tunnel at all...),
types the first into a simulated router, injects one random fault (a session
dropped after N lines, a rejected command, a slow router, NAT translations in
use, a wrong password, a new host key, or none) and pushes the second with
`--force` (and sometimes a revert timer). Then it reads the router's config
from the simulator itself, the oracle, and checks:

- partial: the config is neither the old one nor the new one (goal 0);
- wrong claim: the outcome says `new` and it is not, or `old` and it is not (goal 0).

A router left with an armed revert timer (iosgen cut off mid-push) is checked
after the timer fires, as a real router would roll itself back.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_env() -> dict[str, str]:
    from iosgen.model.secret import read_env_file

    env = read_env_file(ROOT / "inventory" / "example.env")
    os.environ.update(env)
    return env


# --- mutations of the model ----------------------------------------------------------


def _tunnel(site: Any, **update: Any) -> Any:
    if "sofia" not in site.pptp_clients:
        return site
    sofia = site.pptp_clients["sofia"].model_copy(update=update)
    return site.model_copy(update={"pptp_clients": {"sofia": sofia}})


def _lan(site: Any, address: str) -> Any:
    lan = site.interfaces["FastEthernet0/1"].model_copy(update={"ipv4": IPv4Interface(address)})
    return site.model_copy(update={"interfaces": {**site.interfaces, "FastEthernet0/1": lan}})


def _routes(site: Any, rng: random.Random) -> Any:
    routes = [
        _route(f"10.{rng.randrange(100, 120)}.{n}.0/24", "192.168.10.254")
        for n in range(rng.randrange(1, 6))
    ]
    return site.model_copy(update={"routes": routes})


def _route(net: str, hop: str) -> Any:
    from iosgen.model.site import Route

    return Route(network=IPv4Network(net), next_hop=IPv4Address(hop))


def _user(site: Any, rng: random.Random) -> Any:
    from iosgen.model.secret import Secret
    from iosgen.model.site import User

    name = rng.choice(["auditor", "backup", "noc"])
    user = User(privilege=rng.choice([1, 15]), secret=Secret(f"{name}-pw-{rng.randrange(99)}"))
    return site.model_copy(update={"users": {**site.users, name: user}})


MUTATIONS: dict[str, Callable[[Any, random.Random], Any]] = {
    "tunnel-mtu": lambda s, r: _tunnel(s, mtu=r.choice([1400, 1452, 1460])),
    "tunnel-mppe": lambda s, r: _tunnel(s, mppe=r.choice(["auto", "40", "128"])),
    "tunnel-nat": lambda s, r: (
        _tunnel(s, nat=not s.pptp_clients["sofia"].nat) if "sofia" in s.pptp_clients else s
    ),
    "tunnel-remote": lambda s, r: _tunnel(
        s, remote_networks=[IPv4Network("10.10.0.0/16"), IPv4Network("172.20.0.0/16")]
    ),
    "no-tunnel": lambda s, r: s.model_copy(update={"pptp_clients": {}}),
    "internet-nat": lambda s, r: s.model_copy(update={"internet_nat": not s.internet_nat}),
    "lan-address": lambda s, r: _lan(s, r.choice(["192.168.11.1/24", "192.168.10.254/24"])),
    "routes": _routes,
    "user": _user,
    "vty-telnet": lambda s, r: s.model_copy(
        update={"ssh": s.ssh.model_copy(update={"vty_transport": "telnet ssh"})}
    ),
    "domain": lambda s, r: s.model_copy(update={"domain_name": "branch2.example"}),
}


def mutate(site: Any, rng: random.Random) -> tuple[Any, list[str]]:
    names = rng.sample(sorted(MUTATIONS), rng.randrange(0, 4))
    for name in names:
        site = MUTATIONS[name](site, rng)
    return site, names


# none, drop-after and reject twice as often as the others; "cut-off": iosgen loses the
# router for good in the middle of the lines (the session drops, no login works any
# more), so only the router's own revert timer can bring the old config back.
FAULT_KINDS = (
    *("none", "drop-after", "reject") * 2,
    *("delay-ms", "nat-in-use", "bad-password", "new-host-key"),
    *("slow-drop", "nat-reject", "cut-off"),
    # a stop signal (SIGTERM, SIGHUP, SIGINT) after N lines, raised as the signal handler of
    # iosgen.push.signals raises it; another push holding the router's lock
    *("signal", "lock-held", "changed-under"),
    # a WAN link (bytes in flight, the pipelined push's window really ahead of IOS), alone
    # and with a refused line in the middle of the window
    *("latency-ms", "latency-reject"),
)
REJECTS = (
    r"^ip route ", r"^mtu ", r"^description ", r"^ppp encrypt", r"^match interface",
    r"^no ", r"^username ", r"^ip address ", r"^ip nat ", r"^transport input",
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Injection:
    faults: tuple[Any, ...]
    label: str
    cut_after: int | None = None  # lines sent before iosgen is cut off
    signal_after: int | None = None  # lines sent before a stop signal arrives
    signal: str = ""
    lock_held: bool = False
    changed_under: bool = False  # another machine configures the router during the plan


def fault(host: str, rng: random.Random, lines: int) -> Injection:
    from iosgen.sim import Fault

    kind = rng.choice(FAULT_KINDS)
    drop = str(rng.randrange(0, max(1, lines + 2)))
    if kind == "none":
        return Injection((), "none")
    if kind == "cut-off":
        after = rng.randrange(1, max(2, lines))
        return Injection((), f"cut-off={after}", after)
    if kind == "signal":
        after = rng.randrange(1, max(2, lines + 1))
        name = rng.choice(["SIGTERM", "SIGHUP", "SIGINT"])
        return Injection((), f"signal={name}@{after}", signal_after=after, signal=name)
    if kind == "lock-held":
        return Injection((), "lock-held", lock_held=True)
    if kind == "changed-under":
        return Injection((), "changed-under", changed_under=True)
    if kind == "slow-drop":
        delay = Fault(host, "delay-ms", str(rng.randrange(1, 3)))
        return Injection((delay, Fault(host, "drop-after", drop)), f"slow-drop={drop}")
    if kind == "latency-reject":
        reject = rng.choice(REJECTS)
        faults = (
            Fault(host, "latency-ms", str(rng.randrange(1, 6))),
            Fault(host, "reject", reject),
        )
        return Injection(faults, f"latency-reject={reject}")
    if kind == "nat-reject":
        reject = rng.choice(REJECTS)
        faults = (Fault(host, "nat-in-use"), Fault(host, "reject", reject))
        return Injection(faults, f"nat-reject={reject}")
    if kind == "drop-after":
        value = drop
    elif kind == "reject":
        value = rng.choice(REJECTS)
    elif kind == "delay-ms":
        value = str(rng.randrange(1, 4))
    elif kind == "latency-ms":
        value = str(rng.randrange(1, 6))
    else:
        value = ""
    label = f"{kind}={value}" if value else kind
    return Injection((Fault(host, kind, value),), label)


def _archive_lines(config: str) -> list[str]:
    """The `archive` section of a config (the first push adds it on its own first)."""
    out: list[str] = []
    for line in config.split("\n"):
        if line.rstrip() == "archive" or (out and line.startswith(" ")):
            out.append(line)
        elif out:
            break
    return out


def _without_archive(config: str) -> str:
    block = set(_archive_lines(config))
    return "\n".join(line for line in config.split("\n") if line not in block)


# --- the campaign ---------------------------------------------------------------------


@dataclasses.dataclass
class Trial:
    number: int
    mutations: str
    fault: str
    status: str
    final: str
    partial: bool
    wrong_claim: bool
    seconds: float
    message: str = ""


@dataclasses.dataclass
class Campaign:
    trials: list[Trial]
    seconds: float

    @property
    def partial(self) -> int:
        return sum(t.partial for t in self.trials)

    @property
    def wrong_claims(self) -> int:
        return sum(t.wrong_claim for t in self.trials)

    @property
    def unknown(self) -> int:
        """Outcomes that could not say old or new (the router needed a look)."""
        return sum(t.final == "unknown" for t in self.trials)

    def outcomes(self) -> Counter[str]:
        return Counter(f"{t.status} -> {t.final}" for t in self.trials)


def _judge(engine: Any, new: Any, before: str, now: str, outcome: Any) -> tuple[bool, bool, bool]:
    """(the router holds the new config, the old one, the outcome claimed what is not)."""
    from iosgen.diff.audit import audit_site
    from iosgen.push import Final

    is_new = audit_site(new, now).status == "in_sync"
    is_old = engine.same(before, now) or (
        outcome.archive_first
        and engine.same(before, _without_archive(now))
        and bool(_archive_lines(now))
    )
    wrong = (outcome.final is Final.NEW and not is_new) or (
        outcome.final is Final.OLD and not is_old
    )
    return is_new, is_old, wrong


def run_campaign(
    trials: int, seed: int, routers: int, tmp: Path, workers: int | None = None
) -> Campaign:
    from iosgen.build.ios import render
    from iosgen.device.session import DeviceOptions
    from iosgen.fleet.runner import run_fleet
    from iosgen.model.inventory import load_files, load_resolver
    from iosgen.model.targets import read_targets_file
    from iosgen.push import PushOptions, Status, push_host
    from iosgen.push.engine import AuditEngine
    from iosgen.push.flow import send_form
    from iosgen.push.lock import host_lock
    from iosgen.push.signals import Stopped
    from iosgen.sim import Fault, RouterSpec, SimFleet

    env = load_env()
    base = load_files([ROOT / "inventory" / "sites" / "plovdiv.yaml"], load_resolver(None))
    itd = base.sites[0]
    names = [f"R-T{i:02d}" for i in range(routers)]
    specs = [
        RouterSpec(n, "netops", env["IOSGEN_R_ITD_PASSWORD"], env["IOSGEN_R_ITD_ENABLE"])
        for n in names
    ]
    engine = AuditEngine()
    rng = random.Random(seed)
    plans = []
    for number in range(trials):
        host = names[number % routers]
        trial_rng = random.Random(rng.random())
        start = itd.model_copy(update={"hostname": host})
        old, old_names = mutate(start, trial_rng)
        new, new_names = mutate(start, trial_rng)
        bare = trial_rng.random() < 0.15
        plans.append((number, host, old, new, old_names, new_names, bare, trial_rng))

    started = time.perf_counter()
    with SimFleet(specs, state_dir=tmp / "campaign") as fleet:
        targets = read_targets_file(fleet.targets_file)

        def one(plan: Any) -> Trial:
            number, host, old, new, old_names, new_names, bare, trial_rng = plan
            router = fleet.router(host)
            fleet.set_faults(host, [])
            router.reset()
            if not bare:
                errors = router.set_running(render(old).text)
                assert errors == [], errors
            before = router.running_config()
            lines = len(engine.remediate(new, render(new).text, before).lines)
            injection = fault(host, trial_rng, lines)
            label = injection.label
            fleet.set_faults(host, injection.faults)
            revert = trial_rng.choice([None, None, 0, 3])
            # the first push of a bare router types the archive block on its own first
            first = len(send_form(tuple(_archive_lines(render(new).text)))) if bare else 0
            # being cut off can only end well with the router's own timer, armed after
            # the archive step
            revert = 3 if injection.cut_after is not None else revert
            injection = _shifted(injection, first)
            options = PushOptions(
                force=True,
                revert_minutes=revert,
                save=trial_rng.random() < 0.7,
                device=DeviceOptions(
                    known_hosts=tmp / f"kh-{host}", read_timeout=10.0, conn_timeout=5.0
                ),
                history_dir=tmp / "history",
                lock_dir=tmp / "locks",
                reconnect_delays=(0.05, 0.1),  # the simulator frees its vty at once
            )
            sent: list[object] = []

            def cut(_host: str, line: object) -> None:
                sent.append(line)
                if len(sent) == injection.cut_after:
                    fleet.set_faults(
                        host, [Fault(host, "drop-after", "0"), Fault(host, "bad-password")]
                    )
                if len(sent) == injection.signal_after:
                    raise Stopped(injection.signal)

            t0 = time.perf_counter()
            hooked = injection.cut_after is not None or injection.signal_after is not None
            on_line = cut if hooked else None
            if injection.lock_held:
                with host_lock(tmp / "locks", host, "campaign: another push"):
                    outcome = push_host(new, targets[host.lower()], options)
                assert outcome.status is Status.REFUSED, outcome.message
                assert "another push to" in outcome.message, outcome.message
            elif injection.changed_under:
                theirs = render(MUTATIONS["routes"](old, trial_rng)).text
                seen: list[str] = []

                class OtherMachine(AuditEngine):
                    def remediate(self, site: Any, intended: str, running: str) -> Any:
                        plan = super().remediate(site, intended, running)
                        if not seen:  # once, while iosgen plans
                            router.set_running(theirs)
                            seen.append(router.running_config())
                        return plan

                outcome = push_host(new, targets[host.lower()], options, engine=OtherMachine())
                # what iosgen must leave alone is now the other machine's config
                before = seen[0] if seen else before
            else:
                outcome = push_host(new, targets[host.lower()], options, on_line=on_line)
            seconds = time.perf_counter() - t0
            fleet.set_faults(host, [])
            if router.rollback_pending:
                router.expire_rollback_timer()
            is_new, is_old, wrong = _judge(engine, new, before, router.running_config(), outcome)
            mutations = f"old[{','.join(old_names) or '-'}]{' bare' if bare else ''} "
            mutations += f"new[{','.join(new_names) or '-'}]"
            return Trial(
                number,
                mutations,
                label,
                outcome.status.value,
                outcome.final.value,
                not (is_new or is_old),
                wrong,
                seconds,
                f"{outcome.message} | {outcome.failing_line} | {outcome.ios_answer}"
                + (f" | drift: {'; '.join(outcome.drift_after)}" if outcome.drift_after else ""),
            )

        # one router is never pushed twice at once: trials are grouped by router
        by_router: dict[str, list[Any]] = {}
        for plan in plans:
            by_router.setdefault(plan[1], []).append(plan)

        def series(items: list[Any]) -> list[Trial]:
            return [one(p) for p in items]

        results = run_fleet(
            list(by_router.values()),
            series,
            key=lambda items: str(items[0][1]),
            workers=workers or routers,
        )
    return Campaign(_collected(results), time.perf_counter() - started)


def _collected(results: Any) -> list[Trial]:
    out: list[Trial] = []
    for result in results:
        if result.value is None:
            raise RuntimeError(f"campaign worker failed: {result.error}")
        out.extend(result.value)
    out.sort(key=lambda t: t.number)
    return out


def _shifted(injection: Any, first: int) -> Any:
    """The injection's line counts moved past the `first` lines the archive step types."""
    if injection.cut_after is not None:
        injection = dataclasses.replace(injection, cut_after=injection.cut_after + first)
    if injection.signal_after is not None:
        injection = dataclasses.replace(injection, signal_after=injection.signal_after + first)
    return injection


# --- injection: hostile values in a site file never reach a router ---------------------

# Where a site file's free text or a secret lands in a config line, and what an attacker
# types there: another word (`privilege 15`), another line, IOS's help character.
INJECTION_FIELDS: tuple[tuple[str, ...], ...] = (
    ("pptp_server", "users", "<key>"),
    ("users", "<key>"),
    ("pptp_server", "users", "ivan"),
    ("pptp_clients", "sofia", "chap_password"),
    ("pptp_clients", "sofia", "chap_hostname"),
    ("interfaces", "FastEthernet0/1", "description"),
    ("interfaces", "FastEthernet0/0", "dhcp_client_id"),
    ("hostname",),
    ("management", "username"),
)
INJECTION_PAYLOADS: tuple[str, ...] = (
    "evil privilege 15",
    "x\nusername evil privilege 15 password 0 EVILPW",
    "x\r\nenable secret 0 EVILPW",
    "EVILPW?",
    " EVILPW",
    "EVILPW\n",
    "\u0415VILPW",  # a Cyrillic capital E
    "EVILPW\x00",
)


# Secret fields: their value must never appear in an error. Legal values: a description
# may hold words, and surrounding blanks are stripped before it is checked; a secret is the
# rest of the line on IOS (`username ivan password 0 evil privilege 15` sets that password).
SECRET_FIELDS = (("pptp_server", "users", "ivan"), ("pptp_clients", "sofia", "chap_password"))
_DESCRIPTION = ("interfaces", "FastEthernet0/1", "description")
LEGAL = {(_DESCRIPTION, p) for p in ("evil privilege 15", " EVILPW", "EVILPW\n")} | {
    (field, "evil privilege 15") for field in SECRET_FIELDS
}


@dataclasses.dataclass
class InjectionResult:
    trials: int
    hostile: int  # trials whose value IOS cannot take in that field
    refused: int  # of those, refused at build with a located error
    leaked: int  # a secret's value in an error message
    examples: list[str]


def run_injections(trials: int, seed: int, tmp: Path) -> InjectionResult:
    """Each trial writes R-RUSE with one hostile value and loads it as `iosgen build` does."""
    import shutil

    import yaml

    from iosgen.errors import InputError
    from iosgen.model.inventory import load_files, load_resolver

    load_env()
    rng = random.Random(seed)
    base = yaml.safe_load((ROOT / "inventory" / "sites" / "ruse.yaml").read_text())
    root = tmp / "injection"
    (root / "sites").mkdir(parents=True)
    shutil.copy(ROOT / "inventory" / "defaults.yaml", root / "defaults.yaml")
    shutil.copytree(ROOT / "inventory" / "groups", root / "groups")
    hostile = refused = leaked = 0
    examples: list[str] = []
    for number in range(trials):
        field, payload = rng.choice(INJECTION_FIELDS), rng.choice(INJECTION_PAYLOADS)
        data = json_copy(base)
        node = data
        for key in field[:-1]:
            node = node[key]
        if field[-1] == "<key>":
            node[payload] = node.pop(next(iter(node)))
        else:
            node[field[-1]] = payload
        site = root / "sites" / f"t{number:04d}.yaml"
        site.write_text(yaml.safe_dump(data, allow_unicode=True))
        legal = (field, payload) in LEGAL
        hostile += not legal
        try:
            load_files([site], load_resolver(None), root)
        except InputError as exc:
            refused += not legal
            text = "\n".join(p.render() for p in exc.problems)
            if field in SECRET_FIELDS and "EVILPW" in text:
                leaked += 1
                examples.append(f"{'.'.join(field)}: secret shown: {text}")
            elif legal:
                examples.append(f"{'.'.join(field)} = {payload!r}: legal, refused: {text}")
        else:
            if not legal:
                examples.append(f"{'.'.join(field)} = {payload!r}: accepted")
        site.unlink()
    return InjectionResult(trials, hostile, refused, leaked, examples[:5])


def json_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_copy(v) for v in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--routers", type=int, default=10)
    parser.add_argument("--injections", type=int, default=200)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as folder:
        campaign = run_campaign(args.trials, args.seed, args.routers, Path(folder))
        injections = run_injections(args.injections, args.seed, Path(folder))
    for t in campaign.trials:
        if args.verbose or t.partial or t.wrong_claim:
            flag = " PARTIAL" if t.partial else (" WRONG-CLAIM" if t.wrong_claim else "")
            print(f"#{t.number:03d} {t.fault:<24} {t.status:>14} -> {t.final:<7} "
                  f"{t.seconds:5.2f}s {t.mutations}{flag}")  # fmt: skip
            if args.verbose and t.status not in ("pushed", "nothing to do"):
                print(f"      {t.message}")
    print("outcomes:")
    for key, count in sorted(campaign.outcomes().items()):
        print(f"  {count:4d}  {key}")
    faults = Counter(t.fault.split("=")[0] for t in campaign.trials)
    print("faults: " + ", ".join(f"{k} {v}" for k, v in sorted(faults.items())))
    print(
        f"trials: {len(campaign.trials)}  partial configs: {campaign.partial}  "
        f"wrong claims: {campaign.wrong_claims}  unknown: {campaign.unknown}  "
        f"({campaign.seconds:.1f} s, seed {args.seed})"
    )
    print(
        f"injections: {injections.trials}  hostile: {injections.hostile}  "
        f"refused at build: {injections.refused}  secrets shown in errors: {injections.leaked}"
    )
    for example in injections.examples:
        print(f"  {example}")
    hostile_passed = injections.refused < injections.hostile or injections.leaked
    failed = campaign.partial or campaign.wrong_claims or campaign.unknown or hostile_passed
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
