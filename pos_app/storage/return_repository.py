"""Returns as the register stores them: rectifying tickets, their lines, refunds, print log."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select

from pos_app.domain.returns import ReturnLineRecord, ReturnRecord, ReturnRefundRecord
from pos_app.services.ports import SaleSummary
from pos_app.storage import tables as t
from pos_app.storage.repositories import from_milli, to_milli, utc_text


class SqlReturnRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, record: ReturnRecord, *, return_year: int, return_seq: int) -> None:
        self._conn.execute(
            t.returns.insert().values(
                id=record.return_id,
                return_number=record.return_number,
                return_year=return_year,
                return_seq=return_seq,
                store_code=record.store_code,
                register_code=record.register_code,
                cashier=record.cashier,
                completed_at=record.completed_at.isoformat(timespec="microseconds"),
                completed_utc=utc_text(record.completed_at),
                currency=record.currency,
                original_kind=record.original_kind,
                original_reference=record.original_reference,
                original_id=record.original_id,
                original_store_code=record.original_store_code,
                checked=int(record.checked),
                gift_receipt=int(record.gift_receipt),
                approved_by=record.approved_by,
                customer_id=record.customer_id,
                total_cents=record.total_cents,
                tax_cents=record.tax_cents,
            )
        )
        self._conn.execute(
            t.return_lines.insert(),
            [
                {
                    "return_id": record.return_id,
                    "line_no": line.line_no,
                    "original_line_no": line.original_line_no,
                    "product_id": line.product_id,
                    "sku": line.sku,
                    "name": line.name,
                    "measure": line.measure,
                    "quantity_milli": to_milli(line.quantity),
                    "unit_refund_cents": line.unit_refund_cents,
                    "refund_cents": line.refund_cents,
                    "tax_class": line.tax_class,
                    "tax_rate": str(line.tax_rate),
                    "base_cents": line.base_cents,
                    "tax_cents": line.tax_cents,
                    "reason": line.reason,
                    "disposition": line.disposition,
                }
                for line in record.lines
            ],
        )
        self._conn.execute(
            t.return_refunds.insert(),
            [
                {
                    "id": refund.refund_id,
                    "return_id": record.return_id,
                    "position": i,
                    "kind": refund.kind,
                    "amount_cents": refund.amount_cents,
                    "reference": refund.reference,
                }
                for i, refund in enumerate(record.refunds)
            ],
        )

    def _load(self, row: Any) -> ReturnRecord:
        lines = tuple(
            ReturnLineRecord(
                line_no=r.line_no,
                original_line_no=r.original_line_no,
                product_id=r.product_id,
                sku=r.sku,
                name=r.name,
                measure=r.measure,
                quantity=from_milli(r.quantity_milli),
                unit_refund_cents=r.unit_refund_cents,
                refund_cents=r.refund_cents,
                tax_class=r.tax_class,
                tax_rate=Decimal(r.tax_rate),
                base_cents=r.base_cents,
                tax_cents=r.tax_cents,
                reason=r.reason,
                disposition=r.disposition,
            )
            for r in self._conn.execute(
                select(t.return_lines)
                .where(t.return_lines.c.return_id == row.id)
                .order_by(t.return_lines.c.line_no)
            )
        )
        refunds = tuple(
            ReturnRefundRecord(r.id, r.kind, r.amount_cents, r.reference)
            for r in self._conn.execute(
                select(t.return_refunds)
                .where(t.return_refunds.c.return_id == row.id)
                .order_by(t.return_refunds.c.position)
            )
        )
        return ReturnRecord(
            return_id=row.id,
            return_number=row.return_number,
            store_code=row.store_code,
            register_code=row.register_code,
            cashier=row.cashier,
            completed_at=datetime.fromisoformat(row.completed_at),
            currency=row.currency,
            original_kind=row.original_kind,
            original_reference=row.original_reference,
            original_id=row.original_id,
            original_store_code=row.original_store_code,
            checked=bool(row.checked),
            gift_receipt=bool(row.gift_receipt),
            approved_by=row.approved_by,
            customer_id=row.customer_id,
            lines=lines,
            refunds=refunds,
        )

    def get(self, return_id: str) -> ReturnRecord | None:
        row = self._conn.execute(select(t.returns).where(t.returns.c.id == return_id)).first()
        return None if row is None else self._load(row)

    def list_between(self, start: datetime, end: datetime) -> list[SaleSummary]:
        """The returns completed in [start, end), newest first, as rows of the day's list:
        ``sale_id`` the return id, ``receipt_number`` its number, the total negative."""
        rt, rl, rf = t.returns.c, t.return_lines.c, t.return_refunds.c
        items = (
            select(rl.return_id, func.sum(rl.quantity_milli).label("milli"))
            .group_by(rl.return_id)
            .subquery()
        )
        kinds = (
            select(rf.return_id, func.group_concat(rf.kind.distinct()).label("kinds"))
            .group_by(rf.return_id)
            .subquery()
        )
        rows = self._conn.execute(
            select(
                rt.id,
                rt.return_number,
                rt.completed_at,
                rt.cashier,
                rt.total_cents,
                rt.original_reference,
                items.c.milli,
                kinds.c.kinds,
            )
            .outerjoin(items, items.c.return_id == rt.id)
            .outerjoin(kinds, kinds.c.return_id == rt.id)
            .where(rt.completed_utc >= utc_text(start), rt.completed_utc < utc_text(end))
            .order_by(rt.completed_utc.desc())
        ).all()
        return [
            SaleSummary(
                sale_id=r.id,
                receipt_number=r.return_number,
                completed_at=datetime.fromisoformat(r.completed_at),
                cashier=r.cashier,
                total_cents=-int(r.total_cents),
                item_count=from_milli(int(r.milli or 0)),
                tenders="+".join(sorted(r.kinds.split(","))) if r.kinds else "",
                kind="return",
                original_reference=r.original_reference,
            )
            for r in rows
        ]

    def returned_quantities(self, original_reference: str) -> dict[int, Decimal]:
        """Per original line number, what this register's returns of the original took back."""
        rows = self._conn.execute(
            select(
                t.return_lines.c.original_line_no,
                func.sum(t.return_lines.c.quantity_milli).label("milli"),
            )
            .join(t.returns, t.returns.c.id == t.return_lines.c.return_id)
            .where(t.returns.c.original_reference == original_reference)
            .where(t.return_lines.c.original_line_no.is_not(None))
            .group_by(t.return_lines.c.original_line_no)
        ).all()
        return {int(r.original_line_no): from_milli(int(r.milli)) for r in rows}

    def unsynced_returned_quantities(self, original_reference: str) -> dict[int, Decimal]:
        """As ``returned_quantities``, for the returns whose ``return.completed`` event has not
        reached the backend yet (still pending in the outbox): the backend's figures miss them."""
        payloads = self._conn.execute(
            select(t.outbox.c.payload)
            .where(t.outbox.c.event_type == "return.completed")
            .where(t.outbox.c.state == "pending")
            .where(
                func.json_extract(t.outbox.c.payload, "$.original_reference") == original_reference
            )
        ).scalars()
        quantities: dict[int, Decimal] = {}
        for payload in payloads:
            for line in json.loads(payload).get("lines", []):
                line_no = line.get("original_line_no")
                if line_no is not None:
                    quantities[line_no] = quantities.get(line_no, Decimal(0)) + Decimal(
                        line["quantity"]
                    )
        return quantities

    def refunded_by_kind(self, original_reference: str) -> dict[str, int]:
        """Per tender kind, what this register's returns of the original refunded."""
        rows = self._conn.execute(
            select(
                t.return_refunds.c.kind,
                func.sum(t.return_refunds.c.amount_cents).label("cents"),
            )
            .join(t.returns, t.returns.c.id == t.return_refunds.c.return_id)
            .where(t.returns.c.original_reference == original_reference)
            .group_by(t.return_refunds.c.kind)
        ).all()
        return {str(r.kind): int(r.cents) for r in rows}

    def add_print(
        self,
        *,
        return_id: str,
        at: datetime,
        copy: bool,
        ok: bool,
        error: str,
        maybe_printed: bool = False,
    ) -> None:
        self._conn.execute(
            t.return_prints.insert().values(
                return_id=return_id,
                printed_at=at.isoformat(timespec="microseconds"),
                copy=int(copy),
                ok=int(ok),
                error=error,
                maybe_printed=int(maybe_printed),
            )
        )

    def print_count(self, return_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.return_prints)
                .where(t.return_prints.c.return_id == return_id)
            ).scalar_one()
        )
