"""Device adapters for the register: receipt printers (with the cash drawer on their kick
connector), serial barcode scanners, customer pole displays, scales, and their simulators.

This package never imports ``pos_app``, PySide6 or ``sync``: the app hands it plain data
(for receipts, a :class:`hardware.receipt.ReceiptDocument` of already formatted strings)
and gets :mod:`hardware.errors` exceptions and :mod:`hardware.status` states back. The
keyboard-wedge scanner is the one device that lives in the app (``pos_app.ui.wedge``): it
needs the GUI's key events.
"""
