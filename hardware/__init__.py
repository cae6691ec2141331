"""Device adapters for the register: receipt printers first, scanners and displays later.

This package never imports ``pos_app``, PySide6 or ``sync``: the app hands it plain data
(for receipts, a :class:`hardware.receipt.ReceiptDocument` of already formatted strings)
and gets :mod:`hardware.errors` exceptions back.
"""
