"""The day's completed sales and returns of this register, as a read-only table for reprints.
A return's row shows its number over its original's (``↩ T01-C01-2026-000003``) and its total
negative."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt

from pos_app.services.ports import SaleSummary
from pos_app.ui.formatting import Formatter
from pos_app.ui.qt_helpers import ALIGN_LEFT, ALIGN_RIGHT, RowTableModel


class SaleSummaryTableModel(RowTableModel[SaleSummary]):
    """Rows are immutable ``SaleSummary`` values, newest first as the service returns them."""

    TIME, RECEIPT, CASHIER, ITEMS, TENDERS, TOTAL = range(6)
    _NUMERIC = frozenset({ITEMS, TOTAL})
    ALIGN_HEADERS = True

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._formatter = formatter

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Hora"),
            self.tr("Ticket"),
            self.tr("Cajero"),
            self.tr("Artículos"),
            self.tr("Forma de pago"),
            self.tr("Total"),
        )

    # --- reading and replacing the rows -------------------------------------------------
    def set_sales(self, sales: Sequence[SaleSummary]) -> None:
        self.set_rows(sales)

    def sale_at(self, row: int) -> SaleSummary:
        return self.row_at(row)

    def sales(self) -> tuple[SaleSummary, ...]:
        return self.rows()

    def row_of(self, sale_id: str) -> int | None:
        for row, sale in enumerate(self.rows()):
            if sale.sale_id == sale_id:
                return row
        return None

    def tenders_text(self, tenders: str) -> str:
        """``cash`` -> Efectivo, ``card`` -> Tarjeta, both (in any order) -> Mixto."""
        kinds = frozenset(kind for kind in tenders.split("+") if kind)
        if kinds == {"cash"}:
            return self.tr("Efectivo")
        if kinds == {"card"}:
            return self.tr("Tarjeta")
        if kinds == {"exchange"}:
            return self.tr("Cambio de artículo")  # paid by a return's credit
        if len(kinds) > 1:
            return self.tr("Mixto")
        return "—" if not kinds else tenders

    # --- RowTableModel --------------------------------------------------------------------
    def display(self, row: SaleSummary, column: int) -> str | None:
        if column == self.TIME:
            return row.completed_at.strftime("%H:%M")
        if column == self.RECEIPT:
            if row.kind == "return":
                return f"{row.receipt_number}\n↩ {row.original_reference}"
            if row.cancelled:
                return f"{row.receipt_number}\n" + self.tr("ANULADO")
            return row.receipt_number
        if column == self.CASHIER:
            return row.cashier
        if column == self.ITEMS:
            return self._formatter.quantity(row.item_count)
        if column == self.TENDERS:
            return self.tenders_text(row.tenders)
        if column == self.TOTAL:
            return self._formatter.money(row.total_cents)
        return None

    def tooltip(self, row: SaleSummary, column: int) -> str | None:
        if row.kind == "return":
            return self.tr("Devolución {number} del ticket {original}").format(
                number=row.receipt_number, original=row.original_reference
            )
        if row.cancelled:
            return self.tr("Ticket anulado: su importe se devolvió y no cuenta en la caja")
        return None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return ALIGN_RIGHT if column in self._NUMERIC else ALIGN_LEFT
