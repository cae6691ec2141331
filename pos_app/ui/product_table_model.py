"""The products a catalog search found, as a read-only table: name, SKU and price."""

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

from pos_app.domain.cart import Measure
from pos_app.services.ports import ProductRecord
from pos_app.ui.formatting import Formatter

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class ProductTableModel(QAbstractTableModel):
    """Rows are immutable ``ProductRecord`` values; ``set_products`` replaces them all."""

    NAME, SKU, PRICE = range(3)

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._formatter = formatter
        self._products: tuple[ProductRecord, ...] = ()
        self._headers = (self.tr("Nombre"), self.tr("SKU"), self.tr("Precio"))

    # --- reading and replacing the rows -------------------------------------------------
    def set_products(self, products: Sequence[ProductRecord]) -> None:
        self.beginResetModel()
        self._products = tuple(products)
        self.endResetModel()

    def product_at(self, row: int) -> ProductRecord:
        return self._products[row]

    def products(self) -> tuple[ProductRecord, ...]:
        return self._products

    def price_text(self, product: ProductRecord) -> str:
        """``3,49 €``, or ``2,99 €/kg`` for a product sold by weight."""
        price = self._formatter.money(product.price)
        if product.measure is Measure.WEIGHT:
            return f"{price}/kg"
        return price

    # --- QAbstractTableModel --------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._products)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._products):
            return None
        product = self._products[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return product.name
            if column == self.SKU:
                return product.sku
            if column == self.PRICE:
                return self.price_text(product)
        elif role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column == self.PRICE else _LEFT
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            return product.name
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
            return _RIGHT if section == self.PRICE else _LEFT
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
