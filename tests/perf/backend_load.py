"""Backend load benchmark: many online registers pushing one sale per request to the real
backend, sales counted at the backend afterwards (DESIGN.md section 7).

    python -m tests.perf.backend_load --registers 200 --seconds 30 \\
        --database postgresql+psycopg://postgres@127.0.0.1:5432/mostrador_load --json

The backend is the real ``mostrador-server serve`` process (``--workers N`` of them behind one
socket) on loopback. Its database (the ``--database`` URL given, created on the PostgreSQL
server when it does not exist; by default a SQLite file under ``--cache-dir``/backend-n<N>/) is
prepared with the backend's own commands: create-store (``--stores`` stores, 10 by default, the
registers spread over them), import-catalog of the demo catalog (``--products``), set-stock. It
is reused while it holds the catalog; on PostgreSQL it is vacuumed (untimed) before each run.

Each simulated register is enrolled for real (``POST /v1/enroll`` with a one-time code; the
codes are made with the function behind ``mostrador-server enrollment-code``, in one
transaction, because 200 CLI processes would take minutes). Then, for ``--seconds``, every
register does what an online register does after each sale: it rings up a sale of 1 to 3 random
catalog products with the register's own domain code (``Cart``, ``build_sale_record``,
``sale_to_payload``), pushes it as one ``sale.completed`` outbox event (``PushRequest``
serialised as ``SyncClient.push`` does), waits for the answer, and goes on with the next sale.
A failed push (a 503, a lost connection) is sent again, as the register's outbox would.

With no pause between sales this is a closed loop: N registers, each with one push in flight,
so the mean push time is N / throughput (Little's law); with 200 registers a p99 of 250 ms
needs well over 800 sales/s. ``--rate R`` paces the registers to R sales/s in all instead (each
at its own random phase), to measure the push time at a given load, e.g. the target's 500/s.

The load generator is one asyncio process with one keep-alive HTTP/1.1 connection per register,
written on asyncio streams (an HTTP client library costs more CPU per request, and this
machine has 2 cores shared by generator, server and PostgreSQL). Its own CPU, the
server's and PostgreSQL's, and the whole machine's, are measured over the timed window and
reported, so a generator-bound result can be told apart; ``other_cpu_pct`` is the rest (other
work on the machine), and ``loadavg_1m_before`` the load average when the run started.

Figures:

- ``sales_per_s``: sales counted at the backend (``SELECT count(*) FROM sales``, after minus
  before the timed window) divided by the window's wall seconds (from the first push until the
  last answer of the pushes started before the deadline).
- ``push_p50_ms`` / ``push_p99_ms``: time from writing the request until the whole answer is
  read, for every push of the window (failed ones included), nearest rank.
- ``errors``: counts by kind (``http_503``, ``connection``, ``timeout``, ``status_rejected``...).

A warm-up push per register (connections opened, first sale) is not counted. Progress goes to
stderr; the last line of stdout is one JSON object with ``--json`` (a short table otherwise).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.perf._common import (
    DEFAULT_CACHE_DIR,
    BenchmarkError,
    git_commit,
    machine_description,
    now_iso,
    percentile,
    say,
)
from tests.perf.sync import (
    SERVER,
    STORE,
    backend_sales_count,
    catalog_file,
    free_port,
    prepare_backend,
    server_cmd,
)

if TYPE_CHECKING:
    from pos_app.domain.cart import ProductSnapshot

# DESIGN.md section 7.
TARGETS: dict[str, float] = {
    "sales_per_s": 500.0,  # at least
    "push_p99_ms": 250.0,  # at most
}

PUSH_PATH = "/v1/sync/push"
ENROLL_PATH = "/v1/enroll"


# --- the database ---------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` when it does not exist (SQLite files are
    created by the backend itself)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.pool import NullPool

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    engine = create_engine(parsed, poolclass=NullPool)
    try:
        with engine.connect():
            return
    except OperationalError as exc:
        if "does not exist" not in str(exc):
            raise BenchmarkError(f"cannot reach {parsed.render_as_string()}: {exc}") from exc
    finally:
        engine.dispose()
    name = parsed.database
    if not name or not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise BenchmarkError(f"will not create a database named {name!r}")
    admin = create_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    say(f"created the database {name}")


def vacuum(url: str) -> None:
    """``VACUUM ANALYZE`` a PostgreSQL database (untimed): a database reused from earlier runs
    holds their dead change-log and stock rows, which autovacuum (off on some test servers)
    may not have cleared yet, and would measure slower than a fresh one."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def store_codes(stores: int) -> list[str]:
    return [STORE] + [f"T{i:02d}" for i in range(2, stores + 1)]


def prepare_stores(database: str, codes: Sequence[str]) -> None:
    """Stores beyond T01 (which ``prepare_backend`` makes), with the backend's own command."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            existing = set(conn.execute(text("SELECT code FROM stores")).scalars())
    finally:
        engine.dispose()
    for code in codes:
        if code in existing:
            continue
        server_cmd(
            "create-store",
            "--code",
            code,
            "--name",
            f"Tienda {code}",
            "--tax-id",
            "B11111111",
            "--address",
            f"Calle {code} 1",
            "--address",
            "28013 Madrid",
            database=database,
        )
        say(f"  store {code} created")


def enrollment_codes(database: str, codes_for: Sequence[str]) -> list[str]:
    """One one-time code per register (its store in ``codes_for``), made by the function
    behind ``mostrador-server enrollment-code``, in one transaction."""
    from sync.server.database import Database
    from sync.server.services.registers import create_enrollment_code

    db = Database(database, pool_size=1, max_overflow=0)
    try:
        with db.writing() as conn:
            return [
                create_enrollment_code(conn, store, valid_for=timedelta(hours=1))
                for store in codes_for
            ]
    finally:
        db.dispose()


# --- the catalog the registers sell from -------------------------------------------------------


def load_products(path: Path, sample: int, rng: random.Random) -> list[ProductSnapshot]:
    """Unit-priced products of the catalog file, as a register's cart sees them."""
    from pos_app.domain.cart import Measure, ProductSnapshot
    from pos_app.domain.money import Money
    from pos_app.domain.tax import TaxRate, rate_on
    from pos_app.storage.catalog_loader import product_id_for_sku

    rates: list[TaxRate] = []
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if item.get("kind") == "tax_rate":
                rates.append(
                    TaxRate(
                        item["tax_class"],
                        item["name"],
                        Decimal(item["rate"]),
                        date.fromisoformat(item["valid_from"]),
                        date.fromisoformat(item["valid_to"]) if item.get("valid_to") else None,
                    )
                )
            elif item.get("kind") == "product" and item.get("measure", "unit") == "unit":
                rows.append(item)
    if not rows:
        raise BenchmarkError(f"no unit-priced product in {path}")
    today = datetime.now(UTC).date()
    chosen = rng.sample(rows, min(sample, len(rows)))
    return [
        ProductSnapshot(
            product_id_for_sku(p["sku"]),
            p["sku"],
            p["name"],
            Money(int(p["price_cents"])),
            rate_on(rates, p["tax_class"], today),
            Measure.UNIT,
        )
        for p in chosen
    ]


# --- a simulated register -----------------------------------------------------------------------


@dataclass
class SimRegister:
    device_id: str
    store_code: str
    register_code: str
    token: str
    seq: int = 0  # the last sequence acknowledged
    receipt: int = 0


def sale_event(
    register: SimRegister,
    products: Sequence[ProductSnapshot],
    rng: random.Random,
) -> bytes:
    """The next sale of ``register`` as the body of a push of one event, built by the
    register's own code (the checkout's cart, sale record and outbox payload; the sync
    client's serialisation)."""
    from pos_app.domain.cart import Cart
    from pos_app.domain.ids import new_id
    from pos_app.domain.money import Money
    from pos_app.domain.sale import build_sale_record, format_receipt_number
    from pos_app.services.checkout import SALE_COMPLETED, sale_to_payload
    from sync.protocol import OutboxEvent, PushRequest

    now = datetime.now(UTC)
    cart = Cart(currency="EUR")
    for _ in range(rng.randint(1, 3)):
        cart.add(rng.choice(products), Decimal(rng.choice((1, 1, 1, 2))))
    due = cart.payment().due.cents
    cart.add_cash(Money(due + rng.choice((0, 0, 5, 50, 100))))
    payment = cart.ensure_settled()
    number = register.receipt + 1
    sale = build_sale_record(
        sale_id=new_id(),
        receipt_number=format_receipt_number(
            register.store_code, register.register_code, now.year, number
        ),
        store_code=register.store_code,
        register_code=register.register_code,
        cashier="Carga",
        completed_at=now,
        totals=cart.totals(),
        payment=payment,
        tenders=cart.tenders,
        currency="EUR",
    )
    event = OutboxEvent(
        seq=register.seq + 1,
        event_id=new_id(),
        type=SALE_COMPLETED,
        occurred_at=now,
        payload=sale_to_payload(sale),
    )
    body = PushRequest(events=[event]).model_dump(mode="json")
    return json.dumps(body).encode("utf-8")


class HttpError(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class Connection:
    """One keep-alive HTTP/1.1 connection (what a register's ``httpx.Client`` keeps open)."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self._head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self._writer is not None:
            writer, self._writer, self._reader = self._writer, None, None
            writer.close()
            try:
                await writer.wait_closed()
            except OSError:
                pass

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self._head}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode("ascii")
        self._writer.write(request + body)
        await self._writer.drain()
        head = await self._reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            content = await self._reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self._reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
                parts.append(await self._reader.readexactly(size + 2))
                if size == 0:
                    break
            content = b"".join(p[:-2] for p in parts)
        else:
            raise HttpError("no_length")
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, content


@dataclass
class LoadStats:
    push_ms: list[float] = field(default_factory=list)
    applied: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    first_send: float | None = None
    last_answer: float = 0.0


async def push_once(
    conn: Connection, register: SimRegister, body: bytes, timeout: float
) -> tuple[float, str | None]:
    """Push ``body``; (milliseconds, None when applied, else the error kind)."""
    started = time.perf_counter()
    try:
        status, content = await asyncio.wait_for(conn.post(PUSH_PATH, body), timeout)
    except TimeoutError:
        await conn.close()
        return (time.perf_counter() - started) * 1000, "timeout"
    except HttpError as exc:
        await conn.close()
        return (time.perf_counter() - started) * 1000, exc.kind
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
        await conn.close()
        return (time.perf_counter() - started) * 1000, "connection"
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        return elapsed, f"http_{status}"
    answer = json.loads(content)
    results = answer.get("results") or []
    if answer.get("expected_seq") is not None or len(results) != 1:
        # a gap: the register resends from the expected sequence (not expected here)
        register.seq = int(answer["last_seq"])
        return elapsed, "gap"
    register.seq = int(answer["last_seq"])
    status_text = results[0]["status"]
    if status_text == "applied":
        return elapsed, None
    # duplicate (a resend of a push whose answer was lost), rejected, conflict
    return elapsed, f"status_{status_text}"


@dataclass
class Phases:
    """When the registers start (warm-up: one push each), when the timed window starts, and
    its deadline (no push is started after it)."""

    warm_up: asyncio.Event = field(default_factory=asyncio.Event)
    window: asyncio.Event = field(default_factory=asyncio.Event)
    deadline: float = float("inf")
    interval: float = 0.0  # with --rate: seconds between two sales of one register


async def run_register(
    register: SimRegister,
    host: str,
    port: int,
    products: Sequence[ProductSnapshot],
    rng: random.Random,
    phases: Phases,
    timeout: float,
    stats: LoadStats,
) -> None:
    """A register online: ring up a sale, push it, wait for the answer, next sale."""
    from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

    conn = Connection(
        host,
        port,
        {"Authorization": f"Bearer {register.token}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
    )
    try:
        await phases.warm_up.wait()
        _, error = await push_once(conn, register, sale_event(register, products, rng), timeout)
        if error is not None:
            raise BenchmarkError(f"the warm-up push of {register.register_code}: {error}")
        register.receipt += 1
        await phases.window.wait()
        body: bytes | None = None
        # With --rate, each register's sales are paced (from a random phase, so that the
        # registers do not all push at once); a register running late pushes at once.
        next_sale = time.perf_counter() + rng.random() * phases.interval
        while time.perf_counter() < phases.deadline:
            if body is None:
                if phases.interval:
                    pause = next_sale - time.perf_counter()
                    if pause > 0:
                        await asyncio.sleep(pause)
                    next_sale = max(next_sale + phases.interval, time.perf_counter())
                    if time.perf_counter() >= phases.deadline:
                        break
                body = sale_event(register, products, rng)
            if stats.first_send is None:
                stats.first_send = time.perf_counter()
            elapsed, error = await push_once(conn, register, body, timeout)
            stats.push_ms.append(elapsed)
            stats.last_answer = time.perf_counter()
            if error is None:
                stats.applied += 1
            else:
                stats.errors[error] += 1
            if error in (None, "status_duplicate", "status_rejected", "status_conflict"):
                register.receipt += 1  # taken (or refused for good): on with the next sale
                body = None
            elif error == "gap":
                body = None  # rebuilt with the sequence the backend expects
            else:
                await asyncio.sleep(0.05 + rng.random() * 0.1)  # back off, then resend
    finally:
        await conn.close()


async def enroll_all(
    host: str, port: int, codes: Sequence[tuple[str, str]], parallel: int = 16
) -> list[SimRegister]:
    """Enrol a register with each (store, code), over HTTP as a register does."""
    from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

    gate = asyncio.Semaphore(parallel)
    done: list[SimRegister] = []

    async def one(i: int, store: str, code: str) -> None:
        async with gate:
            conn = Connection(host, port, {PROTOCOL_HEADER: str(PROTOCOL_VERSION)})
            try:
                body = json.dumps({"code": code, "register_name": f"Caja carga {i + 1}"}).encode()
                status, content = await conn.post(ENROLL_PATH, body)
            finally:
                await conn.close()
            if status != 201:
                raise BenchmarkError(f"enrolment {i + 1} answered {status}: {content[:300]!r}")
            answer = json.loads(content)
            done.append(
                SimRegister(answer["device_id"], store, answer["register_code"], answer["token"])
            )

    await asyncio.gather(*(one(i, store, code) for i, (store, code) in enumerate(codes)))
    return done


async def drive(
    registers: Sequence[SimRegister],
    host: str,
    port: int,
    products: Sequence[ProductSnapshot],
    seed: int,
    seconds: float,
    timeout: float,
    database: str,
    meters: CpuMeters,
    rate: float,
) -> tuple[LoadStats, int, float]:
    """Warm up (one push per register), then push for ``seconds``; returns the stats, the
    sales counted at the backend during the window, and the window's wall seconds."""
    phases = Phases(interval=len(registers) / rate if rate > 0 else 0.0)
    stats = LoadStats()
    tasks = [
        asyncio.create_task(
            run_register(
                register,
                host,
                port,
                products,
                random.Random(seed * 100_003 + i),
                phases,
                timeout,
                stats,
            )
        )
        for i, register in enumerate(registers)
    ]
    phases.warm_up.set()
    while sum(1 for r in registers if r.receipt >= 1) < len(registers):
        for task in tasks:
            if task.done():
                task.result()  # a failed warm-up push: raised here
        await asyncio.sleep(0.05)
    say(f"warm-up done: {len(registers)} registers pushed one sale each")
    before = await asyncio.to_thread(backend_sales_count, database)
    meters.start()
    t0 = time.perf_counter()
    phases.deadline = t0 + seconds
    phases.window.set()
    progress = asyncio.create_task(_progress(stats, t0, seconds))
    try:
        await asyncio.gather(*tasks)
    finally:
        progress.cancel()
    meters.stop()
    t1 = stats.last_answer or time.perf_counter()
    after = await asyncio.to_thread(backend_sales_count, database)
    return stats, after - before, t1 - (stats.first_send or t0)


async def _progress(stats: LoadStats, t0: float, seconds: float) -> None:
    last = 0
    while True:
        await asyncio.sleep(5)
        done = len(stats.push_ms)
        say(
            f"  {time.perf_counter() - t0:5.1f} / {seconds:.0f} s: {done} pushes "
            f"({(done - last) / 5:.0f}/s), {sum(stats.errors.values())} errors"
        )
        last = done


# --- CPU accounting ---------------------------------------------------------------------------

_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_stat(pid: int) -> tuple[int, str, float] | None:
    """(parent pid, command name, CPU seconds) of a process, from /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    # after the name: state ppid ... utime(14th field overall) stime(15th)
    return int(fields[1]), name, (int(fields[11]) + int(fields[12])) / _CLK_TCK


def _all_processes() -> dict[int, tuple[int, str, float]]:
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _proc_stat(int(entry))
            if stat is not None:
                found[int(entry)] = stat
    return found


def _tree_cpu(root: int, table: dict[int, tuple[int, str, float]]) -> float:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        if pid in table:
            total += table[pid][2]
        stack.extend(children.get(pid, []))
    return total


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot."""
    with open("/proc/stat", encoding="ascii") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


class CpuMeters:
    """CPU seconds of the generator, the server's process tree, PostgreSQL (every ``postgres``
    process: other clients of the server count too) and the whole machine, over a window."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self._t0 = self._t1 = 0.0
        self._start: dict[str, float] = {}
        self._end: dict[str, float] = {}
        self._machine0 = self._machine1 = (0.0, 0.0)

    def _read(self) -> dict[str, float]:
        table = _all_processes()
        own = time.process_time()
        postgres = sum(cpu for _, name, cpu in table.values() if name.startswith("postgres"))
        return {
            "generator": own,
            "server": _tree_cpu(self.server_pid, table),
            "postgres": postgres,
        }

    def start(self) -> None:
        self._start = self._read()
        self._machine0 = _machine_busy()
        self._t0 = time.perf_counter()

    def stop(self) -> None:
        self._end = self._read()
        self._machine1 = _machine_busy()
        self._t1 = time.perf_counter()

    def percent(self) -> dict[str, float]:
        """Percent of one core over the window (200 = both cores of this machine)."""
        wall = max(self._t1 - self._t0, 1e-9)
        shares = {
            f"{name}_cpu_pct": round(100 * (self._end[name] - self._start[name]) / wall, 1)
            for name in self._start
        }
        busy = self._machine1[0] - self._machine0[0]
        total = self._machine1[1] - self._machine0[1]
        cores = max(os.cpu_count() or 1, 1)
        shares["machine_busy_pct"] = round(100 * cores * busy / max(total, 1), 1)
        # What else ran on the machine meanwhile (other work shares these cores): a run with
        # much of it is not comparable with a quiet one.
        shares["other_cpu_pct"] = round(
            shares["machine_busy_pct"] - sum(shares[f"{name}_cpu_pct"] for name in self._start), 1
        )
        return shares

    def seconds(self) -> dict[str, float]:
        return {name: self._end[name] - self._start[name] for name in self._start}


# --- the server ---------------------------------------------------------------------------------


@contextmanager
def serving(database: str, log_path: Path, workers: int) -> Iterator[tuple[str, int, int]]:
    """``mostrador-server serve`` on a free loopback port: (host, port, pid)."""
    port = free_port()
    extra = ["--workers", str(workers)] if workers > 1 else []
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(
            [*SERVER, "serve", "--port", str(port), "--database", database, *extra],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        deadline = time.monotonic() + 120
        while "ready on" not in log_path.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise BenchmarkError(f"the server did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.05)
        say(f"backend serving on 127.0.0.1:{port} (pid {proc.pid}, {workers} worker(s))")
        yield "127.0.0.1", port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _log_warnings(log_path: Path, limit: int = 5) -> list[str]:
    lines = [
        line.strip()
        for line in log_path.read_text(errors="replace").splitlines()
        if " WARNING " in line or " ERROR " in line or "Traceback" in line
    ]
    return lines[:limit]


# --- the benchmark ------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    loadavg_before = os.getloadavg()[0]
    n = args.products
    cache = Path(args.cache_dir) / f"backend-n{n}"
    cache.mkdir(parents=True, exist_ok=True)
    database = args.database or f"sqlite:///{cache / 'backend-load.sqlite3'}"
    from sync.server.core.config import normalize_database_url

    database = normalize_database_url(database)
    ensure_database(database)
    prepare_backend(database, cache, n)
    stores = store_codes(args.stores)
    prepare_stores(database, stores)
    rng = random.Random(args.seed)
    products = load_products(catalog_file(cache, n), 2000, rng)
    say(f"{len(products)} catalog products to sell from")
    homes = [stores[i % len(stores)] for i in range(args.registers)]
    codes = enrollment_codes(database, homes)
    vacuum(database)

    with tempfile.TemporaryDirectory(prefix="mostrador-perf-load-") as tmp:
        log_path = Path(tmp) / "server.log"
        with serving(database, log_path, args.workers) as (host, port, pid):

            async def main() -> tuple[list[SimRegister], LoadStats, int, float]:
                registers = await enroll_all(host, port, list(zip(homes, codes, strict=True)))
                say(f"{len(registers)} registers enrolled over HTTP")
                stats, counted, window = await drive(
                    registers,
                    host,
                    port,
                    products,
                    args.seed,
                    args.seconds,
                    args.timeout,
                    database,
                    meters,
                    args.rate,
                )
                return registers, stats, counted, window

            meters = CpuMeters(pid)
            registers, stats, counted, window = asyncio.run(main())
            warnings = _log_warnings(log_path)
            if args.server_log:
                shutil.copyfile(log_path, args.server_log)
    if not stats.push_ms:
        raise BenchmarkError("no push was answered in the window")
    if counted != stats.applied:
        say(f"note: {counted} sales counted at the backend, {stats.applied} answered applied")
    cpu = meters.percent()
    pushes = len(stats.push_ms)
    result: dict[str, Any] = {
        "benchmark": "backend_load",
        "registers": len(registers),
        "stores": len(stores),
        "seconds": args.seconds,
        "products": n,
        "server_workers": args.workers,
        "paced_rate": args.rate or None,
        "backend_database": database.split("://", 1)[0],
        "sales_per_s": round(counted / window, 1),
        "sales_counted": counted,
        "wall_s": round(window, 2),
        "push_p50_ms": round(percentile(stats.push_ms, 50), 1),
        "push_p90_ms": round(percentile(stats.push_ms, 90), 1),
        "push_p99_ms": round(percentile(stats.push_ms, 99), 1),
        "push_max_ms": round(max(stats.push_ms), 1),
        "pushes": pushes,
        "pushes_applied": stats.applied,
        "errors": dict(sorted(stats.errors.items())),
        **cpu,
        "generator_cpu_ms_per_push": round(1000 * meters.seconds()["generator"] / pushes, 2),
        "server_cpu_ms_per_sale": round(1000 * meters.seconds()["server"] / max(counted, 1), 2),
        "postgres_cpu_ms_per_sale": round(1000 * meters.seconds()["postgres"] / max(counted, 1), 2),
        "server_log_warnings": warnings,
        "samples": {"pushes": pushes},
        "targets": TARGETS,
        "commit": git_commit(),
        "machine": machine_description(),
        "loadavg_1m_before": round(loadavg_before, 2),
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "measured_at": now_iso(),
    }
    return result


def report(result: dict[str, Any]) -> None:
    sys.stderr.write("\n| what | measured | target | |\n| --- | --- | --- | --- |\n")
    rate = result["sales_per_s"]
    p99 = result["push_p99_ms"]
    rate_ok = "ok" if rate >= TARGETS["sales_per_s"] else "MISSED"
    p99_ok = "ok" if p99 <= TARGETS["push_p99_ms"] else "MISSED"
    sys.stderr.write(
        f"| sales_per_s | {rate:.0f} | >= {TARGETS['sales_per_s']:.0f} | {rate_ok} |\n"
    )
    sys.stderr.write(f"| push_p99_ms | {p99:.0f} | <= {TARGETS['push_p99_ms']:.0f} | {p99_ok} |\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--database", help="backend database URL (default: a cached SQLite file)", default=None
    )
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--stores", type=int, default=10, help="registers are spread over them")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--timeout", type=float, default=30.0, help="per push, seconds")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="pace the registers to this many sales/s in all (default 0: each pushes its next "
        "sale as soon as the last one is answered)",
    )
    parser.add_argument("--server-log", help="keep the server's log in this file")
    parser.add_argument("--cache-dir", default=str(DEFAULT_CACHE_DIR))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="last stdout line: one JSON object")
    args = parser.parse_args(argv)
    try:
        result = run(args)
    except BenchmarkError as exc:
        say(f"error: {exc}")
        return 1
    report(result)
    if args.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(
            f"{result['sales_per_s']:.0f} sales/s, push p50 {result['push_p50_ms']:.0f} ms, "
            f"p99 {result['push_p99_ms']:.0f} ms, errors {result['errors']}\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
