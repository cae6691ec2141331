"""Policies: settings the backend owns and every register pulls (read-only at the register).

Two policies: ``staff_limits`` (``StaffLimits``): what a cashier or clerk may do alone before a
manager's PIN is needed; ``return_policy`` (``ReturnPolicy``): the one return policy of every
channel (days per category, non-returnable categories, receipt required, the offline limit).
Each policy is a row of ``policies`` (its JSON, as sent) and a global ``policy`` change with the
policy's name as key, written again whole at every change.

Defaults. A register must have every policy from its first pull, even when IT never set any.
So the first store's creation (``ensure_default_policies``, called by ``save_store``) writes the
defaults of each policy never stored, once; the migration that added policies did the same for
``staff_limits`` on a database that already had stores, and ``publish_missing_defaults`` (run
after every migration by the command line, ``serve`` included) does it for a policy added later
(``return_policy``) without a migration of its own. A register cannot enrol before its store
exists, so no register ever pulls without them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, select

from sync.protocol import RETURN_POLICY, Entity, ReturnPolicy, StaffLimits
from sync.server.errors import CommandError
from sync.server.services._sql import dumps, upsert, upsert_statement, utcnow
from sync.server.services.changelog import ChangeEntry, record_changes
from sync.server.tables import policies, stores

log = logging.getLogger(__name__)

STAFF_LIMITS = "staff_limits"
LIMIT_FIELDS = tuple(StaffLimits.model_fields)  # every setting, in the model's order


_DEFAULTS: tuple[tuple[str, type[StaffLimits] | type[ReturnPolicy]], ...] = (
    (STAFF_LIMITS, StaffLimits),
    (RETURN_POLICY, ReturnPolicy),
)


def ensure_default_policies(conn: Connection, *, now: datetime | None = None) -> list[ChangeEntry]:
    """Store the defaults of every policy never set (``staff_limits``, ``return_policy``); the
    changes to record (in the caller's ``record_changes``, last in its transaction), empty when
    every policy was set."""
    entries: list[ChangeEntry] = []
    for name, model in _DEFAULTS:
        data = model().model_dump(mode="json")
        inserted = conn.execute(
            upsert_statement(conn, policies, conflict=("name",), update=())
            .values(name=name, data=dumps(data), updated_at=now or utcnow())
            .returning(policies.c.name)
        ).first()
        if inserted is not None:
            log.info("default %s written", name.replace("_", " "))
            entries.append(ChangeEntry(Entity.POLICY, name, data))
    return entries


def publish_missing_defaults(conn: Connection, *, now: datetime | None = None) -> int:
    """On a database that has stores, store and publish the defaults of every policy never set
    (a policy added after its stores were created); how many were published. Nothing without a
    store: the first store's creation publishes them."""
    if conn.execute(select(stores.c.code).limit(1)).first() is None:
        return 0
    now = now or utcnow()
    entries = ensure_default_policies(conn, now=now)
    if entries:
        record_changes(conn, entries, now=now)
    return len(entries)


def current_limits(conn: Connection) -> StaffLimits:
    """The limits in force (the defaults when none were ever stored)."""
    text = conn.execute(select(policies.c.data).where(policies.c.name == STAFF_LIMITS)).scalar()
    return StaffLimits() if text is None else StaffLimits.model_validate_json(text)


def set_limits(
    conn: Connection, settings: Mapping[str, Any], *, now: datetime | None = None
) -> StaffLimits:
    """Change the settings given (the others stay as they are), check them, store them and
    write the ``policy`` change every register pulls. Returns the limits now in force."""
    unknown = sorted(set(settings) - set(LIMIT_FIELDS))
    if unknown:
        raise CommandError(f"unknown staff limit(s): {', '.join(unknown)}")
    now = now or utcnow()
    # Locked, so two changes at once do not each keep the other's older settings.
    conn.execute(
        select(policies.c.name).where(policies.c.name == STAFF_LIMITS).with_for_update()
    ).first()
    merged = current_limits(conn).model_dump(mode="json") | dict(settings)
    limits = check_limits(merged)
    data = limits.model_dump(mode="json")
    upsert(
        conn,
        policies,
        [{"name": STAFF_LIMITS, "data": dumps(data), "updated_at": now}],
        conflict=("name",),
        update=("data", "updated_at"),
    )
    record_changes(conn, [_entry(data)], now=now)
    log.info("staff limits set: %s", dumps(data))
    return limits


def check_limits(settings: Mapping[str, Any]) -> StaffLimits:
    """``StaffLimits`` from ``settings``, or ``CommandError`` naming every problem. Beyond the
    model: amounts are not negative, and the percentage is 0 to 100 with up to 2 decimals
    (written back plainly: ``"12,50"`` becomes ``"12.5"``)."""
    values = dict(settings)
    problems: list[str] = []
    percent = values.get("max_discount_percent")
    if percent is not None:
        try:
            number = Decimal(str(percent).strip().replace(",", "."))
        except InvalidOperation:
            number = Decimal("NaN")
        if (
            not number.is_finite()
            or not 0 <= number <= 100
            or number != number.quantize(Decimal("0.01"))
        ):
            problems.append("max_discount_percent: a percentage from 0 to 100, up to 2 decimals")
        else:
            values["max_discount_percent"] = _plain(number)
    try:
        limits = StaffLimits.model_validate(values)
    except ValidationError as error:
        problems.extend(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in error.errors(include_url=False, include_input=False)
        )
        raise CommandError("; ".join(problems)) from error
    for name in ("max_discount_cents", "max_refund_cents"):
        if getattr(limits, name) < 0:
            problems.append(f"{name}: an amount in cents, 0 or more")
    if problems:
        raise CommandError("; ".join(problems))
    return limits


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _entry(data: dict[str, Any]) -> ChangeEntry:
    return ChangeEntry(Entity.POLICY, STAFF_LIMITS, data)


# --- the return policy -------------------------------------------------------------------------

RETURN_POLICY_FIELDS = tuple(ReturnPolicy.model_fields)


def current_return_policy(conn: Connection) -> ReturnPolicy:
    """The return policy in force (the defaults when none was ever stored)."""
    text = conn.execute(select(policies.c.data).where(policies.c.name == RETURN_POLICY)).scalar()
    return ReturnPolicy() if text is None else ReturnPolicy.model_validate_json(text)


def set_return_policy(
    conn: Connection, settings: Mapping[str, Any], *, now: datetime | None = None
) -> ReturnPolicy:
    """Change the settings given (the others stay as they are; ``category_days`` given is
    merged into the days per category already set), check them, store them and write the
    ``policy`` change every register pulls. Returns the policy now in force."""
    unknown = sorted(set(settings) - set(RETURN_POLICY_FIELDS))
    if unknown:
        raise CommandError(f"unknown return policy setting(s): {', '.join(unknown)}")
    now = now or utcnow()
    conn.execute(
        select(policies.c.name).where(policies.c.name == RETURN_POLICY).with_for_update()
    ).first()
    merged = current_return_policy(conn).model_dump(mode="json")
    for name, value in settings.items():
        if name == "category_days":
            merged[name] = {**merged[name], **dict(value)}
        else:
            merged[name] = value
    policy = check_return_policy(merged)
    data = policy.model_dump(mode="json")
    upsert(
        conn,
        policies,
        [{"name": RETURN_POLICY, "data": dumps(data), "updated_at": now}],
        conflict=("name",),
        update=("data", "updated_at"),
    )
    record_changes(conn, [ChangeEntry(Entity.POLICY, RETURN_POLICY, data)], now=now)
    log.info("return policy set: %s", dumps(data))
    return policy


def check_return_policy(settings: Mapping[str, Any]) -> ReturnPolicy:
    """``ReturnPolicy`` from ``settings``, or ``CommandError`` naming every problem. Beyond the
    model: category codes are written in capitals (as the catalog's), each named once, and the
    offline limit is not negative."""
    values = dict(settings)
    problems: list[str] = []
    days = values.get("category_days")
    if isinstance(days, Mapping):
        values["category_days"] = {str(k).strip().upper(): v for k, v in days.items()}
        if any(not k for k in values["category_days"]):
            problems.append("category_days: a category code is not empty")
    blocked = values.get("non_returnable_categories")
    if isinstance(blocked, list | tuple):
        codes = [str(code).strip().upper() for code in blocked]
        if any(not code for code in codes):
            problems.append("non_returnable_categories: a category code is not empty")
        values["non_returnable_categories"] = sorted(set(codes))
    try:
        policy = ReturnPolicy.model_validate(values)
    except ValidationError as error:
        problems.extend(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in error.errors(include_url=False, include_input=False)
        )
        raise CommandError("; ".join(problems)) from error
    if policy.offline_max_refund_cents < 0:
        problems.append("offline_max_refund_cents: an amount in cents, 0 or more")
    if problems:
        raise CommandError("; ".join(problems))
    return policy
