"""The receipt printer ports every adapter implements."""

from __future__ import annotations

from typing import Protocol

from hardware.receipt import ReceiptDocument
from hardware.status import DeviceStatus

__all__ = ["DevicePrinter", "ReceiptPrinter"]


class ReceiptPrinter(Protocol):
    """Prints whole receipts; raises :class:`hardware.errors.PrinterError` on failure."""

    def print_receipt(self, doc: ReceiptDocument) -> None:
        """Print ``doc`` or raise a :class:`hardware.errors.PrinterError` subclass."""
        ...


class DevicePrinter(ReceiptPrinter, Protocol):
    """The whole surface of every printer here: receipts, state, cash drawer, name.

    Implemented by the network, serial, USB and Windows printers
    (:mod:`hardware.printers.devices`) and by the file and in-memory printers.
    """

    @property
    def name(self) -> str:
        """Human readable: ``"192.168.1.50:9100"``, ``"/dev/ttyUSB0 9600"``, ``"USB 04b8:0202"``."""
        ...

    @property
    def width(self) -> int:
        """Columns per line: 48 for 80 mm paper, 32 for 58 mm."""
        ...

    def status(self) -> DeviceStatus:
        """The printer's state now. Never raises; bounded by the printer's time-out."""
        ...

    def open_drawer(self) -> None:
        """Kick the cash drawer through the printer; raises ``PrinterError`` on failure."""
        ...

    def close(self) -> None:
        """Release what the printer holds open; it reopens on its next job."""
        ...
