"""Sales parked at this register, waiting to be taken up again, as a read-only table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt

from pos_app.services.ports import ParkedSale
from pos_app.ui.formatting import Formatter
from pos_app.ui.qt_helpers import ALIGN_LEFT, ALIGN_RIGHT, RowTableModel


class ParkedSaleTableModel(RowTableModel[ParkedSale]):
    """Rows are immutable ``ParkedSale`` values; ``set_parked`` replaces them all."""

    TIME, LABEL, CASHIER, ITEMS, TOTAL = range(5)
    _NUMERIC = frozenset({ITEMS, TOTAL})
    ALIGN_HEADERS = True

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._formatter = formatter

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Hora"),
            self.tr("Etiqueta"),
            self.tr("Cajero"),
            self.tr("Artículos"),
            self.tr("Total"),
        )

    # --- reading and replacing the rows -------------------------------------------------
    def set_parked(self, parked: Sequence[ParkedSale]) -> None:
        self.set_rows(parked)

    def parked_at(self, row: int) -> ParkedSale:
        return self.row_at(row)

    # --- RowTableModel --------------------------------------------------------------------
    def display(self, row: ParkedSale, column: int) -> str | None:
        if column == self.TIME:
            return row.parked_at.strftime("%H:%M")
        if column == self.LABEL:
            return row.label or "—"
        if column == self.CASHIER:
            return row.cashier
        if column == self.ITEMS:
            return self._formatter.quantity(row.item_count)
        if column == self.TOTAL:
            return self._formatter.money(row.total_cents)
        return None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return ALIGN_RIGHT if column in self._NUMERIC else ALIGN_LEFT
