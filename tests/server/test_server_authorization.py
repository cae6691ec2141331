"""Authorization: a register's token reaches its own store's data and nothing else.

- A token of store A never pulls store B's identity or stock, before or after B changes them.
- It cannot write B's data: a sale naming B is refused (``wrong_store``) and moves nothing of
  B's; its own events never touch B's sequence.
- No token, a malformed one, an unknown one, a replaced one and a revoked one are refused on
  every endpoint that needs one, and a refused push writes nothing.

By design (sync/README.md, "Security notes"), ``GET /v1/stock/{sku}`` shows every store's level
of one product, so that a register can send a customer elsewhere: that is tested in
``test_server_pull.py`` and is not a leak.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sync.protocol import ErrorBody, PushResponse
from sync.server.services.catalog import product_id_for_sku
from sync.server.services.registers import revoke_register
from sync.server.tables import abandoned_sales, devices, processed_events, sales, stock_levels


@pytest.fixture
def two_stores(backend, tmp_path):
    backend.store("T01", "Centro")
    backend.store("T02", "Playa")
    backend.catalog(tmp_path)
    backend.set_stock("T01", "P0001", 10)
    backend.set_stock("T02", "P0001", 20)
    backend.set_stock("T02", "P0003", 30)
    return backend


def _level(backend, store: str, sku: str) -> int | None:
    return backend.scalar(
        select(stock_levels.c.quantity_milli).where(
            stock_levels.c.store_code == store,
            stock_levels.c.product_id == product_id_for_sku(sku),
        )
    )


def _seen(changes: list[dict]) -> set[tuple[str, str]]:
    return {(c["entity"], c["key"]) for c in changes if c["entity"] in ("store", "stock")}


def test_a_token_of_store_a_never_pulls_store_b_data(two_stores, make_sale, make_event):
    backend = two_stores
    a = backend.enroll("T01", "Caja A")
    b = backend.enroll("T02", "Caja B")
    client_a = backend.client(a.token)

    first = backend.pull_all(client_a)
    own = {("store", "T01"), ("stock", product_id_for_sku("P0001"))}
    assert _seen(first) == own
    assert [c["data"]["quantity"] for c in first if c["entity"] == "stock"] == ["10"]

    # B's store and stock change: B sells, IT renames B and counts its stock.
    pushed = backend.client(b.token).post(
        "/v1/sync/push",
        json={"events": [make_event(1, make_sale(b, [("P0003", "2", 2420)]))]},
    )
    assert pushed.status_code == 200 and pushed.json()["results"][0]["status"] == "applied"
    backend.store("T02", "Playa (reformada)")
    backend.set_stock("T02", "P0006", 5)

    # From any cursor, A sees none of it.
    for since in ("0", str(max(c["seq"] for c in first))):
        later = backend.pull_all(client_a, since=since)
        assert _seen(later) <= own, since
        assert all("Playa" not in str(c["data"]) for c in later), since


def test_a_token_of_store_a_cannot_write_store_b_data(two_stores, make_sale, make_event):
    backend = two_stores
    a = backend.enroll("T01", "Caja A")
    b = backend.enroll("T02", "Caja B")
    client_a = backend.client(a.token)
    levels = {
        (s, sku): _level(backend, s, sku) for s in ("T01", "T02") for sku in ("P0001", "P0003")
    }

    forged_store = make_sale(a, [("P0001", "3", 1047)], number=1, store_code="T02")
    forged_both = make_sale(a, [("P0003", "1", 1210)], number=2, store_code="T02")
    forged_both["register_code"] = b.register_code
    forged_register = make_sale(a, [("P0001", "1", 349)], number=3)
    forged_register["register_code"] = "C09"
    response = client_a.post(
        "/v1/sync/push",
        json={
            "events": [
                make_event(1, forged_store),
                make_event(2, forged_both),
                make_event(3, forged_register),
            ]
        },
    )
    assert response.status_code == 200, response.text
    answer = PushResponse.model_validate(response.json())
    assert [(r.status.value, r.code) for r in answer.results] == [("rejected", "wrong_store")] * 3
    assert backend.count(sales) == 0
    assert backend.count(abandoned_sales) == 0
    assert {k: _level(backend, *k) for k in levels} == levels

    # A's events are A's: its sequence never touches B's, whose seq 1 is still free.
    assert backend.scalar(select(devices.c.last_seq).where(devices.c.id == b.device_id)) == 0
    own = backend.client(b.token).post(
        "/v1/sync/push", json={"events": [make_event(1, make_sale(b, [("P0003", "1", 1210)]))]}
    )
    assert [r["status"] for r in own.json()["results"]] == ["applied"]
    assert _level(backend, "T02", "P0003") == 29_000
    assert _level(backend, "T01", "P0003") is None


def _requests(make_sale, make_event, register):
    event = make_event(1, make_sale(register, [("P0001", "1", 349)]))
    return [
        ("GET", "/v1/sync/pull", {}),
        ("POST", "/v1/sync/push", {"json": {"events": [event]}}),
        ("GET", "/v1/stock/P0001", {}),
    ]


def test_missing_malformed_unknown_replaced_and_revoked_tokens_are_refused_everywhere(
    two_stores, make_sale, make_event
):
    backend = two_stores
    replaced = backend.enroll("T01", "Caja vieja")
    again = backend.client().post(
        "/v1/enroll",
        json={
            "code": backend.code("T01"),
            "register_name": "Caja",
            "device_id": replaced.device_id,
        },
    )
    assert again.status_code == 201
    revoked = backend.enroll("T01", "Caja dada de baja")
    with backend.database.writing() as conn:
        revoke_register(conn, revoked.device_id)

    bare = backend.client()
    cases = {
        "no header": ({}, "unauthorized"),
        "bare scheme": ({"Authorization": "Bearer"}, "unauthorized"),
        "another scheme": ({"Authorization": f"Basic {replaced.token}"}, "unauthorized"),
        "unknown token": ({"Authorization": "Bearer " + "x" * 43}, "unauthorized"),
        "replaced token": ({"Authorization": f"Bearer {replaced.token}"}, "unauthorized"),
        "revoked token": ({"Authorization": f"Bearer {revoked.token}"}, "revoked"),
    }
    for name, (headers, code) in cases.items():
        for method, path, body in _requests(make_sale, make_event, revoked):
            response = bare.request(method, path, headers=headers, **body)
            assert response.status_code == 401, (name, path, response.text)
            error = ErrorBody.model_validate(response.json())
            assert error.code == code, (name, path)
            if code == "revoked":
                assert "revoked on" in error.message
    assert backend.count(sales) == 0
    assert backend.count(processed_events) == 0
