"""The registers' journals of fiscal records (issue 8, DESIGN section 9) at the backend.

A register pushes every record of its journal as ``fiscal.recorded``, in ``chain_seq`` order
(its outbox keeps order). The push writer (``push.py``) decides a group's records here, on
``FiscalGroup``, register by register, each record against the one before it (held by the
backend, or earlier in the same group):

- its two hashes are recomputed (``sync.fiscal.verify_record``): one that does not match is
  applied as a conflict ``journal_broken``;
- it must be the next of its register (``chain_seq`` = last + 1): records missing before it are
  a conflict ``journal_gap``; one arriving after a later one (reordered) is ``journal_broken``;
- it must link to the last record held: ``journal_previous`` = the last journal hash, and, for a
  billing record, ``previous_fingerprint`` = the huella of the last billing record, else
  ``journal_broken``.

A conflicting record is kept all the same (it is a fact; a manager must look). A record id
taken before, or a ``chain_seq`` the backend already holds with another record (the register's
journal forked: a database restored from an old copy?), is rejected: the first one stands.
A replacement invoice (F3) naming a ticket that an F3 held before (or earlier in the group)
already replaced is kept as a conflict ``already_replaced``: a ticket is replaced only once.

Every billing record kept is queued for the tax agency's sender (``aeat_sender.py``); a Z close
("cierre") is in the journal only.

The device row of the register is locked by the push writer before anything here is read, so
two server processes never decide records of one register at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select

from sync.fiscal import verify_chain, verify_record
from sync.protocol import FiscalRecordPayload
from sync.server.errors import CommandError
from sync.server.services._sql import dumps, one_of, upsert
from sync.server.tables import fiscal_chains, fiscal_records, fiscal_send_queue

JOURNAL_BROKEN = "journal_broken"
JOURNAL_GAP = "journal_gap"
ALREADY_REPLACED = "already_replaced"
BILLING_TYPES = ("alta", "anulacion")  # what the tax agency receives


@dataclass(slots=True)
class ChainState:
    """Where a register's journal stands: the highest record held and what the next links to."""

    last_seq: int = 0
    journal_hash: str = ""
    fingerprint: str = ""  # of the last billing record
    changed: bool = False


@dataclass(frozen=True, slots=True)
class RecordDecision:
    """A rejection (code, message), or the conflicts of a record that is kept."""

    rejected: tuple[str, str] | None = None
    conflicts: tuple[tuple[str, str], ...] = ()


class FiscalGroup:
    """The fiscal records of one push group: read once, decided in event order, written once."""

    def __init__(self) -> None:
        self._devices: set[str] = set()
        self._record_ids: set[str] = set()
        self.chains: dict[str, ChainState] = {}
        self._held_ids: set[str] = set()  # record ids held before the group or taken in it
        self._held_seqs: dict[tuple[str, int], str] = {}  # (device, seq) -> record id
        self._wanted_seqs: dict[str, set[int]] = {}
        self._wanted_replaced: dict[tuple[str, str], set[str]] = {}  # (store, register) -> nos.
        self._replaced_by: dict[str, str] = {}  # ticket number -> the F3 that replaced it
        self.records: list[dict[str, Any]] = []
        self.queue: list[dict[str, Any]] = []

    def want(self, device_id: str, record: FiscalRecordPayload | None) -> None:
        if record is None:
            return
        self._devices.add(device_id)
        self._record_ids.add(record.record_id)
        self._wanted_seqs.setdefault(device_id, set()).add(record.chain_seq)
        if record.invoice_type == "F3" and record.replaced:
            key = (record.store_code, record.register_code)
            self._wanted_replaced.setdefault(key, set()).update(record.replaced)

    def load(self, conn: Connection) -> None:
        if not self._devices:
            return
        devices = sorted(self._devices)
        for row in conn.execute(
            select(fiscal_chains).where(one_of(conn, fiscal_chains.c.device_id, devices))
        ):
            self.chains[row.device_id] = ChainState(
                int(row.last_chain_seq), row.last_journal_hash, row.last_fingerprint
            )
        self._held_ids.update(
            conn.execute(
                select(fiscal_records.c.id).where(
                    one_of(conn, fiscal_records.c.id, sorted(self._record_ids))
                )
            ).scalars()
        )
        for device_id, seqs in sorted(self._wanted_seqs.items()):
            for seq, record_id in conn.execute(
                select(fiscal_records.c.chain_seq, fiscal_records.c.id).where(
                    fiscal_records.c.device_id == device_id,
                    fiscal_records.c.chain_seq.in_(sorted(seqs)),
                )
            ):
                self._held_seqs[(device_id, int(seq))] = record_id
        self._load_replaced(conn)

    def _load_replaced(self, conn: Connection) -> None:
        """The F3 records held that replaced any ticket an F3 of the group names (a register
        replaces its own tickets: its store and register codes narrow the search)."""
        for (store_code, register_code), numbers in sorted(self._wanted_replaced.items()):
            wanted = sorted(numbers)
            rows = conn.execute(
                select(fiscal_records.c.series_number, fiscal_records.c.replaced)
                .where(
                    fiscal_records.c.store_code == store_code,
                    fiscal_records.c.register_code == register_code,
                    fiscal_records.c.invoice_type == "F3",
                    or_(
                        *(
                            fiscal_records.c.replaced.contains(dumps(n), autoescape=True)
                            for n in wanted
                        )
                    ),
                )
                .order_by(fiscal_records.c.chain_seq)
            )
            for series_number, replaced in rows:
                for number in json.loads(replaced):
                    if number in numbers:
                        self._replaced_by.setdefault(number, series_number)

    def take(
        self,
        *,
        device_id: str,
        store_code: str,
        register_code: str,
        record: FiscalRecordPayload,
        event_id: str,
        now: datetime,
    ) -> RecordDecision:
        if record.record_type == "alta" and record.invoice_type is None:
            return RecordDecision(
                rejected=(
                    "invalid_payload",
                    f"record {record.chain_seq} ({record.series_number}): an issue record "
                    "(alta) names its invoice_type",
                )
            )
        if record.record_id in self._held_ids:
            return RecordDecision(
                rejected=(
                    "duplicate_record",
                    f"record {record.record_id} ({record.series_number}) was already received "
                    "in another event: the first one stands",
                )
            )
        held = self._held_seqs.get((device_id, record.chain_seq))
        if held is not None:
            return RecordDecision(
                rejected=(
                    "journal_fork",
                    f"record {record.chain_seq} of this register is already held (record "
                    f"{held}); {record.record_id} ({record.series_number}) is another record "
                    "with the same number: the register's journal forked (restored from an old "
                    "copy?). The first one stands; a manager must look",
                )
            )
        chain = self.chains.setdefault(device_id, ChainState())
        conflicts = _check(record, chain)
        if record.invoice_type == "F3":
            conflicts.extend(self._check_replaced(record))
        if record.chain_seq > chain.last_seq:
            chain.last_seq = record.chain_seq
            chain.journal_hash = record.journal_hash
            if record.record_type in BILLING_TYPES:
                chain.fingerprint = record.fingerprint
            chain.changed = True
        self._held_ids.add(record.record_id)
        self._held_seqs[(device_id, record.chain_seq)] = record.record_id
        self.records.append(
            {
                "id": record.record_id,
                "store_code": store_code,
                "device_id": device_id,
                "register_code": register_code,
                "chain_seq": record.chain_seq,
                "record_type": record.record_type,
                "invoice_type": record.invoice_type,
                "issuer_tax_id": record.issuer_tax_id,
                "series_number": record.series_number,
                "issue_date": record.issue_date,
                "tax_total": record.tax_total,
                "amount_total": record.amount_total,
                "previous_fingerprint": record.previous_fingerprint,
                "fingerprint": record.fingerprint,
                "generated_at": record.generated_at,
                "journal_previous": record.journal_previous,
                "journal_hash": record.journal_hash,
                "source_kind": record.source_kind,
                "source_id": record.source_id,
                "rectified": dumps(record.rectified),
                "replaced": dumps(record.replaced),
                "recipient_tax_id": record.recipient_tax_id,
                "recipient_name": record.recipient_name,
                "conflict": conflicts[0][0] if conflicts else None,
                "event_id": event_id,
                "received_at": now,
            }
        )
        if record.record_type in BILLING_TYPES:
            self.queue.append(
                {
                    "record_id": record.record_id,
                    "state": "pending",
                    "attempts": 0,
                    "last_error": "",
                    "queued_at": now,
                    "next_attempt_at": now,
                    "sent_at": None,
                    "updated_at": now,
                }
            )
        return RecordDecision(conflicts=tuple(conflicts))

    def _check_replaced(self, record: FiscalRecordPayload) -> list[tuple[str, str]]:
        """An F3's tickets already replaced by another F3, as a conflict; the tickets it is
        the first to replace are taken by it."""
        taken = {n: self._replaced_by[n] for n in record.replaced if n in self._replaced_by}
        for number in record.replaced:
            self._replaced_by.setdefault(number, record.series_number)
        if not taken:
            return []
        named = ", ".join(f"{n} (by {by})" for n, by in taken.items())
        return [
            (
                ALREADY_REPLACED,
                f"record {record.chain_seq} ({record.series_number}) replaces tickets already "
                f"replaced: {named}; a ticket is replaced only once. The record was kept, a "
                "manager must look",
            )
        ]

    def write(self, conn: Connection, now: datetime) -> None:
        if self.records:
            conn.execute(insert(fiscal_records), self.records)
        if self.queue:
            conn.execute(insert(fiscal_send_queue), self.queue)
        changed = [
            {
                "device_id": device_id,
                "last_chain_seq": chain.last_seq,
                "last_journal_hash": chain.journal_hash,
                "last_fingerprint": chain.fingerprint,
                "updated_at": now,
            }
            for device_id, chain in sorted(self.chains.items())
            if chain.changed
        ]
        upsert(
            conn,
            fiscal_chains,
            changed,
            conflict=("device_id",),
            update=("last_chain_seq", "last_journal_hash", "last_fingerprint", "updated_at"),
        )


def _check(record: FiscalRecordPayload, chain: ChainState) -> list[tuple[str, str]]:
    """What is wrong with ``record`` after ``chain`` (the record before it), as conflicts."""
    conflicts: list[tuple[str, str]] = []
    name = f"record {record.chain_seq} ({record.series_number})"
    expected = chain.last_seq + 1
    if record.chain_seq > expected:
        missing = (
            f"record {expected} is"
            if record.chain_seq == expected + 1
            else f"records {expected} to {record.chain_seq - 1} are"
        )
        conflicts.append(
            (
                JOURNAL_GAP,
                f"{name}: {missing} missing before it at the backend (deleted at the register?)"
                "; the record was kept, a manager must look",
            )
        )
    elif record.chain_seq < expected:
        conflicts.append(
            (
                JOURNAL_BROKEN,
                f"{name} arrived after record {chain.last_seq}: the journal's order was changed"
                "; the record was kept, a manager must look",
            )
        )
    else:
        if record.journal_previous != chain.journal_hash:
            conflicts.append(
                (
                    JOURNAL_BROKEN,
                    f"{name} is not linked to the record before it (journal hash); the record "
                    "was kept, a manager must look",
                )
            )
        elif record.record_type in BILLING_TYPES and record.previous_fingerprint != (
            chain.fingerprint
        ):
            conflicts.append(
                (
                    JOURNAL_BROKEN,
                    f"{name}: its huella does not follow the previous billing record's; the "
                    "record was kept, a manager must look",
                )
            )
    wrong = verify_record(record)
    if wrong is not None:
        conflicts.insert(0, (JOURNAL_BROKEN, f"{wrong}; the record was kept, a manager must look"))
    return conflicts


# --- reading (the CLI) ----------------------------------------------------------------------

_PAYLOAD_FIELDS = tuple(
    name for name in FiscalRecordPayload.model_fields if name not in ("rectified", "replaced")
)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    record: FiscalRecordPayload
    conflict: str | None
    received_at: datetime


def record_of_row(row: Any) -> FiscalRecordPayload:
    values = {name: getattr(row, "id" if name == "record_id" else name) for name in _PAYLOAD_FIELDS}
    values["rectified"] = json.loads(row.rectified)
    values["replaced"] = json.loads(row.replaced)
    return FiscalRecordPayload.model_validate(values)


def read_journal(conn: Connection, store_code: str, register_code: str) -> list[JournalEntry]:
    """Every record the backend holds of a register, in ``chain_seq`` order."""
    store_code, register_code = store_code.strip().upper(), register_code.strip().upper()
    rows = conn.execute(
        select(fiscal_records)
        .where(
            fiscal_records.c.store_code == store_code,
            fiscal_records.c.register_code == register_code,
        )
        .order_by(fiscal_records.c.chain_seq, fiscal_records.c.received_at)
    ).all()
    if not rows:
        raise CommandError(f"no fiscal records of register {store_code}/{register_code}")
    return [JournalEntry(record_of_row(row), row.conflict, row.received_at) for row in rows]


def verify_journal(entries: Iterable[JournalEntry]) -> str | None:
    """The first break of the journal (``sync.fiscal.verify_chain``), or None."""
    return verify_chain(entry.record for entry in entries)
