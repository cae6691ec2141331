"""What sync reads and writes in the register database: the device, the cursor, the outbox
queue and its acknowledgements, the needs-attention list, and pulled changes.

Every method runs on the connection of the caller's unit of work: acknowledging a batch or
applying a page of changes (with the new cursor) is one short transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text, update

from pos_app.domain.barcode import canonical_gtin
from pos_app.services.ports import AttentionItem, PendingEvent, SyncState
from pos_app.storage import tables as t
from pos_app.storage.repositories import to_milli
from sync.protocol import Change, ChangeOp, Entity, EventResult, EventStatus

SALE_COMPLETED = "sale.completed"


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class SqlSyncRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # --- state -------------------------------------------------------------------------
    def state(self) -> SyncState:
        row = self._conn.execute(select(t.sync_state).where(t.sync_state.c.id == 1)).first()
        if row is None:
            return SyncState(None, None, None, "0", None, None, None)
        return SyncState(
            device_id=row.device_id,
            backend_url=row.backend_url,
            register_name=row.register_name,
            cursor=row.cursor,
            last_success_at=_dt(row.last_success_at),
            last_error=row.last_error,
            last_error_at=_dt(row.last_error_at),
        )

    def _ensure_row(self) -> None:
        self._conn.execute(
            text("INSERT INTO sync_state (id, cursor) VALUES (1, '0') ON CONFLICT (id) DO NOTHING")
        )

    def save_enrollment(
        self, *, device_id: str, backend_url: str, register_name: str, at: datetime
    ) -> None:
        self._ensure_row()
        self._conn.execute(
            update(t.sync_state)
            .where(t.sync_state.c.id == 1)
            .values(
                device_id=device_id,
                backend_url=backend_url,
                register_name=register_name,
                enrolled_at=at.isoformat(),
                cursor="0",
            )
        )

    def set_cursor(self, cursor: str, *, at: datetime) -> None:
        self._ensure_row()
        self._conn.execute(
            update(t.sync_state)
            .where(t.sync_state.c.id == 1)
            .values(cursor=cursor, last_pull_at=at.isoformat())
        )

    def mark_success(self, at: datetime) -> None:
        self._ensure_row()
        self._conn.execute(
            update(t.sync_state)
            .where(t.sync_state.c.id == 1)
            .values(last_success_at=at.isoformat(), last_error=None, last_error_at=None)
        )

    def mark_error(self, message: str, at: datetime) -> None:
        self._ensure_row()
        self._conn.execute(
            update(t.sync_state)
            .where(t.sync_state.c.id == 1)
            .values(last_error=message[:500], last_error_at=at.isoformat())
        )

    # --- outbox ------------------------------------------------------------------------
    def pending(self, limit: int) -> list[PendingEvent]:
        rows = self._conn.execute(
            select(t.outbox)
            .where(t.outbox.c.state == "pending")
            .order_by(t.outbox.c.seq)
            .limit(limit)
        ).all()
        return [
            PendingEvent(
                seq=r.seq,
                event_id=r.event_id,
                event_type=r.event_type,
                occurred_at=datetime.fromisoformat(r.occurred_at),
                payload=json.loads(r.payload),
            )
            for r in rows
        ]

    def pending_count(self) -> int:
        return int(
            self._conn.execute(
                select(func.count()).select_from(t.outbox).where(t.outbox.c.state == "pending")
            ).scalar_one()
        )

    def acknowledge(self, results: Iterable[EventResult], *, at: datetime) -> tuple[int, int]:
        """Apply the backend's answers: applied and duplicate leave the outbox; rejected and
        conflict leave it for the needs-attention list. Returns (acknowledged, attention)."""
        acknowledged = attention = 0
        for result in results:
            row = self._conn.execute(
                select(t.outbox).where(
                    t.outbox.c.seq == result.seq, t.outbox.c.event_id == result.event_id
                )
            ).first()
            if row is None:
                continue  # already acknowledged by an earlier answer
            if result.status in (EventStatus.REJECTED, EventStatus.CONFLICT):
                self._conn.execute(
                    insert(t.attention_items).values(
                        seq=row.seq,
                        event_id=row.event_id,
                        event_type=row.event_type,
                        status=result.status.value,
                        code=result.code or "",
                        message=result.message or "",
                        payload=row.payload,
                        created_at=at.isoformat(),
                    )
                )
                attention += 1
            if result.status is not EventStatus.REJECTED and row.event_type == SALE_COMPLETED:
                # The backend's stock now includes this sale: our movements are no longer
                # "unsynced" on top of the level it sends.
                sale_id = json.loads(row.payload).get("sale_id", "")
                self._conn.execute(
                    update(t.stock_movements)
                    .where(t.stock_movements.c.reference == sale_id)
                    .values(synced=1)
                )
            self._conn.execute(delete(t.outbox).where(t.outbox.c.seq == row.seq))
            acknowledged += 1
        return acknowledged, attention

    # --- attention ---------------------------------------------------------------------
    def attention(self, *, include_resolved: bool = False) -> list[AttentionItem]:
        query = select(t.attention_items).order_by(t.attention_items.c.id.desc())
        if not include_resolved:
            query = query.where(t.attention_items.c.resolved_at.is_(None))
        return [
            AttentionItem(
                item_id=r.id,
                seq=r.seq,
                event_id=r.event_id,
                event_type=r.event_type,
                status=r.status,
                code=r.code,
                message=r.message,
                created_at=datetime.fromisoformat(r.created_at),
                resolved_at=_dt(r.resolved_at),
            )
            for r in self._conn.execute(query)
        ]

    def attention_count(self) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.attention_items)
                .where(t.attention_items.c.resolved_at.is_(None))
            ).scalar_one()
        )

    def resolve_attention(self, item_id: int, at: datetime) -> None:
        self._conn.execute(
            update(t.attention_items)
            .where(t.attention_items.c.id == item_id)
            .values(resolved_at=at.isoformat())
        )

    # --- pulled changes ----------------------------------------------------------------
    def apply(self, changes: Iterable[Change]) -> int:
        count = 0
        for change in changes:
            handler = _HANDLERS.get(change.entity)
            if handler is not None:
                handler(self._conn, change)
                count += 1
        return count


def _apply_store(conn: Connection, change: Change) -> None:
    if change.op is ChangeOp.DELETE:
        return
    d = change.data
    conn.execute(
        update(t.store_identity)
        .where(t.store_identity.c.id == 1)
        .values(
            store_code=d.get("code", change.key),
            store_name=d["name"],
            tax_id=d.get("tax_id", ""),
            address="\n".join(d.get("address", [])),
            currency=d.get("currency", "EUR"),
        )
    )


def _apply_tax_rate(conn: Connection, change: Change) -> None:
    d = change.data
    if change.op is ChangeOp.DELETE:
        conn.execute(
            delete(t.tax_rates).where(
                t.tax_rates.c.tax_class == d["tax_class"],
                t.tax_rates.c.valid_from == d["valid_from"],
            )
        )
        return
    conn.execute(
        text(
            "INSERT INTO tax_rates (tax_class, name, rate, valid_from, valid_to) "
            "VALUES (:c, :n, :r, :f, :t) ON CONFLICT (tax_class, valid_from) DO UPDATE SET "
            "name = excluded.name, rate = excluded.rate, valid_to = excluded.valid_to"
        ),
        {
            "c": d["tax_class"],
            "n": d.get("name", d["tax_class"]),
            "r": str(Decimal(str(d["rate"]))),
            "f": d["valid_from"],
            "t": d.get("valid_to"),
        },
    )


def _apply_category(conn: Connection, change: Change) -> None:
    if change.op is ChangeOp.DELETE:
        conn.execute(delete(t.categories).where(t.categories.c.code == change.key))
        return
    conn.execute(
        text(
            "INSERT INTO categories (code, name) VALUES (:c, :n) "
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name"
        ),
        {"c": change.key, "n": change.data.get("name", change.key)},
    )


def _apply_product(conn: Connection, change: Change) -> None:
    d: dict[str, Any] = change.data
    if change.op is ChangeOp.DELETE:
        conn.execute(update(t.products).where(t.products.c.id == change.key).values(active=0))
        return
    pk = conn.execute(
        text(
            "INSERT INTO products "
            "(id, sku, name, category, tax_class, price_cents, measure, active) "
            "VALUES (:id, :sku, :name, :cat, :tax, :price, :measure, :active) "
            "ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name = excluded.name, "
            "category = excluded.category, tax_class = excluded.tax_class, "
            "price_cents = excluded.price_cents, measure = excluded.measure, "
            "active = excluded.active RETURNING pk"
        ),
        {
            "id": change.key,
            "sku": d["sku"],
            "name": d["name"],
            "cat": d.get("category"),
            "tax": d["tax_class"],
            "price": int(d["price_cents"]),
            "measure": d.get("measure", "unit"),
            "active": 1 if d.get("active", True) else 0,
        },
    ).scalar_one()
    conn.execute(delete(t.barcodes).where(t.barcodes.c.product_pk == pk))
    codes = {canonical_gtin(str(code)) for code in d.get("barcodes", [])}
    if codes:
        conn.execute(
            text(
                "INSERT INTO barcodes (code, product_pk) VALUES (:code, :pk) "
                "ON CONFLICT (code) DO UPDATE SET product_pk = excluded.product_pk"
            ),
            [{"code": code, "pk": pk} for code in sorted(codes)],
        )


def _apply_stock(conn: Connection, change: Change) -> None:
    pk = conn.execute(
        select(t.products.c.pk).where(t.products.c.id == change.key)
    ).scalar_one_or_none()
    if pk is None:
        return  # a product this register does not know yet; its level comes with it later
    quantity = Decimal(str(change.data.get("quantity", "0")))
    conn.execute(
        text(
            "INSERT INTO stock_levels (product_pk, quantity_milli) VALUES (:pk, :q) "
            "ON CONFLICT (product_pk) DO UPDATE SET quantity_milli = excluded.quantity_milli"
        ),
        {"pk": pk, "q": to_milli(quantity)},
    )


_HANDLERS = {
    Entity.STORE: _apply_store,
    Entity.TAX_RATE: _apply_tax_rate,
    Entity.CATEGORY: _apply_category,
    Entity.PRODUCT: _apply_product,
    Entity.STOCK: _apply_stock,
}
