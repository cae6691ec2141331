"""File and in-memory receipt printers."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardware.errors import PrinterError, PrinterOutOfPaper, PrinterUnavailable
from hardware.escpos_decoder import Cut, decode
from hardware.printers import FileReceiptPrinter, MemoryReceiptPrinter, receipt_to_bytes
from hardware.receipt import ReceiptDocument, ReceiptLine


def make_document(number: str = "T01-C01-2026-000007") -> ReceiptDocument:
    return ReceiptDocument(
        header=("Ferretería Muñoz",),
        title="FACTURA SIMPLIFICADA",
        meta=(("Nº", number),),
        lines=(ReceiptLine("Tornillos 4x40", "100", "0,05 €", "5,00 €"),),
        totals=(("TOTAL", "5,00 €"),),
        total_label="TOTAL",
        tax_columns=("Tipo", "Base", "Cuota", "Total"),
        tax_rows=(),
        tenders=(("Efectivo", "5,00 €"),),
        change=None,
        barcode=number,
    )


def test_file_printer_appends_each_receipt(tmp_path: Path) -> None:
    target = tmp_path / "receipts.bin"
    target.write_bytes(b"previous content")
    printer = FileReceiptPrinter(target)

    printer.print_receipt(make_document("T01-C01-2026-000007"))
    printer.print_receipt(make_document("T01-C01-2026-000008"))

    expected = receipt_to_bytes(make_document("T01-C01-2026-000007")) + receipt_to_bytes(
        make_document("T01-C01-2026-000008")
    )
    assert target.read_bytes() == b"previous content" + expected
    result = decode(target.read_bytes()[len(b"previous content") :])
    assert result.events_of(Cut) == [Cut(partial=False), Cut(partial=False)]
    assert "Ferretería Muñoz" in result.lines


def test_file_printer_creates_a_missing_file(tmp_path: Path) -> None:
    target = tmp_path / "lp0"

    FileReceiptPrinter(str(target), width=32).print_receipt(make_document())

    assert target.read_bytes() == receipt_to_bytes(make_document(), width=32)


def test_file_printer_in_a_missing_directory_is_unavailable(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "lp0"

    with pytest.raises(PrinterUnavailable) as info:
        FileReceiptPrinter(target).print_receipt(make_document())

    message = str(info.value)
    assert str(target) in message
    assert "No such file or directory" in message
    assert not isinstance(info.value, OSError)
    assert isinstance(info.value.__cause__, FileNotFoundError)


def test_file_printer_on_a_directory_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(PrinterUnavailable, match="Is a directory"):
        FileReceiptPrinter(tmp_path).print_receipt(make_document())


def test_memory_printer_keeps_the_bytes_of_each_receipt() -> None:
    printer = MemoryReceiptPrinter()

    printer.print_receipt(make_document("A-1"))
    printer.print_receipt(make_document("A-2"))

    assert printer.receipts == (
        receipt_to_bytes(make_document("A-1")),
        receipt_to_bytes(make_document("A-2")),
    )
    assert [doc.barcode for doc in printer.documents] == ["A-1", "A-2"]
    assert "Tornillos 4x40" in decode(printer.receipts[1]).lines


def test_memory_printer_honours_the_width() -> None:
    printer = MemoryReceiptPrinter(width=32)

    printer.print_receipt(make_document())

    assert max(len(line) for line in decode(printer.receipts[0]).lines) == 32


def pending_failure(printer: MemoryReceiptPrinter) -> PrinterError | None:
    return printer.fail_next


def test_memory_printer_fails_once_when_asked() -> None:
    printer = MemoryReceiptPrinter()
    printer.fail_next = PrinterOutOfPaper("Printer is out of paper")

    with pytest.raises(PrinterOutOfPaper, match="out of paper"):
        printer.print_receipt(make_document())

    assert printer.receipts == ()
    assert pending_failure(printer) is None
    printer.print_receipt(make_document())
    assert len(printer.receipts) == 1


def test_printer_errors_share_one_tree() -> None:
    assert issubclass(PrinterUnavailable, PrinterError)
    assert issubclass(PrinterOutOfPaper, PrinterError)


def test_memory_printer_clear_forgets_receipts() -> None:
    printer = MemoryReceiptPrinter()
    printer.print_receipt(make_document())

    printer.clear()

    assert printer.receipts == () and printer.documents == ()
