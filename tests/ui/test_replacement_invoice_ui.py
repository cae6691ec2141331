"""A full invoice replacing tickets (F3) and the day's returns, driven as a cashier drives them
(the real window, runner, database and receipt printer, a file): "Ventas de hoy" (F11) lists the
returns with their original ticket and a negative amount and reprints a return's receipt;
"Factura (F8)" makes the F3 for the selected ticket and one of an earlier day typed in, refuses
a returned ticket and a wrong tax id in Spanish, prints the invoice (decoded from the printer's
bytes) and refuses the same ticket a second time."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text
from support import BREAD, COFFEE, SOAP, save_screenshot

from hardware.escpos_decoder import QrCode, decode
from pos_app.domain.money import Money
from pos_app.services.returns import RefundRequest, ReturnLineRequest
from pos_app.ui.receipt_preview_dialog import ReceiptPreviewDialog
from pos_app.ui.replacement_invoice_dialog import ReplacementInvoiceDialog
from pos_app.ui.sale_summary_table_model import SaleSummaryTableModel
from pos_app.ui.sales_history_dialog import SalesHistoryDialog


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.presenter._runner.idle)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: window.presenter._runner.idle)


def sell(register, *codes: str):  # type: ignore[no-untyped-def]
    checkout = register.checkout
    for code in codes:
        checkout.scan(code)
    checkout.add_cash(Money(checkout.view().payment.due.cents))
    return checkout.complete_sale().sale


def give_back(register, number: str, line: int = 1):  # type: ignore[no-untyped-def]
    returns = register.returns
    return returns.complete_return(
        returns.find_original(number),
        [ReturnLineRequest(line, Decimal(1), "No le gusta")],
        RefundRequest("cash"),
    ).record


def open_history(qtbot, window) -> SalesHistoryDialog:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(lambda: window.active_dialog is None and window.isActiveWindow())
    with qtbot.waitSignal(window.dialog_opened, timeout=3000):
        qtbot.keyClick(window, Qt.Key.Key_F11)
    dialog = window.active_dialog
    assert isinstance(dialog, SalesHistoryDialog)
    qtbot.waitExposed(dialog)
    return dialog


def printed_since(printer_file, before: int):  # type: ignore[no-untyped-def]
    return decode(printer_file.read_bytes()[before:])


def size_of(printer_file) -> int:  # type: ignore[no-untyped-def]
    return printer_file.stat().st_size if printer_file.exists() else 0


def test_the_days_list_shows_the_returns_and_reprints_a_returns_receipt(
    qtbot, window, register, clock, printer_file
):
    first = sell(register, SOAP, COFFEE)
    clock.advance(minutes=4)
    back = give_back(register, first.receipt_number)  # 12,10 € given back
    clock.advance(minutes=4)
    second = sell(register, BREAD)
    history = open_history(qtbot, window)
    qtbot.waitUntil(lambda: history.model.rowCount() == 3)
    model = history.model
    column = SaleSummaryTableModel.RECEIPT
    assert [model.index(r, column).data() for r in range(3)] == [
        second.receipt_number,
        f"{back.return_number}\n↩ {first.receipt_number}",
        first.receipt_number,
    ]
    assert model.index(1, SaleSummaryTableModel.TOTAL).data().startswith("-12,10")
    assert model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == (
        f"Devolución {back.return_number} del ticket {first.receipt_number}"
    )
    net = first.total_cents + second.total_cents - back.total_cents
    assert history.total_label.text() == (f"2 ventas, 1 devolución · {window._fmt.money(net)}")
    with qtbot.waitSignal(history.preview_loaded, timeout=5000):
        qtbot.keyClick(history.sales_view, Qt.Key.Key_Down)
    assert back.return_number in history.preview.toPlainText()
    assert "-12,10" in history.preview.toPlainText()
    # A return is no sale: no gift receipt, no invoice of it.
    assert not history.gift_button.isEnabled() and not history.invoice_button.isEnabled()
    assert history.reprint_button.isEnabled()
    before = size_of(printer_file)
    with qtbot.waitSignal(history.reprint_finished, timeout=10000) as finished:
        qtbot.keyClick(history.sales_view, Qt.Key.Key_F5)
    assert finished.args[0].ok and finished.args[0].receipt_number == back.return_number
    printed = printed_since(printer_file, before).text
    assert back.return_number in printed and "COPIA" in printed
    settle(qtbot, window)
    save_screenshot(history, "sales_history_with_returns")
    history.reject()
    qtbot.waitUntil(lambda: window.active_dialog is None)


def test_a_full_invoice_replaces_two_tickets_and_prints_and_a_ticket_is_replaced_once(
    qtbot, window, register, clock, printer_file, engine
):
    earlier = sell(register, SOAP, COFFEE)  # yesterday: 15,59 €
    clock.advance(days=1)
    returned = sell(register, SOAP)
    give_back(register, returned.receipt_number)
    clock.advance(minutes=10)
    today = sell(register, BREAD, COFFEE)
    history = open_history(qtbot, window)
    qtbot.waitUntil(lambda: history.model.rowCount() == 3)
    qtbot.waitUntil(history.invoice_button.isEnabled)
    assert history.selected_sale().receipt_number == today.receipt_number
    with qtbot.waitSignal(history.invoice_dialog_opened, timeout=3000) as opened:
        qtbot.keyClick(history.sales_view, Qt.Key.Key_F8)
    dialog = opened.args[0]
    assert isinstance(dialog, ReplacementInvoiceDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.numbers() == [today.receipt_number])

    # A returned ticket is refused, in Spanish; one of yesterday is added by its number.
    with qtbot.waitSignal(dialog.ticket_refused, timeout=3000) as refused:
        qtbot.keyClicks(dialog.ticket_field, returned.receipt_number)
        qtbot.keyClick(dialog.ticket_field, Qt.Key.Key_Return)
    assert "tiene una devolución" in refused.args[0]
    assert refused.args[0] == dialog.status_label.text()
    dialog.ticket_field.clear()
    with qtbot.waitSignal(dialog.ticket_added, timeout=3000):
        qtbot.keyClicks(dialog.ticket_field, earlier.receipt_number)
        qtbot.keyClick(dialog.ticket_field, Qt.Key.Key_Return)
    assert dialog.numbers() == [today.receipt_number, earlier.receipt_number]
    total = window._fmt.money(today.total_cents + earlier.total_cents)
    assert dialog.total_label.text() == f"2 tickets · total de la factura {total}"

    qtbot.keyClicks(dialog.tax_id_field, "B12345678")  # a wrong check letter
    dialog.name_field.setText("Ferretería Sol SL")  # (QTest types no accented letters)
    dialog.address_field.setText("Calle de Alcalá 50")
    qtbot.keyClicks(dialog.city_field, "28014 Madrid")
    with qtbot.waitSignal(dialog.issue_failed, timeout=3000) as failed:
        qtbot.keyClick(dialog, Qt.Key.Key_F12)
    assert "no es válido" in failed.args[0]
    dialog.tax_id_field.clear()
    qtbot.keyClicks(dialog.tax_id_field, "B58818501")
    save_screenshot(dialog, "replacement_invoice_dialog")

    before = size_of(printer_file)
    with qtbot.waitSignals([dialog.invoice_issued, dialog.print_finished], timeout=10000):
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    issued = dialog.issued
    assert issued is not None and issued.invoice_number == "T01-C01-F2026-000001"
    qtbot.waitUntil(lambda: "Sustituye a" in dialog.preview.toPlainText())
    settle(qtbot, window)
    assert dialog.status_label.text() == "Factura T01-C01-F2026-000001 emitida e impresa."
    assert not dialog.issue_button.isVisible() and dialog.reprint_button.isVisible()
    save_screenshot(dialog, "replacement_invoice_issued")

    printed = printed_since(printer_file, before)
    [qr] = printed.events_of(QrCode)
    assert "numserie=T01-C01-F2026-000001" in qr.data and "fecha=26-11-2026" in qr.data
    for expected in (
        "FACTURA",
        "T01-C01-F2026-000001",
        "Ferretería Sol SL",
        "B58818501",
        "Calle de Alcalá 50",
        "28014 Madrid",
        "Sustituye a",
        f"{today.receipt_number} (26/11/2026)",
        f"{earlier.receipt_number} (25/11/2026)",
        "VERI*FACTU",
    ):
        assert expected in printed.text, expected
    preview = ReceiptPreviewDialog(dialog.preview.toPlainText(), issued.invoice_number)
    qtbot.addWidget(preview)
    preview.resize(560, 1400)
    preview.show()
    qtbot.waitExposed(preview)
    save_screenshot(preview, "replacement_invoice_receipt")
    preview.close()
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT invoice_type, replaced, recipient_tax_id FROM fiscal_records "
                "WHERE series_number = 'T01-C01-F2026-000001'"
            )
        ).one()
    assert row.invoice_type == "F3" and row.recipient_tax_id == "B58818501"
    dialog.reject()
    qtbot.waitUntil(lambda: history.invoice_dialog is None)

    # The same ticket again: refused, naming the invoice that replaced it.
    with qtbot.waitSignal(history.invoice_dialog_opened, timeout=3000) as opened:
        qtbot.mouseClick(history.invoice_button, Qt.MouseButton.LeftButton)
    again = opened.args[0]
    qtbot.waitUntil(lambda: "ya se sustituyó" in again.status_label.text())
    assert "T01-C01-F2026-000001" in again.status_label.text()
    assert again.numbers() == []
    save_screenshot(again, "replacement_invoice_refused")
    again.reject()
    history.reject()
    qtbot.waitUntil(lambda: window.active_dialog is None)
