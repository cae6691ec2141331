"""Staff, permissions and manager overrides on a real SQLite file: the staff and the limits
arrive as pulled changes, the services check the signed-in person's limits, a manager's PIN
overrides them, and every override (and every PIN lockout) is an ``audit.recorded`` event in the
outbox."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from support import COFFEE, IDENTITY, limits_change, pull_changes, staff_change

from pos_app.domain.cart import Discount
from pos_app.domain.money import Money
from pos_app.domain.permissions import Action
from pos_app.services.checkout import CheckoutService
from pos_app.services.devices import DeviceService
from pos_app.services.errors import (
    ApprovalInvalid,
    ManagerApprovalRequired,
    NotAManager,
    PinLocked,
    UnknownStaff,
    WrongPin,
)
from pos_app.services.staff import StaffService
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
from sync.pins import hash_pin
from sync.protocol import AuditRecordedPayload

# scrypt is slow on purpose (~50 ms): hashes made once for the module.
CASHIER_PIN, MANAGER_PIN, CLERK_PIN = "1111", "9999", "2222"
HASHES = {pin: hash_pin(pin) for pin in (CASHIER_PIN, MANAGER_PIN, CLERK_PIN)}


class Printer:
    name = "fake"

    def __init__(self) -> None:
        self.kicks = 0

    def print_receipt(self, doc: object) -> None:
        pass

    def status(self):  # type: ignore[no-untyped-def]
        from hardware.status import DeviceState, DeviceStatus

        return DeviceStatus(DeviceState.READY)

    def open_drawer(self) -> None:
        self.kicks += 1


@pytest.fixture
def staffed(uow_factory, clock):  # type: ignore[no-untyped-def]
    pull_changes(
        uow_factory,
        clock,
        staff_change("s-ana", "Ana Cajera", "cashier", HASHES[CASHIER_PIN]),
        staff_change("s-luis", "Luis Encargado", "manager", HASHES[MANAGER_PIN]),
        staff_change("s-eva", "Eva Reponedora", "clerk", HASHES[CLERK_PIN]),
        limits_change(max_discount_percent="10", max_discount_cents=500, pin_attempts=3),
    )


@pytest.fixture
def staff(uow_factory, clock) -> StaffService:  # type: ignore[no-untyped-def]
    return StaffService(uow_factory, clock, IDENTITY)


@pytest.fixture
def checkout(uow_factory, clock, staff) -> CheckoutService:  # type: ignore[no-untyped-def]
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Caja", staff=staff)


def audits(uow_factory) -> list[AuditRecordedPayload]:  # type: ignore[no-untyped-def]
    with uow_factory.reader() as uow:
        rows = uow.sync.pending(1000)
    return [
        AuditRecordedPayload.model_validate(r.payload)
        for r in rows
        if r.event_type == "audit.recorded"
    ]


def test_staff_and_limits_arrive_as_pulled_changes(staffed, staff):
    names = [m.name for m in staff.staff_list()]
    assert names == ["Ana Cajera", "Eva Reponedora", "Luis Encargado"]
    limits = staff.limits()
    assert limits.max_discount_percent == Decimal(10)
    assert limits.max_discount_cents == 500
    assert limits.pin_attempts == 3


def test_a_deactivated_person_leaves_the_sign_in_list(staffed, staff, uow_factory, clock):
    pull_changes(
        uow_factory, clock, staff_change("s-eva", "Eva Reponedora", "clerk", None, active=False)
    )
    assert [m.staff_id for m in staff.staff_list()] == ["s-ana", "s-luis"]


def test_the_signed_in_name_goes_on_the_sale(staffed, staff, checkout):
    staff.sign_in("s-ana", CASHIER_PIN)
    checkout.scan(COFFEE)
    checkout.add_cash(Money(10_000))
    done = checkout.complete_sale()
    assert done.sale.cashier == "Ana Cajera"
    staff.sign_out()
    assert staff.session is None
    assert checkout.cashier == "Caja"


def test_a_cashiers_discount_above_the_limit_needs_a_managers_pin(
    staffed, staff, checkout, uow_factory
):
    staff.sign_in("s-ana", CASHIER_PIN)
    view = checkout.scan(COFFEE)
    line_id = view.lines[0].line_id
    checkout.set_line_discount(line_id, Discount.percent(5))  # within the limit

    with pytest.raises(ManagerApprovalRequired) as caught:
        checkout.set_line_discount(line_id, Discount.percent(50))
    assert caught.value.action == "discount"
    assert caught.value.reason == "percent_above_limit"
    assert checkout.view().lines[0].discount == Discount.percent(5)  # nothing changed
    assert audits(uow_factory) == []

    approval = staff.approve("s-luis", MANAGER_PIN, Action.DISCOUNT, caught.value.detail)
    view = checkout.set_line_discount(line_id, Discount.percent(50), approval=approval)
    assert view.lines[0].discount == Discount.percent(50)
    [audit] = audits(uow_factory)
    assert audit.kind == "override"
    assert audit.action == "discount"
    assert (audit.staff_id, audit.staff_name) == ("s-ana", "Ana Cajera")
    assert (audit.approver_id, audit.approver_name) == ("s-luis", "Luis Encargado")
    assert audit.register_code == "C01"
    assert "50" in audit.detail

    # An approval is used once.
    with pytest.raises(ApprovalInvalid):
        checkout.set_basket_discount(Discount.percent(40), approval=approval)
    assert checkout.view().basket_discount is None


def test_a_basket_discount_in_cents_above_the_limit_needs_a_manager(staffed, staff, checkout):
    staff.sign_in("s-ana", CASHIER_PIN)
    for _ in range(5):
        checkout.scan(COFFEE)
    with pytest.raises(ManagerApprovalRequired) as caught:
        checkout.set_basket_discount(Discount.amount(Money(600)))
    assert caught.value.reason == "amount_above_limit"
    assert checkout.view().basket_discount is None
    checkout.set_basket_discount(Discount.amount(Money(500)))  # at the limit: alone


def test_a_manager_signed_in_needs_nobody(staffed, staff, checkout, uow_factory):
    staff.sign_in("s-luis", MANAGER_PIN)
    view = checkout.scan(COFFEE)
    checkout.set_line_discount(view.lines[0].line_id, Discount.percent(80))
    checkout.abandon("cliente se va")
    assert audits(uow_factory) == []


def test_a_cashiers_void_needs_a_manager_and_is_audited_with_it(
    staffed, staff, checkout, uow_factory
):
    staff.sign_in("s-ana", CASHIER_PIN)
    checkout.scan(COFFEE)
    with pytest.raises(ManagerApprovalRequired) as caught:
        checkout.abandon("error")
    assert caught.value.action == "void"
    assert checkout.cart_started  # nothing changed
    with uow_factory.reader() as uow:
        assert uow.outbox.pending_count() == 0

    approval = staff.approve("s-luis", MANAGER_PIN, Action.VOID)
    checkout.abandon("error", approval=approval)
    assert not checkout.cart_started
    with uow_factory.reader() as uow:
        types = [e.event_type for e in uow.sync.pending(10)]
    assert types == ["sale.abandoned", "audit.recorded"]
    [audit] = audits(uow_factory)
    assert (audit.action, audit.staff_name, audit.approver_name) == (
        "void", "Ana Cajera", "Luis Encargado"
    )  # fmt: skip


def test_a_void_is_free_when_the_policy_says_so(uow_factory, clock, staff, checkout):
    pull_changes(
        uow_factory,
        clock,
        staff_change("s-ana", "Ana Cajera", "cashier", HASHES[CASHIER_PIN]),
        limits_change(void_needs_manager=False),
    )
    staff.sign_in("s-ana", CASHIER_PIN)
    checkout.scan(COFFEE)
    checkout.abandon("error")
    assert not checkout.cart_started


def test_opening_the_drawer_by_hand_needs_a_manager(staffed, staff, uow_factory, clock):
    printer = Printer()
    devices = DeviceService(
        uow_factory, clock, IDENTITY, printer=printer, cashier="Caja", staff=staff
    )
    staff.sign_in("s-ana", CASHIER_PIN)
    with pytest.raises(ManagerApprovalRequired) as caught:
        devices.open_drawer_by_hand("cambio")
    assert caught.value.action == "drawer"
    assert printer.kicks == 0

    approval = staff.approve("s-luis", MANAGER_PIN, Action.DRAWER)
    opening = devices.open_drawer_by_hand("cambio", approval=approval)
    devices.record_opening(opening)
    assert printer.kicks == 1
    assert opening.cashier == "Ana Cajera"
    [audit] = audits(uow_factory)
    assert (audit.action, audit.reference) == ("drawer", opening.opening_id)
    assert audit.approver_name == "Luis Encargado"


def test_an_approval_for_another_action_is_refused(staffed, staff, checkout):
    staff.sign_in("s-ana", CASHIER_PIN)
    checkout.scan(COFFEE)
    approval = staff.approve("s-luis", MANAGER_PIN, Action.DRAWER)
    with pytest.raises(ApprovalInvalid):
        checkout.abandon("x", approval=approval)
    assert checkout.cart_started


def test_a_wrong_pin_is_refused_and_counted(staffed, staff):
    with pytest.raises(WrongPin) as caught:
        staff.sign_in("s-ana", "0000")
    assert caught.value.attempts_left == 2
    assert staff.session is None
    with pytest.raises(WrongPin) as caught:
        staff.sign_in("s-ana", "0000")
    assert caught.value.attempts_left == 1
    staff.sign_in("s-ana", CASHIER_PIN)  # a right one clears the count
    staff.sign_out()
    with pytest.raises(WrongPin) as caught:
        staff.sign_in("s-ana", "0000")
    assert caught.value.attempts_left == 2


def test_a_lockout_survives_a_restart_and_is_audited(staffed, staff, engine, clock):
    for _ in range(2):
        with pytest.raises(WrongPin):
            staff.sign_in("s-ana", "0000")
    with pytest.raises(PinLocked) as caught:
        staff.sign_in("s-ana", "0000")
    until = caught.value.until
    assert until == clock.now() + timedelta(minutes=5)

    restarted = StaffService(SqlUnitOfWorkFactory(engine), clock, IDENTITY)
    with pytest.raises(PinLocked):
        restarted.sign_in("s-ana", CASHIER_PIN)  # even the right PIN
    [audit] = audits(SqlUnitOfWorkFactory(engine))
    assert (audit.kind, audit.staff_id, audit.staff_name) == ("pin_lockout", "s-ana", "Ana Cajera")

    clock.advance(minutes=5, seconds=1)
    assert restarted.sign_in("s-ana", CASHIER_PIN).name == "Ana Cajera"


def test_a_clerk_cannot_approve(staffed, staff):
    with pytest.raises(NotAManager):
        staff.approve("s-eva", CLERK_PIN, Action.DISCOUNT)


def test_a_deactivated_manager_cannot_approve(staffed, staff, uow_factory, clock):
    pull_changes(
        uow_factory,
        clock,
        staff_change("s-luis", "Luis Encargado", "manager", HASHES[MANAGER_PIN], active=False),
    )
    with pytest.raises(UnknownStaff):
        staff.approve("s-luis", MANAGER_PIN, Action.DISCOUNT)


def test_a_managers_wrong_pin_is_counted_like_a_sign_in(staffed, staff):
    with pytest.raises(WrongPin) as caught:
        staff.approve("s-luis", "0000", Action.VOID)
    assert caught.value.attempts_left == 2


def test_without_staff_nothing_is_checked(uow_factory, clock, staff, checkout):
    assert not staff.has_staff()
    view = checkout.scan(COFFEE)
    checkout.set_line_discount(view.lines[0].line_id, Discount.percent(90))
    checkout.add_cash(Money(10_000))
    assert checkout.complete_sale().sale.cashier == "Caja"
    checkout.scan(COFFEE)
    checkout.abandon("x")
    assert audits(uow_factory) == []
