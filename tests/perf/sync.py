"""Sync benchmark: first catalog sync of a large catalog from the real backend over HTTP, and an
offline backlog of sales pushed and acknowledged (DESIGN.md section 7).

    python -m tests.perf.sync --products 1000000 --backlog 10000 --json

The backend is the real ``mostrador-server`` process on loopback. Its database (a SQLite file
under ``--cache-dir``/backend-n<N>/, or the ``--database`` URL given, e.g. postgresql+psycopg)
is prepared with the backend's own commands (create-store, import-catalog of the demo catalog,
set-stock) and reused while it holds the N products; that preparation is not timed.

``initial_sync_s``: an empty register database, timed from just before enrolment
(``enroll_register``: enrol, then pull pages of 5000 and apply them) until the last page has
been applied and the catalog is searchable (the last product found by barcode and by name).

``sale_commit_during_pull_*``: sales completed through the single database writer while the
running app's background pull re-applies the whole catalog (``--sales-during-pull``).

``backlog_push_s``: M sales made offline on that register (not timed), then
``SyncWorker.push_all()`` timed until the outbox is empty; the backend's ``sales`` must have
grown by exactly M.

Progress goes to stderr; the last line of stdout is one JSON object with --json (a short table
otherwise).
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.perf._common import (
    DEFAULT_CACHE_DIR,
    BenchmarkError,
    git_commit,
    machine_description,
    now_iso,
    say,
)

# DESIGN.md section 7.
TARGETS: dict[str, float] = {
    "initial_sync_s": 60.0,
    "backlog_push_s": 15.0,
}
# The sale-commit target of the checkout benchmark, which must hold while a pull runs.
SALE_COMMIT_P99_MS = 25.0

SERVER = [sys.executable, "-c", "import sys; from sync.server.cli import main; sys.exit(main())"]
STORE = "T01"
STOCK_SKUS = ("P0000001", "P0000002", "P0000003", "P0000004", "P0000005")


# --- the backend ------------------------------------------------------------------------------


def server_cmd(*args: str, database: str, timeout: float = 3600) -> str:
    result = subprocess.run(
        [*SERVER, *args, "--database", database],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise BenchmarkError(f"mostrador-server {args[0]} failed: {result.stderr.strip()}")
    return result.stdout


def backend_counts(database: str) -> tuple[int, bool]:
    """(products, whether store T01 exists) in the backend database; (0, False) if empty."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            products = int(conn.execute(text("SELECT count(*) FROM products")).scalar_one())
            store = conn.execute(
                text("SELECT count(*) FROM stores WHERE code = :c"), {"c": STORE}
            ).scalar_one()
            return products, bool(store)
    except SQLAlchemyError:
        return 0, False
    finally:
        engine.dispose()


def backend_sales_count(database: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM sales")).scalar_one())
    finally:
        engine.dispose()


def catalog_file(cache: Path, products: int) -> Path:
    from pos_app.demo.backend import write_demo_catalog

    path = cache / "catalog.jsonl"
    if not path.exists():
        say(f"writing the demo catalog of {products} products to {path}")
        write_demo_catalog(path, products)
    return path


def last_product(path: Path) -> dict[str, Any]:
    """The last product line of the catalog JSONL (read from the end of the file)."""
    with path.open("rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 65536))
        tail = f.read().decode("utf-8", errors="replace").strip().splitlines()
    for line in reversed(tail):
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if item.get("kind") == "product":
            return item
    raise BenchmarkError(f"no product in the tail of {path}")


def prepare_backend(database: str, cache: Path, products: int) -> float | None:
    """Store, catalog and a few stock levels; returns the seconds spent importing (None when
    the database already held the catalog)."""
    found, has_store = backend_counts(database)
    catalog = catalog_file(cache, products)
    if found == products and has_store:
        say(f"reusing the backend database ({found} products)")
        return None
    say(f"preparing the backend database {database} (it holds {found} products)")
    server_cmd(
        "create-store",
        "--code",
        STORE,
        "--name",
        "Tienda Centro",
        "--tax-id",
        "B11111111",
        "--address",
        "Calle Mayor 1",
        "--address",
        "28013 Madrid",
        database=database,
    )
    say(
        f"importing {products} products into the backend (not timed; about 3.5 min per "
        "1,000,000 products)"
    )
    started = time.perf_counter()
    out = server_cmd("import-catalog", "--file", str(catalog), database=database)
    import_s = time.perf_counter() - started
    say(f"  {out.strip()} (wall {import_s:.1f} s)")
    for sku in STOCK_SKUS:
        server_cmd(
            "set-stock", "--store", STORE, "--sku", sku, "--quantity", "100000", database=database
        )
    found, has_store = backend_counts(database)
    if found != products or not has_store:
        raise BenchmarkError(f"the backend holds {found} products after the import, not {products}")
    return import_s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(database: str, log_path: Path) -> Iterator[str]:
    port = free_port()
    # The server logs every request: to a file, never to a pipe nobody drains.
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(
            [*SERVER, "serve", "--port", str(port), "--database", database],
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
        say(f"backend serving on 127.0.0.1:{port} (log {log_path})")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def enrollment_code(database: str) -> str:
    import re

    out = server_cmd("enrollment-code", "--store", STORE, database=database)
    return re.findall(r"[A-Za-z0-9_-]{6,}", out.strip().splitlines()[-1])[-1]


# --- instrumentation of the pull (wrapping, not changing, the product's code) -------------------


@dataclass
class PullStats:
    pages: int = 0
    changes: int = 0
    wire_bytes: int = 0  # Content-Length of the pull answers (compressed when gzip)
    http_s: float = 0.0  # request, server, transfer and JSON parsing into the protocol model
    apply_s: float = 0.0  # the register applying the page
    page_http_s: list[float] = field(default_factory=list)
    page_apply_s: list[float] = field(default_factory=list)


@contextmanager
def instrumented_pull(stats: PullStats) -> Iterator[None]:
    from pos_app.services.sync import SyncService
    from sync.client import SyncClient

    orig_init = SyncClient.__init__
    orig_pull = SyncClient.pull
    orig_apply = SyncService.apply_pull

    def on_response(response: Any) -> None:
        if response.request.url.path.endswith("/sync/pull"):
            length = response.headers.get("content-length")
            if length is not None:
                stats.wire_bytes += int(length)

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        orig_init(self, *args, **kwargs)
        self._http.event_hooks["response"].append(on_response)

    def pull(self: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        page = orig_pull(self, *args, **kwargs)
        dt = time.perf_counter() - t0
        stats.http_s += dt
        stats.page_http_s.append(dt)
        stats.pages += 1
        stats.changes += len(page.changes)
        return page

    def apply(self: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        result = orig_apply(self, *args, **kwargs)
        dt = time.perf_counter() - t0
        stats.apply_s += dt
        stats.page_apply_s.append(dt)
        return result

    SyncClient.__init__ = init  # type: ignore[method-assign]
    SyncClient.pull = pull  # type: ignore[method-assign]
    SyncService.apply_pull = apply  # type: ignore[method-assign]
    try:
        yield
    finally:
        SyncClient.__init__ = orig_init  # type: ignore[method-assign]
        SyncClient.pull = orig_pull  # type: ignore[method-assign]
        SyncService.apply_pull = orig_apply  # type: ignore[method-assign]


# --- sales while a pull runs ----------------------------------------------------------------------


def sales_during_pull(
    engine: Any,
    sync: Any,
    checkout: Any,
    pool: list[Any],
    url: str,
    token: str | None,
    rng: random.Random,
    sales: int,
) -> dict[str, Any]:
    """DESIGN.md section 4: a large pull never holds up a sale. The register is sent back to
    cursor 0 (as after ``cursor_ahead``), and the running app's background pull (``SyncWorker``,
    transactions of ``APPLY_CHUNK``) re-applies the whole catalog through a single database
    writer, as in the app, while sales are completed through the same writer. Timed per sale:
    from handing ``complete_sale`` to the writer until it returns (waiting behind a chunk
    included)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from pos_app.services.sync_worker import SyncWorker
    from sync.client import SyncClient

    if sales <= 0:
        return {}
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")

    def run_db(fn: Any) -> Any:
        return writer.submit(fn).result()

    with engine.begin() as conn:
        from sqlalchemy import text

        conn.execute(text("UPDATE sync_state SET cursor = '0' WHERE id = 1"))
    with SyncClient(url, token) as client:
        worker = SyncWorker(sync, client, run_db)
        pulled: list[int] = []
        puller = threading.Thread(target=lambda: pulled.append(worker.pull_all()), daemon=True)
        say(f"{sales} sales while the background pull re-applies the catalog (timed per sale)")
        puller.start()
        time.sleep(1.0)  # the pull is under way
        timings: list[float] = []
        for _ in range(sales):
            for _ in range(rng.randint(1, 3)):
                checkout.scan(rng.choice(pool).code)
            checkout.add_cash(checkout.view().payment.due)
            t0 = time.perf_counter()
            run_db(checkout.complete_sale)
            timings.append(time.perf_counter() - t0)
            if not puller.is_alive():
                break
        still_pulling = puller.is_alive()
        worker.stop()
        puller.join(120)
    writer.shutdown(wait=True)
    if not still_pulling:
        say("  warning: the pull ended before the sales did; the later sales ran alone")
    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * len(timings)) - 1)]
    say(
        f"  sale commit during the pull: p50 {timings[len(timings) // 2] * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms ({len(timings)} sales)"
    )
    return {
        "sale_commit_during_pull_p50_ms": round(timings[len(timings) // 2] * 1000, 2),
        "sale_commit_during_pull_p99_ms": round(p99 * 1000, 2),
        "sales_during_pull": len(timings),
        "pull_still_running_at_the_end": still_pulling,
    }


# --- the benchmark ------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    from pos_app.bootstrap import enroll_register
    from pos_app.services.checkout import CheckoutService
    from pos_app.services.ports import SystemClock
    from pos_app.services.sync import SyncService
    from pos_app.services.sync_worker import SyncWorker
    from pos_app.storage.credentials import MemoryTokenStore
    from pos_app.storage.db import open_database
    from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
    from sync.client import SyncClient
    from tests.perf.checkout import sample_codes

    n, m = args.products, args.backlog
    cache = Path(args.cache_dir) / f"backend-n{n}"
    cache.mkdir(parents=True, exist_ok=True)
    database = args.database or f"sqlite:///{cache / 'backend.sqlite3'}"
    import_s = prepare_backend(database, cache, n)
    last = last_product(catalog_file(cache, n))
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="mostrador-perf-sync-") as tmp:
        tmp_dir = Path(tmp)
        with running_server(database, tmp_dir / "server.log") as url:
            code = enrollment_code(database)
            engine = open_database(tmp_dir / "register" / "register.sqlite3")
            tokens = MemoryTokenStore()
            stats = PullStats()
            last_report = [time.perf_counter()]

            def progress(done: int) -> None:
                now = time.perf_counter()
                if now - last_report[0] >= 5:
                    last_report[0] = now
                    say(f"  {done:>9} changes applied")

            say(f"initial sync of {n} products: enrolling an empty register (timed)")
            with instrumented_pull(stats):
                t0 = time.perf_counter()
                identity = enroll_register(
                    engine, url, code, "Caja perf", tokens, progress=progress
                )
                t_pulled = time.perf_counter()
                factory = SqlUnitOfWorkFactory(engine)
                with factory.reader() as uow:
                    by_code = uow.catalog.find_by_barcode(last["barcodes"][0])
                    by_name = uow.catalog.search(last["name"].lower(), limit=50)
                t1 = time.perf_counter()
            initial_sync_s = t1 - t0
            if by_code is None or by_code.sku != last["sku"]:
                raise BenchmarkError(f"the last product {last['sku']} is not found by barcode")
            if not by_name:
                raise BenchmarkError(f"searching {last['name']!r} finds nothing")
            if last["sku"] not in {p.sku for p in by_name}:
                # a common name: many products match; check it is among all of them (untimed)
                with factory.reader() as uow:
                    by_name = uow.catalog.search(last["name"].lower(), limit=n)
            if last["sku"] not in {p.sku for p in by_name}:
                raise BenchmarkError(
                    f"the last product {last['sku']} is not found searching {last['name']!r}"
                )
            with engine.connect() as conn:
                from sqlalchemy import text

                local = int(conn.execute(text("SELECT count(*) FROM products")).scalar_one())
            if local != n:
                raise BenchmarkError(f"the register holds {local} products, not {n}")
            say(
                f"initial sync: {initial_sync_s:.1f} s ({stats.changes} changes in {stats.pages} "
                f"pages, {stats.wire_bytes / 1e6:.1f} MB on the wire; http+parse "
                f"{stats.http_s:.1f} s, apply {stats.apply_s:.1f} s, searchable check "
                f"{(t1 - t_pulled) * 1000:.0f} ms)"
            )

            # --- offline backlog ---
            clock = SystemClock()
            sync = SyncService(factory, clock)
            device = sync.device_id()
            if device is None:
                raise BenchmarkError("the register has no device id after enrolment")
            pool = sample_codes(engine, rng, min(2000, max(50, m)), unit_only=True)
            checkout = CheckoutService(factory, clock, identity, cashier="Perf")
            say(f"making {m} sales offline (not timed)")
            started = time.perf_counter()
            for i in range(m):
                for _ in range(rng.randint(1, 3)):
                    checkout.scan(rng.choice(pool).code)
                checkout.add_cash(checkout.view().payment.due)
                checkout.complete_sale()
                if (i + 1) % 2000 == 0:
                    say(f"  {i + 1:>6} / {m} sales ({time.perf_counter() - started:.1f} s)")
            pending = sync.unsynced_count()
            say(f"{pending} events waiting in the outbox")
            sales_before = backend_sales_count(database)
            with SyncClient(url, tokens.get(device)) as client:
                worker = SyncWorker(sync, client, lambda fn: fn())
                t0 = time.perf_counter()
                acknowledged = worker.push_all()
                backlog_push_s = time.perf_counter() - t0
            left = sync.unsynced_count()
            sales_after = backend_sales_count(database)
            if left != 0:
                raise BenchmarkError(f"{left} events still in the outbox after push_all")
            if sales_after - sales_before != m:
                raise BenchmarkError(
                    f"the backend's sales grew by {sales_after - sales_before}, not {m}"
                )
            say(f"backlog: {m} sales ({acknowledged} events) pushed in {backlog_push_s:.2f} s")

            # --- sales while the running app pulls a large catalog ---
            during = sales_during_pull(
                engine, sync, checkout, pool, url, tokens.get(device), rng, args.sales_during_pull
            )
            engine.dispose()

    pages_http = sorted(stats.page_http_s)
    pages_apply = sorted(stats.page_apply_s)
    return {
        "benchmark": "sync",
        "products": n,
        "backlog": m,
        "backend_database": database.split("://", 1)[0],
        "initial_sync_s": round(initial_sync_s, 2),
        "initial_sync_changes": stats.changes,
        "initial_sync_changes_per_s": round(stats.changes / initial_sync_s),
        "initial_sync_pages": stats.pages,
        "initial_sync_wire_mb": round(stats.wire_bytes / 1e6, 1),
        "initial_sync_http_s": round(stats.http_s, 2),
        "initial_sync_apply_s": round(stats.apply_s, 2),
        "pull_page_http_median_ms": round(pages_http[len(pages_http) // 2] * 1000, 1),
        "pull_page_apply_median_ms": round(pages_apply[len(pages_apply) // 2] * 1000, 1),
        "backlog_push_s": round(backlog_push_s, 2),
        "backlog_events": acknowledged,
        "backlog_sales_per_s": round(m / backlog_push_s),
        **during,
        "backend_import_s": round(import_s, 1) if import_s is not None else None,
        "samples": {"initial_sync": 1, "backlog_push": 1, "pull_pages": stats.pages},
        "targets": TARGETS,
        "commit": git_commit(),
        "machine": machine_description(),
        "measured_at": now_iso(),
    }


def report(result: dict[str, Any]) -> None:
    sys.stderr.write("\n| what | measured | target | |\n| --- | --- | --- | --- |\n")
    for key, target in TARGETS.items():
        value = result[key]
        ok = "ok" if value <= target else "MISSED"
        sys.stderr.write(f"| {key} | {value:.2f} s | <= {target:.0f} s | {ok} |\n")
    during = result.get("sale_commit_during_pull_p99_ms")
    if during is not None:
        ok = "ok" if during <= SALE_COMMIT_P99_MS else "MISSED"
        sys.stderr.write(
            f"| sale_commit_during_pull_p99_ms | {during:.2f} ms | <= {SALE_COMMIT_P99_MS:.0f} ms "
            f"| {ok} |\n"
        )
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--backlog", type=int, default=10_000)
    parser.add_argument(
        "--database", help="backend database URL (default: a cached SQLite file)", default=None
    )
    parser.add_argument("--cache-dir", default=str(DEFAULT_CACHE_DIR))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--sales-during-pull",
        type=int,
        default=1000,
        help="sales completed while the background pull re-applies the catalog (0 skips it)",
    )
    parser.add_argument("--json", action="store_true", help="last stdout line: one JSON object")
    args = parser.parse_args(argv)
    try:
        result = run(args)
    except BenchmarkError as exc:
        say(f"error: {exc}")
        return 1
    report(result)
    if args.json:
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        for key, value in result.items():
            sys.stdout.write(f"{key}: {value}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
