"""The till's screens (⇧F3 "Caja"): open the till with a counted float, cash in and out with a
reason, the X report, and the Z close with a blind count.

The count is a grid of the euro's notes and coins, each a large spin box (touch: buttons to
add and take away, or type the number), the total updated as it is typed. The Z close shows no
expected amount until the count is confirmed: then the result (expected, counted, difference)
and the Z report as it prints. Every use case runs on the database worker; printing on the I/O
pool. Errors are shown in the dialog's banner by ``describe_error``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import Money
from pos_app.domain.permissions import Approval
from pos_app.domain.till import COINS, MAX_PIECES, NOTES, CashCount
from pos_app.services.errors import ManagerApprovalRequired
from pos_app.services.ports import ReceiptPrinter
from pos_app.services.staff import StaffService
from pos_app.services.till import CashMoved, TillClosed, TillOpened, TillReport, TillService
from pos_app.ui.error_messages import describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.override_dialog import open_override
from pos_app.ui.qt_helpers import TOUCH_HEIGHT, set_banner, touch_button, weak_callback
from pos_app.ui.receipt_preview_dialog import RECEIPT_WIDTH, make_receipt_view, set_receipt_text
from pos_app.ui.task_runner import Runner

_STYLE = """
QLabel#countTotal, QLabel#tillDifference { font-size: 24px; font-weight: bold; }
QLabel#tillExpected, QLabel#tillCounted { font-size: 18px; }
QLabel[denomination="true"] { font-size: 16px; font-weight: bold; }
QLabel[sub="true"] { color: #444; }
QSpinBox { font-size: 18px; }
"""


def _denomination_text(fmt: Formatter, cents: int) -> str:
    return fmt.money(cents).replace(",00", "") if cents >= 100 else fmt.money(cents)


class CashCountWidget(QWidget):
    """A count of the drawer: one row per note and coin, the total as it is typed."""

    total_changed = Signal(int)  # cents

    def __init__(self, formatter: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fmt = formatter
        self.boxes: dict[int, QSpinBox] = {}
        self._subtotals: dict[int, QLabel] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for title, pieces in ((self.tr("Billetes"), NOTES), (self.tr("Monedas"), COINS)):
            group = QGroupBox(title)
            grid = QGridLayout(group)
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(4)
            for i, cents in enumerate(pieces):
                label = QLabel(_denomination_text(formatter, cents))
                label.setProperty("denomination", True)
                label.setMinimumWidth(80)
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                box = QSpinBox()
                box.setObjectName(f"count{cents}")
                box.setRange(0, MAX_PIECES)
                box.setMinimumHeight(TOUCH_HEIGHT - 8)
                box.setMinimumWidth(100)
                box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
                box.setAlignment(Qt.AlignmentFlag.AlignRight)
                box.setAccessibleName(self.tr("Cantidad de {piece}").format(piece=label.text()))
                box.valueChanged.connect(self._on_box_value_changed)
                sub = QLabel(formatter.money(0))
                sub.setProperty("sub", True)
                sub.setMinimumWidth(110)
                sub.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                less = self._step_button("−", box, -1, f"less{cents}")
                more = self._step_button("+", box, 1, f"more{cents}")
                grid.addWidget(label, i, 0)
                grid.addWidget(less, i, 1)
                grid.addWidget(box, i, 2)
                grid.addWidget(more, i, 3)
                grid.addWidget(sub, i, 4)
                self.boxes[cents] = box
                self._subtotals[cents] = sub
            grid.setRowStretch(len(pieces), 1)
            row.addWidget(group)
        self.total_label = QLabel("")
        self.total_label.setObjectName("countTotal")
        self._refresh()

    @staticmethod
    def _step_button(text: str, box: QSpinBox, step: int, name: str) -> QPushButton:
        """A finger-sized "−" or "+" beside the number (which can also be typed)."""
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFixedSize(TOUCH_HEIGHT, TOUCH_HEIGHT - 8)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(True)
        button.clicked.connect(lambda: box.stepBy(step))
        return button

    def count(self) -> CashCount:
        return CashCount({cents: box.value() for cents, box in self.boxes.items()})

    def set_pieces(self, cents: int, pieces: int) -> None:
        self.boxes[cents].setValue(pieces)

    def set_count(self, count: CashCount) -> None:
        for cents, box in self.boxes.items():
            box.setValue(count.of(cents))

    def _on_box_value_changed(self, _value: int) -> None:
        self._refresh()

    def _refresh(self) -> None:
        for cents, box in self.boxes.items():
            self._subtotals[cents].setText(self._fmt.money(cents * box.value()))
        total = self.count().total_cents
        self.total_label.setText(
            self.tr("Total contado: {amount}").format(amount=self._fmt.money(total))
        )
        self.total_changed.emit(total)


class _TillChildDialog(QDialog):
    """What the till's dialogs share: a banner, the runner, the service, busy state."""

    def __init__(
        self, runner: Runner, service: TillService, formatter: Formatter, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._service = service
        self._fmt = formatter
        self._busy = False
        self.closed = False
        self.message_label = QLabel("")
        self.message_label.setObjectName("messageBanner")
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumHeight(40)
        set_banner(self.message_label, "", "info")
        self.setStyleSheet(_STYLE)

    def done(self, result: int) -> None:
        self.closed = True
        super().done(result)

    def _add_count(
        self, layout: QVBoxLayout, confirm: QPushButton, cancel: QPushButton
    ) -> CashCountWidget:
        """The denomination grid, then its running total, ``confirm`` and ``cancel``."""
        counter = CashCountWidget(self._fmt)
        layout.addWidget(counter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(counter.total_label, 1)
        cancel.clicked.connect(self.reject)
        bottom.addWidget(confirm)
        bottom.addWidget(cancel)
        layout.addLayout(bottom)
        return counter

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        if self.closed:
            return
        QApplication.beep()
        set_banner(self.message_label, describe_error(exc, self._fmt.locale), "error")


class OpenTillDialog(_TillChildDialog):
    """Open the till: the float counted by denomination."""

    till_opened = Signal(object)  # TillOpened

    def __init__(
        self,
        runner: Runner,
        service: TillService,
        formatter: Formatter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, service, formatter, parent)
        self.setObjectName("openTillDialog")
        self.setWindowTitle(self.tr("Abrir caja"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Cuente el fondo de caja: cuántos billetes y monedas de cada valor hay en el cajón."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.message_label)
        self.open_button = touch_button(self.tr("Abrir caja"), "openTillButton")
        self.open_button.setMinimumWidth(200)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        cancel = touch_button(self.tr("Cancelar (Esc)"), "cancelTillButton")
        self.counter = self._add_count(layout, self.open_button, cancel)

    def _on_open_button_clicked(self) -> None:
        self.confirm()

    def confirm(self) -> None:
        if self._busy:
            return
        self._busy = True
        service, count = self._service, self.counter.count()
        self._runner.run_db(
            lambda: service.open_till(count),
            weak_callback(self._on_opened),
            weak_callback(self._on_failed),
        )

    def _on_opened(self, opened: TillOpened) -> None:
        self._busy = False
        self.till_opened.emit(opened)
        if not self.closed:
            self.accept()


class CashMovementDialog(_TillChildDialog):
    """Cash in (``kind`` "in") or out ("out"): an amount and a reason. A cash out beyond the
    signed-in person's limits asks a manager and is retried with the approval."""

    cash_moved = Signal(object)  # CashMoved
    child_opened = Signal(object)

    def __init__(
        self,
        runner: Runner,
        service: TillService,
        formatter: Formatter,
        kind: str,
        parent: QWidget | None = None,
        *,
        staff: StaffService | None = None,
    ) -> None:
        super().__init__(runner, service, formatter, parent)
        self.kind = kind
        self._staff = staff
        self.child: QDialog | None = None
        self.setObjectName("cashMovementDialog")
        self.setMinimumWidth(560)
        out = kind == "out"
        self.setWindowTitle(
            self.tr("Salida de efectivo") if out else self.tr("Entrada de efectivo")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr("Importe que sale del cajón:")
                if out
                else self.tr("Importe que entra en el cajón:")
            )
        )
        self.amount_field = QLineEdit()
        self.amount_field.setObjectName("cashAmountField")
        self.amount_field.setMinimumHeight(TOUCH_HEIGHT)
        self.amount_field.setMaxLength(14)
        self.amount_field.setPlaceholderText(self.tr("Por ejemplo: 50,00"))
        self.amount_field.textEdited.connect(self._on_field_edited)
        layout.addWidget(self.amount_field)
        layout.addWidget(QLabel(self.tr("Motivo:")))
        self.reason_field = QComboBox()
        self.reason_field.setObjectName("cashReasonField")
        self.reason_field.setEditable(True)
        self.reason_field.setMinimumHeight(TOUCH_HEIGHT)
        reasons = (
            [
                "",
                self.tr("Ingreso en caja fuerte"),
                self.tr("Ingreso en el banco"),
                self.tr("Pago a proveedor"),
                self.tr("Gastos de la tienda"),
            ]
            if out
            else ["", self.tr("Cambio del banco"), self.tr("Más fondo de caja")]
        )
        self.reason_field.addItems(reasons)
        self.reason_field.editTextChanged.connect(self._on_field_edited)
        layout.addWidget(self.reason_field)
        layout.addWidget(self.message_label)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.confirm_button = touch_button(
            self.tr("Sacar efectivo") if out else self.tr("Meter efectivo"), "cashMoveButton"
        )
        self.confirm_button.setMinimumWidth(200)
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        cancel = touch_button(self.tr("Cancelar (Esc)"), "cancelCashButton")
        cancel.clicked.connect(self.reject)
        bottom.addWidget(self.confirm_button)
        bottom.addWidget(cancel)
        layout.addLayout(bottom)
        self.amount_field.setFocus()

    def _on_confirm_button_clicked(self) -> None:
        self.confirm()

    def _on_field_edited(self, _text: str) -> None:
        set_banner(self.message_label, "", "info")

    def confirm(self, approval: Approval | None = None) -> None:
        if self._busy:
            return
        try:
            cents = Money.parse(self.amount_field.text()).cents
        except ValueError:
            QApplication.beep()
            set_banner(
                self.message_label,
                self.tr("Escriba el importe en euros, por ejemplo 50,00."),
                "error",
            )
            return
        reason = self.reason_field.currentText()
        service = self._service
        self._busy = True
        if self.kind == "out":
            job: Callable[[], CashMoved] = lambda: service.cash_out(cents, reason, approval)  # noqa: E731
        else:
            job = lambda: service.cash_in(cents, reason)  # noqa: E731
        self._runner.run_db(job, weak_callback(self._on_moved), weak_callback(self._on_move_failed))

    def _on_move_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ManagerApprovalRequired) and self._staff is not None and not self.closed:
            self._busy = False
            self._ask_manager(exc)
            return
        self._on_failed(exc)

    def _ask_manager(self, request: ManagerApprovalRequired) -> None:
        assert self._staff is not None

        def finished(approval: Approval | None) -> None:
            self.child = None
            if approval is not None:
                self.confirm(approval)
            else:
                set_banner(
                    self.message_label,
                    self.tr("Salida de efectivo no autorizada: no se ha hecho."),
                    "error",
                )

        self.child = open_override(self, self._runner, self._staff, request, self._fmt, finished)
        self.child_opened.emit(self.child)

    def _on_moved(self, moved: CashMoved) -> None:
        self._busy = False
        self.cash_moved.emit(moved)
        if not self.closed:
            self.accept()


class TillReportView(QWidget):
    """A report as it prints (monospace, paper-wide) with a button to print it."""

    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preview = make_receipt_view(self)
        self.preview.setObjectName("tillReportPreview")
        layout.addWidget(self.preview, 1)

    def set_text(self, text: str) -> None:
        set_receipt_text(self.preview, text)
        self.fit()

    def fit(self) -> None:
        """As wide as the paper in the font the dialog's style sheet gives it (known only
        once the view is in its dialog)."""
        preview = self.preview
        preview.ensurePolished()
        metrics = QFontMetrics(preview.font())
        width = (
            metrics.horizontalAdvance("M" * (RECEIPT_WIDTH + 2))
            + 2 * preview.frameWidth()
            + 2 * int(preview.document().documentMargin())
            + preview.verticalScrollBar().sizeHint().width()
        )
        preview.setMinimumWidth(width)
        self.setMinimumWidth(width)


def _print_report(
    runner: Runner,
    service: TillService,
    printer: ReceiptPrinter | None,
    report: TillReport,
    banner: QLabel,
) -> None:
    if printer is None:
        set_banner(
            banner,
            QCoreApplication.translate("TillDialog", "No hay impresora configurada."),
            "error",
        )
        return

    def printed(_result: object) -> None:
        set_banner(banner, QCoreApplication.translate("TillDialog", "Informe impreso."), "success")

    def failed(exc: BaseException) -> None:
        set_banner(banner, describe_error(exc), "error")

    runner.run_io(lambda: service.print_report(printer, report), printed, failed)


class XReportDialog(_TillChildDialog):
    """The X report: the figures now; nothing changes."""

    def __init__(
        self,
        runner: Runner,
        service: TillService,
        formatter: Formatter,
        report: TillReport,
        parent: QWidget | None = None,
        *,
        printer: ReceiptPrinter | None = None,
    ) -> None:
        super().__init__(runner, service, formatter, parent)
        self.setObjectName("xReportDialog")
        self.setWindowTitle(self.tr("Informe X"))
        self.report = report
        self._printer = printer
        layout = QVBoxLayout(self)
        self.view = TillReportView()
        layout.addWidget(self.view, 1)
        self.view.set_text(service.preview_text(report))
        layout.addWidget(self.message_label)
        bottom = QHBoxLayout()
        self.print_button = touch_button(self.tr("Imprimir"), "printReportButton")
        self.print_button.clicked.connect(self._on_print_button_clicked)
        close = touch_button(self.tr("Cerrar (Esc)"), "closeReportButton")
        close.clicked.connect(self.reject)
        bottom.addStretch(1)
        bottom.addWidget(self.print_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.resize(self.view.preview.minimumWidth() + 40, 700)

    def _on_print_button_clicked(self) -> None:
        _print_report(self._runner, self._service, self._printer, self.report, self.message_label)


class CloseTillDialog(_TillChildDialog):
    """The Z close: first the blind count (nothing expected shown), then the result and the Z
    report, printed at once when there is a printer."""

    till_closed = Signal(object)  # TillClosed

    def __init__(
        self,
        runner: Runner,
        service: TillService,
        formatter: Formatter,
        parent: QWidget | None = None,
        *,
        printer: ReceiptPrinter | None = None,
    ) -> None:
        super().__init__(runner, service, formatter, parent)
        self.setObjectName("closeTillDialog")
        self.setWindowTitle(self.tr("Cierre de caja (Z)"))
        self._printer = printer
        self.closed_result: TillClosed | None = None
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message_label)

        # Page 1: the blind count.
        count_page = QWidget()
        col = QVBoxLayout(count_page)
        col.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(
            self.tr(
                "Cuente todo el efectivo del cajón, billete a billete y moneda a moneda. La caja "
                "le dirá lo que esperaba cuando confirme el recuento."
            )
        )
        intro.setWordWrap(True)
        col.addWidget(intro)
        self.close_button = touch_button(self.tr("Confirmar recuento y cerrar"), "closeTillButton")
        self.close_button.setMinimumWidth(280)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        cancel = touch_button(self.tr("Cancelar (Esc)"), "cancelCloseButton")
        self.counter = self._add_count(col, self.close_button, cancel)
        self.pages.addWidget(count_page)

        # Page 2: the result and the Z report.
        result_page = QWidget()
        row = QHBoxLayout(result_page)
        row.setContentsMargins(0, 0, 0, 0)
        figures = QVBoxLayout()
        self.z_label = QLabel("")
        self.z_label.setObjectName("tillZNumber")
        self.expected_label = QLabel("")
        self.expected_label.setObjectName("tillExpected")
        self.counted_label = QLabel("")
        self.counted_label.setObjectName("tillCounted")
        self.difference_label = QLabel("")
        self.difference_label.setObjectName("tillDifference")
        self.backup_label = QLabel("")
        self.backup_label.setObjectName("tillBackup")
        self.backup_label.setWordWrap(True)
        for label in (
            self.z_label,
            self.expected_label,
            self.counted_label,
            self.difference_label,
            self.backup_label,
        ):
            figures.addWidget(label)
        figures.addStretch(1)
        buttons = QHBoxLayout()
        self.print_button = touch_button(self.tr("Imprimir de nuevo"), "printReportButton")
        self.print_button.clicked.connect(self._on_print_button_clicked)
        done = touch_button(self.tr("Terminar"), "finishCloseButton")
        done.clicked.connect(self.accept)
        buttons.addWidget(self.print_button)
        buttons.addWidget(done)
        figures.addLayout(buttons)
        row.addLayout(figures, 1)
        self.view = TillReportView()
        row.addWidget(self.view, 0)
        self.pages.addWidget(result_page)
        self.setMinimumSize(1000, 700)

    def _on_close_button_clicked(self) -> None:
        self.confirm()

    def confirm(self) -> None:
        if self._busy or self.closed_result is not None:
            return
        self._busy = True
        self.close_button.setEnabled(False)
        service, count = self._service, self.counter.count()
        set_banner(self.message_label, self.tr("Cerrando la caja…"), "info")
        self._runner.run_db(
            lambda: service.close_z(count),
            weak_callback(self._on_closed),
            weak_callback(self._on_close_failed),
        )

    def _on_close_failed(self, exc: BaseException) -> None:
        self.close_button.setEnabled(True)
        self._on_failed(exc)

    def _on_closed(self, closed: TillClosed) -> None:
        self._busy = False
        self.closed_result = closed
        self.till_closed.emit(closed)
        if self.closed:
            return
        report = closed.report
        f = report.figures
        difference = report.difference_cents or 0
        self.z_label.setText(self.tr("Cierre {number}").format(number=report.z_number))
        self.expected_label.setText(
            self.tr("Efectivo esperado: {amount}").format(
                amount=self._fmt.money(f.expected_cash_cents)
            )
        )
        counted = report.counted.total_cents if report.counted is not None else 0
        self.counted_label.setText(
            self.tr("Efectivo contado: {amount}").format(amount=self._fmt.money(counted))
        )
        if difference == 0:
            text, color = self.tr("Cuadra: sin diferencia"), "#1a7f37"
        elif difference > 0:
            text = self.tr("Sobran {amount}").format(amount=self._fmt.money(difference))
            color = "#9a6700"
        else:
            text = self.tr("Faltan {amount}").format(amount=self._fmt.money(-difference))
            color = "#c62828"
        self.difference_label.setText(text)
        self.difference_label.setStyleSheet(f"color: {color};")
        if closed.backup_error:
            self.backup_label.setText(
                self.tr(
                    "La copia de seguridad NO se ha hecho ({error}); el cierre está guardado. "
                    "Avise al encargado."
                ).format(error=closed.backup_error)
            )
            self.backup_label.setStyleSheet("color: #c62828;")
        elif closed.backup_path:
            self.backup_label.setText(self.tr("Copia de seguridad de la caja hecha."))
        self.view.set_text(self._service.preview_text(report))
        self.pages.setCurrentIndex(1)
        if self.width() < self.view.minimumWidth() + 480:
            self.resize(self.view.minimumWidth() + 480, self.height())
        set_banner(self.message_label, self.tr("Caja cerrada."), "success")
        if self._printer is not None:
            self._on_print_button_clicked()

    def _on_print_button_clicked(self) -> None:
        if self.closed_result is None:
            return
        _print_report(
            self._runner,
            self._service,
            self._printer,
            self.closed_result.report,
            self.message_label,
        )


class TillDialog(QDialog):
    """⇧F3 "Caja": the till's state and its actions."""

    till_changed = Signal()  # opened, cash moved or closed
    child_opened = Signal(object)

    def __init__(
        self,
        runner: Runner,
        service: TillService,
        formatter: Formatter,
        parent: QWidget | None = None,
        *,
        staff: StaffService | None = None,
        printer: ReceiptPrinter | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tillDialog")
        self.setWindowTitle(self.tr("Caja"))
        self.setMinimumWidth(560)
        self._runner = runner
        self._service = service
        self._fmt = formatter
        self._staff = staff
        self._printer = printer
        self.child: QDialog | None = None
        self.closed = False
        layout = QVBoxLayout(self)
        self.state_label = QLabel("")
        self.state_label.setObjectName("tillState")
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        self.message_label = QLabel("")
        self.message_label.setObjectName("messageBanner")
        self.message_label.setWordWrap(True)
        set_banner(self.message_label, "", "info")
        layout.addWidget(self.message_label)
        self.open_button = touch_button(self.tr("Abrir caja"), "tillOpenButton")
        self.cash_in_button = touch_button(self.tr("Entrada de efectivo"), "tillCashInButton")
        self.cash_out_button = touch_button(self.tr("Salida de efectivo"), "tillCashOutButton")
        self.x_button = touch_button(self.tr("Informe X"), "tillXButton")
        self.z_button = touch_button(self.tr("Cierre de caja (Z)"), "tillZButton")
        close = touch_button(self.tr("Cerrar (Esc)"), "closeTillDialogButton")
        self.open_button.clicked.connect(self.open_till)
        self.cash_in_button.clicked.connect(self._on_cash_in_button_clicked)
        self.cash_out_button.clicked.connect(self._on_cash_out_button_clicked)
        self.x_button.clicked.connect(self.x_report)
        self.z_button.clicked.connect(self.close_z)
        close.clicked.connect(self.reject)
        for button in (
            self.open_button,
            self.cash_in_button,
            self.cash_out_button,
            self.x_button,
            self.z_button,
            close,
        ):
            layout.addWidget(button)
        self.refresh()

    def done(self, result: int) -> None:
        self.closed = True
        super().done(result)

    def refresh(self) -> None:
        service = self._service
        self._runner.run_db(
            service.current, weak_callback(self._on_state), weak_callback(self._on_failed)
        )

    def _on_state(self, session: object) -> None:
        if self.closed:
            return
        is_open = session is not None
        if session is not None:
            from pos_app.domain.till import TillSession

            assert isinstance(session, TillSession)
            self.state_label.setText(
                self.tr("Caja abierta desde las {time} por {cashier}, fondo {amount}.").format(
                    time=session.opened_at.strftime("%H:%M"),
                    cashier=session.cashier,
                    amount=self._fmt.money(session.float_cents),
                )
            )
        else:
            self.state_label.setText(self.tr("Caja cerrada: ábrala para vender."))
        self.open_button.setEnabled(not is_open)
        for button in (self.cash_in_button, self.cash_out_button, self.x_button, self.z_button):
            button.setEnabled(is_open)

    def _on_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        QApplication.beep()
        set_banner(self.message_label, describe_error(exc, self._fmt.locale), "error")

    def _on_child_changed(self, _what: object) -> None:
        self.till_changed.emit()

    def _show_child(self, dialog: QDialog) -> QDialog:
        self.child = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(_result: int) -> None:
            self.child = None
            if not self.closed:
                self.refresh()

        dialog.finished.connect(finished)
        dialog.open()
        self.child_opened.emit(dialog)
        return dialog

    def open_till(self) -> OpenTillDialog:
        dialog = OpenTillDialog(self._runner, self._service, self._fmt, self)
        dialog.till_opened.connect(self._on_child_changed)
        self._show_child(dialog)
        return dialog

    def _on_cash_in_button_clicked(self) -> None:
        self.move_cash("in")

    def _on_cash_out_button_clicked(self) -> None:
        self.move_cash("out")

    def move_cash(self, kind: str) -> CashMovementDialog:
        dialog = CashMovementDialog(
            self._runner, self._service, self._fmt, kind, self, staff=self._staff
        )
        dialog.cash_moved.connect(self._on_child_changed)
        self._show_child(dialog)
        return dialog

    def x_report(self) -> None:
        service = self._service
        self._runner.run_db(
            service.x_report, weak_callback(self._on_x_report), weak_callback(self._on_failed)
        )

    def _on_x_report(self, report: TillReport) -> None:
        if self.closed:
            return
        self._show_child(
            XReportDialog(
                self._runner, self._service, self._fmt, report, self, printer=self._printer
            )
        )

    def close_z(self) -> CloseTillDialog:
        dialog = CloseTillDialog(
            self._runner, self._service, self._fmt, self, printer=self._printer
        )
        dialog.till_closed.connect(self._on_child_changed)
        self._show_child(dialog)
        return dialog
