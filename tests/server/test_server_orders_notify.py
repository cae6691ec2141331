"""Customer notifications (an outbox delivered at least once through a real loopback webhook
that fails at first) and the expiry of orders not collected in time (a clock moved by hand)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from support import WebhookReceiver

from sync.protocol import OrderCreate
from sync.server.cli import main
from sync.server.core.config import ServerSettings
from sync.server.services.catalog import product_id_for_sku
from sync.server.services.housekeeping import expire_due_orders
from sync.server.services.notifications import WebhookNotifier, deliver_due
from sync.server.services.orders import OrderSettings, create_channel_key, create_order
from sync.server.tables import notifications, stock_levels

FAST = {"deliver_every": 0.05, "retry_first": 0.05, "retry_max": 0.2, "expire_every": 3600.0}


@pytest.fixture
def receiver():
    made: list[WebhookReceiver] = []

    def make(failures: int = 0) -> WebhookReceiver:
        made.append(WebhookReceiver(failures))
        return made[-1]

    yield make
    for r in made:
        r.close()


def _request(ref: str = "") -> dict:
    return {
        "channel": "web",
        "external_ref": ref,
        "store_code": "T01",
        "customer": {"name": "Lucía", "phone": "600111222", "email": "lucia@example.com"},
        "lines": [{"sku": "P0001", "quantity": "2"}, {"sku": "P0003", "quantity": "1"}],
        "paid_online": True,
    }


@pytest.fixture
def seeded(unserved, tmp_path):
    unserved.store("T01")
    unserved.catalog(tmp_path)
    unserved.set_stock("T01", "P0001", 10)
    with unserved.database.writing() as conn:
        unserved.web_key = create_channel_key(conn, "web")
    return unserved


def _settings(**given) -> ServerSettings:
    return ServerSettings(**{**FAST, **given})


def _client(server, key):
    import httpx

    return httpx.Client(
        base_url=server.base_url,
        headers={"X-Mostrador-Protocol": "1", "Authorization": f"Bearer {key}"},
        timeout=10,
    )


def test_a_notification_reaches_a_failing_webhook_at_least_once_with_a_stable_id(
    seeded, serve, receiver
):
    hook = receiver(failures=2)
    server = serve(settings=_settings(notify_webhook=hook.url))
    with _client(server, seeded.web_key) as client:
        order = client.post("/v1/orders", json=_request()).json()["order"]
        cancelled = client.post(f"/v1/orders/{order['number']}/cancel", json={"reason": "roto"})
        assert cancelled.status_code == 200
    attempts = hook.wait_for(3)
    time.sleep(0.3)  # no more attempts once it was accepted
    assert len(hook.received) == 3
    ids = {header for header, _ in attempts}
    assert len(ids) == 1
    (notification_id,) = ids
    body = attempts[-1][1]
    assert body["id"] == notification_id
    assert (body["kind"], body["number"], body["status"]) == (
        "cancelled",
        order["number"],
        "cancelled",
    )
    assert body["customer"] == {"name": "Lucía", "phone": "600111222", "email": "lucia@example.com"}
    assert body["missing"] == [] and body["note"] == "roto"
    with seeded.database.reading() as conn:
        row = conn.execute(select(notifications)).one()
    assert (row.id, row.attempts, row.delivered_at is not None) == (notification_id, 3, True)
    assert row.last_error is None


def test_a_ready_notification_lists_the_missing_lines(seeded):
    db = seeded.database
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    with db.writing() as conn:
        order, _ = create_order(
            conn, "web", OrderCreate.model_validate(_request()), settings=OrderSettings(), now=now
        )
    from sync.protocol import PickupTransitionPayload
    from sync.server.services.orders import commit_changes, decide_transition, load_orders
    from sync.server.services.registers import DeviceIdentity

    device = DeviceIdentity("dev-1", "T01", "C01", "Caja")
    payload = PickupTransitionPayload(
        order_id=order.order_id, number=order.number, register_code="C01", cashier="Ana",
        at=now, to_status="ready", base_version=1, lines=[{"line_no": 1, "quantity": "1.5"},
                                                          {"line_no": 2, "quantity": "0"}],
    )  # fmt: skip
    with db.writing() as conn:
        decision = decide_transition(
            load_orders(conn, [order.order_id])[order.order_id], payload, device,
            event_id="e1", now=now,
        )  # fmt: skip
        assert decision.change is not None
        commit_changes(conn, [decision.change], now=now)
    sent: list[dict] = []

    class Recording:
        def send(self, notification: dict) -> None:
            sent.append(notification)

    assert deliver_due(db, Recording(), now=now).delivered == 1
    assert deliver_due(db, Recording(), now=now).delivered == 0  # delivered: not again
    (note,) = sent
    assert note["kind"] == "ready"
    assert [(m["sku"], m["ordered"], m["picked"], m["missing"]) for m in note["missing"]] == [
        ("P0001", "2", "1.5", "0.5"),
        ("P0003", "1", "0", "1"),
    ]


def test_notifications_written_while_no_one_delivers_them_survive_a_restart(
    seeded, serve, receiver
):
    # the first process cannot deliver (its webhook is refused) and stops
    dead = receiver()
    dead_url = dead.url
    dead.close()
    first = serve(settings=_settings(notify_webhook=dead_url, retry_first=60.0))
    with _client(first, seeded.web_key) as client:
        order = client.post("/v1/orders", json=_request()).json()["order"]
        client.post(f"/v1/orders/{order['number']}/cancel", json={})
    time.sleep(0.2)
    first.stop()
    with seeded.database.reading() as conn:
        row = conn.execute(select(notifications)).one()
    assert row.delivered_at is None
    # the next process delivers it, once the wait of the failed attempt is over
    with seeded.database.writing() as conn:
        conn.execute(notifications.update().values(next_attempt_at=datetime.now(UTC)))
    hook = receiver()
    serve(settings=_settings(notify_webhook=hook.url))
    ((header, body),) = hook.wait_for(1)
    assert header == row.id == body["id"]
    assert body["kind"] == "cancelled"


def test_a_webhook_that_answers_non_2xx_or_is_away_fails_the_delivery(seeded, receiver):
    hook = receiver(failures=1)
    notifier = WebhookNotifier(hook.url, timeout=2)
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    with seeded.database.writing() as conn:
        order, _ = create_order(
            conn, "web", OrderCreate.model_validate(_request()), settings=OrderSettings(), now=now
        )
    with seeded.database.writing() as conn:
        from sync.server.services.orders import cancel_order

        cancel_order(conn, "web", order.number, "", now=now)
    try:
        first = deliver_due(seeded.database, notifier, now=now, retry_first=30)
        assert (first.delivered, first.failed) == (0, 1)
        assert deliver_due(seeded.database, notifier, now=now + timedelta(seconds=29)).failed == 0
        later = deliver_due(seeded.database, notifier, now=now + timedelta(seconds=31))
        assert (later.delivered, later.failed) == (1, 0)
    finally:
        notifier.close()
    with seeded.database.reading() as conn:
        assert conn.execute(select(notifications.c.attempts)).scalar() == 2


# --- expiry ---------------------------------------------------------------------------------


def _reserved(db, sku="P0001"):
    with db.reading() as conn:
        return conn.execute(
            select(stock_levels.c.reserved_milli).where(
                stock_levels.c.store_code == "T01",
                stock_levels.c.product_id == product_id_for_sku(sku),
            )
        ).scalar()


def test_orders_not_collected_in_time_expire_and_release_their_reservation(seeded):
    db = seeded.database
    start = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    with db.writing() as conn:
        old, _ = create_order(
            conn, "web", OrderCreate.model_validate(_request("A")), settings=OrderSettings(3),
            now=start,
        )  # fmt: skip
        young, _ = create_order(
            conn, "web", OrderCreate.model_validate(_request("B")), settings=OrderSettings(3),
            now=start + timedelta(days=2),
        )  # fmt: skip
    assert old.expires_at == start + timedelta(days=3)
    assert _reserved(db) == 4_000

    assert expire_due_orders(db, now=start + timedelta(days=3) - timedelta(seconds=1)) == []
    assert expire_due_orders(db, now=start + timedelta(days=3)) == [old.number]
    assert expire_due_orders(db, now=start + timedelta(days=3, hours=1)) == []  # only once
    assert _reserved(db) == 2_000
    with db.reading() as conn:
        kinds = conn.execute(select(notifications.c.kind)).scalars().all()
        from sync.server.services.orders import order_by_number

        expired = order_by_number(conn, old.number)
    assert kinds == ["expired"]
    assert (expired.status.value, expired.version, expired.history[-1].by) == (
        "expired",
        2,
        "system",
    )
    assert expire_due_orders(db, now=start + timedelta(days=30)) == [young.number]
    assert _reserved(db) == 0


def test_the_expire_orders_command_expires_what_is_due(seeded, database_url, capsys):
    long_ago = datetime.now(UTC) - timedelta(days=8)
    with seeded.database.writing() as conn:
        order, _ = create_order(
            conn, "web", OrderCreate.model_validate(_request()), settings=OrderSettings(),
            now=long_ago,
        )  # fmt: skip
    assert main(["expire-orders", "--database", database_url]) == 0
    assert order.number in capsys.readouterr().out
    assert _reserved(seeded.database) == 0
    assert main(["expire-orders", "--database", database_url]) == 0
    assert "0 order(s) expired" in capsys.readouterr().out


def test_the_channel_key_command_prints_a_key_that_works_once_stored_as_a_hash(
    seeded, database_url, capsys
):
    assert main(["channel-key", "--name", "phone", "--database", database_url]) == 0
    key = capsys.readouterr().out.strip()
    from sync.server.services.orders import channel_of_key
    from sync.server.tables import channel_keys

    with seeded.database.reading() as conn:
        assert channel_of_key(conn, key) == "phone"
        hashes = conn.execute(select(channel_keys.c.key_hash)).scalars().all()
    assert key not in hashes
    assert main(["channel-key", "--name", "Not Valid!", "--database", database_url]) == 2
