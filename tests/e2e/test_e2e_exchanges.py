"""An exchange end to end over HTTP (the real ``mostrador-server`` on SQLite and PostgreSQL):
a sale of store A exchanged at store B for a dearer item. After both sync, the backend holds
the return (its refund of kind ``exchange`` naming the new sale), the new sale (its payment of
kind ``exchange`` naming the return, and the difference in cash) and B's stock moved both
ways: the returned item back on B's shelf, the new one out of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text
from support import BackendProcess, backend_process, enrollment_code, server_cli

from hardware.printers import MemoryReceiptPrinter
from pos_app.bootstrap import Register, build_register, enroll_register
from pos_app.config import ScannerSettings, Settings
from pos_app.domain.money import Money
from pos_app.services.returns import ReturnLineRequest
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from sync.client import SyncClient

SKU = "P0000001"


@pytest.fixture
def backend(backend_database, tmp_path) -> Iterator[BackendProcess]:
    with backend_process(tmp_path, backend_database, products=40, stock={SKU: 10}) as served:
        server_cli("create-store", "--code", "T02", "--name", "Tienda Norte", "--tax-id",
                   "B22222222", "--address", "Calle Norte 2", database=served.database)  # fmt: skip
        yield served


class Till:
    def __init__(self, backend: BackendProcess, tmp_path, name: str, store: str) -> None:  # type: ignore[no-untyped-def]
        engine = open_database(tmp_path / name / "register.sqlite3")
        tokens = MemoryTokenStore()
        enroll_register(engine, backend.url, enrollment_code(backend, store), name, tokens)
        self.register: Register = build_register(
            engine,
            Settings(cashier=name, scanner=ScannerSettings(kind="none")),
            printer=MemoryReceiptPrinter(),
        )
        device = self.register.sync.device_id()
        assert device is not None
        self.client = SyncClient(backend.url, tokens.get(device))
        self.register.returns.lookup = self.client  # type: ignore[union-attr]
        self.worker = SyncWorker(self.register.sync, self.client, lambda fn: fn())

    def sync_now(self) -> None:
        self.worker.push_all()
        self.worker.pull_all()

    def barcode_and_price(self, sku: str) -> tuple[str, int]:
        with self.register.engine.connect() as conn:
            code, price = conn.execute(
                text(
                    "SELECT b.code, p.price_cents FROM barcodes b JOIN products p "
                    "ON p.pk = b.product_pk WHERE p.sku = :s LIMIT 1"
                ),
                {"s": sku},
            ).one()
        return str(code), int(price)

    def dearer_than(self, cents: int) -> str:
        with self.register.engine.connect() as conn:
            return str(
                conn.execute(
                    text(
                        "SELECT p.sku FROM products p JOIN barcodes b ON b.product_pk = p.pk "
                        "WHERE p.price_cents > :c AND p.measure = 'unit' "
                        "ORDER BY p.price_cents LIMIT 1"
                    ),
                    {"c": cents},
                ).scalar_one()
            )

    def close(self) -> None:
        self.client.close()
        self.register.db_executor.shutdown(wait=True)
        self.register.engine.dispose()


@pytest.fixture
def tills(backend, tmp_path) -> Iterator[tuple[Till, Till]]:  # type: ignore[no-untyped-def]
    a = Till(backend, tmp_path, "Caja A", "T01")
    b = Till(backend, tmp_path, "Caja B", "T02")
    yield a, b
    a.close()
    b.close()


def backend_rows(backend: BackendProcess, sql: str, **params: object) -> list[tuple]:  # type: ignore[type-arg]
    engine = create_engine(backend.database)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def level(backend: BackendProcess, store: str, sku: str) -> Decimal:
    [(milli,)] = backend_rows(
        backend,
        "SELECT s.quantity_milli FROM stock_levels s JOIN products p ON p.id = s.product_id "
        "WHERE p.sku = :sku AND s.store_code = :store",
        sku=sku,
        store=store,
    )
    return Decimal(milli) / 1000


def test_a_sale_of_store_a_exchanged_at_store_b_for_a_dearer_item(backend, tills) -> None:
    a, b = tills
    code, price = a.barcode_and_price(SKU)
    a.register.checkout.scan(code)
    a.register.checkout.add_cash(Money(price))
    receipt = a.register.checkout.complete_sale().sale.receipt_number
    a.sync_now()

    dearer = b.dearer_than(price)
    server_cli("set-stock", "--store", "T02", "--sku", SKU, "--quantity", "5",
               database=backend.database)  # fmt: skip
    server_cli("set-stock", "--store", "T02", "--sku", dearer, "--quantity", "5",
               database=backend.database)  # fmt: skip
    b.sync_now()
    returns, checkout = b.register.returns, b.register.checkout
    assert returns is not None
    original = returns.find_original(receipt)  # store A's receipt: asked online
    assert original.checked
    credit = returns.exchange_credit(
        original, [ReturnLineRequest(1, Decimal(1), "talla equivocada")]
    )
    checkout.start_exchange(credit)
    new_code, new_price = b.barcode_and_price(dearer)
    view = checkout.scan(new_code)
    assert view.payment.due.cents == new_price - price
    checkout.add_cash(view.payment.due)
    done = checkout.complete_sale()
    assert done.exchange is not None
    sale_number = done.sale.receipt_number
    return_number = done.exchange.record.return_number
    b.sync_now()
    assert b.register.sync.attention_items() == []

    [(return_id, original_reference, conflict)] = backend_rows(
        backend,
        "SELECT id, original_reference, conflict FROM returns WHERE return_number = :n",
        n=return_number,
    )
    assert (original_reference, conflict) == (receipt, None)
    refunds = backend_rows(
        backend,
        "SELECT kind, amount_cents, reference FROM return_refunds WHERE return_id = :r "
        "ORDER BY position",
        r=return_id,
    )
    assert refunds == [("exchange", price, sale_number)]
    [(payload,)] = backend_rows(
        backend, "SELECT payload FROM sales WHERE receipt_number = :n", n=sale_number
    )
    payments = [
        (p["kind"], p["amount_cents"], p["reference"]) for p in json.loads(payload)["payments"]
    ]
    assert payments == [("exchange", price, return_number), ("cash", new_price - price, "")]
    # B's shelf: the returned unit back, the dearer one out; A's untouched by the exchange.
    assert level(backend, "T02", SKU) == Decimal(6)
    assert level(backend, "T02", dearer) == Decimal(4)
    assert level(backend, "T01", SKU) == Decimal(9)
    # The original is returned: nothing of it is left to return again.
    assert returns.find_original(receipt).lines[0].returnable == Decimal(0)
