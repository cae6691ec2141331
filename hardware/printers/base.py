"""The receipt printer port every adapter implements."""

from __future__ import annotations

from typing import Protocol

from hardware.receipt import ReceiptDocument

__all__ = ["ReceiptPrinter"]


class ReceiptPrinter(Protocol):
    """Prints whole receipts; raises :class:`hardware.errors.PrinterError` on failure."""

    def print_receipt(self, doc: ReceiptDocument) -> None:
        """Print ``doc`` or raise a :class:`hardware.errors.PrinterError` subclass."""
        ...
