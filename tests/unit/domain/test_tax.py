from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.tax import TaxRate, rate_on, split_tax_included

RATES = [
    TaxRate("IVA21", "IVA general", Decimal(21), date(2012, 9, 1)),
    TaxRate("IVA10", "IVA reducido", Decimal(10), date(2012, 9, 1)),
    TaxRate("IVA4", "IVA superreducido", Decimal(4), date(1995, 1, 1), date(2022, 12, 31)),
    TaxRate("IVA4", "IVA superreducido (rebaja)", Decimal(0), date(2023, 1, 1), date(2024, 9, 30)),
    TaxRate("IVA4", "IVA superreducido", Decimal(4), date(2024, 10, 1)),
]


def test_a_rate_is_chosen_by_its_validity_dates():
    assert rate_on(RATES, "IVA4", date(2023, 6, 1)).rate == 0
    assert rate_on(RATES, "IVA4", date(2024, 10, 1)).rate == 4
    assert rate_on(RATES, "IVA4", date(2022, 12, 31)).rate == 4


def test_a_class_without_a_rate_that_day_is_an_error():
    with pytest.raises(LookupError):
        rate_on(RATES, "IGIC7", date(2026, 1, 1))


def test_tax_included_split_of_a_known_amount():
    # 12,10 € at 21 %: base 10,00 €, tax 2,10 €
    assert split_tax_included(1210, Decimal(21)) == (1000, 210)
    assert split_tax_included(100, Decimal(0)) == (100, 0)


@given(
    st.integers(0, 10**9), st.sampled_from([Decimal(r) for r in ("0", "4", "5", "7", "10", "21")])
)
def test_base_plus_tax_is_always_the_amount(gross, rate):
    base, tax = split_tax_included(gross, rate)
    assert base + tax == gross
    assert tax >= 0
    # the tax is within a cent of the exact value
    exact = Decimal(gross) * rate / (100 + rate)
    assert abs(Decimal(tax) - exact) <= Decimal("0.5")
