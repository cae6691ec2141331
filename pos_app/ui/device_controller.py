"""The devices seen from the GUI thread: scans in, display and drawer out, states for the screen.

Serial devices report from their own threads; everything reaches the widgets through queued
signals. Device I/O runs on the runner's I/O pool, except the customer display, which has a
thread of its own that only ever shows the newest text (a slow or unplugged display can fall
behind, never queue up, and never delays a print or a drawer kick).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from hardware.status import DeviceState, DeviceStatus
from pos_app.config import DeviceSettings
from pos_app.domain.barcode import BarcodeLayout
from pos_app.domain.permissions import Approval
from pos_app.domain.sale import SaleRecord
from pos_app.services.checkout import CartView
from pos_app.services.devices import (
    DeviceFactory,
    DevicePolicy,
    DeviceService,
    DisplayText,
    OpenDevices,
)
from pos_app.services.ports import DrawerOpening
from pos_app.ui.task_runner import ErrorCallback, Runner

log = logging.getLogger(__name__)

IDLE_AFTER_SALE_MS = 15_000  # the change stays on the customer display this long


class DeviceController(QObject):
    scanned = Signal(str)  # a scan from any scanner, on the GUI thread
    status_changed = Signal(str, object)  # device name, DeviceStatus
    drawer_opened = Signal(object)  # DrawerOpening (ok or not), after it is logged
    devices_applied = Signal(object)  # DeviceSettings now in use

    _scan_from_thread = Signal(str)
    _status_from_thread = Signal(str, object)

    def __init__(
        self,
        runner: Runner,
        service: DeviceService,
        settings: DeviceSettings,
        factory: DeviceFactory | None = None,
        save: Callable[[DeviceSettings], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.service = service
        self.settings = settings
        self._factory = factory
        self._save = save
        self._devices = OpenDevices(
            service.printer, service.printer_name, service.display, service.scale
        )
        self._wedge: Any = None
        self.barcode_layout: BarcodeLayout | None = None  # for the scan test
        self.statuses: dict[str, DeviceStatus] = {}
        self._display_pool = ThreadPoolExecutor(1, thread_name_prefix="mostrador-display")
        self._display_lock = threading.Lock()
        self._display_next: DisplayText | None = None
        self._display_busy = False
        self._closed = False
        # After a sale the display shows its total and change until the next item, or until
        # this timer brings the greeting back.
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(IDLE_AFTER_SALE_MS)
        self._idle_timer.timeout.connect(self.show_idle)
        self._scan_from_thread.connect(self.scanned)
        self._status_from_thread.connect(self._set_status)

    # --- life cycle --------------------------------------------------------------------------
    def start(self) -> None:
        """Open the devices of the settings (when a factory was given) and start scanning."""
        if self._factory is not None:
            self._use(self._factory(self.settings, self._on_thread_scan, self._on_scanner_status))
        self._install_scanner()
        self.show_idle()

    def apply(self, settings: DeviceSettings) -> None:
        """Save ``settings`` and switch to them. Raises ConfigError (and keeps the devices in
        use) when they cannot be saved or the devices cannot be built."""
        if self._factory is None:
            raise RuntimeError("no device factory: the devices cannot be changed here")
        new = self._factory(settings, self._on_thread_scan, self._on_scanner_status)
        try:
            if self._save is not None:
                self._save(settings)
        except Exception:
            new.close()
            raise
        old = self._devices
        self._uninstall_scanner()
        self.settings = settings
        self._use(new)
        old.close()
        self._install_scanner()
        self.show_idle()
        self.devices_applied.emit(settings)

    def close(self) -> None:
        self._closed = True
        self._idle_timer.stop()
        self._uninstall_scanner()
        self._devices.close()
        self._display_pool.shutdown(wait=True, cancel_futures=True)

    def _use(self, devices: OpenDevices) -> None:
        self._devices = devices
        s = self.service
        s.printer, s.printer_name = devices.printer, devices.printer_name
        s.display, s.scale = devices.display, devices.scale
        scanner = devices.serial_scanner
        if scanner is not None:
            s.scanner_status = lambda: scanner.status
        elif self.settings.scanner.kind == "wedge":
            s.scanner_status = lambda: DeviceStatus(DeviceState.READY, "keyboard wedge")
        else:
            s.scanner_status = None
        d = self.settings.drawer
        s.policy = DevicePolicy(
            drawer_enabled=d.kind == "printer",
            open_on_cash=d.open_on_cash,
            allow_manual_open=d.allow_manual_open,
            greeting=self.settings.display.greeting,
            display_columns=self.settings.display.columns,
        )

    def _install_scanner(self) -> None:
        scanner = self.settings.scanner
        if scanner.kind == "wedge":
            from PySide6.QtWidgets import QApplication

            from pos_app.ui.wedge import KeyboardWedge, WedgeSettings

            self._wedge = KeyboardWedge(
                WedgeSettings(
                    prefix=scanner.prefix,
                    suffix=scanner.suffix,
                    max_interkey_ms=scanner.max_interkey_ms,
                    min_length=scanner.min_length,
                    keymap=dict(scanner.keymap),
                ),
                self,
            )
            self._wedge.scanned.connect(self.scanned)
            self._wedge.install(QApplication.instance())
            self._set_status("scanner", DeviceStatus(DeviceState.READY, "keyboard wedge"))
        elif self._devices.serial_scanner is not None:
            self._devices.serial_scanner.start()
        else:
            self._set_status("scanner", DeviceStatus(DeviceState.DISABLED))

    def _uninstall_scanner(self) -> None:
        if self._wedge is not None:
            self._wedge.uninstall()
            self._wedge.scanned.disconnect(self.scanned)
            self._wedge.deleteLater()
            self._wedge = None

    @property
    def wedge(self) -> Any:
        """The keyboard-wedge filter in use (None for other scanners): the calibration reads it."""
        return self._wedge

    # --- from device threads -----------------------------------------------------------------
    def _on_thread_scan(self, code: str) -> None:
        self._scan_from_thread.emit(code)

    def _on_scanner_status(self, status: DeviceStatus) -> None:
        self._status_from_thread.emit("scanner", status)

    def _set_status(self, name: str, status: DeviceStatus) -> None:
        if self.statuses.get(name) != status:
            self.statuses[name] = status
            if status.state in (DeviceState.OFFLINE, DeviceState.ERROR, DeviceState.NO_PAPER):
                log.warning("%s: %s %s", name, status.state, status.detail)
            self.status_changed.emit(name, status)

    # --- statuses ----------------------------------------------------------------------------
    def refresh_statuses(
        self, on_done: Callable[[dict[str, DeviceStatus]], None] | None = None
    ) -> None:
        """Ask every device for its state (on the I/O pool); ``status_changed`` for changes."""

        def done(statuses: dict[str, DeviceStatus]) -> None:
            for name, status in statuses.items():
                self._set_status(name, status)
            if on_done is not None:
                on_done(statuses)

        self._runner.run_io(self.service.statuses, done)

    # --- customer display --------------------------------------------------------------------
    def _show(self, text: DisplayText) -> None:
        if self.service.display is None or self._closed:
            return
        with self._display_lock:
            self._display_next = text
            if self._display_busy:
                return  # the running job picks the newest text up
            self._display_busy = True
        self._display_pool.submit(self._display_loop)

    def _display_loop(self) -> None:
        while True:
            with self._display_lock:
                text, self._display_next = self._display_next, None
                if text is None:
                    self._display_busy = False
                    return
            status = self.service.show(text)
            self._status_from_thread.emit("display", status)

    def show_idle(self) -> None:
        self._show(self.service.idle_text())

    def show_cart(self, view: CartView) -> None:
        if view.is_empty:
            if not self._idle_timer.isActive():  # not while the last sale's change is shown
                self.show_idle()
            return
        self._idle_timer.stop()
        line = next((ln for ln in view.lines if ln.line_id == view.focus_line_id), view.lines[-1])
        self._show(
            self.service.cart_text(
                line.product.name, line.quantity, line.gross.cents, view.totals.total.cents
            )
        )

    def show_sale(self, sale: SaleRecord) -> None:
        self._idle_timer.start()
        self._show(self.service.sale_text(sale))

    # --- cash drawer -------------------------------------------------------------------------
    def _log_opening(self, opening: DrawerOpening | None, on_error: ErrorCallback | None) -> None:
        if opening is None:
            return
        self._set_status(
            "drawer",
            DeviceStatus(DeviceState.READY)
            if opening.ok
            else DeviceStatus(DeviceState.ERROR, opening.error),
        )
        self._runner.run_db(
            lambda: self.service.record_opening(opening), self.drawer_opened.emit, on_error
        )

    def sale_completed(self, sale: SaleRecord, on_error: ErrorCallback | None = None) -> None:
        """A cash sale opens the drawer (after it was committed); the opening is logged."""
        self.show_sale(sale)
        self._runner.run_io(
            lambda: self.service.open_drawer_for_sale(sale),
            lambda opening: self._log_opening(opening, on_error),
            on_error,
        )

    def open_drawer(
        self, reason: str, on_error: ErrorCallback | None = None, approval: Approval | None = None
    ) -> None:
        """The "open drawer" action: kicked, then logged with the reason, ok or not. Beyond the
        signed-in person's limits ``on_error`` gets ``ManagerApprovalRequired`` (not kicked)."""
        self._runner.run_io(
            lambda: self.service.open_drawer_by_hand(reason, approval),
            lambda opening: self._log_opening(opening, on_error),
            on_error,
        )
