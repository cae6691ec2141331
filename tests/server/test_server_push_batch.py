"""Push in groups: many pushes taken in one transaction, each event still exactly once, a bad
event isolated, a failed group leaving nothing half-taken, and several server processes."""

from __future__ import annotations

import hashlib
import os
import select as select_module
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from sync.protocol import PROTOCOL_HEADER, ErrorBody, OutboxEvent, PushResponse
from sync.server.core.config import ENV_DATABASE
from sync.server.core.security import hash_token
from sync.server.database import Database
from sync.server.errors import Revoked, Unauthorized
from sync.server.services import push as push_service
from sync.server.services._sql import dumps
from sync.server.services.catalog import product_id_for_sku
from sync.server.services.registers import revoke_register
from sync.server.tables import change_log, devices, processed_events, sales, stock_levels

CLI = str(Path(sys.executable).with_name("mostrador-server"))


@pytest.fixture
def shop(backend, tmp_path):
    backend.store("T01")
    backend.store("T02")
    backend.catalog(tmp_path)
    return backend


def _push(backend, register, *events) -> PushResponse:
    response = backend.client(register.token).post("/v1/sync/push", json={"events": list(events)})
    assert response.status_code == 200, response.text
    return PushResponse.model_validate(response.json())


def _group_push(register, events):
    """A push as the writer queues it (by token), for ``take_pushes``."""
    prepared = tuple(push_service.prepare(OutboxEvent.model_validate(e)) for e in events)
    return push_service._Push(prepared, token_hash=hash_token(register.token))


def _level(backend, store, sku):
    return backend.scalar(
        select(stock_levels.c.quantity_milli).where(
            stock_levels.c.store_code == store,
            stock_levels.c.product_id == product_id_for_sku(sku),
        )
    )


def _last_seq(backend, register):
    return backend.scalar(select(devices.c.last_seq).where(devices.c.id == register.device_id))


def _sales(register, numbers, make_sale, make_event, first_seq=1, sku="P0001"):
    return [
        make_event(seq, make_sale(register, [(sku, "1", 349)], number=n))
        for seq, n in enumerate(numbers, start=first_seq)
    ]


def test_a_rejection_in_the_middle_of_a_batch_leaves_the_events_around_it_applied(
    shop, make_sale, make_event
):
    register = shop.enroll()
    before = make_event(1, make_sale(register, [("P0001", "1", 349)], number=1))
    wrong_total = make_event(2, make_sale(register, [("P0001", "1", 349)], number=2, total_cents=1))
    after = make_event(3, make_sale(register, [("P0002", "2", 198)], number=3))
    result = _push(shop, register, before, wrong_total, after)
    assert [(r.seq, r.status.value, r.code) for r in result.results] == [
        (1, "applied", None),
        (2, "rejected", "totals_mismatch"),
        (3, "applied", None),
    ]
    assert result.last_seq == 3
    assert shop.count(sales) == 2
    assert shop.count(processed_events) == 3
    assert _level(shop, "T01", "P0001") == -1_000
    assert _level(shop, "T01", "P0002") == -2_000


def test_pushes_of_several_registers_are_taken_in_one_transaction(shop, make_sale, make_event):
    a, b = shop.enroll(name="A"), shop.enroll(name="B")
    other = shop.enroll("T02", name="C")
    revoked = shop.enroll(name="D")
    with shop.database.writing() as conn:
        revoke_register(conn, revoked.device_id)
    a_events = _sales(a, [1, 2, 3], make_sale, make_event)
    pushes = [
        _group_push(a, a_events[:2]),
        _group_push(b, _sales(b, [1], make_sale, make_event, sku="P0003")),
        _group_push(a, a_events),  # the same register again in the group: 1-2 now duplicates
        _group_push(other, _sales(other, [1, 2], make_sale, make_event)),
        _group_push(revoked, _sales(revoked, [1], make_sale, make_event)),
        _group_push(SimpleNamespace(token="nobody's"), a_events[:1]),
    ]
    counter_before = shop.scalar(select(func.max(change_log.c.seq)))
    answers = push_service.take_pushes(shop.database, pushes)

    statuses = [
        [(r.seq, r.status.value) for r in answer.results]
        for answer in answers
        if isinstance(answer, PushResponse)
    ]
    assert statuses == [
        [(1, "applied"), (2, "applied")],
        [(1, "applied")],
        [(1, "duplicate"), (2, "duplicate"), (3, "applied")],
        [(1, "applied"), (2, "applied")],
    ]
    assert isinstance(answers[4], Revoked)
    assert isinstance(answers[5], Unauthorized)
    assert [a.last_seq for a in answers[:4]] == [2, 1, 3, 2]
    assert shop.count(sales) == 6
    assert _level(shop, "T01", "P0001") == -3_000
    assert _level(shop, "T01", "P0003") == -1_000
    assert _level(shop, "T02", "P0001") == -2_000
    # One range of the change log for the group: one stock change per store and product.
    stock_changes = shop.count(
        change_log, change_log.c.entity == "stock", change_log.c.seq > (counter_before or 0)
    )
    assert stock_changes == 3
    assert _last_seq(shop, revoked) == 0


def test_a_group_tells_apart_every_kind_of_record_it_reads_together(shop, make_sale, make_event):
    """Event ids, sales and products taken before are read in one statement: a group that
    needs all three still decides each event from the right one."""
    a, b, c = shop.enroll(name="A"), shop.enroll(name="B"), shop.enroll(name="C")
    taken = make_event(1, make_sale(a, [("P0001", "1", 349)], number=1))
    assert [r.status.value for r in _push(shop, a, taken).results] == ["applied"]
    answers = push_service.take_pushes(
        shop.database,
        [
            _group_push(b, [taken]),  # the same event from a register enrolled again
            _group_push(
                a,
                [
                    make_event(2, taken["payload"]),  # the same sale in another event
                    make_event(3, make_sale(a, [("NOPE", "1", 100)], number=3)),
                ],
            ),
            _group_push(c, [make_event(1, make_sale(c, [("P0002", "1", 99)], number=1))]),
        ],
    )
    assert [
        [(r.status.value, r.code) for r in answer.results]
        for answer in answers
        if isinstance(answer, PushResponse)
    ] == [
        [("duplicate", None)],
        [("rejected", "duplicate_sale"), ("conflict", "unknown_product")],
        [("applied", None)],
    ]
    assert shop.count(sales) == 3
    assert _level(shop, "T01", "P0002") == -1_000


def test_a_transient_failure_of_a_group_answers_503_and_the_resend_converges(
    shop, make_sale, make_event, monkeypatch
):
    register = shop.enroll()
    events = _sales(register, range(1, 7), make_sale, make_event)
    assert [r.status.value for r in _push(shop, register, *events[:3]).results] == ["applied"] * 3

    calls = Counter()

    def database_away(*args, **kwargs):
        calls["record_changes"] += 1
        raise OperationalError("UPDATE ...", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(push_service, "record_changes", database_away)
    response = shop.client(register.token).post("/v1/sync/push", json={"events": events})
    assert response.status_code == 503
    assert ErrorBody.model_validate(response.json()).code == "unavailable"
    assert calls["record_changes"] == 3  # tried again, then given up
    # Nothing of the failed group stays: the first three (an earlier commit) are all there is.
    assert _last_seq(shop, register) == 3
    assert shop.count(sales) == 3
    assert shop.count(processed_events) == 3

    monkeypatch.undo()
    again = _push(shop, register, *events)  # the register sends its outbox again
    assert [r.status.value for r in again.results] == ["duplicate"] * 3 + ["applied"] * 3
    assert again.last_seq == 6
    assert shop.count(sales) == 6
    assert _level(shop, "T01", "P0001") == -6_000


def test_a_failure_of_one_event_leaves_the_other_pushes_and_the_events_before_it_taken(
    shop, make_sale, make_event, monkeypatch
):
    """Not a rejection but a fault (a bug, a constraint nobody foresaw): the group is taken
    again in smaller transactions, so only the faulty event's push fails, after the events
    before it; its register's resend converges once the fault is gone."""
    faulty, bystander = shop.enroll(name="A"), shop.enroll(name="B")
    events = _sales(faulty, [1, 2, 3], make_sale, make_event)
    poisoned = events[1]["payload"]["sale_id"]
    original = push_service._Group._apply_sale

    def apply_sale(self, device, prepared, sale):
        if sale.sale_id == poisoned:
            raise IntegrityError("INSERT INTO sales ...", {}, ValueError("a fault"))
        return original(self, device, prepared, sale)

    monkeypatch.setattr(push_service._Group, "_apply_sale", apply_sale)
    answers = push_service.take_pushes(
        shop.database,
        [
            _group_push(faulty, events),
            _group_push(bystander, _sales(bystander, [1, 2], make_sale, make_event)),
        ],
    )
    assert isinstance(answers[0], IntegrityError)
    assert isinstance(answers[1], PushResponse)
    assert [r.status.value for r in answers[1].results] == ["applied", "applied"]
    assert _last_seq(shop, faulty) == 1  # the event before the faulty one was taken
    assert _last_seq(shop, bystander) == 2

    response = shop.client(faulty.token).post("/v1/sync/push", json={"events": events})
    assert response.status_code == 500
    assert ErrorBody.model_validate(response.json()).code == "internal"

    monkeypatch.undo()
    again = _push(shop, faulty, *events)
    assert [r.status.value for r in again.results] == ["duplicate", "applied", "applied"]
    assert shop.count(sales) == 5


def test_concurrent_registers_are_grouped_and_each_sale_is_taken_once(shop, make_sale, make_event):
    registers = [shop.enroll(name=f"Caja {i}") for i in range(8)]
    per_register, skus = 15, ("P0001", "P0002", "P0003")
    errors: list[BaseException] = []
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(index: int) -> None:
        register = registers[index]
        client = shop.client(register.token)
        try:
            for seq in range(1, per_register + 1):
                sku = skus[(index + seq) % len(skus)]
                event = make_event(seq, make_sale(register, [(sku, "1", 349)], number=seq))
                response = client.post("/v1/sync/push", json={"events": [event]})
                assert response.status_code == 200, response.text
                body = response.json()
                with lock:
                    outcomes.update(r["status"] for r in body["results"])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(registers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    total = len(registers) * per_register
    assert outcomes == {"applied": total}
    assert shop.count(sales) == total
    assert sum(-(_level(shop, "T01", sku) or 0) for sku in skus) == total * 1000
    assert {_last_seq(shop, r) for r in registers} == {per_register}
    # compaction: one stock change per product in the log, whatever the number of groups
    assert shop.count(change_log, change_log.c.entity == "stock") == len(skus)


def test_two_writers_on_one_database_never_deadlock(shop, make_sale, make_event):
    """Two server processes' push writers (here two in one process, each with its own
    engine) take the same pushes at once, whose sales lock the same stock rows in opposite
    orders of arrival: rows are locked in one order, so no deadlock (which would be a 503),
    and each event is taken once."""
    registers = [shop.enroll(name=f"Caja {i}") for i in range(6)]
    writers = [push_service.PushWriter(Database(shop.database.url, pool_size=2)) for _ in "ab"]
    for writer in writers:
        writer.start()
    skus, rounds = ("P0001", "P0002", "P0003"), 8
    try:
        futures = []
        for seq in range(1, rounds + 1):
            for i, register in enumerate(registers):
                order = skus if (seq + i) % 2 else skus[::-1]
                lines = [(sku, "1", 349) for sku in order]
                event = OutboxEvent.model_validate(
                    make_event(seq, make_sale(register, lines, number=seq))
                )
                futures.extend(writer.submit(register.token, [event]) for writer in writers)
        answers = [future.result(timeout=120) for future in futures]
    finally:
        for writer in writers:
            writer.close()
            writer._db.dispose()
    statuses = Counter(r.status.value for answer in answers for r in answer.results)
    assert statuses == {"applied": rounds * len(registers), "duplicate": rounds * len(registers)}
    assert shop.count(sales) == rounds * len(registers)
    assert {_level(shop, "T01", sku) for sku in skus} == {-rounds * len(registers) * 1000}


def test_the_digest_is_the_one_earlier_versions_stored(make_event):
    """Stored digests are compared with new ones for ever: the text hashed must not change."""
    event = OutboxEvent.model_validate(
        make_event(7, {"b": ["é", 1.5, None], "a": {"z": "\\u0000 is not a NUL"}})
    )
    document = {
        "event_id": event.event_id,
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(),
        "payload": event.payload,
    }
    expected = hashlib.sha256(dumps(document).encode("utf-8")).hexdigest()
    assert push_service.event_digest(event) == expected
    assert push_service.prepare(event).storable  # a backslash and "u0000" is plain text


def test_the_writer_goes_on_after_a_push_it_could_not_take(
    shop, make_sale, make_event, monkeypatch
):
    register = shop.enroll()
    event = make_event(1, make_sale(register, [("P0001", "1", 349)]))

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the writer")

    monkeypatch.setattr(push_service, "take_pushes", broken)
    response = shop.client(register.token).post("/v1/sync/push", json={"events": [event]})
    assert response.status_code == 500
    monkeypatch.undo()
    assert [r.status.value for r in _push(shop, register, event).results] == ["applied"]


def _ready(process: subprocess.Popen[str], timeout: float = 60) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if select_module.select([process.stdout], [], [], 0.2)[0]:
            line = process.stdout.readline()
            if line.startswith("mostrador-server: ready on "):
                return line.strip().rsplit(" ", 1)[-1]
    raise AssertionError(f"server not ready (exit code {process.poll()})")


def test_serve_with_two_worker_processes_takes_each_event_once(
    shop, database_url, make_sale, make_event
):
    helper = shop  # the database set up; the pushes go to the worker processes below
    env = {k: v for k, v in os.environ.items() if k != ENV_DATABASE}
    process = subprocess.Popen(
        [CLI, "serve", "--database", database_url, "--port", "0", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        url = _ready(process)
        with httpx.Client(base_url=url, headers={PROTOCOL_HEADER: "1"}, timeout=60) as client:
            enrolled = client.post(
                "/v1/enroll", json={"code": helper.code("T01"), "register_name": "Caja"}
            )
            assert enrolled.status_code == 201, enrolled.text
            register = helper.register_from(enrolled.json(), "T01")
            events = _sales(register, range(1, 11), make_sale, make_event)
            statuses: Counter[str] = Counter()
            for _ in range(3):  # new connections: the kernel spreads them over the workers
                with httpx.Client(
                    base_url=url,
                    headers={PROTOCOL_HEADER: "1", "Authorization": f"Bearer {register.token}"},
                    timeout=60,
                ) as one:
                    answer = one.post("/v1/sync/push", json={"events": events})
                    assert answer.status_code == 200, answer.text
                    statuses.update(r["status"] for r in answer.json()["results"])
        assert statuses == {"applied": 10, "duplicate": 20}
        assert helper.count(sales) == 10
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
