"""Two registers and the real backend over HTTP on loopback: sales made offline on both arrive
at the backend exactly once, and both registers end with the backend's stock.

The backend is the real ``mostrador-server`` process, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import text
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
from sync.errors import SyncError, SyncErrorKind
from sync.protocol import PROTOCOL_HEADER

SKUS = ("P0000001", "P0000002", "P0000004", "P0000005")


@pytest.fixture
def backend(backend_database, tmp_path) -> Iterator[BackendProcess]:
    stock = dict.fromkeys(SKUS, 10)
    with backend_process(tmp_path, backend_database, products=60, stock=stock) as served:
        yield served


@dataclass
class Register:
    engine: object
    checkout: CheckoutService
    sync: SyncService
    worker: SyncWorker
    client: SyncClient

    def sync_now(self) -> None:
        self.worker.push_all()
        self.worker.pull_all()

    def level(self, sku: str) -> Decimal:
        with SqlUnitOfWorkFactory(self.engine).reader() as uow:  # type: ignore[arg-type]
            product = uow.catalog.find_by_sku(sku)
            assert product is not None
            return uow.stock.level(product.product_id)

    def barcode_of(self, sku: str) -> str:
        with self.engine.connect() as conn:  # type: ignore[attr-defined]
            return conn.execute(
                text(
                    "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
                    "WHERE p.sku = :s LIMIT 1"
                ),
                {"s": sku},
            ).scalar_one()


def code_for(backend: BackendProcess) -> str:
    return enrollment_code(backend)


@pytest.fixture
def make_register(backend, tmp_path):
    made: list[Register] = []

    def make(name: str) -> Register:
        engine = open_database(tmp_path / name / "register.sqlite3")
        tokens = MemoryTokenStore()
        identity = enroll_register(engine, backend.url, code_for(backend), name, tokens)
        factory = SqlUnitOfWorkFactory(engine)
        clock = SystemClock()
        sync = SyncService(factory, clock)
        device = sync.device_id()
        assert device is not None
        client = SyncClient(backend.url, tokens.get(device))
        worker = SyncWorker(sync, client, lambda fn: fn())
        reg = Register(
            engine, CheckoutService(factory, clock, identity, cashier=name), sync, worker, client
        )
        made.append(reg)
        return reg

    yield make
    for reg in made:
        reg.client.close()
        reg.engine.dispose()  # type: ignore[attr-defined]


def sell(reg: Register, *skus: str) -> str:
    for sku in skus:
        reg.checkout.scan(reg.barcode_of(sku))
    reg.checkout.add_cash(reg.checkout.view().payment.due)
    return reg.checkout.complete_sale().sale.receipt_number


def test_offline_sales_on_two_registers_converge_exactly_once(make_register, backend):
    a = make_register("Caja A")
    b = make_register("Caja B")
    assert a.checkout.identity.register_code != b.checkout.identity.register_code
    assert a.level("P0000001") == b.level("P0000001") == Decimal(10)  # pulled at enrolment

    # both sell while the backend is out of reach (nothing pushed yet)
    receipts = [
        sell(a, "P0000001", "P0000002"),
        sell(a, "P0000001"),
        sell(b, "P0000001", "P0000004"),
        sell(b, "P0000005"),
    ]
    assert a.level("P0000001") == Decimal(8)  # the register shows its own sales at once
    # each sale and its fiscal record
    assert a.sync.unsynced_count() == 4 and b.sync.unsynced_count() == 4

    a.sync_now()
    b.sync_now()
    a.sync_now()  # A learns of B's sales

    assert sorted(backend_sales(backend)) == sorted(receipts)
    expected = {"P0000001": 7, "P0000002": 9, "P0000004": 9, "P0000005": 9}
    for sku, level in expected.items():
        assert a.level(sku) == b.level(sku) == Decimal(level), sku
    assert a.sync.unsynced_count() == b.sync.unsynced_count() == 0
    assert a.sync.attention_items() == [] and b.sync.attention_items() == []


def test_a_replayed_push_is_answered_duplicate_and_nothing_doubles(make_register, backend):
    a = make_register("Caja A")
    sell(a, "P0000002")
    batch = a.sync.next_batch()
    first = a.client.push(batch)  # the backend applies it; pretend the answer was lost
    assert [r.status for r in first.results] == ["applied", "applied"]  # + its fiscal record
    again = a.client.push(batch)
    assert [r.status for r in again.results] == ["duplicate", "duplicate"]
    a.sync.record_push(again)
    assert len(backend_sales(backend)) == 1
    a.worker.pull_all()
    assert a.level("P0000002") == Decimal(9)


def test_another_protocol_version_gets_a_clear_message_not_a_crash(make_register, backend):
    a = make_register("Caja A")
    a.client._http.headers[PROTOCOL_HEADER] = "99"
    with pytest.raises(SyncError) as info:
        a.client.pull("0")
    assert info.value.kind is SyncErrorKind.PROTOCOL
    assert "protocol v1" in str(info.value) and "v1" in info.value.message


def test_large_pull_pages_travel_compressed(make_register, backend):
    a = make_register("Caja A")
    response = a.client._http.get(
        "/v1/sync/pull",
        params={"since": "0", "limit": 1000},
        headers={"Authorization": f"Bearer {a.client._token}", "Accept-Encoding": "gzip"},
    )
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == "gzip"
    assert len(response.json()["changes"]) > 60
