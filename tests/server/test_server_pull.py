"""Pull: the change log after a cursor, in pages, only what the register's store may see; and
the stock look-up across stores."""

from __future__ import annotations

import json

from sqlalchemy import select
from stdnum import ean

from sync.protocol import Entity, ErrorBody, PullResponse, StockAvailability
from sync.server.services.catalog import product_id_for_sku
from sync.server.services.changelog import ChangeEntry, record_changes
from sync.server.tables import change_log, stock_levels


def ean13(digits: str) -> str:
    return digits + ean.calc_check_digit(digits)


def test_pull_pages_through_the_change_log_with_a_cursor(backend, tmp_path):
    backend.store("T01")
    backend.catalog(tmp_path)  # 3 tax rates, 2 categories, 4 products
    backend.set_stock("T01", "P0001", 5)
    register = backend.enroll()
    client = backend.client(register.token)

    pages: list[PullResponse] = []
    since = "0"
    while True:
        response = client.get("/v1/sync/pull", params={"since": since, "limit": 3})
        assert response.status_code == 200, response.text
        page = PullResponse.model_validate(response.json())
        pages.append(page)
        assert len(page.changes) <= 3
        since = page.cursor
        if not page.has_more:
            break
    changes = [c for page in pages for c in page.changes]
    seqs = [c.seq for c in changes]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert all(page.has_more for page in pages[:-1])
    assert [len(p.changes) for p in pages[:-1]] == [3] * (len(pages) - 1)
    kinds = [c.entity.value for c in changes]
    assert kinds.count("store") == 1
    assert kinds.count("tax_rate") == 3
    assert kinds.count("category") == 2
    assert kinds.count("product") == 4
    assert kinds.count("stock") == 1
    # The product comes before its stock; the data is what the register applies.
    product = next(c for c in changes if c.entity.value == "product" and c.data["sku"] == "P0002")
    assert product.key == product_id_for_sku("P0002")
    assert product.data == {
        "sku": "P0002",
        "name": "Leche entera 1 l",
        "category": "ALIM",
        "tax_class": "IVA4",
        "price_cents": 99,
        "measure": "unit",
        "barcodes": sorted([ean13("841000000002"), ean13("8419999")]),
        "active": True,
    }
    stock = next(c for c in changes if c.entity.value == "stock")
    assert stock.data == {"quantity": "5"}
    first_product = next(c for c in changes if c.key == product_id_for_sku("P0001"))
    assert first_product.seq < stock.seq

    # Nothing new: the same cursor, nothing more.
    again = PullResponse.model_validate(client.get("/v1/sync/pull", params={"since": since}).json())
    assert (again.changes, again.cursor, again.has_more) == ([], since, False)

    # A new change arrives after the cursor.
    backend.set_stock("T01", "P0001", 4)
    after = PullResponse.model_validate(client.get("/v1/sync/pull", params={"since": since}).json())
    assert [(c.entity.value, c.data) for c in after.changes] == [("stock", {"quantity": "4"})]
    assert int(after.cursor) > int(since)


def test_a_later_stock_level_replaces_the_earlier_change(backend, tmp_path):
    backend.store("T01")
    backend.catalog(tmp_path)
    for quantity in (5, 7, 2):
        backend.set_stock("T01", "P0001", quantity)
    key = product_id_for_sku("P0001")
    rows = backend.count(change_log, change_log.c.entity == "stock", change_log.c.key == key)
    assert rows == 1
    register = backend.enroll()
    stock = [c for c in backend.pull_all(backend.client(register.token)) if c["entity"] == "stock"]
    assert [c["data"]["quantity"] for c in stock] == ["2"]


def _log(database):
    with database.reading() as conn:
        return [
            (r.seq, r.entity, r.scope, r.key, json.loads(r.data))
            for r in conn.execute(
                select(
                    change_log.c.seq,
                    change_log.c.entity,
                    change_log.c.scope,
                    change_log.c.key,
                    change_log.c.data,
                ).order_by(change_log.c.seq)
            )
        ]


def test_stock_changes_of_several_stores_in_one_transaction_replace_only_their_own(database):
    with database.writing() as conn:
        record_changes(
            conn,
            [
                ChangeEntry(Entity.PRODUCT, "p1", {"name": "uno"}),
                ChangeEntry(Entity.STOCK, "p1", {"quantity": "1"}, scope="T01"),
                ChangeEntry(Entity.STOCK, "p1", {"quantity": "2"}, scope="T02"),
                ChangeEntry(Entity.STOCK, "p2", {"quantity": "3"}, scope="T01"),
                ChangeEntry(Entity.STOCK, "p2", {"quantity": "4"}, scope="T03"),
            ],
        )
    before = _log(database)
    with database.writing() as conn:
        given = record_changes(
            conn,
            [
                ChangeEntry(Entity.STOCK, "p1", {"quantity": "5"}, scope="T01"),
                ChangeEntry(Entity.STOCK, "p2", {"quantity": "6"}, scope="T03"),
                ChangeEntry(Entity.STOCK, "p2", {"quantity": "7"}, scope="T03"),  # last one wins
                ChangeEntry(Entity.STOCK, "p3", {"quantity": "8"}, scope="T02"),
                ChangeEntry(Entity.PRODUCT, "p1", {"name": "uno bis"}),  # never compacted
            ],
        )
    assert given == range(before[-1][0] + 1, before[-1][0] + 5)
    kept = [row for row in before if (row[2], row[3]) not in {("T01", "p1"), ("T03", "p2")}]
    assert _log(database) == [
        *kept,
        (given[0], "stock", "T01", "p1", {"quantity": "5"}),
        (given[1], "stock", "T03", "p2", {"quantity": "7"}),
        (given[2], "stock", "T02", "p3", {"quantity": "8"}),
        (given[3], "product", "", "p1", {"name": "uno bis"}),
    ]


def test_a_transaction_with_thousands_of_stock_changes_keeps_one_row_each(database):
    keys = [f"p{i:04d}" for i in range(1200)]  # more pairs than one slice on SQLite
    for quantity in ("1", "2"):
        with database.writing() as conn:
            given = record_changes(
                conn,
                [
                    ChangeEntry(Entity.STOCK, key, {"quantity": quantity}, scope=scope)
                    for scope in ("T01", "T02")
                    for key in keys
                ],
            )
    rows = _log(database)
    assert len(rows) == 2 * len(keys)
    assert [row[0] for row in rows] == list(given)
    assert {row[4]["quantity"] for row in rows} == {"2"}


def test_a_store_never_sees_another_stores_stock_or_identity(
    backend, tmp_path, make_sale, make_event
):
    backend.store("T01")
    backend.store("T02")
    backend.catalog(tmp_path)
    backend.set_stock("T01", "P0001", 10)
    backend.set_stock("T02", "P0001", 20)
    backend.set_stock("T02", "P0003", 30)
    a = backend.enroll("T01")
    b = backend.enroll("T02")

    seen_by_a = backend.pull_all(backend.client(a.token))
    seen_by_b = backend.pull_all(backend.client(b.token))
    assert [c["data"]["quantity"] for c in seen_by_a if c["entity"] == "stock"] == ["10"]
    assert sorted(c["data"]["quantity"] for c in seen_by_b if c["entity"] == "stock") == [
        "20",
        "30",
    ]
    assert [c["key"] for c in seen_by_a if c["entity"] == "store"] == ["T01"]
    assert [c["key"] for c in seen_by_b if c["entity"] == "store"] == ["T02"]
    # Both see the whole catalog.
    assert sum(c["entity"] == "product" for c in seen_by_a) == 4
    assert sum(c["entity"] == "product" for c in seen_by_b) == 4

    # B cannot push a sale claiming to be A's store (nor A's register).
    forged = make_sale(b, [("P0001", "3", 1047)], store_code="T01")
    forged["register_code"] = a.register_code
    response = backend.client(b.token).post(
        "/v1/sync/push", json={"events": [make_event(1, forged)]}
    )
    (result,) = response.json()["results"]
    assert (result["status"], result["code"]) == ("rejected", "wrong_store")
    level_a = backend.scalar(
        select(stock_levels.c.quantity_milli).where(
            stock_levels.c.store_code == "T01",
            stock_levels.c.product_id == product_id_for_sku("P0001"),
        )
    )
    assert level_a == 10_000
    # B's own sales move B's stock, which A never pulls.
    own = make_sale(b, [("P0001", "1", 349)], number=2)
    backend.client(b.token).post("/v1/sync/push", json={"events": [make_event(2, own)]})
    later = backend.pull_all(backend.client(a.token))
    assert [c["data"]["quantity"] for c in later if c["entity"] == "stock"] == ["10"]


def test_a_cursor_from_another_database_is_409(backend):
    backend.store()
    register = backend.enroll()
    response = backend.client(register.token).get("/v1/sync/pull", params={"since": "999999"})
    assert response.status_code == 409
    body = ErrorBody.model_validate(response.json())
    assert body.code == "cursor_ahead"


def test_stock_look_up_shows_every_store_and_404_for_an_unknown_sku(backend, tmp_path):
    backend.store("T01", "Centro")
    backend.store("T02", "Playa")
    backend.catalog(tmp_path)
    backend.set_stock("T02", "P0006", "2.5")
    register = backend.enroll("T01")
    client = backend.client(register.token)
    response = client.get("/v1/stock/P0006")
    assert response.status_code == 200, response.text
    availability = StockAvailability.model_validate(response.json())
    assert availability.product_id == product_id_for_sku("P0006")
    assert [(s.store_code, s.store_name, s.quantity) for s in availability.stores] == [
        ("T01", "Centro", "0"),
        ("T02", "Playa", "2.5"),
    ]
    missing = client.get("/v1/stock/NOPE")
    assert missing.status_code == 404
    assert ErrorBody.model_validate(missing.json()).code == "not_found"
