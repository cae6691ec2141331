"""The checkout screen a cashier uses all day.

Layout and wiring only: the cart lives in the service, changes go through the presenter, the
table reads a model. The scan field keeps the focus; every action has a function key shown on
its button, and the buttons are large enough for a finger.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hardware.status import DeviceState
from pos_app.domain.cart import Measure
from pos_app.domain.errors import PosError
from pos_app.domain.permissions import Approval
from pos_app.services.cancellations import CancellationService
from pos_app.services.checkout import CartView, SaleCompleted
from pos_app.services.customers import CustomerService
from pos_app.services.errors import ManagerApprovalRequired, WeightRequired
from pos_app.services.pickups import NewPickups, PickupCollection, PickupService
from pos_app.services.ports import DrawerOpening, ParkedSale, ProductRecord, StoreIdentity
from pos_app.services.receipts import ReceiptPrinted, ReceiptService
from pos_app.services.replacement_invoices import ReplacementInvoiceService
from pos_app.services.returns import ReturnsService
from pos_app.services.staff import StaffService, StaffSession
from pos_app.services.sync import SyncService, SyncStatus
from pos_app.services.till import TillService
from pos_app.ui.attention_dialog import AttentionDialog
from pos_app.ui.cart_table_model import CartTableModel
from pos_app.ui.checkout_presenter import CheckoutPresenter
from pos_app.ui.customers_dialog import CustomerDialog
from pos_app.ui.device_controller import DeviceController
from pos_app.ui.error_messages import describe_error
from pos_app.ui.exchange_banner import ExchangeBanner, exchange_done_text
from pos_app.ui.formatting import Formatter
from pos_app.ui.input_dialogs import DiscountDialog, QuantityDialog, TextPromptDialog
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.parked_sales_dialog import ParkedSalesDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.pickups_dialog import PickupsDialog
from pos_app.ui.receipt_preview_dialog import ReceiptPreviewDialog
from pos_app.ui.returns_dialog import ReturnsDialog
from pos_app.ui.sales_history_dialog import SalesHistoryDialog
from pos_app.ui.search_dialog import ProductSearchDialog
from pos_app.ui.sign_in_dialog import SignInDialog
from pos_app.ui.sync_status import SyncStatusWidget
from pos_app.ui.task_runner import Runner
from pos_app.ui.till_dialog import OpenTillDialog, TillDialog

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WindowOptions:
    cashier: str
    identity: StoreIdentity
    quick_amounts: tuple[int, ...] = (500, 1000, 2000, 5000)
    printer_name: str = ""


class ScanLineEdit(QLineEdit):
    """The scan field: arrows move through the cart, Delete on an empty field removes a line."""

    up_pressed = Signal()
    down_pressed = Signal()
    delete_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Up:
            self.up_pressed.emit()
        elif key == Qt.Key.Key_Down:
            self.down_pressed.emit()
        elif key == Qt.Key.Key_Delete and not self.text():
            self.delete_pressed.emit()
        else:
            super().keyPressEvent(event)


class MainWindow(QMainWindow):
    dialog_opened = Signal(object)  # the dialog, so tests and tools can drive it
    pickup_recorded = Signal()  # a pickup transition was written to the outbox
    pickups_announced = Signal(object)  # NewPickups: orders that came in, still waiting
    return_recorded = Signal(object)  # ReturnCompleted: a return.completed in the outbox
    customer_recorded = Signal(object)  # CustomerSaved: a customer.upserted in the outbox
    invoice_recorded = Signal(object)  # ReplacementInvoiceIssued: its F3 record in the outbox
    sale_cancelled = Signal(object)  # SaleCancelled: a sale.cancelled in the outbox

    PICKUP_POLL_MS = 3000  # a cheap read on the database worker: new pickup orders?

    def __init__(
        self,
        runner: Runner,
        presenter: CheckoutPresenter,
        receipts: ReceiptService,
        formatter: Formatter,
        options: WindowOptions,
        parent: QWidget | None = None,
        *,
        sync: SyncService | None = None,
        devices: DeviceController | None = None,
        pickups: PickupService | None = None,
        staff: StaffService | None = None,
        returns: ReturnsService | None = None,
        customers: CustomerService | None = None,
        till: TillService | None = None,
        invoices: ReplacementInvoiceService | None = None,
        cancellations: CancellationService | None = None,
    ) -> None:
        super().__init__(parent)
        self.cancellations = cancellations  # set: "Anular ticket…" in "Ventas de hoy"
        self.invoices = invoices  # set: "Factura (F8)" in "Ventas de hoy" (F3)
        self.devices = devices
        self.till = till  # set: the till must be open to sell (⇧F3 "Caja")
        self._till_prompt = False  # the "Abrir caja" screen waits for the open dialog
        self.returns = returns
        self.customers = customers
        self.pickups = pickups
        self.staff = staff
        self._pickup_mark: int | None = None
        self.setObjectName("mainWindow")
        self._runner = runner
        self.presenter = presenter
        self._receipts = receipts
        self._fmt = formatter
        self._options = options
        self._sync = sync
        self.active_dialog: QDialog | None = None
        ident = options.identity
        self.setWindowTitle(
            self.tr("Mostrador — {store} · Caja {register}").format(
                store=ident.store_name, register=ident.register_code
            )
        )
        self.setMinimumSize(1024, 700)

        central = QWidget()
        self.setCentralWidget(central)
        root = QVBoxLayout(central)
        root.setContentsMargins(10, 10, 10, 10)

        scan_row = QHBoxLayout()
        self.scan_field = ScanLineEdit()
        self.scan_field.setObjectName("scanField")
        self.scan_field.setPlaceholderText(
            self.tr("Escanee o escriba un código de barras o SKU y pulse Intro")
        )
        self.scan_field.setMinimumHeight(56)
        self.scan_field.returnPressed.connect(self._on_scan_field_return_pressed)
        self.scan_field.up_pressed.connect(lambda: self._move_selection(-1))
        self.scan_field.down_pressed.connect(lambda: self._move_selection(1))
        self.scan_field.delete_pressed.connect(self.remove_selected_line)
        scan_row.addWidget(self.scan_field, 1)
        root.addLayout(scan_row)

        self.message_label = QLabel("")
        self.message_label.setObjectName("messageBanner")
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumHeight(40)
        self._set_message("", "info")
        root.addWidget(self.message_label)
        self.exchange_banner = ExchangeBanner(formatter)  # a return's credit paying the sale
        self.exchange_banner.cancel_requested.connect(presenter.cancel_exchange)
        root.addWidget(self.exchange_banner)

        body = QHBoxLayout()
        self.cart_model = CartTableModel(formatter, self)
        self.cart_view = QTableView()
        self.cart_view.setObjectName("cartView")
        self.cart_view.setModel(self.cart_model)
        self.cart_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cart_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cart_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cart_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
        self.cart_view.verticalHeader().hide()
        self.cart_view.verticalHeader().setDefaultSectionSize(44)
        self.cart_view.setAlternatingRowColors(True)
        header = self.cart_view.horizontalHeader()
        header.setSectionResizeMode(CartTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        # Fixed widths sized for the widest plausible text: resizing to contents would re-read
        # every row at every scan, and a cart of 60 lines would feel it.
        metrics = self.cart_view.fontMetrics()
        samples = {1: "0,000 kg", 2: "9.999,99 €/kg", 3: "-999,99 €", 4: "99.999,99 €"}
        for col, sample in samples.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 28)
        body.addWidget(self.cart_view, 3)
        body.addWidget(self._build_totals_panel(), 1)
        root.addLayout(body, 1)

        root.addWidget(self._build_function_keys())
        self._build_status_bar()

        presenter.cart_changed.connect(self._on_presenter_cart_changed)
        presenter.scan_rejected.connect(self._on_presenter_scan_rejected)
        presenter.action_failed.connect(self._on_presenter_action_failed)
        presenter.sale_completed.connect(self._on_presenter_sale_completed)
        presenter.receipt_printed.connect(self._on_presenter_receipt_printed)
        presenter.sale_parked.connect(self._on_presenter_sale_parked)
        presenter.parked_sales_loaded.connect(self._on_presenter_parked_sales_loaded)
        presenter.sale_abandoned.connect(self._on_presenter_sale_abandoned)
        presenter.weight_required.connect(self._on_presenter_weight_required)
        presenter.approval_required.connect(self._on_presenter_approval_required)
        if devices is not None:
            devices.scanned.connect(self._on_device_scanned)
            devices.status_changed.connect(self._on_device_status_changed)
            devices.devices_applied.connect(self._on_devices_applied)
            presenter.cart_changed.connect(devices.show_cart)
            presenter.sale_completed.connect(self._on_sale_completed_for_devices)
        self._app = QApplication.instance()
        self._app.focusChanged.connect(self._on_app_focus_changed)  # type: ignore[union-attr]
        presenter.order_sale_started.connect(self._on_presenter_order_sale_started)
        presenter.cart_changed.connect(self.exchange_banner.show_view)
        self._on_presenter_cart_changed(presenter.view)
        self.scan_field.setFocus()
        if pickups is not None:
            # New orders appear without a restart: a cheap look at the local copy (which the
            # sync worker fills) every few seconds, and after each sync status.
            self._pickup_timer = QTimer(self)
            self._pickup_timer.setInterval(self.PICKUP_POLL_MS)
            self._pickup_timer.timeout.connect(self.check_new_pickups)
            self._pickup_timer.start()
            self.check_new_pickups()
        if staff is not None:
            # Staff published by the backend: nobody sells until someone signs in.
            self._runner.run_db(staff.has_staff, self._on_staff_checked, self._on_staff_failed)
        if till is not None:
            self.status_till = QLabel("")
            self.status_till.setObjectName("tillStatus")
            self.statusBar().addPermanentWidget(self.status_till)
            self.refresh_till(prompt=True)

    # --- building ------------------------------------------------------------------------
    def _build_totals_panel(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("totalsPanel")
        panel.setMinimumWidth(300)
        layout = QVBoxLayout(panel)
        self.customer_label = QLabel("")  # the customer attached to the sale
        self.customer_label.setObjectName("cartCustomerLabel")
        self.customer_label.setWordWrap(True)
        self.customer_label.setStyleSheet(
            "font-size: 17px; font-weight: bold; color: #1f5fbf; padding-bottom: 4px;"
        )
        self.customer_label.hide()
        layout.addWidget(self.customer_label)
        caption = QLabel(self.tr("TOTAL"))
        caption.setObjectName("totalCaption")
        self.total_label = QLabel("")
        self.total_label.setObjectName("totalFigure")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(caption)
        layout.addWidget(self.total_label)
        grid = QGridLayout()
        self.items_label = QLabel("")
        self.items_label.setObjectName("itemsFigure")
        self.discount_label = QLabel("")
        self.discount_label.setObjectName("discountFigure")
        grid.addWidget(QLabel(self.tr("Artículos")), 0, 0)
        grid.addWidget(self.items_label, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(QLabel(self.tr("Descuento")), 1, 0)
        grid.addWidget(self.discount_label, 1, 1, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(grid)
        tax_caption = QLabel(self.tr("Impuestos incluidos"))
        tax_caption.setObjectName("taxCaption")
        layout.addWidget(tax_caption)
        self.tax_label = QLabel("")
        self.tax_label.setObjectName("taxBreakdown")
        self.tax_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.tax_label)
        layout.addStretch(1)
        self.last_sale_label = QLabel("")
        self.last_sale_label.setObjectName("lastSaleLabel")
        self.last_sale_label.setWordWrap(True)
        layout.addWidget(self.last_sale_label)
        self.view_receipt_button = QPushButton(self.tr("Ver último ticket (F8)"))
        self.view_receipt_button.setObjectName("viewReceiptButton")
        self.view_receipt_button.setMinimumHeight(48)
        self.view_receipt_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view_receipt_button.setEnabled(False)
        self.view_receipt_button.clicked.connect(self.view_last_receipt)
        layout.addWidget(self.view_receipt_button)
        self.pay_button = QPushButton(self.tr("COBRAR (F12)"))
        self.pay_button.setObjectName("payButton")
        self.pay_button.setMinimumHeight(80)
        self.pay_button.clicked.connect(self.open_payment)
        layout.addWidget(self.pay_button)
        return panel

    def _build_function_keys(self) -> QWidget:
        bar = QFrame()
        bar.setObjectName("functionKeys")
        grid = QGridLayout(bar)
        grid.setSpacing(6)
        actions: list[tuple[str, str, str, Callable[[], None]]] = [
            ("F2", self.tr("Buscar"), "searchButton", self.open_search),
            ("F3", self.tr("Cantidad"), "quantityButton", self.change_quantity),
            ("F4", self.tr("Dto. línea"), "lineDiscountButton", self.line_discount),
            ("F5", self.tr("Dto. total"), "basketDiscountButton", self.basket_discount),
            ("Del", self.tr("Quitar línea"), "removeLineButton", self.remove_selected_line),
            ("F6", self.tr("Aparcar"), "parkButton", self.park_sale),
            ("F7", self.tr("Recuperar"), "resumeButton", self.resume_sale),
            ("F9", self.tr("Anular venta"), "abandonButton", self.abandon_sale),
            ("F10", self.tr("Reimprimir último"), "reprintLastButton", self.presenter.reprint_last),
            ("F11", self.tr("Ventas de hoy"), "historyButton", self.open_history),
        ]
        if self.pickups is not None:
            actions.insert(0, ("F1", self.tr("Recogidas"), "pickupsButton", self.open_pickups))
        if self.returns is not None:
            actions.append(
                ("Shift+F10", self.tr("Devoluciones"), "returnsButton", self.open_returns)
            )
        if self.customers is not None:
            actions.append(("Shift+F2", self.tr("Cliente"), "customerButton", self.open_customers))
        if self.till is not None:
            actions.append(("Shift+F3", self.tr("Caja"), "tillButton", self.open_till))
        if self.staff is not None:
            actions.append(
                ("Shift+F1", self.tr("Cambiar cajero"), "lockButton", self._on_lock_requested)
            )
        if self.devices is not None:
            actions += [
                ("Shift+F9", self.tr("Abrir cajón"), "openDrawerButton", self.open_drawer),
                ("Shift+F11", self.tr("Dispositivos"), "devicesButton", self.open_devices),
            ]
        columns = (len(actions) + 1) // 2
        for i, (key, label, name, slot) in enumerate(actions):
            caption = self.tr("Supr") if key == "Del" else key.replace("Shift+", "⇧")
            button = QPushButton(f"{caption}\n{label}")
            button.setObjectName(name)
            button.setMinimumHeight(64)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            grid.addWidget(button, i // columns, i % columns)
            if key != "Del":  # Delete acts in the scan field (only when it is empty)
                QShortcut(QKeySequence(key), self, slot)
        QShortcut(QKeySequence(Qt.Key.Key_F12), self, self.open_payment)
        QShortcut(QKeySequence(Qt.Key.Key_F8), self, self.view_last_receipt)
        # The last sale's gift receipt (also "Ticket regalo (F6)" in "Ventas de hoy", F11).
        QShortcut(QKeySequence("Ctrl+F10"), self, self.presenter.print_gift_last)
        return bar

    def _build_status_bar(self) -> None:
        self.status_store = QLabel("")
        self.status_store.setObjectName("storeStatus")
        self._show_cashier(self._options.cashier)
        printer = Path(self._options.printer_name).name if self._options.printer_name else "—"
        self.status_printer = QLabel(self.tr("Impresora: {name}").format(name=printer))
        self.status_printer.setToolTip(self._options.printer_name)
        self.status_printer.setObjectName("printerStatus")
        self.sync_status = SyncStatusWidget()
        self.sync_status.attention_requested.connect(self.open_attention)
        self.status_devices = QPushButton("")
        self.status_devices.setObjectName("deviceProblems")
        self.status_devices.setFlat(True)
        self.status_devices.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.status_devices.clicked.connect(self.open_devices)
        self.status_devices.hide()
        self.statusBar().addWidget(self.status_store, 1)
        self.statusBar().addPermanentWidget(self.status_devices)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.statusBar().addPermanentWidget(self.status_printer)

    # --- helpers -------------------------------------------------------------------------
    def _show_cashier(self, name: str) -> None:
        ident = self._options.identity
        self.status_store.setText(
            self.tr("{store} · Caja {register} · {cashier}").format(
                store=ident.store_name, register=ident.register_code, cashier=name
            )
        )

    def _set_message(self, text: str, kind: str) -> None:
        self.message_label.setText(text)
        self.message_label.setProperty("kind", kind)
        style = self.message_label.style()
        style.unpolish(self.message_label)
        style.polish(self.message_label)

    def _selected_row(self) -> int:
        index = self.cart_view.currentIndex()
        return index.row() if index.isValid() else self.cart_model.rowCount() - 1

    def _move_selection(self, step: int) -> None:
        rows = self.cart_model.rowCount()
        if rows:
            row = min(max(self._selected_row() + step, 0), rows - 1)
            self.cart_view.selectRow(row)

    def _selected_line_id(self) -> str | None:
        line = self.cart_model.line_at(self._selected_row())
        return line.line.line_id if line else None

    def _open_dialog(self, dialog: QDialog, on_accepted: Callable[[], None]) -> None:
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _on_dialog_finished(self, _result: int) -> None:
        self.active_dialog = None
        if self._till_prompt:
            QTimer.singleShot(0, self._prompt_open_till)
        # After the dialog has gone: the focus returns to the scan field, ready for the next item.
        QTimer.singleShot(0, self._focus_scan_field)

    def _focus_scan_field(self) -> None:
        if self.active_dialog is None:
            self.activateWindow()
            self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Clicking a label or the table must not leave the cashier unable to scan.
        if new is None and self.active_dialog is None and self.isActiveWindow():
            self.scan_field.setFocus()

    # --- actions -------------------------------------------------------------------------
    def _on_scan_field_return_pressed(self) -> None:
        code = self.scan_field.text()
        self.scan_field.clear()
        self.presenter.scan(code)

    def open_search(self) -> None:
        dialog = ProductSearchDialog(
            self._runner,
            self.presenter.checkout.search,
            self._fmt,
            self,
            initial_text=self.scan_field.text(),
        )
        self.scan_field.clear()

        def picked() -> None:
            product: ProductRecord | None = dialog.selected_product
            if product is not None:
                self.presenter.add_product(product.product_id)

        self._open_dialog(dialog, picked)

    def change_quantity(self) -> None:
        line = self.cart_model.line_at(self._selected_row())
        if line is None:
            return
        dialog = QuantityDialog(
            line.line.quantity, weighed=line.line.product.measure is Measure.WEIGHT, parent=self
        )

        def accepted() -> None:
            if dialog.value is not None:
                self.presenter.set_quantity(line.line.line_id, dialog.value)

        self._open_dialog(dialog, accepted)

    def line_discount(self) -> None:
        line_id = self._selected_line_id()
        if line_id is None:
            return
        dialog = DiscountDialog(self.tr("Descuento de línea"), self)
        self._open_dialog(
            dialog, lambda: self.presenter.set_line_discount(line_id, dialog.discount)
        )

    def basket_discount(self) -> None:
        if self.presenter.view.is_empty:
            return
        dialog = DiscountDialog(self.tr("Descuento sobre el total"), self)
        self._open_dialog(dialog, lambda: self.presenter.set_basket_discount(dialog.discount))

    def remove_selected_line(self) -> None:
        line_id = self._selected_line_id()
        if line_id is not None:
            self.presenter.remove_line(line_id)

    def park_sale(self) -> None:
        if self.presenter.view.is_empty:
            return
        dialog = TextPromptDialog(
            self.tr("Aparcar venta"),
            self.tr("Una nota para reconocerla al recuperarla (opcional):"),
            parent=self,
        )
        self._open_dialog(dialog, lambda: self.presenter.park(dialog.text))

    def resume_sale(self) -> None:
        self.presenter.load_parked_sales()

    def _on_presenter_parked_sales_loaded(self, parked: list[ParkedSale]) -> None:
        if not parked:
            self._set_message(self.tr("No hay ventas aparcadas."), "info")
            return
        dialog = ParkedSalesDialog(parked, self._fmt, self)

        def accepted() -> None:
            if dialog.selected_parked_id:
                self.presenter.resume(dialog.selected_parked_id)

        self._open_dialog(dialog, accepted)

    def abandon_sale(self) -> None:
        if self.presenter.view.is_empty:
            return
        dialog = TextPromptDialog(
            self.tr("Anular venta en curso"),
            self.tr("Motivo de la anulación (queda registrado con su nombre y la hora):"),
            required=True,
            parent=self,
        )
        self._open_dialog(dialog, lambda: self.presenter.abandon(dialog.text))

    def open_payment(self) -> None:
        view = self.presenter.view
        if view.is_empty or self.active_dialog is not None:
            return
        dialog = PaymentDialog(self.presenter, self._fmt, self._options.quick_amounts, self)
        self._open_dialog(dialog, lambda: None)

    def view_last_receipt(self) -> None:
        """Show the last receipt as the printer prints it (the demo's printer is this preview)."""
        last = self.presenter.last_sale
        if last is None or self.active_dialog is not None:
            return
        sale_id, number = last.sale.sale_id, last.sale.receipt_number

        def show(text: str) -> None:
            dialog = ReceiptPreviewDialog(
                text, self.tr("Ticket {number}").format(number=number), self
            )
            self._open_dialog(dialog, lambda: None)

        self._runner.run_db(
            lambda: self._receipts.preview_text(sale_id), show, self._on_presenter_action_failed
        )

    # --- devices -------------------------------------------------------------------------
    def _on_device_scanned(self, code: str) -> None:
        """A scan from the keyboard-wedge filter or a serial scanner, wherever the focus is."""
        dialog = self.active_dialog
        if dialog is not None and getattr(dialog, "routes_scans", False):
            dialog.take_scan(code)  # type: ignore[attr-defined]
            return
        if dialog is not None and hasattr(dialog, "take_scan"):
            return  # the hardware settings screen shows it instead
        if dialog is not None:
            dialog.reject()  # a scan means the cashier is back to selling
        self.presenter.scan(code)

    def _on_sale_completed_for_devices(self, done: SaleCompleted) -> None:
        if self.devices is not None:
            self.devices.sale_completed(done.sale, self._on_presenter_action_failed)

    def _on_device_status_changed(self, _name: str, _status: object) -> None:
        if self.devices is None:
            return
        problems = [
            self.tr("{device}: {state}").format(
                device=self._device_caption(name), state=self._state_caption(status.state)
            )
            for name, status in self.devices.statuses.items()
            if status.state in (DeviceState.OFFLINE, DeviceState.ERROR, DeviceState.NO_PAPER)
        ]
        self.status_devices.setText(" · ".join(problems))
        self.status_devices.setVisible(bool(problems))

    def _on_devices_applied(self, _settings: object) -> None:
        if self.devices is not None:
            name = self.devices.service.printer_name
            self.status_printer.setText(
                self.tr("Impresora: {name}").format(name=Path(name).name if name else "—")
            )
            self.status_printer.setToolTip(name)

    def _device_caption(self, name: str) -> str:
        return {
            "printer": self.tr("Impresora"),
            "drawer": self.tr("Cajón"),
            "scanner": self.tr("Escáner"),
            "display": self.tr("Visor"),
            "scale": self.tr("Báscula"),
        }.get(name, name)

    def _state_caption(self, state: DeviceState) -> str:
        return {
            DeviceState.OFFLINE: self.tr("sin conexión"),
            DeviceState.NO_PAPER: self.tr("sin papel"),
            DeviceState.ERROR: self.tr("con error"),
        }.get(state, str(state))

    def open_drawer(self) -> None:
        if self.devices is None or self.active_dialog is not None:
            return
        dialog = TextPromptDialog(
            self.tr("Abrir cajón"),
            self.tr("Motivo de la apertura (queda registrado con su nombre y la hora):"),
            required=True,
            parent=self,
        )
        devices = self.devices

        def opened(opening: DrawerOpening) -> None:
            if opening.ok:
                self._set_message(self.tr("Cajón abierto y registrado."), "info")
            else:
                self._set_message(
                    self.tr("El cajón no se abrió: {error}. Revise la impresora.").format(
                        error=opening.error
                    ),
                    "error",
                )

        reason = ""

        def kick(approval: Approval | None) -> None:
            devices.drawer_opened.connect(opened, Qt.ConnectionType.SingleShotConnection)
            devices.open_drawer(reason, failed, approval)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ManagerApprovalRequired):
                devices.drawer_opened.disconnect(opened)
                self.request_approval(exc, kick)
            else:
                self._on_presenter_action_failed(exc)

        def accepted() -> None:
            nonlocal reason
            reason = dialog.text
            kick(None)

        self._open_dialog(dialog, accepted)

    def open_devices(self) -> None:
        if self.devices is None or self.active_dialog is not None:
            return
        from pos_app.ui.hardware_settings_dialog import HardwareSettingsDialog

        dialog = HardwareSettingsDialog(
            self._runner,
            self.devices,
            barcode_layout=self.devices.barcode_layout,
            parent=self,
        )
        self._open_dialog(dialog, lambda: None)

    def show_sync_status(self, status: SyncStatus) -> None:
        self.sync_status.show_status(status)
        self.check_new_pickups()
        if self.presenter.view.customer_id is not None:
            self.presenter.refresh_customer()  # erased or renamed at the backend meanwhile
        staff = self.staff
        if staff is not None and staff.session is None and not self._staff_seen:
            # The first staff may arrive with a pull (a new register, the demo): lock then.
            self._runner.run_db(staff.has_staff, self._on_staff_checked, self._on_staff_failed)

    # --- staff: sign-in, lock, manager overrides --------------------------------------------
    _staff_seen = False  # staff were found once: the register signs in from then on

    def _on_staff_checked(self, has_staff: bool) -> None:
        if has_staff and not self._staff_seen:
            # Not while a dialog is up (a payment): the next sync status tries again.
            self._staff_seen = self.lock_register()

    def _on_staff_failed(self, exc: BaseException) -> None:
        log.warning("staff check failed: %s", exc)

    def _on_lock_requested(self) -> None:
        self.lock_register()

    def lock_register(self) -> bool:
        """Lock the register (⇧F1): someone else signs in; the sale in progress stays in the
        cart and goes on under their name. False when it cannot now (a dialog is open)."""
        staff = self.staff
        if staff is None or self.active_dialog is not None:
            return False
        staff.sign_out()
        self._show_cashier(self.tr("caja bloqueada"))
        view = self.presenter.view
        note = (
            ""
            if view.is_empty
            else self.tr("Hay una venta en curso ({total}): sigue en el carrito.").format(
                total=self._fmt.money(view.totals.total)
            )
        )
        dialog = SignInDialog(self._runner, staff, self, cart_note=note)
        self._open_dialog(dialog, lambda: self._on_signed_in(dialog.session))
        return True

    def _on_signed_in(self, session: StaffSession | None) -> None:
        if session is None:
            return
        self._show_cashier(session.name)
        self._set_message(self.tr("Hola, {name}.").format(name=session.name), "info")

    def _on_presenter_approval_required(
        self, request: ManagerApprovalRequired, retry: Callable[[Approval], None]
    ) -> None:
        self.request_approval(request, retry)

    def request_approval(
        self, request: ManagerApprovalRequired, retry: Callable[[Approval], None]
    ) -> None:
        """A manager approves (the override dialog), then the action is retried with it;
        cancelling leaves everything as it was."""
        if self.staff is None or self.active_dialog is not None:
            self._on_presenter_action_failed(request)
            return
        dialog = OverrideDialog(self._runner, self.staff, request, self, formatter=self._fmt)

        def approved() -> None:
            if dialog.approval is not None:
                retry(dialog.approval)

        self._open_dialog(dialog, approved)

    # --- click-and-collect ---------------------------------------------------------------
    def open_pickups(self) -> None:
        if self.pickups is None or self.active_dialog is not None:
            return
        dialog = PickupsDialog(self._runner, self.pickups, self._fmt, self)
        dialog.payment_requested.connect(self._on_pickup_payment_requested)

        def child_opened(child: QDialog) -> None:
            # A pickup transition is in the outbox: send it now rather than at the next round.
            for name in ("order_changed", "handed_over"):
                signal = getattr(child, name, None)
                if signal is not None:
                    signal.connect(lambda _result: self.pickup_recorded.emit())

        dialog.child_opened.connect(child_opened)
        self._open_dialog(dialog, lambda: None)

    def _on_pickup_payment_requested(self, collection: PickupCollection) -> None:
        """An unpaid order to hand over: its lines into the cart, then the normal payment."""
        self.presenter.start_order_sale(collection)

    def _on_presenter_order_sale_started(self, view: CartView) -> None:
        self._set_message(
            self.tr("Cobro del pedido {number}: cobre como una venta.").format(
                number=view.order_number
            ),
            "info",
        )
        QTimer.singleShot(0, self.open_payment)

    def check_new_pickups(self) -> None:
        """Ask the database worker for orders that came in since the last look."""
        service = self.pickups
        if service is None:
            return
        if self._pickup_checking:
            self._pickup_recheck = True  # once the look in progress has answered
            return
        self._pickup_checking = True
        mark = self._pickup_mark
        self._runner.run_db(
            lambda: service.new_orders(mark),
            self._on_new_pickups,
            self._on_pickup_check_failed,
        )

    _pickup_checking = False
    _pickup_recheck = False

    def _on_pickup_check_failed(self, exc: BaseException) -> None:
        self._pickup_checking = False
        log.warning("pickup check failed: %s", exc)

    def _on_new_pickups(self, news: NewPickups) -> None:
        self._pickup_checking = False
        self._pickup_mark = news.last_pk
        if self._pickup_recheck:
            self._pickup_recheck = False
            QTimer.singleShot(0, self.check_new_pickups)
        if not news.orders:
            return
        QApplication.beep()
        if len(news.orders) == 1:
            text = self.tr("Nuevo pedido {number} para recoger ({customer}). Recogidas: F1").format(
                number=news.orders[0].number, customer=news.orders[0].customer_name
            )
        else:
            text = self.tr("{n} pedidos nuevos para recoger: {numbers}. Recogidas: F1").format(
                n=len(news.orders), numbers=", ".join(o.number for o in news.orders)
            )
        self._set_message(text, "success")
        if isinstance(self.active_dialog, PickupsDialog):
            self.active_dialog.reload()
        self.pickups_announced.emit(news)

    def open_attention(self) -> None:
        if self._sync is None or self.active_dialog is not None:
            return
        self._open_dialog(AttentionDialog(self._runner, self._sync, self), lambda: None)

    def open_returns(self) -> None:
        """Returns (⇧F10): only with no sale in progress, so a refund never mixes with a sale."""
        if self.returns is None or self.active_dialog is not None:
            return
        if self.presenter.checkout.cart_started:
            QApplication.beep()
            self._set_message(
                self.tr(
                    "Hay una venta en curso: termínela, apárquela o anúlela antes de una "
                    "devolución."
                ),
                "error",
            )
            return
        dialog = ReturnsDialog(self._runner, self.returns, self._fmt, self, staff=self.staff)
        dialog.return_completed.connect(self._on_returns_return_completed)
        dialog.exchange_requested.connect(self.presenter.start_exchange)
        if self.customers is not None:
            dialog.customer_button.show()
            dialog.customer_button.clicked.connect(lambda: self._pick_original_of_customer(dialog))
        self._open_dialog(dialog, lambda: None)

    # --- the till ---------------------------------------------------------------------------
    def refresh_till(self, *, prompt: bool = False) -> None:
        """Show whether the till is open; with ``prompt``, a closed till opens "Abrir caja"."""
        till = self.till
        if till is None:
            return

        def shown(session: object) -> None:
            is_open = session is not None
            self.status_till.setText(
                self.tr("Caja abierta") if is_open else self.tr("Caja cerrada")
            )
            self.status_till.setStyleSheet("" if is_open else "color: #c62828; font-weight: bold;")
            if not is_open and prompt:
                self._till_prompt = True
                self._prompt_open_till()

        self._runner.run_db(till.current, shown, self._on_presenter_action_failed)

    def _prompt_open_till(self) -> None:
        if self.till is None or not self._till_prompt or self.active_dialog is not None:
            return
        self._till_prompt = False
        dialog = OpenTillDialog(self._runner, self.till, self._fmt, self)
        dialog.till_opened.connect(lambda _opened: self.refresh_till())
        self._open_dialog(dialog, lambda: None)

    def open_till(self) -> None:
        """The till (⇧F3): open it, cash in and out, X report, Z close."""
        if self.till is None or self.active_dialog is not None:
            return
        printer = self.devices.service.printer if self.devices is not None else None
        dialog = TillDialog(
            self._runner, self.till, self._fmt, self, staff=self.staff, printer=printer
        )
        dialog.till_changed.connect(self.refresh_till)
        self._open_dialog(dialog, lambda: None)

    # --- customers -------------------------------------------------------------------------
    def open_customers(self) -> None:
        """The customer screen (⇧F2): find, create or edit one, attach them to the sale."""
        if self.customers is None or self.active_dialog is not None:
            return
        view = self.presenter.view
        attached = (
            (view.customer_id, view.customer_name or "") if view.customer_id is not None else None
        )
        dialog = CustomerDialog(self._runner, self.customers, self._fmt, self, attached=attached)
        dialog.customer_attached.connect(
            lambda customer: self.presenter.attach_customer(customer.customer_id)
        )
        dialog.customer_detached.connect(self.presenter.detach_customer)
        dialog.customer_saved.connect(self.customer_recorded.emit)
        self._open_dialog(dialog, lambda: None)

    def _pick_original_of_customer(self, returns: ReturnsDialog) -> None:
        """From the returns screen: a purchase of a customer's history is the original."""
        if self.customers is None or returns.child is not None:
            return
        picker = CustomerDialog(self._runner, self.customers, self._fmt, returns, pick_mode=True)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        returns.child = picker  # scans wait while it is open

        def picked(entry: object) -> None:
            reference = getattr(entry, "reference", "")
            returns.reference_field.setText(reference)
            returns.look_up(reference)

        def finished(_result: int) -> None:
            returns.child = None

        picker.entry_picked.connect(picked)
        picker.customer_saved.connect(self.customer_recorded.emit)
        picker.finished.connect(finished)
        picker.open()
        self.dialog_opened.emit(picker)

    def _on_returns_return_completed(self, done: object) -> None:
        self.return_recorded.emit(done)

    def open_history(self) -> None:
        dialog = SalesHistoryDialog(
            self._runner,
            self._receipts,
            self._fmt,
            self,
            returns=self.returns,
            invoices=self.invoices,
            cancellations=self.cancellations,
            staff=self.staff,
        )
        dialog.sale_cancelled.connect(self.sale_cancelled)
        dialog.invoice_dialog_opened.connect(
            lambda invoice: invoice.invoice_issued.connect(self.invoice_recorded)
        )
        self._open_dialog(dialog, lambda: None)

    # --- presenter -> view ---------------------------------------------------------------
    def _on_presenter_cart_changed(self, view: CartView) -> None:
        self.cart_model.set_view(view)
        self.customer_label.setText(
            self.tr("Cliente: {name}").format(name=view.customer_name or "")
        )
        self.customer_label.setVisible(view.customer_id is not None)
        totals = view.totals
        self.total_label.setText(self._fmt.money(totals.total))
        self.items_label.setText(self._fmt.quantity(totals.item_count))
        self.discount_label.setText(
            f"-{self._fmt.money(totals.discount)}" if totals.discount.cents else "—"
        )
        rows = "".join(
            f"<tr><td>{row.label}</td><td align='right'>{self._fmt.money(row.base)}</td>"
            f"<td align='right'>{self._fmt.money(row.tax)}</td></tr>"
            for row in totals.tax_rows
        )
        head = self.tr("<tr><th align='left'>Tipo</th><th>Base</th><th>Cuota</th></tr>")
        self.tax_label.setText(f"<table width='100%'>{head}{rows}</table>" if rows else "")
        self.pay_button.setEnabled(not view.is_empty)
        row = self.cart_model.row_of(view.focus_line_id)
        if row >= 0:
            self.cart_view.selectRow(row)
            self.cart_view.scrollTo(self.cart_model.index(row, 0))
        elif self.cart_model.rowCount():
            self.cart_view.selectRow(self.cart_model.rowCount() - 1)
        if view.focus_line_id is not None and self.message_label.property("kind") == "error":
            self._set_message("", "info")

    def _on_presenter_scan_rejected(self, exc: BaseException) -> None:
        QApplication.beep()
        self._set_message(describe_error(exc, self._fmt.locale), "error")
        self.scan_field.setFocus()

    def _on_presenter_action_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PosError):
            log.error("action failed", exc_info=exc)
        if self.active_dialog is None:
            QApplication.beep()
            self._set_message(describe_error(exc, self._fmt.locale), "error")

    def _on_presenter_sale_completed(self, done: SaleCompleted) -> None:
        sale = done.sale
        change = self._fmt.money(sale.change_cents)
        text = self.tr("Venta {number} guardada. Cambio: {change}").format(
            number=sale.receipt_number, change=change
        )
        if done.order_number:
            text += " " + self.tr("Pedido {number} entregado.").format(number=done.order_number)
        if done.exchange is not None:
            text += " " + exchange_done_text(done, self._fmt)
        self._set_message(text, "success")
        self.last_sale_label.setText(
            self.tr("Último ticket: {number}\nTotal {total} · Cambio {change}").format(
                number=sale.receipt_number, total=self._fmt.money(sale.total_cents), change=change
            )
        )
        self.view_receipt_button.setEnabled(True)

    def _on_presenter_receipt_printed(self, result: ReceiptPrinted) -> None:
        if result.ok:
            self.status_printer.setText(
                self.tr("Impresora: ticket {number} impreso").format(number=result.receipt_number)
            )
            self.status_printer.setProperty("kind", "ok")
        else:
            if result.out_of_paper:
                text = self.tr(
                    "Impresora SIN PAPEL: cambie el rollo y reimprima con F10. "
                    "La venta está guardada."
                )
            else:
                text = self.tr(
                    "Impresora: ERROR ({error}). La venta está guardada; compruebe que está "
                    "encendida y conectada, y reimprima con F10."
                ).format(error=result.error)
            self.status_printer.setText(text)
            self.status_printer.setProperty("kind", "error")
        self.status_printer.style().unpolish(self.status_printer)
        self.status_printer.style().polish(self.status_printer)

    def _on_presenter_weight_required(self, need: WeightRequired) -> None:
        """A product sold by weight without a label: the scale weighs it, or the cashier types
        the kilograms when there is no scale (or it fails)."""
        devices = self.devices
        if devices is not None and devices.service.scale is not None:
            self._set_message(self.tr("Pesando {name}…").format(name=need.name), "info")

            def failed(exc: BaseException) -> None:
                QApplication.beep()
                self._set_message(describe_error(exc, self._fmt.locale), "error")

            self._runner.run_io(
                devices.service.read_settled_weight,
                lambda kg: self.presenter.add_product(need.product_id, kg),
                failed,
            )
            return
        if self.active_dialog is not None:
            return
        dialog = QuantityDialog(Decimal("0.000"), weighed=True, parent=self)
        dialog.setWindowTitle(self.tr("Peso de {name}").format(name=need.name))

        def accepted() -> None:
            if dialog.value is not None:
                self.presenter.add_product(need.product_id, dialog.value)

        self._open_dialog(dialog, accepted)

    def _on_presenter_sale_parked(self, _parked_id: str) -> None:
        self._set_message(self.tr("Venta aparcada. Recupérela con F7."), "info")

    def _on_presenter_sale_abandoned(self) -> None:
        self._set_message(self.tr("Venta anulada y registrada."), "info")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.presenter.view.tenders:
            self._set_message(self.tr("Hay un cobro en curso: termínelo antes de cerrar."), "error")
            event.ignore()
            return
        self._app.focusChanged.disconnect(self._on_app_focus_changed)  # type: ignore[union-attr]
        super().closeEvent(event)
