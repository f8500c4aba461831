"""Weak IPsec (IOS411-IOS420, IOS504) and IOS401's way out, on real and hand-written configs.

The IPsec cases are the `cases/` files named after an IPsec rule, and the contract's
branch and head office (`contract-*.cfg`); test_lint_cases.py checks their findings
like any case. Each rule has a case where it fires and a case where the same construct
does not (the image cannot do better, or the config already does the best it can).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iosgen.ios import ipsec
from iosgen.ios.capture import saved_config_text
from iosgen.ios.hardware import Image
from iosgen.lint import Finding, lint_config
from iosgen.lint.checks.config import read_config
from iosgen.lint.checks.ipsec import check_ipsec, ipsec_checks
from iosgen.lint.checks.secrets import secret_fields
from iosgen.lint.checks.site import site_hits
from iosgen.lint.rules import IPSEC_CODES, RULES
from iosgen.model.inventory import load_files, load_resolver

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(
    case
    for case in CASES.glob("*.cfg")
    if case.stem.split("-")[0] in IPSEC_CODES or case.stem.startswith("contract-")
)
# the real configs without IPsec (those with it: tests/realconfigs/test_realconfigs_ipsec.py)
REAL = sorted(
    p
    for p in (ROOT / "tests" / "realconfigs").glob("*.cfg")
    if not re.search(r"^crypto (isakmp|ipsec|map) ", p.read_text(encoding="utf-8"), re.M)
)
GOLDEN = sorted((ROOT / "golden").glob("*.cfg"))


def ipsec_findings(text: str, name: str) -> list[Finding]:
    return [f for f in lint_config(text, name) if f.code in IPSEC_CODES]


def expected_of(case: Path) -> list[tuple[int, str, str]]:
    rows = []
    for raw in case.with_suffix(".expected").read_text().splitlines():
        if raw.strip() and not raw.startswith("#"):
            line, code, *text = raw.split(" ", 2)
            rows.append((int(line), code, text[0] if text else ""))
    return rows


def test_lint_runs_the_ipsec_check() -> None:
    from iosgen.lint import IOS_CHECKS

    assert check_ipsec in IOS_CHECKS


def test_every_ipsec_rule_fires_in_a_case_named_after_it() -> None:
    fired = {code for case in CASE_FILES for _l, code, _t in expected_of(case)}
    named = {case.stem.split("-")[0] for case in CASE_FILES}
    assert IPSEC_CODES - fired == set()
    assert IPSEC_CODES - named == set()


# The passing side: a case holding the construct a rule looks at, which the rule leaves
# alone because the image has nothing better or the config already uses the best.
PASSING = [
    ("IOS411", "IOS411-k8-des-only", r"^ encr des$", "a k8 image has DES only"),
    ("IOS412", "IOS411-k8-des-only", r"^crypto isakmp policy 10\n authentication", "k8: DES"),
    ("IOS412", "contract-vti", r"^ encr aes 256$", "AES stated"),
    ("IOS413", "IOS413-no-aes-image", r"^ encr 3des$", "12.2(11)T has no AES"),
    ("IOS413", "IOS414-no-group5-image", r" esp-3des ", "12.0(7)T has no AES"),
    ("IOS414", "IOS414-no-group5-image", r"^ group 2$", "12.0(7)T has no group 5"),
    ("IOS414", "contract-vti", r"^ group 5$", "group 5 is 12.4 mainline's best"),
    ("IOS415", "contract-vti", r"esp-sha-hmac$", "SHA-1 already"),
    ("IOS416", "contract-vti", r"^crypto isakmp key \S+ address 203", "main mode, key per peer"),
    ("IOS417", "contract-head-office", r"^ set pfs group5$", "PFS on every entry"),
    ("IOS418", "contract-vti", r"^crypto isakmp key \S+ address 203\.0\.113\.10$", "one peer"),
    ("IOS419", "contract-vti", r"esp-aes 256 esp-sha-hmac$", "ESP encrypts"),
    ("IOS420", "contract-vti", r"^ set pfs group5$", "12.4(25d) has no group 14"),
    ("IOS504", "contract-vti", r"ADVIPSERVICESK9", "a k9 image"),
]


@pytest.mark.parametrize(
    ("code", "case", "construct", "why"), PASSING, ids=[f"{c}-{n}" for c, n, _x, _w in PASSING]
)
def test_rule_leaves_the_passing_case_alone(code: str, case: str, construct: str, why: str) -> None:
    text = (CASES / f"{case}.cfg").read_text()
    assert re.search(construct, text, re.M), f"{case} lacks what {code} looks at ({why})"
    assert code not in {f.code for f in ipsec_findings(text, case)}, why


def test_every_ipsec_rule_has_a_passing_case() -> None:
    assert {code for code, *_ in PASSING} == IPSEC_CODES


def test_ipsec_codes_are_rules() -> None:
    assert IPSEC_CODES.issubset(rule.code for rule in RULES)


@pytest.mark.parametrize("case", CASE_FILES, ids=[c.stem for c in CASE_FILES])
def test_no_secret_value_in_any_message(case: Path) -> None:
    text = case.read_text()
    commands = [line.strip() for line in text.splitlines() if not line.startswith("!")]
    values = {line[f.start : f.end] for line in commands for f in secret_fields(line)}
    assert values or "isakmp key" not in text  # the key lines are read as secrets
    messages = " ".join(f.message for f in lint_config(text, case.name))
    assert [v for v in values if v in messages] == []


@pytest.mark.parametrize("config", REAL + GOLDEN, ids=[p.stem for p in REAL + GOLDEN])
def test_no_ipsec_finding_where_no_ipsec_runs(config: Path) -> None:
    """Real routers' configs and the goldens hold no IPsec (`crypto pki` at most)."""
    assert ipsec_findings(config.read_text(), config.name) == []


# --- the image: the site's hardware wins over what the text says -----------------------


def _hits_with(image: str | None, feature_set: str | None, case: str) -> set[str]:
    text = saved_config_text((CASES / f"{case}.cfg").read_text(), case)
    return {hit.code for hit in ipsec_checks(image, feature_set)(read_config(text))}


@pytest.mark.parametrize(
    ("image", "feature_set", "case", "codes"),
    [
        (None, None, "IOS420-group5-on-12.4T", {"IOS420"}),  # the text's 12.4(24)T5
        ("12.4(25d)", None, "IOS420-group5-on-12.4T", set()),  # the site says mainline
        ("12.4(24)T5", None, "contract-vti", {"IOS420"}),
        (None, "ipbase", "contract-vti", {"IOS504"}),
        ("12.4(25d)", "advipservicesk9", "IOS504-ipbase", set()),
        ("12.2(11)T", None, "IOS413-easyvpn-server", {"IOS414", "IOS416", "IOS417"}),
    ],
    ids=["text-12.4T", "site-mainline", "site-12.4T", "site-ipbase", "site-k9", "site-no-aes"],
)
def test_site_hardware_decides(
    image: str | None, feature_set: str | None, case: str, codes: set[str]
) -> None:
    assert _hits_with(image, feature_set, case) == codes


# --- ios.ipsec: the release boundaries the rules stand on -----------------------------------


@pytest.mark.parametrize(
    ("image", "vti", "groups", "ike"),
    [
        (Image(12, 3, 11, "T"), False, (1, 2, 5), (1,)),
        (Image(12, 3, 14, "T"), True, (1, 2, 5), (1,)),
        (Image(12, 4, 25, "", "d"), True, (1, 2, 5), (1,)),
        (Image(12, 4, 21, "T"), True, (1, 2, 5), (1,)),
        (Image(12, 4, 22, "T"), True, (1, 2, 5, 14, 15, 16), (1,)),
        (Image(15, 0, 1, "M"), True, (1, 2, 5, 14, 15, 16), (1,)),
        (Image(15, 1, 1, "T"), True, (1, 2, 5, 14, 15, 16), (1, 2)),
    ],
    ids=["12.3(11)T", "12.3(14)T", "12.4(25d)", "12.4(21)T", "12.4(22)T", "15.0(1)M", "15.1(1)T"],
)
def test_image_boundaries(
    image: Image, vti: bool, groups: tuple[int, ...], ike: tuple[int, ...]
) -> None:
    assert ipsec.supports_vti(image) is vti
    assert ipsec.dh_groups(image) == groups
    assert ipsec.ike_versions(image) == ike


def test_no_sha2_on_any_12_4_image() -> None:
    for image in (Image(12, 4, 25, "", "d"), Image(12, 4, 24, "T")):
        assert ipsec.isakmp_hashes(image) == ("md5", "sha")
        assert not {"esp-sha256-hmac", "esp-gcm"} & set(ipsec.transform_keywords(image))
    assert "sha256" in ipsec.isakmp_hashes(Image(15, 3, 3, "M"))


def test_isakmp_defaults_are_the_weak_ones_iosgen_never_relies_on() -> None:
    assert ipsec.isakmp_defaults == ipsec.IsakmpPolicy("des", "sha", "rsa-sig", 1, 86400)
    assert not any(ipsec.ISAKMP_PRINTED_WHEN_DEFAULT.values())
    lifetime = ipsec.IPSEC_SA_LIFETIME
    assert (lifetime.seconds, lifetime.kilobytes) == (3600, 4608000)


@pytest.mark.parametrize(
    ("feature_set", "strength"),
    [
        ("advipservicesk9", "strong"),
        ("advsecurityk9", "strong"),
        ("ipbasek9", "strong"),
        ("universalk9", "strong"),
        ("k8o3sy7", "des"),
        ("ipbase", "none"),
        ("advipservices", "none"),
    ],
    ids=lambda v: str(v),
)
def test_feature_set_crypto(feature_set: str, strength: str) -> None:
    assert ipsec.crypto_strength(feature_set) == strength
    assert ipsec.is_crypto_image(feature_set) is (strength != "none")


def test_every_hardware_feature_set_is_classified() -> None:
    from iosgen.ios.hardware import FEATURE_SETS

    crypto = {fs for fs in FEATURE_SETS if ipsec.is_crypto_image(fs)}
    assert crypto == {fs for fs in FEATURE_SETS if fs.endswith("k9")}


@pytest.mark.parametrize(
    ("images", "encryption", "group"),
    [
        ((Image(12, 4, 25, "", "d"),), "aes 256", 5),
        ((Image(12, 4, 24, "T"), Image(12, 4, 25, "", "d")), "aes 256", 5),
        ((Image(12, 4, 24, "T"), Image(15, 1, 4, "M")), "aes 256", 14),
        ((Image(12, 2, 11, "T"), Image(12, 4, 25, "", "d")), "3des", 5),
    ],
    ids=["mainline", "mainline-and-T", "both-group14", "one-without-aes"],
)
def test_a_tunnel_gets_what_both_ends_speak(
    images: tuple[Image, ...], encryption: str, group: int
) -> None:
    proposal = ipsec.proposal_for(*images)
    assert (proposal.encryption, proposal.group, proposal.hash) == (encryption, group, "sha")
    assert proposal.transforms[1] == "esp-sha-hmac"
    assert all(proposal.group in ipsec.dh_groups(image) for image in images)


# --- IOS401 and SITE401 name the way out ----------------------------------------------------


def test_ios401_names_the_migration_for_client_and_server() -> None:
    text = (ROOT / "tests" / "lint" / "cases" / "IOS401-pptp.cfg").read_text()
    findings = lint_config(text, "IOS401-pptp.cfg")
    messages = {f.line: f.message for f in findings if f.code == "IOS401"}
    assert "`iosgen migrate --host R1 --tunnel NAME --to ipsec`" in messages[13]
    assert "the site's tunnel on Dialer2" in messages[13]
    assert "`iosgen migrate --host BRANCH --tunnel NAME --to ipsec`" in messages[8]


def test_site401_names_the_site_and_tunnel() -> None:
    site = load_files([ROOT / "inventory" / "sites" / "ruse.yaml"], load_resolver(None)).sites[0]
    messages = [hit.message for hit in site_hits(site) if hit.code == "SITE401"]
    assert f"`iosgen migrate --host {site.hostname} --tunnel sofia --to ipsec`" in messages[0]


def test_lint_config_takes_the_site_hardware() -> None:
    text = (CASES / "contract-vti.cfg").read_text()
    assert "IOS420" not in {f.code for f in lint_config(text, "contract-vti.cfg")}
    site = lint_config(text, "contract-vti.cfg", image="12.4(24)T5", feature_set="advipservicesk9")
    assert "IOS420" in {f.code for f in site}
