"""Local copies of the register's database, made with SQLite's online backup API
(``sqlite3.Connection.backup``: a consistent copy while the register keeps running), kept in a
directory and rotated: only the newest ``keep`` copies stay."""

from __future__ import annotations

import logging
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

PREFIX = "register-"
SUFFIX = ".sqlite3"


class SqliteBackup:
    def __init__(self, database: Path, directory: Path, *, keep: int = 10) -> None:
        if keep < 1:
            raise ValueError("keep at least one backup")
        self.database = Path(database)
        self.directory = Path(directory)
        self.keep = keep

    def copies(self) -> list[Path]:
        """The backups kept, oldest first (their names sort by time)."""
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob(f"{PREFIX}*{SUFFIX}"))

    def backup(self, label: str) -> str:
        """Copy the database to ``<directory>/register-<UTC time>-<label>.sqlite3`` (written
        aside, then renamed: a copy there is whole), drop the oldest beyond ``keep``; the path.
        Raises ``OSError`` or ``sqlite3.Error``."""
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        safe = re.sub(r"[^A-Za-z0-9_-]", "_", label)[:60]
        target = self.directory / f"{PREFIX}{stamp}-{safe}{SUFFIX}"
        partial = target.with_suffix(".partial")
        source = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
            finally:
                dest.close()
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        finally:
            source.close()
        partial.replace(target)
        for old in self.copies()[: -self.keep]:
            try:
                old.unlink()
            except OSError:
                log.warning("could not remove the old backup %s", old, exc_info=True)
        log.info("database backed up to %s", target)
        return str(target)
