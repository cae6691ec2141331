"""Policies: settings the backend owns and every register pulls (read-only at the register).

One policy so far, ``staff_limits`` (``StaffLimits``): what a cashier or clerk may do alone
before a manager's PIN is needed. Each policy is a row of ``policies`` (its JSON, as sent) and a
global ``policy`` change with the policy's name as key, written again whole at every change.

Defaults. A register must have limits from its first pull, even when IT never set any. So the
first store's creation (``ensure_default_policies``, called by ``save_store``) writes the
defaults of ``StaffLimits``, once; the migration that added policies did the same for a
database that already had stores. A register cannot enrol before its store exists, so no
register ever pulls without them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, select

from sync.protocol import Entity, StaffLimits
from sync.server.errors import CommandError
from sync.server.services._sql import dumps, upsert, upsert_statement, utcnow
from sync.server.services.changelog import ChangeEntry, record_changes
from sync.server.tables import policies

log = logging.getLogger(__name__)

STAFF_LIMITS = "staff_limits"
LIMIT_FIELDS = tuple(StaffLimits.model_fields)  # every setting, in the model's order


def ensure_default_policies(conn: Connection, *, now: datetime | None = None) -> list[ChangeEntry]:
    """Store the default ``staff_limits`` if no limits were ever set; the changes to record
    (in the caller's ``record_changes``, last in its transaction), empty when they were."""
    data = StaffLimits().model_dump(mode="json")
    inserted = conn.execute(
        upsert_statement(conn, policies, conflict=("name",), update=())
        .values(name=STAFF_LIMITS, data=dumps(data), updated_at=now or utcnow())
        .returning(policies.c.name)
    ).first()
    if inserted is None:
        return []
    log.info("default staff limits written")
    return [_entry(data)]


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
