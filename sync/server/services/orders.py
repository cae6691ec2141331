"""Click-and-collect orders: made by other channels, picked and handed over at a store.

The backend owns an order's state (DESIGN section 4)::

    pending -> picking -> ready -> collected | partially_collected
    pending | picking | ready -> cancelled (by a channel) | expired (not collected in time)

Every change of an order is one ``OrderChange``, written in the transaction of its cause by
``write_order_changes``: the order's row (its whole ``PickupOrderData`` document, version + 1),
a history row (who, where, when), its stock reservation, the stock movements of a hand-over,
and the customer notification it announces (an outbox row). The caller then applies the stock
deltas it returns and records the change-log entries (a ``pickup_order`` change scoped to the
store, and the STOCK changes) as the last step, like every writer of the change log.

Reservation. While an order is open it holds back its quantities at its store: the ordered
quantity of each line, or, once ready, what was picked. ``stock_levels.reserved_milli`` is the
sum of ``stock_reservations``; available = on hand - reserved. A hand-over turns the collected
quantities into ONE sale movement per line and releases the rest; cancellation and expiry
release everything. The reservation is a function of the order's state (``reservation_of``),
so each change adjusts it by the difference, and no path can release twice.

Register transitions (``pickup.transition`` events) are decided by ``decide_transition``, a
pure function of the order as it stands and the event (see sync/README.md for the codes).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from pos_app.domain.ids import new_id
from sync.protocol import (
    OPEN_PICKUP_STATUSES,
    Entity,
    EventStatus,
    OrderCreate,
    PickupHistoryEntry,
    PickupLine,
    PickupOrderData,
    PickupStatus,
    PickupTransitionPayload,
)
from sync.server.core.security import hash_token, new_token
from sync.server.errors import ApiError, CommandError, NotFound
from sync.server.services._sql import dumps, upsert_statement, utcnow
from sync.server.services.changelog import ChangeEntry, record_changes
from sync.server.services.customers import customer_for_order
from sync.server.services.registers import DeviceIdentity
from sync.server.services.stock import apply_stock, milli_to_text, stock_change, to_milli
from sync.server.tables import (
    channel_keys,
    notifications,
    order_counters,
    pickup_order_history,
    pickup_orders,
    products,
    stock_movements,
    stock_reservations,
    stores,
)

DEFAULT_EXPIRY_DAYS = 7
QR_PREFIX = "MOSTRADOR-PICKUP"
PICKUP_CODE_DIGITS = 6
HANDED_OVER = frozenset({PickupStatus.COLLECTED, PickupStatus.PARTIALLY_COLLECTED})
REGISTER_TARGETS = frozenset({PickupStatus.PICKING, PickupStatus.READY, *HANDED_OVER})
_CHANNEL_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,19}$")


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


# --- channel keys ----------------------------------------------------------------------------


def create_channel_key(conn: Connection, channel: str, *, now: datetime | None = None) -> str:
    """A new key for ``channel`` (shown once; only its SHA-256 is kept)."""
    channel = channel.strip().lower()
    if not _CHANNEL_NAME.match(channel):
        raise CommandError(
            "a channel name is 1 to 20 lower-case letters, digits, '-' or '_', "
            "starting with a letter (like web or phone)"
        )
    key = new_token()
    conn.execute(
        insert(channel_keys).values(
            id=new_id(), channel=channel, key_hash=hash_token(key), created_at=now or utcnow()
        )
    )
    return key


def channel_of_key(conn: Connection, key: str) -> str | None:
    """The channel of a valid (not revoked) key, else None."""
    row = conn.execute(
        select(channel_keys.c.channel, channel_keys.c.revoked_at).where(
            channel_keys.c.key_hash == hash_token(key)
        )
    ).first()
    if row is None or row.revoked_at is not None:
        return None
    return str(row.channel)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls the orders API: a channel (by its key) or a register (by its token)."""

    channel: str | None = None
    device: DeviceIdentity | None = None

    @property
    def where(self) -> str:
        if self.device is not None:
            return f"{self.device.store_code}/{self.device.register_code}"
        return self.channel or "?"


# --- the order document ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderSettings:
    expiry_days: int = DEFAULT_EXPIRY_DAYS


@dataclass(slots=True)
class OrderChange:
    """One change of one order, with everything written in the same transaction."""

    before: PickupOrderData | None
    after: PickupOrderData
    actor: str
    place: str
    at: datetime
    note: str = ""
    conflict: str | None = None
    device_id: str | None = None
    event_id: str | None = None
    # (line_no, product_id, thousandths handed over): one sale movement each
    handed_over: list[tuple[int, str, int]] = field(default_factory=list)
    reference: str | None = None  # the sale id of a hand-over, when paid at the counter
    notify: str | None = None  # ready, cancelled, expired
    new_row: dict[str, Any] | None = None  # the columns of a new order's row


def reservation_of(order: PickupOrderData) -> dict[int, tuple[str, int]]:
    """What ``order`` holds back: line -> (product id, thousandths)."""
    if order.status not in OPEN_PICKUP_STATUSES:
        return {}
    held: dict[int, tuple[str, int]] = {}
    for line in order.lines:
        quantity = line.picked if order.status is PickupStatus.READY and line.picked else None
        milli = to_milli(quantity or line.quantity)
        if milli > 0:
            held[line.line_no] = (line.product_id, milli)
    return held


def _advance(
    order: PickupOrderData,
    status: PickupStatus,
    *,
    at: datetime,
    now: datetime,
    actor: str,
    place: str,
    note: str = "",
    lines: Sequence[PickupLine] | None = None,
) -> PickupOrderData:
    entry = PickupHistoryEntry(status=status, at=at, by=actor[:200], where=place[:200], note=note)
    return order.model_copy(
        update={
            "status": status,
            "version": order.version + 1,
            "updated_at": now,
            "lines": list(lines) if lines is not None else order.lines,
            "history": [*order.history, entry],
        }
    )


def _document(order: PickupOrderData) -> dict[str, Any]:
    return order.model_dump(mode="json")


def order_change_entry(order: PickupOrderData) -> ChangeEntry:
    return ChangeEntry(
        Entity.PICKUP_ORDER, order.order_id, _document(order), scope=order.store_code
    )


def _load(conn: Connection, *where: Any, lock: bool = False) -> PickupOrderData | None:
    query = select(pickup_orders.c.document).where(*where)
    if lock:
        query = query.with_for_update()
    text = conn.execute(query).scalar()
    return None if text is None else PickupOrderData.model_validate_json(text)


def load_orders(conn: Connection, order_ids: Iterable[str]) -> dict[str, PickupOrderData]:
    """The orders of ``order_ids`` that exist, their rows locked in id order (the lock order of
    every writer of orders: orders, then stock levels, then the change counter)."""
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    rows = conn.execute(
        select(pickup_orders.c.document)
        .where(pickup_orders.c.id.in_(ids))
        .order_by(pickup_orders.c.id)
        .with_for_update()
    ).scalars()
    found = (PickupOrderData.model_validate_json(text) for text in rows)
    return {order.order_id: order for order in found}


def order_by_number(conn: Connection, number: str, *, lock: bool = False) -> PickupOrderData:
    order = _load(conn, pickup_orders.c.number == number.strip().upper(), lock=lock)
    if order is None:
        raise NotFound(f"no order {number!r}")
    return order


# --- writing -----------------------------------------------------------------------------------


def _notification_row(change: OrderChange, now: datetime) -> dict[str, Any]:
    order = change.after
    missing = []
    if change.notify == "ready":
        for line in order.lines:
            ordered = to_milli(line.quantity)
            picked = to_milli(line.picked) if line.picked is not None else ordered
            if picked < ordered:
                missing.append(
                    {
                        "line_no": line.line_no,
                        "sku": line.sku,
                        "name": line.name,
                        "ordered": line.quantity,
                        "picked": milli_to_text(picked),
                        "missing": milli_to_text(ordered - picked),
                    }
                )
    notification_id = new_id()
    body = {
        "id": notification_id,
        "kind": change.notify,
        "order_id": order.order_id,
        "number": order.number,
        "channel": order.channel,
        "store_code": order.store_code,
        "status": order.status.value,
        "customer": order.customer.model_dump(mode="json"),
        "missing": missing,
        "total_cents": order.total_cents,
        "paid_online": order.paid_online,
        "expires_at": order.expires_at.isoformat(),
        "note": change.note,
        "at": now.isoformat(),
    }
    return {
        "id": notification_id,
        "order_id": order.order_id,
        "kind": change.notify,
        "payload": dumps(body),
        "created_at": now,
        "attempts": 0,
        "next_attempt_at": now,
    }


def write_order_changes(
    conn: Connection, changes: Sequence[OrderChange], *, now: datetime, device_id: str | None = None
) -> dict[tuple[str, str], tuple[int, int]]:
    """Write ``changes`` (in order; one order may change several times); the stock deltas
    (on hand, reserved) per (store, product) for the caller to apply with the rest."""
    deltas: dict[tuple[str, str], tuple[int, int]] = {}

    def add(store: str, product_id: str, on_hand: int, reserved: int) -> None:
        old = deltas.get((store, product_id), (0, 0))
        deltas[(store, product_id)] = (old[0] + on_hand, old[1] + reserved)

    history: list[dict[str, Any]] = []
    movements: list[dict[str, Any]] = []
    outbox: list[dict[str, Any]] = []
    for change in changes:
        order = change.after
        document = dumps(_document(order))
        if change.before is None:
            assert change.new_row is not None
            conn.execute(insert(pickup_orders).values(**change.new_row, document=document))
        else:
            conn.execute(
                update(pickup_orders)
                .where(pickup_orders.c.id == order.order_id)
                .values(
                    status=order.status.value,
                    version=order.version,
                    document=document,
                    updated_at=order.updated_at,
                )
            )
        history.append(
            {
                "order_id": order.order_id,
                "version": order.version,
                "from_status": change.before.status.value if change.before else None,
                "status": order.status.value,
                "at": change.at,
                "recorded_at": now,
                "actor": change.actor,
                "place": change.place[:40],
                "device_id": change.device_id,
                "event_id": change.event_id,
                "conflict": change.conflict,
                "note": change.note,
            }
        )
        old = reservation_of(change.before) if change.before is not None else {}
        new = reservation_of(order)
        if old != new:
            if old:
                conn.execute(
                    delete(stock_reservations).where(
                        stock_reservations.c.order_id == order.order_id
                    )
                )
            if new:
                conn.execute(
                    insert(stock_reservations),
                    [
                        {
                            "order_id": order.order_id,
                            "line_no": line_no,
                            "store_code": order.store_code,
                            "product_id": pid,
                            "quantity_milli": milli,
                        }
                        for line_no, (pid, milli) in sorted(new.items())
                    ],
                )
            for _, (pid, milli) in old.items():
                add(order.store_code, pid, 0, -milli)
            for _, (pid, milli) in new.items():
                add(order.store_code, pid, 0, milli)
        for _line_no, pid, milli in change.handed_over:
            movements.append(
                {
                    "store_code": order.store_code,
                    "product_id": pid,
                    "delta_milli": -milli,
                    "reason": "sale",
                    "device_id": change.device_id or device_id,
                    "event_id": change.event_id,
                    "reference": change.reference or order.number,
                    "created_at": now,
                }
            )
            add(order.store_code, pid, -milli, 0)
        if change.notify is not None:
            outbox.append(_notification_row(change, now))
    conn.execute(insert(pickup_order_history), history)
    if movements:
        conn.execute(insert(stock_movements), movements)
    if outbox:
        conn.execute(insert(notifications), outbox)
    return {key: value for key, value in deltas.items() if value != (0, 0)}


def stock_entries(levels: dict[tuple[str, str], tuple[int, int]]) -> list[ChangeEntry]:
    return [
        stock_change(store, pid, on_hand, reserved)
        for (store, pid), (on_hand, reserved) in sorted(levels.items())
    ]


def commit_changes(
    conn: Connection,
    changes: Sequence[OrderChange],
    *,
    now: datetime,
    extra: Sequence[ChangeEntry] = (),
) -> None:
    """Write ``changes``, apply their stock, and record the change log (last), with ``extra``
    entries (the order's customer)."""
    if not changes:
        return
    deltas = write_order_changes(conn, changes, now=now)
    levels = apply_stock(conn, deltas, now=now)
    latest = {c.after.order_id: c.after for c in changes}
    entries = [*stock_entries(levels), *(order_change_entry(o) for o in latest.values())]
    record_changes(conn, [*extra, *entries], now=now)


# --- the channels' API ---------------------------------------------------------------------------


def _request_digest(request: OrderCreate) -> str:
    return hashlib.sha256(dumps(request.model_dump(mode="json")).encode("utf-8")).hexdigest()


def _next_number(conn: Connection, channel: str, now: datetime) -> str:
    prefix = channel[0].upper()
    statement = upsert_statement(
        conn, order_counters, conflict=("prefix", "year"), update=(), increment=("value",)
    ).returning(order_counters.c.value)
    value = conn.execute(statement, [{"prefix": prefix, "year": now.year, "value": 1}]).scalar_one()
    return f"{prefix}-{now.year}-{int(value):06d}"


def create_order(
    conn: Connection,
    channel: str,
    request: OrderCreate,
    *,
    settings: OrderSettings,
    now: datetime | None = None,
) -> tuple[PickupOrderData, bool]:
    """A new order (and whether it is new: the same ``external_ref`` again gives the first)."""
    now = now or utcnow()
    if request.channel != channel:
        raise Forbidden(f"this key is for channel {channel!r}; the order says {request.channel!r}")
    digest = _request_digest(request)
    if request.external_ref:
        row = conn.execute(
            select(pickup_orders.c.document, pickup_orders.c.request_sha256).where(
                pickup_orders.c.channel == channel,
                pickup_orders.c.external_ref == request.external_ref,
            )
        ).first()
        if row is not None:
            if row.request_sha256 != digest:
                raise ApiError(
                    f"external_ref {request.external_ref!r} was already used for another "
                    "order of this channel; the first one stands",
                    code="external_ref_reused",
                    status=409,
                )
            return PickupOrderData.model_validate_json(row.document), False
    store_code = request.store_code
    store = conn.execute(
        select(stores.c.code, stores.c.currency).where(stores.c.code == store_code)
    ).first()
    if store is None:
        raise ApiError(f"there is no store {store_code!r}", code="unknown_store", status=422)
    skus = sorted({line.sku for line in request.lines})
    found = {
        r.sku: r
        for r in conn.execute(
            select(
                products.c.id, products.c.sku, products.c.name, products.c.price_cents,
                products.c.active,
            ).where(products.c.sku.in_(skus))
        )
    }  # fmt: skip
    lines: list[PickupLine] = []
    for line_no, wanted in enumerate(request.lines, start=1):
        product = found.get(wanted.sku)
        if product is None:
            raise ApiError(
                f"line {line_no}: there is no product with SKU {wanted.sku!r}",
                code="unknown_sku",
                status=422,
            )
        if not product.active:
            raise ApiError(
                f"line {line_no}: product {wanted.sku} ({product.name}) is no longer sold",
                code="inactive_product",
                status=422,
            )
        milli = to_milli(wanted.quantity)
        if milli <= 0:
            raise ApiError(
                f"line {line_no}: the quantity must be above zero",
                code="invalid_quantity",
                status=422,
            )
        unit_cents = (
            int(product.price_cents) if wanted.unit_price_cents is None else wanted.unit_price_cents
        )
        if unit_cents < 0:
            raise ApiError(
                f"line {line_no}: a price is not negative", code="invalid_price", status=422
            )
        total = int((Decimal(unit_cents) * Decimal(milli) / 1000).to_integral_value())
        lines.append(
            PickupLine(
                line_no=line_no,
                product_id=product.id,
                sku=product.sku,
                name=product.name[:200],
                quantity=milli_to_text(milli),
                unit_price_cents=unit_cents,
                total_cents=total,
            )
        )
    # One customer in every channel: the one with this email (else phone), or a new one.
    customer_id, customer_changes = customer_for_order(
        conn,
        name=request.customer.name,
        email=request.customer.email,
        phone=request.customer.phone,
        channel=channel,
        store_code=store_code,
        new_id=new_id(),
        now=now,
    )
    number = _next_number(conn, channel, now)
    code = f"{secrets.randbelow(10**PICKUP_CODE_DIGITS):0{PICKUP_CODE_DIGITS}d}"
    expires_at = now + timedelta(days=settings.expiry_days)
    order = PickupOrderData(
        order_id=new_id(),
        number=number,
        channel=channel,
        store_code=store_code,
        status=PickupStatus.PENDING,
        version=1,
        customer=request.customer,
        paid_online=request.paid_online,
        currency=store.currency,
        total_cents=sum(line.total_cents for line in lines),
        lines=lines,
        pickup_code=code,
        qr_payload=f"{QR_PREFIX}:{number}:{code}",
        created_at=now,
        expires_at=expires_at,
        updated_at=now,
        note=request.note,
        history=[
            PickupHistoryEntry(status=PickupStatus.PENDING, at=now, by=channel, where=channel)
        ],
        customer_id=customer_id,
    )
    change = OrderChange(
        before=None,
        after=order,
        actor=channel,
        place=channel,
        at=now,
        new_row={
            "id": order.order_id,
            "number": number,
            "channel": channel,
            "external_ref": request.external_ref or None,
            "request_sha256": digest,
            "store_code": store_code,
            "status": order.status.value,
            "version": 1,
            "created_at": now,
            "expires_at": expires_at,
            "updated_at": now,
            "customer_id": customer_id,
        },
    )
    commit_changes(conn, [change], now=now, extra=customer_changes)
    return order, True


def cancel_order(
    conn: Connection, channel: str, number: str, reason: str, *, now: datetime | None = None
) -> PickupOrderData:
    """Cancel an open order (again: the same answer); 409 once it is collected or expired."""
    now = now or utcnow()
    order = order_by_number(conn, number, lock=True)
    if order.status is PickupStatus.CANCELLED:
        return order
    if order.status not in OPEN_PICKUP_STATUSES:
        raise ApiError(
            f"order {order.number} is {order.status.value}: it can no longer be cancelled",
            code="order_closed",
            status=409,
        )
    after = _advance(
        order, PickupStatus.CANCELLED, at=now, now=now, actor=channel, place=channel, note=reason
    )
    change = OrderChange(
        order, after, actor=channel, place=channel, at=now, note=reason, notify="cancelled"
    )
    commit_changes(conn, [change], now=now)
    return after


def expire_orders(conn: Connection, *, now: datetime, limit: int = 200) -> list[str]:
    """Expire up to ``limit`` open orders whose time is up; their numbers."""
    due = conn.execute(
        select(pickup_orders.c.id)
        .where(
            pickup_orders.c.status.in_([s.value for s in OPEN_PICKUP_STATUSES]),
            pickup_orders.c.expires_at <= now,
        )
        .order_by(pickup_orders.c.id)
        .limit(limit)
    ).scalars()
    orders = load_orders(conn, list(due))
    changes = []
    for order in orders.values():
        if order.status not in OPEN_PICKUP_STATUSES:  # changed since it was read
            continue
        note = f"not collected by {order.expires_at:%Y-%m-%d %H:%M} UTC"
        after = _advance(
            order, PickupStatus.EXPIRED, at=now, now=now, actor="system", place="backend", note=note
        )
        changes.append(
            OrderChange(
                order, after, actor="system", place="backend", at=now, note=note, notify="expired"
            )
        )
    commit_changes(conn, changes, now=now)
    return [c.after.number for c in changes]


def check_code(order: PickupOrderData, given: str) -> bool:
    """The typed pickup code, or the whole QR payload, in constant time."""
    text = given.strip()
    if text.upper().startswith(QR_PREFIX + ":"):
        expected = order.qr_payload
    else:
        text = "".join(ch for ch in text if not ch.isspace() and ch != "-")
        expected = order.pickup_code
    return hmac.compare_digest(text.encode("utf-8"), expected.encode("utf-8"))


def number_in_qr(given: str) -> str | None:
    parts = given.strip().split(":")
    if len(parts) == 3 and parts[0].upper() == QR_PREFIX:
        return parts[1].upper()
    return None


# --- register transitions -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    status: EventStatus
    code: str | None = None
    message: str | None = None
    change: OrderChange | None = None  # None: nothing changes


def _refused(code: str, message: str) -> Decision:
    return Decision(EventStatus.REJECTED, code, message)


def _line_quantities(
    order: PickupOrderData, payload: PickupTransitionPayload
) -> dict[int, int] | Decision:
    ordered = {line.line_no: to_milli(line.quantity) for line in order.lines}
    given: dict[int, int] = {}
    for item in payload.lines:
        if item.line_no not in ordered:
            return _refused("invalid_quantity", f"order {order.number} has no line {item.line_no}")
        if item.line_no in given:
            return _refused("invalid_quantity", f"line {item.line_no} is given twice")
        milli = to_milli(item.quantity)
        if milli > ordered[item.line_no]:
            return _refused(
                "invalid_quantity",
                f"line {item.line_no}: {item.quantity} is more than the "
                f"{milli_to_text(ordered[item.line_no])} ordered",
            )
        given[item.line_no] = milli
    return given


def _last_of(order: PickupOrderData, status: PickupStatus) -> str:
    for entry in reversed(order.history):
        if entry.status is status:
            return f" (by {entry.by} at {entry.where}, {entry.at:%Y-%m-%d %H:%M} UTC)"
    return ""


def decide_transition(
    order: PickupOrderData | None,
    payload: PickupTransitionPayload,
    device: DeviceIdentity,
    *,
    event_id: str,
    now: datetime,
) -> Decision:
    """What a register's ``pickup.transition`` does to ``order`` as it stands now."""
    if order is None:
        return _refused(
            "pickup_unknown_order",
            f"this backend has no order {payload.order_id} ({payload.number})",
        )
    if order.store_code != device.store_code or payload.register_code != device.register_code:
        return _refused(
            "wrong_store",
            f"order {order.number} is picked up at {order.store_code}; this register is "
            f"{device.store_code}/{device.register_code} (the event says {payload.register_code})",
        )
    target = payload.to_status
    if target not in REGISTER_TARGETS:
        return _refused(
            "invalid_payload",
            f"a register moves an order to picking, ready, collected or partially_collected, "
            f"not {target.value}",
        )
    quantities = _line_quantities(order, payload)
    if isinstance(quantities, Decision):
        return quantities
    place = f"{device.store_code}/{device.register_code}"
    current = order.status
    number = order.number

    def change(after: PickupOrderData, **extra: Any) -> OrderChange:
        return OrderChange(
            order,
            after,
            actor=payload.cashier or "?",
            place=place,
            at=payload.at,
            note=extra.pop("note", payload.note),
            device_id=device.device_id,
            event_id=event_id,
            **extra,
        )

    if current in HANDED_OVER:
        return Decision(
            EventStatus.CONFLICT,
            "pickup_already_collected",
            f"order {number} was already handed over{_last_of(order, current)}; this "
            f"{target.value} was not recorded and no stock moved: check that the customer did "
            "not get the goods twice, and find them if they are still in the store",
        )
    if target in HANDED_OVER:
        lines: list[PickupLine] = []
        moved: list[tuple[int, str, int]] = []
        complete = True
        for line in order.lines:
            if payload.lines:
                milli = quantities.get(line.line_no, 0)
            else:  # nothing listed: everything that was picked (or ordered) left
                milli = to_milli(line.picked or line.quantity)
            complete = complete and milli == to_milli(line.quantity)
            lines.append(line.model_copy(update={"collected": milli_to_text(milli)}))
            if milli > 0:
                moved.append((line.line_no, line.product_id, milli))
        status = PickupStatus.COLLECTED if complete else PickupStatus.PARTIALLY_COLLECTED
        if current in OPEN_PICKUP_STATUSES:
            after = _advance(
                order, status, at=payload.at, now=now, actor=payload.cashier,
                place=place, note=payload.note, lines=lines,
            )  # fmt: skip
            return Decision(
                EventStatus.APPLIED,
                change=change(after, handed_over=moved, reference=payload.sale_id),
            )
        # Cancelled or expired meanwhile: the goods left, so the hand-over stands.
        code = "pickup_cancelled" if current is PickupStatus.CANCELLED else "pickup_expired"
        why = (
            f"was cancelled{_last_of(order, current)}"
            if current is PickupStatus.CANCELLED
            else f"had expired{_last_of(order, current)}"
        )
        note = f"handed over at {place} after it was {current.value}"
        note = f"{note}; {payload.note}"[:500] if payload.note else note
        after = _advance(
            order, status, at=payload.at, now=now, actor=payload.cashier,
            place=place, note=note, lines=lines,
        )  # fmt: skip
        return Decision(
            EventStatus.CONFLICT,
            code,
            f"order {number} {why} before it was handed over at {place}: the hand-over stands, "
            "it is recorded and the stock moved; a manager settles the money with the customer "
            "(charge what was refunded, or refund what was paid twice)",
            change(after, handed_over=moved, reference=payload.sale_id, conflict=code, note=note),
        )
    if current is PickupStatus.CANCELLED or current is PickupStatus.EXPIRED:
        code = "pickup_cancelled" if current is PickupStatus.CANCELLED else "pickup_expired"
        return Decision(
            EventStatus.CONFLICT,
            code,
            f"order {number} is {current.value}{_last_of(order, current)}; this {target.value} "
            "changed nothing: put the goods back on the shelf",
        )
    if target is PickupStatus.PICKING:
        if current is PickupStatus.PENDING:
            after = _advance(
                order, target, at=payload.at, now=now, actor=payload.cashier, place=place,
                note=payload.note,
            )  # fmt: skip
            return Decision(EventStatus.APPLIED, change=change(after))
        if current is PickupStatus.PICKING:
            return Decision(EventStatus.APPLIED)  # already picking: nothing to change
        return Decision(
            EventStatus.CONFLICT,
            "pickup_invalid_transition",
            f"order {number} is already ready{_last_of(order, current)}; it does not go back "
            "to picking and nothing changed",
        )
    # ready: from pending, picking, or ready again (a new count of what was found)
    lines = [
        line.model_copy(
            update={"picked": milli_to_text(quantities.get(line.line_no, to_milli(line.quantity)))}
        )
        for line in order.lines
    ]
    if current is PickupStatus.READY and lines == order.lines:
        return Decision(EventStatus.APPLIED)
    after = _advance(
        order, target, at=payload.at, now=now, actor=payload.cashier, place=place,
        note=payload.note, lines=lines,
    )  # fmt: skip
    notify = "ready" if current is not PickupStatus.READY else None
    return Decision(EventStatus.APPLIED, change=change(after, notify=notify))
