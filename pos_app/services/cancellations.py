"""Annulling a completed sale (a ticket issued by mistake): the VERI*FACTU "anulación".

``cancel_sale`` undoes a whole sale of the open till session, with a manager's approval
(``Action.CANCEL_SALE``: manager-only unless the store's ``cancel_needs_manager`` limit is
off), in one transaction on the register's database:

- the sale is marked cancelled (its own row is a fact and is never edited: the cancellation is
  a row of its own, at most one per sale);
- the stock the sale took goes back (the opposite of the sale's own stock movements);
- each payment goes back in its own tender (cash lowers the till's expected cash, a card refund
  is recorded with the card payment's reference);
- the journal's "anulacion" record of the sale's ticket, chained like any billing record
  (``journal.record_cancellation``);
- the outbox event ``sale.cancelled`` (``SaleCancelledPayload``) and the manager's override.

Refused (``SaleNotCancellable``, nothing written): a sale of another till session (closed in an
earlier Z, so its figures are final), one already cancelled, one a return names (the return
undid part of it: another return undoes the rest), one that paid a pickup order (its stock was
the order's reservation, moved by the backend), one paid by voucher or a return's credit (a
return gives that back as store credit instead), one an F3 invoice replaced.

The cancellation receipt says "ANULACIÓN" of the ticket, with the ticket's number and date, the
reason, who approved it and what went back in each tender. It prints no QR: the tax agency's QR
identifies an invoice ("Factura verificable..."), and an anulación is a record that withdraws
one, not an invoice (DESIGN section 9: the QR is the ticket's).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from hardware.receipt import ReceiptDocument, ReceiptLine, ReceiptTaxRow
from pos_app.domain.cart import Measure, TenderKind
from pos_app.domain.ids import new_id
from pos_app.domain.money import Money, format_money, format_quantity
from pos_app.domain.permissions import Action, Approval
from pos_app.domain.sale import SaleRecord
from pos_app.services.errors import SaleNotCancellable
from pos_app.services.journal import record_cancellation
from pos_app.services.ports import (
    Clock,
    ReceiptPrinter,
    StoreIdentity,
    UnitOfWork,
    UnitOfWorkFactory,
)
from pos_app.services.staff import StaffService
from pos_app.services.till import TENDER_NAMES, TillService
from sync.protocol import EventType, FiscalRecordPayload, SaleCancelledPayload, SalePaymentPayload

log = logging.getLogger(__name__)

MAX_REASON = 500
STOCK_REASON = "cancellation"
_REFUNDABLE = (TenderKind.CASH, TenderKind.CARD)


@dataclass(frozen=True, slots=True)
class Refund:
    kind: str  # cash | card
    amount_cents: int
    reference: str = ""


@dataclass(frozen=True, slots=True)
class SaleCancelled:
    """A sale annulled: what went back, its "anulacion" record and its events."""

    cancellation_id: str
    sale: SaleRecord
    reason: str
    at: datetime
    cashier: str
    approved_by: str
    refunds: tuple[Refund, ...]
    record: FiscalRecordPayload
    event_id: str
    audit_id: str | None
    till_id: str

    @property
    def cash_cents(self) -> int:
        """The cash to hand back from the drawer."""
        return sum(r.amount_cents for r in self.refunds if r.kind == TenderKind.CASH.value)


@dataclass(frozen=True, slots=True)
class CancellationPrinted:
    """A cancellation receipt's print: ``ok`` false and ``error`` set when the printer failed
    (the cancellation is saved either way)."""

    cancellation_id: str
    receipt_number: str
    ok: bool
    error: str = ""


class CancellationService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        identity: StoreIdentity,
        *,
        till: TillService,
        cashier: str = "",
        staff: StaffService | None = None,
        printer: ReceiptPrinter | None = None,
        locale: str = "es_ES",
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self.identity = identity
        self.till = till
        self._cashier = cashier
        self.staff = staff
        self.printer = printer
        self._locale = locale

    @property
    def cashier(self) -> str:
        return self.staff.cashier_name(self._cashier) if self.staff else self._cashier

    # --- checks ----------------------------------------------------------------------------
    @staticmethod
    def _check(uow: UnitOfWork, sale_id: str) -> tuple[SaleRecord, str, FiscalRecordPayload]:
        """The sale, the open till session and the sale's own record; raises ``TillNotOpen``
        or ``SaleNotCancellable``."""
        till_id = TillService.require_open(uow, "cancel")
        sale = uow.sales.get(sale_id)
        if sale is None:
            raise SaleNotCancellable("not_found")
        number = sale.receipt_number
        if uow.cancellations.till_of_sale(sale.sale_id) != till_id:
            raise SaleNotCancellable("other_till", number)
        if uow.cancellations.cancellation_of(sale.sale_id) is not None:
            raise SaleNotCancellable("cancelled", number)
        if uow.cancellations.has_return(number, sale.sale_id):
            raise SaleNotCancellable("returned", number)
        if any(tender.kind not in _REFUNDABLE for tender in sale.tenders):
            raise SaleNotCancellable("tender", number)
        if len(uow.cancellations.sale_movements(sale.sale_id)) < len(sale.lines):
            raise SaleNotCancellable("pickup", number)  # a pickup order's lines moved no stock
        if uow.cancellations.replaced_by_invoice(number) is not None:
            raise SaleNotCancellable("invoiced", number)
        record = uow.fiscal.for_source("sale", sale.sale_id)
        if record is None or record.record_type != "alta":
            raise SaleNotCancellable("not_found", number)
        return sale, till_id, record

    def check(self, sale_id: str) -> SaleRecord:
        """Database (reader): whether the sale may be annulled now (before a manager is asked
        for their PIN). Raises ``TillNotOpen`` or ``SaleNotCancellable``."""
        with self._uow_factory.reader() as uow:
            sale, _till_id, _record = self._check(uow, sale_id)
        return sale

    # --- the use case (database worker) --------------------------------------------------
    def cancel_sale(
        self, sale_id: str, reason: str, approval: Approval | None = None
    ) -> SaleCancelled:
        """Annul the sale ``sale_id`` (see the module). Raises ``SaleNotCancellable``,
        ``TillNotOpen``, ``ManagerApprovalRequired`` (nothing written) or
        ``ApprovalInvalid``."""
        reason = " ".join(reason.split())[:MAX_REASON]
        if not reason:
            raise SaleNotCancellable("no_reason")
        sale = self.check(sale_id)
        detail = f"cancellation of sale {sale.receipt_number}: {reason}"
        used = None
        if self.staff is not None:
            used = self.staff.authorize(
                Action.CANCEL_SALE, detail=detail, approval=approval, cents=sale.total_cents
            )
        now = self._clock.now()
        cancellation_id = new_id()
        with self._uow_factory() as uow:
            sale, till_id, ticket = self._check(uow, sale_id)  # again, in the write transaction
            refunds = tuple(
                Refund(tender.kind.value, tender.amount.cents, tender.reference)
                for tender in sale.tenders
            )
            for product_id, quantity in uow.cancellations.sale_movements(sale.sale_id):
                uow.stock.add_movement(
                    product_id, quantity, reason=STOCK_REASON, reference=cancellation_id, at=now
                )
            record = record_cancellation(
                uow, self.identity, annulled=ticket, cancellation_id=cancellation_id, at=now
            )
            approved_by = used.approver_name if used is not None else ""
            cashier = self.cashier
            uow.cancellations.add(
                cancellation_id=cancellation_id,
                sale_id=sale.sale_id,
                receipt_number=sale.receipt_number,
                at=now,
                cashier=cashier,
                approved_by=approved_by,
                reason=reason,
                total_cents=sale.total_cents,
                tax_cents=sale.tax_cents,
                till_id=till_id,
                journal_record_id=record.record_id,
                refunds=[(r.kind, r.amount_cents, r.reference) for r in refunds],
            )
            payload = SaleCancelledPayload(
                cancellation_id=cancellation_id,
                sale_id=sale.sale_id,
                receipt_number=sale.receipt_number,
                store_code=self.identity.store_code,
                register_code=self.identity.register_code,
                cashier=cashier,
                approved_by=approved_by,
                at=now,
                reason=reason,
                total_cents=sale.total_cents,
                refunds=[
                    SalePaymentPayload(
                        payment_id=new_id(),
                        kind=r.kind,
                        amount_cents=r.amount_cents,
                        tendered_cents=r.amount_cents,
                        reference=r.reference,
                    )
                    for r in refunds
                ],
                till_id=till_id,
                journal_record_id=record.record_id,
            )
            event_id = uow.outbox.add(
                EventType.SALE_CANCELLED.value, payload.model_dump(mode="json"), occurred_at=now
            )
            audit_id = None
            if used is not None:
                assert self.staff is not None
                audit_id = self.staff.record_override(
                    uow, used, detail=detail, reference=sale.receipt_number
                )
            uow.commit()
        log.info(
            "sale %s cancelled (%s cents back; record %s)",
            sale.receipt_number,
            sale.total_cents,
            record.chain_seq,
        )
        return SaleCancelled(
            cancellation_id,
            sale,
            reason,
            now,
            cashier,
            approved_by,
            refunds,
            record,
            event_id,
            audit_id,
            till_id,
        )

    # --- the cancellation receipt ----------------------------------------------------------
    def _money(self, cents: int) -> str:
        return format_money(Money(cents, self.identity.currency), self._locale).replace("\xa0", " ")

    def document(self, done: SaleCancelled) -> ReceiptDocument:
        """The cancellation receipt (Spanish, like the receipts): no QR (see the module)."""
        ident = self.identity
        sale = done.sale
        m = self._money
        meta: list[tuple[str, str]] = [
            ("Ticket anulado", sale.receipt_number),
            ("Fecha del ticket", sale.completed_at.strftime("%d/%m/%Y %H:%M")),
            ("Anulación", done.at.strftime("%d/%m/%Y %H:%M")),
            ("Cajero", done.cashier),
        ]
        if done.approved_by:
            meta.append(("Autoriza", done.approved_by))
        meta.append(("Motivo", done.reason))
        lines = []
        for line in sale.lines:
            if line.measure is Measure.WEIGHT:
                quantity = f"{format_quantity(line.quantity, self._locale, decimals=3)} kg"
                unit = f"{m(line.unit_price_cents)}/kg"
            else:
                quantity = format_quantity(line.quantity, self._locale)
                unit = m(line.unit_price_cents)
            lines.append(ReceiptLine(line.name, quantity, unit, m(-line.total_cents)))
        return ReceiptDocument(
            header=(ident.store_name, f"NIF {ident.tax_id}", *ident.address),
            title=f"ANULACIÓN DEL TICKET {sale.receipt_number}",
            meta=tuple(meta),
            lines=tuple(lines),
            totals=(("TOTAL ANULADO", m(-sale.total_cents)),),
            total_label="TOTAL ANULADO",
            tax_columns=("Tipo", "Base", "Cuota", "Total"),
            tax_rows=tuple(
                ReceiptTaxRow(
                    f"IVA {t.rate.normalize():f} %",
                    m(-t.base_cents),
                    m(-t.tax_cents),
                    m(-t.total_cents),
                )
                for t in sale.taxes
            ),
            tenders=tuple(
                (f"Devuelto: {TENDER_NAMES.get(r.kind, r.kind)}", m(r.amount_cents))
                for r in done.refunds
            ),
            change=None,
            barcode=None,
            footer=(
                f"Registro de anulación nº {done.record.chain_seq}",
                "El ticket anulado queda sin efecto.",
            ),
        )

    def print_receipt(self, done: SaleCancelled) -> CancellationPrinted:
        """I/O (never raises for the printer): print the cancellation receipt."""
        number = done.sale.receipt_number
        if self.printer is None:
            return CancellationPrinted(done.cancellation_id, number, False, "no printer")
        try:
            self.printer.print_receipt(self.document(done))
        except Exception as exc:  # the cancellation is committed: report, never raise
            log.warning("cancellation receipt of %s not printed: %s", number, exc)
            return CancellationPrinted(done.cancellation_id, number, False, str(exc) or "error")
        return CancellationPrinted(done.cancellation_id, number, True)

    def preview_text(self, done: SaleCancelled, *, width: int = 48) -> str:
        """The receipt as the printer would print it: rendered to ESC/POS, decoded to text."""
        from hardware.escpos_decoder import decode
        from hardware.printers import receipt_to_bytes

        return decode(receipt_to_bytes(self.document(done), width=width)).text
