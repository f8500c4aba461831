"""The migration state files: `.iosgen/migrations/<HOST>.json`, written atomically.

The state holds no secret (the key by its reference only), so the file is 0644 like
the history records; it is replaced whole (a temporary file, then `os.replace`), so a
reader sees the old state or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from iosgen.model.migration import MigrationState, state_path


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_state(folder: Path, state: MigrationState) -> Path:
    """Write `state` as `<folder>/<HOST>.json`; returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = state_path(folder, state.host)
    fd, tmp = tempfile.mkstemp(prefix=f".{state.host}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(state.to_json())
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


__all__ = ["now", "write_state"]
