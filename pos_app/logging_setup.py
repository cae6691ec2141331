"""The register's log file: rotating, in the platform log directory.

``mostrador run``, ``demo`` and ``provision`` log to ``mostrador.log`` in
``platformdirs.user_log_dir("mostrador")`` (``~/.local/state/mostrador/log`` on Linux,
``%LOCALAPPDATA%\\mostrador\\Logs`` on Windows), or in ``$MOSTRADOR_LOG_DIR`` or ``--log-dir``.
The file rotates at :data:`MAX_BYTES`, keeping :data:`BACKUPS` old files, so a register never
fills its disk with logs. ``mostrador diagnostics`` puts the newest ones in its zip.

No secret is ever logged (tokens, enrolment codes and PINs are not passed to loggers); as a
second guard, :class:`RedactingFilter` blanks anything shaped like a bearer token.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

import platformdirs

from pos_app.config import APP_NAME

LOG_DIR_ENV = "MOSTRADOR_LOG_DIR"
LOG_FILE = "mostrador.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)

log = logging.getLogger(__name__)


def default_log_dir() -> Path:
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_files(log_dir: Path) -> list[Path]:
    """The log file and its rotated copies, newest first."""
    current = log_dir / LOG_FILE
    rotated = [log_dir / f"{LOG_FILE}.{n}" for n in range(1, BACKUPS + 1)]
    return [path for path in (current, *rotated) if path.exists()]


class RedactingFilter(logging.Filter):
    """Blanks bearer tokens in a record's message, whatever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _BEARER.search(message):
            record.msg = _BEARER.sub(r"\1<redactado>", message)
            record.args = None
        return True


class LogFile:
    """The rotating file handler on the root logger, while the command runs."""

    def __init__(self, handler: logging.handlers.RotatingFileHandler, path: Path) -> None:
        self._handler = handler
        self.path = path

    def close(self) -> None:
        root = logging.getLogger()
        root.removeHandler(self._handler)
        self._handler.close()


def start_log_file(
    log_dir: Path | None = None,
    *,
    verbose: bool = False,
    max_bytes: int = MAX_BYTES,
    backups: int = BACKUPS,
) -> LogFile | None:
    """Log INFO and above (DEBUG with ``verbose``) to the rotating file in ``log_dir``; None,
    with a warning on standard error, when that directory cannot be written (the register
    works without its log file)."""
    folder = log_dir or default_log_dir()
    path = folder / LOG_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=False
        )
    except OSError as exc:
        log.warning("no log file in %s: %s", folder, exc)
        return None
    level = logging.DEBUG if verbose else logging.INFO
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    root.addHandler(handler)
    return LogFile(handler, path)
