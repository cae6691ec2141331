"""The composition root: the one module that builds engines, services, devices and windows.

Nothing here runs at import time; ``cli`` calls these functions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine

from hardware.printers import FileReceiptPrinter, MemoryReceiptPrinter
from hardware.status import DeviceStatus
from pos_app.config import (
    TERMINATORS,
    DeviceSettings,
    DrawerSettings,
    PrinterSettings,
    Settings,
    save_device_settings,
)
from pos_app.domain.barcode import BarcodeLayout
from pos_app.services.cancellations import CancellationService
from pos_app.services.checkout import CheckoutService
from pos_app.services.customers import CustomerService
from pos_app.services.devices import DevicePolicy, DeviceService, OpenDevices
from pos_app.services.errors import NotConfigured
from pos_app.services.invoices import InvoiceLimits
from pos_app.services.pickups import PickupService
from pos_app.services.ports import DevicePrinter, StoreIdentity, SystemClock
from pos_app.services.pull_pages import pull_pages
from pos_app.services.receipts import ReceiptService
from pos_app.services.replacement_invoices import ReplacementInvoiceService
from pos_app.services.returns import ReturnsService
from pos_app.services.staff import StaffService
from pos_app.services.sync import SyncGateway, SyncService, SyncStatus
from pos_app.services.sync_worker import SyncWorker
from pos_app.services.till import TillService
from pos_app.storage.backup import SqliteBackup
from pos_app.storage.credentials import TokenStore
from pos_app.storage.db import bulk_writes
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory

if TYPE_CHECKING:
    from pos_app.ui.task_runner import Runner
    from sync.protocol import RegisterContinuation

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Register:
    """Everything a running register is made of, below the UI."""

    engine: Engine
    uow_factory: SqlUnitOfWorkFactory
    identity: StoreIdentity
    checkout: CheckoutService
    receipts: ReceiptService
    sync: SyncService
    printer: DevicePrinter | None
    printer_name: str
    settings: Settings
    devices: DeviceService | None = None
    config_path: Path | None = None  # where the device settings are saved (None: not saved)
    printer_given: bool = False  # the printer was handed in (tests), not built from settings
    db_executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="mostrador-db")
    )
    worker: SyncWorker | None = None
    sync_lock: Any = None
    gateway_to_close: Any = None
    pickups: PickupService | None = None
    staff: StaffService | None = None
    returns: ReturnsService | None = None
    customers: CustomerService | None = None
    till: TillService | None = None  # set: no sale or return without an open till
    cancellations: CancellationService | None = None  # with the till: annulling a sale
    invoices: ReplacementInvoiceService | None = None  # full invoices replacing tickets (F3)

    def run_db(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the single database writer and wait for it (for non-GUI threads)."""
        return self.db_executor.submit(fn).result()

    def start_sync(
        self,
        gateway: SyncGateway,
        *,
        on_status: Callable[[SyncStatus], None] | None = None,
        pull_interval: float = 5.0,
    ) -> SyncWorker:
        self.worker = SyncWorker(
            self.sync, gateway, self.run_db, on_status=on_status, pull_interval=pull_interval
        )
        self.worker.start()
        return self.worker

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        if self.gateway_to_close is not None:
            self.gateway_to_close.close()
        if self.sync_lock is not None:
            self.sync_lock.release()
        self.db_executor.shutdown(wait=True)
        self.engine.dispose()


def build_printer(settings: Settings) -> tuple[DevicePrinter | None, str]:
    """The receipt printer of the settings, and a name for the status bar."""
    return _printer(settings.printer, settings.drawer)


def _printer(p: PrinterSettings, drawer: DrawerSettings) -> tuple[DevicePrinter | None, str]:
    from hardware import printers

    common: dict[str, Any] = {"width": p.width, "drawer_pin": drawer.pin}
    device: Any
    if p.kind == "none":
        return None, "—"
    if p.kind == "preview":
        return MemoryReceiptPrinter(**common), "vista previa"
    if p.kind == "file":
        if not p.path:
            raise NotConfigured("printer.path (the printer kind 'file' needs a path)")
        device = FileReceiptPrinter(p.path, **common)
        return device, p.path
    logo = Path(p.logo) if p.logo else None
    timed = {**common, "timeout": p.timeout, "logo": logo}
    if p.kind == "network":
        device = printers.NetworkReceiptPrinter(p.host, p.port, **timed)
    elif p.kind == "serial":
        device = printers.SerialReceiptPrinter(p.device, baudrate=p.baudrate, **timed)
    elif p.kind == "usb":
        device = printers.UsbReceiptPrinter(p.vendor_id, p.product_id, **timed)
    elif p.kind == "windows":
        device = printers.Win32ReceiptPrinter(p.name, **timed)
    else:
        raise NotConfigured(f"printer.kind {p.kind!r}")
    return device, device.name


def open_devices(
    devices: DeviceSettings,
    on_scan: Callable[[str], None],
    on_scanner_status: Callable[[DeviceStatus], None],
) -> OpenDevices:
    """Build every device of ``devices`` (nothing is opened yet: adapters connect on first use,
    the serial scanner when its controller starts it)."""
    printer, printer_name = _printer(devices.printer, devices.drawer)
    opened = OpenDevices(printer, printer_name)
    try:
        if devices.display.kind == "serial":
            from hardware.display import PoleDisplay

            opened.display = PoleDisplay(
                devices.display.port,
                baudrate=devices.display.baudrate,
                protocol=devices.display.protocol,  # type: ignore[arg-type]
                columns=devices.display.columns,
            )
        if devices.scale.kind == "serial":
            from hardware.scale import SerialScale

            opened.scale = SerialScale(devices.scale.port, baudrate=devices.scale.baudrate)
        if devices.scanner.kind == "serial":
            from hardware.scanners.serial_scanner import SerialScanner

            opened.serial_scanner = SerialScanner(
                devices.scanner.port,
                baudrate=devices.scanner.baudrate,
                terminator=TERMINATORS[devices.scanner.terminator],
                on_scan=on_scan,
                on_status=on_scanner_status,
            )
    except Exception:
        opened.close()
        raise
    return opened


def barcode_layout(settings: Settings) -> BarcodeLayout:
    """The store's layout of weight- and price-embedded EAN-13 codes."""
    if settings.barcode_layout:
        return BarcodeLayout.from_config(settings.barcode_layout)
    return BarcodeLayout.spanish_default()


def build_register(
    engine: Engine,
    settings: Settings,
    *,
    locale: str = "es_ES",
    printer: DevicePrinter | None = None,
    printer_name: str | None = None,
    clock: SystemClock | None = None,
    backups: Path | None = None,
) -> Register:
    """The register's services on ``engine``. With ``backups`` (a directory: the data
    directory's ``backups``) the till is required: no sale without an open till, and each Z
    close leaves a copy of the database there (the newest 10 kept)."""
    uow_factory = SqlUnitOfWorkFactory(engine)
    with uow_factory.reader() as uow:
        identity = uow.catalog.identity()
    if identity is None:
        raise NotConfigured("store and register identity")
    given = printer is not None
    if printer is None:
        printer, name = build_printer(settings)
    else:
        name = printer_name or type(printer).__name__
    clock = clock or SystemClock(settings.timezone)
    layout = barcode_layout(settings)
    staff = StaffService(uow_factory, clock, identity)
    checkout = CheckoutService(
        uow_factory,
        clock,
        identity,
        cashier=settings.cashier,
        layout=layout,
        merge_same_product=settings.merge_same_product,
        staff=staff,
    )
    checkout.invoice_limits = InvoiceLimits(
        simplified_max_cents=settings.simplified_invoice_max_cents,
        business_cash_max_cents=settings.business_cash_max_cents,
    )
    receipt_locale = "es_ES"  # the fiscal document is in the store's language
    receipts = ReceiptService(
        uow_factory,
        clock,
        identity,
        printer,
        locale=receipt_locale,
        qr_template=settings.printer.qr,
    )
    sync = SyncService(uow_factory, clock)
    devices = DeviceService(
        uow_factory,
        clock,
        identity,
        printer=printer,
        printer_name=name,
        policy=DevicePolicy(
            drawer_enabled=settings.drawer.kind == "printer",
            open_on_cash=settings.drawer.open_on_cash,
            allow_manual_open=settings.drawer.allow_manual_open,
            greeting=settings.display.greeting,
            display_columns=settings.display.columns,
        ),
        cashier=settings.cashier,
        locale=receipt_locale,
        staff=staff,
    )
    pickups = PickupService(
        uow_factory,
        clock,
        identity,
        cashier=settings.cashier,
        layout=layout,
        printer=printer,
        locale=receipt_locale,
        staff=staff,
    )
    returns = ReturnsService(
        uow_factory,
        clock,
        identity,
        cashier=settings.cashier,
        printer=printer,
        staff=staff,
        locale=receipt_locale,
    )
    checkout.returns = returns  # an exchange commits its return with the new sale
    till = None
    cancellations = None
    if backups is not None:
        database = engine.url.database
        till = TillService(
            uow_factory,
            clock,
            identity,
            cashier=settings.cashier,
            staff=staff,
            backup=SqliteBackup(Path(database), backups) if database else None,
            locale=receipt_locale,
        )
        checkout.till = till
        returns.till = till
        cancellations = CancellationService(
            uow_factory,
            clock,
            identity,
            till=till,
            cashier=settings.cashier,
            staff=staff,
            printer=printer,
            locale=receipt_locale,
        )
    customers = CustomerService(uow_factory, clock, identity, cashier=settings.cashier, staff=staff)
    invoices = ReplacementInvoiceService(
        uow_factory, clock, identity, receipts, locale=receipt_locale
    )
    return Register(
        engine,
        uow_factory,
        identity,
        checkout,
        receipts,
        sync,
        printer,
        name,
        settings,
        devices=devices,
        printer_given=given,
        pickups=pickups,
        staff=staff,
        returns=returns,
        customers=customers,
        till=till,
        cancellations=cancellations,
        invoices=invoices,
    )


def build_main_window(register: Register, locale: str):  # type: ignore[no-untyped-def]
    """The checkout window wired to the register (needs a QApplication)."""
    from pos_app.ui.checkout_presenter import CheckoutPresenter
    from pos_app.ui.device_controller import DeviceController
    from pos_app.ui.formatting import Formatter
    from pos_app.ui.main_window import MainWindow, WindowOptions
    from pos_app.ui.task_runner import TaskRunner

    runner = TaskRunner(db_executor=register.db_executor)
    presenter = CheckoutPresenter(runner, register.checkout, register.receipts)
    assert register.devices is not None
    config_path = register.config_path

    def save(devices: DeviceSettings) -> None:
        if config_path is not None:
            save_device_settings(config_path, devices)

    def factory(
        devices: DeviceSettings,
        on_scan: Callable[[str], None],
        on_status: Callable[[DeviceStatus], None],
    ) -> OpenDevices:
        if register.printer_given and devices == register.settings.devices:
            # Start-up with a printer handed in (tests): keep it, open the other devices.
            given = replace(devices, printer=PrinterSettings(kind="none"))
            opened = open_devices(given, on_scan, on_status)
            opened.printer, opened.printer_name = register.printer, register.printer_name
        else:
            opened = open_devices(devices, on_scan, on_status)
        # The receipts follow the printer in use.
        register.receipts.printer = opened.printer
        if register.pickups is not None:
            register.pickups.printer = opened.printer
        if register.returns is not None:
            register.returns.printer = opened.printer
        if register.cancellations is not None:
            register.cancellations.printer = opened.printer
        register.printer, register.printer_name = opened.printer, opened.printer_name
        return opened

    controller = DeviceController(
        runner, register.devices, register.settings.devices, factory, save
    )
    controller.barcode_layout = barcode_layout(register.settings)
    window = MainWindow(
        runner,
        presenter,
        register.receipts,
        Formatter(locale, register.identity.currency),
        WindowOptions(
            cashier=register.settings.cashier,
            identity=register.identity,
            quick_amounts=register.settings.cash_quick_amounts,
            printer_name=register.printer_name,
        ),
        sync=register.sync,
        devices=controller,
        pickups=register.pickups,
        staff=register.staff,
        returns=register.returns,
        customers=register.customers,
        till=register.till,
        invoices=register.invoices,
        cancellations=register.cancellations,
    )

    def push_soon(_: object = None) -> None:
        if register.worker is not None:
            register.worker.request_push()

    presenter.sale_completed.connect(push_soon)
    presenter.sale_abandoned.connect(push_soon)
    window.pickup_recorded.connect(push_soon)
    window.return_recorded.connect(push_soon)
    window.customer_recorded.connect(push_soon)
    window.sale_cancelled.connect(push_soon)
    window.invoice_recorded.connect(push_soon)
    runner.setParent(window)
    presenter.setParent(window)
    controller.setParent(window)
    controller.start()
    return window, runner


def enroll_register(
    engine: Engine,
    backend_url: str,
    code: str,
    register_name: str,
    tokens: TokenStore,
    *,
    clock: SystemClock | None = None,
    progress: Callable[[int], None] | None = None,
    store_code: str | None = None,
    on_takeover: Callable[[RegisterContinuation], None] | None = None,
) -> StoreIdentity:
    """Enrol this register with a one-time code, keep its token, and download the catalog.

    Re-enrolling the same device (the demo at every start) keeps its sequence and cursor.
    With ``store_code`` the backend refuses a code of another store (and leaves it unused).
    A takeover code (``mostrador-server enrollment-code --replace-register``) makes this
    machine the register it replaces: its series and fiscal journal go on from the backend's
    continuation (saved with the enrolment), which ``on_takeover`` is also given to report.
    """
    from sync.client import SyncClient

    uow_factory = SqlUnitOfWorkFactory(engine)
    sync = SyncService(uow_factory, clock or SystemClock())
    previous = sync.device_id()
    with SyncClient(backend_url) as client:
        response = client.enroll(code, register_name, device_id=previous, store_code=store_code)
        identity = sync.save_enrollment(
            response, backend_url=backend_url, register_name=register_name
        )
        tokens.set(response.device_id, response.token)
        client.set_token(response.token)
        if response.continuation is not None and on_takeover is not None:
            on_takeover(response.continuation)
        # Enrolment runs before the till opens (``mostrador enroll``, the demo's start), so no
        # sale waits on the database: each page is applied in one transaction, not in the short
        # ones the running app uses, and the WAL is checkpointed less often (a first sync of
        # 1,000,000 products: about 32 s of applying, against 65 s in transactions of 500).
        total = 0
        with bulk_writes(engine):
            for page in pull_pages(lambda cursor: client.pull(cursor, 5000), sync.cursor()):
                total += sync.apply_pull(page, chunk=max(1, len(page.changes)))
                if progress is not None:
                    progress(total)
    return identity


def start_sync_for(
    register: Register,
    tokens: TokenStore,
    on_status: Callable[[SyncStatus], None],
    *,
    pull_interval: float = 5.0,
) -> str | None:
    """Start the background sync of an enrolled register. Returns why it did not start."""
    from filelock import FileLock, Timeout

    from sync.client import SyncClient

    state = register.run_db(lambda: register.sync.status())
    if not state.enrolled:
        return None
    with register.uow_factory.reader() as uow:
        sync_state = uow.sync.state()
    assert sync_state.device_id is not None and sync_state.backend_url is not None
    token = tokens.get(sync_state.device_id)
    if token is None:
        return "no token for this register: enrol it again (mostrador enroll)"
    lock_path = Path(str(register.engine.url.database) + ".sync.lock")
    lock = FileLock(lock_path, blocking=False)
    try:
        lock.acquire()
    except Timeout:
        on_status(register.sync.status(busy_elsewhere=True))
        return "another copy of Mostrador is syncing this register"
    register.sync_lock = lock
    client = SyncClient(sync_state.backend_url, token)
    register.gateway_to_close = client
    if register.returns is not None:
        register.returns.lookup = client  # the online look-up of what is returnable
    register.checkout.voucher_lookup = client  # vouchers' balances, online
    if register.customers is not None:
        register.customers.directory = client  # customers of every store, online
    register.start_sync(client, on_status=on_status, pull_interval=pull_interval)
    return None


def forget_unused_customers(register: Register, runner: Runner) -> None:
    """Start-up housekeeping, once the sync worker is set up: drop the customers this register
    has not used for a year (it holds only those it needs), on the database writer, queued
    behind what is already there; logs how many. A failure is logged: the till opens anyway."""
    customers = register.customers
    if customers is None:
        return

    def forget() -> int:  # on the database writer; logged there, even if the app closes first
        count = customers.forget_unused()
        log.info("start-up: %d customer(s) not used for a year forgotten", count)
        return count

    def failed(exc: BaseException) -> None:
        log.warning("start-up: forgetting unused customers failed", exc_info=exc)

    runner.run_db(forget, None, failed)
