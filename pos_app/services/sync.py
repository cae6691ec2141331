"""Sync at the register: the database side of pushing the outbox and pulling the change log.

The network calls are the sync worker's (on its own thread); every step here is one short
transaction run on the single database writer, so a first sync of a large catalog never holds
up a sale.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pos_app.services.errors import TakeoverRefused, UnsyncedEvents
from pos_app.services.ports import (
    AttentionItem,
    Clock,
    StoreIdentity,
    UnitOfWork,
    UnitOfWorkFactory,
)
from sync.protocol import (
    Change,
    EnrollResponse,
    OutboxEvent,
    PullResponse,
    PushResponse,
    RegisterContinuation,
)

log = logging.getLogger(__name__)

PUSH_BATCH = 500
# Changes per transaction of the running app's background pull. Re-applying a 1,000,000-product
# catalog while selling (tests/perf/sync.py), each part its own job for the database writer:
# sale commit p99 16-18 ms with parts of 100, 17-27 ms with 200; 40 ms with a page per job.
APPLY_CHUNK = 100


class SyncGateway(Protocol):
    """The backend as the register sees it (``sync.client.SyncClient`` satisfies it)."""

    def push(self, events: list[OutboxEvent]) -> PushResponse: ...
    def pull(self, since: str, limit: int = ...) -> PullResponse: ...
    def enroll(
        self, code: str, register_name: str, device_id: str | None = None
    ) -> EnrollResponse: ...


@dataclass(frozen=True, slots=True)
class SyncStatus:
    enrolled: bool
    online: bool | None  # None: not tried yet
    pending: int
    attention: int
    last_success_at: datetime | None
    last_error: str | None
    busy_elsewhere: bool = False  # another copy of the app syncs this database
    pulling: bool = False
    pulled_changes: int = 0


@dataclass(frozen=True, slots=True)
class PushRecorded:
    acknowledged: int
    attention: int
    expected_seq: int | None
    # Numbers (first, last) the backend expected but this outbox no longer had: the pending
    # events were renumbered to follow on from ``expected_seq``, ready to be pushed again.
    missing: tuple[tuple[int, int], ...] = ()


class SyncService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    # --- enrolment -----------------------------------------------------------------------
    def device_id(self) -> str | None:
        with self._uow_factory.reader() as uow:
            return uow.sync.state().device_id

    def save_enrollment(
        self, response: EnrollResponse, *, backend_url: str, register_name: str
    ) -> StoreIdentity:
        """Record who this register is for the backend, and its store identity, in one go."""
        store = response.store
        identity = StoreIdentity(
            store_code=store.code,
            register_code=response.register_code,
            store_name=store.name,
            tax_id=store.tax_id,
            address=tuple(store.address),
            currency=store.currency,
        )
        with self._uow_factory() as uow:
            previous = uow.sync.state()
            if previous.device_id not in (None, response.device_id):
                pending = uow.sync.pending_count()
                if pending:
                    raise UnsyncedEvents(pending)
            uow.sync.save_enrollment(
                device_id=response.device_id,
                backend_url=backend_url,
                register_name=register_name,
                at=self._clock.now(),
            )
            uow.catalog.set_identity(identity)
            if previous.device_id == response.device_id:
                uow.sync.set_cursor(previous.cursor, at=self._clock.now())
            if response.continuation is not None:
                self._continue_register(uow, response.continuation, identity)
            uow.commit()
        return identity

    def _continue_register(
        self, uow: UnitOfWork, continuation: RegisterContinuation, identity: StoreIdentity
    ) -> None:
        """A takeover (issue 9): this machine replaces another as the same register, so its
        series go on after the backend's last numbers and its journal after the backend's last
        record. A database whose journal already holds records continues only when it ends
        exactly where the backend's does (the old machine's database, restored and synced)."""
        chain = continuation.chain
        last = uow.fiscal.last()
        if last is None and uow.fiscal.anchor() is None:
            if chain.chain_seq > 0:
                uow.fiscal.set_anchor(
                    chain, replaced_device_id=continuation.replaced_device_id, at=self._clock.now()
                )
        elif last is None or (last.chain_seq, last.journal_hash) != (
            chain.chain_seq,
            chain.journal_hash,
        ):
            raise TakeoverRefused(
                identity.register_code,
                local=0 if last is None else last.chain_seq,
                backend=chain.chain_seq,
            )
        for position in continuation.series:
            uow.series.continue_after(position.series, position.last_number)
        log.info(
            "register %s/%s taken over from device %s: journal after record %d, %d series",
            identity.store_code,
            identity.register_code,
            continuation.replaced_device_id,
            chain.chain_seq,
            len(continuation.series),
        )

    # --- push ----------------------------------------------------------------------------
    def next_batch(self, limit: int = PUSH_BATCH) -> list[OutboxEvent]:
        with self._uow_factory.reader() as uow:
            pending = uow.sync.pending(limit)
        return [
            OutboxEvent(
                seq=p.seq,
                event_id=p.event_id,
                type=p.event_type,
                occurred_at=p.occurred_at,
                payload=p.payload,
            )
            for p in pending
        ]

    def record_push(self, response: PushResponse) -> PushRecorded:
        """Record the backend's answer to a push, in one transaction.

        A gap (``expected_seq``) that the outbox cannot fill, because its pending events start
        above the expected number, is closed here: those numbers are lost to both sides, so the
        pending events take the numbers from ``expected_seq`` on (their event ids unchanged)
        and a needs-attention item says which numbers were missing."""
        now = self._clock.now()
        missing: list[tuple[int, int]] = []
        with self._uow_factory() as uow:
            acknowledged, attention = uow.sync.acknowledge(response.results, at=now)
            if response.expected_seq is not None:
                missing = uow.sync.close_gap(response.expected_seq, at=now)
            uow.sync.mark_success(now)
            uow.commit()
        if attention:
            log.warning("%d event(s) need attention after push", attention)
        if missing:
            log.warning(
                "the backend expected event %d, which this register no longer has: events %s "
                "are missing; the pending events were renumbered from %d",
                response.expected_seq,
                ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in missing),
                response.expected_seq,
            )
        return PushRecorded(
            acknowledged, attention + bool(missing), response.expected_seq, tuple(missing)
        )

    # --- pull ----------------------------------------------------------------------------
    def cursor(self) -> str:
        with self._uow_factory.reader() as uow:
            return uow.sync.state().cursor

    def apply_pull(self, response: PullResponse, chunk: int = APPLY_CHUNK) -> int:
        """Apply a page of changes in short transactions, each also moving the cursor to its
        last change: a pull cut short (a crash, a closed app) resumes where it stopped."""
        applied = sum(self.apply_changes(part) for part in self.chunks(response, chunk))
        self.finish_pull(response)
        return applied

    @staticmethod
    def chunks(response: PullResponse, chunk: int = APPLY_CHUNK) -> list[list[Change]]:
        """The page cut into the parts that are each one transaction."""
        changes = response.changes
        return [changes[start : start + chunk] for start in range(0, len(changes), chunk)]

    def apply_changes(self, part: list[Change]) -> int:
        """One transaction: ``part`` applied and the cursor moved to its last change. The
        running app hands each to the database writer as its own job, so a sale waits for one
        part at most, never for a whole page."""
        with self._uow_factory() as uow:
            applied = uow.sync.apply(part)
            uow.sync.set_cursor(str(part[-1].seq), at=self._clock.now())
            uow.commit()
        return applied

    def finish_pull(self, response: PullResponse) -> None:
        """After the page's changes: the cursor the backend gave with it (which may jump past
        other stores' changes), and the time of this successful sync."""
        with self._uow_factory() as uow:
            uow.sync.set_cursor(response.cursor, at=self._clock.now())
            uow.sync.mark_success(self._clock.now())
            uow.commit()

    # --- state ---------------------------------------------------------------------------
    def record_error(self, message: str) -> None:
        with self._uow_factory() as uow:
            uow.sync.mark_error(message, self._clock.now())
            uow.commit()

    def status(self, *, online: bool | None = None, busy_elsewhere: bool = False) -> SyncStatus:
        with self._uow_factory.reader() as uow:
            state = uow.sync.state()
            return SyncStatus(
                enrolled=state.enrolled,
                online=online,
                pending=uow.sync.pending_count(),
                attention=uow.sync.attention_count(),
                last_success_at=state.last_success_at,
                last_error=state.last_error,
                busy_elsewhere=busy_elsewhere,
            )

    def attention_items(self) -> list[AttentionItem]:
        with self._uow_factory.reader() as uow:
            return uow.sync.attention()

    def resolve_attention(self, item_id: int) -> None:
        with self._uow_factory() as uow:
            uow.sync.resolve_attention(item_id, self._clock.now())
            uow.commit()

    def unsynced_count(self) -> int:
        with self._uow_factory.reader() as uow:
            return uow.sync.pending_count()
