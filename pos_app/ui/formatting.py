"""Display formatting for the screens: money and quantities in the UI's locale."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_decimal

from pos_app.domain.cart import Measure
from pos_app.domain.money import Money, format_money, format_quantity


class Formatter:
    def __init__(self, locale: str = "es_ES", currency: str = "EUR") -> None:
        self.locale = locale
        self.currency = currency

    def money(self, value: Money | int) -> str:
        if isinstance(value, int):
            value = Money(value, self.currency)
        return _money_text(value.cents, value.currency, self.locale)

    def amount(self, value: Money) -> str:
        """The amount without a currency sign, as a cashier would type it: ``12,34``."""
        return format_decimal(value.amount, format="0.00", locale=self.locale)

    def quantity(self, quantity: Decimal, measure: Measure = Measure.UNIT) -> str:
        return _quantity_text(quantity, measure, self.locale)

    def percent(self, value: Decimal) -> str:
        return f"{format_quantity(value, self.locale)} %"


# Babel formatting costs ~18 µs a call and a cart repaints every row: the same few prices and
# quantities recur, so their text is cached.
@lru_cache(maxsize=4096)
def _money_text(cents: int, currency: str, locale: str) -> str:
    return format_money(Money(cents, currency), locale)


@lru_cache(maxsize=1024)
def _quantity_text(quantity: Decimal, measure: Measure, locale: str) -> str:
    if measure is Measure.WEIGHT:
        return f"{format_quantity(quantity, locale, decimals=3)} kg"
    return format_quantity(quantity, locale)
