"""The customer screen (⇧F2) driven as a cashier drives it: the real window, runner and
database; the backend's customer endpoints faked where a test needs them online."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text
from support import COFFEE, MILK, pull_changes, save_screenshot

from pos_app.domain.money import Money
from pos_app.services.customers import CustomerInput
from pos_app.ui.customer_table_model import (
    CustomerHistoryTableModel,
    CustomerRow,
    CustomerTableModel,
)
from pos_app.ui.customers_dialog import CustomerDialog
from pos_app.ui.formatting import Formatter
from pos_app.ui.returns_dialog import ReturnsDialog
from sync.errors import SyncError, SyncErrorKind
from sync.protocol import (
    Change,
    ChangeOp,
    CustomerData,
    CustomerHistory,
    CustomerHistoryEntry,
    CustomerSearchResult,
    Entity,
    SaleCompletedPayload,
)

T0 = datetime.fromisoformat("2026-11-20T09:00:00+01:00")
LUIS = CustomerData(
    customer_id="c-remote-1",
    name="Luis Gómez",
    phone="611 222 333",
    email="luis@correo.es",
    privacy_consent=True,
    created_at=T0,
    updated_at=T0,
    created_where="web",
    possible_duplicate=True,
)


class FakeCustomerDirectory:
    """The backend's customer endpoints with one customer and their web order."""

    def customers(self, q: str) -> CustomerSearchResult:
        return CustomerSearchResult(customers=[LUIS] if "luis" in q.casefold() else [])

    def customer(self, customer_id: str) -> CustomerData:
        if customer_id != LUIS.customer_id:
            raise SyncError(SyncErrorKind.REJECTED, "no such customer", code="not_found")
        return LUIS

    def customer_history(self, customer_id: str) -> CustomerHistory:
        entry = CustomerHistoryEntry(
            kind="web_order", reference="W-2026-000123", at=T0, store_code="T01",
            channel="web", total_cents=2590, status="collected", summary="2 artículos",
        )  # fmt: skip
        return CustomerHistory(customer=self.customer(customer_id), entries=[entry])


def idle(window) -> bool:  # type: ignore[no-untyped-def]
    return window.presenter._runner.idle


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: idle(window))
    QApplication.processEvents()
    qtbot.waitUntil(lambda: idle(window))


def open_customers(qtbot, window) -> CustomerDialog:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(lambda: window.active_dialog is None and window.isActiveWindow())
    qtbot.keyClick(window, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)  # ⇧F2
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, CustomerDialog), timeout=3000)
    dialog = window.active_dialog
    qtbot.waitExposed(dialog)
    return dialog


def type_search(qtbot, window, dialog, typed: str) -> None:  # type: ignore[no-untyped-def]
    dialog.search_field.clear()
    qtbot.keyClicks(dialog.search_field, typed)
    qtbot.waitUntil(lambda: not dialog._search_timer.isActive())
    settle(qtbot, window)


def click(qtbot, window, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)


def create(register, name: str, phone: str = "", email: str = "") -> CustomerData:  # type: ignore[no-untyped-def]
    data = CustomerInput(name=name, phone=phone, email=email, privacy_consent=True)
    return register.customers.create(data).customer


def sell(register, *codes: str) -> str:  # type: ignore[no-untyped-def]
    checkout = register.checkout
    for code in codes:
        checkout.scan(code)
    checkout.add_cash(Money(checkout.view().payment.due.cents))
    return checkout.complete_sale().sale.receipt_number


def sale_payloads(engine) -> list[SaleCompletedPayload]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT payload FROM outbox WHERE event_type = 'sale.completed' ORDER BY seq")
        ).scalars()
        return [SaleCompletedPayload.model_validate_json(p) for p in rows]


def test_the_models_pass_the_model_tester(qtmodeltester):
    customers = CustomerTableModel()
    customers.set_rows([CustomerRow(LUIS, False)])
    qtmodeltester.check(customers)
    assert customers.index(0, CustomerTableModel.NAME).data() == "⚠ Luis Gómez"
    assert customers.index(0, CustomerTableModel.WHERE).data() == "Central"
    history = CustomerHistoryTableModel(Formatter())
    history.set_rows(FakeCustomerDirectory().customer_history(LUIS.customer_id).entries)
    qtmodeltester.check(history)
    assert history.index(0, CustomerHistoryTableModel.KIND).data() == "Pedido web"
    assert history.index(0, CustomerHistoryTableModel.DETAIL).data() == "Entregado · 2 artículos"


def test_a_customer_found_as_you_type_is_attached_to_the_sale(qtbot, window, register, engine):
    ana = create(register, "Ana Martínez", "+34 600 123 456", "ana@correo.es")
    create(register, "Antonio Ruiz", "699 000 111")
    window.scan_field.setText(COFFEE)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    settle(qtbot, window)

    dialog = open_customers(qtbot, window)
    type_search(qtbot, window, dialog, "an")
    assert {r.customer.name for r in dialog.model.rows()} == {"Ana Martínez", "Antonio Ruiz"}
    type_search(qtbot, window, dialog, "600123")
    assert [r.customer.name for r in dialog.model.rows()] == ["Ana Martínez"]
    save_screenshot(dialog, "customers_search_screenshot")
    assert not dialog.detach_button.isEnabled()

    click(qtbot, window, dialog.attach_button)

    qtbot.waitUntil(lambda: window.active_dialog is None)
    settle(qtbot, window)
    assert window.customer_label.isVisible()
    assert window.customer_label.text() == "Cliente: Ana Martínez"
    save_screenshot(window, "customers_main_window_screenshot")
    window.presenter.add_cash(Money(window.presenter.view.payment.due.cents))
    window.presenter.complete_sale()
    settle(qtbot, window)
    assert [p.customer_id for p in sale_payloads(engine)] == [ana.customer_id]
    assert not window.customer_label.isVisible()


def test_the_customer_of_the_sale_can_be_taken_off(qtbot, window, register):
    ana = create(register, "Ana Martínez", "600123456")
    window.presenter.attach_customer(ana.customer_id)
    settle(qtbot, window)

    dialog = open_customers(qtbot, window)
    settle(qtbot, window)
    assert dialog.attached_label.text() == "Venta asignada a: Ana Martínez"
    assert [r.customer.customer_id for r in dialog.model.rows()] == [ana.customer_id]
    click(qtbot, window, dialog.detach_button)

    qtbot.waitUntil(lambda: window.active_dialog is None)
    settle(qtbot, window)
    assert window.presenter.view.customer_id is None
    assert not window.customer_label.isVisible()


def test_a_new_customer_needs_a_name_and_the_privacy_consent(qtbot, window, engine):
    dialog = open_customers(qtbot, window)
    type_search(qtbot, window, dialog, "600 555 444")
    assert "Buscar en central" in dialog.message_label.text()
    click(qtbot, window, dialog.new_button)
    assert dialog.pages.currentIndex() == CustomerDialog.FORM
    assert dialog.phone_field.text() == "600 555 444"  # what was searched is not typed again

    click(qtbot, window, dialog.save_button)
    assert "nombre" in dialog.message_label.text()
    qtbot.keyClicks(dialog.name_field, "Marta Sanz")
    qtbot.keyClicks(dialog.email_field, "marta@correo")
    dialog.privacy_box.setChecked(True)
    click(qtbot, window, dialog.save_button)
    assert "correo electrónico no es válido" in dialog.message_label.text()
    assert dialog.email_field.hasFocus()
    dialog.email_field.setText("marta@correo.es")
    dialog.privacy_box.setChecked(False)
    click(qtbot, window, dialog.save_button)
    assert "consentimiento" in dialog.message_label.text()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM customers")).scalar_one() == 0

    dialog.privacy_box.setChecked(True)
    dialog.marketing_box.setChecked(True)
    save_screenshot(dialog, "customers_form_screenshot")
    with qtbot.waitSignal(dialog.customer_saved, timeout=5000):
        click(qtbot, window, dialog.save_button)
    settle(qtbot, window)

    assert dialog.pages.currentIndex() == CustomerDialog.SEARCH
    assert "Cliente Marta Sanz creado." in dialog.message_label.text()
    assert [r.customer.name for r in dialog.model.rows()] == ["Marta Sanz"]
    with engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM outbox WHERE event_type = 'customer.upserted'")
            ).scalar_one()
            == 1
        )

    # Edited: the form comes back filled in, with the consent's time and place.
    click(qtbot, window, dialog.edit_button)
    assert dialog.name_field.text() == "Marta Sanz"
    assert dialog.marketing_box.isChecked()
    assert "T01/C01" in dialog.consent_label.text()
    dialog.phone_field.setText("600 555 445")
    click(qtbot, window, dialog.save_button)
    assert "Cliente Marta Sanz guardado." in dialog.message_label.text()


def test_history_offline_shows_this_registers_sales_with_a_banner(qtbot, window, register):
    ana = create(register, "Ana Martínez", "600123456")
    register.checkout.attach_customer(ana.customer_id)
    number = sell(register, COFFEE, MILK)

    dialog = open_customers(qtbot, window)
    type_search(qtbot, window, dialog, "Ana")
    click(qtbot, window, dialog.history_button)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == CustomerDialog.HISTORY)

    assert "Sin conexión con la central" in dialog.history_banner.text()
    assert "pedidos web" in dialog.history_banner.text()
    assert [e.reference for e in dialog.history_model.rows()] == [number]
    assert not dialog.pick_button.isVisible()  # not picking for a return here
    save_screenshot(dialog, "customers_history_screenshot")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.pages.currentIndex() == CustomerDialog.SEARCH
    assert dialog.isVisible()


def test_the_online_search_offline_says_only_this_stores_customers(qtbot, window):
    dialog = open_customers(qtbot, window)
    type_search(qtbot, window, dialog, "Luis")

    click(qtbot, window, dialog.online_button)

    assert "Sin conexión: solo clientes de esta tienda" in dialog.message_label.text()
    assert dialog.online_button.isEnabled()


def test_a_customer_found_online_is_kept_here_when_attached(qtbot, window, register, engine):
    register.customers.directory = FakeCustomerDirectory()
    dialog = open_customers(qtbot, window)
    type_search(qtbot, window, dialog, "Luis")
    assert dialog.model.rowCount() == 0

    click(qtbot, window, dialog.online_button)
    assert [(r.customer.name, r.local) for r in dialog.model.rows()] == [("Luis Gómez", False)]
    assert "1 cliente(s) en la central" in dialog.message_label.text()
    save_screenshot(dialog, "customers_online_screenshot")
    click(qtbot, window, dialog.attach_button)

    qtbot.waitUntil(lambda: window.active_dialog is None)
    settle(qtbot, window)
    assert window.presenter.view.customer_id == "c-remote-1"
    assert register.customers.search("611222333")[0].name == "Luis Gómez"


def test_the_original_of_a_return_is_picked_from_the_customers_history(qtbot, window, register):
    ana = create(register, "Ana Martínez", "600123456")
    register.checkout.attach_customer(ana.customer_id)
    number = sell(register, COFFEE, MILK)
    sell(register, MILK)  # someone else's
    opened: list[object] = []
    window.dialog_opened.connect(opened.append)

    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)  # ⇧F10
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, ReturnsDialog), timeout=3000)
    returns = window.active_dialog
    qtbot.waitExposed(returns)
    assert returns.customer_button.isVisible()
    qtbot.mouseClick(returns.customer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(opened[-1], CustomerDialog))
    picker = opened[-1]
    assert isinstance(picker, CustomerDialog)
    assert picker.pick_mode
    assert not picker.attach_button.isVisible()
    type_search(qtbot, window, picker, "600 123 456")
    click(qtbot, window, picker.history_button)
    qtbot.waitUntil(lambda: picker.pages.currentIndex() == CustomerDialog.HISTORY)
    assert picker.pick_button.isVisible()

    click(qtbot, window, picker.pick_button)

    qtbot.waitUntil(lambda: returns.original is not None, timeout=5000)
    assert returns.reference_field.text() == number
    assert returns.original.reference == number
    assert returns.child is None
    assert window.active_dialog is returns


@pytest.mark.parametrize("kind", ["return"])
def test_a_return_in_the_history_cannot_be_picked(qtbot, window, kind):
    dialog = CustomerDialog(
        window.presenter._runner, window.customers, Formatter(), window, pick_mode=True
    )
    qtbot.addWidget(dialog)
    entry = CustomerHistoryEntry(
        kind=kind, reference="T01-C01-D2026-000001", at=T0, store_code="T01",
        channel="store", total_cents=349,
    )  # fmt: skip
    dialog.history_model.set_rows([entry])
    dialog.history_view.selectRow(0)
    picked: list[object] = []
    dialog.entry_picked.connect(picked.append)

    dialog.pick_selected_entry()

    assert not dialog.pick_button.isEnabled()
    assert picked == []
    assert "una devolución no se devuelve" in dialog.message_label.text()


def test_a_customer_erased_at_the_backend_leaves_the_sale_on_screen_after_a_pull(
    qtbot, window, register, clock
):
    pull_changes(
        register.uow_factory,
        clock,
        Change(seq=1, entity=Entity.CUSTOMER, op=ChangeOp.UPSERT, key=LUIS.customer_id,
               data=LUIS.model_dump(mode="json")),
    )  # fmt: skip
    window.presenter.attach_customer(LUIS.customer_id)
    settle(qtbot, window)
    assert window.customer_label.text() == "Cliente: Luis Gómez"

    pull_changes(
        register.uow_factory,
        clock,
        Change(seq=2, entity=Entity.CUSTOMER, op=ChangeOp.DELETE, key=LUIS.customer_id),
    )
    window.show_sync_status(register.sync.status())
    settle(qtbot, window)

    assert window.presenter.view.customer_id is None
    assert not window.customer_label.isVisible()
