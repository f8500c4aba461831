"""The one Jinja2 environment for every platform's templates (iosgen/templates/)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from iosgen.errors import RenderError

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=jinja2.StrictUndefined,  # a missing value is a bug, never an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,  # templates ship with the package; skip a stat() per include
        # Compiling the templates is a third of `iosgen build`'s own time; Jinja keeps
        # the compiled code in a private per-user folder (checksummed, written
        # atomically), so later runs only load it.
        bytecode_cache=jinja2.FileSystemBytecodeCache(pattern="iosgen-%s.cache"),
    )


def render_template(name: str, context: str, **values: object) -> str:
    """Render `name` (e.g. `ios/running-config.j2`); errors name the template and `context`."""
    try:
        return environment().get_template(name).render(**values)
    except jinja2.TemplateError as exc:
        raise RenderError(f"{context}: template {name}: {exc}") from exc
