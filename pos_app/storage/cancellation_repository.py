"""Sale cancellations: a completed sale annulled (at most one cancellation per sale), what it
refunded in each tender, and what the service must know before it annuls one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, insert, select

from pos_app.domain.ids import new_id
from pos_app.storage import tables as t
from pos_app.storage.repositories import from_milli, utc_text


class SqlCancellationRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        *,
        cancellation_id: str,
        sale_id: str,
        receipt_number: str,
        at: datetime,
        cashier: str,
        approved_by: str,
        reason: str,
        total_cents: int,
        tax_cents: int,
        till_id: str | None,
        journal_record_id: str,
        refunds: Sequence[tuple[str, int, str]],  # (kind, cents, reference)
    ) -> None:
        """Mark ``sale_id`` cancelled (a second cancellation of it breaks the unique key)."""
        self._conn.execute(
            insert(t.sale_cancellations).values(
                id=cancellation_id,
                sale_id=sale_id,
                receipt_number=receipt_number,
                cancelled_at=at.isoformat(timespec="microseconds"),
                cancelled_utc=utc_text(at),
                cashier=cashier,
                approved_by=approved_by,
                reason=reason,
                total_cents=total_cents,
                tax_cents=tax_cents,
                till_id=till_id,
                journal_record_id=journal_record_id,
            )
        )
        if refunds:
            self._conn.execute(
                insert(t.sale_cancellation_refunds),
                [
                    {
                        "id": new_id(),
                        "cancellation_id": cancellation_id,
                        "position": position,
                        "kind": kind,
                        "amount_cents": cents,
                        "reference": reference,
                    }
                    for position, (kind, cents, reference) in enumerate(refunds)
                ],
            )

    def till_of_sale(self, sale_id: str) -> str | None:
        """The till session the sale fell in (None: before the till, or no such sale)."""
        value = self._conn.execute(
            select(t.sales.c.till_id).where(t.sales.c.id == sale_id)
        ).scalar()
        return None if value is None else str(value)

    def cancellation_of(self, sale_id: str) -> str | None:
        """The id of the sale's cancellation, or None when it stands."""
        value = self._conn.execute(
            select(t.sale_cancellations.c.id).where(t.sale_cancellations.c.sale_id == sale_id)
        ).scalar()
        return None if value is None else str(value)

    def has_return(self, receipt_number: str, sale_id: str) -> bool:
        """Whether a return of this register names the sale (by its number or its id)."""
        r = t.returns.c
        found = self._conn.execute(
            select(r.id)
            .where(
                r.original_kind == "sale",
                (r.original_reference == receipt_number) | (r.original_id == sale_id),
            )
            .limit(1)
        ).first()
        return found is not None

    def sale_movements(self, sale_id: str) -> list[tuple[str, Decimal]]:
        """The stock the sale took (product id, quantity taken: positive), one per line that
        moved stock. A pickup order's lines moved none here (the backend moved the order's
        reservation at the hand-over)."""
        m, p = t.stock_movements.c, t.products.c
        rows = self._conn.execute(
            select(p.id, m.delta_milli)
            .join(t.products, t.products.c.pk == m.product_pk)
            .where(m.reference == sale_id, m.reason == "sale")
            .order_by(m.created_at, m.id)
        ).all()
        return [(str(r.id), -from_milli(int(r.delta_milli))) for r in rows]

    def replaced_by_invoice(self, receipt_number: str) -> str | None:
        """The number of a replacement invoice (F3) that names the ticket, or None."""
        f = t.fiscal_records.c
        for series, replaced in self._conn.execute(
            select(f.series_number, f.replaced).where(
                f.invoice_type == "F3",
                f.replaced.like(f"%{json.dumps(receipt_number)[1:-1]}%"),
            )
        ):
            if receipt_number in json.loads(replaced):
                return str(series)
        return None
