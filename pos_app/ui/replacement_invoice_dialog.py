"""A full invoice for tickets already sold (F3, "factura en sustitución de facturas
simplificadas"), opened from "Ventas de hoy" with the selected ticket: more tickets of this
register (of any day still in the register) are added by scanning or typing their number; the
customer's NIF/NIE/CIF, name and address; "Emitir factura" issues it and prints it.

Every check and the issue itself run on the database worker, the print on the I/O pool (through
the task runner): a refused ticket or recipient is shown in the dialog, never raised. Once
issued, the invoice is saved before anything prints; a failed print says so and "Reimprimir"
prints a copy.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.receipts import PrintJob, ReceiptPrinted
from pos_app.services.replacement_invoices import (
    ReplaceableTicket,
    ReplacementInvoiceIssued,
    ReplacementInvoiceService,
)
from pos_app.ui.error_messages import describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.qt_helpers import (
    ALIGN_LEFT,
    ALIGN_RIGHT,
    TOUCH_HEIGHT,
    RowTableModel,
    ensure_readable_font,
    fit_columns,
    make_touch_table_view,
    weak_callback,
)
from pos_app.ui.receipt_preview_dialog import make_receipt_view, set_receipt_text
from pos_app.ui.task_runner import Runner

log = logging.getLogger(__name__)

_COLORS = {"error": "#b3261e", "success": "#1b5e20"}


class ReplaceableTicketTableModel(RowTableModel[ReplaceableTicket]):
    """The tickets the invoice will replace, in the order they were added."""

    TICKET, DATE, TOTAL = range(3)
    ALIGN_HEADERS = True

    def __init__(self, formatter: Formatter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._formatter = formatter

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Ticket"), self.tr("Fecha"), self.tr("Total"))

    def display(self, row: ReplaceableTicket, column: int) -> str | None:
        if column == self.TICKET:
            return row.receipt_number
        if column == self.DATE:
            return row.completed_at.strftime("%d/%m/%Y %H:%M")
        if column == self.TOTAL:
            return self._formatter.money(row.total_cents)
        return None

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return ALIGN_RIGHT if column == self.TOTAL else ALIGN_LEFT


class ReplacementInvoiceDialog(QDialog):
    """Tickets, recipient, "Emitir factura (F12)"; then the invoice's preview and print.

    Signals:
        ticket_added(str): this ticket number was checked and is in the list.
        ticket_refused(str): a ticket could not be added; carries the message shown.
        invoice_issued(object): the invoice is saved (``ReplacementInvoiceIssued``).
        issue_failed(str): the invoice was refused (a ticket, the recipient); the message.
        print_finished(object): a print of the invoice ended (``ReceiptPrinted``).
    """

    ticket_added = Signal(str)
    ticket_refused = Signal(str)
    invoice_issued = Signal(object)
    issue_failed = Signal(str)
    print_finished = Signal(object)

    def __init__(
        self,
        runner: Runner,
        invoices: ReplacementInvoiceService,
        formatter: Formatter,
        parent: QWidget | None = None,
        *,
        tickets: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._invoices = invoices
        self._formatter = formatter
        self._busy = False
        self._closed = False
        self.issued: ReplacementInvoiceIssued | None = None

        self.setWindowTitle(self.tr("Factura de tickets (sustituye a tickets)"))
        ensure_readable_font(self)

        # --- the tickets ---
        self.ticket_field = QLineEdit(self)
        self.ticket_field.setObjectName("ticketField")
        self.ticket_field.setPlaceholderText(self.tr("Escanee o teclee el número de ticket"))
        self.ticket_field.returnPressed.connect(self._on_ticket_field_return_pressed)
        self.add_button = QPushButton(self.tr("Añadir ticket"), self)
        self.add_button.setObjectName("addTicketButton")
        self.add_button.setMinimumHeight(TOUCH_HEIGHT)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._on_ticket_field_return_pressed)
        self.remove_button = QPushButton(self.tr("Quitar"), self)
        self.remove_button.setObjectName("removeTicketButton")
        self.remove_button.setMinimumHeight(TOUCH_HEIGHT)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.model = ReplaceableTicketTableModel(formatter, self)
        self.tickets_view = make_touch_table_view(
            self.model, self, object_name="ticketsView", stretch_column=self.model.TICKET
        )
        self.total_label = QLabel(self)
        self.total_label.setObjectName("invoiceTotalLabel")
        font = self.total_label.font()
        font.setBold(True)
        self.total_label.setFont(font)

        tickets_box = QGroupBox(self.tr("Tickets que sustituye"), self)
        entry = QHBoxLayout()
        entry.addWidget(self.ticket_field, 1)
        entry.addWidget(self.add_button)
        entry.addWidget(self.remove_button)
        tickets_layout = QVBoxLayout(tickets_box)
        tickets_layout.addLayout(entry)
        tickets_layout.addWidget(self.tickets_view, 1)
        tickets_layout.addWidget(self.total_label)

        # --- the customer ---
        self.tax_id_field = QLineEdit(self)
        self.tax_id_field.setObjectName("taxIdField")
        self.tax_id_field.setPlaceholderText(self.tr("NIF / NIE / CIF"))
        self.name_field = QLineEdit(self)
        self.name_field.setObjectName("nameField")
        self.name_field.setPlaceholderText(self.tr("Nombre o razón social"))
        self.address_field = QLineEdit(self)
        self.address_field.setObjectName("addressField")
        self.address_field.setPlaceholderText(self.tr("Calle y número"))
        self.city_field = QLineEdit(self)
        self.city_field.setObjectName("cityField")
        self.city_field.setPlaceholderText(self.tr("CP y población"))
        customer_box = QGroupBox(self.tr("Cliente"), self)
        form = QFormLayout(customer_box)
        form.addRow(self.tr("NIF / NIE / CIF"), self.tax_id_field)
        form.addRow(self.tr("Nombre"), self.name_field)
        form.addRow(self.tr("Domicilio"), self.address_field)
        form.addRow("", self.city_field)

        # --- the invoice, once issued ---
        self.preview = make_receipt_view(self, point_size=10)
        self.preview.setPlaceholderText(self.tr("La factura aparecerá aquí una vez emitida"))

        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        self.issue_button = QPushButton(self.tr("Emitir factura (F12)"), self)
        self.issue_button.setObjectName("issueButton")
        self.issue_button.setMinimumHeight(TOUCH_HEIGHT)
        self.issue_button.setAutoDefault(False)
        self.issue_button.setShortcut(QKeySequence(Qt.Key.Key_F12))
        self.issue_button.clicked.connect(self._on_issue_button_clicked)
        self.reprint_button = QPushButton(self.tr("Reimprimir (F5)"), self)
        self.reprint_button.setObjectName("reprintButton")
        self.reprint_button.setMinimumHeight(TOUCH_HEIGHT)
        self.reprint_button.setAutoDefault(False)
        self.reprint_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.reprint_button.setVisible(False)
        self.reprint_button.clicked.connect(self._on_reprint_button_clicked)
        self.close_button = QPushButton(self.tr("Cancelar (Esc)"), self)
        self.close_button.setObjectName("closeButton")
        self.close_button.setMinimumHeight(TOUCH_HEIGHT)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(tickets_box, 1)
        left.addWidget(customer_box)
        content = QHBoxLayout()
        content.addLayout(left, 1)
        content.addWidget(self.preview)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.issue_button)
        bottom.addWidget(self.reprint_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(content, 1)
        layout.addLayout(bottom)
        self.resize(1180, 720)

        self._show_total()
        for number in tickets:
            self.add_ticket(number)
        self.ticket_field.setFocus()

    # --- the tickets ----------------------------------------------------------------------
    def numbers(self) -> list[str]:
        return [ticket.receipt_number for ticket in self.model.rows()]

    def _on_ticket_field_return_pressed(self) -> None:
        self.add_ticket(self.ticket_field.text())

    def add_ticket(self, reference: str) -> None:
        """Check the ticket on the database worker; listed if it can be replaced."""
        reference = reference.strip()
        if not reference or self.issued is not None:
            return
        if reference.upper() in self.numbers():
            self._refuse(
                self.tr("El ticket {number} ya está en la lista.").format(number=reference)
            )
            return
        self._runner.run_db(
            partial(self._invoices.check_ticket, reference),
            weak_callback(self._on_ticket_checked),
            weak_callback(self._on_ticket_failed),
        )

    def _on_ticket_checked(self, ticket: ReplaceableTicket) -> None:
        if self._closed or self.issued is not None:
            return
        if ticket.receipt_number in self.numbers():
            return
        self.model.set_rows((*self.model.rows(), ticket))
        fit_columns(self.tickets_view, self.model.TICKET)
        self.ticket_field.clear()
        self._show_total()
        self._set_status(
            self.tr("Ticket {number} añadido.").format(number=ticket.receipt_number), "info"
        )
        self.ticket_added.emit(ticket.receipt_number)

    def _on_ticket_failed(self, exc: BaseException) -> None:
        if self._closed:
            return
        self._refuse(describe_error(exc))

    def _refuse(self, message: str) -> None:
        self._set_status(message, "error")
        self.ticket_field.selectAll()
        self.ticket_refused.emit(message)

    def _on_remove_button_clicked(self) -> None:
        row = self.tickets_view.currentIndex().row()
        if self.issued is not None or not 0 <= row < self.model.rowCount():
            return
        rows = list(self.model.rows())
        del rows[row]
        self.model.set_rows(rows)
        self._show_total()

    def _show_total(self) -> None:
        tickets = self.model.rows()
        total = self._formatter.money(sum(t.total_cents for t in tickets))
        if len(tickets) == 1:
            counted = self.tr("1 ticket")
        else:
            counted = self.tr("{count} tickets").format(count=len(tickets))
        self.total_label.setText(
            self.tr("{counted} · total de la factura {total}").format(counted=counted, total=total)
        )

    # --- issuing --------------------------------------------------------------------------
    def _on_issue_button_clicked(self) -> None:
        self.issue()

    def issue(self) -> None:
        """Issue the invoice (database worker), then show and print it."""
        if self._busy or self.issued is not None:
            return
        if not self.model.rowCount():
            self._set_status(self.tr("Añada al menos un ticket para hacer la factura."), "error")
            return
        self._busy = True
        self.issue_button.setEnabled(False)
        self._set_status(self.tr("Emitiendo la factura…"), "info")
        address = [self.address_field.text(), self.city_field.text()]
        self._runner.run_db(
            partial(
                self._invoices.issue,
                self.numbers(),
                self.tax_id_field.text(),
                self.name_field.text(),
                address,
            ),
            weak_callback(self._on_issued),
            weak_callback(self._on_issue_failed),
        )

    def _on_issued(self, issued: ReplacementInvoiceIssued) -> None:
        self._busy = False
        self.issued = issued
        self.invoice_issued.emit(issued)
        if self._closed:
            log.info("invoice %s issued after its dialog closed", issued.invoice_number)
            return
        for widget in (
            self.ticket_field,
            self.add_button,
            self.remove_button,
            self.tax_id_field,
            self.name_field,
            self.address_field,
            self.city_field,
        ):
            widget.setEnabled(False)
        self.issue_button.setVisible(False)
        self.reprint_button.setVisible(True)
        self.close_button.setText(self.tr("Cerrar (Esc)"))
        self._set_status(
            self.tr("Factura {number} emitida. Imprimiendo…").format(number=issued.invoice_number),
            "success",
        )
        self._runner.run_db(
            partial(self._invoices.preview_text, issued.invoice_id),
            weak_callback(self._on_preview_loaded),
            weak_callback(self._on_preview_failed),
        )
        self._print(reprint=False)

    def _on_issue_failed(self, exc: BaseException) -> None:
        self._busy = False
        message = describe_error(exc)
        log.info("replacement invoice refused: %s", exc)
        if not self._closed:
            self.issue_button.setEnabled(True)
            self._set_status(message, "error")
        self.issue_failed.emit(message)

    def _on_preview_loaded(self, text: str) -> None:
        if not self._closed:
            set_receipt_text(self.preview, text)

    def _on_preview_failed(self, exc: BaseException) -> None:
        log.error("could not build the invoice's preview", exc_info=exc)
        if not self._closed:
            self._set_status(describe_error(exc), "error")

    # --- printing -------------------------------------------------------------------------
    def _on_reprint_button_clicked(self) -> None:
        self._print(reprint=True)

    def _print(self, *, reprint: bool) -> None:
        issued = self.issued
        if issued is None or self._busy:
            return
        self._busy = True
        self.reprint_button.setEnabled(False)
        invoices = self._invoices

        def prepared(job: PrintJob) -> None:
            self._runner.run_io(
                lambda: invoices.send(job),
                weak_callback(self._on_printed),
                weak_callback(self._on_print_failed, issued),
            )

        self._runner.run_db(
            partial(invoices.prepare_print, issued.invoice_id, reprint=reprint),
            prepared,
            weak_callback(self._on_print_failed, issued),
        )

    def _on_printed(self, printed: ReceiptPrinted) -> None:
        self._busy = False
        self.print_finished.emit(printed)
        if self._closed:
            return
        self.reprint_button.setEnabled(True)
        if printed.ok:
            self._set_status(
                self.tr("Factura {number} emitida e impresa.").format(
                    number=printed.receipt_number
                ),
                "success",
            )
        else:
            self._set_status(
                self.tr(
                    "Factura {number} emitida y guardada, pero no se pudo imprimir: {error}. "
                    "Pulse Reimprimir."
                ).format(number=printed.receipt_number, error=printed.error),
                "error",
            )

    def _on_print_failed(self, issued: ReplacementInvoiceIssued, exc: BaseException) -> None:
        log.error("invoice %s not printed", issued.invoice_number, exc_info=exc)
        self._on_printed(
            ReceiptPrinted(
                issued.invoice_id, issued.invoice_number, False, False, describe_error(exc)
            )
        )

    # --- closing and status ---------------------------------------------------------------
    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)

    def _set_status(self, text: str, kind: str) -> None:
        """``kind``: info, success or error (the colour of the text)."""
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {_COLORS[kind]};" if kind in _COLORS else "")
