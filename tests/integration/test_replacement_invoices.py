"""A full invoice issued later, replacing tickets (F3), on a real SQLite file: the tickets
checked (this register's F2 tickets, of any day still in the database: not cancelled, not
returned, not replaced before), the F3 record chained in the journal with its own number and
the tickets' totals, one transaction; a ticket replaced only once; the printed invoice (decoded
from the ESC/POS bytes); a return of a replaced ticket still works."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import text
from support import BREAD, COFFEE, IDENTITY, SOAP

from hardware.escpos_decoder import QrCode, decode
from hardware.printers import MemoryReceiptPrinter
from pos_app.domain.invoices import format_invoice_number
from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import InvoiceRecipientInvalid, TicketNotReplaceable
from pos_app.services.journal import append_record, verify_journal
from pos_app.services.receipts import ReceiptService
from pos_app.services.replacement_invoices import ReplacementInvoiceService
from pos_app.services.returns import RefundRequest, ReturnLineRequest, ReturnsService
from pos_app.ui.error_messages import describe_error
from sync.fiscal import qr_url

ADDRESS = ["Calle de Alcalá 50", "28014 Madrid"]
AEAT = "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR"


@pytest.fixture
def printer() -> MemoryReceiptPrinter:
    return MemoryReceiptPrinter()


@pytest.fixture
def returns(uow_factory, clock, printer) -> ReturnsService:  # type: ignore[no-untyped-def]
    return ReturnsService(uow_factory, clock, IDENTITY, cashier="Ana", printer=printer)


@pytest.fixture
def checkout(uow_factory, clock, returns) -> CheckoutService:  # type: ignore[no-untyped-def]
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana", returns=returns)


@pytest.fixture
def receipts(uow_factory, clock, printer) -> ReceiptService:  # type: ignore[no-untyped-def]
    return ReceiptService(uow_factory, clock, IDENTITY, printer)


@pytest.fixture
def invoices(uow_factory, clock, receipts) -> ReplacementInvoiceService:  # type: ignore[no-untyped-def]
    return ReplacementInvoiceService(uow_factory, clock, IDENTITY, receipts)


def sell(checkout: CheckoutService, *codes: str):  # type: ignore[no-untyped-def]
    for code in codes:
        checkout.scan(code)
    checkout.add_cash(checkout.view().payment.due)
    return checkout.complete_sale().sale


def count(engine, sql: str) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_two_tickets_of_different_days_become_one_f3_with_their_totals(
    checkout, invoices, clock, uow_factory, engine
):
    yesterday = sell(checkout, SOAP, COFFEE)  # 15,59 €
    clock.advance(days=1)
    today = sell(checkout, BREAD)
    issued = invoices.issue(
        [yesterday.receipt_number, f" {today.receipt_number.lower()} "],
        "B58818501",
        "Ferretería Sol SL",
        ADDRESS,
    )
    record = issued.record
    assert issued.invoice_number == format_invoice_number("T01", "C01", 2026, 1)
    assert record.series_number == "T01-C01-F2026-000001"
    assert (record.record_type, record.invoice_type, record.source_kind) == (
        "alta",
        "F3",
        "invoice",
    )
    assert record.replaced == [yesterday.receipt_number, today.receipt_number]
    assert (record.recipient_tax_id, record.recipient_name) == ("B58818501", "Ferretería Sol SL")
    total = yesterday.total_cents + today.total_cents
    tax = yesterday.tax_cents + today.tax_cents
    assert record.amount_total == f"{total // 100}.{total % 100:02d}"
    assert record.tax_total == f"{tax // 100}.{tax % 100:02d}"
    assert record.issue_date == "26-11-2026"  # its own day, not the tickets'
    # Chained after the two tickets, queued as fiscal.recorded, and the journal holds.
    assert record.chain_seq == 3
    assert verify_journal(uow_factory).ok
    with engine.connect() as conn:
        payloads = [
            json.loads(p)
            for p in conn.execute(
                text("SELECT payload FROM outbox WHERE event_type = 'fiscal.recorded'")
            ).scalars()
        ]
    assert payloads[-1]["record_id"] == record.record_id
    assert payloads[-1]["replaced"] == record.replaced
    with uow_factory.reader() as uow:
        assert uow.fiscal.recipient_address(record.record_id) == tuple(ADDRESS)
        assert uow.fiscal.replacement_of(today.receipt_number) == record
    # The next one takes the next number.
    clock.advance(minutes=5)
    third = sell(checkout, BREAD)
    again = invoices.issue([third.receipt_number], "12345678Z", "Ana García", ADDRESS)
    assert again.invoice_number == "T01-C01-F2026-000002"


def test_a_ticket_is_replaced_only_once(checkout, invoices, engine):
    first = sell(checkout, SOAP)
    second = sell(checkout, BREAD)
    issued = invoices.issue([first.receipt_number], "12345678Z", "Ana García", ADDRESS)
    records = count(engine, "SELECT count(*) FROM fiscal_records")
    with pytest.raises(TicketNotReplaceable) as caught:
        invoices.issue(
            [second.receipt_number, first.receipt_number], "B58818501", "Otra SL", ADDRESS
        )
    assert (caught.value.reason, caught.value.by) == ("already_replaced", issued.invoice_number)
    assert caught.value.receipt_number == first.receipt_number
    assert "ya se sustituyó" in describe_error(caught.value)
    assert issued.invoice_number in describe_error(caught.value)
    # Nothing written: no record, no number taken (the next invoice is 000002).
    assert count(engine, "SELECT count(*) FROM fiscal_records") == records
    assert invoices.check_ticket(second.receipt_number).receipt_number == second.receipt_number
    nxt = invoices.issue([second.receipt_number], "B58818501", "Otra SL", ADDRESS)
    assert nxt.invoice_number == "T01-C01-F2026-000002"


def test_what_cannot_be_replaced_is_refused_with_its_reason(
    checkout, invoices, returns, uow_factory, engine, clock
):
    with pytest.raises(TicketNotReplaceable) as caught:
        invoices.check_ticket("T01-C01-2026-999999")
    assert caught.value.reason == "not_found"
    with pytest.raises(TicketNotReplaceable) as caught:
        invoices.issue(["  "], "12345678Z", "Ana", ADDRESS)
    assert caught.value.reason == "none"
    ticket = sell(checkout, BREAD)
    with pytest.raises(TicketNotReplaceable) as caught:
        invoices.issue(
            [ticket.receipt_number, ticket.receipt_number.lower()], "12345678Z", "Ana", ADDRESS
        )
    assert caught.value.reason == "repeated"
    # A full invoice at the counter is already an invoice.
    checkout.request_invoice("12345678Z", "Ana García", ADDRESS)
    f1 = sell(checkout, SOAP)
    with pytest.raises(TicketNotReplaceable) as caught:
        invoices.check_ticket(f1.receipt_number)
    assert caught.value.reason == "not_ticket"
    # Returned, even in part.
    returned = sell(checkout, SOAP, COFFEE)
    returns.complete_return(
        returns.find_original(returned.receipt_number),
        [ReturnLineRequest(2, Decimal(1), "No lo quiere")],
        RefundRequest("cash"),
    )
    with pytest.raises(TicketNotReplaceable) as caught:
        invoices.check_ticket(returned.receipt_number)
    assert caught.value.reason == "returned"
    # Cancelled: the journal holds its anulación.
    cancelled = sell(checkout, BREAD)
    with uow_factory() as uow:
        append_record(
            uow,
            IDENTITY,
            record_type="anulacion",
            invoice_type="F2",
            series_number=cancelled.receipt_number,
            tax_cents=0,
            total_cents=0,
            source_kind="sale",
            source_id=cancelled.sale_id,
            at=clock.now(),
        )
        uow.commit()
    with pytest.raises(TicketNotReplaceable) as caught:
        invoices.check_ticket(cancelled.receipt_number)
    assert caught.value.reason == "cancelled"
    # A bad recipient writes nothing either.
    records = count(engine, "SELECT count(*) FROM fiscal_records")
    with pytest.raises(InvoiceRecipientInvalid):
        invoices.issue([ticket.receipt_number], "12345678A", "Ana", ADDRESS)
    assert count(engine, "SELECT count(*) FROM fiscal_records") == records
    for reason in ("not_found", "none", "repeated", "not_ticket", "returned", "cancelled"):
        message = describe_error(TicketNotReplaceable("T01-C01-2026-000001", reason))
        assert message and "not_" not in message and reason not in message, reason


def test_the_printed_f3_names_the_recipient_the_tickets_and_carries_its_qr(
    checkout, invoices, printer, clock
):
    first = sell(checkout, SOAP, COFFEE)
    second = sell(checkout, BREAD)
    clock.advance(hours=2)
    issued = invoices.issue(
        [first.receipt_number, second.receipt_number], "B58818501", "Ferretería Sol SL", ADDRESS
    )
    assert invoices.print_invoice(issued.invoice_id).ok
    printed = decode(printer.receipts[-1])
    [qr] = printed.events_of(QrCode)
    record = issued.record
    assert qr.data == qr_url(
        issuer_tax_id="B12345678",
        series_number=record.series_number,
        issue_date="25-11-2026",
        amount_total=record.amount_total,
    )
    assert qr.data.startswith(AEAT)
    text_ = printed.text
    for expected in (
        "FACTURA",
        "NIF: B12345678",
        "T01-C01-F2026-000001",
        "Ferretería Sol SL",
        "B58818501",
        "Calle de Alcalá 50",
        "28014 Madrid",
        "Sustituye a",
        f"{first.receipt_number} (25/11/2026)",
        second.receipt_number,
        "IVA 21 %",
        "IVA 10 %",
        "VERI*FACTU",
    ):
        assert expected in text_, expected
    assert "FACTURA SIMPLIFICADA" not in text_
    assert "COPIA" not in text_
    assert "COPIA" in invoices.preview_text(issued.invoice_id, copy=True)
    assert invoices.print_invoice(issued.invoice_id, reprint=True).ok
    assert "COPIA" in decode(printer.receipts[-1]).text


def test_a_replaced_ticket_can_still_be_returned_and_its_r5_rectifies_the_ticket(
    checkout, invoices, returns, uow_factory
):
    ticket = sell(checkout, SOAP)
    invoices.issue([ticket.receipt_number], "12345678Z", "Ana García", ADDRESS)
    done = returns.complete_return(
        returns.find_original(ticket.receipt_number),
        [ReturnLineRequest(1, Decimal(1), "Talla equivocada")],
        RefundRequest("cash"),
    )
    record = returns.fiscal_record(done.record.return_id)
    assert record is not None
    assert (record.invoice_type, record.rectified) == ("R5", [ticket.receipt_number])
    assert verify_journal(uow_factory).ok


def test_the_days_list_holds_the_returns_with_negative_totals(checkout, returns, receipts, clock):
    sale = sell(checkout, SOAP, COFFEE)
    clock.advance(minutes=3)
    done = returns.complete_return(
        returns.find_original(sale.receipt_number),
        [ReturnLineRequest(1, Decimal(1), "Talla equivocada")],
        RefundRequest("cash"),
    )
    clock.advance(minutes=3)
    later = sell(checkout, BREAD)
    entries = receipts.entries_of_day()
    assert [(e.kind, e.receipt_number) for e in entries] == [
        ("sale", later.receipt_number),
        ("return", done.record.return_number),
        ("sale", sale.receipt_number),
    ]
    back = entries[1]
    assert back.sale_id == done.record.return_id
    assert back.total_cents == -done.record.total_cents < 0
    assert back.original_reference == sale.receipt_number
    assert (back.item_count, back.tenders) == (Decimal(1), "cash")
    assert "-12,10" in returns.preview_text(back.sale_id)
    # The day's sales (the Z, the day total) are still the sales only.
    assert [s.receipt_number for s in receipts.sales_of_day()] == [
        later.receipt_number,
        sale.receipt_number,
    ]
