"""What sync reads and writes in the register database: the device, the cursor, the outbox
queue and its acknowledgements, the needs-attention list, and pulled changes.

Every method runs on the connection of the caller's unit of work: acknowledging a batch or
applying a page of changes (with the new cursor) is one short transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, text, update

from pos_app.services.ports import AttentionItem, PendingEvent, SyncState
from pos_app.storage import tables as t
from pos_app.storage.change_apply import apply_changes
from sync.protocol import Change, EventResult, EventStatus

SALE_COMPLETED = "sale.completed"
# The events whose stock movements the backend applies, and the payload field that names them
# (the ``reference`` of this register's movements).
_MOVES_STOCK = {SALE_COMPLETED: "sale_id", "sale.cancelled": "cancellation_id"}


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
            if result.status is not EventStatus.REJECTED and row.event_type in _MOVES_STOCK:
                # The backend's stock now includes this sale (or the stock a cancellation put
                # back): our movements are no longer "unsynced" on top of the level it sends.
                reference = json.loads(row.payload).get(_MOVES_STOCK[row.event_type], "")
                self._conn.execute(
                    update(t.stock_movements)
                    .where(t.stock_movements.c.reference == reference)
                    .values(synced=1)
                )
            self._conn.execute(delete(t.outbox).where(t.outbox.c.seq == row.seq))
            acknowledged += 1
        return acknowledged, attention

    def close_gap(self, expected_seq: int, *, at: datetime) -> list[tuple[int, int]]:
        """The backend expects ``expected_seq`` but this outbox starts above it: those events
        never reached the backend and are gone from here (a restored or damaged database). Give
        the pending events, in order and with their event ids, the numbers from
        ``expected_seq`` on, move the outbox's AUTOINCREMENT counter to the last of them (the
        next event continues the series), and record for a manager which numbers were missing.

        Returns the missing numbers as (first, last) ranges; empty when there is nothing to do
        (the outbox holds ``expected_seq``, or holds nothing above it)."""
        rows = self._conn.execute(
            select(t.outbox.c.seq, t.outbox.c.state)
            .where(t.outbox.c.seq >= expected_seq)
            .order_by(t.outbox.c.seq)
        ).all()
        if not rows or rows[0].seq == expected_seq or any(r.state != "pending" for r in rows):
            return []
        missing: list[tuple[int, int]] = []
        previous = expected_seq - 1
        for row in rows:
            if row.seq > previous + 1:
                missing.append((previous + 1, row.seq - 1))
            previous = row.seq
        # Ascending, each to a lower number: never onto a number still in use.
        self._conn.execute(
            text("UPDATE outbox SET seq = :new WHERE seq = :old"),
            [{"new": expected_seq + i, "old": row.seq} for i, row in enumerate(rows)],
        )
        last = expected_seq + len(rows) - 1
        self._conn.execute(
            text("UPDATE sqlite_sequence SET seq = :last WHERE name = 'outbox'"), {"last": last}
        )
        numbers = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in missing)
        count = sum(b - a + 1 for a, b in missing)
        self._conn.execute(
            insert(t.attention_items).values(
                seq=expected_seq,
                event_id=None,
                event_type="outbox.gap",
                status="missing",
                code="missing_events",
                message=(
                    f"{count} event(s) numbered {numbers} never reached the backend and are no "
                    "longer in this register's outbox (a restored or damaged database?). Check "
                    f"the sales of that time. The {len(rows)} pending event(s) after them were "
                    f"renumbered {expected_seq}-{last} and sent."
                ),
                payload=json.dumps(
                    {
                        "missing": missing,
                        "renumbered_from": rows[0].seq,
                        "renumbered_to": expected_seq,
                        "count": len(rows),
                    }
                ),
                created_at=at.isoformat(),
            )
        )
        return missing

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
        return apply_changes(self._conn, changes)
