"""The return policy on screen, driven as a cashier drives it (the real window, runner, database
and receipt printer, a file): a gift receipt printed from "Ventas de hoy" and scanned back at
the returns screen (store credit only), a return without a receipt ("Sin ticket…"), and the
policy's refusals in Spanish."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text
from support import COFFEE, SOAP, pull_changes, save_screenshot

from hardware.escpos_decoder import Barcode, decode
from pos_app.domain.cart import Discount
from pos_app.domain.money import Money
from pos_app.domain.returns import gift_receipt_code
from pos_app.ui.no_receipt_return_dialog import NoReceiptReturnDialog
from pos_app.ui.returns_dialog import ReturnsDialog
from pos_app.ui.sales_history_dialog import SalesHistoryDialog
from sync.protocol import RETURN_POLICY, Change, ChangeOp, Entity, ReturnPolicy

_SEQ = [7000]


def policy_change(**settings) -> Change:  # type: ignore[no-untyped-def]
    _SEQ[0] += 1
    data = ReturnPolicy(**settings).model_dump(mode="json")
    return Change(
        seq=_SEQ[0], entity=Entity.POLICY, op=ChangeOp.UPSERT, key=RETURN_POLICY, data=data
    )


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.presenter._runner.idle)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: window.presenter._runner.idle)


def sell(register, *codes: str) -> str:  # type: ignore[no-untyped-def]
    checkout = register.checkout
    for code in codes:
        checkout.scan(code)
    checkout.add_cash(Money(checkout.view().payment.due.cents))
    return checkout.complete_sale().sale.receipt_number


def open_dialog(qtbot, window, key, modifier, kind):  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(lambda: window.active_dialog is None and window.isActiveWindow())
    qtbot.keyClick(window, key, modifier)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, kind), timeout=3000)
    dialog = window.active_dialog
    qtbot.waitExposed(dialog)
    return dialog


def open_returns(qtbot, window) -> ReturnsDialog:  # type: ignore[no-untyped-def]
    return open_dialog(  # type: ignore[no-any-return]
        qtbot, window, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier, ReturnsDialog
    )


def test_a_gift_receipt_prints_without_prices_and_comes_back_as_store_credit(
    qtbot, window, register, engine, printer_file
):
    number = sell(register, COFFEE, SOAP)
    before = printer_file.read_bytes() if printer_file.exists() else b""
    history = open_dialog(
        qtbot, window, Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier, SalesHistoryDialog
    )
    qtbot.waitUntil(history.gift_button.isEnabled)
    assert history.gift_button.text() == "Ticket regalo (F6)"
    with qtbot.waitSignal(history.gift_receipt_finished, timeout=10000) as finished:
        qtbot.mouseClick(history.gift_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].ok
    qtbot.waitUntil(lambda: "TICKET REGALO" in history.preview.toPlainText())
    settle(qtbot, window)
    assert f"Ticket regalo de {number} impreso." in history.status_label.text()
    save_screenshot(history, "gift_receipt_preview_screenshot")
    printed = decode(printer_file.read_bytes()[len(before) :]).text
    assert "TICKET REGALO" in printed and "Café molido natural 250 g" in printed
    assert "€" not in printed and "3,49" not in printed  # no prices at all
    assert "vale de compra" in printed
    history.reject()
    qtbot.waitUntil(lambda: window.active_dialog is None)

    dialog = open_returns(qtbot, window)
    window.devices.scanned.emit(gift_receipt_code(number))  # the gift receipt's barcode
    settle(qtbot, window)
    qtbot.waitUntil(lambda: dialog.original is not None)
    assert dialog.original.gift_receipt
    assert "Ticket regalo" in dialog.message_label.text()
    assert not dialog.cash_button.isEnabled() and not dialog.card_button.isEnabled()
    assert dialog.voucher_button.isChecked()
    dialog.set_line(2, Decimal(1), "Regalo repetido")
    save_screenshot(dialog, "returns_gift_receipt_screenshot")
    with qtbot.waitSignal(dialog.receipt_printed, timeout=10000):
        qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "vale de compra" in dialog.message_label.text()
    with engine.connect() as conn:
        payload = conn.execute(
            text("SELECT payload FROM outbox WHERE event_type = 'return.completed'")
        ).scalar_one()
    assert '"gift_receipt":true' in payload and '"kind":"voucher"' in payload
    dialog.reject()


def test_lines_the_policy_refuses_show_why_and_cannot_be_returned(
    qtbot, window, register, uow_factory, clock
):
    pull_changes(uow_factory, clock, policy_change(non_returnable_categories=["DROG"]))
    number = sell(register, COFFEE, SOAP)
    dialog = open_returns(qtbot, window)
    window.devices.scanned.emit(number)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: dialog.original is not None)
    coffee, soap = dialog.editors
    assert coffee.quantity.isEnabled() and not soap.quantity.isEnabled()
    texts = [
        w.text()
        for w in dialog.lines_area.widget().findChildren(type(dialog.summary_label))
        if "No se devuelve" in w.text()
    ]
    assert texts and "categoría sin devolución (DROG)" in texts[0]
    save_screenshot(dialog, "returns_policy_refusal_screenshot")

    clock.advance(days=31)  # past the 30 days of every category
    window.devices.scanned.emit(number)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "política de devoluciones" in dialog.message_label.text())
    assert not dialog.return_button.isEnabled()
    dialog.reject()


def open_no_receipt(qtbot, window) -> tuple[ReturnsDialog, NoReceiptReturnDialog]:  # type: ignore[no-untyped-def]
    returns = open_returns(qtbot, window)
    with qtbot.waitSignal(returns.child_opened, timeout=3000) as opened:
        qtbot.mouseClick(returns.no_receipt_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, NoReceiptReturnDialog)
    qtbot.waitExposed(dialog)
    settle(qtbot, window)
    return returns, dialog


def test_a_return_without_a_receipt_refunds_a_voucher_at_the_lowest_recent_price(
    qtbot, window, register, uow_factory, clock, engine, printer_file
):
    register.checkout.scan(SOAP)
    view = register.checkout.view()
    register.checkout.set_line_discount(view.lines[0].line_id, Discount.percent(20))
    register.checkout.add_cash(Money(register.checkout.view().payment.due.cents))
    register.checkout.complete_sale()  # the soap sold at 9,68 € today
    returns, dialog = open_no_receipt(qtbot, window)
    assert dialog.allowed
    assert "30 días" in dialog.policy_label.text()
    with qtbot.waitSignal(dialog.item_added, timeout=5000):
        window.devices.scanned.emit(SOAP)  # the scan reaches the "Sin ticket" screen
    with qtbot.waitSignal(dialog.item_added, timeout=5000):
        qtbot.keyClicks(dialog.code_field, "P0001")
        qtbot.keyClick(dialog.code_field, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert [e.item.unit_refund_cents for e in dialog.editors] == [968, 349]
    dialog.set_line(0, Decimal(1), "Defectuoso")
    dialog.set_line(1, Decimal(2), "No le gusta / cambio de opinión")
    assert dialog.total_label.text().replace("\xa0", " ") == "Total en vale de compra: 16,66 €"
    save_screenshot(dialog, "no_receipt_return_screenshot")

    with qtbot.waitSignal(dialog.receipt_printed, timeout=10000):
        qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    message = dialog.message_label.text().replace("\xa0", " ")
    assert "Devolución sin ticket T01-C01-D2026-000001 hecha" in message and "16,66 €" in message
    receipt = decode(printer_file.read_bytes()).text
    assert "Devolución sin ticket" in receipt and "VALE DE COMPRA" in receipt
    with engine.connect() as conn:
        payload = conn.execute(
            text("SELECT payload FROM outbox WHERE event_type = 'return.completed'")
        ).scalar_one()
    assert '"original_kind":"none"' in payload and '"original_reference":""' in payload
    save_screenshot(dialog, "no_receipt_return_done_screenshot")
    dialog.reject()
    returns.reject()


def test_without_a_receipt_nothing_is_taken_when_the_policy_requires_one(
    qtbot, window, uow_factory, clock
):
    pull_changes(uow_factory, clock, policy_change(receipt_required=True))
    returns, dialog = open_no_receipt(qtbot, window)
    qtbot.waitUntil(lambda: "no admite devoluciones sin ticket" in dialog.message_label.text())
    assert not dialog.allowed
    assert not dialog.code_field.isEnabled() and not dialog.return_button.isEnabled()
    assert not dialog.take_scan(SOAP)
    save_screenshot(dialog, "no_receipt_refused_screenshot")
    dialog.reject()
    returns.reject()


def test_ctrl_f10_prints_the_last_sales_gift_receipt(qtbot, window, printer_file):
    window.presenter.scan(COFFEE)
    settle(qtbot, window)
    window.presenter.add_cash(window.presenter.view.payment.due)
    settle(qtbot, window)
    with qtbot.waitSignal(window.presenter.receipt_printed, timeout=10000):
        window.presenter.complete_sale()
    before = printer_file.read_bytes()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.presenter.receipt_printed, timeout=10000) as printed:
        qtbot.keyClick(window, Qt.Key.Key_F10, Qt.KeyboardModifier.ControlModifier)
    assert printed.args[0].ok
    decoded = decode(printer_file.read_bytes()[len(before) :])
    assert "TICKET REGALO" in decoded.text and "3,49" not in decoded.text
    [barcode] = decoded.events_of(Barcode)  # the code the returns screen takes as a gift
    assert barcode.text == gift_receipt_code("T01-C01-2026-000001")
