"""The serial receipt printer against a real pseudo-terminal whose other side plays the printer.

The printer side answers ``DLE EOT`` with :class:`StatusResponder` (the simulator's answers,
written from the Epson reference) and records every byte for the decoder.
"""

from __future__ import annotations

import os
import selectors
import termios
import threading
import time
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.errors import (
    PrinterNotReady,
    PrinterOutOfPaper,
    PrinterUnavailable,
)
from hardware.escpos_decoder import Barcode, Cut, DrawerKick, Image, StatusRequest, decode
from hardware.printers import SerialReceiptPrinter
from hardware.receipt import ReceiptDocument, ReceiptLine
from hardware.simulators.tcp_printer import PrinterFlags, StatusResponder, split_receipts
from hardware.status import DeviceState

TIMEOUT = 0.3


def receipt(number: str = "T01-C01-2026-000009", *, extra_lines: int = 0) -> ReceiptDocument:
    lines = [ReceiptLine("Tuerca M6 acero inoxidable", "10", "0,12 €", "1,20 €")]
    lines += [ReceiptLine(f"Artículo {i}", "1", "1,00 €", "1,00 €") for i in range(extra_lines)]
    return ReceiptDocument(
        header=("Droguería Ñandú",),
        title="FACTURA SIMPLIFICADA",
        meta=(("Nº", number),),
        lines=tuple(lines),
        totals=(("TOTAL", "1,20 €"),),
        total_label="TOTAL",
        tax_columns=("Tipo", "Base", "Cuota", "Total"),
        tax_rows=(),
        tenders=(("Efectivo", "2,00 €"),),
        change=("Cambio", "0,80 €"),
        barcode=number,
    )


class PtyPrinter:
    """The printer's end of a pseudo-terminal, served by one thread woken by a pipe.

    It keeps a slave descriptor of its own open, so the master never reads EIO (and select
    never spins) while the application has the port closed.
    """

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        self.flags = PrinterFlags()
        self.responder = StatusResponder(self.flags)
        self.answering = True
        self.garbage: bytes | None = None  # answer this instead (a wrong baud rate)
        self.stall_after_answers: int | None = None  # then stop reading
        self.unplug_after_bytes: int | None = None  # then close the pty (cable pulled)
        self.data = bytearray()
        self.answers = 0
        self._cond = threading.Condition()
        self._control_r, self._control_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="pty-printer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self.master, selectors.EVENT_READ, "data")
            selector.register(self._control_r, selectors.EVENT_READ, "control")
            while True:
                for key, _ in selector.select():
                    if key.data == "control":
                        return
                    if self._serve() == "stall":
                        selector.unregister(self.master)
                    elif self.master < 0:
                        selector.unregister(key.fd)

    def _serve(self) -> str:
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            chunk = b""
        answers = self.responder.feed(chunk)
        with self._cond:
            self.data.extend(chunk)
            self._cond.notify_all()
        if self.unplug_after_bytes is not None and len(self.data) >= self.unplug_after_bytes:
            os.close(self.master)
            os.close(self._slave)
            self.master = self._slave = -1
            return "unplugged"
        if answers and self.answering:
            os.write(self.master, self.garbage or answers)
            self.answers += len(answers)
            if self.stall_after_answers is not None and self.answers >= self.stall_after_answers:
                return "stall"
        return ""

    def wait_for(self, size: int, timeout: float = 2.0) -> bytes:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.data) < size:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"only {len(self.data)} of {size} bytes arrived")
                self._cond.wait(left)
            return bytes(self.data)

    def termios_flags(self) -> tuple[int, int]:
        attributes = termios.tcgetattr(self._slave)
        return attributes[0], attributes[2]  # iflag, cflag

    def close(self) -> None:
        os.write(self._control_w, b"q")
        self._thread.join(5)
        assert not self._thread.is_alive()
        for fd in (self.master, self._slave, self._control_r, self._control_w):
            if fd >= 0:
                os.close(fd)


@pytest.fixture
def pty_printer() -> Iterator[PtyPrinter]:
    side = PtyPrinter()
    yield side
    side.close()


@pytest.fixture
def printer(pty_printer: PtyPrinter) -> SerialReceiptPrinter:
    return SerialReceiptPrinter(pty_printer.path, timeout=TIMEOUT)


def test_receipt_goes_down_the_line_after_the_status_questions(
    pty_printer: PtyPrinter, printer: SerialReceiptPrinter
) -> None:
    printer.print_receipt(receipt())

    expected_size = len(b"\x10\x04\x01\x10\x04\x04")
    data = pty_printer.wait_for(expected_size + 100)
    result = decode(data)
    (printed,) = split_receipts(result)
    assert result.events[:2] == [StatusRequest("DLE EOT", 1), StatusRequest("DLE EOT", 4)]
    assert "Droguería Ñandú" in printed.lines
    assert any(line.startswith("TOTAL") and line.endswith("1,20 €") for line in printed.lines)
    assert [b.text for b in printed.events_of(Barcode)] == ["T01-C01-2026-000009"]
    assert printed.events[-1] == Cut(partial=False)
    assert printer.name == f"{pty_printer.path} 9600"


def test_no_flow_control_by_default(pty_printer: PtyPrinter, printer: SerialReceiptPrinter) -> None:
    printer.print_receipt(receipt())

    iflag, cflag = pty_printer.termios_flags()
    assert not cflag & termios.CRTSCTS
    assert not iflag & (termios.IXON | termios.IXOFF)


def test_out_of_paper_sends_nothing_but_the_questions(
    pty_printer: PtyPrinter, printer: SerialReceiptPrinter
) -> None:
    pty_printer.flags.paper_out = True

    with pytest.raises(PrinterOutOfPaper) as info:
        printer.print_receipt(receipt())

    assert info.value.maybe_printed is False
    assert all(isinstance(e, StatusRequest) for e in decode(bytes(pty_printer.data)).events)
    assert printer.status().state is DeviceState.NO_PAPER


def test_a_printer_that_never_answers_times_out_with_nothing_printed(
    pty_printer: PtyPrinter, printer: SerialReceiptPrinter
) -> None:
    pty_printer.answering = False
    started = time.monotonic()

    with pytest.raises(PrinterUnavailable, match="no answer") as info:
        printer.print_receipt(receipt())

    assert TIMEOUT * 0.9 <= time.monotonic() - started < TIMEOUT + 1.0
    assert info.value.maybe_printed is False
    assert bytes(pty_printer.wait_for(3)) == b"\x10\x04\x01"


def test_garbage_answers_point_at_the_baud_rate(
    pty_printer: PtyPrinter, printer: SerialReceiptPrinter
) -> None:
    pty_printer.garbage = b"\xff"

    status = printer.status()
    with pytest.raises(PrinterNotReady, match="baud rate") as info:
        printer.print_receipt(receipt())

    assert status.state is DeviceState.ERROR
    assert "0xFF" in status.detail
    assert info.value.maybe_printed is False


def big_logo(tmp_path: Path) -> Path:
    from PIL import Image as PilImage

    logo = tmp_path / "logo.png"
    PilImage.new("L", (576, 240), 0).save(logo)  # 17 KiB of raster: more than a pty buffers
    return logo


def test_a_printer_unplugged_while_printing_may_have_printed(
    pty_printer: PtyPrinter, tmp_path: Path
) -> None:
    device = SerialReceiptPrinter(pty_printer.path, timeout=TIMEOUT, logo=big_logo(tmp_path))
    pty_printer.unplug_after_bytes = 1000  # the cable is pulled in the middle of the receipt

    # A pty holds about 20 KiB: the receipt (about 75 KB) must be more than twice that, or a
    # slow printer thread could read one full buffer and the client write the rest into the
    # emptied one before the cable is pulled (seen under load).
    with pytest.raises(PrinterUnavailable, match="may have printed") as info:
        device.print_receipt(receipt(extra_lines=1000))

    assert info.value.maybe_printed is True
    assert "Input/output error" in str(info.value)
    assert not isinstance(info.value.__cause__, PrinterUnavailable)


def test_a_printer_that_stops_taking_data_times_out_and_may_have_printed(
    pty_printer: PtyPrinter, tmp_path: Path
) -> None:
    logo = big_logo(tmp_path)
    fast = SerialReceiptPrinter(pty_printer.path, baudrate=460800, timeout=TIMEOUT, logo=logo)
    pty_printer.stall_after_answers = 2  # then the buffer fills: the printer takes no more
    started = time.monotonic()

    with pytest.raises(PrinterUnavailable, match="timed out") as info:
        fast.print_receipt(receipt(extra_lines=20))

    # the time-out plus the allowance for about 20 KB (a printer takes 8 KiB/s at least)
    assert info.value.maybe_printed is True
    assert 2.0 < time.monotonic() - started < 5.0


def test_the_drawer_kick_on_pin_5(pty_printer: PtyPrinter) -> None:
    device = SerialReceiptPrinter(pty_printer.path, timeout=TIMEOUT, drawer_pin=5)

    device.open_drawer()

    assert decode(pty_printer.wait_for(5)).events == [DrawerKick(pin=5)]


def test_a_missing_port_is_unavailable_at_once(tmp_path: Path) -> None:
    device = SerialReceiptPrinter(str(tmp_path / "ttyUSB9"), timeout=TIMEOUT)
    started = time.monotonic()

    with pytest.raises(PrinterUnavailable, match="No such file or directory") as info:
        device.print_receipt(receipt())
    status = device.status()

    assert time.monotonic() - started < 1.0
    assert info.value.maybe_printed is False
    assert status.state is DeviceState.OFFLINE
    assert status.detail.startswith(f"{tmp_path / 'ttyUSB9'} 9600: ")
    with pytest.raises(PrinterUnavailable):
        device.open_drawer()


def test_status_of_a_ready_printer(pty_printer: PtyPrinter, printer: SerialReceiptPrinter) -> None:
    pty_printer.flags.paper_near_end = True

    status = printer.status()

    assert status.state is DeviceState.READY
    assert "near its end" in status.detail


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="flow control"):
        SerialReceiptPrinter("/dev/ttyUSB0", flow_control="cts")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="baudrate"):
        SerialReceiptPrinter("/dev/ttyUSB0", baudrate=0)
    with pytest.raises(ValueError, match="device"):
        SerialReceiptPrinter("")
    assert SerialReceiptPrinter("COM3", baudrate=19200).name == "COM3 19200"


def test_logo_goes_to_serial_printers_too(pty_printer: PtyPrinter, tmp_path: Path) -> None:
    from PIL import Image as PilImage

    logo = tmp_path / "logo.png"
    PilImage.new("L", (100, 40), 0).save(logo)
    device = SerialReceiptPrinter(pty_printer.path, timeout=TIMEOUT, logo=logo, width=32)

    device.print_receipt(receipt())

    size = 6 + len(b"\x1dv0") + 5 + 48 * 40
    images = decode(pty_printer.wait_for(size + 200)).events_of(Image)
    assert [(i.width, i.height) for i in images] == [(384, 40)]
