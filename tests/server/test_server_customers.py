"""One customer in every channel, through the real HTTP app: registers create and edit
customers (merged field by field, the later (time, register) winning), suspected duplicates are
flagged, look-ups find them by phone, email, name or card, a store that reads one keeps
receiving them, the history gathers every channel, and an erased customer vanishes from every
register while their sales stay."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from pos_app.domain.ids import new_id
from sync.protocol import (
    CustomerData,
    CustomerHistory,
    CustomerSearchResult,
    OutboxEvent,
    PushResponse,
    ReturnableView,
)
from sync.server.cli import main
from sync.server.core.security import hash_token
from sync.server.services import push as push_service
from sync.server.services.customers import normalize_name, normalize_phone
from sync.server.services.orders import create_channel_key
from sync.server.tables import (
    change_log,
    customer_duplicates,
    customer_stores,
    customers,
    pickup_orders,
    returns,
    sales,
)

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def shop(backend, tmp_path):
    backend.store("T01")
    backend.store("T02")
    backend.catalog(tmp_path)
    backend.set_stock("T01", "P0001", 10)
    backend.set_stock("T01", "P0003", 10)
    with backend.database.writing() as conn:
        backend.web_key = create_channel_key(conn, "web")
    return backend


class _Pusher:
    """A register's outbox: each push takes the next sequence numbers."""

    def __init__(self, shop, register, make_event):
        self.shop, self.register, self.make_event, self.seq = shop, register, make_event, 0
        self.messages: list[str | None] = []

    def __call__(self, *payloads):
        events = []
        for payload in payloads:
            self.seq += 1
            if "fields" in payload:
                kind = "customer.upserted"
            elif "return_id" in payload:
                kind = "return.completed"
            elif "to_status" in payload:
                kind = "pickup.transition"
            else:
                kind = "sale.completed"
            events.append(self.make_event(self.seq, payload, kind))
        response = self.shop.client(self.register.token).post(
            "/v1/sync/push", json={"events": events}
        )
        assert response.status_code == 200, response.text
        results = PushResponse.model_validate(response.json()).results
        self.messages = [r.message for r in results]
        return [(r.status.value, r.code) for r in results]


def _upsert(register, customer_id, at, *, created=False, **fields):
    return {
        "customer_id": customer_id,
        "store_code": register.store_code,
        "register_code": register.register_code,
        "cashier": "Ana",
        "changed_at": at.isoformat(),
        "created": created,
        "fields": fields,
    }


def _new(register, at=T0, **fields):
    """A customer created at ``register``: their id and the upsert."""
    customer_id = new_id()
    fields = {"name": "Lucía Pérez", "privacy_consent": True, **fields}
    return customer_id, _upsert(register, customer_id, at, created=True, **fields)


def _customer_changes(shop, register, customer_id=None):
    changes = shop.pull_all(shop.client(register.token))
    return [
        c
        for c in changes
        if c["entity"] == "customer" and (customer_id is None or c["key"] == customer_id)
    ]


def _get(shop, token, path, **params):
    response = shop.client(token).get(path, params=params)
    return response


def _search(shop, token, q) -> list[CustomerData]:
    response = _get(shop, token, "/v1/customers", q=q)
    assert response.status_code == 200, response.text
    return CustomerSearchResult.model_validate(response.json()).customers


# --- create, merge, publish ----------------------------------------------------------------------


def test_a_customer_created_at_a_register_is_stored_and_sent_to_its_store_only(shop, make_event):
    t01, t01b, t02 = shop.enroll("T01"), shop.enroll("T01", "Caja 2"), shop.enroll("T02")
    customer_id, upsert = _new(
        t01, phone="+34 600 111 222", email="Lucia@Example.com", marketing_consent=False
    )
    assert _Pusher(shop, t01, make_event)(upsert) == [("applied", None)]

    (change,) = _customer_changes(shop, t01b, customer_id)
    data = CustomerData.model_validate(change["data"])
    assert (data.name, data.phone, data.email, data.privacy_consent) == (
        "Lucía Pérez",
        "+34 600 111 222",
        "Lucia@Example.com",
        True,
    )
    assert (data.created_where, data.possible_duplicate) == (f"T01/{t01.register_code}", False)
    assert _customer_changes(shop, t02) == []  # T02 does not need them (yet)
    row = shop.scalar(select(customers.c.phone_norm).where(customers.c.id == customer_id))
    assert row == "600111222"


def test_edits_merge_field_by_field_and_the_later_one_wins_on_the_same_field(shop, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T01", "Caja 2")
    at_1, at_2 = _Pusher(shop, t01, make_event), _Pusher(shop, t02, make_event)
    customer_id, upsert = _new(t01, phone="600111222")
    assert at_1(upsert) == [("applied", None)]

    # Offline: register 1 changes the email at 10:00 and the phone at 10:05; register 2 the
    # phone at 10:02 and the loyalty card. Register 1 arrives first.
    at_1_edits = [
        _upsert(t01, customer_id, T0 + timedelta(hours=1), email="lucia@example.com"),
        _upsert(t01, customer_id, T0 + timedelta(hours=1, minutes=5), phone="611000001"),
    ]
    assert at_1(*at_1_edits) == [("applied", None), ("applied", None)]
    late = _upsert(
        t02, customer_id, T0 + timedelta(hours=1, minutes=2), phone="622000002", loyalty_card="C-77"
    )
    assert at_2(late) == [("applied", None)]

    (data,) = _search(shop, t01.token, "C-77")
    assert (data.email, data.phone, data.loyalty_card) == (
        "lucia@example.com",
        "611000001",  # 10:05 beats 10:02, whichever arrived first
        "C-77",
    )
    # Every register of the store ends with the merged customer (the last change of them).
    last = _customer_changes(shop, t02, customer_id)[-1]
    assert CustomerData.model_validate(last["data"]) == data


def test_a_new_customer_needs_a_name_and_consent_and_a_bad_payload_is_rejected(shop, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    pusher = _Pusher(shop, t01, make_event)
    no_consent = _upsert(t01, new_id(), T0, created=True, name="Sin Permiso")
    malformed = _upsert(t01, new_id(), T0, created=True, name="", privacy_consent=True)
    someone_else = _upsert(t02, new_id(), T0, created=True, name="Otro", privacy_consent=True)
    assert pusher(no_consent, malformed, someone_else) == [
        ("rejected", "invalid_payload"),
        ("rejected", "invalid_payload"),
        ("rejected", "wrong_store"),
    ]
    assert "privacy consent" in (pusher.messages[0] or "")
    assert shop.count(customers) == 0  # nothing kept, not even a placeholder


def test_the_same_email_as_another_customer_is_flagged_never_merged(shop, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    first, upsert = _new(t01, email="lucia@example.com")
    assert _Pusher(shop, t01, make_event)(upsert) == [("applied", None)]
    second, upsert = _new(t02, at=T0 + timedelta(days=1), email=" LUCIA@example.com ")
    assert _Pusher(shop, t02, make_event)(upsert) == [("applied", None)]

    assert shop.count(customers, customers.c.erased_at.is_(None)) == 2
    with shop.database.reading() as conn:
        flags = conn.execute(
            select(
                customer_duplicates.c.customer_id,
                customer_duplicates.c.other_id,
                customer_duplicates.c.reason,
            )
        ).all()
    assert [tuple(f) for f in flags] == [(*sorted((first, second)), "email")]
    (change,) = _customer_changes(shop, t02, second)
    assert change["data"]["possible_duplicate"] is True
    # The first one's store is told too (its row was not in this push: on the next look-up).
    found = {c.customer_id: c.possible_duplicate for c in _search(shop, t01.token, "lucia@")}
    assert found == {first: True, second: True}


# --- look-ups -----------------------------------------------------------------------------------


def test_customers_are_found_by_phone_email_name_words_or_card_best_first(shop, make_event):
    t01 = shop.enroll("T01")
    pusher = _Pusher(shop, t01, make_event)
    lucia, a = _new(t01, phone="+34 600 111 222", email="lucia@example.com", loyalty_card="9001")
    jose, b = _new(t01, name="José Luis Núñez", phone="600999888", email="jl@correo.es")
    luis, c = _new(t01, name="Luis Ortega", phone="611222333")
    assert pusher(a, b, c) == [("applied", None)] * 3

    def ids(q):
        return [found.customer_id for found in _search(shop, t01.token, q)]

    assert ids("600 11 12 22") == [lucia]
    assert ids("0034600111222") == [lucia]
    assert ids("LUCIA@example.com") == [lucia]
    assert ids("9001") == [lucia]
    assert ids("jose nunez") == [jose]
    assert ids("Luis") == [luis, jose]  # a name starting with it first
    assert ids("zzz") == []
    short = _get(shop, t01.token, "/v1/customers", q="a")
    assert (short.status_code, short.json()["code"]) == (422, "invalid")
    anonymous = shop.client().get("/v1/customers", params={"q": "Luis"})
    assert anonymous.status_code == 401
    # A channel finds them too.
    assert [c.customer_id for c in _search(shop, shop.web_key, "611222333")] == [luis]


def test_a_store_that_reads_a_customer_keeps_them_and_receives_later_edits(shop, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    customer_id, upsert = _new(t01, phone="600111222")
    at_t01 = _Pusher(shop, t01, make_event)
    assert at_t01(upsert) == [("applied", None)]
    assert _customer_changes(shop, t02, customer_id) == []

    response = _get(shop, t02.token, f"/v1/customers/{customer_id}")
    assert response.status_code == 200, response.text
    assert CustomerData.model_validate(response.json()).name == "Lucía Pérez"
    assert len(_customer_changes(shop, t02, customer_id)) == 1
    assert shop.count(customer_stores, customer_stores.c.customer_id == customer_id) == 2

    assert at_t01(_upsert(t01, customer_id, T0 + timedelta(hours=2), name="Lucía Pérez Gil")) == [
        ("applied", None)
    ]
    last = _customer_changes(shop, t02, customer_id)[-1]
    assert last["data"]["name"] == "Lucía Pérez Gil"

    missing = _get(shop, t02.token, f"/v1/customers/{new_id()}")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


# --- history --------------------------------------------------------------------------------------


def _handover(register, order):
    return {
        "order_id": order["order_id"],
        "number": order["number"],
        "register_code": register.register_code,
        "cashier": "Luis",
        "at": datetime(2026, 11, 26, 11, 0, tzinfo=UTC).isoformat(),
        "to_status": "collected",
        "base_version": order["version"],
        "lines": [],
    }


def _return_of(register, sale, *, number=1, customer_id=None):
    line = sale["lines"][0]
    cents = line["total_cents"]
    payload = {
        "return_id": new_id(),
        "return_number": f"{register.store_code}-{register.register_code}-D-{number:06d}",
        "store_code": register.store_code,
        "register_code": register.register_code,
        "cashier": "Ana",
        "completed_at": datetime(2026, 11, 27, 12, 0, tzinfo=UTC).isoformat(),
        "currency": "EUR",
        "original_kind": "sale",
        "original_reference": sale["receipt_number"],
        "original_id": sale["sale_id"],
        "checked": True,
        "total_cents": cents,
        "tax_cents": line["tax_cents"],
        "lines": [
            {
                "line_no": 1,
                "original_line_no": 1,
                "product_id": line["product_id"],
                "sku": line["sku"],
                "name": line["name"],
                "quantity": line["quantity"],
                "unit_refund_cents": cents,
                "refund_cents": cents,
                "tax_class": line["tax_class"],
                "tax_rate": line["tax_rate"],
                "base_cents": line["base_cents"],
                "tax_cents": line["tax_cents"],
                "reason": "talla",
                "disposition": "sellable",
            }
        ],
        "refunds": [{"refund_id": new_id(), "kind": "card", "amount_cents": cents}],
    }
    if customer_id:
        payload["customer_id"] = customer_id
    return payload


def test_the_history_gathers_sales_web_orders_and_returns_from_every_channel(
    shop, make_sale, make_event
):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    at_t01, at_t02 = _Pusher(shop, t01, make_event), _Pusher(shop, t02, make_event)
    customer_id, upsert = _new(t02, email="lucia@example.com", phone="600111222")
    assert at_t02(upsert) == [("applied", None)]

    # A sale at T01 (which did not know her: it is sent to T01 now).
    sale = make_sale(t01, [("P0001", "2", 698), ("P0003", "1", 1210)], number=1)
    sale["lines"][0]["name"], sale["lines"][1]["name"] = "Camiseta", "Pantalón"
    sale["customer_id"] = customer_id
    assert at_t01(sale) == [("applied", None)]
    assert len(_customer_changes(shop, t01, customer_id)) == 1
    assert shop.scalar(select(sales.c.customer_id).where(sales.c.id == sale["sale_id"])) == (
        customer_id
    )

    # A web order with the same email (other case): the same customer, collected at T01.
    created = shop.client(shop.web_key).post(
        "/v1/orders",
        json={
            "channel": "web",
            "store_code": "T01",
            "customer": {"name": "Lucía P.", "email": "LUCIA@example.com"},
            "lines": [{"sku": "P0003", "quantity": "1"}],
            "paid_online": True,
        },
    )
    assert created.status_code == 201, created.text
    order = created.json()["order"]
    assert order["customer_id"] == customer_id
    assert shop.count(customers) == 1
    assert at_t01(_handover(t01, order)) == [("applied", None)]
    view = shop.client(t02.token).get(f"/v1/returnable/{order['number']}")
    assert ReturnableView.model_validate(view.json()).customer_id == customer_id

    # A return of the sale at T02, which does not name her: still in her history.
    ret = _return_of(t02, sale)
    assert at_t02(ret)[0][0] in ("applied", "conflict")

    response = _get(shop, t01.token, f"/v1/customers/{customer_id}/history")
    assert response.status_code == 200, response.text
    history = CustomerHistory.model_validate(response.json())
    assert history.customer.customer_id == customer_id
    summary = [
        (e.kind, e.reference, e.store_code, e.channel, e.total_cents, e.status, e.summary)
        for e in history.entries
    ]
    assert summary == [
        ("return", ret["return_number"], "T02", "store", 698, "", "2 artículos: Camiseta"),
        (
            "web_order",
            order["number"],
            "T01",
            "web",
            1210,
            "collected",
            "1 artículo: Jabón de manos 500 ml",
        ),
        (
            "sale",
            sale["receipt_number"],
            "T01",
            "store",
            1908,
            "",
            "3 artículos: Camiseta, Pantalón",
        ),
    ]
    returnable = shop.client(t02.token).get(f"/v1/returnable/{sale['receipt_number']}")
    assert returnable.json()["customer_id"] == customer_id


def test_a_return_naming_the_customer_joins_their_history(shop, make_sale, make_event):
    t01 = shop.enroll("T01")
    pusher = _Pusher(shop, t01, make_event)
    customer_id, upsert = _new(t01)
    sale = make_sale(t01, [("P0001", "1", 349)], number=1)  # a sale without the customer
    ret = _return_of(t01, sale, customer_id=customer_id)
    assert pusher(upsert, sale, ret)[:2] == [("applied", None), ("applied", None)]
    assert shop.scalar(select(returns.c.customer_id).where(returns.c.id == ret["return_id"])) == (
        customer_id
    )
    history = CustomerHistory.model_validate(
        _get(shop, t01.token, f"/v1/customers/{customer_id}/history").json()
    )
    assert [(e.kind, e.reference) for e in history.entries] == [("return", ret["return_number"])]


# --- erasure --------------------------------------------------------------------------------------


def test_an_erased_customer_vanishes_everywhere_and_their_sales_stay(shop, make_sale, make_event):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    pusher = _Pusher(shop, t01, make_event)
    customer_id, upsert = _new(t01, phone="600111222", email="lucia@example.com")
    sale = make_sale(t01, [("P0001", "1", 349)], number=1)
    sale["customer_id"] = customer_id
    assert pusher(upsert, sale) == [("applied", None), ("applied", None)]
    assert _get(shop, t02.token, f"/v1/customers/{customer_id}").status_code == 200

    refused = shop.client(t01.token).post(f"/v1/customers/{customer_id}/erase")
    assert refused.status_code == 401
    erased = shop.client(shop.web_key).post(f"/v1/customers/{customer_id}/erase")
    assert erased.status_code == 204, erased.text

    for register in (t01, t02):
        changes = _customer_changes(shop, register, customer_id)
        assert [(c["op"], c["data"]) for c in changes] == [("delete", {})]  # no personal data
    with shop.database.reading() as conn:
        row = conn.execute(select(customers).where(customers.c.id == customer_id)).one()
        logged = conn.execute(
            select(change_log.c.data).where(change_log.c.key == customer_id)
        ).scalars()
        assert all("600111222" not in text for text in logged)
    assert (row.name, row.phone, row.email, row.phone_norm) == ("", "", "", "")
    assert row.erased_at is not None
    assert _search(shop, t01.token, "600111222") == []
    assert _get(shop, t01.token, f"/v1/customers/{customer_id}").status_code == 404
    assert shop.client(shop.web_key).post(f"/v1/customers/{customer_id}/erase").status_code == 404

    # An edit made offline meanwhile is refused; a sale naming them is still taken (a fact).
    late = _upsert(t01, customer_id, T0 + timedelta(days=1), name="Lucía")
    later_sale = make_sale(t01, [("P0001", "1", 349)], number=2)
    later_sale["customer_id"] = customer_id
    assert pusher(late, later_sale) == [("rejected", "customer_erased"), ("applied", None)]
    assert shop.count(sales, sales.c.customer_id == customer_id) == 2
    assert shop.count(customer_stores, customer_stores.c.customer_id == customer_id) == 0


def test_a_sale_naming_an_unknown_customer_is_taken_with_the_id(shop, make_sale, make_event):
    t01 = shop.enroll("T01")
    sale = make_sale(t01, [("P0001", "1", 349)], number=1)
    sale["customer_id"] = "not-a-customer-yet"
    assert _Pusher(shop, t01, make_event)(sale) == [("applied", None)]
    assert shop.scalar(select(sales.c.customer_id)) == "not-a-customer-yet"
    assert shop.count(customers) == 0


# --- web orders ----------------------------------------------------------------------------------


def test_a_web_order_makes_or_finds_the_customer_and_their_store_receives_them(shop):
    t01 = shop.enroll("T01")
    body = {
        "channel": "web",
        "store_code": "T01",
        "customer": {"name": "Jorge Núñez", "phone": "+34 600 333 444", "email": ""},
        "lines": [{"sku": "P0001", "quantity": "1"}],
        "paid_online": False,
    }
    first = shop.client(shop.web_key).post("/v1/orders", json=body)
    assert first.status_code == 201, first.text
    customer_id = first.json()["order"]["customer_id"]
    body["customer"] = {"name": "Jorge", "phone": "600333444", "email": "jorge@example.com"}
    second = shop.client(shop.web_key).post("/v1/orders", json=body)
    assert second.json()["order"]["customer_id"] == customer_id  # matched by phone

    data = CustomerData.model_validate(_customer_changes(shop, t01, customer_id)[-1]["data"])
    assert (data.name, data.email, data.created_where, data.privacy_consent) == (
        "Jorge Núñez",  # kept: typed first
        "jorge@example.com",  # was empty: filled from the second order
        "web",
        True,
    )
    assert shop.count(pickup_orders, pickup_orders.c.customer_id == customer_id) == 2


# --- the command line ----------------------------------------------------------------------------


def _cli(capsys, database_url, *args):
    code = main([*args, "--database", database_url])
    out, err = capsys.readouterr()
    return code, out, err


def test_it_lists_merges_and_erases_customers_from_the_command_line(
    shop, database_url, make_sale, make_event, capsys
):
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    keep, a = _new(t01, name="Lucía Pérez", email="lucia@example.com")
    other, b = _new(t02, at=T0 + timedelta(days=1), name="Lucia P", email="lucia@example.com")
    b["fields"]["phone"] = "600111222"
    sale = make_sale(t02, [("P0001", "1", 349)], number=1)
    sale["customer_id"] = other
    assert _Pusher(shop, t01, make_event)(a) == [("applied", None)]
    assert _Pusher(shop, t02, make_event)(b, sale) == [("applied", None), ("applied", None)]

    code, out, _ = _cli(capsys, database_url, "customers", "lucia")
    assert code == 0
    assert out.splitlines()[0].split() == [
        "ID", "NAME", "PHONE", "EMAIL", "CARD", "CREATED", "DUPLICATE?",
    ]  # fmt: skip
    assert keep in out and other in out

    code, out, _ = _cli(capsys, database_url, "customer-duplicates")
    assert code == 0 and "email" in out and keep in out and other in out

    code, out, _ = _cli(capsys, database_url, "merge-customers", keep, other)
    assert (code, out) == (0, f"customer {other} merged into {keep} (Lucía Pérez)\n")
    kept = _search(shop, t02.token, "600111222")
    assert [(c.customer_id, c.phone, c.possible_duplicate) for c in kept] == [
        (keep, "600111222", False)
    ]
    assert shop.count(sales, sales.c.customer_id == keep) == 1
    assert [c["op"] for c in _customer_changes(shop, t02, other)][-1] == "delete"
    assert _customer_changes(shop, t02, keep)[-1]["data"]["phone"] == "600111222"
    assert _cli(capsys, database_url, "customer-duplicates")[1] == "no suspected duplicates\n"

    code, out, _ = _cli(capsys, database_url, "erase-customer", keep)
    assert code == 0 and "erased" in out
    code, _, err = _cli(capsys, database_url, "erase-customer", keep)
    assert code == 2 and err.startswith("mostrador-server: error: ") and "Traceback" not in err
    assert _cli(capsys, database_url, "customers", "lucia")[1] == "no customers\n"
    code, _, err = _cli(capsys, database_url, "customers", "x")
    assert code == 2 and "at least 2" in err


# --- pure helpers ---------------------------------------------------------------------------------


def test_search_keys_are_normalized():
    assert normalize_phone("+34 600-11 12 22") == "600111222"
    assert normalize_phone("0034 600111222") == "600111222"
    assert normalize_phone("+44 20 7946 0958") == "442079460958"
    assert normalize_name("  José   NÚÑEZ ") == "jose nunez"


# --- concurrency ---------------------------------------------------------------------------------


def test_two_registers_pushing_the_same_customer_at_once_never_deadlock(
    shop, make_event, database_url
):
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent writers: PostgreSQL only")
    t01, t02 = shop.enroll("T01"), shop.enroll("T02")
    ids = sorted(new_id() for _ in range(4))
    rounds = 15
    answers: dict[str, list] = {t01.device_id: [], t02.device_id: []}
    start = threading.Barrier(2)

    def register(reg, order):
        start.wait()
        for i in range(rounds):
            at = T0 + timedelta(minutes=i)
            payloads = [
                _upsert(
                    reg,
                    cid,
                    at,
                    created=(i == 0),
                    name=f"{reg.store_code} {i}",
                    privacy_consent=True,
                    phone=f"6000000{k:02d}",
                )  # fmt: skip
                for k, cid in enumerate(order)
            ]
            events = [
                OutboxEvent.model_validate(
                    make_event(i * len(order) + n + 1, p, "customer.upserted")
                )
                for n, p in enumerate(payloads)
            ]
            push = push_service._Push(
                tuple(push_service.prepare(e) for e in events), token_hash=hash_token(reg.token)
            )
            answers[reg.device_id].extend(push_service.take_pushes(shop.database, [push]))

    threads = [
        threading.Thread(target=register, args=(t01, ids)),
        threading.Thread(target=register, args=(t02, list(reversed(ids)))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for device, got in answers.items():
        assert len(got) == rounds, device
        for answer in got:
            assert isinstance(answer, PushResponse), answer
            assert {r.status.value for r in answer.results} == {"applied"}
    # Both registers wrote every customer at the same times: T02/... is later than T01/...
    # on every equal time, so T02's last name wins everywhere.
    with shop.database.reading() as conn:
        names = conn.execute(select(customers.c.name).order_by(customers.c.id)).scalars().all()
    assert names == [f"T02 {rounds - 1}"] * 4
    assert shop.count(customer_stores) == 8
