"""Exchanges at the counter, driven as a cashier drives them: "Devoluciones" (⇧F10), the lines
chosen, "Cambiar por otro artículo"; the banner on the checkout screen; the new item scanned;
the payment dialog (F12) with the credit applied, paying or giving back the difference. The
real window, runner, database and receipt printer (a file)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text
from support import COFFEE, SOAP, ean13, limits_change, pull_changes, save_screenshot, staff_change

from hardware.escpos_decoder import decode
from pos_app.bootstrap import build_main_window
from pos_app.domain.money import Money
from pos_app.services.errors import ExchangeInProgress, ExchangeRefundRequired
from pos_app.ui.app import style_sheet
from pos_app.ui.error_messages import describe_error
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.returns_dialog import ReturnsDialog
from pos_app.ui.sign_in_dialog import SignInDialog
from sync.pins import hash_pin

COFFEE_MAKER = ean13("841000000008")  # 24,95 €


def idle(window) -> bool:  # type: ignore[no-untyped-def]
    return window.presenter._runner.idle


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: idle(window))
    QApplication.processEvents()
    qtbot.waitUntil(lambda: idle(window))


def plain(label) -> str:  # type: ignore[no-untyped-def]
    return label.text().replace("\xa0", " ")


def sell_soap(register) -> str:  # type: ignore[no-untyped-def]
    checkout = register.checkout
    checkout.scan(SOAP)
    checkout.add_cash(Money(1210))
    return checkout.complete_sale().sale.receipt_number


def count(engine, table: str) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def start_exchange(qtbot, window, number: str) -> None:  # type: ignore[no-untyped-def]
    """⇧F10, the receipt scanned, its soap chosen, "Cambiar por otro artículo"."""
    window.activateWindow()
    qtbot.waitUntil(lambda: window.active_dialog is None and window.isActiveWindow())
    qtbot.keyClick(window, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, ReturnsDialog), timeout=3000)
    dialog = window.active_dialog
    qtbot.waitExposed(dialog)
    assert not dialog.exchange_button.isEnabled()  # nothing chosen yet
    window.devices.scanned.emit(number)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: dialog.original is not None)
    dialog.set_line(1, Decimal(1), "Talla o modelo equivocado")
    assert dialog.exchange_button.isEnabled()
    with qtbot.waitSignal(window.presenter.exchange_started, timeout=5000):
        qtbot.mouseClick(dialog.exchange_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.active_dialog is None)


def scan(qtbot, window, code: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.scan_field, code)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    settle(qtbot, window)


def open_payment(qtbot, window) -> PaymentDialog:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, PaymentDialog), timeout=3000)
    pay = window.active_dialog
    qtbot.waitExposed(pay)
    return pay


def test_an_exchange_for_a_dearer_item_from_the_returns_dialog_to_payment(
    qtbot, window, register, engine, printer_file
):
    number = sell_soap(register)
    printed_before = printer_file.read_bytes() if printer_file.exists() else b""
    start_exchange(qtbot, window, number)

    banner = window.exchange_banner
    assert banner.isVisible()
    assert plain(banner.text_label).startswith(f"Cambio de {number}: crédito 12,10 €")
    assert count(engine, "returns") == 0  # nothing written yet
    scan(qtbot, window, COFFEE_MAKER)
    assert "a pagar 12,85 €" in plain(banner.text_label)
    save_screenshot(window, "exchange_banner_screenshot")

    pay = open_payment(qtbot, window)
    assert pay.findChild(type(pay.exchange_label), "exchangeCredit").isVisible()
    assert pay.tenders_model.index(0, 0).data() == f"Cambio de {number}"
    assert pay.tenders_model.index(0, 2).data().replace("\xa0", " ") == "12,10 €"
    assert plain(pay.due_label) == "12,85 €"
    assert not pay.exchange_cash_button.isVisible()  # nothing to give back
    assert not pay.complete_button.isEnabled()
    QApplication.processEvents()  # the layout settled before the picture
    save_screenshot(pay, "exchange_payment_screenshot")

    qtbot.mouseClick(
        pay.findChild(type(pay.complete_button), "exactCashButton"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: pay.complete_button.isEnabled())
    printed: list[object] = []
    window.presenter.receipt_printed.connect(printed.append)
    with qtbot.waitSignal(window.presenter.sale_completed, timeout=10000):
        qtbot.mouseClick(pay.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printed) == 2, timeout=10000)
    settle(qtbot, window)

    message = plain(window.message_label)
    assert "Venta T01-C01-2026-000002 guardada" in message
    assert f"Cambio de {number}: devolución T01-C01-D2026-000001 guardada." in message
    assert not banner.isVisible()
    assert count(engine, "returns") == 1 and count(engine, "sales") == 2
    # Both receipts printed: the sale's, then the return's, each naming the other.
    receipt = decode(printer_file.read_bytes()[len(printed_before) :]).text
    assert "Abono devolución T01-C01-D2026-000001" in receipt
    assert "DEVOLUCIÓN - FACTURA SIMPLIFICADA RECTIFICATIVA" in receipt
    assert "T01-C01-2026-000002" in receipt.split("RECTIFICATIVA", 1)[1]


def test_a_credit_larger_than_the_new_sale_is_given_back_as_the_cashier_chooses(
    qtbot, window, register, engine
):
    number = sell_soap(register)
    start_exchange(qtbot, window, number)
    scan(qtbot, window, COFFEE)  # 3,49 €
    assert "a devolver 8,61 €" in plain(window.exchange_banner.text_label)

    pay = open_payment(qtbot, window)
    assert plain(pay.due_label) == "0,00 €"
    assert plain(pay.exchange_refund_label) == "A devolver: 8,61 €"
    # Paid in cash: cash or store credit, never to a card.
    assert pay.exchange_cash_button.isEnabled() and pay.exchange_cash_button.isChecked()
    assert not pay.exchange_card_button.isEnabled()
    assert pay.exchange_voucher_button.isEnabled()
    assert pay.complete_button.isEnabled()  # nothing to pay: the credit covers it
    qtbot.mouseClick(pay.exchange_voucher_button, Qt.MouseButton.LeftButton)
    assert pay.exchange_voucher_button.isChecked()
    QApplication.processEvents()
    save_screenshot(pay, "exchange_refund_screenshot")

    with qtbot.waitSignal(window.presenter.sale_completed, timeout=10000) as completed:
        qtbot.mouseClick(pay.complete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    done = completed.args[0]
    refunds = [(r.kind, r.amount_cents) for r in done.exchange.record.refunds]
    assert refunds == [("exchange", 349), ("voucher", 861)]
    code = done.exchange.record.refunds[1].reference
    assert f"Devuelva 8,61 € como vale de compra {code}." in plain(window.message_label)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT balance_cents FROM vouchers")).scalar_one() == 861


def test_cancelling_the_exchange_leaves_a_plain_sale_and_writes_nothing(
    qtbot, window, register, engine
):
    number = sell_soap(register)
    start_exchange(qtbot, window, number)
    scan(qtbot, window, COFFEE)
    banner = window.exchange_banner
    qtbot.mouseClick(banner.cancel_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not banner.isVisible()
    assert window.presenter.view.exchange is None
    assert plain(window.total_label) == "3,49 €"
    assert count(engine, "returns") == 0
    # Parking is refused while an exchange is held; after cancelling it parks as any sale.
    window.presenter.park("")
    settle(qtbot, window)
    assert window.presenter.view.is_empty


def test_the_exchange_errors_read_in_spanish(qapp):  # type: ignore[no-untyped-def]
    busy = describe_error(ExchangeInProgress("T01-C01-2026-000001"))
    assert busy.startswith("Hay un cambio de T01-C01-2026-000001 en curso")
    more = describe_error(ExchangeRefundRequired(861, ("cash", "voucher"))).replace("\xa0", " ")
    assert "elija cómo devolver 8,61 € al cliente" in more


@pytest.fixture
def staffed_window(qtbot, qapp, register, uow_factory, clock):  # type: ignore[no-untyped-def]
    pull_changes(
        uow_factory,
        clock,
        staff_change("s-ana", "Ana Cajera", "cashier", hash_pin("1111")),
        staff_change("s-luis", "Luis Encargado", "manager", hash_pin("9999")),
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


def test_a_credit_above_the_limit_is_exchanged_with_a_managers_pin(
    qtbot, staffed_window, register, engine
):
    window = staffed_window
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, SignInDialog))
    sign_in = window.active_dialog
    qtbot.waitUntil(lambda: sign_in.panel.person_button("s-ana") is not None)
    qtbot.mouseClick(sign_in.panel.person_button("s-ana"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(sign_in.panel.pin_field, "1111")
    qtbot.keyClick(sign_in.panel.pin_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=5000)

    number = sell_soap(register)  # 12,10 €: above Ana's 10,00 € limit
    window.open_returns()
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, ReturnsDialog), timeout=3000)
    dialog = window.active_dialog
    window.devices.scanned.emit(number)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: dialog.original is not None)
    dialog.set_line(1, Decimal(1), "Talla o modelo equivocado")
    with qtbot.waitSignal(dialog.child_opened, timeout=5000) as opened:
        qtbot.mouseClick(dialog.exchange_button, Qt.MouseButton.LeftButton)
    override = opened.args[0]
    assert isinstance(override, OverrideDialog)
    qtbot.waitUntil(lambda: override.panel.picked is not None)
    with qtbot.waitSignal(window.presenter.exchange_started, timeout=10000):
        qtbot.keyClicks(override.panel.pin_field, "9999")
        qtbot.keyClick(override.panel.pin_field, Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.active_dialog is None)
    assert window.exchange_banner.isVisible()
    scan(qtbot, window, SOAP)  # the same soap, another scent: nothing to pay
    assert window.presenter.view.payment.due.cents == 0
    with qtbot.waitSignal(window.presenter.sale_completed, timeout=10000):
        window.presenter.complete_sale()
    settle(qtbot, window)
    with engine.connect() as conn:
        kinds = [
            r[0] for r in conn.execute(text("SELECT event_type FROM outbox ORDER BY seq")).all()
        ]
    assert kinds[-5:] == [  # each fact with its fiscal record (R5, then the new ticket's F2)
        "return.completed",
        "fiscal.recorded",
        "audit.recorded",
        "sale.completed",
        "fiscal.recorded",
    ]
