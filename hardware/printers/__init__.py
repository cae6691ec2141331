"""Receipt printers: ESC/POS rendering through python-escpos, and printer adapters.

Importing this package does not import escpos; the modules that need it call
:func:`hardware.printers.escpos_setup.ensure_escpos_ready` first and import it lazily.
"""

from typing import TYPE_CHECKING

from hardware.printers.base import DevicePrinter, ReceiptPrinter
from hardware.printers.connections import (
    NetworkConnection,
    PrinterConnection,
    SerialConnection,
    UsbConnection,
    Win32RawConnection,
)
from hardware.printers.devices import (
    DRAWER_PINS,
    EscposDevicePrinter,
    NetworkReceiptPrinter,
    SerialReceiptPrinter,
    UsbReceiptPrinter,
    Win32ReceiptPrinter,
    drawer_kick_bytes,
)
from hardware.printers.file_printer import FileReceiptPrinter
from hardware.printers.logo import ReceiptLogo
from hardware.printers.memory_printer import MemoryReceiptPrinter
from hardware.printers.rendering import EscposPrinter, receipt_to_bytes, render_receipt

__all__ = [
    "DRAWER_PINS",
    "DevicePrinter",
    "EscposDevicePrinter",
    "EscposPrinter",
    "FileReceiptPrinter",
    "MemoryReceiptPrinter",
    "NetworkConnection",
    "NetworkReceiptPrinter",
    "PrinterConnection",
    "ReceiptLogo",
    "ReceiptPrinter",
    "SerialConnection",
    "SerialReceiptPrinter",
    "UsbConnection",
    "UsbReceiptPrinter",
    "Win32RawConnection",
    "Win32ReceiptPrinter",
    "drawer_kick_bytes",
    "receipt_to_bytes",
    "render_receipt",
]

if TYPE_CHECKING:  # mypy proves that every printer here has the whole device surface

    def _is_a_device_printer(
        printer: NetworkReceiptPrinter
        | SerialReceiptPrinter
        | UsbReceiptPrinter
        | Win32ReceiptPrinter
        | FileReceiptPrinter
        | MemoryReceiptPrinter,
    ) -> DevicePrinter:
        return printer
