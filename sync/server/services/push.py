"""Push: the registers' outboxes, taken exactly once (Replicache's rule).

Per device the backend keeps ``last_seq``, the last sequence it has taken. An event is taken in
a transaction that locks the device's row, decides, and advances ``last_seq`` with the event's
effects, so both commit or neither does:

- ``seq <= last_seq``: already taken. Same content (SHA-256 of event id, type, time and
  payload) -> ``duplicate``; different content -> ``rejected``/``payload_mismatch`` and a
  warning in the log: the first version stands, never overwritten.
- ``seq == last_seq + 1``: applied (``applied``, or ``conflict`` when applied but a person must
  look), or refused for good (``rejected``); either way ``last_seq`` advances, so one bad event
  never blocks the queue. An event id the backend took before from another device (a register
  that enrolled again as a new one) is a ``duplicate`` too.
- ``seq > last_seq + 1``: a gap. The batch stops there and the answer says ``expected_seq``.

Group commit. Committing each sale on its own costs a durable commit and a dozen statements per
sale, and every commit also takes the change counter's row lock (see ``changelog.py``), which
serializes all writers of the chain. So a server process has one ``PushWriter``: a thread that
takes, in one transaction, the events of every push waiting at that moment (from any number of
registers), with one statement per table for the whole group (rows of all its sales at once),
then one change-log range and one commit. Rows are locked in one order by every writer: the
devices (by id), then pickup orders (by id), then the sales that returns name (by id), then
vouchers (by code), then customers (by id), then stock levels (by store and product), then the
change counter, so groups of several server processes never deadlock.

Returns (``return.completed``, see ``returns.py``): the original a return names is locked
before the quantities already returned of it are read, so returns of one original are decided
one after the other, across server processes too; within a group each return sees the ones
before it (``_Group.returned``), and a sale taken earlier in the same group may be returned.

Store credit (see ``vouchers.py``): a return's refund of kind ``voucher`` issues a voucher, a
sale's payment of kind ``voucher`` spends one. The vouchers a group names are locked by code
before anything is decided, and each event of the group sees the balances the ones before it
left (``_Group.vouchers``), so two spends of one voucher are decided one after the other.

Customers (``customer.upserted``, see ``customers.py``): the customers a group edits or its
sales name are locked by id (a placeholder row is inserted first for one that may be new, so two
registers creating the same customer at once wait for each other instead of failing); each
upsert is merged field by field into the customer as the events before it in the group left
them, and each customer is written once, with its new stores and duplicate flags, before any
stock level. A sale naming an unknown or erased customer is kept (a fact) and logged.

The till and the fiscal records (issue 8, see ``journal.py`` and ``till.py``): a register's
journal records (``fiscal.recorded``) are decided against where its chain stands
(``fiscal_chains``, read once per group; each record sees the ones before it in the group), and
a Z close (``till.closed``) against the sums of its till (read once per group, then kept up to
date with the group's sales, returns, cancellations and cash movements before it). Both are
guarded by the device's row, locked first, so they take no lock of their own. A sale
cancellation (``sale.cancelled``, see ``cancellations.py``) marks its sale cancelled and puts
its stock back.

Isolation of a bad event without savepoints: every permanent rejection is decided before
anything of the event is written (from the payload, and from the rows read at the start of the
group), so a rejected event writes only its dedupe record. An unexpected database error that
is not transient (a bug, a constraint nobody foresaw) makes the group run again in smaller
transactions: each push alone, then that push event by event, so the events before the faulty
one are taken and its push answers 500, as when each event had its own transaction.

A transient database failure (connection lost, deadlock) makes the group run again a few times,
then every push of the group is answered 503 with nothing of that group kept; what earlier
groups took stays taken and comes back as ``duplicate``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    Connection,
    bindparam,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)

from sync.protocol import (
    VOUCHER_KIND,
    AuditRecordedPayload,
    Disposition,
    DrawerOpenedPayload,
    EventResult,
    EventStatus,
    EventType,
    FiscalRecordPayload,
    OutboxEvent,
    PickupOrderData,
    PickupTransitionPayload,
    PushResponse,
    ReturnCompletedPayload,
    ReturnPolicy,
    SaleAbandonedPayload,
    SaleCancelledPayload,
    SaleCompletedPayload,
    TillCashMovedPayload,
    TillClosedPayload,
    TillOpenedPayload,
)
from sync.protocol import CustomerUpsertedPayload as _CustomerUpserted
from sync.server.core.security import hash_token
from sync.server.database import Database
from sync.server.errors import Revoked, Unauthorized, Unavailable
from sync.server.services._sql import (
    dumps,
    one_of,
    storable,
    storable_text,
    upsert,
    utcnow,
)
from sync.server.services.cancellations import CancellationGroup, HeldSale
from sync.server.services.changelog import ChangeEntry, record_changes
from sync.server.services.customers import CustomerGroup
from sync.server.services.journal import FiscalGroup
from sync.server.services.orders import (
    OrderChange,
    decide_transition,
    load_orders,
    order_change_entry,
    stock_entries,
    write_order_changes,
)
from sync.server.services.policies import current_return_policy
from sync.server.services.registers import DeviceIdentity
from sync.server.services.returns import (
    POLICY_VIOLATION,
    Original,
    ReturnCheck,
    Returned,
    check_policy,
    check_return,
    original_of_order,
    original_of_sale,
    returned_quantities,
)
from sync.server.services.stock import apply_stock, to_milli
from sync.server.services.till import TILL_MISMATCH, TillGroup
from sync.server.services.vouchers import (
    VoucherState,
    lock_vouchers,
    normalize_code,
    unknown_spends,
)
from sync.server.tables import (
    abandoned_sales,
    audit_log,
    devices,
    drawer_openings,
    pickup_orders,
    processed_events,
    products,
    return_lines,
    return_refunds,
    returns,
    sales,
    stock_movements,
    till_cash_movements,
    till_closes,
    till_sessions,
    voucher_movements,
    vouchers,
)

log = logging.getLogger(__name__)

MAX_GROUP_EVENTS = 1000  # events taken in one transaction (a push is never split)
_INLINE_PREPARE = 50  # larger pushes are checked in a worker thread, not the event loop


@dataclass(frozen=True, slots=True)
class Outcome:
    status: EventStatus
    code: str | None = None
    message: str | None = None


APPLIED = Outcome(EventStatus.APPLIED)
DUPLICATE = Outcome(EventStatus.DUPLICATE)


def _rejected(code: str, message: str) -> Outcome:
    return Outcome(EventStatus.REJECTED, code, message)


def _wrong_register(
    what: str, device: DeviceIdentity, register_code: str, store_code: str | None = None
) -> Outcome | None:
    """``wrong_store`` when an event names another register (and store) than its sender."""
    ours = f"{device.store_code}/{device.register_code}"
    if store_code is None:
        if register_code == device.register_code:
            return None
        theirs = f"register {register_code}"
    else:
        if (store_code, register_code) == (device.store_code, device.register_code):
            return None
        theirs = f"{store_code}/{register_code}"
    return _rejected("wrong_store", f"the {what} is of {theirs}, this register is {ours}")


def event_digest(event: OutboxEvent, payload_text: str | None = None) -> str:
    """What "the same event" means: its id, type, time and payload, canonically encoded.

    The canonical text is ``dumps`` of ``{"event_id", "occurred_at", "payload", "type"}``;
    ``payload_text`` (``dumps(event.payload)``, when already made) is spliced in as is.
    """
    payload = dumps(event.payload) if payload_text is None else payload_text
    text = (
        f'{{"event_id":{dumps(event.event_id)},'
        f'"occurred_at":{dumps(event.occurred_at.isoformat())},'
        f'"payload":{payload},"type":{dumps(event.type)}}}'
    )
    # surrogatepass: a lone surrogate must hash (and then be refused), not crash.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --- what can be decided from the event alone ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreparedEvent:
    """An event with everything decided that needs no database, in the order of the checks."""

    event: OutboxEvent
    digest: str
    payload_text: str
    storable: bool  # text a database can store (no NUL, no lone surrogate)
    known_type: bool
    invalid: Outcome | None = None  # the payload does not match its model
    sale: SaleCompletedPayload | None = None
    abandoned: SaleAbandonedPayload | None = None
    transition: PickupTransitionPayload | None = None
    audit: AuditRecordedPayload | None = None
    ret: ReturnCompletedPayload | None = None
    customer: _CustomerUpserted | None = None
    fiscal: FiscalRecordPayload | None = None
    till_opened: TillOpenedPayload | None = None
    cash_moved: TillCashMovedPayload | None = None
    drawer: DrawerOpenedPayload | None = None
    till_closed: TillClosedPayload | None = None
    cancelled: SaleCancelledPayload | None = None
    refusal: Outcome | None = None  # quantities and totals (checked after the store)
    deltas: dict[str, int] = field(default_factory=dict)  # product id -> -thousandths


def prepare(event: OutboxEvent) -> PreparedEvent:
    payload_text = dumps(event.payload)
    digest = event_digest(event, payload_text)
    ok = (
        storable(event.event_id) and storable(event.type) and _storable_payload(event, payload_text)
    )
    if event.type == EventType.SALE_COMPLETED.value:
        try:
            sale = SaleCompletedPayload.model_validate(event.payload)
        except ValidationError as error:
            return PreparedEvent(event, digest, payload_text, ok, True, invalid=_invalid(error))
        refusal, deltas = _check_sale(sale)
        return PreparedEvent(
            event, digest, payload_text, ok, True, sale=sale, refusal=refusal, deltas=deltas
        )
    if event.type == EventType.SALE_ABANDONED.value:
        try:
            abandoned = SaleAbandonedPayload.model_validate(event.payload)
        except ValidationError as error:
            return PreparedEvent(event, digest, payload_text, ok, True, invalid=_invalid(error))
        return PreparedEvent(event, digest, payload_text, ok, True, abandoned=abandoned)
    if event.type == EventType.SALE_CANCELLED.value:  # see cancellations.py
        try:
            cancelled = SaleCancelledPayload.model_validate(event.payload)
        except ValidationError as error:
            return PreparedEvent(event, digest, payload_text, ok, True, invalid=_invalid(error))
        return PreparedEvent(event, digest, payload_text, ok, True, cancelled=cancelled)
    if event.type == EventType.PICKUP_TRANSITION.value:
        try:
            transition = PickupTransitionPayload.model_validate(event.payload)
        except ValidationError as error:
            return PreparedEvent(event, digest, payload_text, ok, True, invalid=_invalid(error))
        return PreparedEvent(event, digest, payload_text, ok, True, transition=transition)
    if event.type == EventType.AUDIT_RECORDED.value:
        try:
            audit = AuditRecordedPayload.model_validate(event.payload)
        except ValidationError as error:
            return PreparedEvent(event, digest, payload_text, ok, True, invalid=_invalid(error))
        return PreparedEvent(event, digest, payload_text, ok, True, audit=audit)
    if event.type == EventType.RETURN_COMPLETED.value:
        try:
            ret = ReturnCompletedPayload.model_validate(event.payload)
        except ValidationError as error:
            return PreparedEvent(event, digest, payload_text, ok, True, invalid=_invalid(error))
        return PreparedEvent(
            event, digest, payload_text, ok, True, ret=ret, refusal=_check_return_payload(ret)
        )
    if event.type == EventType.CUSTOMER_UPSERTED.value:
        try:
            customer = _CustomerUpserted.model_validate(event.payload)
        except ValidationError as error:
            return PreparedEvent(event, digest, payload_text, ok, True, invalid=_invalid(error))
        return PreparedEvent(event, digest, payload_text, ok, True, customer=customer)
    if event.type in _TILL_TYPES:  # the till and the fiscal records (issue 8)
        try:
            return _prepare_till(event, digest, payload_text, ok)
        except ValidationError as error:
            return PreparedEvent(event, digest, payload_text, ok, True, invalid=_invalid(error))
    return PreparedEvent(event, digest, payload_text, ok, False)


_TILL_TYPES = frozenset(
    t.value
    for t in (
        EventType.FISCAL_RECORDED,
        EventType.TILL_OPENED,
        EventType.TILL_CASH_MOVED,
        EventType.DRAWER_OPENED,
        EventType.TILL_CLOSED,
    )
)


def _prepare_till(event: OutboxEvent, digest: str, text: str, ok: bool) -> PreparedEvent:
    payload = event.payload
    if event.type == EventType.FISCAL_RECORDED.value:
        record = FiscalRecordPayload.model_validate(payload)
        return PreparedEvent(event, digest, text, ok, True, fiscal=record)
    if event.type == EventType.TILL_OPENED.value:
        opened = TillOpenedPayload.model_validate(payload)
        return PreparedEvent(event, digest, text, ok, True, till_opened=opened)
    if event.type == EventType.TILL_CASH_MOVED.value:
        moved = TillCashMovedPayload.model_validate(payload)
        return PreparedEvent(event, digest, text, ok, True, cash_moved=moved)
    if event.type == EventType.DRAWER_OPENED.value:
        drawer = DrawerOpenedPayload.model_validate(payload)
        return PreparedEvent(event, digest, text, ok, True, drawer=drawer)
    closed = TillClosedPayload.model_validate(payload)
    return PreparedEvent(event, digest, text, ok, True, till_closed=closed)


def _storable_payload(event: OutboxEvent, payload_text: str) -> bool:
    """``storable(event.payload)``, read off its JSON text (walking a large payload in Python
    costs more than the rest of the checks): a NUL is written ``\\u0000`` (only then is the
    payload walked, as the text may be a literal backslash and "u0000"), and a lone surrogate
    is left as is, so the text does not encode."""
    if "\\u0000" in payload_text:
        return storable(event.payload)
    try:
        payload_text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _invalid(error: ValidationError) -> Outcome:
    problems = [
        f"{'.'.join(str(p) for p in e['loc']) or 'payload'}: {e['msg']}"
        for e in error.errors(include_url=False, include_input=False)
    ]
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return _rejected("invalid_payload", "; ".join(problems[:3]) + more)


def _check_sale(sale: SaleCompletedPayload) -> tuple[Outcome | None, dict[str, int]]:
    deltas: dict[str, int] = {}
    for line in sale.lines:
        try:
            milli = to_milli(line.quantity)
        except ValueError as error:
            return _rejected("invalid_quantity", f"line {line.line_no}: {error}"), {}
        if milli <= 0:
            return _rejected(
                "invalid_quantity",
                f"line {line.line_no}: quantity {line.quantity} is not above zero",
            ), {}
        deltas[line.product_id] = deltas.get(line.product_id, 0) - milli
    for payment in sale.payments:
        if payment.kind == VOUCHER_KIND and payment.amount_cents < 0:
            return _rejected(
                "invalid_payload",
                f"payment {payment.payment_id}: a voucher payment of {payment.amount_cents} "
                "cents (store credit is given back by a return, not by a sale)",
            ), {}
    lines_total = sum(line.total_cents for line in sale.lines)
    if lines_total != sale.total_cents:
        return _rejected(
            "totals_mismatch",
            f"the lines add up to {lines_total} cents, the sale says {sale.total_cents}",
        ), {}
    return None, deltas


def _check_return_payload(ret: ReturnCompletedPayload) -> Outcome | None:
    numbers = [line.line_no for line in ret.lines]
    if len(set(numbers)) != len(numbers):
        return _rejected("invalid_payload", "lines: a line number is given twice")
    for line in ret.lines:
        if to_milli(line.quantity) <= 0:
            return _rejected(
                "invalid_quantity",
                f"line {line.line_no}: quantity {line.quantity} is not above zero",
            )
    for refund in ret.refunds:
        if refund.kind == VOUCHER_KIND and not normalize_code(refund.reference):
            return _rejected(
                "invalid_payload", f"refund {refund.refund_id}: a voucher refund needs its code"
            )
        if refund.kind == VOUCHER_KIND and refund.amount_cents <= 0:
            return _rejected(
                "invalid_payload",
                f"refund {refund.refund_id}: a voucher of {refund.amount_cents} cents",
            )
    lines_total = sum(line.refund_cents for line in ret.lines)
    refunded = sum(refund.amount_cents for refund in ret.refunds)
    if lines_total != ret.total_cents or refunded != ret.total_cents:
        return _rejected(
            "totals_mismatch",
            f"the lines add up to {lines_total} cents and the refunds to {refunded}, "
            f"the return says {ret.total_cents}",
        )
    return None


# --- a group of pushes in one transaction ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Push:
    """One push request: its register (by token hash, or a device already authenticated)."""

    events: tuple[PreparedEvent, ...]
    token_hash: str | None = None
    device: DeviceIdentity | None = None


@dataclass(frozen=True, slots=True)
class _Device:
    identity: DeviceIdentity
    last_seq: int
    revoked_at: datetime | None


class _Group:
    """The state of one group transaction (made afresh when the transaction is tried again)."""

    def __init__(self, conn: Connection, pushes: Sequence[_Push], now: datetime) -> None:
        self.conn = conn
        self.now = now
        self.pushes = pushes
        self.by_token: dict[str, str] = {}  # token hash -> device id
        self.devices = self._lock_devices()
        self.last_seq = {d: dev.last_seq for d, dev in self.devices.items()}
        self.served: set[str] = set()  # devices whose push was taken
        self.taken: dict[tuple[str, int], str] = {}  # (device, seq) -> digest, in this group
        self.event_ids: dict[str, str] = {}  # stored event id -> digest, in this group
        self.sale_keys: set[str] = set()  # sale ids and receipt numbers, in this group
        self.processed: list[dict[str, Any]] = []
        self.sales: list[dict[str, Any]] = []
        self.abandoned: list[dict[str, Any]] = []
        self.audits: list[dict[str, Any]] = []
        self.movements: list[dict[str, Any]] = []
        self.deltas: dict[tuple[str, str], int] = {}
        self.notes: list[tuple[int, str, tuple[Any, ...]]] = []  # logged after the commit
        self.orders: dict[str, PickupOrderData] = {}  # as they stand in this group
        self.order_changes: list[OrderChange] = []
        self.returns: list[dict[str, Any]] = []
        self.return_lines: list[dict[str, Any]] = []
        self.return_refunds: list[dict[str, Any]] = []
        self.return_keys: set[str] = set()  # return ids and store/number, in this group
        # Sales of this group by receipt number (a return may follow its sale in one group).
        self.group_sales: dict[str, tuple[SaleCompletedPayload, str]] = {}
        self.new_vouchers: list[dict[str, Any]] = []
        self.voucher_moves: list[dict[str, Any]] = []
        self.customers = CustomerGroup()  # customer.upserted, and the customers sales name
        self.return_policy: ReturnPolicy | None = None
        self.fiscal = FiscalGroup()  # fiscal.recorded (see journal.py)
        self.tills = TillGroup()  # the tills whose Z closes this group holds (see till.py)
        self.cancellations = CancellationGroup()  # sale.cancelled (see cancellations.py)
        self.till_sessions: list[dict[str, Any]] = []
        self.cash_movements: list[dict[str, Any]] = []
        self.drawer_openings: list[dict[str, Any]] = []
        self.till_closes: list[dict[str, Any]] = []
        self._prefetch()

    # --- reading, before deciding ------------------------------------------------------
    def _lock_devices(self) -> dict[str, _Device]:
        hashes = sorted({p.token_hash for p in self.pushes if p.token_hash is not None})
        ids = sorted({p.device.device_id for p in self.pushes if p.device is not None})
        conn = self.conn
        wanted = []
        if hashes:
            wanted.append(one_of(conn, devices.c.token_hash, hashes))
        if ids:
            wanted.append(one_of(conn, devices.c.id, ids))
        rows = conn.execute(
            select(
                devices.c.id,
                devices.c.store_code,
                devices.c.register_code,
                devices.c.name,
                devices.c.revoked_at,
                devices.c.last_seen_at,
                devices.c.last_seq,
                devices.c.token_hash,
            )
            .where(or_(*wanted))
            .order_by(devices.c.id)  # the lock order of every writer
            .with_for_update()
        ).all()
        found: dict[str, _Device] = {}
        for r in rows:
            identity = DeviceIdentity(r.id, r.store_code, r.register_code, r.name, r.last_seen_at)
            found[r.id] = _Device(identity, int(r.last_seq), r.revoked_at)
            self.by_token[r.token_hash] = r.id
        return found

    def device_of(self, push: _Push) -> _Device:
        if push.device is not None:
            device = self.devices.get(push.device.device_id)
            if device is None:
                raise Unauthorized("unknown register")
            return device
        assert push.token_hash is not None
        device_id = self.by_token.get(push.token_hash)
        if device_id is None:
            raise Unauthorized("unknown token: enrol this register with a code from IT")
        device = self.devices[device_id]
        if device.revoked_at is not None:
            raise Revoked(device.revoked_at)
        return device

    def _prefetch(self) -> None:
        """Everything the decisions need from the database, in set-based reads: the digests of
        sequences sent again (when there are any), then the rest in one statement."""
        conn = self.conn
        seen_before: dict[str, list[int]] = {}
        event_ids: set[str] = set()
        sale_ids: set[str] = set()
        receipts: set[str] = set()
        product_ids: set[str] = set()
        order_ids: set[str] = set()
        return_ids: set[str] = set()
        return_numbers: set[str] = set()
        sale_refs: set[str] = set()  # receipt numbers and sale ids that returns name
        order_numbers: set[str] = set()
        voucher_codes: set[str] = set()
        for push in self.pushes:
            try:
                device = self.device_of(push)
            except (Unauthorized, Revoked):
                continue
            device_id = device.identity.device_id
            for p in push.events:
                if p.event.seq <= device.last_seq:
                    seen_before.setdefault(device_id, []).append(p.event.seq)
                elif p.storable:
                    event_ids.add(p.event.event_id)
                    self.customers.want(p.customer, p.sale.customer_id if p.sale else None)
                    self.fiscal.want(device_id, p.fiscal)
                    self.tills.want(p.till_closed)
                    self.cancellations.want(p.cancelled)
                    if p.sale is not None:
                        sale_ids.add(p.sale.sale_id)
                        receipts.add(p.sale.receipt_number)
                        product_ids.update(p.deltas)
                        if p.sale.order_id:
                            order_ids.add(p.sale.order_id)
                        voucher_codes.update(
                            normalize_code(pay.reference)
                            for pay in p.sale.payments
                            if pay.kind == VOUCHER_KIND
                        )
                    if p.transition is not None:
                        order_ids.add(p.transition.order_id)
                    if p.ret is not None:
                        return_ids.add(p.ret.return_id)
                        return_numbers.add(p.ret.return_number)
                        product_ids.update(line.product_id for line in p.ret.lines)
                        voucher_codes.update(
                            normalize_code(refund.reference)
                            for refund in p.ret.refunds
                            if refund.kind == VOUCHER_KIND
                        )
                        if p.ret.original_kind == "none":
                            pass  # returned without a receipt: no original to read
                        elif p.ret.original_kind == "sale":
                            sale_refs.add(p.ret.original_reference.strip())
                            if p.ret.original_id:
                                sale_refs.add(p.ret.original_id)
                        else:
                            order_numbers.add(p.ret.original_reference.strip().upper())
                            if p.ret.original_id:
                                order_ids.add(p.ret.original_id)
        self.stored_digests: dict[tuple[str, int], str] = {}
        for device_id, seqs in seen_before.items():
            for seq, digest in conn.execute(
                select(processed_events.c.seq, processed_events.c.payload_sha256).where(
                    processed_events.c.device_id == device_id,
                    processed_events.c.seq.in_(sorted(set(seqs))),
                )
            ):
                self.stored_digests[(device_id, int(seq))] = digest
        self.order_numbers: dict[str, str] = {}  # number -> id, of the orders returns name
        if order_numbers:
            for order_id, number in conn.execute(
                select(pickup_orders.c.id, pickup_orders.c.number).where(
                    pickup_orders.c.number.in_(sorted(order_numbers))
                )
            ):
                self.order_numbers[number] = order_id
                order_ids.add(order_id)
        # Locked in id order, after the devices and before any stock level (the lock order).
        self.orders = load_orders(conn, order_ids)
        self._prefetch_returns(sale_refs, return_ids, return_numbers)
        # Locked by code, after the sales and before any stock level (the lock order).
        voucher_codes.discard("")
        self.vouchers: dict[str, VoucherState] = lock_vouchers(conn, voucher_codes)
        self.unknown_spent = unknown_spends(conn, voucher_codes - set(self.vouchers))
        # Locked by id, after the vouchers and before any stock level (the lock order).
        self.customers.lock(conn, self.now)
        # No locks: the devices' rows, locked first, guard their journals and tills.
        self.fiscal.load(conn)
        self.tills.load(conn)
        self.cancellations.load(conn)
        product_ids.update(self.cancellations.product_ids())  # their stock goes back
        # The rest in one round trip: after each one the push writer waits for the GIL while
        # the event loop is busy (three reads made a group of 100 sales ~3 ms longer).
        # One UNION ALL of (what, key, value) rows.
        reads = []
        if event_ids:
            reads.append(
                select(
                    literal("event"), processed_events.c.event_id, processed_events.c.payload_sha256
                ).where(one_of(conn, processed_events.c.event_id, sorted(event_ids)))
            )
        if sale_ids:
            reads.append(
                select(literal("sale"), sales.c.id, sales.c.receipt_number).where(
                    or_(
                        one_of(conn, sales.c.id, sorted(sale_ids)),
                        one_of(conn, sales.c.receipt_number, sorted(receipts)),
                    )
                )
            )
        if product_ids:
            reads.append(
                select(literal("product"), products.c.id, products.c.category).where(
                    one_of(conn, products.c.id, sorted(product_ids))
                )
            )
        self.earlier: dict[str, str] = {}  # event id -> digest, taken before this group
        self.sales_taken: set[str] = set()
        self.known_products: set[str] = set()
        self.categories: dict[str, str] = {}  # product id -> category code (return policy)
        if not reads:
            return
        for what, key, value in conn.execute(reads[0] if len(reads) == 1 else union_all(*reads)):
            if what == "event":
                self.earlier.setdefault(key, value)
            elif what == "sale":
                self.sales_taken.update((f"id:{key}", f"receipt:{value}"))
            else:
                self.known_products.add(key)
                self.categories[key] = value or ""

    def _prefetch_returns(
        self, sale_refs: set[str], return_ids: set[str], return_numbers: set[str]
    ) -> None:
        """The originals that returns name and what was returned of them. The sales are locked
        (after the orders, before any stock level: the lock order), so returns of one original
        taken by two server processes at once are decided one after the other, each seeing the
        other's quantities."""
        conn = self.conn
        self.original_sales: dict[str, tuple[SaleCompletedPayload, str]] = {}
        self.returns_taken: set[str] = set()
        self.returned: Returned = {}
        if not (sale_refs or return_ids):
            return
        keys: list[tuple[str, str]] = []
        if sale_refs:
            refs = sorted(sale_refs)
            for receipt, sale_id, store_code, text in conn.execute(
                select(sales.c.receipt_number, sales.c.id, sales.c.store_code, sales.c.payload)
                .where(or_(sales.c.receipt_number.in_(refs), sales.c.id.in_(refs)))
                .order_by(sales.c.id)
                .with_for_update()
            ):
                found = (SaleCompletedPayload.model_validate_json(text), store_code)
                self.original_sales[receipt] = found
                self.original_sales[f"id:{sale_id}"] = found
                keys.append(("sale", receipt))
        keys.extend(("web_order", order.number) for order in self.orders.values())
        self.returned = returned_quantities(conn, keys)
        for return_id, store_code, number in conn.execute(
            select(returns.c.id, returns.c.store_code, returns.c.return_number).where(
                or_(
                    returns.c.id.in_(sorted(return_ids)),
                    returns.c.return_number.in_(sorted(return_numbers)),
                )
            )
        ):
            self.returns_taken.update((f"id:{return_id}", f"number:{store_code}/{number}"))

    # --- deciding ------------------------------------------------------------------------
    def take(self, push: _Push) -> PushResponse:
        device = self.device_of(push)
        identity = device.identity
        device_id = identity.device_id
        self.served.add(device_id)
        results: list[EventResult] = []
        expected: int | None = None
        for p in push.events:
            event = p.event
            last = self.last_seq[device_id]
            if event.seq <= last:
                results.append(_result(event, self._seen_before(identity, p)))
                continue
            if event.seq > last + 1:
                self.notes.append(
                    (
                        logging.INFO,
                        "device %s sent seq %d after %d: gap, asked for %d",
                        (device_id, event.seq, last, last + 1),
                    )
                )
                expected = last + 1
                break
            outcome = self._decide(identity, p)
            stored_id = storable_text(event.event_id)
            self.processed.append(
                {
                    "device_id": device_id,
                    "seq": event.seq,
                    "event_id": stored_id,
                    "event_type": storable_text(event.type),
                    "payload_sha256": p.digest,
                    "status": outcome.status.value,
                    "code": outcome.code,
                    "message": outcome.message,
                    "processed_at": self.now,
                }
            )
            self.last_seq[device_id] = event.seq
            self.taken[(device_id, event.seq)] = p.digest
            self.event_ids.setdefault(stored_id, p.digest)
            if outcome.status is not EventStatus.APPLIED:
                self.notes.append(
                    (
                        logging.INFO,
                        "device %s seq %d (%s): %s %s",
                        (device_id, event.seq, event.type, outcome.status.value, outcome.code),
                    )
                )
            results.append(_result(event, outcome))
        return PushResponse(
            last_seq=self.last_seq[device_id], results=results, expected_seq=expected
        )

    def _seen_before(self, device: DeviceIdentity, p: PreparedEvent) -> Outcome:
        event = p.event
        key = (device.device_id, event.seq)
        stored = self.taken.get(key) or self.stored_digests.get(key)
        if stored is None or stored == p.digest:
            if stored is None:
                self.notes.append(
                    (
                        logging.WARNING,
                        "device %s seq %d: taken but not on record",
                        (device.device_id, event.seq),
                    )
                )
            return DUPLICATE
        self.notes.append(
            (
                logging.WARNING,
                "device %s sent seq %d again with different content (event %r): "
                "the first one stands",
                (device.device_id, event.seq, event.event_id),
            )
        )
        return _rejected(
            "payload_mismatch",
            f"sequence {event.seq} was already taken with different content; "
            "the first version stands",
        )

    def _decide(self, device: DeviceIdentity, p: PreparedEvent) -> Outcome:
        event = p.event
        if not p.storable:
            return _rejected(
                "invalid_payload",
                "the event holds text that cannot be stored (a NUL character or a lone surrogate)",
            )
        earlier = self.event_ids.get(event.event_id) or self.earlier.get(event.event_id)
        if earlier is not None:
            if earlier == p.digest:
                return DUPLICATE
            self.notes.append(
                (
                    logging.WARNING,
                    "device %s seq %d reuses event id %r with different content",
                    (device.device_id, event.seq, event.event_id),
                )
            )
            return _rejected(
                "payload_mismatch", "this event id was already taken with different content"
            )
        if not p.known_type:
            return _rejected(
                "unknown_event_type", f"this backend does not know event type {event.type!r}"
            )
        if p.invalid is not None:
            return p.invalid
        if p.sale is not None:
            outcome = self._apply_sale(device, p, p.sale)
            if p.sale.customer_id and outcome.status in _KEPT:  # the customer's history
                self._note(self.customers.bought(p.sale, device.store_code))
            if outcome.status in _KEPT:
                self.tills.sale_taken(p.sale)
            return outcome
        if p.customer is not None:
            return self._apply_customer(device, p.customer)
        if p.transition is not None:
            return self._apply_transition(device, p, p.transition)
        if p.audit is not None:
            return self._apply_audit(device, p, p.audit)
        if p.ret is not None:
            outcome = self._apply_return(device, p, p.ret)
            if p.ret.customer_id and outcome.status in _KEPT:
                self.customers.returned(p.ret.return_id, p.ret.customer_id)
            if outcome.status in _KEPT:
                self.tills.return_taken(p.ret)
            return outcome
        if p.abandoned is not None:
            return self._apply_abandoned(device, p, p.abandoned)
        if p.cancelled is not None:
            return self._apply_cancelled(device, p, p.cancelled)
        return self._apply_till(device, p)

    def _note(self, note: str | None) -> None:
        if note is not None:
            self.notes.append((logging.INFO, "%s", (note,)))

    def _apply_customer(self, device: DeviceIdentity, customer: _CustomerUpserted) -> Outcome:
        wrong = _wrong_register(
            "customer edit", device, customer.register_code, customer.store_code
        )
        if wrong is not None:
            return wrong
        refused = self.customers.upsert(customer, device.store_code, self.now)
        return _rejected(*refused) if refused is not None else APPLIED

    def _apply_sale(
        self, device: DeviceIdentity, p: PreparedEvent, sale: SaleCompletedPayload
    ) -> Outcome:
        wrong = _wrong_register("sale", device, sale.register_code, sale.store_code)
        if wrong is not None:
            return wrong
        if p.refusal is not None:
            return p.refusal
        keys = (f"id:{sale.sale_id}", f"receipt:{sale.receipt_number}")
        if any(k in self.sales_taken or k in self.sale_keys for k in keys):
            return _rejected(
                "duplicate_sale",
                f"sale {sale.sale_id} (receipt {sale.receipt_number}) was already received "
                "in another event",
            )
        self.sale_keys.update(keys)
        self.group_sales[sale.receipt_number] = (sale, device.store_code)
        self.group_sales[f"id:{sale.sale_id}"] = (sale, device.store_code)
        event_id = p.event.event_id
        self.sales.append(
            {
                "id": sale.sale_id,
                "store_code": device.store_code,
                "device_id": device.device_id,
                "register_code": device.register_code,
                "receipt_number": sale.receipt_number,
                "event_id": event_id,
                "cashier": sale.cashier,
                "currency": sale.currency,
                "gross_cents": sale.gross_cents,
                "discount_cents": sale.discount_cents,
                "total_cents": sale.total_cents,
                "tax_cents": sale.tax_cents,
                "completed_at": sale.completed_at,
                "received_at": self.now,
                "payload": p.payload_text,
                "till_id": sale.till_id or None,
            }
        )
        # A sale that pays a pickup order of this store moves no stock for the order's products:
        # the hand-over (pickup.transition) turns the reservation into the sale movement. Other
        # lines (a bag added at the counter) move as in any sale.
        order = self.orders.get(sale.order_id) if sale.order_id else None
        if order is not None and order.store_code != device.store_code:
            order = None
        in_order = {line.product_id for line in order.lines} if order is not None else set()
        for product_id, delta in sorted(p.deltas.items()):
            if product_id in in_order:
                continue
            self.movements.append(
                {
                    "store_code": device.store_code,
                    "product_id": product_id,
                    "delta_milli": delta,
                    "reason": "sale",
                    "device_id": device.device_id,
                    "event_id": event_id,
                    "reference": sale.sale_id,
                    "created_at": self.now,
                }
            )
            key = (device.store_code, product_id)
            self.deltas[key] = self.deltas.get(key, 0) + delta
        conflicts: list[tuple[str, str]] = []
        if sale.order_id and order is None:
            conflicts.append(
                (
                    "pickup_unknown_order",
                    f"the sale pays order {sale.order_id}, which this backend does not know at "
                    f"store {device.store_code}: the sale was taken and the stock moved as for "
                    "any sale; a manager checks which order the customer collected",
                )
            )
        unknown = sorted(set(p.deltas) - self.known_products)
        if unknown:
            shown = ", ".join(unknown[:5]) + (
                f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            )
            conflicts.append(
                (
                    "unknown_product",
                    "the sale was taken and the stock moved, but the catalog has no product "
                    f"{shown}",
                )
            )
        conflicts.extend(self._spend_vouchers(device, p, sale))
        if conflicts:
            message = " Also: ".join(text for _, text in conflicts)
            return Outcome(EventStatus.CONFLICT, conflicts[0][0], message)
        return APPLIED

    def _spend_vouchers(
        self, device: DeviceIdentity, p: PreparedEvent, sale: SaleCompletedPayload
    ) -> list[tuple[str, str]]:
        """Take the sale's voucher payments off their vouchers, as they stand in this group;
        the conflicts for a manager. The whole amount is taken off even beyond the balance
        (the goods have left): the balance then shows what was overspent."""
        conflicts: list[tuple[str, str]] = []
        for payment in sale.payments:
            if payment.kind != VOUCHER_KIND or payment.amount_cents == 0:
                continue
            code = normalize_code(payment.reference)
            amount = payment.amount_cents
            state = self.vouchers.get(code)
            conflict: str | None = None
            if state is None or not state.active:
                conflict = "voucher_unknown"
                what = "no such voucher" if state is None else "the voucher is inactive"
                conflicts.append(
                    (
                        conflict,
                        f"sale {sale.receipt_number} paid {amount} cents with voucher "
                        f"{code or '(no code)'}, but {what} on this backend: the sale was taken "
                        "and the spend recorded; a manager checks the voucher the customer "
                        "showed (a return not synced yet, a mistyped code)",
                    )
                )
                if state is None:
                    self.unknown_spent[code] = self.unknown_spent.get(code, 0) + amount
            else:
                if amount > state.balance_cents:
                    conflict = "voucher_overspent"
                    conflicts.append(
                        (
                            conflict,
                            f"sale {sale.receipt_number} paid {amount} cents with voucher {code},"
                            f" which had {state.balance_cents} left: the sale was taken and the "
                            f"balance is now {state.balance_cents - amount}; a manager recovers "
                            "or writes off the difference (spent at two registers offline?)",
                        )
                    )
                state.balance_cents -= amount
            self.voucher_moves.append(
                {
                    "code": code,
                    "kind": "spend",
                    "amount_cents": -amount,
                    "store_code": device.store_code,
                    "device_id": device.device_id,
                    "event_id": p.event.event_id,
                    "sale_id": sale.sale_id,
                    "return_id": None,
                    "conflict": conflict,
                    "created_at": self.now,
                }
            )
        return conflicts

    def _issue_vouchers(
        self, device: DeviceIdentity, p: PreparedEvent, ret: ReturnCompletedPayload
    ) -> list[tuple[str, str]]:
        """Create the vouchers of the return's refunds of kind voucher; the conflicts."""
        conflicts: list[tuple[str, str]] = []
        for refund in ret.refunds:
            if refund.kind != VOUCHER_KIND:
                continue
            code = normalize_code(refund.reference)
            if code in self.vouchers:
                conflicts.append(
                    (
                        "voucher_exists",
                        f"return {ret.return_number} refunds {refund.amount_cents} cents as "
                        f"voucher {code}, but another return already issued that code: the "
                        "return was recorded, no new credit was created; a manager gives the "
                        "customer their credit another way",
                    )
                )
                continue
            # A spend recorded before the voucher arrived (another register, offline) counts.
            balance = refund.amount_cents - self.unknown_spent.pop(code, 0)
            self.vouchers[code] = VoucherState(code, balance, True, False)
            self.new_vouchers.append(
                {
                    "code": code,
                    "store_code": device.store_code,
                    "return_id": ret.return_id,
                    "currency": ret.currency,
                    "issued_cents": refund.amount_cents,
                    "balance_cents": balance,
                    "issued_at": ret.completed_at,
                    "active": True,
                    "updated_at": self.now,
                }
            )
            self.voucher_moves.append(
                {
                    "code": code,
                    "kind": "issue",
                    "amount_cents": refund.amount_cents,
                    "store_code": device.store_code,
                    "device_id": device.device_id,
                    "event_id": p.event.event_id,
                    "sale_id": None,
                    "return_id": ret.return_id,
                    "conflict": None,
                    "created_at": self.now,
                }
            )
        return conflicts

    def _apply_transition(
        self, device: DeviceIdentity, p: PreparedEvent, transition: PickupTransitionPayload
    ) -> Outcome:
        decision = decide_transition(
            self.orders.get(transition.order_id),
            transition,
            device,
            event_id=p.event.event_id,
            now=self.now,
        )
        if decision.change is not None:
            self.orders[transition.order_id] = decision.change.after
            self.order_changes.append(decision.change)
        return Outcome(decision.status, decision.code, decision.message)

    def _apply_abandoned(
        self, device: DeviceIdentity, p: PreparedEvent, abandoned: SaleAbandonedPayload
    ) -> Outcome:
        wrong = _wrong_register("voided sale", device, abandoned.register_code)
        if wrong is not None:
            return wrong
        self.abandoned.append(
            {
                "id": abandoned.abandoned_id,
                "store_code": device.store_code,
                "device_id": device.device_id,
                "register_code": device.register_code,
                "event_id": p.event.event_id,
                "cashier": abandoned.cashier,
                "reason": abandoned.reason,
                "total_cents": abandoned.total_cents,
                "line_count": abandoned.line_count,
                "abandoned_at": abandoned.at,
                "received_at": self.now,
                "payload": p.payload_text,
                "till_id": abandoned.till_id or None,
            }
        )
        self.tills.abandoned_taken(abandoned)
        return APPLIED

    def _apply_audit(
        self, device: DeviceIdentity, p: PreparedEvent, audit: AuditRecordedPayload
    ) -> Outcome:
        wrong = _wrong_register("audit entry", device, audit.register_code)
        if wrong is not None:
            return wrong
        self.audits.append(
            {
                "store_code": device.store_code,
                "register_code": device.register_code,
                "audit_id": audit.audit_id,
                "device_id": device.device_id,
                "event_id": p.event.event_id,
                "at": audit.at,
                "kind": audit.kind,
                "action": audit.action,
                "staff_id": audit.staff_id,
                "staff_name": audit.staff_name,
                "approver_id": audit.approver_id,
                "approver_name": audit.approver_name,
                "reference": audit.reference,
                "detail": audit.detail,
                "received_at": self.now,
                "payload": p.payload_text,
            }
        )
        return APPLIED

    def _original(self, ret: ReturnCompletedPayload) -> Original | None:
        reference = ret.original_reference.strip()
        if ret.original_kind == "none":
            return None
        if ret.original_kind == "sale":
            for key in (reference, f"id:{ret.original_id}" if ret.original_id else ""):
                found = self.group_sales.get(key) or self.original_sales.get(key)
                if found is not None:
                    return original_of_sale(*found)
            return None
        order_id = self.order_numbers.get(reference.upper()) or ret.original_id
        order = self.orders.get(order_id)
        return original_of_order(order) if order is not None else None

    def _apply_return(
        self, device: DeviceIdentity, p: PreparedEvent, ret: ReturnCompletedPayload
    ) -> Outcome:
        wrong = _wrong_register("return", device, ret.register_code, ret.store_code)
        if wrong is not None:
            return wrong
        if p.refusal is not None:
            return p.refusal
        keys = (f"id:{ret.return_id}", f"number:{device.store_code}/{ret.return_number}")
        if any(k in self.returns_taken or k in self.return_keys for k in keys):
            return _rejected(
                "duplicate_return",
                f"return {ret.return_id} (number {ret.return_number}) was already received "
                "in another event",
            )
        self.return_keys.update(keys)
        original = self._original(ret)
        reference = original.reference if original is not None else ret.original_reference
        returned = self.returned.setdefault((ret.original_kind, reference), {})
        if ret.original_kind == "none":  # nothing to over-refund: the policy decides alone
            check = ReturnCheck(tuple(None for _ in ret.lines))
        else:
            check = check_return(ret, original, returned)
        conflicts = [(check.code, check.message or "")] if check.code is not None else []
        if self.return_policy is None:  # read once per group, when a return needs it
            self.return_policy = current_return_policy(self.conn)
        violation = check_policy(ret, original, self.return_policy, self.categories)
        if violation is not None:
            conflicts.append((POLICY_VIOLATION, violation))
        conflicts.extend(self._issue_vouchers(device, p, ret))
        for line, target in zip(ret.lines, check.matched, strict=True):
            if target is not None:  # the next return of it in this group sees this one
                returned[target] = returned.get(target, 0) + to_milli(line.quantity)
        event_id = p.event.event_id
        self.returns.append(
            {
                "id": ret.return_id,
                "store_code": device.store_code,
                "device_id": device.device_id,
                "register_code": device.register_code,
                "return_number": ret.return_number,
                "event_id": event_id,
                "cashier": ret.cashier,
                "currency": ret.currency,
                "original_kind": ret.original_kind,
                "original_reference": reference,
                "original_id": original.original_id if original is not None else ret.original_id,
                "checked": ret.checked,
                "total_cents": ret.total_cents,
                "tax_cents": ret.tax_cents,
                "conflict": conflicts[0][0] if conflicts else None,
                "completed_at": ret.completed_at,
                "received_at": self.now,
                "payload": p.payload_text,
                "till_id": ret.till_id or None,
            }
        )
        for line, target in zip(ret.lines, check.matched, strict=True):
            milli = to_milli(line.quantity)
            self.return_lines.append(
                {
                    "return_id": ret.return_id,
                    "line_no": line.line_no,
                    "original_line_no": target,
                    "product_id": line.product_id,
                    "sku": line.sku,
                    "quantity_milli": milli,
                    "unit_refund_cents": line.unit_refund_cents,
                    "refund_cents": line.refund_cents,
                    "tax_class": line.tax_class,
                    "tax_rate": line.tax_rate,
                    "reason": line.reason,
                    "disposition": line.disposition.value,
                }
            )
            # Back on the shelf: + quantity at the returning register's store. Kept aside
            # (damaged, for the supplier): a movement of zero that records where it went.
            sellable = line.disposition is Disposition.SELLABLE
            delta = milli if sellable else 0
            self.movements.append(
                {
                    "store_code": device.store_code,
                    "product_id": line.product_id,
                    "delta_milli": delta,
                    "reason": "return" if sellable else f"return_{line.disposition.value}",
                    "device_id": device.device_id,
                    "event_id": event_id,
                    "reference": ret.return_id,
                    "created_at": self.now,
                }
            )
            if delta:
                key = (device.store_code, line.product_id)
                self.deltas[key] = self.deltas.get(key, 0) + delta
        self.return_refunds.extend(
            {
                "return_id": ret.return_id,
                "position": position,
                "refund_id": refund.refund_id,
                "kind": refund.kind,
                "amount_cents": refund.amount_cents,
                "reference": refund.reference,
            }
            for position, refund in enumerate(ret.refunds, start=1)
        )
        if conflicts:
            message = " Also: ".join(text for _, text in conflicts)
            return Outcome(EventStatus.CONFLICT, conflicts[0][0], message)
        return APPLIED

    def _apply_cancelled(
        self, device: DeviceIdentity, p: PreparedEvent, cancelled: SaleCancelledPayload
    ) -> Outcome:
        wrong = _wrong_register(
            "sale cancellation", device, cancelled.register_code, cancelled.store_code
        )
        if wrong is not None:
            return wrong
        found = self.group_sales.get(f"id:{cancelled.sale_id}")
        decision = self.cancellations.take(
            device_id=device.device_id,
            store_code=device.store_code,
            register_code=device.register_code,
            cancellation=cancelled,
            in_group=HeldSale(found[0], found[1], found[0].register_code) if found else None,
            event_id=p.event.event_id,
            payload_text=p.payload_text,
            now=self.now,
        )
        if decision.rejected is not None:
            return _rejected(*decision.rejected)
        for product_id, milli in decision.stock_back:
            self.movements.append(
                {
                    "store_code": device.store_code,
                    "product_id": product_id,
                    "delta_milli": milli,
                    "reason": "cancellation",
                    "device_id": device.device_id,
                    "event_id": p.event.event_id,
                    "reference": cancelled.cancellation_id,
                    "created_at": self.now,
                }
            )
            key = (device.store_code, product_id)
            self.deltas[key] = self.deltas.get(key, 0) + milli
        self.tills.cancellation_taken(cancelled, decision.sale)
        if decision.conflict is not None:
            return Outcome(EventStatus.CONFLICT, *decision.conflict)
        return APPLIED

    # --- the till and the fiscal records (issue 8; see journal.py and till.py) ---------------
    def _apply_till(self, device: DeviceIdentity, p: PreparedEvent) -> Outcome:
        if p.fiscal is not None:
            return self._apply_fiscal(device, p, p.fiscal)
        if p.till_closed is not None:
            return self._apply_till_closed(device, p, p.till_closed)
        where = {
            "store_code": device.store_code,
            "device_id": device.device_id,
            "register_code": device.register_code,
            "event_id": p.event.event_id,
            "received_at": self.now,
        }
        if p.till_opened is not None:
            opened = p.till_opened
            wrong = _wrong_register("till", device, opened.register_code, opened.store_code)
            if wrong is not None:
                return wrong
            self.till_sessions.append(
                {
                    "id": opened.till_id,
                    "cashier": opened.cashier,
                    "opened_at": opened.opened_at,
                    "float_cents": opened.float_cents,
                    "counted": dumps(opened.counted),
                    **where,
                }
            )
            return APPLIED
        if p.cash_moved is not None:
            moved = p.cash_moved
            wrong = _wrong_register("cash movement", device, moved.register_code)
            if wrong is not None:
                return wrong
            self.cash_movements.append(
                {
                    "id": moved.movement_id,
                    "till_id": moved.till_id,
                    "at": moved.at,
                    "kind": moved.kind,
                    "amount_cents": moved.amount_cents,
                    "reason": moved.reason,
                    "cashier": moved.cashier,
                    "approved_by": moved.approved_by,
                    **where,
                }
            )
            self.tills.movement_taken(moved)
            return APPLIED
        drawer = p.drawer
        assert drawer is not None
        wrong = _wrong_register("drawer opening", device, drawer.register_code)
        if wrong is not None:
            return wrong
        self.drawer_openings.append(
            {
                "id": drawer.opening_id,
                "till_id": drawer.till_id or None,
                "at": drawer.at,
                "cashier": drawer.cashier,
                "reason": drawer.reason,
                "opened": drawer.opened,
                **where,
            }
        )
        self.tills.drawer_taken(drawer)
        return APPLIED

    def _apply_fiscal(
        self, device: DeviceIdentity, p: PreparedEvent, record: FiscalRecordPayload
    ) -> Outcome:
        wrong = _wrong_register("fiscal record", device, record.register_code, record.store_code)
        if wrong is not None:
            return wrong
        decision = self.fiscal.take(
            device_id=device.device_id,
            store_code=device.store_code,
            register_code=device.register_code,
            record=record,
            event_id=p.event.event_id,
            now=self.now,
        )
        if decision.rejected is not None:
            return _rejected(*decision.rejected)
        if decision.conflicts:
            self.notes.append(
                (
                    logging.WARNING,
                    "device %s (%s/%s): fiscal journal: %s",
                    (
                        device.device_id,
                        device.store_code,
                        device.register_code,
                        decision.conflicts[0][1],
                    ),
                )
            )
            message = " Also: ".join(text for _, text in decision.conflicts)
            return Outcome(EventStatus.CONFLICT, decision.conflicts[0][0], message)
        return APPLIED

    def _apply_till_closed(
        self, device: DeviceIdentity, p: PreparedEvent, z: TillClosedPayload
    ) -> Outcome:
        wrong = _wrong_register("Z close", device, z.register_code, z.store_code)
        if wrong is not None:
            return wrong
        if z.till_id in self.tills.closed:
            return _rejected(
                "duplicate_close",
                f"till {z.till_id} was already closed (a Z received in another event): "
                f"{z.z_number} was not taken, the first Z stands",
            )
        found = self.tills.close(z)
        mismatch = "; ".join(found) if found else None
        self.till_closes.append(
            {
                "till_id": z.till_id,
                "z_number": z.z_number,
                "store_code": device.store_code,
                "device_id": device.device_id,
                "register_code": device.register_code,
                "cashier": z.cashier,
                "opened_at": z.opened_at,
                "closed_at": z.closed_at,
                "float_cents": z.float_cents,
                "cash_in_cents": z.cash_in_cents,
                "cash_out_cents": z.cash_out_cents,
                "expected_cash_cents": z.expected_cash_cents,
                "counted_cash_cents": z.counted_cash_cents,
                "difference_cents": z.difference_cents,
                "sales_count": z.sales_count,
                "sales_total_cents": z.sales_total_cents,
                "returns_count": z.returns_count,
                "returns_total_cents": z.returns_total_cents,
                "discounts_cents": z.discounts_cents,
                "abandoned_count": z.abandoned_count,
                "abandoned_total_cents": z.abandoned_total_cents,
                "drawer_openings": z.drawer_openings,
                "first_number": z.first_number,
                "last_number": z.last_number,
                "journal_record_id": z.journal_record_id,
                "mismatch": mismatch,
                "event_id": p.event.event_id,
                "received_at": self.now,
                "payload": p.payload_text,
            }
        )
        if mismatch is None:
            return APPLIED
        return Outcome(
            EventStatus.CONFLICT,
            TILL_MISMATCH,
            f"Z {z.z_number} does not agree with what the backend holds of till {z.till_id} "
            f"({mismatch}); the Z was kept, a manager must look",
        )

    # --- writing, once for the whole group ------------------------------------------------
    def write(self) -> None:
        conn = self.conn
        # First: the customers' rows are locked already, and their new links and flags come
        # before any stock level is touched (the lock order).
        customer_changes = self.customers.write(conn, self.now, self.sales, self.returns)
        if self.sales:
            conn.execute(insert(sales), self.sales)
        if self.returns:
            conn.execute(insert(returns), self.returns)
            conn.execute(insert(return_lines), self.return_lines)
            conn.execute(insert(return_refunds), self.return_refunds)
        if self.new_vouchers:
            for row in self.new_vouchers:  # with what later events of the group spent
                row["balance_cents"] = self.vouchers[row["code"]].balance_cents
            conn.execute(insert(vouchers), self.new_vouchers)
        moved_codes = {m["code"] for m in self.voucher_moves}
        spent = [  # in code order, as they were locked
            {"b_code": state.code, "b_balance": state.balance_cents, "b_now": self.now}
            for code, state in sorted(self.vouchers.items())
            if state.stored and code in moved_codes
        ]
        if spent:
            conn.execute(
                update(vouchers)
                .where(vouchers.c.code == bindparam("b_code"))
                .values(balance_cents=bindparam("b_balance"), updated_at=bindparam("b_now")),
                spent,
            )
        if self.voucher_moves:
            conn.execute(insert(voucher_movements), self.voucher_moves)
        if self.abandoned:
            upsert(conn, abandoned_sales, self.abandoned, conflict=("id",), update=())
        self.fiscal.write(conn, self.now)
        self.cancellations.write(conn)
        # An id sent again in another event (with a new event id) keeps the first.
        upsert(conn, till_sessions, self.till_sessions, conflict=("id",), update=())
        upsert(conn, till_cash_movements, self.cash_movements, conflict=("id",), update=())
        upsert(conn, drawer_openings, self.drawer_openings, conflict=("id",), update=())
        if self.till_closes:
            conn.execute(insert(till_closes), self.till_closes)
        if self.audits:
            # An audit id sent again in another event (with a new event id) keeps the first.
            upsert(
                conn,
                audit_log,
                self.audits,
                conflict=("store_code", "register_code", "audit_id"),
                update=(),
            )
        changes: list[ChangeEntry] = []
        deltas = {key: (delta, 0) for key, delta in self.deltas.items()}
        if self.order_changes:
            for key, (on_hand, reserved) in write_order_changes(
                conn, self.order_changes, now=self.now
            ).items():
                old = deltas.get(key, (0, 0))
                deltas[key] = (old[0] + on_hand, old[1] + reserved)
        if self.movements:
            conn.execute(insert(stock_movements), self.movements)
        if deltas:
            # One statement, rows in (store, product) order: the lock order of every writer.
            levels = apply_stock(conn, deltas, now=self.now)
            ordered = {line.product_id for o in self.orders.values() for line in o.lines}
            changes = stock_entries(
                {k: v for k, v in levels.items() if k[1] in self.known_products or k[1] in ordered}
            )
        latest = {c.after.order_id: c.after for c in self.order_changes}
        changes.extend(order_change_entry(order) for order in latest.values())
        if self.processed:
            conn.execute(insert(processed_events), self.processed)
        moved = [
            {"b_id": d, "b_seq": seq, "b_now": self.now}
            for d, seq in sorted(self.last_seq.items())
            if d in self.served
            and (
                seq != self.devices[d].last_seq or self.devices[d].identity.seen_long_ago(self.now)
            )
        ]
        if moved:
            conn.execute(
                update(devices)
                .where(devices.c.id == bindparam("b_id"))
                .values(last_seq=bindparam("b_seq"), last_seen_at=bindparam("b_now")),
                moved,
            )
        changes.extend(customer_changes)
        record_changes(conn, changes, now=self.now)  # last: the change counter's lock is short


def _result(event: OutboxEvent, outcome: Outcome) -> EventResult:
    return EventResult.model_construct(
        seq=event.seq,
        event_id=event.event_id,
        status=outcome.status,
        code=outcome.code,
        message=outcome.message,
    )


_Answer = PushResponse | BaseException
_KEPT = (EventStatus.APPLIED, EventStatus.CONFLICT)  # the event's facts were written


def _run_group(db: Database, pushes: Sequence[_Push]) -> list[_Answer]:
    """One transaction for ``pushes``; an ``ApiError`` in place of a push refused whole."""

    def work() -> tuple[list[_Answer], list[tuple[int, str, tuple[Any, ...]]]]:
        answers: list[_Answer] = []
        with db.writing() as conn:
            group = _Group(conn, pushes, utcnow())
            for push in pushes:
                try:
                    answers.append(group.take(push))
                except (Unauthorized, Revoked) as refused:
                    answers.append(refused)
            group.write()
        return answers, group.notes

    answers, notes = db.retrying(work, what=f"push of {len(pushes)} request(s)")
    for level, message, args in notes:
        log.log(level, message, *args)
    return answers


def take_pushes(db: Database, pushes: Sequence[_Push]) -> list[_Answer]:
    """Take ``pushes`` together; each one's answer, or the exception to answer it with."""
    try:
        return _run_group(db, pushes)
    except Unavailable as away:
        return [away] * len(pushes)
    except Exception as error:
        if len(pushes) > 1:
            log.warning(
                "a group of %d pushes failed (%s): taking them one by one",
                len(pushes),
                type(error).__name__,
            )
            return [answer for push in pushes for answer in take_pushes(db, [push])]
        (push,) = pushes
        if len(push.events) <= 1:
            return [error]
        return [_event_by_event(db, push)]


def _event_by_event(db: Database, push: _Push) -> _Answer:
    """A push whose group failed for good: each event in its own transaction, so that those
    before the faulty one are taken (and come back as duplicates when it is sent again)."""
    results: list[EventResult] = []
    last: PushResponse | None = None
    for prepared in push.events:
        try:
            (answer,) = _run_group(
                db, [_Push((prepared,), token_hash=push.token_hash, device=push.device)]
            )
        except Exception as error:
            return error
        if isinstance(answer, BaseException):
            return answer
        last = answer
        results.extend(answer.results)
        if answer.expected_seq is not None:
            break
    assert last is not None
    return PushResponse(last_seq=last.last_seq, results=results, expected_seq=last.expected_seq)


def _answer(answer: _Answer) -> PushResponse:
    if isinstance(answer, BaseException):
        raise answer
    return answer


def push_events(db: Database, device: DeviceIdentity, events: list[OutboxEvent]) -> PushResponse:
    """Take the events of an authenticated register, in this thread, in one transaction."""
    prepared = tuple(prepare(event) for event in events)
    (answer,) = take_pushes(db, [_Push(prepared, device=device)])
    return _answer(answer)


# --- the group committer of a server process -----------------------------------------------------


@dataclass(slots=True)
class _Waiting:
    push: _Push
    future: Future[PushResponse]


class PushWriter:
    """The one thread of a server process that takes pushes, in groups (see the module's
    docstring). Requests wait for their own answer; nothing is answered before its commit."""

    def __init__(self, db: Database, *, max_events: int = MAX_GROUP_EVENTS) -> None:
        self._db = db
        self._max_events = max_events
        self._ready = threading.Condition()
        self._waiting: list[_Waiting] = []
        self._closed = False
        # One thread: a second one was measured slower (its groups wait for the first's row
        # locks, and both wait for the GIL). Several processes (serve --workers) scale instead.
        self._thread = threading.Thread(target=self._run, name="push-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        """Take what is waiting, then stop."""
        with self._ready:
            self._closed = True
            self._ready.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=60)

    def submit(self, token: str, events: Sequence[OutboxEvent]) -> Future[PushResponse]:
        """Queue a push of the register holding ``token``; its answer, or the ``ApiError`` to
        answer with, arrives in the future."""
        return self._submit(_Push(tuple(prepare(e) for e in events), token_hash=hash_token(token)))

    async def push(self, token: str, events: Sequence[OutboxEvent]) -> PushResponse:
        """``submit`` from the event loop: a large push is checked in a worker thread."""
        if len(events) > _INLINE_PREPARE:
            prepared = await asyncio.to_thread(lambda: tuple(prepare(e) for e in events))
        else:
            prepared = tuple(prepare(e) for e in events)
        future = self._submit(_Push(prepared, token_hash=hash_token(token)))
        return await asyncio.wrap_future(future)

    def _submit(self, push: _Push) -> Future[PushResponse]:
        future: Future[PushResponse] = Future()
        with self._ready:
            if self._closed:
                raise Unavailable("the backend is shutting down; try again later")
            self._waiting.append(_Waiting(push, future))
            self._ready.notify()
        return future

    def _next_group(self) -> list[_Waiting] | None:
        with self._ready:
            while not self._waiting and not self._closed:
                self._ready.wait()
            if not self._waiting:
                return None
            taken, events = 0, 0
            for waiting in self._waiting:
                if taken and events + len(waiting.push.events) > self._max_events:
                    break
                taken += 1
                events += len(waiting.push.events)
            group, self._waiting = self._waiting[:taken], self._waiting[taken:]
            return group

    def _run(self) -> None:
        while (group := self._next_group()) is not None:
            started = time.perf_counter()
            try:
                answers = take_pushes(self._db, [w.push for w in group])
            except BaseException as error:  # never lose a waiting request
                log.exception("push writer failed")
                answers = [error] * len(group)
            for waiting, answer in zip(group, answers, strict=True):
                if isinstance(answer, BaseException):
                    waiting.future.set_exception(answer)
                else:
                    waiting.future.set_result(answer)
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "took %d push(es), %d events, in %.1f ms",
                    len(group),
                    sum(len(w.push.events) for w in group),
                    (time.perf_counter() - started) * 1000,
                )
