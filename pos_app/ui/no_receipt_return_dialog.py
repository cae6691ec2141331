"""A return without a receipt ("Sin ticket", from the returns screen): scan or search what the
customer brings back, say how many, why and where each goes; it is refunded as a voucher (store
credit) at the lowest recent price, with a manager's approval when the limits ask for one.
When the return policy requires a receipt the screen says so and takes nothing.

Product look-ups and the return run on the database worker; the voucher's receipt prints on
the I/O pool. Scans reach ``take_scan`` (the returns screen passes them on).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
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
from pos_app.services.errors import ManagerApprovalRequired, ReceiptRequired
from pos_app.services.no_receipt_returns import NoReceiptItem, NoReceiptLine, NoReceiptReturns
from pos_app.services.ports import ProductRecord
from pos_app.services.receipts import ReceiptPrinted
from pos_app.services.returns import ReturnCompleted
from pos_app.services.staff import StaffService
from pos_app.ui.error_messages import describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.override_dialog import open_override
from pos_app.ui.printing import print_return_receipt
from pos_app.ui.qt_helpers import TOUCH_HEIGHT, set_banner, touch_button, weak_callback
from pos_app.ui.search_dialog import ProductSearchDialog
from pos_app.ui.task_runner import Runner
from sync.protocol import Disposition, ReturnPolicy

_STYLE = "QLabel#noReceiptTotal { font-size: 24px; font-weight: bold; }"


@dataclass
class _LineEditors:
    item: NoReceiptItem
    quantity: QSpinBox | QDoubleSpinBox
    reason: QComboBox
    disposition: QComboBox

    def quantity_value(self) -> Decimal:
        if isinstance(self.quantity, QDoubleSpinBox):
            return Decimal(str(round(self.quantity.value(), 3)))
        return Decimal(self.quantity.value())

    def line(self) -> NoReceiptLine:
        return NoReceiptLine(
            self.item,
            self.quantity_value(),
            self.reason.currentText(),
            Disposition(self.disposition.currentData()),
        )


class NoReceiptReturnDialog(QDialog):
    """Signals:
    policy_loaded(object): the return policy in force is on screen (``ReturnPolicy``).
    item_added(object): a product was added (``NoReceiptItem``).
    return_completed(object): the return was committed (``ReturnCompleted``).
    receipt_printed(object): its receipt's print ended (``ReceiptPrinted``).
    child_opened(object): the manager's override dialog opened (for tests and tools).
    """

    policy_loaded = Signal(object)
    item_added = Signal(object)
    return_completed = Signal(object)
    receipt_printed = Signal(object)
    child_opened = Signal(object)

    routes_scans = True
    closed = False

    def __init__(
        self,
        runner: Runner,
        service: NoReceiptReturns,
        formatter: Formatter,
        parent: QWidget | None = None,
        *,
        staff: StaffService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noReceiptReturnDialog")
        self.setWindowTitle(self.tr("Devolución sin ticket"))
        self.setMinimumSize(1200, 600)
        self._runner = runner
        self._service = service
        self._fmt = formatter
        self._staff = staff
        self.editors: list[_LineEditors] = []
        self.child: QDialog | None = None
        self.last_return: ReturnCompleted | None = None
        self.allowed = False
        self._busy = False
        self._done_text = ""

        layout = QVBoxLayout(self)
        self.policy_label = QLabel("")
        self.policy_label.setObjectName("noReceiptPolicy")
        self.policy_label.setWordWrap(True)
        layout.addWidget(self.policy_label)

        row = QHBoxLayout()
        self.code_field = QLineEdit()
        self.code_field.setObjectName("noReceiptCodeField")
        self.code_field.setMinimumHeight(TOUCH_HEIGHT + 8)
        self.code_field.setMaxLength(60)
        self.code_field.setPlaceholderText(
            self.tr("Escanee el artículo o escriba su código o referencia")
        )
        self.code_field.returnPressed.connect(self._on_code_field_return_pressed)
        self.search_button = touch_button(self.tr("Buscar por nombre (F2)"), "noReceiptSearch")
        self.search_button.setShortcut(Qt.Key.Key_F2)
        self.search_button.clicked.connect(self._on_search_button_clicked)
        row.addWidget(self.code_field, 1)
        row.addWidget(self.search_button)
        layout.addLayout(row)

        self.message_label = QLabel("")
        self.message_label.setObjectName("messageBanner")
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumHeight(40)
        set_banner(self.message_label, "", "info")
        layout.addWidget(self.message_label)

        self.lines_area = QScrollArea()
        self.lines_area.setObjectName("noReceiptLinesArea")
        self.lines_area.setWidgetResizable(True)
        self.lines_area.setFrameShape(QFrame.Shape.StyledPanel)
        self._lines_widget = QWidget()
        self._grid = QGridLayout(self._lines_widget)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(8)
        self.lines_area.setWidget(self._lines_widget)
        layout.addWidget(self.lines_area, 1)

        bottom = QHBoxLayout()
        self.total_label = QLabel("")
        self.total_label.setObjectName("noReceiptTotal")
        bottom.addWidget(self.total_label, 1)
        self.return_button = touch_button(self.tr("Devolver como vale"), "noReceiptReturnButton")
        self.return_button.setMinimumWidth(220)
        self.return_button.clicked.connect(self._on_return_button_clicked)
        close = touch_button(self.tr("Cerrar (Esc)"), "closeNoReceiptButton")
        close.clicked.connect(self.reject)
        bottom.addWidget(self.return_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.setStyleSheet(_STYLE)
        self._set_enabled(False)
        self._show_lines()
        self._runner.run_db(
            service.policy, weak_callback(self._on_policy_loaded), weak_callback(self._on_failed)
        )

    def done(self, result: int) -> None:
        self.closed = True
        super().done(result)

    # --- the policy ----------------------------------------------------------------------
    def _on_policy_loaded(self, policy: ReturnPolicy) -> None:
        if self.closed:
            return
        self.allowed = not policy.receipt_required
        if self.allowed:
            self.policy_label.setText(
                self.tr(
                    "Sin ticket se devuelve solo como vale de compra, al precio más bajo de los "
                    "últimos {days} días (nunca más de lo que cuesta hoy)."
                ).format(days=policy.no_receipt_price_days)
            )
            self.code_field.setFocus()
        else:
            self.policy_label.setText("")
            QApplication.beep()
            set_banner(self.message_label, describe_error(ReceiptRequired()), "error")
        self._set_enabled(self.allowed)
        if not self.editors:
            self._show_lines()  # the hint to scan, now that the policy allows it
        self.policy_loaded.emit(policy)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.code_field, self.search_button):
            widget.setEnabled(enabled)
        self._update_total()

    # --- adding products -----------------------------------------------------------------
    def take_scan(self, code: str) -> bool:
        if not code.strip() or self.child is not None or not self.allowed:
            return False
        self.add_code(code)
        return True

    def _on_code_field_return_pressed(self) -> None:
        self.add_code(self.code_field.text())

    def add_code(self, code: str) -> None:
        if not code.strip() or self._busy:
            return
        service = self._service
        self._runner.run_db(
            lambda: service.item_for_code(code),
            weak_callback(self._on_item_found),
            weak_callback(self._on_failed),
        )

    def add_product(self, product_id: str) -> None:
        service = self._service
        self._runner.run_db(
            lambda: service.item_for_product(product_id),
            weak_callback(self._on_item_found),
            weak_callback(self._on_failed),
        )

    def _on_search_button_clicked(self) -> None:
        dialog = ProductSearchDialog(
            self._runner, self._service.search, self._fmt, self, initial_text=self.code_field.text()
        )
        self.child = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            self.child = None
            product: ProductRecord | None = dialog.selected_product
            if result == QDialog.DialogCode.Accepted and product is not None:
                self.add_product(product.product_id)

        dialog.finished.connect(finished)
        dialog.open()
        self.child_opened.emit(dialog)

    def _on_item_found(self, item: NoReceiptItem) -> None:
        if self.closed:
            return
        self.code_field.clear()
        for editors in self.editors:
            if editors.item.product_id == item.product_id:
                editors.quantity.stepUp()  # scanned again: one more
                self.item_added.emit(item)
                return
        kept = [
            (e.item, e.quantity_value(), e.reason.currentText(), e.disposition.currentData())
            for e in self.editors
        ]
        self._show_lines([*kept, (item, Decimal(1), "", Disposition.SELLABLE.value)])
        set_banner(
            self.message_label,
            self.tr("{name}: se devuelve a {price} la unidad.").format(
                name=item.name, price=self._fmt.money(item.unit_refund_cents)
            ),
            "info",
        )
        self.item_added.emit(item)

    # --- the lines -----------------------------------------------------------------------
    def _reasons(self) -> list[str]:
        return [
            "",
            self.tr("No le gusta / cambio de opinión"),
            self.tr("Defectuoso"),
            self.tr("Talla o modelo equivocado"),
            self.tr("Regalo repetido"),
            self.tr("Envase dañado"),
        ]

    def _show_lines(
        self, lines: list[tuple[NoReceiptItem, Decimal, str, str]] | None = None
    ) -> None:
        self.editors = []
        while self._grid.count():
            taken = self._grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        headers = (
            self.tr("Artículo"),
            self.tr("Precio hoy"),
            self.tr("Se devuelve/u."),
            self.tr("Cantidad"),
            self.tr("Motivo"),
            self.tr("Destino"),
            "",
        )
        if not lines:
            empty = QLabel(
                self.tr("Escanee o busque cada artículo que trae el cliente.")
                if self.allowed
                else ""
            )
            empty.setObjectName("noReceiptEmpty")
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._grid.addWidget(empty, 0, 0)
            self._grid.setRowStretch(0, 1)
            self._update_total()
            return
        self._grid.setRowStretch(0, 0)
        for column, text in enumerate(headers):
            self._grid.addWidget(QLabel(f"<b>{text}</b>"), 0, column)
        for row, (item, quantity_value, reason_text, where) in enumerate(lines or [], start=1):
            measure = Measure.WEIGHT if item.measure == "weight" else Measure.UNIT
            name = QLabel(item.name)
            name.setWordWrap(True)
            name.setMinimumHeight(TOUCH_HEIGHT)
            name.setMinimumWidth(200)
            self._grid.addWidget(name, row, 0)
            self._grid.addWidget(QLabel(self._fmt.money(item.catalog_price_cents)), row, 1)
            self._grid.addWidget(QLabel(self._fmt.money(item.unit_refund_cents)), row, 2)
            quantity: QSpinBox | QDoubleSpinBox
            if measure is Measure.WEIGHT:
                quantity = QDoubleSpinBox()
                quantity.setDecimals(3)
                quantity.setSingleStep(0.1)
                quantity.setMaximum(999.0)
                quantity.setValue(float(quantity_value))
            else:
                quantity = QSpinBox()
                quantity.setMaximum(999)
                quantity.setValue(int(quantity_value))
            quantity.setObjectName(f"noReceiptQuantity{row}")
            quantity.setMinimumHeight(TOUCH_HEIGHT)
            quantity.setMinimumWidth(80)
            quantity.setAlignment(Qt.AlignmentFlag.AlignCenter)
            quantity.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
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
                button.setObjectName(f"noReceiptQuantity{suffix}{row}")
                button.setFixedSize(TOUCH_HEIGHT, TOUCH_HEIGHT)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.clicked.connect(step)
                steps.addWidget(button)
                if suffix == "Less":
                    steps.addWidget(quantity)
            reason = QComboBox()
            reason.setObjectName(f"noReceiptReason{row}")
            reason.setEditable(True)
            reason.addItems(self._reasons())
            reason.setEditText(reason_text)
            reason.setMinimumHeight(TOUCH_HEIGHT)
            reason.setMinimumWidth(260)
            line_edit = reason.lineEdit()
            if line_edit is not None:
                line_edit.setPlaceholderText(self.tr("Motivo (obligatorio)"))
                line_edit.setMaxLength(200)
            disposition = QComboBox()
            disposition.setObjectName(f"noReceiptDisposition{row}")
            disposition.addItem(self.tr("A la venta"), Disposition.SELLABLE.value)
            disposition.addItem(self.tr("Dañado"), Disposition.DAMAGED.value)
            disposition.addItem(self.tr("Para el proveedor"), Disposition.SUPPLIER.value)
            disposition.setCurrentIndex(max(disposition.findData(where), 0))
            disposition.setMinimumHeight(TOUCH_HEIGHT)
            remove = QPushButton("✕")
            remove.setObjectName(f"noReceiptRemove{row}")
            remove.setToolTip(self.tr("Quitar"))
            remove.setFixedSize(TOUCH_HEIGHT, TOUCH_HEIGHT)
            remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            remove.clicked.connect(lambda _=False, at=row - 1: self.remove_line(at))
            self._grid.addWidget(stepper, row, 3)
            self._grid.addWidget(reason, row, 4)
            self._grid.addWidget(disposition, row, 5)
            self._grid.addWidget(remove, row, 6)
            self.editors.append(_LineEditors(item, quantity, reason, disposition))
        self._grid.setColumnStretch(0, 2)
        self._grid.setColumnStretch(4, 1)
        self._grid.setRowStretch(len(lines or []) + 1, 1)
        self._update_total()

    def remove_line(self, index: int) -> None:
        kept = [
            (e.item, e.quantity_value(), e.reason.currentText(), e.disposition.currentData())
            for i, e in enumerate(self.editors)
            if i != index
        ]
        self._show_lines(kept)

    def set_line(
        self,
        index: int,
        quantity: Decimal,
        reason: str = "",
        disposition: Disposition = Disposition.SELLABLE,
    ) -> None:
        """Fill one line's editors (as the cashier would)."""
        editors = self.editors[index]
        if isinstance(editors.quantity, QDoubleSpinBox):
            editors.quantity.setValue(float(quantity))
        else:
            editors.quantity.setValue(int(quantity))
        editors.reason.setEditText(reason)
        editors.disposition.setCurrentIndex(editors.disposition.findData(disposition.value))

    def lines(self) -> list[NoReceiptLine]:
        return [e.line() for e in self.editors if e.quantity_value() > 0]

    def refund_cents(self) -> int:
        return self._service.refund_total(self.lines())

    def _update_total(self) -> None:
        cents = self.refund_cents()
        self.total_label.setText(
            self.tr("Total en vale de compra: {amount}").format(amount=self._fmt.money(cents))
        )
        self.return_button.setEnabled(self.allowed and cents > 0 and not self._busy)

    # --- the return ----------------------------------------------------------------------
    def _on_return_button_clicked(self) -> None:
        self.complete()

    def complete(self, approval: Approval | None = None) -> None:
        if self._busy or not self.allowed:
            return
        lines = self.lines()
        service = self._service
        self._busy = True
        self.return_button.setEnabled(False)
        self._runner.run_db(
            lambda: service.complete_return(lines, approval),
            weak_callback(self._on_completed),
            weak_callback(self._on_complete_failed),
        )

    def _on_complete_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_total()
        self._on_failed(exc)

    def _on_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        if isinstance(exc, ManagerApprovalRequired) and self._staff is not None:
            self._ask_manager(exc)
            return
        QApplication.beep()
        set_banner(self.message_label, describe_error(exc, self._fmt.locale), "error")

    def _ask_manager(self, request: ManagerApprovalRequired) -> None:
        assert self._staff is not None

        def finished(approval: Approval | None) -> None:
            self.child = None
            if approval is not None:
                self.complete(approval)
            else:
                set_banner(
                    self.message_label,
                    self.tr("Devolución sin ticket no autorizada: no se ha hecho."),
                    "error",
                )

        self.child = open_override(self, self._runner, self._staff, request, self._fmt, finished)
        self.child_opened.emit(self.child)

    def _on_completed(self, done: ReturnCompleted) -> None:
        self._busy = False
        self.last_return = done
        record = done.record
        self._done_text = self.tr(
            "Devolución sin ticket {number} hecha: vale de compra {code} por {amount} (se "
            "imprime ahora)."
        ).format(
            number=record.return_number,
            code=record.refunds[0].reference,
            amount=self._fmt.money(record.total_cents),
        )
        self.return_completed.emit(done)
        if not self.closed:
            set_banner(self.message_label, self._done_text, "success")
            self._show_lines()
            self.code_field.setFocus()
        print_return_receipt(
            self._runner,
            self._service.returns,
            record.return_id,
            on_done=weak_callback(self._on_printed),
            on_error=weak_callback(self._on_failed),
        )

    def _on_printed(self, result: ReceiptPrinted) -> None:
        self.receipt_printed.emit(result)
        if self.closed:
            return
        if result.ok:
            set_banner(self.message_label, self._done_text, "success")
        else:
            set_banner(
                self.message_label,
                self.tr(
                    "{done} El vale NO se ha impreso ({error}); la devolución y el vale están "
                    "guardados."
                ).format(done=self._done_text, error=result.error),
                "error",
            )
