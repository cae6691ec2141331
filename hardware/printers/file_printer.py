"""A receipt printer reached through a file: a device node or a plain file."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from hardware.errors import PrinterUnavailable
from hardware.printers.devices import drawer_kick_bytes, validate_printer_settings
from hardware.printers.logo import ReceiptLogo
from hardware.printers.rendering import receipt_to_bytes
from hardware.receipt import ReceiptDocument
from hardware.status import DeviceState, DeviceStatus

__all__ = ["FileReceiptPrinter"]

logger = logging.getLogger(__name__)


class FileReceiptPrinter:
    """Appends each receipt's ESC/POS bytes to ``path``.

    ``path`` is a printer device (``/dev/usb/lp0``, ``/dev/ttyUSB0`` already configured, a
    parallel port) or a plain file, which is handy for keeping a copy of what was printed.
    The receipt is rendered completely in memory first, then the file is opened in append
    mode, written and closed for every receipt, so an unplugged printer is noticed on the next
    receipt and a rendering problem never leaves half a receipt behind. python-escpos's own
    ``File`` printer is not used because it opens with ``"wb"``, truncating a plain file.

    A file cannot answer, so :meth:`status` only tells whether the file can be written, and
    any write failure is reported with ``maybe_printed=True`` (part of it may have gone).
    The drawer kick is appended like a receipt.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        width: int = 48,
        logo: str | os.PathLike[str] | None = None,
        drawer_pin: int = 2,
    ) -> None:
        validate_printer_settings(width, drawer_pin)
        self.path = Path(path)
        self.width = width
        self.logo = Path(logo) if logo else None
        self._logo = ReceiptLogo(self.logo, width=width) if self.logo else None
        self.drawer_pin = drawer_pin

    @property
    def name(self) -> str:
        return str(self.path)

    def print_receipt(self, doc: ReceiptDocument) -> None:
        """Render ``doc`` and append it to the file.

        Raises :class:`PrinterUnavailable` when the file cannot be opened (``maybe_printed``
        false) or written (true).
        """
        logo = self._logo.image() if self._logo is not None else None
        self._append(receipt_to_bytes(doc, width=self.width, logo=logo), "receipt")

    def open_drawer(self) -> None:
        """Append the drawer kick for :attr:`drawer_pin`; raises ``PrinterUnavailable``."""
        self._append(drawer_kick_bytes(self.drawer_pin), "drawer kick")

    def _append(self, data: bytes, what: str) -> None:
        try:
            device = open(self.path, "ab")
        except OSError as exc:
            raise self._unavailable(exc, maybe_printed=False) from exc
        try:
            with device:
                device.write(data)
                device.flush()
        except OSError as exc:
            raise self._unavailable(exc, maybe_printed=what == "receipt") from exc
        logger.debug("Wrote a %s of %d bytes to %s", what, len(data), self.path)

    def _unavailable(self, exc: OSError, *, maybe_printed: bool) -> PrinterUnavailable:
        reason = exc.strerror or str(exc)
        logger.warning("Receipt printer file %s is unavailable: %s", self.path, reason)
        return PrinterUnavailable(
            f"Cannot write to the receipt printer file {self.path}: {reason}",
            maybe_printed=maybe_printed,
        )

    def status(self) -> DeviceStatus:
        """Whether the file can be written (a file says nothing about paper). Never raises."""
        path = self.path
        try:
            if path.is_dir():
                return DeviceStatus(DeviceState.ERROR, f"{path}: is a directory")
            if path.exists():
                if os.access(path, os.W_OK):
                    return DeviceStatus(DeviceState.READY, f"{path}: writable")
                return DeviceStatus(DeviceState.OFFLINE, f"{path}: permission denied")
            parent = path.parent
            if path.is_relative_to("/dev") or not parent.is_dir():
                return DeviceStatus(DeviceState.OFFLINE, f"{path}: no such file or device")
            if os.access(parent, os.W_OK | os.X_OK):
                return DeviceStatus(DeviceState.READY, f"{path}: will be created")
            return DeviceStatus(DeviceState.OFFLINE, f"{parent}: permission denied")
        except OSError as exc:
            return DeviceStatus(DeviceState.ERROR, f"{path}: {exc.strerror or exc}")

    def close(self) -> None:
        """Nothing is held open between receipts."""

    def __repr__(self) -> str:
        return f"FileReceiptPrinter({str(self.path)!r}, width={self.width})"
