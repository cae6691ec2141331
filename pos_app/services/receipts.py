"""Receipts: a completed sale laid out as the plain document ``hardware`` prints, printing it
(after the sale is committed, never before), the print log, and the day's sales for reprints.

Receipt text is the store's language (Spanish by default; a simplified invoice is a Spanish
fiscal document), independent of the language of the cashier's screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from hardware.errors import PrinterError, PrinterOutOfPaper
from hardware.receipt import ReceiptDocument, ReceiptLine, ReceiptTaxRow
from pos_app.domain.cart import Measure, TenderKind
from pos_app.domain.errors import NotFound
from pos_app.domain.money import Money, format_money, format_quantity
from pos_app.domain.returns import gift_receipt_code
from pos_app.domain.sale import SaleLineRecord, SaleRecord
from pos_app.services.ports import (
    Clock,
    ReceiptPrinter,
    SaleSummary,
    StoreIdentity,
    UnitOfWorkFactory,
)
from sync.fiscal import QR_LEGEND, qr_url
from sync.protocol import FiscalRecordPayload

log = logging.getLogger(__name__)

RECEIPT_LABELS: dict[str, dict[str, str]] = {
    "es": {
        "title": "FACTURA SIMPLIFICADA",
        "number": "Nº",
        "date": "Fecha",
        "cashier": "Cajero",
        "register": "Caja",
        "items": "Artículos",
        "subtotal": "Subtotal",
        "discount": "Descuento",
        "total": "TOTAL",
        "tax_columns": "Tipo|Base|Cuota|Total",
        "tax": "IVA",
        "cash": "Efectivo",
        "card": "Tarjeta",
        "voucher": "Vale",
        "exchange": "Abono devolución",
        "change": "Cambio",
        "copy": "COPIA - REIMPRESIÓN",
        "thanks": "Gracias por su compra",
        "returns": "Conserve este ticket para cambios y devoluciones",
        "tax_id": "NIF",
        "weight_unit": "kg",
        "gift_title": "TICKET REGALO",
        "gift_note": "Sin precios: es un regalo",
        "gift_returns": "Cambio o devolución como vale de compra hasta el {date} presentando "
        "este ticket",
        "qr_caption": "QR tributario:",
        "invoice_title": "FACTURA",
        "recipient": "Cliente",
        "recipient_tax_id": "NIF cliente",
        "recipient_address": "Domicilio",
    },
    "en": {
        "title": "SIMPLIFIED INVOICE",
        "number": "No.",
        "date": "Date",
        "cashier": "Cashier",
        "register": "Register",
        "items": "Items",
        "subtotal": "Subtotal",
        "discount": "Discount",
        "total": "TOTAL",
        "tax_columns": "Rate|Base|Tax|Total",
        "tax": "VAT",
        "cash": "Cash",
        "card": "Card",
        "voucher": "Voucher",
        "exchange": "Return credit",
        "change": "Change",
        "copy": "COPY - REPRINT",
        "thanks": "Thank you for your purchase",
        "returns": "Keep this receipt for exchanges and returns",
        "tax_id": "Tax ID",
        "weight_unit": "kg",
        "gift_title": "GIFT RECEIPT",
        "gift_note": "No prices: it is a gift",
        "gift_returns": "Exchange or return as store credit until {date} with this receipt",
        "qr_caption": "QR tributario:",  # the tax agency's words, in every language
        "invoice_title": "INVOICE",
        "recipient": "Customer",
        "recipient_tax_id": "Customer tax ID",
        "recipient_address": "Address",
    },
}


def _labels(locale: str) -> dict[str, str]:
    return RECEIPT_LABELS.get(locale.split("_")[0], RECEIPT_LABELS["es"])


VERIFACTU = "VERI*FACTU"


def fiscal_qr(
    record: FiscalRecordPayload, locale: str = "es_ES"
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The tax agency's QR of a billing record (DESIGN section 9: no hash in it, so it prints
    offline too), with its caption and legend: (url, caption, legend)."""
    url = qr_url(
        issuer_tax_id=record.issuer_tax_id,
        series_number=record.series_number,
        issue_date=record.issue_date,
        amount_total=record.amount_total,
    )
    return url, (_labels(locale)["qr_caption"],), (QR_LEGEND, VERIFACTU)


def preview_of(data: bytes) -> str:
    """Printed ESC/POS bytes as text for the screen: the decoded lines, with a line where a
    QR code prints (``[QR]`` and what it holds, wrapped to the receipt's width)."""
    from hardware.escpos_decoder import QrCode, decode

    decoded = decode(data)
    width = max((len(line) for line in decoded.lines), default=48) or 48
    lines = list(decoded.lines)
    for qr in reversed(decoded.events_of(QrCode)):
        shown = ["[QR]"] + [qr.data[i : i + width] for i in range(0, len(qr.data), width)]
        lines[qr.at_line : qr.at_line] = shown
    return "\n".join(lines)


def receipt_line(
    line: SaleLineRecord, locale: str, money: Callable[[int], str], lab: dict[str, str]
) -> ReceiptLine:
    """One sold line as receipts and invoices print it: quantity (kilograms for a weighed
    product), unit price, gross amount, and its discount underneath."""
    if line.measure is Measure.WEIGHT:
        qty = f"{format_quantity(line.quantity, locale, decimals=3)} {lab['weight_unit']}"
        unit = f"{money(line.unit_price_cents)}/{lab['weight_unit']}"
    else:
        qty = format_quantity(line.quantity, locale)
        unit = money(line.unit_price_cents)
    notes: tuple[str, ...] = ()
    if line.discount_cents:
        notes = (f"{lab['discount']} -{money(line.discount_cents)}",)
    return ReceiptLine(line.name, qty, unit, money(line.gross_cents), notes)


def build_receipt(
    sale: SaleRecord,
    identity: StoreIdentity,
    *,
    locale: str = "es_ES",
    copy: bool = False,
    qr_template: str = "",
    fiscal: FiscalRecordPayload | None = None,
    recipient_address: tuple[str, ...] = (),
) -> ReceiptDocument:
    """The receipt of ``sale``: with its fiscal record, the tax agency's QR code and legend
    (and, for a full invoice (F1), the title "FACTURA" and its recipient: name, tax id and
    ``recipient_address``); else ``qr_template`` (e.g. a link to the online ticket with
    ``{number}``) adds a QR code when set."""
    lab = _labels(locale)
    qr = qr_template.replace("{number}", sale.receipt_number) if qr_template else None
    qr_caption: tuple[str, ...] = ()
    qr_legend: tuple[str, ...] = ()
    if fiscal is not None:
        qr, qr_caption, qr_legend = fiscal_qr(fiscal, locale)

    def money(cents: int) -> str:
        return format_money(Money(cents, sale.currency), locale).replace("\xa0", " ")

    lines = [receipt_line(line, locale, money, lab) for line in sale.lines]
    totals: list[tuple[str, str]] = [(lab["items"], format_quantity(sale.item_count, locale))]
    if sale.discount_cents:
        totals.append((lab["subtotal"], money(sale.gross_cents)))
        totals.append((lab["discount"], "-" + money(sale.discount_cents)))
    totals.append((lab["total"], money(sale.total_cents)))
    tenders = []
    for tender in sale.tenders:
        if tender.kind is TenderKind.CASH:
            tenders.append((lab["cash"], money(tender.tendered.cents)))
        elif tender.kind is TenderKind.VOUCHER:
            tenders.append((f"{lab['voucher']} {tender.reference}", money(tender.amount.cents)))
        elif tender.kind is TenderKind.EXCHANGE:
            tenders.append((f"{lab['exchange']} {tender.reference}", money(tender.amount.cents)))
        else:
            ref = f" {tender.reference}" if tender.reference else ""
            tenders.append((f"{lab['card']}{ref}", money(tender.amount.cents)))
    local = sale.completed_at
    header = (
        identity.store_name,
        f"{lab['tax_id']}: {identity.tax_id}",
        *identity.address,
    )
    recipient: tuple[tuple[str, str], ...] = ()
    title = lab["title"]
    if fiscal is not None and fiscal.invoice_type == "F1":
        title = lab["invoice_title"]
        recipient = (
            (lab["recipient"], fiscal.recipient_name),
            (lab["recipient_tax_id"], fiscal.recipient_tax_id),
            *(
                (lab["recipient_address"] if i == 0 else "", line)
                for i, line in enumerate(recipient_address)
            ),
        )
    return ReceiptDocument(
        header=header,
        title=title,
        meta=(
            (lab["number"], sale.receipt_number),
            (lab["date"], local.strftime("%d/%m/%Y %H:%M")),
            (lab["register"], sale.register_code),
            (lab["cashier"], sale.cashier),
            *recipient,
        ),
        lines=tuple(lines),
        totals=tuple(totals),
        total_label=lab["total"],
        tax_columns=tuple(lab["tax_columns"].split("|")),  # type: ignore[arg-type]
        tax_rows=tuple(
            ReceiptTaxRow(
                f"{lab['tax']} {tax.rate.normalize():f} %",
                money(tax.base_cents),
                money(tax.tax_cents),
                money(tax.total_cents),
            )
            for tax in sale.taxes
        ),
        tenders=tuple(tenders),
        change=(lab["change"], money(sale.change_cents)) if sale.change_cents else None,
        barcode=sale.receipt_number,
        qr=qr,
        qr_caption=qr_caption,
        qr_legend=qr_legend,
        footer=(lab["thanks"], lab["returns"]),
        copy_label=lab["copy"] if copy else None,
    )


def build_gift_receipt(
    sale: SaleRecord,
    identity: StoreIdentity,
    *,
    days: int,
    locale: str = "es_ES",
) -> ReceiptDocument:
    """The gift receipt (ticket regalo) of ``sale``: what was bought, without any price, and a
    barcode (``gift_receipt_code``) that the returns screen takes as a gift receipt. ``days``:
    the return policy's days, to print until when it is accepted."""
    lab = _labels(locale)
    lines = []
    for line in sale.lines:
        if line.measure is Measure.WEIGHT:
            qty = f"{format_quantity(line.quantity, locale, decimals=3)} {lab['weight_unit']}"
        else:
            qty = format_quantity(line.quantity, locale)
        lines.append(ReceiptLine(line.name, qty, "", ""))
    until = (sale.completed_at + timedelta(days=days)).strftime("%d/%m/%Y")
    return ReceiptDocument(
        header=(identity.store_name, *identity.address),
        title=lab["gift_title"],
        meta=(
            (lab["number"], sale.receipt_number),
            (lab["date"], sale.completed_at.strftime("%d/%m/%Y")),
        ),
        lines=tuple(lines),
        totals=((lab["items"], format_quantity(sale.item_count, locale)),),
        total_label="",
        tax_columns=tuple(lab["tax_columns"].split("|")),  # type: ignore[arg-type]
        tax_rows=(),
        tenders=(),
        change=None,
        barcode=gift_receipt_code(sale.receipt_number),
        footer=(lab["gift_note"], lab["gift_returns"].format(date=until), lab["thanks"]),
    )


@dataclass(frozen=True, slots=True)
class PrintJob:
    sale_id: str
    receipt_number: str
    document: ReceiptDocument
    copy: bool


@dataclass(frozen=True, slots=True)
class ReceiptPrinted:
    sale_id: str
    receipt_number: str
    copy: bool
    ok: bool
    error: str = ""
    # A failure after which part or all of the receipt may be on paper: the next attempt is
    # marked as a copy, so no one hands out two originals unknowingly.
    maybe_printed: bool = False
    out_of_paper: bool = False


class ReceiptService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        identity: StoreIdentity,
        printer: ReceiptPrinter | None,
        *,
        locale: str = "es_ES",
        qr_template: str = "",
    ) -> None:
        self._uow_factory = uow_factory
        self._qr_template = qr_template
        self._clock = clock
        self._identity = identity
        self.printer = printer
        self._locale = locale

    def sale(self, sale_id: str) -> SaleRecord:
        with self._uow_factory.reader() as uow:
            sale = uow.sales.get(sale_id)
        if sale is None:
            raise NotFound("sale", sale_id)
        return sale

    def fiscal_record(self, sale_id: str) -> FiscalRecordPayload | None:
        """The sale's record in the fiscal journal (None for a sale made before it existed)."""
        return self._fiscal(sale_id)[0]

    def _fiscal(self, sale_id: str) -> tuple[FiscalRecordPayload | None, tuple[str, ...]]:
        """The sale's fiscal record and, for a full invoice, its recipient's address."""
        with self._uow_factory.reader() as uow:
            record = uow.fiscal.for_source("sale", sale_id)
            address = uow.fiscal.recipient_address(record.record_id) if record else ()
        return record, address

    def document(self, sale_id: str, *, copy: bool = False) -> ReceiptDocument:
        fiscal, address = self._fiscal(sale_id)
        return build_receipt(
            self.sale(sale_id),
            self._identity,
            locale=self._locale,
            copy=copy,
            qr_template=self._qr_template,
            fiscal=fiscal,
            recipient_address=address,
        )

    def preview_text(self, sale_id: str, *, copy: bool = False, width: int = 48) -> str:
        """The receipt as the printer would print it: rendered to ESC/POS, decoded to text
        (with the QR code's content where it prints)."""
        from hardware.printers import receipt_to_bytes

        return preview_of(receipt_to_bytes(self.document(sale_id, copy=copy), width=width))

    # --- gift receipts (ticket regalo) ----------------------------------------------------
    def gift_document(self, sale_id: str) -> ReceiptDocument:
        """The gift receipt of a sale: no prices; returned as store credit only."""
        sale = self.sale(sale_id)
        with self._uow_factory.reader() as uow:
            days = uow.staff.return_policy().days
        return build_gift_receipt(sale, self._identity, days=days, locale=self._locale)

    def gift_preview_text(self, sale_id: str, *, width: int = 48) -> str:
        """The gift receipt as the printer would print it, decoded to text."""
        from hardware.escpos_decoder import decode
        from hardware.printers import receipt_to_bytes

        return decode(receipt_to_bytes(self.gift_document(sale_id), width=width)).text

    def prepare_gift_print(self, sale_id: str) -> PrintJob:
        """Database step 1 of printing a gift receipt (never counted as the sale's copy)."""
        sale = self.sale(sale_id)
        return PrintJob(sale_id, sale.receipt_number, self.gift_document(sale_id), False)

    def prepare_print(self, sale_id: str, *, reprint: bool = False) -> PrintJob:
        """Database step 1: the document to print. A reprint, or a second attempt after a copy
        already came out, is marked as a copy, so no one hands out two originals."""
        sale = self.sale(sale_id)
        with self._uow_factory.reader() as uow:
            already = uow.prints.count_for(sale_id)
        copy = reprint or already > 0
        fiscal, address = self._fiscal(sale_id)
        doc = build_receipt(
            sale,
            self._identity,
            locale=self._locale,
            copy=copy,
            qr_template=self._qr_template,
            fiscal=fiscal,
            recipient_address=address,
        )
        return PrintJob(sale_id, sale.receipt_number, doc, copy)

    def send(self, job: PrintJob) -> ReceiptPrinted:
        """I/O step 2: the printer, and nothing else (no database). A printer failure is the
        result, never an exception: the sale stands either way."""
        if self.printer is None:
            return ReceiptPrinted(
                job.sale_id, job.receipt_number, job.copy, False, "no printer configured"
            )
        try:
            self.printer.print_receipt(job.document)
        except Exception as exc:  # any printer failure: report it, keep the sale
            error = str(exc) or type(exc).__name__
            # Only the adapter can know that nothing reached the paper; anything else may have.
            maybe = exc.maybe_printed if isinstance(exc, PrinterError) else True
            log.warning(
                "receipt %s not printed (%s): %s",
                job.receipt_number,
                "may be partly printed" if maybe else "nothing printed",
                error,
            )
            return ReceiptPrinted(
                job.sale_id,
                job.receipt_number,
                job.copy,
                False,
                error,
                maybe_printed=maybe,
                out_of_paper=isinstance(exc, PrinterOutOfPaper),
            )
        return ReceiptPrinted(job.sale_id, job.receipt_number, job.copy, True)

    def record(self, result: ReceiptPrinted) -> ReceiptPrinted:
        """Database step 3: the print log (what printed, when, and whether it failed)."""
        with self._uow_factory() as uow:
            uow.prints.add(
                sale_id=result.sale_id,
                at=self._clock.now(),
                copy=result.copy,
                ok=result.ok,
                error=result.error,
                maybe_printed=result.maybe_printed,
            )
            uow.commit()
        return result

    def print_receipt(self, sale_id: str, *, reprint: bool = False) -> ReceiptPrinted:
        """The three steps in this thread (the UI runs them on its workers instead)."""
        return self.record(self.send(self.prepare_print(sale_id, reprint=reprint)))

    def sales_of_day(self, day: date | None = None) -> list[SaleSummary]:
        day = day or self._clock.today()
        tz = self._clock.now().tzinfo
        start = datetime.combine(day, time.min, tzinfo=tz)
        with self._uow_factory.reader() as uow:
            return uow.sales.list_between(start, start + timedelta(days=1))

    def entries_of_day(self, day: date | None = None) -> list[SaleSummary]:
        """The day's sales and returns of this register (``kind``), newest first: the whole
        day as the cashier saw it; a return's total is negative."""
        day = day or self._clock.today()
        tz = self._clock.now().tzinfo
        start = datetime.combine(day, time.min, tzinfo=tz)
        end = start + timedelta(days=1)
        with self._uow_factory.reader() as uow:
            entries = uow.sales.list_between(start, end) + uow.returns.list_between(start, end)
        return sorted(entries, key=lambda entry: entry.completed_at, reverse=True)

    def day_total(self, day: date | None = None) -> tuple[int, int]:
        """(number of sales, total cents) of the day on this register."""
        sales = self.sales_of_day(day)
        return len(sales), sum(s.total_cents for s in sales)

    def find(self, receipt_number: str) -> SaleRecord:
        with self._uow_factory.reader() as uow:
            sale = uow.sales.get_by_receipt_number(receipt_number)
        if sale is None:
            raise NotFound("receipt", receipt_number)
        return sale
