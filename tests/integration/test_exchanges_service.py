"""Exchanges on a real SQLite file: a return whose credit pays a new sale, both committed in
one transaction, with the difference paid by the customer or given back to them."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import text
from support import (
    BREAD,
    COFFEE,
    IDENTITY,
    SOAP,
    ean13,
    limits_change,
    pid,
    pull_changes,
    staff_change,
)

from hardware.printers import MemoryReceiptPrinter
from pos_app.domain.cart import TenderKind
from pos_app.domain.errors import CartNotEmpty, InsufficientTender
from pos_app.domain.money import Money
from pos_app.domain.permissions import Action
from pos_app.services import checkout as checkout_module
from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import (
    ExchangeInProgress,
    ExchangeRefundRequired,
    ManagerApprovalRequired,
    RefundExceedsTender,
    RefundReferenceRequired,
    ReturnQuantityInvalid,
    SaleNotSaved,
    StoreCreditOnly,
)
from pos_app.services.receipts import ReceiptService
from pos_app.services.returns import RefundRequest, ReturnLineRequest, ReturnsService
from pos_app.services.staff import StaffService
from sync.pins import hash_pin
from sync.protocol import (
    EXCHANGE_KIND,
    AuditRecordedPayload,
    Disposition,
    ReturnCompletedPayload,
    SaleCompletedPayload,
)

COFFEE_MAKER = ean13("841000000008")  # 24,95 €, IVA 21


@pytest.fixture
def returns(uow_factory, clock) -> ReturnsService:  # type: ignore[no-untyped-def]
    return ReturnsService(
        uow_factory, clock, IDENTITY, cashier="Ana", printer=MemoryReceiptPrinter()
    )


@pytest.fixture
def checkout(uow_factory, clock, returns) -> CheckoutService:  # type: ignore[no-untyped-def]
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana", returns=returns)


def sell(checkout: CheckoutService, *codes: str, card: bool = False) -> str:
    for code in codes:
        checkout.scan(code)
    due = checkout.view().payment.due
    if card:
        checkout.add_card(due, "AUT-1")
    else:
        checkout.add_cash(due)
    return checkout.complete_sale().sale.receipt_number


def rows(engine, sql: str) -> list[tuple]:  # type: ignore[no-untyped-def, type-arg]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def stock_of(engine, sku: str) -> list[tuple]:  # type: ignore[no-untyped-def, type-arg]
    return rows(
        engine,
        "SELECT m.reason, m.delta_milli FROM stock_movements m JOIN products p "
        f"ON p.pk = m.product_pk WHERE p.sku = '{sku}' ORDER BY m.created_at, m.rowid",
    )


def outbox(engine) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def, type-arg]
    return [
        (kind, json.loads(payload))
        for kind, payload in rows(engine, "SELECT event_type, payload FROM outbox ORDER BY seq")
    ]


def one_soap(reason: str = "Talla equivocada") -> list[ReturnLineRequest]:
    return [ReturnLineRequest(1, Decimal(1), reason)]


def test_an_exchange_for_a_dearer_item_pays_the_difference_in_one_commit(checkout, returns, engine):
    number = sell(checkout, SOAP)  # 12,10 € in cash
    credit = returns.exchange_credit(returns.find_original(number), one_soap())
    assert credit.credit_cents == 1210
    assert credit.refund_kinds == ("cash", "voucher")
    view = checkout.start_exchange(credit)
    assert view.exchange is not None and view.exchange.reference == number
    assert view.is_empty and view.tenders == ()  # the credit applies to what is rung up

    view = checkout.scan(COFFEE_MAKER)
    [applied] = view.tenders
    assert (applied.kind, applied.amount.cents) == (TenderKind.EXCHANGE, 1210)
    assert view.payment.due.cents == 2495 - 1210
    assert (view.exchange.applied_cents, view.exchange.refund_cents) == (1210, 0)
    with pytest.raises(InsufficientTender):
        checkout.complete_sale()
    checkout.add_cash(Money(2000))
    done = checkout.complete_sale()

    sale, back = done.sale, done.exchange
    assert back is not None
    assert sale.receipt_number == "T01-C01-2026-000002"
    assert back.record.return_number == "T01-C01-D2026-000001"
    assert [(r.kind, r.amount_cents, r.reference) for r in back.record.refunds] == [
        (EXCHANGE_KIND, 1210, sale.receipt_number)
    ]
    assert [(t.kind.value, t.amount.cents, t.reference) for t in sale.tenders] == [
        ("exchange", 1210, back.record.return_number),
        ("cash", 1285, ""),
    ]
    assert sale.change_cents == 2000 - 1285
    # Both events, the return's first; each is what the protocol expects.
    events = outbox(engine)  # each fact followed by its fiscal record (R5, then F2)
    assert [kind for kind, _ in events] == [
        "sale.completed",
        "fiscal.recorded",
        "return.completed",
        "fiscal.recorded",
        "sale.completed",
        "fiscal.recorded",
    ]
    assert [(e[1]["invoice_type"], e[1]["series_number"]) for e in events[3::2]] == [
        ("R5", back.record.return_number),
        ("F2", sale.receipt_number),
    ]
    returned = ReturnCompletedPayload.model_validate(events[2][1])
    sold = SaleCompletedPayload.model_validate(events[4][1])
    assert [(r.kind, r.reference) for r in returned.refunds] == [
        ("exchange", "T01-C01-2026-000002")
    ]
    assert [(p.kind, p.amount_cents, p.reference) for p in sold.payments] == [
        ("exchange", 1210, "T01-C01-D2026-000001"),
        ("cash", 1285, ""),
    ]
    ids = {e for (e,) in rows(engine, "SELECT event_id FROM outbox")}
    assert {done.outbox_event_id, back.outbox_event_id} <= ids
    # Stock both ways: the soap back on the shelf, the coffee maker out.
    assert stock_of(engine, "P0003") == [("sale", -1000), ("return", 1000)]
    assert stock_of(engine, "P0008") == [("sale", -1000)]
    # The cart is clear, and the exchange with it.
    assert checkout.view().exchange is None and checkout.view().is_empty


def test_both_receipts_name_each_other(checkout, returns, uow_factory, clock):
    number = sell(checkout, SOAP)
    checkout.start_exchange(returns.exchange_credit(returns.find_original(number), one_soap()))
    checkout.scan(COFFEE_MAKER)
    checkout.add_cash(Money(1285))
    done = checkout.complete_sale()
    receipts = ReceiptService(uow_factory, clock, IDENTITY, MemoryReceiptPrinter())
    sale_text = receipts.preview_text(done.sale.sale_id)
    assert "Abono devolución T01-C01-D2026-000001" in sale_text
    doc = returns.document(done.exchange.record.return_id)
    assert any("Cambio, ticket T01-C01-2026-000002" in label for label, _ in doc.tenders)


def test_a_credit_above_the_sale_is_refunded_in_cash_when_the_cashier_says_so(
    checkout, returns, engine
):
    number = sell(checkout, SOAP)
    checkout.start_exchange(returns.exchange_credit(returns.find_original(number), one_soap()))
    view = checkout.scan(COFFEE)  # 3,49 €
    assert view.payment.due.cents == 0 and view.payment.is_settled
    assert (view.exchange.applied_cents, view.exchange.refund_cents) == (349, 861)

    with pytest.raises(ExchangeRefundRequired) as caught:
        checkout.complete_sale()
    assert caught.value.cents == 861
    with pytest.raises(RefundExceedsTender):  # paid in cash: no card refund
        checkout.complete_sale(RefundRequest("card", "DEV-1"))
    assert rows(engine, "SELECT count(*) FROM returns") == [(0,)]

    done = checkout.complete_sale(RefundRequest("cash"))
    assert [(r.kind, r.amount_cents) for r in done.exchange.record.refunds] == [
        ("exchange", 349),
        ("cash", 861),
    ]
    assert done.exchange.record.total_cents == 1210
    assert [(t.kind.value, t.amount.cents) for t in done.sale.tenders] == [("exchange", 349)]
    assert done.sale.total_cents == 349


def test_a_credit_above_the_sale_may_go_back_as_a_voucher(checkout, returns, engine):
    number = sell(checkout, SOAP, card=True)
    credit = returns.exchange_credit(returns.find_original(number), one_soap())
    assert credit.refund_kinds == ("card", "voucher")
    checkout.start_exchange(credit)
    checkout.scan(BREAD)  # 1,20 €
    with pytest.raises(RefundExceedsTender):  # paid by card: no cash back
        checkout.complete_sale(RefundRequest("cash"))
    with pytest.raises(RefundReferenceRequired):  # back to the card: the terminal's reference
        checkout.complete_sale(RefundRequest("card"))
    done = checkout.complete_sale(RefundRequest("voucher"))
    exchange, voucher = done.exchange.record.refunds
    assert (exchange.kind, exchange.amount_cents) == ("exchange", 120)
    assert (voucher.kind, voucher.amount_cents) == ("voucher", 1090)
    assert voucher.reference
    assert rows(
        engine, f"SELECT balance_cents FROM vouchers WHERE code = '{voucher.reference}'"
    ) == [(1090,)]


def test_an_even_exchange_completes_with_nothing_to_pay(checkout, returns, engine):
    number = sell(checkout, SOAP)
    checkout.start_exchange(
        returns.exchange_credit(returns.find_original(number), one_soap("Otro aroma"))
    )
    view = checkout.scan(SOAP)
    assert view.payment.due.cents == 0 and view.exchange.refund_cents == 0
    done = checkout.complete_sale()
    assert [(t.kind.value, t.amount.cents) for t in done.sale.tenders] == [("exchange", 1210)]
    assert [(r.kind, r.amount_cents) for r in done.exchange.record.refunds] == [("exchange", 1210)]
    assert stock_of(engine, "P0003") == [("sale", -1000), ("return", 1000), ("sale", -1000)]


def test_a_failure_before_the_commit_leaves_neither_the_return_nor_the_sale(
    checkout, returns, engine, monkeypatch
):
    number = sell(checkout, SOAP)
    checkout.start_exchange(returns.exchange_credit(returns.find_original(number), one_soap()))
    checkout.scan(COFFEE_MAKER)
    checkout.add_cash(Money(1285))

    def dies_before_commit(name: str) -> None:
        if name == "sale.before_commit":
            raise OSError("disk I/O error")

    with monkeypatch.context() as patch:
        patch.setattr(checkout_module, "failpoint", dies_before_commit)
        with pytest.raises(SaleNotSaved):
            checkout.complete_sale()
    assert rows(engine, "SELECT count(*) FROM returns") == [(0,)]
    assert rows(engine, "SELECT count(*) FROM sales") == [(1,)]
    assert stock_of(engine, "P0003") == [("sale", -1000)]
    assert stock_of(engine, "P0008") == []
    assert [kind for kind, _ in outbox(engine)] == ["sale.completed", "fiscal.recorded"]

    # Nothing lost: the exchange is still there, paid, and goes through; no number skipped.
    assert checkout.view().exchange is not None
    done = checkout.complete_sale()
    assert done.sale.receipt_number == "T01-C01-2026-000002"
    assert done.exchange.record.return_number == "T01-C01-D2026-000001"


def test_quantities_are_limited_as_in_a_return(checkout, returns, engine):
    number = sell(checkout, SOAP)
    original = returns.find_original(number)
    with pytest.raises(ReturnQuantityInvalid):
        returns.exchange_credit(original, [ReturnLineRequest(1, Decimal(2), "x")])
    credit = returns.exchange_credit(original, one_soap())
    checkout.start_exchange(credit)
    checkout.scan(COFFEE_MAKER)
    checkout.add_cash(Money(1285))
    # Meanwhile the same soap is returned at this register: the exchange can no longer be.
    returns.complete_return(original, one_soap(), RefundRequest("cash"))
    with pytest.raises(ReturnQuantityInvalid):
        checkout.complete_sale()
    assert rows(engine, "SELECT count(*) FROM returns") == [(1,)]
    assert rows(engine, "SELECT count(*) FROM sales") == [(1,)]


def test_a_credit_above_the_limit_needs_a_manager_audited_with_the_exchange(
    checkout, returns, uow_factory, clock, engine
):
    pull_changes(
        uow_factory,
        clock,
        staff_change("s-ana", "Ana Cajera", "cashier", hash_pin("1111")),
        staff_change("s-luis", "Luis Encargado", "manager", hash_pin("9999")),
        limits_change(max_refund_cents=1000),
    )
    staff = StaffService(uow_factory, clock, IDENTITY)
    staff.sign_in("s-ana", "1111")
    returns.staff = staff
    checkout.staff = staff
    number = sell(checkout, SOAP)
    original = returns.find_original(number)
    with pytest.raises(ManagerApprovalRequired) as caught:
        returns.exchange_credit(original, one_soap())
    assert (caught.value.action, caught.value.reason) == ("refund", "amount_above_limit")
    approval = staff.approve("s-luis", "9999", Action.REFUND, caught.value.detail)
    checkout.start_exchange(returns.exchange_credit(original, one_soap(), approval))
    checkout.scan(COFFEE_MAKER)
    checkout.add_cash(Money(1285))
    done = checkout.complete_sale()
    assert done.exchange.audit_event_id is not None
    events = outbox(engine)
    assert [kind for kind, _ in events][-5:] == [
        "return.completed",
        "fiscal.recorded",
        "audit.recorded",
        "sale.completed",
        "fiscal.recorded",
    ]
    audit = AuditRecordedPayload.model_validate(events[-3][1])
    assert (audit.action, audit.approver_name) == ("refund", "Luis Encargado")
    assert audit.reference == done.exchange.record.return_number


def test_abandoning_the_sale_drops_the_exchange_and_writes_no_return(checkout, returns, engine):
    number = sell(checkout, SOAP)
    credit = returns.exchange_credit(returns.find_original(number), one_soap())
    checkout.start_exchange(credit)
    with pytest.raises(ExchangeInProgress):
        checkout.start_exchange(credit)
    with pytest.raises(ExchangeInProgress):  # a parked sale would drop the credit
        checkout.resume("any")
    checkout.scan(COFFEE)
    with pytest.raises(ExchangeInProgress):
        checkout.park()
    view = checkout.abandon("El cliente se lo piensa")
    assert view.exchange is None and view.is_empty
    assert rows(engine, "SELECT count(*) FROM returns") == [(0,)]
    assert stock_of(engine, "P0003") == [("sale", -1000)]

    # Cancelling the exchange keeps the lines, as a sale like any other.
    checkout.start_exchange(credit)
    checkout.scan(COFFEE)
    view = checkout.cancel_exchange()
    assert view.exchange is None and len(view.lines) == 1 and view.payment.due.cents == 349
    with pytest.raises(CartNotEmpty):
        checkout.start_exchange(credit)
    assert pid("P0001") in {line.product.product_id for line in view.lines}


def test_damaged_items_exchanged_move_no_stock_back(checkout, returns, engine):
    number = sell(checkout, SOAP)
    lines = [ReturnLineRequest(1, Decimal(1), "Defectuoso", Disposition.DAMAGED)]
    checkout.start_exchange(returns.exchange_credit(returns.find_original(number), lines))
    checkout.scan(SOAP)
    checkout.complete_sale()
    assert stock_of(engine, "P0003") == [("sale", -1000), ("sale", -1000)]


def test_a_gift_receipt_exchanged_gives_any_difference_back_as_store_credit_only(
    checkout, returns, engine
):
    number = sell(checkout, SOAP)
    gift = replace(returns.find_original(number), gift_receipt=True)
    credit = returns.exchange_credit(gift, one_soap("Regalo repetido"))
    assert credit.refund_kinds == ("voucher",)
    checkout.start_exchange(credit)
    checkout.scan(COFFEE)
    with pytest.raises(StoreCreditOnly):
        checkout.complete_sale(RefundRequest("cash"))
    done = checkout.complete_sale(RefundRequest("voucher"))
    assert [(r.kind, r.amount_cents) for r in done.exchange.record.refunds] == [
        ("exchange", 349),
        ("voucher", 861),
    ]
    assert done.exchange.record.gift_receipt
