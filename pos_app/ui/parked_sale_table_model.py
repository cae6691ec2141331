"""Sales parked at this register, waiting to be taken up again, as a read-only table."""

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

from pos_app.services.ports import ParkedSale
from pos_app.ui.formatting import Formatter

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class ParkedSaleTableModel(QAbstractTableModel):
    """Rows are immutable ``ParkedSale`` values; ``set_parked`` replaces them all."""

    TIME, LABEL, CASHIER, ITEMS, TOTAL = range(5)
    _NUMERIC = frozenset({ITEMS, TOTAL})

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._formatter = formatter
        self._parked: tuple[ParkedSale, ...] = ()
        self._headers = (
            self.tr("Hora"),
            self.tr("Etiqueta"),
            self.tr("Cajero"),
            self.tr("Artículos"),
            self.tr("Total"),
        )

    # --- reading and replacing the rows -------------------------------------------------
    def set_parked(self, parked: Sequence[ParkedSale]) -> None:
        self.beginResetModel()
        self._parked = tuple(parked)
        self.endResetModel()

    def parked_at(self, row: int) -> ParkedSale:
        return self._parked[row]

    # --- QAbstractTableModel --------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._parked)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._parked):
            return None
        parked = self._parked[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(parked, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in self._NUMERIC else _LEFT
        return None

    def _display(self, parked: ParkedSale, column: int) -> str | None:
        if column == self.TIME:
            return parked.parked_at.strftime("%H:%M")
        if column == self.LABEL:
            return parked.label or "—"
        if column == self.CASHIER:
            return parked.cashier
        if column == self.ITEMS:
            return self._formatter.quantity(parked.item_count)
        if column == self.TOTAL:
            return self._formatter.money(parked.total_cents)
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
