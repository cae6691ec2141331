from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pos_app.domain.cart import (
    Cart,
    Discount,
    Measure,
    PaymentInProgress,
    ProductSnapshot,
    _allocate,
)
from pos_app.domain.errors import (
    EmptyCart,
    InsufficientTender,
    InvalidDiscount,
    InvalidQuantity,
    InvalidTender,
    NothingToPay,
    Overpayment,
    UnknownLine,
)
from pos_app.domain.money import Money
from pos_app.domain.tax import TaxRate

SINCE = date(2012, 9, 1)
IVA = {r: TaxRate(f"IVA{r}", f"IVA {r}", Decimal(r), SINCE) for r in (21, 10, 4, 0)}


def product(pid: str, cents: int, rate: int = 21, measure: Measure = Measure.UNIT):
    return ProductSnapshot(pid, f"S{pid}", f"Producto {pid}", Money(cents), IVA[rate], measure)


def test_scanning_the_same_product_twice_raises_its_quantity():
    cart = Cart()
    first = cart.add(product("1", 125))
    second = cart.add(product("1", 125))
    assert len(cart.lines) == 1 and second.line_id == first.line_id
    assert cart.lines[0].quantity == 2


def test_merging_can_be_switched_off():
    cart = Cart(merge_same_product=False)
    cart.add(product("1", 125))
    cart.add(product("1", 125))
    assert [line.quantity for line in cart.lines] == [1, 1]


def test_weighed_items_never_merge():
    cart = Cart()
    cart.add(product("9", 1299, 4, Measure.WEIGHT), Decimal("0.456"))
    cart.add(product("9", 1299, 4, Measure.WEIGHT), Decimal("0.300"))
    assert len(cart.lines) == 2
    assert cart.totals().total == Money(592 + 390)


def test_totals_with_tax_per_rate():
    cart = Cart()
    cart.add(product("1", 1210, 21))
    cart.add(product("2", 110, 10), Decimal(2))
    cart.add(product("3", 104, 4))
    totals = cart.totals()
    assert totals.total == Money(1210 + 220 + 104)
    rows = {r.tax_class: (r.base.cents, r.tax.cents, r.total.cents) for r in totals.tax_rows}
    assert rows == {"IVA21": (1000, 210, 1210), "IVA10": (200, 20, 220), "IVA4": (100, 4, 104)}
    assert [r.rate for r in totals.tax_rows] == [21, 10, 4]
    assert totals.item_count == 4


def test_line_and_basket_discounts():
    cart = Cart()
    a = cart.add(product("1", 1000))
    cart.add(product("2", 500, 10))
    cart.set_line_discount(a.line_id, Discount.percent(10))  # -1,00
    cart.set_basket_discount(Discount.amount(Money(140)))  # shared 900:500
    totals = cart.totals()
    assert totals.discount == Money(240)
    assert totals.total == Money(1260)
    assert [lt.basket_discount.cents for lt in totals.lines] == [90, 50]


def test_an_amount_discount_is_capped_at_the_line():
    cart = Cart()
    line = cart.add(product("1", 300))
    cart.set_line_discount(line.line_id, Discount.amount(Money(1000)))
    assert cart.totals().total == Money(0)


@pytest.mark.parametrize("pct", ["0", "-5", "100.5", "12.345", "NaN"])
def test_bad_percent_discounts_are_refused(pct):
    with pytest.raises(InvalidDiscount):
        Discount.percent(pct)


@pytest.mark.parametrize("qty", [Decimal(0), Decimal(-1), Decimal("1.5"), Decimal(10000)])
def test_bad_unit_quantities_are_refused(qty):
    cart = Cart()
    line = cart.add(product("1", 100))
    with pytest.raises(InvalidQuantity):
        cart.set_quantity(line.line_id, qty)
    assert cart.lines[0].quantity == 1


def test_unknown_lines_are_reported():
    with pytest.raises(UnknownLine):
        Cart().remove_line("nope")


def test_mixed_payment_card_then_cash_with_change():
    cart = Cart()
    cart.add(product("1", 1234))
    cart.add_card(Money(500), "AUT123")
    cart.add_cash(Money(1000))
    summary = cart.ensure_settled()
    assert summary.paid == Money(1234) and summary.change == Money(266)


def test_a_card_cannot_pay_more_than_is_due():
    cart = Cart()
    cart.add(product("1", 1000))
    with pytest.raises(Overpayment):
        cart.add_card(Money(1001), "X")


def test_a_card_needs_its_terminal_reference():
    cart = Cart()
    cart.add(product("1", 1000))
    with pytest.raises(InvalidTender):
        cart.add_card(Money(1000), "  ")


def test_the_sale_cannot_complete_until_fully_paid():
    cart = Cart()
    cart.add(product("1", 1000))
    cart.add_cash(Money(500))
    with pytest.raises(InsufficientTender) as info:
        cart.ensure_settled()
    assert info.value.due_cents == 500


def test_no_tender_when_nothing_is_due():
    cart = Cart()
    cart.add(product("1", 1000))
    cart.add_cash(Money(1000))
    with pytest.raises(NothingToPay):
        cart.add_cash(Money(100))
    with pytest.raises(EmptyCart):
        Cart().add_cash(Money(100))


def test_the_cart_is_frozen_while_tenders_are_recorded():
    cart = Cart()
    line = cart.add(product("1", 1000))
    cart.add_cash(Money(200))
    with pytest.raises(PaymentInProgress):
        cart.remove_line(line.line_id)
    cart.clear_tenders()
    cart.remove_line(line.line_id)
    assert cart.is_empty()


def test_parking_round_trip_keeps_lines_and_discounts():
    cart = Cart()
    line = cart.add(product("1", 1000), Decimal(3))
    cart.add(product("9", 1299, 4, Measure.WEIGHT), Decimal("0.456"))
    cart.set_line_discount(line.line_id, Discount.percent("12.5"))
    cart.set_basket_discount(Discount.amount(Money(99)))
    again = Cart.from_dict(cart.to_dict())
    assert again.totals() == cart.totals()


def test_allocation_is_exact_and_proportional():
    assert _allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert _allocate(0, [5, 5]) == [0, 0]
    assert _allocate(10, [0, 0]) == [0, 0]


# --- properties ----------------------------------------------------------------------------

lines_strategy = st.lists(
    st.tuples(
        st.integers(1, 200_00),  # unit price
        st.sampled_from([21, 10, 4, 0]),
        st.integers(1, 20),  # quantity
        st.one_of(
            st.none(),
            st.decimals("0.01", "100", places=2).map(Discount.percent),
            st.integers(1, 50_00).map(lambda c: Discount.amount(Money(c))),
        ),
    ),
    min_size=1,
    max_size=12,
)
basket_strategy = st.one_of(
    st.none(),
    st.decimals("0.01", "100", places=2).map(Discount.percent),
    st.integers(1, 500_00).map(lambda c: Discount.amount(Money(c))),
)


def build(lines, basket):
    cart = Cart(merge_same_product=False)
    for i, (cents, rate, qty, discount) in enumerate(lines):
        line = cart.add(product(str(i), cents, rate), Decimal(qty))
        if discount is not None:
            cart.set_line_discount(line.line_id, discount)
    if basket is not None:
        cart.set_basket_discount(basket)
    return cart


@settings(max_examples=300)
@given(lines_strategy, basket_strategy)
def test_totals_never_drift_by_a_cent(lines, basket):
    totals = build(lines, basket).totals()
    line_sum = sum(lt.total.cents for lt in totals.lines)
    assert totals.total.cents == line_sum
    assert totals.total.cents == totals.gross.cents - totals.discount.cents
    assert totals.total.cents == sum(r.total.cents for r in totals.tax_rows)
    assert totals.total.cents == sum(r.base.cents + r.tax.cents for r in totals.tax_rows)
    assert all(lt.total.cents >= 0 for lt in totals.lines)
    expected_gross = sum(cents * qty for cents, _, qty, _ in lines)
    assert totals.gross.cents == expected_gross


@settings(max_examples=300)
@given(lines_strategy, basket_strategy)
def test_tax_per_rate_sums_to_the_total_tax(lines, basket):
    totals = build(lines, basket).totals()
    assert totals.tax.cents == sum(r.tax.cents for r in totals.tax_rows)
    assert totals.tax.cents == sum(lt.tax.cents for lt in totals.lines)
    for row in totals.tax_rows:
        members = [lt for lt in totals.lines if lt.line.product.tax.tax_class == row.tax_class]
        assert row.tax.cents == sum(lt.tax.cents for lt in members)


@settings(max_examples=300)
@given(lines_strategy, st.lists(st.tuples(st.booleans(), st.integers(1, 300_00)), max_size=6))
def test_change_is_never_negative_and_payment_never_exceeds_the_total(lines, tenders):
    cart = build(lines, None)
    assume(cart.totals().total.cents > 0)
    for is_card, cents in tenders:
        due = cart.payment().due.cents
        if due <= 0:
            break
        if is_card:
            cart.add_card(Money(min(cents, due)), "REF")
        else:
            cart.add_cash(Money(cents))
    summary = cart.payment()
    assert summary.change.cents >= 0
    assert all(t.change.cents >= 0 for t in cart.tenders)
    assert 0 <= summary.paid.cents <= summary.total.cents
    assert summary.due.cents == summary.total.cents - summary.paid.cents
