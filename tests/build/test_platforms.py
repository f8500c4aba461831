"""The platform registry (iosgen.build.PLATFORMS): one builder per `Platform`, and no cycle."""

from __future__ import annotations

import ast
import ipaddress
import subprocess
import sys
from pathlib import Path

import pytest

from iosgen.build import PLATFORMS, Build, build_site, golden_path, write_build
from iosgen.build.ios import ios_view
from iosgen.model.inventory import load_files, load_resolver
from iosgen.model.platform import Platform
from iosgen.model.site import Site
from tests.conftest import GOLDEN, INVENTORY, ROOT

SITE_FILES = {
    Platform.IOS: INVENTORY / "sites" / "plovdiv.yaml",
    Platform.LINUX_PPPD: INVENTORY / "sites" / "plovdiv-linux.yaml",
}


def _site(platform: Platform) -> Site:
    path = SITE_FILES[platform]
    return load_files([path], load_resolver(None, inventory=INVENTORY, site_file=path)).sites[0]


def test_every_platform_has_a_builder() -> None:
    assert set(PLATFORMS) == set(Platform)
    assert all(builder.platform is platform for platform, builder in PLATFORMS.items())


@pytest.mark.parametrize(
    ("platform", "single", "golden", "lint"),
    [
        (Platform.IOS, True, "R-ITD.cfg", "config"),
        (Platform.LINUX_PPPD, False, "plovdiv-gw", "model"),
    ],
    ids=["ios-one-file", "linux-pppd-tree"],
)
def test_builder_facts(platform: Platform, single: bool, golden: str, lint: str) -> None:
    build = build_site(_site(platform))
    assert build.platform is platform
    assert build.builder is PLATFORMS[platform]
    assert build.builder.single_file is single
    assert (build.single is not None) is single
    assert build.builder.lint == lint
    assert golden_path(GOLDEN, build) == GOLDEN / golden
    assert golden_path(GOLDEN, build).is_file() is single


@pytest.mark.parametrize("platform", list(Platform), ids=[p.value for p in Platform])
def test_write_build_writes_the_builders_paths(platform: Platform, tmp_path: Path) -> None:
    build: Build = build_site(_site(platform))
    target = build.builder.path_in(tmp_path, build)
    written = write_build(build, target)
    assert written == build.builder.paths(build, target)
    assert [p.read_text() for p in written] == [f.content for f in build.files]
    assert [p.stat().st_mode & 0o777 for p in written] == [f.mode for f in build.files]


def test_platform_is_read_from_yaml_as_the_enum() -> None:
    site = _site(Platform.LINUX_PPPD)
    assert site.platform is Platform.LINUX_PPPD
    assert site.model_dump(include={"platform"}, mode="json") == {"platform": "linux"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "iosgen" / "build" / "linux").glob("*.py")),
    ids=lambda p: p.name,
)
def test_linux_renderer_does_not_import_the_build_package(path: Path) -> None:
    """iosgen.build imports iosgen.build.linux; importing it back would be a cycle."""
    assert "iosgen.build" not in _imports(path)


def test_building_loads_no_device_or_diff_code() -> None:
    """`iosgen build` stays fast: building loads no SSH, hier_config or ciscoconfparse."""
    code = (
        "import sys, iosgen.build; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'netmiko', 'paramiko', 'hier_config', 'ciscoconfparse', 'rich'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stdout.strip()) == (0, "[]")


def _route_key(line: str) -> tuple[int, int]:
    words = line.split()  # ip route NETWORK MASK TARGET
    net = ipaddress.IPv4Network(f"{words[2]}/{words[3]}")
    return int(net.network_address), net.prefixlen


def test_ios_view_routes_are_in_ios_order() -> None:
    """IOS prints static routes by network, then prefix length: the default route first."""
    routes = ios_view(_site(Platform.IOS)).routes
    assert routes[0].startswith("ip route 0.0.0.0 0.0.0.0 ") or len(routes) < 2
    assert routes == tuple(sorted(routes, key=_route_key))
