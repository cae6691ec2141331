"""Returns (⇧F10): find the original by its receipt barcode (or a receipt or web order number
typed), say per line how many come back, why and where they go, refund to the original tender
and print the return receipt.

The look-up may ask the backend (network): it runs on the I/O pool; the return is committed on
the database worker. A refund above the signed-in person's limit opens the manager's override
dialog and is retried with the approval. Device scans reach ``take_scan`` (the main window
routes scans to a dialog that ``routes_scans``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cart import Measure
from pos_app.domain.permissions import Approval
from pos_app.services.errors import ManagerApprovalRequired, ReturnNotAllowed
from pos_app.services.no_receipt_returns import NoReceiptReturns
from pos_app.services.receipts import ReceiptPrinted
from pos_app.services.returns import (
    CARD,
    CASH,
    ExchangeCredit,
    RefundRequest,
    ReturnableItem,
    ReturnCompleted,
    ReturnLineRequest,
    ReturnOriginal,
    ReturnPrintJob,
    ReturnsService,
)
from pos_app.services.staff import StaffService
from pos_app.services.vouchers import VOUCHER_KIND
from pos_app.ui.error_messages import describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.no_receipt_return_dialog import NoReceiptReturnDialog
from pos_app.ui.override_dialog import open_override
from pos_app.ui.qt_helpers import TOUCH_HEIGHT, set_banner, touch_button, weak_callback
from pos_app.ui.task_runner import Runner
from sync.protocol import Disposition


@dataclass
class _LineEditors:
    item: ReturnableItem
    quantity: QSpinBox | QDoubleSpinBox
    reason: QComboBox
    disposition: QComboBox

    def quantity_value(self) -> Decimal:
        if isinstance(self.quantity, QDoubleSpinBox):
            return Decimal(str(round(self.quantity.value(), 3)))
        return Decimal(self.quantity.value())


# The refund method picked shows as picked; the total reads from a step away.
_STYLE = """
QPushButton#refundCashButton:checked:enabled, QPushButton#refundCardButton:checked:enabled,
QPushButton#refundVoucherButton:checked:enabled {
    background: #1f5fbf; color: white; font-weight: bold; border: 2px solid #123d7a;
}
QLabel#returnTotal { font-size: 24px; font-weight: bold; }
"""


class ReturnsDialog(QDialog):
    """A return against one original, from the look-up to the printed receipt."""

    return_completed = Signal(object)  # ReturnCompleted
    # ExchangeCredit: the lines checked, their credit to pay a new sale (the dialog closes)
    exchange_requested = Signal(object)
    receipt_printed = Signal(object)  # ReceiptPrinted
    child_opened = Signal(object)  # the override dialog, for tests and tools

    routes_scans = True
    closed = False

    def __init__(
        self,
        runner: Runner,
        service: ReturnsService,
        formatter: Formatter,
        parent: QWidget | None = None,
        *,
        staff: StaffService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("returnsDialog")
        self.setWindowTitle(self.tr("Devoluciones"))
        self.setMinimumSize(1200, 660)
        self._runner = runner
        self._service = service
        self._fmt = formatter
        self._staff = staff
        self.original: ReturnOriginal | None = None
        self.editors: list[_LineEditors] = []
        self.last_return: ReturnCompleted | None = None
        self.child: QDialog | None = None
        self._busy = False

        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.reference_field = QLineEdit()
        self.reference_field.setObjectName("returnReferenceField")
        self.reference_field.setMinimumHeight(TOUCH_HEIGHT + 8)
        self.reference_field.setMaxLength(60)
        self.reference_field.setPlaceholderText(
            self.tr(
                "Escanee el código de barras del ticket o escriba el nº de ticket o de pedido web"
            )
        )
        self.reference_field.returnPressed.connect(self._on_reference_return_pressed)
        self.find_button = touch_button(self.tr("Buscar"), "returnFindButton")
        self.find_button.clicked.connect(self._on_reference_return_pressed)
        row.addWidget(self.reference_field, 1)
        row.addWidget(self.find_button)
        # The original picked from a customer's history (shown when the main window wires it).
        self.customer_button = touch_button(self.tr("Del cliente…"), "returnCustomerButton")
        self.customer_button.hide()
        row.addWidget(self.customer_button)
        # Goods brought back with no receipt at all: store credit at the lowest recent price.
        self.no_receipt_button = touch_button(self.tr("Sin ticket…"), "noReceiptButton")
        self.no_receipt_button.clicked.connect(self._on_no_receipt_button_clicked)
        row.addWidget(self.no_receipt_button)
        layout.addLayout(row)

        self.summary_label = QLabel(self.tr("Ningún ticket seleccionado."))
        self.summary_label.setObjectName("returnSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary_label)

        self.message_label = QLabel("")
        self.message_label.setObjectName("messageBanner")
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumHeight(40)
        set_banner(self.message_label, "", "info")
        layout.addWidget(self.message_label)

        self.lines_area = QScrollArea()
        self.lines_area.setObjectName("returnLinesArea")
        self.lines_area.setWidgetResizable(True)
        self.lines_area.setFrameShape(QFrame.Shape.StyledPanel)
        self._lines_widget = QWidget()
        self._grid = QGridLayout(self._lines_widget)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(8)
        self.lines_area.setWidget(self._lines_widget)
        layout.addWidget(self.lines_area, 1)

        refund_row = QHBoxLayout()
        refund_row.addWidget(QLabel(self.tr("Devolver el dinero en:")))
        self.cash_button = touch_button(self.tr("Efectivo"), "refundCashButton")
        self.card_button = touch_button(self.tr("Tarjeta"), "refundCardButton")
        # Store credit: allowed whatever the original was paid with.
        self.voucher_button = touch_button(self.tr("Vale de compra"), "refundVoucherButton")
        self._method = QButtonGroup(self)
        for button in (self.cash_button, self.card_button, self.voucher_button):
            button.setCheckable(True)
            button.setMinimumWidth(150)
            self._method.addButton(button)
            refund_row.addWidget(button)
        self.cash_button.setChecked(True)
        self.voucher_button.setMinimumWidth(190)  # room for its label in bold when picked
        self._method.buttonToggled.connect(self._on_method_button_toggled)
        self.card_reference_field = QLineEdit()
        self.card_reference_field.setObjectName("refundCardReferenceField")
        self.card_reference_field.setMinimumHeight(TOUCH_HEIGHT)
        self.card_reference_field.setMaxLength(60)
        self.card_reference_field.setPlaceholderText(
            self.tr("Referencia de la devolución en el datáfono")
        )
        refund_row.addWidget(self.card_reference_field, 1)
        layout.addLayout(refund_row)

        bottom = QHBoxLayout()
        self.total_label = QLabel("")
        self.total_label.setObjectName("returnTotal")
        bottom.addWidget(self.total_label, 1)
        self.return_button = touch_button(self.tr("Devolver"), "returnButton")
        self.return_button.setMinimumWidth(200)
        self.return_button.clicked.connect(self._on_return_button_clicked)
        close = touch_button(self.tr("Cerrar (Esc)"), "closeReturnsButton")
        close.clicked.connect(self.reject)
        bottom.addWidget(self.return_button)
        self.exchange_button = touch_button(self.tr("Cambiar por otro artículo"), "exchangeButton")
        self.exchange_button.setMinimumWidth(240)
        self.exchange_button.clicked.connect(self._on_exchange_button_clicked)
        bottom.addWidget(self.exchange_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.setStyleSheet(_STYLE)
        self._show_original(None)

    def done(self, result: int) -> None:
        self.closed = True
        super().done(result)

    # --- finding -------------------------------------------------------------------------
    def take_scan(self, code: str) -> bool:
        """A scan here is the receipt's barcode (its number) or a gift receipt's: it finds the
        sale. With the "Sin ticket" screen open, it is the item brought back."""
        if self.child is not None and getattr(self.child, "routes_scans", False):
            return bool(self.child.take_scan(code))  # type: ignore[attr-defined]
        if not code.strip() or self.child is not None:
            return False
        self.reference_field.setText(code.strip())
        self.look_up(code)
        return True

    def _on_reference_return_pressed(self) -> None:
        self.look_up(self.reference_field.text())

    def look_up(self, reference: str) -> None:
        if not reference.strip() or self._busy:
            return
        self._busy = True
        set_banner(
            self.message_label,
            self.tr("Buscando {reference}…").format(reference=reference.strip()),
            "info",
        )
        service = self._service
        self._runner.run_io(
            lambda: service.find_original(reference),
            weak_callback(self._on_found),
            weak_callback(self._on_failed),
        )

    def _on_found(self, original: ReturnOriginal) -> None:
        self._busy = False
        if self.closed:
            return
        self._show_original(original)
        refused = [item for item in original.lines if item.refusal]
        if not original.anything_left and refused:
            set_banner(
                self.message_label,
                self.tr(
                    "Nada de {reference} se puede devolver según la política de devoluciones."
                ).format(reference=original.reference),
                "error",
            )
        elif original.gift_receipt:
            set_banner(
                self.message_label,
                self.tr(
                    "Ticket regalo: se devuelve lo pagado, solo como vale de compra (sin "
                    "mostrar precios al cliente)."
                ),
                "info",
            )
        elif not original.anything_left:
            set_banner(
                self.message_label,
                self.tr("Ya se ha devuelto todo lo de {reference}.").format(
                    reference=original.reference
                ),
                "error",
            )
        elif original.checked:
            set_banner(self.message_label, self.tr("Comprobado con la central."), "success")
        else:
            set_banner(
                self.message_label,
                self.tr(
                    "Venta de esta caja, sin comprobar con la central: se cuentan solo las "
                    "devoluciones hechas en esta caja."
                ),
                "info",
            )

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        if self.closed:
            return
        if isinstance(exc, ManagerApprovalRequired) and self._staff is not None:
            self._ask_manager(exc)
            return
        QApplication.beep()
        set_banner(self.message_label, describe_error(exc, self._fmt.locale), "error")

    # --- the lines -----------------------------------------------------------------------
    def _reasons(self) -> list[str]:
        return [
            "",
            self.tr("No le gusta / cambio de opinión"),
            self.tr("Defectuoso"),
            self.tr("Talla o modelo equivocado"),
            self.tr("Regalo repetido"),
            self.tr("Caducado"),
            self.tr("Envase dañado"),
        ]

    def _show_original(self, original: ReturnOriginal | None) -> None:
        self.original = original
        self.editors = []
        while self._grid.count():
            taken = self._grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        for widget in (
            self.cash_button,
            self.card_button,
            self.voucher_button,
            self.card_reference_field,
        ):
            widget.setEnabled(original is not None)
        if original is None:
            self.summary_label.setText(self.tr("Ningún ticket seleccionado."))
            self._update_total()
            return
        kind = self.tr("Ticket") if original.kind == "sale" else self.tr("Pedido web")
        if original.gift_receipt:
            kind = self.tr("Ticket regalo de")
        checked = (
            self.tr("comprobado con la central")
            if original.checked
            else self.tr("sin comprobar con la central")
        )
        cash_word, card_word = self.tr("efectivo"), self.tr("tarjeta")
        paid = ", ".join(
            f"{cash_word if t.kind == CASH else card_word} {self._fmt.money(t.paid_cents)}"
            for t in original.tenders
        )
        self.summary_label.setText(
            self.tr(
                "<b>{kind} {reference}</b> · {date} · tienda {store} · pagado: {paid} · {checked}"
            ).format(
                kind=kind,
                reference=original.reference,
                date=original.sold_at.strftime("%d/%m/%Y %H:%M"),
                store=original.store_code,
                paid=paid or "—",
                checked=checked,
            )
        )
        headers = (
            self.tr("Artículo"),
            self.tr("Vendido"),
            self.tr("Ya devuelto"),
            self.tr("Importe/u."),
            self.tr("A devolver"),
            self.tr("Motivo"),
            self.tr("Destino"),
        )
        for column, text in enumerate(headers):
            label = QLabel(f"<b>{text}</b>")
            self._grid.addWidget(label, 0, column)
        for row, item in enumerate(original.lines, start=1):
            measure = Measure.WEIGHT if item.measure == "weight" else Measure.UNIT
            name = QLabel(item.name)
            if item.refusal:  # the return policy's reason, under the name
                name.setTextFormat(Qt.TextFormat.RichText)
                name.setText(
                    f"{escape(item.name)}<br><span style='color:#b3261e'>"
                    f"{escape(self._refusal_text(item))}</span>"
                )
            name.setWordWrap(True)
            name.setMinimumHeight(TOUCH_HEIGHT)
            name.setMinimumWidth(220)
            self._grid.addWidget(name, row, 0)
            self._grid.addWidget(QLabel(self._fmt.quantity(item.quantity_sold, measure)), row, 1)
            self._grid.addWidget(
                QLabel(self._fmt.quantity(item.quantity_returned, measure)), row, 2
            )
            self._grid.addWidget(QLabel(self._fmt.money(item.unit_refund_cents)), row, 3)
            quantity: QSpinBox | QDoubleSpinBox
            if measure is Measure.WEIGHT:
                quantity = QDoubleSpinBox()
                quantity.setDecimals(3)
                quantity.setSingleStep(0.1)
                quantity.setMaximum(float(item.returnable))
            else:
                quantity = QSpinBox()
                quantity.setMaximum(int(item.returnable))
            quantity.setObjectName(f"returnQuantity{row}")
            quantity.setMinimumHeight(TOUCH_HEIGHT)
            quantity.setMinimumWidth(80)
            quantity.setAlignment(Qt.AlignmentFlag.AlignCenter)
            quantity.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
            quantity.setEnabled(item.returnable > 0)
            quantity.valueChanged.connect(self._update_total)
            stepper = QWidget()
            steps = QHBoxLayout(stepper)
            steps.setContentsMargins(0, 0, 0, 0)
            steps.setSpacing(4)
            for sign, suffix, step in (
                ("−", "Less", quantity.stepDown),
                ("+", "More", quantity.stepUp),
            ):
                button = QPushButton(sign)
                button.setObjectName(f"returnQuantity{suffix}{row}")
                button.setFixedSize(TOUCH_HEIGHT, TOUCH_HEIGHT)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setEnabled(item.returnable > 0)
                button.clicked.connect(step)
                steps.addWidget(button)
                if suffix == "Less":
                    steps.addWidget(quantity)
            reason = QComboBox()
            reason.setObjectName(f"returnReason{row}")
            reason.setEditable(True)
            reason.addItems(self._reasons())
            reason.setMinimumHeight(TOUCH_HEIGHT)
            reason.setMinimumWidth(200)
            line_edit = reason.lineEdit()
            if line_edit is not None:
                line_edit.setPlaceholderText(self.tr("Motivo (obligatorio)"))
                line_edit.setMaxLength(200)
            disposition = QComboBox()
            disposition.setObjectName(f"returnDisposition{row}")
            disposition.addItem(self.tr("A la venta"), Disposition.SELLABLE.value)
            disposition.addItem(self.tr("Dañado"), Disposition.DAMAGED.value)
            disposition.addItem(self.tr("Para el proveedor"), Disposition.SUPPLIER.value)
            disposition.setMinimumHeight(TOUCH_HEIGHT)
            self._grid.addWidget(stepper, row, 4)
            self._grid.addWidget(reason, row, 5)
            self._grid.addWidget(disposition, row, 6)
            self.editors.append(_LineEditors(item, quantity, reason, disposition))
        self._grid.setColumnStretch(0, 3)
        self._grid.setColumnStretch(5, 1)
        self._grid.setRowStretch(len(original.lines) + 1, 1)
        # The original's tender: refunded the way it was paid. A gift receipt: store credit only.
        kinds = {t.kind for t in original.tenders if t.left_cents > 0}
        if original.store_credit_only:
            self.cash_button.setEnabled(False)
            self.card_button.setEnabled(False)
            self.voucher_button.setChecked(True)
        elif kinds:
            self.cash_button.setEnabled(CASH in kinds)
            self.card_button.setEnabled(CARD in kinds)
            (self.cash_button if CASH in kinds else self.card_button).setChecked(True)
        else:
            self.cash_button.setEnabled(True)
            self.card_button.setEnabled(True)
        self._on_method_button_toggled()
        self._update_total()

    def _refusal_text(self, item: ReturnableItem) -> str:
        if item.refusal == ReturnNotAllowed.CATEGORY:
            return self.tr("No se devuelve: categoría sin devolución ({category})").format(
                category=item.category
            )
        return self.tr("No se devuelve: más de {days} días desde la compra").format(
            days=item.policy_days
        )

    def _on_no_receipt_button_clicked(self) -> None:
        self.open_no_receipt()

    def open_no_receipt(self) -> NoReceiptReturnDialog | None:
        """The "Sin ticket" screen, over this one; its returns are announced as ours."""
        if self.child is not None or self._busy:
            return None
        dialog = NoReceiptReturnDialog(
            self._runner,
            NoReceiptReturns(self._service),
            self._fmt,
            self,
            staff=self._staff,
        )
        self.child = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.return_completed.connect(self.return_completed.emit)

        def finished(_result: int) -> None:
            self.child = None
            self.reference_field.setFocus()

        dialog.finished.connect(finished)
        dialog.open()
        self.child_opened.emit(dialog)
        return dialog

    def set_line(
        self,
        original_line_no: int,
        quantity: Decimal,
        reason: str = "",
        disposition: Disposition = Disposition.SELLABLE,
    ) -> None:
        """Fill one line's editors (as the cashier would)."""
        for editors in self.editors:
            if editors.item.original_line_no == original_line_no:
                if isinstance(editors.quantity, QDoubleSpinBox):
                    editors.quantity.setValue(float(quantity))
                else:
                    editors.quantity.setValue(int(quantity))
                editors.reason.setEditText(reason)
                editors.disposition.setCurrentIndex(editors.disposition.findData(disposition.value))

    def requests(self) -> list[ReturnLineRequest]:
        return [
            ReturnLineRequest(
                e.item.original_line_no,
                e.quantity_value(),
                e.reason.currentText(),
                Disposition(e.disposition.currentData()),
            )
            for e in self.editors
            if e.quantity_value() > 0
        ]

    def refund_cents(self) -> int:
        return sum(e.item.refund_for(e.quantity_value()) for e in self.editors)

    def _update_total(self) -> None:
        cents = self.refund_cents()
        self.total_label.setText(
            self.tr("Total a devolver: {amount}").format(amount=self._fmt.money(cents))
        )
        self.return_button.setEnabled(cents > 0 and not self._busy)
        self.exchange_button.setEnabled(cents > 0 and not self._busy)

    def _on_method_button_toggled(self, *_args: object) -> None:
        card = self.card_button.isChecked()
        self.card_reference_field.setEnabled(card)
        if card:
            self.card_reference_field.setFocus()

    def refund(self) -> RefundRequest:
        if self.voucher_button.isChecked():
            return RefundRequest(VOUCHER_KIND)
        if self.card_button.isChecked():
            return RefundRequest(CARD, self.card_reference_field.text())
        return RefundRequest(CASH)

    # --- the return ----------------------------------------------------------------------
    def _on_return_button_clicked(self) -> None:
        self.complete()

    def complete(self, approval: Approval | None = None) -> None:
        original = self.original
        if original is None or self._busy:
            return
        lines = self.requests()
        refund = self.refund()
        service = self._service
        self._busy = True
        self.return_button.setEnabled(False)
        self._retry = self.complete
        self._runner.run_db(
            lambda: service.complete_return(original, lines, refund, approval),
            weak_callback(self._on_completed),
            weak_callback(self._on_complete_failed),
        )

    def _on_exchange_button_clicked(self) -> None:
        self.exchange()

    def exchange(self, approval: Approval | None = None) -> None:
        """The lines chosen become credit for a new sale: checked here (as a return is, with a
        manager's approval above the limit), handed to the checkout, and the dialog closes.
        Nothing is written until that sale completes."""
        original = self.original
        if original is None or self._busy:
            return
        lines = self.requests()
        service = self._service
        self._busy = True
        self._retry = self.exchange
        self._update_total()
        self._runner.run_db(
            lambda: service.exchange_credit(original, lines, approval),
            weak_callback(self._on_exchange_checked),
            weak_callback(self._on_complete_failed),
        )

    def _on_exchange_checked(self, credit: ExchangeCredit) -> None:
        self._busy = False
        self.exchange_requested.emit(credit)
        if not self.closed:
            self.accept()

    def _on_complete_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_total()
        self._on_failed(exc)

    def _ask_manager(self, request: ManagerApprovalRequired) -> None:
        assert self._staff is not None

        def finished(approval: Approval | None) -> None:
            self.child = None
            if approval is not None:
                self._retry(approval)
            else:
                set_banner(
                    self.message_label,
                    self.tr("Devolución no autorizada: no se ha hecho."),
                    "error",
                )

        self.child = open_override(self, self._runner, self._staff, request, self._fmt, finished)
        self.child_opened.emit(self.child)

    def _on_completed(self, done: ReturnCompleted) -> None:
        self._busy = False
        self.last_return = done
        record = done.record
        refund = record.refunds[0]
        if refund.kind == CASH:
            how = self.tr("en efectivo")
        elif refund.kind == VOUCHER_KIND:
            how = self.tr("como vale de compra {code} (se imprime con el ticket)").format(
                code=refund.reference
            )
        else:
            how = self.tr("a la tarjeta (ref. {reference})").format(reference=refund.reference)
        self._done_text = self.tr("Devolución {number} hecha: devuelva {amount} {how}.").format(
            number=record.return_number, amount=self._fmt.money(record.total_cents), how=how
        )
        self.return_completed.emit(done)
        if not self.closed:
            set_banner(self.message_label, self._done_text, "success")
            self._show_original(None)
            self.reference_field.clear()
            self.reference_field.setFocus()
        self._print(record.return_id)

    def _print(self, return_id: str) -> None:
        service = self._service
        runner = self._runner

        def sent(result: ReceiptPrinted) -> None:
            runner.run_db(
                lambda: service.record_print(result),
                weak_callback(self._on_printed),
                weak_callback(self._on_failed),
            )

        def prepared(job: ReturnPrintJob) -> None:
            runner.run_io(lambda: service.send(job), sent, weak_callback(self._on_failed))

        runner.run_db(
            lambda: service.prepare_print(return_id), prepared, weak_callback(self._on_failed)
        )

    def _on_printed(self, result: ReceiptPrinted) -> None:
        self.receipt_printed.emit(result)
        if self.closed:
            return
        if result.ok:
            set_banner(
                self.message_label,
                self.tr("{done} Ticket de devolución impreso.").format(done=self._done_text),
                "success",
            )
        else:
            set_banner(
                self.message_label,
                self.tr(
                    "{done} El ticket de devolución NO se ha impreso ({error}); la devolución "
                    "está guardada."
                ).format(done=self._done_text, error=result.error),
                "error",
            )

    _done_text = ""
    _retry: Callable[[Approval], None]
