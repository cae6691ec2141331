"""Sale cancellations through the real HTTP app, on SQLite and PostgreSQL: ``sale.cancelled``
marks the sale cancelled and puts its stock back, exactly once; another register's sale is
refused, an unknown one is kept as a conflict; the Z check counts cancellations; the journal
takes the "anulacion" record in its chain."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from pos_app.domain.ids import new_id
from sync.fiscal import verify_chain
from sync.protocol import PushResponse
from sync.server.services.catalog import product_id_for_sku
from sync.server.services.journal import read_journal
from sync.server.tables import (
    fiscal_records,
    sale_cancellations,
    stock_levels,
    stock_movements,
    till_closes,
)

AT = datetime(2026, 11, 25, 11, 0, tzinfo=UTC).isoformat()


@pytest.fixture
def shop(backend, tmp_path):
    backend.store("T01")
    backend.catalog(tmp_path)
    backend.set_stock("T01", "P0001", 50)
    backend.set_stock("T01", "P0002", 50)
    return backend


class _Till:
    """A register's outbox (each push takes the next sequence numbers) and its payloads."""

    def __init__(self, shop, make_event, make_sale, store="T01") -> None:
        self.shop = shop
        self.register = shop.enroll(store)
        self.make_event = make_event
        self.make_sale = make_sale
        self.till_id = new_id()
        self.seq = 0
        self.numbers = 0
        self.messages: list[str | None] = []
        self.sent: list[dict[str, Any]] = []

    def push(self, *typed: tuple[str, dict[str, Any]], again: list[dict[str, Any]] = ()):  # type: ignore[assignment]
        events = list(again)
        for kind, payload in typed:
            self.seq += 1
            events.append(self.make_event(self.seq, payload, kind))
        self.sent = events
        response = self.shop.client(self.register.token).post(
            "/v1/sync/push", json={"events": events}
        )
        assert response.status_code == 200, response.text
        results = PushResponse.model_validate(response.json()).results
        self.messages = [r.message for r in results]
        return [(r.status.value, r.code) for r in results]

    def sale(self, lines, kind="cash"):
        self.numbers += 1
        sale = self.make_sale(self.register, lines, number=self.numbers)
        sale["till_id"] = self.till_id
        sale["payments"][0]["kind"] = kind
        return sale

    def cancellation(self, sale, **changes):
        return {
            "cancellation_id": new_id(),
            "sale_id": sale["sale_id"],
            "receipt_number": sale["receipt_number"],
            "store_code": self.register.store_code,
            "register_code": self.register.register_code,
            "cashier": "Ana",
            "approved_by": "Luis Encargado",
            "at": AT,
            "reason": "Ticket cobrado dos veces",
            "total_cents": sale["total_cents"],
            "refunds": [
                {
                    "payment_id": new_id(),
                    "kind": p["kind"],
                    "amount_cents": p["amount_cents"],
                    "tendered_cents": p["amount_cents"],
                    "reference": p["reference"],
                }
                for p in sale["payments"]
            ],
            "till_id": self.till_id,
            **changes,
        }


@pytest.fixture
def till(shop, make_event, make_sale):
    return _Till(shop, make_event, make_sale)


def _level(shop, sku):
    return shop.scalar(
        select(stock_levels.c.quantity_milli).where(
            stock_levels.c.store_code == "T01",
            stock_levels.c.product_id == product_id_for_sku(sku),
        )
    )


def test_a_cancellation_marks_the_sale_and_puts_its_stock_back_exactly_once(shop, till):
    sale = till.sale([("P0001", "2", 500), ("P0002", "1", 250)])
    assert till.push(("sale.completed", sale)) == [("applied", None)]
    assert (_level(shop, "P0001"), _level(shop, "P0002")) == (48_000, 49_000)

    cancelled = till.cancellation(sale)
    assert till.push(("sale.cancelled", cancelled)) == [("applied", None)]
    first_push = till.sent
    assert (_level(shop, "P0001"), _level(shop, "P0002")) == (50_000, 50_000)
    assert shop.count(sale_cancellations, sale_cancellations.c.sale_id == sale["sale_id"]) == 1
    assert shop.count(stock_movements, stock_movements.c.reason == "cancellation") == 2

    # The same event again: a duplicate, nothing moves twice.
    assert till.push(again=first_push) == [("duplicate", None)]
    # The same cancellation in another event, or a second cancellation of the sale: refused.
    assert till.push(("sale.cancelled", cancelled)) == [("rejected", "duplicate_cancellation")]
    assert till.push(("sale.cancelled", till.cancellation(sale))) == [
        ("rejected", "already_cancelled")
    ]
    assert "already cancelled" in (till.messages[0] or "")
    assert (_level(shop, "P0001"), _level(shop, "P0002")) == (50_000, 50_000)
    assert shop.count(sale_cancellations) == 1


def test_a_sale_and_its_cancellation_in_one_push(shop, till):
    sale = till.sale([("P0001", "3", 900)])
    assert till.push(("sale.completed", sale), ("sale.cancelled", till.cancellation(sale))) == [
        ("applied", None),
        ("applied", None),
    ]
    assert _level(shop, "P0001") == 50_000


def test_an_unknown_sale_is_kept_as_a_conflict_and_moves_no_stock(shop, till):
    never_sent = till.sale([("P0001", "1", 300)])
    assert till.push(("sale.cancelled", till.cancellation(never_sent))) == [
        ("conflict", "cancelled_sale_unknown")
    ]
    assert shop.count(sale_cancellations, sale_cancellations.c.conflict.is_not(None)) == 1
    assert shop.count(stock_movements, stock_movements.c.reason == "cancellation") == 0
    assert _level(shop, "P0001") == 50_000


def test_a_register_cannot_cancel_another_registers_sale(shop, till, make_event, make_sale):
    other = _Till(shop, make_event, make_sale)
    sale = other.sale([("P0001", "1", 300)])
    assert other.push(("sale.completed", sale)) == [("applied", None)]
    theirs = till.cancellation(sale)
    assert till.push(("sale.cancelled", theirs)) == [("rejected", "wrong_store")]
    assert shop.count(sale_cancellations) == 0
    assert _level(shop, "P0001") == 49_000


def _z(till, sold, cancelled, *, float_cents=10000, count_cancellations=True):
    """The Z the register makes: every ticket issued among the sales, the cancellations
    taken off again (tenders, expected cash, taxes)."""
    tenders: dict[str, int] = {}
    taxes: dict[str, list[int]] = {}
    for sale in sold:
        for pay in sale["payments"]:
            tenders[pay["kind"]] = tenders.get(pay["kind"], 0) + pay["amount_cents"]
        for tax in sale["taxes"]:
            row = taxes.setdefault(tax["rate"], [0, 0, 0])
            for i, key in enumerate(("base_cents", "tax_cents", "total_cents")):
                row[i] += tax[key]
    counted = cancelled if count_cancellations else []
    by_id = {s["sale_id"]: s for s in sold}
    for c in counted:
        for refund in c["refunds"]:
            tenders[refund["kind"]] -= refund["amount_cents"]
        for tax in by_id[c["sale_id"]]["taxes"]:
            row = taxes[tax["rate"]]
            for i, key in enumerate(("base_cents", "tax_cents", "total_cents")):
                row[i] -= tax[key]
    expected = float_cents + tenders.get("cash", 0)
    return {
        "till_id": till.till_id,
        "z_number": "T01-C01-Z2026-0001",
        "store_code": "T01",
        "register_code": till.register.register_code,
        "cashier": "Ana",
        "opened_at": AT,
        "closed_at": AT,
        "float_cents": float_cents,
        "cash_in_cents": 0,
        "cash_out_cents": 0,
        "expected_cash_cents": expected,
        "counted_cash_cents": expected,
        "difference_cents": 0,
        "counted": {},
        "sales_count": len(sold),
        "sales_total_cents": sum(s["total_cents"] for s in sold),
        "returns_count": 0,
        "returns_total_cents": 0,
        "discounts_cents": 0,
        "abandoned_count": 0,
        "abandoned_total_cents": 0,
        "drawer_openings": 0,
        "cancelled_count": len(counted),
        "cancelled_total_cents": sum(c["total_cents"] for c in counted),
        "first_number": sold[0]["receipt_number"],
        "last_number": sold[-1]["receipt_number"],
        "tenders": [
            {"kind": kind, "count": 1, "amount_cents": cents}
            for kind, cents in sorted(tenders.items())
        ],
        "taxes": [
            {"rate": rate, "base_cents": b, "tax_cents": t, "total_cents": total}
            for rate, (b, t, total) in sorted(taxes.items())
        ],
    }


def test_the_z_check_counts_the_cancellations_of_its_till(shop, till):
    kept = till.sale([("P0001", "1", 1210)], "card")
    cash = till.sale([("P0002", "2", 800)], "cash")
    card = till.sale([("P0001", "1", 450)], "card")
    cancelled_cash, cancelled_card = till.cancellation(cash), till.cancellation(card)
    assert (
        till.push(
            ("sale.completed", kept),
            ("sale.completed", cash),
            ("sale.cancelled", cancelled_cash),
        )
        == [("applied", None)] * 3
    )
    # The second cancellation and the Z in one push: the Z sees the one before it.
    z = _z(till, [kept, cash, card], [cancelled_cash, cancelled_card])
    assert z["expected_cash_cents"] == 10000  # the cash sale's money went back
    assert (
        till.push(("sale.completed", card), ("sale.cancelled", cancelled_card), ("till.closed", z))
        == [("applied", None)] * 3
    )
    assert shop.scalar(select(till_closes.c.mismatch)) is None


def test_a_z_that_leaves_out_a_cancellation_is_a_till_mismatch(shop, till):
    cash = till.sale([("P0002", "1", 800)], "cash")
    cancelled = till.cancellation(cash)
    z = _z(till, [cash], [cancelled], count_cancellations=False)
    assert till.push(
        ("sale.completed", cash), ("sale.cancelled", cancelled), ("till.closed", z)
    ) == [("applied", None), ("applied", None), ("conflict", "till_mismatch")]
    message = till.messages[2] or ""
    assert "cancelled_count: register 0, backend 1" in message
    assert "tender cash: register 800, backend 0" in message
    assert "expected_cash_cents" in message


def test_the_journal_takes_the_anulacion_record_in_its_chain(shop, till, make_journal):
    journal = make_journal(till.register)
    sale = till.sale([("P0001", "1", 1210)])
    ticket = journal.ticket(1210, 210, source_id=sale["sale_id"])
    cancelled = till.cancellation(sale)
    anulacion = journal._next(
        record_type="anulacion",
        series_number=ticket["series_number"],
        tax_total="-2.10",
        amount_total="-12.10",
        source_kind="cancellation",
        source_id=cancelled["cancellation_id"],
    )
    after = journal.ticket(500, 87)
    assert (
        till.push(
            ("sale.completed", sale),
            ("fiscal.recorded", ticket),
            ("fiscal.recorded", anulacion),
            ("sale.cancelled", cancelled),
            ("fiscal.recorded", after),
        )
        == [("applied", None)] * 5
    )
    with shop.database.engine.connect() as conn:
        entries = read_journal(conn, "T01", till.register.register_code)
    assert [e.record.record_type for e in entries] == ["alta", "anulacion", "alta"]
    assert verify_chain(e.record for e in entries) is None
    assert all(e.conflict is None for e in entries)


def test_a_tampered_anulacion_breaks_the_chain_at_the_backend(shop, till, make_journal):
    journal = make_journal(till.register)
    ticket = journal.ticket(1210, 210)
    anulacion = journal._next(
        record_type="anulacion",
        series_number=ticket["series_number"],
        tax_total="-2.10",
        amount_total="-12.10",
        source_kind="cancellation",
        source_id=new_id(),
    )
    anulacion["series_number"] = "T01-C01-2026-999999"  # it now names another ticket
    assert till.push(("fiscal.recorded", ticket), ("fiscal.recorded", anulacion)) == [
        ("applied", None),
        ("conflict", "journal_broken"),
    ]
    assert shop.count(fiscal_records, fiscal_records.c.conflict == "journal_broken") == 1


def test_nothing_is_left_to_return_of_a_cancelled_sale(shop, till):
    sale = till.sale([("P0001", "2", 500)])
    assert till.push(("sale.completed", sale), ("sale.cancelled", till.cancellation(sale))) == [
        ("applied", None),
        ("applied", None),
    ]
    response = shop.client(till.register.token).get(f"/v1/returnable/{sale['receipt_number']}")
    assert response.status_code == 200, response.text
    [line] = response.json()["lines"]
    assert (line["quantity_sold"], line["quantity_returned"]) == ("2", "2")
