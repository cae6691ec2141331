"""One customer everywhere, end to end over HTTP (the real ``mostrador-server`` on SQLite and
PostgreSQL): a customer created offline at store A syncs, is found online at store B, buys at
both, their history shows both stores, an edit at B reaches A, and erasing them at the backend
removes them from every register at its next pull.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from support import BackendProcess, backend_process, enrollment_code, server_cli

from hardware.printers import MemoryReceiptPrinter
from pos_app.bootstrap import build_register, enroll_register
from pos_app.config import ScannerSettings, Settings
from pos_app.domain.money import Money
from pos_app.services.customers import CustomerInput
from pos_app.services.errors import CustomerNotFound
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from sync.client import SyncClient

SKU = "P0000001"


@pytest.fixture
def backend(backend_database, tmp_path) -> Iterator[BackendProcess]:
    with backend_process(tmp_path, backend_database, products=20, stock={SKU: 10}) as served:
        server_cli("create-store", "--code", "T02", "--name", "Tienda Norte", "--tax-id",
                   "B22222222", "--address", "Calle Norte 2", database=served.database)  # fmt: skip
        yield served


@dataclass
class Till:
    register: object
    worker: SyncWorker
    client: SyncClient

    @property
    def checkout(self):  # type: ignore[no-untyped-def]
        return self.register.checkout  # type: ignore[attr-defined]

    @property
    def customers(self):  # type: ignore[no-untyped-def]
        return self.register.customers  # type: ignore[attr-defined]

    def sync_now(self) -> None:
        self.worker.push_all()
        self.worker.pull_all()

    def rows(self, sql: str) -> list[tuple]:  # type: ignore[type-arg]
        with self.register.engine.connect() as conn:  # type: ignore[attr-defined]
            return [tuple(r) for r in conn.execute(text(sql))]

    def sell(self, customer_id: str | None) -> str:
        [(code,)] = self.rows(
            "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
            f"WHERE p.sku = '{SKU}' LIMIT 1"
        )
        self.checkout.scan(code)
        if customer_id is not None:
            self.checkout.attach_customer(customer_id)
        self.checkout.add_cash(Money(self.checkout.view().payment.due.cents))
        return str(self.checkout.complete_sale().sale.receipt_number)


@pytest.fixture
def make_till(backend, tmp_path):  # type: ignore[no-untyped-def]
    made: list[Till] = []

    def make(name: str, store: str) -> Till:
        engine = open_database(tmp_path / name / "register.sqlite3")
        tokens = MemoryTokenStore()
        enroll_register(engine, backend.url, enrollment_code(backend, store), name, tokens)
        register = build_register(
            engine,
            Settings(cashier=name, scanner=ScannerSettings(kind="none")),
            printer=MemoryReceiptPrinter(),
        )
        device = register.sync.device_id()
        assert device is not None
        client = SyncClient(backend.url, tokens.get(device))
        register.customers.directory = client  # customers of every store, online
        till = Till(register, SyncWorker(register.sync, client, lambda fn: fn()), client)
        made.append(till)
        return till

    yield make
    for till in made:
        till.client.close()
        till.register.db_executor.shutdown(wait=True)  # type: ignore[attr-defined]
        till.register.engine.dispose()  # type: ignore[attr-defined]


def test_one_customer_across_two_stores_and_erased_everywhere(backend, make_till) -> None:
    a = make_till("Caja A", "T01")
    b = make_till("Caja B", "T02")

    # Created at A before any sync (offline: only the outbox knows), and sold to at A.
    ana = a.customers.create(
        CustomerInput(
            name="Ana Martínez",
            phone="+34 600 123 456",
            email="ana@correo.es",
            privacy_consent=True,
        )
    ).customer
    receipt_a = a.sell(ana.customer_id)
    a.sync_now()
    assert a.register.sync.attention_items() == []  # type: ignore[attr-defined]

    # B never saw her: not found locally, found online, kept, and sold to.
    assert b.customers.search("600123456") == []
    [found] = b.customers.search_online("600 123 456")
    assert (found.customer_id, found.name) == (ana.customer_id, "Ana Martínez")
    assert found.created_where.startswith("T01")
    b.customers.remember(b.customers.fetch(found.customer_id))
    receipt_b = b.sell(ana.customer_id)
    b.sync_now()
    assert b.register.sync.attention_items() == []  # type: ignore[attr-defined]
    assert [c.customer_id for c in b.customers.search("ana@correo.es")] == [ana.customer_id]

    # Her history, online from either store, shows both sales.
    history = b.customers.history(ana.customer_id)
    assert not history.partial
    sales = {(e.reference, e.store_code) for e in history.entries if e.kind == "sale"}
    assert sales == {(receipt_a, "T01"), (receipt_b, "T02")}

    # An edit at B (offline-capable: the outbox) reaches A at its next pull.
    b.customers.edit(
        ana.customer_id,
        CustomerInput(
            name="Ana Martínez",
            phone="+34 600 999 888",
            email="ana@correo.es",
            privacy_consent=True,
        ),
    )
    b.sync_now()
    a.sync_now()
    assert a.customers.get(ana.customer_id).phone == "+34 600 999 888"

    # Erased at the backend (a data-protection request): gone from both registers.
    server_cli("erase-customer", ana.customer_id, database=backend.database)
    a.sync_now()
    b.sync_now()
    for till in (a, b):
        with pytest.raises(CustomerNotFound):
            till.customers.get(ana.customer_id)
        assert till.rows("SELECT count(*) FROM customers") == [(0,)]
        assert till.rows("SELECT count(*) FROM sales WHERE customer_id IS NOT NULL") == [(0,)]
        assert till.customers.search("600999888") == []
