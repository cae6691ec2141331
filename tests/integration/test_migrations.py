"""The register schema is made only by Alembic, and matches the tables the code queries.
(Databases of every earlier revision, upgraded with their pending events: test_upgrades.py.)"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from pos_app.storage.db import (
    current_revision,
    downgrade,
    head_revision,
    open_database,
)
from pos_app.storage.tables import metadata
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory


def test_the_head_revision_constant_is_alembics_head():
    from pos_app.storage.db import HEAD_REVISION

    assert HEAD_REVISION == head_revision()


def test_a_new_database_is_at_the_newest_revision(tmp_path):
    engine = open_database(tmp_path / "r.sqlite3")
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()


def test_the_migrated_schema_matches_the_table_definitions(tmp_path):
    engine = open_database(tmp_path / "r.sqlite3")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # The FTS5 index and its shadow tables are made by the migration only (no Table object).
    diff = [
        d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("products_fts"))
    ]
    assert diff == []
    engine.dispose()


def test_downgrade_and_upgrade_round_trip_keeps_the_schema_usable(tmp_path, db_path):
    from support import make_register_db

    engine = make_register_db(db_path)
    downgrade(engine, "base")
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars()
        assert set(tables) <= {"alembic_version", "sqlite_sequence"}
    engine.dispose()
    engine = make_register_db(db_path)
    with engine.connect() as conn:
        hits = conn.execute(
            text("SELECT count(*) FROM products_fts WHERE products_fts MATCH 'cafe*'")
        ).scalar_one()
    assert hits == 2
    engine.dispose()


def test_reopening_an_existing_database_keeps_its_sales(db_path, clock):
    from support import BREAD, IDENTITY, make_register_db

    from pos_app.domain.money import Money
    from pos_app.services.checkout import CheckoutService

    engine = make_register_db(db_path)
    svc = CheckoutService(SqlUnitOfWorkFactory(engine), clock, IDENTITY, cashier="Ana")
    svc.scan(BREAD)
    svc.add_cash(Money(120))
    number = svc.complete_sale().sale.receipt_number
    engine.dispose()
    engine = open_database(db_path)  # the next start: migrations run, nothing is lost
    with engine.connect() as conn:
        assert conn.execute(text("SELECT receipt_number FROM sales")).scalar_one() == number
        assert conn.execute(text("SELECT count(*) FROM outbox")).scalar_one() == 2  # + F2
    engine.dispose()


def test_a_corrupt_file_is_refused_with_a_clear_error(tmp_path):
    import pytest

    from pos_app.storage.db import DatabaseError

    path = tmp_path / "r.sqlite3"
    path.write_bytes(b"this is not a database" * 100)  # not even a header
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert str(path) in str(info.value)
