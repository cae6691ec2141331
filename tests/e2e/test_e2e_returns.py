"""Returns across stores, end to end over HTTP (the real ``mostrador-server`` on SQLite and
PostgreSQL): a receipt of store A returned at store B, and the same unit refunded at two
registers while both are offline (one refund stands, the other becomes a conflict a manager
sees in the attention list).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text
from support import BackendProcess, backend_process, enrollment_code, server_cli

from hardware.printers import MemoryReceiptPrinter
from pos_app.bootstrap import build_register, enroll_register
from pos_app.config import ScannerSettings, Settings
from pos_app.domain.money import Money
from pos_app.services.returns import RefundRequest, ReturnLineRequest
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from sync.client import SyncClient
from sync.protocol import Disposition

SKU = "P0000001"


@pytest.fixture
def backend(backend_database, tmp_path) -> Iterator[BackendProcess]:
    with backend_process(tmp_path, backend_database, products=40, stock={SKU: 10}) as served:
        server_cli("create-store", "--code", "T02", "--name", "Tienda Norte", "--tax-id",
                   "B22222222", "--address", "Calle Norte 2", database=served.database)  # fmt: skip
        server_cli("set-stock", "--store", "T02", "--sku", SKU, "--quantity", "5",
                   database=served.database)  # fmt: skip
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
    def returns(self):  # type: ignore[no-untyped-def]
        return self.register.returns  # type: ignore[attr-defined]

    def sync_now(self) -> None:
        self.worker.push_all()
        self.worker.pull_all()

    def sell(self, quantity: int) -> str:
        with self.register.engine.connect() as conn:  # type: ignore[attr-defined]
            code = conn.execute(
                text(
                    "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
                    "WHERE p.sku = :s LIMIT 1"
                ),
                {"s": SKU},
            ).scalar_one()
        for _ in range(quantity):
            self.checkout.scan(code)
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
        register.returns.lookup = client  # online look-ups of what is returnable
        register.checkout.voucher_lookup = client  # and of store-credit balances
        till = Till(register, SyncWorker(register.sync, client, lambda fn: fn()), client)
        made.append(till)
        return till

    yield make
    for till in made:
        till.client.close()
        till.register.db_executor.shutdown(wait=True)  # type: ignore[attr-defined]
        till.register.engine.dispose()  # type: ignore[attr-defined]


def backend_level(backend: BackendProcess, store: str) -> Decimal:
    engine = create_engine(backend.database)
    try:
        with engine.connect() as conn:
            milli = conn.execute(
                text(
                    "SELECT s.quantity_milli FROM stock_levels s JOIN products p "
                    "ON p.id = s.product_id WHERE p.sku = :sku AND s.store_code = :store"
                ),
                {"sku": SKU, "store": store},
            ).scalar_one()
        return Decimal(milli) / 1000
    finally:
        engine.dispose()


def test_a_receipt_of_store_a_is_returned_at_store_b(backend, make_till) -> None:
    a = make_till("Caja A", "T01")
    b = make_till("Caja B", "T02")
    receipt = a.sell(2)
    a.sync_now()
    assert backend_level(backend, "T01") == Decimal(8)

    original = b.returns.find_original(receipt)  # another store's receipt: asked online
    assert original.checked
    [item] = original.lines
    assert item.returnable == Decimal(2)
    done = b.returns.complete_return(
        original,
        [ReturnLineRequest(item.original_line_no, Decimal(1), "talla equivocada")],
        RefundRequest("cash"),
    )
    assert done.record.return_number.startswith("T02-")
    b.sync_now()
    assert b.register.sync.attention_items() == []  # type: ignore[attr-defined]
    assert backend_level(backend, "T02") == Decimal(6)  # back on B's shelf
    assert backend_level(backend, "T01") == Decimal(8)
    again = b.returns.find_original(receipt)
    assert again.lines[0].returnable == Decimal(1)  # one of two left


def test_the_same_unit_refunded_at_two_offline_registers_is_one_refund_and_one_conflict(
    backend, make_till
) -> None:
    a = make_till("Caja A", "T01")
    b = make_till("Caja B", "T02")
    receipt = a.sell(1)
    a.sync_now()
    original_at_b = b.returns.find_original(receipt)  # looked up while online
    # Both registers lose the network; each refunds the one unit.
    b.returns.lookup = None
    original_at_a = a.returns.find_original(receipt)  # its own sale: known offline
    line = original_at_a.lines[0].original_line_no
    a.returns.complete_return(
        original_at_a, [ReturnLineRequest(line, Decimal(1), "no funciona")], RefundRequest("cash")
    )
    b.returns.complete_return(
        original_at_b,
        [ReturnLineRequest(line, Decimal(1), "no funciona", Disposition.DAMAGED)],
        RefundRequest("cash"),
    )
    a.sync_now()
    b.sync_now()
    assert a.register.sync.attention_items() == []  # type: ignore[attr-defined]
    [conflict] = b.register.sync.attention_items()  # type: ignore[attr-defined]
    assert conflict.status == "conflict" and conflict.code == "over_refund"
    engine = create_engine(backend.database)
    try:
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT count(*) FROM returns")).scalar_one()
    finally:
        engine.dispose()
    assert kept == 2  # both refunds happened (the money left): the manager settles the second


def test_a_web_order_returned_in_store_to_store_credit_spent_at_another_store(
    backend, make_till
) -> None:
    import httpx

    from sync.protocol import PickupStatus

    key = server_cli("channel-key", "--name", "web", database=backend.database).strip()
    with httpx.Client(
        base_url=backend.url,
        headers={"Authorization": f"Bearer {key}", "X-Mostrador-Protocol": "1"},
        timeout=10,
    ) as shop:
        created = shop.post(
            "/v1/orders",
            json={
                "channel": "web",
                "store_code": "T01",
                "customer": {"name": "Lucía Gómez", "phone": "+34 600 123 456"},
                "lines": [{"sku": SKU, "quantity": "2"}],
                "paid_online": True,
            },
        )
        assert created.status_code == 201, created.text
        order = created.json()["order"]
        a = make_till("Caja A", "T01")
        b = make_till("Caja B", "T02")
        a.sync_now()
        # Picked and collected at store A (paid online).
        pickups = a.register.pickups  # type: ignore[attr-defined]
        pickups.start_picking(order["order_id"])
        with a.register.engine.connect() as conn:  # type: ignore[attr-defined]
            code = conn.execute(
                text(
                    "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
                    "WHERE p.sku = :s LIMIT 1"
                ),
                {"s": SKU},
            ).scalar_one()
        for _ in range(2):
            pickups.scan_item(order["order_id"], code)
        pickups.mark_ready(order["order_id"])
        pickups.hand_over_paid(pickups.prepare_hand_over(order["order_id"], order["pickup_code"]))
        a.sync_now()
        assert shop.get(f"/v1/orders/{order['number']}").json()["order"]["status"] == (
            PickupStatus.COLLECTED.value
        )

    # The customer brings one back to store A: store credit.
    original = a.returns.find_original(order["number"])
    assert original.checked and original.lines[0].returnable == Decimal(2)
    done = a.returns.complete_return(
        original,
        [ReturnLineRequest(original.lines[0].original_line_no, Decimal(1), "no lo quiere")],
        RefundRequest("voucher"),
    )
    voucher = done.record.refunds[0].reference
    credit = done.record.total_cents
    assert credit > 0
    a.sync_now()
    assert a.register.sync.attention_items() == []  # type: ignore[attr-defined]

    # ... and spends part of it at store B.
    assert b.checkout.check_voucher(voucher).balance_cents == credit
    b.checkout.scan(code)  # at B the product is known by the same barcode
    spend = min(credit, b.checkout.view().payment.due.cents) - 1  # leave one cent on it
    b.checkout.add_voucher(voucher, Money(spend))
    b.checkout.add_cash(Money(b.checkout.view().payment.due.cents))
    b.checkout.complete_sale()
    b.sync_now()
    assert b.register.sync.attention_items() == []  # type: ignore[attr-defined]
    assert b.client.voucher(voucher).balance_cents == credit - spend


def test_an_offline_return_that_breaks_a_policy_set_after_the_pull_is_a_policy_violation(
    backend, make_till
) -> None:
    a = make_till("Caja A", "T01")
    receipt = a.sell(1)
    a.sync_now()  # pulls the default return policy too
    assert a.returns.return_policy().non_returnable_categories == []
    engine = create_engine(backend.database)
    try:
        with engine.connect() as conn:
            category = conn.execute(
                text("SELECT category FROM products WHERE sku = :s"), {"s": SKU}
            ).scalar_one()
    finally:
        engine.dispose()
    out = server_cli("set-return-policy", "--non-returnable", category, database=backend.database)
    assert f"non-returnable: {category}" in out

    # Offline, the register still holds the old policy: the return goes through.
    a.returns.lookup = None
    original = a.returns.find_original(receipt)
    assert original.lines[0].refusal == ""
    a.returns.complete_return(
        original,
        [ReturnLineRequest(original.lines[0].original_line_no, Decimal(1), "no le gusta")],
        RefundRequest("cash"),
    )
    a.sync_now()  # back online: the backend checks it again
    [conflict] = a.register.sync.attention_items()  # type: ignore[attr-defined]
    assert (conflict.status, conflict.code) == ("conflict", "policy_violation")
    assert f"category {category}, never taken back" in conflict.message

    # The pull brought the new policy: the next return of that category is refused here.
    receipt = a.sell(1)
    assert a.returns.find_original(receipt).lines[0].refusal == "category"
