"""Concurrency on PostgreSQL: cursors never skip a change, and several server processes on
one database take every pushed event exactly once."""

from __future__ import annotations

import json
import os
import random
import select as select_module
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import Sequence, func, insert, select, text

from sync.protocol import PROTOCOL_HEADER, ChangeOp, Entity
from sync.server.core.config import ENV_DATABASE
from sync.server.database import Database
from sync.server.services.catalog import import_catalog, product_id_for_sku
from sync.server.services.changelog import ChangeEntry, record_changes
from sync.server.services.registers import create_enrollment_code
from sync.server.services.stores import StoreSpec, save_store
from sync.server.tables import (
    change_log,
    devices,
    processed_events,
    sales,
    stock_levels,
)

CLI = str(Path(sys.executable).with_name("mostrador-server"))


def _follow(client: httpx.Client, done: threading.Event, seen: list[tuple[int, str]]) -> None:
    """A register pulling small pages, following its cursor, until the writers are done and
    nothing is left."""
    since = "0"
    rng = random.Random()
    while True:
        finished = done.is_set()  # read before pulling: a last full pass after the end
        response = client.get("/v1/sync/pull", params={"since": since, "limit": rng.randint(1, 9)})
        assert response.status_code == 200, response.text
        body = response.json()
        seen.extend((c["seq"], c["key"]) for c in body["changes"])
        since = body["cursor"]
        if finished and not body["has_more"]:
            return
        if not body["changes"]:
            time.sleep(0.002)


def test_concurrent_writers_never_make_a_cursor_skip_a_change(backend):
    """Writers overlap (sleeps inside their transactions, before and after taking their
    sequences) while pullers follow their own cursors; every puller sees every change exactly
    once, in increasing order."""
    backend.store()
    pullers = [backend.client(backend.enroll(name=f"Caja {i}").token) for i in range(3)]
    writers, per_writer = 4, 25
    written: list[str] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def write(w: int) -> None:
        rng = random.Random(w)
        try:
            for i in range(per_writer):
                keys = [f"w{w}-{i}-{k}" for k in range(rng.randint(1, 3))]
                with backend.database.writing() as conn:
                    time.sleep(rng.uniform(0, 0.008))  # work before: transactions overlap
                    record_changes(
                        conn, [ChangeEntry(Entity.CATEGORY, key, {"name": key}) for key in keys]
                    )
                    time.sleep(rng.uniform(0, 0.002))  # sequences taken, not yet committed
                with lock:
                    written.extend(keys)
        except BaseException as exc:
            errors.append(exc)

    done = threading.Event()
    seen: list[list[tuple[int, str]]] = [[] for _ in pullers]
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    readers = [
        threading.Thread(target=_follow, args=(client, done, seen[i]), daemon=True)
        for i, client in enumerate(pullers)
    ]
    for thread in readers + threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    for thread in readers:
        thread.join(timeout=60)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in readers)

    expected = sorted(written)
    assert len(expected) >= writers * per_writer
    for changes in seen:
        seqs = [seq for seq, _ in changes]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
        keys = [key for _, key in changes if key.startswith("w")]
        assert sorted(keys) == expected  # every change, exactly once


def _insert_change(conn, seq: int, key: str) -> None:
    conn.execute(
        insert(change_log).values(
            seq=seq, entity=Entity.CATEGORY.value, op=ChangeOp.UPSERT.value, key=key, scope="",
            data=json.dumps({"name": key}), changed_at=datetime.now(UTC),
        )
    )  # fmt: skip


def _read_after(database: Database, since: int) -> list[int]:
    with database.reading() as conn:
        query = select(change_log.c.seq).where(change_log.c.seq > since).order_by(change_log.c.seq)
        return list(conn.execute(query).scalars())


ONLY_POSTGRES = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


@pytest.mark.postgres
@ONLY_POSTGRES
def test_the_trap_a_sequence_taken_before_commit_makes_a_cursor_skip(database):
    """What the counter avoids: numbers from a database sequence, taken before commit. A later
    number commits first; a reader moves its cursor past the earlier one and never sees it.
    (This is the failure the tests here would catch.)"""
    naive = Sequence("naive_change_seq", start=1000)
    with database.writing() as conn:
        conn.execute(text("CREATE SEQUENCE naive_change_seq START 1000"))
    with database.writing() as slow:
        early = int(slow.execute(select(naive.next_value())).scalar_one())
        _insert_change(slow, early, "early")
        with database.writing() as fast:
            late = int(fast.execute(select(naive.next_value())).scalar_one())
            _insert_change(fast, late, "late")
        seen = _read_after(database, 999)
        assert seen == [late]
        cursor = seen[-1]
    assert early < late
    assert _read_after(database, cursor) == []  # "early" is committed now, and never seen


@pytest.mark.postgres
@ONLY_POSTGRES
def test_a_writer_takes_its_sequences_only_after_an_earlier_writer_committed(database):
    """The counter's row lock: the second writer waits in ``record_changes`` until the first
    commits, so its sequence is higher and no reader can see it first."""
    second_done = threading.Event()
    second: list[int] = []

    def second_writer() -> None:
        with database.writing() as conn:
            second.extend(record_changes(conn, [ChangeEntry(Entity.CATEGORY, "second")]))
        second_done.set()

    with database.writing() as conn:
        first = list(record_changes(conn, [ChangeEntry(Entity.CATEGORY, "first")]))
        thread = threading.Thread(target=second_writer)
        thread.start()
        assert not second_done.wait(0.5)  # blocked: the first has not committed
        assert _read_after(database, 0) == []  # and nothing is visible yet
    thread.join(timeout=10)
    assert second_done.is_set()
    assert second[0] > first[0]
    assert _read_after(database, 0) == [first[0], second[0]]


# --- several server processes ------------------------------------------------------------


def _start(url: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != ENV_DATABASE}
    return subprocess.Popen(
        [CLI, "serve", "--database", url, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _ready(process: subprocess.Popen[str], timeout: float = 30) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if select_module.select([process.stdout], [], [], 0.2)[0]:
            line = process.stdout.readline()
            if line.startswith("mostrador-server: ready on "):
                return line.strip().rsplit(" ", 1)[-1]
    raise AssertionError(f"server not ready (exit code {process.poll()})")


@pytest.mark.postgres
def test_two_server_processes_on_one_database_take_each_event_once(
    pg_url, tmp_path, make_sale, make_event
):
    # Both start at once on an empty database: their migrations must not collide.
    processes = [_start(pg_url), _start(pg_url)]
    clients: list[httpx.Client] = []
    database = Database(pg_url, pool_size=2)
    try:
        urls = [_ready(p) for p in processes]
        clients = [
            httpx.Client(base_url=url, headers={PROTOCOL_HEADER: "1"}, timeout=60) for url in urls
        ]
        with database.writing() as conn:
            save_store(conn, StoreSpec("T01", "Tienda", "B1", ("Calle 1",)))
        catalog = tmp_path / "catalog.json"
        catalog.write_text(
            json.dumps(
                {
                    "tax_rates": [{"tax_class": "IVA21", "rate": "21", "valid_from": "2012-09-01"}],
                    "products": [
                        {"sku": "P0001", "name": "Café", "tax_class": "IVA21", "price_cents": 349}
                    ],
                }
            ),
            encoding="utf-8",
        )
        import_catalog(database, catalog)
        registers = []
        for i in range(4):
            with database.writing() as conn:
                code = create_enrollment_code(conn, "T01", valid_for=timedelta(hours=1))
            enrolled = clients[i % 2].post(
                "/v1/enroll", json={"code": code, "register_name": f"Caja {i}"}
            )
            assert enrolled.status_code == 201, enrolled.text
            registers.append(enrolled.json())
        assert sorted(r["register_code"] for r in registers) == ["C01", "C02", "C03", "C04"]

        batches, per_batch = 4, 6
        outcomes: list[tuple[int, str, int, str]] = []  # server, device, seq, status
        lock = threading.Lock()
        errors: list[BaseException] = []

        def push(server: int, register: dict, events: list[dict]) -> None:
            try:
                response = clients[server].post(
                    "/v1/sync/push",
                    json={"events": events},
                    headers={"Authorization": f"Bearer {register['token']}"},
                )
                assert response.status_code == 200, response.text
                body = response.json()
                assert body["expected_seq"] is None
                with lock:
                    outcomes.extend(
                        (server, register["device_id"], r["seq"], r["status"])
                        for r in body["results"]
                    )
            except BaseException as exc:
                errors.append(exc)

        def run_register(index: int, register: dict) -> None:
            who = SimpleNamespace(store_code="T01", register_code=register["register_code"])
            events = [
                make_event(seq, make_sale(who, [("P0001", "1", 349)], number=seq))
                for seq in range(1, batches * per_batch + 1)
            ]
            for k in range(batches):
                batch = events[k * per_batch : (k + 1) * per_batch]
                if k == 0:  # each process surely applies some: the first batch goes to one
                    push(index % 2, register, batch)
                    continue
                racing = [  # then the same batch to both processes at once
                    threading.Thread(target=push, args=(server, register, batch))
                    for server in (0, 1)
                ]
                for thread in racing:
                    thread.start()
                for thread in racing:
                    thread.join()

        threads = [
            threading.Thread(target=run_register, args=(i, r)) for i, r in enumerate(registers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors

        total = len(registers) * batches * per_batch
        applied = [(d, s) for _, d, s, status in outcomes if status == "applied"]
        assert sorted(applied) == sorted({(d, s) for _, d, s, _ in outcomes})
        assert len(applied) == total  # each event applied once, whichever process took it
        assert {status for *_, status in outcomes} <= {"applied", "duplicate"}
        by_server = [
            sum(1 for srv, *_, st in outcomes if srv == i and st == "applied") for i in (0, 1)
        ]
        assert all(count > 0 for count in by_server), by_server
        with database.reading() as conn:
            assert conn.execute(select(func.count()).select_from(sales)).scalar_one() == total
            assert (
                conn.execute(select(func.count()).select_from(processed_events)).scalar_one()
                == total
            )
            assert set(conn.execute(select(devices.c.last_seq)).scalars()) == {batches * per_batch}
            level = conn.execute(
                select(stock_levels.c.quantity_milli).where(
                    stock_levels.c.product_id == product_id_for_sku("P0001")
                )
            ).scalar_one()
        assert level == -1000 * total
    finally:
        for client in clients:
            client.close()
        database.dispose()
        for process in processes:
            process.send_signal(signal.SIGINT)
        results = [process.communicate(timeout=30) for process in processes]
    for process, (_, err) in zip(processes, results, strict=True):
        assert process.returncode == 130, err
        assert "Traceback" not in err, err
