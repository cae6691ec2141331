"""The network receipt printer against the TCP 9100 printer simulator, on loopback."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.errors import PrinterNotReady, PrinterOutOfPaper, PrinterUnavailable
from hardware.escpos_decoder import (
    Barcode,
    CodePage,
    Cut,
    DrawerKick,
    Image,
    Init,
    QrCode,
    StatusRequest,
)
from hardware.printers import DevicePrinter, NetworkReceiptPrinter
from hardware.receipt import ReceiptDocument, ReceiptLine, ReceiptTaxRow
from hardware.simulators import TcpPrinterSimulator
from hardware.status import DeviceState

NUMBER = "T01-C01-2026-000042"
QR = "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345678&numserie=T01"
TIMEOUT = 0.4  # seconds: short, so the failure tests stay fast


def spanish_receipt(number: str = NUMBER) -> ReceiptDocument:
    return ReceiptDocument(
        header=("Ferretería Muñoz", "NIF B12345678", "C/ Señor de la Peña 3, León"),
        title="FACTURA SIMPLIFICADA",
        meta=(("Nº", number), ("Fecha", "05/03/2026 18:07"), ("Atendió", "Íñigo")),
        lines=(
            ReceiptLine("Cañería PVC 20 mm", "2", "3,15 €", "6,30 €"),
            ReceiptLine("Tornillos 4x40 (caja)", "1", "4,99 €", "4,99 €", ("Descuento -0,50 €",)),
        ),
        totals=(("Artículos", "3"), ("TOTAL", "10,79 €")),
        total_label="TOTAL",
        tax_columns=("Tipo", "Base", "Cuota", "Total"),
        tax_rows=(ReceiptTaxRow("IVA 21 %", "8,92 €", "1,87 €", "10,79 €"),),
        tenders=(("Efectivo", "20,00 €"),),
        change=("Cambio", "9,21 €"),
        barcode=number,
        qr=QR,
        footer=("¡Gracias por su compra!", "¿Dudas? Llámenos"),
    )


@pytest.fixture
def sim() -> Iterator[TcpPrinterSimulator]:
    with TcpPrinterSimulator() as simulator:
        yield simulator


@pytest.fixture
def printer(sim: TcpPrinterSimulator) -> Iterator[NetworkReceiptPrinter]:
    device = NetworkReceiptPrinter("127.0.0.1", sim.port, timeout=TIMEOUT)
    yield device
    device.close()


def test_receipt_reaches_the_printer_with_spanish_text_barcode_qr_and_cut(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    printer.print_receipt(spanish_receipt())

    (receipt,) = sim.wait_for_receipts(1)
    text = receipt.text
    assert "Ferretería Muñoz" in text
    assert "C/ Señor de la Peña 3, León" in text
    assert "FACTURA SIMPLIFICADA" in text
    assert any(line.startswith("Atendió") and line.endswith("Íñigo") for line in receipt.lines)
    assert any(line.startswith("Cañería PVC 20 mm") for line in receipt.lines)
    assert any(line.endswith("6,30 €") for line in receipt.lines)
    assert "    Descuento -0,50 €" in receipt.lines
    assert any(line.startswith("TOTAL") and line.endswith("10,79 €") for line in receipt.lines)
    assert any(line.startswith("IVA 21 %") and "1,87 €" in line for line in receipt.lines)
    assert any(line.startswith("Cambio") and line.endswith("9,21 €") for line in receipt.lines)
    assert "¡Gracias por su compra!" in receipt.lines and "¿Dudas? Llámenos" in receipt.lines
    assert all(len(line) <= 48 for line in receipt.lines)
    assert [b.text for b in receipt.events_of(Barcode)] == [NUMBER]
    assert receipt.events_of(QrCode) == [QrCode(QR)]
    assert receipt.events_of(CodePage) == [CodePage(19, "CP858")]
    assert receipt.events[-1] == Cut(partial=False)


def test_status_is_asked_before_the_first_byte_of_the_receipt(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    printer.print_receipt(spanish_receipt())

    (connection,) = sim.wait_for_connections(1)
    events = connection.decoded().events
    assert events[:3] == [StatusRequest("DLE EOT", 1), StatusRequest("DLE EOT", 4), Init()]
    assert connection.data.startswith(b"\x10\x04\x01\x10\x04\x04\x1b@")
    assert connection.replies == b"\x12\x12"
    assert connection.closed  # the printer closed after reading everything (EOF wait)


def test_each_receipt_on_the_same_object_keeps_the_euro_sign(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    printer.print_receipt(spanish_receipt("A-1"))
    printer.print_receipt(spanish_receipt("A-2"))

    first, second = sim.wait_for_receipts(2)
    assert [r.events_of(Barcode)[0].text for r in (first, second)] == ["A-1", "A-2"]
    assert any(line.endswith("10,79 €") for line in second.lines)
    assert len(sim.connections) == 2  # one connection per job


def test_58_mm_paper_lines_fit_in_32_columns(sim: TcpPrinterSimulator) -> None:
    narrow = NetworkReceiptPrinter("127.0.0.1", sim.port, timeout=TIMEOUT, width=32)

    narrow.print_receipt(spanish_receipt("A-3"))

    (receipt,) = sim.wait_for_receipts(1)
    assert max(len(line) for line in receipt.lines) == 32


def write_logo(path: Path, size: tuple[int, int]) -> Path:
    from PIL import Image as PilImage
    from PIL import ImageDraw

    picture = PilImage.new("RGBA", size, (0, 0, 0, 0))  # transparent background
    ImageDraw.Draw(picture).ellipse((0, 0, size[0] - 1, size[1] - 1), fill=(200, 0, 0, 255))
    picture.save(path)
    return path


@pytest.mark.parametrize(("width", "dots"), [(48, 576), (32, 384)])
def test_logo_is_a_raster_image_at_the_top_scaled_to_the_paper(
    sim: TcpPrinterSimulator, tmp_path: Path, width: int, dots: int
) -> None:
    logo = write_logo(tmp_path / "logo.png", (800, 200))
    device = NetworkReceiptPrinter("127.0.0.1", sim.port, timeout=TIMEOUT, width=width, logo=logo)

    device.print_receipt(spanish_receipt())

    (receipt,) = sim.wait_for_receipts(1)
    images = receipt.events_of(Image)
    assert len(images) == 1
    assert (images[0].width, images[0].height) == (dots, 200 * dots // 800)
    assert images[0].at_line == 0  # before the header
    assert receipt.events.index(images[0]) < receipt.events.index(CodePage(19, "CP858")) + 2
    assert sim.connections[0].data.count(b"\x1dv0") == 1


def test_a_missing_logo_prints_the_receipt_without_it_and_warns_once(
    sim: TcpPrinterSimulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    device = NetworkReceiptPrinter(
        "127.0.0.1", sim.port, timeout=TIMEOUT, logo=tmp_path / "missing.png"
    )
    caplog.set_level(logging.WARNING)

    device.print_receipt(spanish_receipt("A-1"))
    device.print_receipt(spanish_receipt("A-2"))

    receipts = sim.wait_for_receipts(2)
    assert all(r.events_of(Image) == [] for r in receipts)
    warnings = [r for r in caplog.records if "logo" in r.getMessage()]
    assert len(warnings) == 1
    assert "missing.png" in warnings[0].getMessage()


def test_an_unreadable_logo_is_skipped_and_a_fixed_one_is_used(
    sim: TcpPrinterSimulator, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"this is not a PNG")
    device = NetworkReceiptPrinter("127.0.0.1", sim.port, timeout=TIMEOUT, logo=logo)

    device.print_receipt(spanish_receipt("A-1"))
    write_logo(logo, (100, 50))
    device.print_receipt(spanish_receipt("A-2"))

    first, second = sim.wait_for_receipts(2)
    assert first.events_of(Image) == []
    assert [(i.width, i.height) for i in second.events_of(Image)] == [(576, 50)]


def test_out_of_paper_raises_before_sending_anything(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    sim.paper_out = True

    with pytest.raises(PrinterOutOfPaper, match="out of paper") as info:
        printer.print_receipt(spanish_receipt())

    assert info.value.maybe_printed is False
    assert isinstance(info.value, PrinterOutOfPaper)
    (connection,) = sim.wait_for_connections(1)
    sim.wait_for(lambda: sim.connections[0].closed)
    assert sim.receipts() == []
    assert all(isinstance(e, StatusRequest) for e in sim.connections[0].decoded().events)
    assert printer.status().state is DeviceState.NO_PAPER


def test_paper_back_in_prints_with_the_same_object(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    sim.paper_out = True
    with pytest.raises(PrinterOutOfPaper):
        printer.print_receipt(spanish_receipt())

    sim.paper_out = False
    printer.print_receipt(spanish_receipt())

    assert len(sim.wait_for_receipts(1)) == 1


@pytest.mark.parametrize(
    ("flag", "cause"),
    [("cover_open", "cover is open"), ("cutter_error", "autocutter is jammed")],
)
def test_a_printer_that_cannot_print_now_says_why(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter, flag: str, cause: str
) -> None:
    setattr(sim, flag, True)

    with pytest.raises(PrinterNotReady, match=cause) as info:
        printer.print_receipt(spanish_receipt())

    assert info.value.maybe_printed is False
    assert sim.receipts() == []


def test_refused_connection_is_unavailable_at_once(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    sim.refuse()
    started = time.monotonic()

    with pytest.raises(PrinterUnavailable, match="Connection refused") as info:
        printer.print_receipt(spanish_receipt())

    assert time.monotonic() - started < 1.0  # no time-out waited for
    assert info.value.maybe_printed is False
    assert f"127.0.0.1:{sim.port}" in str(info.value)
    assert not isinstance(info.value.__cause__, PrinterUnavailable)


def test_the_same_object_prints_again_once_the_printer_accepts(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    sim.refuse()
    with pytest.raises(PrinterUnavailable):
        printer.print_receipt(spanish_receipt())
    assert printer.status().state is DeviceState.OFFLINE

    sim.accept_again()
    printer.print_receipt(spanish_receipt())

    assert len(sim.wait_for_receipts(1)) == 1
    assert printer.status().state is DeviceState.READY


def test_a_silent_printer_times_out_on_the_status_question_with_nothing_printed(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    sim.silent = True
    started = time.monotonic()

    with pytest.raises(PrinterUnavailable, match="no answer to the status request") as info:
        printer.print_receipt(spanish_receipt())

    elapsed = time.monotonic() - started
    assert TIMEOUT * 0.9 <= elapsed < TIMEOUT + 1.0
    assert info.value.maybe_printed is False
    sim.silent = False  # the "printer" wakes up and reads what was waiting
    sim.wait_for(lambda: sim.connections and sim.connections[0].closed)
    assert sim.data == b"\x10\x04\x01"  # only the question: no byte of the receipt


def test_a_silent_printer_without_status_check_may_have_printed(
    sim: TcpPrinterSimulator,
) -> None:
    device = NetworkReceiptPrinter("127.0.0.1", sim.port, timeout=TIMEOUT, check_status=False)
    sim.silent = True
    started = time.monotonic()

    with pytest.raises(PrinterUnavailable, match="did not confirm") as info:
        device.print_receipt(spanish_receipt())

    elapsed = time.monotonic() - started
    assert TIMEOUT <= elapsed < TIMEOUT + 1.5  # plus the allowance for the receipt's size
    assert info.value.maybe_printed is True
    sim.silent = False
    assert len(sim.wait_for_receipts(1)) == 1  # it was all in the socket: it does print


def test_without_eof_wait_a_silent_printer_looks_fine(sim: TcpPrinterSimulator) -> None:
    device = NetworkReceiptPrinter(
        "127.0.0.1", sim.port, timeout=TIMEOUT, check_status=False, wait_eof=False
    )
    sim.silent = True

    device.print_receipt(spanish_receipt())  # nothing can tell: this is why both default on

    sim.silent = False
    assert len(sim.wait_for_receipts(1)) == 1


@pytest.mark.parametrize("pin", [2, 5])
def test_drawer_kick_on_the_configured_pin(sim: TcpPrinterSimulator, pin: int) -> None:
    device = NetworkReceiptPrinter("127.0.0.1", sim.port, timeout=TIMEOUT, drawer_pin=pin)

    device.open_drawer()

    (kick,) = sim.wait_for_kicks(1)
    assert kick == DrawerKick(pin=pin)
    assert (kick.on_ms, kick.off_ms) == (100, 100)
    assert sim.receipts() == []


def test_drawer_opens_even_without_paper(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    sim.paper_out = True

    printer.open_drawer()

    assert sim.wait_for_kicks(1) == [DrawerKick(pin=2)]


def test_drawer_kick_to_a_refusing_printer_is_a_printer_error(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    sim.refuse()

    with pytest.raises(PrinterUnavailable, match="Connection refused"):
        printer.open_drawer()


@pytest.mark.parametrize("pin", [0, 1, 3, 6])
def test_drawer_pin_must_be_2_or_5(pin: int) -> None:
    with pytest.raises(ValueError, match="drawer_pin"):
        NetworkReceiptPrinter("127.0.0.1", drawer_pin=pin)


@pytest.mark.parametrize(
    ("setup", "state", "words"),
    [
        ({}, DeviceState.READY, "ready"),
        ({"paper_near_end": True}, DeviceState.READY, "near its end"),
        ({"paper_out": True}, DeviceState.NO_PAPER, "out of paper"),
        ({"cover_open": True}, DeviceState.ERROR, "cover is open"),
        ({"cutter_error": True}, DeviceState.ERROR, "autocutter"),
    ],
)
def test_status_reports_what_the_printer_says(
    sim: TcpPrinterSimulator,
    printer: NetworkReceiptPrinter,
    setup: dict[str, bool],
    state: DeviceState,
    words: str,
) -> None:
    for flag, value in setup.items():
        setattr(sim, flag, value)

    status = printer.status()

    assert status.state is state
    assert words in status.detail
    assert status.detail.startswith(f"127.0.0.1:{sim.port}: ")


def test_status_of_a_refusing_printer_is_offline(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    sim.refuse()

    status = printer.status()

    assert status.state is DeviceState.OFFLINE
    assert "Connection refused" in status.detail


def test_status_of_a_silent_printer_is_offline_within_the_time_out(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    sim.silent = True
    started = time.monotonic()

    status = printer.status()

    assert time.monotonic() - started < TIMEOUT + 0.6
    assert status.state is DeviceState.OFFLINE
    assert "no answer" in status.detail


def test_status_while_a_job_hangs_is_still_bounded(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    sim.silent = True
    job = threading.Thread(
        target=lambda: pytest.raises(PrinterUnavailable, printer.print_receipt, spanish_receipt())
    )
    job.start()
    sim.wait_for_connections(1)
    started = time.monotonic()

    status = printer.status()

    assert time.monotonic() - started < TIMEOUT + 0.6
    assert status.state in (DeviceState.OFFLINE, DeviceState.CONNECTING)
    job.join(5)
    assert not job.is_alive()


def test_status_after_the_printer_is_back(
    sim: TcpPrinterSimulator, printer: NetworkReceiptPrinter
) -> None:
    sim.paper_out = True
    assert printer.status().state is DeviceState.NO_PAPER

    sim.paper_out = False

    assert printer.status().state is DeviceState.READY


def test_a_printer_without_status_support_can_be_used_with_the_check_off(
    sim: TcpPrinterSimulator,
) -> None:
    device = NetworkReceiptPrinter("127.0.0.1", sim.port, timeout=TIMEOUT, check_status=False)

    device.print_receipt(spanish_receipt())
    status = device.status()

    assert sim.status_requests == []
    assert len(sim.wait_for_receipts(1)) == 1
    assert status.state is DeviceState.READY and "status check off" in status.detail


def test_names_and_settings() -> None:
    assert NetworkReceiptPrinter("192.168.1.50").name == "192.168.1.50:9100"
    assert NetworkReceiptPrinter("::1", 9101).name == "[::1]:9101"
    assert NetworkReceiptPrinter("printer.local", width=32).width == 32
    with pytest.raises(ValueError, match="port"):
        NetworkReceiptPrinter("192.168.1.50", 0)
    with pytest.raises(ValueError, match="width"):
        NetworkReceiptPrinter("192.168.1.50", width=10)
    with pytest.raises(ValueError, match="timeout"):
        NetworkReceiptPrinter("192.168.1.50", timeout=0)


def test_the_printer_has_the_whole_device_surface(printer: NetworkReceiptPrinter) -> None:
    surface: DevicePrinter = printer

    assert surface.name == printer.name and surface.width == 48
    assert repr(printer) == f"NetworkReceiptPrinter({printer.name!r}, width=48)"
