"""Returns: rectifying tickets of a register, in their own series, never edited once made.

Spanish rules keep rectifying invoices in a series of their own, so a return is numbered
``T01-C01-D2026-000001`` (store, register, ``D`` and the year, a gap-free number), apart from the
sales' ``T01-C01-2026-000042``. A returned line refunds what its units were paid (after their
share of every discount); its tax is split from that tax-included amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos_app.domain.money import round_to_cents
from pos_app.domain.tax import split_tax_included

_CODE = re.compile(r"^[A-Z0-9]{1,10}$")

# Where a returned item goes (the protocol's ``Disposition`` values).
SELLABLE = "sellable"
DAMAGED = "damaged"
SUPPLIER = "supplier"
DISPOSITIONS = (SELLABLE, DAMAGED, SUPPLIER)


def return_series(store_code: str, register_code: str, year: int) -> str:
    """The key of a register's series of returns for ``year`` (``T01-C01-D2026``)."""
    return f"{store_code}-{register_code}-D{year:04d}"


def format_return_number(store_code: str, register_code: str, year: int, number: int) -> str:
    """``T01-C01-D2026-000001``: a return's number, in the register's series for returns."""
    for code in (store_code, register_code):
        if not _CODE.match(code):
            raise ValueError(
                f"store and register codes are 1-10 upper-case letters/digits: {code!r}"
            )
    if number < 1:
        raise ValueError("return numbers start at 1")
    return f"{return_series(store_code, register_code, year)}-{number:06d}"


def units_refund(unit_refund_cents: int, quantity: Decimal) -> int:
    """What ``quantity`` units refund at ``unit_refund_cents`` each (half up)."""
    return round_to_cents(Decimal(unit_refund_cents) * quantity)


def share_of_total(total_cents: int, quantity: Decimal, sold: Decimal) -> int:
    """The part of a line's ``total_cents`` that ``quantity`` of the ``sold`` units paid."""
    if sold <= 0:
        return 0
    return round_to_cents(Decimal(total_cents) * quantity / sold)


def split_refund(refund_cents: int, rate: Decimal) -> tuple[int, int]:
    """(base, tax) of a tax-included refund."""
    return split_tax_included(refund_cents, rate)


@dataclass(frozen=True, slots=True)
class ReturnLineRecord:
    line_no: int
    original_line_no: int | None
    product_id: str
    sku: str
    name: str
    measure: str
    quantity: Decimal
    unit_refund_cents: int
    refund_cents: int
    tax_class: str
    tax_rate: Decimal
    base_cents: int
    tax_cents: int
    reason: str
    disposition: str

    def as_plain(self) -> dict[str, str | int | None]:
        """As the ``return.completed`` payload carries it (decimals as text)."""
        return {
            "line_no": self.line_no,
            "original_line_no": self.original_line_no,
            "product_id": self.product_id,
            "sku": self.sku,
            "name": self.name,
            "quantity": str(self.quantity),
            "unit_refund_cents": self.unit_refund_cents,
            "refund_cents": self.refund_cents,
            "tax_class": self.tax_class,
            "tax_rate": str(self.tax_rate),
            "base_cents": self.base_cents,
            "tax_cents": self.tax_cents,
            "reason": self.reason,
            "disposition": self.disposition,
        }


@dataclass(frozen=True, slots=True)
class ReturnRefundRecord:
    refund_id: str
    kind: str  # cash | card
    amount_cents: int
    reference: str = ""


@dataclass(frozen=True, slots=True)
class ReturnTaxRow:
    tax_class: str
    rate: Decimal
    base_cents: int
    tax_cents: int
    total_cents: int


@dataclass(frozen=True, slots=True)
class ReturnRecord:
    """A completed return (rectifying ticket) as stored and printed."""

    return_id: str
    return_number: str
    store_code: str
    register_code: str
    cashier: str
    completed_at: datetime
    currency: str
    original_kind: str  # sale | web_order
    original_reference: str
    original_id: str
    original_store_code: str
    checked: bool  # the returnable quantities came from the backend
    lines: tuple[ReturnLineRecord, ...]
    refunds: tuple[ReturnRefundRecord, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.refund_cents for line in self.lines)

    @property
    def tax_cents(self) -> int:
        return sum(line.tax_cents for line in self.lines)

    @property
    def item_count(self) -> Decimal:
        return sum((line.quantity for line in self.lines), Decimal(0))

    def tax_rows(self) -> tuple[ReturnTaxRow, ...]:
        """Per tax class and rate, highest rate first."""
        rows: dict[tuple[str, Decimal], list[int]] = {}
        for line in self.lines:
            acc = rows.setdefault((line.tax_class, line.tax_rate), [0, 0, 0])
            acc[0] += line.base_cents
            acc[1] += line.tax_cents
            acc[2] += line.refund_cents
        return tuple(
            ReturnTaxRow(tax_class, rate, base, tax, total)
            for (tax_class, rate), (base, tax, total) in sorted(
                rows.items(), key=lambda item: (-item[0][1], item[0][0])
            )
        )
