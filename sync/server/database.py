"""The backend's database: engine, transactions, and schema migrations.

One ``Database`` per process, made by the app's lifespan or by a CLI command — never at
import time. Transactions are short and explicit:

- ``reading()``: a read transaction (a consistent snapshot on SQLite; READ COMMITTED on
  PostgreSQL, each statement seeing everything committed before it).
- ``writing()``: a write transaction. On SQLite it starts with ``BEGIN IMMEDIATE``, so a writer
  takes the write lock before it reads what it will change (a deferred transaction could read,
  then fail to upgrade its lock when another writer got in between).

Transient failures (connection lost, lock time-out, deadlock, serialization failure) surface
as ``Unavailable``: the request is answered 503 and nothing of the failed transaction stays.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError as AlembicCommandError
from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url

from sync.server.core.config import normalize_database_url
from sync.server.errors import CommandError, SchemaOutOfDate, Unavailable

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_WRITE_OPTION = "mostrador_write"
# Any 64-bit number of our own: serializes migrations of several processes on PostgreSQL.
_MIGRATION_LOCK_KEY = 0x4D6F737472616472
_SQLITE_BUSY_TIMEOUT_S = 30
_RETRIES = 3

T = TypeVar("T")


def is_transient(error: BaseException) -> bool:
    """A failure that may pass if the same transaction is tried again later."""
    if isinstance(error, exc.TimeoutError):  # pool exhausted
        return True
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return True
        return isinstance(error, exc.OperationalError | exc.InterfaceError)
    return False


def describe(error: BaseException) -> str:
    """A one-line description of a database error, without statement or parameters."""
    orig = getattr(error, "orig", None) or error
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else ""
    return f"{type(orig).__name__}: {first}"[:300]


class Database:
    def __init__(self, url: str, *, pool_size: int = 10, max_overflow: int = 20) -> None:
        self.url = normalize_database_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise CommandError(
                f"unsupported database {self.dialect!r}: use sqlite:///FILE or postgresql://..."
            )
        if self.dialect == "sqlite":
            if not parsed.database or parsed.database == ":memory:":
                raise CommandError("the backend needs a SQLite file, not an in-memory database")
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(
                parsed,
                hide_parameters=True,
                connect_args={"timeout": _SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
                pool_size=pool_size,
                max_overflow=max_overflow,
            )
            _install_sqlite_hooks(self.engine)
        else:
            self.engine = create_engine(
                parsed,
                hide_parameters=True,
                pool_size=pool_size,
                max_overflow=max_overflow,
                pool_pre_ping=True,
                pool_timeout=10,
            )

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(**{_WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def retrying(self, work: Callable[[], T], *, what: str) -> T:
        """Run ``work`` (which opens its own transaction), trying again a few times on a
        transient failure (a deadlock, a lost connection); then ``Unavailable``."""
        for attempt in range(1, _RETRIES + 1):
            try:
                return work()
            except exc.SQLAlchemyError as error:
                if not is_transient(error):
                    raise
                log.warning("%s: attempt %d failed: %s", what, attempt, describe(error))
                if attempt == _RETRIES:
                    raise Unavailable(
                        "the database is not available right now; try again later"
                    ) from error
                time.sleep(0.05 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    # --- schema ----------------------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema to this version's head (several processes may do it at once)."""
        with self.engine.connect() as conn:
            conn.execution_options(**{_WRITE_OPTION: True})
            with conn.begin():
                if self.is_postgres:
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                    )
                before = _current_revision(conn)
                _refuse_newer(before)
                config = _alembic_config()
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                after = _current_revision(conn)
        if before != after:
            log.info("database schema upgraded from %s to %s", before or "empty", after)

    def check_schema(self) -> None:
        """Refuse to serve a database that is not at this version's schema."""
        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        with self.reading() as conn:
            current = _current_revision(conn)
        _refuse_newer(current)
        if current != head:
            raise SchemaOutOfDate(
                f"the database schema is at {current or 'nothing'}, this server needs {head}: "
                "run `mostrador-server migrate` (or `serve`, which migrates first)"
            )


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _refuse_newer(revision: str | None) -> None:
    """``SchemaOutOfDate`` for a schema revision this server does not know: the database was
    migrated by a newer version, and this one must neither migrate nor serve it."""
    if revision is None:
        return
    try:
        ScriptDirectory.from_config(_alembic_config()).get_revision(revision)
    except AlembicCommandError:
        raise SchemaOutOfDate(
            f"this database was made by a newer version of Mostrador (schema revision "
            f"{revision}); install that version or a later one. Nothing was changed. "
            f"(Esta base de datos es de una versión más nueva de Mostrador (revisión {revision}); "
            "instale esa versión o una posterior.)"
        ) from None


def _install_sqlite_hooks(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, emit BEGIN (so SELECTs and DDL are inside the
    transaction), WAL for concurrent readers, FULL sync: an acknowledged push is on disk."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_S * 1000}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
