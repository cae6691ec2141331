"""The register's fiscal journal (VERI*FACTU, DESIGN section 9): one record per ticket, full
invoice, return and Z close, chained to the previous record of this register by its hashes
(``sync.fiscal``), stored and queued as ``fiscal.recorded`` inside the caller's unit of work, so
the record and the fact it records commit together or not at all.

A clock that runs behind the journal never stops a sale: the record takes the previous record's
time instead, and the manager's needs-attention list says the clock runs behind.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pos_app.domain.ids import new_id
from pos_app.services.errors import FiscalRecordUnreadable, NotConfigured
from pos_app.services.ports import StoreIdentity, UnitOfWork, UnitOfWorkFactory
from sync.fiscal import (
    amount_text,
    cents_of,
    date_text,
    generated_text,
    journal_hash,
    record_fingerprint,
    verify_chain,
)
from sync.protocol import EventType, FiscalRecordPayload, FiscalRecordType, InvoiceType

log = logging.getLogger(__name__)

SourceKind = Literal["sale", "return", "invoice", "till_close", "cancellation"]


def _record_time(uow: UnitOfWork, previous: FiscalRecordPayload | None, at: datetime) -> datetime:
    """The later of ``at`` and the previous record's time; a clock behind raises the alarm."""
    at = at.replace(microsecond=0)
    if previous is None:
        return at
    before = datetime.fromisoformat(previous.generated_at)
    if at >= before:
        return at
    raised = uow.fiscal.raise_clock_alarm(
        f"The register's clock ({generated_text(at)}) is behind its last fiscal record "
        f"({previous.generated_at}, no. {previous.chain_seq}): records take that time until "
        "the clock is set right.",
        at=at,
    )
    if raised:
        log.warning("clock behind the fiscal journal: %s < %s", at, previous.generated_at)
    return before.astimezone(at.tzinfo)


def _append(
    uow: UnitOfWork,
    identity: StoreIdentity,
    *,
    record_type: FiscalRecordType,
    invoice_type: InvoiceType | None,
    series_number: str,
    tax_cents: int,
    total_cents: int,
    source_kind: SourceKind,
    source_id: str,
    at: datetime,
    rectified: Sequence[str] = (),
    replaced: Sequence[str] = (),
    recipient_tax_id: str = "",
    recipient_name: str = "",
    recipient_address: Sequence[str] = (),
    issue_date: str | None = None,
) -> FiscalRecordPayload:
    if not identity.tax_id.strip():
        # No ticket without its issuer: refused, and the caller's transaction writes nothing.
        raise NotConfigured("the store's tax id (NIF), needed on every fiscal record")
    previous = uow.fiscal.last()
    # A register taken over from another machine starts after the backend's last record.
    anchor = uow.fiscal.anchor() if previous is None else None
    when = _record_time(uow, previous, at)
    draft = FiscalRecordPayload(
        record_id=new_id(),
        store_code=identity.store_code,
        register_code=identity.register_code,
        chain_seq=(anchor.chain_seq if anchor else 0) + 1
        if previous is None
        else previous.chain_seq + 1,
        record_type=record_type,
        invoice_type=invoice_type,
        issuer_tax_id=identity.tax_id,
        series_number=series_number,
        issue_date=issue_date if issue_date is not None else date_text(when.date()),
        tax_total=amount_text(tax_cents),
        amount_total=amount_text(total_cents),
        previous_fingerprint="" if record_type == "cierre" else uow.fiscal.last_fingerprint(),
        generated_at=generated_text(when),
        journal_previous=(anchor.journal_hash if anchor else "")
        if previous is None
        else previous.journal_hash,
        journal_hash="0" * 64,  # computed below, over every other field
        source_kind=source_kind,
        source_id=source_id,
        rectified=list(rectified),
        replaced=list(replaced),
        recipient_tax_id=recipient_tax_id,
        recipient_name=recipient_name,
    )
    with_fingerprint = draft.model_copy(update={"fingerprint": record_fingerprint(draft)})
    record = with_fingerprint.model_copy(update={"journal_hash": journal_hash(with_fingerprint)})
    uow.fiscal.add(record, recipient_address=recipient_address)
    uow.outbox.add(EventType.FISCAL_RECORDED.value, record.model_dump(mode="json"), occurred_at=at)
    return record


def append_record(
    uow: UnitOfWork,
    identity: StoreIdentity,
    *,
    invoice_type: InvoiceType,
    series_number: str,
    tax_cents: int,
    total_cents: int,
    source_kind: SourceKind,
    source_id: str,
    at: datetime,
    record_type: FiscalRecordType = "alta",
    rectified: Sequence[str] = (),
    replaced: Sequence[str] = (),
    recipient_tax_id: str = "",
    recipient_name: str = "",
    recipient_address: Sequence[str] = (),
) -> FiscalRecordPayload:
    """Inside the caller's unit of work (not committed here): the billing record of a ticket
    (F2), full invoice (F1, F3) or return (R5, amounts negative: by differences), chained to
    the register's last record, stored, and queued as ``fiscal.recorded``."""
    return _append(
        uow,
        identity,
        record_type=record_type,
        invoice_type=invoice_type,
        series_number=series_number,
        tax_cents=tax_cents,
        total_cents=total_cents,
        source_kind=source_kind,
        source_id=source_id,
        at=at,
        rectified=rectified,
        replaced=replaced,
        recipient_tax_id=recipient_tax_id,
        recipient_name=recipient_name,
        recipient_address=recipient_address,
    )


def record_till_close(
    uow: UnitOfWork,
    identity: StoreIdentity,
    *,
    z_number: str,
    till_id: str,
    total_cents: int,
    tax_cents: int,
    at: datetime,
) -> FiscalRecordPayload:
    """Inside the caller's unit of work: the Z close's record (``cierre``: in the journal
    chain, no huella), ``series_number`` the Z number, ``source_id`` the till session."""
    return _append(
        uow,
        identity,
        record_type="cierre",
        invoice_type=None,
        series_number=z_number,
        tax_cents=tax_cents,
        total_cents=total_cents,
        source_kind="till_close",
        source_id=till_id,
        at=at,
    )


def record_cancellation(
    uow: UnitOfWork,
    identity: StoreIdentity,
    *,
    annulled: FiscalRecordPayload,
    cancellation_id: str,
    at: datetime,
) -> FiscalRecordPayload:
    """Inside the caller's unit of work: the "anulacion" record of the ticket ``annulled``
    (its own record), chained like any billing record. Its huella names the annulled ticket
    (``series_number`` and ``issue_date`` are the ticket's: NumSerieFacturaAnulada,
    FechaExpedicionFacturaAnulada); ``source_id`` is the cancellation. Its amounts, which the
    huella does not cover, are the ticket's with their sign changed: what the cancellation
    takes off, so that a session's billing records add up to its net total."""
    return _append(
        uow,
        identity,
        record_type="anulacion",
        invoice_type=None,
        series_number=annulled.series_number,
        tax_cents=-cents_of(annulled.tax_total),
        total_cents=-cents_of(annulled.amount_total),
        source_kind="cancellation",
        source_id=cancellation_id,
        at=at,
        issue_date=annulled.issue_date,
    )


@dataclass(frozen=True, slots=True)
class JournalVerified:
    """What ``verify_journal`` found: how many records, and the first break (None: whole)."""

    count: int
    problem: str | None
    # A register taken over from another machine: the backend's last record when it did,
    # which the first local record follows (0: the journal starts at record 1).
    starts_after: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_journal(uow_factory: UnitOfWorkFactory) -> JournalVerified:
    """Recompute the register's whole journal, in ``chain_seq`` order, from the first record
    (or from the anchor of a register taken over from another machine)."""
    with uow_factory.reader() as uow:
        count = uow.fiscal.count()
        anchor = uow.fiscal.anchor()
        try:
            problem = verify_chain(uow.fiscal.records(), after=anchor)
        except FiscalRecordUnreadable as exc:  # edited by hand into something not a record
            problem = str(exc)
    return JournalVerified(count, problem, anchor.chain_seq if anchor else 0)
