"""Pulled changes applied by batch (pos_app/storage/change_apply.py) on a real SQLite file: the
catalog, the barcodes, the stock and the name index end as the changes say, whatever mix of
entities, repeats and renames a page holds."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from support import COFFEE, MILK, MILK_EAN8, SOAP, ean13, pid

from pos_app.storage import product_index
from pos_app.storage.change_apply import apply_changes
from pos_app.storage.db import integrity_check
from sync.protocol import Change, ChangeOp, Entity

NEW_A = ean13("841000000081")
NEW_B = ean13("841000000082")


def product(seq, sku, name, *, barcodes, price=100, active=True):
    return Change(
        seq=seq,
        entity=Entity.PRODUCT,
        op=ChangeOp.UPSERT,
        key=pid(sku),
        data={
            "sku": sku,
            "name": name,
            "category": "ALIM",
            "tax_class": "IVA10",
            "price_cents": price,
            "measure": "unit",
            "barcodes": list(barcodes),
            "active": active,
        },
    )


def stock(seq, sku, quantity):
    return Change(
        seq=seq, entity=Entity.STOCK, op=ChangeOp.UPSERT, key=pid(sku), data={"quantity": quantity}
    )


def apply(engine, changes):
    with engine.begin() as conn:
        return apply_changes(conn, changes)


def search(uow_factory, words):
    with uow_factory.reader() as uow:
        return [p.sku for p in uow.catalog.search(words, limit=50)]


def find(uow_factory, code):
    with uow_factory.reader() as uow:
        found = uow.catalog.find_by_barcode(code)
    return None if found is None else (found.sku, found.name, found.price.cents)


def level(uow_factory, sku):
    with uow_factory.reader() as uow:
        return uow.stock.level(pid(sku))


def test_new_products_are_found_by_code_and_by_name_and_the_index_matches(engine, uow_factory):
    applied = apply(
        engine,
        [
            product(1, "P0200", "Agua con gas 1 l", barcodes=[NEW_A]),
            product(2, "P0201", "Agua sin gas 2 l", barcodes=[NEW_B]),
            stock(3, "P0200", "12.5"),
        ],
    )
    assert applied == 3
    assert find(uow_factory, NEW_A) == ("P0200", "Agua con gas 1 l", 100)
    assert sorted(search(uow_factory, "agua")) == ["P0200", "P0201"]
    assert search(uow_factory, "gas 2") == ["P0201"]
    assert level(uow_factory, "P0200") == Decimal("12.5")
    assert integrity_check(engine) == "ok"


def test_a_renamed_product_is_found_by_its_new_name_only(engine, uow_factory):
    assert search(uow_factory, "café molido") == ["P0001"]
    apply(engine, [product(1, "P0001", "Infusión de manzanilla", barcodes=[COFFEE], price=199)])
    assert search(uow_factory, "café molido") == []
    assert search(uow_factory, "manzanilla") == ["P0001"]
    assert find(uow_factory, COFFEE) == ("P0001", "Infusión de manzanilla", 199)
    assert integrity_check(engine) == "ok"


def test_the_last_change_of_a_product_in_a_page_wins_and_its_barcodes_replace_the_old(
    engine, uow_factory
):
    apply(
        engine,
        [
            product(1, "P0002", "Leche semidesnatada 1 l", barcodes=[MILK, NEW_A], price=105),
            product(2, "P0002", "Leche desnatada 1 l", barcodes=[NEW_A], price=110),
        ],
    )
    assert find(uow_factory, NEW_A) == ("P0002", "Leche desnatada 1 l", 110)
    assert find(uow_factory, MILK) is None  # no longer one of its codes
    assert find(uow_factory, MILK_EAN8) is None
    assert search(uow_factory, "desnatada") == ["P0002"]
    assert search(uow_factory, "semidesnatada") == []
    assert integrity_check(engine) == "ok"


def test_a_barcode_moves_to_the_product_whose_change_came_last(engine, uow_factory):
    apply(engine, [product(1, "P0300", "Jabón en pastilla", barcodes=[SOAP])])
    assert find(uow_factory, SOAP)[0] == "P0300"


def test_a_deleted_product_can_no_longer_be_sold_and_comes_back_when_upserted(engine, uow_factory):
    gone = Change(seq=1, entity=Entity.PRODUCT, op=ChangeOp.DELETE, key=pid("P0003"), data={})
    apply(engine, [gone])
    assert find(uow_factory, SOAP) is None and search(uow_factory, "jabón") == []
    apply(engine, [product(2, "P0003", "Jabón de manos 500 ml", barcodes=[SOAP], price=1210)])
    assert find(uow_factory, SOAP) == ("P0003", "Jabón de manos 500 ml", 1210)
    assert integrity_check(engine) == "ok"


def test_stock_of_an_unknown_product_writes_nothing_and_its_product_brings_it_later(
    engine, uow_factory
):
    apply(engine, [stock(1, "P0999", "7"), stock(2, "P0001", "3"), stock(3, "P0001", "4")])
    assert level(uow_factory, "P0001") == Decimal(4)  # the later level of the same page
    with engine.connect() as conn:
        unknown = conn.execute(
            text("SELECT count(*) FROM products WHERE id = :id"), {"id": pid("P0999")}
        ).scalar_one()
    assert unknown == 0


def test_tax_rates_categories_and_the_store_are_applied_in_order(engine, uow_factory):
    changes = [
        Change(
            seq=1,
            entity=Entity.TAX_RATE,
            op=ChangeOp.UPSERT,
            key="IVA5:2026-12-01",
            data={"tax_class": "IVA5", "name": "IVA 5 %", "rate": "5", "valid_from": "2026-12-01"},
        ),
        Change(
            seq=2, entity=Entity.CATEGORY, op=ChangeOp.UPSERT, key="BEB", data={"name": "Bebidas"}
        ),
        Change(seq=3, entity=Entity.CATEGORY, op=ChangeOp.DELETE, key="BEB", data={}),
        Change(
            seq=4,
            entity=Entity.STORE,
            op=ChangeOp.UPSERT,
            key="T01",
            data={"code": "T01", "name": "Tienda Norte", "tax_id": "B1", "address": ["C/ Sol 1"]},
        ),
    ]
    assert apply(engine, changes) == 4
    with engine.connect() as conn:
        rate = conn.execute(text("SELECT rate FROM tax_rates WHERE tax_class = 'IVA5'")).scalar()
        category = conn.execute(text("SELECT count(*) FROM categories WHERE code = 'BEB'")).scalar()
    assert Decimal(rate) == Decimal(5) and category == 0
    with uow_factory.reader() as uow:
        assert uow.catalog.identity().store_name == "Tienda Norte"


def test_the_integrity_check_notices_a_name_index_out_of_step(engine):
    assert integrity_check(engine) == "ok"
    with engine.begin() as conn:  # a product renamed behind the index's back
        conn.execute(text("UPDATE products SET name = 'Otro nombre' WHERE sku = 'P0001'"))
    verdict = integrity_check(engine)
    assert verdict != "ok" and "index" in verdict
    with engine.begin() as conn:  # and put right by rebuilding it
        conn.execute(text("INSERT INTO products_fts(products_fts) VALUES ('rebuild')"))
    assert integrity_check(engine) == "ok"
    with engine.connect() as conn:
        assert product_index.check(conn) == "ok"


def test_bulk_writes_checkpoint_less_often_only_while_the_block_runs(engine):
    from pos_app.storage.db import AUTOCHECKPOINT_PAGES, BULK_AUTOCHECKPOINT_PAGES, bulk_writes

    def setting():
        with engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()

    with bulk_writes(engine):
        assert setting() == BULK_AUTOCHECKPOINT_PAGES
    assert setting() == AUTOCHECKPOINT_PAGES == 1000
