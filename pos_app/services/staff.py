"""Staff at the register: who is signed in, their PIN, and a manager's approval beyond limits.

``StaffService`` is the one place that knows the store's staff and limits. Other services
(checkout, devices, pickups) ask it two things: the name to put on what they record
(``cashier_name``) and whether the signed-in person may do an action alone (``authorize``),
which raises ``ManagerApprovalRequired`` unless a manager's ``Approval`` (from ``approve``)
came with the call. Every approval used is written to the outbox as an ``audit.recorded``
event of kind ``override``; a sign-in locked after too many wrong PINs as one of kind
``pin_lockout``.

A register that has no staff at all (never synced, a demo whose backend publishes none) works
as before: the settings' cashier name and no checks.

PINs are checked with scrypt (about 50 ms): ``sign_in`` and ``approve`` run on the database
worker, never on the GUI thread. Wrong PINs are counted on disk, so a restart lifts no lockout.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from pos_app.domain.ids import new_id
from pos_app.domain.permissions import (
    Action,
    Approval,
    Reason,
    Role,
    StaffLimits,
    manager_needed,
)
from pos_app.services.errors import (
    ApprovalInvalid,
    ManagerApprovalRequired,
    NotAManager,
    PinLocked,
    UnknownStaff,
    WrongPin,
)
from pos_app.services.ports import (
    Clock,
    PinFailures,
    StaffMember,
    StoreIdentity,
    UnitOfWork,
    UnitOfWorkFactory,
)
from sync.pins import verify_pin
from sync.protocol import AuditRecordedPayload, EventType

log = logging.getLogger(__name__)

AUDIT_OVERRIDE = "override"
AUDIT_PIN_LOCKOUT = "pin_lockout"
_DETAIL_MAX = 500


@dataclass(frozen=True, slots=True)
class StaffSession:
    """Who is signed in at the register."""

    staff_id: str
    name: str
    role: Role
    signed_in_at: datetime


class StaffService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        identity: StoreIdentity,
        *,
        verify: Callable[[str, str], bool] = verify_pin,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._identity = identity
        self._verify = verify
        self._session: StaffSession | None = None
        self._lock = threading.Lock()
        self._issued: set[str] = set()  # approvals given and not used yet

    # --- reading ---------------------------------------------------------------------------
    def has_staff(self) -> bool:
        """Whether the register knows any staff (then sign-in and checks are on)."""
        with self._uow_factory.reader() as uow:
            return uow.staff.count() > 0

    def staff_list(self) -> list[StaffMember]:
        """The active staff, by name, for the sign-in screen."""
        with self._uow_factory.reader() as uow:
            return uow.staff.list(active_only=True)

    def managers(self) -> list[StaffMember]:
        return [m for m in self.staff_list() if m.role is Role.MANAGER]

    def limits(self) -> StaffLimits:
        with self._uow_factory.reader() as uow:
            return uow.staff.limits()

    @property
    def session(self) -> StaffSession | None:
        return self._session

    def cashier_name(self, default: str) -> str:
        """The signed-in person's name, or ``default`` (the settings' cashier) when nobody is."""
        session = self._session
        return session.name if session is not None else default

    # --- signing in and out ---------------------------------------------------------------
    def sign_in(self, staff_id: str, pin: str) -> StaffSession:
        """Database worker (slow KDF). Raises ``UnknownStaff``, ``WrongPin`` (counted) or
        ``PinLocked``; the session then is unchanged."""
        member = self._check_pin(staff_id, pin)
        session = StaffSession(member.staff_id, member.name, member.role, self._clock.now())
        self._session = session
        log.info("signed in: %s (%s)", member.name, member.role.value)
        return session

    def sign_out(self) -> None:
        """Lock the register: nobody is signed in (the sale in progress stays in the cart)."""
        if self._session is not None:
            log.info("signed out: %s", self._session.name)
        self._session = None

    lock = sign_out

    def approve(
        self, manager_id: str, pin: str, action: Action, detail: str = "", reference: str = ""
    ) -> Approval:
        """Database worker (slow KDF): a manager's PIN for one action. Raises
        ``UnknownStaff`` (unknown or inactive), ``NotAManager``, ``WrongPin`` or
        ``PinLocked``."""
        with self._uow_factory.reader() as uow:
            member = uow.staff.get(manager_id)
        if member is None or not member.active:
            raise UnknownStaff(manager_id)
        if member.role is not Role.MANAGER:
            raise NotAManager(member.staff_id, member.name)
        member = self._check_pin(manager_id, pin)
        approval = Approval(
            approval_id=new_id(),
            action=action,
            approver_id=member.staff_id,
            approver_name=member.name,
            detail=detail,
            reference=reference,
        )
        with self._lock:
            self._issued.add(approval.approval_id)
        return approval

    def _check_pin(self, staff_id: str, pin: str) -> StaffMember:
        now = self._clock.now()
        with self._uow_factory.reader() as uow:
            member = uow.staff.get(staff_id)
            failures = uow.staff.failures(staff_id)
            limits = uow.staff.limits()
        if member is None or not member.active:
            raise UnknownStaff(staff_id)
        if failures.locked_until is not None and failures.locked_until > now:
            raise PinLocked(staff_id, failures.locked_until.astimezone(now.tzinfo))
        ok = member.pin_hash is not None and self._verify(pin, member.pin_hash)
        with self._uow_factory() as uow:
            current = uow.staff.failures(staff_id)
            if ok:
                if current != PinFailures():
                    uow.staff.set_failures(staff_id, PinFailures())
                    uow.commit()
                return member
            count = current.failures + 1
            if count < limits.pin_attempts:
                uow.staff.set_failures(staff_id, PinFailures(count, None))
                uow.commit()
                raise WrongPin(staff_id, limits.pin_attempts - count)
            until = now + timedelta(minutes=limits.lockout_minutes)
            uow.staff.set_failures(staff_id, PinFailures(0, until))
            self._write_audit(
                uow,
                kind=AUDIT_PIN_LOCKOUT,
                at=now,
                staff_id=member.staff_id,
                staff_name=member.name,
                detail=f"{count} wrong PINs; locked until {until.isoformat(timespec='seconds')}",
            )
            uow.commit()
        log.warning("sign-in of %s locked until %s", member.name, until.isoformat())
        raise PinLocked(staff_id, until)

    # --- permissions ----------------------------------------------------------------------
    def authorize(
        self,
        action: Action,
        *,
        detail: str,
        approval: Approval | None = None,
        percent: Decimal | None = None,
        cents: int = 0,
        limit_cents: int | None = None,
    ) -> Approval | None:
        """Whether the signed-in person may do ``action``: None when they may alone (or the
        register has no staff), the ``approval`` to audit when a manager approved it. Raises
        ``ManagerApprovalRequired`` (nothing may change) or ``ApprovalInvalid``.

        ``limit_cents``: a stricter limit of this one call (a return the register could not
        check with the backend: the return policy's ``offline_max_refund_cents``); above it
        anyone but a manager needs a manager's approval, whatever their own limits.

        Nobody signed in while staff exist counts as a cashier (the least of the roles).
        """
        with self._uow_factory.reader() as uow:
            if uow.staff.count() == 0:
                return None
            limits = uow.staff.limits()
        session = self._session
        role = session.role if session is not None else Role.CASHIER
        reason = manager_needed(role, action, limits, percent=percent, cents=cents)
        if reason is None and limit_cents is not None and role is not Role.MANAGER:
            reason = Reason.AMOUNT_ABOVE_LIMIT if cents > limit_cents else None
        if reason is None:
            return None
        if approval is None:
            raise ManagerApprovalRequired(
                action.value,
                detail,
                reason.value,
                cents=cents,
                percent="" if percent is None else str(percent),
            )
        with self._lock:
            if approval.action is not action or approval.approval_id not in self._issued:
                raise ApprovalInvalid(action.value)
            self._issued.discard(approval.approval_id)
        return approval

    def record_override(
        self, uow: UnitOfWork, approval: Approval, *, detail: str = "", reference: str = ""
    ) -> str:
        """Write the ``override`` audit event in the caller's transaction; its event id."""
        session = self._session
        return self._write_audit(
            uow,
            kind=AUDIT_OVERRIDE,
            at=self._clock.now(),
            action=approval.action.value,
            staff_id=session.staff_id if session is not None else "",
            staff_name=session.name if session is not None else "",
            approver_id=approval.approver_id,
            approver_name=approval.approver_name,
            reference=reference or approval.reference,
            detail=detail or approval.detail,
        )

    def audit_override(self, approval: Approval, *, detail: str = "", reference: str = "") -> str:
        """Database: the ``override`` audit event in its own small transaction."""
        with self._uow_factory() as uow:
            event_id = self.record_override(uow, approval, detail=detail, reference=reference)
            uow.commit()
        return event_id

    def _write_audit(
        self,
        uow: UnitOfWork,
        *,
        kind: str,
        at: datetime,
        action: str = "",
        staff_id: str = "",
        staff_name: str = "",
        approver_id: str = "",
        approver_name: str = "",
        reference: str = "",
        detail: str = "",
    ) -> str:
        payload = AuditRecordedPayload(
            audit_id=new_id(),
            register_code=self._identity.register_code,
            at=at,
            kind=kind,
            action=action,
            staff_id=staff_id,
            staff_name=staff_name,
            approver_id=approver_id,
            approver_name=approver_name,
            reference=reference[:60],
            detail=detail[:_DETAIL_MAX],
        )
        return uow.outbox.add(
            EventType.AUDIT_RECORDED.value, payload.model_dump(mode="json"), occurred_at=at
        )
