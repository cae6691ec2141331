"""An in-memory receipt printer, for tests and the on-screen preview."""

from __future__ import annotations

import logging

from hardware.errors import PrinterError
from hardware.printers.rendering import receipt_to_bytes
from hardware.receipt import ReceiptDocument

__all__ = ["MemoryReceiptPrinter"]

logger = logging.getLogger(__name__)


class MemoryReceiptPrinter:
    """Keeps the ESC/POS bytes of every receipt it printed, in order.

    Set :attr:`fail_next` to a :class:`PrinterError` to make the next :meth:`print_receipt`
    raise it (once) without printing, to exercise the app's error handling.
    """

    def __init__(self, *, width: int = 48) -> None:
        self.width = width
        self.fail_next: PrinterError | None = None
        self._receipts: list[bytes] = []
        self._documents: list[ReceiptDocument] = []

    def print_receipt(self, doc: ReceiptDocument) -> None:
        """Render ``doc`` and keep its bytes, or raise the pending :attr:`fail_next` error."""
        failure = self.fail_next
        if failure is not None:
            self.fail_next = None
            logger.debug("Simulated printer failure: %s", failure)
            raise failure
        self._receipts.append(receipt_to_bytes(doc, width=self.width))
        self._documents.append(doc)

    @property
    def receipts(self) -> tuple[bytes, ...]:
        """The bytes of each printed receipt, oldest first."""
        return tuple(self._receipts)

    @property
    def documents(self) -> tuple[ReceiptDocument, ...]:
        """The documents printed, oldest first (parallel to :attr:`receipts`)."""
        return tuple(self._documents)

    def clear(self) -> None:
        """Forget every printed receipt."""
        self._receipts.clear()
        self._documents.clear()
