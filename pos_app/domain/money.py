"""Money as integer minor units (cents) with a currency, and its formatting.

Rounding rule, used everywhere a fraction of a cent appears (unit price x weight, a percent
discount, the tax part of a tax-included amount): round half away from zero to the cent
(``ROUND_HALF_UP`` on the absolute value), as Spanish retail and the tax agency's examples do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import format_currency, format_decimal

CENT = Decimal("0.01")
# 1.234,56 / 1234,56 / 12 (Spanish) or 1234.56 (a decimal point); at most two decimals.
# A comma is always the decimal comma: "1,234" is refused rather than guessed.
_ES_AMOUNT = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?$")
_EN_AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")


def round_to_cents(value: Decimal) -> int:
    """Round an amount in cents (possibly fractional) to a whole number of cents, half up."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, order=True, slots=True)
class Money:
    """An amount of money in minor units. Never a float."""

    cents: int
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if not isinstance(self.cents, int) or isinstance(self.cents, bool):
            raise TypeError(f"Money needs integer cents, got {type(self.cents).__name__}")

    @classmethod
    def zero(cls, currency: str = "EUR") -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, text: str, currency: str = "EUR") -> Money:
        """Parse an amount typed as ``12,50``, ``12.50``, ``1.234,56`` or ``12``.

        Raises ``ValueError`` for anything else (letters, more than two decimals).
        """
        cleaned = text.strip().replace("€", "").replace("\xa0", "").replace(" ", "")
        if _ES_AMOUNT.match(cleaned):
            normal = cleaned.replace(".", "").replace(",", ".")
        elif _EN_AMOUNT.match(cleaned):
            normal = cleaned
        else:
            raise ValueError(f"not an amount: {text!r}")
        value = Decimal(normal)
        return cls(int(value * 100), currency)

    @property
    def amount(self) -> Decimal:
        return (Decimal(self.cents) / 100).quantize(CENT)

    def _check(self, other: Money) -> None:
        if self.currency != other.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.cents + other.cents, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.cents - other.cents, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.cents, self.currency)

    def times(self, quantity: Decimal | int) -> Money:
        """This unit price times a quantity (units or kilograms), rounded to the cent."""
        return Money(round_to_cents(Decimal(self.cents) * Decimal(quantity)), self.currency)

    def percent(self, rate: Decimal) -> Money:
        """``rate`` percent of this amount, rounded to the cent."""
        return Money(round_to_cents(Decimal(self.cents) * rate / 100), self.currency)

    def __bool__(self) -> bool:
        return self.cents != 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def sum_money(values: list[Money] | tuple[Money, ...], currency: str = "EUR") -> Money:
    total = Money.zero(currency)
    for value in values:
        total = total + value
    return total


@lru_cache(maxsize=8)
def _babel_locale(locale: str) -> str:
    return locale.replace("-", "_")


def format_money(value: Money, locale: str = "es_ES") -> str:
    """``Money(123456)`` -> ``1.234,56 €`` in es_ES (Babel, CLDR patterns)."""
    return format_currency(value.amount, value.currency, locale=_babel_locale(locale))


def format_quantity(quantity: Decimal, locale: str = "es_ES", *, decimals: int = 0) -> str:
    """A quantity for display: ``2`` for units, ``0,456`` for kilograms."""
    if decimals:
        return format_decimal(
            quantity, format="#,##0." + "0" * decimals, locale=_babel_locale(locale)
        )
    return format_decimal(quantity.normalize(), locale=_babel_locale(locale))
