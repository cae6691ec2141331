"""The return policy at the register, on a real SQLite file: days per category and categories
never taken back refuse lines with a reason; a gift receipt finds its sale and refunds store
credit only; a return without a receipt refunds the lowest recent price as a voucher, with a
manager's approval (audited) when the limits say so, and not at all when a receipt is
required; an unchecked return above the offline limit needs a manager."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from support import COFFEE, IDENTITY, SOAP, limits_change, pid, pull_changes, staff_change

from hardware.printers import MemoryReceiptPrinter
from pos_app.domain.cart import Discount
from pos_app.domain.money import Money
from pos_app.domain.permissions import Action
from pos_app.domain.returns import gift_receipt_code, parse_gift_receipt, return_period_over
from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import (
    ManagerApprovalRequired,
    ReceiptRequired,
    ReturnNotAllowed,
    StoreCreditOnly,
)
from pos_app.services.no_receipt_returns import NoReceiptLine, NoReceiptReturns
from pos_app.services.returns import RefundRequest, ReturnLineRequest, ReturnsService
from pos_app.services.staff import StaffService
from sync.pins import hash_pin
from sync.protocol import (
    RETURN_POLICY,
    AuditRecordedPayload,
    Change,
    ChangeOp,
    Entity,
    ReturnableLine,
    ReturnableTender,
    ReturnableView,
    ReturnCompletedPayload,
    ReturnPolicy,
)

CASHIER_PIN, MANAGER_PIN = "1111", "9999"
_SEQ = [5000]


def policy_change(**settings) -> Change:  # type: ignore[no-untyped-def]
    _SEQ[0] += 1
    data = ReturnPolicy(**settings).model_dump(mode="json")
    return Change(
        seq=_SEQ[0], entity=Entity.POLICY, op=ChangeOp.UPSERT, key=RETURN_POLICY, data=data
    )


@pytest.fixture
def checkout(uow_factory, clock) -> CheckoutService:
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")


@pytest.fixture
def returns(uow_factory, clock) -> ReturnsService:
    return ReturnsService(
        uow_factory, clock, IDENTITY, cashier="Ana", printer=MemoryReceiptPrinter()
    )


def sell(checkout: CheckoutService, *codes: str, discount_percent: int = 0) -> str:
    for code in codes:
        checkout.scan(code)
    if discount_percent:
        view = checkout.view()
        checkout.set_line_discount(view.lines[0].line_id, Discount.percent(discount_percent))
    checkout.add_cash(Money(checkout.view().payment.due.cents))
    return checkout.complete_sale().sale.receipt_number


def outbox(engine, event_type: str) -> list[dict]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT payload FROM outbox WHERE event_type = :t ORDER BY seq"), {"t": event_type}
        )
        return [json.loads(p) for (p,) in rows]


def with_staff(uow_factory, clock, **limits) -> StaffService:  # type: ignore[no-untyped-def]
    pull_changes(
        uow_factory,
        clock,
        staff_change("s-ana", "Ana Cajera", "cashier", hash_pin(CASHIER_PIN)),
        staff_change("s-luis", "Luis Encargado", "manager", hash_pin(MANAGER_PIN)),
        limits_change(**limits),
    )
    staff = StaffService(uow_factory, clock, IDENTITY)
    staff.sign_in("s-ana", CASHIER_PIN)
    return staff


# --- the domain rules ------------------------------------------------------------------------


def test_a_gift_receipt_code_is_the_receipt_number_with_its_prefix():
    assert gift_receipt_code("T01-C01-2026-000042") == "R-T01-C01-2026-000042"
    assert parse_gift_receipt("r-t01-c01-2026-000042") == "T01-C01-2026-000042"
    assert parse_gift_receipt("R-C01-2026-000042") is None  # a sale of store "R"
    assert parse_gift_receipt("T01-C01-2026-000042") is None
    assert parse_gift_receipt("R-W-2026-000001") is None


def test_the_days_are_calendar_days_in_the_sales_time_zone(clock):
    sold = clock.now()  # 25 Nov 10:30, Madrid
    assert not return_period_over(sold, sold + timedelta(days=30, hours=13), 30)  # 25 Dec 23:30
    assert return_period_over(sold, sold + timedelta(days=30, hours=14), 30)  # 26 Dec 00:30
    assert not return_period_over(sold, sold + timedelta(hours=1), 0)


# --- the policy on a return with its receipt ------------------------------------------------


def test_lines_past_their_categorys_days_or_never_taken_back_are_refused_with_a_reason(
    checkout, returns, uow_factory, clock
):
    pull_changes(uow_factory, clock, policy_change(days=30, category_days={"ALIM": 7}))
    number = sell(checkout, COFFEE, SOAP)  # ALIM, DROG
    clock.advance(days=8)
    original = returns.find_original(number)
    coffee, soap = original.lines
    assert (coffee.category, coffee.refusal, coffee.policy_days) == ("ALIM", "expired", 7)
    assert coffee.returnable == 0
    assert (soap.category, soap.refusal, soap.returnable) == ("DROG", "", 1)
    with pytest.raises(ReturnNotAllowed) as caught:
        returns.complete_return(
            original, [ReturnLineRequest(1, Decimal(1), "x")], RefundRequest("cash")
        )
    assert (caught.value.why, caught.value.days) == ("expired", 7)
    done = returns.complete_return(
        original, [ReturnLineRequest(2, Decimal(1), "Defectuoso")], RefundRequest("cash")
    )
    assert done.record.total_cents == 1210

    pull_changes(uow_factory, clock, policy_change(non_returnable_categories=["DROG"]))
    number = sell(checkout, SOAP)
    (soap,) = returns.find_original(number).lines
    assert (soap.refusal, soap.returnable) == ("category", 0)


# --- gift receipts ---------------------------------------------------------------------------


def test_a_gift_receipt_finds_its_sale_and_refunds_the_price_paid_as_store_credit_only(
    checkout, returns, engine
):
    number = sell(checkout, SOAP, COFFEE, discount_percent=10)  # soap 1210 - 10 % = 1089
    original = returns.find_original(gift_receipt_code(number))
    assert (original.reference, original.gift_receipt, original.store_credit_only) == (
        number,
        True,
        True,
    )
    assert returns.refund_kinds(original) == ("voucher",)
    lines = [ReturnLineRequest(1, Decimal(1), "Regalo repetido")]
    with pytest.raises(StoreCreditOnly) as caught:
        returns.complete_return(original, lines, RefundRequest("cash"))
    assert caught.value.why == "gift_receipt"
    done = returns.complete_return(original, lines, RefundRequest("voucher"))
    assert done.record.total_cents == 1089  # the price paid, after the discount
    [payload] = outbox(engine, "return.completed")
    checked = ReturnCompletedPayload.model_validate(payload)
    assert (checked.gift_receipt, checked.original_reference) == (True, number)
    assert [(r.kind, r.amount_cents) for r in checked.refunds] == [("voucher", 1089)]
    text_ = "\n".join(value for _, value in returns.document(done.record.return_id).meta)
    assert "(ticket regalo)" in text_
    assert returns.get(done.record.return_id).gift_receipt


# --- without a receipt ----------------------------------------------------------------------


def test_without_a_receipt_the_unit_refund_is_the_lowest_recent_price(
    checkout, returns, uow_factory, clock
):
    no_receipt = NoReceiptReturns(returns)
    assert no_receipt.item_for_code(SOAP).unit_refund_cents == 1210  # never sold: the price now
    sell(checkout, SOAP, discount_percent=20)  # 1210 - 20 % = 968
    sell(checkout, SOAP)
    item = no_receipt.item_for_code("P0003")
    assert (item.unit_refund_cents, item.catalog_price_cents) == (968, 1210)
    clock.advance(days=31)  # the discounted sale is older than no_receipt_price_days (30)
    assert no_receipt.item_for_product(pid("P0003")).unit_refund_cents == 1210
    pull_changes(uow_factory, clock, policy_change(no_receipt_price_days=60))
    assert no_receipt.item_for_code(SOAP).unit_refund_cents == 968


def test_a_return_without_a_receipt_needs_a_manager_is_audited_and_refunds_a_voucher(
    returns, uow_factory, clock, engine
):
    staff = with_staff(uow_factory, clock)  # refund_without_receipt_needs_manager by default
    returns.staff = staff
    no_receipt = NoReceiptReturns(returns)
    lines = [NoReceiptLine(no_receipt.item_for_code(COFFEE), Decimal(2), "Sin ticket")]
    assert no_receipt.refund_total(lines) == 698
    with pytest.raises(ManagerApprovalRequired) as caught:
        no_receipt.complete_return(lines)
    assert caught.value.action == "refund_without_receipt"
    assert outbox(engine, "return.completed") == []

    approval = staff.approve(
        "s-luis", MANAGER_PIN, Action.REFUND_WITHOUT_RECEIPT, caught.value.detail
    )
    done = no_receipt.complete_return(lines, approval)
    record = done.record
    assert (record.original_kind, record.original_reference, record.approved_by) == (
        "none",
        "",
        "Luis Encargado",
    )
    assert returns.get(record.return_id).approved_by == "Luis Encargado"  # kept, not only sent
    [payload] = outbox(engine, "return.completed")
    checked = ReturnCompletedPayload.model_validate(payload)
    assert (checked.original_kind, checked.approved_by, checked.checked) == (
        "none",
        "Luis Encargado",
        False,
    )
    assert [line.original_line_no for line in checked.lines] == [None]
    assert [(r.kind, r.amount_cents) for r in checked.refunds] == [("voucher", 698)]
    [audit] = [AuditRecordedPayload.model_validate(p) for p in outbox(engine, "audit.recorded")]
    assert (audit.action, audit.approver_name, audit.reference) == (
        "refund_without_receipt",
        "Luis Encargado",
        record.return_number,
    )
    document = returns.document(record.return_id)
    assert ("Rectifica", "Devolución sin ticket") in document.meta
    with engine.connect() as conn:  # the coffee is back on the shelf
        moved = conn.execute(
            text("SELECT count(*) FROM stock_movements WHERE reason = 'return'")
        ).scalar_one()
    assert moved == 1


def test_a_return_without_a_receipt_alone_when_the_limits_allow_it(returns, uow_factory, clock):
    returns.staff = with_staff(uow_factory, clock, refund_without_receipt_needs_manager=False)
    no_receipt = NoReceiptReturns(returns)
    done = no_receipt.complete_return(
        [NoReceiptLine(no_receipt.item_for_code(COFFEE), Decimal(1), "Sin ticket")]
    )
    assert (done.audit_event_id, done.record.approved_by) == (None, "")


def test_without_a_receipt_nothing_is_taken_back_when_the_policy_requires_one(
    returns, uow_factory, clock, engine
):
    no_receipt = NoReceiptReturns(returns)
    item = no_receipt.item_for_code(COFFEE)
    assert no_receipt.allowed()
    pull_changes(uow_factory, clock, policy_change(receipt_required=True))
    assert not no_receipt.allowed()
    with pytest.raises(ReceiptRequired):
        no_receipt.complete_return([NoReceiptLine(item, Decimal(1), "Sin ticket")])
    pull_changes(uow_factory, clock, policy_change(non_returnable_categories=["ALIM"]))
    with pytest.raises(ReturnNotAllowed) as caught:
        no_receipt.complete_return([NoReceiptLine(item, Decimal(1), "Sin ticket")])
    assert caught.value.why == "category"
    assert outbox(engine, "return.completed") == []


# --- the offline limit -----------------------------------------------------------------------


class _Backend:
    """The backend's returnable look-up, answering with what the register itself sold."""

    def __init__(self, view: ReturnableView) -> None:
        self.view = view

    def returnable(self, reference: str) -> ReturnableView:
        return self.view


def test_an_unchecked_return_above_the_offline_limit_needs_a_manager(
    checkout, returns, uow_factory, clock, engine
):
    returns.staff = staff = with_staff(uow_factory, clock, max_refund_cents=100_000)
    pull_changes(uow_factory, clock, policy_change(offline_max_refund_cents=2000))
    number = sell(checkout, SOAP, SOAP)  # 24.20
    original = returns.find_original(number)  # no backend: not checked
    assert not original.checked
    both = [ReturnLineRequest(1, Decimal(2), "Defectuoso")]
    with pytest.raises(ManagerApprovalRequired) as caught:
        returns.complete_return(original, both, RefundRequest("cash"))
    assert (caught.value.action, caught.value.reason, caught.value.cents) == (
        "refund",
        "amount_above_limit",
        2420,
    )
    assert outbox(engine, "return.completed") == []
    approval = staff.approve("s-luis", MANAGER_PIN, Action.REFUND, caught.value.detail)
    done = returns.complete_return(original, both, RefundRequest("cash"), approval)
    assert done.record.approved_by == "Luis Encargado"
    assert [a["action"] for a in outbox(engine, "audit.recorded")] == ["refund"]

    # Within the offline limit alone; above it alone too once the backend checked it.
    number = sell(checkout, SOAP, SOAP)
    returns.complete_return(
        returns.find_original(number), [ReturnLineRequest(1, Decimal(1), "x")],
        RefundRequest("cash"),
    )  # fmt: skip
    number = sell(checkout, SOAP, SOAP)
    sale_view = ReturnableView(
        kind="sale", reference=number, original_id="s", store_code="T01", sold_at=clock.now(),
        lines=[
            ReturnableLine(
                original_line_no=1, product_id=pid("P0003"), sku="P0003", name="Jabón",
                quantity_sold="2", quantity_returned="0", unit_refund_cents=1210,
                tax_class="IVA21", tax_rate="21", category="DROG",
            )
        ],
        tenders=[ReturnableTender(kind="cash", amount_cents=2420)],
    )  # fmt: skip
    returns.lookup = _Backend(sale_view)
    original = returns.find_original(number)
    assert original.checked
    returns.complete_return(original, both, RefundRequest("cash"))
