"""The store's devices through the real main window, offscreen: scans arriving on a real
pseudo-terminal, the receipt decoded from a real TCP 9100 printer, the drawer kick, the pole
display and the scale on their own ptys, unplugging and refusing, and the settings screen."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from sqlalchemy import text
from support import COFFEE, MILK, SOAP, save_screenshot

from hardware.escpos_decoder import Barcode, Cut
from hardware.simulators.display_simulator import DisplaySimulator
from hardware.simulators.scale_simulator import ScaleSimulator
from hardware.simulators.scanner_simulator import ScannerSimulator
from hardware.simulators.tcp_printer import TcpPrinterSimulator
from hardware.status import DeviceState
from pos_app.bootstrap import build_main_window, build_register
from pos_app.config import (
    DisplaySettings,
    PrinterSettings,
    ScaleSettings,
    ScannerSettings,
    Settings,
    load_settings,
)
from pos_app.ui.app import style_sheet
from pos_app.ui.hardware_settings_dialog import HardwareSettingsDialog
from pos_app.ui.input_dialogs import QuantityDialog, TextPromptDialog
from pos_app.ui.payment_dialog import PaymentDialog
from pos_app.ui.wedge import CALIBRATION_CODE


class Store:
    """The simulated devices of one register."""

    def __init__(self, tmp_path: Path) -> None:
        self.printer = TcpPrinterSimulator().start()
        self.scanner = ScannerSimulator(tmp_path / "ttyScanner")
        self.display = DisplaySimulator(tmp_path / "ttyDisplay")
        self.scale = ScaleSimulator(tmp_path / "ttyScale")
        self.config = tmp_path / "mostrador.toml"

    def settings(self) -> Settings:
        return Settings(
            cashier="Ana",
            printer=PrinterSettings(
                kind="network", host="127.0.0.1", port=self.printer.port, timeout=2.0
            ),
            scanner=ScannerSettings(kind="serial", port=str(self.scanner.path)),
            display=DisplaySettings(kind="serial", port=str(self.display.path)),
            scale=ScaleSettings(kind="serial", port=str(self.scale.path)),
        )

    def close(self) -> None:
        self.printer.stop()
        for device in (self.scanner, self.display, self.scale):
            device.close()


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    devices = Store(tmp_path)
    yield devices
    devices.close()


def open_window(qtbot, qapp, engine, clock, store: Store, settings: Settings | None = None):  # type: ignore[no-untyped-def]
    qapp.setStyleSheet(style_sheet())
    register = build_register(engine, settings or store.settings(), clock=clock)
    register.config_path = store.config
    win, runner = build_main_window(register, "es_ES")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win, runner, register


@pytest.fixture
def hw_window(qtbot, qapp, engine, clock, store: Store):  # type: ignore[no-untyped-def]
    win, runner, register = open_window(qtbot, qapp, engine, clock, store)
    yield win
    win.close()
    win.devices.close()
    runner.shutdown()
    register.db_executor.shutdown(wait=True)


def idle(window) -> bool:  # type: ignore[no-untyped-def]
    return window.presenter._runner.idle


def scan_on_pty(qtbot, window, store: Store, code: str) -> None:  # type: ignore[no-untyped-def]
    before = window.presenter.view.lines
    rows, quantity = len(before), sum(line.quantity for line in before)
    store.scanner.scan(code)

    def added() -> bool:
        view = window.presenter.view
        return idle(window) and (
            len(view.lines) > rows or sum(line.quantity for line in view.lines) > quantity
        )

    qtbot.waitUntil(added, timeout=5000)


def pay_cash_20(qtbot, window) -> object:  # type: ignore[no-untyped-def]
    window.open_payment()
    pay = window.active_dialog
    assert isinstance(pay, PaymentDialog)
    qtbot.mouseClick(
        pay.findChild(type(pay.complete_button), "quickCash20"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: pay.complete_button.isEnabled())
    with qtbot.waitSignal(window.presenter.receipt_printed, timeout=10000) as printed:
        qtbot.mouseClick(pay.complete_button, Qt.MouseButton.LeftButton)
    return printed.args[0]


def test_a_whole_sale_from_pty_scans_to_the_receipt_on_the_tcp_printer(
    qtbot, hw_window, store: Store, engine
) -> None:
    window = hw_window
    qtbot.waitUntil(
        lambda: (
            window.devices.statuses.get("scanner", None) is not None
            and window.devices.statuses["scanner"].state is DeviceState.READY
        ),
        timeout=5000,
    )
    # Scans land in the sale even while the focus is somewhere else.
    window.status_store.setFocus()
    for code in (COFFEE, MILK, SOAP):
        scan_on_pty(qtbot, window, store, code)
    assert window.cart_model.rowCount() == 3
    store.display.wait_for_lines(
        window.devices.service.cart_text("Jabón de manos 500 ml", Decimal(1), 1210, 1658).top,
        window.devices.service.cart_text("x", Decimal(1), 0, 1658).bottom,
        timeout=5,
    )

    result = pay_cash_20(qtbot, window)
    assert result.ok, result.error
    [receipt] = store.printer.wait_for_receipts(1)
    with engine.connect() as conn:
        number = conn.execute(text("SELECT receipt_number FROM sales")).scalar_one()
    body = receipt.text
    for expected in (
        "Ultramarinos La Plaza",
        "FACTURA SIMPLIFICADA",
        "Café molido natural 250 g",
        "Leche entera 1 l",
        "Jabón de manos 500 ml",
        "16,58 €",
        "Efectivo",
        "20,00 €",
        "Cambio",
        "3,42 €",
        number,
    ):
        assert expected in body, expected
    assert [b.text for b in receipt.events_of(Barcode)] == [number]
    assert receipt.events_of(Cut)
    # A cash sale opens the drawer (pin 2 by default), and the opening is logged.
    [kick] = store.printer.wait_for_kicks(1)
    assert kick.pin == 2
    qtbot.waitUntil(lambda: idle(window))
    with engine.connect() as conn:
        qtbot.waitUntil(
            lambda: conn.execute(text("SELECT count(*) FROM drawer_openings")).scalar_one() == 1
        )
    # The customer sees the total and the change.
    store.display.wait_for_lines(
        window.devices.service._two_columns("TOTAL", "16,58 €"),
        window.devices.service._two_columns("CAMBIO", "3,42 €"),
        timeout=5,
    )


def test_the_serial_scanner_is_unplugged_and_replugged_mid_session(
    qtbot, hw_window, store: Store
) -> None:
    window = hw_window
    qtbot.waitUntil(
        lambda: (
            window.devices.statuses.get("scanner") is not None
            and window.devices.statuses["scanner"].ready
        ),
        timeout=5000,
    )
    scan_on_pty(qtbot, window, store, COFFEE)
    store.scanner.unplug()
    qtbot.waitUntil(lambda: window.status_devices.isVisible(), timeout=5000)
    assert "Escáner: sin conexión" in window.status_devices.text()
    store.scanner.replug()
    qtbot.waitUntil(lambda: window.devices.statuses["scanner"].ready, timeout=5000)
    assert not window.status_devices.isVisible()
    scan_on_pty(qtbot, window, store, MILK)
    assert [line.product.sku for line in window.presenter.view.lines] == ["P0001", "P0002"]


def test_a_printer_that_refuses_during_a_sale_loses_nothing_and_reprints_later(
    qtbot, hw_window, store: Store, engine
) -> None:
    window = hw_window
    qtbot.waitUntil(lambda: window.devices.statuses.get("scanner") is not None, timeout=5000)
    scan_on_pty(qtbot, window, store, COFFEE)
    store.printer.refuse()
    result = pay_cash_20(qtbot, window)
    assert not result.ok and not result.maybe_printed  # refused: certainly nothing printed
    assert "ERROR" in window.status_printer.text()
    assert window.cart_model.rowCount() == 0  # the sale is saved, the till is free
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sales")).scalar_one() == 1
    # The printer comes back: F10 reprints without restarting the app.
    store.printer.accept_again()
    with qtbot.waitSignal(window.presenter.receipt_printed, timeout=10000) as printed:
        window.presenter.reprint_last()
    assert printed.args[0].ok, printed.args[0].error
    [receipt] = store.printer.wait_for_receipts(1)
    assert "Café molido natural 250 g" in receipt.text


def test_a_weighed_product_without_a_label_is_weighed_on_the_scale(
    qtbot, hw_window, store: Store
) -> None:
    window = hw_window
    store.scale.set_weight(Decimal("0.734"))
    qtbot.keyClicks(window.scan_field, "P0006")  # the tomato's SKU, sold by weight
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: idle(window) and window.cart_model.rowCount() == 1, timeout=5000)
    line = window.presenter.view.lines[0]
    assert (line.product.name, line.quantity) == ("Tomate pera", Decimal("0.734"))
    store.scale.set_weight(Decimal("1.000"), stable=False)  # never settles
    qtbot.keyClicks(window.scan_field, "P0006")
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.message_label.property("kind") == "error", timeout=8000)
    assert "se mueve" in window.message_label.text()
    assert window.cart_model.rowCount() == 1


def test_without_a_scale_the_cashier_types_the_weight(qtbot, window) -> None:
    qtbot.keyClicks(window.scan_field, "P0006")
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, QuantityDialog))
    dialog = window.active_dialog
    dialog.field.setText("0,456")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: idle(window) and window.cart_model.rowCount() == 1)
    assert window.presenter.view.lines[0].quantity == Decimal("0.456")


def test_opening_the_drawer_by_hand_asks_a_reason_and_is_logged(
    qtbot, hw_window, store: Store, engine
) -> None:
    window = hw_window
    window.open_drawer()
    dialog = window.active_dialog
    assert isinstance(dialog, TextPromptDialog)
    dialog.field.setText("cambio para la caja 2")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    [kick] = store.printer.wait_for_kicks(1)
    assert kick.pin == 2
    qtbot.waitUntil(lambda: "Cajón abierto" in window.message_label.text(), timeout=5000)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT cashier, reason, ok FROM drawer_openings")).one()
    assert tuple(row) == ("Ana", "cambio para la caja 2", 1)


def test_the_keyboard_wedge_scans_into_the_sale_from_another_field(
    qtbot, qapp, engine, clock, store: Store
) -> None:
    """A USB keyboard scanner's burst while the search dialog's field has the focus."""
    settings = store.settings()
    from dataclasses import replace

    settings = replace(settings, scanner=ScannerSettings(kind="wedge"))
    window, runner, register = open_window(qtbot, qapp, engine, clock, store, settings)
    try:
        window.open_search()
        search = window.active_dialog
        field = search.findChild(QLineEdit)
        field.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
        qtbot.keyClicks(field, COFFEE)  # as fast as a scanner types
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: idle(window) and window.cart_model.rowCount() == 1, timeout=5000)
        assert window.presenter.view.lines[0].product.sku == "P0001"
    finally:
        window.close()
        window.devices.close()
        runner.shutdown()
        register.db_executor.shutdown(wait=True)


def open_devices(qtbot, window) -> HardwareSettingsDialog:  # type: ignore[no-untyped-def]
    window.open_devices()
    dialog = window.active_dialog
    assert isinstance(dialog, HardwareSettingsDialog)
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.statuses_shown, timeout=10000):
        dialog.refresh_statuses()
    return dialog


def test_the_settings_screen_tests_each_device_and_saves_the_file(
    qtbot, hw_window, store: Store
) -> None:
    window = hw_window
    dialog = open_devices(qtbot, window)
    for name in ("printer", "drawer", "scanner", "display", "scale"):
        label = dialog.status_labels[name]
        # the serial scanner reports ready after its first read, on its own thread
        qtbot.waitUntil(lambda label=label: label.property("deviceState") == "ready")

    with qtbot.waitSignal(dialog.test_finished, timeout=10000) as done:
        dialog.test_print()
    assert done.args[:2] == ["printer", True]
    [page] = store.printer.wait_for_receipts(1)
    assert "PRUEBA DE IMPRESIÓN" in page.text and "€" in page.text
    assert [b.text for b in page.events_of(Barcode)] == [CALIBRATION_CODE]

    with qtbot.waitSignal(dialog.test_finished, timeout=10000) as done:
        dialog.test_drawer()
    assert done.args[:2] == ["drawer", True]
    assert store.printer.wait_for_kicks(1)

    with qtbot.waitSignal(dialog.scan_received, timeout=10000) as got:
        store.scanner.scan(COFFEE)
    assert got.args[0] == COFFEE
    assert window.cart_model.rowCount() == 0  # a test scan never goes into the sale

    with qtbot.waitSignal(dialog.test_finished, timeout=10000) as done:
        dialog.test_display()
    assert done.args[:2] == ["display", True]
    store.display.wait_for_lines("Mostrador", "Prueba: ñ á € 1,00", timeout=5)

    store.scale.set_weight(Decimal("2.5"))
    with qtbot.waitSignal(dialog.test_finished, timeout=10000) as done:
        dialog.test_scale()
    assert done.args[:2] == ["scale", True] and "2,500 kg" in done.args[2]

    # Pin 5 and a 58 mm roll: saved to the settings file and used at once.
    dialog.drawer_pin.setCurrentIndex(dialog.drawer_pin.findData(5))
    dialog.printer_paper.setCurrentIndex(dialog.printer_paper.findData(32))
    dialog.save()
    assert dialog.message.property("kind") == "success", dialog.message.text()
    saved = load_settings(store.config)
    assert saved.drawer.pin == 5 and saved.printer.width == 32
    assert saved.scanner.port == str(store.scanner.path)
    with qtbot.waitSignal(dialog.test_finished, timeout=10000):
        dialog.test_drawer()
    kicks = store.printer.wait_for_kicks(2)
    assert kicks[-1].pin == 5


def test_the_settings_screen_shows_a_device_that_is_gone(qtbot, hw_window, store: Store) -> None:
    window = hw_window
    store.printer.refuse()
    store.display.unplug()
    dialog = open_devices(qtbot, window)
    assert dialog.status_labels["printer"].property("deviceState") == "offline"
    with qtbot.waitSignal(dialog.test_finished, timeout=10000) as done:
        dialog.test_display()
    assert done.args[:2] == ["display", False]
    assert "no responde" in dialog.message.text()
    with qtbot.waitSignal(dialog.test_finished, timeout=10000) as done:
        dialog.test_print()
    assert done.args[:2] == ["printer", False]
    assert "impresora" in dialog.message.text().lower()


def test_a_bad_usb_id_is_refused_with_a_clear_message(qtbot, hw_window, store: Store) -> None:
    dialog = open_devices(qtbot, hw_window)
    dialog.printer_kind.setCurrentIndex(dialog.printer_kind.findData("usb"))
    dialog.printer_vendor.setText("zz")
    dialog.save()
    assert dialog.message.property("kind") == "error"
    assert "vendor_id" in dialog.message.text()
    assert not store.config.exists()  # nothing half-saved


# --- screenshots ------------------------------------------------------------------------------


def test_screenshot_hardware_settings(qtbot, hw_window, store: Store) -> None:
    window = hw_window
    store.display.unplug()  # one device in trouble, so the strip shows both looks
    qtbot.waitUntil(lambda: window.devices.statuses.get("scanner", None) is not None)
    qtbot.waitUntil(lambda: window.devices.statuses["scanner"].ready, timeout=5000)
    dialog = open_devices(qtbot, window)
    dialog.resize(1000, 700)
    for index, name in enumerate(["printer", "drawer", "scanner", "display", "scale"]):
        dialog.tabs.setCurrentIndex(index)
        if name == "scanner":
            with qtbot.waitSignal(dialog.scan_received, timeout=10000):
                store.scanner.scan(COFFEE)
        if name == "display":
            with qtbot.waitSignal(dialog.test_finished, timeout=10000):
                dialog.test_display()
        qtbot.wait(50)
        save_screenshot(dialog, f"hardware_settings_{name}")


def test_screenshot_checkout_with_a_device_problem(qtbot, hw_window, store: Store) -> None:
    window = hw_window
    qtbot.waitUntil(lambda: window.devices.statuses.get("scanner") is not None, timeout=5000)
    scan_on_pty(qtbot, window, store, COFFEE)
    store.scanner.unplug()
    qtbot.waitUntil(lambda: window.status_devices.isVisible(), timeout=5000)
    save_screenshot(window, "checkout_scanner_unplugged")


def test_after_a_sale_the_display_shows_the_change_then_the_greeting(
    qtbot, qapp, engine, clock, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pos_app.ui.device_controller as controller_module

    monkeypatch.setattr(controller_module, "IDLE_AFTER_SALE_MS", 400)
    window, runner, register = open_window(qtbot, qapp, engine, clock, store)
    try:
        store.display.wait_for_lines("Bienvenido", "Ultramarinos La Plaz", timeout=5)  # 20 columns
        qtbot.waitUntil(lambda: window.devices.statuses.get("scanner") is not None, timeout=5000)
        scan_on_pty(qtbot, window, store, COFFEE)
        assert pay_cash_20(qtbot, window).ok
        service = window.devices.service
        change = (
            service._two_columns("TOTAL", "3,49 €"),
            service._two_columns("CAMBIO", "16,51 €"),
        )
        # the GUI thread must run for the idle timer: poll the simulator instead of blocking
        qtbot.waitUntil(lambda: store.display.lines == change, timeout=5000)
        greeting = ("Bienvenido", "Ultramarinos La Plaz")  # the store's name cut to 20 columns
        qtbot.waitUntil(lambda: store.display.lines == greeting, timeout=5000)
    finally:
        window.close()
        window.devices.close()
        runner.shutdown()
        register.db_executor.shutdown(wait=True)


def test_a_printer_out_of_paper_says_so_and_prints_nothing(qtbot, hw_window, store: Store) -> None:
    window = hw_window
    store.printer.paper_out = True
    qtbot.keyClicks(window.scan_field, COFFEE)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: idle(window) and window.cart_model.rowCount() == 1)
    result = pay_cash_20(qtbot, window)
    assert not result.ok and result.out_of_paper and not result.maybe_printed
    assert "SIN PAPEL" in window.status_printer.text()
    assert store.printer.receipts() == []
    store.printer.paper_out = False
    with qtbot.waitSignal(window.presenter.receipt_printed, timeout=10000) as printed:
        window.presenter.reprint_last()
    assert printed.args[0].ok
    assert "Café molido natural 250 g" in store.printer.wait_for_receipts(1)[0].text
