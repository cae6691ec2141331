"""The register's fiscal journal (VERI*FACTU): its records, in ``chain_seq`` order, only ever
added (the database refuses edits and deletes), and the manager's clock alarm."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, func, insert, select

from pos_app.services.errors import FiscalRecordUnreadable
from pos_app.storage import tables as t
from sync.protocol import ChainPosition, FiscalRecordPayload

CLOCK_ALARM_EVENT = "fiscal.clock"
CLOCK_ALARM_CODE = "clock_behind"


def _record(row: Any) -> FiscalRecordPayload:
    try:
        return _parse(row)
    except (ValidationError, ValueError, TypeError) as exc:
        first = exc.errors()[0] if isinstance(exc, ValidationError) else None
        reason = f"{'.'.join(map(str, first['loc']))}: {first['msg']}" if first else str(exc)
        raise FiscalRecordUnreadable(row.chain_seq, reason) from exc


def _parse(row: Any) -> FiscalRecordPayload:
    return FiscalRecordPayload(
        record_id=row.record_id,
        store_code=row.store_code,
        register_code=row.register_code,
        chain_seq=row.chain_seq,
        record_type=row.record_type,
        invoice_type=row.invoice_type,
        issuer_tax_id=row.issuer_tax_id,
        series_number=row.series_number,
        issue_date=row.issue_date,
        tax_total=row.tax_total,
        amount_total=row.amount_total,
        previous_fingerprint=row.previous_fingerprint,
        fingerprint=row.fingerprint,
        generated_at=row.generated_at,
        journal_previous=row.journal_previous,
        journal_hash=row.journal_hash,
        source_kind=row.source_kind,
        source_id=row.source_id,
        rectified=json.loads(row.rectified),
        replaced=json.loads(row.replaced),
        recipient_tax_id=row.recipient_tax_id,
        recipient_name=row.recipient_name,
    )


class SqlFiscalRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def last(self) -> FiscalRecordPayload | None:
        """The register's newest record (any type), or None before the first."""
        row = self._conn.execute(
            select(t.fiscal_records).order_by(t.fiscal_records.c.chain_seq.desc()).limit(1)
        ).first()
        return None if row is None else _record(row)

    def last_fingerprint(self) -> str:
        """The huella of the newest billing record (Z closes are none); before the first, the
        anchor's (a register taken over), else ""."""
        value = self._conn.execute(
            select(t.fiscal_records.c.fingerprint)
            .where(t.fiscal_records.c.record_type != "cierre")
            .order_by(t.fiscal_records.c.chain_seq.desc())
            .limit(1)
        ).scalar()
        if value is None:
            anchor = self.anchor()
            return "" if anchor is None else anchor.fingerprint
        return str(value)

    def anchor(self) -> ChainPosition | None:
        """Where this register's journal starts when it was taken over from another machine
        (the backend's last record then); None for a journal that starts at record 1."""
        row = self._conn.execute(select(t.journal_anchor)).first()
        if row is None:
            return None
        return ChainPosition(
            chain_seq=row.chain_seq, journal_hash=row.journal_hash, fingerprint=row.fingerprint
        )

    def set_anchor(self, anchor: ChainPosition, *, replaced_device_id: str, at: datetime) -> None:
        """Record where the journal starts (once: the table refuses a second row or an edit)."""
        self._conn.execute(
            insert(t.journal_anchor).values(
                id=1,
                chain_seq=anchor.chain_seq,
                journal_hash=anchor.journal_hash,
                fingerprint=anchor.fingerprint,
                replaced_device_id=replaced_device_id,
                taken_over_at=at.isoformat(),
            )
        )

    def add(self, record: FiscalRecordPayload, *, recipient_address: Sequence[str] = ()) -> None:
        values = record.model_dump(mode="json")
        values["rectified"] = json.dumps(record.rectified, ensure_ascii=False)
        values["replaced"] = json.dumps(record.replaced, ensure_ascii=False)
        values["recipient_address"] = json.dumps(list(recipient_address), ensure_ascii=False)
        self._conn.execute(insert(t.fiscal_records), values)  # one compiled statement

    def for_source(self, source_kind: str, source_id: str) -> FiscalRecordPayload | None:
        """The record of a sale, return, invoice or Z close (its newest, when several)."""
        row = self._conn.execute(
            select(t.fiscal_records)
            .where(
                t.fiscal_records.c.source_kind == source_kind,
                t.fiscal_records.c.source_id == source_id,
            )
            .order_by(t.fiscal_records.c.chain_seq.desc())
            .limit(1)
        ).first()
        return None if row is None else _record(row)

    def replacement_of(self, series_number: str) -> FiscalRecordPayload | None:
        """The replacement invoice (F3) that names ticket ``series_number`` among the ones it
        replaced (the first, should there be several), or None. Replacement invoices are the
        records of source ``invoice``: the source index finds them."""
        quoted = json.dumps(series_number, ensure_ascii=False)
        rows = self._conn.execute(
            select(t.fiscal_records)
            .where(
                t.fiscal_records.c.source_kind == "invoice",
                t.fiscal_records.c.invoice_type == "F3",
                t.fiscal_records.c.replaced.contains(quoted, autoescape=True),
            )
            .order_by(t.fiscal_records.c.chain_seq)
        ).all()
        for row in rows:
            if series_number in json.loads(row.replaced):
                return _record(row)
        return None

    def is_cancelled(self, series_number: str) -> bool:
        """Whether the journal holds a cancellation (anulación) of ``series_number``."""
        found = self._conn.execute(
            select(t.fiscal_records.c.record_id)
            .where(
                t.fiscal_records.c.record_type == "anulacion",
                t.fiscal_records.c.series_number == series_number,
            )
            .limit(1)
        ).first()
        return found is not None

    def recipient_address(self, record_id: str) -> tuple[str, ...]:
        """The address of a full invoice's recipient, as printed on it (empty for a ticket)."""
        value = self._conn.execute(
            select(t.fiscal_records.c.recipient_address).where(
                t.fiscal_records.c.record_id == record_id
            )
        ).scalar()
        return tuple(json.loads(value)) if value else ()

    def count(self) -> int:
        return int(
            self._conn.execute(select(func.count()).select_from(t.fiscal_records)).scalar_one()
        )

    def records(self, *, batch: int = 1000) -> Iterator[FiscalRecordPayload]:
        """Every record in ``chain_seq`` order, read in batches (a journal holds years)."""
        after = -1
        while True:
            rows = self._conn.execute(
                select(t.fiscal_records)
                .where(t.fiscal_records.c.chain_seq > after)
                .order_by(t.fiscal_records.c.chain_seq)
                .limit(batch)
            ).all()
            if not rows:
                return
            for row in rows:
                yield _record(row)
            after = rows[-1].chain_seq

    def raise_clock_alarm(self, message: str, *, at: datetime) -> bool:
        """Put "the clock runs behind the journal" on the manager's needs-attention list,
        once until a manager marks it reviewed. Returns whether a new item was raised."""
        open_alarm = self._conn.execute(
            select(t.attention_items.c.id).where(
                t.attention_items.c.event_type == CLOCK_ALARM_EVENT,
                t.attention_items.c.resolved_at.is_(None),
            )
        ).first()
        if open_alarm is not None:
            return False
        self._conn.execute(
            insert(t.attention_items).values(
                seq=None,
                event_id=None,
                event_type=CLOCK_ALARM_EVENT,
                status="alarm",
                code=CLOCK_ALARM_CODE,
                message=message,
                payload="{}",
                created_at=at.isoformat(),
            )
        )
        return True
