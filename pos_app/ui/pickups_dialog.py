"""The "Recogidas" screen: the store's click-and-collect queue, the pick list, the hand-over.

Views and wiring only: every read and change goes through ``PickupService`` on the database
worker (the runner); the printer on the I/O pool. Scans reach the open screen through
``take_scan`` (the main window routes device scans to a dialog that ``routes_scans``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.pickups import (
    FoundPickup,
    ItemPicked,
    PickupCollection,
    PickupHandedOver,
    PickupQueue,
    PickupService,
    PickupView,
    QueueFilter,
)
from pos_app.ui.error_messages import describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.input_dialogs import FoundQuantityDialog
from pos_app.ui.pickup_table_model import (
    HandOverRow,
    HandOverTableModel,
    PickListTableModel,
    PickupQueueTableModel,
    status_caption,
)
from pos_app.ui.qt_helpers import (
    TOUCH_HEIGHT,
    fit_columns,
    make_touch_table_view,
    set_banner,
    touch_button,
    weak_callback,
)
from pos_app.ui.task_runner import Runner

PaymentRequest = Callable[[PickupCollection], None]


class _ScreenDialog(QDialog):
    """A dialog whose late answers from the workers do nothing once it is closed."""

    closed = False

    def done(self, result: int) -> None:
        self.closed = True
        super().done(result)


def _order_summary(order: PickupView, fmt: Formatter) -> str:
    paid = (
        QCoreApplication.translate("Pickups", "Pagado en línea")
        if order.paid_online
        else QCoreApplication.translate("Pickups", "A pagar en tienda: {total}").format(
            total=fmt.money(order.total_cents)
        )
    )
    contact = " · ".join(p for p in (order.phone, order.email) if p)
    return QCoreApplication.translate(
        "Pickups", "<b>{number}</b> · {customer} · {status}<br>{paid}<br>{contact}"
    ).format(
        number=order.number,
        customer=order.customer_name,
        status=status_caption(order),
        paid=paid,
        contact=contact,
    )


class PickListDialog(_ScreenDialog):
    """Picking one order: scan each item (or type its code), mark what is missing or short,
    then "Marcar como listo"."""

    order_changed = Signal(object)  # PickupView

    routes_scans = True

    def __init__(
        self,
        runner: Runner,
        service: PickupService,
        formatter: Formatter,
        order_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pickListDialog")
        self.setWindowTitle(self.tr("Preparar pedido"))
        self.setMinimumSize(900, 560)
        self._runner = runner
        self._service = service
        self._fmt = formatter
        self.order_id = order_id
        self.order: PickupView | None = None
        layout = QVBoxLayout(self)
        self.summary_label = QLabel("")
        self.summary_label.setObjectName("pickupSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary_label)
        self.scan_field = QLineEdit()
        self.scan_field.setObjectName("pickScanField")
        self.scan_field.setMinimumHeight(TOUCH_HEIGHT + 8)
        self.scan_field.setPlaceholderText(
            self.tr("Escanee cada artículo (o escriba su código y pulse Intro)")
        )
        self.scan_field.returnPressed.connect(self._on_scan_field_return_pressed)
        layout.addWidget(self.scan_field)
        self.message_label = QLabel("")
        self.message_label.setObjectName("messageBanner")
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumHeight(40)
        set_banner(self.message_label, "", "info")
        layout.addWidget(self.message_label)
        self.model = PickListTableModel(formatter, self)
        self.view = make_touch_table_view(
            self.model, self, object_name="pickListView", stretch_column=PickListTableModel.NAME
        )
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.short_button = touch_button(self.tr("Falta / incompleto"), "shortButton")
        self.short_button.clicked.connect(self.mark_short)
        self.reset_button = touch_button(self.tr("Volver a contar"), "resetLineButton")
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.ready_button = touch_button(self.tr("Marcar como listo"), "readyButton")
        self.ready_button.clicked.connect(self.mark_ready)
        close = touch_button(self.tr("Cerrar (Esc)"), "closePickListButton")
        close.clicked.connect(self.reject)
        for button in (self.short_button, self.reset_button, self.ready_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self._set_enabled(False)
        service_ = service

        def start() -> PickupView:
            order = service_.order(order_id)
            if order.status == "pending":
                return service_.start_picking(order_id)
            return order

        runner.run_db(start, weak_callback(self._show), weak_callback(self._on_failed))

    def _set_enabled(self, on: bool) -> None:
        for button in (self.short_button, self.reset_button, self.ready_button):
            button.setEnabled(on)
        self.scan_field.setEnabled(on)

    def _show(self, order: PickupView, focus_line: int | None = None) -> None:
        if self.closed:
            return
        self.order = order
        self.summary_label.setText(_order_summary(order, self._fmt))
        current = self.view.currentIndex().row()
        self.model.set_rows(order.lines)
        fit_columns(self.view, PickListTableModel.NAME)
        row = self.model.row_of_line(focus_line) if focus_line is not None else current
        if row is None or row < 0:
            row = next((i for i, ln in enumerate(order.lines) if not ln.done), 0)
        self.view.selectRow(min(row, self.model.rowCount() - 1))
        picking = order.status == "picking"
        self._set_enabled(picking)
        self.ready_button.setEnabled(picking and all(ln.done for ln in order.lines))
        if picking:
            self.scan_field.setFocus()
        self.order_changed.emit(order)

    def _on_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        QApplication.beep()
        set_banner(self.message_label, describe_error(exc, self._fmt.locale), "error")

    # --- scanning ------------------------------------------------------------------------
    def take_scan(self, code: str) -> bool:
        if not code.strip() or self.order is None:
            return False
        service, order_id = self._service, self.order_id
        self._runner.run_db(
            lambda: service.scan_item(order_id, code),
            weak_callback(self._on_item_picked),
            weak_callback(self._on_failed),
        )
        return True

    def _on_scan_field_return_pressed(self) -> None:
        code = self.scan_field.text()
        self.scan_field.clear()
        self.take_scan(code)

    def _on_item_picked(self, picked: ItemPicked) -> None:
        if self.closed:
            return
        line = picked.order.line(picked.line_no)
        set_banner(
            self.message_label,
            self.tr("✔ {name}: {picked} de {ordered}").format(
                name=line.name,
                picked=self._fmt.quantity(line.picked),
                ordered=self._fmt.quantity(line.ordered),
            ),
            "success",
        )
        self._show(picked.order, picked.line_no)

    # --- missing, ready ------------------------------------------------------------------
    def _selected_line(self) -> int | None:
        index = self.view.currentIndex()
        row = self.model.row_or_none(index.row()) if index.isValid() else None
        return row.line_no if row is not None else None

    def mark_short(self) -> None:
        line_no = self._selected_line()
        if line_no is None or self.order is None:
            return
        line = self.order.line(line_no)
        dialog = FoundQuantityDialog(line.name, line.ordered, self)
        self.quantity_dialog = dialog
        service, order_id = self._service, self.order_id

        def accepted() -> None:
            found = dialog.value
            if found is None:
                return
            self._runner.run_db(
                lambda: service.mark_short(order_id, line_no, found),
                weak_callback(self._on_marked_short),
                weak_callback(self._on_failed),
            )

        dialog.accepted.connect(accepted)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_marked_short(self, order: PickupView) -> None:
        if self.closed:
            return
        set_banner(self.message_label, self.tr("Anotado lo que falta."), "info")
        self._show(order)

    def _on_reset_clicked(self) -> None:
        line_no = self._selected_line()
        if line_no is None:
            return
        service, order_id = self._service, self.order_id
        self._runner.run_db(
            lambda: service.reset_line(order_id, line_no),
            weak_callback(self._show),
            weak_callback(self._on_failed),
        )

    def mark_ready(self) -> None:
        service, order_id = self._service, self.order_id
        self._runner.run_db(
            lambda: service.mark_ready(order_id),
            weak_callback(self._on_ready),
            weak_callback(self._on_failed),
        )

    def _on_ready(self, order: PickupView) -> None:
        if self.closed:
            return
        self._show(order)
        set_banner(
            self.message_label,
            self.tr("Pedido {number} listo para recoger.").format(number=order.number),
            "success",
        )


class HandOverDialog(_ScreenDialog):
    """Handing an order over: find it (scanned QR, pickup code, number or phone), check the
    customer's code, choose what leaves (a refused item stays), then "Entregar" (paid online:
    prints the pickup receipt) or "Cobrar" (to the normal payment on the main window)."""

    handed_over = Signal(object)  # PickupHandedOver
    receipt_printed = Signal(str)  # "" when printed, else the printer's error
    payment_requested = Signal(object)  # PickupCollection

    routes_scans = True

    def __init__(
        self,
        runner: Runner,
        service: PickupService,
        formatter: Formatter,
        parent: QWidget | None = None,
        *,
        order_id: str | None = None,
        search: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handOverDialog")
        self.setWindowTitle(self.tr("Entregar pedido"))
        self.setMinimumSize(900, 600)
        self._runner = runner
        self._service = service
        self._fmt = formatter
        self.order: PickupView | None = None
        self.code = ""  # the verified code or QR payload
        self.deliver: dict[int, Decimal] = {}
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.search_field = QLineEdit()
        self.search_field.setObjectName("handOverSearchField")
        self.search_field.setMinimumHeight(TOUCH_HEIGHT + 8)
        self.search_field.setPlaceholderText(
            self.tr("Escanee el QR del cliente o escriba el código, el nº de pedido o el teléfono")
        )
        self.search_field.returnPressed.connect(self._on_search_return_pressed)
        find = touch_button(self.tr("Buscar"), "handOverFindButton")
        find.clicked.connect(self._on_search_return_pressed)
        row.addWidget(self.search_field, 1)
        row.addWidget(find)
        layout.addLayout(row)
        self.summary_label = QLabel(self.tr("Ningún pedido seleccionado."))
        self.summary_label.setObjectName("pickupSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary_label)
        code_row = QHBoxLayout()
        code_caption = QLabel(self.tr("Código de recogida:"))
        self.code_field = QLineEdit()
        self.code_field.setObjectName("pickupCodeField")
        self.code_field.setMinimumHeight(TOUCH_HEIGHT)
        self.code_field.setMaxLength(200)
        self.code_field.returnPressed.connect(self.check_code)
        self.check_button = touch_button(self.tr("Comprobar"), "checkCodeButton")
        self.check_button.clicked.connect(self.check_code)
        self.code_state = QLabel("")
        self.code_state.setObjectName("codeState")
        code_row.addWidget(code_caption)
        code_row.addWidget(self.code_field, 1)
        code_row.addWidget(self.check_button)
        code_row.addWidget(self.code_state)
        layout.addLayout(code_row)
        self.message_label = QLabel("")
        self.message_label.setObjectName("messageBanner")
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumHeight(40)
        set_banner(self.message_label, "", "info")
        layout.addWidget(self.message_label)
        self.model = HandOverTableModel(formatter, self)
        self.view = make_touch_table_view(
            self.model, self, object_name="handOverView", stretch_column=HandOverTableModel.NAME
        )
        layout.addWidget(self.view, 1)
        self.total_label = QLabel("")
        self.total_label.setObjectName("handOverTotal")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.total_label)
        buttons = QHBoxLayout()
        self.refuse_button = touch_button(self.tr("No lo quiere"), "refuseLineButton")
        self.refuse_button.clicked.connect(self.refuse_selected)
        self.restore_button = touch_button(self.tr("Entregar todo"), "restoreLinesButton")
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.hand_over_button = touch_button(self.tr("Entregar"), "handOverButton")
        self.hand_over_button.clicked.connect(self.hand_over)
        self.pay_button = touch_button(self.tr("Cobrar"), "collectPayButton")
        self.pay_button.clicked.connect(self.hand_over)
        close = touch_button(self.tr("Cerrar (Esc)"), "closeHandOverButton")
        close.clicked.connect(self.reject)
        for button in (
            self.refuse_button,
            self.restore_button,
            self.hand_over_button,
            self.pay_button,
            close,
        ):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self._update_actions()
        if order_id is not None:
            runner.run_db(
                lambda: FoundPickup(service.order(order_id), ""),
                weak_callback(self._on_found),
                weak_callback(self._on_failed),
            )
        elif search.strip():
            self.search_field.setText(search)
            self.search(search)

    # --- finding -------------------------------------------------------------------------
    def take_scan(self, code: str) -> bool:
        """A scan here is the customer's QR (or a code): it finds and verifies the order."""
        if not code.strip():
            return False
        self.search_field.setText(code.strip())
        self.search(code)
        return True

    def _on_search_return_pressed(self) -> None:
        self.search(self.search_field.text())

    def search(self, text: str) -> None:
        if not text.strip():
            return
        service = self._service
        self._runner.run_db(
            lambda: service.find(text),
            weak_callback(self._on_found),
            weak_callback(self._on_failed),
        )

    def _on_found(self, found: FoundPickup) -> None:
        if self.closed:
            return
        order = found.order
        self.order = order
        self.code = found.code
        self.deliver = {line.line_no: line.picked for line in order.lines}
        self.code_field.setText("")
        self._show()
        if order.status != "ready":
            set_banner(
                self.message_label,
                self.tr("El pedido {number} no está listo para entregar ({status}).").format(
                    number=order.number, status=status_caption(order)
                ),
                "error",
            )
        elif not self.code:
            set_banner(
                self.message_label,
                self.tr("Pida al cliente su código de recogida (o escanee su QR)."),
                "info",
            )
            self.code_field.setFocus()
        else:
            set_banner(self.message_label, self.tr("Código comprobado."), "success")

    def _show(self) -> None:
        order = self.order
        if order is None:
            return
        self.summary_label.setText(_order_summary(order, self._fmt))
        self.model.set_rows(
            HandOverRow(ln, self.deliver.get(ln.line_no, ln.picked)) for ln in order.lines
        )
        fit_columns(self.view, HandOverTableModel.NAME)
        total = sum(
            (ln.amount_cents(self.deliver.get(ln.line_no, ln.picked)) for ln in order.lines), 0
        )
        self.total_label.setText(
            self.tr("Total entregado: {total}").format(total=self._fmt.money(total))
        )
        self.code_state.setText(self.tr("✔ Código correcto") if self.code else "")
        self._update_actions()

    def _update_actions(self) -> None:
        order = self.order
        ready = order is not None and order.status == "ready"
        self.hand_over_button.setVisible(order is None or order.paid_online)
        self.pay_button.setVisible(order is not None and not order.paid_online)
        can = ready and bool(self.code) and any(q > 0 for q in self.deliver.values())
        self.hand_over_button.setEnabled(can)
        self.pay_button.setEnabled(can)
        self.refuse_button.setEnabled(ready)
        self.restore_button.setEnabled(ready)
        self.code_field.setEnabled(ready and not self.code)
        self.check_button.setEnabled(ready and not self.code)

    def _on_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        QApplication.beep()
        set_banner(self.message_label, describe_error(exc, self._fmt.locale), "error")

    # --- the code, the lines -------------------------------------------------------------
    def check_code(self) -> None:
        order, code = self.order, self.code_field.text()
        if order is None or not code.strip():
            return
        service = self._service
        self._runner.run_db(
            lambda: service.verify_code(order.order_id, code),
            weak_callback(self._on_code_checked, code),
            weak_callback(self._on_failed),
        )

    def _on_code_checked(self, code: str, ok: bool) -> None:
        if self.closed:
            return
        if ok:
            self.code = code
            set_banner(self.message_label, self.tr("Código comprobado."), "success")
        else:
            QApplication.beep()
            set_banner(
                self.message_label,
                self.tr("El código no es el de este pedido. Pídalo otra vez al cliente."),
                "error",
            )
        self._show()

    def refuse_selected(self) -> None:
        index = self.view.currentIndex()
        row = self.model.row_or_none(index.row()) if index.isValid() else None
        if row is None:
            return
        self.deliver[row.line.line_no] = Decimal(0)
        self._show()
        self.view.selectRow(index.row())

    def _on_restore_clicked(self) -> None:
        if self.order is not None:
            self.deliver = {line.line_no: line.picked for line in self.order.lines}
            self._show()

    # --- handing over --------------------------------------------------------------------
    def hand_over(self) -> None:
        order = self.order
        if order is None or not self.code:
            return
        service, code, deliver = self._service, self.code, dict(self.deliver)
        self.hand_over_button.setEnabled(False)
        self.pay_button.setEnabled(False)
        if order.paid_online:
            self._runner.run_db(
                lambda: service.hand_over_paid(
                    service.prepare_hand_over(order.order_id, code, deliver)
                ),
                weak_callback(self._on_handed_over),
                weak_callback(self._on_hand_over_failed),
            )
        else:
            self._runner.run_db(
                lambda: service.prepare_hand_over(order.order_id, code, deliver),
                weak_callback(self._on_collection_ready),
                weak_callback(self._on_hand_over_failed),
            )

    def _on_hand_over_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        self._on_failed(exc)
        self._update_actions()

    def _on_handed_over(self, done: PickupHandedOver) -> None:
        if self.closed:
            return
        self.order = done.order
        self.code = ""
        self._show()
        set_banner(
            self.message_label,
            self.tr("Pedido {number} entregado. Imprimiendo el justificante…").format(
                number=done.order.number
            ),
            "success",
        )
        self.handed_over.emit(done)
        receipt = done.receipt
        if receipt is None:
            return
        service = self._service
        self._runner.run_io(
            lambda: service.print_receipt(receipt),
            weak_callback(self._on_receipt_printed),
            weak_callback(self._on_failed),
        )

    def _on_receipt_printed(self, error: str) -> None:
        if self.closed:
            return
        if error:
            set_banner(
                self.message_label,
                self.tr(
                    "Pedido entregado, pero el justificante no se imprimió ({error}). "
                    "Revise la impresora."
                ).format(error=error),
                "error",
            )
        else:
            set_banner(
                self.message_label,
                self.tr("Pedido entregado y justificante impreso."),
                "success",
            )
        self.receipt_printed.emit(error)

    def _on_collection_ready(self, collection: PickupCollection) -> None:
        if self.closed:
            return
        self.payment_requested.emit(collection)


class PickupsDialog(_ScreenDialog):
    """The store's pickup queue: counts by state as filter buttons, a search, the orders."""

    routes_scans = True
    payment_requested = Signal(object)  # PickupCollection: pay it at the counter
    child_opened = Signal(object)  # the pick list or hand-over dialog, for tests and tools

    FILTERS = (
        QueueFilter.NEW,
        QueueFilter.PICKING,
        QueueFilter.READY,
        QueueFilter.OVERDUE,
        QueueFilter.ALL,
    )

    def __init__(
        self,
        runner: Runner,
        service: PickupService,
        formatter: Formatter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pickupsDialog")
        self.setWindowTitle(self.tr("Recogidas"))
        self.setMinimumSize(1100, 680)
        self._runner = runner
        self._service = service
        self._fmt = formatter
        self.filter = QueueFilter.ALL
        self.queue: PickupQueue | None = None
        self.child: QDialog | None = None
        layout = QVBoxLayout(self)
        filters = QGridLayout()
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[QueueFilter, QPushButton] = {}
        for i, which in enumerate(self.FILTERS):
            button = touch_button("", f"filter_{which.value}")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, w=which: self.set_filter(w))
            self.filter_group.addButton(button)
            self.filter_buttons[which] = button
            filters.addWidget(button, 0, i)
        self.filter_buttons[self.filter].setChecked(True)
        layout.addLayout(filters)
        self.search_field = QLineEdit()
        self.search_field.setObjectName("pickupSearchField")
        self.search_field.setMinimumHeight(TOUCH_HEIGHT + 8)
        self.search_field.setPlaceholderText(
            self.tr("Buscar por nº de pedido, cliente, teléfono o email")
        )
        self.search_field.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.reload)
        self.search_field.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_field.returnPressed.connect(self._on_search_return_pressed)
        layout.addWidget(self.search_field)
        self.message_label = QLabel("")
        self.message_label.setObjectName("messageBanner")
        self.message_label.setWordWrap(True)
        set_banner(self.message_label, "", "info")
        layout.addWidget(self.message_label)
        self.model = PickupQueueTableModel(formatter, self)
        self.view = make_touch_table_view(
            self.model, self, object_name="pickupQueueView", stretch_column=1
        )
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.pick_button = touch_button(self.tr("Preparar"), "pickButton")
        self.pick_button.clicked.connect(self.open_pick_list)
        self.hand_over_button = touch_button(self.tr("Entregar / cobrar"), "openHandOverButton")
        self.hand_over_button.clicked.connect(self.open_hand_over)
        close = touch_button(self.tr("Cerrar (Esc)"), "closePickupsButton")
        close.clicked.connect(self.reject)
        for button in (self.pick_button, self.hand_over_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self._show_counts({})
        self.reload()

    # --- the queue -----------------------------------------------------------------------
    def set_filter(self, which: QueueFilter) -> None:
        self.filter = which
        self.filter_buttons[which].setChecked(True)
        self.reload()

    def reload(self) -> None:
        service, which, text = self._service, self.filter, self.search_field.text()
        self._runner.run_db(
            lambda: service.queue(which, text),
            weak_callback(self._on_queue_loaded),
            weak_callback(self._on_failed),
        )

    def _on_queue_loaded(self, queue: PickupQueue) -> None:
        if self.closed:
            return
        if queue.filter is not self.filter or queue.text != self.search_field.text():
            return  # an answer to an older question
        selected = self.selected_order()
        self.queue = queue
        self.model.set_rows(queue.orders)
        fit_columns(self.view, 1)
        self._show_counts(queue.counts)
        rows = [
            i for i, o in enumerate(queue.orders) if selected and o.order_id == selected.order_id
        ]
        if rows:
            self.view.selectRow(rows[0])
        elif queue.orders:
            self.view.selectRow(0)

    def _show_counts(self, counts: dict[QueueFilter, int]) -> None:
        captions = {
            QueueFilter.NEW: self.tr("Nuevos ({n})"),
            QueueFilter.PICKING: self.tr("Preparando ({n})"),
            QueueFilter.READY: self.tr("Listos ({n})"),
            QueueFilter.OVERDUE: self.tr("Atrasados ({n})"),
            QueueFilter.ALL: self.tr("Todos ({n})"),
        }
        for which, button in self.filter_buttons.items():
            button.setText(captions[which].format(n=counts.get(which, 0)))

    def _on_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        QApplication.beep()
        set_banner(self.message_label, describe_error(exc, self._fmt.locale), "error")

    def selected_order(self) -> PickupView | None:
        index = self.view.currentIndex()
        return self.model.row_or_none(index.row()) if index.isValid() else None

    def _on_search_return_pressed(self) -> None:
        """Enter in the search: an exact code, QR or number opens the hand-over of its order."""
        text = self.search_field.text().strip()
        if not text:
            return
        self._search_timer.stop()
        self.reload()

    # --- children ------------------------------------------------------------------------
    def open_selected(self) -> None:
        order = self.selected_order()
        if order is None:
            return
        if order.status in ("pending", "picking"):
            self.open_pick_list()
        else:
            self.open_hand_over()

    def _open_child(self, dialog: QDialog) -> None:
        self.child = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_child_finished)
        dialog.open()
        self.child_opened.emit(dialog)

    def _on_child_finished(self, _result: int) -> None:
        self.child = None
        self.reload()

    def open_pick_list(self) -> None:
        order = self.selected_order()
        if order is None or self.child is not None:
            return
        dialog = PickListDialog(self._runner, self._service, self._fmt, order.order_id, self)
        dialog.order_changed.connect(lambda _order: self.reload())
        self._open_child(dialog)

    def open_hand_over(self, search: str = "") -> HandOverDialog | None:
        if self.child is not None:
            return None
        order = self.selected_order()
        if search:
            dialog = HandOverDialog(self._runner, self._service, self._fmt, self, search=search)
        else:
            dialog = HandOverDialog(
                self._runner,
                self._service,
                self._fmt,
                self,
                order_id=order.order_id if order is not None else None,
            )
        dialog.handed_over.connect(lambda _done: self.reload())
        dialog.payment_requested.connect(self._on_payment_requested)
        self._open_child(dialog)
        return dialog

    def _on_payment_requested(self, collection: PickupCollection) -> None:
        child = self.child
        if child is not None:
            child.accept()
        self.payment_requested.emit(collection)
        self.accept()

    def take_scan(self, code: str) -> bool:
        """A scan: to the open pick list or hand-over; in the queue, the customer's QR or an
        order's code opens its hand-over."""
        child = self.child
        if child is not None:
            take = getattr(child, "take_scan", None)
            return bool(take(code)) if take is not None else False
        return self.open_hand_over(code) is not None
