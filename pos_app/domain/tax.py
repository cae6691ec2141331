"""Tax rates as catalog data, and the split of tax-included amounts.

Prices include tax. A tax class (``IVA21``, ``IGIC7``...) has one or more rates, each valid
over a period, so a change of rate is a new row of data, never a change of code. The tax part of
a tax-included amount ``g`` at rate ``r`` % is ``g - round(g * 100 / (100 + r))``: the base is
rounded (half up, to the cent) and the tax is what remains, so base + tax always equals the
amount exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pos_app.domain.money import round_to_cents


@dataclass(frozen=True, slots=True)
class TaxRate:
    """One rate of a tax class over a validity period (``valid_to`` inclusive, None = open)."""

    tax_class: str
    name: str
    rate: Decimal
    valid_from: date
    valid_to: date | None = None

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def label(self) -> str:
        """The short label printed on receipts: ``21 %``."""
        return f"{self.rate.normalize():f} %"


def rate_on(rates: Iterable[TaxRate], tax_class: str, day: date) -> TaxRate:
    """The rate of ``tax_class`` in force on ``day``.

    Raises ``LookupError`` when the catalog has no rate for that class on that day.
    """
    candidates = [r for r in rates if r.tax_class == tax_class and r.is_valid_on(day)]
    if not candidates:
        raise LookupError(f"no rate for tax class {tax_class!r} on {day.isoformat()}")
    return max(candidates, key=lambda r: r.valid_from)


def split_tax_included(gross_cents: int, rate: Decimal) -> tuple[int, int]:
    """Split a tax-included amount into (base, tax) cents; base + tax == gross exactly."""
    base = round_to_cents(Decimal(gross_cents) * 100 / (100 + rate))
    return base, gross_cents - base
