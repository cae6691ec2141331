"""Store credit at the counter: a refund as a voucher from "Devoluciones", and a voucher
scanned into the payment dialog's "Vale" section. The real window, runner and database."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text
from support import COFFEE, SOAP, save_screenshot

from hardware.escpos_decoder import Barcode, decode
from pos_app.domain.money import Money
from pos_app.services.returns import RefundRequest, ReturnLineRequest
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.returns_dialog import ReturnsDialog


def idle(window) -> bool:  # type: ignore[no-untyped-def]
    return window.presenter._runner.idle


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: idle(window))
    QApplication.processEvents()
    qtbot.waitUntil(lambda: idle(window))


def sell_soap(register) -> str:  # type: ignore[no-untyped-def]
    checkout = register.checkout
    checkout.scan(SOAP)
    checkout.add_card(Money(1210), "AUT-7")
    return checkout.complete_sale().sale.receipt_number


def issue_voucher(register) -> str:  # type: ignore[no-untyped-def]
    """A soap sold and returned as store credit (12,10 €): the voucher's code."""
    returns = register.returns
    original = returns.find_original(sell_soap(register))
    done = returns.complete_return(
        original, [ReturnLineRequest(1, Decimal(1), "Regalo")], RefundRequest("voucher")
    )
    return done.record.refunds[0].reference


def test_a_refund_as_store_credit_from_the_returns_dialog(
    qtbot, window, register, engine, printer_file
):
    number = sell_soap(register)  # paid by card: store credit is allowed all the same
    printed = printer_file.read_bytes() if printer_file.exists() else b""
    window.activateWindow()
    qtbot.waitUntil(lambda: window.active_dialog is None and window.isActiveWindow())
    qtbot.keyClick(window, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, ReturnsDialog), timeout=3000)
    dialog = window.active_dialog
    window.devices.scanned.emit(number)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: dialog.original is not None)
    dialog.set_line(1, Decimal(1), "Regalo repetido")
    assert dialog.voucher_button.isEnabled()
    qtbot.mouseClick(dialog.voucher_button, Qt.MouseButton.LeftButton)
    assert dialog.voucher_button.isChecked()
    with qtbot.waitSignal(dialog.receipt_printed, timeout=10000):
        qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)

    with engine.connect() as conn:
        [(code, balance)] = conn.execute(text("SELECT code, balance_cents FROM vouchers")).all()
    assert balance == 1210
    message = dialog.message_label.text().replace("\xa0", " ")
    assert f"devuelva 12,10 € como vale de compra {code}" in message
    receipt = decode(printer_file.read_bytes()[len(printed) :])
    assert [b.text for b in receipt.events_of(Barcode)] == [code]
    assert "Vale de compra" in receipt.text
    dialog.reject()
    qtbot.waitUntil(lambda: window.active_dialog is None)


def test_a_voucher_scanned_into_the_payment_dialog_pays_the_sale(qtbot, window, register, engine):
    code = issue_voucher(register)
    for _ in range(5):
        qtbot.keyClicks(window.scan_field, COFFEE)
        qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
        settle(qtbot, window)  # 5 x 3,49 = 17,45 €
    window.open_payment()
    pay = window.active_dialog
    assert isinstance(pay, PaymentDialog)
    qtbot.waitExposed(pay)

    # A scan while the voucher field does not have the focus: refused, nothing added.
    pay.cash_field.setFocus()
    window.devices.scanned.emit(code)
    settle(qtbot, window)
    assert "vales" in pay.message_label.text()
    assert pay.voucher_code_field.text() == ""

    pay.activateWindow()
    pay.voucher_code_field.setFocus()
    qtbot.waitUntil(lambda: pay.voucher_code_field.hasFocus())
    window.devices.scanned.emit(code)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: pay.voucher_amount_field.text() != "")
    assert pay.voucher_code_field.text() == code
    assert "12,10" in pay.voucher_balance_label.text()
    assert pay.voucher_amount_field.text() == "12,10"  # min(balance, due)
    save_screenshot(pay, "payment_voucher_screenshot")

    qtbot.mouseClick(
        pay.findChild(type(pay.complete_button), "addVoucherButton"), Qt.MouseButton.LeftButton
    )
    settle(qtbot, window)
    assert pay.due_label.text().replace("\xa0", " ") == "5,35 €"
    assert pay.tenders_model.index(0, 0).data() == f"Vale {code}"
    qtbot.mouseClick(
        pay.findChild(type(pay.complete_button), "exactCashButton"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: pay.complete_button.isEnabled())
    with qtbot.waitSignal(window.presenter.sale_completed, timeout=10000):
        qtbot.mouseClick(pay.complete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    with engine.connect() as conn:
        pays = conn.execute(
            text("SELECT kind, amount_cents, reference FROM sale_payments ORDER BY position")
        ).all()
        [(balance,)] = conn.execute(text("SELECT balance_cents FROM vouchers")).all()
    assert [tuple(p) for p in pays][-2:] == [("voucher", 1210, code), ("cash", 535, "")]
    assert balance == 0
