"""Click-and-collect end to end: the web shop places an order through the backend's API (real
``mostrador-server`` process over HTTP, SQLite and PostgreSQL), the store's registers pull it,
pick it by scanning, mark it ready (the customer's notification reaches a webhook), hand it over
with payment at the counter, and the backend ends with the order collected and the stock moved
exactly once. Then offline, and the conflicts a manager has to settle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import create_engine, text
from support import (
    BackendProcess,
    WebhookReceiver,
    backend_process,
    enrollment_code,
    server_cli,
)

from hardware.printers import MemoryReceiptPrinter
from pos_app.bootstrap import build_register, enroll_register
from pos_app.config import ScannerSettings, Settings
from pos_app.domain.money import Money
from pos_app.services.pickups import PickupService
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from sync.client import SyncClient
from sync.protocol import EventStatus, PickupStatus

SKUS = ("P0000001", "P0000002", "P0000004")


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def backend(backend_database, tmp_path, hook) -> Iterator[BackendProcess]:
    stock = dict.fromkeys(SKUS, 10)
    with backend_process(
        tmp_path,
        backend_database,
        products=60,
        stock=stock,
        serve_args=("--notify-webhook", hook.url),
    ) as served:
        yield served


@pytest.fixture
def shop(backend) -> Iterator[httpx.Client]:
    """The web shop: the backend's order API with a channel key."""
    key = server_cli("channel-key", "--name", "web", database=backend.database).strip()
    with httpx.Client(
        base_url=backend.url,
        headers={"Authorization": f"Bearer {key}", "X-Mostrador-Protocol": "1"},
        timeout=10,
    ) as client:
        yield client


@dataclass
class Till:
    register: object
    pickups: PickupService
    worker: SyncWorker
    client: SyncClient

    @property
    def checkout(self):  # type: ignore[no-untyped-def]
        return self.register.checkout  # type: ignore[attr-defined]

    def sync_now(self) -> None:
        self.worker.push_all()
        self.worker.pull_all()

    def barcode_of(self, sku: str) -> str:
        with self.register.engine.connect() as conn:  # type: ignore[attr-defined]
            return conn.execute(
                text(
                    "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
                    "WHERE p.sku = :s LIMIT 1"
                ),
                {"s": sku},
            ).scalar_one()


@pytest.fixture
def make_till(backend, tmp_path):  # type: ignore[no-untyped-def]
    made: list[Till] = []

    def make(name: str) -> Till:
        engine = open_database(tmp_path / name / "register.sqlite3")
        tokens = MemoryTokenStore()
        enroll_register(engine, backend.url, enrollment_code(backend), name, tokens)
        register = build_register(
            engine,
            Settings(cashier=name, scanner=ScannerSettings(kind="none")),
            printer=MemoryReceiptPrinter(),
        )
        device = register.sync.device_id()
        assert device is not None and register.pickups is not None
        client = SyncClient(backend.url, tokens.get(device))
        worker = SyncWorker(register.sync, client, lambda fn: fn())
        till = Till(register, register.pickups, worker, client)
        made.append(till)
        return till

    yield make
    for till in made:
        till.client.close()
        till.register.db_executor.shutdown(wait=True)  # type: ignore[attr-defined]
        till.register.engine.dispose()  # type: ignore[attr-defined]


def place_order(
    shop: httpx.Client, *, paid_online: bool, lines=(("P0000001", 2), ("P0000002", 1))
) -> dict:  # type: ignore[no-untyped-def]
    response = shop.post(
        "/v1/orders",
        json={
            "channel": "web",
            "store_code": "T01",
            "customer": {
                "name": "Lucía Gómez",
                "phone": "+34 600 123 456",
                "email": "lucia@example.com",
            },
            "lines": [{"sku": sku, "quantity": str(q)} for sku, q in lines],
            "paid_online": paid_online,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["order"]


def backend_order(shop: httpx.Client, number: str) -> dict:
    response = shop.get(f"/v1/orders/{number}")
    assert response.status_code == 200, response.text
    return response.json()["order"]


def backend_level(backend: BackendProcess, sku: str) -> tuple[Decimal, Decimal]:
    """(on hand, reserved) at store T01."""
    engine = create_engine(backend.database)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT s.quantity_milli, s.reserved_milli FROM stock_levels s "
                    "JOIN products p ON p.id = s.product_id "
                    "WHERE p.sku = :sku AND s.store_code = 'T01'"
                ),
                {"sku": sku},
            ).one()
            return Decimal(row[0]) / 1000, Decimal(row[1]) / 1000
    finally:
        engine.dispose()


def pick_all(till: Till, order: dict, skus: dict[str, int]) -> None:
    view = till.pickups.start_picking(order["order_id"])
    for sku, quantity in skus.items():
        for _ in range(quantity):
            till.pickups.scan_item(view.order_id, till.barcode_of(sku))
    till.pickups.mark_ready(view.order_id)


def pay_at_counter(till: Till, order: dict) -> str:
    found = till.pickups.find(order["qr_payload"])
    assert found.verified
    collection = till.pickups.prepare_hand_over(found.order.order_id, order["qr_payload"])
    till.checkout.start_order_sale(collection)
    till.checkout.add_cash(Money(till.checkout.view().payment.due.cents + 500))
    return till.checkout.complete_sale().sale.sale_id


def test_a_web_order_is_picked_made_ready_paid_and_collected_with_stock_moved_once(
    shop, backend, hook, make_till
) -> None:
    till = make_till("Caja 1")
    order = place_order(shop, paid_online=False)
    assert backend_level(backend, "P0000001") == (Decimal(10), Decimal(2))  # reserved

    till.sync_now()  # the order reaches the store's register by the pull
    queue = till.pickups.queue()
    assert [v.number for v in queue.orders] == [order["number"]]

    pick_all(till, order, {"P0000001": 2, "P0000002": 1})
    till.sync_now()
    assert backend_order(shop, order["number"])["status"] == "ready"
    [(notification_id, body)] = hook.wait_for(1)
    assert body["kind"] == "ready" and body["number"] == order["number"]
    assert notification_id == body["id"]

    sale_id = pay_at_counter(till, order)
    till.sync_now()
    final = backend_order(shop, order["number"])
    assert final["status"] == "collected"
    assert [h["status"] for h in final["history"]] == ["pending", "picking", "ready", "collected"]
    # stock moved exactly once: 10 - 2 on hand, nothing reserved any more
    assert backend_level(backend, "P0000001") == (Decimal(8), Decimal(0))
    assert backend_level(backend, "P0000002") == (Decimal(9), Decimal(0))
    engine = create_engine(backend.database)
    try:
        with engine.connect() as conn:
            sales = conn.execute(text("SELECT id FROM sales")).scalars().all()
    finally:
        engine.dispose()
    assert sales == [sale_id]
    assert till.register.sync.attention_items() == []  # type: ignore[attr-defined]
    assert len(hook.received) == 1  # ready once; nothing else happened to tell the customer


def test_picking_and_hand_over_offline_sync_later(shop, backend, make_till) -> None:
    till = make_till("Caja 1")
    order = place_order(shop, paid_online=True)
    till.sync_now()
    # The network goes: everything below is local, in the outbox.
    pick_all(till, order, {"P0000001": 2, "P0000002": 1})
    found = till.pickups.find(order["pickup_code"])
    collection = till.pickups.prepare_hand_over(found.order.order_id, order["pickup_code"])
    done = till.pickups.hand_over_paid(collection)
    assert done.receipt is not None and done.receipt.title == "JUSTIFICANTE DE RECOGIDA"
    assert backend_order(shop, order["number"])["status"] == "pending"  # not synced yet
    assert till.register.sync.unsynced_count() == 3  # type: ignore[attr-defined]
    till.sync_now()  # back online
    assert backend_order(shop, order["number"])["status"] == "collected"
    assert backend_level(backend, "P0000001") == (Decimal(8), Decimal(0))
    assert till.pickups.order(order["order_id"]).status is PickupStatus.COLLECTED


def test_an_order_cancelled_online_while_handed_over_offline_is_a_conflict(
    shop, backend, make_till
) -> None:
    till = make_till("Caja 1")
    order = place_order(shop, paid_online=True)
    till.sync_now()
    pick_all(till, order, {"P0000001": 2, "P0000002": 1})
    till.sync_now()
    # offline at the counter: the customer takes the goods; meanwhile the web cancels
    collection = till.pickups.prepare_hand_over(order["order_id"], order["pickup_code"])
    till.pickups.hand_over_paid(collection)
    assert (
        shop.post(f"/v1/orders/{order['number']}/cancel", json={"reason": "cliente"}).status_code
        == 200
    )
    till.sync_now()
    [item] = till.register.sync.attention_items()  # type: ignore[attr-defined]
    assert item.status == EventStatus.CONFLICT.value and item.code == "pickup_cancelled"
    final = backend_order(shop, order["number"])
    assert final["status"] == "collected"  # the goods left: the hand-over stands
    assert backend_level(backend, "P0000001") == (Decimal(8), Decimal(0))  # moved once


def test_the_same_order_handed_over_at_two_registers_moves_stock_once(
    shop, backend, make_till
) -> None:
    a = make_till("Caja A")
    b = make_till("Caja B")
    order = place_order(shop, paid_online=True)
    a.sync_now()
    pick_all(a, order, {"P0000001": 2, "P0000002": 1})
    a.sync_now()
    b.sync_now()  # B sees it ready
    for till in (a, b):  # both hand it over before either syncs
        collection = till.pickups.prepare_hand_over(order["order_id"], order["pickup_code"])
        till.pickups.hand_over_paid(collection)
    a.sync_now()
    b.sync_now()
    assert a.register.sync.attention_items() == []  # type: ignore[attr-defined]
    [item] = b.register.sync.attention_items()  # type: ignore[attr-defined]
    assert item.code == "pickup_already_collected"
    assert backend_order(shop, order["number"])["status"] == "collected"
    assert backend_level(backend, "P0000001") == (Decimal(8), Decimal(0))


def test_an_order_left_uncollected_expires_releases_its_stock_and_a_late_ready_is_a_conflict(
    shop, backend, hook, make_till
) -> None:
    till = make_till("Caja 1")
    order = place_order(shop, paid_online=True)
    till.sync_now()
    pick_all(till, order, {"P0000001": 2, "P0000002": 1})  # picked, not synced yet
    # The days pass: the order's time runs out at the backend, which expires it.
    from datetime import UTC, datetime, timedelta

    from sync.server.tables import pickup_orders

    engine = create_engine(backend.database)
    try:
        with engine.begin() as conn:
            conn.execute(
                pickup_orders.update()
                .where(pickup_orders.c.number == order["number"])
                .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
            )
    finally:
        engine.dispose()
    server_cli("expire-orders", database=backend.database)
    assert backend_order(shop, order["number"])["status"] == "expired"
    assert backend_level(backend, "P0000001") == (Decimal(10), Decimal(0))  # released
    kinds = [body["kind"] for _id, body in hook.wait_for(1)]
    assert kinds == ["expired"]
    till.sync_now()  # the late "picking" and "ready" arrive: nothing changes at the backend
    codes = {item.code for item in till.register.sync.attention_items()}  # type: ignore[attr-defined]
    assert codes == {"pickup_expired"}
    assert backend_order(shop, order["number"])["status"] == "expired"
    assert till.pickups.order(order["order_id"]).status is PickupStatus.EXPIRED
    assert backend_level(backend, "P0000001") == (Decimal(10), Decimal(0))
