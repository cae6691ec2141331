"""The register's side of sync on a real SQLite file, against a stub backend."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from support import BREAD, COFFEE, IDENTITY, SOAP, ean13, pid

from pos_app.domain.money import Money
from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import UnsyncedEvents
from pos_app.services.sync import SyncService
from pos_app.services.sync_worker import SyncWorker
from sync.errors import SyncError, SyncErrorKind
from sync.protocol import (
    Change,
    EnrollResponse,
    EventResult,
    EventStatus,
    OutboxEvent,
    PullResponse,
    PushResponse,
    StoreInfo,
)


@pytest.fixture
def checkout(uow_factory, clock):
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")


@pytest.fixture
def sync(uow_factory, clock):
    return SyncService(uow_factory, clock)


def sell(checkout, *codes):
    for code in codes:
        checkout.scan(code)
    checkout.add_cash(checkout.view().payment.due)
    return checkout.complete_sale().sale


def count(engine, sql):
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def answer(events, status=EventStatus.APPLIED, **extra):
    return PushResponse(
        last_seq=events[-1].seq,
        results=[
            EventResult(seq=e.seq, event_id=e.event_id, status=status, **extra) for e in events
        ],
    )


def test_pending_events_go_out_in_sequence_order_and_leave_only_when_acknowledged(
    checkout, sync, engine
):
    sales = [sell(checkout, COFFEE), sell(checkout, SOAP), sell(checkout, BREAD)]
    batch = sync.next_batch()  # each sale, then its fiscal record
    assert [e.seq for e in batch] == [1, 2, 3, 4, 5, 6]
    assert [e.type for e in batch] == ["sale.completed", "fiscal.recorded"] * 3
    assert [e.payload["sale_id"] for e in batch[::2]] == [s.sale_id for s in sales]
    assert [e.payload["source_id"] for e in batch[1::2]] == [s.sale_id for s in sales]
    assert count(engine, "SELECT count(*) FROM stock_movements WHERE synced = 0") == 3
    recorded = sync.record_push(answer(batch[:4]))  # the answer covers only two sales
    assert recorded.acknowledged == 4
    assert [e.seq for e in sync.next_batch()] == [5, 6]
    assert count(engine, "SELECT count(*) FROM stock_movements WHERE synced = 0") == 1
    assert sync.status().pending == 2 and sync.status().last_success_at is not None


def test_rejected_and_conflicting_events_go_to_the_attention_list(checkout, sync, engine):
    sell(checkout, COFFEE)
    sell(checkout, SOAP)
    first, first_record, second, second_record = sync.next_batch()
    sync.record_push(
        PushResponse(
            last_seq=4,
            results=[
                EventResult(
                    seq=1,
                    event_id=first.event_id,
                    status=EventStatus.REJECTED,
                    code="totals_mismatch",
                    message="line totals do not add up",
                ),
                EventResult(seq=2, event_id=first_record.event_id, status=EventStatus.APPLIED),
                EventResult(
                    seq=3,
                    event_id=second.event_id,
                    status=EventStatus.CONFLICT,
                    code="unknown_product",
                    message="product unknown at the backend",
                ),
                EventResult(seq=4, event_id=second_record.event_id, status=EventStatus.APPLIED),
            ],
        )
    )
    assert sync.next_batch() == []
    items = sync.attention_items()
    assert {(i.status, i.code) for i in items} == {
        ("rejected", "totals_mismatch"),
        ("conflict", "unknown_product"),
    }
    assert sync.status().attention == 2
    # the conflict was applied at the backend (its stock counts there); the rejection was not
    assert count(engine, "SELECT count(*) FROM stock_movements WHERE synced = 0") == 1
    sync.resolve_attention(items[0].item_id)
    assert sync.status().attention == 1


def test_duplicates_acknowledge_like_applied(checkout, sync):
    sell(checkout, COFFEE)
    batch = sync.next_batch()
    sync.record_push(answer(batch, EventStatus.DUPLICATE))
    assert sync.next_batch() == [] and sync.attention_items() == []


def change(seq, entity, key, **data):
    return Change(seq=seq, entity=entity, op="upsert", key=key, data=data)


NEW_CODE = ean13("841000000077")


def catalog_page(start=1):
    return [
        change(
            start,
            "tax_rate",
            "IVA21@2012-09-01",
            tax_class="IVA21",
            name="IVA general",
            rate="21",
            valid_from="2012-09-01",
            valid_to=None,
        ),
        change(start + 1, "category", "BEB", name="Bebidas"),
        change(
            start + 2,
            "product",
            pid("P0100"),
            sku="P0100",
            name="Agua mineral 1,5 l",
            category="BEB",
            tax_class="IVA21",
            price_cents=65,
            measure="unit",
            barcodes=[NEW_CODE],
            active=True,
        ),
        change(start + 3, "stock", pid("P0100"), quantity="24"),
        change(
            start + 4,
            "product",
            pid("P0001"),
            sku="P0001",
            name="Café molido natural 250 g",
            category="ALIM",
            tax_class="IVA10",
            price_cents=399,
            measure="unit",
            barcodes=[COFFEE],
            active=True,
        ),
    ]


def test_pulled_changes_reach_the_catalog_the_search_and_the_stock(checkout, sync, uow_factory):
    applied = sync.apply_pull(PullResponse(changes=catalog_page(), cursor="5", has_more=False))
    assert applied == 5 and sync.cursor() == "5"
    view = checkout.scan(NEW_CODE)  # a product that arrived by sync sells at once
    assert view.lines[0].product.name == "Agua mineral 1,5 l"
    assert [p.sku for p in checkout.search("agua")] == ["P0100"]
    checkout.scan(COFFEE)
    assert checkout.view().lines[1].product.unit_price == Money(399)  # the new price
    with uow_factory() as uow:
        assert uow.stock.level(pid("P0100")) == Decimal(24)


def test_a_pull_cut_short_resumes_from_the_last_applied_change(sync, monkeypatch):
    from pos_app.storage import change_apply
    from sync.protocol import ChangeOp, Entity

    page = catalog_page()
    stock_upsert = (Entity.STOCK, ChangeOp.UPSERT)
    original = change_apply._HANDLERS[stock_upsert]

    def broken(conn, changes):
        raise OSError("killed")

    monkeypatch.setitem(change_apply._HANDLERS, stock_upsert, broken)
    with pytest.raises(OSError):
        sync.apply_pull(PullResponse(changes=page, cursor="5", has_more=False), chunk=2)
    assert sync.cursor() == "2"  # the first chunk committed with its cursor, the second did not
    monkeypatch.setitem(change_apply._HANDLERS, stock_upsert, original)
    sync.apply_pull(PullResponse(changes=page[2:], cursor="5", has_more=False), chunk=2)
    assert sync.cursor() == "5"


def test_enrollment_sets_the_identity_and_refuses_another_device_while_events_wait(
    checkout, sync, uow_factory
):
    store = StoreInfo(code="T07", name="Tienda Centro", tax_id="B7654321", address=["Gran Vía 7"])
    sync.save_enrollment(
        EnrollResponse(device_id="dev-1", register_code="C03", token="secret", store=store),
        backend_url="http://127.0.0.1:9",
        register_name="Caja 3",
    )
    with uow_factory() as uow:
        ident = uow.catalog.identity()
    assert (ident.store_code, ident.register_code, ident.store_name) == (
        "T07",
        "C03",
        "Tienda Centro",
    )
    sell(checkout, COFFEE)
    with pytest.raises(UnsyncedEvents) as info:
        sync.save_enrollment(
            EnrollResponse(device_id="dev-2", register_code="C04", token="x", store=store),
            backend_url="http://127.0.0.1:9",
            register_name="Caja 4",
        )
    assert info.value.count == 2  # the sale and its fiscal record
    # the same device again (a new token) is fine and keeps its cursor
    sync.apply_pull(PullResponse(changes=catalog_page(), cursor="5", has_more=False))
    sync.save_enrollment(
        EnrollResponse(device_id="dev-1", register_code="C03", token="new", store=store),
        backend_url="http://127.0.0.1:9",
        register_name="Caja 3",
    )
    assert sync.cursor() == "5"


class FlakyBackend:
    """A stub backend: unreachable for the first ``down`` calls, then applies everything."""

    def __init__(self, down: int) -> None:
        self.down = down
        self.calls = 0
        self.pushed: list[OutboxEvent] = []
        self.lock = threading.Lock()

    def _maybe_fail(self):
        with self.lock:
            self.calls += 1
            if self.calls <= self.down:
                raise SyncError(SyncErrorKind.NETWORK, "connection refused")

    def push(self, events):
        self._maybe_fail()
        self.pushed.extend(events)
        return answer(events)

    def pull(self, since, limit=1000):
        self._maybe_fail()
        return PullResponse(changes=[], cursor=since, has_more=False)

    def enroll(self, code, register_name, device_id=None):
        raise AssertionError("not used")


def test_the_worker_backs_off_while_offline_then_delivers_everything(checkout, sync, uow_factory):
    from concurrent.futures import ThreadPoolExecutor

    for _ in range(3):
        sell(checkout, BREAD)
    backend = FlakyBackend(down=3)
    statuses = []
    db = ThreadPoolExecutor(1)
    worker = SyncWorker(
        sync,
        backend,
        lambda fn: db.submit(fn).result(),
        pull_interval=0.05,
        max_backoff=0.05,
        on_status=statuses.append,
    )
    worker.start()
    try:
        deadline = datetime.now(UTC).timestamp() + 10
        while sync.unsynced_count() and datetime.now(UTC).timestamp() < deadline:
            worker.request_push()
            threading.Event().wait(0.05)
        assert sync.unsynced_count() == 0
        assert [e.seq for e in backend.pushed] == [1, 2, 3, 4, 5, 6]  # sales and records
        assert any(s.online is False for s in statuses)
        assert statuses[-1].online is True or worker.online is True
        assert sync.status().last_error is None  # cleared by the success
    finally:
        worker.stop()
        db.shutdown()
    assert not worker.running


class PagedCatalog:
    """A backend whose change log holds ``n`` stock changes of one product, served in pages."""

    def __init__(self, n: int, page: int) -> None:
        self.changes = [
            change(seq, "stock", pid("P0001"), quantity=str(seq)) for seq in range(1, n + 1)
        ]
        self.page = page

    def push(self, events):
        raise AssertionError("not used")

    def pull(self, since, limit=1000):
        start = int(since)
        part = self.changes[start : start + self.page]
        more = start + self.page < len(self.changes)
        return PullResponse(
            changes=part, cursor=str(part[-1].seq if part else start), has_more=more
        )

    def enroll(self, code, register_name, device_id=None):
        raise AssertionError("not used")


def test_the_background_pull_gives_the_writer_one_short_job_per_part_not_per_page(
    sync, uow_factory
):
    from pos_app.services.sync import APPLY_CHUNK

    jobs = []

    def run_db(fn):
        jobs.append(fn)
        return fn()

    backend = PagedCatalog(n=2 * 1000 + 1, page=1000)
    worker = SyncWorker(sync, backend, run_db)
    jobs.clear()
    assert worker.pull_all() == 2001
    parts_per_page = -(-1000 // APPLY_CHUNK)
    # per page: its parts, then the job that saves the page's cursor; plus reading the cursor
    assert len(jobs) == 1 + 2 * (parts_per_page + 1) + (1 + 1)
    assert sync.cursor() == "2001"
    with uow_factory() as uow:
        assert uow.stock.level(pid("P0001")) == Decimal(2001)
