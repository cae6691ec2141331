"""Who may do what at the register alone, and when a manager's PIN is needed.

Pure: the roles, the actions that can need a manager, the store's limits (the ``staff_limits``
policy pulled from the backend) and one function that decides. A manager may do everything;
a cashier or a clerk may do an action alone only within the limits. Money is integer cents and
percentages are ``Decimal``, never float.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    CASHIER = "cashier"
    CLERK = "clerk"
    MANAGER = "manager"


class Action(StrEnum):
    DISCOUNT = "discount"
    VOID = "void"
    DRAWER = "drawer"
    REFUND = "refund"
    REFUND_WITHOUT_RECEIPT = "refund_without_receipt"
    PRICE_EDIT = "price_edit"
    CANCEL_SALE = "cancel_sale"  # annul a completed sale (its ticket issued by mistake)


class Reason(StrEnum):
    """Why an action needs a manager."""

    PERCENT_ABOVE_LIMIT = "percent_above_limit"
    AMOUNT_ABOVE_LIMIT = "amount_above_limit"
    MANAGER_ONLY = "manager_only"


@dataclass(frozen=True, slots=True)
class StaffLimits:
    """What a cashier or clerk may do alone; the defaults are the protocol's."""

    max_discount_percent: Decimal = Decimal(10)
    max_discount_cents: int = 1000
    max_refund_cents: int = 5000
    void_needs_manager: bool = True
    drawer_needs_manager: bool = True
    refund_without_receipt_needs_manager: bool = True
    price_edit_needs_manager: bool = True
    cancel_needs_manager: bool = True
    pin_attempts: int = 5
    lockout_minutes: int = 5

    @classmethod
    def from_plain(cls, data: dict[str, Any]) -> StaffLimits:
        """From the policy's JSON; what is missing or unreadable keeps its default."""
        base = cls()
        try:
            percent = Decimal(str(data.get("max_discount_percent", base.max_discount_percent)))
        except InvalidOperation:
            percent = base.max_discount_percent
        if not percent.is_finite():
            percent = base.max_discount_percent

        def whole(name: str, default: int) -> int:
            value = data.get(name, default)
            return value if isinstance(value, int) and not isinstance(value, bool) else default

        def flag(name: str, default: bool) -> bool:
            value = data.get(name, default)
            return value if isinstance(value, bool) else default

        return cls(
            max_discount_percent=percent,
            max_discount_cents=whole("max_discount_cents", base.max_discount_cents),
            max_refund_cents=whole("max_refund_cents", base.max_refund_cents),
            void_needs_manager=flag("void_needs_manager", base.void_needs_manager),
            drawer_needs_manager=flag("drawer_needs_manager", base.drawer_needs_manager),
            refund_without_receipt_needs_manager=flag(
                "refund_without_receipt_needs_manager", base.refund_without_receipt_needs_manager
            ),
            price_edit_needs_manager=flag(
                "price_edit_needs_manager", base.price_edit_needs_manager
            ),
            cancel_needs_manager=flag("cancel_needs_manager", base.cancel_needs_manager),
            pin_attempts=max(1, whole("pin_attempts", base.pin_attempts)),
            lockout_minutes=max(1, whole("lockout_minutes", base.lockout_minutes)),
        )


def manager_needed(
    role: Role,
    action: Action,
    limits: StaffLimits,
    *,
    percent: Decimal | None = None,
    cents: int = 0,
) -> Reason | None:
    """Why ``role`` may not do ``action`` alone under ``limits``, or None when it may.

    ``percent`` is a discount's percentage (when it is one), ``cents`` the amount the action
    gives away or pays out (a discount's cents, a refund's amount).
    """
    if role is Role.MANAGER:
        return None
    if action is Action.DISCOUNT:
        if percent is not None and percent > limits.max_discount_percent:
            return Reason.PERCENT_ABOVE_LIMIT
        if cents > limits.max_discount_cents:
            return Reason.AMOUNT_ABOVE_LIMIT
        return None
    if action is Action.REFUND:
        return Reason.AMOUNT_ABOVE_LIMIT if cents > limits.max_refund_cents else None
    needs = {
        Action.VOID: limits.void_needs_manager,
        Action.DRAWER: limits.drawer_needs_manager,
        Action.REFUND_WITHOUT_RECEIPT: limits.refund_without_receipt_needs_manager,
        Action.PRICE_EDIT: limits.price_edit_needs_manager,
        Action.CANCEL_SALE: limits.cancel_needs_manager,
    }[action]
    return Reason.MANAGER_ONLY if needs else None


@dataclass(frozen=True, slots=True)
class Approval:
    """A manager's PIN typed for one action: given by ``StaffService.approve``, used once."""

    approval_id: str
    action: Action
    approver_id: str
    approver_name: str
    detail: str = ""
    reference: str = ""
