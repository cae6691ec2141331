"""The device service on a real SQLite file: the drawer opens for cash and is logged, a manual
opening needs a reason, the display says the right thing, and a print that may have reached the
paper makes the next one a copy."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support import COFFEE, IDENTITY, FixedClock

from hardware.errors import (
    DeviceUnavailable,
    PrinterOutOfPaper,
    PrinterUnavailable,
    ScaleUnstable,
)
from hardware.escpos_decoder import Barcode, QrCode, decode
from hardware.printers import receipt_to_bytes
from hardware.receipt import ReceiptDocument
from hardware.status import DeviceState, DeviceStatus
from pos_app.domain.money import Money
from pos_app.services.checkout import CheckoutService
from pos_app.services.devices import DRAWER_FOR_SALE, DevicePolicy, DeviceService
from pos_app.services.errors import DrawerNotAllowed, NoPrinter, NoScale, WeightRequired
from pos_app.services.receipts import ReceiptService, build_receipt


class RecordingPrinter:
    """A fake of the DevicePrinter port: records receipts and kicks, fails on demand."""

    name = "fake"

    def __init__(self) -> None:
        self.printed: list[ReceiptDocument] = []
        self.kicks = 0
        self.fail_next: Exception | None = None
        self.kick_error: Exception | None = None

    def print_receipt(self, doc: ReceiptDocument) -> None:
        if self.fail_next is not None:
            exc, self.fail_next = self.fail_next, None
            raise exc
        self.printed.append(doc)

    def status(self) -> DeviceStatus:
        return DeviceStatus(DeviceState.READY)

    def open_drawer(self) -> None:
        if self.kick_error is not None:
            raise self.kick_error
        self.kicks += 1


class FailingDisplay:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []
        self.unplugged = False

    def show(self, top: str, bottom: str) -> None:
        if self.unplugged:
            raise DeviceUnavailable("display unplugged")
        self.shown.append((top, bottom))

    def status(self) -> DeviceStatus:
        return DeviceStatus(DeviceState.OFFLINE if self.unplugged else DeviceState.READY)


@pytest.fixture
def printer() -> RecordingPrinter:
    return RecordingPrinter()


@pytest.fixture
def devices(uow_factory, clock: FixedClock, printer: RecordingPrinter) -> DeviceService:
    return DeviceService(
        uow_factory, clock, IDENTITY, printer=printer, printer_name="fake", cashier="Ana"
    )


def sale(uow_factory, clock, *, cash: bool):  # type: ignore[no-untyped-def]
    checkout = CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")
    view = checkout.scan(COFFEE)
    if cash:
        checkout.add_cash(Money(500))
    else:
        checkout.add_card(view.totals.total, "AUT-9")
    return checkout.complete_sale().sale


def test_a_cash_sale_kicks_the_drawer_and_the_opening_is_logged(
    devices: DeviceService, printer: RecordingPrinter, uow_factory, clock
) -> None:
    done = sale(uow_factory, clock, cash=True)
    opening = devices.open_drawer_for_sale(done)
    assert opening is not None and opening.ok and printer.kicks == 1
    devices.record_opening(opening)
    [logged] = devices.openings_of_day()
    assert (logged.reason, logged.sale_id, logged.cashier, logged.ok) == (
        DRAWER_FOR_SALE,
        done.sale_id,
        "Ana",
        True,
    )


def test_a_card_sale_does_not_open_the_drawer(
    devices: DeviceService, printer: RecordingPrinter, uow_factory, clock
) -> None:
    assert devices.open_drawer_for_sale(sale(uow_factory, clock, cash=False)) is None
    assert printer.kicks == 0


def test_the_settings_can_keep_the_drawer_shut_for_cash(
    devices: DeviceService, printer: RecordingPrinter, uow_factory, clock
) -> None:
    devices.policy = DevicePolicy(open_on_cash=False)
    assert devices.open_drawer_for_sale(sale(uow_factory, clock, cash=True)) is None
    assert printer.kicks == 0


def test_a_drawer_that_fails_is_logged_as_failed_and_never_raises(
    devices: DeviceService, printer: RecordingPrinter, uow_factory, clock
) -> None:
    printer.kick_error = PrinterUnavailable("connection refused")
    opening = devices.open_drawer_for_sale(sale(uow_factory, clock, cash=True))
    assert opening is not None and not opening.ok
    assert "connection refused" in opening.error
    devices.record_opening(opening)
    assert [o.ok for o in devices.openings_of_day()] == [False]


def test_opening_by_hand_needs_a_reason_and_permission(
    devices: DeviceService, printer: RecordingPrinter
) -> None:
    with pytest.raises(DrawerNotAllowed) as caught:
        devices.open_drawer_by_hand("   ")
    assert caught.value.why == "reason"
    devices.record_opening(devices.open_drawer_by_hand("cambio para la caja 2"))
    assert [o.reason for o in devices.openings_of_day()] == ["cambio para la caja 2"]
    devices.policy = DevicePolicy(allow_manual_open=False)
    with pytest.raises(DrawerNotAllowed) as caught:
        devices.open_drawer_by_hand("otra vez")
    assert caught.value.why == "disabled"
    devices.policy = DevicePolicy(drawer_enabled=False)
    with pytest.raises(DrawerNotAllowed) as caught:
        devices.open_drawer_by_hand("otra vez")
    assert caught.value.why == "no_drawer"
    assert printer.kicks == 1


def test_the_test_page_prints_spanish_text_the_euro_and_the_calibration_barcode(
    devices: DeviceService, printer: RecordingPrinter
) -> None:
    devices.print_test_page("MO-12/3.4")
    [doc] = printer.printed
    decoded = decode(receipt_to_bytes(doc))
    assert "PRUEBA DE IMPRESIÓN" in decoded.text
    assert "ñ Ñ" in decoded.text and "€" in decoded.text
    assert [b.text for b in decoded.events_of(Barcode)] == ["MO-12/3.4"]
    devices.printer = None
    with pytest.raises(NoPrinter):
        devices.print_test_page()


def test_the_display_shows_item_and_total_and_fits_its_columns(
    devices: DeviceService, uow_factory, clock
) -> None:
    display = FailingDisplay()
    devices.display = display
    text = devices.cart_text("Café molido natural 250 g", Decimal(2), 698, 1307)
    assert len(text.top) == 20 and len(text.bottom) == 20
    assert text.top.endswith("6,98 €") and text.top.startswith("2 Café")
    assert text.bottom.startswith("TOTAL") and text.bottom.endswith("13,07 €")
    assert devices.show(text) == DeviceStatus(DeviceState.READY)
    assert display.shown == [(text.top, text.bottom)]
    done = sale(uow_factory, clock, cash=True)
    after = devices.sale_text(done)
    assert after.bottom.startswith("CAMBIO") and after.bottom.endswith("1,51 €")
    display.unplugged = True
    status = devices.show(devices.idle_text())
    assert status.state is DeviceState.OFFLINE and "unplugged" in status.detail


def test_statuses_cover_every_device(devices: DeviceService) -> None:
    statuses = devices.statuses()
    assert statuses["printer"].ready and statuses["drawer"].ready
    assert statuses["display"].state is DeviceState.DISABLED
    assert statuses["scale"].state is DeviceState.DISABLED
    with pytest.raises(NoScale):
        devices.read_weight()


def test_a_print_that_may_have_reached_the_paper_makes_the_next_one_a_copy(
    uow_factory, clock, printer: RecordingPrinter
) -> None:
    receipts = ReceiptService(uow_factory, clock, IDENTITY, printer)
    first = sale(uow_factory, clock, cash=True)
    printer.fail_next = PrinterOutOfPaper("paper ran out mid-receipt", maybe_printed=True)
    result = receipts.print_receipt(first.sale_id)
    assert not result.ok and result.maybe_printed and result.out_of_paper
    retry = receipts.print_receipt(first.sale_id)
    assert retry.ok and retry.copy  # the customer may already hold the original
    second = sale(uow_factory, clock, cash=True)
    printer.fail_next = PrinterUnavailable("connection refused")  # nothing left the register
    assert not receipts.print_receipt(second.sale_id).maybe_printed
    retry = receipts.print_receipt(second.sale_id)
    assert retry.ok and not retry.copy  # certainly nothing printed: this is the original
    assert [bool(d.copy_label) for d in printer.printed] == [True, False]


def test_an_unexpected_printer_exception_counts_as_maybe_printed(
    uow_factory, clock, printer: RecordingPrinter
) -> None:
    receipts = ReceiptService(uow_factory, clock, IDENTITY, printer)
    done = sale(uow_factory, clock, cash=True)
    printer.fail_next = RuntimeError("driver crashed")
    assert receipts.print_receipt(done.sale_id).maybe_printed
    assert receipts.print_receipt(done.sale_id).copy


def test_the_qr_setting_puts_the_receipt_number_in_a_qr_code(
    uow_factory, clock, printer: RecordingPrinter
) -> None:
    receipts = ReceiptService(
        uow_factory, clock, IDENTITY, printer, qr_template="https://t.example/{number}"
    )
    done = sale(uow_factory, clock, cash=False)
    receipts.print_receipt(done.sale_id)
    decoded = decode(receipt_to_bytes(printer.printed[0]))
    # A ticket with its fiscal record carries the tax agency's QR in its place (issue 8) ...
    [fiscal] = decoded.events_of(QrCode)
    assert fiscal.data.startswith("https://www2.agenciatributaria.gob.es/")
    # ... the store's own QR is for a receipt without one (a sale from before the journal).
    plain = build_receipt(done, IDENTITY, qr_template="https://t.example/{number}")
    assert [q.data for q in decode(receipt_to_bytes(plain)).events_of(QrCode)] == [
        f"https://t.example/{done.receipt_number}"
    ]


class SettlingScale:
    """A fake of the Scale port: moves for a few readings, then settles."""

    def __init__(self, moving: int, weight: str) -> None:
        self.moving = moving
        self.weight = Decimal(weight)
        self.reads = 0

    def read_weight(self) -> Decimal:
        self.reads += 1
        if self.reads <= self.moving:
            raise ScaleUnstable("in motion")
        return self.weight

    def status(self) -> DeviceStatus:
        return DeviceStatus(DeviceState.READY)


def test_a_weighed_product_without_a_label_asks_for_its_weight(uow_factory, clock) -> None:
    checkout = CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")
    with pytest.raises(WeightRequired) as caught:
        checkout.scan("P0006")  # the tomato's SKU: sold by weight, no weight given
    assert caught.value.name == "Tomate pera"
    assert checkout.view().is_empty
    with pytest.raises(WeightRequired):
        checkout.add_product(caught.value.product_id)
    view = checkout.add_product(caught.value.product_id, Decimal("0.456"))
    assert view.lines[0].quantity == Decimal("0.456")
    assert view.totals.total == Money(136)  # 2,99 €/kg x 0,456 kg
    # ... while a product sold by unit still adds one
    assert checkout.scan("P0001").lines[-1].quantity == 1


def test_the_scale_is_asked_again_until_the_load_settles(devices: DeviceService) -> None:
    devices.scale = SettlingScale(moving=2, weight="1.235")
    assert devices.read_settled_weight(pause=0) == Decimal("1.235")
    devices.scale = SettlingScale(moving=99, weight="1")
    with pytest.raises(ScaleUnstable):
        devices.read_settled_weight(attempts=3, pause=0)
