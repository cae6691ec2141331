"""Checkout on a real SQLite file: what a completed sale leaves behind, and what a failure
does not."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import text
from support import (
    BREAD,
    COFFEE,
    IDENTITY,
    MILK,
    MILK_EAN8,
    SOAP,
    UPC_SNACK,
    FixedClock,
    make_register_db,
    pid,
    priced,
    weighed,
)

from hardware.escpos_decoder import decode
from hardware.printers import MemoryReceiptPrinter
from pos_app.domain.cart import Discount, Measure
from pos_app.domain.errors import (
    CartNotEmpty,
    EmptyCart,
    InsufficientTender,
    InvalidBarcode,
    NotFound,
    UnknownProduct,
)
from pos_app.domain.money import Money
from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import SaleNotSaved
from pos_app.services.receipts import ReceiptService
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory


@pytest.fixture
def checkout(uow_factory, clock) -> CheckoutService:
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")


def count(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_a_completed_sale_persists_everything_in_one_transaction(checkout, engine):
    checkout.scan(COFFEE)
    checkout.scan(COFFEE)
    checkout.scan(MILK)
    view = checkout.scan(SOAP)
    assert view.totals.total == Money(349 * 2 + 99 + 1210)
    checkout.add_card(Money(1000), "AUT-1")
    checkout.add_cash(Money(2000))
    done = checkout.complete_sale()

    assert done.sale.receipt_number == "T01-C01-2026-000001"
    assert checkout.view().is_empty
    with engine.connect() as conn:
        sale = conn.execute(text("SELECT * FROM sales")).mappings().one()
        assert sale["total_cents"] == 2007 and sale["change_cents"] == 993
        assert sale["cashier"] == "Ana"
        lines = conn.execute(
            text("SELECT sku, quantity, total_cents FROM sale_lines ORDER BY line_no")
        ).all()
        assert [tuple(r) for r in lines] == [
            ("P0001", "2", 698),
            ("P0002", "1", 99),
            ("P0003", "1", 1210),
        ]
        pays = conn.execute(
            text(
                "SELECT kind, amount_cents, tendered_cents, reference FROM sale_payments "
                "ORDER BY position"
            )
        ).all()
        assert [tuple(p) for p in pays] == [("card", 1000, 1000, "AUT-1"), ("cash", 1007, 2000, "")]
        moves = conn.execute(
            text(
                "SELECT p.sku, m.delta_milli, m.reason, m.reference FROM stock_movements m "
                "JOIN products p ON p.pk = m.product_pk ORDER BY p.sku"
            )
        ).all()
        assert [tuple(m) for m in moves] == [
            ("P0001", -2000, "sale", done.sale.sale_id),
            ("P0002", -1000, "sale", done.sale.sale_id),
            ("P0003", -1000, "sale", done.sale.sale_id),
        ]
        outbox, record = conn.execute(
            text("SELECT seq, event_id, event_type, payload FROM outbox ORDER BY seq")
        ).all()
        assert record.event_type == "fiscal.recorded"  # the ticket's F2, same transaction
        assert json.loads(record.payload)["series_number"] == done.sale.receipt_number
        assert outbox.event_type == "sale.completed" and outbox.event_id == done.outbox_event_id
        payload = json.loads(outbox.payload)
        assert payload["sale_id"] == done.sale.sale_id and payload["total_cents"] == 2007
        taxes = conn.execute(
            text("SELECT tax_class, base_cents, tax_cents, total_cents FROM sale_taxes")
        ).all()
        assert {t.tax_class: (t.base_cents, t.tax_cents, t.total_cents) for t in taxes} == {
            "IVA21": (1000, 210, 1210),
            "IVA10": (635, 63, 698),
            "IVA4": (95, 4, 99),
        }


def test_stock_shown_is_the_last_known_level_minus_unsynced_movements(checkout, uow_factory):
    checkout.scan(COFFEE)
    checkout.add_cash(Money(349))
    checkout.complete_sale()
    with uow_factory() as uow:
        assert uow.stock.level(pid("P0001")) == Decimal(49)


def test_a_failure_part_way_leaves_nothing_behind(checkout, engine, monkeypatch):
    from pos_app.storage import repositories

    checkout.scan(COFFEE)
    checkout.add_cash(Money(500))

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(repositories.SqlOutboxRepository, "add", explode)
    with pytest.raises(SaleNotSaved) as info:
        checkout.complete_sale()
    assert "disk full" in str(info.value)
    for table in (
        "sales",
        "sale_lines",
        "sale_payments",
        "sale_taxes",
        "stock_movements",
        "outbox",
        "receipt_series",
    ):
        assert count(engine, table) == 0, table
    # the cart is kept, paid, so the cashier can try again once the disk has room
    assert not checkout.view().is_empty and checkout.view().payment.is_settled
    monkeypatch.undo()
    done = checkout.complete_sale()
    assert done.sale.receipt_number.endswith("-000001")


def test_receipt_numbers_stay_gap_free_across_restarts(db_path, clock):
    numbers = []
    for _ in range(3):  # three runs of the app on the same database
        engine = make_register_db(db_path) if not db_path.exists() else None
        from pos_app.storage.db import open_database

        engine = engine or open_database(db_path)
        svc = CheckoutService(SqlUnitOfWorkFactory(engine), clock, IDENTITY, cashier="Ana")
        for _ in range(2):
            svc.scan(BREAD)
            svc.add_cash(Money(120))
            numbers.append(svc.complete_sale().sale.receipt_number)
        engine.dispose()
    assert numbers == [f"T01-C01-2026-{n:06d}" for n in range(1, 7)]


def test_a_new_year_starts_a_new_series(checkout, clock):
    checkout.scan(BREAD)
    checkout.add_cash(Money(120))
    assert checkout.complete_sale().sale.receipt_number == "T01-C01-2026-000001"
    clock.advance(days=40)
    checkout.scan(BREAD)
    checkout.add_cash(Money(120))
    assert checkout.complete_sale().sale.receipt_number == "T01-C01-2027-000001"


def test_weighed_and_price_embedded_labels(checkout):
    view = checkout.scan(weighed(456))
    line = view.lines[-1]
    assert line.product.measure is Measure.WEIGHT and line.quantity == Decimal("0.456")
    assert view.totals.total == Money(136)  # 0,456 kg x 2,99 €/kg = 1,36344
    view = checkout.scan(priced(1234))
    assert view.lines[-1].gross == Money(1234)
    assert view.totals.total == Money(136 + 1234)


def test_unknown_and_invalid_codes_leave_the_cart_untouched(checkout):
    checkout.scan(COFFEE)
    with pytest.raises(UnknownProduct):
        checkout.scan("8410000009996")
    with pytest.raises(InvalidBarcode):
        checkout.scan("8410000000019")  # wrong check digit
    with pytest.raises(UnknownProduct):
        checkout.scan("NOPE1")
    assert len(checkout.view().lines) == 1


def test_a_typed_sku_adds_the_product(checkout):
    assert checkout.scan("p0004").lines[0].product.sku == "P0004"


def test_search_is_accent_insensitive_by_word_prefix_and_by_sku(checkout):
    assert [p.sku for p in checkout.search("cafe")] == ["P0001", "P0008"]  # Café < Cafetera
    assert [p.sku for p in checkout.search("caf mol")] == ["P0001"]
    assert [p.sku for p in checkout.search("JABON")] == ["P0003"]
    assert [p.sku for p in checkout.search("P0005")] == ["P0005"]
    assert checkout.search('"; DROP TABLE products; --') == []
    assert checkout.search("   ") == []


def test_upc_and_ean8_barcodes_find_their_product(checkout):
    assert checkout.scan(MILK_EAN8).lines[0].product.sku == "P0002"
    assert checkout.scan(UPC_SNACK).lines[1].product.sku == "P0009"
    assert checkout.scan("0" + UPC_SNACK).lines[1].quantity == 2  # the same GTIN as EAN-13


def test_park_and_resume(checkout, engine):
    line = checkout.scan(COFFEE).lines[0]
    checkout.set_quantity(line.line_id, Decimal(3))
    checkout.set_line_discount(line.line_id, Discount.percent(10))
    before = checkout.view().totals
    parked = checkout.park("Señora del abrigo rojo")
    assert parked.view.is_empty and count(engine, "parked_sales") == 1
    checkout.scan(BREAD)
    with pytest.raises(CartNotEmpty):
        checkout.resume(parked.parked_id)
    checkout.abandon("cliente se fue")
    listed = checkout.parked_sales()
    assert [p.label for p in listed] == ["Señora del abrigo rojo"]
    assert listed[0].total_cents == before.total.cents
    view = checkout.resume(parked.parked_id)
    assert view.totals == before
    assert count(engine, "parked_sales") == 0
    checkout.abandon()
    with pytest.raises(NotFound):
        checkout.resume(parked.parked_id)


def test_abandon_records_who_when_and_what(checkout, engine, clock):
    checkout.scan(SOAP)
    checkout.abandon("precio equivocado")
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM abandoned_sales")).mappings().one()
        event = conn.execute(text("SELECT event_type FROM outbox")).scalar_one()
    assert row["cashier"] == "Ana" and row["reason"] == "precio equivocado"
    assert row["total_cents"] == 1210
    assert row["abandoned_at"].startswith("2026-11-25T10:30")
    assert event == "sale.abandoned"
    with pytest.raises(EmptyCart):
        checkout.abandon()


def test_an_unpaid_sale_cannot_complete(checkout, engine):
    checkout.scan(SOAP)
    checkout.add_cash(Money(1000))
    with pytest.raises(InsufficientTender):
        checkout.complete_sale()
    assert count(engine, "sales") == 0


def test_a_sale_is_committed_before_printing_and_survives_a_printer_failure(
    checkout, uow_factory, clock, engine
):
    from hardware.errors import PrinterUnavailable

    printer = MemoryReceiptPrinter()
    receipts = ReceiptService(uow_factory, clock, IDENTITY, printer)
    checkout.scan(priced(1850))
    checkout.add_cash(Money(2000))
    done = checkout.complete_sale()
    printer.fail_next = PrinterUnavailable("printer is off")
    result = receipts.print_receipt(done.sale.sale_id)
    assert not result.ok and "off" in result.error
    assert count(engine, "sales") == 1
    # the retry prints the original (no copy printed yet) and the next print is a marked copy
    assert receipts.print_receipt(done.sale.sale_id).copy is False
    again = receipts.print_receipt(done.sale.sale_id)
    assert again.ok and again.copy
    text_ = decode(printer.receipts[-1]).text
    assert "COPIA" in text_ and done.sale.receipt_number in text_


def test_todays_sales_and_reprint(checkout, uow_factory, clock):
    printer = MemoryReceiptPrinter()
    receipts = ReceiptService(uow_factory, clock, IDENTITY, printer)
    numbers = []
    for code in (COFFEE, SOAP):
        checkout.scan(code)
        checkout.add_cash(Money(5000))
        numbers.append(checkout.complete_sale().sale.receipt_number)
        clock.advance(minutes=5)
    clock.advance(days=1)
    checkout.scan(BREAD)
    checkout.add_cash(Money(120))
    checkout.complete_sale()
    yesterday = receipts.sales_of_day(clock.today().replace(day=25))
    assert [s.receipt_number for s in yesterday] == numbers[::-1]  # newest first
    assert receipts.day_total(clock.today().replace(day=25)) == (2, 349 + 1210)
    result = receipts.print_receipt(yesterday[0].sale_id, reprint=True)
    assert result.ok and result.copy
    doc = receipts.document(yesterday[0].sale_id)
    assert doc.barcode == numbers[1]
    assert receipts.find(numbers[0]).total_cents == 349
    with pytest.raises(NotFound):
        receipts.find("T01-C01-2026-999999")


def test_receipt_document_has_header_taxes_tenders_and_change(checkout, uow_factory, clock):
    receipts = ReceiptService(uow_factory, clock, IDENTITY, None)
    checkout.scan(COFFEE)
    checkout.scan(weighed(1500))
    checkout.add_card(Money(500), "AUT-9")
    checkout.add_cash(Money(1000))
    sale = checkout.complete_sale().sale
    doc = receipts.document(sale.sale_id)
    assert doc.header[0] == "Ultramarinos La Plaza" and "B12345678" in doc.header[1]
    assert ("Nº", sale.receipt_number) in doc.meta
    assert [line.description for line in doc.lines] == ["Café molido natural 250 g", "Tomate pera"]
    assert doc.lines[1].quantity == "1,500 kg"
    assert ("TOTAL", "7,98 €") in doc.totals
    assert [row.label for row in doc.tax_rows] == ["IVA 10 %", "IVA 4 %"]
    assert doc.tenders == (("Tarjeta AUT-9", "5,00 €"), ("Efectivo", "10,00 €"))
    assert doc.change == ("Cambio", "7,02 €")
    assert receipts.print_receipt(sale.sale_id).ok is False  # no printer configured


def test_fixed_clock_is_aware():
    assert FixedClock().now().tzinfo is not None
