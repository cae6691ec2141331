"""The USB receipt printer through python-escpos's real ``Usb`` class and a pyusb double.

pyusb cannot reach a device here, so ``escpos.printer.usb`` is given a stand-in ``usb``
module whose device has the shape of ``usb.core.Device`` (bulk endpoints, ``write(ep, data,
timeout)``, ``read(ep, size, timeout)`` in milliseconds, ``USBError``/``USBTimeoutError``
with their errno) and behaves like an ESC/POS printer: it records the bytes written and
answers ``DLE EOT`` with the simulator's status answers.
"""

from __future__ import annotations

import errno
import time
from array import array
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from hardware.errors import PrinterOutOfPaper, PrinterUnavailable
from hardware.escpos_decoder import Barcode, Cut, DrawerKick, StatusRequest, decode
from hardware.printers import UsbReceiptPrinter
from hardware.printers.escpos_setup import ensure_escpos_ready
from hardware.receipt import ReceiptDocument, ReceiptLine
from hardware.simulators.tcp_printer import PrinterFlags, StatusResponder, split_receipts
from hardware.status import DeviceState

VENDOR, PRODUCT = 0x04B8, 0x0202
TIMEOUT = 0.3


class FakeUSBError(OSError):
    """Shaped like ``usb.core.USBError(strerror, error_code=None, errno=None)``."""

    def __init__(self, strerror: str, error_code: int | None = None, errno: int | None = None):
        super().__init__(errno, strerror)
        self.backend_error_code = error_code


class FakeUSBTimeoutError(FakeUSBError):
    pass


class FakeLibusb1Backend:
    pass


FakeLibusb1Backend.__module__ = "usb.backend.libusb1"  # escpos checks it to detach the driver


class FakeEndpoint:
    def __init__(self, address: int, attributes: int) -> None:
        self.bEndpointAddress = address
        self.bmAttributes = attributes


class FakeUsbPrinter:
    """A USB ESC/POS printer: bulk OUT 0x02, bulk IN 0x81 (not escpos's default 0x01/0x82)."""

    def __init__(self) -> None:
        self.backend = FakeLibusb1Backend()
        self.flags = PrinterFlags()
        self.responder = StatusResponder(self.flags)
        self.data = bytearray()
        self.pending = bytearray()
        self.answering = True
        self.unplugged = False
        self.fail_writes_larger_than: tuple[int, Exception] | None = None
        self.write_calls: list[tuple[int, int]] = []  # (endpoint, timeout ms)
        self.read_calls: list[tuple[int, int]] = []
        self.detached = False
        self.resets = 0

    # the part of usb.core.Device that python-escpos and the adapter use
    def is_kernel_driver_active(self, interface: int) -> bool:
        return not self.detached

    def detach_kernel_driver(self, interface: int) -> None:
        self.detached = True

    def set_configuration(self) -> None:
        self._check()

    def reset(self) -> None:
        self.resets += 1

    def get_active_configuration(self) -> dict[tuple[int, int], list[FakeEndpoint]]:
        return {
            (0, 0): [
                FakeEndpoint(0x83, 0x03),  # interrupt IN: not for data
                FakeEndpoint(0x02, 0x02),
                FakeEndpoint(0x81, 0x02),
            ]
        }

    def write(self, endpoint: int, data: bytes, timeout: int | None = None) -> int:
        self._check()
        self.write_calls.append((endpoint, timeout or 0))
        if self.fail_writes_larger_than and len(data) > self.fail_writes_larger_than[0]:
            raise self.fail_writes_larger_than[1]
        self.data.extend(data)
        self.pending.extend(self.responder.feed(bytes(data)))
        return len(data)

    def read(self, endpoint: int, size: int, timeout: int | None = None) -> array[int]:
        self._check()
        self.read_calls.append((endpoint, timeout or 0))
        if self.pending and self.answering:
            chunk, self.pending = self.pending[:size], self.pending[size:]
            return array("B", chunk)
        time.sleep((timeout or 1000) / 1000)  # a bulk IN read waits for its time-out
        raise FakeUSBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT)

    def _check(self) -> None:
        if self.unplugged:
            raise FakeUSBError("No such device (it may have been disconnected)", -4, errno.ENODEV)


class FakeUsbBus:
    """Stands in for the ``usb`` package: ``usb.core.find`` over the plugged devices."""

    def __init__(self) -> None:
        self.devices: dict[tuple[int, int], FakeUsbPrinter] = {}
        self.finds = 0
        self.disposed: list[Any] = []
        self.module = SimpleNamespace(
            core=SimpleNamespace(
                find=self.find,
                USBError=FakeUSBError,
                USBTimeoutError=FakeUSBTimeoutError,
                Device=FakeUsbPrinter,
            ),
            util=SimpleNamespace(dispose_resources=self.disposed.append),
        )

    def plug(self, vendor: int = VENDOR, product: int = PRODUCT) -> FakeUsbPrinter:
        device = FakeUsbPrinter()
        self.devices[(vendor, product)] = device
        return device

    def find(self, idVendor: int | None = None, idProduct: int | None = None) -> Any:  # noqa: N803
        self.finds += 1
        return self.devices.get((idVendor or 0, idProduct or 0))


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> FakeUsbBus:
    ensure_escpos_ready()
    import escpos.printer.usb as escpos_usb  # type: ignore[import-untyped]

    fake = FakeUsbBus()
    monkeypatch.setattr(escpos_usb, "_DEP_USB", True)
    monkeypatch.setattr(escpos_usb, "usb", fake.module, raising=False)
    return fake


@pytest.fixture
def printer(bus: FakeUsbBus) -> Iterator[UsbReceiptPrinter]:
    device = UsbReceiptPrinter(VENDOR, PRODUCT, timeout=TIMEOUT)
    yield device
    device.close()


def receipt(number: str = "T01-C01-2026-000011") -> ReceiptDocument:
    return ReceiptDocument(
        header=("Papelería Begoña",),
        title="FACTURA SIMPLIFICADA",
        meta=(("Nº", number),),
        lines=(ReceiptLine("Cuaderno A5", "3", "1,50 €", "4,50 €"),),
        totals=(("TOTAL", "4,50 €"),),
        total_label="TOTAL",
        tax_columns=("Tipo", "Base", "Cuota", "Total"),
        tax_rows=(),
        tenders=(("Tarjeta", "4,50 €"),),
        change=None,
        barcode=number,
    )


def test_receipt_goes_to_the_bulk_endpoints_found_in_the_descriptor(
    bus: FakeUsbBus, printer: UsbReceiptPrinter
) -> None:
    device = bus.plug()

    printer.print_receipt(receipt())

    result = decode(bytes(device.data))
    (printed,) = split_receipts(result)
    assert result.events[:2] == [StatusRequest("DLE EOT", 1), StatusRequest("DLE EOT", 4)]
    assert "Papelería Begoña" in printed.lines
    assert any(line.endswith("4,50 €") for line in printed.lines)
    assert [b.text for b in printed.events_of(Barcode)] == ["T01-C01-2026-000011"]
    assert printed.events[-1] == Cut(partial=False)
    assert {endpoint for endpoint, _ in device.write_calls} == {0x02}
    assert {endpoint for endpoint, _ in device.read_calls} == {0x81}
    assert all(0 < ms <= TIMEOUT * 1000 for _, ms in device.read_calls)  # never "no time-out"
    assert all(ms > 0 for _, ms in device.write_calls)
    assert device.detached  # python-escpos detached the kernel's usblp driver


def test_configured_endpoints_are_used_as_given(bus: FakeUsbBus) -> None:
    device = bus.plug()
    printer = UsbReceiptPrinter(VENDOR, PRODUCT, timeout=TIMEOUT, in_ep=0x81, out_ep=0x02)

    printer.print_receipt(receipt())

    assert decode(bytes(device.data)).events_of(Cut) == [Cut(partial=False)]
    printer.close()


def test_the_connection_stays_open_between_jobs(
    bus: FakeUsbBus, printer: UsbReceiptPrinter
) -> None:
    device = bus.plug()

    printer.print_receipt(receipt("A-1"))
    printer.print_receipt(receipt("A-2"))
    printer.open_drawer()

    assert bus.finds == 1 and device.resets == 1  # escpos resets on open: once
    result = decode(bytes(device.data))
    assert [r.events_of(Barcode)[0].text for r in split_receipts(result)] == ["A-1", "A-2"]
    assert result.events[-1] == DrawerKick(pin=2)

    printer.close()

    assert bus.disposed == [device]


def test_a_printer_not_plugged_in_is_unavailable(
    bus: FakeUsbBus, printer: UsbReceiptPrinter
) -> None:
    with pytest.raises(PrinterUnavailable, match="not found") as info:
        printer.print_receipt(receipt())
    status = printer.status()

    assert info.value.maybe_printed is False
    assert status.state is DeviceState.OFFLINE
    assert status.detail.startswith("USB 04b8:0202: ")


def test_unplugged_in_the_middle_of_the_receipt_may_have_printed(
    bus: FakeUsbBus, printer: UsbReceiptPrinter
) -> None:
    device = bus.plug()
    device.fail_writes_larger_than = (
        3,
        FakeUSBError("No such device (it may have been disconnected)", -4, errno.ENODEV),
    )

    with pytest.raises(PrinterUnavailable, match="No such device") as info:
        printer.print_receipt(receipt())

    assert info.value.maybe_printed is True
    assert not isinstance(info.value.__cause__, FakeUSBError)  # translated at the boundary
    assert isinstance(info.value.__cause__, OSError)

    replugged = bus.plug()  # plugged back: the same object reconnects
    printer.print_receipt(receipt())
    assert bus.finds == 2
    assert split_receipts(decode(bytes(replugged.data)))[0].events[-1] == Cut(partial=False)


def test_a_write_that_times_out_may_have_printed(
    bus: FakeUsbBus, printer: UsbReceiptPrinter
) -> None:
    device = bus.plug()
    device.fail_writes_larger_than = (3, FakeUSBTimeoutError("Operation timed out", -7, 110))

    with pytest.raises(PrinterUnavailable, match="timed out") as info:
        printer.print_receipt(receipt())

    assert info.value.maybe_printed is True


def test_a_printer_that_does_not_answer_times_out_with_nothing_printed(
    bus: FakeUsbBus, printer: UsbReceiptPrinter
) -> None:
    device = bus.plug()
    device.answering = False
    started = time.monotonic()

    with pytest.raises(PrinterUnavailable, match="no answer") as info:
        printer.print_receipt(receipt())

    assert TIMEOUT * 0.9 <= time.monotonic() - started < TIMEOUT + 1.0
    assert info.value.maybe_printed is False
    assert bytes(device.data) == b"\x10\x04\x01"


def test_a_printer_switched_off_and_on_between_jobs_is_reconnected(
    bus: FakeUsbBus, printer: UsbReceiptPrinter
) -> None:
    first = bus.plug()
    printer.print_receipt(receipt("A-1"))
    first.unplugged = True  # the kept handle is dead
    second = bus.plug()  # the printer is back (a new device on the bus)

    printer.print_receipt(receipt("A-2"))

    assert bus.finds == 2
    assert [b.text for b in decode(bytes(second.data)).events_of(Barcode)] == ["A-2"]


def test_out_of_paper(bus: FakeUsbBus, printer: UsbReceiptPrinter) -> None:
    device = bus.plug()
    device.flags.paper_out = True

    with pytest.raises(PrinterOutOfPaper) as info:
        printer.print_receipt(receipt())

    assert info.value.maybe_printed is False
    assert all(isinstance(e, StatusRequest) for e in decode(bytes(device.data)).events)
    assert printer.status().state is DeviceState.NO_PAPER


def test_without_pyusb_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_escpos_ready()
    import escpos.printer.usb as escpos_usb

    monkeypatch.setattr(escpos_usb, "_DEP_USB", False)
    printer = UsbReceiptPrinter(VENDOR, PRODUCT, timeout=TIMEOUT)

    with pytest.raises(PrinterUnavailable, match="pyusb") as info:
        printer.print_receipt(receipt())
    status = printer.status()

    assert info.value.maybe_printed is False
    assert status.state is DeviceState.OFFLINE and "pyusb" in status.detail
    with pytest.raises(PrinterUnavailable, match="pyusb"):
        printer.open_drawer()


def test_names_and_ids() -> None:
    assert UsbReceiptPrinter(0x04B8, 0x0E28).name == "USB 04b8:0e28"
    with pytest.raises(ValueError, match="vendor_id"):
        UsbReceiptPrinter(0, 0x0202)
    with pytest.raises(ValueError, match="product_id"):
        UsbReceiptPrinter(0x04B8, 0x10000)


def test_the_drawer_reconnects_when_the_kept_connection_is_dead(
    bus: FakeUsbBus, printer: UsbReceiptPrinter
) -> None:
    first = bus.plug()
    printer.print_receipt(receipt())
    first.unplugged = True
    second = bus.plug()

    printer.open_drawer()

    assert decode(bytes(second.data)).events == [DrawerKick(pin=2)]
