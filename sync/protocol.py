"""The Mostrador sync protocol, version 1: the wire schemas shared by register and backend.

Every request carries ``X-Mostrador-Protocol: <version>``; a backend that cannot speak it answers
``426`` with an ``ErrorBody`` whose code is ``protocol_version`` and which lists what it supports.
Every request but ``/v1/health`` and ``/v1/enroll`` carries ``Authorization: Bearer <token>``.

    GET  /v1/health                 -> Health
    POST /v1/enroll    EnrollRequest -> EnrollResponse        (one-time code -> device token)
    POST /v1/sync/push PushRequest   -> PushResponse          (the outbox, in sequence order)
    GET  /v1/sync/pull?since=CURSOR&limit=N -> PullResponse   (the change log, after CURSOR)
    GET  /v1/stock/{sku}             -> StockAvailability     (this and other stores)

Click-and-collect (issue 6). Other channels (the web shop, the phone desk) use a channel key
(``Authorization: Bearer <channel key>``, made by ``mostrador-server channel-key``); registers
may read and verify with their device token:

    POST /v1/orders                    OrderCreate -> OrderView   (channel key)
    POST /v1/orders/{number}/cancel    OrderCancel -> OrderView   (channel key)
    GET  /v1/orders/{number}           -> OrderView               (channel key or register)
    POST /v1/orders/{number}/verify    CodeCheck   -> CodeCheckResult (channel key or register)

Returns (issue 7): a register asks what is still returnable of a sale of any store or of a web
order, and pushes each return as ``return.completed`` (``ReturnCompletedPayload``):

    GET  /v1/returnable/{reference}    -> ReturnableView   (a receipt or web order number)

    GET  /v1/vouchers/{code}           -> VoucherView      (store credit: its balance now)

One return policy for every channel (the ``policy`` change ``return_policy``, ``ReturnPolicy``):
registers enforce it, the backend checks every ``return.completed`` again and applies one that
breaks it as a conflict ``policy_violation`` (the money has left: a manager looks). A return
without a receipt has ``original_kind`` ``none`` and no reference; one made with a gift receipt
(ticket regalo) has ``gift_receipt`` true: both refund as store credit only. An exchange is a
return and a sale committed together: the return's refund of kind ``exchange`` names the new
sale's receipt number, the sale's payment of kind ``exchange`` names the return's number, and
the difference is paid or refunded with the other tenders.

One customer (issue 7). Registers and channels find and read customers; registers create and
edit them offline and push ``customer.upserted`` (``CustomerUpsertedPayload``: the fields
changed, each taken by the backend if newer than what it holds, field by field, by (time,
register)). Likely duplicates (same email or phone) are flagged at the backend for merging,
never merged silently. A customer reaches a store's registers as a ``customer`` change when the
store needs it (created, bought or looked up there); erasing one at the backend (a
data-protection request) sends a ``customer`` delete to every register. A ``sale.completed`` or
``return.completed`` naming a ``customer_id`` joins the customer's history:

    GET  /v1/customers?q=TEXT          -> CustomerSearchResult (phone, email, name or card)
    GET  /v1/customers/{id}            -> CustomerData     (and the asking store keeps it)
    GET  /v1/customers/{id}/history    -> CustomerHistory  (every channel, newest first)

A refund as store credit is a ``return.completed`` refund of kind ``voucher`` whose reference
is the voucher's code (made at the register, so it works offline); the backend creates the
voucher with that amount when it applies the return. A voucher spent on a sale is a payment of
kind ``voucher`` with the code as reference; the backend takes it off the balance, and a payment
beyond the balance (spent offline at two registers, say) is applied as a conflict
``voucher_overspent`` for a manager (the goods have left; the balance goes below zero to show
it); an unknown or inactive voucher is ``voucher_unknown``, a code another return already
issued ``voucher_exists``. Codes compare without case.

Any register of the backend may ask (a customer returns in any store). An unknown reference is
404 ``not_found``; a web order nothing of which was collected yet is 409 ``not_returnable``.

The store's registers pull each pickup order of their store as a ``pickup_order`` change
(``PickupOrderData``), again at every change of state; they push what they do to it as
``pickup.transition`` events (``PickupTransitionPayload``). A ``sale.completed`` that pays a
pickup order carries its ``order_id``: the backend then moves no stock for its lines of the
order's products (the order's reservation becomes the sale movement when the hand-over is
applied); other lines (an item added at the counter) move as in any sale.

Push (per device, Replicache's rule): the backend keeps ``last_seq``; an event with
``seq <= last_seq`` is a duplicate (an error if its payload hash differs), ``seq == last_seq + 1``
is taken in its own transaction that also advances ``last_seq``, ``seq > last_seq + 1`` is a
gap: the backend stops there and answers ``expected_seq``. A permanent rejection advances
``last_seq`` too, so one bad event never blocks the queue.

Pull: changes carry a strictly increasing ``seq``; the cursor is the last ``seq`` seen, as text.
A change is visible to a reader only once every change with a smaller ``seq`` is committed, so a
cursor never skips one (the backend assigns ``seq`` in commit order).

Money is integer cents; quantities and rates are decimal strings; times are ISO 8601 with offset.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

PROTOCOL_VERSION = 1
SUPPORTED_VERSIONS = (1,)
PROTOCOL_HEADER = "X-Mostrador-Protocol"
MAX_PUSH_EVENTS = 500
MAX_PULL_LIMIT = 10_000
DEFAULT_PULL_LIMIT = 1_000

Seq = Annotated[int, Field(ge=1)]


def _iso_text_or_datetime(value: Any) -> Any:
    # Pydantic would read a number as a Unix time; the protocol's times are ISO 8601 text.
    if isinstance(value, int | float):
        raise ValueError("a time is ISO 8601 text with its UTC offset")
    return value


WireTime = Annotated[AwareDatetime, BeforeValidator(_iso_text_or_datetime)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorBody(_Wire):
    """Every 4xx/5xx answer of the backend."""

    code: str  # e.g. protocol_version, unauthorized, revoked, forbidden, invalid, too_large
    message: str
    supported: list[int] | None = None


class Health(_Wire):
    status: Literal["ok"] = "ok"
    server_version: str
    protocol_versions: list[int]


class StoreInfo(_Wire):
    code: str
    name: str
    tax_id: str
    address: list[str]
    currency: str = "EUR"
    timezone: str = "Europe/Madrid"


class EnrollRequest(_Wire):
    """A one-time code of a store, for a new register, or (with ``device_id``) to give an
    existing register of that store a new token: it keeps its register code and its
    ``last_seq``, so its outbox goes on where it was (the demo re-enrols at every start)."""

    code: Annotated[str, Field(min_length=4, max_length=64)]
    register_name: Annotated[str, Field(min_length=1, max_length=60)]
    device_id: str | None = None
    # The store IT meant (``mostrador provision --store``): a code of another store is
    # refused (409 ``wrong_store``) and stays unused.
    store_code: Annotated[str, Field(min_length=1, max_length=20)] | None = None


class SeriesPosition(_Wire):
    """The last number the backend holds of one of a register's numbered series: its key as
    the register keeps it (``T01-C01-2026`` tickets and F1 invoices, ``T01-C01-D2026``
    returns, ``T01-C01-F2026`` replacement invoices, ``T01-C01-Z2026`` Z closes)."""

    series: Annotated[str, Field(min_length=1, max_length=40)]
    last_number: Annotated[int, Field(ge=1)]


class ChainPosition(_Wire):
    """Where a register's fiscal journal stands at the backend: the last record's
    ``chain_seq`` and journal hash, and the huella of the last billing record (all empty
    before the first record)."""

    chain_seq: Annotated[int, Field(ge=0)] = 0
    journal_hash: Annotated[str, Field(pattern=r"^([0-9A-F]{64})?$")] = ""
    fingerprint: Annotated[str, Field(pattern=r"^([0-9A-F]{64})?$")] = ""


class RegisterContinuation(_Wire):
    """A takeover (issue 9): the enrolled device replaces ``replaced_device_id`` (now
    revoked) as the same register. Its series go on after ``series`` and its first fiscal
    record chains onto ``chain``, from what the backend received of the old machine."""

    replaced_device_id: str
    series: list[SeriesPosition] = Field(default_factory=list)
    chain: ChainPosition = Field(default_factory=ChainPosition)


class EnrollResponse(_Wire):
    device_id: str
    register_code: str
    token: str  # shown once; the backend keeps only its hash
    store: StoreInfo
    # Only in the answer to a takeover code (left out otherwise, for older registers).
    continuation: RegisterContinuation | None = None


class EventType(StrEnum):
    SALE_COMPLETED = "sale.completed"
    SALE_ABANDONED = "sale.abandoned"
    PICKUP_TRANSITION = "pickup.transition"
    AUDIT_RECORDED = "audit.recorded"
    RETURN_COMPLETED = "return.completed"
    CUSTOMER_UPSERTED = "customer.upserted"
    FISCAL_RECORDED = "fiscal.recorded"
    TILL_OPENED = "till.opened"
    TILL_CASH_MOVED = "till.cash_moved"
    TILL_CLOSED = "till.closed"
    DRAWER_OPENED = "drawer.opened"
    SALE_CANCELLED = "sale.cancelled"


class OutboxEvent(_Wire):
    seq: Seq
    event_id: str
    type: Annotated[str, Field(min_length=1, max_length=60)]
    occurred_at: WireTime
    payload: dict[str, Any]


class PushRequest(_Wire):
    events: Annotated[list[OutboxEvent], Field(max_length=MAX_PUSH_EVENTS)]


class EventStatus(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"  # permanent: a person must look; the queue goes on
    CONFLICT = "conflict"  # applied, but a person must look


class EventResult(_Wire):
    seq: int
    event_id: str
    status: EventStatus
    code: str | None = None
    message: str | None = None


class PushResponse(_Wire):
    last_seq: int  # the last sequence the backend has taken from this device
    results: list[EventResult]
    expected_seq: int | None = None  # set when the batch had a gap: resend from here


class ChangeOp(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"


class Entity(StrEnum):
    STORE = "store"
    TAX_RATE = "tax_rate"
    CATEGORY = "category"
    PRODUCT = (
        "product"  # data: sku, name, category, tax_class, price_cents, measure, barcodes, active
    )
    # key: product id; data: quantity (on hand, decimal string) at the register's store, and
    # reserved (held for open pickup orders) when not zero: available = quantity - reserved.
    STOCK = "stock"
    # key: order id; data: PickupOrderData. Scoped to the pickup store; written again at every
    # change of the order (state, lines), each time whole.
    PICKUP_ORDER = "pickup_order"
    # key: staff id; data: StaffData. Scoped to the staff member's store; a person who leaves
    # is sent again with ``active`` false (their PIN no longer opens anything).
    STAFF = "staff"
    # key: the policy's name; data: its settings. Global. "staff_limits": StaffLimits,
    # "return_policy": ReturnPolicy.
    POLICY = "policy"
    # key: customer id; data: CustomerData. Scoped to each store that needs the customer
    # (created, bought or looked up there); op delete (global) when the customer was erased.
    CUSTOMER = "customer"


class Change(_Wire):
    seq: int
    entity: Entity
    op: ChangeOp
    key: str
    data: dict[str, Any] = Field(default_factory=dict)


class PullResponse(_Wire):
    changes: list[Change]
    cursor: str  # pass as ``since`` next time
    has_more: bool


class StoreStock(_Wire):
    store_code: str
    store_name: str
    quantity: str  # on hand
    reserved: str = "0"  # held for open pickup orders: available = quantity - reserved


class StockAvailability(_Wire):
    sku: str
    product_id: str
    stores: list[StoreStock]


# --- Event payloads ----------------------------------------------------------------------
# What ``OutboxEvent.payload`` holds for each ``EventType``, as the register writes it
# (``pos_app.services.checkout``). Unlike the envelopes above, payloads ignore fields they do
# not know: a newer register may add a field within protocol v1, and the backend keeps the
# whole payload as received anyway.

Code = Annotated[str, Field(min_length=1, max_length=10, pattern=r"^[A-Z0-9]{1,10}$")]
# Bounded so that any sum of them fits the 64-bit columns of the backend.
Cents = Annotated[int, Field(strict=True, ge=-(10**13), le=10**13)]
ShortText = Annotated[str, Field(max_length=200)]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SaleLinePayload(_Payload):
    line_no: Annotated[int, Field(strict=True, ge=1)]
    product_id: Annotated[str, Field(min_length=1, max_length=36)]
    sku: Annotated[str, Field(max_length=40)]
    name: ShortText
    measure: Annotated[str, Field(max_length=10)]
    quantity: Annotated[str, Field(max_length=20)]  # decimal string: units or kilograms
    unit_price_cents: Cents
    gross_cents: Cents
    discount_cents: Cents
    total_cents: Cents
    tax_class: Annotated[str, Field(max_length=20)]
    tax_rate: Annotated[str, Field(max_length=10)]
    base_cents: Cents
    tax_cents: Cents


class SaleTaxPayload(_Payload):
    tax_class: Annotated[str, Field(max_length=20)]
    rate: Annotated[str, Field(max_length=10)]
    base_cents: Cents
    tax_cents: Cents
    total_cents: Cents


class SalePaymentPayload(_Payload):
    payment_id: Annotated[str, Field(max_length=36)]
    kind: Annotated[str, Field(max_length=10)]  # cash, card, voucher (reference: its code)
    amount_cents: Cents
    tendered_cents: Cents
    reference: ShortText = ""


class SaleCompletedPayload(_Payload):
    """The payload of ``sale.completed``: the whole sale as committed at the register."""

    sale_id: Annotated[str, Field(min_length=1, max_length=36)]
    receipt_number: Annotated[str, Field(min_length=1, max_length=40)]
    store_code: Code
    register_code: Code
    cashier: ShortText
    completed_at: WireTime
    currency: Annotated[str, Field(min_length=3, max_length=3)]
    gross_cents: Cents
    discount_cents: Cents
    total_cents: Cents
    tax_cents: Cents
    change_cents: Cents
    lines: Annotated[list[SaleLinePayload], Field(min_length=1, max_length=1000)]
    taxes: list[SaleTaxPayload]
    payments: list[SalePaymentPayload]
    # Set when the sale pays a pickup order at the counter: the backend moves no stock for its
    # lines of the order's products (the order's reservation becomes the sale movement when the
    # hand-over is applied); other lines (an item added at the counter) move as in any sale.
    order_id: Annotated[str, Field(min_length=1, max_length=36)] | None = None
    # The customer attached to the sale (their history shows it); no personal data travels here.
    customer_id: Annotated[str, Field(min_length=1, max_length=36)] | None = None
    till_id: Annotated[str, Field(max_length=36)] | None = None  # the till session it fell in


class SaleAbandonedPayload(_Payload):
    """The payload of ``sale.abandoned``: a sale voided before payment, kept for audit."""

    abandoned_id: Annotated[str, Field(min_length=1, max_length=36)]
    register_code: Code
    cashier: ShortText
    at: WireTime
    reason: Annotated[str, Field(max_length=500)] = ""
    total_cents: Cents
    line_count: Annotated[int, Field(strict=True, ge=0, le=100_000)]
    till_id: Annotated[str, Field(max_length=36)] | None = None  # the till session it fell in


class SaleCancelledPayload(_Payload):
    """The payload of ``sale.cancelled``: a completed sale annulled at the register by a
    manager (a ticket issued by mistake), with the fiscal record of type ``anulacion`` that
    cancels its ticket. The whole sale is undone: its stock goes back and each payment is
    refunded in its own tender (``refunds``). The backend marks the sale cancelled, puts the
    stock back and counts the cancellation in the Z of ``till_id``."""

    cancellation_id: Annotated[str, Field(min_length=1, max_length=36)]
    sale_id: Annotated[str, Field(min_length=1, max_length=36)]
    receipt_number: Annotated[str, Field(min_length=1, max_length=40)]
    store_code: Code
    register_code: Code
    cashier: ShortText
    approved_by: ShortText = ""
    at: WireTime
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    total_cents: Cents
    refunds: list[SalePaymentPayload] = Field(default_factory=list)
    till_id: Annotated[str, Field(max_length=36)] | None = None  # the till session it fell in
    journal_record_id: Annotated[str, Field(max_length=36)] = ""  # its "anulacion" record


# --- Click-and-collect -------------------------------------------------------------------


class PickupStatus(StrEnum):
    """The order's state, owned by the backend (DESIGN section 4)::

    pending -> picking -> ready -> collected | partially_collected
    pending | picking | ready -> cancelled (by the channel) | expired (not collected in time)
    """

    PENDING = "pending"
    PICKING = "picking"
    READY = "ready"
    COLLECTED = "collected"
    PARTIALLY_COLLECTED = "partially_collected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


OPEN_PICKUP_STATUSES = frozenset({PickupStatus.PENDING, PickupStatus.PICKING, PickupStatus.READY})
Quantity = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^\d{1,9}(\.\d{1,3})?$")]
Email = Annotated[str, Field(max_length=200)]


class PickupCustomer(_Payload):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    phone: Annotated[str, Field(max_length=40)] = ""
    email: Email = ""


class PickupLine(_Payload):
    line_no: Annotated[int, Field(strict=True, ge=1)]
    product_id: Annotated[str, Field(min_length=1, max_length=36)]
    sku: Annotated[str, Field(max_length=40)]
    name: ShortText
    quantity: Quantity  # ordered
    unit_price_cents: Cents
    total_cents: Cents
    location: ShortText = ""  # where it is in the store, when known
    picked: Quantity | None = None  # set once the order is ready
    collected: Quantity | None = None  # set once it is (partly) collected


class PickupHistoryEntry(_Payload):
    status: PickupStatus
    at: WireTime
    by: ShortText  # who: the channel, the cashier, "system" for an expiry
    where: ShortText  # the channel ("web", "phone") or "T01/C02" (store/register)
    note: Annotated[str, Field(max_length=500)] = ""


class PickupOrderData(_Payload):
    """A pickup order as the store's registers hold it (the ``pickup_order`` change)."""

    order_id: Annotated[str, Field(min_length=1, max_length=36)]
    number: Annotated[str, Field(min_length=1, max_length=40)]  # e.g. "W-2026-000123"
    channel: Annotated[str, Field(min_length=1, max_length=20)]  # "web", "phone"
    store_code: Code
    status: PickupStatus
    version: Annotated[int, Field(strict=True, ge=1)]  # +1 at every change on the backend
    customer: PickupCustomer
    paid_online: bool
    currency: Annotated[str, Field(min_length=3, max_length=3)] = "EUR"
    total_cents: Cents
    lines: Annotated[list[PickupLine], Field(min_length=1, max_length=500)]
    pickup_code: Annotated[str, Field(min_length=4, max_length=12)]  # what the customer says
    qr_payload: Annotated[str, Field(max_length=200)]  # what the customer's QR holds
    created_at: WireTime
    expires_at: WireTime
    updated_at: WireTime
    note: Annotated[str, Field(max_length=500)] = ""
    history: list[PickupHistoryEntry] = Field(default_factory=list)
    customer_id: Annotated[str, Field(max_length=36)] | None = None  # the backend's customer


class PickupLineQuantity(_Payload):
    line_no: Annotated[int, Field(strict=True, ge=1)]
    quantity: Quantity


class PickupTransitionPayload(_Payload):
    """The payload of ``pickup.transition``: what a register did to a pickup order.

    ``to_status`` picking: the clerk started picking. ready: picked, ``lines`` say how much of
    each line was found (less than ordered: short or missing). collected / partially_collected:
    handed over, ``lines`` say how much of each line left with the customer (a refused item is
    not in it); ``sale_id`` names the register's sale when it was paid at the counter.
    ``base_version`` is the order's version the register acted on.
    """

    order_id: Annotated[str, Field(min_length=1, max_length=36)]
    number: Annotated[str, Field(min_length=1, max_length=40)]
    register_code: Code
    cashier: ShortText
    at: WireTime
    to_status: PickupStatus
    base_version: Annotated[int, Field(strict=True, ge=1)]
    lines: Annotated[list[PickupLineQuantity], Field(max_length=500)] = Field(default_factory=list)
    sale_id: Annotated[str, Field(max_length=36)] | None = None
    note: Annotated[str, Field(max_length=500)] = ""


# --- The order API of other channels ------------------------------------------------------


class OrderLineRequest(_Wire):
    sku: Annotated[str, Field(min_length=1, max_length=40)]
    quantity: Quantity
    unit_price_cents: Cents | None = None  # the channel's price; the catalog's when left out


class OrderCreate(_Wire):
    channel: Annotated[str, Field(min_length=1, max_length=20)] = "web"
    external_ref: Annotated[str, Field(max_length=60)] = ""  # the channel's own id: idempotent
    store_code: Code  # where it is picked up
    customer: PickupCustomer
    lines: Annotated[list[OrderLineRequest], Field(min_length=1, max_length=500)]
    paid_online: bool
    note: Annotated[str, Field(max_length=500)] = ""


class OrderCancel(_Wire):
    reason: Annotated[str, Field(max_length=500)] = ""


class OrderView(_Wire):
    order: dict[str, Any]  # PickupOrderData as JSON (with its history)


class CodeCheck(_Wire):
    code: Annotated[str, Field(min_length=1, max_length=200)]  # typed code or the QR payload


class CodeCheckResult(_Wire):
    ok: bool
    order_id: str | None = None
    number: str | None = None
    status: PickupStatus | None = None  # the order's state when ``ok`` (hand over only if ready)


# --- Staff, permissions and the audit log ------------------------------------------------


class StaffRole(StrEnum):
    CASHIER = "cashier"
    CLERK = "clerk"
    MANAGER = "manager"


class StaffData(_Payload):
    """A person of a store's staff, as the store's registers hold it (the ``staff`` change).

    ``pin_hash`` is ``scrypt$N$r$p$<salt hex>$<hash hex>`` (see ``sync.pins``): registers verify
    PINs offline against it; the PIN itself never leaves the person's head.
    """

    staff_id: Annotated[str, Field(min_length=1, max_length=36)]
    store_code: Code
    name: Annotated[str, Field(min_length=1, max_length=80)]
    role: StaffRole
    pin_hash: Annotated[str, Field(max_length=300)] | None = None
    active: bool = True


class StaffLimits(_Payload):
    """What a cashier or clerk may do alone (the ``policy`` change ``staff_limits``); beyond it a
    manager's PIN is needed. Amounts in cents, percentages as decimal strings."""

    max_discount_percent: Annotated[str, Field(max_length=10)] = "10"
    max_discount_cents: Cents = 1000
    max_refund_cents: Cents = 5000
    void_needs_manager: bool = True
    drawer_needs_manager: bool = True
    refund_without_receipt_needs_manager: bool = True
    price_edit_needs_manager: bool = True
    pin_attempts: Annotated[int, Field(strict=True, ge=1, le=20)] = 5
    lockout_minutes: Annotated[int, Field(strict=True, ge=1, le=1440)] = 5


class AuditRecordedPayload(_Payload):
    """The payload of ``audit.recorded``: something a manager approved at a register, or a
    sign-in locked after too many wrong PINs. ``kind``: ``override`` (``action`` names what was
    allowed, e.g. ``discount``, ``void``, ``drawer``, ``refund``, ``price``) or ``pin_lockout``."""

    audit_id: Annotated[str, Field(min_length=1, max_length=36)]
    register_code: Code
    at: WireTime
    kind: Annotated[str, Field(min_length=1, max_length=30)]
    action: Annotated[str, Field(max_length=30)] = ""
    staff_id: Annotated[str, Field(max_length=36)] = ""  # who asked (the signed-in person)
    staff_name: ShortText = ""
    approver_id: Annotated[str, Field(max_length=36)] = ""  # the manager who approved
    approver_name: ShortText = ""
    reference: Annotated[str, Field(max_length=60)] = ""  # a sale, an order, a receipt number
    detail: Annotated[str, Field(max_length=500)] = ""


# --- Returns -------------------------------------------------------------------------------


class Disposition(StrEnum):
    """Where a returned item goes: back on the shelf (stock +q), or kept aside (no stock)."""

    SELLABLE = "sellable"
    DAMAGED = "damaged"
    SUPPLIER = "supplier"


class ReturnableLine(_Wire):
    original_line_no: int
    product_id: str
    sku: str
    name: str
    measure: str = "unit"
    quantity_sold: str  # decimal string
    quantity_returned: str  # by every return the backend knows of, from any store
    unit_refund_cents: int  # what one unit was paid, after its share of every discount
    tax_class: str
    tax_rate: str
    category: str = ""  # the product's category code (the return policy's days depend on it)


class ReturnableTender(_Wire):
    kind: str  # cash, card (as on the sale); online: a web order paid on the web shop
    amount_cents: int
    reference: str = ""


class ReturnableView(_Wire):
    """What is still returnable of one original: a sale of any store, or a web order."""

    kind: Literal["sale", "web_order"]
    reference: str  # the receipt or order number
    original_id: str  # the sale id, or the order id
    store_code: str  # where it was sold (the pickup store of an order)
    sold_at: WireTime
    currency: str = "EUR"
    lines: list[ReturnableLine]
    tenders: list[ReturnableTender] = Field(default_factory=list)
    customer_id: str | None = None  # the customer of the sale or order, when known


class ReturnLinePayload(_Payload):
    line_no: Annotated[int, Field(strict=True, ge=1)]
    original_line_no: Annotated[int, Field(strict=True, ge=1)] | None = None
    product_id: Annotated[str, Field(min_length=1, max_length=36)]
    sku: Annotated[str, Field(max_length=40)]
    name: ShortText
    quantity: Quantity
    unit_refund_cents: Cents
    refund_cents: Cents
    tax_class: Annotated[str, Field(max_length=20)]
    tax_rate: Annotated[str, Field(max_length=10)]
    base_cents: Cents
    tax_cents: Cents
    reason: Annotated[str, Field(min_length=1, max_length=200)]
    disposition: Disposition


class ReturnRefundPayload(_Payload):
    refund_id: Annotated[str, Field(max_length=36)]
    kind: Annotated[str, Field(max_length=10)]  # cash, card, voucher (its code), exchange
    amount_cents: Cents
    reference: ShortText = ""


class ReturnCompletedPayload(_Payload):
    """The payload of ``return.completed``: a return (rectifying ticket) as committed at the
    register, with its own number in the register's series for returns. ``original_kind`` and
    ``original_reference`` name what is returned (a receipt or web order number); ``checked``
    says whether the register had the backend's returnable quantities (online) or only its own
    records (offline): the backend re-checks either way, and an over-refund becomes a conflict
    (the money has left: a manager settles it)."""

    return_id: Annotated[str, Field(min_length=1, max_length=36)]
    return_number: Annotated[str, Field(min_length=1, max_length=40)]
    store_code: Code
    register_code: Code
    cashier: ShortText
    completed_at: WireTime
    currency: Annotated[str, Field(min_length=3, max_length=3)]
    original_kind: Literal["sale", "web_order", "none"]  # none: returned without a receipt
    original_reference: Annotated[str, Field(max_length=40)]  # empty only when kind is none
    original_id: Annotated[str, Field(max_length=36)] = ""
    checked: bool = False
    total_cents: Cents  # refunded in all
    tax_cents: Cents
    lines: Annotated[list[ReturnLinePayload], Field(min_length=1, max_length=1000)]
    refunds: Annotated[list[ReturnRefundPayload], Field(min_length=1, max_length=20)]
    gift_receipt: bool = False  # found with a gift receipt: store credit (or exchange) only
    customer_id: Annotated[str, Field(min_length=1, max_length=36)] | None = None
    approved_by: ShortText = ""  # the manager who approved it, when one had to
    till_id: Annotated[str, Field(max_length=36)] | None = None  # the till session it fell in

    @model_validator(mode="after")
    def _reference_named(self) -> ReturnCompletedPayload:
        if self.original_kind != "none" and not self.original_reference:
            raise ValueError("a return of a sale or web order names its reference")
        return self


# --- Store credit ---------------------------------------------------------------------------

VOUCHER_KIND = "voucher"  # the tender / refund kind of store credit
# The refund kind of a return whose credit paid an exchange's new sale (reference: its receipt
# number), and the payment kind of that sale (reference: the return's number). No money moves.
EXCHANGE_KIND = "exchange"


class VoucherView(_Wire):
    """A store-credit voucher as the backend holds it now."""

    code: str
    balance_cents: int
    issued_cents: int
    currency: str = "EUR"
    issued_at: WireTime
    store_code: str  # where it was issued
    active: bool = True


# --- The return policy -----------------------------------------------------------------------

RETURN_POLICY = "return_policy"  # the ``policy`` change's key


class ReturnPolicy(_Payload):
    """One return policy for every channel (the ``policy`` change ``return_policy``).

    ``days``: how long after the sale (or the web order's collection) a return is accepted;
    ``category_days`` overrides it per category code; ``non_returnable_categories`` are never
    taken back. ``receipt_required``: no return without a receipt (or gift receipt) at all;
    otherwise one without is refunded as store credit only, at the lowest price of the last
    ``no_receipt_price_days`` days, with a manager's approval when ``staff_limits`` says so.
    ``offline_max_refund_cents``: a return the register cannot check with the backend (offline,
    a sale it does not know) needs a manager above this amount."""

    days: Annotated[int, Field(strict=True, ge=0, le=3650)] = 30
    category_days: dict[
        Annotated[str, Field(max_length=20)], Annotated[int, Field(strict=True, ge=0, le=3650)]
    ] = Field(default_factory=dict)
    non_returnable_categories: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list
    )
    receipt_required: bool = False
    no_receipt_price_days: Annotated[int, Field(strict=True, ge=1, le=3650)] = 30
    offline_max_refund_cents: Cents = 10000

    def days_for(self, category: str | None) -> int:
        if category and category in self.category_days:
            return self.category_days[category]
        return self.days

    def returnable_category(self, category: str | None) -> bool:
        return not (category and category in self.non_returnable_categories)


# --- Customers -------------------------------------------------------------------------------

CustomerId = Annotated[str, Field(min_length=1, max_length=36)]


class CustomerFields(_Payload):
    """What a register may set of a customer; a field left out (None) is not changed.

    ``privacy_consent``: the customer agreed that the store keeps their data (required to
    create one); ``marketing_consent``: they accept offers. ``consent_at`` is when the consent
    fields were last set, ``consent_where`` where (``T01/C02``, ``web``)."""

    name: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=200)] | None = None
    loyalty_card: Annotated[str, Field(max_length=40)] | None = None
    tax_id: Annotated[str, Field(max_length=20)] | None = None  # NIF/NIE for invoices
    privacy_consent: bool | None = None
    marketing_consent: bool | None = None
    consent_at: WireTime | None = None
    consent_where: Annotated[str, Field(max_length=40)] | None = None


class CustomerUpsertedPayload(_Payload):
    """The payload of ``customer.upserted``: a customer created (``created``) or edited at a
    register, offline or not. ``fields`` holds only what was typed; the backend keeps, per
    field, the value with the latest (``changed_at``, register) and ignores older ones. An
    edit of a customer erased meanwhile is rejected ``customer_erased``."""

    customer_id: CustomerId
    store_code: Code
    register_code: Code
    cashier: ShortText = ""
    changed_at: WireTime
    created: bool = False
    fields: CustomerFields


class CustomerData(_Payload):
    """A customer as the backend holds them (a ``customer`` change, or a look-up answer)."""

    customer_id: CustomerId
    name: Annotated[str, Field(max_length=120)]
    phone: Annotated[str, Field(max_length=40)] = ""
    email: Annotated[str, Field(max_length=200)] = ""
    loyalty_card: Annotated[str, Field(max_length=40)] = ""
    tax_id: Annotated[str, Field(max_length=20)] = ""
    privacy_consent: bool = False
    marketing_consent: bool = False
    consent_at: WireTime | None = None
    consent_where: Annotated[str, Field(max_length=40)] = ""
    created_at: WireTime
    updated_at: WireTime
    created_where: Annotated[str, Field(max_length=40)] = ""  # T01/C02, web, phone
    possible_duplicate: bool = False  # flagged at the backend: same email or phone as another


class CustomerSearchResult(_Wire):
    customers: list[CustomerData]  # at most 50, best match first


class CustomerHistoryEntry(_Wire):
    """One thing the customer did, in any channel. ``kind``: ``sale`` (at a store),
    ``web_order`` (ordered on a channel for pickup; ``status`` its pickup state), ``return``.
    ``reference``: the receipt, order or return number (a sale or web order can be returned
    with it)."""

    kind: Literal["sale", "web_order", "return"]
    reference: str
    at: WireTime
    store_code: str
    channel: str  # "store", "web", "phone"
    total_cents: int
    status: str = ""  # a web order's pickup state
    summary: str = ""  # e.g. "3 artículos: Camiseta, Pantalón…"


class CustomerHistory(_Wire):
    customer: CustomerData
    entries: list[CustomerHistoryEntry]  # newest first, at most 200


# --- The till and the fiscal records (issue 8) ------------------------------------------------
#
# Every ticket (F2), full invoice (F1, or F3 replacing tickets), return (R5, rectifying, by
# differences) and Z close of a register is a record of that register's journal, written in the
# same SQLite transaction as what it records and pushed as ``fiscal.recorded``. Two chains run
# through the journal:
# - ``fingerprint`` (the tax agency's "huella", DESIGN section 9): billing records only (alta,
#   anulacion), each chained to the previous billing record of the register;
# - ``journal_hash``: every record, Z closes too: SHA-256 (64 upper-case hex) of
#   ``journal_previous + "|" + canonical`` where ``canonical`` is the record's fields joined as
#   ``key=value`` with ``&`` in the order of ``FiscalRecordPayload.canonical_fields``.
# ``chain_seq`` is gap-free per register from 1. The backend recomputes both hashes and checks the
# sequence as records arrive; a break or a gap is applied as a conflict (``journal_broken``,
# ``journal_gap``) so a manager sees it; records are kept, never edited, and queued for the tax
# agency's sender.

InvoiceType = Literal["F1", "F2", "F3", "R5"]
FiscalRecordType = Literal["alta", "anulacion", "cierre"]
Amount = Annotated[str, Field(max_length=20, pattern=r"^-?\d{1,11}\.\d{2}$")]  # "123.45"
HexHash = Annotated[str, Field(max_length=64, pattern=r"^([0-9A-F]{64})?$")]


class FiscalRecordPayload(_Payload):
    """The payload of ``fiscal.recorded``: one record of a register's journal."""

    record_id: Annotated[str, Field(min_length=1, max_length=36)]
    store_code: Code
    register_code: Code
    chain_seq: Annotated[int, Field(strict=True, ge=1)]
    record_type: FiscalRecordType
    invoice_type: InvoiceType | None = None  # None for a Z close ("cierre")
    issuer_tax_id: Annotated[str, Field(min_length=1, max_length=20)]
    series_number: Annotated[str, Field(min_length=1, max_length=60)]  # NumSerieFactura / Z no.
    issue_date: Annotated[str, Field(pattern=r"^\d{2}-\d{2}-\d{4}$")]  # dd-mm-yyyy
    tax_total: Amount  # CuotaTotal
    amount_total: Amount  # ImporteTotal
    previous_fingerprint: HexHash = ""  # of the previous billing record; "" for the first
    fingerprint: HexHash = ""  # the huella; "" for a Z close
    generated_at: Annotated[str, Field(min_length=25, max_length=25)]  # 2024-01-01T19:20:30+01:00
    journal_previous: HexHash = ""
    journal_hash: Annotated[str, Field(pattern=r"^[0-9A-F]{64}$")]
    source_kind: Literal["sale", "return", "invoice", "till_close", "cancellation"]
    source_id: Annotated[str, Field(min_length=1, max_length=36)]
    rectified: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list)  # R5
    replaced: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list)  # F3
    recipient_tax_id: Annotated[str, Field(max_length=20)] = ""  # F1, F3
    recipient_name: Annotated[str, Field(max_length=120)] = ""

    canonical_fields: ClassVar[tuple[str, ...]] = (
        "record_id",
        "store_code",
        "register_code",
        "chain_seq",
        "record_type",
        "invoice_type",
        "issuer_tax_id",
        "series_number",
        "issue_date",
        "tax_total",
        "amount_total",
        "previous_fingerprint",
        "fingerprint",
        "generated_at",
        "source_kind",
        "source_id",
        "rectified",
        "replaced",
        "recipient_tax_id",
        "recipient_name",
    )


Denominations = dict[Annotated[str, Field(max_length=6)], Annotated[int, Field(ge=0, le=100_000)]]
# ^ a count by denomination in cents as text: {"5000": 2, "200": 10, "5": 3}


class TillOpenedPayload(_Payload):
    """The payload of ``till.opened``: a till session opened with a counted float."""

    till_id: Annotated[str, Field(min_length=1, max_length=36)]
    store_code: Code
    register_code: Code
    cashier: ShortText
    opened_at: WireTime
    float_cents: Cents
    counted: Denominations = Field(default_factory=dict)


class TillCashMovedPayload(_Payload):
    """The payload of ``till.cash_moved``: cash put in (``in``) or taken out (``out``)."""

    movement_id: Annotated[str, Field(min_length=1, max_length=36)]
    till_id: Annotated[str, Field(min_length=1, max_length=36)]
    register_code: Code
    at: WireTime
    kind: Literal["in", "out"]
    amount_cents: Annotated[int, Field(strict=True, gt=0, le=10**13)]
    reason: Annotated[str, Field(min_length=1, max_length=200)]
    cashier: ShortText
    approved_by: ShortText = ""


class DrawerOpenedPayload(_Payload):
    """The payload of ``drawer.opened``: the cash drawer opened without a sale."""

    opening_id: Annotated[str, Field(min_length=1, max_length=36)]
    register_code: Code
    at: WireTime
    cashier: ShortText
    reason: Annotated[str, Field(max_length=200)] = ""
    till_id: Annotated[str, Field(max_length=36)] | None = None
    opened: bool = True  # False: asked, but the drawer did not open


class TenderTotal(_Payload):
    kind: Annotated[str, Field(max_length=10)]  # cash, card, voucher, exchange
    count: Annotated[int, Field(strict=True, ge=0)]
    amount_cents: Cents  # net: payments minus refunds of that kind


class TaxTotal(_Payload):
    rate: Annotated[str, Field(max_length=10)]
    base_cents: Cents
    tax_cents: Cents
    total_cents: Cents


class TillClosedPayload(_Payload):
    """The payload of ``till.closed``: a Z close, with its figures as the register made them.
    The backend sums the sales and returns it holds for ``till_id`` and applies a Z whose
    figures differ as a conflict ``till_mismatch``."""

    till_id: Annotated[str, Field(min_length=1, max_length=36)]
    z_number: Annotated[str, Field(min_length=1, max_length=40)]  # T01-C01-Z2026-0001
    store_code: Code
    register_code: Code
    cashier: ShortText
    opened_at: WireTime
    closed_at: WireTime
    float_cents: Cents
    cash_in_cents: Cents
    cash_out_cents: Cents
    expected_cash_cents: Cents
    counted_cash_cents: Cents
    difference_cents: Cents  # counted - expected
    counted: Denominations = Field(default_factory=dict)
    sales_count: Annotated[int, Field(strict=True, ge=0)]
    sales_total_cents: Cents
    returns_count: Annotated[int, Field(strict=True, ge=0)]
    returns_total_cents: Cents
    discounts_cents: Cents
    abandoned_count: Annotated[int, Field(strict=True, ge=0)]
    abandoned_total_cents: Cents
    drawer_openings: Annotated[int, Field(strict=True, ge=0)]  # without a sale
    cancelled_count: Annotated[int, Field(strict=True, ge=0)] = 0  # sales annulled in the session
    cancelled_total_cents: Cents = 0
    first_number: Annotated[str, Field(max_length=40)] = ""  # first ticket of the session
    last_number: Annotated[str, Field(max_length=40)] = ""
    tenders: list[TenderTotal] = Field(default_factory=list)
    taxes: list[TaxTotal] = Field(default_factory=list)
    journal_record_id: Annotated[str, Field(max_length=36)] = ""  # its "cierre" record
