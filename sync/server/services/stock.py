"""Stock per store: movements (deltas in thousandths), the level they add up to, and what a
register may read of other stores.

A level is the sum of a product's movements at a store; ``stock_levels`` keeps that sum in the
same transaction as each movement, and its row lock orders concurrent movements of a product.
Rows are always locked in product-id order, so two sales of the same products never deadlock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection, insert, select

from sync.protocol import Entity, StockAvailability, StoreStock
from sync.server.errors import CommandError, NotFound
from sync.server.services._sql import upsert_statement, utcnow
from sync.server.services.changelog import ChangeEntry
from sync.server.tables import products, stock_levels, stock_movements, stores

MAX_QUANTITY = Decimal(1_000_000_000)  # far above anything real; keeps sums in 64 bits


def to_milli(quantity: Decimal | str) -> int:
    """Thousandths of a unit (or grams of a kilogram). ``ValueError`` if not exact."""
    try:
        value = Decimal(quantity)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"{quantity!r} is not a number") from exc
    if not value.is_finite() or abs(value) > MAX_QUANTITY:
        raise ValueError(f"{quantity!r} is not a usable quantity")
    scaled = value.scaleb(3)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{quantity!r} has more than three decimals")
    return int(scaled)


def milli_to_text(milli: int) -> str:
    """``12000`` -> ``"12"``; ``456`` -> ``"0.456"``; ``-1500`` -> ``"-1.5"``."""
    value = Decimal(milli).scaleb(-3).normalize()
    return format(value, "f")


def stock_change(
    store_code: str, product_id: str, level_milli: int, reserved_milli: int = 0
) -> ChangeEntry:
    """The STOCK change of a product at a store: ``quantity`` on hand, and ``reserved`` (held
    for open pickup orders) only when it is not zero, so its absence means zero."""
    data = {"quantity": milli_to_text(level_milli)}
    if reserved_milli:
        data["reserved"] = milli_to_text(reserved_milli)
    return ChangeEntry(Entity.STOCK, product_id, data, scope=store_code)


def apply_stock(
    conn: Connection,
    deltas: Mapping[tuple[str, str], tuple[int, int]],
    *,
    now: datetime,
) -> dict[tuple[str, str], tuple[int, int]]:
    """Add (on hand, reserved) thousandths to the levels of (store, product) pairs, in one
    statement, rows in lock order; each pair's new (on hand, reserved). Movements are the
    caller's to record."""
    if not deltas:
        return {}
    statement = upsert_statement(
        conn,
        stock_levels,
        conflict=("store_code", "product_id"),
        update=("updated_at",),
        increment=("quantity_milli", "reserved_milli"),
    ).returning(
        stock_levels.c.store_code,
        stock_levels.c.product_id,
        stock_levels.c.quantity_milli,
        stock_levels.c.reserved_milli,
    )
    rows = [
        {
            "store_code": store,
            "product_id": pid,
            "quantity_milli": on_hand,
            "reserved_milli": reserved,
            "updated_at": now,
        }
        for (store, pid), (on_hand, reserved) in sorted(deltas.items())
    ]
    return {
        (store, pid): (int(level), int(held))
        for store, pid, level, held in conn.execute(statement, rows)
    }


def apply_movements(
    conn: Connection,
    store_code: str,
    deltas: Mapping[str, int],
    *,
    reason: str,
    now: datetime,
    device_id: str | None = None,
    event_id: str | None = None,
    reference: str | None = None,
    reserved: dict[str, int] | None = None,
) -> dict[str, int]:
    """Record one movement per product and return each product's new level (thousandths);
    each product's reserved quantity goes into ``reserved`` when given."""
    if not deltas:
        return {}
    conn.execute(
        insert(stock_movements),
        [
            {
                "store_code": store_code,
                "product_id": product_id,
                "delta_milli": delta,
                "reason": reason,
                "device_id": device_id,
                "event_id": event_id,
                "reference": reference,
                "created_at": now,
            }
            for product_id, delta in sorted(deltas.items())
        ],
    )
    # One statement for all the products (rows in product-id order, so in lock order).
    statement = upsert_statement(
        conn,
        stock_levels,
        conflict=("store_code", "product_id"),
        update=("updated_at",),
        increment=("quantity_milli",),
    ).returning(
        stock_levels.c.product_id, stock_levels.c.quantity_milli, stock_levels.c.reserved_milli
    )
    rows = [
        {"store_code": store_code, "product_id": pid, "quantity_milli": delta, "updated_at": now}
        for pid, delta in sorted(deltas.items())
    ]
    result = conn.execute(statement, rows).all()
    levels = {pid: int(level) for pid, level, _ in result}
    if reserved is not None:
        reserved.update({pid: int(held) for pid, _, held in result})
    return levels


@dataclass(frozen=True, slots=True)
class StockSet:
    product_id: str
    before_milli: int
    after_milli: int


def set_level(
    conn: Connection, store_code: str, sku: str, quantity: Decimal, *, now: datetime | None = None
) -> tuple[StockSet, ChangeEntry | None]:
    """A counting: one movement (reason ``count``) that brings the level to ``quantity``."""
    now = now or utcnow()
    if conn.execute(select(stores.c.code).where(stores.c.code == store_code)).first() is None:
        raise CommandError(f"no store {store_code!r}")
    product_id = conn.execute(select(products.c.id).where(products.c.sku == sku)).scalar()
    if product_id is None:
        raise CommandError(f"no product with SKU {sku!r}")
    try:
        target = to_milli(quantity)
    except ValueError as exc:
        raise CommandError(f"bad quantity: {exc}") from exc
    current = conn.execute(
        select(stock_levels.c.quantity_milli)
        .where(stock_levels.c.store_code == store_code, stock_levels.c.product_id == product_id)
        .with_for_update()
    ).scalar()
    before = int(current or 0)
    if target == before and current is not None:
        return StockSet(product_id, before, before), None
    held: dict[str, int] = {}
    levels = apply_movements(
        conn, store_code, {product_id: target - before}, reason="count", now=now, reserved=held
    )
    return StockSet(product_id, before, levels[product_id]), stock_change(
        store_code, product_id, levels[product_id], held.get(product_id, 0)
    )


def availability(conn: Connection, sku: str) -> StockAvailability:
    """The level of ``sku`` at every store (0 where it never moved)."""
    product_id = conn.execute(select(products.c.id).where(products.c.sku == sku)).scalar()
    if product_id is None:
        raise NotFound(f"no product with SKU {sku!r}")
    rows = conn.execute(
        select(
            stores.c.code,
            stores.c.name,
            stock_levels.c.quantity_milli,
            stock_levels.c.reserved_milli,
        )
        .select_from(
            stores.outerjoin(
                stock_levels,
                (stock_levels.c.store_code == stores.c.code)
                & (stock_levels.c.product_id == product_id),
            )
        )
        .order_by(stores.c.code)
    ).all()
    return StockAvailability(
        sku=sku,
        product_id=product_id,
        stores=[
            StoreStock(
                store_code=r.code,
                store_name=r.name,
                quantity=milli_to_text(r.quantity_milli or 0),
                reserved=milli_to_text(r.reserved_milli or 0),
            )
            for r in rows
        ],
    )
