"""Exceptions raised by the hardware adapters.

Adapters translate library and operating-system exceptions at their boundary into this tree,
so callers never see a raw ``OSError``, ``serial.SerialException`` or a python-escpos
exception::

    HardwareError                   any failure of a device adapter
     ├── PrinterError               the receipt printer failed
     │    ├── PrinterUnavailable    cannot connect, open or write (device or file missing,
     │    │                         not writable, unplugged, switched off, timed out)
     │    ├── PrinterOutOfPaper     the printer reports that it has no paper
     │    └── PrinterNotReady       the printer answers but cannot print now (cover open,
     │                              cutter jammed, head too hot, paper being fed)
     ├── DeviceUnavailable          a serial device (scanner, display, scale) is missing,
     │                              unplugged or does not answer in time
     └── ScaleError                 the scale answered but gave no usable weight
          └── ScaleUnstable         the load is still moving: weigh again

The message is English and meant for the log and for the operator's error dialog; the
original exception, when there is one, is chained as ``__cause__``.

``PrinterError.maybe_printed`` tells whether any byte of the receipt may have reached the
printer before the failure. ``False`` means certainly nothing printed (the connection was
refused, the status query said "no paper" before sending): a retry may print the original.
``True`` means part or all of it may be on paper: a retry must be marked as a copy.
"""

from __future__ import annotations

__all__ = [
    "DeviceUnavailable",
    "HardwareError",
    "PrinterError",
    "PrinterNotReady",
    "PrinterOutOfPaper",
    "PrinterUnavailable",
    "ScaleError",
    "ScaleUnstable",
]


class HardwareError(Exception):
    """Base class of every error raised by a hardware adapter."""


class PrinterError(HardwareError):
    """The receipt printer could not print."""

    def __init__(self, message: str, *, maybe_printed: bool = False) -> None:
        super().__init__(message)
        self.maybe_printed = maybe_printed


class PrinterUnavailable(PrinterError):
    """The printer cannot be reached: not connected, not writable, switched off or silent."""


class PrinterOutOfPaper(PrinterError):
    """The printer reports that it is out of paper."""


class PrinterNotReady(PrinterError):
    """The printer answers, but reports that it cannot print now: its cover is open, the
    paper is being fed with the FEED button, or it has a mechanical error (cutter jammed,
    print head too hot). The message names the cause; the operator has to act on the printer.
    """


class DeviceUnavailable(HardwareError):
    """A serial device is missing, unplugged or does not answer in time."""


class ScaleError(HardwareError):
    """The scale answered, but not with a usable weight (overload, under zero, garbage)."""


class ScaleUnstable(ScaleError):
    """The weight is still moving: the item must settle before it can be sold."""
