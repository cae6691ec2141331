"""Returns on a real SQLite file: finding the original (own sales from the database, any
store's sale or a web order through the backend's look-up, faked here), what is still
returnable, the rectifying ticket's own series, stock, refunds, permissions and the outbox."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from support import (
    COFFEE,
    IDENTITY,
    MILK,
    SOAP,
    limits_change,
    pid,
    pull_changes,
    staff_change,
)

from hardware.printers import MemoryReceiptPrinter
from pos_app.domain.money import Money
from pos_app.domain.permissions import Action
from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import (
    ManagerApprovalRequired,
    NothingToReturn,
    RefundExceedsTender,
    RefundReferenceRequired,
    ReturnOriginalNotFound,
    ReturnQuantityInvalid,
    ReturnReasonRequired,
    ReturnsOffline,
)
from pos_app.services.returns import (
    RETURN_TITLE,
    RefundRequest,
    ReturnLineRequest,
    ReturnsService,
)
from pos_app.services.staff import StaffService
from sync.errors import SyncError, SyncErrorKind
from sync.pins import hash_pin
from sync.protocol import (
    AuditRecordedPayload,
    Disposition,
    ReturnableLine,
    ReturnableTender,
    ReturnableView,
    ReturnCompletedPayload,
)

CASHIER_PIN, MANAGER_PIN = "1111", "9999"


class FakeReturnableLookup:
    """The backend's ``GET /v1/returnable/{reference}``: canned views, or offline."""

    def __init__(self, *views: ReturnableView, online: bool = True) -> None:
        self.views = {v.reference: v for v in views}
        self.online = online
        self.asked: list[str] = []

    def returnable(self, reference: str) -> ReturnableView:
        self.asked.append(reference)
        if not self.online:
            raise SyncError(SyncErrorKind.NETWORK, "cannot reach the backend (refused)")
        if reference not in self.views:
            raise SyncError(SyncErrorKind.REJECTED, "no such receipt", code="not_found")
        return self.views[reference]


OTHER_STORE_SALE = ReturnableView(
    kind="sale",
    reference="T02-C03-2026-000417",
    original_id="0192f000-0000-7000-8000-000000000417",
    store_code="T02",
    sold_at=datetime.fromisoformat("2026-11-20T18:04:00+01:00"),
    lines=[
        ReturnableLine(
            original_line_no=1,
            product_id=pid("P0003"),
            sku="P0003",
            name="Jabón de manos 500 ml",
            quantity_sold="3",
            quantity_returned="1",  # one already returned at another store
            unit_refund_cents=1210,
            tax_class="IVA21",
            tax_rate="21",
        )
    ],
    tenders=[ReturnableTender(kind="card", amount_cents=3630, reference="AUT-9")],
)


@pytest.fixture
def checkout(uow_factory, clock) -> CheckoutService:
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")


@pytest.fixture
def printer() -> MemoryReceiptPrinter:
    return MemoryReceiptPrinter()


def make_returns(uow_factory, clock, printer, lookup=None, staff=None) -> ReturnsService:  # type: ignore[no-untyped-def]
    return ReturnsService(
        uow_factory, clock, IDENTITY, cashier="Ana", lookup=lookup, printer=printer, staff=staff
    )


def sell(checkout: CheckoutService, *codes: str, card: int = 0) -> str:
    for code in codes:
        checkout.scan(code)
    due = checkout.view().payment.due.cents
    if card:
        checkout.add_card(Money(card), "AUT-1")
        due -= card
    if due > 0:
        checkout.add_cash(Money(due))
    return checkout.complete_sale().sale.receipt_number


def rows(engine, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def stock_of(engine, sku: str) -> list[tuple]:  # type: ignore[type-arg]
    return rows(
        engine,
        "SELECT m.reason, m.delta_milli FROM stock_movements m JOIN products p "
        f"ON p.pk = m.product_pk WHERE p.sku = '{sku}' ORDER BY m.created_at, m.rowid",
    )


def outbox(engine, event_type: str) -> list[dict]:  # type: ignore[type-arg]
    return [
        json.loads(p)
        for (p,) in rows(
            engine, f"SELECT payload FROM outbox WHERE event_type = '{event_type}' ORDER BY seq"
        )
    ]


def test_part_of_an_own_sale_is_returned_with_its_own_series_stock_and_event(
    checkout, uow_factory, clock, engine, printer
):
    number = sell(checkout, COFFEE, COFFEE, COFFEE, MILK, SOAP)
    returns = make_returns(uow_factory, clock, printer)
    original = returns.find_original(number)
    assert (original.kind, original.own, original.checked) == ("sale", True, False)
    coffee, milk, soap = original.lines
    assert (coffee.name, coffee.returnable) == ("Café molido natural 250 g", Decimal(3))

    with pytest.raises(ReturnQuantityInvalid):
        returns.complete_return(
            original, [ReturnLineRequest(1, Decimal(4), "No le gusta")], RefundRequest("cash")
        )
    with pytest.raises(ReturnReasonRequired):
        returns.complete_return(
            original, [ReturnLineRequest(1, Decimal(2), "  ")], RefundRequest("cash")
        )
    with pytest.raises(NothingToReturn):
        returns.complete_return(
            original, [ReturnLineRequest(1, Decimal(0), "x")], RefundRequest("cash")
        )
    assert rows(engine, "SELECT count(*) FROM returns") == [(0,)]

    clock.advance(minutes=5)
    done = returns.complete_return(
        original,
        [
            ReturnLineRequest(1, Decimal(2), "No le gusta"),
            ReturnLineRequest(3, Decimal(1), "Envase roto", Disposition.DAMAGED),
        ],
        RefundRequest("cash"),
    )
    record = done.record
    assert record.return_number == "T01-C01-D2026-000001"
    assert record.total_cents == 2 * 349 + 1210
    assert [(line.quantity, line.refund_cents) for line in record.lines] == [
        (Decimal(2), 698),
        (Decimal(1), 1210),
    ]
    # Stock back on the shelf only for what can be sold again.
    assert stock_of(engine, "P0001") == [("sale", -3000), ("return", 2000)]
    assert stock_of(engine, "P0003") == [("sale", -1000)]

    # The event is complete and valid for the protocol, and it is in the same commit.
    [payload] = outbox(engine, "return.completed")
    event = ReturnCompletedPayload.model_validate(payload)
    assert event.return_number == "T01-C01-D2026-000001"
    assert (event.original_kind, event.original_reference, event.checked) == (
        "sale",
        number,
        False,
    )
    assert event.original_id == original.original_id
    assert event.total_cents == 1908 and event.tax_cents == sum(
        line.tax_cents for line in event.lines
    )
    assert [(ln.original_line_no, ln.reason, ln.disposition) for ln in event.lines] == [
        (1, "No le gusta", Disposition.SELLABLE),
        (3, "Envase roto", Disposition.DAMAGED),
    ]
    assert [(r.kind, r.amount_cents) for r in event.refunds] == [("cash", 1908)]
    assert event.lines[1].base_cents + event.lines[1].tax_cents == 1210
    assert event.lines[1].tax_cents == 210

    # The receipt: rectifying title, the original's reference, negative amounts.
    returns.print_receipt(record.return_id)
    [doc] = printer.documents
    assert doc.title == RETURN_TITLE == "DEVOLUCIÓN - FACTURA SIMPLIFICADA RECTIFICATIVA"
    assert ("Rectifica", f"Ticket {number}") in doc.meta
    assert doc.lines[0].amount.startswith("-6,98")
    assert doc.tenders[0][1].startswith("-19,08")
    assert {row.label for row in doc.tax_rows} == {"IVA 21 %", "IVA 10 %"}
    assert doc.barcode == record.return_number
    assert rows(engine, "SELECT ok, copy FROM return_prints") == [(1, 0)]

    # What is left: 1 coffee, the milk, no soap.
    again = returns.find_original(number)
    assert [item.returnable for item in again.lines] == [Decimal(1), Decimal(1), Decimal(0)]

    # The sales' series goes on where it was; the returns' series is gap-free.
    assert sell(checkout, MILK) == "T01-C01-2026-000002"
    second = returns.complete_return(
        again, [ReturnLineRequest(2, Decimal(1), "Caducada")], RefundRequest("cash")
    )
    assert second.record.return_number == "T01-C01-D2026-000002"


def test_a_failed_return_writes_nothing_and_leaves_no_gap(
    checkout, uow_factory, clock, engine, printer, monkeypatch
):
    number = sell(checkout, COFFEE)
    returns = make_returns(uow_factory, clock, printer)
    original = returns.find_original(number)
    from pos_app.storage.return_repository import SqlReturnRepository

    def broken(self, record, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk I/O error")

    with monkeypatch.context() as patch:
        patch.setattr(SqlReturnRepository, "add", broken)
        with pytest.raises(Exception, match="not saved"):
            returns.complete_return(
                original, [ReturnLineRequest(1, Decimal(1), "x")], RefundRequest("cash")
            )
    assert rows(engine, "SELECT count(*) FROM outbox WHERE event_type='return.completed'") == [(0,)]
    assert stock_of(engine, "P0001") == [("sale", -1000)]
    done = returns.complete_return(
        original, [ReturnLineRequest(1, Decimal(1), "x")], RefundRequest("cash")
    )
    assert done.record.return_number == "T01-C01-D2026-000001"


def test_a_second_return_cannot_take_back_more_than_is_left(checkout, uow_factory, clock, printer):
    number = sell(checkout, COFFEE, COFFEE)
    returns = make_returns(uow_factory, clock, printer)
    stale = returns.find_original(number)
    returns.complete_return(
        stale, [ReturnLineRequest(1, Decimal(1), "Regalo repetido")], RefundRequest("cash")
    )
    # Another look-up sees one left, and the stale one is checked again inside the commit.
    assert returns.find_original(number).lines[0].returnable == Decimal(1)
    with pytest.raises(ReturnQuantityInvalid):
        returns.complete_return(
            stale, [ReturnLineRequest(1, Decimal(2), "x")], RefundRequest("cash")
        )
    fresh = returns.find_original(number)
    returns.complete_return(fresh, [ReturnLineRequest(1, Decimal(1), "x")], RefundRequest("cash"))
    assert not returns.find_original(number).anything_left


def test_offline_another_stores_receipt_is_refused_with_a_clear_error(
    checkout, uow_factory, clock, printer
):
    own = sell(checkout, COFFEE)
    lookup = FakeReturnableLookup(OTHER_STORE_SALE, online=False)
    returns = make_returns(uow_factory, clock, printer, lookup=lookup)
    with pytest.raises(ReturnsOffline) as caught:
        returns.find_original("T02-C03-2026-000417")
    assert caught.value.reference == "T02-C03-2026-000417"
    with pytest.raises(ReturnsOffline):
        returns.find_original("WEB-000123")
    # Its own sales still can be returned, unchecked.
    original = returns.find_original(own)
    assert (original.own, original.checked) == (True, False)
    # Not enrolled at all: the same.
    with pytest.raises(ReturnsOffline):
        make_returns(uow_factory, clock, printer).find_original("T02-C03-2026-000417")
    # Online, a reference the backend does not know is simply not found.
    lookup.online = True
    with pytest.raises(ReturnOriginalNotFound):
        returns.find_original("T02-C03-2026-999999")


def test_online_another_stores_sale_is_returned_checked(uow_factory, clock, engine, printer):
    lookup = FakeReturnableLookup(OTHER_STORE_SALE)
    returns = make_returns(uow_factory, clock, printer, lookup=lookup)
    original = returns.find_original(" T02-C03-2026-000417 ")
    assert (original.kind, original.own, original.checked, original.store_code) == (
        "sale",
        False,
        True,
        "T02",
    )
    assert original.lines[0].returnable == Decimal(2)  # 3 sold, 1 returned elsewhere
    with pytest.raises(ReturnQuantityInvalid):
        returns.complete_return(
            original, [ReturnLineRequest(1, Decimal(3), "x")], RefundRequest("card", "R-1")
        )
    with pytest.raises(RefundExceedsTender):  # it was paid by card, not cash
        returns.complete_return(
            original, [ReturnLineRequest(1, Decimal(1), "Defectuoso")], RefundRequest("cash")
        )
    done = returns.complete_return(
        original, [ReturnLineRequest(1, Decimal(2), "Defectuoso")], RefundRequest("card", "R-77")
    )
    [payload] = outbox(engine, "return.completed")
    event = ReturnCompletedPayload.model_validate(payload)
    assert event.checked is True
    assert (event.original_reference, event.original_id) == (
        "T02-C03-2026-000417",
        OTHER_STORE_SALE.original_id,
    )
    assert event.store_code == "T01" and event.register_code == "C01"
    assert [(r.kind, r.amount_cents, r.reference) for r in event.refunds] == [
        ("card", 2420, "R-77")
    ]
    assert stock_of(engine, "P0003") == [("return", 2000)]
    assert done.record.return_number == "T01-C01-D2026-000001"
    # The backend does not know yet of this return: this register's own count is kept.
    assert returns.find_original("T02-C03-2026-000417").lines[0].returnable == Decimal(0)


def test_a_card_refund_needs_the_terminals_reference_and_not_more_than_the_card_paid(
    checkout, uow_factory, clock, engine, printer
):
    number = sell(checkout, SOAP, SOAP, card=1500)  # 15,00 by card, 9,20 cash
    returns = make_returns(uow_factory, clock, printer)
    original = returns.find_original(number)
    assert original.tender_left("card") == 1500 and original.tender_left("cash") == 920
    one = [ReturnLineRequest(1, Decimal(1), "Alergia")]
    with pytest.raises(RefundReferenceRequired):
        returns.complete_return(original, one, RefundRequest("card", " "))
    with pytest.raises(RefundExceedsTender) as caught:
        returns.complete_return(
            original, [ReturnLineRequest(1, Decimal(2), "x")], RefundRequest("card", "R-1")
        )
    assert caught.value.maximum_cents == 1500
    with pytest.raises(RefundExceedsTender):  # 12,10 in cash: more than the 9,20 paid in cash
        returns.complete_return(original, one, RefundRequest("cash"))
    returns.complete_return(original, one, RefundRequest("card", "R-1"))
    # Only 2,90 left on the card now.
    again = returns.find_original(number)
    assert again.tender_left("card") == 290
    with pytest.raises(RefundExceedsTender):
        returns.complete_return(again, one, RefundRequest("card", "R-2"))
    assert rows(engine, "SELECT kind, amount_cents, reference FROM return_refunds") == [
        ("card", 1210, "R-1")
    ]


def test_a_refund_above_the_limit_needs_a_manager_and_is_audited_in_the_same_commit(
    checkout, uow_factory, clock, engine, printer
):
    pull_changes(
        uow_factory,
        clock,
        staff_change("s-ana", "Ana Cajera", "cashier", hash_pin(CASHIER_PIN)),
        staff_change("s-luis", "Luis Encargado", "manager", hash_pin(MANAGER_PIN)),
        limits_change(max_refund_cents=2000),
    )
    staff = StaffService(uow_factory, clock, IDENTITY)
    staff.sign_in("s-ana", CASHIER_PIN)
    number = sell(checkout, SOAP, SOAP)
    returns = make_returns(uow_factory, clock, printer, staff=staff)
    original = returns.find_original(number)
    small = [ReturnLineRequest(1, Decimal(1), "x")]
    both = [ReturnLineRequest(1, Decimal(2), "Pedido duplicado")]
    assert returns.refund_total(original, both) == 2420

    with pytest.raises(ManagerApprovalRequired) as caught:
        returns.complete_return(original, both, RefundRequest("cash"))
    assert (caught.value.action, caught.value.reason) == ("refund", "amount_above_limit")
    assert rows(engine, "SELECT count(*) FROM returns") == [(0,)]
    assert outbox(engine, "audit.recorded") == []

    approval = staff.approve("s-luis", MANAGER_PIN, Action.REFUND, caught.value.detail)
    done = returns.complete_return(original, both, RefundRequest("cash"), approval=approval)
    assert done.audit_event_id is not None
    [audit] = [AuditRecordedPayload.model_validate(p) for p in outbox(engine, "audit.recorded")]
    assert (audit.kind, audit.action, audit.staff_name, audit.approver_name) == (
        "override",
        "refund",
        "Ana Cajera",
        "Luis Encargado",
    )
    assert audit.reference == done.record.return_number
    assert "2420" in audit.detail
    # The return and its audit were written together (consecutive in the outbox).
    seqs = rows(
        engine,
        "SELECT event_type FROM outbox WHERE event_type IN "
        "('return.completed', 'audit.recorded') ORDER BY seq",
    )
    assert seqs == [("return.completed",), ("audit.recorded",)]
    assert done.record.cashier == "Ana Cajera"

    # Within the limit, alone.
    number2 = sell(checkout, SOAP)
    returns.complete_return(returns.find_original(number2), small, RefundRequest("cash"))


def test_a_printer_failure_never_loses_the_return(checkout, uow_factory, clock, engine):
    class BrokenPrinter:
        def print_receipt(self, doc: object) -> None:
            raise OSError("printer unplugged")

    number = sell(checkout, MILK)
    returns = make_returns(uow_factory, clock, BrokenPrinter())
    done = returns.complete_return(
        returns.find_original(number),
        [ReturnLineRequest(1, Decimal(1), "x")],
        RefundRequest("cash"),
    )
    result = returns.print_receipt(done.record.return_id)
    assert not result.ok and "unplugged" in result.error
    assert rows(engine, "SELECT count(*) FROM returns") == [(1,)]
    # The next attempt is a copy: part of it may be on paper.
    assert returns.prepare_print(done.record.return_id).copy
