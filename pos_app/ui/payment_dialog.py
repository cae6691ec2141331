"""Taking payment: cash with change and quick notes, card through an external terminal, or any
mix. The sale completes only when nothing is due."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import Money
from pos_app.services.checkout import CartView
from pos_app.ui.checkout_presenter import CheckoutPresenter
from pos_app.ui.error_messages import describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.tender_table_model import TenderTableModel


class PaymentDialog(QDialog):
    """Window-modal; opened with ``open()``. Closing it without completing clears the tenders."""

    payment_cancelled = Signal()

    def __init__(
        self,
        presenter: CheckoutPresenter,
        formatter: Formatter,
        quick_amounts: tuple[int, ...] = (500, 1000, 2000, 5000),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.setWindowTitle(self.tr("Cobrar"))
        self.setMinimumSize(820, 700)
        self._presenter = presenter
        self._fmt = formatter
        self._completed = False

        root = QVBoxLayout(self)
        figures = QGridLayout()
        self.total_label = self._figure(figures, 0, self.tr("Total"), "totalFigure")
        self.due_label = self._figure(figures, 1, self.tr("Pendiente"), "dueFigure")
        self.change_label = self._figure(figures, 2, self.tr("Cambio"), "changeFigure")
        root.addLayout(figures)

        columns = QHBoxLayout()
        cash_box = QGroupBox(self.tr("Efectivo"))
        cash = QVBoxLayout(cash_box)
        cash.addWidget(QLabel(self.tr("Entregado por el cliente (Intro vacío = exacto):")))
        self.cash_field = QLineEdit()
        self.cash_field.setObjectName("cashField")
        self.cash_field.setPlaceholderText(self.tr("Importe entregado"))
        self.cash_field.setMinimumHeight(52)
        self.cash_field.returnPressed.connect(self._on_cash_entered)
        cash.addWidget(self.cash_field)
        quick = QGridLayout()
        exact = QPushButton(self.tr("Exacto"))
        exact.setObjectName("exactCashButton")
        exact.clicked.connect(self._on_exact_cash)
        quick.addWidget(exact, 0, 0)
        for i, cents in enumerate(quick_amounts, start=1):
            button = QPushButton(self._fmt.money(cents))
            button.setObjectName(f"quickCash{cents // 100}")
            button.clicked.connect(lambda _=False, c=cents: self._presenter.add_cash(Money(c)))
            quick.addWidget(button, i // 3, i % 3)
        cash.addLayout(quick)
        for i in range(quick.count()):
            item = quick.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setMinimumHeight(56)
        add_cash = QPushButton(self.tr("Añadir efectivo"))
        add_cash.setObjectName("addCashButton")
        add_cash.setMinimumHeight(56)
        add_cash.clicked.connect(self._on_cash_entered)
        cash.addWidget(add_cash)
        columns.addWidget(cash_box)

        card_box = QGroupBox(self.tr("Tarjeta (datáfono)"))
        card = QVBoxLayout(card_box)
        card.addWidget(QLabel(self.tr("Importe aprobado por el datáfono:")))
        self.card_amount_field = QLineEdit()
        self.card_amount_field.setObjectName("cardAmountField")
        self.card_amount_field.setMinimumHeight(52)
        card.addWidget(self.card_amount_field)
        card.addWidget(QLabel(self.tr("Referencia de la operación:")))
        self.card_reference_field = QLineEdit()
        self.card_reference_field.setObjectName("cardReferenceField")
        self.card_reference_field.setMinimumHeight(52)
        self.card_reference_field.returnPressed.connect(self._on_card_entered)
        card.addWidget(self.card_reference_field)
        add_card = QPushButton(self.tr("Añadir tarjeta (F8)"))
        add_card.setObjectName("addCardButton")
        add_card.setMinimumHeight(56)
        add_card.clicked.connect(self._on_card_entered)
        card.addWidget(add_card)
        card.addStretch(1)
        columns.addWidget(card_box)
        root.addLayout(columns)

        self.tenders_model = TenderTableModel(formatter, self)
        self.tenders_view = QTableView()
        self.tenders_view.setObjectName("tendersView")
        self.tenders_view.setModel(self.tenders_model)
        self.tenders_view.verticalHeader().hide()
        self.tenders_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.tenders_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.tenders_view.setMaximumHeight(140)
        root.addWidget(self.tenders_view)

        self.message_label = QLabel("")
        self.message_label.setObjectName("paymentMessage")
        self.message_label.setWordWrap(True)
        root.addWidget(self.message_label)

        buttons = QHBoxLayout()
        remove = QPushButton(self.tr("Quitar pago"))
        remove.setObjectName("removeTenderButton")
        remove.clicked.connect(self._on_remove_tender)
        cancel = QPushButton(self.tr("Volver a la venta (Esc)"))
        cancel.setObjectName("cancelPaymentButton")
        cancel.clicked.connect(self.reject)
        self.complete_button = QPushButton(self.tr("Completar venta (F12)"))
        self.complete_button.setObjectName("completeSaleButton")
        self.complete_button.clicked.connect(self._on_complete)
        for button in (remove, cancel, self.complete_button):
            button.setMinimumHeight(60)
            buttons.addWidget(button)
        root.addLayout(buttons)

        # Enter belongs to the field that has the focus, never to a button: a stray Enter must
        # not add a tender or complete the sale.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        QShortcut(QKeySequence(Qt.Key.Key_F12), self, self._on_complete)
        QShortcut(QKeySequence(Qt.Key.Key_F8), self, self._on_card_entered)

        presenter.cart_changed.connect(self._on_presenter_cart_changed)
        presenter.action_failed.connect(self._on_presenter_action_failed)
        presenter.sale_completed.connect(self._on_presenter_sale_completed)
        presenter.busy_changed.connect(self._on_presenter_busy_changed)
        self._on_presenter_cart_changed(presenter.view)
        self.cash_field.setFocus()

    def _figure(self, grid: QGridLayout, column: int, title: str, name: str) -> QLabel:
        caption = QLabel(title)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        value = QLabel("")
        value.setObjectName(name)
        value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        value.setFrameShape(QFrame.Shape.StyledPanel)
        grid.addWidget(caption, 0, column)
        grid.addWidget(value, 1, column)
        return value

    # --- presenter -> view ---------------------------------------------------------------
    def _on_presenter_cart_changed(self, view: CartView) -> None:
        pay = view.payment
        self.total_label.setText(self._fmt.money(pay.total))
        self.due_label.setText(self._fmt.money(pay.due))
        self.change_label.setText(self._fmt.money(pay.change))
        self.tenders_model.set_tenders(view.tenders)
        self.card_amount_field.setText(self._fmt.amount(pay.due) if pay.due.cents > 0 else "")
        self.complete_button.setEnabled(pay.is_settled and not view.is_empty)
        self.message_label.setText(
            self.tr("Pagado. Pulse «Completar venta».") if pay.is_settled else ""
        )
        self.cash_field.clear()
        self.card_reference_field.clear()

    def _on_presenter_action_failed(self, exc: BaseException) -> None:
        self.message_label.setText(describe_error(exc, self._fmt.locale))

    def _on_presenter_sale_completed(self, _done: object) -> None:
        self._completed = True
        self.accept()

    def _on_presenter_busy_changed(self, busy: bool) -> None:
        self.complete_button.setEnabled(not busy and self._presenter.view.payment.is_settled)

    # --- intents -------------------------------------------------------------------------
    def _on_exact_cash(self) -> None:
        due = self._presenter.view.payment.due
        if due.cents > 0:
            self._presenter.add_cash(due)

    def _on_cash_entered(self) -> None:
        text = self.cash_field.text().strip()
        if not text:
            self._on_exact_cash()
            return
        try:
            amount = Money.parse(text)
        except ValueError:
            self.message_label.setText(self.tr("Importe no válido: «{t}».").format(t=text))
            return
        self._presenter.add_cash(amount)

    def _on_card_entered(self) -> None:
        try:
            amount = Money.parse(self.card_amount_field.text())
        except ValueError:
            self.message_label.setText(self.tr("Importe de tarjeta no válido."))
            return
        self._presenter.add_card(amount, self.card_reference_field.text())

    def _on_remove_tender(self) -> None:
        index = self.tenders_view.currentIndex()
        tender = self.tenders_model.tender_at(index.row()) if index.isValid() else None
        if tender is not None:
            self._presenter.remove_tender(tender.tender_id)

    def _on_complete(self) -> None:
        if self.complete_button.isEnabled():
            self.complete_button.setEnabled(False)
            self._presenter.complete_sale()

    def reject(self) -> None:
        if not self._completed and self._presenter.view.tenders:
            self._presenter.clear_tenders()
        self.payment_cancelled.emit()
        super().reject()

    def done(self, result: int) -> None:
        for signal, slot in (
            (self._presenter.cart_changed, self._on_presenter_cart_changed),
            (self._presenter.action_failed, self._on_presenter_action_failed),
            (self._presenter.sale_completed, self._on_presenter_sale_completed),
            (self._presenter.busy_changed, self._on_presenter_busy_changed),
        ):
            signal.disconnect(slot)
        super().done(result)
