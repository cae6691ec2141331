"""The till on a real SQLite file, offline: opening with a counted float, sales in cash and
card, cash in and out, a return, drawer openings, X and Z; the Z's figures are the sums of the
records, the count is blind, a sale racing the close is never lost, and each Z leaves a rotated
backup of the database (a failing backup does not undo the Z)."""

from __future__ import annotations

import json
import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from support import COFFEE, IDENTITY, MILK, SOAP

from hardware.printers import MemoryReceiptPrinter
from pos_app.domain.cart import Discount, DiscountKind
from pos_app.domain.money import Money
from pos_app.domain.till import CashCount, InvalidCashCount, till_figures
from pos_app.services.checkout import CheckoutService
from pos_app.services.devices import DeviceService
from pos_app.services.errors import (
    CashMovementInvalid,
    SaleNotSaved,
    TillAlreadyOpen,
    TillNotOpen,
)
from pos_app.services.journal import verify_journal
from pos_app.services.returns import RefundRequest, ReturnLineRequest, ReturnsService
from pos_app.services.till import TillService
from pos_app.storage.backup import SqliteBackup
from sync.protocol import (
    DrawerOpenedPayload,
    SaleCompletedPayload,
    TillCashMovedPayload,
    TillClosedPayload,
    TillOpenedPayload,
)

FLOAT = CashCount({2000: 5, 1000: 5, 500: 3, 200: 10, 100: 10, 50: 10})  # 200,00 €


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
def backups(tmp_path: Path, db_path: Path) -> SqliteBackup:
    return SqliteBackup(db_path, tmp_path / "backups", keep=3)


@pytest.fixture
def till(uow_factory, clock, backups) -> TillService:  # type: ignore[no-untyped-def]
    return TillService(uow_factory, clock, IDENTITY, cashier="Ana", backup=backups)


@pytest.fixture
def returns(uow_factory, clock, till) -> ReturnsService:  # type: ignore[no-untyped-def]
    return ReturnsService(
        uow_factory, clock, IDENTITY, cashier="Ana", printer=MemoryReceiptPrinter(), till=till
    )


@pytest.fixture
def checkout(uow_factory, clock, till, returns) -> CheckoutService:  # type: ignore[no-untyped-def]
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana", till=till, returns=returns)


def sell(checkout: CheckoutService, *codes: str, card: bool = False, tendered: int = 0) -> str:
    for code in codes:
        checkout.scan(code)
    due = checkout.view().payment.due.cents
    if card:
        checkout.add_card(Money(due), "AUT-1")
    else:
        checkout.add_cash(Money(max(tendered, due)))
    return checkout.complete_sale().sale.receipt_number


def test_a_count_by_denomination_adds_up_and_refuses_what_is_not_a_euro_piece():
    assert FLOAT.total_cents == 20000
    assert CashCount.from_wire(FLOAT.to_wire()) == FLOAT
    assert FLOAT.to_wire()["2000"] == 5
    with pytest.raises(InvalidCashCount):
        CashCount({300: 1})
    with pytest.raises(InvalidCashCount):
        CashCount({100: -1})


def test_no_sale_without_an_open_till_and_the_cart_is_kept(checkout, till, engine):
    checkout.scan(COFFEE)
    checkout.add_cash(Money(500))
    with pytest.raises(TillNotOpen) as caught:
        checkout.complete_sale()
    assert caught.value.action == "sale"
    assert rows(engine, "SELECT count(*) FROM sales") == [(0,)]
    assert checkout.cart_started  # nothing lost: open the till and sell it

    till.open_till(FLOAT)
    done = checkout.complete_sale()
    assert rows(engine, "SELECT till_id FROM sales") == [(till.current().till_id,)]
    [payload] = outbox(engine, "sale.completed")
    assert SaleCompletedPayload.model_validate(payload).till_id == till.current().till_id
    assert done.sale.total_cents == 349
    with pytest.raises(TillAlreadyOpen):
        till.open_till(FLOAT)


def test_a_day_offline_open_sell_move_return_x_and_z(
    checkout, till, returns, uow_factory, clock, engine, backups
):
    opened = till.open_till(FLOAT)
    [event] = outbox(engine, "till.opened")
    assert TillOpenedPayload.model_validate(event).float_cents == 20000
    assert event["counted"]["2000"] == 5

    clock.advance(minutes=1)
    first = sell(checkout, COFFEE, MILK, tendered=1000)  # 3,49 + 0,99 in cash, 5,52 change
    clock.advance(minutes=1)
    sell(checkout, SOAP, SOAP, card=True)  # 24,20 by card
    clock.advance(minutes=1)
    checkout.scan(SOAP)
    line = checkout.view().lines[0]
    checkout.set_line_discount(line.line_id, Discount(DiscountKind.PERCENT, Decimal(10)))
    checkout.add_cash(Money(2000))
    last = checkout.complete_sale().sale.receipt_number  # 12,10 - 1,21 = 10,89 cash
    checkout.scan(MILK)
    checkout.abandon("Cliente sin dinero")  # 0,99 abandoned

    clock.advance(minutes=1)
    with pytest.raises(CashMovementInvalid):
        till.cash_out(0, "Banco")
    with pytest.raises(CashMovementInvalid):
        till.cash_out(1000, "  ")
    with pytest.raises(CashMovementInvalid) as too_much:
        till.cash_out(10**6, "Banco")
    assert too_much.value.available_cents == 20000 + 448 + 1089
    till.cash_out(5000, "Caja fuerte")
    till.cash_in(1000, "Cambio del banco")
    [moved_out, moved_in] = outbox(engine, "till.cash_moved")
    assert TillCashMovedPayload.model_validate(moved_out).kind == "out"
    assert (moved_in["kind"], moved_in["amount_cents"]) == ("in", 1000)

    original = returns.find_original(first)
    done = returns.complete_return(
        original, [ReturnLineRequest(1, Decimal(1), "No le gusta")], RefundRequest("cash")
    )
    assert rows(engine, "SELECT till_id FROM returns") == [(opened.session.till_id,)]

    printer = MemoryReceiptPrinter()
    devices = DeviceService(uow_factory, clock, IDENTITY, printer=printer, cashier="Ana")
    devices.record_opening(devices.open_drawer_by_hand("Cambio a un cliente"))
    [drawer] = outbox(engine, "drawer.opened")
    assert DrawerOpenedPayload.model_validate(drawer).till_id == opened.session.till_id

    x = till.x_report()
    expected = 20000 + (349 + 99) + 1089 - 5000 + 1000 - 349
    assert x.figures.expected_cash_cents == expected
    assert rows(engine, "SELECT count(*) FROM till_sessions WHERE status = 'open'") == [(1,)]

    clock.advance(hours=8)
    counted = CashCount({5000: 3, 2000: 1, 200: 1, 100: 1, 50: 1, 20: 1, 10: 1, 5: 1, 1: 4})
    closed = till.close_z(counted)
    report = closed.report
    f = report.figures
    assert report.z_number == "T01-C01-Z2026-0001"
    assert till.current() is None

    # Every figure is the sum of the records of the session, read straight from the tables.
    assert (f.sales_count, f.sales_total_cents) == (3, 448 + 2420 + 1089)
    assert (f.returns_count, f.returns_total_cents) == (1, done.record.total_cents)
    assert f.discounts_cents == 121
    assert (f.abandoned_count, f.abandoned_total_cents) == (1, 99)
    assert f.drawer_openings == 1
    assert (f.first_number, f.last_number) == (first, last)
    tenders = {t.kind: (t.count, t.amount_cents) for t in f.tenders}
    assert tenders == {"cash": (3, 448 + 1089 - 349), "card": (1, 2420)}
    [(pay_cash,)] = rows(engine, "SELECT sum(amount_cents) FROM sale_payments WHERE kind='cash'")
    assert tenders["cash"][1] == pay_cash - 349
    taxes = {t.rate: (t.base_cents, t.tax_cents, t.total_cents) for t in f.taxes}
    [(tax_sum, total_sum)] = rows(engine, "SELECT sum(tax_cents), sum(total_cents) FROM sales")
    assert sum(t[1] for t in taxes.values()) == tax_sum - done.record.tax_cents
    assert sum(t[2] for t in taxes.values()) == total_sum - done.record.total_cents
    assert set(taxes) == {"21", "10", "4"}
    assert f.expected_cash_cents == expected
    assert report.difference_cents == counted.total_cents - expected

    # Stored, sent and journaled in the same commit.
    [(status, z, diff)] = rows(
        engine, "SELECT status, z_number, difference_cents FROM till_sessions"
    )
    assert (status, z, diff) == ("closed", "T01-C01-Z2026-0001", counted.total_cents - expected)
    [event] = outbox(engine, "till.closed")
    payload = TillClosedPayload.model_validate(event)
    assert payload.z_number == "T01-C01-Z2026-0001"
    assert payload.expected_cash_cents == expected
    assert payload.counted_cash_cents == counted.total_cents
    assert payload.journal_record_id == closed.journal_record_id
    [(kind, series)] = rows(
        engine, "SELECT source_kind, series_number FROM fiscal_records WHERE record_type='cierre'"
    )
    assert (kind, series) == ("till_close", "T01-C01-Z2026-0001")
    assert verify_journal(uow_factory).ok

    # The backup is a whole copy, holding the Z.
    assert closed.backup_error == ""
    with sqlite3.connect(closed.backup_path) as copy:
        assert copy.execute("SELECT z_number FROM till_sessions").fetchall() == [
            ("T01-C01-Z2026-0001",)
        ]
    assert backups.copies() == [Path(closed.backup_path)]

    # The printed Z says it.
    doc = till.report_document(report)
    assert doc.title == "INFORME Z - CIERRE DE CAJA"
    assert ("Nº", "T01-C01-Z2026-0001") in doc.meta
    assert dict(doc.totals)["Efectivo esperado"].startswith(f"{expected // 100},")

    # After the Z: no sale until a till is opened again, then a new session and Z number.
    checkout.scan(MILK)
    checkout.add_cash(Money(99))
    with pytest.raises(TillNotOpen):
        checkout.complete_sale()
    till.open_till(CashCount({2000: 10}))
    checkout.complete_sale()
    assert till.close_z(CashCount({2000: 10, 50: 1, 20: 2, 5: 1, 2: 2})).report.z_number == (
        "T01-C01-Z2026-0002"
    )
    assert till.last_closed().difference_cents == 0


def test_the_x_report_changes_nothing_and_needs_an_open_till(till, engine):
    with pytest.raises(TillNotOpen):
        till.x_report()
    with pytest.raises(TillNotOpen):
        till.close_z(CashCount())
    till.open_till(FLOAT)
    before = rows(engine, "SELECT count(*) FROM outbox")
    x = till.x_report()
    assert x.z_number == "" and x.figures.expected_cash_cents == 20000
    assert till.report_document(x).title == "INFORME X"
    assert rows(engine, "SELECT count(*) FROM outbox") == before


def test_a_sale_racing_the_close_is_in_the_z_or_refused_never_lost(
    uow_factory, clock, till, engine
):
    till.open_till(FLOAT)
    sold: list[str] = []
    refused: list[int] = []
    start = threading.Barrier(2)

    def seller() -> None:
        checkout = CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana", till=till)
        start.wait()
        for _ in range(40):
            checkout.scan(MILK)
            checkout.add_cash(Money(99))
            try:
                sold.append(checkout.complete_sale().sale.sale_id)
            except (TillNotOpen, SaleNotSaved):
                refused.append(1)
                checkout.clear_tenders()
                checkout.abandon("")

    thread = threading.Thread(target=seller)
    thread.start()
    start.wait()
    closed = till.close_z(FLOAT)
    thread.join(30)
    assert not thread.is_alive()

    in_z = closed.report.figures.sales_count
    tagged = rows(
        engine, f"SELECT count(*) FROM sales WHERE till_id = '{closed.report.session.till_id}'"
    )
    assert tagged == [(in_z,)]
    assert rows(engine, "SELECT count(*) FROM sales WHERE till_id IS NULL") == [(0,)]
    assert len(sold) == in_z  # every committed sale is in the Z; the rest were refused, kept
    assert len(sold) + len(refused) == 40
    assert closed.report.figures.sales_total_cents == 99 * len(sold)


def test_backups_are_rotated_and_a_failing_backup_keeps_the_z(
    uow_factory, clock, db_path, tmp_path, engine
):
    backups = SqliteBackup(db_path, tmp_path / "backups", keep=2)
    till = TillService(uow_factory, clock, IDENTITY, cashier="Ana", backup=backups)
    made = []
    for _ in range(3):
        till.open_till(FLOAT)
        clock.advance(hours=1)
        made.append(till.close_z(FLOAT).backup_path)
    assert backups.copies() == [Path(p) for p in made[1:]]

    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the backups should go")
    failing = TillService(
        uow_factory, clock, IDENTITY, cashier="Ana", backup=SqliteBackup(db_path, blocked)
    )
    failing.open_till(FLOAT)
    closed = failing.close_z(FLOAT)
    assert closed.backup_path == "" and closed.backup_error
    assert closed.report.z_number == "T01-C01-Z2026-0004"
    assert rows(engine, "SELECT count(*) FROM till_sessions WHERE status = 'closed'") == [(4,)]
    assert len(outbox(engine, "till.closed")) == 4


def test_the_figures_are_a_pure_function_of_the_records():
    from pos_app.domain.till import MovementFact, ReturnFact, SaleFact, SessionFacts, TaxFact

    facts = SessionFacts(
        float_cents=10000,
        sales=(
            SaleFact("A-1", 1210, 0, (("cash", 1210),), (TaxFact("21.00", 1000, 210, 1210),)),
            SaleFact("A-2", 500, 50, (("card", 500),), (TaxFact("10", 455, 45, 500),)),
        ),
        returns=(ReturnFact("D-1", 1210, (("cash", 1210),), (TaxFact("21", 1000, 210, 1210),)),),
        movements=(MovementFact("in", 300), MovementFact("out", 100)),
        abandoned_cents=(99,),
        drawer_openings=2,
    )
    f = till_figures(facts)
    assert f.expected_cash_cents == 10000 + 1210 + 300 - 100 - 1210
    assert [(t.rate, t.total_cents) for t in f.taxes] == [("21", 0), ("10", 500)]
    assert (f.first_number, f.last_number, f.net_total_cents) == ("A-1", "A-2", 500)


def test_a_cash_out_needs_a_manager_as_opening_the_drawer_does(uow_factory, clock, engine):
    from support import limits_change, pull_changes, staff_change

    from pos_app.domain.permissions import Action
    from pos_app.services.errors import ManagerApprovalRequired
    from pos_app.services.staff import StaffService
    from sync.pins import hash_pin

    pull_changes(
        uow_factory,
        clock,
        staff_change("s-ana", "Ana Cajera", "cashier", hash_pin("1111")),
        staff_change("s-luis", "Luis Encargado", "manager", hash_pin("9999")),
        limits_change(drawer_needs_manager=True),
    )
    staff = StaffService(uow_factory, clock, IDENTITY)
    staff.sign_in("s-ana", "1111")
    till = TillService(uow_factory, clock, IDENTITY, cashier="Caja", staff=staff)
    till.open_till(FLOAT)
    till.cash_in(500, "Cambio")  # putting cash in needs nobody
    with pytest.raises(ManagerApprovalRequired):
        till.cash_out(3000, "Caja fuerte")
    assert rows(engine, "SELECT count(*) FROM till_movements WHERE kind = 'out'") == [(0,)]
    approval = staff.approve("s-luis", "9999", Action.DRAWER)
    moved = till.cash_out(3000, "Caja fuerte", approval)
    assert moved.movement.approved_by == "Luis Encargado"
    assert moved.movement.cashier == "Ana Cajera"
    assert moved.audit_id is not None
    [event] = [e for e in outbox(engine, "till.cash_moved") if e["kind"] == "out"]
    assert event["approved_by"] == "Luis Encargado"
