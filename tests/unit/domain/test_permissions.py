"""Who may do what alone: a manager everything; a cashier or clerk within the store's limits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.permissions import Action, Reason, Role, StaffLimits, manager_needed

LIMITS = StaffLimits(max_discount_percent=Decimal("12.5"), max_discount_cents=1000)


@given(
    action=st.sampled_from(list(Action)),
    percent=st.none() | st.decimals(min_value=0, max_value=100, places=2),
    cents=st.integers(min_value=0, max_value=10**9),
)
def test_a_manager_may_do_anything_alone(action, percent, cents):
    assert manager_needed(Role.MANAGER, action, LIMITS, percent=percent, cents=cents) is None


@pytest.mark.parametrize("role", [Role.CASHIER, Role.CLERK])
def test_a_discount_within_both_limits_needs_nobody(role):
    assert (
        manager_needed(role, Action.DISCOUNT, LIMITS, percent=Decimal("12.5"), cents=1000) is None
    )


def test_a_discount_above_the_percentage_or_the_amount_needs_a_manager():
    assert (
        manager_needed(Role.CASHIER, Action.DISCOUNT, LIMITS, percent=Decimal("12.51"), cents=10)
        is Reason.PERCENT_ABOVE_LIMIT
    )
    assert manager_needed(
        Role.CASHIER, Action.DISCOUNT, LIMITS, cents=1001
    ) is Reason.AMOUNT_ABOVE_LIMIT  # fmt: skip


@given(cents=st.integers(min_value=0, max_value=10**7))
def test_a_refund_needs_a_manager_exactly_above_the_limit(cents):
    needed = manager_needed(Role.CASHIER, Action.REFUND, LIMITS, cents=cents)
    assert (needed is not None) == (cents > LIMITS.max_refund_cents)


@pytest.mark.parametrize(
    ("action", "flag"),
    [
        (Action.VOID, "void_needs_manager"),
        (Action.DRAWER, "drawer_needs_manager"),
        (Action.REFUND_WITHOUT_RECEIPT, "refund_without_receipt_needs_manager"),
        (Action.PRICE_EDIT, "price_edit_needs_manager"),
    ],
)
def test_actions_reserved_by_the_policy(action, flag):
    on = StaffLimits(**{flag: True})
    off = StaffLimits(**{flag: False})
    assert manager_needed(Role.CLERK, action, on) is Reason.MANAGER_ONLY
    assert manager_needed(Role.CLERK, action, off) is None


def test_limits_read_from_the_policy_keep_defaults_for_what_is_missing_or_odd():
    limits = StaffLimits.from_plain(
        {"max_discount_percent": "15", "max_discount_cents": 2500, "void_needs_manager": False,
         "pin_attempts": "three", "lockout_minutes": True}
    )  # fmt: skip
    assert limits.max_discount_percent == Decimal(15)
    assert limits.max_discount_cents == 2500
    assert limits.void_needs_manager is False
    assert limits.pin_attempts == 5 and limits.lockout_minutes == 5
    assert StaffLimits.from_plain({"max_discount_percent": "NaN"}).max_discount_percent == 10
