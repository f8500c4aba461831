"""The IOS renderer: golden builds, reproducibility, secrets, derived lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.build.ios import render
from iosgen.ios.passwords import md5_crypt_verify, type7_decode
from iosgen.model.inventory import load_inventory, load_site
from iosgen.model.site import Site
from tests.conftest import GOLDEN, INVENTORY

PLOVDIV = INVENTORY / "sites" / "plovdiv.yaml"


def plovdiv() -> Site:
    return load_site(PLOVDIV)


def variant(**changes: object) -> Site:
    """R-ITD with top-level or tunnel fields changed (tunnel fields prefixed `sofia_`)."""
    site = plovdiv()
    tunnel = {k.removeprefix("sofia_"): v for k, v in changes.items() if k.startswith("sofia_")}
    top = {k: v for k, v in changes.items() if not k.startswith("sofia_")}
    clients = {"sofia": site.pptp_clients["sofia"].model_copy(update=tunnel)}
    return site.model_copy(update={**top, "pptp_clients": clients})


GOLDEN_CONFIGS = sorted(GOLDEN.glob("*.cfg"))


@pytest.mark.parametrize("golden", GOLDEN_CONFIGS, ids=lambda p: p.stem)
def test_build_matches_golden_byte_for_byte(golden: Path) -> None:
    site = load_inventory(INVENTORY).find(golden.stem)
    assert render(site).text == golden.read_text()


def test_two_builds_are_byte_identical() -> None:
    assert render(plovdiv()).text == render(plovdiv()).text


def test_salts_differ_between_sites_with_one_secret() -> None:
    a = render(plovdiv()).text
    b = render(plovdiv().model_copy(update={"hostname": "R-OTHER"})).text
    chap = [line for line in a.splitlines() if "ppp chap password 7" in line]
    assert chap and chap[0] not in b


def test_seed_dialer_block_in_ios_order() -> None:
    text = render(plovdiv()).text
    block = text[text.index("interface Dialer2\n") :].split("!\n", 1)[0].splitlines()
    assert block[:14] == [
        "interface Dialer2",
        " mtu 1460",
        " ip address negotiated",
        " ip nat outside",
        " ip virtual-reassembly",
        " encapsulation ppp",
        " dialer in-band",
        " dialer idle-timeout 0",
        " dialer string 123",
        " dialer vpdn",
        " dialer-group 2",
        " no cdp enable",
        " ppp pfc local request",
        " ppp pfc remote apply",
    ]
    assert block[14:16] == [" ppp encrypt mppe auto", " ppp chap hostname plovdiv"]
    assert type7_decode(block[16].split()[-1]) == "Pe5n"


def test_vpdn_group_rendering() -> None:
    text = render(plovdiv()).text
    assert (
        "vpdn enable\n!\nvpdn-group 2\n request-dialin\n  protocol pptp\n  rotary-group 2\n"
        " initiate-to ip 203.0.113.10\n!\n"
    ) in text
    assert text.index("service password-encryption\nservice internal\n") < text.index("hostname")


def test_management_account_is_a_privileged_md5_user() -> None:
    text = render(plovdiv()).text
    line = next(x for x in text.splitlines() if x.startswith("username netops "))
    assert line.startswith("username netops privilege 15 secret 5 $1$")
    assert md5_crypt_verify("netops-demo", line.split()[-1])


def test_mppe_none_has_no_encrypt_line_and_required_is_rendered() -> None:
    assert "ppp encrypt" not in render(variant(sofia_mppe="none")).text
    strict = render(variant(sofia_mppe="128", sofia_mppe_required=True)).text
    assert " ppp encrypt mppe 128 required\n" in strict


def test_tunnel_without_nat_has_no_route_map_nor_nat_on_dialer() -> None:
    text = render(variant(sofia_nat=False)).text
    assert "route-map VPN" not in text
    dialer = text[text.index("interface Dialer2") :].split("!\n", 1)[0]
    assert "ip nat" not in dialer
    assert "ip nat inside source route-map INTERNET" in text


def test_no_pptp_client_no_service_internal_nor_vpdn() -> None:
    text = render(plovdiv().model_copy(update={"pptp_clients": {}})).text
    assert "service internal" not in text
    assert "vpdn" not in text
    assert "!\nmultilink bundle-name authenticated\n!\n" in text  # printed by default
    assert "interface Dialer" not in text


def test_password_encryption_off_renders_type_0_and_no_service() -> None:
    site = plovdiv()
    site = site.model_copy(
        update={"services": site.services.model_copy(update={"password_encryption": False})}
    )
    text = render(site).text
    assert "no service password-encryption\n" in text
    assert " ppp chap password 0 Pe5n\n" in text


def test_given_type7_is_kept_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOSGEN_SOFIA_CHAP", "7 426756075B")
    assert " ppp chap password 7 426756075B\n" in render(plovdiv()).text


def test_masked_output_hides_reversible_secrets() -> None:
    rendered = render(load_inventory(INVENTORY).find("r-ruse"))
    masked = rendered.masked()
    assert "password 7 <redacted>" in masked
    for token in rendered.secret_tokens:
        assert token.split()[-1] not in masked


def test_static_wan_gives_default_route_and_abbreviations_are_canonical() -> None:
    text = render(load_inventory(INVENTORY).find("R-VARNA")).text
    assert "ip route 0.0.0.0 0.0.0.0 203.0.113.5\n" in text
    assert "interface FastEthernet0/0\n description WAN uplink\n" in text
    assert "Fa0/" not in text


def test_pptp_server_block() -> None:
    text = render(load_inventory(INVENTORY).find("R-RUSE")).text
    assert "vpdn-group 1\n! Default PPTP VPDN group\n accept-dialin\n  protocol pptp\n" in text
    assert "ip local pool PPTP-POOL 192.168.30.200 192.168.30.220\nip forward-protocol nd\n" in text
    ivan = next(x for x in text.splitlines() if x.startswith("username ivan "))
    assert ivan.startswith("username ivan privilege 0 password 7 ")
    assert "\nusername ivan autocommand exit\n" in text  # a VPN account gets no CLI
    assert type7_decode(ivan.split()[-1]) == "ivan-demo"


def test_golden_folder_has_every_ios_site() -> None:
    sites = {s.hostname for s in load_inventory(INVENTORY).sites if s.platform == "ios"}
    assert {p.stem for p in Path(GOLDEN).glob("*.cfg")} >= sites
