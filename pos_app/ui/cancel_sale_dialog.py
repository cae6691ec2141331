"""Annul a completed sale ("Anular ticket…" in "Ventas de hoy"): a ticket issued by mistake.

On opening, the sale is checked on the database worker (``CancellationService.check``): a sale
that cannot be annulled (another till, already annulled, returned...) is refused at once with
the reason, before anybody types a PIN. Otherwise the dialog says what goes back in each tender
and asks a reason; "Anular ticket" runs the cancellation on the database worker, asking a
manager's PIN (``ManagerApprovalRequired`` -> the override dialog -> the same call again with
the approval). Once annulled, the cancellation receipt is printed on the I/O pool and shown; a
failed print is reported, never raised: the cancellation is saved.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.permissions import Approval
from pos_app.domain.sale import SaleRecord
from pos_app.services.cancellations import (
    CancellationPrinted,
    CancellationService,
    SaleCancelled,
)
from pos_app.services.errors import ManagerApprovalRequired
from pos_app.services.ports import SaleSummary
from pos_app.services.staff import StaffService
from pos_app.ui.error_messages import describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.override_dialog import open_override
from pos_app.ui.qt_helpers import set_banner, touch_button, weak_callback
from pos_app.ui.receipt_preview_dialog import make_receipt_view, set_receipt_text
from pos_app.ui.task_runner import Runner

log = logging.getLogger(__name__)

_STYLE = """
QLabel#cancelTitle { font-size: 22px; font-weight: bold; }
QLabel#cancelRefunds { font-size: 18px; }
"""


class CancelSaleDialog(QDialog):
    """Signals:
    sale_cancelled(object): the sale is annulled (``SaleCancelled``): committed, in the outbox.
    receipt_printed(object): the cancellation receipt's print ended (``CancellationPrinted``).
    child_opened(object): the manager's approval dialog opened (carries it).
    """

    sale_cancelled = Signal(object)
    receipt_printed = Signal(object)
    child_opened = Signal(object)

    def __init__(
        self,
        runner: Runner,
        service: CancellationService,
        sale: SaleSummary,
        formatter: Formatter,
        parent: QWidget | None = None,
        *,
        staff: StaffService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cancelSaleDialog")
        self._runner = runner
        self._service = service
        self._sale = sale
        self._fmt = formatter
        self._staff = staff
        self._busy = False
        self.closed = False
        self.cancellable = False
        self.done_cancellation: SaleCancelled | None = None
        self.child: QDialog | None = None
        self.setWindowTitle(self.tr("Anular ticket"))
        self.setMinimumWidth(640)
        self.setStyleSheet(_STYLE)

        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Anular el ticket {number}").format(number=sale.receipt_number))
        title.setObjectName("cancelTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(
            QLabel(
                self.tr("Venta de las {time} · {cashier} · {total}").format(
                    time=sale.completed_at.strftime("%H:%M"),
                    cashier=sale.cashier,
                    total=formatter.money(sale.total_cents),
                )
            )
        )
        note = QLabel(
            self.tr(
                "Se anula la venta entera: el ticket queda sin efecto (registro de anulación "
                "VERI*FACTU), el género vuelve al stock y se devuelve el dinero en la misma "
                "forma de pago. Necesita la autorización de un encargado."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.refunds_label = QLabel(self.tr("Comprobando la venta…"))
        self.refunds_label.setObjectName("cancelRefunds")
        self.refunds_label.setWordWrap(True)
        layout.addWidget(self.refunds_label)
        layout.addWidget(QLabel(self.tr("Motivo de la anulación:")))
        self.reason_field = QComboBox()
        self.reason_field.setObjectName("cancelReasonField")
        self.reason_field.setEditable(True)
        self.reason_field.setMinimumHeight(48)
        self.reason_field.addItems(
            [
                "",
                self.tr("Ticket emitido por error"),
                self.tr("Cobrado dos veces"),
                self.tr("Importe o forma de pago equivocados"),
                self.tr("El cliente no se lleva la compra"),
            ]
        )
        self.reason_field.editTextChanged.connect(self._on_reason_field_edited)
        layout.addWidget(self.reason_field)
        self.message_label = QLabel("")
        self.message_label.setObjectName("messageBanner")
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumHeight(40)
        set_banner(self.message_label, "", "info")
        layout.addWidget(self.message_label)
        self.preview = make_receipt_view(self, point_size=9)
        self.preview.setObjectName("cancellationPreview")
        self.preview.hide()
        layout.addWidget(self.preview, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.confirm_button = touch_button(self.tr("Anular ticket"), "confirmCancelButton")
        self.confirm_button.setMinimumWidth(200)
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        self.close_button = touch_button(self.tr("Cancelar (Esc)"), "closeCancelButton")
        self.close_button.clicked.connect(self.reject)
        bottom.addWidget(self.confirm_button)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        self.reason_field.setFocus()
        self._runner.run_db(
            partial(service.check, sale.sale_id),
            weak_callback(self._on_checked),
            weak_callback(self._on_refused),
        )

    # --- the check, before anything -----------------------------------------------------
    def _on_checked(self, sale: SaleRecord) -> None:
        if self.closed:
            return
        self.cancellable = True
        names = {
            "cash": self.tr("en efectivo"),
            "card": self.tr("a la tarjeta"),
        }
        parts = [
            f"{self._fmt.money(t.amount.cents)} {names.get(t.kind.value, t.kind.value)}"
            for t in sale.tenders
        ]
        self.refunds_label.setText(self.tr("Se devuelve: {what}").format(what=", ".join(parts)))
        self.confirm_button.setEnabled(True)

    def _on_refused(self, exc: BaseException) -> None:
        if self.closed:
            return
        self.cancellable = False
        self.refunds_label.setText(self.tr("Esta venta no se puede anular."))
        self.reason_field.setEnabled(False)
        self.confirm_button.setEnabled(False)
        set_banner(self.message_label, describe_error(exc, self._fmt.locale), "error")

    # --- annulling ----------------------------------------------------------------------
    def _on_reason_field_edited(self, _text: str) -> None:
        if self.done_cancellation is None and self.cancellable:
            set_banner(self.message_label, "", "info")

    def _on_confirm_button_clicked(self) -> None:
        self.confirm()

    def confirm(self, approval: Approval | None = None) -> None:
        """Annul the sale with the reason typed (and a manager's ``approval``, when given)."""
        if self._busy or not self.cancellable or self.done_cancellation is not None:
            return
        reason = self.reason_field.currentText().strip()
        if not reason:
            QApplication.beep()
            set_banner(self.message_label, self.tr("Escriba el motivo de la anulación."), "error")
            self.reason_field.setFocus()
            return
        self._busy = True
        self.confirm_button.setEnabled(False)
        self._runner.run_db(
            partial(self._service.cancel_sale, self._sale.sale_id, reason, approval),
            weak_callback(self._on_cancelled),
            weak_callback(self._on_cancel_failed),
        )

    def _on_cancel_failed(self, exc: BaseException) -> None:
        self._busy = False
        if self.closed:
            return
        if isinstance(exc, ManagerApprovalRequired) and self._staff is not None:
            self._ask_manager(exc)
            return
        QApplication.beep()
        self.confirm_button.setEnabled(self.cancellable)
        set_banner(self.message_label, describe_error(exc, self._fmt.locale), "error")

    def _ask_manager(self, request: ManagerApprovalRequired) -> None:
        assert self._staff is not None

        def finished(approval: Approval | None) -> None:
            self.child = None
            if approval is not None:
                self.confirm(approval)
                return
            self.confirm_button.setEnabled(self.cancellable)
            set_banner(
                self.message_label,
                self.tr("Anulación no autorizada: la venta sigue en pie."),
                "error",
            )

        self.child = open_override(self, self._runner, self._staff, request, self._fmt, finished)
        self.child_opened.emit(self.child)

    def _on_cancelled(self, done: SaleCancelled) -> None:
        self._busy = False
        self.done_cancellation = done
        self.sale_cancelled.emit(done)
        if self.closed:
            return
        cash = done.cash_cents
        if cash:
            text = self.tr("Ticket {number} anulado. Devuelva {amount} en efectivo.").format(
                number=done.sale.receipt_number, amount=self._fmt.money(cash)
            )
        else:
            text = self.tr("Ticket {number} anulado. Devolución a la tarjeta registrada.").format(
                number=done.sale.receipt_number
            )
        set_banner(self.message_label, text, "success")
        self.reason_field.setEnabled(False)
        self.confirm_button.hide()
        self.close_button.setText(self.tr("Cerrar"))
        service = self._service
        self._runner.run_db(
            partial(service.preview_text, done),
            weak_callback(self._on_preview_loaded),
            weak_callback(self._on_preview_failed),
        )
        self._runner.run_io(
            partial(service.print_receipt, done),
            weak_callback(self._on_printed),
            weak_callback(self._on_print_failed, done),
        )

    def _on_preview_loaded(self, text: str) -> None:
        if self.closed:
            return
        set_receipt_text(self.preview, text)
        self.preview.show()
        self.resize(self.width(), max(self.height(), 820))  # room for the receipt

    def _on_preview_failed(self, exc: BaseException) -> None:
        log.error("could not show the cancellation receipt", exc_info=exc)

    def _on_printed(self, printed: CancellationPrinted) -> None:
        self.receipt_printed.emit(printed)
        if self.closed or printed.ok:
            return
        set_banner(
            self.message_label,
            self.tr("Ticket anulado, pero no se pudo imprimir el justificante: {error}.").format(
                error=printed.error
            ),
            "error",
        )

    def _on_print_failed(self, done: SaleCancelled, exc: BaseException) -> None:
        log.error("cancellation receipt of %s failed", done.sale.receipt_number, exc_info=exc)
        self._on_printed(
            CancellationPrinted(
                done.cancellation_id, done.sale.receipt_number, False, describe_error(exc)
            )
        )

    def done(self, result: int) -> None:
        self.closed = True
        super().done(result)

    routes_scans = True

    def take_scan(self, _code: str) -> None:
        QApplication.beep()


def open_cancel_sale(
    parent: QWidget,
    runner: Runner,
    service: CancellationService,
    sale: SaleSummary,
    formatter: Formatter,
    *,
    staff: StaffService | None = None,
) -> CancelSaleDialog:
    """Open (window-modal, deleted on close) the cancellation of ``sale``."""
    dialog = CancelSaleDialog(runner, service, sale, formatter, parent, staff=staff)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
