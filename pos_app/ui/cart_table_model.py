"""The cart as a table: one row per line, over the immutable ``CartView``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from pos_app.domain.cart import LineTotals, Measure
from pos_app.services.checkout import CartView
from pos_app.ui.formatting import Formatter

_Index = QModelIndex | QPersistentModelIndex


class CartTableModel(QAbstractTableModel):
    NAME, QUANTITY, UNIT_PRICE, DISCOUNT, AMOUNT = range(5)

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fmt = formatter
        self._rows: tuple[LineTotals, ...] = ()
        self._headers = (
            self.tr("Artículo"),
            self.tr("Cantidad"),
            self.tr("Precio"),
            self.tr("Descuento"),
            self.tr("Importe"),
        )

    def set_view(self, view: CartView) -> None:
        new = view.totals.lines
        old = self._rows
        old_ids = [r.line.line_id for r in old]
        new_ids = [r.line.line_id for r in new]
        if new_ids[: len(old_ids)] == old_ids and len(new_ids) > len(old_ids):
            # Lines appended (the usual scan): insert them; earlier rows only repaint if their
            # amounts changed (a basket discount shares out over every line).
            self.beginInsertRows(QModelIndex(), len(old), len(new) - 1)
            self._rows = new
            self.endInsertRows()
            self._repaint_changed(old, new)
        elif new_ids == old_ids:
            self._rows = new
            self._repaint_changed(old, new)
        else:
            self.beginResetModel()
            self._rows = new
            self.endResetModel()

    def _repaint_changed(self, old: tuple[LineTotals, ...], new: tuple[LineTotals, ...]) -> None:
        changed = [i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
        if changed:
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], self.AMOUNT))

    def line_at(self, row: int) -> LineTotals | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, line_id: str | None) -> int:
        for i, row in enumerate(self._rows):
            if row.line.line_id == line_id:
                return i
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 5

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < 5 else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        lt = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            line = lt.line
            if col == self.NAME:
                return line.product.name
            if col == self.QUANTITY:
                return self._fmt.quantity(line.quantity, line.product.measure)
            if col == self.UNIT_PRICE:
                if line.price_override is not None:
                    return self._fmt.money(line.price_override)
                price = self._fmt.money(line.product.unit_price)
                return f"{price}/kg" if line.product.measure is Measure.WEIGHT else price
            if col == self.DISCOUNT:
                return f"-{self._fmt.money(lt.discount)}" if lt.discount.cents else ""
            if col == self.AMOUNT:
                return self._fmt.money(lt.total)
        if role == Qt.ItemDataRole.TextAlignmentRole and col != self.NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.NAME:
            return f"{lt.line.product.sku} · {lt.line.product.tax.tax_class}"
        return None
