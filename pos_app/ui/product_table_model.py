"""The products a catalog search found, as a read-only table: name, SKU and price."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt

from pos_app.domain.cart import Measure
from pos_app.services.ports import ProductRecord
from pos_app.ui.formatting import Formatter
from pos_app.ui.qt_helpers import ALIGN_LEFT, ALIGN_RIGHT, RowTableModel


class ProductTableModel(RowTableModel[ProductRecord]):
    """Rows are immutable ``ProductRecord`` values; ``set_products`` replaces them all."""

    NAME, SKU, PRICE = range(3)
    ALIGN_HEADERS = True

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._formatter = formatter

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Nombre"), self.tr("SKU"), self.tr("Precio"))

    # --- reading and replacing the rows -------------------------------------------------
    def set_products(self, products: Sequence[ProductRecord]) -> None:
        self.set_rows(products)

    def product_at(self, row: int) -> ProductRecord:
        return self.row_at(row)

    def products(self) -> tuple[ProductRecord, ...]:
        return self.rows()

    def price_text(self, product: ProductRecord) -> str:
        """``3,49 €``, or ``2,99 €/kg`` for a product sold by weight."""
        price = self._formatter.money(product.price)
        if product.measure is Measure.WEIGHT:
            return f"{price}/kg"
        return price

    # --- RowTableModel --------------------------------------------------------------------
    def display(self, row: ProductRecord, column: int) -> str | None:
        if column == self.NAME:
            return row.name
        if column == self.SKU:
            return row.sku
        if column == self.PRICE:
            return self.price_text(row)
        return None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return ALIGN_RIGHT if column == self.PRICE else ALIGN_LEFT

    def tooltip(self, row: ProductRecord, column: int) -> str | None:
        return row.name if column == self.NAME else None
