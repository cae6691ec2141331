"""Table models of the customer screen: customers found, and one customer's history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from pos_app.ui.formatting import Formatter
from pos_app.ui.qt_helpers import ALIGN_RIGHT, RowTableModel
from sync.protocol import CustomerData, CustomerHistoryEntry

_KINDS: dict[str, str] = {
    "sale": str(QT_TRANSLATE_NOOP("Customers", "Compra")),
    "web_order": str(QT_TRANSLATE_NOOP("Customers", "Pedido web")),
    "return": str(QT_TRANSLATE_NOOP("Customers", "Devolución")),
}
_CHANNELS: dict[str, str] = {
    "store": str(QT_TRANSLATE_NOOP("Customers", "Tienda")),
    "web": str(QT_TRANSLATE_NOOP("Customers", "Web")),
    "phone": str(QT_TRANSLATE_NOOP("Customers", "Teléfono")),
}
_STATUS: dict[str, str] = {
    "pending": str(QT_TRANSLATE_NOOP("Customers", "Nuevo")),
    "picking": str(QT_TRANSLATE_NOOP("Customers", "Preparando")),
    "ready": str(QT_TRANSLATE_NOOP("Customers", "Listo")),
    "collected": str(QT_TRANSLATE_NOOP("Customers", "Entregado")),
    "partially_collected": str(QT_TRANSLATE_NOOP("Customers", "Entregado en parte")),
    "cancelled": str(QT_TRANSLATE_NOOP("Customers", "Cancelado")),
    "expired": str(QT_TRANSLATE_NOOP("Customers", "Caducado")),
}


def _words(table: dict[str, str], key: str) -> str:
    return QCoreApplication.translate("Customers", table[key]) if key in table else key


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """A customer in the list: ``local`` when this register keeps them (else found online)."""

    customer: CustomerData
    local: bool


class CustomerTableModel(RowTableModel[CustomerRow]):
    NAME, PHONE, EMAIL, CARD, WHERE = range(5)

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Nombre"),
            self.tr("Teléfono"),
            self.tr("Correo electrónico"),
            self.tr("Tarjeta"),
            self.tr("Origen"),
        )

    def display(self, row: CustomerRow, column: int) -> str | None:
        c = row.customer
        if column == self.NAME:
            return ("⚠ " if c.possible_duplicate else "") + c.name
        if column == self.PHONE:
            return c.phone
        if column == self.EMAIL:
            return c.email
        if column == self.CARD:
            return c.loyalty_card
        if column == self.WHERE:
            return self.tr("En esta tienda") if row.local else self.tr("Central")
        return None

    def tooltip(self, row: CustomerRow, column: int) -> str | None:
        if row.customer.possible_duplicate:
            return self.tr("Posible duplicado: la central lo revisará para unirlo con otro.")
        return None


class CustomerHistoryTableModel(RowTableModel[CustomerHistoryEntry]):
    DATE, KIND, REFERENCE, STORE, TOTAL, DETAIL = range(6)
    ALIGN_HEADERS = True

    def __init__(self, formatter: Formatter, parent: Any = None) -> None:
        super().__init__(parent)
        self._fmt = formatter

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Fecha"),
            self.tr("Tipo"),
            self.tr("Referencia"),
            self.tr("Tienda / canal"),
            self.tr("Importe"),
            self.tr("Detalle"),
        )

    def alignment(self, column: int) -> Any:
        return ALIGN_RIGHT if column == self.TOTAL else None

    def display(self, row: CustomerHistoryEntry, column: int) -> str | None:
        if column == self.DATE:
            return row.at.strftime("%d/%m/%Y %H:%M")
        if column == self.KIND:
            return _words(_KINDS, row.kind)
        if column == self.REFERENCE:
            return row.reference
        if column == self.STORE:
            channel = _words(_CHANNELS, row.channel)
            return f"{row.store_code} · {channel}" if row.store_code else channel
        if column == self.TOTAL:
            money = self._fmt.money(row.total_cents)
            return f"-{money}" if row.kind == "return" else money
        if column == self.DETAIL:
            status = _words(_STATUS, row.status) if row.status else ""
            return " · ".join(part for part in (status, row.summary) if part)
        return None
