"""Full invoices issued later, replacing tickets (F3, "factura en sustitución de facturas
simplificadas"): their own series per register and year, apart from the tickets' (a sale's
number is its ticket's, gap-free) and the returns' (``D``).

A full invoice at the counter (F1) is the sale itself and keeps the sale's number; a
replacement invoice is no sale (the tickets it replaces were paid), so it takes the next number
of ``T01-C01-F2026``: ``T01-C01-F2026-000001``.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"^[A-Z0-9]{1,10}$")


def invoice_series(store_code: str, register_code: str, year: int) -> str:
    """The key of a register's series of replacement invoices for ``year`` (``T01-C01-F2026``)."""
    return f"{store_code}-{register_code}-F{year:04d}"


def format_invoice_number(store_code: str, register_code: str, year: int, number: int) -> str:
    """``T01-C01-F2026-000001``: a replacement invoice's number in its register's series."""
    for code in (store_code, register_code):
        if not _CODE.match(code):
            raise ValueError(
                f"store and register codes are 1-10 upper-case letters/digits: {code!r}"
            )
    if number < 1:
        raise ValueError("invoice numbers start at 1")
    return f"{invoice_series(store_code, register_code, year)}-{number:06d}"
