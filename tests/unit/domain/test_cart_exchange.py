"""The exchange credit in the cart: a tender that pays up to the total by itself, follows the
lines as they change, and leaves what it has beyond the total to be refunded."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.cart import Cart, PaymentInProgress, ProductSnapshot, TenderKind
from pos_app.domain.errors import InvalidTender, NothingToPay
from pos_app.domain.money import Money
from pos_app.domain.tax import TaxRate

IVA21 = TaxRate("IVA21", "IVA 21", Decimal(21), date(2012, 9, 1))


def product(pid: str, cents: int) -> ProductSnapshot:
    return ProductSnapshot(pid, f"S{pid}", f"Producto {pid}", Money(cents), IVA21)


def test_the_credit_pays_up_to_the_total_and_follows_the_lines():
    cart = Cart()
    cart.set_exchange("T01-C01-2026-000001", Money(1210))
    assert cart.tenders == ()  # nothing to pay yet
    line = cart.add(product("1", 500))
    [credit] = cart.tenders
    assert (credit.kind, credit.amount.cents, credit.reference) == (
        TenderKind.EXCHANGE,
        500,
        "T01-C01-2026-000001",
    )
    assert cart.payment().due.cents == 0 and cart.exchange_excess == 710
    cart.set_quantity(line.line_id, Decimal(3))  # lines change freely with the credit alone
    assert cart.exchange_applied == 1210 and cart.payment().due.cents == 290
    cart.set_quantity(line.line_id, Decimal(1))
    with pytest.raises(NothingToPay):  # the credit covers it: nothing else is taken
        cart.add_cash(Money(100))
    with pytest.raises(InvalidTender):
        cart.set_exchange("X", Money(0))


def test_tenders_added_at_payment_come_after_the_credit_and_go_without_it():
    cart = Cart()
    cart.set_exchange("T01-C01-2026-000001", Money(300))
    cart.add(product("1", 1000))
    cash = cart.add_cash(Money(1000))
    assert [t.kind for t in cart.tenders] == [TenderKind.EXCHANGE, TenderKind.CASH]
    assert cash.amount.cents == 700 and cash.change.cents == 300
    with pytest.raises(PaymentInProgress):
        cart.add(product("2", 100))
    cart.remove_tender(cart.tenders[0].tender_id)  # the credit is not a removable tender
    cart.clear_tenders()
    assert [t.kind for t in cart.tenders] == [TenderKind.EXCHANGE]
    cart.set_exchange("", None)
    assert cart.tenders == () and cart.exchange_excess == 0
    cart.set_exchange("T01-C01-2026-000001", Money(300))
    cart.clear()
    assert cart.exchange_credit == 0


@given(
    credit=st.integers(min_value=1, max_value=100_000),
    prices=st.lists(st.integers(min_value=1, max_value=50_000), min_size=1, max_size=5),
)
def test_applied_and_refunded_always_add_up_to_the_credit(credit, prices):
    cart = Cart()
    cart.set_exchange("R", Money(credit))
    for i, cents in enumerate(prices):
        cart.add(product(str(i), cents))
    total = cart.totals().total.cents
    assert cart.exchange_applied + cart.exchange_excess == credit
    assert cart.exchange_applied == min(credit, total)
    assert cart.payment().due.cents == max(total - credit, 0)
