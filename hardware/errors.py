"""Exceptions raised by the hardware adapters.

Adapters translate library and operating-system exceptions at their boundary into this tree,
so callers never see a raw ``OSError`` or a python-escpos exception::

    HardwareError                 any failure of a device adapter
     └── PrinterError             the receipt printer failed
          ├── PrinterUnavailable  cannot connect, open or write (device or file missing,
          │                       not writable, unplugged, switched off)
          └── PrinterOutOfPaper   the printer reports that it has no paper

The message is English and meant for the log and for the operator's error dialog; the
original exception, when there is one, is chained as ``__cause__``.
"""

from __future__ import annotations

__all__ = [
    "HardwareError",
    "PrinterError",
    "PrinterOutOfPaper",
    "PrinterUnavailable",
]


class HardwareError(Exception):
    """Base class of every error raised by a hardware adapter."""


class PrinterError(HardwareError):
    """The receipt printer could not print."""


class PrinterUnavailable(PrinterError):
    """The printer cannot be reached: not connected, not writable or switched off."""


class PrinterOutOfPaper(PrinterError):
    """The printer reports that it is out of paper."""
