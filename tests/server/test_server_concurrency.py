"""Concurrency on PostgreSQL: cursors never skip a change, and several server processes on
one database take every pushed event exactly once."""

from __future__ import annotations

import json
import logging
import os
import random
import select as select_module
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
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

log = logging.getLogger(__name__)
CLI = str(Path(sys.executable).with_name("mostrador-server"))


# --- many writers and pullers at once ---------------------------------------------------------

# The load, scaled from the environment; the defaults take a few seconds.
WRITERS = max(2, int(os.environ.get("MOSTRADOR_TEST_CURSOR_WRITERS", "4")))
TRANSACTIONS = max(2, int(os.environ.get("MOSTRADOR_TEST_CURSOR_TRANSACTIONS", "25")))  # each
PULLERS = max(1, int(os.environ.get("MOSTRADOR_TEST_CURSOR_PULLERS", "3")))
HOLD_TIMEOUT = 20.0


@dataclass(frozen=True)
class _Transaction:
    writer: int
    begin: float  # after its first statement: the transaction exists on the server
    end: float  # just before COMMIT: it still exists
    keys: tuple[str, ...]
    held: bool = False


def _overlapping_pairs(transactions: list[_Transaction]) -> int:
    """Pairs of transactions of different writers that were open at the same moment."""
    ordered = sorted(transactions, key=lambda t: t.begin)
    pairs = 0
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second.begin >= first.end:
                break
            pairs += second.writer != first.writer
    return pairs


def _most_open_at_once(transactions: list[_Transaction]) -> int:
    # At equal times an end counts before a begin: touching intervals do not overlap.
    moments = sorted([(t.begin, 1) for t in transactions] + [(t.end, -1) for t in transactions])
    open_now = most = 0
    for _, step in moments:
        open_now += step
        most = max(most, open_now)
    return most


def _report(request: pytest.FixtureRequest, **figures: object) -> None:
    """A run's figures: in the JUnit XML, in the log, and on the terminal."""
    request.node.user_properties.extend(figures.items())
    line = f"{request.node.name}: " + ", ".join(f"{k}={v}" for k, v in figures.items())
    log.info("%s", line)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # as ``capsys.disabled()`` does
            reporter.ensure_newline()
            reporter.write_line(line)


class _NaiveLog:
    """The trap, written by the same transactions as the real change log: a second log whose
    numbers come from a plain PostgreSQL sequence, taken early in the transaction (as a
    ``serial`` column would give them), and a puller that follows it by value alone
    (``seq > cursor``, the cursor being the highest number seen)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self.cursor = 0
        self.seen: list[tuple[int, str]] = []
        self._moved = threading.Condition()
        with database.writing() as conn:
            conn.execute(text("CREATE SEQUENCE naive_seq"))
            conn.execute(text("CREATE TABLE naive_log (seq bigint PRIMARY KEY, key text NOT NULL)"))

    @staticmethod
    def write(conn, keys: tuple[str, ...]) -> list[int]:
        seqs = []
        for key in keys:
            seq = int(conn.execute(text("SELECT nextval('naive_seq')")).scalar_one())
            conn.execute(
                text("INSERT INTO naive_log (seq, key) VALUES (:s, :k)"), {"s": seq, "k": key}
            )
            seqs.append(seq)
        return seqs

    def follow(self, done: threading.Event) -> None:
        rng = random.Random()
        query = text("SELECT seq, key FROM naive_log WHERE seq > :c ORDER BY seq LIMIT :n")
        while True:
            finished = done.is_set()  # read before pulling: a last full pass after the end
            with self._database.reading() as conn:
                rows = conn.execute(query, {"c": self.cursor, "n": rng.randint(1, 9)}).all()
            self.seen.extend((int(seq), key) for seq, key in rows)
            if rows:
                with self._moved:
                    self.cursor = int(rows[-1][0])
                    self._moved.notify_all()
            elif finished:
                return
            else:
                time.sleep(0.002)

    def wait_until_past(self, seq: int, timeout: float) -> bool:
        with self._moved:
            return self._moved.wait_for(lambda: self.cursor > seq, timeout)


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


@dataclass
class _Run:
    transactions: list[_Transaction]
    seen: list[list[tuple[int, str]]]  # by each real puller, in order

    @property
    def written(self) -> list[str]:
        return sorted(key for t in self.transactions for key in t.keys)


def _run_load(backend, naive: _NaiveLog | None = None) -> _Run:
    """``WRITERS`` threads each commit ``TRANSACTIONS`` transactions of one to three changes
    (sleeping inside them, before and after taking their sequences, so that they overlap) while
    ``PULLERS`` registers follow their own cursors over HTTP. With ``naive``, every transaction
    also writes the naive log, and writer 0 holds its first transaction open, its naive numbers
    taken, until the naive puller has moved past them."""
    backend.store()
    pullers = [backend.client(backend.enroll(name=f"Caja {i}").token) for i in range(PULLERS)]
    transactions: list[_Transaction] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def write(w: int) -> None:
        rng = random.Random(w)
        try:
            for i in range(TRANSACTIONS):
                keys = tuple(f"w{w}-{i}-{k}" for k in range(rng.randint(1, 3)))
                held = naive is not None and w == 0 and i == 0
                with backend.database.writing() as conn:
                    conn.execute(text("SELECT 1"))
                    begin = time.monotonic()
                    naive_seqs = naive.write(conn, keys) if naive is not None else []
                    time.sleep(rng.uniform(0, 0.008))  # work before: transactions overlap
                    if held:
                        assert naive is not None
                        assert naive.wait_until_past(max(naive_seqs), HOLD_TIMEOUT), (
                            "no later naive number was committed and pulled meanwhile"
                        )
                    record_changes(  # last, as the product does: the counter's lock is short
                        conn, [ChangeEntry(Entity.CATEGORY, key, {"name": key}) for key in keys]
                    )
                    time.sleep(rng.uniform(0, 0.002))  # sequences taken, not yet committed
                    end = time.monotonic()
                with lock:
                    transactions.append(_Transaction(w, begin, end, keys, held))
        except BaseException as exc:
            errors.append(exc)

    done = threading.Event()
    seen: list[list[tuple[int, str]]] = [[] for _ in pullers]
    readers = [
        threading.Thread(target=_follow, args=(client, done, seen[i]), daemon=True)
        for i, client in enumerate(pullers)
    ]
    if naive is not None:
        readers.append(threading.Thread(target=naive.follow, args=(done,), daemon=True))
    writers = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    for thread in readers:
        thread.join(timeout=60)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in readers)
    assert len(transactions) == WRITERS * TRANSACTIONS
    return _Run(transactions, seen)


def _assert_every_puller_saw_every_change_once(run: _Run) -> None:
    expected = run.written
    for changes in run.seen:
        seqs = [seq for seq, _ in changes]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
        keys = [key for _, key in changes if key.startswith("w")]
        assert sorted(keys) == expected  # every change, exactly once


ONLY_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
ONLY_POSTGRES = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


@pytest.mark.postgres
@ONLY_POSTGRES
def test_overlapping_writers_make_a_naive_cursor_skip_changes_but_never_the_real_one(
    backend, request
):
    """On PostgreSQL, under one load of many writers and pullers: the writers' transactions
    really overlap (each one's [first statement, COMMIT] interval is recorded); a puller that
    reads a plain sequence by value misses changes (one is forced: a transaction holds its
    numbers open until later ones were committed and pulled); every register following the real
    cursor sees every change exactly once."""
    naive = _NaiveLog(backend.database)
    run = _run_load(backend, naive)
    unforced = [t for t in run.transactions if not t.held]
    pairs, most_open = _overlapping_pairs(unforced), _most_open_at_once(run.transactions)
    naive_seen = [key for _, key in naive.seen]
    missed = sorted(set(run.written) - set(naive_seen))
    held = next(t for t in run.transactions if t.held)
    real_missed = max(len(set(run.written) - {key for _, key in seen}) for seen in run.seen)
    _report(
        request,
        transactions=len(run.transactions),
        changes=len(run.written),
        overlapping_pairs=pairs,
        most_open_at_once=most_open,
        naive_missed=len(missed),
        real_pullers=len(run.seen),
        real_missed=real_missed,
    )
    assert pairs > 0 and most_open >= 2  # the writers really overlapped, forced or not
    assert len(naive_seen) == len(set(naive_seen))
    assert set(held.keys) <= set(missed)  # the naive cursor skipped the held changes for ever
    _assert_every_puller_saw_every_change_once(run)  # the real cursor skipped nothing


@ONLY_SQLITE
def test_concurrent_writers_never_make_a_cursor_skip_a_change_on_sqlite(backend):
    """The same load on SQLite (one writer at a time, readers alongside): every puller sees
    every change exactly once, in increasing order."""
    _assert_every_puller_saw_every_change_once(_run_load(backend))


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
