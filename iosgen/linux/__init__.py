"""The Linux pppd/pptp platform (`platform: linux-pppd`): placeholder until it lands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iosgen.errors import RenderError

if TYPE_CHECKING:
    from iosgen.build import BuiltFile
    from iosgen.model import Site


def render_linux(site: Site) -> tuple[list[BuiltFile], dict[str, str]]:
    raise RenderError(f"{site.hostname}: the linux-pppd platform is not built yet")
