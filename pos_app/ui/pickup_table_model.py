"""Table models of the click-and-collect screens: the queue, the pick list, the hand-over."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from pos_app.services.pickups import PickupLineView, PickupView
from pos_app.ui.formatting import Formatter
from pos_app.ui.qt_helpers import ALIGN_RIGHT, RowTableModel

_STATUS = {
    "pending": QT_TRANSLATE_NOOP("Pickups", "Nuevo"),
    "picking": QT_TRANSLATE_NOOP("Pickups", "Preparando"),
    "ready": QT_TRANSLATE_NOOP("Pickups", "Listo"),
    "collected": QT_TRANSLATE_NOOP("Pickups", "Entregado"),
    "partially_collected": QT_TRANSLATE_NOOP("Pickups", "Entregado en parte"),
    "cancelled": QT_TRANSLATE_NOOP("Pickups", "Cancelado"),
    "expired": QT_TRANSLATE_NOOP("Pickups", "Caducado"),
}


def status_caption(order: PickupView) -> str:
    """The order's state in words, with a mark while the register is ahead of the backend."""
    text = QCoreApplication.translate("Pickups", str(_STATUS.get(order.status.value, "")))
    text = text or order.status.value
    if order.conflict:
        text += QCoreApplication.translate("Pickups", " (en la central: {state})").format(
            state=QCoreApplication.translate("Pickups", str(_STATUS.get(order.conflict, "")))
        )
    if order.pending_sync:
        text += " ⟳"
    return text


class PickupQueueTableModel(RowTableModel[PickupView]):
    NUMBER, CUSTOMER, STATUS, ITEMS, TOTAL, PAYMENT, EXPIRES = range(7)

    def __init__(self, formatter: Formatter, parent: Any = None) -> None:
        super().__init__(parent)
        self._fmt = formatter

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Pedido"),
            self.tr("Cliente"),
            self.tr("Estado"),
            self.tr("Artículos"),
            self.tr("Total"),
            self.tr("Pago"),
            self.tr("Caduca"),
        )

    def alignment(self, column: int) -> Any:
        return ALIGN_RIGHT if column in (self.ITEMS, self.TOTAL) else None

    def display(self, row: PickupView, column: int) -> str | None:
        if column == self.NUMBER:
            return ("⚠ " if row.overdue else "") + row.number
        if column == self.CUSTOMER:
            return row.customer_name
        if column == self.STATUS:
            return status_caption(row)
        if column == self.ITEMS:
            return self._fmt.quantity(sum((ln.ordered for ln in row.lines), Decimal(0)))
        if column == self.TOTAL:
            return self._fmt.money(row.total_cents)
        if column == self.PAYMENT:
            return self.tr("Pagado en línea") if row.paid_online else self.tr("Paga en tienda")
        if column == self.EXPIRES:
            return row.expires_at.strftime("%d/%m %H:%M")
        return None

    def tooltip(self, row: PickupView, column: int) -> str | None:
        parts = [row.phone, row.email, row.note]
        if row.overdue:
            parts.insert(
                0, self.tr("Atrasado: lleva demasiado tiempo esperando o está a punto de caducar.")
            )
        return "\n".join(p for p in parts if p) or None


class PickListTableModel(RowTableModel[PickupLineView]):
    LOCATION, NAME, ORDERED, PICKED, STATE = range(5)
    ALIGN_HEADERS = True

    def __init__(self, formatter: Formatter, parent: Any = None) -> None:
        super().__init__(parent)
        self._fmt = formatter

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Ubicación"),
            self.tr("Artículo"),
            self.tr("Pedido"),
            self.tr("Recogido"),
            self.tr("Estado"),
        )

    def alignment(self, column: int) -> Any:
        return ALIGN_RIGHT if column in (self.ORDERED, self.PICKED) else None

    def display(self, row: PickupLineView, column: int) -> str | None:
        if column == self.LOCATION:
            return row.location or "—"
        if column == self.NAME:
            return row.name
        if column == self.ORDERED:
            return self._fmt.quantity(row.ordered)
        if column == self.PICKED:
            return self._fmt.quantity(row.picked)
        if column == self.STATE:
            if row.short:
                return self.tr("✗ Faltan {n}").format(n=self._fmt.quantity(row.missing))
            if row.done:
                return self.tr("✔ Completo")
            return self.tr("Quedan {n}").format(n=self._fmt.quantity(row.ordered - row.picked))
        return None

    def row_of_line(self, line_no: int) -> int:
        for i, row in enumerate(self.rows()):
            if row.line_no == line_no:
                return i
        return -1


@dataclass(frozen=True, slots=True)
class HandOverRow:
    line: PickupLineView
    deliver: Decimal


class HandOverTableModel(RowTableModel[HandOverRow]):
    NAME, PICKED, DELIVER, AMOUNT = range(4)
    ALIGN_HEADERS = True

    def __init__(self, formatter: Formatter, parent: Any = None) -> None:
        super().__init__(parent)
        self._fmt = formatter

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Artículo"), self.tr("Preparado"), self.tr("Entregar"), self.tr("Importe"))

    def alignment(self, column: int) -> Any:
        return ALIGN_RIGHT if column != self.NAME else None

    def display(self, row: HandOverRow, column: int) -> str | None:
        if column == self.NAME:
            return row.line.name
        if column == self.PICKED:
            return self._fmt.quantity(row.line.picked)
        if column == self.DELIVER:
            if row.deliver == 0:
                return self.tr("No se entrega")
            return self._fmt.quantity(row.deliver)
        if column == self.AMOUNT:
            return self._fmt.money(row.line.amount_cents(row.deliver))
        return None
