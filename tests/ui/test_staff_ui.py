"""Staff at the register, driven as people drive it: sign in at start with a PIN, lock and let
someone else go on with the sale, a manager's override through its dialog, a wrong PIN."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text
from support import COFFEE, limits_change, pull_changes, save_screenshot, staff_change

from pos_app.bootstrap import build_main_window
from pos_app.domain.cart import Discount
from pos_app.ui.app import style_sheet
from pos_app.ui.input_dialogs import DiscountDialog, TextPromptDialog
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.sign_in_dialog import SignInDialog
from sync.pins import hash_pin

ANA_PIN, LUIS_PIN = "1111", "9999"
HASHES = {pin: hash_pin(pin) for pin in (ANA_PIN, LUIS_PIN)}  # slow: once for the module


@pytest.fixture
def staffed_window(qtbot, qapp, register, uow_factory, clock):  # type: ignore[no-untyped-def]
    pull_changes(
        uow_factory,
        clock,
        staff_change("s-ana", "Ana Cajera", "cashier", HASHES[ANA_PIN]),
        staff_change("s-luis", "Luis Encargado", "manager", HASHES[LUIS_PIN]),
        staff_change("s-eva", "Eva Reponedora", "clerk", hash_pin("2222")),
        limits_change(max_discount_percent="10", max_discount_cents=500),
    )
    qapp.setStyleSheet(style_sheet())
    win, runner = build_main_window(register, "es_ES")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    runner.shutdown()
    win.close()


def runner_idle(window) -> bool:  # type: ignore[no-untyped-def]
    return window.presenter._runner.idle


def sign_in_dialog(qtbot, window) -> SignInDialog:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, SignInDialog))
    dialog = window.active_dialog
    qtbot.waitUntil(lambda: dialog.panel.person_button("s-ana") is not None)
    return dialog


def sign_in(qtbot, window, staff_id: str, pin: str) -> None:  # type: ignore[no-untyped-def]
    dialog = sign_in_dialog(qtbot, window)
    qtbot.mouseClick(dialog.panel.person_button(staff_id), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.panel.pin_field, pin)  # the physical keyboard's digits
    qtbot.keyClick(dialog.panel.pin_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=5000)


def scan(qtbot, window, code: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.scan_field, code)
    rows = window.cart_model.rowCount()
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner_idle(window) and window.cart_model.rowCount() > rows)


def test_the_register_starts_locked_and_a_cashier_signs_in_with_her_pin(
    qtbot, staffed_window, register
):
    window = staffed_window
    dialog = sign_in_dialog(qtbot, window)
    names = [b.text() for b in dialog.panel.findChildren(type(dialog.panel.ok_button))]
    assert {"Ana Cajera", "Luis Encargado", "Eva Reponedora"} <= set(names)
    save_screenshot(dialog, "staff_sign_in_screenshot")

    qtbot.mouseClick(dialog.panel.person_button("s-ana"), Qt.MouseButton.LeftButton)
    for digit in ANA_PIN:  # the on-screen pad
        button = next(b for b in dialog.panel.findChildren(type(dialog.panel.ok_button))
                      if b.text() == digit)  # fmt: skip
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.panel.pin_field.text() == ANA_PIN
    assert dialog.panel.pin_field.displayText() != ANA_PIN  # shown as dots
    save_screenshot(dialog, "staff_pin_pad_screenshot")
    qtbot.mouseClick(dialog.panel.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=5000)
    assert register.staff.session.name == "Ana Cajera"
    assert "Ana Cajera" in window.status_store.text()


def test_a_wrong_pin_is_refused_with_a_message(qtbot, staffed_window, register):
    window = staffed_window
    dialog = sign_in_dialog(qtbot, window)
    qtbot.mouseClick(dialog.panel.person_button("s-ana"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.panel.pin_field, "0000")
    qtbot.keyClick(dialog.panel.pin_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "PIN incorrecto" in dialog.panel.message_label.text(), timeout=5000)
    assert "Quedan 4 intentos" in dialog.panel.message_label.text()
    assert window.active_dialog is dialog and register.staff.session is None
    assert dialog.panel.pin_field.text() == ""
    save_screenshot(dialog, "staff_wrong_pin_screenshot")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # a lock screen stays up
    assert window.active_dialog is dialog


def test_locking_keeps_the_cart_and_the_next_person_finishes_the_sale(
    qtbot, staffed_window, register, engine
):
    window = staffed_window
    sign_in(qtbot, window, "s-ana", ANA_PIN)
    scan(qtbot, window, COFFEE)
    assert window.cart_model.rowCount() == 1

    qtbot.keyClick(window, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    dialog = sign_in_dialog(qtbot, window)
    assert register.staff.session is None
    assert "venta en curso" in dialog.note_label.text()
    assert "bloqueada" in window.status_store.text()
    sign_in(qtbot, window, "s-luis", LUIS_PIN)
    assert window.cart_model.rowCount() == 1  # the sale in progress is still there
    assert "Luis Encargado" in window.status_store.text()

    window.open_payment()
    pay = window.active_dialog
    assert isinstance(pay, PaymentDialog)
    qtbot.mouseClick(
        pay.findChild(type(pay.complete_button), "quickCash20"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: pay.complete_button.isEnabled())
    with qtbot.waitSignal(window.presenter.sale_completed, timeout=10000):
        qtbot.mouseClick(pay.complete_button, Qt.MouseButton.LeftButton)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT cashier FROM sales")).scalar_one() == "Luis Encargado"


def test_a_discount_above_the_limit_goes_through_with_a_managers_pin(
    qtbot, staffed_window, register, engine
):
    window = staffed_window
    sign_in(qtbot, window, "s-ana", ANA_PIN)
    scan(qtbot, window, COFFEE)

    window.line_discount()
    discount = window.active_dialog
    assert isinstance(discount, DiscountDialog)
    qtbot.keyClicks(discount.field, "50")
    qtbot.keyClick(discount.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, OverrideDialog), timeout=5000)
    override = window.active_dialog
    assert window.presenter.view.lines[0].discount is None  # nothing changed yet
    # The only manager is picked already: the pad waits for the PIN.
    qtbot.waitUntil(lambda: override.panel.picked is not None)
    assert "10 %" in override.reason_label.text()
    # What the cashier asked for is shown beside the limit, so the manager knows what they sign.
    assert override.amount_label.isVisible()
    assert "50 %" in override.amount_label.text()
    save_screenshot(override, "staff_override_screenshot")

    qtbot.keyClicks(override.panel.pin_field, LUIS_PIN)
    qtbot.keyClick(override.panel.pin_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: window.presenter.view.lines[0].discount is not None, timeout=5000)
    assert window.presenter.view.lines[0].discount == Discount.percent(50)
    with engine.connect() as conn:
        payload = conn.execute(
            text("SELECT payload FROM outbox WHERE event_type = 'audit.recorded'")
        ).scalar_one()
    assert '"approver_name":"Luis Encargado"' in payload
    assert '"staff_name":"Ana Cajera"' in payload


def test_cancelling_the_override_leaves_the_cart_as_it_was(qtbot, staffed_window, engine):
    window = staffed_window
    sign_in(qtbot, window, "s-ana", ANA_PIN)
    scan(qtbot, window, COFFEE)
    window.abandon_sale()
    prompt = window.active_dialog
    assert isinstance(prompt, TextPromptDialog)
    qtbot.keyClicks(prompt.field, "se arrepiente")
    qtbot.keyClick(prompt.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, OverrideDialog), timeout=5000)
    override = window.active_dialog
    assert "Anular" in override.findChild(type(override.reason_label), "dialogTitle").text()
    qtbot.mouseClick(override.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.active_dialog is None)
    assert window.cart_model.rowCount() == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox")).scalar_one() == 0


def test_opening_the_drawer_needs_a_manager_and_the_opening_is_audited(
    qtbot, staffed_window, engine
):
    window = staffed_window
    sign_in(qtbot, window, "s-ana", ANA_PIN)
    window.open_drawer()
    prompt = window.active_dialog
    assert isinstance(prompt, TextPromptDialog)
    qtbot.keyClicks(prompt.field, "cambio")
    qtbot.keyClick(prompt.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, OverrideDialog), timeout=5000)
    override = window.active_dialog
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM drawer_openings")).scalar_one() == 0
    qtbot.waitUntil(lambda: override.panel.picked is not None)
    qtbot.keyClicks(override.panel.pin_field, LUIS_PIN)
    qtbot.keyClick(override.panel.pin_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Cajón" in window.message_label.text(), timeout=5000)

    def logged() -> bool:  # the opening (drawer.opened, issue 8) and its audit
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM outbox")).scalar_one() == 2

    qtbot.waitUntil(logged, timeout=5000)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT cashier, reason FROM drawer_openings")).one()
        payload = conn.execute(
            text("SELECT payload FROM outbox WHERE event_type = 'audit.recorded'")
        ).scalar_one()
        opened = conn.execute(
            text("SELECT payload FROM outbox WHERE event_type = 'drawer.opened'")
        ).scalar_one()
    assert '"reason":"cambio"' in opened
    assert tuple(row) == ("Ana Cajera", "cambio")
    assert '"action":"drawer"' in payload and '"approver_name":"Luis Encargado"' in payload


def test_too_many_wrong_pins_lock_the_person_out_with_the_time(qtbot, staffed_window, clock):
    window = staffed_window
    dialog = sign_in_dialog(qtbot, window)
    qtbot.mouseClick(dialog.panel.person_button("s-eva"), Qt.MouseButton.LeftButton)
    for _attempt in range(5):
        with qtbot.waitSignal(dialog.sign_in_failed, timeout=5000):
            qtbot.keyClicks(dialog.panel.pin_field, "0000")
            qtbot.keyClick(dialog.panel.pin_field, Qt.Key.Key_Return)
    until = clock.now() + timedelta(minutes=5)
    assert "bloqueado hasta las " + until.strftime("%H:%M") in dialog.panel.message_label.text()
    assert window.active_dialog is dialog


def test_the_register_locks_once_its_first_staff_arrive_with_a_pull(
    qtbot, window, register, uow_factory, clock
):
    qtbot.wait(100)
    assert window.active_dialog is None  # no staff: sells as before, the settings' cashier
    assert "Ana" in window.status_store.text()
    pull_changes(
        uow_factory, clock, staff_change("s-ana", "Ana Cajera", "cashier", HASHES[ANA_PIN])
    )
    window.show_sync_status(register.sync.status(online=True))
    sign_in(qtbot, window, "s-ana", ANA_PIN)
    assert "Ana Cajera" in window.status_store.text()
