"""The checkout window driven as a cashier drives it, through the real runner and database."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from sqlalchemy import text
from support import COFFEE, MILK, SOAP, weighed

from hardware.escpos_decoder import Barcode, decode
from pos_app.ui.input_dialogs import QuantityDialog
from pos_app.ui.payment_dialog import PaymentDialog


def runner_idle(window) -> bool:
    return window.presenter._runner.idle


def scan(qtbot, window, code: str) -> None:
    qtbot.keyClicks(window.scan_field, code)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner_idle(window))


def test_a_cashier_sells_three_products_paid_by_card_and_cash(qtbot, window, engine, printer_file):
    for code in (COFFEE, MILK, SOAP):
        scan(qtbot, window, code)
    assert window.cart_model.rowCount() == 3
    assert window.total_label.text().replace("\xa0", " ") == "16,58 €"

    # change the milk's quantity to 3: select it with the arrows, F3, type, Enter
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Up)
    assert window.cart_view.currentIndex().row() == 1
    window.change_quantity()
    dialog = window.active_dialog
    assert isinstance(dialog, QuantityDialog)
    dialog.field.clear()
    qtbot.keyClicks(dialog.field, "3")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner_idle(window) and window.active_dialog is None)
    assert window.cart_model.line_at(1).line.quantity == Decimal(3)
    assert window.total_label.text().replace("\xa0", " ") == "18,56 €"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.scan_field)

    # pay: 10,00 € by card, the rest in cash from a 20 € note
    window.open_payment()
    pay = window.active_dialog
    assert isinstance(pay, PaymentDialog)
    assert not pay.complete_button.isEnabled()
    pay.card_amount_field.clear()
    qtbot.keyClicks(pay.card_amount_field, "10,00")
    qtbot.keyClicks(pay.card_reference_field, "AUT-445566")
    qtbot.keyClick(pay.card_reference_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner_idle(window))
    assert len(window.presenter.view.tenders) == 1, pay.message_label.text()
    assert pay.due_label.text().replace("\xa0", " ") == "8,56 €"
    qtbot.mouseClick(
        pay.findChild(type(pay.complete_button), "quickCash20"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: pay.complete_button.isEnabled())
    assert pay.change_label.text().replace("\xa0", " ") == "11,44 €"
    with qtbot.waitSignal(window.presenter.receipt_printed, timeout=10000) as printed:
        qtbot.mouseClick(pay.complete_button, Qt.MouseButton.LeftButton)
    assert printed.args[0].ok, printed.args[0].error
    assert window.active_dialog is None and window.cart_model.rowCount() == 0
    assert "Cambio: 11,44" in window.message_label.text().replace("\xa0", " ")

    with engine.connect() as conn:
        sale = conn.execute(text("SELECT * FROM sales")).mappings().one()
        lines = conn.execute(text("SELECT sku, quantity FROM sale_lines ORDER BY line_no")).all()
        pays = conn.execute(
            text("SELECT kind, amount_cents, tendered_cents FROM sale_payments ORDER BY position")
        ).all()
    assert sale["total_cents"] == 1856 and sale["change_cents"] == 1144
    assert [tuple(r) for r in lines] == [("P0001", "1"), ("P0002", "3"), ("P0003", "1")]
    assert [tuple(p) for p in pays] == [("card", 1000, 1000), ("cash", 856, 2000)]

    receipt = decode(printer_file.read_bytes())
    body = receipt.text
    assert sale["receipt_number"] == "T01-C01-2026-000001"
    assert receipt.events_of(Barcode)[0].text == sale["receipt_number"]
    for expected in (
        "Ultramarinos La Plaza",
        "Café molido natural 250 g",
        "Leche entera 1 l",
        "Jabón de manos 500 ml",
        "18,56 €",
        "Cambio",
        "11,44 €",
        "AUT-445566",
    ):
        assert expected in body, expected


def test_an_unknown_code_beeps_shows_why_and_the_field_is_ready(qtbot, window):
    with qtbot.waitSignal(window.presenter.scan_rejected):
        qtbot.keyClicks(window.scan_field, "8410000009996")
        qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    assert "no está en el catálogo" in window.message_label.text()
    assert window.message_label.property("kind") == "error"
    assert window.scan_field.text() == ""
    assert QApplication.focusWidget() is window.scan_field
    with qtbot.waitSignal(window.presenter.scan_rejected):
        qtbot.keyClicks(window.scan_field, "8410000000019")
        qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    assert "dígito de control" in window.message_label.text()
    scan(qtbot, window, COFFEE)  # the next good scan clears the error
    assert window.message_label.text() == ""
    assert window.cart_model.rowCount() == 1


def test_a_weighed_label_adds_its_weight(qtbot, window):
    scan(qtbot, window, weighed(1250))
    row = window.cart_model.line_at(0)
    assert row.line.quantity == Decimal("1.250")
    assert window.cart_model.index(0, 1).data() == "1,250 kg"


def test_delete_on_an_empty_scan_field_removes_the_selected_line(qtbot, window):
    scan(qtbot, window, COFFEE)
    scan(qtbot, window, SOAP)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: runner_idle(window))
    assert [window.cart_model.line_at(0).line.product.sku] == ["P0001"]
    assert window.cart_model.rowCount() == 1


def test_basket_discount_and_park_then_resume(qtbot, window):
    scan(qtbot, window, SOAP)
    window.basket_discount()
    dialog = window.active_dialog
    qtbot.keyClicks(dialog.field, "10")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner_idle(window) and window.active_dialog is None)
    assert window.total_label.text().replace("\xa0", " ") == "10,89 €"
    assert window.discount_label.text().replace("\xa0", " ") == "-1,21 €"
    window.park_sale()
    qtbot.keyClicks(window.active_dialog.field, "mesa 3")
    qtbot.keyClick(window.active_dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner_idle(window) and window.cart_model.rowCount() == 0)
    window.resume_sale()
    qtbot.waitUntil(lambda: window.active_dialog is not None)
    parked = window.active_dialog
    qtbot.keyClick(parked, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner_idle(window) and window.cart_model.rowCount() == 1)
    assert window.total_label.text().replace("\xa0", " ") == "10,89 €"


def test_function_keys_open_their_dialogs(qtbot, window):
    scan(qtbot, window, COFFEE)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, PaymentDialog))
    qtbot.keyClick(window.active_dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.active_dialog is None)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.scan_field)


def test_the_last_receipt_can_be_seen_as_printed(qtbot, window):
    from pos_app.ui.receipt_preview_dialog import ReceiptPreviewDialog

    assert not window.view_receipt_button.isEnabled()
    scan(qtbot, window, COFFEE)
    window.presenter.add_cash(window.presenter.view.payment.due)
    qtbot.waitUntil(lambda: runner_idle(window))
    with qtbot.waitSignal(window.presenter.receipt_printed, timeout=10000):
        window.presenter.complete_sale()
    assert window.view_receipt_button.isEnabled()
    qtbot.mouseClick(window.view_receipt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, ReceiptPreviewDialog))
    shown = window.active_dialog.findChild(QPlainTextEdit, "receiptPreview").toPlainText()
    assert "T01-C01-2026-000001" in shown and "Café molido natural 250 g" in shown
    assert "TOTAL" in shown and "3,49 €" in shown


def test_a_sale_the_disk_refuses_is_reported_as_not_saved_and_can_be_retried(
    qtbot, window, engine, monkeypatch
):
    from pos_app.storage import repositories

    scan(qtbot, window, SOAP)
    window.open_payment()
    pay = window.active_dialog
    qtbot.keyClick(pay.cash_field, Qt.Key.Key_Return)  # exact cash
    qtbot.waitUntil(lambda: runner_idle(window) and pay.complete_button.isEnabled())

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(repositories.SqlOutboxRepository, "add", full_disk)
    qtbot.mouseClick(pay.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner_idle(window) and "NO se ha guardado" in pay.message_label.text())
    assert "No space left" in pay.message_label.text()
    assert window.active_dialog is pay and pay.complete_button.isEnabled()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sales")).scalar_one() == 0
    monkeypatch.undo()
    with qtbot.waitSignal(window.presenter.receipt_printed, timeout=10000):
        qtbot.mouseClick(pay.complete_button, Qt.MouseButton.LeftButton)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT total_cents FROM sales")).scalar_one() == 1210
