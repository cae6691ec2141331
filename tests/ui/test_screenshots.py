"""Screenshots of the screens, written to tests/screenshots/ for a person to look at.

Run: python -m pytest tests/ui -k screenshot
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from support import BREAD, COFFEE, MILK, SOAP, save_screenshot, weighed

from pos_app.domain.cart import Discount
from pos_app.ui.payment_dialog import PaymentDialog


def fill_cart(qtbot, window) -> None:
    for code in (COFFEE, COFFEE, MILK, SOAP, weighed(735), BREAD):
        qtbot.keyClicks(window.scan_field, code)
        qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.presenter._runner.idle)
    line_id = window.cart_model.line_at(3).line.line_id
    window.presenter.set_line_discount(line_id, Discount.percent(10))
    qtbot.waitUntil(lambda: window.presenter._runner.idle)


def test_screenshot_checkout_with_a_cart(qtbot, window):
    fill_cart(qtbot, window)
    qtbot.keyClicks(window.scan_field, "8410000009996")
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.message_label.property("kind") == "error")
    save_screenshot(window, "checkout_with_cart")


def test_screenshot_checkout_empty(qtbot, window):
    save_screenshot(window, "checkout_empty")


def test_screenshot_payment_dialog(qtbot, window):
    fill_cart(qtbot, window)
    window.open_payment()
    pay = window.active_dialog
    assert isinstance(pay, PaymentDialog)
    pay.card_amount_field.setText("10,00")
    pay.card_reference_field.setText("AUT-445566")
    pay._on_card_entered()
    qtbot.waitUntil(lambda: window.presenter._runner.idle and bool(window.presenter.view.tenders))
    qtbot.waitExposed(pay)
    save_screenshot(pay, "payment_dialog")
