"""The register's SQLite engine and its migrations.

- WAL journal, ``synchronous=FULL`` (a completed sale survives a power cut), foreign keys on,
  a busy time-out, a larger page cache for the catalog indexes.
- Every transaction is begun explicitly by us (the sqlite3 module's own implicit BEGIN is turned
  off), ``BEGIN IMMEDIATE`` for units of work that write, so the single writer takes the write
  lock at the start and a reader never has to be upgraded half-way.
- The schema is created and upgraded only by Alembic, at start, so an upgraded build keeps every
  unsynced sale.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection

from pos_app.storage import product_index

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The newest revision, so that a start-up on a current schema need not import Alembic (~150 ms).
# A test checks it against Alembic's own head.
HEAD_REVISION = "0016"
# Checked at every start (fast); the whole file is checked by `mostrador self-test`.
VITAL_TABLES = ("sales", "sale_lines", "sale_payments", "outbox", "receipt_series")
IMMEDIATE = "mostrador_immediate"


class DatabaseError(Exception):
    """The register database cannot be opened or upgraded."""


def create_register_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 10},
        pool_size=4,
        max_overflow=4,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA cache_size=-32000")
            cursor.execute("PRAGMA temp_store=MEMORY")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(IMMEDIATE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    if head is None:
        raise DatabaseError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not exists:
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: the newest). A no-op when already there
    (without even importing Alembic: it costs half a second of every start)."""
    try:
        if revision == "head" and current_revision(engine) == HEAD_REVISION:
            return
        from alembic import command

        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), revision)
        log.info("database migrated to %s", revision)
    except Exception as exc:
        if isinstance(exc, DatabaseError):
            raise
        raise DatabaseError(f"cannot migrate the register database: {exc}") from exc


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision`` (``base`` = nothing): for tests of the migrations and
    for IT rolling back a build, never run by the app itself."""
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), revision)


def _stored_revision(path: Path) -> str | None:
    """The Alembic revision written in the file at ``path``, read without writing anything
    (a read-only connection: not even the journal mode is touched); None when the file does
    not exist, holds no revision yet or cannot be read (the checks after this one say why)."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return None if row is None else str(row[0])


def refuse_newer(revision: str | None) -> None:
    """``DatabaseError`` when ``revision`` is one this build does not know: the database was
    made by a newer build, and migrating it (or writing to it at all) could corrupt it."""
    if revision is None or revision == HEAD_REVISION:
        return
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision)
    except CommandError:
        raise DatabaseError(
            f"esta base de datos es de una versión más nueva de Mostrador (revisión {revision}); "
            "instale esa versión o una posterior. No se ha modificado. "
            f"(This database was made by a newer build of Mostrador, revision {revision}; "
            "install that version or a later one. It was left untouched.)"
        ) from None


def open_database(path: Path) -> Engine:
    """Create or upgrade the register database at ``path`` and return its engine.

    A database made by a newer build (a revision this build does not know) is refused before
    anything is written to the file."""
    refuse_newer(_stored_revision(path))
    engine = create_register_engine(path)
    try:
        with engine.connect() as conn:
            existing = set(
                conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
                .scalars()
                .all()
            )
            # The tables that hold completed sales and unsynced events: a full quick_check of a
            # million-product catalog would cost most of a second at every start.
            for table in VITAL_TABLES if existing else ():
                if table in existing:
                    result = conn.exec_driver_sql(f"PRAGMA quick_check({table})").scalar()
                    if result != "ok":
                        raise DatabaseError(
                            f"database {path} failed its integrity check ({table}): {result}"
                        )
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open the register database {path}: {exc}") from exc
    migrate(engine)
    return engine


# Pages the WAL may hold before a commit copies them back into the database file. SQLite's
# default (1000 pages, 4 MiB) keeps the sale that happens to trigger a checkpoint quick.
AUTOCHECKPOINT_PAGES = 1000
BULK_AUTOCHECKPOINT_PAGES = 10_000


@contextmanager
def bulk_writes(engine: Engine) -> Iterator[None]:
    """Let large writes checkpoint the WAL ten times less often while the block runs.

    For enrolment's first download of the catalog, which runs before the till opens: every
    product touches random pages of the id and barcode indexes, and a checkpoint every 4 MiB
    copied many of those pages to the database file again and again (measured on 1,000,000
    products: applying took about a quarter less time this way). Connections get the usual
    setting back when they return to the pool.
    """

    def on_checkout(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        dbapi_conn.execute(f"PRAGMA wal_autocheckpoint={BULK_AUTOCHECKPOINT_PAGES}")

    def on_checkin(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")

    event.listen(engine, "checkout", on_checkout)
    event.listen(engine, "checkin", on_checkin)
    try:
        yield
    finally:
        event.remove(engine, "checkout", on_checkout)
        event.remove(engine, "checkin", on_checkin)


def integrity_check(engine: Engine) -> str:
    """The whole file's ``PRAGMA integrity_check``, then the product name index against the
    products: "ok", or what is wrong."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        if rows != ["ok"]:
            return "; ".join(str(r) for r in rows[:10])
        verdict = product_index.check(conn)
        conn.rollback()
    return verdict
