"""Where everything lives. One setting locates it all: WAREHOUSE_DIR (default ./warehouse).

Read at call time, never at import, so a test or a run can point the whole pipeline elsewhere by
setting the environment variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WarehousePaths:
    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def rejected(self) -> Path:
        return self.root / "rejected"

    @property
    def archives(self) -> Path:
        """Archives whose files were unpacked into the inbox, each with its contents note."""
        return self.root / "archives"

    @property
    def warehouse_db(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def serving_db(self) -> Path:
        return self.root / "serving.duckdb"


def warehouse_paths() -> WarehousePaths:
    return WarehousePaths(Path(os.environ.get("WAREHOUSE_DIR", "warehouse")).resolve())


def schedule_timezone() -> str:
    """Timezone of the nightly run (IANA name), WAREHOUSE_TIMEZONE, default UTC."""
    return os.environ.get("WAREHOUSE_TIMEZONE", "UTC")


def scoring_processes() -> int:
    """Worker processes for scoring: SCORING_PROCESSES, default one per core."""
    return int(os.environ.get("SCORING_PROCESSES", "0")) or (os.cpu_count() or 1)
