"""The till end to end over HTTP (the real ``mostrador-server`` on SQLite and PostgreSQL): a
day worked offline with the till required (open, cash and card sales, cash out, a return, a
drawer opening, Z), then pushed; the backend keeps the Z and its own sums agree with it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text
from support import BackendProcess, backend_process, enrollment_code

from hardware.printers import MemoryReceiptPrinter
from pos_app.bootstrap import build_register, enroll_register
from pos_app.config import ScannerSettings, Settings
from pos_app.domain.money import Money
from pos_app.domain.till import CashCount
from pos_app.services.errors import TillNotOpen
from pos_app.services.returns import RefundRequest, ReturnLineRequest
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from sync.client import SyncClient


@pytest.fixture
def backend(backend_database, tmp_path) -> Iterator[BackendProcess]:
    with backend_process(tmp_path, backend_database, products=40) as served:
        yield served


def test_a_z_closed_offline_syncs_and_the_backend_agrees(backend, tmp_path) -> None:
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
    client = SyncClient(backend.url, tokens.get(device))
    worker = SyncWorker(register.sync, client, lambda fn: fn())
    try:
        with engine.connect() as conn:
            codes = (
                conn.execute(
                    text(
                        "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
                        "WHERE p.measure = 'unit' AND length(b.code) = 13 LIMIT 3"
                    )
                )
                .scalars()
                .all()
            )
        checkout, till = register.checkout, register.till

        checkout.scan(codes[0])
        checkout.add_cash(Money(checkout.view().payment.due.cents))
        with pytest.raises(TillNotOpen):  # no sale without an open till
            checkout.complete_sale()
        till.open_till(CashCount({2000: 5, 500: 2, 100: 10}))  # 120 €
        cash_sale = checkout.complete_sale().sale  # offline: nothing pushed until the end
        checkout.scan(codes[1])
        checkout.scan(codes[2])
        checkout.add_card(checkout.view().payment.due, "AUT-77")
        checkout.complete_sale()
        till.cash_out(2000, "Caja fuerte")
        till.cash_in(500, "Cambio")
        original = register.returns.find_original(cash_sale.receipt_number)
        register.returns.complete_return(
            original, [ReturnLineRequest(1, Decimal(1), "No le gusta")], RefundRequest("cash")
        )
        assert register.devices is not None
        register.devices.record_opening(register.devices.open_drawer_by_hand("Cambio"))
        x = till.x_report()
        closed = till.close_z(CashCount({2000: 5, 100: 5}))
        figures = closed.report.figures
        assert figures.expected_cash_cents == x.figures.expected_cash_cents
        assert closed.backup_error == ""

        worker.push_all()
        assert register.sync.unsynced_count() == 0
        assert register.sync.attention_items() == []  # no till_mismatch, no rejection

        backend_engine = create_engine(backend.database)
        try:
            with backend_engine.connect() as conn:
                row = conn.execute(
                    text(
                        "SELECT z_number, sales_count, sales_total_cents, returns_total_cents, "
                        "expected_cash_cents, counted_cash_cents, difference_cents "
                        "FROM till_closes WHERE till_id = :t"
                    ),
                    {"t": closed.report.session.till_id},
                ).one()
                statuses = dict(
                    conn.execute(
                        text(
                            "SELECT event_type, status FROM processed_events "
                            "WHERE event_type LIKE 'till.%'"
                        )
                    ).all()
                )
        finally:
            backend_engine.dispose()
        assert tuple(row) == (
            closed.report.z_number,
            2,
            figures.sales_total_cents,
            figures.returns_total_cents,
            figures.expected_cash_cents,
            10500,
            10500 - figures.expected_cash_cents,
        )
        assert statuses["till.closed"] == "applied"
    finally:
        client.close()
        register.db_executor.shutdown(wait=True)
        engine.dispose()
