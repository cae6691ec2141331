"""Returns across stores and channels through the real HTTP app: what is returnable of a sale or
a collected web order, pushed returns stored with their stock movements by disposition, and the
backend's re-check (over-refund, unknown original) as conflicts that keep the return."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from pos_app.domain.ids import new_id
from sync.protocol import OutboxEvent, PushResponse, ReturnableView
from sync.server.core.security import hash_token
from sync.server.services import push as push_service
from sync.server.services.catalog import product_id_for_sku
from sync.server.services.orders import create_channel_key
from sync.server.tables import (
    return_lines,
    return_refunds,
    returns,
    stock_levels,
    stock_movements,
)

P1, P3 = product_id_for_sku("P0001"), product_id_for_sku("P0003")


@pytest.fixture
def shop(backend, tmp_path):
    backend.store("T01")
    backend.store("T02")
    backend.catalog(tmp_path)
    backend.set_stock("T01", "P0001", 10)
    backend.set_stock("T01", "P0003", 5)
    with backend.database.writing() as conn:
        backend.web_key = create_channel_key(conn, "web")
    return backend


class _Pusher:
    """A register's outbox: each push takes the next sequence numbers."""

    def __init__(self, shop, register, make_event):
        self.shop, self.register, self.make_event, self.seq = shop, register, make_event, 0
        self.messages: list[str | None] = []

    def events(self, *payloads, type_="return.completed"):
        out = []
        for payload in payloads:
            self.seq += 1
            out.append(self.make_event(self.seq, payload, type_))
        return out

    def send(self, events):
        response = self.shop.client(self.register.token).post(
            "/v1/sync/push", json={"events": events}
        )
        assert response.status_code == 200, response.text
        results = PushResponse.model_validate(response.json()).results
        self.messages = [r.message for r in results]
        return [(r.status.value, r.code) for r in results]

    def __call__(self, *payloads, type_="return.completed"):
        return self.send(self.events(*payloads, type_=type_))


def _return(register, reference, lines, *, number=1, kind="sale", **overrides):
    """A ``return.completed`` payload; ``lines``: (sku, quantity, refund cents, original line
    number or None, disposition)."""
    docs = [
        {
            "line_no": i,
            "original_line_no": original,
            "product_id": product_id_for_sku(sku),
            "sku": sku,
            "name": f"Producto {sku}",
            "quantity": quantity,
            "unit_refund_cents": cents,
            "refund_cents": cents,
            "tax_class": "IVA21",
            "tax_rate": "21",
            "base_cents": round(cents / 1.21),
            "tax_cents": cents - round(cents / 1.21),
            "reason": "no le gusta",
            "disposition": disposition,
        }
        for i, (sku, quantity, cents, original, disposition) in enumerate(lines, start=1)
    ]
    total = sum(d["refund_cents"] for d in docs)
    payload = {
        "return_id": new_id(),
        "return_number": f"{register.store_code}-{register.register_code}-D-{number:06d}",
        "store_code": register.store_code,
        "register_code": register.register_code,
        "cashier": "Ana",
        "completed_at": datetime(2026, 11, 26, 12, 0, tzinfo=UTC).isoformat(),
        "currency": "EUR",
        "original_kind": kind,
        "original_reference": reference,
        "checked": True,
        "total_cents": total,
        "tax_cents": sum(d["tax_cents"] for d in docs),
        "lines": docs,
        "refunds": [{"refund_id": new_id(), "kind": "card", "amount_cents": total}],
    }
    payload.update(overrides)
    return payload


def _returnable(shop, register, reference) -> ReturnableView:
    response = shop.client(register.token).get(f"/v1/returnable/{reference}")
    assert response.status_code == 200, response.text
    return ReturnableView.model_validate(response.json())


def _level(shop, store, sku):
    return shop.scalar(
        select(stock_levels.c.quantity_milli).where(
            stock_levels.c.store_code == store,
            stock_levels.c.product_id == product_id_for_sku(sku),
        )
    )


def _sold(shop, register, make_sale, make_event, lines, number=1):
    """A sale pushed by ``register`` (its first event); the sale's payload."""
    sale = make_sale(register, lines, number=number)
    response = shop.client(register.token).post(
        "/v1/sync/push", json={"events": [make_event(1, sale)]}
    )
    assert response.json()["results"][0]["status"] == "applied", response.text
    return sale


# --- what is returnable ---------------------------------------------------------------------


def test_a_sale_of_this_or_another_store_is_returnable_with_unit_refunds_rounded_down(
    shop, make_sale, make_event
):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    sale = _sold(shop, t01, make_sale, make_event, [("P0001", "3", 1000), ("P0003", "1", 1210)])
    for register in (t01, t02):
        view = _returnable(shop, register, sale["receipt_number"])
        assert (view.kind, view.reference, view.original_id, view.store_code) == (
            "sale",
            sale["receipt_number"],
            sale["sale_id"],
            "T01",
        )
        assert [
            (line.original_line_no, line.sku, line.quantity_sold, line.quantity_returned)
            for line in view.lines
        ] == [(1, "P0001", "3", "0"), (2, "P0003", "1", "0")]
        # 1000 cents for 3: 333 a unit (rounded down, never more than was paid)
        assert [line.unit_refund_cents for line in view.lines] == [333, 1210]
        assert [(line.tax_class, line.tax_rate) for line in view.lines] == [
            ("IVA21", "21"),
            ("IVA21", "21"),
        ]
        assert [(t.kind, t.amount_cents, t.reference) for t in view.tenders] == [
            ("card", 2210, "A1")
        ]
    missing = shop.client(t02.token).get("/v1/returnable/T01-C01-2026-999999")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert shop.client().get(f"/v1/returnable/{sale['receipt_number']}").status_code == 401


def test_a_web_order_is_returnable_once_collected_and_only_what_was_collected(shop, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    created = shop.client(shop.web_key).post(
        "/v1/orders",
        json={
            "channel": "web",
            "store_code": "T01",
            "customer": {"name": "Lucía Pérez"},
            "lines": [
                {"sku": "P0001", "quantity": "2"},
                {"sku": "P0003", "quantity": "1", "unit_price_cents": 999},
            ],
            "paid_online": True,
        },
    )
    assert created.status_code == 201, created.text
    order = created.json()["order"]
    early = shop.client(t02.token).get(f"/v1/returnable/{order['number']}")
    assert (early.status_code, early.json()["code"]) == (409, "not_returnable")

    pusher = _Pusher(shop, t01, make_event)
    handover = {
        "order_id": order["order_id"],
        "number": order["number"],
        "register_code": t01.register_code,
        "cashier": "Ana",
        "at": datetime(2026, 11, 26, 11, 0, tzinfo=UTC).isoformat(),
        "to_status": "partially_collected",
        "base_version": 1,
        "lines": [{"line_no": 1, "quantity": "1"}, {"line_no": 2, "quantity": "1"}],
    }
    assert pusher(handover, type_="pickup.transition") == [("applied", None)]

    view = _returnable(shop, t02, order["number"].lower())
    assert (view.kind, view.reference, view.store_code) == ("web_order", order["number"], "T01")
    assert [
        (line.sku, line.quantity_sold, line.unit_refund_cents, line.tax_class, line.tax_rate)
        for line in view.lines
    ] == [("P0001", "1", 349, "IVA10", "10"), ("P0003", "1", 999, "IVA21", "21")]
    assert [(t.kind, t.amount_cents) for t in view.tenders] == [("online", 1697)]

    # Returning one P0001 at T02 leaves nothing of line 1; a second one is an over-refund.
    t02_push = _Pusher(shop, t02, make_event)
    ret = _return(t02, order["number"], [("P0001", "1", 349, 1, "sellable")], kind="web_order")
    assert t02_push(ret) == [("applied", None)]
    again = _return(
        t02, order["number"], [("P0001", "1", 349, None, "sellable")], number=2, kind="web_order"
    )
    assert t02_push(again) == [("conflict", "over_refund")]
    view = _returnable(shop, t01, order["number"])
    assert view.lines[0].quantity_returned == "2"


# --- pushed returns ------------------------------------------------------------------------------


def test_a_return_is_stored_and_moves_stock_by_disposition_at_the_returning_store(
    shop, make_sale, make_event
):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    sale = _sold(shop, t01, make_sale, make_event, [("P0001", "3", 1047), ("P0003", "2", 2420)])
    assert (_level(shop, "T01", "P0001"), _level(shop, "T01", "P0003")) == (7_000, 3_000)
    pusher = _Pusher(shop, t02, make_event)
    first = _return(
        t02,
        sale["receipt_number"],
        [("P0001", "1", 349, 1, "sellable"), ("P0003", "1", 1210, 2, "damaged")],
    )
    second = _return(t02, sale["receipt_number"], [("P0001", "1", 349, None, "supplier")], number=2)
    assert pusher(first, second) == [("applied", None), ("applied", None)]

    # Only the sellable unit is back on a shelf, at T02 (where it was returned).
    assert _level(shop, "T02", "P0001") == 1_000
    assert _level(shop, "T02", "P0003") is None
    assert (_level(shop, "T01", "P0001"), _level(shop, "T01", "P0003")) == (7_000, 3_000)
    with shop.database.reading() as conn:
        moved = conn.execute(
            select(
                stock_movements.c.store_code,
                stock_movements.c.product_id,
                stock_movements.c.delta_milli,
                stock_movements.c.reason,
            )
            .where(stock_movements.c.reason.like("return%"))
            .order_by(stock_movements.c.id)
        ).all()
        lines = conn.execute(
            select(return_lines.c.original_line_no, return_lines.c.disposition).order_by(
                return_lines.c.return_id, return_lines.c.line_no
            )
        ).all()
    assert sorted(tuple(m) for m in moved) == sorted(
        [
            ("T02", P1, 1_000, "return"),
            ("T02", P3, 0, "return_damaged"),
            ("T02", P1, 0, "return_supplier"),
        ]
    )
    assert sorted(tuple(line) for line in lines) == [
        (1, "sellable"),
        (1, "supplier"),
        (2, "damaged"),
    ]
    assert shop.count(returns, returns.c.conflict.is_(None)) == 2
    assert shop.count(return_refunds) == 2
    assert (
        shop.scalar(select(returns.c.original_id).where(returns.c.id == first["return_id"]))
        == (sale["sale_id"])
    )

    view = _returnable(shop, t01, sale["receipt_number"])
    assert [line.quantity_returned for line in view.lines] == ["2", "1"]
    # The registers of T02 pull the new level; T01's see nothing of the return.
    t02_stock = {
        c["key"]: c["data"] for c in shop.pull_all(shop.client(t02.token)) if c["entity"] == "stock"
    }
    assert t02_stock == {P1: {"quantity": "1"}}
    t01_stock = {
        c["key"]: c["data"] for c in shop.pull_all(shop.client(t01.token)) if c["entity"] == "stock"
    }
    assert t01_stock[P1] == {"quantity": "7"}


def test_the_last_unit_returned_at_two_stores_in_separate_pushes_is_an_over_refund(
    shop, make_sale, make_event
):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    sale = _sold(shop, t01, make_sale, make_event, [("P0001", "1", 349)])
    a = _return(t01, sale["receipt_number"], [("P0001", "1", 349, 1, "sellable")])
    b = _return(t02, sale["receipt_number"], [("P0001", "1", 349, 1, "sellable")])
    first = _Pusher(shop, t01, make_event)
    first.seq = 1  # the sale was its first event
    assert first(a) == [("applied", None)]
    second = _Pusher(shop, t02, make_event)
    assert second(b) == [("conflict", "over_refund")]
    assert "manager" in (second.messages[0] or "")
    # Both are kept and both moved stock: the goods and the money are where they are.
    assert shop.count(returns) == 2
    assert shop.scalar(select(returns.c.conflict).where(returns.c.id == b["return_id"])) == (
        "over_refund"
    )
    assert (_level(shop, "T01", "P0001"), _level(shop, "T02", "P0001")) == (10_000, 1_000)
    assert _returnable(shop, t02, sale["receipt_number"]).lines[0].quantity_returned == "2"


def test_two_returns_of_the_last_unit_in_one_push_group_see_each_other(shop, make_sale, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    sale = _sold(shop, t01, make_sale, make_event, [("P0001", "2", 698)])
    a = _return(t01, sale["receipt_number"], [("P0001", "1", 349, 1, "sellable")])
    b = _return(t02, sale["receipt_number"], [("P0001", "2", 698, None, "sellable")])
    events_a = [make_event(2, a, "return.completed")]
    events_b = [make_event(1, b, "return.completed")]
    pushes = [
        push_service._Push(
            tuple(push_service.prepare(OutboxEvent.model_validate(e)) for e in events),
            token_hash=hash_token(register.token),
        )
        for register, events in ((t01, events_a), (t02, events_b))
    ]
    answers = push_service.take_pushes(shop.database, pushes)
    assert [
        [(r.status.value, r.code) for r in answer.results]
        for answer in answers
        if isinstance(answer, PushResponse)
    ] == [[("applied", None)], [("conflict", "over_refund")]]
    assert shop.count(returns) == 2
    assert _returnable(shop, t01, sale["receipt_number"]).lines[0].quantity_returned == "3"


def test_a_return_of_a_sale_in_the_same_push_is_checked_against_it(shop, make_sale, make_event):
    t01 = shop.enroll("T01")
    sale = make_sale(t01, [("P0001", "1", 349)])
    ret = _return(t01, sale["receipt_number"], [("P0001", "1", 349, 1, "sellable")])
    pusher = _Pusher(shop, t01, make_event)
    events = [*pusher.events(sale, type_="sale.completed"), *pusher.events(ret)]
    assert pusher.send(events) == [("applied", None), ("applied", None)]
    assert _level(shop, "T01", "P0001") == 10_000


def test_a_return_of_an_unknown_original_is_kept_as_a_conflict(shop, make_event):
    t02 = shop.enroll("T02")
    ret = _return(t02, "T09-C01-2026-000001", [("P0001", "2", 698, 1, "sellable")])
    pusher = _Pusher(shop, t02, make_event)
    assert pusher(ret) == [("conflict", "unknown_original")]
    assert "T09-C01-2026-000001" in (pusher.messages[0] or "")
    row = shop.scalar(select(returns.c.conflict).where(returns.c.id == ret["return_id"]))
    assert row == "unknown_original"
    assert shop.count(return_lines, return_lines.c.original_line_no.is_(None)) == 1
    assert _level(shop, "T02", "P0001") == 2_000
    web = _return(t02, "W-2026-999999", [("P0001", "1", 349, None, "damaged")], number=2)
    web["original_kind"] = "web_order"
    assert pusher(web) == [("conflict", "unknown_original")]


def test_a_return_of_another_register_or_malformed_is_rejected_and_stores_nothing(
    shop, make_sale, make_event
):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    sale = _sold(shop, t01, make_sale, make_event, [("P0001", "1", 349)])
    pusher = _Pusher(shop, t02, make_event)
    foreign = _return(t02, sale["receipt_number"], [("P0001", "1", 349, 1, "sellable")])
    foreign["register_code"] = "C09"
    other_store = _return(t02, sale["receipt_number"], [("P0001", "1", 349, 1, "sellable")])
    other_store["store_code"] = "T01"
    malformed = _return(t02, sale["receipt_number"], [("P0001", "1", 349, 1, "sellable")])
    malformed["lines"][0]["disposition"] = "lost"
    zero = _return(t02, sale["receipt_number"], [("P0001", "0", 0, 1, "sellable")])
    wrong_total = _return(t02, sale["receipt_number"], [("P0001", "1", 349, 1, "sellable")])
    wrong_total["total_cents"] = 1
    assert pusher(foreign, other_store, malformed, zero, wrong_total) == [
        ("rejected", "wrong_store"),
        ("rejected", "wrong_store"),
        ("rejected", "invalid_payload"),
        ("rejected", "invalid_quantity"),
        ("rejected", "totals_mismatch"),
    ]
    assert shop.count(returns) == 0
    assert _level(shop, "T02", "P0001") is None


def test_a_return_sent_again_is_a_duplicate_and_counted_once(shop, make_sale, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    sale = _sold(shop, t01, make_sale, make_event, [("P0001", "2", 698)])
    ret = _return(t02, sale["receipt_number"], [("P0001", "1", 349, 1, "sellable")])
    pusher = _Pusher(shop, t02, make_event)
    (sent,) = pusher.events(ret)
    assert pusher.send([sent]) == [("applied", None)]
    assert pusher.send([sent]) == [("duplicate", None)]
    # The same return in a new event (an outbox written twice): refused, counted once.
    assert pusher(ret) == [("rejected", "duplicate_return")]
    assert shop.count(returns) == 1
    assert _level(shop, "T02", "P0001") == 1_000
    assert _returnable(shop, t01, sale["receipt_number"]).lines[0].quantity_returned == "1"


def test_the_register_client_reads_what_is_returnable(shop, make_sale, make_event):
    from sync.client import SyncClient
    from sync.errors import SyncError, SyncErrorKind

    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    sale = _sold(shop, t01, make_sale, make_event, [("P0001", "1", 349)])
    with SyncClient(shop.base_url, t02.token) as client:
        view = client.returnable(sale["receipt_number"])
        assert isinstance(view, ReturnableView) and view.original_id == sale["sale_id"]
        with pytest.raises(SyncError) as missing:
            client.returnable("T01-C01-2026-999999")
    assert (missing.value.kind, missing.value.code) == (SyncErrorKind.REJECTED, "not_found")


def test_the_returns_of_a_store_are_listed_with_their_conflicts(
    shop, make_sale, make_event, database_url, capsys
):
    from sync.server.cli import main

    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    sale = _sold(shop, t01, make_sale, make_event, [("P0001", "1", 349)])
    pusher = _Pusher(shop, t02, make_event)
    ret = _return(t02, sale["receipt_number"], [("P0001", "2", 698, 1, "sellable")])
    assert pusher(ret) == [("conflict", "over_refund")]

    assert main(["returns", "--store", "T02", "--database", database_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == [
        "AT", "REGISTER", "NUMBER", "ORIGINAL", "REFUNDED", "CASHIER", "CONFLICT",
    ]  # fmt: skip
    assert out[1].split()[2:] == [
        t02.register_code,
        ret["return_number"],
        "sale",
        sale["receipt_number"],
        "6.98",
        "Ana",
        "over_refund",
    ]
    assert main(["returns", "--store", "T01", "--database", database_url]) == 0
    assert capsys.readouterr().out == "no returns\n"
    args = ["returns", "--store", "T02", "--since", "2026-11-27", "--database", database_url]
    assert main(args) == 0
    assert capsys.readouterr().out == "no returns\n"
