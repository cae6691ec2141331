"""Returns in the domain: the rectifying series, refunds of part of a line, the tax rows."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.returns import (
    ReturnLineRecord,
    ReturnRecord,
    format_return_number,
    return_series,
    share_of_total,
    split_refund,
    units_refund,
)


def test_returns_are_numbered_in_their_own_series_apart_from_sales():
    assert return_series("T01", "C01", 2026) == "T01-C01-D2026"
    assert format_return_number("T01", "C01", 2026, 1) == "T01-C01-D2026-000001"
    with pytest.raises(ValueError):
        format_return_number("T01", "C01", 2026, 0)
    with pytest.raises(ValueError):
        format_return_number("t-1", "C01", 2026, 1)


@given(
    total=st.integers(min_value=0, max_value=10_000_000),
    sold=st.integers(min_value=1, max_value=500),
    data=st.data(),
)
def test_returning_a_line_in_parts_never_gives_back_more_than_it_was_paid(total, sold, data):
    first = data.draw(st.integers(min_value=0, max_value=sold))
    part = share_of_total(total, Decimal(first), Decimal(sold))
    assert 0 <= part <= total
    assert share_of_total(total, Decimal(sold), Decimal(sold)) == total


def test_units_refund_rounds_half_up_and_the_tax_split_adds_up():
    assert units_refund(349, Decimal(2)) == 698
    assert units_refund(299, Decimal("0.455")) == 136
    base, tax = split_refund(1210, Decimal(21))
    assert (base, tax) == (1000, 210)


def _line(no: int, rate: str, refund: int) -> ReturnLineRecord:
    base, tax = split_refund(refund, Decimal(rate))
    return ReturnLineRecord(
        no, no, f"p{no}", f"S{no}", "Item", "unit", Decimal(1), refund, refund,
        f"IVA{rate}", Decimal(rate), base, tax, "x", "sellable",
    )  # fmt: skip


def test_a_return_sums_its_lines_per_tax_rate_highest_first():
    record = ReturnRecord(
        "r1", "T01-C01-D2026-000001", "T01", "C01", "Ana",
        datetime.fromisoformat("2026-11-25T10:30:00+01:00"), "EUR", "sale",
        "T01-C01-2026-000001", "s1", "T01", False,
        (_line(1, "10", 349), _line(2, "21", 1210), _line(3, "10", 349)), (),
    )  # fmt: skip
    assert record.total_cents == 1908
    rows = record.tax_rows()
    assert [(r.rate, r.total_cents) for r in rows] == [(Decimal(21), 1210), (Decimal(10), 698)]
    assert sum(r.tax_cents for r in rows) == record.tax_cents
