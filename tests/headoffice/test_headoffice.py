"""The head office compiled from the fleet (R-SOFIA, `pptp_server.from_branches`).

Adding a branch to a copy of the example inventory changes R-SOFIA's build: the
branch's CHAP user appears with the branch's own secret; a routed (`nat: false`)
tunnel also gets a fixed address (an AAA attribute list) and a route to its LAN; a
NAT-ed one grows the pool. Removing the branch takes them away again. A hand-managed
head office with the same values builds the same text, and the fleet checks still
compare a hand-managed one against its branches.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.build import build_site
from iosgen.cli import app
from iosgen.errors import InputError, RenderError
from iosgen.ios.passwords import type7_decode
from iosgen.lint.fleet import lint_inventory
from iosgen.model.inventory import load_inventory, load_site
from tests.conftest import GOLDEN, INVENTORY

SOFIA_GOLDEN = GOLDEN / "R-SOFIA.cfg"

ROUTED = """\
hostname: R-PLEVEN
groups: [branch]
management: {host: 198.51.100.60, username: netops, password: "${IOSGEN_R_PLEVEN_PASSWORD}"}
interfaces:
  FastEthernet0/0: {role: wan, ipv4: dhcp}
  FastEthernet0/1: {role: lan, ipv4: 192.168.60.1/24}
internet_nat: true
pptp_clients:
  sofia:
    server: 203.0.113.10
    dialer: 2
    chap_hostname: pleven
    chap_password: ${IOSGEN_PLEVEN_SOFIA_CHAP}
    mppe: 128
    remote_networks: [10.10.0.0/16]
    nat: false
"""


@pytest.fixture()
def inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "inventory"
    shutil.copytree(INVENTORY, root)
    monkeypatch.setenv("IOSGEN_R_PLEVEN_PASSWORD", "netops-pleven")
    monkeypatch.setenv("IOSGEN_PLEVEN_SOFIA_CHAP", "pleven-sofia-demo")
    return root


def sofia(root: Path) -> str:
    built = build_site(load_inventory(root).find("R-SOFIA")).single
    assert built is not None
    return built.content


def add_branch(root: Path, name: str, text: str) -> Path:
    path = root / "sites" / f"{name}.yaml"
    path.write_text(text)
    return path


def user_secret(config: str, user: str) -> str:
    found = re.search(rf"^username {user} privilege 0 password 7 (\S+)$", config, re.M)
    assert found, f"no PPTP user {user}"
    return type7_decode(found.group(1))


def test_the_example_head_office_holds_every_branch_that_dials_it() -> None:
    config = SOFIA_GOLDEN.read_text()
    users = re.findall(r"^username (\S+) privilege 0 password 7 ", config, re.M)
    # R-ITD and plovdiv-gw share `plovdiv` (one office, two gateways); R-VARNA's own
    # server and the Bourgas tunnel dial elsewhere
    assert users == ["gabrovo", "plovdiv", "ruse", "shumen", "varna"]
    assert user_secret(config, "plovdiv") == "Pe5n"  # the branch's own ${IOSGEN_SOFIA_CHAP}
    # five tunnels NAT into the head office: five pool addresses; R-SHUMEN's is routed
    # (`nat: false`): the range's top address, fixed, and its LAN routed to it
    assert "ip local pool PPTP-POOL 10.10.255.1 10.10.255.5\n" in config
    assert (
        "aaa attribute list shumen\n attribute type addr 10.10.255.254 service ppp protocol ip\n"
    ) in config
    assert "username shumen aaa attribute list shumen\n" in config
    assert "ip route 192.168.50.0 255.255.255.0 10.10.255.254\n" in config
    assert config.count("aaa attribute list ") == 2  # the list and its user's line


def test_a_routed_branch_gets_a_user_a_fixed_address_and_a_route(inventory: Path) -> None:
    add_branch(inventory, "pleven", ROUTED)
    config = sofia(inventory)
    assert user_secret(config, "pleven") == "pleven-sofia-demo"
    assert "username pleven aaa attribute list pleven\n" in config
    assert (
        "aaa authorization network default local\n!\n"
        "aaa attribute list pleven\n"
        " attribute type addr 10.10.255.254 service ppp protocol ip\n"
        "aaa attribute list shumen\n"
        " attribute type addr 10.10.255.253 service ppp protocol ip\n!\n!\n"
        "aaa session-id common\n"
    ) in config
    assert "ip route 192.168.60.0 255.255.255.0 10.10.255.254\n" in config
    # shumen sorts after pleven: its fixed address moves down one (docs/head-office.md)
    assert "ip route 192.168.50.0 255.255.255.0 10.10.255.253\n" in config
    # a routed tunnel takes no pool address
    assert "ip local pool PPTP-POOL 10.10.255.1 10.10.255.5\n" in config
    (inventory / "sites" / "pleven.yaml").unlink()
    assert sofia(inventory) == SOFIA_GOLDEN.read_text()


def test_a_nat_branch_grows_the_pool_and_needs_no_route(inventory: Path) -> None:
    add_branch(inventory, "pleven", ROUTED.replace("    nat: false\n", ""))
    config = sofia(inventory)
    assert user_secret(config, "pleven") == "pleven-sofia-demo"
    assert "ip local pool PPTP-POOL 10.10.255.1 10.10.255.6\n" in config
    assert "aaa attribute list pleven" not in config and "192.168.60.0" not in config
    # the routed R-SHUMEN keeps its fixed address: the pool grows upwards
    assert " attribute type addr 10.10.255.254 service ppp protocol ip\n" in config


def test_fixed_addresses_keep_their_place_when_nat_branches_come(inventory: Path) -> None:
    add_branch(inventory, "pleven", ROUTED)
    before = sofia(inventory)
    nat = ROUTED.replace("R-PLEVEN", "R-VIDIN").replace("pleven", "vidin")
    add_branch(inventory, "vidin", nat.replace("192.168.60", "192.168.61").replace(".60", ".61"))
    monkey = pytest.MonkeyPatch()
    monkey.setenv("IOSGEN_R_VIDIN_PASSWORD", "netops-vidin")
    monkey.setenv("IOSGEN_VIDIN_SOFIA_CHAP", "vidin-sofia-demo")
    try:
        vidin = inventory / "sites" / "vidin.yaml"
        vidin.write_text(vidin.read_text().replace("    nat: false\n", ""))
        after = sofia(inventory)
    finally:
        monkey.undo()
    assert " attribute type addr 10.10.255.254 service ppp protocol ip\n" in before
    assert " attribute type addr 10.10.255.254 service ppp protocol ip\n" in after
    assert "ip local pool PPTP-POOL 10.10.255.1 10.10.255.6\n" in after


def test_building_the_head_office_file_alone_reads_its_inventory(inventory: Path) -> None:
    add_branch(inventory, "pleven", ROUTED)
    result = CliRunner().invoke(
        app, ["build", str(inventory / "sites" / "sofia.yaml"), "--show-secrets"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == sofia(inventory)
    assert "username pleven aaa attribute list pleven" in result.stdout


def test_a_head_office_without_its_inventory_is_refused() -> None:
    # a site file outside any inventory: nothing to compile it from
    site = load_site(INVENTORY / "sites" / "sofia.yaml")
    lonely = site.model_copy()
    lonely._fleet = None
    with pytest.raises(RenderError, match="from_branches compiles the head office"):
        build_site(lonely)
    fleet = load_inventory(INVENTORY).sites
    built = build_site(lonely, fleet).single
    assert built is not None and built.content == SOFIA_GOLDEN.read_text()


def test_the_same_head_office_typed_by_hand_builds_the_same(inventory: Path) -> None:
    add_branch(inventory, "pleven", ROUTED)
    derived = sofia(inventory)
    path = inventory / "sites" / "sofia.yaml"
    hand = path.read_text().replace(
        "  from_branches: true\n  pool: [10.10.255.1, 10.10.255.254]",
        "  pool: [10.10.255.1, 10.10.255.5]\n"
        "  users:\n"
        "    gabrovo: ${IOSGEN_GABROVO_SOFIA_CHAP}\n"
        "    plovdiv: ${IOSGEN_SOFIA_CHAP}\n"
        "    pleven: ${IOSGEN_PLEVEN_SOFIA_CHAP}\n"
        "    ruse: ${IOSGEN_RUSE_SOFIA_CHAP}\n"
        "    shumen: ${IOSGEN_SHUMEN_SOFIA_CHAP}\n"
        "    varna: ${IOSGEN_VARNA_SOFIA_CHAP}\n"
        "  addresses: {pleven: 10.10.255.254, shumen: 10.10.255.253}",
    )
    hand = hand.replace(
        "    next_hop: 10.10.0.254\n",
        "    next_hop: 10.10.0.254\n  - {network: 192.168.60.0/24, next_hop: 10.10.255.254}\n"
        "  - {network: 192.168.50.0/24, next_hop: 10.10.255.253}\n",
    )
    assert hand != path.read_text()
    path.write_text(hand)
    assert sofia(inventory) == derived
    assert lint_inventory(inventory).errors == ()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda t: t.replace("    ruse: ${IOSGEN_RUSE_SOFIA_CHAP}\n", ""), "FLEET109"),
        (lambda t: t.replace("${IOSGEN_RUSE_SOFIA_CHAP}", "not-ruse's"), "FLEET110"),
    ],
    ids=["user-missing", "secret-differs"],
)
def test_a_hand_managed_head_office_is_checked_against_its_branches(
    inventory: Path, change: object, code: str
) -> None:
    path = inventory / "sites" / "sofia.yaml"
    hand = (
        path.read_text()
        .replace(
            "  from_branches: true\n  pool: [10.10.255.1, 10.10.255.254]",
            "  pool: [10.10.255.1, 10.10.255.5]\n"
            "  users:\n"
            "    gabrovo: ${IOSGEN_GABROVO_SOFIA_CHAP}\n"
            "    plovdiv: ${IOSGEN_SOFIA_CHAP}\n"
            "    ruse: ${IOSGEN_RUSE_SOFIA_CHAP}\n"
            "    shumen: ${IOSGEN_SHUMEN_SOFIA_CHAP}\n"
            "    varna: ${IOSGEN_VARNA_SOFIA_CHAP}\n"
            "  addresses: {shumen: 10.10.255.254}",
        )
        .replace(
            "    next_hop: 10.10.0.254\n",
            "    next_hop: 10.10.0.254\n  - {network: 192.168.50.0/24, next_hop: 10.10.255.254}\n",
        )
    )
    assert lint_inventory(inventory).errors == ()  # typed by hand, right
    assert callable(change)
    path.write_text(change(hand))
    found = [f for f in lint_inventory(inventory).errors if f.code == code]
    assert [f.node.file.rsplit("/", 1)[-1] for f in found] == ["ruse.yaml"]
    assert found[0].other is not None and found[0].other.file.endswith("sofia.yaml")


def test_the_derived_head_office_is_fleet_clean() -> None:
    report = lint_inventory(INVENTORY)
    assert report.errors == ()
    assert not [f for f in report.findings if "R-SOFIA" in f.message or "sofia.yaml" in f.node.file]


def _problem_lines(root: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_inventory(root)
    return caught.value.lines()


@pytest.mark.parametrize(
    ("edit", "where", "says"),
    [
        (
            lambda root: add_branch(
                root,
                "pleven",
                ROUTED.replace("${IOSGEN_PLEVEN_SOFIA_CHAP}", "${IOSGEN_SOFIA_CHAP}").replace(
                    "chap_hostname: pleven", "chap_hostname: plovdiv"
                ),
            ),
            "pleven.yaml:12:20: pptp_clients.sofia.chap_hostname",
            "CHAP user 'plovdiv' is also plovdiv-gw (pptp_clients.sofia)'s, and a routed tunnel",
        ),
        (
            lambda root: add_branch(
                root, "pleven", ROUTED.replace("chap_hostname: pleven", "chap_hostname: ruse")
            ),
            # the later of the two by hostname is told (R-PLEVEN sorts before R-RUSE)
            "ruse.yaml:32:20: pptp_clients.sofia.chap_hostname",
            "has another secret at R-PLEVEN (pptp_clients.sofia) (values not shown)",
        ),
        (
            lambda root: (root / "sites" / "sofia.yaml").write_text(
                (root / "sites" / "sofia.yaml")
                .read_text()
                .replace("10.10.255.254]", "10.10.255.4]")
            ),
            "sofia.yaml:37:9: pptp_server.pool",
            "holds 4 addresses; the branches need 6 (5 for the pool, 1 fixed)",
        ),
        (
            lambda root: (
                add_branch(root, "pleven", ROUTED),
                (root / "sites" / "sofia.yaml").write_text(
                    (root / "sites" / "sofia.yaml")
                    .read_text()
                    .replace("aaa:\n  authorization_network: local\n", "")
                ),
            ),
            "defaults.yaml:9:3: aaa.authorization_network",  # where aaa is typed
            "aaa.authorization_network: must include 'local': the fixed addresses of "
            "R-PLEVEN (pptp_clients.sofia)",
        ),
    ],
    ids=["routed-user-shared", "secret-differs", "pool-too-small", "aaa-not-local"],
)
def test_what_the_branches_cannot_agree_on_is_located(
    inventory: Path, edit: object, where: str, says: str
) -> None:
    assert callable(edit)
    edit(inventory)
    lines = _problem_lines(inventory)
    assert len(lines) == 1, lines
    assert where in lines[0] and says in lines[0], lines
    assert "pleven-sofia-demo" not in lines[0] and "Pe5n" not in lines[0]


def test_check_shows_the_head_office_changing_with_its_branches(
    inventory: Path, tmp_path: Path
) -> None:
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    add_branch(inventory, "pleven", ROUTED)
    args = ["check", "-i", str(inventory), "--golden", str(golden)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    status = {line.split()[1]: line.split()[0] for line in result.stdout.splitlines()[:8]}
    assert status["R-SOFIA"] == "differs" and status["R-PLEVEN"] == "missing"
    assert "R-ITD" in status and status["R-ITD"] == "same"
    assert "+ip route 192.168.60.0 255.255.255.0 10.10.255.254" in result.stdout
    assert "+aaa attribute list pleven" in result.stdout
    assert "pleven-sofia-demo" not in result.stdout  # the diff masks the new secret
    assert CliRunner().invoke(app, [*args, "--update"]).exit_code == 0
    assert "username pleven aaa attribute list pleven" in (golden / "R-SOFIA.cfg").read_text()
    assert CliRunner().invoke(app, args).exit_code == 0
