"""The Windows printer: a clear error off Windows, and the spooler path with a pywin32 double.

The double gives ``escpos.printer.win32raw`` the ``win32print`` calls it makes (EnumPrinters,
OpenPrinter, StartDocPrinter, StartPagePrinter, WritePrinter, EndPagePrinter, EndDocPrinter,
ClosePrinter) plus ``GetPrinter`` level 2 and ``AbortPrinter``, with the spooler's flags.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from hardware.errors import PrinterNotReady, PrinterOutOfPaper, PrinterUnavailable
from hardware.escpos_decoder import Barcode, DrawerKick, decode
from hardware.printers import Win32ReceiptPrinter
from hardware.printers.connections import SpoolerState
from hardware.printers.escpos_setup import ensure_escpos_ready
from hardware.receipt import ReceiptDocument, ReceiptLine
from hardware.simulators.tcp_printer import split_receipts
from hardware.status import DeviceState

NAME = "EPSON TM-T20III Receipt"


def receipt() -> ReceiptDocument:
    return ReceiptDocument(
        header=("Frutería Peñalver",),
        title="FACTURA SIMPLIFICADA",
        meta=(("Nº", "T01-C01-2026-000012"),),
        lines=(ReceiptLine("Naranjas", "1,250 kg", "1,80 €/kg", "2,25 €"),),
        totals=(("TOTAL", "2,25 €"),),
        total_label="TOTAL",
        tax_columns=("Tipo", "Base", "Cuota", "Total"),
        tax_rows=(),
        tenders=(("Efectivo", "5,00 €"),),
        change=("Cambio", "2,75 €"),
        barcode="T01-C01-2026-000012",
    )


class FakePyWinError(Exception):
    """pywintypes.error: (winerror, funcname, strerror)."""


class FakeSpooler:
    PRINTER_ENUM_NAME = 8

    def __init__(self) -> None:
        self.printers = {NAME}
        self.status = 0
        self.attributes = 0
        self.jobs: list[bytes] = []
        self.aborted = 0
        self._open: dict[int, bytearray | None] = {}
        self._next = 100
        self.fail_write = False

    # win32print
    def EnumPrinters(self, flags: int, name: str, level: int) -> list[dict[str, Any]]:  # noqa: N802
        return [{"pPrinterName": printer} for printer in sorted(self.printers)]

    def GetDefaultPrinter(self) -> str:  # noqa: N802
        return NAME

    def OpenPrinter(self, name: str) -> int:  # noqa: N802
        if name not in self.printers:
            raise FakePyWinError(1801, "OpenPrinter", "The printer name is invalid.")
        self._next += 1
        self._open[self._next] = None
        return self._next

    def GetPrinter(self, handle: int, level: int) -> dict[str, Any]:  # noqa: N802
        assert level == 2
        return {"Status": self.status, "Attributes": self.attributes, "cJobs": len(self.jobs)}

    def StartDocPrinter(self, handle: int, level: int, info: tuple[str, str, str]) -> int:  # noqa: N802
        assert info[2] == "RAW"
        self._open[handle] = bytearray()
        return 7

    def StartPagePrinter(self, handle: int) -> None:  # noqa: N802
        pass

    def WritePrinter(self, handle: int, data: bytes) -> int:  # noqa: N802
        if self.fail_write:
            raise FakePyWinError(1722, "WritePrinter", "The RPC server is unavailable.")
        job = self._open[handle]
        assert job is not None
        job.extend(data)
        return len(data)

    def EndPagePrinter(self, handle: int) -> None:  # noqa: N802
        pass

    def EndDocPrinter(self, handle: int) -> None:  # noqa: N802
        job = self._open[handle]
        assert job is not None
        self.jobs.append(bytes(job))
        self._open[handle] = None

    def AbortPrinter(self, handle: int) -> None:  # noqa: N802
        self.aborted += 1
        self._open[handle] = None

    def ClosePrinter(self, handle: int) -> None:  # noqa: N802
        del self._open[handle]

    @property
    def handles_open(self) -> int:
        return len(self._open)


@pytest.fixture
def spooler(monkeypatch: pytest.MonkeyPatch) -> FakeSpooler:
    ensure_escpos_ready()
    import escpos.printer.win32raw as escpos_win32  # type: ignore[import-untyped]

    fake = FakeSpooler()
    monkeypatch.setattr(escpos_win32, "_DEP_WIN32PRINT", True)
    monkeypatch.setattr(escpos_win32, "win32print", fake, raising=False)
    monkeypatch.setattr(
        escpos_win32, "pywintypes", SimpleNamespace(error=FakePyWinError), raising=False
    )
    return fake


def test_off_windows_every_use_says_so_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_escpos_ready()
    import escpos.printer.win32raw as escpos_win32

    monkeypatch.setattr(escpos_win32, "_DEP_WIN32PRINT", False)  # as on Linux and macOS
    printer = Win32ReceiptPrinter(NAME, timeout=0.3)

    with pytest.raises(PrinterUnavailable, match="only be used on Windows") as info:
        printer.print_receipt(receipt())
    with pytest.raises(PrinterUnavailable, match="only be used on Windows"):
        printer.open_drawer()
    status = printer.status()

    assert info.value.maybe_printed is False
    assert NAME in str(info.value)
    assert status.state is DeviceState.OFFLINE and "only be used on Windows" in status.detail
    assert printer.name == NAME


def test_a_receipt_is_one_raw_spooler_job(spooler: FakeSpooler) -> None:
    printer = Win32ReceiptPrinter(NAME)

    printer.print_receipt(receipt())
    printer.open_drawer()

    receipt_job, kick_job = spooler.jobs
    (printed,) = split_receipts(decode(receipt_job))
    assert "Frutería Peñalver" in printed.lines
    assert [b.text for b in printed.events_of(Barcode)] == ["T01-C01-2026-000012"]
    assert decode(kick_job).events == [DrawerKick(pin=2)]
    assert spooler.handles_open == 0


@pytest.mark.parametrize(
    ("status", "attributes", "error", "words"),
    [
        (SpoolerState.PAPER_OUT, 0, PrinterOutOfPaper, "out of paper"),
        (SpoolerState.OFFLINE, 0, PrinterUnavailable, "offline"),
        (0, SpoolerState.WORK_OFFLINE, PrinterUnavailable, "offline"),
        (SpoolerState.DOOR_OPEN, 0, PrinterNotReady, "cover is open"),
        (SpoolerState.PAUSED, 0, PrinterNotReady, "paused"),
    ],
)
def test_the_spooler_state_is_checked_before_a_job_is_started(
    spooler: FakeSpooler, status: int, attributes: int, error: type[Exception], words: str
) -> None:
    spooler.status, spooler.attributes = status, attributes
    printer = Win32ReceiptPrinter(NAME)

    with pytest.raises(error, match=words) as info:
        printer.print_receipt(receipt())

    assert getattr(info.value, "maybe_printed", None) is False
    assert spooler.jobs == [] and spooler.handles_open == 0


def test_status_comes_from_the_spooler(spooler: FakeSpooler) -> None:
    printer = Win32ReceiptPrinter(NAME)
    assert printer.status().state is DeviceState.READY

    spooler.status = SpoolerState.PAPER_OUT
    assert printer.status().state is DeviceState.NO_PAPER
    assert spooler.jobs == []  # asking never starts a job


def test_an_unknown_printer_name_is_unavailable(spooler: FakeSpooler) -> None:
    printer = Win32ReceiptPrinter("EPSON TM-T88V")

    with pytest.raises(PrinterUnavailable, match="printer name is invalid") as info:
        printer.print_receipt(receipt())

    assert info.value.maybe_printed is False
    assert printer.status().state is DeviceState.OFFLINE


def test_a_failed_write_abandons_the_job_and_may_have_printed(spooler: FakeSpooler) -> None:
    spooler.fail_write = True
    printer = Win32ReceiptPrinter(NAME)

    with pytest.raises(PrinterUnavailable, match="RPC server") as info:
        printer.print_receipt(receipt())

    assert info.value.maybe_printed is True
    assert spooler.aborted == 1 and spooler.jobs == [] and spooler.handles_open == 0


def test_an_empty_name_is_refused() -> None:
    with pytest.raises(ValueError, match="name"):
        Win32ReceiptPrinter("")
