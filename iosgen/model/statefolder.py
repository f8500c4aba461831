"""Where `iosgen migrate` keeps its state files, apart from the migration model itself:
the loader asks on every build whether the folder exists, and the answer must not cost
importing the migration model (~4 ms of a start) when, as usual, it does not."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

MIGRATIONS_DIR: Final = Path(".iosgen/migrations")
# The folder's setting (`migrations` in iosgen.toml reaches the loader through it).
MIGRATIONS_ENV: Final = "IOSGEN_MIGRATIONS"


def migrations_folder() -> Path:
    """Where the loader reads migration states: $IOSGEN_MIGRATIONS, else
    `.iosgen/migrations` of the working directory (`iosgen migrate --state-dir`'s
    default), so build, audit and push see a branch at its step done."""
    return Path(os.environ.get(MIGRATIONS_ENV) or MIGRATIONS_DIR)
