"""The store's devices as the register uses them: the cash drawer, the customer display, the
scale, the printer's test page, and the live state of each.

Every method here either talks to a device (I/O: run it on the UI's I/O pool, never on the GUI
thread nor on the database worker) or to the database (run it on the database worker); each
says which. A device failing never fails a sale: the sale is committed before any of this runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Protocol

from hardware.errors import HardwareError, ScaleUnstable
from hardware.receipt import ReceiptDocument, ReceiptLine, ReceiptTaxRow
from hardware.status import DeviceState, DeviceStatus
from pos_app.domain.cart import TenderKind
from pos_app.domain.ids import new_id
from pos_app.domain.money import Money, format_money, format_quantity
from pos_app.domain.permissions import Action, Approval
from pos_app.domain.sale import SaleRecord
from pos_app.services.errors import DrawerNotAllowed, NoPrinter, NoScale
from pos_app.services.ports import (
    Clock,
    CustomerDisplay,
    DevicePrinter,
    DrawerOpening,
    Scale,
    StoreIdentity,
    UnitOfWorkFactory,
)
from pos_app.services.staff import StaffService
from sync.protocol import DrawerOpenedPayload, EventType

log = logging.getLogger(__name__)

DRAWER_FOR_SALE = "sale"  # the reason logged for a cash sale's kick
DEVICE_NAMES = ("printer", "drawer", "scanner", "display", "scale")


@dataclass(frozen=True, slots=True)
class DevicePolicy:
    """What the settings say about using the devices (plain values, no settings types)."""

    drawer_enabled: bool = True  # the drawer hangs on the receipt printer
    open_on_cash: bool = True
    allow_manual_open: bool = True
    greeting: str = "Bienvenido"
    display_columns: int = 20


@dataclass(frozen=True, slots=True)
class DisplayText:
    top: str
    bottom: str


def device_status(device: object | None) -> DeviceStatus:
    if device is None:
        return DeviceStatus(DeviceState.DISABLED)
    status = getattr(device, "status", None)
    if status is None:
        return DeviceStatus(DeviceState.READY, "no status query")
    try:
        result = status() if callable(status) else status
    except Exception as exc:  # a status query must never break the screen asking for it
        return DeviceStatus(DeviceState.ERROR, str(exc) or type(exc).__name__)
    return result if isinstance(result, DeviceStatus) else DeviceStatus(DeviceState.ERROR)


class DeviceService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        identity: StoreIdentity,
        *,
        printer: DevicePrinter | None,
        printer_name: str = "",
        display: CustomerDisplay | None = None,
        scale: Scale | None = None,
        scanner_status: Callable[[], DeviceStatus] | None = None,
        policy: DevicePolicy | None = None,
        cashier: str = "",
        locale: str = "es_ES",
        staff: StaffService | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._identity = identity
        self.printer = printer
        self.printer_name = printer_name
        self.display = display
        self.scale = scale
        self.scanner_status = scanner_status
        self.policy = policy or DevicePolicy()
        self._cashier = cashier
        self._locale = locale
        self.staff = staff

    @property
    def cashier(self) -> str:
        """Who opens the drawer: the signed-in person, or the settings' cashier."""
        return self.staff.cashier_name(self._cashier) if self.staff else self._cashier

    @cashier.setter
    def cashier(self, name: str) -> None:
        self._cashier = name

    # --- state (I/O) ------------------------------------------------------------------------
    def statuses(self) -> dict[str, DeviceStatus]:
        """I/O: every device's state now (printer and scale are asked; bounded by time-outs)."""
        printer = device_status(self.printer)
        if not self.policy.drawer_enabled or self.printer is None:
            drawer = DeviceStatus(DeviceState.DISABLED)
        else:
            drawer = DeviceStatus(printer.state, "through the receipt printer")
        scanner = (
            self.scanner_status() if self.scanner_status else DeviceStatus(DeviceState.DISABLED)
        )
        return {
            "printer": printer,
            "drawer": drawer,
            "scanner": scanner,
            "display": device_status(self.display),
            "scale": device_status(self.scale),
        }

    # --- printer (I/O) ----------------------------------------------------------------------
    def test_page(self, calibration_code: str = "") -> ReceiptDocument:
        """The test page: Spanish text and the euro sign (what cheap printers get wrong), the
        printer's name, and a barcode the keyboard-wedge calibration scans."""

        def money(cents: int) -> str:
            return format_money(Money(cents, self._identity.currency), self._locale).replace(
                "\xa0", " "
            )

        now = self._clock.now()
        return ReceiptDocument(
            header=(self._identity.store_name, f"Caja {self._identity.register_code}"),
            title="PRUEBA DE IMPRESIÓN",
            meta=(
                ("Fecha", now.strftime("%d/%m/%Y %H:%M")),
                ("Impresora", self.printer_name or "—"),
            ),
            lines=(
                ReceiptLine("Señal de prueba: ñ Ñ ç Ç ü", "1", money(100), money(100)),
                ReceiptLine("Acentos: á é í ó ú Á É Í Ó Ú", "2", money(250), money(500)),
                ReceiptLine("Signos: ¿? ¡! € ª º", "1", money(1), money(1)),
            ),
            totals=(("TOTAL", money(601)),),
            total_label="TOTAL",
            tax_columns=("Tipo", "Base", "Cuota", "Total"),
            tax_rows=(ReceiptTaxRow("IVA 21 %", money(497), money(104), money(601)),),
            tenders=(("Efectivo", money(1000)),),
            change=("Cambio", money(399)),
            barcode=calibration_code or None,
            footer=(
                "Si lee bien las eñes, los acentos y el euro,",
                "la impresora está lista.",
            ),
        )

    def print_test_page(self, calibration_code: str = "") -> None:
        """I/O: print the test page; raises ``hardware.errors.PrinterError``."""
        if self.printer is None:
            raise NoPrinter()
        self.printer.print_receipt(self.test_page(calibration_code))

    # --- drawer (I/O, then the database) ----------------------------------------------------
    def _kick(self, reason: str, sale_id: str | None) -> DrawerOpening:
        at = self._clock.now()
        assert self.printer is not None  # the callers checked
        try:
            self.printer.open_drawer()
        except HardwareError as exc:
            log.warning("cash drawer did not open (%s): %s", reason, exc)
            return DrawerOpening(new_id(), at, self.cashier, reason, sale_id, False, str(exc))
        return DrawerOpening(new_id(), at, self.cashier, reason, sale_id, True)

    def open_drawer_for_sale(self, sale: SaleRecord) -> DrawerOpening | None:
        """I/O: kick the drawer when the sale took cash (and the settings say so); None when
        there was nothing to open. A failure is in the result, never raised."""
        if not (self.policy.drawer_enabled and self.policy.open_on_cash):
            return None
        if self.printer is None or not any(t.kind is TenderKind.CASH for t in sale.tenders):
            return None
        return self._kick(DRAWER_FOR_SALE, sale.sale_id)

    def open_drawer_by_hand(self, reason: str, approval: Approval | None = None) -> DrawerOpening:
        """I/O: the "open drawer" action. Raises ``DrawerNotAllowed`` when it is switched off,
        there is no drawer, or no reason was given, and ``ManagerApprovalRequired`` beyond the
        signed-in person's limits without a manager's ``approval`` (nothing opened); a device
        failure is in the result. An approval used travels in the result and is audited by
        ``record_opening``, in the same transaction as the opening's log row."""
        if not self.policy.drawer_enabled or self.printer is None:
            raise DrawerNotAllowed("no_drawer")
        if not self.policy.allow_manual_open:
            raise DrawerNotAllowed("disabled")
        if not reason.strip():
            raise DrawerNotAllowed("reason")
        detail = f"drawer opened by hand: {reason.strip()}"
        used = (
            self.staff.authorize(Action.DRAWER, detail=detail, approval=approval)
            if self.staff is not None
            else None
        )
        opening = self._kick(reason.strip(), None)
        return replace(opening, approval=used) if used is not None else opening

    def record_opening(self, opening: DrawerOpening) -> DrawerOpening:
        """Database: log the opening (successful or not) with who, when and why. An opening
        by hand (no sale) falls in the open till session, if any, and is sent as
        ``drawer.opened``: the Z counts the drawer openings without a sale."""
        with self._uow_factory() as uow:
            uow.drawer.add(opening)
            if opening.sale_id is None:
                session = uow.tills.current()
                till_id = session.till_id if session is not None else None
                if till_id is not None:
                    uow.tills.tag("drawer", opening.opening_id, till_id)
                payload = DrawerOpenedPayload(
                    opening_id=opening.opening_id,
                    register_code=self._identity.register_code,
                    at=opening.at,
                    cashier=opening.cashier,
                    reason=opening.reason[:200],
                    till_id=till_id,
                    opened=opening.ok,
                )
                uow.outbox.add(
                    EventType.DRAWER_OPENED.value,
                    payload.model_dump(mode="json"),
                    occurred_at=opening.at,
                )
            if opening.approval is not None and self.staff is not None:
                detail = f"drawer opened by hand: {opening.reason}" + (
                    "" if opening.ok else f" (did not open: {opening.error})"
                )
                self.staff.record_override(
                    uow, opening.approval, detail=detail, reference=opening.opening_id
                )
            uow.commit()
        return opening

    def openings_of_day(self) -> list[DrawerOpening]:
        """Database: today's drawer openings on this register, oldest first."""
        from datetime import datetime, time, timedelta

        now = self._clock.now()
        start = datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)
        with self._uow_factory.reader() as uow:
            return uow.drawer.list_between(start, start + timedelta(days=1))

    # --- customer display (pure text, then I/O) ---------------------------------------------
    def _money(self, cents: int) -> str:
        return format_money(Money(cents, self._identity.currency), self._locale).replace(
            "\xa0", " "
        )

    def _two_columns(self, left: str, right: str) -> str:
        width = self.policy.display_columns
        room = width - len(right) - 1
        if room < 1:
            return right[-width:]
        return f"{left[:room]:<{room}} {right}"

    def idle_text(self) -> DisplayText:
        return DisplayText(self.policy.greeting, self._identity.store_name)

    def cart_text(
        self, name: str, quantity: Decimal, amount_cents: int, total_cents: int
    ) -> DisplayText:
        """The last item touched and the running total."""
        item = name if quantity == 1 else f"{format_quantity(quantity, self._locale)} {name}"
        return DisplayText(
            self._two_columns(item, self._money(amount_cents)),
            self._two_columns("TOTAL", self._money(total_cents)),
        )

    def sale_text(self, sale: SaleRecord) -> DisplayText:
        """After payment: the total and the change."""
        return DisplayText(
            self._two_columns("TOTAL", self._money(sale.total_cents)),
            self._two_columns("CAMBIO", self._money(sale.change_cents))
            if sale.change_cents
            else self._two_columns("Gracias", ""),
        )

    def show(self, text: DisplayText) -> DeviceStatus:
        """I/O: put ``text`` on the customer display. Never raises: the state is returned."""
        if self.display is None:
            return DeviceStatus(DeviceState.DISABLED)
        try:
            self.display.show(text.top, text.bottom)
        except HardwareError as exc:
            return DeviceStatus(DeviceState.OFFLINE, str(exc))
        return DeviceStatus(DeviceState.READY)

    # --- scale (I/O) ------------------------------------------------------------------------
    def read_weight(self) -> Decimal:
        """I/O: the weight on the scale in kilograms; raises ``NoScale`` or a
        ``hardware.errors`` error (``ScaleUnstable``: weigh again)."""
        if self.scale is None:
            raise NoScale()
        return self.scale.read_weight()

    def read_settled_weight(self, *, attempts: int = 6, pause: float = 0.25) -> Decimal:
        """I/O: the weight once the load has settled (asking again while it moves, about 1.5 s
        at most); raises ``ScaleUnstable`` if it never does, or another error at once."""
        import time

        for attempt in range(attempts):
            try:
                return self.read_weight()
            except ScaleUnstable:
                if attempt == attempts - 1:
                    raise
                time.sleep(pause)
        raise AssertionError("unreachable")


class SerialScannerLike(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    @property
    def status(self) -> DeviceStatus: ...


@dataclass
class OpenDevices:
    """The devices built from one set of settings (by the composition root)."""

    printer: DevicePrinter | None = None
    printer_name: str = ""
    display: CustomerDisplay | None = None
    scale: Scale | None = None
    serial_scanner: SerialScannerLike | None = None

    def close(self) -> None:
        if self.serial_scanner is not None:
            self.serial_scanner.stop()
        for device in (self.printer, self.display, self.scale):
            closer = getattr(device, "close", None)
            if callable(closer):
                try:
                    closer()
                except Exception:  # closing a broken device must not stop the others
                    log.warning("closing %r failed", device, exc_info=True)


# Builds the devices of some settings; the two callbacks are the serial scanner's, called on
# its thread. Raises ConfigError / NotConfigured for settings that cannot work.
DeviceFactory = Callable[[Any, Callable[[str], None], Callable[[DeviceStatus], None]], OpenDevices]
