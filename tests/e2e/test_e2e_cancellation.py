"""A sale annulled end to end over HTTP (the real ``mostrador-server`` on SQLite and
PostgreSQL): sell in cash and card, annul the cash sale, close the Z, push. The backend marks
the sale cancelled and puts its stock back, its Z figures agree with the register's (no
``till_mismatch``), and the journal with its "anulacion" record verifies on both sides."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from support import BackendProcess, backend_process, enrollment_code

from hardware.printers import MemoryReceiptPrinter
from pos_app.bootstrap import build_register, enroll_register
from pos_app.config import ScannerSettings, Settings
from pos_app.domain.money import Money
from pos_app.domain.till import CashCount
from pos_app.services.journal import verify_journal
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from sync.client import SyncClient
from sync.server.services.journal import read_journal
from sync.server.services.journal import verify_journal as verify_at_backend


@pytest.fixture
def backend(backend_database, tmp_path) -> Iterator[BackendProcess]:
    with backend_process(tmp_path, backend_database, products=40) as served:
        yield served


def _backend_level(conn, product_id: str) -> int:  # type: ignore[no-untyped-def]
    return int(
        conn.execute(
            text("SELECT quantity_milli FROM stock_levels WHERE product_id = :p"),
            {"p": product_id},
        ).scalar_one()
    )


def test_a_cancelled_sale_syncs_and_both_sides_agree(backend, tmp_path) -> None:
    engine = open_database(tmp_path / "caja" / "register.sqlite3")
    tokens = MemoryTokenStore()
    enroll_register(engine, backend.url, enrollment_code(backend), "Caja", tokens)
    printer = MemoryReceiptPrinter()
    register = build_register(
        engine,
        Settings(cashier="Ana", scanner=ScannerSettings(kind="none")),
        printer=printer,
        backups=tmp_path / "caja" / "backups",
    )
    device = register.sync.device_id()
    assert device is not None and register.till is not None
    assert register.cancellations is not None
    client = SyncClient(backend.url, tokens.get(device))
    worker = SyncWorker(register.sync, client, lambda fn: fn())
    backend_engine = create_engine(backend.database)
    try:
        worker.pull_all()  # the backend's stock levels
        with engine.connect() as conn:
            codes = (
                conn.execute(
                    text(
                        "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
                        "WHERE p.measure = 'unit' AND length(b.code) = 13 LIMIT 2"
                    )
                )
                .scalars()
                .all()
            )
        checkout, till = register.checkout, register.till
        till.open_till(CashCount({2000: 5}))  # 100 €
        checkout.scan(codes[0])
        checkout.scan(codes[0])
        checkout.add_cash(Money(checkout.view().payment.due.cents))
        cash_sale = checkout.complete_sale().sale
        checkout.scan(codes[1])
        checkout.add_card(checkout.view().payment.due, "AUT-9")
        card_sale = checkout.complete_sale().sale
        product_id = cash_sale.lines[0].product_id
        worker.push_all()  # the sales reach the backend before the cancellation
        with backend_engine.connect() as conn:
            sold_level = _backend_level(conn, product_id)

        done = register.cancellations.cancel_sale(cash_sale.sale_id, "Ticket cobrado dos veces")
        assert register.cancellations.print_receipt(done).ok
        assert "ANULACIÓN" in printer.documents[-1].title
        closed = till.close_z(CashCount({2000: 5}))
        figures = closed.report.figures
        assert (figures.cancelled_count, figures.cancelled_total_cents) == (
            1,
            cash_sale.total_cents,
        )
        assert figures.expected_cash_cents == 10000
        assert figures.net_total_cents == card_sale.total_cents
        assert verify_journal(register.uow_factory).ok

        worker.push_all()
        assert register.sync.unsynced_count() == 0
        assert register.sync.attention_items() == []  # no till_mismatch, no rejection

        with backend_engine.connect() as conn:
            cancelled = conn.execute(text("SELECT sale_id, conflict FROM sale_cancellations")).all()
            z = conn.execute(
                text(
                    "SELECT mismatch, sales_count, sales_total_cents, expected_cash_cents, "
                    "payload FROM till_closes WHERE till_id = :t"
                ),
                {"t": closed.report.session.till_id},
            ).one()
            level = _backend_level(conn, product_id)
            statuses = dict(
                conn.execute(
                    text(
                        "SELECT event_type, status FROM processed_events "
                        "WHERE event_type IN ('sale.cancelled', 'till.closed')"
                    )
                ).all()
            )
            entries = read_journal(conn, "T01", register.identity.register_code)
        assert cancelled == [(cash_sale.sale_id, None)]
        assert statuses == {"sale.cancelled": "applied", "till.closed": "applied"}
        assert (z.mismatch, z.sales_count, z.sales_total_cents, z.expected_cash_cents) == (
            None,
            2,
            figures.sales_total_cents,
            figures.expected_cash_cents,
        )
        assert '"cancelled_count":1' in z.payload.replace(" ", "")
        assert level == sold_level + 2000  # the two units of the cancelled sale are back
        assert [e.record.record_type for e in entries] == ["alta", "alta", "anulacion", "cierre"]
        assert all(e.conflict is None for e in entries)
        assert verify_at_backend(entries) is None
        # The register's own stock figure agrees once synced.
        with register.uow_factory.reader() as uow:
            assert uow.stock.level(product_id) * 1000 == level
    finally:
        backend_engine.dispose()
        client.close()
        register.db_executor.shutdown(wait=True)
        engine.dispose()
