"""A register that skips sequence numbers is told the expected one and recovers, against the
real ``mostrador-server`` over HTTP on loopback.

Two ways a register's outbox comes to start above the number the backend expects: outbox rows
lost at the register (a damaged or restored register database), and a backend restored from an
older backup after it had acknowledged events (so they are gone from the register). Either way
the register renumbers its pending events from the expected number, its next sale continues the
series, a manager is told which numbers were missing, and every sale the register still had
reaches the backend exactly once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, create_engine, text
from support import BackendProcess, backend_process, backend_sales, enrollment_code

from pos_app.bootstrap import enroll_register
from pos_app.services.checkout import CheckoutService
from pos_app.services.ports import SystemClock
from pos_app.services.sync import SyncService
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
from sync.client import SyncClient


@pytest.fixture
def backend(backend_database, tmp_path) -> Iterator[BackendProcess]:
    with backend_process(tmp_path, backend_database, products=20) as served:
        yield served


@dataclass
class Register:
    engine: Engine
    checkout: CheckoutService
    sync: SyncService
    worker: SyncWorker
    device_id: str

    def sell(self, sku: str = "P0000001") -> str:
        with self.engine.connect() as conn:
            code = conn.execute(
                text(
                    "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
                    "WHERE p.sku = :s LIMIT 1"
                ),
                {"s": sku},
            ).scalar_one()
        self.checkout.scan(code)
        self.checkout.add_cash(self.checkout.view().payment.due)
        return self.checkout.complete_sale().sale.receipt_number

    def outbox(self) -> list[int]:
        with self.engine.connect() as conn:
            return list(conn.execute(text("SELECT seq FROM outbox ORDER BY seq")).scalars())

    def lose(self, *seqs: int) -> None:
        """Outbox rows gone before they reached the backend."""
        with self.engine.begin() as conn:
            for seq in seqs:
                conn.execute(text("DELETE FROM outbox WHERE seq = :s"), {"s": seq})


@pytest.fixture
def register(backend, tmp_path) -> Iterator[Register]:
    engine = open_database(tmp_path / "register" / "register.sqlite3")
    tokens = MemoryTokenStore()
    identity = enroll_register(engine, backend.url, enrollment_code(backend), "Caja 1", tokens)
    factory = SqlUnitOfWorkFactory(engine)
    sync = SyncService(factory, SystemClock())
    device = sync.device_id()
    assert device is not None
    with SyncClient(backend.url, tokens.get(device)) as client:
        yield Register(
            engine,
            CheckoutService(factory, SystemClock(), identity, cashier="Ana"),
            sync,
            SyncWorker(sync, client, lambda fn: fn()),
            device,
        )
    engine.dispose()


def last_seq(backend: BackendProcess, device_id: str) -> int:
    engine = create_engine(backend.database)
    try:
        with engine.connect() as conn:
            query = text("SELECT last_seq FROM devices WHERE id = :d")
            return int(conn.execute(query, {"d": device_id}).scalar_one())
    finally:
        engine.dispose()


def test_a_register_that_lost_outbox_rows_renumbers_the_rest_and_the_series_goes_on(
    register, backend
):
    # Each sale is two events: ``sale.completed`` and its fiscal record.
    receipts = [register.sell(), register.sell("P0000002")]
    assert register.worker.push_all() == 4
    receipts += [register.sell(), register.sell("P0000004"), register.sell("P0000005")]
    register.lose(5, 6, 7, 8)  # the register skips 5-8: its outbox now starts at 9
    assert register.outbox() == [9, 10]

    assert register.worker.push_all() == 2  # told "5", renumbered 9-10 -> 5-6, pushed again
    kept = [receipts[0], receipts[1], receipts[4]]
    assert sorted(backend_sales(backend)) == sorted(kept)
    assert last_seq(backend, register.device_id) == 6
    assert register.sync.unsynced_count() == 0
    # A manager sees which numbers were missing, and the backend's journal check sees the
    # fiscal records (chain 3 and 4) that never arrived.
    items = {item.code: item for item in register.sync.attention_items()}
    assert set(items) == {"missing_events", "journal_gap"}
    missing = items["missing_events"]
    assert (missing.status, missing.seq) == ("missing", 5)
    assert "5-8" in missing.message
    assert items["journal_gap"].status == "conflict"

    kept.append(register.sell("P0000002"))
    assert register.outbox() == [7, 8]  # the next sale continues the series
    assert register.worker.push_all() == 2
    assert sorted(backend_sales(backend)) == sorted(kept)  # each exactly once
    assert last_seq(backend, register.device_id) == 8
    assert len(register.sync.attention_items()) == 2


def _copy_sqlite(source: str, target: str) -> None:
    """A consistent copy, with the source in use (SQLite's online backup)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.mark.parametrize("backend_database", ["sqlite"], indirect=True)
def test_a_backend_restored_from_an_older_backup_gets_the_next_events_under_its_numbers(
    register, backend, tmp_path
):
    """The backend acknowledged events 5-8 (so the register dropped them), then was
    restored from a backup taken before them: its next push meets a gap the register cannot
    fill; it renumbers and goes on, and a manager learns which events the backend lost."""
    live = backend.database.removeprefix("sqlite:///")
    backup = str(tmp_path / "backup.sqlite3")
    receipts = [register.sell(), register.sell()]  # each sale and its fiscal record
    register.worker.push_all()
    _copy_sqlite(live, backup)  # last_seq 4
    receipts += [register.sell(), register.sell()]
    register.worker.push_all()
    assert last_seq(backend, register.device_id) == 8 and register.outbox() == []
    _copy_sqlite(backup, live)  # IT restores the backend's database
    assert last_seq(backend, register.device_id) == 4

    receipts.append(register.sell())  # seq 9 and 10
    assert register.worker.push_all() == 2
    assert sorted(backend_sales(backend)) == sorted([receipts[0], receipts[1], receipts[4]])
    assert last_seq(backend, register.device_id) == 6
    items = {item.code: item for item in register.sync.attention_items()}
    assert set(items) == {"missing_events", "journal_gap"}  # the backend lost records 3-4
    assert "5-8" in items["missing_events"].message
