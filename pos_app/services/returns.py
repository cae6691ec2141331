"""Returns: give back what a customer bought, as a rectifying ticket in its own series.

Finding the original: a receipt barcode scanned, or a receipt or web order number typed.

- A sale of this register is always found in its own database.
- Online, the backend (``ReturnableLookup``, the ``GET /v1/returnable/{reference}`` look-up)
  knows any store's sale and every collected web order, with what every return of any store
  has already taken back: the figures are then ``checked``.
- Offline, only this register's own sales can be returned (its own returns counted);
  anything else raises ``ReturnsOffline``: other stores' receipts and web orders cannot be
  checked without connection.

``complete_return`` is one transaction: the return with its number (``T01-C01-D2026-000001``,
gap-free, apart from the sales' series), the stock movements of what goes back on the shelf
(``sellable``: +quantity, reason ``return``; ``damaged`` and ``supplier`` move nothing here),
the ``return.completed`` outbox event and, when a manager approved a refund above the signed-in
person's limit, the ``audit.recorded`` override. The return receipt prints after the commit;
a printer failure never loses the return.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, Protocol

from hardware.errors import PrinterError, PrinterOutOfPaper
from hardware.receipt import ReceiptDocument, ReceiptLine, ReceiptTaxRow
from pos_app.domain.errors import NotFound, PosError
from pos_app.domain.ids import new_id
from pos_app.domain.money import Money, format_money, format_quantity
from pos_app.domain.permissions import Action, Approval
from pos_app.domain.returns import (
    DISPOSITIONS,
    NO_RECEIPT,
    SELLABLE,
    ReturnLineRecord,
    ReturnRecord,
    ReturnRefundRecord,
    format_return_number,
    parse_gift_receipt,
    return_period_over,
    return_series,
    share_of_total,
    split_refund,
    units_refund,
)
from pos_app.domain.sale import SaleRecord
from pos_app.failpoints import failpoint
from pos_app.services.errors import (
    ExchangeRefundRequired,
    NothingToReturn,
    RefundExceedsTender,
    RefundReferenceRequired,
    ReturnNotAllowed,
    ReturnNotSaved,
    ReturnOriginalNotFound,
    ReturnQuantityInvalid,
    ReturnReasonRequired,
    ReturnsOffline,
    StoreCreditOnly,
)
from pos_app.services.journal import append_record
from pos_app.services.ports import (
    Clock,
    ReceiptPrinter,
    ReturnableLookup,
    StoreIdentity,
    UnitOfWork,
    UnitOfWorkFactory,
)
from pos_app.services.receipts import ReceiptPrinted, fiscal_qr, preview_of
from pos_app.services.staff import StaffService
from pos_app.services.till import TillService
from pos_app.services.vouchers import ISSUED, VOUCHER_KIND, new_voucher_code
from sync.errors import SyncError, SyncErrorKind
from sync.protocol import (
    EXCHANGE_KIND,
    Disposition,
    EventType,
    FiscalRecordPayload,
    ReturnableView,
    ReturnCompletedPayload,
    ReturnPolicy,
)

log = logging.getLogger(__name__)

RETURN_COMPLETED = EventType.RETURN_COMPLETED.value
STOCK_REASON = "return"
RETURN_TITLE = "DEVOLUCIÓN - FACTURA SIMPLIFICADA RECTIFICATIVA"
CASH = "cash"
CARD = "card"
_PRINTER_MISSING = "no printer configured"


@dataclass(frozen=True, slots=True)
class ReturnableItem:
    """One line of the original, with what is still returnable of it."""

    original_line_no: int
    product_id: str
    sku: str
    name: str
    measure: str
    quantity_sold: Decimal
    quantity_returned: Decimal
    unit_refund_cents: int
    tax_class: str
    tax_rate: Decimal
    line_total_cents: int | None = None  # the sale line's total, for a sale of this register
    local_returned: Decimal = Decimal(0)  # by this register's returns, at the look-up
    category: str = ""  # the product's category code (the return policy depends on it)
    # Why the return policy refuses it ("": it does not): ReturnNotAllowed.CATEGORY (never
    # taken back) or ReturnNotAllowed.EXPIRED (more than ``policy_days`` since the sale).
    refusal: str = ""
    policy_days: int = 0

    @property
    def returnable(self) -> Decimal:
        if self.refusal:
            return Decimal(0)
        return max(self.quantity_sold - self.quantity_returned, Decimal(0))

    def refund_for(self, quantity: Decimal) -> int:
        """What ``quantity`` of it refunds: its share of what the line was paid."""
        if self.line_total_cents is not None:
            return share_of_total(self.line_total_cents, quantity, self.quantity_sold)
        return units_refund(self.unit_refund_cents, quantity)


@dataclass(frozen=True, slots=True)
class RefundableTender:
    """How the original was paid, by kind, and how much of it is left to refund."""

    kind: str  # cash | card
    paid_cents: int
    refunded_cents: int
    reference: str = ""

    @property
    def left_cents(self) -> int:
        return max(self.paid_cents - self.refunded_cents, 0)


@dataclass(frozen=True, slots=True)
class ReturnOriginal:
    """What a return is made against, as found."""

    kind: Literal["sale", "web_order", "none"]  # none: a return without a receipt
    reference: str  # the receipt or web order number
    original_id: str
    store_code: str
    sold_at: datetime
    currency: str
    lines: tuple[ReturnableItem, ...]
    tenders: tuple[RefundableTender, ...]
    checked: bool  # the returnable quantities came from the backend
    own: bool  # a sale of this register
    gift_receipt: bool = False  # found with its gift receipt: store credit only
    customer_id: str | None = None  # the sale's or order's customer, when known

    @property
    def store_credit_only(self) -> bool:
        return self.gift_receipt or self.kind == NO_RECEIPT

    def line(self, original_line_no: int) -> ReturnableItem:
        for item in self.lines:
            if item.original_line_no == original_line_no:
                return item
        raise NotFound("line", str(original_line_no))

    def tender_left(self, kind: str) -> int:
        return sum(t.left_cents for t in self.tenders if t.kind == kind)

    @property
    def anything_left(self) -> bool:
        return any(item.returnable > 0 for item in self.lines)


@dataclass(frozen=True, slots=True)
class ReturnLineRequest:
    original_line_no: int
    quantity: Decimal
    reason: str
    disposition: Disposition = Disposition.SELLABLE


@dataclass(frozen=True, slots=True)
class RefundRequest:
    """``voucher``: store credit, allowed whatever the original was paid with; the register
    makes the voucher's code (``pos_app.services.vouchers``) and it becomes the reference."""

    kind: str  # cash | card | voucher
    reference: str = ""  # the card terminal's refund reference


@dataclass(frozen=True, slots=True)
class ReturnCompleted:
    record: ReturnRecord
    outbox_event_id: str
    audit_event_id: str | None = None
    stock_moved: tuple[tuple[str, Decimal], ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ExchangeCredit:
    """A return checked (lines, reasons, dispositions, permission) but not written: its credit
    pays a new sale, and both commit together (``CheckoutService.start_exchange``)."""

    original: ReturnOriginal
    lines: tuple[ReturnLineRecord, ...]
    refund_kinds: tuple[str, ...]  # how a credit beyond the new sale may be refunded
    approval: Approval | None = None  # a manager's approval used (audited at the commit)
    detail: str = ""

    @property
    def credit_cents(self) -> int:
        return sum(line.refund_cents for line in self.lines)

    @property
    def reference(self) -> str:
        return self.original.reference


@dataclass(frozen=True, slots=True)
class ReturnPrintJob:
    return_id: str
    return_number: str
    document: ReceiptDocument
    copy: bool


class RefundableItem(Protocol):
    """What a returned line is made of: a line of the original, or an item brought back
    without a receipt."""

    @property
    def product_id(self) -> str: ...
    @property
    def sku(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def measure(self) -> str: ...
    @property
    def unit_refund_cents(self) -> int: ...
    @property
    def tax_class(self) -> str: ...
    @property
    def tax_rate(self) -> Decimal: ...
    def refund_for(self, quantity: Decimal) -> int: ...


def return_line_record(
    item: RefundableItem,
    quantity: Decimal,
    reason: str,
    disposition: str,
    *,
    line_no: int,
    original_line_no: int | None,
) -> ReturnLineRecord:
    """The returned line of ``quantity`` of ``item`` (its refund and the tax in it). Raises
    ``ReturnReasonRequired`` when no reason was given."""
    why = reason.strip()
    if not why:
        raise ReturnReasonRequired(item.name)
    kept = Disposition(disposition).value
    assert kept in DISPOSITIONS
    refund = item.refund_for(quantity)
    base, tax = split_refund(refund, item.tax_rate)
    return ReturnLineRecord(
        line_no=line_no,
        original_line_no=original_line_no,
        product_id=item.product_id,
        sku=item.sku,
        name=item.name,
        measure=item.measure,
        quantity=quantity,
        unit_refund_cents=item.unit_refund_cents,
        refund_cents=refund,
        tax_class=item.tax_class,
        tax_rate=item.tax_rate,
        base_cents=base,
        tax_cents=tax,
        reason=why[:200],
        disposition=kept,
    )


def return_to_payload(record: ReturnRecord) -> dict[str, Any]:
    """The return as the ``return.completed`` event carries it (checked by the protocol)."""
    payload = {
        "return_id": record.return_id,
        "return_number": record.return_number,
        "store_code": record.store_code,
        "register_code": record.register_code,
        "cashier": record.cashier,
        "completed_at": record.completed_at.isoformat(),
        "currency": record.currency,
        "original_kind": record.original_kind,
        "original_reference": record.original_reference,
        "original_id": record.original_id,
        "checked": record.checked,
        "total_cents": record.total_cents,
        "tax_cents": record.tax_cents,
        "lines": [line.as_plain() for line in record.lines],
        "gift_receipt": record.gift_receipt,
        "approved_by": record.approved_by,
        "customer_id": record.customer_id,
        "refunds": [
            {
                "refund_id": refund.refund_id,
                "kind": refund.kind,
                "amount_cents": refund.amount_cents,
                "reference": refund.reference,
            }
            for refund in record.refunds
        ],
    }
    return ReturnCompletedPayload.model_validate(payload).model_dump(mode="json")


def build_return_receipt(
    record: ReturnRecord,
    identity: StoreIdentity,
    *,
    locale: str = "es_ES",
    copy: bool = False,
    fiscal: FiscalRecordPayload | None = None,
) -> ReceiptDocument:
    """The return receipt (a simplified rectifying invoice): amounts given back are negative.
    Its text is Spanish, like the sale's receipt: it is a Spanish fiscal document. With its
    fiscal record (R5), the tax agency's QR code and legend."""
    qr: str | None = None
    qr_caption: tuple[str, ...] = ()
    qr_legend: tuple[str, ...] = ()
    if fiscal is not None:
        qr, qr_caption, qr_legend = fiscal_qr(fiscal, locale)

    def money(cents: int) -> str:
        return format_money(Money(cents, record.currency), locale).replace("\xa0", " ")

    def negative(cents: int) -> str:
        return money(-cents) if cents else money(0)

    lines = []
    for line in record.lines:
        if line.measure == "weight":
            qty = f"-{format_quantity(line.quantity, locale, decimals=3)} kg"
        else:
            qty = f"-{format_quantity(line.quantity, locale)}"
        notes = (f"Motivo: {line.reason}", _DISPOSITION_WORDS.get(line.disposition, ""))
        lines.append(
            ReceiptLine(
                line.name,
                qty,
                money(line.unit_refund_cents),
                negative(line.refund_cents),
                tuple(n for n in notes if n),
            )
        )
    kind = "Ticket" if record.original_kind == "sale" else "Pedido web"
    rectifies = f"{kind} {record.original_reference}"
    if record.without_receipt:
        rectifies = "Devolución sin ticket"
    elif record.gift_receipt:
        rectifies = f"{rectifies} (ticket regalo)"
    tenders = []
    vouchers = []
    for refund in record.refunds:
        label = _REFUND_WORDS.get(refund.kind, refund.kind)
        if refund.reference:
            label = f"{label} {refund.reference}"
        tenders.append((f"Devuelto: {label}", negative(refund.amount_cents)))
        if refund.kind == VOUCHER_KIND:
            vouchers.append(refund)
    footer: tuple[str, ...] = ("Firma del cliente: ____________________", "Gracias por su visita")
    barcode = record.return_number
    if vouchers:
        # The voucher is what the customer keeps: its code is the barcode they bring back
        # (the return's number stays in the header).
        barcode = vouchers[0].reference
        footer = (
            *(
                f"VALE DE COMPRA {v.reference}: {money(v.amount_cents)}. Presente este "
                "ticket para pagar con él en cualquier tienda."
                for v in vouchers
            ),
            *footer,
        )
    return ReceiptDocument(
        header=(identity.store_name, f"NIF: {identity.tax_id}", *identity.address),
        title=RETURN_TITLE,
        meta=(
            ("Nº", record.return_number),
            ("Rectifica", rectifies),
            ("Fecha", record.completed_at.strftime("%d/%m/%Y %H:%M")),
            ("Caja", record.register_code),
            ("Cajero", record.cashier),
        ),
        lines=tuple(lines),
        totals=(
            ("Artículos", f"-{format_quantity(record.item_count, locale)}"),
            ("TOTAL", negative(record.total_cents)),
        ),
        total_label="TOTAL",
        tax_columns=("Tipo", "Base", "Cuota", "Total"),
        tax_rows=tuple(
            ReceiptTaxRow(
                f"IVA {row.rate.normalize():f} %",
                negative(row.base_cents),
                negative(row.tax_cents),
                negative(row.total_cents),
            )
            for row in record.tax_rows()
        ),
        tenders=tuple(tenders),
        change=None,
        barcode=barcode,
        qr=qr,
        qr_caption=qr_caption,
        qr_legend=qr_legend,
        footer=footer,
        copy_label="COPIA - REIMPRESIÓN" if copy else None,
    )


_REFUND_WORDS = {
    CASH: "Efectivo",
    CARD: "Tarjeta",
    VOUCHER_KIND: "Vale de compra",
    EXCHANGE_KIND: "Cambio, ticket",  # the credit paid the new sale (reference: its number)
}

_DISPOSITION_WORDS = {
    "sellable": "",
    "damaged": "Dañado (no vuelve a la venta)",
    "supplier": "Para el proveedor",
}


class ReturnsService:
    """Returns at one register. ``lookup`` is the backend's online look-up (None: the register
    is not enrolled, or works offline); ``printer`` the receipt printer, as for sales."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        identity: StoreIdentity,
        *,
        cashier: str,
        lookup: ReturnableLookup | None = None,
        printer: ReceiptPrinter | None = None,
        staff: StaffService | None = None,
        locale: str = "es_ES",
        till: TillService | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self.identity = identity
        self._cashier = cashier
        self.lookup = lookup
        self.printer = printer
        self.staff = staff
        self._locale = locale
        # With a till: no return without an open till, each return tagged with its session.
        self.till = till

    @property
    def cashier(self) -> str:
        return self.staff.cashier_name(self._cashier) if self.staff else self._cashier

    @property
    def uow_factory(self) -> UnitOfWorkFactory:
        return self._uow_factory

    @property
    def clock(self) -> Clock:
        return self._clock

    # --- finding the original ------------------------------------------------------------
    def find_original(self, reference: str) -> ReturnOriginal:
        """The sale or web order ``reference`` names (a receipt barcode scanned, or a receipt
        or web order number typed), with what is still returnable of it.

        Raises ``ReturnOriginalNotFound``, or ``ReturnsOffline`` when it is not a sale of this
        register and the backend cannot be reached. Network I/O: run it off the GUI thread.
        """
        ref = reference.strip()
        if not ref:
            raise ReturnOriginalNotFound(reference)
        gift_of = parse_gift_receipt(ref)
        if gift_of is not None:  # a gift receipt: the sale, refunded as store credit only
            found = self._find_original(gift_of)
            return self._with_policy(replace(found, gift_receipt=True))
        return self._with_policy(self._find_original(ref))

    def return_policy(self) -> ReturnPolicy:
        """The return policy pulled from the backend (its defaults before the first pull)."""
        with self._uow_factory.reader() as uow:
            return uow.staff.return_policy()

    def _with_policy(self, original: ReturnOriginal) -> ReturnOriginal:
        """``original`` with each line the return policy refuses marked (and so not
        returnable): a category never taken back, or more days since the sale than its
        category allows, counted to now."""
        with self._uow_factory.reader() as uow:
            policy = uow.staff.return_policy()
            categories = {}  # the local catalog's, for what the original did not say
            for item in original.lines:
                product = None if item.category else uow.catalog.get(item.product_id)
                categories[item.product_id] = product.category if product else item.category
        now = self._clock.now()
        lines = []
        for item in original.lines:
            item = replace(item, category=categories.get(item.product_id) or item.category)
            days = policy.days_for(item.category)
            refusal = ""
            if not policy.returnable_category(item.category):
                refusal = ReturnNotAllowed.CATEGORY
            elif return_period_over(original.sold_at, now, days):
                refusal = ReturnNotAllowed.EXPIRED
            lines.append(replace(item, refusal=refusal, policy_days=days))
        return replace(original, lines=tuple(lines))

    def _find_original(self, ref: str) -> ReturnOriginal:
        with self._uow_factory.reader() as uow:
            sale = uow.sales.get_by_receipt_number(ref)
            if sale is not None and uow.cancellations.cancellation_of(sale.sale_id):
                raise NothingToReturn(ref)  # annulled: all of it went back already
            customer_id = uow.customers.customer_of_sale(sale.sale_id) if sale else None
            returned = uow.returns.returned_quantities(ref)
            unsynced = uow.returns.unsynced_returned_quantities(ref)
            refunded = uow.returns.refunded_by_kind(ref)
        view: ReturnableView | None = None
        offline = self.lookup is None
        if self.lookup is not None:
            try:
                view = self.lookup.returnable(ref)
            except SyncError as exc:
                if exc.kind is SyncErrorKind.REJECTED and exc.code in ("not_found", ""):
                    view = None  # the backend knows none (a sale of here not yet synced?)
                else:
                    log.info("returnable look-up of %s failed: %s", ref, exc)
                    offline = True
        if view is not None:
            found = self._from_view(view, returned, unsynced, refunded)
            return replace(found, customer_id=view.customer_id or customer_id)
        if sale is not None:
            return replace(self._from_sale(sale, returned, refunded), customer_id=customer_id)
        if offline:
            raise ReturnsOffline(ref)
        raise ReturnOriginalNotFound(ref)

    def _from_sale(
        self, sale: SaleRecord, returned: dict[int, Decimal], refunded: dict[str, int]
    ) -> ReturnOriginal:
        lines = tuple(
            ReturnableItem(
                original_line_no=line.line_no,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                measure=line.measure.value,
                quantity_sold=line.quantity,
                quantity_returned=returned.get(line.line_no, Decimal(0)),
                unit_refund_cents=share_of_total(line.total_cents, Decimal(1), line.quantity),
                tax_class=line.tax_class,
                tax_rate=line.tax_rate,
                line_total_cents=line.total_cents,
                local_returned=returned.get(line.line_no, Decimal(0)),
            )
            for line in sale.lines
        )
        return ReturnOriginal(
            kind="sale",
            reference=sale.receipt_number,
            original_id=sale.sale_id,
            store_code=sale.store_code,
            sold_at=sale.completed_at,
            currency=sale.currency,
            lines=lines,
            tenders=_tenders(
                [(t.kind.value, t.amount.cents, t.reference) for t in sale.tenders], refunded
            ),
            checked=False,
            own=True,
        )

    def _from_view(
        self,
        view: ReturnableView,
        returned: dict[int, Decimal],
        unsynced: dict[int, Decimal],
        refunded: dict[str, int],
    ) -> ReturnOriginal:
        lines = tuple(
            ReturnableItem(
                original_line_no=line.original_line_no,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                measure=line.measure,
                quantity_sold=Decimal(line.quantity_sold),
                # The backend's figure (every store), plus this register's returns it has not
                # received yet; never less than this register's own returns.
                quantity_returned=max(
                    Decimal(line.quantity_returned)
                    + unsynced.get(line.original_line_no, Decimal(0)),
                    returned.get(line.original_line_no, Decimal(0)),
                ),
                unit_refund_cents=line.unit_refund_cents,
                tax_class=line.tax_class,
                tax_rate=Decimal(line.tax_rate),
                local_returned=returned.get(line.original_line_no, Decimal(0)),
                category=line.category,
            )
            for line in view.lines
        )
        ident = self.identity
        own = view.kind == "sale" and view.reference.startswith(
            f"{ident.store_code}-{ident.register_code}-"
        )
        return ReturnOriginal(
            kind=view.kind,
            reference=view.reference,
            original_id=view.original_id,
            store_code=view.store_code,
            sold_at=view.sold_at,
            currency=view.currency,
            lines=lines,
            tenders=_tenders(
                [(t.kind, t.amount_cents, t.reference) for t in view.tenders], refunded
            ),
            checked=True,
            own=own,
        )

    # --- the return ----------------------------------------------------------------------
    def refund_total(self, original: ReturnOriginal, lines: list[ReturnLineRequest]) -> int:
        """What ``lines`` refund (checked as ``complete_return`` checks them)."""
        return sum(r.refund_cents for r in self._lines(original, lines))

    def _lines(
        self, original: ReturnOriginal, requests: list[ReturnLineRequest]
    ) -> list[ReturnLineRecord]:
        records: list[ReturnLineRecord] = []
        for request in requests:
            item = original.line(request.original_line_no)
            quantity = request.quantity
            if item.refusal and quantity > 0:
                raise ReturnNotAllowed(
                    item.name, item.refusal, days=item.policy_days, category=item.category
                )
            if quantity < 0 or quantity > item.returnable:
                raise ReturnQuantityInvalid(item.name, str(item.returnable))
            if quantity == 0:
                continue
            if item.measure != "weight" and quantity != quantity.to_integral_value():
                raise ReturnQuantityInvalid(item.name, str(item.returnable))
            records.append(
                return_line_record(
                    item,
                    quantity,
                    request.reason,
                    request.disposition,
                    line_no=len(records) + 1,
                    original_line_no=item.original_line_no,
                )
            )
        if not records:
            raise NothingToReturn(original.reference)
        return records

    def complete_return(
        self,
        original: ReturnOriginal,
        lines: list[ReturnLineRequest],
        refund: RefundRequest,
        approval: Approval | None = None,
    ) -> ReturnCompleted:
        """Commit the return in one transaction (see the module's docstring).

        Raises ``ReturnQuantityInvalid``, ``ReturnReasonRequired``, ``NothingToReturn``,
        ``RefundReferenceRequired``, ``RefundExceedsTender``, ``ManagerApprovalRequired``
        (a refund above the signed-in person's limit, without a manager's ``approval``) or
        ``ApprovalInvalid``: nothing written. ``ReturnNotSaved`` when storage failed.
        The returnable quantities are checked again inside the transaction against this
        register's own returns, so two returns of one sale never give back more than it sold.
        """
        records = self._lines(original, lines)
        total = sum(r.refund_cents for r in records)
        kind = refund.kind
        reference = self._check_refund(original, refund, total)
        detail = f"refund of {total} cents ({kind}) for {original.reference}"
        # Not checked with the backend (offline, or a sale it does not know yet): above the
        # return policy's offline limit only with a manager (another store may have refunded).
        offline_limit = None if original.checked else self.return_policy().offline_max_refund_cents
        used = (
            self.staff.authorize(
                Action.REFUND,
                detail=detail,
                approval=approval,
                cents=total,
                limit_cents=offline_limit,
            )
            if self.staff is not None
            else None
        )
        now = self._clock.now()
        return_id = new_id()
        try:
            return self._commit(original, records, kind, reference, now, return_id, used, detail)
        except PosError:
            raise
        except Exception as exc:
            log.exception("return not saved")
            raise ReturnNotSaved(str(exc) or type(exc).__name__) from exc

    # --- exchanges: the return's credit pays a new sale -------------------------------------
    def exchange_credit(
        self,
        original: ReturnOriginal,
        lines: list[ReturnLineRequest],
        approval: Approval | None = None,
    ) -> ExchangeCredit:
        """Check a return to exchange, as ``complete_return`` checks it (the same errors, the
        same permission on the whole credit), writing nothing: its credit, for the new sale."""
        records = self._lines(original, lines)
        total = sum(r.refund_cents for r in records)
        detail = f"refund of {total} cents ({EXCHANGE_KIND}) for {original.reference}"
        offline_limit = None if original.checked else self.return_policy().offline_max_refund_cents
        used = (
            self.staff.authorize(
                Action.REFUND,
                detail=detail,
                approval=approval,
                cents=total,
                limit_cents=offline_limit,
            )
            if self.staff is not None
            else None
        )
        return ExchangeCredit(original, tuple(records), self.refund_kinds(original), used, detail)

    @staticmethod
    def refund_kinds(original: ReturnOriginal) -> tuple[str, ...]:
        """How money may go back for ``original``: its own tenders (what is left of them),
        or store credit; a gift receipt (or no receipt) gives store credit only."""
        if original.store_credit_only:
            return (VOUCHER_KIND,)
        if not original.tenders:
            return (CASH, CARD, VOUCHER_KIND)
        left = {t.kind for t in original.tenders if t.left_cents > 0}
        return (*(k for k in (CASH, CARD) if k in left), VOUCHER_KIND)

    def check_exchange_refund(
        self, credit: ExchangeCredit, refund: RefundRequest, cents: int
    ) -> str:
        """A refund of what the credit has beyond the new sale, checked as a return's refund
        is: its reference (empty for a voucher: made at the commit)."""
        reference = self._check_refund(credit.original, refund, cents)
        if refund.kind not in credit.refund_kinds:
            raise RefundExceedsTender(refund.kind, cents, 0)
        return reference

    def record_exchange_return(
        self,
        uow: UnitOfWork,
        credit: ExchangeCredit,
        *,
        sale_number: str,
        applied_cents: int,
        refund: RefundRequest | None,
        now: datetime,
    ) -> ReturnCompleted:
        """Inside the exchange's unit of work: the return whose credit paid ``applied_cents``
        of sale ``sale_number`` (refund ``exchange``) and gives back the rest by ``refund``."""
        refunds: list[tuple[str, int, str]] = []
        if applied_cents > 0:
            refunds.append((EXCHANGE_KIND, applied_cents, sale_number))
        rest = credit.credit_cents - applied_cents
        if rest > 0:
            if refund is None:
                raise ExchangeRefundRequired(rest, credit.refund_kinds)
            reference = self.check_exchange_refund(credit, refund, rest)
            refunds.append((refund.kind, rest, reference))
        return self.record_return(
            uow,
            credit.original,
            list(credit.lines),
            refunds,
            now=now,
            return_id=new_id(),
            used=credit.approval,
            detail=credit.detail,
        )

    @staticmethod
    def _check_refund(original: ReturnOriginal, refund: RefundRequest, cents: int) -> str:
        """A refund of ``cents`` by ``refund.kind`` fits the original: its reference."""
        kind = refund.kind
        if original.store_credit_only and kind != VOUCHER_KIND:
            raise StoreCreditOnly(kind, "gift_receipt" if original.gift_receipt else "no_receipt")
        if kind not in (CASH, CARD, VOUCHER_KIND):
            raise RefundExceedsTender(kind, cents, 0)
        reference = refund.reference.strip() if kind != VOUCHER_KIND else ""
        if kind == CARD and not reference:
            raise RefundReferenceRequired()
        left = original.tender_left(kind)
        if kind != VOUCHER_KIND and original.tenders and cents > left:
            raise RefundExceedsTender(kind, cents, left)
        return reference

    def _commit(
        self,
        original: ReturnOriginal,
        records: list[ReturnLineRecord],
        kind: str,
        reference: str,
        now: datetime,
        return_id: str,
        used: Approval | None,
        detail: str,
    ) -> ReturnCompleted:
        total = sum(r.refund_cents for r in records)
        with self._uow_factory() as uow:
            done = self.record_return(
                uow,
                original,
                records,
                [(kind, total, reference)],
                now=now,
                return_id=return_id,
                used=used,
                detail=detail,
            )
            failpoint("return.before_commit")
            uow.commit()
        record = done.record
        log.info("return %s completed: %s cents", record.return_number, record.total_cents)
        return done

    def record_return(
        self,
        uow: UnitOfWork,
        original: ReturnOriginal,
        records: list[ReturnLineRecord],
        refunds: list[tuple[str, int, str]],
        *,
        now: datetime,
        return_id: str,
        used: Approval | None,
        detail: str,
    ) -> ReturnCompleted:
        """Write the return inside the caller's unit of work (which commits it, or not): the
        quantities and tenders checked again, its number, the vouchers it issues, the stock
        of what goes back on the shelf, the ``return.completed`` event and the audit of an
        approval used. ``refunds``: (kind, cents, reference); a voucher's code is made here."""
        ident = self.identity
        till_id = self.till.require_open(uow, "return") if self.till is not None else None
        for kind, cents, _reference in refunds:
            self._recheck(uow, original, records, kind, cents)
        number = uow.series.next_number(
            return_series(ident.store_code, ident.register_code, now.year)
        )
        refund_records: list[ReturnRefundRecord] = []
        for kind, cents, reference in refunds:
            if kind == VOUCHER_KIND:
                reference = new_voucher_code(ident, uow)
                uow.vouchers.remember(
                    reference, issued_cents=cents, balance_cents=cents, at=now, source=ISSUED
                )
            refund_records.append(ReturnRefundRecord(new_id(), kind, cents, reference))
        record = ReturnRecord(
            return_id=return_id,
            return_number=format_return_number(
                ident.store_code, ident.register_code, now.year, number
            ),
            store_code=ident.store_code,
            register_code=ident.register_code,
            cashier=self.cashier,
            completed_at=now,
            currency=original.currency,
            original_kind=original.kind,
            original_reference=original.reference,
            original_id=original.original_id,
            original_store_code=original.store_code,
            checked=original.checked,
            lines=tuple(records),
            refunds=tuple(refund_records),
            gift_receipt=original.gift_receipt,
            approved_by=used.approver_name if used is not None else "",
            customer_id=original.customer_id,
        )
        uow.returns.add(record, return_year=now.year, return_seq=number)
        if till_id is not None:
            uow.tills.tag("return", record.return_id, till_id)
        moved: list[tuple[str, Decimal]] = []
        for line in records:
            if line.disposition != SELLABLE:
                continue  # damaged or for the supplier: kept aside, not back on the shelf
            if uow.catalog.get(line.product_id) is None:
                log.warning("return %s: product %s not in the catalog", number, line.sku)
                continue
            uow.stock.add_movement(
                line.product_id, line.quantity, reason=STOCK_REASON, reference=return_id, at=now
            )
            moved.append((line.product_id, line.quantity))
        payload = return_to_payload(record)
        if till_id is not None:
            payload["till_id"] = till_id
        event_id = uow.outbox.add(RETURN_COMPLETED, payload, occurred_at=now)
        append_record(  # R5 by differences: the amounts given back, negative
            uow,
            ident,
            invoice_type="R5",
            series_number=record.return_number,
            tax_cents=-record.tax_cents,
            total_cents=-record.total_cents,
            source_kind="return",
            source_id=record.return_id,
            at=now,
            rectified=[original.reference] if original.kind == "sale" else [],
        )
        audit_id = None
        if used is not None:
            assert self.staff is not None
            audit_id = self.staff.record_override(
                uow, used, detail=detail, reference=record.return_number
            )
        return ReturnCompleted(record, event_id, audit_id, tuple(moved))

    @staticmethod
    def _recheck(
        uow: UnitOfWork,
        original: ReturnOriginal,
        records: list[ReturnLineRecord],
        kind: str,
        cents: int | None = None,
    ) -> None:
        """Inside the write transaction: this register's returns made since the look-up."""
        if original.kind == NO_RECEIPT:
            return  # no original: nothing to refund twice (the price is the lowest recent)
        returned = uow.returns.returned_quantities(original.reference)
        for line in records:
            assert line.original_line_no is not None
            item = original.line(line.original_line_no)
            since = returned.get(item.original_line_no, Decimal(0)) - item.local_returned
            already = item.quantity_returned + max(since, Decimal(0))
            left = max(item.quantity_sold - already, Decimal(0))
            if line.quantity > left:
                raise ReturnQuantityInvalid(item.name, str(left))
        if original.tenders and kind not in (VOUCHER_KIND, EXCHANGE_KIND):
            refunded = uow.returns.refunded_by_kind(original.reference).get(kind, 0)
            paid = sum(t.paid_cents for t in original.tenders if t.kind == kind)
            total = sum(r.refund_cents for r in records) if cents is None else cents
            if total > paid - refunded:
                raise RefundExceedsTender(kind, total, max(paid - refunded, 0))

    # --- the receipt ---------------------------------------------------------------------
    def get(self, return_id: str) -> ReturnRecord:
        with self._uow_factory.reader() as uow:
            record = uow.returns.get(return_id)
        if record is None:
            raise NotFound("return", return_id)
        return record

    def document(self, return_id: str, *, copy: bool = False) -> ReceiptDocument:
        return build_return_receipt(
            self.get(return_id),
            self.identity,
            locale=self._locale,
            copy=copy,
            fiscal=self.fiscal_record(return_id),
        )

    def preview_text(self, return_id: str, *, copy: bool = False, width: int = 48) -> str:
        """The return's receipt as the printer would print it, decoded to text (its QR's
        content where it prints)."""
        from hardware.printers import receipt_to_bytes

        return preview_of(receipt_to_bytes(self.document(return_id, copy=copy), width=width))

    def fiscal_record(self, return_id: str) -> FiscalRecordPayload | None:
        """The return's R5 record in the fiscal journal (None before the journal existed)."""
        with self._uow_factory.reader() as uow:
            return uow.fiscal.for_source("return", return_id)

    def prepare_print(self, return_id: str, *, reprint: bool = False) -> ReturnPrintJob:
        """Database step 1: the document (a copy once an attempt may have printed)."""
        record = self.get(return_id)
        with self._uow_factory.reader() as uow:
            already = uow.returns.print_count(return_id)
        copy = reprint or already > 0
        doc = build_return_receipt(
            record,
            self.identity,
            locale=self._locale,
            copy=copy,
            fiscal=self.fiscal_record(return_id),
        )
        return ReturnPrintJob(return_id, record.return_number, doc, copy)

    def send(self, job: ReturnPrintJob) -> ReceiptPrinted:
        """I/O step 2: the printer only. A failure is the result, never an exception."""
        if self.printer is None:
            return ReceiptPrinted(
                job.return_id, job.return_number, job.copy, False, _PRINTER_MISSING
            )
        try:
            self.printer.print_receipt(job.document)
        except Exception as exc:  # any printer failure: report it, keep the return
            error = str(exc) or type(exc).__name__
            maybe = exc.maybe_printed if isinstance(exc, PrinterError) else True
            log.warning("return receipt %s not printed: %s", job.return_number, error)
            return ReceiptPrinted(
                job.return_id,
                job.return_number,
                job.copy,
                False,
                error,
                maybe_printed=maybe,
                out_of_paper=isinstance(exc, PrinterOutOfPaper),
            )
        return ReceiptPrinted(job.return_id, job.return_number, job.copy, True)

    def record_print(self, result: ReceiptPrinted) -> ReceiptPrinted:
        """Database step 3: the return's print log."""
        with self._uow_factory() as uow:
            uow.returns.add_print(
                return_id=result.sale_id,
                at=self._clock.now(),
                copy=result.copy,
                ok=result.ok,
                error=result.error,
                maybe_printed=result.maybe_printed,
            )
            uow.commit()
        return result

    def print_receipt(self, return_id: str, *, reprint: bool = False) -> ReceiptPrinted:
        """The three steps in this thread (the UI runs them on its workers instead)."""
        return self.record_print(self.send(self.prepare_print(return_id, reprint=reprint)))


def _tenders(
    paid: list[tuple[str, int, str]], refunded: dict[str, int]
) -> tuple[RefundableTender, ...]:
    """One entry per tender kind: what was paid by it, what this register already refunded."""
    by_kind: dict[str, list[Any]] = {}
    for kind, cents, reference in paid:
        entry = by_kind.setdefault(kind, [0, reference])
        entry[0] += cents
    return tuple(
        RefundableTender(kind, cents, refunded.get(kind, 0), reference)
        for kind, (cents, reference) in by_kind.items()
    )
