"""Click-and-collect through the real HTTP app: the orders API of other channels, the
reservation, and the registers' transitions pushed as events (applied, conflicts, refusals),
with stock moved exactly once."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from pos_app.domain.ids import new_id
from sync.protocol import PickupOrderData, PushResponse
from sync.server.services.catalog import product_id_for_sku
from sync.server.services.orders import create_channel_key
from sync.server.tables import (
    notifications,
    pickup_order_history,
    pickup_orders,
    products,
    sales,
    stock_levels,
    stock_movements,
    stock_reservations,
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
        backend.phone_key = create_channel_key(conn, "phone")
    return backend


def _order_request(**overrides):
    body = {
        "channel": "web",
        "external_ref": "",
        "store_code": "T01",
        "customer": {"name": "Lucía Pérez", "phone": "600111222", "email": "lucia@example.com"},
        "lines": [
            {"sku": "P0001", "quantity": "2"},
            {"sku": "P0003", "quantity": "1", "unit_price_cents": 999},
        ],
        "paid_online": True,
    }
    body.update(overrides)
    return body


def _create(shop, **overrides) -> dict:
    response = shop.client(shop.web_key).post("/v1/orders", json=_order_request(**overrides))
    assert response.status_code == 201, response.text
    return response.json()["order"]


def _level(shop, sku, store="T01"):
    with shop.database.reading() as conn:
        row = conn.execute(
            select(stock_levels.c.quantity_milli, stock_levels.c.reserved_milli).where(
                stock_levels.c.store_code == store,
                stock_levels.c.product_id == product_id_for_sku(sku),
            )
        ).first()
    return (int(row.quantity_milli), int(row.reserved_milli)) if row else (0, 0)


def _sale_movements(shop, product_id):
    return shop.count(
        stock_movements,
        stock_movements.c.product_id == product_id,
        stock_movements.c.reason == "sale",
    )


def _transition(register, order, to, lines=None, *, sale_id=None):
    return {
        "order_id": order["order_id"],
        "number": order["number"],
        "register_code": register.register_code,
        "cashier": "Ana",
        "at": datetime(2026, 11, 26, 11, 0, tzinfo=UTC).isoformat(),
        "to_status": to,
        "base_version": order["version"],
        "lines": [{"line_no": n, "quantity": q} for n, q in (lines or [])],
        "sale_id": sale_id,
    }


class _Pusher:
    """A register's outbox: each push takes the next sequence numbers."""

    def __init__(self, shop, register, make_event):
        self.shop, self.register, self.make_event, self.seq = shop, register, make_event, 0

    def __call__(self, *payloads, type_="pickup.transition"):
        events = []
        for payload in payloads:
            self.seq += 1
            events.append(self.make_event(self.seq, payload, type_))
        response = self.shop.client(self.register.token).post(
            "/v1/sync/push", json={"events": events}
        )
        assert response.status_code == 200, response.text
        results = PushResponse.model_validate(response.json()).results
        self.messages = [r.message for r in results]
        return [(r.status.value, r.code) for r in results]


def _read(shop, number, key=None):
    response = shop.client(key or shop.web_key).get(f"/v1/orders/{number}")
    assert response.status_code == 200, response.text
    return PickupOrderData.model_validate(response.json()["order"])


def _order_sale(make_sale, register, order, lines, number=1):
    payload = make_sale(register, lines, number=number)
    payload["order_id"] = order["order_id"]
    return payload


# --- the API -------------------------------------------------------------------------------------


def test_an_order_reserves_its_stock_and_reaches_only_its_store_registers(shop):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    order = _create(shop)

    assert re.fullmatch(r"W-\d{4}-\d{6}", order["number"])
    assert re.fullmatch(r"\d{6}", order["pickup_code"])
    assert order["qr_payload"] == f"MOSTRADOR-PICKUP:{order['number']}:{order['pickup_code']}"
    assert (order["status"], order["version"]) == ("pending", 1)
    assert [(line["unit_price_cents"], line["total_cents"]) for line in order["lines"]] == [
        (349, 698),  # the catalog's price
        (999, 999),  # the channel's
    ]
    assert order["total_cents"] == 1697
    assert [(h["status"], h["by"], h["where"]) for h in order["history"]] == [
        ("pending", "web", "web")
    ]
    assert _level(shop, "P0001") == (10_000, 2_000)  # on hand, reserved
    assert _level(shop, "P0003") == (5_000, 1_000)

    changes = shop.pull_all(shop.client(t01.token))
    stock = {c["key"]: c["data"] for c in changes if c["entity"] == "stock"}
    assert stock[P1] == {"quantity": "10", "reserved": "2"}
    pickups = [c for c in changes if c["entity"] == "pickup_order"]
    assert [(c["key"], c["data"]["status"], c["data"]["version"]) for c in pickups] == [
        (order["order_id"], "pending", 1)
    ]
    assert PickupOrderData.model_validate(pickups[0]["data"]).number == order["number"]
    assert not [c for c in shop.pull_all(shop.client(t02.token)) if c["entity"] == "pickup_order"]

    availability = shop.client(t01.token).get("/v1/stock/P0001").json()
    assert {s["store_code"]: (s["quantity"], s["reserved"]) for s in availability["stores"]} == {
        "T01": ("10", "2"),
        "T02": ("0", "0"),
    }
    second = _create(shop)
    assert int(second["number"][-6:]) == int(order["number"][-6:]) + 1


def test_creating_again_with_the_same_external_ref_gives_the_first_order(shop):
    client = shop.client(shop.web_key)
    first = client.post("/v1/orders", json=_order_request(external_ref="WEB-77"))
    again = client.post("/v1/orders", json=_order_request(external_ref="WEB-77"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["order"]["number"] == first.json()["order"]["number"]
    assert shop.count(pickup_orders) == 1
    assert _level(shop, "P0001") == (10_000, 2_000)  # reserved once

    other = client.post(
        "/v1/orders",
        json=_order_request(external_ref="WEB-77", lines=[{"sku": "P0001", "quantity": "5"}]),
    )
    assert other.status_code == 409
    assert other.json()["code"] == "external_ref_reused"
    phone = shop.client(shop.phone_key).post(
        "/v1/orders", json=_order_request(channel="phone", external_ref="WEB-77")
    )
    assert phone.status_code == 201  # another channel's references are its own
    assert phone.json()["order"]["number"].startswith("P-")


def test_bad_orders_are_refused_with_a_clear_message_and_reserve_nothing(shop):
    with shop.database.writing() as conn:
        conn.execute(update(products).where(products.c.sku == "P0002").values(active=False))
    client = shop.client(shop.web_key)
    cases = [
        (_order_request(store_code="T09"), 422, "unknown_store", "T09"),
        (_order_request(lines=[{"sku": "NOPE", "quantity": "1"}]), 422, "unknown_sku", "NOPE"),
        (
            _order_request(lines=[{"sku": "P0002", "quantity": "1"}]),
            422,
            "inactive_product",
            "P0002",
        ),
        (
            _order_request(lines=[{"sku": "P0001", "quantity": "0"}]),
            422,
            "invalid_quantity",
            "zero",
        ),
        (_order_request(lines=[{"sku": "P0001", "quantity": "-1"}]), 422, "invalid", "quantity"),
        (_order_request(channel="phone"), 403, "forbidden", "channel 'web'"),
    ]
    for body, status, code, said in cases:
        response = client.post("/v1/orders", json=body)
        assert (response.status_code, response.json()["code"]) == (status, code), response.text
        assert said in response.json()["message"]
    assert shop.count(pickup_orders) == 0
    assert _level(shop, "P0001") == (10_000, 0)


def test_who_may_do_what_channel_key_register_token_or_nothing(shop):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    order = _create(shop)
    number = order["number"]
    nobody, register, elsewhere = shop.client(), shop.client(t01.token), shop.client(t02.token)

    assert nobody.post("/v1/orders", json=_order_request()).status_code == 401
    assert nobody.get(f"/v1/orders/{number}").status_code == 401
    assert shop.client("not-a-key").get(f"/v1/orders/{number}").status_code == 401
    refused = register.post("/v1/orders", json=_order_request())
    assert refused.status_code == 401 and "channel key" in refused.json()["message"]
    assert register.post(f"/v1/orders/{number}/cancel", json={}).status_code == 401
    assert register.get(f"/v1/orders/{number}").json()["order"]["number"] == number
    other = elsewhere.get(f"/v1/orders/{number}")
    assert (other.status_code, other.json()["code"]) == (403, "forbidden")
    assert "T01" in other.json()["message"]
    assert elsewhere.post(f"/v1/orders/{number}/verify", json={"code": "1"}).status_code == 403
    assert register.get("/v1/orders/W-2026-999999").status_code == 404
    # a channel key is not a register's token
    assert shop.client(shop.web_key).get("/v1/sync/pull").status_code == 401


def test_a_pickup_code_or_qr_payload_is_verified(shop):
    register = shop.enroll("T01")
    order = _create(shop)
    number, code = order["number"], order["pickup_code"]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for client in (shop.client(register.token), shop.client(shop.web_key)):

        def check(given, client=client):
            response = client.post(f"/v1/orders/{number}/verify", json={"code": given})
            assert response.status_code == 200, response.text
            return response.json()

        assert check(code) == {
            "ok": True,
            "order_id": order["order_id"],
            "number": number,
            "status": "pending",
        }
        assert check(order["qr_payload"])["ok"] is True
        assert check(f" {code[:3]} {code[3:]} ")["ok"] is True  # as read aloud
        assert check(wrong) == {"ok": False, "order_id": None, "number": None, "status": None}
        assert check(f"MOSTRADOR-PICKUP:W-2026-000999:{code}")["ok"] is False
        assert check(f"MOSTRADOR-PICKUP:{number}:{wrong}")["ok"] is False


def test_cancelling_releases_the_reservation_and_is_refused_once_collected(shop, make_event):
    register = shop.enroll("T01")
    order = _create(shop)
    client = shop.client(shop.web_key)
    cancelled = client.post(f"/v1/orders/{order['number']}/cancel", json={"reason": "no lo quiere"})
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["order"]["status"], cancelled.json()["order"]["version"]) == (
        "cancelled",
        2,
    )
    assert _level(shop, "P0001") == (10_000, 0)
    assert shop.count(stock_reservations) == 0
    again = client.post(f"/v1/orders/{order['number']}/cancel", json={})
    assert again.status_code == 200 and again.json()["order"]["version"] == 2
    assert shop.count(notifications, notifications.c.kind == "cancelled") == 1

    collected = _create(shop)
    push = _Pusher(shop, register, make_event)
    assert push(_transition(register, collected, "collected")) == [("applied", None)]
    late = client.post(f"/v1/orders/{collected['number']}/cancel", json={})
    assert (late.status_code, late.json()["code"]) == (409, "order_closed")
    assert client.post("/v1/orders/W-2026-999999/cancel", json={}).status_code == 404


# --- register transitions ------------------------------------------------------------------


def test_picking_ready_and_a_paid_hand_over_move_the_stock_exactly_once(
    shop, make_event, make_sale
):
    register = shop.enroll("T01")
    order = _create(shop, paid_online=False)
    push = _Pusher(shop, register, make_event)

    assert push(_transition(register, order, "picking")) == [("applied", None)]
    assert push(_transition(register, order, "picking")) == [("applied", None)]  # nothing new
    assert _read(shop, order["number"]).version == 2
    # ready with one of the two P0001 missing: the reservation shrinks to what was found
    assert push(_transition(register, order, "ready", [(1, "1")])) == [("applied", None)]
    ready = _read(shop, order["number"])
    assert (ready.status.value, ready.version) == ("ready", 3)
    assert [(line.picked) for line in ready.lines] == ["1", "1"]
    assert _level(shop, "P0001") == (10_000, 1_000)
    ready_notes = shop.count(notifications, notifications.c.kind == "ready")
    assert ready_notes == 1

    # paid at the counter: the sale moves nothing, the hand-over moves what left
    sale = _order_sale(make_sale, register, order, [("P0001", "1", 349), ("P0003", "1", 999)])
    assert push(sale, type_="sale.completed") == [("applied", None)]
    assert _level(shop, "P0001") == (10_000, 1_000)
    handover = _transition(register, order, "collected", [(1, "1"), (2, "1")])
    handover["sale_id"] = sale["sale_id"]
    assert push(handover) == [("applied", None)]

    done = _read(shop, order["number"])
    assert (done.status.value, done.version) == ("partially_collected", 4)
    assert [line.collected for line in done.lines] == ["1", "1"]
    assert [(h.status.value, h.where) for h in done.history] == [
        ("pending", "web"),
        ("picking", f"T01/{register.register_code}"),
        ("ready", f"T01/{register.register_code}"),
        ("partially_collected", f"T01/{register.register_code}"),
    ]
    assert _level(shop, "P0001") == (9_000, 0)
    assert _level(shop, "P0003") == (4_000, 0)
    assert (_sale_movements(shop, P1), _sale_movements(shop, P3)) == (1, 1)
    assert shop.scalar(
        select(stock_movements.c.reference).where(stock_movements.c.product_id == P1)
        .where(stock_movements.c.reason == "sale")
    ) == sale["sale_id"]  # fmt: skip
    assert shop.count(sales) == 1
    assert (
        shop.count(pickup_order_history, pickup_order_history.c.order_id == order["order_id"]) == 4
    )

    changes = shop.pull_all(shop.client(register.token))
    versions = [c["data"]["version"] for c in changes if c["entity"] == "pickup_order"]
    assert versions == [1, 2, 3, 4]
    stock = {c["key"]: c["data"] for c in changes if c["entity"] == "stock"}
    assert stock[P1] == {"quantity": "9"}  # nothing reserved any more


def test_a_hand_over_after_an_online_cancellation_stands_as_a_conflict(shop, make_event):
    register = shop.enroll("T01")
    order = _create(shop)
    shop.client(shop.web_key).post(f"/v1/orders/{order['number']}/cancel", json={})
    push = _Pusher(shop, register, make_event)

    assert push(_transition(register, order, "ready")) == [("conflict", "pickup_cancelled")]
    assert _read(shop, order["number"]).version == 2  # nothing changed
    assert push(_transition(register, order, "collected")) == [("conflict", "pickup_cancelled")]
    after = _read(shop, order["number"])
    assert (after.status.value, after.version) == ("collected", 3)
    assert "after it was cancelled" in after.history[-1].note
    assert _level(shop, "P0001") == (8_000, 0)  # the goods left: moved once, nothing reserved
    assert _sale_movements(shop, P1) == 1
    message = shop.scalar(select(pickup_order_history.c.conflict).where(
        pickup_order_history.c.order_id == order["order_id"], pickup_order_history.c.version == 3
    ))  # fmt: skip
    assert message == "pickup_cancelled"


def test_a_second_hand_over_at_another_register_moves_nothing(shop, make_event, make_sale):
    first, second = shop.enroll("T01", "Caja 1"), shop.enroll("T01", "Caja 2")
    order = _create(shop)
    push_1, push_2 = _Pusher(shop, first, make_event), _Pusher(shop, second, make_event)
    assert push_1(_transition(first, order, "collected")) == [("applied", None)]
    sale = _order_sale(make_sale, second, order, [("P0001", "2", 698), ("P0003", "1", 999)])
    assert push_2(sale, type_="sale.completed") == [("applied", None)]
    assert push_2(_transition(second, order, "collected")) == [
        ("conflict", "pickup_already_collected")
    ]
    assert "no stock moved" in push_2.messages[0]
    assert (_sale_movements(shop, P1), _sale_movements(shop, P3)) == (1, 1)
    assert _level(shop, "P0001") == (8_000, 0)
    assert _read(shop, order["number"]).version == 2


def test_invalid_and_foreign_transitions_change_nothing(shop, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    order = _create(shop)
    push = _Pusher(shop, t01, make_event)
    assert push(_transition(t01, order, "ready")) == [("applied", None)]
    assert push(_transition(t01, order, "picking")) == [("conflict", "pickup_invalid_transition")]
    assert push(_transition(t01, order, "cancelled")) == [("rejected", "invalid_payload")]
    assert push(_transition(t01, order, "collected", [(1, "3")])) == [
        ("rejected", "invalid_quantity")
    ]
    assert push(_transition(t01, order, "collected", [(9, "1")])) == [
        ("rejected", "invalid_quantity")
    ]
    unknown = dict(_transition(t01, order, "picking"), order_id=new_id())
    assert push(unknown) == [("rejected", "pickup_unknown_order")]
    assert _Pusher(shop, t02, make_event)(_transition(t02, order, "collected")) == [
        ("rejected", "wrong_store")
    ]
    assert push({"order_id": order["order_id"]}) == [("rejected", "invalid_payload")]
    assert _read(shop, order["number"]).version == 2
    assert _level(shop, "P0001") == (10_000, 2_000)
    assert _sale_movements(shop, P1) == 0


def test_a_sale_for_an_unknown_order_is_kept_and_moves_stock_as_a_conflict(
    shop, make_event, make_sale
):
    register = shop.enroll("T01")
    sale = make_sale(register, [("P0001", "1", 349)])
    sale["order_id"] = new_id()
    assert _Pusher(shop, register, make_event)(sale, type_="sale.completed") == [
        ("conflict", "pickup_unknown_order")
    ]
    assert shop.count(sales) == 1
    assert _level(shop, "P0001") == (9_000, 0)


def test_a_sale_paying_an_order_moves_only_the_items_added_at_the_counter(
    shop, make_event, make_sale
):
    register = shop.enroll("T01")
    order = _create(shop, lines=[{"sku": "P0001", "quantity": "2"}])
    push = _Pusher(shop, register, make_event)
    sale = _order_sale(make_sale, register, order, [("P0001", "2", 698), ("P0003", "1", 1210)])
    assert push(sale, type_="sale.completed") == [("applied", None)]
    assert push(_transition(register, order, "collected")) == [("applied", None)]
    assert _level(shop, "P0001") == (8_000, 0)
    assert _level(shop, "P0003") == (4_000, 0)  # the bag added at the counter
    assert (_sale_movements(shop, P1), _sale_movements(shop, P3)) == (1, 1)


def test_the_register_client_reads_an_order_and_verifies_its_code(shop):
    from sync.client import SyncClient
    from sync.errors import SyncError, SyncErrorKind

    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    order = _create(shop)
    with SyncClient(shop.base_url, t01.token) as client:
        got = client.order(order["number"])
        assert isinstance(got, PickupOrderData) and got.order_id == order["order_id"]
        assert client.verify_code(order["number"], order["pickup_code"]).ok is True
        assert client.verify_code(order["number"], "000000x").ok is False
        with pytest.raises(SyncError) as missing:
            client.order("W-2026-999999")
        assert (missing.value.kind, missing.value.code) == (SyncErrorKind.REJECTED, "not_found")
    with SyncClient(shop.base_url, t02.token) as elsewhere, pytest.raises(SyncError) as other:
        elsewhere.order(order["number"])
    assert (other.value.kind, other.value.code) == (SyncErrorKind.AUTH, "forbidden")
