"""Push: each event taken exactly once, per device, in sequence (Replicache's rule)."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from sync.protocol import ErrorBody, PushResponse
from sync.server.services import push as push_service
from sync.server.services.catalog import product_id_for_sku
from sync.server.tables import (
    abandoned_sales,
    devices,
    fiscal_records,
    processed_events,
    sales,
    stock_levels,
    stock_movements,
)


def _push(backend, register, *events) -> PushResponse:
    response = backend.client(register.token).post("/v1/sync/push", json={"events": list(events)})
    assert response.status_code == 200, response.text
    return PushResponse.model_validate(response.json())


def _level(backend, store, sku):
    return backend.scalar(
        select(stock_levels.c.quantity_milli).where(
            stock_levels.c.store_code == store,
            stock_levels.c.product_id == product_id_for_sku(sku),
        )
    )


def _last_seq(backend, register):
    return backend.scalar(select(devices.c.last_seq).where(devices.c.id == register.device_id))


@pytest.fixture
def shop(backend, tmp_path):
    backend.store("T01")
    backend.catalog(tmp_path)
    backend.set_stock("T01", "P0001", 10)
    return backend


def test_a_sale_is_applied_with_its_stock_movements_and_stock_changes(shop, make_sale, make_event):
    register = shop.enroll()
    payload = make_sale(register, [("P0001", "2", 698), ("P0003", "1", 1210), ("P0001", "1", 349)])
    result = _push(shop, register, make_event(1, payload))
    assert result.last_seq == 1
    assert [(r.seq, r.status.value, r.code) for r in result.results] == [(1, "applied", None)]
    assert result.expected_seq is None

    assert shop.count(sales) == 1
    assert shop.scalar(select(sales.c.total_cents)) == 2257
    assert shop.scalar(select(sales.c.receipt_number)) == payload["receipt_number"]
    assert shop.count(stock_movements, stock_movements.c.reason == "sale") == 2
    assert _level(shop, "T01", "P0001") == 7_000
    assert _level(shop, "T01", "P0003") == -1_000  # below zero is allowed: the goods were in hand

    stock = {
        c["key"]: c["data"]["quantity"]
        for c in shop.pull_all(shop.client(register.token))
        if c["entity"] == "stock"
    }
    assert stock == {product_id_for_sku("P0001"): "7", product_id_for_sku("P0003"): "-1"}


def test_a_resent_event_is_a_duplicate_and_applied_once(shop, make_sale, make_event):
    register = shop.enroll()
    first = make_event(1, make_sale(register, [("P0001", "1", 349)]))
    second = make_event(2, make_sale(register, [("P0001", "1", 349)], number=2))
    assert [r.status.value for r in _push(shop, register, first).results] == ["applied"]
    again = _push(shop, register, first, second)
    assert [(r.seq, r.status.value) for r in again.results] == [(1, "duplicate"), (2, "applied")]
    assert again.last_seq == 2
    assert shop.count(sales) == 2
    assert _level(shop, "T01", "P0001") == 8_000


def test_the_same_seq_with_other_content_is_rejected_and_the_first_stands(
    shop, make_sale, make_event, caplog
):
    register = shop.enroll()
    original = make_event(1, make_sale(register, [("P0001", "1", 349)]))
    _push(shop, register, original)
    tampered = dict(original, payload=make_sale(register, [("P0001", "5", 1745)]))
    with caplog.at_level(logging.WARNING, logger="sync.server"):
        result = _push(shop, register, tampered)
    (only,) = result.results
    assert (only.status.value, only.code) == ("rejected", "payload_mismatch")
    assert result.last_seq == 1
    assert shop.count(sales) == 1
    assert shop.scalar(select(sales.c.total_cents)) == 349
    assert _level(shop, "T01", "P0001") == 9_000
    assert any("different content" in r.getMessage() for r in caplog.records)


def test_a_gap_stops_the_batch_and_asks_for_the_expected_seq(shop, make_sale, make_event):
    register = shop.enroll()
    events = [
        make_event(1, make_sale(register, [("P0001", "1", 349)], number=1)),
        make_event(3, make_sale(register, [("P0001", "1", 349)], number=3)),
        make_event(4, make_sale(register, [("P0001", "1", 349)], number=4)),
    ]
    result = _push(shop, register, *events)
    assert [(r.seq, r.status.value) for r in result.results] == [(1, "applied")]
    assert result.expected_seq == 2
    assert result.last_seq == 1
    assert shop.count(sales) == 1

    fresh = shop.enroll(name="Caja 2")
    starts_late = _push(shop, fresh, make_event(5, make_sale(fresh, [("P0001", "1", 349)])))
    assert (starts_late.results, starts_late.expected_seq, starts_late.last_seq) == ([], 1, 0)


def test_permanent_rejections_advance_last_seq_so_the_queue_goes_on(shop, make_sale, make_event):
    register = shop.enroll()
    good = make_sale(register, [("P0001", "1", 349)])
    bad_quantity = make_sale(register, [("P0001", "1", 349)], number=3)
    bad_quantity["lines"][0]["quantity"] = "0"
    negative = make_sale(register, [("P0001", "1", 349)], number=4)
    negative["lines"][0]["quantity"] = "-2"
    not_a_number = make_sale(register, [("P0001", "1", 349)], number=5)
    not_a_number["lines"][0]["quantity"] = "dos"
    too_fine = make_sale(register, [("P0001", "1", 349)], number=6)
    too_fine["lines"][0]["quantity"] = "0.0001"
    malformed = dict(good, total_cents="mucho")
    del malformed["lines"]
    events = [
        make_event(1, {"whatever": 1}, "sale.teleported"),
        make_event(2, malformed),
        make_event(3, bad_quantity),
        make_event(4, negative),
        make_event(5, not_a_number),
        make_event(6, too_fine),
        make_event(7, make_sale(register, [("P0001", "1", 349)], number=7, total_cents=999)),
        make_event(8, make_sale(register, [("P0001", "1", 349)], number=8, store_code="T02")),
        make_event(9, good),
    ]
    result = _push(shop, register, *events)
    assert [(r.seq, r.status.value, r.code) for r in result.results] == [
        (1, "rejected", "unknown_event_type"),
        (2, "rejected", "invalid_payload"),
        (3, "rejected", "invalid_quantity"),
        (4, "rejected", "invalid_quantity"),
        (5, "rejected", "invalid_quantity"),
        (6, "rejected", "invalid_quantity"),
        (7, "rejected", "totals_mismatch"),
        (8, "rejected", "wrong_store"),
        (9, "applied", None),
    ]
    assert all(r.message for r in result.results[:-1])
    assert "lines" in result.results[1].message and "total_cents" in result.results[1].message
    assert result.last_seq == 9
    assert shop.count(sales) == 1
    assert _level(shop, "T01", "P0001") == 9_000
    assert shop.count(processed_events, processed_events.c.status == "rejected") == 8


def test_an_unknown_product_is_applied_as_a_conflict(shop, make_sale, make_event):
    register = shop.enroll()
    payload = make_sale(register, [("P0001", "1", 349), ("GHOST", "2", 200)])
    (result,) = _push(shop, register, make_event(1, payload)).results
    assert (result.status.value, result.code) == ("conflict", "unknown_product")
    assert product_id_for_sku("GHOST") in result.message
    assert shop.count(sales) == 1
    assert _level(shop, "T01", "GHOST") == -2_000  # the goods left the shop
    stock_keys = {
        c["key"] for c in shop.pull_all(shop.client(register.token)) if c["entity"] == "stock"
    }
    assert stock_keys == {product_id_for_sku("P0001")}  # nothing a register could not place


def test_an_abandoned_sale_is_recorded(shop, make_event):
    register = shop.enroll()
    payload = {
        "abandoned_id": "01930000-0000-7000-8000-000000000001",
        "register_code": register.register_code,
        "cashier": "Ana",
        "at": "2026-11-25T10:30:00+01:00",
        "reason": "cliente sin dinero",
        "total_cents": 1234,
        "line_count": 3,
    }
    wrong = dict(payload, abandoned_id="x", register_code="C09")
    result = _push(
        shop,
        register,
        make_event(1, payload, "sale.abandoned"),
        make_event(2, wrong, "sale.abandoned"),
    )
    assert [(r.status.value, r.code) for r in result.results] == [
        ("applied", None),
        ("rejected", "wrong_store"),
    ]
    assert shop.scalar(select(abandoned_sales.c.reason)) == "cliente sin dinero"
    assert shop.count(abandoned_sales) == 1


def test_an_event_resent_by_a_register_enrolled_again_is_a_duplicate(shop, make_sale, make_event):
    register = shop.enroll()
    sent = make_event(1, make_sale(register, [("P0001", "1", 349)]))
    _push(shop, register, sent)
    reborn = shop.enroll(name="Caja (reinstalled)")
    (result,) = _push(shop, reborn, sent).results
    assert result.status.value == "duplicate"
    assert shop.count(sales) == 1


def test_a_database_failure_is_503_and_advances_nothing(shop, make_sale, make_event, monkeypatch):
    register = shop.enroll()
    first = make_event(1, make_sale(register, [("P0001", "1", 349)]))

    def database_away(*args, **kwargs):
        raise OperationalError("INSERT ...", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(push_service, "record_changes", database_away)
    response = shop.client(register.token).post("/v1/sync/push", json={"events": [first]})
    assert response.status_code == 503
    assert ErrorBody.model_validate(response.json()).code == "unavailable"
    assert _last_seq(shop, register) == 0
    assert shop.count(sales) == 0
    assert shop.count(processed_events) == 0

    monkeypatch.undo()
    assert [r.status.value for r in _push(shop, register, first).results] == ["applied"]
    assert shop.count(sales) == 1


def test_a_real_register_outbox_is_taken_as_the_register_wrote_it(shop, uow_factory, clock):
    """The register's own checkout and sync services and its HTTP client, against the backend:
    the payloads of pos_app.services.checkout are what the backend validates."""
    from stdnum import ean

    from pos_app.domain.money import Money
    from pos_app.services.checkout import CheckoutService
    from pos_app.services.ports import StoreIdentity
    from pos_app.services.sync import SyncService
    from sync.client import SyncClient

    register = shop.enroll()  # C01 of T01, as the register fixture's identity
    identity = StoreIdentity(
        store_code="T01",
        register_code=register.register_code,
        store_name="Ultramarinos La Plaza",
        tax_id="B12345678",
        address=("Calle Mayor 1", "28013 Madrid"),
    )
    checkout = CheckoutService(uow_factory, clock, identity, cashier="Ana")
    coffee = "841000000001" + ean.calc_check_digit("841000000001")
    tomato_456_g = "211234500456" + ean.calc_check_digit("211234500456")
    checkout.scan(coffee)
    checkout.scan(coffee)
    checkout.scan(tomato_456_g)
    checkout.add_cash(Money(2000))
    checkout.complete_sale()
    checkout.scan(coffee)
    checkout.abandon("se arrepiente")

    sync = SyncService(uow_factory, clock)
    events = sync.next_batch()
    # The sale's ticket is a record of the register's fiscal journal (issue 8): the backend
    # recomputes its hashes and links, and takes it as applied.
    assert [e.type for e in events] == ["sale.completed", "fiscal.recorded", "sale.abandoned"]
    with SyncClient(shop.base_url, register.token) as client:
        response = client.push(events)
        assert [r.status.value for r in response.results] == ["applied"] * 3, response.results
        assert sync.record_push(response).attention == 0
        assert client.push(events).results[0].status.value == "duplicate"
    assert _level(shop, "T01", "P0001") == 8_000
    assert _level(shop, "T01", "P0006") == -456
    assert shop.count(abandoned_sales) == 1
    assert shop.count(fiscal_records, fiscal_records.c.conflict.is_(None)) == 1


def test_text_a_database_cannot_store_is_a_rejection_not_a_crash(shop, make_sale, make_event):
    """PostgreSQL refuses NUL characters; no database takes a lone surrogate. Such an event is
    refused for good (so the queue goes on), on both engines alike."""
    register = shop.enroll()
    nul_id = make_event(1, make_sale(register, [("P0001", "1", 349)]))
    nul_id["event_id"] = "evil\u0000id"
    nul_payload = make_event(2, make_sale(register, [("P0001", "1", 349)], number=2))
    nul_payload["payload"]["cashier"] = "Ana\u0000"
    nul_payload["payload"]["extra"] = {"deep": ["x\u0000"]}
    good = make_event(4, make_sale(register, [("P0001", "1", 349)], number=4))
    body = (
        '{"events": ['
        + ",".join(json.dumps(e) for e in (nul_id, nul_payload))
        + ',{"seq": 3, "event_id": "s3", "type": "sale.completed",'
        ' "occurred_at": "2026-11-25T10:30:00+01:00", "payload": {"note": "\\udc00"}},'
        + json.dumps(good)
        + "]}"
    )
    client = shop.client(register.token)
    response = client.post(
        "/v1/sync/push", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(r["seq"], r["status"], r["code"]) for r in results] == [
        (1, "rejected", "invalid_payload"),
        (2, "rejected", "invalid_payload"),
        (3, "rejected", "invalid_payload"),
        (4, "applied", None),
    ]
    assert results[0]["event_id"] == "evil\u0000id"  # answered as sent
    again = client.post(
        "/v1/sync/push", content=body, headers={"content-type": "application/json"}
    ).json()
    assert [r["status"] for r in again["results"]] == ["duplicate"] * 4
    assert shop.count(sales) == 1
