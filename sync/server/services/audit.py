"""The audit log, for IT and managers: what managers approved at registers (overrides) and
sign-ins locked after wrong PINs, as registers pushed them (``audit.recorded``, taken by
``push.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from sync.server.services.stores import require_store
from sync.server.tables import audit_log, stores


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime  # in the store's time zone
    register_code: str
    kind: str
    action: str
    staff_name: str
    approver_name: str
    reference: str
    detail: str
    received_at: datetime


def list_audit(conn: Connection, store_code: str, *, since: date | None = None) -> list[AuditEntry]:
    """The entries of a store, oldest first; ``since``: from that day on, in the store's time
    zone."""
    store_code = require_store(conn, store_code)
    zone = ZoneInfo(
        conn.execute(select(stores.c.timezone).where(stores.c.code == store_code)).scalar_one()
    )
    query = select(audit_log).where(audit_log.c.store_code == store_code)
    if since is not None:
        query = query.where(audit_log.c.at >= datetime.combine(since, time(), tzinfo=zone))
    rows = conn.execute(
        query.order_by(audit_log.c.at, audit_log.c.register_code, audit_log.c.audit_id)
    ).all()
    return [
        AuditEntry(
            at=row.at.astimezone(zone),
            register_code=row.register_code,
            kind=row.kind,
            action=row.action,
            staff_name=row.staff_name,
            approver_name=row.approver_name,
            reference=row.reference,
            detail=row.detail,
            received_at=row.received_at.astimezone(zone),
        )
        for row in rows
    ]
