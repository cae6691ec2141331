"""The "Devoluciones" screen (⇧F10) driven as a cashier drives it: the real window, runner,
database and receipt printer (a file); the backend's look-up faked where a test needs it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text
from support import COFFEE, MILK, SOAP, limits_change, pull_changes, save_screenshot, staff_change

from hardware.escpos_decoder import decode
from pos_app.bootstrap import build_main_window
from pos_app.domain.money import Money
from pos_app.ui.app import style_sheet
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.returns_dialog import ReturnsDialog
from pos_app.ui.sign_in_dialog import SignInDialog
from sync.errors import SyncError, SyncErrorKind
from sync.pins import hash_pin
from sync.protocol import Disposition

ANA_PIN, LUIS_PIN = "1111", "9999"


def idle(window) -> bool:  # type: ignore[no-untyped-def]
    return window.presenter._runner.idle


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: idle(window))
    QApplication.processEvents()
    qtbot.waitUntil(lambda: idle(window))


def sell(register, *codes: str) -> str:  # type: ignore[no-untyped-def]
    """A sale just made at this register (paid in cash), its receipt number."""
    checkout = register.checkout
    for code in codes:
        checkout.scan(code)
    checkout.add_cash(Money(checkout.view().payment.due.cents))
    return checkout.complete_sale().sale.receipt_number


def open_returns(qtbot, window) -> ReturnsDialog:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(lambda: window.active_dialog is None and window.isActiveWindow())
    qtbot.keyClick(window, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)  # ⇧F10
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, ReturnsDialog), timeout=3000)
    dialog = window.active_dialog
    qtbot.waitExposed(dialog)
    return dialog


def scan_receipt(qtbot, window, dialog, number: str) -> None:  # type: ignore[no-untyped-def]
    window.devices.scanned.emit(number)  # the receipt's barcode, from the scanner
    settle(qtbot, window)
    qtbot.waitUntil(lambda: dialog.original is not None or "«" in dialog.message_label.text())


class OfflineLookup:
    def returnable(self, reference: str):  # type: ignore[no-untyped-def]
        raise SyncError(SyncErrorKind.NETWORK, "cannot reach the backend (refused)")


def test_a_return_of_a_sale_just_made_by_scanning_its_receipt(
    qtbot, window, register, engine, printer_file
):
    number = sell(register, COFFEE, COFFEE, MILK, SOAP)
    printed_sale = printer_file.read_bytes() if printer_file.exists() else b""
    dialog = open_returns(qtbot, window)
    save_screenshot(dialog, "returns_empty_screenshot")
    scan_receipt(qtbot, window, dialog, number)
    assert dialog.reference_field.text() == number
    assert [e.item.returnable for e in dialog.editors] == [Decimal(2), Decimal(1), Decimal(1)]
    assert number in dialog.summary_label.text()

    # Nothing chosen: nothing to refund.
    assert not dialog.return_button.isEnabled()
    dialog.set_line(1, Decimal(1), "Defectuoso")
    dialog.set_line(3, Decimal(1), "Envase dañado", Disposition.DAMAGED)
    assert dialog.refund_cents() == 349 + 1210
    assert dialog.total_label.text().replace("\xa0", " ") == "Total a devolver: 15,59 €"
    assert dialog.return_button.isEnabled()
    save_screenshot(dialog, "returns_lines_screenshot")

    # A line without its reason is refused, with a message, and nothing is written.
    dialog.set_line(3, Decimal(1), "", Disposition.DAMAGED)
    qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "motivo" in dialog.message_label.text()
    dialog.set_line(3, Decimal(1), "Envase dañado", Disposition.DAMAGED)

    with qtbot.waitSignal(dialog.receipt_printed, timeout=10000):
        qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    message = dialog.message_label.text().replace("\xa0", " ")
    assert "Devolución T01-C01-D2026-000001 hecha: devuelva 15,59 € en efectivo." in message
    assert "impreso" in message
    save_screenshot(dialog, "returns_done_screenshot")

    with engine.connect() as conn:
        event = conn.execute(
            text("SELECT payload FROM outbox WHERE event_type = 'return.completed'")
        ).scalar_one()
        moved = conn.execute(
            text("SELECT reason, delta_milli FROM stock_movements WHERE reason = 'return'")
        ).all()
    assert f'"original_reference":"{number}"' in event
    assert [tuple(r) for r in moved] == [("return", 1000)]
    receipt = decode(printer_file.read_bytes()[len(printed_sale) :]).text
    assert "DEVOLUCIÓN - FACTURA SIMPLIFICADA RECTIFICATIVA" in receipt
    assert number in receipt and "-15,59" in receipt

    # The same receipt again: what is left.
    scan_receipt(qtbot, window, dialog, number)
    assert [e.item.returnable for e in dialog.editors] == [Decimal(1), Decimal(1), Decimal(0)]
    dialog.reject()
    qtbot.waitUntil(lambda: window.active_dialog is None)


def test_offline_another_stores_receipt_is_refused_in_spanish(qtbot, window, register):
    register.returns.lookup = OfflineLookup()
    dialog = open_returns(qtbot, window)
    scan_receipt(qtbot, window, dialog, "T02-C03-2026-000417")
    assert dialog.original is None
    text_ = dialog.message_label.text()
    assert text_.startswith("Sin conexión con la central")
    assert "otras tiendas" in text_ and "pedidos web" in text_
    save_screenshot(dialog, "returns_offline_screenshot")


def test_returns_wait_for_the_sale_in_progress(qtbot, window, register):
    window.presenter.checkout.scan(COFFEE)
    window.open_returns()
    assert window.active_dialog is None
    assert "venta en curso" in window.message_label.text()


@pytest.fixture
def staffed_window(qtbot, qapp, register, uow_factory, clock):  # type: ignore[no-untyped-def]
    pull_changes(
        uow_factory,
        clock,
        staff_change("s-ana", "Ana Cajera", "cashier", hash_pin(ANA_PIN)),
        staff_change("s-luis", "Luis Encargado", "manager", hash_pin(LUIS_PIN)),
        limits_change(max_refund_cents=1000),
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


def test_a_refund_above_the_limit_goes_through_with_a_managers_pin(
    qtbot, staffed_window, register, engine
):
    window = staffed_window
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, SignInDialog))
    sign_in = window.active_dialog
    qtbot.waitUntil(lambda: sign_in.panel.person_button("s-ana") is not None)
    qtbot.mouseClick(sign_in.panel.person_button("s-ana"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(sign_in.panel.pin_field, ANA_PIN)
    qtbot.keyClick(sign_in.panel.pin_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=5000)

    number = sell(register, SOAP)
    dialog = open_returns(qtbot, window)
    scan_receipt(qtbot, window, dialog, number)
    dialog.set_line(1, Decimal(1), "Alergia")
    with qtbot.waitSignal(dialog.child_opened, timeout=5000) as opened:
        qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    override = opened.args[0]
    assert isinstance(override, OverrideDialog)
    qtbot.waitUntil(lambda: override.panel.picked is not None)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM returns")).scalar_one() == 0
    with qtbot.waitSignal(dialog.receipt_printed, timeout=10000):
        qtbot.keyClicks(override.panel.pin_field, LUIS_PIN)
        qtbot.keyClick(override.panel.pin_field, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "Devolución T01-C01-D2026-000001 hecha" in dialog.message_label.text()
    with engine.connect() as conn:
        audit = conn.execute(
            text("SELECT payload FROM outbox WHERE event_type = 'audit.recorded'")
        ).scalar_one()
    assert '"action":"refund"' in audit and '"approver_name":"Luis Encargado"' in audit
