"""The exchange banner of the checkout screen: while a return's credit pays the sale being rung
up (an exchange, started from the returns dialog), it says whose credit, how much, what of it
pays the sale and what goes back, with a button to cancel the exchange (nothing is written
until the sale completes)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from pos_app.services.checkout import CartView, SaleCompleted
from pos_app.services.returns import CARD, CASH
from pos_app.services.vouchers import VOUCHER_KIND
from pos_app.ui.formatting import Formatter
from pos_app.ui.qt_helpers import touch_button
from sync.protocol import EXCHANGE_KIND

_STYLE = """
QFrame#exchangeBanner { background: #e8f0fe; border: 2px solid #1f5fbf; border-radius: 6px; }
QLabel#exchangeText { font-size: 18px; color: #123d7a; }
"""


class ExchangeBanner(QFrame):
    """Hidden unless the cart view has an exchange."""

    cancel_requested = Signal()

    def __init__(self, formatter: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exchangeBanner")
        self._fmt = formatter
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        self.text_label = QLabel("")
        self.text_label.setObjectName("exchangeText")
        self.text_label.setWordWrap(True)
        row.addWidget(self.text_label, 1)
        self.cancel_button = touch_button(self.tr("Anular el cambio"), "cancelExchangeButton")
        self.cancel_button.setMinimumWidth(180)
        self.cancel_button.clicked.connect(self.cancel_requested.emit)
        row.addWidget(self.cancel_button)
        self.setStyleSheet(_STYLE)
        self.hide()

    def show_view(self, view: CartView) -> None:
        exchange = view.exchange
        if exchange is None:
            self.hide()
            return
        text = self.tr("Cambio de {reference}: crédito {credit}").format(
            reference=exchange.reference, credit=self._fmt.money(exchange.credit_cents)
        )
        if view.is_empty:
            text += " · " + self.tr("escanee lo que se lleva el cliente")
        elif exchange.refund_cents > 0:
            text += " · " + self.tr("a devolver {amount}").format(
                amount=self._fmt.money(exchange.refund_cents)
            )
        else:
            text += " · " + self.tr("a pagar {amount}").format(
                amount=self._fmt.money(view.payment.total.cents - exchange.applied_cents)
            )
        self.text_label.setText(text)
        self.show()


def refund_words(kind: str) -> str:
    """How money goes back, as a cashier reads it ("en efectivo")."""
    words = {
        CASH: QCoreApplication.translate("ExchangeBanner", "en efectivo"),
        CARD: QCoreApplication.translate("ExchangeBanner", "a la tarjeta"),
        VOUCHER_KIND: QCoreApplication.translate("ExchangeBanner", "como vale de compra"),
    }
    return words.get(kind, kind)


def exchange_done_text(done: SaleCompleted, formatter: Formatter) -> str:
    """What the cashier is told once an exchange is committed ("" for a plain sale)."""
    exchange = done.exchange
    if exchange is None:
        return ""
    record = exchange.record
    text = QCoreApplication.translate(
        "ExchangeBanner", "Cambio de {reference}: devolución {number} guardada."
    ).format(reference=record.original_reference, number=record.return_number)
    for refund in record.refunds:
        if refund.kind == EXCHANGE_KIND:
            continue  # the credit that paid the sale
        how = refund_words(refund.kind)
        if refund.kind == VOUCHER_KIND:
            how = f"{how} {refund.reference}"
        text += " " + QCoreApplication.translate(
            "ExchangeBanner", "Devuelva {amount} {how}."
        ).format(amount=formatter.money(refund.amount_cents), how=how)
    return text
