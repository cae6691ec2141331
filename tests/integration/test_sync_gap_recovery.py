"""A register whose outbox skips sequence numbers is told the expected one and recovers.

On a real SQLite file, against a fake backend that keeps the backend's push rules in memory:
when the backend expects a number the outbox no longer has (its pending events start above it),
the register renumbers its pending events to follow on from it (same event ids), keeps the
outbox's AUTOINCREMENT counter in step so that the next sale continues the series, tells a
manager which numbers were missing, and pushes again. A register that does hold the expected
number just pushes from it. Each sale is two events: ``sale.completed`` and its fiscal record.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from support import BREAD, COFFEE, IDENTITY, MILK, SOAP

from pos_app.services.checkout import CheckoutService
from pos_app.services.sync import SyncService
from pos_app.services.sync_worker import SyncWorker
from sync.errors import SyncError
from sync.protocol import EventResult, EventStatus, OutboxEvent, PullResponse, PushResponse


class FakeBackend:
    """The backend's push rules for one device, in memory (as ``sync/server/services/push.py``):
    ``seq <= last_seq`` is a duplicate (or a mismatch), ``last_seq + 1`` is taken (an event id
    taken before is a duplicate), anything higher is a gap that stops the batch."""

    def __init__(self) -> None:
        self.last_seq = 0
        self.taken: dict[int, OutboxEvent] = {}  # by seq
        self.pushes = 0

    def push(self, events: list[OutboxEvent]) -> PushResponse:
        self.pushes += 1
        results: list[EventResult] = []
        expected: int | None = None
        for event in events:
            if event.seq <= self.last_seq:
                same = self.taken[event.seq] == event
                status = EventStatus.DUPLICATE if same else EventStatus.REJECTED
                results.append(EventResult(seq=event.seq, event_id=event.event_id, status=status))
                continue
            if event.seq > self.last_seq + 1:
                expected = self.last_seq + 1
                break
            seen = any(e.event_id == event.event_id for e in self.taken.values())
            self.taken[event.seq] = event
            self.last_seq = event.seq
            status = EventStatus.DUPLICATE if seen else EventStatus.APPLIED
            results.append(EventResult(seq=event.seq, event_id=event.event_id, status=status))
        return PushResponse(last_seq=self.last_seq, results=results, expected_seq=expected)

    def restore(self, last_seq: int) -> None:
        """Back to an older copy: everything after ``last_seq`` is forgotten."""
        self.taken = {s: e for s, e in self.taken.items() if s <= last_seq}
        self.last_seq = last_seq

    def receipts(self) -> list[str]:
        return [
            self.taken[s].payload["receipt_number"]
            for s in sorted(self.taken)
            if self.taken[s].type == "sale.completed"
        ]

    def pull(self, since: str, limit: int = 1000) -> PullResponse:
        return PullResponse(changes=[], cursor=since, has_more=False)

    def enroll(self, code, register_name, device_id=None):
        raise AssertionError("not used")


@pytest.fixture
def checkout(uow_factory, clock):
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")


@pytest.fixture
def sync(uow_factory, clock):
    return SyncService(uow_factory, clock)


@pytest.fixture
def backend():
    return FakeBackend()


@pytest.fixture
def worker(sync, backend):
    return SyncWorker(sync, backend, lambda fn: fn())


def sell(checkout, code=BREAD) -> str:
    checkout.scan(code)
    checkout.add_cash(checkout.view().payment.due)
    return checkout.complete_sale().sale.receipt_number


def outbox(engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return [
            tuple(r) for r in conn.execute(text("SELECT seq, event_id FROM outbox ORDER BY seq"))
        ]


def outbox_counter(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")
        ).scalar_one()


def lose(engine, *seqs: int) -> None:
    """Outbox rows gone without reaching the backend (a damaged or restored database)."""
    with engine.begin() as conn:
        for seq in seqs:
            conn.execute(text("DELETE FROM outbox WHERE seq = :s"), {"s": seq})


def test_lost_events_at_the_head_of_the_outbox_are_renumbered_and_the_series_goes_on(
    checkout, sync, worker, backend, engine
):
    receipts = [sell(checkout, COFFEE), sell(checkout, MILK)]
    assert worker.push_all() == 4 and backend.last_seq == 4
    receipts += [sell(checkout, SOAP), sell(checkout, BREAD), sell(checkout, COFFEE)]
    kept = outbox(engine)[-2]
    assert kept[0] == 9
    lose(engine, 5, 6, 7, 8)

    assert worker.push_all() == 2  # told "5", renumbered 9-10 -> 5-6, pushed again
    assert backend.last_seq == 6
    assert backend.taken[5].event_id == kept[1]  # the same event, under the expected number
    assert backend.receipts() == [receipts[0], receipts[1], receipts[4]]
    assert outbox(engine) == [] and sync.unsynced_count() == 0
    assert outbox_counter(engine) == 6  # the counter follows the renumbered series

    [item] = sync.attention_items()
    assert (item.status, item.code, item.seq, item.event_id) == (
        "missing",
        "missing_events",
        5,
        None,
    )
    assert "5-8" in item.message
    assert sync.status().attention == 1

    receipts.append(sell(checkout, MILK))
    assert outbox(engine)[0][0] == 7  # the next sale continues the series: no new gap
    assert worker.push_all() == 2
    assert backend.last_seq == 8
    assert backend.receipts() == [receipts[0], receipts[1], receipts[4], receipts[5]]
    assert len(sync.attention_items()) == 1


def test_a_hole_inside_the_outbox_is_closed_after_the_events_before_it_are_taken(
    checkout, sync, worker, backend, engine
):
    receipts = [sell(checkout) for _ in range(5)]
    lose(engine, 3, 4, 7, 8)  # the second and fourth sales

    assert worker.push_all() == 6
    assert backend.receipts() == [receipts[0], receipts[2], receipts[4]]
    assert sorted(backend.taken) == [1, 2, 3, 4, 5, 6] and outbox(engine) == []
    [item] = sync.attention_items()
    assert item.seq == 3 and "3-4, 7-8" in item.message
    sell(checkout)
    assert outbox(engine)[0][0] == 7


def test_a_register_that_holds_the_expected_event_just_pushes_from_it(
    checkout, sync, worker, backend, engine
):
    """The backend lost events (restored from an older copy) that the register still has
    pending, say because the answer to their push never came back: nothing is renumbered."""
    receipts = [sell(checkout) for _ in range(4)]
    backend.push(sync.next_batch())  # taken, but the answer is lost: all four stay pending
    backend.restore(last_seq=2)
    before = outbox(engine)

    assert worker.push_all() == 8  # 1-2 duplicates, then 3-8 taken again
    assert backend.receipts() == receipts
    assert sync.attention_items() == [] and outbox(engine) == []
    assert before[0][0] == 1


def test_a_backend_restored_behind_acknowledged_events_gets_the_next_ones_under_its_numbers(
    checkout, sync, worker, backend, engine
):
    """Events acknowledged (so gone from the outbox), then lost by the backend's restore: the
    register cannot send them again; the next ones take their numbers and a manager is told."""
    receipts = [sell(checkout) for _ in range(4)]
    worker.push_all()
    backend.restore(last_seq=4)
    receipts.append(sell(checkout))  # seq 9 and 10
    assert worker.push_all() == 2
    assert backend.receipts() == [receipts[0], receipts[1], receipts[4]]
    [item] = sync.attention_items()
    assert "5-8" in item.message


def test_nothing_is_renumbered_when_the_outbox_holds_the_expected_number(sync, checkout, engine):
    sell(checkout)
    sell(checkout)
    before = outbox(engine)
    recorded = sync.record_push(PushResponse(last_seq=0, results=[], expected_seq=1))
    assert recorded.missing == () and recorded.acknowledged == 0
    assert outbox(engine) == before and sync.attention_items() == []


def test_a_backend_that_keeps_asking_for_a_number_it_was_sent_stops_the_push(
    checkout, sync, engine
):
    class StuckBackend(FakeBackend):
        def push(self, events):
            self.pushes += 1
            return PushResponse(last_seq=0, results=[], expected_seq=1)

    sell(checkout)
    sell(checkout)
    lose(engine, 1, 2)
    stuck = StuckBackend()
    with pytest.raises(SyncError) as info:
        SyncWorker(sync, stuck, lambda fn: fn()).push_all()
    assert info.value.code == "gap"
    assert stuck.pushes == 2  # renumbered once (3-4 -> 1-2), then it gave up: no spinning
    assert [seq for seq, _ in outbox(engine)] == [1, 2]
