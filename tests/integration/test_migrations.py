"""The register schema is made only by Alembic, and matches the tables the code queries."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from pos_app.demo.catalog_generator import TAX_CLASSES, generate_catalog
from pos_app.domain.ids import new_id
from pos_app.domain.sale import format_receipt_number
from pos_app.services.sync import SyncService
from pos_app.storage.catalog_loader import product_id_for_sku
from pos_app.storage.db import (
    create_register_engine,
    current_revision,
    downgrade,
    head_revision,
    migrate,
    open_database,
)
from pos_app.storage.tables import metadata
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
from sync.protocol import SaleAbandonedPayload, SaleCompletedPayload


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
    from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory

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


# --- a register of the first schema revision, with pending outbox rows, upgraded ------------

OLD_SALE_TIME = datetime(2026, 3, 2, 9, 15, tzinfo=ZoneInfo("Europe/Madrid"))
# What the old register sold: baskets of (index into its catalog, quantity).
OLD_BASKETS = ([(0, 1)], [(1, 2), (2, 1)], [(3, 1)], [(0, 3), (3, 2)], [(2, 1)])


def _tax_split(total_cents: int, rate: Decimal) -> tuple[int, int]:
    base = int((Decimal(total_cents) * 100 / (100 + rate)).quantize(Decimal(1), ROUND_HALF_UP))
    return base, total_cents - base


def _old_outbox(conn, event_type: str, payload: dict, at: datetime) -> None:
    conn.execute(
        text(
            "INSERT INTO outbox (event_id, event_type, payload, occurred_at) "
            "VALUES (:id, :type, :payload, :at)"
        ),
        {
            "id": new_id(),
            "type": event_type,
            "payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            "at": at.isoformat(timespec="microseconds"),
        },
    )


def _sell_as_revision_0001(conn, number: int, basket, catalog, rates, at: datetime) -> str:
    """One sale as the register of revision 0001 wrote it, in one transaction: the sale, its
    lines, taxes and payment, the receipt series, the stock movements and the outbox event
    (whose payload is the sale, field for field as those tables hold it)."""
    sale_id = new_id()
    receipt = format_receipt_number("T01", "C01", at.year, number)
    lines = []
    for line_no, (index, quantity) in enumerate(basket, start=1):
        product = catalog[index]
        total = product.price_cents * quantity
        rate = rates[product.tax_class]
        base, tax = _tax_split(total, rate)
        lines.append(
            {
                "line_no": line_no,
                "product_id": product_id_for_sku(product.sku),
                "sku": product.sku,
                "name": product.name,
                "measure": "unit",
                "quantity": str(quantity),
                "unit_price_cents": product.price_cents,
                "gross_cents": total,
                "discount_cents": 0,
                "total_cents": total,
                "tax_class": product.tax_class,
                "tax_rate": str(rate),
                "base_cents": base,
                "tax_cents": tax,
            }
        )
    taxes: dict[tuple[str, str], dict] = {}
    for line in lines:
        group = taxes.setdefault(
            (line["tax_class"], line["tax_rate"]),
            {"tax_class": line["tax_class"], "rate": line["tax_rate"], "base_cents": 0,
             "tax_cents": 0, "total_cents": 0},
        )  # fmt: skip
        for field in ("base_cents", "tax_cents", "total_cents"):
            group[field] += line[field]
    total = sum(line["total_cents"] for line in lines)
    payment = {"payment_id": new_id(), "kind": "card", "amount_cents": total,
               "tendered_cents": total, "reference": "****4242"}  # fmt: skip
    conn.execute(
        text(
            "INSERT INTO sales (id, receipt_number, receipt_year, receipt_seq, store_code, "
            "register_code, cashier, completed_at, completed_utc, currency, gross_cents, "
            "discount_cents, total_cents, tax_cents, change_cents, item_count) VALUES (:id, "
            ":receipt, :year, :number, 'T01', 'C01', 'Ana', :at, :utc, 'EUR', :total, 0, "
            ":total, :tax, 0, :items)"
        ),
        {"id": sale_id, "receipt": receipt, "year": at.year, "number": number,
         "at": at.isoformat(timespec="microseconds"),
         "utc": at.astimezone(UTC).isoformat(timespec="microseconds"), "total": total,
         "tax": sum(t["tax_cents"] for t in taxes.values()),
         "items": str(sum(q for _, q in basket))},
    )  # fmt: skip
    conn.execute(
        text(
            "INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, measure, quantity, "
            "unit_price_cents, gross_cents, discount_cents, total_cents, tax_class, tax_rate, "
            "base_cents, tax_cents) VALUES (:sale_id, :line_no, :product_id, :sku, :name, "
            ":measure, :quantity, :unit_price_cents, :gross_cents, :discount_cents, "
            ":total_cents, :tax_class, :tax_rate, :base_cents, :tax_cents)"
        ),
        [{"sale_id": sale_id, **line} for line in lines],
    )
    conn.execute(
        text(
            "INSERT INTO sale_taxes (sale_id, tax_class, rate, label, base_cents, tax_cents, "
            "total_cents) VALUES (:sale_id, :tax_class, :rate, :label, :base_cents, "
            ":tax_cents, :total_cents)"
        ),
        [{"sale_id": sale_id, "label": f"IVA {g['rate']} %", **g} for g in taxes.values()],
    )
    conn.execute(
        text(
            "INSERT INTO sale_payments (id, sale_id, position, kind, amount_cents, "
            "tendered_cents, reference) VALUES (:payment_id, :sale_id, 0, :kind, "
            ":amount_cents, :tendered_cents, :reference)"
        ),
        {"sale_id": sale_id, **payment},
    )
    conn.execute(
        text(
            "INSERT INTO receipt_series (series, last_number) VALUES (:s, :n) "
            "ON CONFLICT (series) DO UPDATE SET last_number = excluded.last_number"
        ),
        {"s": f"T01-C01-{at.year:04d}", "n": number},
    )
    for line in lines:
        conn.execute(
            text(
                "INSERT INTO stock_movements (id, product_pk, delta_milli, reason, reference, "
                "created_at) SELECT :id, pk, :delta, 'sale', :sale_id, :at FROM products "
                "WHERE id = :product_id"
            ),
            {"id": new_id(), "delta": -1000 * int(line["quantity"]), "sale_id": sale_id,
             "at": at.isoformat(timespec="microseconds"), "product_id": line["product_id"]},
        )  # fmt: skip
    payload = {
        "sale_id": sale_id, "receipt_number": receipt, "store_code": "T01",
        "register_code": "C01", "cashier": "Ana", "completed_at": at.isoformat(),
        "currency": "EUR", "gross_cents": total, "discount_cents": 0, "total_cents": total,
        "tax_cents": sum(t["tax_cents"] for t in taxes.values()), "change_cents": 0,
        "lines": lines, "taxes": list(taxes.values()), "payments": [payment],
    }  # fmt: skip
    _old_outbox(conn, "sale.completed", payload, at)
    return receipt


def build_revision_0001_register(path: Path) -> list[str]:
    """A register database made by the first schema revision (Alembic to 0001, no sync tables
    yet), with its catalog and five sales and one voided sale waiting in the outbox, written as
    that revision's register wrote them. Returns the receipt numbers."""
    engine = create_register_engine(path)
    migrate(engine, "0001")
    assert current_revision(engine) == "0001"
    catalog = [p for p in generate_catalog(20) if p.measure == "unit" and p.barcodes][:4]
    rates = {tax.code: tax.rate for tax in TAX_CLASSES}
    receipts = []
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO store_identity (id, store_code, register_code, store_name, tax_id, "
                "address, currency) VALUES (1, 'T01', 'C01', 'Tienda Centro', 'B11111111', "
                "'Calle Mayor 1', 'EUR')"
            )
        )
        for tax in TAX_CLASSES:
            conn.execute(
                text(
                    "INSERT INTO tax_rates (tax_class, name, rate, valid_from, valid_to) "
                    "VALUES (:c, :n, :r, :f, NULL)"
                ),
                {"c": tax.code, "n": tax.name, "r": str(tax.rate), "f": str(tax.valid_from)},
            )
        for product in catalog:
            pk = conn.execute(
                text(
                    "INSERT INTO products (id, sku, name, category, tax_class, price_cents, "
                    "measure) VALUES (:id, :sku, :name, :cat, :tax, :price, 'unit') RETURNING pk"
                ),
                {"id": product_id_for_sku(product.sku), "sku": product.sku,
                 "name": product.name, "cat": product.category, "tax": product.tax_class,
                 "price": product.price_cents},
            ).scalar_one()  # fmt: skip
            conn.execute(
                text("INSERT INTO barcodes (code, product_pk) VALUES (:c, :pk)"),
                {"c": product.barcodes[0], "pk": pk},
            )
    for number, basket in enumerate(OLD_BASKETS, start=1):
        at = OLD_SALE_TIME + timedelta(minutes=7 * number)
        with engine.begin() as conn:
            receipts.append(_sell_as_revision_0001(conn, number, basket, catalog, rates, at))
        if number == 2:  # a voided sale between them
            with engine.begin() as conn:
                voided = OLD_SALE_TIME + timedelta(minutes=17)
                abandoned_id = new_id()
                conn.execute(
                    text(
                        "INSERT INTO abandoned_sales (id, abandoned_at, abandoned_utc, cashier, "
                        "reason, total_cents, cart) VALUES (:id, :at, :utc, 'Ana', "
                        "'el cliente no lleva dinero', 349, '{}')"
                    ),
                    {"id": abandoned_id, "at": voided.isoformat(timespec="microseconds"),
                     "utc": voided.astimezone(UTC).isoformat(timespec="microseconds")},
                )  # fmt: skip
                _old_outbox(
                    conn,
                    "sale.abandoned",
                    {"abandoned_id": abandoned_id, "register_code": "C01", "cashier": "Ana",
                     "at": voided.isoformat(), "reason": "el cliente no lleva dinero",
                     "total_cents": 349, "line_count": 1},
                    voided,
                )  # fmt: skip
    engine.dispose()
    return receipts


def _outbox_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT seq, event_id, event_type, payload, occurred_at, state FROM outbox ORDER BY seq"
        ).fetchall()
        counter = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
    return [*rows, ("counter", *counter)]


def test_a_revision_0001_outbox_keeps_every_pending_event_through_the_upgrade(tmp_path, clock):
    path = tmp_path / "register.sqlite3"
    build_revision_0001_register(path)
    before = _outbox_rows(path)
    assert len(before) == len(OLD_BASKETS) + 2  # five sales, one voided sale, the counter

    engine = open_database(path)  # the new build starts: the migrations run
    assert current_revision(engine) == head_revision()
    assert _outbox_rows(path) == before  # byte for byte, numbers and counter included
    sync = SyncService(SqlUnitOfWorkFactory(engine), clock)
    batch = sync.next_batch()
    assert [e.seq for e in batch] == list(range(1, len(OLD_BASKETS) + 2))
    for event in batch:  # still valid on the wire today
        model = SaleCompletedPayload if event.type == "sale.completed" else SaleAbandonedPayload
        model.model_validate(event.payload)
    engine.dispose()


def test_a_revision_0001_register_with_pending_sales_upgraded_pushes_them_all(tmp_path):
    """Built at revision 0001 with pending outbox rows, upgraded by the product's own start-up
    (``open_database``), enrolled, and pushed to the real backend over HTTP: the backend has
    every sale exactly once, the voided sale too, and the outbox is empty; the first sale of the
    new build continues the old outbox's series."""
    from support import backend_process, backend_sales, enrollment_code

    from pos_app.bootstrap import enroll_register
    from pos_app.services.checkout import CheckoutService
    from pos_app.services.ports import SystemClock
    from pos_app.services.sync_worker import SyncWorker
    from pos_app.storage.credentials import MemoryTokenStore
    from sync.client import SyncClient

    path = tmp_path / "register" / "register.sqlite3"
    path.parent.mkdir()
    receipts = build_revision_0001_register(path)
    database = f"sqlite:///{tmp_path / 'backend.sqlite3'}"
    with backend_process(tmp_path, database, products=20) as backend:
        engine = open_database(path)
        tokens = MemoryTokenStore()
        identity = enroll_register(engine, backend.url, enrollment_code(backend), "Caja", tokens)
        assert (identity.store_code, identity.register_code) == ("T01", "C01")
        factory = SqlUnitOfWorkFactory(engine)
        sync = SyncService(factory, SystemClock())
        assert sync.unsynced_count() == len(OLD_BASKETS) + 1
        device = sync.device_id()
        assert device is not None
        with SyncClient(backend.url, tokens.get(device)) as client:
            worker = SyncWorker(sync, client, lambda fn: fn())
            assert worker.push_all() == len(OLD_BASKETS) + 1
            assert sync.unsynced_count() == 0 and sync.attention_items() == []
            assert sorted(backend_sales(backend)) == sorted(receipts)  # each exactly once

            checkout = CheckoutService(factory, SystemClock(), identity, cashier="Ana")
            with engine.connect() as conn:
                code = conn.execute(text("SELECT code FROM barcodes LIMIT 1")).scalar_one()
            checkout.scan(code)
            checkout.add_cash(checkout.view().payment.due)
            receipts.append(checkout.complete_sale().sale.receipt_number)
            # the sale and its fiscal record
            assert [e.seq for e in sync.next_batch()] == [
                len(OLD_BASKETS) + 2,
                len(OLD_BASKETS) + 3,
            ]
            assert worker.push_all() == 2
        engine.dispose()
        backend_engine = create_engine(database)
        try:
            with backend_engine.connect() as conn:
                statuses = conn.execute(text("SELECT status FROM processed_events")).scalars()
                assert sorted(statuses) == ["applied"] * (len(OLD_BASKETS) + 3)  # + F2
                voided = conn.execute(text("SELECT count(*) FROM abandoned_sales")).scalar_one()
                last_seq = conn.execute(text("SELECT last_seq FROM devices")).scalar_one()
        finally:
            backend_engine.dispose()
    assert voided == 1 and last_seq == len(OLD_BASKETS) + 3
    assert sorted(backend_sales(backend)) == sorted(receipts)
    assert receipts[-1].endswith(f"-{len(OLD_BASKETS) + 1:06d}")  # the receipt series goes on
