"""Click-and-collect at the counter: the store's pickup queue, picking, and the hand-over.

Everything works from the register's local copy of the store's orders (pulled as
``pickup_order`` changes), offline too. Each change of an order's state made here is one
transaction that writes the register's progress and a ``pickup.transition`` event
(``sync.protocol.PickupTransitionPayload``, with the backend version acted on) to the outbox
together; the sync worker sends it later. The backend owns the state machine: a transition it
can no longer take (cancelled online meanwhile) comes back as a conflict for a manager.

An order paid online is handed over here with a pickup receipt (the web shop issued the
invoice); an unpaid one goes through the checkout: ``CheckoutService.start_order_sale`` puts
the lines collected in the cart at the order's prices, and the sale's commit also records the
hand-over (``record_counter_hand_over``) in the same transaction.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from hardware.receipt import ReceiptDocument, ReceiptLine
from pos_app.domain.barcode import BarcodeLayout, ScanKind, is_scanner_syntax, parse_scan
from pos_app.domain.errors import UnknownProduct
from pos_app.domain.money import Money, format_money, format_quantity
from pos_app.domain.pickup import collected_status
from pos_app.services.errors import (
    NothingToHandOver,
    PickingIncomplete,
    PickupCodeMismatch,
    PickupItemComplete,
    PickupNotFound,
    PickupQuantityInvalid,
    PickupWrongState,
    WrongPickupItem,
)
from pos_app.services.ports import (
    Clock,
    PickupProgressLine,
    ProductRecord,
    ReceiptPrinter,
    StoredPickup,
    StoreIdentity,
    UnitOfWork,
    UnitOfWorkFactory,
)
from pos_app.services.staff import StaffService
from sync.protocol import (
    OPEN_PICKUP_STATUSES,
    EventType,
    PickupLineQuantity,
    PickupStatus,
    PickupTransitionPayload,
)

log = logging.getLogger(__name__)

PICKUP_TRANSITION = EventType.PICKUP_TRANSITION.value
ZERO = Decimal(0)


class QueueFilter(StrEnum):
    NEW = "new"  # pending: nobody has started picking it
    PICKING = "picking"
    READY = "ready"
    OVERDUE = "overdue"  # waiting too long, or close to its expiry
    ALL = "all"


@dataclass(frozen=True, slots=True)
class OverduePolicy:
    pending_after: timedelta = timedelta(hours=2)  # not started this long after it came in
    ready_after: timedelta = timedelta(days=2)  # ready this long and not collected
    near_expiry: timedelta = timedelta(hours=24)  # this close to its expiry


@dataclass(frozen=True, slots=True)
class PickupLineView:
    line_no: int
    product_id: str
    sku: str
    name: str
    location: str
    ordered: Decimal
    picked: Decimal
    short: bool  # the rest is missing (picked is all there is)
    unit_price_cents: int
    total_cents: int

    @property
    def done(self) -> bool:
        return self.short or self.picked >= self.ordered

    @property
    def missing(self) -> Decimal:
        return max(self.ordered - self.picked, ZERO) if self.short else ZERO

    def amount_cents(self, quantity: Decimal) -> int:
        """What ``quantity`` of this line costs at the order's price."""
        if quantity == self.ordered:
            return self.total_cents
        return int((self.unit_price_cents * quantity).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class PickupView:
    """A pickup order as the screens show it."""

    order_id: str
    number: str
    channel: str
    status: PickupStatus  # the register's, while ahead of the backend; else the backend's
    backend_status: PickupStatus
    pending_sync: bool  # the register is ahead of the backend
    conflict: str  # the backend's closing state contradicting a hand-over done here
    version: int
    customer_name: str
    phone: str
    email: str
    paid_online: bool
    currency: str
    total_cents: int
    created_at: datetime
    expires_at: datetime
    updated_at: datetime
    note: str
    overdue: bool
    lines: tuple[PickupLineView, ...]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PICKUP_STATUSES

    def line(self, line_no: int) -> PickupLineView:
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise PickupNotFound(f"{self.number}/{line_no}")


@dataclass(frozen=True, slots=True)
class PickupQueue:
    orders: tuple[PickupView, ...]
    counts: dict[QueueFilter, int]
    filter: QueueFilter
    text: str


@dataclass(frozen=True, slots=True)
class FoundPickup:
    order: PickupView
    code: str  # the QR payload or pickup code that named it ("" when found another way)

    @property
    def verified(self) -> bool:
        return bool(self.code)


@dataclass(frozen=True, slots=True)
class ItemPicked:
    order: PickupView
    line_no: int


@dataclass(frozen=True, slots=True)
class PickupCollection:
    """What leaves with the customer, checked against the order: ready to hand over."""

    order: PickupView
    quantities: tuple[tuple[int, Decimal], ...]  # (line_no, quantity > 0)
    to_status: PickupStatus

    @property
    def total_cents(self) -> int:
        return sum(self.order.line(n).amount_cents(q) for n, q in self.quantities)


@dataclass(frozen=True, slots=True)
class PickupHandedOver:
    order: PickupView
    to_status: PickupStatus
    event_id: str
    receipt: ReceiptDocument | None  # the pickup receipt (paid online), None after a sale


@dataclass(frozen=True, slots=True)
class NewPickups:
    orders: tuple[PickupView, ...]  # came in since the last look, still pending
    last_pk: int


def quantity_text(quantity: Decimal) -> str:
    """A quantity as the protocol writes it: ``2``, ``0.5``."""
    text = f"{quantity.normalize():f}"
    return text


def _view(stored: StoredPickup, now: datetime, policy: OverduePolicy) -> PickupView:
    order = stored.order
    status = stored.status
    progress = {p.line_no: p for p in stored.progress}
    lines = []
    for line in order.lines:
        mine = progress.get(line.line_no)
        if mine is not None:
            picked, short = mine.picked, mine.short
        elif line.picked is not None:
            picked = Decimal(line.picked)
            short = picked < Decimal(line.quantity)
        else:
            picked, short = ZERO, False
        lines.append(
            PickupLineView(
                line_no=line.line_no,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                location=line.location,
                ordered=Decimal(line.quantity),
                picked=picked,
                short=short,
                unit_price_cents=line.unit_price_cents,
                total_cents=line.total_cents,
            )
        )
    overdue = status in OPEN_PICKUP_STATUSES and (
        order.expires_at - now <= policy.near_expiry
        or (status is PickupStatus.PENDING and now - order.created_at >= policy.pending_after)
        or (status is PickupStatus.READY and now - order.updated_at >= policy.ready_after)
    )
    return PickupView(
        order_id=order.order_id,
        number=order.number,
        channel=order.channel,
        status=status,
        backend_status=order.status,
        pending_sync=stored.local_status is not None,
        conflict=stored.conflict,
        version=order.version,
        customer_name=order.customer.name,
        phone=order.customer.phone,
        email=order.customer.email,
        paid_online=order.paid_online,
        currency=order.currency,
        total_cents=order.total_cents,
        created_at=order.created_at,
        expires_at=order.expires_at,
        updated_at=order.updated_at,
        note=order.note,
        overdue=overdue,
        lines=tuple(lines),
    )


def _matches(view: PickupView, which: QueueFilter) -> bool:
    if which is QueueFilter.ALL:
        return True
    if which is QueueFilter.OVERDUE:
        return view.overdue
    return (
        view.status.value
        == {
            QueueFilter.NEW: PickupStatus.PENDING.value,
            QueueFilter.PICKING: PickupStatus.PICKING.value,
            QueueFilter.READY: PickupStatus.READY.value,
        }[which]
    )


def _same(secret: str, given: str) -> bool:
    """Constant-time comparison of a code (case and surrounding spaces ignored)."""
    return hmac.compare_digest(
        secret.strip().upper().encode("utf-8"), given.strip().upper().encode("utf-8")
    )


def _code_matches(stored: StoredPickup, code: str) -> bool:
    order = stored.order
    # Both compared every time, so the time taken does not say which one matched.
    by_code = _same(order.pickup_code, code)
    by_qr = hmac.compare_digest(order.qr_payload.encode("utf-8"), code.strip().encode("utf-8"))
    return bool(order.qr_payload) and by_qr or by_code


def write_transition(
    uow: UnitOfWork,
    stored: StoredPickup,
    to_status: PickupStatus,
    *,
    identity: StoreIdentity,
    cashier: str,
    at: datetime,
    lines: tuple[tuple[int, Decimal], ...] = (),
    progress: tuple[PickupProgressLine, ...] | None = None,
    sale_id: str | None = None,
    note: str = "",
) -> str:
    """The register's new local state of the order and its ``pickup.transition`` event, on
    the caller's transaction. Returns the event id."""
    payload = PickupTransitionPayload(
        order_id=stored.order.order_id,
        number=stored.order.number,
        register_code=identity.register_code,
        cashier=cashier,
        at=at,
        to_status=to_status,
        base_version=stored.order.version,
        lines=[PickupLineQuantity(line_no=n, quantity=quantity_text(q)) for n, q in lines],
        sale_id=sale_id,
        note=note[:500],
    )
    uow.pickups.save_progress(
        stored.order.order_id,
        local_status=to_status,
        base_version=stored.order.version,
        progress=stored.progress if progress is None else progress,
        at=at,
    )
    return uow.outbox.add(
        PICKUP_TRANSITION, payload.model_dump(mode="json", exclude_none=True), occurred_at=at
    )


def record_counter_hand_over(
    uow: UnitOfWork,
    order_id: str,
    collected: dict[int, Decimal],
    *,
    sale_id: str,
    identity: StoreIdentity,
    cashier: str,
    at: datetime,
) -> tuple[PickupStatus, str]:
    """The hand-over of an order paid at the counter, inside the sale's transaction: the
    lines that stayed in the sale left with the customer. Returns (new state, event id)."""
    stored = uow.pickups.get(order_id)
    if stored is None:
        raise PickupNotFound(order_id)
    if stored.status is not PickupStatus.READY:
        raise PickupWrongState(stored.order.number, stored.status.value, "hand_over")
    ordered = {line.line_no: Decimal(line.quantity) for line in stored.order.lines}
    lines = tuple((n, q) for n, q in sorted(collected.items()) if q > 0)
    if not lines:
        raise NothingToHandOver(stored.order.number)
    to_status = PickupStatus(collected_status(ordered, dict(lines)))
    event_id = write_transition(
        uow,
        stored,
        to_status,
        identity=identity,
        cashier=cashier,
        at=at,
        lines=lines,
        sale_id=sale_id,
    )
    return to_status, event_id


class PickupService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        identity: StoreIdentity,
        *,
        cashier: str,
        layout: BarcodeLayout | None = None,
        printer: ReceiptPrinter | None = None,
        policy: OverduePolicy | None = None,
        locale: str = "es_ES",
        staff: StaffService | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self.identity = identity
        self._cashier = cashier
        self.staff = staff
        self._layout = layout or BarcodeLayout.spanish_default()
        self.printer = printer
        self.policy = policy or OverduePolicy()
        self._locale = locale

    @property
    def cashier(self) -> str:
        """Who hands over: the signed-in person, or the settings' cashier without staff."""
        return self.staff.cashier_name(self._cashier) if self.staff else self._cashier

    @cashier.setter
    def cashier(self, name: str) -> None:
        self._cashier = name

    # --- reading -------------------------------------------------------------------------
    def _view(self, stored: StoredPickup) -> PickupView:
        return _view(stored, self._clock.now(), self.policy)

    def queue(self, which: QueueFilter = QueueFilter.ALL, text: str = "") -> PickupQueue:
        """The store's orders of one filter, matching ``text`` (number, customer, phone,
        email), with the count of each filter over the whole queue (the open orders)."""
        with self._uow_factory.reader() as uow:
            open_orders = [self._view(s) for s in uow.pickups.search(open_only=True, limit=5000)]
            if which is QueueFilter.ALL:
                found = [self._view(s) for s in uow.pickups.search(text, limit=300)]
            elif text.strip():
                found = [self._view(s) for s in uow.pickups.search(text, open_only=True)]
            else:
                found = open_orders
        counts = {f: sum(1 for v in open_orders if _matches(v, f)) for f in QueueFilter}
        counts[QueueFilter.ALL] = len(open_orders)
        rows = tuple(v for v in found if _matches(v, which))
        return PickupQueue(rows, counts, which, text)

    def order(self, order_id: str) -> PickupView:
        with self._uow_factory.reader() as uow:
            return self._view(self._get(uow, order_id))

    @staticmethod
    def _get(uow: UnitOfWork, order_id: str) -> StoredPickup:
        stored = uow.pickups.get(order_id)
        if stored is None:
            raise PickupNotFound(order_id)
        return stored

    def find(self, text: str) -> FoundPickup:
        """The order named by a scanned QR, a typed pickup code, its number or the customer's
        phone; the open one first when several match. Raises ``PickupNotFound``."""
        raw = text.strip()
        with self._uow_factory.reader() as uow:
            candidates = uow.pickups.find_exact(raw)
        if not candidates:
            raise PickupNotFound(raw)
        stored = candidates[0]
        return FoundPickup(self._view(stored), raw if _code_matches(stored, raw) else "")

    def verify_code(self, order_id: str, code: str) -> bool:
        """Whether ``code`` (typed pickup code or scanned QR) is this order's, compared in
        constant time against the local copy."""
        with self._uow_factory.reader() as uow:
            return _code_matches(self._get(uow, order_id), code)

    def new_orders(self, after_pk: int | None) -> NewPickups:
        """Orders that came in after ``after_pk`` and are still waiting (for the main window's
        announcement); ``None`` just says where the list ends now."""
        with self._uow_factory.reader() as uow:
            if after_pk is None:
                return NewPickups((), uow.pickups.last_pk())
            stored = uow.pickups.newer_than(after_pk)
            last = max((s.pk for s in stored), default=after_pk)
        views = tuple(self._view(s) for s in stored if s.status is PickupStatus.PENDING)
        return NewPickups(views, last)

    # --- picking -------------------------------------------------------------------------
    def start_picking(self, order_id: str) -> PickupView:
        """The clerk starts picking a new order (``picking``); an order already being picked
        stays as it is."""
        with self._uow_factory() as uow:
            stored = self._get(uow, order_id)
            if stored.status is PickupStatus.PICKING:
                return self._view(stored)
            if stored.status is not PickupStatus.PENDING:
                raise PickupWrongState(stored.order.number, stored.status.value, "pick")
            now = self._clock.now()
            write_transition(
                uow,
                stored,
                PickupStatus.PICKING,
                identity=self.identity,
                cashier=self.cashier,
                at=now,
                progress=(),
            )
            view = self._view(self._get(uow, order_id))
            uow.commit()
        return view

    def _product_for(self, uow: UnitOfWork, code: str) -> tuple[ProductRecord | None, Decimal]:
        raw = code.strip()
        if raw and not raw.isdigit() and not is_scanner_syntax(raw):
            return uow.catalog.find_by_sku(raw), Decimal(1)
        parsed = parse_scan(raw, self._layout)  # the one validation path: InvalidBarcode
        product = uow.catalog.find_by_barcode(parsed.lookup_code)
        if parsed.kind is ScanKind.WEIGHT and parsed.value is not None:
            return product, parsed.value
        return product, Decimal(1)

    def scan_item(self, order_id: str, code: str) -> ItemPicked:
        """An item scanned while picking: it counts towards its line. A product that is not
        in the order, or more than was ordered, is refused and nothing changes."""
        with self._uow_factory() as uow:
            stored = self._get(uow, order_id)
            if stored.status is not PickupStatus.PICKING:
                raise PickupWrongState(stored.order.number, stored.status.value, "pick")
            view = self._view(stored)
            product, quantity = self._product_for(uow, code)
            lines = [
                line
                for line in view.lines
                if product is not None and line.product_id == product.product_id
            ]
            if not lines:
                expected = tuple(line.name for line in view.lines if not line.done) or tuple(
                    line.name for line in view.lines
                )
                raise WrongPickupItem(
                    code.strip(), product.name if product is not None else "", expected
                )
            line = next((ln for ln in lines if not ln.done), lines[0])
            if line.done or line.picked + quantity > line.ordered:
                raise PickupItemComplete(line.name, format_quantity(line.ordered, self._locale))
            progress = self._with_line(view, line.line_no, line.picked + quantity, False)
            uow.pickups.save_progress(
                order_id,
                local_status=stored.local_status,
                base_version=stored.base_version or stored.order.version,
                progress=progress,
                at=self._clock.now(),
            )
            result = ItemPicked(self._view(self._get(uow, order_id)), line.line_no)
            uow.commit()
        return result

    @staticmethod
    def _with_line(
        view: PickupView, line_no: int, picked: Decimal, short: bool
    ) -> tuple[PickupProgressLine, ...]:
        return tuple(
            PickupProgressLine(line.line_no, picked, short)
            if line.line_no == line_no
            else PickupProgressLine(line.line_no, line.picked, line.short)
            for line in view.lines
        )

    def mark_short(self, order_id: str, line_no: int, found: Decimal) -> PickupView:
        """Only ``found`` of a line is in the store (0: missing); the rest is recorded as
        missing when the order is marked ready."""
        with self._uow_factory() as uow:
            stored = self._get(uow, order_id)
            if stored.status is not PickupStatus.PICKING:
                raise PickupWrongState(stored.order.number, stored.status.value, "pick")
            view = self._view(stored)
            line = view.line(line_no)
            if found < 0 or found > line.ordered:
                raise PickupQuantityInvalid(
                    line.name,
                    format_quantity(found, self._locale),
                    format_quantity(line.ordered, self._locale),
                )
            uow.pickups.save_progress(
                order_id,
                local_status=stored.local_status,
                base_version=stored.base_version or stored.order.version,
                progress=self._with_line(view, line_no, found, found < line.ordered),
                at=self._clock.now(),
            )
            result = self._view(self._get(uow, order_id))
            uow.commit()
        return result

    def reset_line(self, order_id: str, line_no: int) -> PickupView:
        """Start a line's picking again (a mistake while picking)."""
        with self._uow_factory() as uow:
            stored = self._get(uow, order_id)
            if stored.status is not PickupStatus.PICKING:
                raise PickupWrongState(stored.order.number, stored.status.value, "pick")
            view = self._view(stored)
            view.line(line_no)
            uow.pickups.save_progress(
                order_id,
                local_status=stored.local_status,
                base_version=stored.base_version or stored.order.version,
                progress=self._with_line(view, line_no, ZERO, False),
                at=self._clock.now(),
            )
            result = self._view(self._get(uow, order_id))
            uow.commit()
        return result

    def mark_ready(self, order_id: str) -> PickupView:
        """Picked: ``ready``, with the quantity found of every line (short and missing lines
        with what there was, and named in the event's note)."""
        with self._uow_factory() as uow:
            stored = self._get(uow, order_id)
            if stored.status is not PickupStatus.PICKING:
                raise PickupWrongState(stored.order.number, stored.status.value, "ready")
            view = self._view(stored)
            undone = tuple(line.name for line in view.lines if not line.done)
            if undone:
                raise PickingIncomplete(view.number, undone)
            if all(line.picked == 0 for line in view.lines):
                raise NothingToHandOver(view.number)
            missing = [
                f"{line.sku} {quantity_text(line.missing)}/{quantity_text(line.ordered)}"
                for line in view.lines
                if line.missing > 0
            ]
            write_transition(
                uow,
                stored,
                PickupStatus.READY,
                identity=self.identity,
                cashier=self.cashier,
                at=self._clock.now(),
                lines=tuple((line.line_no, line.picked) for line in view.lines),
                note=("missing: " + ", ".join(missing)) if missing else "",
            )
            result = self._view(self._get(uow, order_id))
            uow.commit()
        return result

    # --- hand-over -----------------------------------------------------------------------
    def prepare_hand_over(
        self, order_id: str, code: str, quantities: dict[int, Decimal] | None = None
    ) -> PickupCollection:
        """Check that ``code`` is the order's and that ``quantities`` (line -> how many leave
        with the customer; all that was picked by default; 0 for a refused line) fit what was
        picked. Nothing is written."""
        with self._uow_factory.reader() as uow:
            stored = self._get(uow, order_id)
        view = self._view(stored)
        if view.status is not PickupStatus.READY:
            raise PickupWrongState(view.number, view.status.value, "hand_over")
        if not _code_matches(stored, code):
            raise PickupCodeMismatch(view.number)
        chosen: list[tuple[int, Decimal]] = []
        for line in view.lines:
            quantity = line.picked if quantities is None else quantities.get(line.line_no, ZERO)
            if quantity < 0 or quantity > line.picked:
                raise PickupQuantityInvalid(
                    line.name,
                    format_quantity(quantity, self._locale),
                    format_quantity(line.picked, self._locale),
                )
            if quantity > 0:
                chosen.append((line.line_no, quantity))
        if not chosen:
            raise NothingToHandOver(view.number)
        ordered = {line.line_no: line.ordered for line in view.lines}
        to_status = PickupStatus(collected_status(ordered, dict(chosen)))
        return PickupCollection(view, tuple(chosen), to_status)

    def hand_over_paid(self, collection: PickupCollection) -> PickupHandedOver:
        """Hand over an order paid online: the hand-over recorded (collected or partially
        collected) and the pickup receipt to print. No sale: the web shop invoiced it."""
        order = collection.order
        if not order.paid_online:
            raise PickupWrongState(order.number, "unpaid", "hand_over")
        now = self._clock.now()
        with self._uow_factory() as uow:
            stored = self._get(uow, order.order_id)
            if stored.status is not PickupStatus.READY:
                raise PickupWrongState(order.number, stored.status.value, "hand_over")
            event_id = write_transition(
                uow,
                stored,
                collection.to_status,
                identity=self.identity,
                cashier=self.cashier,
                at=now,
                lines=collection.quantities,
            )
            view = self._view(self._get(uow, order.order_id))
            uow.commit()
        log.info("pickup %s handed over (%s)", order.number, collection.to_status.value)
        receipt = build_pickup_receipt(
            collection, self.identity, cashier=self.cashier, at=now, locale=self._locale
        )
        return PickupHandedOver(view, collection.to_status, event_id, receipt)

    def print_receipt(self, document: ReceiptDocument) -> str:
        """I/O: print a pickup receipt. Returns "" when printed, else what went wrong (the
        hand-over stands either way)."""
        if self.printer is None:
            return "no printer configured"
        try:
            self.printer.print_receipt(document)
        except Exception as exc:  # any printer failure is reported, never raised
            log.warning("pickup receipt not printed: %s", exc)
            return str(exc) or type(exc).__name__
        return ""

    def product(self, product_id: str) -> ProductRecord:
        with self._uow_factory.reader() as uow:
            product = uow.catalog.get(product_id)
        if product is None:
            raise UnknownProduct(product_id)
        return product


PICKUP_RECEIPT_LABELS = {
    "title": "JUSTIFICANTE DE RECOGIDA",
    "order": "Pedido",
    "date": "Fecha",
    "register": "Caja",
    "cashier": "Cajero",
    "customer": "Cliente",
    "items": "Artículos",
    "total": "TOTAL",
    "paid_online": "Pagado en línea",
    "partial": "Entrega parcial: lo no entregado se reembolsa según las condiciones de la web.",
    "not_invoice": "Este justificante no es una factura: la factura la emitió la tienda online.",
    "thanks": "Gracias por su compra",
    "tax_id": "NIF",
}


def build_pickup_receipt(
    collection: PickupCollection,
    identity: StoreIdentity,
    *,
    cashier: str,
    at: datetime,
    locale: str = "es_ES",
) -> ReceiptDocument:
    """The pickup receipt of an order paid online: what the customer took, when and where.
    Not a simplified invoice (the web shop issued the invoice): no tax breakdown, no series."""
    lab = PICKUP_RECEIPT_LABELS
    order = collection.order

    def money(cents: int) -> str:
        return format_money(Money(cents, order.currency), locale).replace("\xa0", " ")

    lines = []
    count = ZERO
    for line_no, quantity in collection.quantities:
        line = order.line(line_no)
        count += quantity
        lines.append(
            ReceiptLine(
                line.name,
                format_quantity(quantity, locale),
                money(line.unit_price_cents),
                money(line.amount_cents(quantity)),
            )
        )
    total = money(collection.total_cents)
    footer: tuple[str, ...] = (lab["not_invoice"], lab["thanks"])
    if collection.to_status is PickupStatus.PARTIALLY_COLLECTED:
        footer = (lab["partial"], *footer)
    return ReceiptDocument(
        header=(identity.store_name, f"{lab['tax_id']}: {identity.tax_id}", *identity.address),
        title=lab["title"],
        meta=(
            (lab["order"], order.number),
            (lab["date"], at.strftime("%d/%m/%Y %H:%M")),
            (lab["register"], identity.register_code),
            (lab["cashier"], cashier),
            (lab["customer"], order.customer_name),
        ),
        lines=tuple(lines),
        totals=((lab["items"], format_quantity(count, locale)), (lab["total"], total)),
        total_label=lab["total"],
        tax_columns=("", "", "", ""),
        tax_rows=(),
        tenders=((lab["paid_online"], total),),
        change=None,
        barcode=order.number,
        footer=footer,
    )
