"""Kill -9: the register process is SIGKILLed at chosen points inside the sale commit and inside
a push, and at random moments. After every kill the register database passes
``PRAGMA integrity_check``, every sale the cashier saw completed is still in it, and no sale is
doubled at the backend; at the end no completed sale is lost, every one reached the backend once,
the outbox is empty and the receipt numbers have no gaps.

The points (each must take at least one kill, or the test fails):

- ``sale.before_commit``: the sale's transaction is written, not committed;
- ``sale.after_commit``: committed, before the cashier is told;
- ``push.before_send``: a batch read from the outbox, not sent;
- ``push.after_send``: the request sent and taken by the backend, its answer not read (the
  test's proxy holds the answer back and kills the register, which is waiting for it);
- ``push.after_answer``: the answer read, before the outbox is marked;
- ``push.before_mark_commit``: inside the transaction that marks the outbox, before its COMMIT;
- ``push.after_mark``: the outbox marked;
- ``random``: at a random moment 0.05-0.5 s into a run of 30 sales.

The register runs as a subprocess (``kill9_driver.py``) against a real ``mostrador-server`` on
SQLite. ``MOSTRADOR_KILLS`` sets the number of kills (default 16, at least 8; the full run is
300: ``MOSTRADOR_KILLS=300 python -m pytest tests/reliability/test_kill9.py -s``);
``MOSTRADOR_KILL_SEED`` replays a run. The kills per point are written to stderr and appear in
every assertion message.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fault_proxy import LOST_ANSWER, PASS, FaultProxy
from sqlalchemy import create_engine, text
from support import BackendProcess, backend_process, enrollment_code

from pos_app.bootstrap import enroll_register
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database

pytestmark = pytest.mark.slow

DRIVER = Path(__file__).with_name("kill9_driver.py")
AFTER_SEND = "push.after_send"  # not a failpoint: the proxy kills the register
POINTS = (
    "sale.before_commit",
    "sale.after_commit",
    "push.before_send",
    AFTER_SEND,
    "push.after_answer",
    "push.before_mark_commit",
    "push.after_mark",
)
RANDOM = "random"
SIGKILLED = -9
KILLS = int(os.environ.get("MOSTRADOR_KILLS", "16"))


@pytest.fixture
def backend(tmp_path) -> Iterator[BackendProcess]:
    db = f"sqlite:///{tmp_path / 'backend.sqlite3'}"
    with backend_process(tmp_path, db, products=20) as served:
        yield served


@dataclass
class Enrolled:
    db: Path
    token_file: Path
    barcode: str


@pytest.fixture
def register(backend, tmp_path) -> Enrolled:
    code = enrollment_code(backend)
    db = tmp_path / "register" / "register.sqlite3"
    engine = open_database(db)
    try:
        tokens = MemoryTokenStore()
        enroll_register(engine, backend.url, code, "Caja kill9", tokens)
        with engine.connect() as conn:
            device = conn.execute(text("SELECT device_id FROM sync_state")).scalar_one()
            barcode = conn.execute(
                text(
                    "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
                    "WHERE p.sku = 'P0000001' LIMIT 1"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    token_file = tmp_path / "token.txt"
    token_file.write_text(tokens.get(device) or "")
    return Enrolled(db, token_file, barcode)


def run_driver(
    backend: BackendProcess,
    reg: Enrolled,
    *,
    sales: int,
    point: str | None = None,
    skip: int = 0,
    kill_after: float | None = None,
) -> tuple[int, list[str], str]:
    """Run the register once; its return code, the receipts it saw completed, its stderr.

    ``point``: a failpoint name, armed in the driver, or ``AFTER_SEND``: the driver talks to the
    backend through a proxy that lets ``skip`` pushes through, then forwards the next one, holds
    the backend's answer and kills the driver before handing it over."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOSTRADOR_FAILPOINT")}
    proxy: FaultProxy | None = None
    proc: subprocess.Popen[str] | None = None
    url = backend.url
    if point == AFTER_SEND:
        target = urlsplit(backend.url)
        assert target.hostname is not None and target.port is not None

        def kill_the_register(path: str) -> None:
            assert proc is not None
            proc.kill()  # SIGKILL, while it waits for this answer
            proc.wait(30)

        proxy = FaultProxy(
            target.hostname,
            target.port,
            schedule=[PASS] * skip + [LOST_ANSWER],
            schedule_path="/v1/sync/push",
            on_lost_answer=kill_the_register,
        ).start()
        url = proxy.url
    elif point is not None:
        env["MOSTRADOR_FAILPOINT"] = point
        env["MOSTRADOR_FAILPOINT_SKIP"] = str(skip)
    args = [sys.executable, str(DRIVER), "--db", str(reg.db), "--backend", url]
    args += ["--token-file", str(reg.token_file), "--barcode", reg.barcode]
    args += ["--sales", str(sales)]
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    first = ""
    try:
        if kill_after is not None:
            assert proc.stdout is not None
            first = proc.stdout.readline()  # "ready": the register is open, selling starts
            time.sleep(kill_after)
            proc.kill()  # SIGKILL
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        if proxy is not None:
            proxy.stop()
    if proxy is not None and proxy.errors:
        stderr += f"\nproxy errors: {proxy.errors}"
    # Only whole lines: a line cut by the kill is not a sale the cashier saw completed.
    receipts = re.findall(r"^sale (\S+)\n", first + stdout, re.MULTILINE)
    return proc.returncode, receipts, stderr


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def rows(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


# Where a push was killed, seen from both ends. Killed before its first send (skip 0), a run
# sent the backend nothing. Killed once a batch was sent, the backend holds the oldest event the
# outbox still has (a batch starts at the oldest), and the register does not know yet.
NOT_SENT = {"push.before_send"}
SENT_NOT_MARKED = {AFTER_SEND, "push.after_answer", "push.before_mark_commit"}


def backend_last_seq(backend: BackendProcess) -> int:
    return int(rows(backend.database, "SELECT max(last_seq) FROM devices")[0][0] or 0)


def check_where_the_push_died(
    point: str, skip: int, taken_before: int, backend: BackendProcess, reg_url: str, report
) -> None:
    taken = backend_last_seq(backend)
    if point in NOT_SENT and skip == 0:
        assert taken == taken_before, f"{point}: the backend took events from this run{report()}"
    if point in SENT_NOT_MARKED:
        (oldest,) = rows(reg_url, "SELECT min(seq) FROM outbox WHERE state = 'pending'")[0]
        assert oldest is not None, f"{point}: the outbox is empty after the kill{report()}"
        assert taken >= oldest, f"{point}: the backend never got seq {oldest}{report()}"


def plan(rng: random.Random) -> Iterator[tuple[str, int]]:
    """(point, skip) for each run: the points in turn, every fourth run a random kill."""
    turn = 0
    while True:
        for _ in range(3):
            yield POINTS[turn % len(POINTS)], rng.randint(0, 2)
            turn += 1
        yield RANDOM, 0


def test_kill9_loses_and_doubles_no_sale(backend, register, record_property) -> None:
    assert KILLS >= len(POINTS) + 1, f"MOSTRADOR_KILLS must be at least {len(POINTS) + 1}"
    seed = int(os.environ.get("MOSTRADOR_KILL_SEED", str(random.randrange(2**32))))
    rng = random.Random(seed)
    started = time.monotonic()
    completed: list[str] = []
    hits: Counter[str] = Counter()
    runs: Counter[str] = Counter()
    not_hit: list[str] = []
    reg_url = f"sqlite:///{register.db}"

    def report() -> str:
        summary = ", ".join(f"{p} {hits[p]}/{runs[p]}" for p in (*POINTS, RANDOM))
        return (
            f"\nkill -9 (seed {seed}): {sum(hits.values())} kills in "
            f"{time.monotonic() - started:.1f} s, {len(completed)} completed sales; "
            f"kills/runs per point: {summary}\n"
        )

    steps = plan(rng)
    attempts = 0
    while sum(hits.values()) < KILLS:
        attempts += 1
        assert attempts <= 3 * KILLS, f"too many runs without a kill{report()}"
        point, skip = next(steps)
        taken_before = backend_last_seq(backend)
        if point == RANDOM:
            code, receipts, err = run_driver(
                backend, register, sales=30, kill_after=rng.uniform(0.05, 0.5)
            )
        else:
            code, receipts, err = run_driver(backend, register, sales=5, point=point, skip=skip)
        runs[point] += 1
        completed += receipts
        if code == SIGKILLED:
            hits[point] += 1
            check_where_the_push_died(point, skip, taken_before, backend, reg_url, report)
        elif point != RANDOM:
            not_hit.append(f"{point} (skip {skip}): exit {code}\n{err[-2000:]}")
        else:
            assert code == 0, err[-2000:] + report()
        where = f"after run {attempts} ({point}, skip {skip}){report()}"
        assert integrity(register.db) == "ok", f"integrity check failed {where}"
        local = {r[0] for r in rows(reg_url, "SELECT receipt_number FROM sales")}
        lost = sorted(set(completed) - local)
        assert not lost, f"completed sales lost at the register {where}: {lost}"
        at_backend = Counter(
            r[0] for r in rows(backend.database, "SELECT receipt_number FROM sales")
        )
        doubled = sorted(n for n, c in at_backend.items() if c > 1)
        assert not doubled, f"sales doubled at the backend {where}: {doubled}"

    code, receipts, err = run_driver(backend, register, sales=0)  # push what is left
    assert code == 0, err[-2000:] + report()
    sys.stderr.write(report())
    record_property("kills_per_point", dict(hits))

    local_list = [r[0] for r in rows(reg_url, "SELECT receipt_number FROM sales")]
    seqs = sorted(r[0] for r in rows(reg_url, "SELECT receipt_seq FROM sales"))
    at_backend = Counter(r[0] for r in rows(backend.database, "SELECT receipt_number FROM sales"))
    outbox = rows(reg_url, "SELECT seq, state FROM outbox")
    attention = rows(reg_url, "SELECT seq, status, code FROM attention_items")

    assert not not_hit, f"failpoints reached no kill: {not_hit}{report()}"
    never = [p for p in (*POINTS, RANDOM) if hits[p] == 0]
    assert not never, f"points that took no kill: {never}{report()}"
    assert len(set(completed)) == len(completed), f"a receipt number printed twice{report()}"
    lost_locally = sorted(set(completed) - set(local_list))
    assert not lost_locally, f"completed sales lost at the register: {lost_locally}{report()}"
    doubled = sorted(n for n, c in at_backend.items() if c > 1)
    assert not doubled, f"sales doubled at the backend: {doubled}{report()}"
    missing = sorted(set(local_list) - set(at_backend))
    assert not missing, f"sales never reached the backend: {missing}{report()}"
    assert set(at_backend) == set(local_list), f"backend has sales the register lacks{report()}"
    assert seqs == list(range(1, len(seqs) + 1)), f"receipt numbers with gaps{report()}"
    assert not outbox, f"outbox not empty: {outbox}{report()}"
    assert not attention, f"events needing attention: {attention}{report()}"
