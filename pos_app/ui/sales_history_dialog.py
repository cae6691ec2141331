"""Today's sales and returns of this register: find one, see its receipt, print a copy or its
gift receipt (ticket regalo: no prices, returned as store credit only). Right after a sale it is
the first of the list, already selected: "Ticket regalo (F6)" prints it at once. A return shows
its number, its original ticket and its amount (negative); its receipt is reprinted as a copy.
"Factura (F8)" makes a full invoice replacing the selected ticket (F3), with more tickets of
this register if the customer brings them.
"Anular ticket…" annuls the selected sale of the open till (a ticket issued by mistake: the
VERI*FACTU anulación), with a manager's PIN (``cancel_sale_dialog.py``).

Everything the dialog reads goes through the task runner (the list and each preview on the
database worker, the reprint on the I/O pool), so a slow disk or a stuck printer never freezes
the screen. A failed reprint is reported, never raised: the sale is already saved.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.cancellations import CancellationService, SaleCancelled
from pos_app.services.ports import SaleSummary
from pos_app.services.receipts import ReceiptPrinted, ReceiptService
from pos_app.services.replacement_invoices import ReplacementInvoiceService
from pos_app.services.returns import ReturnsService
from pos_app.services.staff import StaffService
from pos_app.ui.cancel_sale_dialog import CancelSaleDialog, open_cancel_sale
from pos_app.ui.error_messages import describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.printing import print_gift_receipt, print_receipt, print_return_receipt
from pos_app.ui.qt_helpers import (
    TOUCH_HEIGHT,
    ensure_readable_font,
    fit_columns,
    make_touch_table_view,
    weak_callback,
)
from pos_app.ui.receipt_preview_dialog import make_receipt_view, set_receipt_text
from pos_app.ui.replacement_invoice_dialog import ReplacementInvoiceDialog
from pos_app.ui.sale_summary_table_model import SaleSummaryTableModel
from pos_app.ui.task_runner import Runner

log = logging.getLogger(__name__)

_ERROR_COLOR = "#b3261e"
_PREVIEW_POINT_SIZE = 10


class SalesHistoryDialog(QDialog):
    """The day's sales (newest first), the selected sale's receipt, and "Reimprimir (F5)".

    Signals:
        sales_loaded(int): the day's sales (this many) are on screen.
        preview_loaded(str): the receipt of this sale id is in the preview.
        reprint_finished(object): a reprint ended; carries its ``ReceiptPrinted`` (``ok`` false
            and ``error`` set when the printer failed).
        gift_receipt_finished(object): a gift receipt's print ended (``ReceiptPrinted``); the
            preview then shows the gift receipt.
        invoice_dialog_opened(object): the replacement invoice's dialog (F8) is open; carries it.
        sale_cancelled(object): a sale was annulled ("Anular ticket…"; ``SaleCancelled``).
    """

    sales_loaded = Signal(int)
    preview_loaded = Signal(str)
    reprint_finished = Signal(object)
    gift_receipt_finished = Signal(object)
    invoice_dialog_opened = Signal(object)
    sale_cancelled = Signal(object)

    def __init__(
        self,
        runner: Runner,
        receipts: ReceiptService,
        formatter: Formatter,
        parent: QWidget | None = None,
        *,
        returns: ReturnsService | None = None,
        invoices: ReplacementInvoiceService | None = None,
        cancellations: CancellationService | None = None,
        staff: StaffService | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._receipts = receipts
        self._returns = returns  # set: the day's returns are listed too
        self._invoices = invoices  # set: "Factura (F8)" replaces tickets by a full invoice
        self._cancellations = cancellations  # set: "Anular ticket…" annuls a sale of the till
        self._staff = staff
        self.cancel_dialog: CancelSaleDialog | None = None
        self.invoice_dialog: ReplacementInvoiceDialog | None = None
        self._formatter = formatter
        self._preview_serial = 0  # bumped on every change of selection: older previews are stale
        self._printing = False
        self._closed = False  # answers arriving after the dialog closed are dropped
        self._status_after_load = ""  # what to say once the list is read again

        self.setWindowTitle(self.tr("Ventas de hoy"))
        self.setMinimumSize(1000, 600)
        ensure_readable_font(self)

        self.model = SaleSummaryTableModel(formatter, self)
        self.sales_view = make_touch_table_view(
            self.model, self, object_name="salesView", stretch_column=SaleSummaryTableModel.CASHIER
        )
        fit_columns(self.sales_view, SaleSummaryTableModel.CASHIER)
        self.sales_view.selectionModel().currentRowChanged.connect(
            self._on_sales_view_current_row_changed
        )

        self.total_label = QLabel(self)
        self.total_label.setObjectName("dayTotalLabel")
        total_font = self.total_label.font()
        total_font.setBold(True)
        self.total_label.setFont(total_font)

        # A point smaller than the preview dialog's: the table needs the room beside it.
        self.preview = make_receipt_view(self, point_size=_PREVIEW_POINT_SIZE)
        self.preview.setPlaceholderText(self.tr("Seleccione una venta para ver su ticket"))

        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)

        self.reprint_button = QPushButton(self.tr("Reimprimir (F5)"), self)
        self.reprint_button.setObjectName("reprintButton")
        self.reprint_button.setMinimumHeight(TOUCH_HEIGHT)
        self.reprint_button.setAutoDefault(False)
        self.reprint_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.reprint_button.setEnabled(False)
        self.reprint_button.clicked.connect(self._on_reprint_button_clicked)
        self.gift_button = QPushButton(self.tr("Ticket regalo (F6)"), self)
        self.gift_button.setObjectName("giftReceiptButton")
        self.gift_button.setMinimumHeight(TOUCH_HEIGHT)
        self.gift_button.setAutoDefault(False)
        self.gift_button.setShortcut(QKeySequence(Qt.Key.Key_F6))
        self.gift_button.setEnabled(False)
        self.gift_button.setToolTip(
            self.tr("Imprime el ticket regalo de la venta: sin precios, para cambiar o devolver")
        )
        self.gift_button.clicked.connect(self._on_gift_button_clicked)
        self.invoice_button = QPushButton(self.tr("Factura (F8)"), self)
        self.invoice_button.setObjectName("replacementInvoiceButton")
        self.invoice_button.setMinimumHeight(TOUCH_HEIGHT)
        self.invoice_button.setAutoDefault(False)
        self.invoice_button.setShortcut(QKeySequence(Qt.Key.Key_F8))
        self.invoice_button.setEnabled(False)
        self.invoice_button.setVisible(invoices is not None)
        self.invoice_button.setToolTip(
            self.tr("Factura completa a nombre del cliente que sustituye a este ticket")
        )
        self.invoice_button.clicked.connect(self._on_invoice_button_clicked)
        self.cancel_button = QPushButton(self.tr("Anular ticket…"), self)
        self.cancel_button.setObjectName("cancelSaleButton")
        self.cancel_button.setMinimumHeight(TOUCH_HEIGHT)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setEnabled(False)
        self.cancel_button.setVisible(cancellations is not None)
        self.cancel_button.setToolTip(
            self.tr("Anula la venta entera (ticket emitido por error), con un encargado")
        )
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.close_button = QPushButton(self.tr("Cerrar (Esc)"), self)
        self.close_button.setObjectName("closeButton")
        self.close_button.setMinimumHeight(TOUCH_HEIGHT)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self.sales_view, 1)
        left.addWidget(self.total_label)
        content = QHBoxLayout()
        content.addLayout(left, 1)
        content.addWidget(self.preview)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.reprint_button)
        bottom.addWidget(self.gift_button)
        bottom.addWidget(self.invoice_button)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(content, 1)
        layout.addLayout(bottom)
        self.resize(1180, 700)

        self._show_day_total()
        self.sales_view.setFocus()
        self.reload()

    # --- the day's sales ----------------------------------------------------------------
    def reload(self) -> None:
        """Read the day's sales again (the selection returns to the newest)."""
        self._set_status(self.tr("Cargando ventas…"))
        self._runner.run_db(
            self._receipts.entries_of_day if self._returns else self._receipts.sales_of_day,
            weak_callback(self._on_sales_of_day_loaded),
            weak_callback(self._on_sales_failed),
        )

    def _on_sales_of_day_loaded(self, sales: list[SaleSummary]) -> None:
        if self._closed:
            return
        self.model.set_sales(sales)
        fit_columns(self.sales_view, SaleSummaryTableModel.CASHIER)
        self._show_day_total()
        if sales:
            self._set_status(self._status_after_load)
            self.sales_view.selectRow(0)
        else:
            self._set_status(self.tr("Hoy no hay ventas en esta caja."))
            self._show_preview_of(None)
        self._status_after_load = ""
        self.sales_loaded.emit(len(sales))

    def _on_sales_failed(self, exc: BaseException) -> None:
        log.error("could not read the day's sales", exc_info=exc)
        if not self._closed:
            self._set_status(describe_error(exc), error=True)

    def _show_day_total(self) -> None:
        entries = self.model.sales()
        count = sum(1 for entry in entries if entry.kind == "sale")
        # An annulled sale's money went back: it counts as a sale, not in the day's total.
        total = self._formatter.money(
            sum(entry.total_cents for entry in entries if not entry.cancelled)
        )
        if count == 1:
            counted = self.tr("1 venta")
        else:
            counted = self.tr("{count} ventas").format(count=count)
        returned = len(entries) - count
        if returned == 1:
            counted += ", " + self.tr("1 devolución")
        elif returned:
            counted += ", " + self.tr("{count} devoluciones").format(count=returned)
        cancelled = sum(1 for entry in entries if entry.cancelled)
        if cancelled == 1:
            counted += ", " + self.tr("1 anulada")
        elif cancelled:
            counted += ", " + self.tr("{count} anuladas").format(count=cancelled)
        self.total_label.setText(f"{counted} · {total}")

    def selected_sale(self) -> SaleSummary | None:
        row = self.sales_view.currentIndex().row()
        if 0 <= row < self.model.rowCount():
            return self.model.sale_at(row)
        return None

    # --- the receipt preview ------------------------------------------------------------
    def _on_sales_view_current_row_changed(
        self, current: QModelIndex, _previous: QModelIndex
    ) -> None:
        self._show_preview_of(self.model.sale_at(current.row()) if current.isValid() else None)

    def _show_preview_of(self, sale: SaleSummary | None) -> None:
        self._preview_serial += 1
        self.reprint_button.setEnabled(sale is not None and not self._printing)
        self._enable_sale_actions(sale)
        if sale is None:
            self.preview.clear()
            return
        serial = self._preview_serial
        sale_id = sale.sale_id
        preview = partial(self._receipts.preview_text, sale_id)
        if sale.kind == "return" and self._returns is not None:
            preview = partial(self._returns.preview_text, sale_id)
        self._runner.run_db(
            preview,  # no widget may reach the worker
            weak_callback(self._on_preview_text_loaded, serial, sale_id),
            weak_callback(self._on_preview_failed, serial),
        )

    def _on_preview_text_loaded(self, serial: int, sale_id: str, text: str) -> None:
        if self._closed or serial != self._preview_serial:
            return  # the dialog closed, or another sale was selected meanwhile
        set_receipt_text(self.preview, text)
        self.preview_loaded.emit(sale_id)

    def _on_preview_failed(self, serial: int, exc: BaseException) -> None:
        log.error("could not build the receipt preview", exc_info=exc)
        if self._closed or serial != self._preview_serial:
            return
        self.preview.clear()
        self._set_status(describe_error(exc), error=True)

    # --- reprinting ---------------------------------------------------------------------
    def _on_reprint_button_clicked(self) -> None:
        self.reprint_selected()

    def reprint_selected(self) -> None:
        """Print a copy of the selected sale's receipt (printer on the I/O pool)."""
        sale = self.selected_sale()
        if sale is None or self._printing:
            return
        self._printing = True
        self.reprint_button.setEnabled(False)
        self._set_status(
            self.tr("Imprimiendo copia del ticket {number}…").format(number=sale.receipt_number)
        )
        if sale.kind == "return" and self._returns is not None:
            print_return_receipt(
                self._runner,
                self._returns,
                sale.sale_id,
                reprint=True,
                on_done=weak_callback(self._on_reprint_done),
                on_error=weak_callback(self._on_reprint_failed, sale),
            )
            return
        print_receipt(
            self._runner,
            self._receipts,
            sale.sale_id,
            reprint=True,
            on_done=weak_callback(self._on_reprint_done),
            on_error=weak_callback(self._on_reprint_failed, sale),
        )

    def _on_reprint_done(self, printed: ReceiptPrinted) -> None:
        self._printing = False
        if self._closed:
            log.info("reprint of %s ended after its dialog closed", printed.receipt_number)
            return
        self.reprint_button.setEnabled(self.selected_sale() is not None)
        self._enable_sale_actions(self.selected_sale())
        if printed.ok:
            self._set_status(
                self.tr("Copia impresa del ticket {number}").format(number=printed.receipt_number)
            )
        else:
            self._set_status(
                self.tr("No se pudo imprimir: {error}. La venta está guardada.").format(
                    error=printed.error
                ),
                error=True,
            )
        self.reprint_finished.emit(printed)

    def _on_reprint_failed(self, sale: SaleSummary, exc: BaseException) -> None:
        """Not a printer failure (those come back in the result) but, say, a database error
        while logging the print: reported the same way, the sale is saved either way."""
        log.error("reprint of %s failed", sale.receipt_number, exc_info=exc)
        error = str(exc) or type(exc).__name__
        self._on_reprint_done(
            ReceiptPrinted(sale.sale_id, sale.receipt_number, copy=True, ok=False, error=error)
        )

    # --- gift receipts ------------------------------------------------------------------
    def _on_gift_button_clicked(self) -> None:
        self.print_gift_selected()

    def print_gift_selected(self) -> None:
        """Show and print the selected sale's gift receipt (printer on the I/O pool)."""
        sale = self.selected_sale()
        if sale is None or sale.kind != "sale" or self._printing:
            return
        self._printing = True
        self.reprint_button.setEnabled(False)
        self.gift_button.setEnabled(False)
        self._preview_serial += 1
        serial = self._preview_serial
        self._runner.run_db(
            partial(self._receipts.gift_preview_text, sale.sale_id),
            weak_callback(self._on_preview_text_loaded, serial, sale.sale_id),
            weak_callback(self._on_preview_failed, serial),
        )
        self._set_status(
            self.tr("Imprimiendo el ticket regalo de {number}…").format(number=sale.receipt_number)
        )
        print_gift_receipt(
            self._runner,
            self._receipts,
            sale.sale_id,
            on_done=weak_callback(self._on_gift_done),
            on_error=weak_callback(self._on_gift_failed, sale),
        )

    def _on_gift_done(self, printed: ReceiptPrinted) -> None:
        self._printing = False
        if self._closed:
            return
        self.reprint_button.setEnabled(self.selected_sale() is not None)
        self._enable_sale_actions(self.selected_sale())
        if printed.ok:
            self._set_status(
                self.tr("Ticket regalo de {number} impreso.").format(number=printed.receipt_number)
            )
        else:
            self._set_status(
                self.tr("No se pudo imprimir el ticket regalo: {error}.").format(
                    error=printed.error
                ),
                error=True,
            )
        self.gift_receipt_finished.emit(printed)

    def _on_gift_failed(self, sale: SaleSummary, exc: BaseException) -> None:
        log.error("gift receipt of %s failed", sale.receipt_number, exc_info=exc)
        error = describe_error(exc)
        self._on_gift_done(
            ReceiptPrinted(sale.sale_id, sale.receipt_number, copy=False, ok=False, error=error)
        )

    # --- a full invoice replacing tickets (F3) ----------------------------------------------
    def _enable_sale_actions(self, sale: SaleSummary | None) -> None:
        """The gift receipt and the invoice are a sale's (not a return's)."""
        is_sale = sale is not None and sale.kind == "sale" and not self._printing
        self.gift_button.setEnabled(is_sale)
        self.invoice_button.setEnabled(is_sale and self._invoices is not None)
        self.cancel_button.setEnabled(is_sale and self._cancellations is not None)

    def _on_invoice_button_clicked(self) -> None:
        self.open_invoice_dialog()

    def open_invoice_dialog(self) -> None:
        """The F3 dialog with the selected ticket (checked there: refused if cancelled,
        returned or already replaced); more tickets are added in it."""
        sale = self.selected_sale()
        if sale is None or sale.kind != "sale" or self._invoices is None:
            return
        dialog = ReplacementInvoiceDialog(
            self._runner, self._invoices, self._formatter, self, tickets=[sale.receipt_number]
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_invoice_dialog_finished)
        self.invoice_dialog = dialog
        dialog.open()
        self.invoice_dialog_opened.emit(dialog)

    def _on_invoice_dialog_finished(self, _result: int) -> None:
        self.invoice_dialog = None
        self.sales_view.setFocus()

    # --- annulling a sale ("Anular ticket…") -------------------------------------------------
    def _on_cancel_button_clicked(self) -> None:
        self.open_cancel_dialog()

    def open_cancel_dialog(self) -> None:
        """The cancellation of the selected sale (checked there first: refused with its
        reason when it cannot be annulled)."""
        sale = self.selected_sale()
        if sale is None or sale.kind != "sale" or self._cancellations is None:
            return
        dialog = open_cancel_sale(
            self, self._runner, self._cancellations, sale, self._formatter, staff=self._staff
        )
        dialog.sale_cancelled.connect(self._on_cancel_dialog_sale_cancelled)
        dialog.finished.connect(self._on_cancel_dialog_finished)
        self.cancel_dialog = dialog

    def _on_cancel_dialog_sale_cancelled(self, done: SaleCancelled) -> None:
        self.sale_cancelled.emit(done)
        if not self._closed:
            self._status_after_load = self.tr("Ticket {number} anulado.").format(
                number=done.sale.receipt_number
            )
            self.reload()  # the list marks the ticket annulled
            self._set_status(self._status_after_load)

    def _on_cancel_dialog_finished(self, _result: int) -> None:
        self.cancel_dialog = None
        self.sales_view.setFocus()

    # --- closing and status -------------------------------------------------------------
    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {_ERROR_COLOR};" if error else "")
