"""A plain, immutable document model of a printed receipt.

The app fills it with strings it has already formatted (money, quantities, dates, tax
rates): this package knows nothing of money or locales, it only lays the strings out.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ReceiptDocument", "ReceiptLine", "ReceiptTaxRow"]


@dataclass(frozen=True)
class ReceiptLine:
    """One sold item."""

    description: str
    quantity: str  # already formatted, e.g. "2" or "0,456 kg"
    unit_price: str  # e.g. "1,25 €"
    amount: str  # e.g. "2,50 €"
    notes: tuple[str, ...] = ()  # e.g. ("Descuento -0,50 €",)


@dataclass(frozen=True)
class ReceiptTaxRow:
    """One row of the tax breakdown."""

    label: str  # "IVA 21 %"
    base: str
    tax: str
    total: str


@dataclass(frozen=True)
class ReceiptDocument:
    """Everything printed on one receipt, top to bottom."""

    header: tuple[str, ...]  # store name, tax id, address lines (centred; first bold/double)
    title: str  # e.g. "FACTURA SIMPLIFICADA"
    meta: tuple[tuple[str, str], ...]  # ("Nº", "T01-C01-2026-000001"), ("Fecha", "..."), ...
    lines: tuple[ReceiptLine, ...]
    # ("Artículos", "5"), ("Descuento", "-1,00 €"), ("TOTAL", "12,34 €"); the row whose label
    # is `total_label` is printed bold and double size.
    totals: tuple[tuple[str, str], ...]
    total_label: str
    tax_columns: tuple[str, str, str, str]  # column titles, e.g. ("Tipo", "Base", "Cuota", "Total")
    tax_rows: tuple[ReceiptTaxRow, ...]
    tenders: tuple[tuple[str, str], ...]  # ("Efectivo", "20,00 €"), ("Tarjeta ···1234", "5,00 €")
    change: tuple[str, str] | None  # ("Cambio", "7,66 €")
    barcode: str | None  # receipt number, printed as CODE128 below the text
    qr: str | None = None  # optional QR payload
    # Printed centred just above and just below the QR (only with a QR): e.g. the tax
    # agency's "QR tributario:" and its legend "Factura verificable en la sede electrónica...".
    qr_caption: tuple[str, ...] = ()
    qr_legend: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()  # "Gracias por su compra", return policy...
    copy_label: str | None = None  # e.g. "COPIA" / "REIMPRESIÓN": printed at top and bottom
