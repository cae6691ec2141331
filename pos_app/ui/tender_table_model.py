"""The tenders recorded for the sale being paid."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from pos_app.domain.cart import Tender, TenderKind
from pos_app.ui.formatting import Formatter

_Index = QModelIndex | QPersistentModelIndex


class TenderTableModel(QAbstractTableModel):
    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fmt = formatter
        self._rows: tuple[Tender, ...] = ()
        self._headers = (self.tr("Forma de pago"), self.tr("Entregado"), self.tr("Aplicado"))

    def set_tenders(self, tenders: tuple[Tender, ...]) -> None:
        self.beginResetModel()
        self._rows = tenders
        self.endResetModel()

    def tender_at(self, row: int) -> Tender | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 3

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < 3 else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        tender = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                if tender.kind is TenderKind.CASH:
                    return self.tr("Efectivo")
                return self.tr("Tarjeta ({ref})").format(ref=tender.reference)
            if index.column() == 1:
                return self._fmt.money(tender.tendered)
            if index.column() == 2:
                return self._fmt.money(tender.amount)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
