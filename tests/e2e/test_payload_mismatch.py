"""Same sequence, different payload, end to end: a register restored from an old backup sells
again under sequence numbers the backend already took. The backend refuses the new event
(``rejected``/``payload_mismatch``), applies nothing of it (its sales and stock stay as they
were), and logs a warning; the register lists it as needing attention, and its queue goes on.

The backend is the real ``mostrador-server`` process (its log is a file); the register is the
real checkout, sync service, worker and HTTP client.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, text
from support import backend_process, backend_sales, enrollment_code

from pos_app.bootstrap import enroll_register
from pos_app.services.checkout import CheckoutService
from pos_app.services.ports import SystemClock
from pos_app.services.sync import SyncService
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
from sync.client import SyncClient

COFFEE, SOAP, MILK = "P0000001", "P0000002", "P0000004"


class Till:
    """A register on its database file, opened (again) as the app would."""

    def __init__(self, path: Path, url: str, token: str) -> None:
        self.engine = open_database(path)
        factory = SqlUnitOfWorkFactory(self.engine)
        with factory.reader() as uow:
            identity = uow.catalog.identity()
        assert identity is not None
        self.sync = SyncService(factory, SystemClock())
        self.client = SyncClient(url, token)
        self.worker = SyncWorker(self.sync, self.client, lambda fn: fn())
        self.checkout = CheckoutService(factory, SystemClock(), identity, cashier="Ana")

    def sell(self, sku: str, times: int = 1) -> str:
        with self.engine.connect() as conn:
            code = conn.execute(
                text(
                    "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
                    "WHERE p.sku = :s LIMIT 1"
                ),
                {"s": sku},
            ).scalar_one()
        for _ in range(times):
            self.checkout.scan(code)
        self.checkout.add_cash(self.checkout.view().payment.due)
        return self.checkout.complete_sale().sale.receipt_number

    def close(self) -> None:
        self.client.close()
        self.engine.dispose()


def backend_level(client: SyncClient, sku: str) -> Decimal:
    stores = {s.store_code: s for s in client.stock(sku).stores}
    return Decimal(stores["T01"].quantity)


def backend_totals(database: str) -> dict[str, int]:
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(text("SELECT receipt_number, total_cents FROM sales")).all())
    finally:
        engine.dispose()


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (WAL included), as a backup tool makes."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def test_a_reused_sequence_with_other_content_is_refused_reported_and_not_applied(tmp_path):
    stock = {COFFEE: 50, SOAP: 50, MILK: 50}
    db = f"sqlite:///{tmp_path / 'backend.sqlite3'}"
    with backend_process(tmp_path, db, products=20, stock=stock) as backend:
        path = tmp_path / "register" / "register.sqlite3"
        engine = open_database(path)
        tokens = MemoryTokenStore()
        enroll_register(engine, backend.url, enrollment_code(backend), "Caja 1", tokens)
        device = SyncService(SqlUnitOfWorkFactory(engine), SystemClock()).device_id()
        engine.dispose()
        assert device is not None
        token = tokens.get(device)
        assert token is not None
        backup = tmp_path / "backup.sqlite3"
        copy_database(path, backup)  # last night's backup: enrolled, nothing sold yet

        till = Till(path, backend.url, token)
        first = till.sell(COFFEE, times=2)
        till.worker.push_all()
        assert till.sync.unsynced_count() == 0
        till.close()
        totals_before = backend_totals(backend.database)
        assert list(totals_before) == [first]
        with SyncClient(backend.url, token) as direct:
            levels_before = {sku: backend_level(direct, sku) for sku in stock}
        assert levels_before[COFFEE] == 48

        # The disk dies; the backup is restored; the register sells again from there.
        for leftover in path.parent.glob(path.name + "-*"):  # -wal, -shm
            leftover.unlink()
        copy_database(backup, path)
        till = Till(path, backend.url, token)
        try:
            again = till.sell(SOAP, times=3)
            assert again == first  # the same receipt number and sequence, another sale
            event, record = till.sync.next_batch()  # the sale and its fiscal record
            assert (event.seq, record.seq, record.type) == (1, 2, "fiscal.recorded")

            till.worker.push_all()

            # Reported at the register: in the needs-attention list, out of the queue (the
            # fiscal record under a reused number differs too).
            items = till.sync.attention_items()
            assert [(i.status, i.code) for i in items] == [("rejected", "payload_mismatch")] * 2
            assert all(i.message and "different content" in i.message for i in items)
            assert till.sync.status().attention == 2
            assert till.sync.unsynced_count() == 0

            # Nothing of it applied at the backend: the first sale stands, stock unmoved.
            assert backend_totals(backend.database) == totals_before
            with SyncClient(backend.url, token) as direct:
                assert {sku: backend_level(direct, sku) for sku in stock} == levels_before

            # The queue goes on: the register's next sale is taken.
            later = till.sell(MILK)
            till.worker.push_all()
            assert sorted(backend_sales(backend)) == sorted([first, later])
            assert till.sync.unsynced_count() == 0
            # Its fiscal record follows the register's own record 1, not the one the backend
            # kept: the backend's journal check says the chain is broken there.
            codes = sorted(i.code for i in till.sync.attention_items())
            assert codes == ["journal_broken", "payload_mismatch", "payload_mismatch"]
        finally:
            till.close()

    # Reported at the backend: a warning in its log, naming the device and the sequence.
    log = (tmp_path / "server.log").read_text()
    warnings = [line for line in log.splitlines() if " WARNING " in line]
    assert any("different content" in w and device in w and "seq 1" in w for w in warnings), log
