"""Where the backend's settings come from: the command line, then the environment, then
defaults (a SQLite file in the platform data directory)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import platformdirs

APP_NAME = "mostrador-server"
ENV_DATABASE = "MOSTRADOR_SERVER_DATABASE"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DATABASE_FILE = "mostrador-server.sqlite3"


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().resolve()}"


def default_database_url() -> str:
    """``$MOSTRADOR_SERVER_DATABASE``, else a SQLite file in the platform data directory."""
    configured = os.environ.get(ENV_DATABASE, "").strip()
    if configured:
        return normalize_database_url(configured)
    return sqlite_url(data_dir() / DATABASE_FILE)


def normalize_database_url(value: str) -> str:
    """A SQLAlchemy URL for what the user typed.

    ``postgres://`` and ``postgresql://`` mean psycopg 3 (the driver the backend ships with);
    a value without a scheme is the path of a SQLite file.
    """
    value = value.strip()
    if "://" not in value:
        return sqlite_url(Path(value))
    scheme, rest = value.split("://", 1)
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return value


def server_version() -> str:
    """The installed version: of ``mostrador-server`` (the backend alone, built by
    packaging/server/build.py), else of ``mostrador`` (the whole project)."""
    for distribution in ("mostrador-server", "mostrador"):
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
    return "0+unknown"  # pragma: no cover - running from a bare checkout


# --- click-and-collect -------------------------------------------------------------------------

ENV_NOTIFY_WEBHOOK = "MOSTRADOR_NOTIFY_WEBHOOK"
ENV_ORDER_EXPIRY_DAYS = "MOSTRADOR_ORDER_EXPIRY_DAYS"
DEFAULT_ORDER_EXPIRY_DAYS = 7


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """What a serving process does besides answering requests.

    ``notify_webhook``: where customer notifications are POSTed (None: they are logged).
    ``order_expiry_days``: an order not collected within this many days of its creation expires.
    The intervals are in seconds: how often the outbox of notifications is looked at, how often
    due orders are expired, and the first and longest wait between two delivery attempts.
    """

    notify_webhook: str | None = None
    order_expiry_days: int = DEFAULT_ORDER_EXPIRY_DAYS
    deliver_every: float = 1.0
    expire_every: float = 60.0
    retry_first: float = 2.0
    retry_max: float = 600.0


def settings_from_env() -> ServerSettings:
    """``$MOSTRADOR_NOTIFY_WEBHOOK`` and ``$MOSTRADOR_ORDER_EXPIRY_DAYS`` (how ``serve`` hands its
    options to worker processes)."""
    webhook = os.environ.get(ENV_NOTIFY_WEBHOOK, "").strip() or None
    days_text = os.environ.get(ENV_ORDER_EXPIRY_DAYS, "").strip()
    try:
        days = int(days_text) if days_text else DEFAULT_ORDER_EXPIRY_DAYS
    except ValueError:
        days = DEFAULT_ORDER_EXPIRY_DAYS
    return ServerSettings(notify_webhook=webhook, order_expiry_days=max(days, 1))
