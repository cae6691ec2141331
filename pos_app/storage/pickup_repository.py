"""Pickup orders in the register database: the backend's copy as pulled, and the register's
progress on top (see ``pos_app.domain.pickup`` for what a newer backend version keeps of it).

A store holds hundreds of open orders, not millions: searching is a ``LIKE`` over one folded
text column (number, customer name, email) and the phone's digits, which is well under a
millisecond at that size.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, func, or_, select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.sql.elements import ColumnElement

from pos_app.domain.pickup import keeps_pick_progress, merge_local_status
from pos_app.services.ports import PickupProgressLine, StoredPickup
from pos_app.storage import tables as t
from sync.protocol import Change, PickupOrderData, PickupStatus

log = logging.getLogger(__name__)

_NON_DIGIT = re.compile(r"\D+")
_OPEN = tuple(s.value for s in (PickupStatus.PENDING, PickupStatus.PICKING, PickupStatus.READY))
_EFFECTIVE = func.coalesce(t.pickup_orders.c.local_status, t.pickup_orders.c.status)


def fold(text: str) -> str:
    """Lower case without accents: how names are stored and searched."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def digits(text: str) -> str:
    return _NON_DIGIT.sub("", text)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _progress_to_json(progress: Sequence[PickupProgressLine]) -> str:
    return json.dumps(
        {str(p.line_no): {"picked": str(p.picked), "short": p.short} for p in progress},
        separators=(",", ":"),
    )


def _progress_from_json(text: str) -> tuple[PickupProgressLine, ...]:
    raw: dict[str, dict[str, Any]] = json.loads(text or "{}")
    return tuple(
        PickupProgressLine(int(k), Decimal(v["picked"]), bool(v.get("short", False)))
        for k, v in sorted(raw.items(), key=lambda kv: int(kv[0]))
    )


class SqlPickupRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @staticmethod
    def _load(row: Any) -> StoredPickup:
        return StoredPickup(
            pk=row.pk,
            order=PickupOrderData.model_validate_json(row.data),
            local_status=PickupStatus(row.local_status) if row.local_status else None,
            base_version=row.base_version,
            progress=_progress_from_json(row.progress),
            local_at=datetime.fromisoformat(row.local_at) if row.local_at else None,
            conflict=row.conflict or "",
        )

    def get(self, order_id: str) -> StoredPickup | None:
        row = self._conn.execute(
            select(t.pickup_orders).where(t.pickup_orders.c.order_id == order_id)
        ).first()
        return None if row is None else self._load(row)

    def search(
        self, text: str = "", *, open_only: bool = False, limit: int = 200
    ) -> list[StoredPickup]:
        """Orders whose number, customer name or email contain ``text`` (accents and case
        ignored), or whose phone contains its digits (three or more); open ones first, then
        the newest."""
        c = t.pickup_orders.c
        query = select(t.pickup_orders)
        words = fold(text).split()
        for word in words:
            condition: ColumnElement[bool] = c.search_text.like(_like(word), escape="\\")
            number = digits(word)
            if len(number) >= 3:
                condition = or_(condition, c.phone_digits.like(_like(number), escape="\\"))
            query = query.where(condition)
        if open_only:
            query = query.where(_EFFECTIVE.in_(_OPEN))
        is_open = _EFFECTIVE.in_(_OPEN)
        query = query.order_by(is_open.desc(), c.expires_utc, c.pk.desc()).limit(limit)
        return [self._load(r) for r in self._conn.execute(query)]

    def find_exact(self, text: str) -> list[StoredPickup]:
        """Orders named exactly by ``text``: the customer's QR payload, the pickup code, the
        order number, or a phone number (six digits or more, matched at its end)."""
        raw = text.strip()
        if not raw:
            return []
        c = t.pickup_orders.c
        conditions = [
            c.qr_payload == raw,
            func.upper(c.pickup_code) == raw.upper(),
            func.upper(c.number) == raw.upper(),
        ]
        phone = digits(raw)
        if len(phone) >= 6 and len(phone) >= len(raw.replace(" ", "")) - 1:
            conditions.append(c.phone_digits.like("%" + phone))
        rows = self._conn.execute(
            select(t.pickup_orders)
            .where(or_(*conditions))
            .order_by(_EFFECTIVE.in_(_OPEN).desc(), c.pk.desc())
            .limit(20)
        )
        return [self._load(r) for r in rows]

    def newer_than(self, pk: int) -> list[StoredPickup]:
        rows = self._conn.execute(
            select(t.pickup_orders).where(t.pickup_orders.c.pk > pk).order_by(t.pickup_orders.c.pk)
        )
        return [self._load(r) for r in rows]

    def last_pk(self) -> int:
        return int(
            self._conn.execute(
                select(func.coalesce(func.max(t.pickup_orders.c.pk), 0))
            ).scalar_one()
        )

    def save_progress(
        self,
        order_id: str,
        *,
        local_status: PickupStatus | None,
        base_version: int,
        progress: tuple[PickupProgressLine, ...],
        at: datetime,
    ) -> None:
        self._conn.execute(
            update(t.pickup_orders)
            .where(t.pickup_orders.c.order_id == order_id)
            .values(
                local_status=local_status.value if local_status else None,
                base_version=base_version,
                progress=_progress_to_json(progress),
                local_at=at.isoformat(timespec="microseconds"),
            )
        )


def upsert_pickup_orders(conn: Connection, changes: Sequence[Change]) -> None:
    """Pulled ``pickup_order`` changes: the backend's copy replaces the old one when it is not
    older; the register's progress on top is merged (``pos_app.domain.pickup``)."""
    for change in changes:
        try:
            order = PickupOrderData.model_validate(change.data)
        except ValidationError:
            # A change the register cannot read must not block the pull for ever: it is
            # logged, and the order comes again, whole, at its next change.
            log.exception("pickup order %s not readable; skipped", change.key)
            continue
        row = conn.execute(
            select(
                t.pickup_orders.c.version,
                t.pickup_orders.c.local_status,
                t.pickup_orders.c.base_version,
                t.pickup_orders.c.progress,
                t.pickup_orders.c.conflict,
            ).where(t.pickup_orders.c.order_id == order.order_id)
        ).first()
        if row is not None and row.version > order.version:
            continue  # an older copy than the one held
        conn.execute(_upsert_statement(order))
        if row is None or (row.local_status is None and not row.progress.strip("{}")):
            continue
        if row.base_version is not None and order.version <= row.base_version:
            continue  # the backend has not moved since the register acted on it
        local, conflict = merge_local_status(row.local_status, order.status.value)
        progress = row.progress if keeps_pick_progress(order.status.value) or local else "{}"
        conn.execute(
            update(t.pickup_orders)
            .where(t.pickup_orders.c.order_id == order.order_id)
            .values(local_status=local, progress=progress, conflict=conflict)
        )


def _values(order: PickupOrderData) -> dict[str, Any]:
    customer = order.customer
    return {
        "order_id": order.order_id,
        "number": order.number,
        "status": order.status.value,
        "version": order.version,
        "customer_name": customer.name,
        "phone_digits": digits(customer.phone),
        "search_text": fold(f"{order.number} {customer.name} {customer.email}"),
        "pickup_code": order.pickup_code,
        "qr_payload": order.qr_payload,
        "paid_online": int(order.paid_online),
        "total_cents": order.total_cents,
        "created_utc": _utc(order.created_at),
        "expires_utc": _utc(order.expires_at),
        "data": order.model_dump_json(),
    }


def _upsert_statement(order: PickupOrderData) -> Any:
    values = _values(order)
    statement = insert(t.pickup_orders).values(values)
    return statement.on_conflict_do_update(
        index_elements=[t.pickup_orders.c.order_id],
        set_={k: statement.excluded[k] for k in values if k != "order_id"},
    )


def delete_pickup_orders(conn: Connection, changes: Sequence[Change]) -> None:
    """An order the backend no longer sends to this store; kept while a hand-over done here
    has not reached the backend."""
    for change in changes:
        conn.execute(
            t.pickup_orders.delete().where(
                t.pickup_orders.c.order_id == change.key,
                or_(
                    t.pickup_orders.c.local_status.is_(None),
                    t.pickup_orders.c.local_status.not_in(
                        (PickupStatus.COLLECTED.value, PickupStatus.PARTIALLY_COLLECTED.value)
                    ),
                ),
            )
        )
