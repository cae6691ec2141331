"""An in-memory receipt printer, for tests and the on-screen preview."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from hardware.errors import PrinterError
from hardware.printers.devices import validate_printer_settings
from hardware.printers.logo import ReceiptLogo
from hardware.printers.rendering import receipt_to_bytes
from hardware.receipt import ReceiptDocument
from hardware.status import DeviceState, DeviceStatus

__all__ = ["MemoryReceiptPrinter"]

logger = logging.getLogger(__name__)


class MemoryReceiptPrinter:
    """Keeps the ESC/POS bytes of every receipt it printed, in order.

    Set :attr:`fail_next` to a :class:`PrinterError` to make the next :meth:`print_receipt`
    raise it (once) without printing, and :attr:`fail_next_drawer` likewise for
    :meth:`open_drawer`, to exercise the app's error handling. :attr:`current_status` is what
    :meth:`status` returns. Drawer kicks are recorded in :attr:`kicks` (the pin of each).
    """

    def __init__(
        self,
        *,
        width: int = 48,
        logo: str | os.PathLike[str] | None = None,
        drawer_pin: int = 2,
        name: str = "memory",
    ) -> None:
        validate_printer_settings(width, drawer_pin)
        self.width = width
        self.name = name
        self.logo = Path(logo) if logo else None
        self._logo = ReceiptLogo(self.logo, width=width) if self.logo else None
        self.drawer_pin = drawer_pin
        self.fail_next: PrinterError | None = None
        self.fail_next_drawer: PrinterError | None = None
        self.current_status = DeviceStatus(DeviceState.READY, f"{name}: ready")
        self._receipts: list[bytes] = []
        self._documents: list[ReceiptDocument] = []
        self._kicks: list[int] = []

    def print_receipt(self, doc: ReceiptDocument) -> None:
        """Render ``doc`` and keep its bytes, or raise the pending :attr:`fail_next` error."""
        failure = self.fail_next
        if failure is not None:
            self.fail_next = None
            logger.debug("Simulated printer failure: %s", failure)
            raise failure
        logo = self._logo.image() if self._logo is not None else None
        self._receipts.append(receipt_to_bytes(doc, width=self.width, logo=logo))
        self._documents.append(doc)

    def open_drawer(self) -> None:
        """Record a kick on :attr:`drawer_pin`, or raise the pending :attr:`fail_next_drawer`."""
        failure = self.fail_next_drawer
        if failure is not None:
            self.fail_next_drawer = None
            raise failure
        self._kicks.append(self.drawer_pin)

    def status(self) -> DeviceStatus:
        return self.current_status

    def close(self) -> None:
        """Nothing to release (receipts are kept)."""

    @property
    def receipts(self) -> tuple[bytes, ...]:
        """The bytes of each printed receipt, oldest first."""
        return tuple(self._receipts)

    @property
    def documents(self) -> tuple[ReceiptDocument, ...]:
        """The documents printed, oldest first (parallel to :attr:`receipts`)."""
        return tuple(self._documents)

    @property
    def kicks(self) -> tuple[int, ...]:
        """The pin of each drawer kick, oldest first."""
        return tuple(self._kicks)

    def clear(self) -> None:
        """Forget every printed receipt and kick."""
        self._receipts.clear()
        self._documents.clear()
        self._kicks.clear()
