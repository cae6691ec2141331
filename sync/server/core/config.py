"""Where the backend's settings come from: the command line, then the environment, then
defaults (a SQLite file in the platform data directory)."""

from __future__ import annotations

import os
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
    try:
        return metadata.version("mostrador")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"
