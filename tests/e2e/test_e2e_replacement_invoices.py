"""A full invoice replacing tickets (F3) end to end over HTTP (the real ``mostrador-server`` on
SQLite and PostgreSQL): tickets sold, replaced by an F3 at the register, pushed; the backend
keeps and verifies the F3 and both journals hold. A second replacement of the same ticket is
refused at the register and, from a register whose database let one through, applied by the
backend as a conflict ``already_replaced`` that the register's manager sees."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from support import BackendProcess, backend_process, enrollment_code, server_cli

from hardware.printers import MemoryReceiptPrinter
from pos_app.bootstrap import build_register, enroll_register
from pos_app.config import ScannerSettings, Settings
from pos_app.domain.money import Money
from pos_app.services.errors import TicketNotReplaceable
from pos_app.services.journal import append_record, verify_journal
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from sync.client import SyncClient

ADDRESS = ["Calle de Alcalá 50", "28014 Madrid"]


@pytest.fixture
def backend(backend_database, tmp_path) -> Iterator[BackendProcess]:
    with backend_process(tmp_path, backend_database, products=40) as served:
        yield served


def test_an_f3_reaches_the_backend_verified_and_a_second_replacement_is_refused(
    backend, tmp_path
) -> None:
    engine = open_database(tmp_path / "caja" / "register.sqlite3")
    tokens = MemoryTokenStore()
    enroll_register(engine, backend.url, enrollment_code(backend), "Caja", tokens)
    register = build_register(
        engine,
        Settings(cashier="Ana", scanner=ScannerSettings(kind="none")),
        printer=MemoryReceiptPrinter(),
    )
    device = register.sync.device_id()
    assert device is not None and register.invoices is not None and register.returns
    client = SyncClient(backend.url, tokens.get(device))
    worker = SyncWorker(register.sync, client, lambda fn: fn())
    invoices = register.invoices
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
        checkout = register.checkout
        tickets = []
        for code in codes:
            checkout.scan(code)
            checkout.add_cash(Money(checkout.view().payment.due.cents))
            tickets.append(checkout.complete_sale().sale)
        worker.push_all()  # the tickets reach the backend first, as they would in a shop

        issued = invoices.issue(
            [tickets[0].receipt_number, tickets[1].receipt_number],
            "B58818501",
            "Ferretería Sol SL",
            ADDRESS,
        )
        with pytest.raises(TicketNotReplaceable) as caught:
            invoices.issue([tickets[1].receipt_number], "12345678Z", "Ana García", ADDRESS)
        assert caught.value.reason == "already_replaced"
        worker.push_all()
        assert register.sync.unsynced_count() == 0
        assert register.sync.attention_items() == []

        backend_engine = create_engine(backend.database)
        try:
            with backend_engine.connect() as conn:
                f3 = conn.execute(
                    text(
                        "SELECT series_number, invoice_type, replaced, amount_total, "
                        "recipient_tax_id, conflict FROM fiscal_records WHERE id = :id"
                    ),
                    {"id": issued.record.record_id},
                ).one()
        finally:
            backend_engine.dispose()
        assert f3.series_number == issued.invoice_number
        assert f3.invoice_type == "F3" and f3.conflict is None
        assert tickets[0].receipt_number in f3.replaced
        assert f3.amount_total == issued.record.amount_total
        assert f3.recipient_tax_id == "B58818501"
        # Both journals hold: the register's and the backend's copy of it.
        assert verify_journal(register.uow_factory).ok
        register_code = register.identity.register_code
        out = server_cli(
            "journal", "--store", "T01", "--register", register_code, "--verify",
            database=backend.database,
        )  # fmt: skip
        assert issued.invoice_number in out

        # A register whose database let a second F3 of the same ticket through: the backend
        # keeps it (a record is a fact) as a conflict the manager sees.
        with register.uow_factory() as uow:
            append_record(
                uow,
                register.identity,
                invoice_type="F3",
                series_number="T01-" + register_code + "-F2026-000099",
                tax_cents=tickets[1].tax_cents + tickets[2].tax_cents,
                total_cents=tickets[1].total_cents + tickets[2].total_cents,
                source_kind="invoice",
                source_id="0193a000-0000-7000-8000-000000000099",
                at=register.returns.clock.now(),
                replaced=[tickets[2].receipt_number, tickets[1].receipt_number],
                recipient_tax_id="12345678Z",
                recipient_name="Ana García",
                recipient_address=ADDRESS,
            )
            uow.commit()
        worker.push_all()
        [item] = register.sync.attention_items()
        assert (item.event_type, item.status, item.code) == (
            "fiscal.recorded",
            "conflict",
            "already_replaced",
        )
        assert tickets[1].receipt_number in item.message
        assert issued.invoice_number in item.message
        assert tickets[2].receipt_number not in item.message.split("replaced:")[1]
        backend_engine = create_engine(backend.database)
        try:
            with backend_engine.connect() as conn:
                conflict = conn.execute(
                    text("SELECT conflict FROM fiscal_records WHERE series_number = :n"),
                    {"n": "T01-" + register_code + "-F2026-000099"},
                ).scalar_one()
        finally:
            backend_engine.dispose()
        assert conflict == "already_replaced"
    finally:
        client.close()
        register.db_executor.shutdown(wait=True)
        engine.dispose()
