"""A full invoice at the counter (F1) and the limits of tickets, on a real SQLite file: the
recipient's tax id checked (python-stdnum), the F1 record naming them, the printed invoice, a
ticket refused above its legal amount and a business refused paying 1.000 € or more in cash."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from support import BREAD, IDENTITY, ean13

from hardware.escpos_decoder import QrCode, decode
from hardware.printers import MemoryReceiptPrinter
from pos_app.domain.money import Money
from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import (
    BusinessCashLimitExceeded,
    FullInvoiceRequired,
    InvoiceRecipientInvalid,
)
from pos_app.services.invoices import InvoiceLimits, make_recipient
from pos_app.services.journal import verify_journal
from pos_app.services.receipts import ReceiptService
from pos_app.ui.error_messages import describe_error

COFFEE_MAKER = ean13("841000000008")  # 24,95 €, IVA 21
ADDRESS = ["Calle de Alcalá 50", "28014 Madrid"]


@pytest.fixture
def checkout(uow_factory, clock) -> CheckoutService:  # type: ignore[no-untyped-def]
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")


def ring(checkout: CheckoutService, code: str, quantity: int = 1) -> None:
    view = checkout.scan(code)
    if quantity != 1:
        assert view.focus_line_id is not None
        checkout.set_quantity(view.focus_line_id, Decimal(quantity))


def count(engine, sql: str) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_a_recipients_tax_id_is_checked_and_kept_compact():
    person = make_recipient(" 12345678-z ", "  Ana   García ", ["Calle Mayor 1", " "])
    assert (person.tax_id, person.name, person.address) == (
        "12345678Z",
        "Ana García",
        ("Calle Mayor 1",),
    )
    assert not person.is_business
    assert make_recipient("X1234567L", "Ion Popescu", ADDRESS).is_business is False  # a NIE
    assert make_recipient("ES B58818501", "Ferretería Sol SL", ADDRESS).is_business
    for tax_id, field, reason in (
        ("B12345678", "tax_id", "checksum"),
        ("12345678A", "tax_id", "checksum"),
        ("", "tax_id", "missing"),
    ):
        with pytest.raises(InvoiceRecipientInvalid) as caught:
            make_recipient(tax_id, "Ana", ADDRESS)
        assert (caught.value.field, caught.value.reason) == (field, reason)
    with pytest.raises(InvoiceRecipientInvalid) as caught:
        make_recipient("12345678Z", " ", ADDRESS)
    assert caught.value.field == "name"
    with pytest.raises(InvoiceRecipientInvalid) as caught:
        make_recipient("12345678Z", "Ana", [" "])
    assert caught.value.field == "address"
    assert describe_error(caught.value) == (
        "Falta el domicilio del cliente: una factura completa lo lleva."
    )


def test_a_full_invoice_at_the_counter_is_an_f1_naming_its_recipient_and_printed_as_one(
    checkout, uow_factory, clock
):
    ring(checkout, BREAD)
    with pytest.raises(InvoiceRecipientInvalid):
        checkout.request_invoice("B12345678", "Ferretería Sol SL", ADDRESS)
    assert checkout.invoice is None  # a refused tax id changes nothing
    checkout.request_invoice("B58818501", "Ferretería Sol SL", ADDRESS)
    checkout.add_cash(checkout.view().payment.due)
    sale = checkout.complete_sale().sale
    assert checkout.invoice is None  # the next sale is a ticket again
    with uow_factory.reader() as uow:
        record = uow.fiscal.for_source("sale", sale.sale_id)
    assert record is not None
    assert (record.invoice_type, record.series_number) == ("F1", sale.receipt_number)
    assert (record.recipient_tax_id, record.recipient_name) == ("B58818501", "Ferretería Sol SL")
    assert verify_journal(uow_factory).ok

    printer = MemoryReceiptPrinter()
    assert ReceiptService(uow_factory, clock, IDENTITY, printer).print_receipt(sale.sale_id).ok
    printed = decode(printer.receipts[-1])
    text_ = printed.text
    assert "FACTURA SIMPLIFICADA" not in text_ and "FACTURA" in text_
    for expected in ("Ferretería Sol SL", "B58818501", "Calle de Alcalá 50", "28014 Madrid"):
        assert expected in text_, expected
    [qr] = printed.events_of(QrCode)
    assert f"numserie={sale.receipt_number}" in qr.data

    ring(checkout, BREAD)
    checkout.add_cash(checkout.view().payment.due)
    ticket = checkout.complete_sale().sale
    with uow_factory.reader() as uow:
        again = uow.fiscal.for_source("sale", ticket.sale_id)
    assert again is not None and again.invoice_type == "F2" and again.recipient_tax_id == ""


def test_a_ticket_above_its_legal_amount_needs_a_full_invoice(checkout, engine):
    ring(checkout, COFFEE_MAKER, 121)  # 3.018,95 €
    checkout.add_card(checkout.view().payment.due, "AUT-1")
    with pytest.raises(FullInvoiceRequired) as caught:
        checkout.complete_sale()
    assert (caught.value.total_cents, caught.value.limit_cents) == (301_895, 300_000)
    assert "necesita una factura completa" in describe_error(caught.value)
    assert count(engine, "SELECT count(*) FROM sales") == 0
    assert count(engine, "SELECT count(*) FROM fiscal_records") == 0
    checkout.request_invoice("12345678Z", "Ana García", ADDRESS)  # the sale is still there
    done = checkout.complete_sale()
    assert done.sale.total_cents == 301_895
    assert count(engine, "SELECT count(*) FROM fiscal_records WHERE invoice_type = 'F1'") == 1


def test_the_ticket_limit_is_configurable(checkout):
    checkout.invoice_limits = InvoiceLimits(simplified_max_cents=40_000)  # not retail: 400 €
    ring(checkout, COFFEE_MAKER, 17)  # 424,15 €
    checkout.add_cash(Money(50_000))
    with pytest.raises(FullInvoiceRequired):
        checkout.complete_sale()


def test_a_business_cannot_pay_a_thousand_euros_or_more_in_cash(checkout, engine):
    ring(checkout, COFFEE_MAKER, 41)  # 1.022,95 €
    checkout.request_invoice("B58818501", "Ferretería Sol SL", ADDRESS)
    checkout.add_cash(Money(110_000))
    with pytest.raises(BusinessCashLimitExceeded) as caught:
        checkout.complete_sale()
    assert caught.value.cash_cents == 102_295
    assert "Ley 11/2021" in describe_error(caught.value)
    assert count(engine, "SELECT count(*) FROM sales") == 0
    checkout.clear_tenders()
    checkout.add_cash(Money(99_995))  # just under the limit in cash, the rest by card
    checkout.add_card(checkout.view().payment.due, "AUT-2")
    assert checkout.complete_sale().sale.total_cents == 102_295


def test_a_person_may_pay_a_thousand_euros_in_cash(checkout):
    ring(checkout, COFFEE_MAKER, 41)
    checkout.request_invoice("12345678Z", "Ana García", ADDRESS)
    checkout.add_cash(Money(110_000))
    assert checkout.complete_sale().sale.change_cents == 110_000 - 102_295


def test_the_limits_come_from_the_settings_file(tmp_path, engine, clock):
    from pos_app.bootstrap import build_register
    from pos_app.config import load_settings

    path = tmp_path / "mostrador.toml"
    path.write_text(
        "[register]\nsimplified_invoice_max = 400\nbusiness_cash_max = 1000\n", encoding="utf-8"
    )
    settings = load_settings(path)
    assert (settings.simplified_invoice_max_cents, settings.business_cash_max_cents) == (
        40_000,
        100_000,
    )
    register = build_register(engine, settings, clock=clock)
    try:
        assert register.checkout.invoice_limits == InvoiceLimits(40_000, 100_000)
    finally:
        register.db_executor.shutdown(wait=True)
