"""Taking payment: cash with change and quick notes, card through an external terminal, store
credit (a voucher, scanned or typed), or any mix. The sale completes only when nothing is due.

Device scans reach ``take_scan`` while the dialog is open (the main window routes scans to a
dialog that ``routes_scans``): a scan goes to the voucher's code field when it has the focus,
and is refused otherwise (scanning goods is for the sale, not for its payment)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import Money
from pos_app.services.checkout import CartView
from pos_app.services.returns import CARD, CASH, RefundRequest
from pos_app.services.vouchers import VOUCHER_KIND, VoucherBalance
from pos_app.ui.checkout_presenter import CheckoutPresenter
from pos_app.ui.error_messages import describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.tender_table_model import TenderTableModel


class PaymentDialog(QDialog):
    """Window-modal; opened with ``open()``. Closing it without completing clears the tenders."""

    payment_cancelled = Signal()
    routes_scans = True

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
        self.setMinimumSize(1080, 700)
        self._presenter = presenter
        self._fmt = formatter
        self._completed = False

        root = QVBoxLayout(self)
        figures = QGridLayout()
        self.total_label = self._figure(figures, 0, self.tr("Total"), "totalFigure")
        self.due_label = self._figure(figures, 1, self.tr("Pendiente"), "dueFigure")
        self.change_label = self._figure(figures, 2, self.tr("Cambio"), "changeFigure")
        root.addLayout(figures)
        root.addWidget(self._build_exchange_box())
        root.addWidget(self._build_invoice_box())

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

        voucher_box = QGroupBox(self.tr("Vale"))
        voucher_box.setObjectName("voucherBox")
        voucher = QVBoxLayout(voucher_box)
        voucher.addWidget(QLabel(self.tr("Código del vale (escanear o teclear):")))
        self.voucher_code_field = QLineEdit()
        self.voucher_code_field.setObjectName("voucherCodeField")
        self.voucher_code_field.setMinimumHeight(52)
        self.voucher_code_field.returnPressed.connect(self._on_voucher_code_entered)
        voucher.addWidget(self.voucher_code_field)
        self.voucher_balance_label = QLabel("")
        self.voucher_balance_label.setObjectName("voucherBalance")
        self.voucher_balance_label.setWordWrap(True)
        voucher.addWidget(self.voucher_balance_label)
        voucher.addWidget(QLabel(self.tr("Importe a pagar con el vale:")))
        self.voucher_amount_field = QLineEdit()
        self.voucher_amount_field.setObjectName("voucherAmountField")
        self.voucher_amount_field.setMinimumHeight(52)
        self.voucher_amount_field.returnPressed.connect(self._on_voucher_entered)
        voucher.addWidget(self.voucher_amount_field)
        add_voucher = QPushButton(self.tr("Añadir vale"))
        add_voucher.setObjectName("addVoucherButton")
        add_voucher.setMinimumHeight(56)
        add_voucher.clicked.connect(self._on_voucher_entered)
        voucher.addWidget(add_voucher)
        voucher.addStretch(1)
        columns.addWidget(voucher_box)
        self._voucher: VoucherBalance | None = None
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
        presenter.voucher_checked.connect(self._on_presenter_voucher_checked)
        self._on_presenter_cart_changed(presenter.view)
        self.cash_field.setFocus()

    def _build_invoice_box(self) -> QGroupBox:
        """A full invoice (F1) instead of a ticket: the customer's NIF, NIE or CIF, name and
        address (needed above the ticket's legal amount)."""
        box = QGroupBox(self.tr("Factura completa (en lugar del ticket)"))
        box.setObjectName("invoiceBox")
        row = QHBoxLayout(box)
        self.invoice_tax_id_field = QLineEdit()
        self.invoice_tax_id_field.setObjectName("invoiceTaxIdField")
        self.invoice_tax_id_field.setPlaceholderText(self.tr("NIF / NIE / CIF"))
        self.invoice_tax_id_field.setMaximumWidth(170)
        self.invoice_name_field = QLineEdit()
        self.invoice_name_field.setObjectName("invoiceNameField")
        self.invoice_name_field.setPlaceholderText(self.tr("Nombre o razón social"))
        self.invoice_address_field = QLineEdit()
        self.invoice_address_field.setObjectName("invoiceAddressField")
        self.invoice_address_field.setPlaceholderText(self.tr("Domicilio; CP y población"))
        self.invoice_button = QPushButton(self.tr("Emitir factura"))
        self.invoice_button.setObjectName("invoiceButton")
        self.invoice_button.clicked.connect(self._on_invoice_requested)
        self.invoice_label = QLabel("")
        self.invoice_label.setObjectName("invoiceLabel")
        self.invoice_label.setWordWrap(True)
        self.invoice_cancel_button = QPushButton(self.tr("Volver a ticket"))
        self.invoice_cancel_button.setObjectName("invoiceCancelButton")
        self.invoice_cancel_button.clicked.connect(self._presenter.cancel_invoice)
        for widget in (
            self.invoice_tax_id_field,
            self.invoice_name_field,
            self.invoice_address_field,
        ):
            widget.returnPressed.connect(self._on_invoice_requested)
            row.addWidget(widget, 0 if widget is self.invoice_tax_id_field else 1)
        row.addWidget(self.invoice_button)
        row.addWidget(self.invoice_label, 1)
        row.addWidget(self.invoice_cancel_button)
        return box

    def _show_invoice(self) -> None:
        recipient = self._presenter.checkout.invoice
        asking = recipient is None
        for widget in (
            self.invoice_tax_id_field,
            self.invoice_name_field,
            self.invoice_address_field,
            self.invoice_button,
        ):
            widget.setVisible(asking)
        self.invoice_label.setVisible(not asking)
        self.invoice_cancel_button.setVisible(not asking)
        if recipient is not None:
            self.invoice_label.setText(
                self.tr("Factura a {name} ({tax_id}), {address}").format(
                    name=recipient.name,
                    tax_id=recipient.tax_id,
                    address=", ".join(recipient.address),
                )
            )

    def _on_invoice_requested(self) -> None:
        address = [line for line in self.invoice_address_field.text().split(";") if line.strip()]
        self._presenter.request_invoice(
            self.invoice_tax_id_field.text(), self.invoice_name_field.text(), address
        )

    def _build_exchange_box(self) -> QGroupBox:
        """An exchange: the return's credit (a tender already applied) and, when it is more
        than the sale, what goes back to the customer and how (as the original allows)."""
        box = QGroupBox(self.tr("Cambio de artículo: crédito de la devolución"))
        box.setObjectName("exchangeBox")
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        rows = QVBoxLayout(box)
        self.exchange_label = QLabel("")
        self.exchange_label.setObjectName("exchangeCredit")
        rows.addWidget(self.exchange_label)
        row = QHBoxLayout()
        rows.addLayout(row)
        self.exchange_refund_label = QLabel("")
        self.exchange_refund_label.setObjectName("exchangeRefundFigure")
        row.addWidget(self.exchange_refund_label)
        self.exchange_cash_button = QPushButton(self.tr("Efectivo"))
        self.exchange_cash_button.setObjectName("exchangeRefundCashButton")
        self.exchange_card_button = QPushButton(self.tr("Tarjeta"))
        self.exchange_card_button.setObjectName("exchangeRefundCardButton")
        self.exchange_voucher_button = QPushButton(self.tr("Vale de compra"))
        self.exchange_voucher_button.setObjectName("exchangeRefundVoucherButton")
        self._exchange_kinds = QButtonGroup(self)
        for button, kind in (
            (self.exchange_cash_button, CASH),
            (self.exchange_card_button, CARD),
            (self.exchange_voucher_button, VOUCHER_KIND),
        ):
            button.setCheckable(True)
            button.setMinimumHeight(52)
            button.setMinimumWidth(170)
            button.setProperty("refundKind", kind)
            self._exchange_kinds.addButton(button)
            row.addWidget(button)
        self._exchange_kinds.buttonToggled.connect(self._on_exchange_kind_toggled)
        self.exchange_card_reference_field = QLineEdit()
        self.exchange_card_reference_field.setObjectName("exchangeCardReferenceField")
        self.exchange_card_reference_field.setMinimumHeight(52)
        self.exchange_card_reference_field.setMaxLength(60)
        self.exchange_card_reference_field.setPlaceholderText(
            self.tr("Referencia de la devolución en el datáfono")
        )
        row.addWidget(self.exchange_card_reference_field, 1)
        row.addStretch(0)
        box.setStyleSheet(
            "QGroupBox#exchangeBox { font-weight: bold; } "
            "QLabel#exchangeRefundFigure { font-size: 22px; font-weight: bold; color: #9b1c1c; } "
            "QPushButton:checked { background: #1f5fbf; color: white; font-weight: bold; }"
        )
        box.hide()
        return box

    def _show_exchange(self, view: CartView) -> None:
        exchange = view.exchange
        box = self.exchange_label.parentWidget()
        assert box is not None
        box.setVisible(exchange is not None)
        if exchange is None:
            return
        self.exchange_label.setText(
            self.tr(
                "Crédito del cambio de {reference}: {credit} · aplicado a esta venta: {applied}"
            ).format(
                reference=exchange.reference,
                credit=self._fmt.money(exchange.credit_cents),
                applied=self._fmt.money(exchange.applied_cents),
            )
        )
        refund = exchange.refund_cents > 0
        self.exchange_refund_label.setText(
            self.tr("A devolver: {amount}").format(amount=self._fmt.money(exchange.refund_cents))
            if refund
            else ""
        )
        self.exchange_refund_label.setVisible(refund)
        for button in self._exchange_kinds.buttons():
            allowed = button.property("refundKind") in exchange.refund_kinds
            button.setVisible(refund)
            button.setEnabled(allowed)
        checked = self._exchange_kinds.checkedButton()
        if refund and (checked is None or not checked.isEnabled()):
            first = next(b for b in self._exchange_kinds.buttons() if b.isEnabled())
            first.setChecked(True)
        self._on_exchange_kind_toggled()

    def _on_exchange_kind_toggled(self, *_args: object) -> None:
        exchange = self._presenter.view.exchange
        refund = exchange is not None and exchange.refund_cents > 0
        card = refund and self.exchange_card_button.isChecked()
        self.exchange_card_reference_field.setVisible(card)
        if card:
            self.exchange_card_reference_field.setFocus()

    def exchange_refund(self) -> RefundRequest | None:
        """How the exchange credit beyond the sale goes back (None: nothing goes back)."""
        view = self._presenter.view
        if view.exchange is None or view.exchange.refund_cents <= 0:
            return None
        checked = self._exchange_kinds.checkedButton()
        if checked is None:
            return None
        kind = str(checked.property("refundKind"))
        reference = self.exchange_card_reference_field.text() if kind == CARD else ""
        return RefundRequest(kind, reference)

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
        self.voucher_code_field.clear()
        self.voucher_amount_field.clear()
        self.voucher_balance_label.clear()
        self._voucher = None
        self._show_exchange(view)
        self._show_invoice()

    def _on_presenter_action_failed(self, exc: BaseException) -> None:
        self.message_label.setText(describe_error(exc, self._fmt.locale))

    def _on_presenter_sale_completed(self, _done: object) -> None:
        self._completed = True
        self.accept()

    def _on_presenter_busy_changed(self, busy: bool) -> None:
        self.complete_button.setEnabled(not busy and self._presenter.view.payment.is_settled)

    def _on_presenter_voucher_checked(self, found: VoucherBalance) -> None:
        self._voucher = found
        self.message_label.clear()
        self.voucher_code_field.setText(found.code)
        balance = self._fmt.money(found.balance_cents)
        if found.checked:
            text = self.tr("Saldo del vale: {balance}").format(balance=balance)
        else:
            text = self.tr(
                "Saldo conocido en esta caja (sin comprobar con la central): {b}"
            ).format(b=balance)
        self.voucher_balance_label.setText(text)
        due = self._presenter.view.payment.due
        amount = Money(min(found.balance_cents, max(due.cents, 0)), due.currency)
        self.voucher_amount_field.setText(self._fmt.amount(amount) if amount.cents > 0 else "")
        self.voucher_amount_field.setFocus()

    # --- scans ---------------------------------------------------------------------------
    def take_scan(self, code: str) -> bool:
        """A device scan: a voucher's code when its field has the focus; else refused."""
        if not self.voucher_code_field.hasFocus():
            QApplication.beep()
            self.message_label.setText(
                self.tr("Se está cobrando: solo se escanean vales, en el campo «Vale».")
            )
            return False
        self.voucher_code_field.setText(code.strip())
        self._on_voucher_code_entered()
        return True

    # --- intents -------------------------------------------------------------------------
    def _on_voucher_code_entered(self) -> None:
        code = self.voucher_code_field.text().strip()
        if code:
            self.voucher_balance_label.setText(self.tr("Comprobando el vale…"))
            self._presenter.check_voucher(code)

    def _on_voucher_entered(self) -> None:
        code = self.voucher_code_field.text().strip()
        if not code:
            self.message_label.setText(self.tr("Escanee o teclee el código del vale."))
            return
        text = self.voucher_amount_field.text().strip()
        amount: Money | None = None
        if text:
            try:
                amount = Money.parse(text)
            except ValueError:
                self.message_label.setText(self.tr("Importe del vale no válido."))
                return
        self._presenter.add_voucher(code, amount)

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
            self._presenter.complete_sale(self.exchange_refund())

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
            (self._presenter.voucher_checked, self._on_presenter_voucher_checked),
        ):
            signal.disconnect(slot)
        super().done(result)
