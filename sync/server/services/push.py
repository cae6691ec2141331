"""Push: the registers' outboxes, taken exactly once (Replicache's rule).

Per device the backend keeps ``last_seq``, the last sequence it has taken. Each event is taken
in its own transaction, which locks the device's row, decides, and advances ``last_seq``:

- ``seq <= last_seq``: already taken. Same content (SHA-256 of event id, type, time and
  payload) -> ``duplicate``; different content -> ``rejected``/``payload_mismatch`` and a
  warning in the log: the first version stands, never overwritten.
- ``seq == last_seq + 1``: applied (``applied``, or ``conflict`` when applied but a person must
  look), or refused for good (``rejected``); either way ``last_seq`` advances, so one bad event
  never blocks the queue. An event id the backend took before from another device (a register
  that enrolled again as a new one) is a ``duplicate`` too.
- ``seq > last_seq + 1``: a gap. The batch stops there and the answer says ``expected_seq``.

A transient database failure is tried again a few times, then answered 503 with nothing of
that event kept; the events before it in the batch stay taken, and come back as duplicates.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from pydantic import ValidationError
from sqlalchemy import Connection, insert, or_, select, update

from sync.protocol import (
    EventResult,
    EventStatus,
    EventType,
    OutboxEvent,
    PushResponse,
    SaleAbandonedPayload,
    SaleCompletedPayload,
)
from sync.server.database import Database
from sync.server.services._sql import dumps, storable, storable_text, upsert, utcnow
from sync.server.services.changelog import ChangeEntry, record_changes
from sync.server.services.registers import DeviceIdentity
from sync.server.services.stock import apply_movements, stock_change, to_milli
from sync.server.tables import abandoned_sales, devices, processed_events, products, sales

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: EventStatus
    code: str | None = None
    message: str | None = None


APPLIED = Outcome(EventStatus.APPLIED)


def _rejected(code: str, message: str) -> Outcome:
    return Outcome(EventStatus.REJECTED, code, message)


@dataclass(frozen=True, slots=True)
class _Step:
    last_seq: int  # the device's, after this step
    result: EventResult | None = None
    expected_seq: int | None = None


Handler = Callable[
    [Connection, DeviceIdentity, OutboxEvent, datetime], tuple[Outcome, list[ChangeEntry]]
]


def event_digest(event: OutboxEvent) -> str:
    """What "the same event" means: its id, type, time and payload, canonically encoded."""
    document = {
        "event_id": event.event_id,
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(),
        "payload": event.payload,
    }
    # surrogatepass: a lone surrogate must hash (and then be refused), not crash.
    return hashlib.sha256(dumps(document).encode("utf-8", "surrogatepass")).hexdigest()


def push_events(db: Database, device: DeviceIdentity, events: list[OutboxEvent]) -> PushResponse:
    results: list[EventResult] = []
    expected: int | None = None
    last_seq: int | None = None
    for event in events:
        step = db.retrying(
            partial(_take, db, device, event, event_digest(event)),
            what=f"push of device {device.device_id} seq {event.seq}",
        )
        last_seq = step.last_seq
        if step.expected_seq is not None:
            expected = step.expected_seq
            break
        assert step.result is not None
        results.append(step.result)
    if last_seq is None:  # an empty batch: the client asks where it stands

        def read_last_seq() -> int:
            with db.reading() as conn:
                query = select(devices.c.last_seq).where(devices.c.id == device.device_id)
                return int(conn.execute(query).scalar_one())

        last_seq = db.retrying(read_last_seq, what=f"push of device {device.device_id}")
    return PushResponse(last_seq=last_seq, results=results, expected_seq=expected)


def _take(db: Database, device: DeviceIdentity, event: OutboxEvent, digest: str) -> _Step:
    now = utcnow()
    with db.writing() as conn:
        last_seq = int(
            conn.execute(
                select(devices.c.last_seq).where(devices.c.id == device.device_id).with_for_update()
            ).scalar_one()
        )
        if event.seq <= last_seq:
            return _Step(last_seq, result=_seen_before(conn, device, event, digest))
        if event.seq > last_seq + 1:
            log.info(
                "device %s sent seq %d after %d: gap, asked for %d",
                device.device_id,
                event.seq,
                last_seq,
                last_seq + 1,
            )
            return _Step(last_seq, expected_seq=last_seq + 1)
        outcome, changes = _decide(conn, device, event, digest, now)
        conn.execute(
            insert(processed_events).values(
                device_id=device.device_id,
                seq=event.seq,
                event_id=storable_text(event.event_id),
                event_type=storable_text(event.type),
                payload_sha256=digest,
                status=outcome.status.value,
                code=outcome.code,
                message=outcome.message,
                processed_at=now,
            )
        )
        conn.execute(
            update(devices)
            .where(devices.c.id == device.device_id)
            .values(last_seq=event.seq, last_seen_at=now)
        )
        record_changes(conn, changes, now=now)  # last: the change counter's lock is short
    if outcome.status is not EventStatus.APPLIED:
        log.info(
            "device %s seq %d (%s): %s %s",
            device.device_id,
            event.seq,
            event.type,
            outcome.status.value,
            outcome.code,
        )
    return _Step(event.seq, result=_result(event, outcome))


def _result(event: OutboxEvent, outcome: Outcome) -> EventResult:
    return EventResult(
        seq=event.seq,
        event_id=event.event_id,
        status=outcome.status,
        code=outcome.code,
        message=outcome.message,
    )


def _seen_before(
    conn: Connection, device: DeviceIdentity, event: OutboxEvent, digest: str
) -> EventResult:
    stored = conn.execute(
        select(processed_events.c.payload_sha256).where(
            processed_events.c.device_id == device.device_id,
            processed_events.c.seq == event.seq,
        )
    ).scalar()
    if stored is None or stored == digest:
        if stored is None:
            log.warning("device %s seq %d: taken but not on record", device.device_id, event.seq)
        return _result(event, Outcome(EventStatus.DUPLICATE))
    log.warning(
        "device %s sent seq %d again with different content (event %r): the first one stands",
        device.device_id,
        event.seq,
        event.event_id,
    )
    return _result(
        event,
        _rejected(
            "payload_mismatch",
            f"sequence {event.seq} was already taken with different content; "
            "the first version stands",
        ),
    )


def _decide(
    conn: Connection, device: DeviceIdentity, event: OutboxEvent, digest: str, now: datetime
) -> tuple[Outcome, list[ChangeEntry]]:
    if not (storable(event.event_id) and storable(event.type) and storable(event.payload)):
        return _rejected(
            "invalid_payload",
            "the event holds text that cannot be stored (a NUL character or a lone surrogate)",
        ), []
    earlier = conn.execute(
        select(processed_events.c.payload_sha256)
        .where(processed_events.c.event_id == event.event_id)
        .limit(1)
    ).scalar()
    if earlier is not None:
        if earlier == digest:
            return Outcome(EventStatus.DUPLICATE), []
        log.warning(
            "device %s seq %d reuses event id %r with different content",
            device.device_id,
            event.seq,
            event.event_id,
        )
        return _rejected(
            "payload_mismatch", "this event id was already taken with different content"
        ), []
    handler = _HANDLERS.get(event.type)
    if handler is None:
        return _rejected(
            "unknown_event_type", f"this backend does not know event type {event.type!r}"
        ), []
    return handler(conn, device, event, now)


def _invalid(error: ValidationError) -> Outcome:
    problems = [
        f"{'.'.join(str(p) for p in e['loc']) or 'payload'}: {e['msg']}"
        for e in error.errors(include_url=False, include_input=False)
    ]
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return _rejected("invalid_payload", "; ".join(problems[:3]) + more)


def _apply_sale(
    conn: Connection, device: DeviceIdentity, event: OutboxEvent, now: datetime
) -> tuple[Outcome, list[ChangeEntry]]:
    try:
        sale = SaleCompletedPayload.model_validate(event.payload)
    except ValidationError as error:
        return _invalid(error), []
    if (sale.store_code, sale.register_code) != (device.store_code, device.register_code):
        return _rejected(
            "wrong_store",
            f"the sale is of {sale.store_code}/{sale.register_code}, "
            f"this register is {device.store_code}/{device.register_code}",
        ), []
    deltas: dict[str, int] = {}
    for line in sale.lines:
        try:
            milli = to_milli(line.quantity)
        except ValueError as error:
            return _rejected("invalid_quantity", f"line {line.line_no}: {error}"), []
        if milli <= 0:
            return _rejected(
                "invalid_quantity",
                f"line {line.line_no}: quantity {line.quantity} is not above zero",
            ), []
        deltas[line.product_id] = deltas.get(line.product_id, 0) - milli
    lines_total = sum(line.total_cents for line in sale.lines)
    if lines_total != sale.total_cents:
        return _rejected(
            "totals_mismatch",
            f"the lines add up to {lines_total} cents, the sale says {sale.total_cents}",
        ), []
    taken = conn.execute(
        select(sales.c.id).where(
            or_(sales.c.id == sale.sale_id, sales.c.receipt_number == sale.receipt_number)
        )
    ).first()
    if taken is not None:
        return _rejected(
            "duplicate_sale",
            f"sale {sale.sale_id} (receipt {sale.receipt_number}) was already received "
            "in another event",
        ), []
    conn.execute(
        insert(sales).values(
            id=sale.sale_id,
            store_code=device.store_code,
            device_id=device.device_id,
            register_code=device.register_code,
            receipt_number=sale.receipt_number,
            event_id=event.event_id,
            cashier=sale.cashier,
            currency=sale.currency,
            gross_cents=sale.gross_cents,
            discount_cents=sale.discount_cents,
            total_cents=sale.total_cents,
            tax_cents=sale.tax_cents,
            completed_at=sale.completed_at,
            received_at=now,
            payload=dumps(event.payload),
        )
    )
    levels = apply_movements(
        conn,
        device.store_code,
        deltas,
        reason="sale",
        now=now,
        device_id=device.device_id,
        event_id=event.event_id,
        reference=sale.sale_id,
    )
    known = set(
        conn.execute(select(products.c.id).where(products.c.id.in_(sorted(deltas)))).scalars()
    )
    changes = [stock_change(device.store_code, pid, levels[pid]) for pid in sorted(known)]
    unknown = sorted(set(deltas) - known)
    if unknown:
        shown = ", ".join(unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        return Outcome(
            EventStatus.CONFLICT,
            "unknown_product",
            f"the sale was taken and the stock moved, but the catalog has no product {shown}",
        ), changes
    return APPLIED, changes


def _apply_abandoned(
    conn: Connection, device: DeviceIdentity, event: OutboxEvent, now: datetime
) -> tuple[Outcome, list[ChangeEntry]]:
    try:
        abandoned = SaleAbandonedPayload.model_validate(event.payload)
    except ValidationError as error:
        return _invalid(error), []
    if abandoned.register_code != device.register_code:
        return _rejected(
            "wrong_store",
            f"the voided sale is of register {abandoned.register_code}, "
            f"this register is {device.store_code}/{device.register_code}",
        ), []
    upsert(
        conn,
        abandoned_sales,
        [
            {
                "id": abandoned.abandoned_id,
                "store_code": device.store_code,
                "device_id": device.device_id,
                "register_code": device.register_code,
                "event_id": event.event_id,
                "cashier": abandoned.cashier,
                "reason": abandoned.reason,
                "total_cents": abandoned.total_cents,
                "line_count": abandoned.line_count,
                "abandoned_at": abandoned.at,
                "received_at": now,
                "payload": dumps(event.payload),
            }
        ],
        conflict=("id",),
        update=(),
    )
    return APPLIED, []


_HANDLERS: dict[str, Handler] = {
    EventType.SALE_COMPLETED.value: _apply_sale,
    EventType.SALE_ABANDONED.value: _apply_abandoned,
}
