"""The till's sessions and cash movements, and what each session recorded (for its X and Z)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Table, func, select

from pos_app.domain.till import (
    CancellationFact,
    CashCount,
    CashMovement,
    MovementFact,
    ReturnFact,
    SaleFact,
    SessionFacts,
    TaxFact,
    TillSession,
)
from pos_app.storage import tables as t
from pos_app.storage.repositories import utc_text

OPEN, CLOSED = "open", "closed"
TaggedKind = Literal["sale", "return", "abandoned", "drawer"]
_TAGGED: dict[str, Table] = {
    "sale": t.sales,
    "return": t.returns,
    "abandoned": t.abandoned_sales,
    "drawer": t.drawer_openings,
}


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class SqlTillRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # --- sessions ---------------------------------------------------------------------------
    def current(self) -> TillSession | None:
        """The open session, if any (at most one: a unique index says so)."""
        row = self._conn.execute(
            select(t.till_sessions).where(t.till_sessions.c.status == OPEN)
        ).first()
        return self._session(row) if row is not None else None

    def get(self, till_id: str) -> TillSession | None:
        row = self._conn.execute(
            select(t.till_sessions).where(t.till_sessions.c.id == till_id)
        ).first()
        return self._session(row) if row is not None else None

    def last_closed(self) -> TillSession | None:
        c = t.till_sessions.c
        row = self._conn.execute(
            select(t.till_sessions)
            .where(c.status == CLOSED)
            .order_by(c.z_year.desc(), c.z_seq.desc())
            .limit(1)
        ).first()
        return self._session(row) if row is not None else None

    def open(self, session: TillSession) -> None:
        self._conn.execute(
            t.till_sessions.insert().values(
                id=session.till_id,
                status=OPEN,
                opened_at=session.opened_at.isoformat(timespec="microseconds"),
                opened_utc=utc_text(session.opened_at),
                cashier=session.cashier,
                float_cents=session.float_cents,
                float_count=json.dumps(session.float_count.to_wire()),
            )
        )

    def close(
        self,
        till_id: str,
        *,
        closed_at: datetime,
        closed_by: str,
        z_number: str,
        z_year: int,
        z_seq: int,
        counted: CashCount,
        expected_cents: int,
        report: dict[str, Any],
    ) -> None:
        c = t.till_sessions.c
        done = self._conn.execute(
            t.till_sessions.update()
            .where(c.id == till_id, c.status == OPEN)
            .values(
                status=CLOSED,
                closed_at=closed_at.isoformat(timespec="microseconds"),
                closed_by=closed_by,
                z_number=z_number,
                z_year=z_year,
                z_seq=z_seq,
                counted_cents=counted.total_cents,
                counted=json.dumps(counted.to_wire()),
                expected_cents=expected_cents,
                difference_cents=counted.total_cents - expected_cents,
                report=json.dumps(report, ensure_ascii=False),
            )
        )
        if done.rowcount != 1:
            raise RuntimeError(f"till session {till_id} is not open")

    @staticmethod
    def _session(r: Any) -> TillSession:
        return TillSession(
            till_id=r.id,
            opened_at=datetime.fromisoformat(r.opened_at),
            cashier=r.cashier,
            float_count=CashCount.from_wire(json.loads(r.float_count)),
            closed_at=_time(r.closed_at),
            closed_by=r.closed_by or "",
            z_number=r.z_number or "",
            counted=CashCount.from_wire(json.loads(r.counted)) if r.counted else None,
            expected_cents=r.expected_cents,
            difference_cents=r.difference_cents,
            report=json.loads(r.report) if r.report else None,
        )

    # --- cash movements and tags ------------------------------------------------------------
    def add_movement(self, movement: CashMovement) -> None:
        self._conn.execute(
            t.till_movements.insert().values(
                id=movement.movement_id,
                till_id=movement.till_id,
                at=movement.at.isoformat(timespec="microseconds"),
                kind=movement.kind,
                amount_cents=movement.amount_cents,
                reason=movement.reason,
                cashier=movement.cashier,
                approved_by=movement.approved_by,
            )
        )

    def movements(self, till_id: str) -> list[CashMovement]:
        c = t.till_movements.c
        rows = self._conn.execute(
            select(t.till_movements).where(c.till_id == till_id).order_by(c.at, c.id)
        )
        return [
            CashMovement(
                r.id,
                r.till_id,
                datetime.fromisoformat(r.at),
                r.kind,
                r.amount_cents,
                r.reason,
                r.cashier,
                r.approved_by,
            )
            for r in rows
        ]

    def tag(self, kind: TaggedKind, record_id: str, till_id: str) -> None:
        """Say that a record just written in this transaction fell in session ``till_id``."""
        table = _TAGGED[kind]
        self._conn.execute(table.update().where(table.c.id == record_id).values(till_id=till_id))

    # --- what a session recorded ------------------------------------------------------------
    def facts(self, till_id: str) -> SessionFacts:
        session = self.get(till_id)
        if session is None:
            raise KeyError(till_id)
        s, p, x = t.sales.c, t.sale_payments.c, t.sale_taxes.c
        sales = self._conn.execute(
            select(s.id, s.receipt_number, s.total_cents, s.discount_cents)
            .where(s.till_id == till_id)
            .order_by(s.receipt_year, s.receipt_seq)
        ).all()
        payments: dict[str, list[tuple[str, int]]] = {}
        for r in self._conn.execute(
            select(p.sale_id, p.kind, p.amount_cents)
            .join(t.sales, t.sales.c.id == p.sale_id)
            .where(s.till_id == till_id)
            .order_by(p.sale_id, p.position)
        ):
            payments.setdefault(r.sale_id, []).append((r.kind, r.amount_cents))
        taxes: dict[str, list[TaxFact]] = {}
        for tx in self._conn.execute(
            select(x.sale_id, x.rate, x.base_cents, x.tax_cents, x.total_cents)
            .join(t.sales, t.sales.c.id == x.sale_id)
            .where(s.till_id == till_id)
            .order_by(x.sale_id, x.rate)
        ):
            taxes.setdefault(tx.sale_id, []).append(
                TaxFact(tx.rate, tx.base_cents, tx.tax_cents, tx.total_cents)
            )
        rt, rf, rl = t.returns.c, t.return_refunds.c, t.return_lines.c
        returns = self._conn.execute(
            select(rt.id, rt.return_number, rt.total_cents)
            .where(rt.till_id == till_id)
            .order_by(rt.return_year, rt.return_seq)
        ).all()
        refunds: dict[str, list[tuple[str, int]]] = {}
        for r in self._conn.execute(
            select(rf.return_id, rf.kind, rf.amount_cents)
            .join(t.returns, t.returns.c.id == rf.return_id)
            .where(rt.till_id == till_id)
            .order_by(rf.return_id, rf.position)
        ):
            refunds.setdefault(r.return_id, []).append((r.kind, r.amount_cents))
        return_taxes: dict[str, list[TaxFact]] = {}
        for rx in self._conn.execute(
            select(
                rl.return_id,
                rl.tax_rate,
                func.sum(rl.base_cents).label("base"),
                func.sum(rl.tax_cents).label("tax"),
                func.sum(rl.refund_cents).label("total"),
            )
            .join(t.returns, t.returns.c.id == rl.return_id)
            .where(rt.till_id == till_id)
            .group_by(rl.return_id, rl.tax_rate)
        ):
            return_taxes.setdefault(rx.return_id, []).append(
                TaxFact(rx.tax_rate, int(rx.base), int(rx.tax), int(rx.total))
            )
        a, d = t.abandoned_sales.c, t.drawer_openings.c
        abandoned = self._conn.execute(
            select(a.total_cents).where(a.till_id == till_id).order_by(a.abandoned_utc)
        ).scalars()
        openings = self._conn.execute(
            select(func.count())
            .select_from(t.drawer_openings)
            .where(d.till_id == till_id, d.sale_id.is_(None), d.ok == 1)
        ).scalar_one()
        cancellations = self._cancellations(till_id, taxes)
        return SessionFacts(
            float_cents=session.float_cents,
            cancellations=cancellations,
            sales=tuple(
                SaleFact(
                    r.receipt_number,
                    r.total_cents,
                    r.discount_cents,
                    tuple(payments.get(r.id, ())),
                    tuple(taxes.get(r.id, ())),
                )
                for r in sales
            ),
            returns=tuple(
                ReturnFact(
                    r.return_number,
                    r.total_cents,
                    tuple(refunds.get(r.id, ())),
                    tuple(return_taxes.get(r.id, ())),
                )
                for r in returns
            ),
            movements=tuple(MovementFact(m.kind, m.amount_cents) for m in self.movements(till_id)),
            abandoned_cents=tuple(int(v) for v in abandoned),
            drawer_openings=int(openings),
        )

    def _cancellations(
        self, till_id: str, sale_taxes: dict[str, list[TaxFact]]
    ) -> tuple[CancellationFact, ...]:
        """The session's cancellations, each with its refunds and the taxes of the sale it
        annulled (a sale of the same session: only those may be annulled)."""
        x, xr = t.sale_cancellations.c, t.sale_cancellation_refunds.c
        rows = self._conn.execute(
            select(x.id, x.sale_id, x.receipt_number, x.total_cents)
            .where(x.till_id == till_id)
            .order_by(x.cancelled_utc, x.id)
        ).all()
        refunds: dict[str, list[tuple[str, int]]] = {}
        for r in self._conn.execute(
            select(xr.cancellation_id, xr.kind, xr.amount_cents)
            .join(t.sale_cancellations, t.sale_cancellations.c.id == xr.cancellation_id)
            .where(x.till_id == till_id)
            .order_by(xr.cancellation_id, xr.position)
        ):
            refunds.setdefault(r.cancellation_id, []).append((r.kind, r.amount_cents))
        return tuple(
            CancellationFact(
                r.receipt_number,
                r.total_cents,
                tuple(refunds.get(r.id, ())),
                tuple(sale_taxes.get(r.sale_id, ())),
            )
            for r in rows
        )
