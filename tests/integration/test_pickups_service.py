"""Click-and-collect at the register, on a real SQLite file: orders arrive as a pull applies
them; picking, ready, hand-over (paid online and at the counter) write their events."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from support import COFFEE, IDENTITY, MILK, SOAP, pickup_order_data, pull_pickups

from hardware.escpos_decoder import decode
from hardware.printers import MemoryReceiptPrinter, receipt_to_bytes
from pos_app.domain.errors import InvalidBarcode
from pos_app.domain.money import Money
from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import (
    PickingIncomplete,
    PickupCodeMismatch,
    PickupItemComplete,
    PickupNotFound,
    PickupSaleInProgress,
    PickupWrongState,
    WrongPickupItem,
)
from pos_app.services.pickups import PickupService, QueueFilter
from sync.protocol import PickupTransitionPayload, SaleCompletedPayload


@pytest.fixture
def printer() -> MemoryReceiptPrinter:
    return MemoryReceiptPrinter()


@pytest.fixture
def pickups(uow_factory, clock, printer) -> PickupService:
    return PickupService(uow_factory, clock, IDENTITY, cashier="Ana", printer=printer)


def outbox(engine) -> list[tuple[str, dict]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT event_type, payload FROM outbox ORDER BY seq")).all()
    return [(r[0], json.loads(r[1])) for r in rows]


def transitions(engine) -> list[PickupTransitionPayload]:
    return [
        PickupTransitionPayload.model_validate(p)
        for kind, p in outbox(engine)
        if kind == "pickup.transition"
    ]


def ready_order(pickups, uow_factory, clock, **kwargs):  # type: ignore[no-untyped-def]
    data = pickup_order_data(**kwargs)
    pull_pickups(uow_factory, clock, data)
    oid = data["order_id"]
    pickups.start_picking(oid)
    for code in (COFFEE, COFFEE, SOAP):
        pickups.scan_item(oid, code)
    pickups.mark_ready(oid)
    return data


def test_pulled_orders_fill_the_queue_with_counts_filters_and_search(pickups, uow_factory, clock):
    pull_pickups(
        uow_factory,
        clock,
        pickup_order_data("W-2026-000001"),
        pickup_order_data("W-2026-000002", customer="Jorge Núñez", phone="611 222 333",
                          email="jorge@example.com", status="picking", version=2),
        pickup_order_data("W-2026-000003", status="ready", version=3, picked={1: "2", 2: "1"}),
        pickup_order_data("W-2026-000004", status="cancelled", version=2),
        # came in hours ago and still nobody picked it: overdue
        pickup_order_data("W-2026-000005", created=clock.now() - timedelta(hours=5)),
    )  # fmt: skip
    queue = pickups.queue()
    assert queue.counts == {
        QueueFilter.NEW: 2,
        QueueFilter.PICKING: 1,
        QueueFilter.READY: 1,
        QueueFilter.OVERDUE: 1,
        QueueFilter.ALL: 4,
    }
    assert len(queue.orders) == 5  # all, the cancelled one included, open ones first
    assert queue.orders[-1].number == "W-2026-000004"
    assert [o.number for o in pickups.queue(QueueFilter.NEW).orders] == [
        "W-2026-000005",
        "W-2026-000001",
    ] or {o.number for o in pickups.queue(QueueFilter.NEW).orders} == {
        "W-2026-000001",
        "W-2026-000005",
    }
    assert [o.number for o in pickups.queue(QueueFilter.OVERDUE).orders] == ["W-2026-000005"]
    assert [o.number for o in pickups.queue(QueueFilter.READY).orders] == ["W-2026-000003"]
    # search by name (accents ignored), phone digits, email, number
    assert [o.number for o in pickups.queue(text="nunez").orders] == ["W-2026-000002"]
    assert [o.number for o in pickups.queue(text="611222").orders] == ["W-2026-000002"]
    assert [o.number for o in pickups.queue(text="jorge@").orders] == ["W-2026-000002"]
    assert [o.number for o in pickups.queue(text="000003").orders] == ["W-2026-000003"]
    assert pickups.queue(QueueFilter.PICKING, "maria").orders == ()


def test_an_older_copy_never_replaces_a_newer_one(pickups, uow_factory, clock):
    data = pickup_order_data(status="ready", version=3, picked={1: "2", 2: "1"})
    pull_pickups(uow_factory, clock, data)
    pull_pickups(uow_factory, clock, {**data, "status": "pending", "version": 1})
    assert pickups.order(data["order_id"]).status == "ready"


def test_picking_confirms_each_item_by_scanning_and_refuses_wrong_or_extra_items(
    pickups, uow_factory, clock, engine
):
    data = pickup_order_data()
    pull_pickups(uow_factory, clock, data)
    oid = data["order_id"]
    with pytest.raises(PickupWrongState):
        pickups.scan_item(oid, COFFEE)  # not started
    view = pickups.start_picking(oid)
    assert view.status == "picking" and view.pending_sync
    first = pickups.scan_item(oid, COFFEE)
    assert first.line_no == 1 and first.order.line(1).picked == 1
    with pytest.raises(WrongPickupItem) as wrong:
        pickups.scan_item(oid, MILK)
    assert wrong.value.scanned == "Leche entera 1 l"
    assert wrong.value.expected == ("Café molido natural 250 g", "Jabón de manos 500 ml")
    with pytest.raises(InvalidBarcode):
        pickups.scan_item(oid, "8410000000019")  # a misread: the check digit fails
    pickups.scan_item(oid, COFFEE)
    with pytest.raises(PickupItemComplete):
        pickups.scan_item(oid, COFFEE)  # 2 ordered, 2 picked
    with pytest.raises(PickingIncomplete) as incomplete:
        pickups.mark_ready(oid)
    assert incomplete.value.names == ("Jabón de manos 500 ml",)
    view = pickups.order(oid)
    assert [(ln.picked, ln.done) for ln in view.lines] == [(2, True), (0, False)]
    [event] = transitions(engine)
    assert event.to_status == "picking" and event.base_version == 1 and event.lines == []
    assert event.register_code == "C01" and event.cashier == "Ana"


def test_a_missing_item_and_a_short_one_are_recorded_when_the_order_is_ready(
    pickups, uow_factory, clock, engine
):
    data = pickup_order_data(lines=(("P0001", 3), ("P0003", 1)))
    pull_pickups(uow_factory, clock, data)
    oid = data["order_id"]
    pickups.start_picking(oid)
    pickups.scan_item(oid, COFFEE)
    pickups.mark_short(oid, 1, Decimal(1))  # only one coffee on the shelf
    pickups.mark_short(oid, 2, Decimal(0))  # no soap at all
    view = pickups.mark_ready(oid)
    assert view.status == "ready" and view.pending_sync
    assert [(ln.picked, ln.missing) for ln in view.lines] == [(1, 2), (0, 1)]
    ready = transitions(engine)[-1]
    assert ready.to_status == "ready"
    assert [(ln.line_no, ln.quantity) for ln in ready.lines] == [(1, "1"), (2, "0")]
    assert "P0001 2/3" in ready.note and "P0003 1/1" in ready.note


def test_the_ready_event_carries_every_picked_quantity(pickups, uow_factory, clock, engine):
    ready_order(pickups, uow_factory, clock)
    picking, ready = transitions(engine)
    assert ready.to_status == "ready" and ready.base_version == 1
    assert [(ln.line_no, ln.quantity) for ln in ready.lines] == [(1, "2"), (2, "1")]
    assert ready.note == ""


def test_an_order_paid_online_is_handed_over_with_a_pickup_receipt(
    pickups, uow_factory, clock, engine, printer
):
    data = ready_order(pickups, uow_factory, clock)
    found = pickups.find(data["qr_payload"])  # the customer's QR
    assert found.verified and found.order.number == "W-2026-000123"
    collection = pickups.prepare_hand_over(found.order.order_id, found.code)
    assert collection.to_status == "collected"
    done = pickups.hand_over_paid(collection)
    assert done.order.status == "collected" and done.order.pending_sync
    assert pickups.print_receipt(done.receipt) == ""
    receipt = decode(printer.receipts[-1]).text
    assert "JUSTIFICANTE DE RECOGIDA" in receipt
    assert "FACTURA" not in receipt.replace("no es una factura", "")
    assert "W-2026-000123" in receipt and "María Pérez" in receipt
    assert "Café molido natural 250 g" in receipt and "Pagado en línea" in receipt
    collected = transitions(engine)[-1]
    assert collected.to_status == "collected" and collected.sale_id is None
    assert [(ln.line_no, ln.quantity) for ln in collected.lines] == [(1, "2"), (2, "1")]
    with pytest.raises(PickupWrongState):
        pickups.prepare_hand_over(found.order.order_id, found.code)  # not twice
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sales")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM stock_movements")).scalar() == 0


def test_a_refused_item_makes_the_hand_over_partial(pickups, uow_factory, clock, engine):
    data = ready_order(pickups, uow_factory, clock)
    oid = data["order_id"]
    collection = pickups.prepare_hand_over(oid, "7k3p9q", {1: Decimal(2), 2: Decimal(0)})
    assert collection.to_status == "partially_collected"
    assert collection.total_cents == 698
    done = pickups.hand_over_paid(collection)
    receipt = decode(receipt_to_bytes(done.receipt, width=48)).text
    assert "Jabón" not in receipt and "Entrega parcial" in receipt
    event = transitions(engine)[-1]
    assert event.to_status == "partially_collected"
    assert [(ln.line_no, ln.quantity) for ln in event.lines] == [(1, "2")]


def test_the_pickup_code_is_checked_against_the_local_copy(pickups, uow_factory, clock):
    data = ready_order(pickups, uow_factory, clock)
    oid = data["order_id"]
    assert pickups.verify_code(oid, " 7k3p9q ")
    assert pickups.verify_code(oid, data["qr_payload"])
    assert not pickups.verify_code(oid, "7K3P9X")
    with pytest.raises(PickupCodeMismatch):
        pickups.prepare_hand_over(oid, "000000")
    # found by number or phone: the code is still to be asked
    assert not pickups.find("w-2026-000123").verified
    assert pickups.find("600 111 222").order.order_id == oid
    assert pickups.find("7K3P9Q").verified
    with pytest.raises(PickupNotFound):
        pickups.find("W-2026-999999")


def test_an_unpaid_order_is_paid_at_the_counter_in_one_transaction(
    pickups, uow_factory, clock, engine
):
    data = ready_order(pickups, uow_factory, clock, paid_online=False)
    oid = data["order_id"]
    checkout = CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")
    collection = pickups.prepare_hand_over(oid, "7K3P9Q")
    with pytest.raises(PickupWrongState):
        pickups.hand_over_paid(collection)  # unpaid: through the checkout
    view = checkout.start_order_sale(collection)
    assert view.order_number == "W-2026-000123"
    assert view.totals.total.cents == 2 * 349 + 1210
    with pytest.raises(PickupSaleInProgress):
        checkout.park()
    checkout.add_cash(Money(2000))
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM outbox")).scalar()
    done = checkout.complete_sale()
    assert done.order_number == "W-2026-000123" and done.pickup_status == "collected"
    events = outbox(engine)[before:]
    assert [kind for kind, _ in events] == [
        "sale.completed",
        "fiscal.recorded",
        "pickup.transition",
    ]
    sale = SaleCompletedPayload.model_validate(events[0][1])
    assert sale.order_id == oid and sale.total_cents == 1908
    assert sale.receipt_number == "T01-C01-2026-000001"  # the register's own series
    hand_over = PickupTransitionPayload.model_validate(events[2][1])
    assert hand_over.to_status == "collected" and hand_over.sale_id == sale.sale_id
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM stock_movements")).scalar() == 0
    assert pickups.order(oid).status == "collected"


def test_a_line_taken_out_of_the_counter_sale_stays_in_the_store_and_extra_items_move_stock(
    pickups, uow_factory, clock, engine
):
    data = ready_order(pickups, uow_factory, clock, paid_online=False)
    checkout = CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")
    view = checkout.start_order_sale(pickups.prepare_hand_over(data["order_id"], "7K3P9Q"))
    soap = next(line for line in view.lines if line.product.sku == "P0003")
    checkout.remove_line(soap.line_id)  # the customer refuses the soap
    checkout.scan(MILK)  # and buys a milk on top
    checkout.add_cash(Money(1000))
    done = checkout.complete_sale()
    assert done.pickup_status == "partially_collected"
    event = transitions(engine)[-1]
    assert [(ln.line_no, ln.quantity) for ln in event.lines] == [(1, "2")]
    with engine.connect() as conn:
        moves = conn.execute(text("SELECT delta_milli FROM stock_movements")).scalars().all()
    assert moves == [-1000]  # only the milk


def test_a_newer_backend_version_cancelled_after_local_picking_wins(
    pickups, uow_factory, clock, engine
):
    data = pickup_order_data()
    pull_pickups(uow_factory, clock, data)
    oid = data["order_id"]
    pickups.start_picking(oid)
    pickups.scan_item(oid, COFFEE)
    pull_pickups(uow_factory, clock, {**data, "status": "cancelled", "version": 2})
    view = pickups.order(oid)
    assert view.status == "cancelled" and not view.pending_sync
    assert view.line(1).picked == 0
    with pytest.raises(PickupWrongState):
        pickups.scan_item(oid, COFFEE)


def test_the_register_progress_stays_while_the_backend_catches_up(pickups, uow_factory, clock):
    data = pickup_order_data()
    pull_pickups(uow_factory, clock, data)
    oid = data["order_id"]
    pickups.start_picking(oid)
    pickups.scan_item(oid, COFFEE)
    # the backend applied "picking": its copy comes back, the quantities picked here stay
    pull_pickups(uow_factory, clock, {**data, "status": "picking", "version": 2})
    view = pickups.order(oid)
    assert view.status == "picking" and not view.pending_sync and view.line(1).picked == 1
    pickups.scan_item(oid, COFFEE)
    pickups.scan_item(oid, SOAP)
    assert pickups.mark_ready(oid).pending_sync
    # a change of the same version (re-delivered) does not undo the local state
    pull_pickups(uow_factory, clock, {**data, "status": "picking", "version": 2})
    assert pickups.order(oid).status == "ready"


def test_a_hand_over_done_here_is_never_undone_by_a_later_cancellation(
    pickups, uow_factory, clock, engine
):
    data = ready_order(pickups, uow_factory, clock)
    oid = data["order_id"]
    pickups.hand_over_paid(pickups.prepare_hand_over(oid, "7K3P9Q"))
    pull_pickups(uow_factory, clock, {**data, "status": "cancelled", "version": 5})
    view = pickups.order(oid)
    assert view.status == "collected" and view.conflict == "cancelled"
    assert view.backend_status == "cancelled"
    # once the backend has the hand-over, its state is the register's
    pull_pickups(uow_factory, clock, {**data, "status": "collected", "version": 6})
    view = pickups.order(oid)
    assert view.status == "collected" and not view.pending_sync


def test_new_orders_are_reported_once(pickups, uow_factory, clock):
    pull_pickups(uow_factory, clock, pickup_order_data("W-2026-000001"))
    start = pickups.new_orders(None)
    assert start.orders == ()
    pull_pickups(uow_factory, clock, pickup_order_data("W-2026-000002"))
    news = pickups.new_orders(start.last_pk)
    assert [o.number for o in news.orders] == ["W-2026-000002"]
    assert pickups.new_orders(news.last_pk).orders == ()
