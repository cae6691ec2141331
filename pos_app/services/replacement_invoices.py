"""A full invoice issued later, replacing tickets (F3: "factura en sustitución de facturas
simplificadas").

The cashier picks one or more tickets of this register (F2: not a full invoice already, not
cancelled, not returned in whole or in part, not replaced before), from any day still in the
register's database, and names the customer (tax id checked, name, address: as a full invoice
at the counter). The register then issues, in one transaction, the F3 record of its journal:
its own number in the register's series of replacement invoices (``T01-C01-F2026-000001``,
``pos_app.domain.invoices``), ``replaced`` = the tickets' numbers, the totals of the tickets,
the recipient. The record is the invoice as stored (source ``invoice``, its own id): what it
prints is read back from it and from the tickets it replaced. It reaches the backend as
``fiscal.recorded``, as every record does.

A ticket is replaced only once: a second invoice for it is refused (``TicketNotReplaceable``
``already_replaced``), here and, should two registers' databases ever disagree, at the backend
(conflict ``already_replaced``, sync/README.md).

A return of a replaced ticket still works as any return: its R5 record rectifies the ticket
(``rectified`` = the ticket's number), which the F3 names in ``replaced``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final

from hardware.receipt import ReceiptDocument, ReceiptLine, ReceiptTaxRow
from pos_app.domain.errors import NotFound
from pos_app.domain.ids import new_id
from pos_app.domain.invoices import format_invoice_number, invoice_series
from pos_app.domain.money import Money, format_money, format_quantity
from pos_app.domain.sale import SaleRecord
from pos_app.services.errors import TicketNotReplaceable
from pos_app.services.invoices import InvoiceRecipient, make_recipient
from pos_app.services.journal import append_record
from pos_app.services.ports import Clock, StoreIdentity, UnitOfWork, UnitOfWorkFactory
from pos_app.services.receipts import (
    RECEIPT_LABELS,
    PrintJob,
    ReceiptPrinted,
    ReceiptService,
    fiscal_qr,
    preview_of,
    receipt_line,
)
from sync.protocol import FiscalRecordPayload

log = logging.getLogger(__name__)

INVOICE_SOURCE: Final = "invoice"

_LABELS: dict[str, dict[str, str]] = {
    "es": {
        "title": "FACTURA",
        "subtitle": "En sustitución de facturas simplificadas",
        "replaces": "Sustituye a",
        "paid": "Pagada con los tickets sustituidos",
    },
    "en": {
        "title": "INVOICE",
        "subtitle": "Replacing simplified invoices",
        "replaces": "Replaces",
        "paid": "Paid with the replaced receipts",
    },
}


def _lang(locale: str) -> str:
    return locale.split("_")[0] if locale.split("_")[0] in _LABELS else "es"


@dataclass(frozen=True, slots=True)
class ReplaceableTicket:
    """A ticket that a replacement invoice may replace, as the dialog lists it."""

    sale_id: str
    receipt_number: str
    completed_at: datetime
    total_cents: int
    tax_cents: int


@dataclass(frozen=True, slots=True)
class ReplacementInvoiceIssued:
    """What ``issue`` did: the invoice (its id and number), its F3 record, the tickets."""

    invoice_id: str
    invoice_number: str
    record: FiscalRecordPayload
    tickets: tuple[ReplaceableTicket, ...]
    recipient: InvoiceRecipient


def _clean(reference: str) -> str:
    return reference.strip().upper()


def _check(uow: UnitOfWork, number: str) -> tuple[SaleRecord, ReplaceableTicket]:
    """Inside ``uow``: the ticket ``number`` if a replacement invoice may replace it."""
    sale = uow.sales.get_by_receipt_number(number)
    if sale is None:
        raise TicketNotReplaceable(number, "not_found")
    if uow.fiscal.is_cancelled(number):
        raise TicketNotReplaceable(number, "cancelled")
    record = uow.fiscal.for_source("sale", sale.sale_id)
    if record is None or record.record_type != "alta" or record.invoice_type != "F2":
        raise TicketNotReplaceable(number, "not_ticket")
    if uow.returns.returned_quantities(number) or uow.returns.refunded_by_kind(number):
        raise TicketNotReplaceable(number, "returned")
    replacement = uow.fiscal.replacement_of(number)
    if replacement is not None:
        raise TicketNotReplaceable(number, "already_replaced", by=replacement.series_number)
    return sale, ReplaceableTicket(
        sale.sale_id, sale.receipt_number, sale.completed_at, sale.total_cents, sale.tax_cents
    )


def _numbers(references: Sequence[str]) -> list[str]:
    numbers: list[str] = []
    for reference in references:
        number = _clean(reference)
        if not number:
            continue
        if number in numbers:
            raise TicketNotReplaceable(number, "repeated")
        numbers.append(number)
    if not numbers:
        raise TicketNotReplaceable("", "none")
    return numbers


class ReplacementInvoiceService:
    """Issue, show and print replacement invoices (F3) of this register. Printing goes through
    ``receipts`` (its printer, its failure handling)."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        identity: StoreIdentity,
        receipts: ReceiptService,
        *,
        locale: str = "es_ES",
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._identity = identity
        self._receipts = receipts
        self._locale = locale

    # --- choosing the tickets --------------------------------------------------------------
    def check_ticket(self, reference: str) -> ReplaceableTicket:
        """The ticket typed or scanned (its number, as printed and as its barcode), if it can
        be replaced; else ``TicketNotReplaceable`` says why."""
        number = _clean(reference)
        if not number:
            raise TicketNotReplaceable("", "none")
        with self._uow_factory.reader() as uow:
            return _check(uow, number)[1]

    # --- issuing ---------------------------------------------------------------------------
    def issue(
        self, references: Sequence[str], tax_id: str, name: str, address: Sequence[str]
    ) -> ReplacementInvoiceIssued:
        """One transaction: every ticket checked again, the invoice's number, its F3 record
        (stored and queued as ``fiscal.recorded``). A refused ticket or recipient writes
        nothing."""
        recipient = make_recipient(tax_id, name, address)
        numbers = _numbers(references)
        ident = self._identity
        now = self._clock.now()
        with self._uow_factory() as uow:
            tickets = tuple(_check(uow, number)[1] for number in numbers)
            seq = uow.series.next_number(
                invoice_series(ident.store_code, ident.register_code, now.year)
            )
            invoice_number = format_invoice_number(
                ident.store_code, ident.register_code, now.year, seq
            )
            invoice_id = new_id()
            record = append_record(
                uow,
                ident,
                invoice_type="F3",
                series_number=invoice_number,
                tax_cents=sum(t.tax_cents for t in tickets),
                total_cents=sum(t.total_cents for t in tickets),
                source_kind=INVOICE_SOURCE,
                source_id=invoice_id,
                at=now,
                replaced=numbers,
                recipient_tax_id=recipient.tax_id,
                recipient_name=recipient.name,
                recipient_address=recipient.address,
            )
            uow.commit()
        log.info("replacement invoice %s issued for %s", invoice_number, ", ".join(numbers))
        return ReplacementInvoiceIssued(invoice_id, invoice_number, record, tickets, recipient)

    # --- the printed invoice ---------------------------------------------------------------
    def _read(
        self, invoice_id: str
    ) -> tuple[FiscalRecordPayload, tuple[str, ...], tuple[SaleRecord, ...]]:
        with self._uow_factory.reader() as uow:
            record = uow.fiscal.for_source(INVOICE_SOURCE, invoice_id)
            if record is None:
                raise NotFound("invoice", invoice_id)
            address = uow.fiscal.recipient_address(record.record_id)
            sales = []
            for number in record.replaced:
                sale = uow.sales.get_by_receipt_number(number)
                if sale is None:
                    raise NotFound("receipt", number)
                sales.append(sale)
        return record, address, tuple(sales)

    def document(self, invoice_id: str, *, copy: bool = False) -> ReceiptDocument:
        record, address, sales = self._read(invoice_id)
        return build_replacement_invoice(
            record, address, sales, self._identity, locale=self._locale, copy=copy
        )

    def preview_text(self, invoice_id: str, *, copy: bool = False, width: int = 48) -> str:
        """The invoice as the printer would print it, decoded to text (with its QR)."""
        from hardware.printers import receipt_to_bytes

        return preview_of(receipt_to_bytes(self.document(invoice_id, copy=copy), width=width))

    def prepare_print(self, invoice_id: str, *, reprint: bool = False) -> PrintJob:
        """Database step: the document to print (a reprint is marked as a copy)."""
        record, address, sales = self._read(invoice_id)
        doc = build_replacement_invoice(
            record, address, sales, self._identity, locale=self._locale, copy=reprint
        )
        return PrintJob(invoice_id, record.series_number, doc, reprint)

    def send(self, job: PrintJob) -> ReceiptPrinted:
        """I/O step: the printer only; a failure is the result (the invoice is saved)."""
        return self._receipts.send(job)

    def print_invoice(self, invoice_id: str, *, reprint: bool = False) -> ReceiptPrinted:
        """Both steps in this thread (the UI runs them on its workers instead)."""
        return self.send(self.prepare_print(invoice_id, reprint=reprint))


def build_replacement_invoice(
    record: FiscalRecordPayload,
    recipient_address: Sequence[str],
    sales: Sequence[SaleRecord],
    identity: StoreIdentity,
    *,
    locale: str = "es_ES",
    copy: bool = False,
) -> ReceiptDocument:
    """The printed F3: the full invoice layout (issuer, number, date, recipient), the tickets
    it replaces ("Sustituye a"), every line of them, the tax breakdown of all of them, and the
    tax agency's QR of the F3 record."""
    lab = RECEIPT_LABELS.get(locale.split("_")[0], RECEIPT_LABELS["es"])
    own = _LABELS[_lang(locale)]
    currency = sales[0].currency if sales else identity.currency

    def money(cents: int) -> str:
        return format_money(Money(cents, currency), locale).replace("\xa0", " ")

    lines: list[ReceiptLine] = []
    taxes: dict[Decimal, list[int]] = {}
    gross = discount = total = 0
    items = Decimal(0)
    for sale in sales:
        gross += sale.gross_cents
        discount += sale.discount_cents
        total += sale.total_cents
        items += sale.item_count
        lines.extend(receipt_line(line, locale, money, lab) for line in sale.lines)
        for tax in sale.taxes:
            sums = taxes.setdefault(tax.rate, [0, 0, 0])
            sums[0] += tax.base_cents
            sums[1] += tax.tax_cents
            sums[2] += tax.total_cents
    totals: list[tuple[str, str]] = [(lab["items"], format_quantity(items, locale))]
    if discount:
        totals.append((lab["subtotal"], money(gross)))
        totals.append((lab["discount"], "-" + money(discount)))
    totals.append((lab["total"], money(total)))
    generated = datetime.fromisoformat(record.generated_at)
    by_number = {sale.receipt_number: sale for sale in sales}
    replaced = tuple(
        (
            own["replaces"] if i == 0 else "",
            f"{number} ({by_number[number].completed_at.strftime('%d/%m/%Y')})"
            if number in by_number
            else number,
        )
        for i, number in enumerate(record.replaced)
    )
    qr, qr_caption, qr_legend = fiscal_qr(record, locale)
    return ReceiptDocument(
        header=(identity.store_name, f"{lab['tax_id']}: {identity.tax_id}", *identity.address),
        title=own["title"],
        meta=(
            ("", own["subtitle"]),
            (lab["number"], record.series_number),
            (lab["date"], generated.strftime("%d/%m/%Y %H:%M")),
            (lab["register"], record.register_code),
            (lab["recipient"], record.recipient_name),
            (lab["recipient_tax_id"], record.recipient_tax_id),
            *(
                (lab["recipient_address"] if i == 0 else "", line)
                for i, line in enumerate(recipient_address)
            ),
            *replaced,
        ),
        lines=tuple(lines),
        totals=tuple(totals),
        total_label=lab["total"],
        tax_columns=tuple(lab["tax_columns"].split("|")),  # type: ignore[arg-type]
        tax_rows=tuple(
            ReceiptTaxRow(f"{lab['tax']} {rate.normalize():f} %", money(b), money(tx), money(tt))
            for rate, (b, tx, tt) in sorted(taxes.items(), reverse=True)
        ),
        tenders=(),
        change=None,
        barcode=record.series_number,
        qr=qr,
        qr_caption=qr_caption,
        qr_legend=qr_legend,
        footer=(own["paid"],),
        copy_label=lab["copy"] if copy else None,
    )
