"""The till's pure parts: the euro's pieces, a count of the drawer, and the X/Z figures as sums
of a session's records (properties checked with hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.till import (
    COINS,
    DENOMINATIONS,
    NOTES,
    CashCount,
    InvalidCashCount,
    MovementFact,
    ReturnFact,
    SaleFact,
    SessionFacts,
    TaxFact,
    format_z_number,
    normalize_rate,
    till_figures,
)

counts = st.dictionaries(st.sampled_from(DENOMINATIONS), st.integers(0, 500))
kinds = st.sampled_from(["cash", "card", "voucher"])
cents = st.integers(1, 100_000)
rates = st.sampled_from(["21", "10", "4", "0"])
sales = st.builds(
    lambda n, pays, rate: SaleFact(
        f"T01-C01-2026-{n:06d}",
        sum(c for _k, c in pays),
        0,
        tuple(pays),
        (TaxFact(rate, sum(c for _k, c in pays), 0, sum(c for _k, c in pays)),),
    ),
    st.integers(1, 999_999),
    st.lists(st.tuples(kinds, cents), min_size=1, max_size=3),
    rates,
)
returns = st.builds(
    lambda kind, c, rate: ReturnFact("D", c, ((kind, c),), (TaxFact(rate, c, 0, c),)),
    kinds,
    cents,
    rates,
)
movements = st.builds(MovementFact, st.sampled_from(["in", "out"]), cents)


def test_the_euro_has_seven_notes_and_eight_coins():
    assert NOTES == (50000, 20000, 10000, 5000, 2000, 1000, 500)
    assert COINS == (200, 100, 50, 20, 10, 5, 2, 1)


@given(counts)
def test_a_count_is_the_sum_of_its_pieces_and_survives_the_wire(pieces):
    count = CashCount(pieces)
    assert count.total_cents == sum(d * n for d, n in pieces.items())
    assert CashCount.from_wire(count.to_wire()) == count
    assert all(n > 0 for n in count.pieces.values())


@pytest.mark.parametrize("pieces", [{300: 1}, {100: -1}, {100: 100_001}])
def test_a_count_refuses_what_is_not_a_euro_piece_or_out_of_range(pieces):
    with pytest.raises(InvalidCashCount):
        CashCount(pieces)


@given(
    st.integers(0, 10**6),
    st.lists(sales, max_size=8),
    st.lists(returns, max_size=4),
    st.lists(movements, max_size=4),
    st.lists(cents, max_size=3),
    st.integers(0, 5),
)
def test_the_figures_are_the_sums_of_the_records(float_cents, ss, rs, ms, abandoned, drawer):
    facts = SessionFacts(float_cents, tuple(ss), tuple(rs), tuple(ms), tuple(abandoned), drawer)
    f = till_figures(facts)
    cash = sum(c for s in ss for k, c in s.payments if k == "cash")
    refunded = sum(c for r in rs for k, c in r.refunds if k == "cash")
    moved_in = sum(m.amount_cents for m in ms if m.kind == "in")
    moved_out = sum(m.amount_cents for m in ms if m.kind == "out")
    assert f.expected_cash_cents == float_cents + cash + moved_in - moved_out - refunded
    assert sum(t.amount_cents for t in f.tenders) == f.sales_total_cents - f.returns_total_cents
    assert sum(t.total_cents for t in f.taxes) == f.net_total_cents
    assert (f.sales_count, f.returns_count) == (len(ss), len(rs))
    assert (f.abandoned_count, f.abandoned_total_cents) == (len(abandoned), sum(abandoned))
    assert f.drawer_openings == drawer
    if ss:
        assert (f.first_number, f.last_number) == (ss[0].receipt_number, ss[-1].receipt_number)


def test_rates_written_differently_are_one_rate_and_z_numbers_have_their_series():
    assert normalize_rate("21.00") == normalize_rate("21") == "21"
    assert normalize_rate("10.50") == "10.5"
    assert format_z_number("T01", "C01", 2026, 7) == "T01-C01-Z2026-0007"
