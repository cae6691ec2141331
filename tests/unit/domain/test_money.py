from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.money import Money, format_money, round_to_cents


def test_spanish_format_groups_thousands_and_puts_the_euro_after():
    assert format_money(Money(123456), "es_ES").replace("\xa0", " ") == "1.234,56 €"


def test_english_format_puts_the_euro_first():
    assert format_money(Money(123456), "en_GB") == "€1,234.56"


def test_half_a_cent_rounds_away_from_zero():
    assert round_to_cents(Decimal("12.5")) == 13
    assert round_to_cents(Decimal("-12.5")) == -13
    assert round_to_cents(Decimal("12.49")) == 12


def test_weight_times_price_per_kilo_rounds_to_the_cent():
    # 0,456 kg at 12,99 €/kg = 5,92344 € -> 5,92 €
    assert Money(1299).times(Decimal("0.456")) == Money(592)


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12,50", 1250),
        ("12.50", 1250),
        ("1.234,56", 123456),
        ("20", 2000),
        ("0,5", 50),
        (" 7,66 € ", 766),
    ],
)
def test_typed_amounts_are_parsed_in_either_decimal_convention(typed, cents):
    assert Money.parse(typed) == Money(cents)


@pytest.mark.parametrize("typed", ["", "abc", "1,234", "12,345.6.7", "1e5", "NaN"])
def test_malformed_amounts_are_refused(typed):
    with pytest.raises(ValueError):
        Money.parse(typed)


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]


def test_currencies_do_not_mix():
    with pytest.raises(ValueError):
        Money(1, "EUR") + Money(1, "USD")


@given(st.integers(-(10**9), 10**9), st.integers(-(10**9), 10**9))
def test_addition_is_exact(a, b):
    assert (Money(a) + Money(b)).cents == a + b
    assert (Money(a) - Money(b) + Money(b)) == Money(a)
