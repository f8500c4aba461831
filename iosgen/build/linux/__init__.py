"""The Linux pppd/pptp platform (`platform: linux-pppd`): a site becomes a file tree.

`view` derives the values, `render` lays them out; the site-model checks for
`iosgen lint` are iosgen.lint.checks.linux. `render_linux` is the door `iosgen.build` uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iosgen.build.files import BuiltFile
from iosgen.build.linux.render import render_tree
from iosgen.build.linux.view import linux_view

if TYPE_CHECKING:
    from iosgen.model.site import Site


def render_linux(site: Site) -> tuple[list[BuiltFile], dict[str, str]]:
    """The box's files (paths relative to its root) and the masking tokens of its
    secrets (chap-secrets, WireGuard keys, IPsec pre-shared keys)."""
    view = linux_view(site)
    return render_tree(view), view.secret_tokens
