"""Pulled changes applied to the register database, by batch.

A page of the change log is mostly products (a first sync: a million of them) and stock levels.
Changes are taken in runs of one entity and one operation, in sequence order, and each run is
written with a few ``executemany`` statements instead of several statements per row: a first
sync of 1,000,000 products went from about 330 s of applying to about 30 s (tests/perf/sync.py).
Within a run of upserts the last change of a key wins, as it would row by row, since every
change carries the whole state of its row.

All of it runs on the caller's connection, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import Connection

from pos_app.domain.barcode import canonical_gtin
from pos_app.storage import product_index
from pos_app.storage.customer_repository import delete_customers, upsert_customers
from pos_app.storage.pickup_repository import delete_pickup_orders, upsert_pickup_orders
from pos_app.storage.repositories import to_milli
from pos_app.storage.staff_repository import (
    deactivate_staff,
    delete_policies,
    upsert_policies,
    upsert_staff,
)
from sync.protocol import Change, ChangeOp, Entity

# SQLite allows 32,766 host parameters a statement; runs are read back in slices well below it.
_IN_SLICE = 900

_UPSERT_PRODUCT = (
    "INSERT INTO products (id, sku, name, category, tax_class, price_cents, measure, active) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, "
    "name = excluded.name, category = excluded.category, tax_class = excluded.tax_class, "
    "price_cents = excluded.price_cents, measure = excluded.measure, active = excluded.active"
)
_UPSERT_BARCODE = (
    "INSERT INTO barcodes (code, product_pk) VALUES (?, ?) "
    "ON CONFLICT (code) DO UPDATE SET product_pk = excluded.product_pk"
)
# A level for a product this register does not know yet selects no row: nothing is written,
# and the level comes again with the product later.
_UPSERT_STOCK = (
    "INSERT INTO stock_levels (product_pk, quantity_milli) "
    "SELECT pk, ? FROM products WHERE id = ? "
    "ON CONFLICT (product_pk) DO UPDATE SET quantity_milli = excluded.quantity_milli"
)
_UPSERT_TAX_RATE = (
    "INSERT INTO tax_rates (tax_class, name, rate, valid_from, valid_to) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tax_class, valid_from) DO UPDATE SET "
    "name = excluded.name, rate = excluded.rate, valid_to = excluded.valid_to"
)
_UPSERT_CATEGORY = (
    "INSERT INTO categories (code, name) VALUES (?, ?) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name"
)


def apply_changes(conn: Connection, changes: Iterable[Change]) -> int:
    """Apply ``changes`` in order; returns how many were of an entity the register keeps."""
    applied = 0
    for (entity, op), run in groupby(changes, key=lambda c: (c.entity, c.op)):
        handler = _HANDLERS.get((entity, op))
        if handler is None:
            continue
        batch = list(run)
        handler(conn, batch)
        applied += len(batch)
    return applied


def _last_per_key(changes: Sequence[Change]) -> list[Change]:
    latest: dict[str, Change] = {}
    for change in changes:
        latest.pop(change.key, None)
        latest[change.key] = change
    return list(latest.values())


def _slices(items: Sequence[Any], size: int = _IN_SLICE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _products_by_id(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """``id -> (pk, name)`` of the products among ``ids`` that the register has."""
    found: dict[str, tuple[int, str]] = {}
    for part in _slices(ids):
        marks = ",".join("?" * len(part))
        rows = conn.exec_driver_sql(
            f"SELECT id, pk, name FROM products WHERE id IN ({marks})", tuple(part)
        )
        for product_id, pk, name in rows:
            found[product_id] = (int(pk), name)
    return found


def _upsert_products(conn: Connection, changes: Sequence[Change]) -> None:
    latest = _last_per_key(changes)
    ids = [c.key for c in latest]
    before = _products_by_id(conn, ids)
    renamed = [c.key for c in latest if c.key in before and before[c.key][1] != c.data["name"]]
    product_index.remove(conn, [before[key] for key in renamed])
    conn.exec_driver_sql(
        _UPSERT_PRODUCT,
        [
            (
                c.key,
                c.data["sku"],
                c.data["name"],
                c.data.get("category"),
                c.data["tax_class"],
                int(c.data["price_cents"]),
                c.data.get("measure", "unit"),
                1 if c.data.get("active", True) else 0,
            )
            for c in latest
        ],
    )
    new_ids = [c.key for c in latest if c.key not in before]
    pks = {key: pk for key, (pk, _name) in before.items()}
    pks.update({key: pk for key, (pk, _name) in _products_by_id(conn, new_ids).items()})
    names = {c.key: c.data["name"] for c in latest}
    product_index.add(conn, [(pks[key], names[key]) for key in (*new_ids, *renamed)])
    # Barcodes: the change carries the product's whole list, which replaces the old one.
    if before:
        conn.exec_driver_sql(
            "DELETE FROM barcodes WHERE product_pk = ?", [(pk,) for pk, _name in before.values()]
        )
    codes: dict[str, int] = {}
    for c in latest:
        for code in c.data.get("barcodes", ()):
            codes[canonical_gtin(str(code))] = pks[c.key]
    if codes:
        conn.exec_driver_sql(_UPSERT_BARCODE, sorted(codes.items()))


def _deactivate_products(conn: Connection, changes: Sequence[Change]) -> None:
    # A product deleted at the backend stays for the sales that name it; it can no longer be
    # scanned or found.
    conn.exec_driver_sql("UPDATE products SET active = 0 WHERE id = ?", [(c.key,) for c in changes])


def _upsert_stock(conn: Connection, changes: Sequence[Change]) -> None:
    conn.exec_driver_sql(
        _UPSERT_STOCK,
        [
            (to_milli(Decimal(str(c.data.get("quantity", "0")))), c.key)
            for c in _last_per_key(changes)
        ],
    )


def _upsert_tax_rates(conn: Connection, changes: Sequence[Change]) -> None:
    conn.exec_driver_sql(
        _UPSERT_TAX_RATE,
        [
            (
                c.data["tax_class"],
                c.data.get("name", c.data["tax_class"]),
                str(Decimal(str(c.data["rate"]))),
                c.data["valid_from"],
                c.data.get("valid_to"),
            )
            for c in changes
        ],
    )


def _delete_tax_rates(conn: Connection, changes: Sequence[Change]) -> None:
    conn.exec_driver_sql(
        "DELETE FROM tax_rates WHERE tax_class = ? AND valid_from = ?",
        [(c.data["tax_class"], c.data["valid_from"]) for c in changes],
    )


def _upsert_categories(conn: Connection, changes: Sequence[Change]) -> None:
    conn.exec_driver_sql(_UPSERT_CATEGORY, [(c.key, c.data.get("name", c.key)) for c in changes])


def _delete_categories(conn: Connection, changes: Sequence[Change]) -> None:
    conn.exec_driver_sql("DELETE FROM categories WHERE code = ?", [(c.key,) for c in changes])


def _upsert_store(conn: Connection, changes: Sequence[Change]) -> None:
    d = changes[-1].data
    conn.exec_driver_sql(
        "UPDATE store_identity SET store_code = ?, store_name = ?, tax_id = ?, address = ?, "
        "currency = ? WHERE id = 1",
        (
            d.get("code", changes[-1].key),
            d["name"],
            d.get("tax_id", ""),
            "\n".join(d.get("address", [])),
            d.get("currency", "EUR"),
        ),
    )


def _ignore(conn: Connection, changes: Sequence[Change]) -> None:
    """A store is never deleted under a register that is enrolled in it."""


_HANDLERS: dict[tuple[Entity, ChangeOp], Callable[[Connection, Sequence[Change]], None]] = {
    (Entity.STORE, ChangeOp.UPSERT): _upsert_store,
    (Entity.STORE, ChangeOp.DELETE): _ignore,
    (Entity.TAX_RATE, ChangeOp.UPSERT): _upsert_tax_rates,
    (Entity.TAX_RATE, ChangeOp.DELETE): _delete_tax_rates,
    (Entity.CATEGORY, ChangeOp.UPSERT): _upsert_categories,
    (Entity.CATEGORY, ChangeOp.DELETE): _delete_categories,
    (Entity.PRODUCT, ChangeOp.UPSERT): _upsert_products,
    (Entity.PRODUCT, ChangeOp.DELETE): _deactivate_products,
    (Entity.STOCK, ChangeOp.UPSERT): _upsert_stock,
    # The backend does not delete levels; should one come, its data still says the quantity.
    (Entity.STOCK, ChangeOp.DELETE): _upsert_stock,
    (Entity.PICKUP_ORDER, ChangeOp.UPSERT): upsert_pickup_orders,
    (Entity.PICKUP_ORDER, ChangeOp.DELETE): delete_pickup_orders,
    (Entity.STAFF, ChangeOp.UPSERT): upsert_staff,
    (Entity.STAFF, ChangeOp.DELETE): deactivate_staff,
    (Entity.POLICY, ChangeOp.UPSERT): upsert_policies,
    (Entity.POLICY, ChangeOp.DELETE): delete_policies,
    (Entity.CUSTOMER, ChangeOp.UPSERT): upsert_customers,
    (Entity.CUSTOMER, ChangeOp.DELETE): delete_customers,
}
