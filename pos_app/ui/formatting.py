"""Display formatting for the screens: money and quantities in the UI's locale."""

from __future__ import annotations

from decimal import Decimal

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
        return format_money(value, self.locale)

    def amount(self, value: Money) -> str:
        """The amount without a currency sign, as a cashier would type it: ``12,34``."""
        return format_decimal(value.amount, format="0.00", locale=self.locale)

    def quantity(self, quantity: Decimal, measure: Measure = Measure.UNIT) -> str:
        if measure is Measure.WEIGHT:
            return f"{format_quantity(quantity, self.locale, decimals=3)} kg"
        return format_quantity(quantity, self.locale)

    def percent(self, value: Decimal) -> str:
        return f"{format_quantity(value, self.locale)} %"
