"""A receipt printer reached through a file: a device node or a plain file."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from hardware.errors import PrinterUnavailable
from hardware.printers.rendering import receipt_to_bytes
from hardware.receipt import ReceiptDocument

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
    """

    def __init__(self, path: str | os.PathLike[str], *, width: int = 48) -> None:
        self.path = Path(path)
        self.width = width

    def print_receipt(self, doc: ReceiptDocument) -> None:
        """Render ``doc`` and append it to the file.

        Raises :class:`PrinterUnavailable` when the file cannot be opened or written.
        """
        data = receipt_to_bytes(doc, width=self.width)
        try:
            with open(self.path, "ab") as device:
                device.write(data)
                device.flush()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            logger.warning("Receipt printer file %s is unavailable: %s", self.path, reason)
            raise PrinterUnavailable(
                f"Cannot write to the receipt printer file {self.path}: {reason}"
            ) from exc
        logger.debug("Printed a receipt of %d bytes to %s", len(data), self.path)

    def __repr__(self) -> str:
        return f"FileReceiptPrinter({str(self.path)!r}, width={self.width})"
