"""Sending the billing records to the tax agency (AEAT, VERI*FACTU): the place for it.

Every billing record the backend keeps (``journal.py``) is queued in ``fiscal_send_queue`` as
``pending``. ``send_pending`` takes the records that are due, in the order they were queued,
hands them to a ``RecordSender`` as one batch and marks each one by the sender's answer:
``sent``, or ``failed`` with its error, the attempt counted and the next attempt put off
(``backoff``: 1, 2, 4... minutes, at most six hours). A failed record is tried again once due;
a sent one never again.

There is no live connection to the tax agency here. ``DirectorySender`` is the stand-in: it
writes each batch as a JSON file into a directory, for IT to inspect (and for a real sender to
replace: anything with ``send(records) -> results`` will do). Run it with
``mostrador-server send-records --to DIR``.

Two runners never send one record at once: a batch is claimed first (its records' next attempt
moved a lease ahead, in its own transaction), sent with no transaction open, then marked.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import bindparam, func, select, update

from sync.protocol import FiscalRecordPayload
from sync.server.database import Database
from sync.server.services._sql import utcnow
from sync.server.services.journal import record_of_row
from sync.server.tables import fiscal_records, fiscal_send_queue

log = logging.getLogger(__name__)

PENDING, SENT, FAILED = "pending", "sent", "failed"
CLAIM_LEASE = timedelta(minutes=5)  # how long a claimed batch is left alone by other runners
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class SendResult:
    """The answer for one record: accepted (``ok``), or refused or not delivered (``error``)."""

    record_id: str
    ok: bool
    error: str = ""


class RecordSender(Protocol):
    """Sends a batch of billing records; answers for each (a missing answer counts as failed).
    May raise: then the whole batch failed with that error."""

    def send(self, records: Sequence[FiscalRecordPayload]) -> Sequence[SendResult]: ...


class DirectorySender:
    """The stand-in for the tax agency: each batch becomes ``batch-<time>-<id>.json`` in
    ``directory`` (``{"records": [...]}``, each record as pushed by its register), written
    whole or not at all. Every record of a written batch is answered ``ok``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, records: Sequence[FiscalRecordPayload]) -> list[SendResult]:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"batch-{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.json"
        document = {"records": [record.model_dump(mode="json") for record in records]}
        partial = self.directory / f".{name}.part"
        partial.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(partial, self.directory / name)
        log.info("wrote %d record(s) to %s", len(records), self.directory / name)
        return [SendResult(record.record_id, True) for record in records]


@dataclass(frozen=True, slots=True)
class SendSummary:
    sent: int
    failed: int
    errors: tuple[str, ...] = ()  # "record_id: error", of the failed ones


def backoff(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failed attempt a record is tried again."""
    return min(timedelta(minutes=2 ** min(attempts - 1, 20)), MAX_BACKOFF)


def send_pending(
    db: Database, sender: RecordSender, limit: int = 100, *, now: datetime | None = None
) -> SendSummary:
    """Send up to ``limit`` due records (pending, or failed and due again) with ``sender``."""
    now = now or utcnow()
    with db.writing() as conn:
        claimed = conn.execute(
            select(fiscal_send_queue.c.record_id, fiscal_send_queue.c.attempts)
            .where(
                fiscal_send_queue.c.state.in_((PENDING, FAILED)),
                fiscal_send_queue.c.next_attempt_at <= now,
            )
            .order_by(fiscal_send_queue.c.queued_at, fiscal_send_queue.c.record_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if not claimed:
            return SendSummary(0, 0)
        attempts = {record_id: int(count) for record_id, count in claimed}
        ids = sorted(attempts)
        conn.execute(
            update(fiscal_send_queue)
            .where(fiscal_send_queue.c.record_id.in_(ids))
            .values(next_attempt_at=now + CLAIM_LEASE, updated_at=now)
        )
        rows = conn.execute(select(fiscal_records).where(fiscal_records.c.id.in_(ids))).all()
    by_id = {row.id: record_of_row(row) for row in rows}
    records = [by_id[record_id] for record_id, _ in claimed]
    try:
        answers = {result.record_id: result for result in sender.send(records)}
    except Exception as error:  # the whole batch failed; every record is tried again later
        log.warning("sending %d record(s) failed: %s", len(records), error)
        reason = f"{type(error).__name__}: {error}"
        answers = {r.record_id: SendResult(r.record_id, False, reason) for r in records}
    marks = []
    errors = []
    for record in records:
        answer = answers.get(record.record_id) or SendResult(
            record.record_id, False, "the sender gave no answer for this record"
        )
        tries = attempts[record.record_id] + 1
        if not answer.ok:
            errors.append(f"{record.record_id}: {answer.error}")
        marks.append(
            {
                "b_id": record.record_id,
                "b_state": SENT if answer.ok else FAILED,
                "b_attempts": tries,
                "b_error": "" if answer.ok else (answer.error or "refused"),
                "b_next": now if answer.ok else now + backoff(tries),
                "b_sent": now if answer.ok else None,
                "b_now": now,
            }
        )
    with db.writing() as conn:
        conn.execute(
            update(fiscal_send_queue)
            .where(fiscal_send_queue.c.record_id == bindparam("b_id"))
            .values(
                state=bindparam("b_state"),
                attempts=bindparam("b_attempts"),
                last_error=bindparam("b_error"),
                next_attempt_at=bindparam("b_next"),
                sent_at=bindparam("b_sent"),
                updated_at=bindparam("b_now"),
            ),
            marks,
        )
    return SendSummary(len(records) - len(errors), len(errors), tuple(errors))


@dataclass(frozen=True, slots=True)
class QueueCounts:
    pending: int
    sent: int
    failed: int


def queue_counts(db: Database) -> QueueCounts:
    with db.reading() as conn:
        counts: dict[str, int] = dict(
            conn.execute(
                select(fiscal_send_queue.c.state, func.count()).group_by(fiscal_send_queue.c.state)
            ).all()
        )
    return QueueCounts(
        int(counts.get(PENDING, 0)), int(counts.get(SENT, 0)), int(counts.get(FAILED, 0))
    )
