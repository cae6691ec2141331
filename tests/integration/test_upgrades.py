"""Upgrades (issue 9): a register database of EVERY earlier schema revision, holding what that
revision's register wrote and had not yet sent, opened by this build: migrated to the head,
every pending event kept byte for byte, valid on today's wire, and synced to the real backend
over HTTP; the next sale continues its series and its fiscal journal. And a database of a
newer build is refused, untouched.

The revisions come from Alembic's script directory: a new migration is covered by itself.
What an old register wrote is decided by the tables its revision has (a till from 0013 on, a
fiscal journal from 0012 on), not by a list kept by hand.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, text
from support import BackendProcess, FixedClock, backend_process

from pos_app.demo.catalog_generator import TAX_CLASSES, generate_catalog
from pos_app.domain.ids import new_id
from pos_app.domain.sale import format_receipt_number
from pos_app.services.journal import verify_journal
from pos_app.services.sync import SyncService
from pos_app.storage.catalog_loader import product_id_for_sku
from pos_app.storage.db import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    DatabaseError,
    create_register_engine,
    current_revision,
    migrate,
    open_database,
)
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
from sync.fiscal import amount_text, date_text, generated_text, journal_hash, record_fingerprint
from sync.protocol import (
    EventType,
    FiscalRecordPayload,
    SaleAbandonedPayload,
    SaleCompletedPayload,
    TillOpenedPayload,
)


def _earlier_revisions() -> list[str]:
    """Every revision before the head, oldest first, as Alembic's script directory has them."""
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    revisions = [s.revision for s in script.walk_revisions()]  # head first
    assert revisions[0] == HEAD_REVISION
    return list(reversed(revisions[1:]))


EARLIER = _earlier_revisions()
WIRE_MODELS = {
    EventType.SALE_COMPLETED.value: SaleCompletedPayload,
    EventType.SALE_ABANDONED.value: SaleAbandonedPayload,
    EventType.FISCAL_RECORDED.value: FiscalRecordPayload,
    EventType.TILL_OPENED.value: TillOpenedPayload,
}
MADRID = ZoneInfo("Europe/Madrid")
OLD_SALE_TIME = datetime(2026, 3, 2, 9, 15, tzinfo=MADRID)
# What the old register sold: baskets of (index into its catalog, quantity).
OLD_BASKETS = ([(0, 1)], [(1, 2), (2, 1)], [(3, 1)], [(0, 3), (3, 2)])
TAX_ID = "B11111111"


def test_every_revision_but_the_head_is_covered():
    assert len(EARLIER) >= 14 and EARLIER[0] == "0001"
    assert HEAD_REVISION not in EARLIER


# --- a register database as an older build left it -------------------------------------------


@dataclass
class OldRegister:
    receipts: list[str]
    events: int  # pending outbox rows
    records: int  # fiscal records in its journal (0 before the journal existed)


def _tables(conn: Connection) -> set[str]:
    return set(
        conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars()
    )


def _columns(conn: Connection, table: str) -> set[str]:
    return {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")}


def _insert(conn: Connection, table: str, values: dict) -> None:
    """Insert the ``values`` this revision's ``table`` has columns for."""
    kept = {k: v for k, v in values.items() if k in _columns(conn, table)}
    names = ", ".join(kept)
    conn.execute(
        text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + k for k in kept)})"), kept
    )


def _outbox(conn: Connection, event_type: str, payload: dict, at: datetime) -> None:
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


def _tax_split(total_cents: int, rate: Decimal) -> tuple[int, int]:
    base = int((Decimal(total_cents) * 100 / (100 + rate)).quantize(Decimal(1), ROUND_HALF_UP))
    return base, total_cents - base


class _OldJournal:
    """The fiscal journal as the register of revision 0012 on kept it: F2 records chained."""

    def __init__(self) -> None:
        self.seq = 0
        self.journal_previous = ""
        self.fingerprint = ""

    def ticket(
        self, store: str, receipt: str, sale_id: str, tax: int, total: int, at: datetime
    ) -> dict:
        self.seq += 1
        draft = FiscalRecordPayload(
            record_id=new_id(),
            store_code=store,
            register_code="C01",
            chain_seq=self.seq,
            record_type="alta",
            invoice_type="F2",
            issuer_tax_id=TAX_ID,
            series_number=receipt,
            issue_date=date_text(at.date()),
            tax_total=amount_text(tax),
            amount_total=amount_text(total),
            previous_fingerprint=self.fingerprint,
            generated_at=generated_text(at),
            journal_previous=self.journal_previous,
            journal_hash="0" * 64,
            source_kind="sale",
            source_id=sale_id,
        )
        record = draft.model_copy(update={"fingerprint": record_fingerprint(draft)})
        record = record.model_copy(update={"journal_hash": journal_hash(record)})
        self.journal_previous, self.fingerprint = record.journal_hash, record.fingerprint
        return record.model_dump(mode="json")


def _sell(conn, store, number, basket, catalog, rates, at, *, till_id, journal) -> str:  # type: ignore[no-untyped-def]
    """One sale, in one transaction, as the register of this revision wrote it: the sale, its
    lines, taxes and payment, the receipt series, the stock movements, its outbox event and,
    from the revision with a journal on, its fiscal record and that record's event."""
    sale_id = new_id()
    receipt = format_receipt_number(store, "C01", at.year, number)
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
            {
                "tax_class": line["tax_class"],
                "rate": line["tax_rate"],
                "base_cents": 0,
                "tax_cents": 0,
                "total_cents": 0,
            },
        )
        for field in ("base_cents", "tax_cents", "total_cents"):
            group[field] += line[field]
    total = sum(line["total_cents"] for line in lines)
    tax_total = sum(t["tax_cents"] for t in taxes.values())
    payment = {
        "payment_id": new_id(),
        "kind": "card",
        "amount_cents": total,
        "tendered_cents": total,
        "reference": "****4242",
    }
    _insert(
        conn,
        "sales",
        {
            "id": sale_id,
            "receipt_number": receipt,
            "receipt_year": at.year,
            "receipt_seq": number,
            "store_code": store,
            "register_code": "C01",
            "cashier": "Ana",
            "completed_at": at.isoformat(timespec="microseconds"),
            "completed_utc": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "currency": "EUR",
            "gross_cents": total,
            "discount_cents": 0,
            "total_cents": total,
            "tax_cents": tax_total,
            "change_cents": 0,
            "item_count": str(sum(q for _, q in basket)),
            "till_id": till_id,
        },
    )
    for line in lines:
        _insert(conn, "sale_lines", {"sale_id": sale_id, **line})
    for group in taxes.values():
        _insert(
            conn, "sale_taxes", {"sale_id": sale_id, "label": f"IVA {group['rate']} %", **group}
        )
    _insert(
        conn,
        "sale_payments",
        {"id": payment["payment_id"], "sale_id": sale_id, "position": 0, **payment},
    )
    conn.execute(
        text(
            "INSERT INTO receipt_series (series, last_number) VALUES (:s, :n) "
            "ON CONFLICT (series) DO UPDATE SET last_number = excluded.last_number"
        ),
        {"s": f"{store}-C01-{at.year:04d}", "n": number},
    )
    for line in lines:
        conn.execute(
            text(
                "INSERT INTO stock_movements (id, product_pk, delta_milli, reason, reference, "
                "created_at) SELECT :id, pk, :delta, 'sale', :sale_id, :at FROM products "
                "WHERE id = :product_id"
            ),
            {
                "id": new_id(),
                "delta": -1000 * int(line["quantity"]),
                "sale_id": sale_id,
                "at": at.isoformat(timespec="microseconds"),
                "product_id": line["product_id"],
            },
        )
    payload = {
        "sale_id": sale_id,
        "receipt_number": receipt,
        "store_code": store,
        "register_code": "C01",
        "cashier": "Ana",
        "completed_at": at.isoformat(),
        "currency": "EUR",
        "gross_cents": total,
        "discount_cents": 0,
        "total_cents": total,
        "tax_cents": tax_total,
        "change_cents": 0,
        "lines": lines,
        "taxes": list(taxes.values()),
        "payments": [payment],
        **({"till_id": till_id} if till_id else {}),
    }
    _outbox(conn, "sale.completed", payload, at)
    if journal is not None:
        record = journal.ticket(store, receipt, sale_id, tax_total, total, at)
        stored = dict(record, rectified="[]", replaced="[]", recipient_address="[]")
        _insert(conn, "fiscal_records", stored)
        _outbox(conn, "fiscal.recorded", record, at)
    return receipt


def build_register_at(path: Path, revision: str, store: str) -> OldRegister:
    """A register database left by the build whose newest migration was ``revision``: its
    identity and catalog, a till opened (if that build had tills), four sales and a voided
    one, all waiting in the outbox, with their fiscal records (if it had a journal)."""
    engine = create_register_engine(path)
    migrate(engine, revision)
    assert current_revision(engine) == revision
    catalog = [p for p in generate_catalog(20) if p.measure == "unit" and p.barcodes][:4]
    rates = {tax.code: tax.rate for tax in TAX_CLASSES}
    receipts: list[str] = []
    till_id = None
    with engine.begin() as conn:
        tables = _tables(conn)
        _insert(
            conn,
            "store_identity",
            {
                "id": 1,
                "store_code": store,
                "register_code": "C01",
                "store_name": f"Tienda {store}",
                "tax_id": TAX_ID,
                "address": '["Calle Mayor 1"]',
                "currency": "EUR",
            },
        )
        for tax in TAX_CLASSES:
            _insert(
                conn,
                "tax_rates",
                {
                    "tax_class": tax.code,
                    "name": tax.name,
                    "rate": str(tax.rate),
                    "valid_from": str(tax.valid_from),
                    "valid_to": None,
                },
            )
        for product in catalog:
            _insert(
                conn,
                "products",
                {
                    "id": product_id_for_sku(product.sku),
                    "sku": product.sku,
                    "name": product.name,
                    "category": product.category,
                    "tax_class": product.tax_class,
                    "price_cents": product.price_cents,
                    "measure": "unit",
                },
            )
            conn.execute(
                text(
                    "INSERT INTO barcodes (code, product_pk) SELECT :c, pk FROM products "
                    "WHERE sku = :sku"
                ),
                {"c": product.barcodes[0], "sku": product.sku},
            )
        if "till_sessions" in tables:
            till_id = new_id()
            opened = OLD_SALE_TIME
            _insert(
                conn,
                "till_sessions",
                {
                    "id": till_id,
                    "status": "open",
                    "opened_at": opened.isoformat(timespec="microseconds"),
                    "opened_utc": opened.astimezone(UTC).isoformat(timespec="microseconds"),
                    "cashier": "Ana",
                    "float_cents": 10000,
                    "float_count": '{"2000": 5}',
                },
            )
            _outbox(
                conn,
                "till.opened",
                {
                    "till_id": till_id,
                    "store_code": store,
                    "register_code": "C01",
                    "cashier": "Ana",
                    "opened_at": opened.isoformat(),
                    "float_cents": 10000,
                    "counted": {"2000": 5},
                },
                opened,
            )
    journal = _OldJournal() if "fiscal_records" in tables else None
    for number, basket in enumerate(OLD_BASKETS, start=1):
        at = OLD_SALE_TIME + timedelta(minutes=7 * number)
        with engine.begin() as conn:
            receipts.append(
                _sell(
                    conn,
                    store,
                    number,
                    basket,
                    catalog,
                    rates,
                    at,
                    till_id=till_id,
                    journal=journal,
                )
            )
        if number == 2:  # a voided sale between them
            voided = OLD_SALE_TIME + timedelta(minutes=17)
            abandoned_id = new_id()
            with engine.begin() as conn:
                _insert(
                    conn,
                    "abandoned_sales",
                    {
                        "id": abandoned_id,
                        "abandoned_at": voided.isoformat(timespec="microseconds"),
                        "abandoned_utc": voided.astimezone(UTC).isoformat(timespec="microseconds"),
                        "cashier": "Ana",
                        "reason": "el cliente no lleva dinero",
                        "total_cents": 349,
                        "cart": "{}",
                        "till_id": till_id,
                    },
                )
                _outbox(
                    conn,
                    "sale.abandoned",
                    {
                        "abandoned_id": abandoned_id,
                        "register_code": "C01",
                        "cashier": "Ana",
                        "at": voided.isoformat(),
                        "reason": "el cliente no lleva dinero",
                        "total_cents": 349,
                        "line_count": 1,
                        **({"till_id": till_id} if till_id else {}),
                    },
                    voided,
                )
    engine.dispose()
    records = journal.seq if journal is not None else 0
    events = len(OLD_BASKETS) + 1 + records + (1 if till_id else 0)
    return OldRegister(receipts, events, records)


def _outbox_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT seq, event_id, event_type, payload, occurred_at, state FROM outbox ORDER BY seq"
        ).fetchall()
        counter = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
    return [*rows, ("counter", *counter)]


# --- the real backend, one for the module: a store per revision -------------------------------


@pytest.fixture(scope="module")
def backend(tmp_path_factory) -> Iterator[BackendProcess]:
    tmp = tmp_path_factory.mktemp("backend")
    with backend_process(tmp, f"sqlite:///{tmp / 'backend.sqlite3'}", products=20) as served:
        yield served


def _store_and_code(backend: BackendProcess, store: str) -> str:
    """A store of its own for one old register, and a one-time code (as IT's CLI makes them)."""
    from sync.server.database import Database
    from sync.server.services.registers import create_enrollment_code
    from sync.server.services.stores import StoreSpec, save_store

    database = Database(backend.database, pool_size=1, max_overflow=0)
    try:
        with database.writing() as conn:
            save_store(conn, StoreSpec(store, f"Tienda {store}", TAX_ID, ("Calle Mayor 1",)))
            return create_enrollment_code(conn, store, valid_for=timedelta(hours=1))
    finally:
        database.dispose()


def _backend_rows(backend: BackendProcess, query: str, **params) -> list[tuple]:  # type: ignore[no-untyped-def]
    engine = create_engine(backend.database)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(query), params)]
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", EARLIER)
def test_a_database_of_an_earlier_revision_upgrades_and_syncs_every_pending_event(
    revision, backend, tmp_path
):
    from pos_app.bootstrap import enroll_register
    from pos_app.services.checkout import CheckoutService
    from pos_app.services.sync_worker import SyncWorker
    from pos_app.storage.credentials import MemoryTokenStore
    from sync.client import SyncClient

    store = f"R{revision}"
    path = tmp_path / "register.sqlite3"
    old = build_register_at(path, revision, store)
    before = _outbox_rows(path)
    assert len(before) == old.events + 1  # + the counter

    engine = open_database(path)  # the new build starts: the migrations run
    try:
        assert current_revision(engine) == HEAD_REVISION
        assert _outbox_rows(path) == before  # byte for byte, numbers and counter included
        factory = SqlUnitOfWorkFactory(engine)
        clock = FixedClock(datetime(2026, 11, 25, 10, 30, tzinfo=MADRID))
        sync = SyncService(factory, clock)
        pending = sync.next_batch()
        assert [e.seq for e in pending] == list(range(1, old.events + 1))
        for event in pending:  # still valid on today's wire
            WIRE_MODELS[event.type].model_validate(event.payload)
        assert verify_journal(factory).count == old.records

        tokens = MemoryTokenStore()
        identity = enroll_register(
            engine, backend.url, _store_and_code(backend, store), "Caja", tokens
        )
        assert (identity.store_code, identity.register_code) == (store, "C01")
        device = sync.device_id()
        assert device is not None
        with SyncClient(backend.url, tokens.get(device)) as client:
            worker = SyncWorker(sync, client, lambda fn: fn())
            assert worker.push_all() == old.events
            assert sync.unsynced_count() == 0 and sync.attention_items() == []

            # The new build's first sale goes on with the series and the journal.
            checkout = CheckoutService(factory, clock, identity, cashier="Ana")
            with engine.connect() as conn:
                code = conn.execute(text("SELECT code FROM barcodes LIMIT 1")).scalar_one()
            checkout.scan(code)
            checkout.add_cash(checkout.view().payment.due)
            sale = checkout.complete_sale().sale
            assert sale.receipt_number == format_receipt_number(
                store, "C01", 2026, len(OLD_BASKETS) + 1
            )
            journal = verify_journal(factory)
            assert journal.ok and journal.count == old.records + 1, journal.problem
            assert worker.push_all() == 2  # the sale and its fiscal record
            assert sync.unsynced_count() == 0 and sync.attention_items() == []
    finally:
        engine.dispose()

    statuses = _backend_rows(
        backend,
        "SELECT status, count(*) FROM processed_events WHERE device_id = :d GROUP BY status",
        d=device,
    )
    assert statuses == [("applied", old.events + 2)]
    sold = _backend_rows(backend, "SELECT receipt_number FROM sales WHERE store_code = :s", s=store)
    assert sorted(r[0] for r in sold) == sorted([*old.receipts, sale.receipt_number])
    journal_rows = _backend_rows(
        backend,
        "SELECT chain_seq, conflict FROM fiscal_records WHERE store_code = :s ORDER BY chain_seq",
        s=store,
    )
    assert journal_rows == [(n, None) for n in range(1, old.records + 2)]


# --- a database of a newer build ---------------------------------------------------------------


def _newer_database(tmp_path: Path) -> Path:
    path = tmp_path / "register.sqlite3"
    engine = open_database(path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    # As a newer build leaves it after closing: the write-ahead log checkpointed away.
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _state(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_a_database_of_a_newer_build_is_refused_and_left_untouched(tmp_path):
    path = _newer_database(tmp_path)
    before = _state(path)
    with pytest.raises(DatabaseError) as refused:
        open_database(path)
    message = str(refused.value)
    assert "esta base de datos es de una versión más nueva de Mostrador (revisión 0099)" in message
    assert "instale esa versión o una posterior" in message
    assert "made by a newer build of Mostrador, revision 0099" in message
    assert _state(path) == before


def test_the_register_cli_says_so_and_exits_with_an_error(tmp_path):
    path = _newer_database(tmp_path)
    before = _state(path)
    result = subprocess.run(
        [sys.executable, "-m", "pos_app", "journal", "verify", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 2
    assert result.stderr.startswith(
        "mostrador: esta base de datos es de una versión más nueva de Mostrador (revisión 0099)"
    )
    assert "Traceback" not in result.stderr
    assert _state(path) == before
