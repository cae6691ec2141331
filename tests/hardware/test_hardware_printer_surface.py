"""Every printer has the same surface: file and memory printers, the logo, the drawer kick."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from hardware.errors import PrinterOutOfPaper, PrinterUnavailable
from hardware.escpos_decoder import DrawerKick, Image, decode
from hardware.printers import (
    DevicePrinter,
    FileReceiptPrinter,
    MemoryReceiptPrinter,
    NetworkReceiptPrinter,
    ReceiptLogo,
    SerialReceiptPrinter,
    UsbReceiptPrinter,
    Win32ReceiptPrinter,
    drawer_kick_bytes,
    receipt_to_bytes,
)
from hardware.printers.escpos_setup import root_logging_untouched
from hardware.printers.logo import MAX_LOGO_HEIGHT_DOTS, prepare_logo
from hardware.receipt import ReceiptDocument, ReceiptLine
from hardware.status import DeviceState, DeviceStatus


def make_document() -> ReceiptDocument:
    return ReceiptDocument(
        header=("Bazar Ibáñez",),
        title="FACTURA SIMPLIFICADA",
        meta=(("Nº", "A-7"),),
        lines=(ReceiptLine("Pilas AA", "4", "0,50 €", "2,00 €"),),
        totals=(("TOTAL", "2,00 €"),),
        total_label="TOTAL",
        tax_columns=("Tipo", "Base", "Cuota", "Total"),
        tax_rows=(),
        tenders=(("Efectivo", "2,00 €"),),
        change=None,
        barcode="A-7",
    )


def save_picture(path: Path, size: tuple[int, int], mode: str = "RGB") -> Path:
    from PIL import Image as PilImage

    PilImage.new(mode, size, 0).save(path)
    return path


def test_every_printer_class_offers_the_device_surface(tmp_path: Path) -> None:
    printers: list[DevicePrinter] = [
        FileReceiptPrinter(tmp_path / "lp0"),
        MemoryReceiptPrinter(),
        NetworkReceiptPrinter("192.168.1.50"),
        SerialReceiptPrinter("/dev/ttyUSB0"),
        UsbReceiptPrinter(0x04B8, 0x0202),
        Win32ReceiptPrinter("EPSON TM-T20III Receipt"),
    ]

    names = [printer.name for printer in printers]

    assert names == [
        str(tmp_path / "lp0"),
        "memory",
        "192.168.1.50:9100",
        "/dev/ttyUSB0 9600",
        "USB 04b8:0202",
        "EPSON TM-T20III Receipt",
    ]
    for printer in printers:
        for method in ("print_receipt", "status", "open_drawer", "close"):
            assert callable(getattr(printer, method))
        assert printer.width == 48
        printer.close()


def test_drawer_kick_bytes_are_escpos_esc_p() -> None:
    assert drawer_kick_bytes(2) == b"\x1bp\x00\x32\x32"
    assert drawer_kick_bytes(5) == b"\x1bp\x01\x32\x32"
    with pytest.raises(ValueError, match="2 or 5"):
        drawer_kick_bytes(3)


# --------------------------------------------------------------------------- file printer


def test_file_printer_appends_the_drawer_kick(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    printer = FileReceiptPrinter(target, drawer_pin=5)

    printer.print_receipt(make_document())
    printer.open_drawer()

    events = decode(target.read_bytes()).events
    assert events[-1] == DrawerKick(pin=5)


def test_file_printer_prints_the_logo(tmp_path: Path) -> None:
    logo = save_picture(tmp_path / "logo.png", (200, 100))
    target = tmp_path / "lp0"

    FileReceiptPrinter(target, logo=logo, width=32).print_receipt(make_document())

    assert [(i.width, i.height) for i in decode(target.read_bytes()).events_of(Image)] == [
        (384, 100)
    ]


def test_file_printer_status(tmp_path: Path) -> None:
    existing = tmp_path / "existing.bin"
    existing.write_bytes(b"")

    assert FileReceiptPrinter(existing).status() == DeviceStatus(
        DeviceState.READY, f"{existing}: writable"
    )
    assert FileReceiptPrinter(tmp_path / "new.bin").status().state is DeviceState.READY
    assert FileReceiptPrinter(tmp_path).status().state is DeviceState.ERROR
    missing_dir = FileReceiptPrinter(tmp_path / "nope" / "lp0").status()
    assert missing_dir.state is DeviceState.OFFLINE and "no such file" in missing_dir.detail
    unplugged = FileReceiptPrinter("/dev/usb/lp9-not-here").status()
    assert unplugged.state is DeviceState.OFFLINE


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anything")
def test_file_printer_status_without_permission(tmp_path: Path) -> None:
    locked = tmp_path / "locked.bin"
    locked.write_bytes(b"")
    locked.chmod(0o400)

    status = FileReceiptPrinter(locked).status()

    assert status.state is DeviceState.OFFLINE and "permission denied" in status.detail


def test_file_printer_that_cannot_open_certainly_printed_nothing(tmp_path: Path) -> None:
    printer = FileReceiptPrinter(tmp_path / "missing" / "lp0")

    with pytest.raises(PrinterUnavailable) as info:
        printer.print_receipt(make_document())
    with pytest.raises(PrinterUnavailable):
        printer.open_drawer()

    assert info.value.maybe_printed is False


def test_file_printer_write_failure_may_have_printed() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    printer = FileReceiptPrinter("/dev/full")  # opens fine, every write fails with ENOSPC

    with pytest.raises(PrinterUnavailable, match="No space left") as info:
        printer.print_receipt(make_document())

    assert info.value.maybe_printed is True


# --------------------------------------------------------------------------- memory printer


def test_memory_printer_records_kicks_and_reports_its_status() -> None:
    printer = MemoryReceiptPrinter(drawer_pin=5, name="vista previa")

    printer.open_drawer()
    printer.open_drawer()

    assert printer.kicks == (5, 5)
    assert printer.status() == DeviceStatus(DeviceState.READY, "vista previa: ready")
    printer.current_status = DeviceStatus(DeviceState.NO_PAPER, "out of paper")
    assert printer.status().state is DeviceState.NO_PAPER
    printer.clear()
    assert printer.kicks == ()


def test_memory_printer_drawer_failure_once() -> None:
    printer = MemoryReceiptPrinter()
    printer.fail_next_drawer = PrinterUnavailable("drawer cable")

    with pytest.raises(PrinterUnavailable, match="drawer cable"):
        printer.open_drawer()
    printer.open_drawer()

    assert printer.kicks == (2,)


def test_memory_printer_failure_keeps_its_flag() -> None:
    printer = MemoryReceiptPrinter()
    printer.fail_next = PrinterOutOfPaper("no paper", maybe_printed=False)

    with pytest.raises(PrinterOutOfPaper) as info:
        printer.print_receipt(make_document())

    assert info.value.maybe_printed is False


@pytest.mark.parametrize("pin", [1, 3])
def test_file_and_memory_printers_check_the_drawer_pin(tmp_path: Path, pin: int) -> None:
    with pytest.raises(ValueError, match="drawer_pin"):
        FileReceiptPrinter(tmp_path / "lp0", drawer_pin=pin)
    with pytest.raises(ValueError, match="drawer_pin"):
        MemoryReceiptPrinter(drawer_pin=pin)


# --------------------------------------------------------------------------- logo


def test_a_wide_logo_is_scaled_down_and_a_small_one_centred() -> None:
    from PIL import Image as PilImage

    wide = prepare_logo(PilImage.new("RGB", (1152, 200)), width_dots=576)
    small = prepare_logo(PilImage.new("RGB", (100, 50), (0, 0, 0)), width_dots=576)

    assert wide.size == (576, 100)
    assert small.size == (576, 50)
    # centred: white margins of (576 - 100) / 2 dots on each side
    assert small.getpixel((237, 25)) == 255 and small.getpixel((238, 25)) == 0
    assert small.getpixel((337, 25)) == 0 and small.getpixel((338, 25)) == 255


def test_a_tall_logo_is_limited_in_height() -> None:
    from PIL import Image as PilImage

    tall = prepare_logo(PilImage.new("RGB", (300, 900)), width_dots=576)

    assert tall.size == (576, MAX_LOGO_HEIGHT_DOTS)


def test_transparency_becomes_white_paper() -> None:
    from PIL import Image as PilImage

    prepared = prepare_logo(PilImage.new("RGBA", (10, 10), (0, 0, 0, 0)), width_dots=384)

    assert prepared.getextrema() == (255, 255)


def test_logo_is_read_again_when_the_file_changes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "logo.png"
    logo = ReceiptLogo(path, width=48)
    caplog.set_level(logging.WARNING)

    assert logo.image() is None and logo.image() is None  # missing: one warning
    save_picture(path, (100, 30))
    first = logo.image()
    assert first is not None and first.size == (576, 30)
    assert logo.image() is first  # cached
    save_picture(path, (100, 60))
    os.utime(path, ns=(1, 1))  # a different modification time, whatever the clock says
    second = logo.image()

    assert second is not None and second.size == (576, 60)
    assert len([r for r in caplog.records if "logo" in r.getMessage()]) == 1


def test_receipt_bytes_with_a_logo_start_with_init_code_page_and_raster() -> None:
    from PIL import Image as PilImage

    data = receipt_to_bytes(make_document(), logo=PilImage.new("L", (576, 8), 255))

    assert data.startswith(b"\x1b@\x1bt\x13\x1dv0\x00\x48\x00\x08\x00")


# --------------------------------------------------------------------------- logging guard


def test_root_logging_untouched_undoes_escpos_basic_config() -> None:
    root = logging.getLogger()
    saved = list(root.handlers)
    for handler in saved:
        root.removeHandler(handler)
    try:
        with root_logging_untouched():
            logging.info("escpos logs through the root logger like this")
        assert root.handlers == []
    finally:
        for handler in saved:
            root.addHandler(handler)


def test_root_logging_untouched_keeps_a_configured_root() -> None:
    root = logging.getLogger()
    handler = logging.NullHandler()
    root.addHandler(handler)
    try:
        with root_logging_untouched():
            pass
        assert handler in root.handlers
    finally:
        root.removeHandler(handler)
