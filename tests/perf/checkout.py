"""Checkout benchmark: barcode look-up, name search, scan to cart, sale commit and start-up on a
register database with a large generated catalog (DESIGN.md section 7).

    python -m tests.perf.checkout --products 1000000 --json

Progress goes to stderr; the result is the last line of stdout (one JSON object with --json,
a table otherwise). The database is built once with the product's own demo store
(``open_demo_store``, the seeded catalog generator, ``load_catalog``) and cached under
``--cache-dir``; sales made by the sale-commit phase are left in it, which keeps it reusable.

Every figure goes through the product's code: the SQL repositories through their units of work,
the checkout service, the real main window offscreen, and ``python -m pos_app run`` for start-up.
Percentiles are nearest-rank (a value really observed). A few warm-up samples of each kind are
taken first and not counted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import selectors
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from tests.perf._common import (
    DEFAULT_CACHE_DIR,
    REPO_ROOT,
    BenchmarkError,
    Summary,
    demo_seed,
    git_commit,
    machine_description,
    now_iso,
    open_cached_store,
    say,
    summarize_ns,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from pos_app.bootstrap import Register
    from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory

log = logging.getLogger("tests.perf.checkout")

# DESIGN.md section 7.
TARGETS: dict[str, float] = {
    "barcode_lookup_p99_ms": 1.0,
    "name_search_p99_ms": 20.0,
    "scan_to_cart_p99_ms": 16.0,
    "sale_commit_p99_ms": 25.0,
    "startup_s": 2.0,
    "startup_rss_mb": 250.0,
}

READY_PREFIX = b"mostrador: ready"
READY_LINE = re.compile(
    r"mostrador: ready \((?P<products>\d+) products, (?P<seconds>[\d.]+) s, (?P<mib>[\d.]+) MiB\)"
)
_WORD = re.compile(r"\w+", re.UNICODE)


# --- samples drawn from the database ------------------------------------------------------------


@dataclass(frozen=True)
class CodeSample:
    code: str  # as stored (canonical GTIN)
    product_id: str
    price_cents: int
    measure: str


def _max_pk(engine: Engine) -> int:
    from sqlalchemy import text

    with engine.connect() as conn:
        value = conn.execute(text("SELECT max(pk) FROM products")).scalar_one()
    if not value:
        raise BenchmarkError("the register database has no products")
    return int(value)


def sample_codes(
    engine: Engine, rng: random.Random, n: int, *, unit_only: bool = False
) -> list[CodeSample]:
    """``n`` existing barcodes of products chosen at random. The barcodes table has no rowid,
    so products are drawn by primary key and one of each product's codes is taken.
    ``unit_only``: only products sold by the unit, with ordinary (not in-store '2') codes."""
    from sqlalchemy import text

    max_pk = _max_pk(engine)
    query = text(
        "SELECT b.code, p.id, p.price_cents, p.measure FROM barcodes AS b "
        "JOIN products AS p ON p.pk = b.product_pk WHERE b.product_pk = :pk"
    )
    found: list[CodeSample] = []
    attempts = 0
    with engine.connect() as conn:
        while len(found) < n:
            attempts += 1
            if attempts > 50 * n + 1000:
                raise BenchmarkError(f"could not draw {n} barcodes ({len(found)} found)")
            rows = conn.execute(query, {"pk": rng.randint(1, max_pk)}).all()
            candidates = [
                CodeSample(str(r.code), str(r.id), int(r.price_cents), str(r.measure))
                for r in rows
                if not unit_only or (r.measure == "unit" and not str(r.code).startswith("2"))
            ]
            if candidates:
                found.append(rng.choice(candidates))
    return found


def search_text_from_name(name: str, rng: random.Random, whole_words: bool = False) -> str | None:
    """What a cashier types to find ``name``: one to three of its words, in order, each cut to
    its first two to five letters (only words of letters, at least two long); with
    ``whole_words``, the words in full."""
    words = [w for w in _WORD.findall(name) if w.isalpha() and len(w) >= 2]
    if not words:
        return None
    k = rng.randint(1, min(3, len(words)))
    chosen = sorted(rng.sample(range(len(words)), k))
    if whole_words:
        return " ".join(words[i] for i in chosen).lower()
    prefixes = [words[i][: rng.randint(2, min(5, len(words[i])))] for i in chosen]
    return " ".join(prefixes).lower()


def sample_search_texts(
    engine: Engine, rng: random.Random, n: int, whole_words: bool = False
) -> list[str]:
    from sqlalchemy import text

    max_pk = _max_pk(engine)
    texts: list[str] = []
    with engine.connect() as conn:
        while len(texts) < n:
            name = conn.execute(
                text("SELECT name FROM products WHERE pk = :pk"), {"pk": rng.randint(1, max_pk)}
            ).scalar_one_or_none()
            if name is None:
                continue
            query = search_text_from_name(str(name), rng, whole_words)
            if query is not None:
                texts.append(query)
    return texts


# --- barcode look-up and name search: the repository through its units of work ---------------


@dataclass
class LookupResult:
    own_uow: Summary
    in_uow: Summary


def bench_barcode_lookup(
    factory: SqlUnitOfWorkFactory, engine: Engine, rng: random.Random, n: int
) -> LookupResult:
    say(f"barcode look-up: drawing 2 x {n} existing codes at random")
    own_codes = sample_codes(engine, rng, n)
    in_codes = sample_codes(engine, rng, n)
    warmup = sample_codes(engine, rng, 200)

    def check(sample: CodeSample, record: Any) -> None:
        if record is None or record.product_id != sample.product_id:
            raise BenchmarkError(f"barcode {sample.code} did not find its product")

    for sample in warmup:
        with factory.reader() as uow:
            check(sample, uow.catalog.find_by_barcode(sample.code))

    # What a scan costs: each look-up in its own (read) unit of work, as the service does it.
    say(f"barcode look-up: {n} look-ups, each in its own unit of work")
    own: list[int] = []
    clock = time.perf_counter_ns
    for sample in own_codes:
        t0 = clock()
        with factory.reader() as uow:
            record = uow.catalog.find_by_barcode(sample.code)
        own.append(clock() - t0)
        check(sample, record)

    # The query alone: every look-up inside one open unit of work.
    say(f"barcode look-up: {n} look-ups inside one unit of work")
    inside: list[int] = []
    with factory.reader() as uow:
        for sample in in_codes:
            t0 = clock()
            record = uow.catalog.find_by_barcode(sample.code)
            inside.append(clock() - t0)
            check(sample, record)
    return LookupResult(summarize_ns(own), summarize_ns(inside))


@dataclass
class SearchResult:
    summary: Summary
    by_words: dict[int, Summary]
    slowest: list[tuple[str, float, int]]
    empty: int
    mean_results: float


def bench_name_search(
    factory: SqlUnitOfWorkFactory,
    engine: Engine,
    rng: random.Random,
    n: int,
    whole_words: bool = False,
) -> SearchResult:
    kind = "whole-word" if whole_words else "word-prefix"
    say(f"name search: drawing {n} {kind} queries from random product names")
    texts = sample_search_texts(engine, rng, n, whole_words)
    for warm in sample_search_texts(engine, rng, 50):
        with factory.reader() as uow:
            uow.catalog.search(warm, limit=50)
    say(f"name search: {n} searches (LIMIT 50), each in its own unit of work")
    timings: list[int] = []
    counts: list[int] = []
    clock = time.perf_counter_ns
    for query in texts:
        t0 = clock()
        with factory.reader() as uow:
            found = uow.catalog.search(query, limit=50)
        timings.append(clock() - t0)
        counts.append(len(found))
    by_words: dict[int, list[int]] = {}
    for query, ns in zip(texts, timings, strict=True):
        by_words.setdefault(len(query.split()), []).append(ns)
    order = sorted(range(len(texts)), key=lambda i: timings[i], reverse=True)
    slowest = [(texts[i], round(timings[i] / 1e6, 2), counts[i]) for i in order[:10]]
    return SearchResult(
        summary=summarize_ns(timings),
        by_words={k: summarize_ns(v) for k, v in sorted(by_words.items())},
        slowest=slowest,
        empty=sum(1 for c in counts if c == 0),
        mean_results=sum(counts) / len(counts),
    )


# --- sale commit: the checkout service ----------------------------------------------------------


def bench_sale_commit(register: Register, engine: Engine, rng: random.Random, n: int) -> Summary:
    warmup = 5
    say(f"sale commit: drawing products for {n + warmup} sales of 3 to 6 products")
    pool = sample_codes(engine, rng, 4000, unit_only=True)
    checkout = register.checkout
    if checkout.cart_started:
        raise BenchmarkError("the checkout has a sale in progress before the benchmark")
    say(f"sale commit: {n} sales paid in exact cash (only complete_sale() is timed)")
    timings: list[int] = []
    clock = time.perf_counter_ns
    for i in range(n + warmup):
        items = [rng.choice(pool) for _ in range(rng.randint(3, 6))]
        view = None
        for item in items:
            view = checkout.scan(item.code)
        assert view is not None
        expected = sum(item.price_cents for item in items)
        if view.payment.due.cents != expected:
            raise BenchmarkError(f"cart total {view.payment.due.cents} != {expected} cents")
        checkout.add_cash(view.payment.due)
        t0 = clock()
        done = checkout.complete_sale()
        elapsed = clock() - t0
        if done.sale.total_cents != expected or done.sale.change_cents != 0:
            raise BenchmarkError(f"sale {done.sale.receipt_number} has the wrong totals")
        if i >= warmup:
            timings.append(elapsed)
    return summarize_ns(timings)


def fsync_probe(directory: Path, n: int = 200) -> Summary:
    """How long the disk under the database takes to make 4 KiB durable (``fdatasync``): the
    floor of a durable commit, for reading the sale-commit figure."""
    path = directory / ".fsync-probe.tmp"
    sync: Callable[[int], None] = getattr(os, "fdatasync", os.fsync)
    timings: list[int] = []
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        block = os.urandom(4096)
        for i in range(n):
            os.pwrite(fd, block, (i % 64) * 4096)
            t0 = time.perf_counter_ns()
            sync(fd)
            timings.append(time.perf_counter_ns() - t0)
    finally:
        os.close(fd)
        path.unlink(missing_ok=True)
    return summarize_ns(timings)


# --- scan to cart: the real window, offscreen ---------------------------------------------------


@dataclass
class ScanResult:
    cart_size: int
    to_model: Summary
    to_repaint: Summary
    by_lines: dict[str, Summary]  # by how many lines the cart had before the scan


def bench_scan_to_cart(
    register: Register, engine: Engine, rng: random.Random, phases: Sequence[tuple[int, int]]
) -> list[ScanResult]:
    """Time ``presenter.scan(code)`` until the window's cart model shows the line (and, as an
    extra, until the repaint it asked for has been processed too). ``phases``: (scans, cart
    size) pairs, run one after the other on the same window; the cart is abandoned and a new
    one started every ``cart size`` scans."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from pos_app.bootstrap import build_main_window
    from pos_app.services.checkout import CartView
    from pos_app.ui.app import install_translators, style_sheet

    warmup = 10
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName("Mostrador")
    install_translators(app, "es")
    app.setStyleSheet(style_sheet())
    window, runner = build_main_window(register, "es_ES")
    presenter = window.presenter
    window.showMaximized()
    app.processEvents()

    class Waiter:
        """Quits a local event loop when the expected presenter signal arrives. Connected after
        the window's own slots, so the window has already updated its model when we run."""

        def __init__(self) -> None:
            self.loop = QEventLoop()
            self.timer = QTimer()
            self.timer.setSingleShot(True)
            self.timer.timeout.connect(self._on_timeout)
            self.expect = ""
            self.done_ns = 0
            self.view: CartView | None = None
            self.error: BaseException | None = None
            self.timed_out = False
            presenter.cart_changed.connect(self._on_cart_changed)
            presenter.sale_abandoned.connect(self._on_abandoned)
            presenter.scan_rejected.connect(self._on_error)
            presenter.action_failed.connect(self._on_error)

        def arm(self, expect: str) -> None:
            self.expect = expect
            self.done_ns = 0
            self.view = None
            self.error = None
            self.timed_out = False

        def _on_cart_changed(self, view: CartView) -> None:
            if self.expect == "cart":
                self.done_ns = time.perf_counter_ns()
                self.view = view
                self.expect = ""
                self.loop.quit()

        def _on_abandoned(self) -> None:
            if self.expect == "abandoned":
                self.done_ns = time.perf_counter_ns()
                self.expect = ""
                self.loop.quit()

        def _on_error(self, exc: BaseException) -> None:
            self.error = exc
            self.expect = ""
            self.loop.quit()

        def _on_timeout(self) -> None:
            self.timed_out = True
            self.loop.quit()

        def wait(self, what: str, timeout_ms: int = 10_000) -> None:
            # The answer may already be here: when the worker finishes before the runner has
            # attached its done-callback, the runner delivers at once, inside the call.
            if self.expect:
                self.timer.start(timeout_ms)
                self.loop.exec()
                self.timer.stop()
            if self.error is not None:
                raise BenchmarkError(f"{what} failed: {self.error!r}")
            if self.timed_out:
                raise BenchmarkError(f"{what}: no answer from the window in {timeout_ms} ms")

        def disconnect(self) -> None:
            presenter.cart_changed.disconnect(self._on_cart_changed)
            presenter.sale_abandoned.disconnect(self._on_abandoned)
            presenter.scan_rejected.disconnect(self._on_error)
            presenter.action_failed.disconnect(self._on_error)

    waiter = Waiter()
    in_cart: Counter[str] = Counter()

    def clear_cart() -> None:
        if presenter.view.is_empty:
            return
        waiter.arm("abandoned")
        presenter.abandon("benchmark")
        waiter.wait("abandoning the cart")
        if window.cart_model.rowCount() != 0:
            raise BenchmarkError("the cart model still has rows after abandoning the sale")
        in_cart.clear()

    def scan_once(sample: CodeSample) -> tuple[int, int, int]:
        """One scan: (lines before, ns until the model shows it, ns until repainted)."""
        lines_before = window.cart_model.rowCount()
        waiter.arm("cart")
        t0 = time.perf_counter_ns()
        presenter.scan(sample.code)
        waiter.wait(f"scanning {sample.code}")
        t_model = waiter.done_ns - t0
        app.processEvents()  # the repaint the model change asked for
        t_paint = time.perf_counter_ns() - t0
        # Check that the window's model really shows the scanned line.
        in_cart[sample.product_id] += 1
        view = waiter.view
        model = window.cart_model
        line = model.line_at(model.row_of(view.focus_line_id if view else None))
        if (
            line is None
            or model.rowCount() != len(in_cart)
            or line.line.product.product_id != sample.product_id
            or line.line.quantity != Decimal(in_cart[sample.product_id])
        ):
            raise BenchmarkError(f"the cart model does not show the scan of {sample.code}")
        return lines_before, t_model, t_paint

    results: list[ScanResult] = []
    try:
        for sample in sample_codes(engine, rng, warmup, unit_only=True):
            scan_once(sample)
        clear_cart()
        for n, cart_size in phases:
            pool = sample_codes(engine, rng, n, unit_only=True)
            say(
                f"scan to cart: {n} scans through the main window (offscreen), a new cart "
                f"every {cart_size} scans"
            )
            to_model: list[int] = []
            to_repaint: list[int] = []
            by_lines: dict[int, list[int]] = {}
            for i, sample in enumerate(pool):
                if i and i % cart_size == 0:
                    clear_cart()
                lines_before, t_model, t_paint = scan_once(sample)
                to_model.append(t_model)
                to_repaint.append(t_paint)
                by_lines.setdefault(lines_before // 10 * 10, []).append(t_model)
            clear_cart()
            results.append(
                ScanResult(
                    cart_size,
                    summarize_ns(to_model),
                    summarize_ns(to_repaint),
                    {f"{k}-{k + 9}": summarize_ns(v) for k, v in sorted(by_lines.items())},
                )
            )
    finally:
        waiter.disconnect()
        runner.shutdown()
        window.close()
        window.deleteLater()
        app.processEvents()
    return results


# --- start-up: a fresh process ------------------------------------------------------------------


@dataclass
class StartupRun:
    seconds: float  # from just before Popen to the ready line on stdout
    app_seconds: float  # what the app says (from its cli module import)
    app_rss_mib: float  # what the app says
    proc_rss_mib: float | None  # VmRSS we read from /proc when the line arrived
    proc_hwm_mib: float | None  # VmHWM (peak) likewise
    products: int


def _proc_memory(pid: int) -> tuple[float | None, float | None]:
    rss = hwm = None
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return rss, hwm


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        log.error("process %d did not exit after SIGKILL", proc.pid)


def startup_once(data_dir: Path, timeout_s: float = 120.0) -> StartupRun:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory(prefix="mostrador-startup-") as tmp:
        # A settings file that does not exist: the defaults, whatever this user has configured.
        cmd = [
            sys.executable,
            "-m",
            "pos_app",
            "run",
            "--data-dir",
            str(data_dir),
            "--config",
            str(Path(tmp) / "none.toml"),
            "--exit-after-ready",
        ]
        stderr_path = Path(tmp) / "stderr.txt"
        with open(stderr_path, "wb") as stderr_file:
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=stderr_file, env=env, cwd=REPO_ROOT, bufsize=0
            )
            try:
                ready_line, elapsed, rss, hwm = _wait_ready(proc, t0, timeout_s)
                code = proc.wait(timeout=60)
            except (BenchmarkError, subprocess.TimeoutExpired) as exc:
                _stop(proc)
                errors = stderr_path.read_text(encoding="utf-8", errors="replace")
                raise BenchmarkError(f"start-up failed: {exc}; stderr:\n{errors[-2000:]}") from exc
            finally:
                _stop(proc)
        errors = stderr_path.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        raise BenchmarkError(f"the app exited with {code} after ready; stderr:\n{errors[-2000:]}")
    match = READY_LINE.search(ready_line)
    if match is None:
        raise BenchmarkError(f"unexpected ready line: {ready_line!r}")
    return StartupRun(
        seconds=elapsed,
        app_seconds=float(match["seconds"]),
        app_rss_mib=float(match["mib"]),
        proc_rss_mib=rss,
        proc_hwm_mib=hwm,
        products=int(match["products"]),
    )


def _wait_ready(
    proc: subprocess.Popen[bytes], t0: float, timeout_s: float
) -> tuple[str, float, float | None, float | None]:
    """Read the child's stdout until its ready line; return the line, the seconds since t0 and
    the child's VmRSS / VmHWM read at once."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = timeout_s - (time.perf_counter() - t0)
            if remaining <= 0:
                raise BenchmarkError(f"no ready line from the app within {timeout_s:.0f} s")
            if not selector.select(remaining):
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise BenchmarkError(
                    f"the app exited (code {proc.wait()}) before its ready line; "
                    f"stdout: {buffer.decode(errors='replace')[-500:]!r}"
                )
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                if line.startswith(READY_PREFIX):
                    elapsed = time.perf_counter() - t0
                    rss, hwm = _proc_memory(proc.pid)
                    return line.decode(errors="replace"), elapsed, rss, hwm


@dataclass
class StartupResult:
    runs: list[StartupRun] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def median_app_rss(self) -> float:
        return statistics.median(r.app_rss_mib for r in self.runs)

    def median_of(self, values: Sequence[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return statistics.median(present) if present else None


def bench_startup(data_dir: Path, runs: int, products: int) -> StartupResult:
    result = StartupResult()
    for i in range(runs):
        run = startup_once(data_dir)
        if run.products != products:
            raise BenchmarkError(f"the app started with {run.products} products, not {products}")
        say(
            f"start-up {i + 1}/{runs}: {run.seconds:.2f} s to ready, app says "
            f"{run.app_seconds:.2f} s and {run.app_rss_mib:.0f} MiB; /proc VmRSS "
            f"{run.proc_rss_mib or 0:.0f} MiB, VmHWM {run.proc_hwm_mib or 0:.0f} MiB"
        )
        result.runs.append(run)
    return result


# --- putting it together ---------------------------------------------------------------------


def _loadavg() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _ms(value: float) -> float:
    return round(value, 3)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from pos_app.bootstrap import build_register
    from pos_app.config import Settings
    from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory

    rng = random.Random(args.seed)
    load_before = _loadavg()
    store = open_cached_store(args.cache_dir, args.products)
    engine = store.engine
    register: Register | None = None
    n_search = max(1000, args.samples // 10)
    try:
        factory = SqlUnitOfWorkFactory(engine)
        lookup = bench_barcode_lookup(factory, engine, rng, args.samples)
        say(
            f"  barcode p50 {lookup.own_uow.p50:.3f} ms, p99 {lookup.own_uow.p99:.3f} ms "
            f"(query alone p99 {lookup.in_uow.p99:.3f} ms)"
        )
        search = bench_name_search(factory, engine, rng, n_search)
        say(f"  name search p50 {search.summary.p50:.2f} ms, p99 {search.summary.p99:.2f} ms")
        for query, ms, count in search.slowest[:5]:
            say(f"    slow: {query!r} {ms:.2f} ms, {count} results")
        # Extra: cashiers also type whole words ("leche entera"), longer than any prefix index.
        whole = bench_name_search(factory, engine, rng, max(500, n_search // 2), whole_words=True)
        say(f"  whole-word search p50 {whole.summary.p50:.2f} ms, p99 {whole.summary.p99:.2f} ms")
        register = build_register(engine, Settings())
        fsync = fsync_probe(store.data_dir)
        sale = bench_sale_commit(register, engine, rng, args.sales)
        say(
            f"  sale commit p50 {sale.p50:.2f} ms, p99 {sale.p99:.2f} ms "
            f"(fdatasync of 4 KiB: p50 {fsync.p50:.2f} ms, p99 {fsync.p99:.2f} ms)"
        )
        phases = [(args.scans, args.cart_size)]
        if args.large_cart_size:
            phases.append((args.large_cart_scans, args.large_cart_size))
        scans = bench_scan_to_cart(register, engine, rng, phases)
        for phase in scans:
            say(
                f"  scan to cart ({phase.cart_size}-line carts) p50 {phase.to_model.p50:.2f} ms, "
                f"p99 {phase.to_model.p99:.2f} ms; to repaint p99 {phase.to_repaint.p99:.2f} ms"
            )
        scan = scans[0]
    finally:
        # The window's runner is shut down by the scan phase; the engine is ours to close.
        if register is not None:
            register.close()
        engine.dispose()
    size_mb = store.database.stat().st_size / 1024 / 1024
    say(f"start-up: {args.startup_runs} runs of python -m pos_app run --exit-after-ready")
    startup = bench_startup(store.data_dir, args.startup_runs, args.products)

    result: dict[str, Any] = {
        "barcode_lookup_p99_ms": _ms(lookup.own_uow.p99),
        "name_search_p99_ms": _ms(search.summary.p99),
        "scan_to_cart_p99_ms": _ms(scan.to_model.p99),
        "sale_commit_p99_ms": _ms(sale.p99),
        "startup_s": round(startup.median_s, 3),
        "startup_rss_mb": round(startup.median_app_rss, 1),
        "barcode_lookup_p50_ms": _ms(lookup.own_uow.p50),
        "barcode_lookup_in_uow_p99_ms": _ms(lookup.in_uow.p99),
        "barcode_lookup_in_uow_p50_ms": _ms(lookup.in_uow.p50),
        "name_search_p50_ms": _ms(search.summary.p50),
        "scan_to_cart_p50_ms": _ms(scan.to_model.p50),
        "scan_to_cart_repaint_p99_ms": _ms(scan.to_repaint.p99),
        "scan_to_cart_repaint_p50_ms": _ms(scan.to_repaint.p50),
        "sale_commit_p50_ms": _ms(sale.p50),
        "scan_to_cart_cart_size": scan.cart_size,
        "startup_runs_s": [round(r.seconds, 3) for r in startup.runs],
        "startup_app_reported_s": [r.app_seconds for r in startup.runs],
        "startup_rss_app_mib": [r.app_rss_mib for r in startup.runs],
        "startup_rss_proc_mb": startup.median_of([r.proc_rss_mib for r in startup.runs]),
        "startup_rss_proc_runs_mib": [
            None if r.proc_rss_mib is None else round(r.proc_rss_mib, 1) for r in startup.runs
        ],
        "startup_hwm_proc_mb": startup.median_of([r.proc_hwm_mib for r in startup.runs]),
        "detail_ms": {
            "barcode_lookup": lookup.own_uow.as_dict(),
            "barcode_lookup_in_uow": lookup.in_uow.as_dict(),
            "name_search": search.summary.as_dict(),
            "name_search_by_words": {str(k): v.as_dict() for k, v in search.by_words.items()},
            "name_search_whole_words": whole.summary.as_dict(),
            "scan_to_cart": scan.to_model.as_dict(),
            "scan_to_cart_repaint": scan.to_repaint.as_dict(),
            "scan_to_cart_by_cart_lines": {k: v.as_dict() for k, v in scan.by_lines.items()},
            "sale_commit": sale.as_dict(),
            "fdatasync_4k": fsync.as_dict(),
        },
        "name_search_slowest": [list(s) for s in search.slowest],
        "name_search_whole_words_p99_ms": _ms(whole.summary.p99),
        "name_search_whole_words_p50_ms": _ms(whole.summary.p50),
        "name_search_whole_words_slowest": [list(s) for s in whole.slowest],
        "scan_to_cart_large_cart": None,
        "name_search_empty": search.empty,
        "name_search_mean_results": round(search.mean_results, 1),
        "samples": {
            "barcode_lookup": lookup.own_uow.n,
            "barcode_lookup_in_uow": lookup.in_uow.n,
            "name_search": search.summary.n,
            "scan_to_cart": scan.to_model.n,
            "name_search_whole_words": whole.summary.n,
            "sale_commit": sale.n,
            "startup": len(startup.runs),
        },
        "products": args.products,
        "catalog_seed": demo_seed(),
        "sampling_seed": args.seed,
        "db_size_mb": round(size_mb, 1),
        "db_built_now": store.built_now,
        "db_build_s": None if store.build_s is None else round(store.build_s, 1),
        # Other work on the machine while we ran (1-minute load average, before and after).
        "loadavg_1m": [load_before, _loadavg()],
        "date": now_iso(),
        "commit": git_commit(),
        "machine": machine_description(),
    }
    if len(scans) > 1:
        large = scans[1]
        result["scan_to_cart_large_cart"] = {
            "cart_size": large.cart_size,
            "p50_ms": _ms(large.to_model.p50),
            "p99_ms": _ms(large.to_model.p99),
            "repaint_p99_ms": _ms(large.to_repaint.p99),
            "samples": large.to_model.n,
            "by_cart_lines_ms": {k: v.as_dict() for k, v in large.by_lines.items()},
        }
    result["meets_targets"] = {key: result[key] <= limit for key, limit in TARGETS.items()}
    if result["startup_rss_proc_mb"] is not None:
        result["startup_rss_proc_mb"] = round(result["startup_rss_proc_mb"], 1)
    if result["startup_hwm_proc_mb"] is not None:
        result["startup_hwm_proc_mb"] = round(result["startup_hwm_proc_mb"], 1)
    return result


def table(result: dict[str, Any]) -> str:
    rows = [
        (
            "barcode look-up (own unit of work)",
            "barcode_lookup_p50_ms",
            "barcode_lookup_p99_ms",
            "ms",
        ),
        ("name search, LIMIT 50", "name_search_p50_ms", "name_search_p99_ms", "ms"),
        ("scan to cart model", "scan_to_cart_p50_ms", "scan_to_cart_p99_ms", "ms"),
        ("sale commit", "sale_commit_p50_ms", "sale_commit_p99_ms", "ms"),
        ("start-up (median)", None, "startup_s", "s"),
        ("start-up resident memory", None, "startup_rss_mb", "MiB"),
    ]
    lines = [f"{'figure':38} {'p50':>9} {'p99/value':>10} {'target':>8}  ok"]
    for label, p50_key, key, unit in rows:
        p50 = f"{result[p50_key]:.3f}" if p50_key else "-"
        ok = "yes" if result["meets_targets"][key] else "NO"
        lines.append(f"{label:38} {p50:>9} {result[key]:>10.3f} {TARGETS[key]:>6g} {unit:3} {ok}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.perf.checkout",
        description=__doc__.split("\n\n")[0] if __doc__ else "",
    )
    parser.add_argument("--products", type=int, default=1_000_000, help="catalog size")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--cache-dir", type=Path, default=DEFAULT_CACHE_DIR, help="where databases are cached"
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=10_000,
        help="barcode look-ups (and /10 name searches, at least 1000)",
    )
    parser.add_argument("--scans", type=int, default=400, help="scans through the window")
    parser.add_argument("--cart-size", type=int, default=20, help="scans per cart")
    parser.add_argument(
        "--large-cart-size",
        type=int,
        default=60,
        help="extra scan phase with carts this big (0: skip)",
    )
    parser.add_argument("--large-cart-scans", type=int, default=240, help="scans in that phase")
    parser.add_argument("--sales", type=int, default=500, help="sales completed")
    parser.add_argument("--startup-runs", type=int, default=5, help="start-up runs")
    parser.add_argument("--seed", type=int, default=20261125, help="seed of the sampling")
    args = parser.parse_args(argv)
    for name in (
        "products",
        "samples",
        "scans",
        "cart_size",
        "sales",
        "startup_runs",
        "large_cart_scans",
    ):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.large_cart_size < 0:
        parser.error("--large-cart-size must be 0 (skip) or more")
    args.cache_dir = args.cache_dir.resolve()
    return args


def _on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks: children are killed


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    signal.signal(signal.SIGTERM, _on_sigterm)
    args = parse_args(argv)
    say(f"checkout benchmark, {args.products} products, on {machine_description()}")
    try:
        result = run(args)
    except BenchmarkError as exc:
        sys.stderr.write(f"checkout benchmark failed: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("checkout benchmark interrupted\n")
        return 130
    sys.stderr.write(table(result) + "\n")
    if args.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(table(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
