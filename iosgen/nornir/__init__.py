"""iosgen inside Nornir: the `IosgenInventory` plugin and the iosgen task plugins.

An optional extra (`pip install 'iosgen[nornir]'`); the guide is docs/nornir.md::

    nr = InitNornir(runner={"plugin": "threaded", "options": {"num_workers": 10}},
                    inventory={"plugin": "IosgenInventory", "options": {"inventory": "inventory"}})
    results = nr.run(task=iosgen_audit)

Names load lazily (as `iosgen/__init__.py`): Nornir imports every registered inventory
plugin on each `InitNornir`, so the entry point's import of this package loads no tasks.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

try:
    import nornir  # noqa: F401
except ImportError:  # the optional extra is missing: say which one
    raise ImportError(
        "iosgen.nornir needs Nornir, iosgen's optional extra: pip install 'iosgen[nornir]'"
    ) from None

_WHERE: dict[str, str] = {
    "IosgenInventory": "iosgen.nornir.inventory",
    "iosgen_build": "iosgen.nornir.tasks",
    "iosgen_diff": "iosgen.nornir.tasks",
    "iosgen_audit": "iosgen.nornir.tasks",
    "iosgen_push": "iosgen.nornir.tasks",
    "iosgen_verify": "iosgen.nornir.tasks",
}

__all__ = [
    "IosgenInventory",
    "iosgen_audit",
    "iosgen_build",
    "iosgen_diff",
    "iosgen_push",
    "iosgen_verify",
]

if TYPE_CHECKING:
    from iosgen.nornir.inventory import IosgenInventory
    from iosgen.nornir.tasks import (
        iosgen_audit,
        iosgen_build,
        iosgen_diff,
        iosgen_push,
        iosgen_verify,
    )


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'iosgen.nornir' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
