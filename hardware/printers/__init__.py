"""Receipt printers: ESC/POS rendering through python-escpos, and printer adapters.

Importing this package does not import escpos; the modules that need it call
:func:`hardware.printers.escpos_setup.ensure_escpos_ready` first and import it lazily.
"""

from hardware.printers.base import ReceiptPrinter
from hardware.printers.file_printer import FileReceiptPrinter
from hardware.printers.memory_printer import MemoryReceiptPrinter
from hardware.printers.rendering import EscposPrinter, receipt_to_bytes, render_receipt

__all__ = [
    "EscposPrinter",
    "FileReceiptPrinter",
    "MemoryReceiptPrinter",
    "ReceiptPrinter",
    "receipt_to_bytes",
    "render_receipt",
]
