"""Returns: rectifying tickets of a register, in their own series, never edited once made.

Spanish rules keep rectifying invoices in a series of their own, so a return is numbered
``T01-C01-D2026-000001`` (store, register, ``D`` and the year, a gap-free number), apart from the
sales' ``T01-C01-2026-000042``. A returned line refunds what its units were paid (after their
share of every discount); its tax is split from that tax-included amount.

Gift receipts (ticket regalo). A sale's gift receipt shows what was bought without prices; its
barcode is the receipt number with the prefix ``R-`` (``R-T01-C01-2026-000042``, Code 128):
a sale's number has four parts separated by ``-``, a gift receipt's five, the first ``R``, so
neither can be taken for the other even in a store whose code is ``R``. A return found through
one refunds the price paid, as store credit only.

The return policy's days (``return_period_over``): a return is in time up to the end of the
``days``-th calendar day after the sale, both days read in the time zone of the sale's time
(the register and the backend count alike, whatever zone the return was made in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pos_app.domain.money import round_to_cents
from pos_app.domain.tax import split_tax_included

_CODE = re.compile(r"^[A-Z0-9]{1,10}$")

# Where a returned item goes (the protocol's ``Disposition`` values).
SELLABLE = "sellable"
DAMAGED = "damaged"
SUPPLIER = "supplier"
DISPOSITIONS = (SELLABLE, DAMAGED, SUPPLIER)

NO_RECEIPT: Literal["none"] = "none"  # the original kind of a return without a receipt


GIFT_RECEIPT_PREFIX = "R-"
_RECEIPT_NUMBER = re.compile(r"^[A-Z0-9]{1,10}-[A-Z0-9]{1,10}-\d{4}-\d{6}$")


def gift_receipt_code(receipt_number: str) -> str:
    """The barcode of the gift receipt of the sale numbered ``receipt_number``."""
    return GIFT_RECEIPT_PREFIX + receipt_number


def parse_gift_receipt(code: str) -> str | None:
    """The sale's receipt number when ``code`` is a gift receipt's barcode, else None."""
    text = code.strip().upper()
    if not text.startswith(GIFT_RECEIPT_PREFIX):
        return None
    number = text[len(GIFT_RECEIPT_PREFIX) :]
    return number if _RECEIPT_NUMBER.match(number) else None


def return_period_over(sold_at: datetime, returned_at: datetime, days: int) -> bool:
    """Whether a return at ``returned_at`` comes after the ``days`` the policy allows after a
    sale at ``sold_at`` (both aware; calendar days in the sale's time zone)."""
    local = returned_at.astimezone(sold_at.tzinfo)
    return (local.date() - sold_at.date()).days > days


def lowest_recent_price(current_cents: int, sold_unit_cents: list[int]) -> int:
    """The refund of one unit returned without a receipt: the lowest of the catalog price now
    and what one unit was paid (after discounts) in the sales of the recent days."""
    return min([current_cents, *(c for c in sold_unit_cents if c >= 0)])


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
    original_kind: str  # sale | web_order | none (returned without a receipt)
    original_reference: str
    original_id: str
    original_store_code: str
    checked: bool  # the returnable quantities came from the backend
    lines: tuple[ReturnLineRecord, ...]
    refunds: tuple[ReturnRefundRecord, ...]
    gift_receipt: bool = False  # found with a gift receipt (refunded as store credit only)
    approved_by: str = ""  # the manager who approved it, when one had to
    customer_id: str | None = None  # the original's customer, when known

    @property
    def without_receipt(self) -> bool:
        return self.original_kind == NO_RECEIPT

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
