"""The tenders recorded for the sale being paid."""

from __future__ import annotations

from PySide6.QtCore import QObject

from pos_app.domain.cart import Tender, TenderKind
from pos_app.ui.formatting import Formatter
from pos_app.ui.qt_helpers import ALIGN_RIGHT, RowTableModel


class TenderTableModel(RowTableModel[Tender]):
    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fmt = formatter

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Forma de pago"), self.tr("Entregado"), self.tr("Aplicado"))

    def set_tenders(self, tenders: tuple[Tender, ...]) -> None:
        self.set_rows(tenders)

    def tender_at(self, row: int) -> Tender | None:
        return self.row_or_none(row)

    def display(self, row: Tender, column: int) -> str | None:
        if column == 0:
            if row.kind is TenderKind.CASH:
                return self.tr("Efectivo")
            if row.kind is TenderKind.VOUCHER:
                return self.tr("Vale {code}").format(code=row.reference)
            if row.kind is TenderKind.EXCHANGE:
                return self.tr("Cambio de {reference}").format(reference=row.reference)
            return self.tr("Tarjeta ({ref})").format(ref=row.reference)
        if column == 1:
            return self._fmt.money(row.tendered)
        if column == 2:
            return self._fmt.money(row.amount)
        return None

    def alignment(self, column: int) -> int | None:
        return int(ALIGN_RIGHT) if column > 0 else None
