"""The customer screen (⇧F2): find a customer, create or edit one, attach them to the sale, and
read their history; in pick mode (from the returns screen) choose the purchase to return.

Three pages: the search (this register's customers as the cashier types, on the database
worker; "Buscar en central" asks the backend on the I/O pool), the form (name required,
privacy consent required, offline too) and the history (the backend's, every channel; offline
this register's own, with a banner saying what is missing). A customer found online is kept
here (``CustomerService.remember``, database worker) before they are attached or edited.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.customers import (
    CustomerHistoryView,
    CustomerInput,
    CustomerSaved,
    CustomerService,
)
from pos_app.services.errors import CustomerInvalid
from pos_app.ui.customer_table_model import (
    CustomerHistoryTableModel,
    CustomerRow,
    CustomerTableModel,
)
from pos_app.ui.error_messages import describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.qt_helpers import (
    TOUCH_HEIGHT,
    fit_columns,
    make_touch_table_view,
    set_banner,
    touch_button,
    weak_callback,
)
from pos_app.ui.task_runner import Runner
from sync.protocol import CustomerData, CustomerHistoryEntry

_STYLE = """
QLabel#customerTitle, QLabel#customerHistoryTitle { font-size: 18px; font-weight: bold; }
QLabel#customerAttachedLabel { font-weight: bold; color: #1f5fbf; }
QLabel#customerHistoryBanner { font-size: 16px; padding: 6px 10px; border-radius: 6px; }
QLabel#customerHistoryBanner[kind="error"] {
    background: #fff4d6; color: #7a4b00; border: 1px solid #f0c36d;
}
QLabel#customerHistoryBanner[kind="success"] {
    background: #e3f9e5; color: #1e6b2a; border: 1px solid #9ad9a3;
}
QCheckBox#customerPrivacyBox, QCheckBox#customerMarketingBox { min-height: 40px; }
QCheckBox#customerPrivacyBox::indicator, QCheckBox#customerMarketingBox::indicator {
    width: 26px; height: 26px;
}
"""
_RETURNABLE_KINDS = ("sale", "web_order")


class CustomerDialog(QDialog):
    """Customers at the register. ``pick_mode``: choose a purchase of a customer's history
    (``entry_picked``) instead of attaching them to the sale."""

    customer_attached = Signal(object)  # CustomerData: attach them to the sale in progress
    customer_detached = Signal()
    customer_saved = Signal(object)  # CustomerSaved: a customer.upserted in the outbox
    entry_picked = Signal(object)  # CustomerHistoryEntry (pick mode): a sale or web order

    SEARCH, FORM, HISTORY = range(3)
    closed = False

    def __init__(
        self,
        runner: Runner,
        service: CustomerService,
        formatter: Formatter,
        parent: QWidget | None = None,
        *,
        attached: tuple[str, str] | None = None,
        pick_mode: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("customersDialog")
        self.setWindowTitle(
            self.tr("Cliente: elegir la compra a devolver") if pick_mode else self.tr("Cliente")
        )
        self.setMinimumSize(1100, 640)
        self._runner = runner
        self._service = service
        self._fmt = formatter
        self.pick_mode = pick_mode
        self.attached = attached  # (customer id, name) of the sale in progress
        self.editing: CustomerData | None = None  # the form's customer (None: a new one)
        self.history: CustomerHistoryView | None = None
        self._online_text = ""

        layout = QVBoxLayout(self)
        self.message_label = QLabel("")
        self.message_label.setObjectName("messageBanner")
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumHeight(40)
        set_banner(self.message_label, "", "info")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_search_page())
        self.pages.addWidget(self._build_form_page())
        self.pages.addWidget(self._build_history_page())
        layout.addWidget(self.pages, 1)
        layout.insertWidget(0, self.message_label)
        self.setStyleSheet(_STYLE)
        self.show_search()
        self._update_buttons()
        if attached is not None:
            # The sale's customer, listed to edit or read their history.
            self._runner.run_db(
                lambda: [service.get(attached[0])],
                weak_callback(self._on_attached_loaded),
                lambda _exc: None,  # a pickup order's customer this register does not keep
            )

    def _on_attached_loaded(self, found: list[CustomerData]) -> None:
        if not self.closed and not self.model.rowCount():
            self._show_rows([CustomerRow(c, True) for c in found])

    def done(self, result: int) -> None:
        self.closed = True
        super().done(result)

    # --- building ------------------------------------------------------------------------
    def _build_search_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.search_field = QLineEdit()
        self.search_field.setObjectName("customerSearchField")
        self.search_field.setMinimumHeight(TOUCH_HEIGHT + 8)
        self.search_field.setMaxLength(200)
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setPlaceholderText(
            self.tr("Teléfono, correo, nombre, NIF o tarjeta de cliente")
        )
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.search)
        self.search_field.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_field.returnPressed.connect(self.search)
        self.online_button = touch_button(self.tr("Buscar en central"), "customerOnlineButton")
        self.online_button.clicked.connect(self.search_online)
        row.addWidget(self.search_field, 1)
        row.addWidget(self.online_button)
        layout.addLayout(row)
        self.attached_label = QLabel("")
        self.attached_label.setObjectName("customerAttachedLabel")
        layout.addWidget(self.attached_label)
        self.model = CustomerTableModel(self)
        self.view = make_touch_table_view(
            self.model, self, object_name="customerView", stretch_column=CustomerTableModel.NAME
        )
        self.view.selectionModel().currentRowChanged.connect(
            lambda _new, _old: self._update_buttons()
        )
        self.view.doubleClicked.connect(lambda _index: self._on_view_double_clicked())
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.new_button = touch_button(self.tr("Nuevo cliente"), "customerNewButton")
        self.new_button.clicked.connect(lambda: self.show_form(None))
        self.edit_button = touch_button(self.tr("Editar"), "customerEditButton")
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.history_button = touch_button(self.tr("Historial"), "customerHistoryButton")
        self.history_button.clicked.connect(self._on_history_button_clicked)
        self.attach_button = touch_button(self.tr("Asignar a la venta"), "customerAttachButton")
        self.attach_button.clicked.connect(self._on_attach_button_clicked)
        self.detach_button = touch_button(self.tr("Quitar de la venta"), "customerDetachButton")
        self.detach_button.clicked.connect(self._on_detach_button_clicked)
        close = touch_button(self.tr("Cerrar (Esc)"), "closeCustomersButton")
        close.clicked.connect(self.reject)
        for button in (
            self.new_button,
            self.edit_button,
            self.history_button,
            self.attach_button,
            self.detach_button,
            close,
        ):
            buttons.addWidget(button)
        if self.pick_mode:
            self.attach_button.hide()
            self.detach_button.hide()
        layout.addLayout(buttons)
        return page

    def _build_form_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form_title = QLabel("")
        self.form_title.setObjectName("customerTitle")
        layout.addWidget(self.form_title)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        def field(name: str, max_length: int, placeholder: str = "") -> QLineEdit:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setMinimumHeight(TOUCH_HEIGHT)
            edit.setMaxLength(max_length)
            edit.setPlaceholderText(placeholder)
            return edit

        def caption(text: str) -> QLabel:
            label = QLabel(text)
            label.setMinimumHeight(TOUCH_HEIGHT)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return label

        self.name_field = field("customerNameField", 120)
        self.phone_field = field("customerPhoneField", 40, "+34 600 000 000")
        self.email_field = field("customerEmailField", 200, "nombre@correo.es")
        self.card_field = field("customerCardField", 40)
        self.tax_id_field = field("customerTaxIdField", 20, self.tr("Solo si pide factura"))
        form.addRow(caption(self.tr("Nombre y apellidos *")), self.name_field)
        form.addRow(caption(self.tr("Teléfono")), self.phone_field)
        form.addRow(caption(self.tr("Correo electrónico")), self.email_field)
        form.addRow(caption(self.tr("Tarjeta de cliente")), self.card_field)
        form.addRow(caption(self.tr("NIF / NIE")), self.tax_id_field)
        self.privacy_box = QCheckBox(
            self.tr("El cliente acepta la política de privacidad (obligatorio)")
        )
        self.privacy_box.setObjectName("customerPrivacyBox")
        self.marketing_box = QCheckBox(self.tr("Acepta recibir ofertas"))
        self.marketing_box.setObjectName("customerMarketingBox")
        # A consent given clears the complaint about it.
        self.privacy_box.toggled.connect(lambda _on: set_banner(self.message_label, "", "info"))
        form.addRow("", self.privacy_box)
        form.addRow("", self.marketing_box)
        layout.addLayout(form)
        self.consent_label = QLabel("")
        self.consent_label.setObjectName("customerConsentLabel")
        self.consent_label.setWordWrap(True)
        layout.addWidget(self.consent_label)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.save_button = touch_button(self.tr("Guardar"), "customerSaveButton")
        self.save_button.setMinimumWidth(200)
        self.save_button.clicked.connect(self.save)
        back = touch_button(self.tr("Volver"), "customerFormBackButton")
        back.clicked.connect(self.show_search)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(back)
        layout.addLayout(buttons)
        return page

    def _build_history_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.history_title = QLabel("")
        self.history_title.setObjectName("customerHistoryTitle")
        self.history_title.setWordWrap(True)
        layout.addWidget(self.history_title)
        self.history_banner = QLabel("")
        self.history_banner.setObjectName("customerHistoryBanner")
        self.history_banner.setWordWrap(True)
        layout.addWidget(self.history_banner)
        self.history_model = CustomerHistoryTableModel(self._fmt, self)
        self.history_view = make_touch_table_view(
            self.history_model,
            self,
            object_name="customerHistoryView",
            stretch_column=CustomerHistoryTableModel.DETAIL,
        )
        self.history_view.selectionModel().currentRowChanged.connect(
            lambda _new, _old: self._update_pick_button()
        )
        self.history_view.doubleClicked.connect(lambda _index: self.pick_selected_entry())
        layout.addWidget(self.history_view, 1)
        buttons = QHBoxLayout()
        self.pick_button = touch_button(self.tr("Devolver de esta compra"), "customerPickButton")
        self.pick_button.clicked.connect(self.pick_selected_entry)
        self.pick_button.setVisible(self.pick_mode)
        back = touch_button(self.tr("Volver"), "customerHistoryBackButton")
        back.clicked.connect(self.show_search)
        buttons.addStretch(1)
        buttons.addWidget(self.pick_button)
        buttons.addWidget(back)
        layout.addLayout(buttons)
        return page

    # --- the search ----------------------------------------------------------------------
    def show_search(self) -> None:
        self.pages.setCurrentIndex(self.SEARCH)
        self.search_field.setFocus()
        self._update_buttons()

    def search(self) -> None:
        self._search_timer.stop()
        text = self.search_field.text()
        service = self._service
        self._runner.run_db(
            lambda: (text, service.search(text)),
            weak_callback(self._on_searched),
            weak_callback(self._on_failed),
        )

    def _on_searched(self, result: tuple[str, list[CustomerData]]) -> None:
        text, found = result
        if self.closed or text != self.search_field.text():
            return  # an answer to an older question
        self._show_rows([CustomerRow(c, True) for c in found])
        if text.strip() and not found:
            set_banner(
                self.message_label,
                self.tr("Ningún cliente de esta tienda coincide. Pruebe «Buscar en central»."),
                "info",
            )
        else:
            set_banner(self.message_label, "", "info")

    def search_online(self) -> None:
        text = self.search_field.text().strip()
        if not text:
            self.search_field.setFocus()
            return
        self._online_text = text
        self.online_button.setEnabled(False)
        set_banner(
            self.message_label,
            self.tr("Buscando «{text}» en la central…").format(text=text),
            "info",
        )
        service = self._service
        self._runner.run_io(
            lambda: service.search_online(text),
            weak_callback(self._on_searched_online),
            weak_callback(self._on_online_failed),
        )

    def _on_searched_online(self, found: list[CustomerData]) -> None:
        if self.closed:
            return
        self.online_button.setEnabled(True)
        local = {row.customer.customer_id for row in self.model.rows() if row.local}
        self._show_rows([CustomerRow(c, c.customer_id in local) for c in found])
        if found:
            set_banner(
                self.message_label,
                self.tr("{count} cliente(s) en la central.").format(count=len(found)),
                "success",
            )
        else:
            set_banner(
                self.message_label,
                self.tr("Ningún cliente de la central coincide con «{text}».").format(
                    text=self._online_text
                ),
                "info",
            )

    def _on_online_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        self.online_button.setEnabled(True)
        self._on_failed(exc)

    def _show_rows(self, rows: list[CustomerRow]) -> None:
        selected = self.selected_customer()
        self.model.set_rows(rows)
        fit_columns(self.view, CustomerTableModel.NAME)
        keep = [
            i
            for i, row in enumerate(rows)
            if selected and row.customer.customer_id == selected.customer_id
        ]
        if keep or rows:
            self.view.selectRow(keep[0] if keep else 0)
        self._update_buttons()

    def _on_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        QApplication.beep()
        set_banner(self.message_label, describe_error(exc, self._fmt.locale), "error")

    def selected_row(self) -> CustomerRow | None:
        index = self.view.currentIndex()
        return self.model.row_or_none(index.row()) if index.isValid() else None

    def selected_customer(self) -> CustomerData | None:
        row = self.selected_row()
        return row.customer if row is not None else None

    def _update_buttons(self) -> None:
        chosen = self.selected_customer() is not None
        for button in (self.edit_button, self.history_button, self.attach_button):
            button.setEnabled(chosen)
        self.detach_button.setEnabled(self.attached is not None)
        if self.attached is not None and not self.pick_mode:
            self.attached_label.setText(
                self.tr("Venta asignada a: {name}").format(name=self.attached[1])
            )
        else:
            self.attached_label.setText("")
        self.attached_label.setVisible(bool(self.attached_label.text()))

    def _on_view_double_clicked(self) -> None:
        if self.pick_mode:
            self._on_history_button_clicked()
        else:
            self._on_attach_button_clicked()

    def _kept(self, row: CustomerRow, then: Callable[[CustomerData], None]) -> None:
        """Run ``then(customer)`` once the customer is kept here (found online: remembered)."""
        if row.local:
            then(row.customer)
            return
        service, customer = self._service, row.customer
        self._runner.run_db(
            lambda: service.remember(customer),
            weak_callback(self._on_remembered, then),
            weak_callback(self._on_failed),
        )

    def _on_remembered(self, then: Callable[[CustomerData], None], customer: CustomerData) -> None:
        if self.closed:
            return
        rows = [
            CustomerRow(customer, True) if r.customer.customer_id == customer.customer_id else r
            for r in self.model.rows()
        ]
        self._show_rows(rows)
        then(customer)

    # --- attaching -----------------------------------------------------------------------
    def _on_attach_button_clicked(self) -> None:
        row = self.selected_row()
        if row is None or self.pick_mode:
            return
        self._kept(row, self._attach)

    def _attach(self, customer: CustomerData) -> None:
        self.attached = (customer.customer_id, customer.name)
        self.customer_attached.emit(customer)
        self.accept()

    def _on_detach_button_clicked(self) -> None:
        if self.attached is None:
            return
        self.attached = None
        self.customer_detached.emit()
        self.accept()

    # --- the form ------------------------------------------------------------------------
    def _on_edit_button_clicked(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._kept(row, self.show_form)

    def show_form(self, customer: CustomerData | None) -> None:
        """The form, empty for a new customer (with what was searched put where it fits)."""
        self.editing = customer
        if customer is None:
            self.form_title.setText(self.tr("Nuevo cliente"))
            typed = self.search_field.text().strip()
            digits = sum(ch.isdigit() for ch in typed)
            self.name_field.setText(typed if typed and not digits and "@" not in typed else "")
            self.phone_field.setText(typed if digits >= 6 and "@" not in typed else "")
            self.email_field.setText(typed if "@" in typed else "")
            self.card_field.clear()
            self.tax_id_field.clear()
            self.privacy_box.setChecked(False)
            self.marketing_box.setChecked(False)
            self.consent_label.setText(
                self.tr(
                    "Lea o entregue al cliente la política de privacidad antes de marcar su "
                    "consentimiento; sin él no se guardan sus datos."
                )
            )
        else:
            self.form_title.setText(self.tr("Editar cliente: {name}").format(name=customer.name))
            self.name_field.setText(customer.name)
            self.phone_field.setText(customer.phone)
            self.email_field.setText(customer.email)
            self.card_field.setText(customer.loyalty_card)
            self.tax_id_field.setText(customer.tax_id)
            self.privacy_box.setChecked(customer.privacy_consent)
            self.marketing_box.setChecked(customer.marketing_consent)
            when = customer.consent_at.strftime("%d/%m/%Y %H:%M") if customer.consent_at else "—"
            self.consent_label.setText(
                self.tr("Consentimiento registrado el {when} en {where}.").format(
                    when=when, where=customer.consent_where or "—"
                )
            )
        set_banner(self.message_label, "", "info")
        self.pages.setCurrentIndex(self.FORM)
        self.name_field.setFocus()

    def form_input(self) -> CustomerInput:
        return CustomerInput(
            name=self.name_field.text(),
            phone=self.phone_field.text(),
            email=self.email_field.text(),
            loyalty_card=self.card_field.text(),
            tax_id=self.tax_id_field.text(),
            privacy_consent=self.privacy_box.isChecked(),
            marketing_consent=self.marketing_box.isChecked(),
        )

    def save(self) -> None:
        data = self.form_input()
        service, editing = self._service, self.editing
        self.save_button.setEnabled(False)
        if editing is None:
            self._runner.run_db(
                lambda: service.create(data),
                weak_callback(self._on_saved),
                weak_callback(self._on_save_failed),
            )
        else:
            customer_id = editing.customer_id
            self._runner.run_db(
                lambda: service.edit(customer_id, data),
                weak_callback(self._on_saved),
                weak_callback(self._on_save_failed),
            )

    def _on_saved(self, saved: CustomerSaved) -> None:
        if self.closed:
            return
        self.save_button.setEnabled(True)
        customer = saved.customer
        if self.attached is not None and self.attached[0] == customer.customer_id:
            self.attached = (customer.customer_id, customer.name)
            self.customer_attached.emit(customer)  # the new name shows at the cart
        self.show_search()
        self._show_rows([CustomerRow(customer, True)])
        if saved.changed:
            self.customer_saved.emit(saved)
        text = (
            self.tr("Cliente {name} creado.")
            if saved.created
            else self.tr("Cliente {name} guardado.")
            if saved.changed
            else self.tr("Sin cambios en {name}.")
        ).format(name=customer.name)
        if saved.similar:
            names = ", ".join(c.name for c in saved.similar)
            text += " " + self.tr(
                "Atención: {names} tiene el mismo teléfono o correo; si es la misma persona, "
                "la central los unirá."
            ).format(names=names)
            set_banner(self.message_label, text, "error")
        else:
            set_banner(self.message_label, text, "success")

    def _on_save_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        self.save_button.setEnabled(True)
        self._on_failed(exc)
        if isinstance(exc, CustomerInvalid):
            fields = {
                "name": self.name_field,
                "phone": self.phone_field,
                "email": self.email_field,
                "loyalty_card": self.card_field,
                "tax_id": self.tax_id_field,
            }
            target = fields.get(exc.field)
            if target is not None:
                target.setFocus()
                target.selectAll()

    # --- the history ---------------------------------------------------------------------
    def _on_history_button_clicked(self) -> None:
        customer = self.selected_customer()
        if customer is None:
            return
        self.history_button.setEnabled(False)
        set_banner(
            self.message_label,
            self.tr("Leyendo el historial de {name}…").format(name=customer.name),
            "info",
        )
        service, customer_id = self._service, customer.customer_id
        self._runner.run_io(
            lambda: service.history(customer_id),
            weak_callback(self._on_history_loaded),
            weak_callback(self._on_history_failed),
        )

    def _on_history_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        self.history_button.setEnabled(True)
        self._on_failed(exc)

    def _on_history_loaded(self, history: CustomerHistoryView) -> None:
        if self.closed:
            return
        self.history_button.setEnabled(True)
        self.history = history
        c = history.customer
        contact = " · ".join(part for part in (c.phone, c.email, c.loyalty_card) if part)
        self.history_title.setText(
            self.tr("Historial de {name}").format(name=c.name)
            + (f" — {contact}" if contact else "")
        )
        if history.partial:
            set_banner(
                self.history_banner,
                self.tr(
                    "Sin conexión con la central: solo se ven las compras y devoluciones hechas "
                    "en esta caja. No se pueden ver los pedidos web ni lo comprado en otras "
                    "tiendas o cajas."
                ),
                "error",
            )
        else:
            set_banner(
                self.history_banner,
                self.tr("Historial completo de la central: tiendas, web y teléfono."),
                "success",
            )
        self.history_model.set_rows(history.entries)
        fit_columns(self.history_view, CustomerHistoryTableModel.DETAIL)
        if history.entries:
            self.history_view.selectRow(0)
        set_banner(
            self.message_label,
            "" if history.entries else self.tr("Este cliente no tiene compras todavía."),
            "info",
        )
        self.pages.setCurrentIndex(self.HISTORY)
        self._update_pick_button()

    def selected_entry(self) -> CustomerHistoryEntry | None:
        index = self.history_view.currentIndex()
        return self.history_model.row_or_none(index.row()) if index.isValid() else None

    def _update_pick_button(self) -> None:
        entry = self.selected_entry()
        self.pick_button.setEnabled(entry is not None and entry.kind in _RETURNABLE_KINDS)

    def pick_selected_entry(self) -> None:
        entry = self.selected_entry()
        if not self.pick_mode or entry is None:
            return
        if entry.kind not in _RETURNABLE_KINDS:
            QApplication.beep()
            set_banner(
                self.message_label,
                self.tr("Elija una compra o un pedido web: una devolución no se devuelve."),
                "error",
            )
            return
        self.entry_picked.emit(entry)
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Esc on the form or the history goes back to the search, not out of the screen.
        if event.key() == Qt.Key.Key_Escape and self.pages.currentIndex() != self.SEARCH:
            self.show_search()
            return
        super().keyPressEvent(event)
