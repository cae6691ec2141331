"""Loading a catalog into the register database in bulk (demo, benchmarks, first sync).

Rows go in through the raw sqlite3 connection in batches, each batch its own short transaction,
so a large catalog never holds the write lock for long. The FTS index is kept in step by the
triggers of the schema.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from sqlalchemy import Engine

from pos_app.domain.barcode import canonical_gtin
from pos_app.services.ports import StoreIdentity
from pos_app.storage import product_index

PRODUCT_NAMESPACE = uuid.UUID("8c0c5e54-4f3a-4cf5-9a55-6f1f1a2b9d10")


def product_id_for_sku(sku: str) -> str:
    """A stable id for a product known by its SKU (the demo and imports use it)."""
    return str(uuid.uuid5(PRODUCT_NAMESPACE, sku))


class TaxClassLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def rate(self) -> Decimal: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_to(self) -> date | None: ...


class CategoryLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...


class ProductLike(Protocol):
    @property
    def sku(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def tax_class(self) -> str: ...
    @property
    def price_cents(self) -> int: ...
    @property
    def barcodes(self) -> tuple[str, ...]: ...
    @property
    def measure(self) -> str: ...


@dataclass(frozen=True)
class LoadResult:
    products: int
    barcodes: int


def set_identity(engine: Engine, identity: StoreIdentity) -> None:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.execute(
            "INSERT INTO store_identity (id, store_code, register_code, store_name, tax_id, "
            "address, currency) VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "store_code=excluded.store_code, register_code=excluded.register_code, "
            "store_name=excluded.store_name, tax_id=excluded.tax_id, address=excluded.address, "
            "currency=excluded.currency",
            (
                identity.store_code,
                identity.register_code,
                identity.store_name,
                identity.tax_id,
                "\n".join(identity.address),
                identity.currency,
            ),
        )
        cur.execute("COMMIT")
    finally:
        raw.close()


def load_catalog(
    engine: Engine,
    *,
    tax_classes: Iterable[TaxClassLike],
    categories: Iterable[CategoryLike],
    products: Iterable[ProductLike],
    stock: Callable[[int], Decimal] | None = None,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Insert or replace tax rates, categories and products (with barcodes and stock levels)."""
    raw = engine.raw_connection()
    n_products = n_barcodes = 0
    try:
        cur = raw.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.executemany(
            "INSERT INTO tax_rates (tax_class, name, rate, valid_from, valid_to) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tax_class, valid_from) DO UPDATE SET "
            "name=excluded.name, rate=excluded.rate, valid_to=excluded.valid_to",
            [
                (
                    tc.code,
                    tc.name,
                    str(tc.rate),
                    tc.valid_from.isoformat(),
                    tc.valid_to.isoformat() if tc.valid_to else None,
                )
                for tc in tax_classes
            ],
        )
        cur.executemany(
            "INSERT INTO categories (code, name) VALUES (?, ?) "
            "ON CONFLICT (code) DO UPDATE SET name=excluded.name",
            [(c.code, c.name) for c in categories],
        )
        cur.execute("COMMIT")
        next_pk = int(cur.execute("SELECT coalesce(max(pk), 0) FROM products").fetchone()[0]) + 1

        batch: list[ProductLike] = []

        def flush() -> None:
            nonlocal next_pk, n_products, n_barcodes
            product_rows = []
            barcode_rows: list[tuple[str, int]] = []
            stock_rows: list[tuple[int, int]] = []
            for p in batch:
                pk = next_pk
                next_pk += 1
                product_rows.append(
                    (
                        pk,
                        product_id_for_sku(p.sku),
                        p.sku,
                        p.name,
                        p.category,
                        p.tax_class,
                        p.price_cents,
                        p.measure,
                    )
                )
                barcode_rows.extend((canonical_gtin(code), pk) for code in p.barcodes)
                if stock is not None:
                    stock_rows.append((pk, int(stock(pk) * 1000)))
            cur.execute("BEGIN IMMEDIATE")
            cur.executemany(
                "INSERT INTO products (pk, id, sku, name, category, tax_class, price_cents, "
                "measure) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                product_rows,
            )
            cur.executemany("INSERT INTO barcodes (code, product_pk) VALUES (?, ?)", barcode_rows)
            cur.execute(product_index.ADD_RANGE, (product_rows[0][0], product_rows[-1][0]))
            if stock_rows:
                cur.executemany(
                    "INSERT INTO stock_levels (product_pk, quantity_milli) VALUES (?, ?)",
                    stock_rows,
                )
            cur.execute("COMMIT")
            n_products += len(product_rows)
            n_barcodes += len(barcode_rows)
            batch.clear()
            if progress is not None:
                progress(n_products)

        for product in products:
            batch.append(product)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    except BaseException:
        if raw.driver_connection.in_transaction:  # type: ignore[union-attr]
            raw.driver_connection.execute("ROLLBACK")  # type: ignore[union-attr]
        raise
    finally:
        raw.close()
    return LoadResult(n_products, n_barcodes)
