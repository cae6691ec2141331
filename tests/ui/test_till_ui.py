"""The till's screens driven as a cashier drives them: the real window wired by the composition
root with the till required, the real runner, database and receipt printer (a file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from sqlalchemy import text
from support import COFFEE, MILK, save_screenshot

from hardware.escpos_decoder import decode
from hardware.printers import FileReceiptPrinter
from pos_app.bootstrap import build_main_window, build_register
from pos_app.config import ScannerSettings, Settings
from pos_app.domain.money import Money
from pos_app.ui.app import style_sheet
from pos_app.ui.main_window import MainWindow
from pos_app.ui.till_dialog import (
    CashMovementDialog,
    CloseTillDialog,
    OpenTillDialog,
    TillDialog,
    XReportDialog,
)


@pytest.fixture
def till_window(qtbot, qapp, engine, printer_file, clock, tmp_path):  # type: ignore[no-untyped-def]
    register = build_register(
        engine,
        Settings(cashier="Ana", scanner=ScannerSettings(kind="none")),
        printer=FileReceiptPrinter(printer_file),
        printer_name=str(printer_file),
        clock=clock,  # type: ignore[arg-type]
        backups=tmp_path / "backups",
    )
    qapp.setStyleSheet(style_sheet())
    win, runner = build_main_window(register, "es_ES")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win, register
    win.close()
    runner.shutdown()
    register.db_executor.shutdown(wait=True)


def settle(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.presenter._runner.idle)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: window.presenter._runner.idle)


def count_rows(engine, sql: str) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_a_closed_till_opens_the_open_screen_at_start_and_a_sale_asks_for_it(
    qtbot, till_window, engine
):
    window, register = till_window
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, OpenTillDialog), timeout=3000)
    assert window.status_till.text() == "Caja cerrada"
    dialog = window.active_dialog
    assert isinstance(dialog, OpenTillDialog)
    qtbot.waitExposed(dialog)

    # Touch-friendly counting: the total follows what is typed.
    dialog.counter.set_pieces(5000, 2)
    dialog.counter.set_pieces(1000, 3)
    plus = dialog.findChild(QPushButton, "more200")
    qtbot.mouseClick(plus, Qt.MouseButton.LeftButton)  # a finger on "+": one 2 € coin
    dialog.counter.set_pieces(50, 7)
    assert dialog.counter.total_label.text() == "Total contado: 135,50\xa0€"
    dialog.resize(900, 700)
    save_screenshot(dialog, "till_open_screenshot")
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.active_dialog is None)
    qtbot.waitUntil(lambda: window.status_till.text() == "Caja abierta")
    assert count_rows(engine, "SELECT float_cents FROM till_sessions") == 13550


def test_a_sale_without_an_open_till_is_refused_in_spanish(qtbot, till_window, engine):
    window, register = till_window
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, OpenTillDialog), timeout=3000)
    window.active_dialog.reject()
    qtbot.waitUntil(lambda: window.active_dialog is None)
    window.presenter.scan(COFFEE)
    settle(qtbot, window)
    window.presenter.add_cash(Money(349))
    settle(qtbot, window)
    window.presenter.complete_sale()
    settle(qtbot, window)
    assert "Abra la caja antes de vender" in window.message_label.text()
    assert count_rows(engine, "SELECT count(*) FROM sales") == 0
    assert not window.presenter.view.is_empty  # the sale is kept


def open_till_screen(qtbot, window) -> TillDialog:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(lambda: window.active_dialog is None and window.isActiveWindow())
    qtbot.keyClick(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)  # ⇧F3
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, TillDialog), timeout=3000)
    dialog = window.active_dialog
    qtbot.waitExposed(dialog)
    settle(qtbot, window)
    return dialog


def test_cash_out_x_report_and_the_blind_z_close(
    qtbot, till_window, engine, printer_file: Path, tmp_path: Path
):
    window, register = till_window
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, OpenTillDialog), timeout=3000)
    opening = window.active_dialog
    opening.counter.set_pieces(2000, 5)  # 100,00 €
    opening.confirm()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.active_dialog is None)
    for code in (COFFEE, MILK):
        register.checkout.scan(code)
    register.checkout.add_cash(Money(1000))
    register.checkout.complete_sale()  # 4,48 € in cash

    hub = open_till_screen(qtbot, window)
    assert "Caja abierta" in hub.state_label.text()
    assert not hub.open_button.isEnabled() and hub.z_button.isEnabled()
    save_screenshot(hub, "till_hub_screenshot")

    # Cash out with a reason (no staff here: no manager needed).
    moving = hub.move_cash("out")
    assert isinstance(moving, CashMovementDialog)
    qtbot.waitExposed(moving)
    moving.amount_field.setText("50")
    moving.confirm()
    settle(qtbot, window)
    assert "motivo" in moving.message_label.text()
    moving.amount_field.setText("40,00")
    moving.reason_field.setEditText("Ingreso en caja fuerte")
    save_screenshot(moving, "till_cash_out_screenshot")
    moving.confirm()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: hub.child is None)
    assert count_rows(engine, "SELECT amount_cents FROM till_movements") == 4000

    # X report: figures now, nothing closes.
    hub.x_report()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: isinstance(hub.child, XReportDialog))
    x = hub.child
    text_x = x.view.preview.toPlainText()
    assert "INFORME X" in text_x and "64,48" in text_x  # 100 + 4,48 - 40
    save_screenshot(x, "till_x_report_screenshot")
    x.reject()
    qtbot.waitUntil(lambda: hub.child is None)

    # Z: the blind count shows nothing expected until it is confirmed.
    closing = hub.close_z()
    assert isinstance(closing, CloseTillDialog)
    qtbot.waitExposed(closing)
    shown = closing.pages.currentWidget().findChildren(type(closing.counter.total_label))
    assert not any("64,48" in label.text() or "esperado" in label.text() for label in shown)
    closing.counter.set_pieces(2000, 3)
    closing.counter.set_pieces(200, 2)
    closing.counter.set_pieces(20, 2)  # 64,40 €: 0,08 € short
    save_screenshot(closing, "till_z_count_screenshot")
    before = printer_file.stat().st_size if printer_file.exists() else 0
    qtbot.mouseClick(closing.close_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: closing.closed_result is not None, timeout=5000)
    assert closing.pages.currentIndex() == 1
    assert closing.expected_label.text() == "Efectivo esperado: 64,48\xa0€"
    assert closing.difference_label.text() == "Faltan 0,08\xa0€"
    assert "Copia de seguridad" in closing.backup_label.text()
    report_text = closing.view.preview.toPlainText()
    assert "INFORME Z" in report_text and "T01-C01-Z2026-0001" in report_text
    settle(qtbot, window)
    qtbot.waitUntil(lambda: printer_file.exists() and printer_file.stat().st_size > before)
    printed = decode(printer_file.read_bytes()[before:]).text
    assert "T01-C01-Z2026-0001" in printed and "Diferencia" in printed
    save_screenshot(closing, "till_z_result_screenshot")
    assert list((tmp_path / "backups").glob("register-*.sqlite3"))
    closing.accept()
    qtbot.waitUntil(lambda: hub.child is None)
    settle(qtbot, window)
    assert hub.open_button.isEnabled() and not hub.z_button.isEnabled()
    hub.reject()
    qtbot.waitUntil(lambda: window.status_till.text() == "Caja cerrada")
