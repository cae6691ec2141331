"""The ports the services need, as structural protocols; storage and hardware satisfy them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Literal, Protocol

from hardware.receipt import ReceiptDocument
from hardware.status import DeviceStatus
from pos_app.domain.cart import Measure
from pos_app.domain.money import Money
from pos_app.domain.permissions import Approval, Role, StaffLimits
from pos_app.domain.returns import ReturnRecord
from pos_app.domain.sale import SaleRecord
from pos_app.domain.tax import TaxRate
from pos_app.domain.till import CashCount, CashMovement, SessionFacts, TillSession
from sync.protocol import (
    ChainPosition,
    Change,
    CustomerData,
    CustomerHistory,
    CustomerHistoryEntry,
    CustomerSearchResult,
    CustomerUpsertedPayload,
    EventResult,
    FiscalRecordPayload,
    PickupOrderData,
    PickupStatus,
    ReturnableView,
    ReturnPolicy,
    VoucherView,
)


@dataclass(frozen=True, slots=True)
class ProductRecord:
    """A product of the local catalog as the register reads it."""

    product_id: str
    sku: str
    name: str
    category: str
    tax_class: str
    price: Money
    measure: Measure
    stock: Decimal | None = None


@dataclass(frozen=True, slots=True)
class StoreIdentity:
    store_code: str
    register_code: str
    store_name: str
    tax_id: str
    address: tuple[str, ...]
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class SaleSummary:
    sale_id: str
    receipt_number: str
    completed_at: datetime
    cashier: str
    total_cents: int  # a return's is negative: what it gave back
    item_count: Decimal
    tenders: str  # "cash", "card", "cash+card"
    kind: Literal["sale", "return"] = "sale"  # a return: ``sale_id`` is its return id
    original_reference: str = ""  # a return's original (ticket or web order number)
    cancelled: bool = False  # a sale annulled (its ticket cancelled by an anulación record)


@dataclass(frozen=True, slots=True)
class ParkedSale:
    parked_id: str
    parked_at: datetime
    cashier: str
    label: str
    item_count: Decimal
    total_cents: int
    cart: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SyncState:
    device_id: str | None
    backend_url: str | None
    register_name: str | None
    cursor: str
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None

    @property
    def enrolled(self) -> bool:
        return self.device_id is not None


@dataclass(frozen=True, slots=True)
class PendingEvent:
    seq: int
    event_id: str
    event_type: str
    occurred_at: datetime
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """An event the backend rejected, or applied with a conflict: a manager must look."""

    item_id: int
    seq: int | None
    event_id: str | None
    event_type: str
    status: str  # rejected | conflict | missing (events lost before reaching the backend)
    code: str
    message: str
    created_at: datetime
    resolved_at: datetime | None


class CatalogRepository(Protocol):
    def find_by_barcode(self, code: str) -> ProductRecord | None: ...
    def find_by_sku(self, sku: str) -> ProductRecord | None: ...
    def get(self, product_id: str) -> ProductRecord | None: ...
    def search(self, text: str, limit: int = 50) -> list[ProductRecord]: ...
    def tax_rates(self) -> list[TaxRate]: ...
    def identity(self) -> StoreIdentity | None: ...
    def set_identity(self, identity: StoreIdentity) -> None: ...


class SaleRepository(Protocol):
    def add(self, sale: SaleRecord, *, receipt_year: int, receipt_seq: int) -> None: ...
    def get(self, sale_id: str) -> SaleRecord | None: ...
    def get_by_receipt_number(self, receipt_number: str) -> SaleRecord | None: ...
    def list_between(self, start: datetime, end: datetime) -> list[SaleSummary]: ...
    def unit_prices_since(self, product_id: str, since: datetime) -> list[int]: ...


class ReceiptSeriesRepository(Protocol):
    def next_number(self, series: str) -> int: ...
    def continue_after(self, series: str, last_number: int) -> None: ...


class OutboxRepository(Protocol):
    def add(self, event_type: str, payload: dict[str, Any], *, occurred_at: datetime) -> str: ...
    def pending_count(self) -> int: ...


class StockRepository(Protocol):
    def add_movement(
        self, product_id: str, delta: Decimal, *, reason: str, reference: str, at: datetime
    ) -> None: ...
    def level(self, product_id: str) -> Decimal: ...


class ParkedSaleRepository(Protocol):
    def add(self, parked: ParkedSale) -> None: ...
    def list(self) -> list[ParkedSale]: ...
    def take(self, parked_id: str) -> ParkedSale | None: ...


class AbandonedSaleRepository(Protocol):
    def add(
        self,
        *,
        abandoned_id: str,
        at: datetime,
        cashier: str,
        reason: str,
        total_cents: int,
        cart: dict[str, Any],
    ) -> None: ...


class PrintLogRepository(Protocol):
    def add(
        self,
        *,
        sale_id: str,
        at: datetime,
        copy: bool,
        ok: bool,
        error: str,
        maybe_printed: bool = False,
    ) -> None: ...
    def count_for(self, sale_id: str) -> int: ...


@dataclass(frozen=True, slots=True)
class DrawerOpening:
    """One opening of the cash drawer: for a cash sale, or by hand with a reason."""

    opening_id: str
    at: datetime
    cashier: str
    reason: str  # DRAWER_FOR_SALE for a cash sale's kick, else what the cashier typed
    sale_id: str | None
    ok: bool
    error: str = ""
    # A manager's approval used for it: audited with the opening's log row (not stored here).
    approval: Approval | None = None


class DrawerLogRepository(Protocol):
    def add(self, opening: DrawerOpening) -> None: ...
    def list_between(self, start: datetime, end: datetime) -> list[DrawerOpening]: ...


class SyncRepository(Protocol):
    def state(self) -> SyncState: ...
    def save_enrollment(
        self, *, device_id: str, backend_url: str, register_name: str, at: datetime
    ) -> None: ...
    def set_cursor(self, cursor: str, *, at: datetime) -> None: ...
    def mark_success(self, at: datetime) -> None: ...
    def mark_error(self, message: str, at: datetime) -> None: ...
    def pending(self, limit: int) -> list[PendingEvent]: ...
    def pending_count(self) -> int: ...
    def acknowledge(self, results: Iterable[EventResult], *, at: datetime) -> tuple[int, int]: ...
    def close_gap(self, expected_seq: int, *, at: datetime) -> list[tuple[int, int]]: ...
    def attention(self, *, include_resolved: bool = False) -> list[AttentionItem]: ...
    def attention_count(self) -> int: ...
    def resolve_attention(self, item_id: int, at: datetime) -> None: ...
    def apply(self, changes: Iterable[Change]) -> int: ...


@dataclass(frozen=True, slots=True)
class PickupProgressLine:
    """What the register found of one order line while picking: ``picked`` so far, and
    ``short`` once the clerk said the rest is missing (``picked`` is then all there is)."""

    line_no: int
    picked: Decimal
    short: bool = False


@dataclass(frozen=True, slots=True)
class StoredPickup:
    """A pickup order as the register holds it: the backend's copy and the register's progress
    on top (``local_status`` set: ahead of the backend, waiting for sync)."""

    pk: int
    order: PickupOrderData
    local_status: PickupStatus | None
    base_version: int | None
    progress: tuple[PickupProgressLine, ...]
    local_at: datetime | None
    conflict: str  # the backend's closing state that contradicts a hand-over done here

    @property
    def status(self) -> PickupStatus:
        """The state the register shows: its own while ahead, else the backend's."""
        return self.local_status or self.order.status


class PickupRepository(Protocol):
    def get(self, order_id: str) -> StoredPickup | None: ...
    def search(
        self, text: str = "", *, open_only: bool = False, limit: int = 200
    ) -> list[StoredPickup]: ...
    def find_exact(self, text: str) -> list[StoredPickup]: ...
    def newer_than(self, pk: int) -> list[StoredPickup]: ...
    def last_pk(self) -> int: ...
    def save_progress(
        self,
        order_id: str,
        *,
        local_status: PickupStatus | None,
        base_version: int,
        progress: tuple[PickupProgressLine, ...],
        at: datetime,
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A person of the store's staff as pulled from the backend (read-only here)."""

    staff_id: str
    store_code: str
    name: str
    role: Role
    pin_hash: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class PinFailures:
    """Wrong PINs counted for one person, and until when their sign-in is locked."""

    failures: int = 0
    locked_until: datetime | None = None


class StaffRepository(Protocol):
    def list(self, *, active_only: bool = True) -> list[StaffMember]: ...
    def get(self, staff_id: str) -> StaffMember | None: ...
    def count(self) -> int: ...
    def limits(self) -> StaffLimits: ...
    def return_policy(self) -> ReturnPolicy: ...
    def failures(self, staff_id: str) -> PinFailures: ...
    def set_failures(self, staff_id: str, failures: PinFailures) -> None: ...


class ReturnRepository(Protocol):
    def add(self, record: ReturnRecord, *, return_year: int, return_seq: int) -> None: ...
    def get(self, return_id: str) -> ReturnRecord | None: ...
    def returned_quantities(self, original_reference: str) -> dict[int, Decimal]: ...
    def unsynced_returned_quantities(self, original_reference: str) -> dict[int, Decimal]: ...
    def refunded_by_kind(self, original_reference: str) -> dict[str, int]: ...
    def add_print(
        self,
        *,
        return_id: str,
        at: datetime,
        copy: bool,
        ok: bool,
        error: str,
        maybe_printed: bool = False,
    ) -> None: ...
    def print_count(self, return_id: str) -> int: ...
    def list_between(self, start: datetime, end: datetime) -> list[SaleSummary]: ...


class ReturnableLookup(Protocol):
    """The backend's online look-up of what is still returnable of a receipt of any store or a
    web order (``sync.client.SyncClient.returnable``). Raises ``sync.errors.SyncError``: NETWORK
    or SERVER when the backend cannot be reached, REJECTED ``not_found`` when it knows no such
    receipt or order."""

    def returnable(self, reference: str) -> ReturnableView: ...


class VoucherLookup(Protocol):
    """The backend's balance of a store-credit voucher (``sync.client.SyncClient.voucher``,
    ``GET /v1/vouchers/{code}``). Raises ``sync.errors.SyncError``: NETWORK or SERVER when the
    backend cannot be reached, REJECTED ``not_found`` when it knows no such voucher."""

    def voucher(self, code: str) -> VoucherView: ...


@dataclass(frozen=True, slots=True)
class KnownVoucher:
    """A voucher as this register last knew it: issued here, or looked up online; its balance
    has gone down by what this register spent of it since."""

    code: str
    issued_cents: int
    balance_cents: int
    known_at: datetime
    source: str  # issued | lookup


class VoucherRepository(Protocol):
    def get(self, code: str) -> KnownVoucher | None: ...
    def remember(
        self, code: str, *, issued_cents: int, balance_cents: int, at: datetime, source: str
    ) -> None: ...
    def spend(self, code: str, cents: int) -> None: ...
    def unsynced_spent(self, code: str) -> int: ...


class CustomerDirectory(Protocol):
    """The backend's customers (``sync.client.SyncClient``: ``GET /v1/customers?q=``,
    ``/v1/customers/{id}``, ``/v1/customers/{id}/history``). Raises ``sync.errors.SyncError``:
    NETWORK or SERVER when the backend cannot be reached, REJECTED ``not_found`` for an unknown
    (or erased) customer."""

    def customers(self, q: str) -> CustomerSearchResult: ...
    def customer(self, customer_id: str) -> CustomerData: ...
    def customer_history(self, customer_id: str) -> CustomerHistory: ...


class CustomerRepository(Protocol):
    def get(self, customer_id: str) -> CustomerData | None: ...
    def search(self, text: str, limit: int = 50) -> list[CustomerData]: ...
    def save(self, customer: CustomerData, *, used_at: datetime | None = None) -> None: ...
    def touch(self, customer_id: str, at: datetime) -> bool: ...
    def attach_sale(self, sale_id: str, customer_id: str) -> None: ...
    def customer_of_sale(self, sale_id: str) -> str | None: ...
    def local_history(self, customer_id: str) -> list[CustomerHistoryEntry]: ...
    def pending_edits(self, customer_id: str) -> list[CustomerUpsertedPayload]: ...
    def forget_unused(self, before: datetime) -> int: ...


class FiscalRepository(Protocol):
    """The register's fiscal journal: records only ever added, in ``chain_seq`` order."""

    def last(self) -> FiscalRecordPayload | None: ...
    def last_fingerprint(self) -> str: ...
    def anchor(self) -> ChainPosition | None: ...
    def set_anchor(
        self, anchor: ChainPosition, *, replaced_device_id: str, at: datetime
    ) -> None: ...
    def add(
        self, record: FiscalRecordPayload, *, recipient_address: Sequence[str] = ()
    ) -> None: ...
    def recipient_address(self, record_id: str) -> tuple[str, ...]: ...
    def for_source(self, source_kind: str, source_id: str) -> FiscalRecordPayload | None: ...
    def replacement_of(self, series_number: str) -> FiscalRecordPayload | None: ...
    def is_cancelled(self, series_number: str) -> bool: ...
    def count(self) -> int: ...
    def records(self, *, batch: int = 1000) -> Iterator[FiscalRecordPayload]: ...
    def raise_clock_alarm(self, message: str, *, at: datetime) -> bool: ...


class TillRepository(Protocol):
    """The till's sessions (at most one open), cash movements, and what each session recorded;
    ``tag`` marks a record just written in the same transaction with its session."""

    def current(self) -> TillSession | None: ...
    def get(self, till_id: str) -> TillSession | None: ...
    def last_closed(self) -> TillSession | None: ...
    def open(self, session: TillSession) -> None: ...
    def close(
        self,
        till_id: str,
        *,
        closed_at: datetime,
        closed_by: str,
        z_number: str,
        z_year: int,
        z_seq: int,
        counted: CashCount,
        expected_cents: int,
        report: dict[str, Any],
    ) -> None: ...
    def add_movement(self, movement: CashMovement) -> None: ...
    def movements(self, till_id: str) -> list[CashMovement]: ...
    def tag(
        self, kind: Literal["sale", "return", "abandoned", "drawer"], record_id: str, till_id: str
    ) -> None: ...
    def facts(self, till_id: str) -> SessionFacts: ...


class CancellationRepository(Protocol):
    """Sale cancellations (at most one per sale) and what annulling a sale must check."""

    def add(
        self,
        *,
        cancellation_id: str,
        sale_id: str,
        receipt_number: str,
        at: datetime,
        cashier: str,
        approved_by: str,
        reason: str,
        total_cents: int,
        tax_cents: int,
        till_id: str | None,
        journal_record_id: str,
        refunds: Sequence[tuple[str, int, str]],
    ) -> None: ...
    def till_of_sale(self, sale_id: str) -> str | None: ...
    def cancellation_of(self, sale_id: str) -> str | None: ...
    def has_return(self, receipt_number: str, sale_id: str) -> bool: ...
    def sale_movements(self, sale_id: str) -> list[tuple[str, Decimal]]: ...
    def replaced_by_invoice(self, receipt_number: str) -> str | None: ...


class UnitOfWork(Protocol):
    """One transaction: rolled back on leaving the ``with`` block unless ``commit()`` ran."""

    @property
    def catalog(self) -> CatalogRepository: ...
    @property
    def sales(self) -> SaleRepository: ...
    @property
    def series(self) -> ReceiptSeriesRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def stock(self) -> StockRepository: ...
    @property
    def parked(self) -> ParkedSaleRepository: ...
    @property
    def abandoned(self) -> AbandonedSaleRepository: ...
    @property
    def prints(self) -> PrintLogRepository: ...
    @property
    def drawer(self) -> DrawerLogRepository: ...
    @property
    def sync(self) -> SyncRepository: ...
    @property
    def pickups(self) -> PickupRepository: ...
    @property
    def staff(self) -> StaffRepository: ...
    @property
    def returns(self) -> ReturnRepository: ...
    @property
    def vouchers(self) -> VoucherRepository: ...
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def tills(self) -> TillRepository: ...
    @property
    def fiscal(self) -> FiscalRepository: ...
    @property
    def cancellations(self) -> CancellationRepository: ...

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork:
        """A unit of work that may write (takes the write lock at its start)."""
        ...

    def reader(self) -> UnitOfWork:
        """A read-only unit of work: never waits for, nor blocks, a writer."""
        ...


class ReceiptPrinter(Protocol):
    """Prints a receipt document; raises ``hardware.errors.PrinterError`` when it cannot."""

    def print_receipt(self, doc: ReceiptDocument) -> None: ...


class DevicePrinter(ReceiptPrinter, Protocol):
    """A receipt printer with a status and a cash drawer connector (every hardware printer)."""

    name: str

    def status(self) -> DeviceStatus:
        """Never raises; bounded by the printer's time-out."""
        ...

    def open_drawer(self) -> None:
        """Kick the drawer on the configured pin; raises ``PrinterError``."""
        ...


class CustomerDisplay(Protocol):
    """A two-line pole display; ``show`` raises ``hardware.errors.DeviceUnavailable``."""

    def show(self, top: str, bottom: str) -> None: ...
    def status(self) -> DeviceStatus: ...


class Scale(Protocol):
    """A scale; ``read_weight`` gives kilograms or raises a ``hardware.errors`` error."""

    def read_weight(self) -> Decimal: ...
    def status(self) -> DeviceStatus: ...


class Clock(Protocol):
    def now(self) -> datetime: ...
    def today(self) -> date: ...


class SystemClock:
    """The wall clock in the store's time zone."""

    def __init__(self, tz_name: str = "Europe/Madrid") -> None:
        from zoneinfo import ZoneInfo

        self._tz = ZoneInfo(tz_name)

    def now(self) -> datetime:
        return datetime.now(self._tz)

    def today(self) -> date:
        return self.now().date()
