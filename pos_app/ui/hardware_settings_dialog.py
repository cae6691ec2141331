"""Hardware settings: pick and configure each device, test it, see its state live.

One tab per device (printer, drawer, scanner, customer display, scale) and a strip on top
with every device's state, refreshed every two seconds while the screen is open. The test
buttons ("Imprimir prueba", "Abrir cajón", the scan test, "Probar visor", "Leer peso") act on
the devices in use: when the form has changes, they are saved and applied first, so what is
tested is what is on screen. Saving writes the settings file (DESIGN section 3), so the
devices survive a restart; IT can write the same file by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hardware.status import DeviceState, DeviceStatus
from pos_app.config import (
    BAUD_RATES,
    TERMINATORS,
    ConfigError,
    DeviceSettings,
    DisplaySettings,
    DrawerSettings,
    ScaleSettings,
    ScannerSettings,
)
from pos_app.domain.barcode import BarcodeLayout, parse_scan
from pos_app.domain.errors import PosError
from pos_app.ui.device_controller import DeviceController
from pos_app.ui.error_messages import describe_error
from pos_app.ui.qt_helpers import TOUCH_HEIGHT, ensure_readable_font
from pos_app.ui.task_runner import Runner

log = logging.getLogger(__name__)

STATUS_REFRESH_MS = 2000


def _combo(items: list[tuple[str, Any]]) -> QComboBox:
    box = QComboBox()
    for label, data in items:
        box.addItem(label, data)
    box.setMinimumHeight(TOUCH_HEIGHT - 8)
    return box


def _select(box: QComboBox, data: Any) -> None:
    index = box.findData(data)
    box.setCurrentIndex(max(index, 0))


def _spin(low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    if suffix:
        spin.setSuffix(suffix)
    return spin


class HardwareSettingsDialog(QDialog):
    """Signals (for tests and tools):
    statuses_shown(dict): the state strip was refreshed with these states.
    test_finished(str, bool, str): a test ended (device, ok, message shown).
    scan_received(str, str): a scan reached the scan test (code, verdict shown).
    """

    statuses_shown = Signal(dict)
    test_finished = Signal(str, bool, str)
    scan_received = Signal(str, str)

    def __init__(
        self,
        runner: Runner,
        controller: DeviceController,
        *,
        barcode_layout: BarcodeLayout | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("hardwareSettingsDialog")
        self._runner = runner
        self._controller = controller
        self._layout = barcode_layout or BarcodeLayout.spanish_default()
        self._closed = False
        self._calibrating = False
        self._wedge_before: Any = None
        self._keymap: tuple[tuple[str, str], ...] = controller.settings.scanner.keymap
        self.setWindowTitle(self.tr("Dispositivos de la caja"))
        self.setMinimumSize(900, 640)
        ensure_readable_font(self)

        root = QVBoxLayout(self)
        root.addWidget(self._build_status_strip())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("deviceTabs")
        self.tabs.addTab(self._build_printer_tab(), self.tr("Impresora"))
        self.tabs.addTab(self._build_drawer_tab(), self.tr("Cajón"))
        self.tabs.addTab(self._build_scanner_tab(), self.tr("Escáner"))
        self.tabs.addTab(self._build_display_tab(), self.tr("Visor"))
        self.tabs.addTab(self._build_scale_tab(), self.tr("Báscula"))
        root.addWidget(self.tabs, 1)

        self.message = QLabel("")
        self.message.setObjectName("messageBanner")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(40)
        root.addWidget(self.message)
        self._say("", "info")

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("Guardar y aplicar"))
        self.save_button.setObjectName("saveDevicesButton")
        self.save_button.setMinimumHeight(TOUCH_HEIGHT)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(self.tr("Cerrar"))
        self.close_button.setObjectName("closeButton")
        self.close_button.setMinimumHeight(TOUCH_HEIGHT)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        root.addLayout(buttons)

        self.load(controller.settings)
        controller.status_changed.connect(self._on_status_changed)
        controller.scanned.connect(self.take_scan)
        for name, status in controller.statuses.items():
            self._show_status(name, status)
        self._timer = QTimer(self)
        self._timer.setInterval(STATUS_REFRESH_MS)
        self._timer.timeout.connect(self.refresh_statuses)
        self._timer.start()
        self.finished.connect(self._on_finished)
        self.refresh_statuses()

    # --- building ----------------------------------------------------------------------------
    def _build_status_strip(self) -> QWidget:
        strip = QFrame()
        strip.setObjectName("deviceStatusStrip")
        row = QHBoxLayout(strip)
        self.status_labels: dict[str, QLabel] = {}
        names = {
            "printer": self.tr("Impresora"),
            "drawer": self.tr("Cajón"),
            "scanner": self.tr("Escáner"),
            "display": self.tr("Visor"),
            "scale": self.tr("Báscula"),
        }
        self._device_names = names
        for name, caption in names.items():
            label = QLabel(f"{caption}\n…")
            label.setObjectName(f"{name}State")
            label.setProperty("deviceState", "connecting")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setMinimumHeight(TOUCH_HEIGHT + 8)
            row.addWidget(label, 1)
            self.status_labels[name] = label
        return strip

    def _form_page(self) -> tuple[QWidget, QFormLayout, QVBoxLayout]:
        page = QWidget()
        outer = QVBoxLayout(page)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(form)
        return page, form, outer

    def _test_button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setMinimumHeight(TOUCH_HEIGHT)
        button.clicked.connect(slot)
        return button

    def _build_printer_tab(self) -> QWidget:
        page, form, outer = self._form_page()
        self.printer_kind = _combo(
            [
                (self.tr("Red (TCP 9100)"), "network"),
                (self.tr("USB"), "usb"),
                (self.tr("Serie"), "serial"),
                (self.tr("Impresora de Windows"), "windows"),
                (self.tr("Archivo o dispositivo"), "file"),
                (self.tr("Solo vista previa en pantalla"), "preview"),
                (self.tr("Ninguna"), "none"),
            ]
        )
        self.printer_kind.setObjectName("printerKind")
        self.printer_host = QLineEdit()
        self.printer_host.setPlaceholderText("192.168.1.50")
        self.printer_port = _spin(1, 65535, 9100)
        self.printer_device = QLineEdit()
        self.printer_device.setPlaceholderText("/dev/ttyUSB0 · COM3")
        self.printer_baud = _combo([(str(b), b) for b in BAUD_RATES])
        self.printer_vendor = QLineEdit()
        self.printer_vendor.setPlaceholderText("04b8")
        self.printer_product = QLineEdit()
        self.printer_product.setPlaceholderText("0202")
        self.printer_name = QLineEdit()
        self.printer_path = QLineEdit()
        self.printer_path.setPlaceholderText("/dev/usb/lp0")
        self.printer_paper = _combo(
            [(self.tr("80 mm (48 columnas)"), 48), (self.tr("58 mm (32 columnas)"), 32)]
        )
        self.printer_timeout = QDoubleSpinBox()
        self.printer_timeout.setRange(0.5, 60.0)
        self.printer_timeout.setDecimals(1)
        self.printer_timeout.setSuffix(" s")
        self.printer_logo = QLineEdit()
        self.printer_logo.setPlaceholderText(self.tr("ruta de una imagen (opcional)"))
        self.printer_qr = QLineEdit()
        self.printer_qr.setPlaceholderText("https://tienda.example/ticket/{number}")
        form.addRow(self.tr("Conexión"), self.printer_kind)
        form.addRow(self.tr("Dirección IP o nombre"), self.printer_host)
        form.addRow(self.tr("Puerto TCP"), self.printer_port)
        form.addRow(self.tr("Puerto serie"), self.printer_device)
        form.addRow(self.tr("Velocidad (baudios)"), self.printer_baud)
        form.addRow(self.tr("USB: fabricante (hex)"), self.printer_vendor)
        form.addRow(self.tr("USB: producto (hex)"), self.printer_product)
        form.addRow(self.tr("Nombre de la impresora"), self.printer_name)
        form.addRow(self.tr("Archivo o dispositivo"), self.printer_path)
        form.addRow(self.tr("Papel"), self.printer_paper)
        form.addRow(self.tr("Tiempo de espera"), self.printer_timeout)
        form.addRow(self.tr("Logotipo"), self.printer_logo)
        form.addRow(self.tr("Código QR (opcional)"), self.printer_qr)
        self._printer_form = form
        self._printer_rows = {
            "network": (self.printer_host, self.printer_port),
            "serial": (self.printer_device, self.printer_baud),
            "usb": (self.printer_vendor, self.printer_product),
            "windows": (self.printer_name,),
            "file": (self.printer_path,),
        }
        self.printer_kind.currentIndexChanged.connect(self._update_printer_rows)
        self.test_print_button = self._test_button(
            self.tr("Imprimir prueba"), "testPrintButton", self.test_print
        )
        outer.addWidget(self.test_print_button)
        outer.addStretch(1)
        return page

    def _build_drawer_tab(self) -> QWidget:
        page, form, outer = self._form_page()
        self.drawer_kind = _combo(
            [
                (self.tr("Conectado a la impresora de tickets"), "printer"),
                (self.tr("Ninguno"), "none"),
            ]
        )
        self.drawer_pin = _combo([(self.tr("Pin 2 (el habitual)"), 2), (self.tr("Pin 5"), 5)])
        self.drawer_on_cash = QCheckBox(self.tr("Abrir al cobrar en efectivo"))
        self.drawer_manual = QCheckBox(
            self.tr("Permitir abrirlo sin venta (se pide un motivo y queda registrado)")
        )
        form.addRow(self.tr("Cajón"), self.drawer_kind)
        form.addRow(self.tr("Conector"), self.drawer_pin)
        form.addRow("", self.drawer_on_cash)
        form.addRow("", self.drawer_manual)
        self.drawer_reason = QLineEdit()
        self.drawer_reason.setObjectName("drawerReason")
        self.drawer_reason.setPlaceholderText(self.tr("Motivo, p. ej. «prueba del cajón»"))
        form.addRow(self.tr("Motivo"), self.drawer_reason)
        self.open_drawer_button = self._test_button(
            self.tr("Abrir cajón"), "openDrawerButton", self.test_drawer
        )
        outer.addWidget(self.open_drawer_button)
        outer.addStretch(1)
        return page

    def _build_scanner_tab(self) -> QWidget:
        page, form, outer = self._form_page()
        self.scanner_kind = _combo(
            [
                (self.tr("Teclado (USB HID, «keyboard wedge»)"), "wedge"),
                (self.tr("Serie o USB-CDC"), "serial"),
                (self.tr("Ninguno"), "none"),
            ]
        )
        self.scanner_prefix = QLineEdit()
        self.scanner_prefix.setMaxLength(1)
        self.scanner_suffix = QLineEdit()
        self.scanner_suffix.setMaxLength(1)
        self.scanner_interkey = _spin(5, 200, 35, " ms")
        self.scanner_min_length = _spin(1, 64, 6)
        self.scanner_port = QLineEdit()
        self.scanner_port.setPlaceholderText("/dev/ttyACM0 · COM4")
        self.scanner_baud = _combo([(str(b), b) for b in BAUD_RATES])
        self.scanner_terminator = _combo([(name, name) for name in TERMINATORS])
        form.addRow(self.tr("Tipo"), self.scanner_kind)
        form.addRow(self.tr("Prefijo (opcional)"), self.scanner_prefix)
        form.addRow(self.tr("Sufijo (opcional)"), self.scanner_suffix)
        form.addRow(self.tr("Pausa máxima entre teclas"), self.scanner_interkey)
        form.addRow(self.tr("Longitud mínima"), self.scanner_min_length)
        form.addRow(self.tr("Puerto serie"), self.scanner_port)
        form.addRow(self.tr("Velocidad (baudios)"), self.scanner_baud)
        form.addRow(self.tr("Terminador"), self.scanner_terminator)
        self._scanner_form = form
        self._scanner_rows = {
            "wedge": (
                self.scanner_prefix,
                self.scanner_suffix,
                self.scanner_interkey,
                self.scanner_min_length,
            ),
            "serial": (self.scanner_port, self.scanner_baud, self.scanner_terminator),
        }
        self.scanner_kind.currentIndexChanged.connect(self._update_scanner_rows)
        test = QFrame()
        test.setObjectName("scanTestPanel")
        box = QVBoxLayout(test)
        self.scan_test_label = QLabel(
            self.tr("Prueba: escanee cualquier código; aparecerá aquí y no se añadirá a la venta.")
        )
        self.scan_test_label.setObjectName("scanTestResult")
        self.scan_test_label.setWordWrap(True)
        self.scan_test_label.setMinimumHeight(60)
        box.addWidget(self.scan_test_label)
        self.keymap_label = QLabel("")
        self.keymap_label.setObjectName("keymapLabel")
        self.keymap_label.setWordWrap(True)
        box.addWidget(self.keymap_label)
        self.calibrate_button = self._test_button(
            self.tr("Calibrar distribución de teclado"), "calibrateButton", self.start_calibration
        )
        box.addWidget(self.calibrate_button)
        outer.addWidget(test)
        outer.addStretch(1)
        return page

    def _build_display_tab(self) -> QWidget:
        page, form, outer = self._form_page()
        self.display_kind = _combo([(self.tr("Ninguno"), "none"), (self.tr("Serie"), "serial")])
        self.display_port = QLineEdit()
        self.display_port.setPlaceholderText("/dev/ttyUSB1 · COM5")
        self.display_baud = _combo([(str(b), b) for b in BAUD_RATES])
        self.display_protocol = _combo([("Epson (ESC/POS)", "epson"), ("CD5220", "cd5220")])
        self.display_columns = _spin(16, 40, 20)
        self.display_greeting = QLineEdit()
        form.addRow(self.tr("Visor de cliente"), self.display_kind)
        form.addRow(self.tr("Puerto serie"), self.display_port)
        form.addRow(self.tr("Velocidad (baudios)"), self.display_baud)
        form.addRow(self.tr("Juego de órdenes"), self.display_protocol)
        form.addRow(self.tr("Columnas"), self.display_columns)
        form.addRow(self.tr("Saludo en reposo"), self.display_greeting)
        self.test_display_button = self._test_button(
            self.tr("Probar visor"), "testDisplayButton", self.test_display
        )
        outer.addWidget(self.test_display_button)
        outer.addStretch(1)
        return page

    def _build_scale_tab(self) -> QWidget:
        page, form, outer = self._form_page()
        self.scale_kind = _combo(
            [(self.tr("Ninguna"), "none"), (self.tr("Serie (Mettler Toledo 8217)"), "serial")]
        )
        self.scale_port = QLineEdit()
        self.scale_port.setPlaceholderText("/dev/ttyUSB2 · COM6")
        self.scale_baud = _combo([(str(b), b) for b in BAUD_RATES])
        form.addRow(self.tr("Báscula"), self.scale_kind)
        form.addRow(self.tr("Puerto serie"), self.scale_port)
        form.addRow(self.tr("Velocidad (baudios)"), self.scale_baud)
        self.weigh_button = self._test_button(
            self.tr("Leer peso"), "readWeightButton", self.test_scale
        )
        outer.addWidget(self.weigh_button)
        outer.addStretch(1)
        return page

    def _update_printer_rows(self) -> None:
        kind = self.printer_kind.currentData()
        for row_kind, widgets in self._printer_rows.items():
            for widget in widgets:
                self._printer_form.setRowVisible(widget, row_kind == kind)
        for widget in (
            self.printer_paper,
            self.printer_timeout,
            self.printer_logo,
            self.printer_qr,
        ):
            self._printer_form.setRowVisible(widget, kind != "none")

    def _update_scanner_rows(self) -> None:
        kind = self.scanner_kind.currentData()
        for row_kind, widgets in self._scanner_rows.items():
            for widget in widgets:
                self._scanner_form.setRowVisible(widget, row_kind == kind)

    # --- the form <-> settings ---------------------------------------------------------------
    def load(self, s: DeviceSettings) -> None:
        p = s.printer
        _select(self.printer_kind, p.kind)
        self.printer_host.setText(p.host)
        self.printer_port.setValue(p.port)
        self.printer_device.setText(p.device)
        _select(self.printer_baud, p.baudrate)
        self.printer_vendor.setText(f"{p.vendor_id:04x}" if p.vendor_id else "")
        self.printer_product.setText(f"{p.product_id:04x}" if p.product_id else "")
        self.printer_name.setText(p.name)
        self.printer_path.setText(p.path)
        _select(self.printer_paper, 32 if p.width == 32 else 48)
        self.printer_timeout.setValue(p.timeout)
        self.printer_logo.setText(p.logo)
        self.printer_qr.setText(p.qr)
        d = s.drawer
        _select(self.drawer_kind, d.kind)
        _select(self.drawer_pin, d.pin)
        self.drawer_on_cash.setChecked(d.open_on_cash)
        self.drawer_manual.setChecked(d.allow_manual_open)
        sc = s.scanner
        _select(self.scanner_kind, sc.kind)
        self.scanner_prefix.setText(sc.prefix)
        self.scanner_suffix.setText(sc.suffix)
        self.scanner_interkey.setValue(sc.max_interkey_ms)
        self.scanner_min_length.setValue(sc.min_length)
        self.scanner_port.setText(sc.port)
        _select(self.scanner_baud, sc.baudrate)
        _select(self.scanner_terminator, sc.terminator)
        self._keymap = sc.keymap
        self._show_keymap()
        ds = s.display
        _select(self.display_kind, ds.kind)
        self.display_port.setText(ds.port)
        _select(self.display_baud, ds.baudrate)
        _select(self.display_protocol, ds.protocol)
        self.display_columns.setValue(ds.columns)
        self.display_greeting.setText(ds.greeting)
        sl = s.scale
        _select(self.scale_kind, sl.kind)
        self.scale_port.setText(sl.port)
        _select(self.scale_baud, sl.baudrate)
        self._update_printer_rows()
        self._update_scanner_rows()

    def _hex(self, field: QLineEdit, what: str) -> int:
        text = field.text().strip().lower().removeprefix("0x")
        if not text:
            return 0
        try:
            value = int(text, 16)
        except ValueError:
            raise ConfigError(what) from None
        return value

    def form_settings(self) -> DeviceSettings:
        """What the form says (raises ConfigError for a USB id that is not hexadecimal)."""
        current = self._controller.settings
        return DeviceSettings(
            printer=replace(
                current.printer,
                kind=self.printer_kind.currentData(),
                host=self.printer_host.text().strip(),
                port=self.printer_port.value(),
                device=self.printer_device.text().strip(),
                baudrate=self.printer_baud.currentData(),
                vendor_id=self._hex(self.printer_vendor, "vendor_id"),
                product_id=self._hex(self.printer_product, "product_id"),
                name=self.printer_name.text().strip(),
                path=self.printer_path.text().strip(),
                width=self.printer_paper.currentData(),
                timeout=round(self.printer_timeout.value(), 1),
                logo=self.printer_logo.text().strip(),
                qr=self.printer_qr.text().strip(),
            ),
            drawer=DrawerSettings(
                kind=self.drawer_kind.currentData(),
                pin=self.drawer_pin.currentData(),
                open_on_cash=self.drawer_on_cash.isChecked(),
                allow_manual_open=self.drawer_manual.isChecked(),
            ),
            scanner=ScannerSettings(
                kind=self.scanner_kind.currentData(),
                prefix=self.scanner_prefix.text(),
                suffix=self.scanner_suffix.text(),
                max_interkey_ms=self.scanner_interkey.value(),
                min_length=self.scanner_min_length.value(),
                keymap=self._keymap,
                port=self.scanner_port.text().strip(),
                baudrate=self.scanner_baud.currentData(),
                terminator=self.scanner_terminator.currentData(),
            ),
            display=DisplaySettings(
                kind=self.display_kind.currentData(),
                port=self.display_port.text().strip(),
                baudrate=self.display_baud.currentData(),
                protocol=self.display_protocol.currentData(),
                columns=self.display_columns.value(),
                greeting=self.display_greeting.text(),
            ),
            scale=ScaleSettings(
                kind=self.scale_kind.currentData(),
                port=self.scale_port.text().strip(),
                baudrate=self.scale_baud.currentData(),
            ),
        )

    # --- saving ------------------------------------------------------------------------------
    def _say(self, text: str, kind: str) -> None:
        self.message.setText(text)
        self.message.setProperty("kind", kind)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _apply_if_changed(self) -> bool:
        """Save and apply the form when it differs from the devices in use; False (with the
        problem shown) when it cannot be."""
        try:
            settings = self.form_settings()
            if settings != self._controller.settings:
                self._controller.apply(settings)
        except (ConfigError, PosError) as exc:
            self._say(self._settings_problem(exc), "error")
            return False
        except Exception as exc:
            log.error("devices not applied", exc_info=exc)
            self._say(
                self.tr("No se pudieron aplicar los cambios: {error}").format(error=exc), "error"
            )
            return False
        return True

    def _settings_problem(self, exc: BaseException) -> str:
        if isinstance(exc, PosError):
            return describe_error(exc)
        return self.tr("Revise los ajustes: {problem}").format(problem=exc)

    def save(self) -> None:
        if self._apply_if_changed():
            self._say(self.tr("Ajustes guardados y aplicados."), "success")
            self.refresh_statuses()

    # --- live states -------------------------------------------------------------------------
    def refresh_statuses(self) -> None:
        if not self._closed:
            self._controller.refresh_statuses(self._on_statuses)

    def _on_statuses(self, statuses: dict[str, DeviceStatus]) -> None:
        if self._closed:
            return
        for name, status in statuses.items():
            self._show_status(name, status)
        self.statuses_shown.emit(statuses)

    def _on_status_changed(self, name: str, status: DeviceStatus) -> None:
        if not self._closed:
            self._show_status(name, status)

    def state_text(self, state: DeviceState) -> str:
        return {
            DeviceState.DISABLED: self.tr("sin configurar"),
            DeviceState.CONNECTING: self.tr("conectando…"),
            DeviceState.READY: self.tr("funciona"),
            DeviceState.OFFLINE: self.tr("sin conexión"),
            DeviceState.NO_PAPER: self.tr("sin papel"),
            DeviceState.ERROR: self.tr("con error"),
        }[state]

    def _show_status(self, name: str, status: DeviceStatus) -> None:
        label = self.status_labels.get(name)
        if label is None:
            return
        label.setText(f"{self._device_names[name]}\n{self.state_text(status.state)}")
        label.setToolTip(status.detail)
        label.setProperty("deviceState", status.state.value)
        label.style().unpolish(label)
        label.style().polish(label)

    # --- tests -------------------------------------------------------------------------------
    def _finish_test(self, device: str, ok: bool, text: str) -> None:
        if self._closed:
            return
        self._say(text, "success" if ok else "error")
        self.test_finished.emit(device, ok, text)
        self.refresh_statuses()

    def _failed(self, device: str) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            if not isinstance(exc, PosError):
                log.warning("%s test failed: %s", device, exc)
            self._finish_test(device, False, describe_error(exc))

        return failed

    def test_print(self) -> None:
        if not self._apply_if_changed():
            return
        from pos_app.ui.wedge import CALIBRATION_CODE

        self._say(self.tr("Imprimiendo la página de prueba…"), "info")
        service = self._controller.service
        self._runner.run_io(
            lambda: service.print_test_page(CALIBRATION_CODE),
            lambda _: self._finish_test(
                "printer",
                True,
                self.tr(
                    "Página de prueba enviada. Compruebe las eñes, los acentos y el euro; "
                    "su código de barras sirve para calibrar el escáner."
                ),
            ),
            self._failed("printer"),
        )

    def test_drawer(self) -> None:
        if not self._apply_if_changed():
            return
        reason = self.drawer_reason.text().strip() or self.tr("prueba desde Dispositivos")

        def opened(opening: object) -> None:
            ok = bool(getattr(opening, "ok", False))
            if ok:
                self._finish_test("drawer", True, self.tr("Cajón abierto (queda registrado)."))
            else:
                self._finish_test(
                    "drawer",
                    False,
                    self.tr("El cajón no se abrió: {error}").format(
                        error=getattr(opening, "error", "")
                    ),
                )

        self._controller.drawer_opened.connect(opened, Qt.ConnectionType.SingleShotConnection)
        self._controller.open_drawer(reason, self._failed("drawer"))

    def test_display(self) -> None:
        if not self._apply_if_changed():
            return
        from pos_app.services.devices import DisplayText

        service = self._controller.service
        text = DisplayText("Mostrador", "Prueba: ñ á € 1,00")

        def shown(status: DeviceStatus) -> None:
            self._show_status("display", status)
            if status.state is DeviceState.READY:
                self._finish_test("display", True, self.tr("Visor: compruebe las dos líneas."))
            elif status.state is DeviceState.DISABLED:
                self._finish_test("display", False, self.tr("No hay visor configurado."))
            else:
                self._finish_test(
                    "display",
                    False,
                    self.tr(
                        "El visor no responde: compruebe el cable, el puerto y que esté "
                        "encendido ({error})."
                    ).format(error=status.detail),
                )

        self._runner.run_io(lambda: service.show(text), shown, self._failed("display"))

    def test_scale(self) -> None:
        if not self._apply_if_changed():
            return
        service = self._controller.service

        def weighed(kg: Decimal) -> None:
            self._finish_test(
                "scale", True, self.tr("Peso: {kg} kg").format(kg=f"{kg:.3f}".replace(".", ","))
            )

        self._runner.run_io(service.read_weight, weighed, self._failed("scale"))

    # --- scans -------------------------------------------------------------------------------
    def start_calibration(self) -> None:
        if not self._apply_if_changed():
            return
        wedge = self._controller.wedge
        if wedge is None:
            self._say(self.tr("La calibración es para escáneres de tipo teclado."), "error")
            return
        # The calibration scan must arrive as typed, without the corrections learnt before.
        self._wedge_before = wedge.settings
        wedge.set_settings(replace(wedge.settings, keymap={}))
        self._calibrating = True
        self.scan_test_label.setText(
            self.tr(
                "Calibración: escanee el código de barras de la página de prueba "
                "(Imprimir prueba, en la pestaña Impresora)."
            )
        )

    def _end_calibration(self) -> None:
        self._calibrating = False
        wedge = self._controller.wedge
        if wedge is not None and self._wedge_before is not None:
            wedge.set_settings(self._wedge_before)
        self._wedge_before = None

    def take_scan(self, code: str) -> bool:
        """A scan while this screen is open: shown here, never added to the sale."""
        if self._closed:
            return False
        if self._calibrating:
            self._calibrate(code)
            return True
        try:
            parsed = parse_scan(code, self._layout)
            verdict = self.tr("válido ({kind})").format(kind=parsed.kind.value)
        except PosError as exc:
            verdict = describe_error(exc)
        shown = code.replace("\x1d", "<GS>")
        self.scan_test_label.setText(
            self.tr("Recibido: {code}\n{verdict}").format(code=shown, verdict=verdict)
        )
        self.scan_received.emit(code, verdict)
        return True

    def _calibrate(self, received: str) -> None:
        from pos_app.ui.wedge import CALIBRATION_CODE, CalibrationOutcome, calibrate

        self._end_calibration()
        result = calibrate(CALIBRATION_CODE, received)
        log.info("scanner calibration: %s %s", result.outcome.value, result.problem)
        if result.ok:
            self._keymap = tuple(sorted(result.keymap.items()))
            self._show_keymap()
            if self._keymap:
                text = self.tr(
                    "El escáner escribe con otra distribución de teclado: sus códigos se "
                    "corregirán automáticamente. Pulse «Guardar y aplicar»."
                )
            else:
                text = self.tr("Calibración correcta: el escáner y el sistema coinciden.")
        else:
            why = {
                CalibrationOutcome.NOTHING_RECEIVED: self.tr("no llegó ningún carácter"),
                CalibrationOutcome.LENGTH_DIFFERS: self.tr(
                    "se pierden caracteres (teclas muertas de la distribución española)"
                ),
                CalibrationOutcome.CAPS_LOCK: self.tr(
                    "las letras llegan al revés: desactive Bloq Mayús y repita"
                ),
                CalibrationOutcome.AMBIGUOUS: self.tr("dos caracteres distintos llegan iguales"),
            }.get(result.outcome, result.problem)
            text = self.tr(
                "No se puede corregir: {problem}. Configure el escáner con la distribución de "
                "teclado del sistema (vea su manual) o use el modo serie (USB-CDC)."
            ).format(problem=why)
        self.scan_test_label.setText(text)
        self.scan_received.emit(received, result.outcome.value)

    def _show_keymap(self) -> None:
        if self._keymap:
            pairs = ", ".join(f"{a} → {b}" for a, b in self._keymap)
            self.keymap_label.setText(
                self.tr("Correcciones de teclado: {pairs}").format(pairs=pairs)
            )
        else:
            self.keymap_label.setText("")

    def _on_finished(self, _result: int) -> None:
        if self._calibrating:
            self._end_calibration()
        self._closed = True
        self._timer.stop()
        self._controller.status_changed.disconnect(self._on_status_changed)
        self._controller.scanned.disconnect(self.take_scan)
