"""The day's completed sales of this register, as a read-only table for reprints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from pos_app.services.ports import SaleSummary
from pos_app.ui.formatting import Formatter

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class SaleSummaryTableModel(QAbstractTableModel):
    """Rows are immutable ``SaleSummary`` values, newest first as the service returns them."""

    TIME, RECEIPT, CASHIER, ITEMS, TENDERS, TOTAL = range(6)
    _NUMERIC = frozenset({ITEMS, TOTAL})

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._formatter = formatter
        self._sales: tuple[SaleSummary, ...] = ()
        self._headers = (
            self.tr("Hora"),
            self.tr("Ticket"),
            self.tr("Cajero"),
            self.tr("Artículos"),
            self.tr("Forma de pago"),
            self.tr("Total"),
        )

    # --- reading and replacing the rows -------------------------------------------------
    def set_sales(self, sales: Sequence[SaleSummary]) -> None:
        self.beginResetModel()
        self._sales = tuple(sales)
        self.endResetModel()

    def sale_at(self, row: int) -> SaleSummary:
        return self._sales[row]

    def sales(self) -> tuple[SaleSummary, ...]:
        return self._sales

    def row_of(self, sale_id: str) -> int | None:
        for row, sale in enumerate(self._sales):
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
        if len(kinds) > 1:
            return self.tr("Mixto")
        return "—" if not kinds else tenders

    # --- QAbstractTableModel --------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._sales)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._sales):
            return None
        sale = self._sales[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(sale, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in self._NUMERIC else _LEFT
        return None

    def _display(self, sale: SaleSummary, column: int) -> str | None:
        if column == self.TIME:
            return sale.completed_at.strftime("%H:%M")
        if column == self.RECEIPT:
            return sale.receipt_number
        if column == self.CASHIER:
            return sale.cashier
        if column == self.ITEMS:
            return self._formatter.quantity(sale.item_count)
        if column == self.TENDERS:
            return self.tenders_text(sale.tenders)
        if column == self.TOTAL:
            return self._formatter.money(sale.total_cents)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in self._NUMERIC else _LEFT
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
