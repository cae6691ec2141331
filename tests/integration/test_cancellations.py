"""Annulling a completed sale on a real SQLite file: a manager's PIN, one transaction (sale
marked cancelled, stock back, each tender refunded, the journal's "anulacion" record chained
to the ticket, ``sale.cancelled`` and the override in the outbox), the refusals (another till,
already cancelled, returned, paid by voucher, no reason), and the X and Z that count it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from support import COFFEE, IDENTITY, MILK, SOAP, limits_change, pull_changes, staff_change

from hardware.escpos_decoder import decode
from hardware.printers import MemoryReceiptPrinter, receipt_to_bytes
from pos_app.domain.money import Money
from pos_app.domain.permissions import Action
from pos_app.domain.till import CashCount
from pos_app.services.cancellations import CancellationService
from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import (
    ApprovalInvalid,
    ManagerApprovalRequired,
    SaleNotCancellable,
    TillNotOpen,
)
from pos_app.services.journal import verify_journal
from pos_app.services.returns import RefundRequest, ReturnLineRequest, ReturnsService
from pos_app.services.staff import StaffService
from pos_app.services.till import TillService
from pos_app.storage.backup import SqliteBackup
from sync.fiscal import anulacion_fingerprint, verify_chain
from sync.pins import hash_pin
from sync.protocol import AuditRecordedPayload, SaleCancelledPayload, TillClosedPayload

FLOAT = CashCount({2000: 5})  # 100,00 €
CASHIER_PIN, MANAGER_PIN = "1111", "9999"
HASHES = {pin: hash_pin(pin) for pin in (CASHIER_PIN, MANAGER_PIN)}


def rows(engine, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def outbox(engine, event_type: str) -> list[dict]:  # type: ignore[type-arg]
    return [
        json.loads(p)
        for (p,) in rows(
            engine, f"SELECT payload FROM outbox WHERE event_type = '{event_type}' ORDER BY seq"
        )
    ]


@pytest.fixture
def staff(uow_factory, clock) -> StaffService:  # type: ignore[no-untyped-def]
    pull_changes(
        uow_factory,
        clock,
        staff_change("s-ana", "Ana Cajera", "cashier", HASHES[CASHIER_PIN]),
        staff_change("s-luis", "Luis Encargado", "manager", HASHES[MANAGER_PIN]),
        limits_change(),
    )
    service = StaffService(uow_factory, clock, IDENTITY)
    service.sign_in("s-ana", CASHIER_PIN)
    return service


@pytest.fixture
def till(uow_factory, clock, staff, tmp_path: Path, db_path: Path) -> TillService:  # type: ignore[no-untyped-def]
    backup = SqliteBackup(db_path, tmp_path / "backups", keep=2)
    return TillService(uow_factory, clock, IDENTITY, cashier="Ana", staff=staff, backup=backup)


@pytest.fixture
def returns(uow_factory, clock, till) -> ReturnsService:  # type: ignore[no-untyped-def]
    return ReturnsService(
        uow_factory, clock, IDENTITY, cashier="Ana", printer=MemoryReceiptPrinter(), till=till
    )


@pytest.fixture
def checkout(uow_factory, clock, till, returns, staff) -> CheckoutService:  # type: ignore[no-untyped-def]
    return CheckoutService(
        uow_factory, clock, IDENTITY, cashier="Ana", till=till, returns=returns, staff=staff
    )


@pytest.fixture
def printer() -> MemoryReceiptPrinter:
    return MemoryReceiptPrinter()


@pytest.fixture
def cancellations(uow_factory, clock, till, staff, printer) -> CancellationService:  # type: ignore[no-untyped-def]
    return CancellationService(
        uow_factory, clock, IDENTITY, till=till, cashier="Ana", staff=staff, printer=printer
    )


def sell(checkout: CheckoutService, *codes: str, card: bool = False, cash: int = 0) -> str:
    for code in codes:
        checkout.scan(code)
    due = checkout.view().payment.due.cents
    if card:
        checkout.add_card(Money(due), "AUT-77")
    else:
        checkout.add_cash(Money(max(cash, due)))
    return checkout.complete_sale().sale.sale_id


def approved(staff: StaffService):  # type: ignore[no-untyped-def]
    return staff.approve("s-luis", MANAGER_PIN, Action.CANCEL_SALE)


def level(uow_factory, code: str) -> Decimal:  # type: ignore[no-untyped-def]
    with uow_factory.reader() as uow:
        product = uow.catalog.find_by_barcode(code)
        assert product is not None
        return uow.stock.level(product.product_id)


def test_a_cancellation_undoes_the_sale_in_one_transaction_with_its_anulacion_record(
    checkout, till, cancellations, staff, uow_factory, engine, clock, printer
):
    till.open_till(FLOAT)
    coffee_before, milk_before = level(uow_factory, COFFEE), level(uow_factory, MILK)
    sale_id = sell(checkout, COFFEE, MILK, COFFEE, cash=2000)
    assert level(uow_factory, COFFEE) == coffee_before - 2
    [(number, total, tax)] = rows(
        engine, "SELECT receipt_number, total_cents, tax_cents FROM sales"
    )

    with pytest.raises(ManagerApprovalRequired) as caught:  # a cashier alone may not
        cancellations.cancel_sale(sale_id, "Ticket cobrado dos veces")
    assert (caught.value.action, caught.value.reason) == ("cancel_sale", "manager_only")
    assert rows(engine, "SELECT count(*) FROM sale_cancellations") == [(0,)]

    clock.advance(minutes=3)
    done = cancellations.cancel_sale(sale_id, "  Ticket cobrado   dos veces ", approved(staff))

    assert (done.reason, done.approved_by, done.cash_cents) == (
        "Ticket cobrado dos veces",
        "Luis Encargado",
        total,
    )
    assert rows(engine, "SELECT sale_id, receipt_number, total_cents FROM sale_cancellations") == [
        (sale_id, number, total)
    ]
    assert rows(engine, "SELECT kind, amount_cents FROM sale_cancellation_refunds") == [
        ("cash", total)
    ]
    # The stock is back, as the opposite of the sale's own movements.
    assert (level(uow_factory, COFFEE), level(uow_factory, MILK)) == (coffee_before, milk_before)
    assert rows(
        engine,
        "SELECT reason, count(*), sum(delta_milli) FROM stock_movements "
        f"WHERE reference = '{done.cancellation_id}' GROUP BY reason",
    ) == [("cancellation", 2, 3000)]  # two lines: the coffees are merged into one

    # The journal: the ticket (alta F2), then its anulación, chained; the chain verifies.
    with uow_factory.reader() as uow:
        records = list(uow.fiscal.records())
    ticket, anulacion = records
    assert (anulacion.record_type, anulacion.invoice_type, anulacion.source_kind) == (
        "anulacion",
        None,
        "cancellation",
    )
    assert (anulacion.series_number, anulacion.issue_date) == (ticket.series_number, "25-11-2026")
    assert anulacion.source_id == done.cancellation_id
    assert anulacion.previous_fingerprint == ticket.fingerprint
    assert anulacion.fingerprint == anulacion_fingerprint(
        issuer_tax_id=IDENTITY.tax_id,
        series_number=number,
        issue_date=ticket.issue_date,
        previous=ticket.fingerprint,
        generated_at="2026-11-25T10:33:00+01:00",
    )
    assert (anulacion.amount_total, anulacion.tax_total) == (
        f"-{total // 100}.{total % 100:02d}",
        f"-{tax // 100}.{tax % 100:02d}",
    )
    assert verify_chain(records) is None
    assert verify_journal(uow_factory).ok

    # The outbox: the record, then sale.cancelled, then the manager's override.
    [payload] = outbox(engine, "sale.cancelled")
    event = SaleCancelledPayload.model_validate(payload)
    assert (event.sale_id, event.receipt_number, event.total_cents) == (sale_id, number, total)
    assert (event.till_id, event.journal_record_id) == (till.current().till_id, anulacion.record_id)
    assert [(r.kind, r.amount_cents) for r in event.refunds] == [("cash", total)]
    assert (event.cashier, event.approved_by) == ("Ana Cajera", "Luis Encargado")
    types = [t for (t,) in rows(engine, "SELECT event_type FROM outbox ORDER BY seq")]
    assert types[-3:] == ["fiscal.recorded", "sale.cancelled", "audit.recorded"]
    audit = AuditRecordedPayload.model_validate(outbox(engine, "audit.recorded")[-1])
    assert (audit.action, audit.approver_name, audit.reference) == (
        "cancel_sale",
        "Luis Encargado",
        number,
    )

    # The cancellation receipt: ANULACIÓN of the ticket, no QR (an anulación is no invoice).
    assert cancellations.print_receipt(done).ok
    doc = printer.documents[-1]
    assert doc.title == f"ANULACIÓN DEL TICKET {number}"
    assert doc.qr is None
    printed = decode(receipt_to_bytes(doc, width=48)).text
    assert "Ticket cobrado dos veces" in printed and "Luis Encargado" in printed


def test_the_approval_is_for_this_action_and_used_once(checkout, till, cancellations, staff):
    till.open_till(FLOAT)
    first, second = sell(checkout, COFFEE), sell(checkout, MILK)
    with pytest.raises(ApprovalInvalid):
        cancellations.cancel_sale(first, "Error", staff.approve("s-luis", MANAGER_PIN, Action.VOID))
    approval = approved(staff)
    cancellations.cancel_sale(first, "Error", approval)
    with pytest.raises(ApprovalInvalid):
        cancellations.cancel_sale(second, "Error", approval)


def test_a_manager_signed_in_cancels_without_another_pin(checkout, till, cancellations, staff):
    till.open_till(FLOAT)
    sale_id = sell(checkout, COFFEE)
    staff.sign_in("s-luis", MANAGER_PIN)
    done = cancellations.cancel_sale(sale_id, "Error del cajero")
    assert done.approved_by == "" and done.audit_id is None


def test_refusals_write_nothing(checkout, till, cancellations, staff, returns, engine, clock):
    with pytest.raises(TillNotOpen) as no_till:
        cancellations.cancel_sale("nope", "Error")
    assert no_till.value.action == "cancel"
    till.open_till(FLOAT)
    old = sell(checkout, SOAP)
    till.close_z(FLOAT)
    till.open_till(FLOAT)
    returned, paid_card, twice = (
        sell(checkout, COFFEE),
        sell(checkout, MILK, card=True),
        sell(checkout, SOAP),
    )
    [(returned_number,)] = rows(engine, f"SELECT receipt_number FROM sales WHERE id='{returned}'")
    returns.complete_return(
        returns.find_original(returned_number),
        [ReturnLineRequest(1, Decimal(1), "Roto")],
        RefundRequest("cash"),
    )
    cancellations.cancel_sale(twice, "Error", approved(staff))
    before = rows(engine, "SELECT count(*) FROM outbox")

    def refused(sale_id: str, reason: str = "Error") -> str:
        with pytest.raises(SaleNotCancellable) as caught:
            cancellations.cancel_sale(sale_id, reason, approved(staff))
        return caught.value.reason

    assert refused("no-such-sale") == "not_found"
    assert refused(old) == "other_till"  # closed in an earlier Z: its figures are final
    assert refused(returned) == "returned"
    assert refused(twice) == "cancelled"
    assert refused(paid_card, "   ") == "no_reason"
    assert rows(engine, "SELECT count(*) FROM outbox") == before
    assert rows(engine, "SELECT count(*) FROM sale_cancellations") == [(1,)]
    # A card sale is cancellable: the card refund is recorded with the payment's reference.
    done = cancellations.cancel_sale(paid_card, "Tarjeta equivocada", approved(staff))
    assert [(r.kind, r.reference) for r in done.refunds] == [("card", "AUT-77")]
    assert done.cash_cents == 0


def test_a_sale_paid_by_voucher_is_refused(
    checkout, till, cancellations, staff, uow_factory, clock
):
    till.open_till(FLOAT)
    with uow_factory() as uow:  # a voucher this register knows (as a look-up leaves it)
        uow.vouchers.remember(
            "VALE1", issued_cents=5000, balance_cents=5000, at=clock.now(), source="lookup"
        )
        uow.commit()
    checkout.scan(COFFEE)
    checkout.add_voucher("VALE1", Money(checkout.view().payment.due.cents))
    sale_id = checkout.complete_sale().sale.sale_id
    with pytest.raises(SaleNotCancellable) as caught:
        cancellations.cancel_sale(sale_id, "Error", approved(staff))
    assert caught.value.reason == "tender"


def test_the_x_and_z_count_cancellations_and_leave_the_sale_out_of_the_net_figures(
    checkout, till, cancellations, staff, engine
):
    till.open_till(FLOAT)
    kept = sell(checkout, COFFEE, MILK, card=True)
    cash_sale = sell(checkout, SOAP, COFFEE, cash=5000)
    card_sale = sell(checkout, MILK, card=True)
    totals = dict(rows(engine, "SELECT id, total_cents FROM sales"))
    taxes_before = till.x_report().figures.taxes
    cancellations.cancel_sale(cash_sale, "Cobrado dos veces", approved(staff))
    cancellations.cancel_sale(card_sale, "Cliente se arrepiente", approved(staff))

    x = till.x_report().figures
    assert (x.sales_count, x.sales_total_cents) == (3, sum(totals.values()))  # tickets issued
    assert (x.cancelled_count, x.cancelled_total_cents) == (
        2,
        totals[cash_sale] + totals[card_sale],
    )
    assert x.net_total_cents == totals[kept]
    assert x.expected_cash_cents == FLOAT.total_cents  # the cash sale's money went back
    assert x.cash_cancelled_cents == totals[cash_sale]
    assert {t.kind: t.amount_cents for t in x.tenders} == {"cash": 0, "card": totals[kept]}
    assert sum(t.total_cents for t in x.taxes) == totals[kept]
    assert x.taxes != taxes_before
    report = till.preview_text(till.x_report())
    assert "Tickets anulados" in report and "Efectivo anulaciones" in report

    closed = till.close_z(FLOAT)
    z = TillClosedPayload.model_validate(
        json.loads(rows(engine, "SELECT report FROM till_sessions")[0][0])
    )
    assert (z.cancelled_count, z.cancelled_total_cents) == (2, x.cancelled_total_cents)
    assert (z.expected_cash_cents, z.difference_cents) == (FLOAT.total_cents, 0)
    assert closed.report.figures == x
    # The Z's "cierre" record carries the net total: the billing records of the session add up.
    from sync.fiscal import cents_of

    records = list(_records(engine))
    billing = [r for r in records if r[0] != "cierre"]
    assert sum(cents_of(amount) for _, amount in billing) == totals[kept]
    assert records[-1] == ("cierre", f"{totals[kept] // 100}.{totals[kept] % 100:02d}")


def _records(engine):  # type: ignore[no-untyped-def]
    return rows(engine, "SELECT record_type, amount_total FROM fiscal_records ORDER BY chain_seq")


def test_a_cancelled_sale_cannot_be_returned_afterwards(
    checkout, till, cancellations, staff, returns, engine
):
    from pos_app.services.errors import NothingToReturn

    till.open_till(FLOAT)
    sale_id = sell(checkout, COFFEE)
    [(number,)] = rows(engine, "SELECT receipt_number FROM sales")
    cancellations.cancel_sale(sale_id, "Error", approved(staff))
    with pytest.raises(NothingToReturn):  # all of it went back with the cancellation
        returns.find_original(number)
