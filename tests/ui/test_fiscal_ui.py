"""The fiscal journal on the register's screens: a clock behind the journal is on the
manager's needs-attention list, in Spanish, while the sales go on; a full invoice asked for
in the payment dialog."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from sqlalchemy import text
from support import BREAD, SOAP, ean13, save_screenshot

from pos_app.ui.attention_dialog import AttentionDialog
from pos_app.ui.payment_dialog import PaymentDialog

COFFEE_MAKER = ean13("841000000008")  # 24,95 €


def sell(register, code: str) -> None:  # type: ignore[no-untyped-def]
    register.checkout.scan(code)
    register.checkout.add_cash(register.checkout.view().payment.due)
    register.checkout.complete_sale()


def test_a_clock_behind_the_journal_is_on_the_attention_list_in_spanish(
    qtbot, window, register, clock
):
    sell(register, SOAP)
    clock.current -= timedelta(hours=2)  # the clock was set back
    sell(register, BREAD)  # the sale goes through
    window.show_sync_status(register.sync.status(online=True))
    qtbot.waitUntil(lambda: window.sync_status.attention_button.text() == "⚠ Revisar: 1")
    qtbot.mouseClick(window.sync_status.attention_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, AttentionDialog))
    dialog = window.active_dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    model = dialog.model
    assert model.index(0, 1).data() == "Reloj atrasado"
    assert model.index(0, 2).data() == "Alarma de esta caja"
    assert (
        model.index(0, 3)
        .data()
        .startswith("El reloj de esta caja va por detrás de su último registro fiscal")
    )
    tip = model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert "is behind its last fiscal record" in tip  # the details, for IT
    dialog.resize(980, 300)
    save_screenshot(dialog, "attention_dialog_clock_behind")
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.presenter._runner.idle)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: window.presenter._runner.idle)


def test_a_sale_above_the_ticket_limit_is_paid_as_a_full_invoice_from_the_payment_dialog(
    qtbot, window, register, engine
):
    window.presenter.scan(COFFEE_MAKER)
    settle(qtbot, window)
    line = window.presenter.view.lines[0].line_id
    window.presenter.set_quantity(line, Decimal(121))  # 3.018,95 €: above a ticket's 3.000 €
    settle(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, PaymentDialog), timeout=3000)
    pay = window.active_dialog
    qtbot.waitExposed(pay)
    qtbot.keyClicks(pay.card_reference_field, "AUT-1")
    qtbot.mouseClick(pay.findChild(QPushButton, "addCardButton"), Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.mouseClick(pay.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "necesita una factura completa" in pay.message_label.text())
    assert pay.isVisible()  # nothing lost: the sale and its payment are still there

    qtbot.keyClicks(pay.invoice_tax_id_field, "B12345678")  # a wrong check letter
    # (QTest cannot type accented letters: set as a keyboard with them would)
    pay.invoice_name_field.setText("Ferretería Sol SL")
    pay.invoice_address_field.setText("Calle de Alcalá 50; 28014 Madrid")
    qtbot.mouseClick(pay.invoice_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no es válido" in pay.message_label.text())
    pay.invoice_tax_id_field.clear()
    qtbot.keyClicks(pay.invoice_tax_id_field, "B58818501")
    qtbot.keyClick(pay.invoice_tax_id_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pay.invoice_label.isVisible())
    assert pay.invoice_label.text() == (
        "Factura a Ferretería Sol SL (B58818501), Calle de Alcalá 50, 28014 Madrid"
    )
    assert not pay.invoice_tax_id_field.isVisible()
    save_screenshot(pay, "payment_full_invoice")
    with qtbot.waitSignal(window.presenter.sale_completed, timeout=10000):
        qtbot.mouseClick(pay.complete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    with engine.connect() as conn:
        record = conn.execute(
            text("SELECT invoice_type, recipient_tax_id, amount_total FROM fiscal_records")
        ).one()
    assert tuple(record) == ("F1", "B58818501", "3018.95")
