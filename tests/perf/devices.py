"""Benchmark of the store's devices seen from the till: a scan from each kind of scanner until
the cart model shows the line, and a receipt from the print call until the printer has taken
every byte.

    python -m tests.perf.devices --products 100000 --json

- direct: ``presenter.scan(code)``, as tests/perf/checkout.py times it (the baseline the two
  scanners add to), polled the same way as the scanners.
- serial scanner: the code is written to a pseudo-terminal (``ScannerSimulator``); timed until
  the window's cart model shows the line (the scanner thread, the queued signal to the GUI, the
  checkout on the database worker, the model).
- keyboard wedge: 13 key presses and releases and Enter, sent through the window as QTest sends
  a keyboard's keys; timed from the first key to the cart model. The wedge holds the keys of a
  burst and hands the whole code on at Enter.
- receipt print: a real sale's receipt to a ``NetworkReceiptPrinter`` on a ``TcpPrinterSimulator``
  over loopback (status asked first, one write, the printer closing the connection when it has
  every byte); timed around ``ReceiptService.send``. Also the printer's ``status()`` and a
  drawer kick.

The last line of stdout is one JSON object with the figures, ``samples``, ``commit`` and
``machine`` (see tests/perf/RESULTS.md).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.perf._common import (
    DEFAULT_CACHE_DIR,
    BenchmarkError,
    git_commit,
    machine_description,
    now_iso,
    open_cached_store,
    say,
    summarize_ns,
)
from tests.perf.checkout import sample_codes


def _wait(app: Any, predicate: Any, what: str, timeout_s: float = 10.0) -> int:
    """Process Qt events until ``predicate()``; the time it became true (perf_counter_ns)."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise BenchmarkError(f"{what}: nothing after {timeout_s} s")
        app.processEvents()
        time.sleep(0.0002)
    return time.perf_counter_ns()


def run(args: argparse.Namespace) -> dict[str, Any]:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from hardware.printers import NetworkReceiptPrinter
    from hardware.simulators.scanner_simulator import ScannerSimulator
    from hardware.simulators.tcp_printer import TcpPrinterSimulator
    from pos_app.bootstrap import build_main_window, build_register
    from pos_app.config import PrinterSettings, ScannerSettings, Settings
    from pos_app.domain.money import Money
    from pos_app.ui.app import style_sheet

    rng = random.Random(args.seed)
    store = open_cached_store(args.cache_dir, args.products)
    engine = store.engine
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setStyleSheet(style_sheet())
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, TcpPrinterSimulator() as printer_sim:
        scanner_sim = ScannerSimulator(Path(tmp) / "ttyScanner")
        windows: list[Any] = []
        try:
            for kind in ("direct", "serial", "wedge"):
                scanner = {
                    "direct": ScannerSettings(kind="none"),
                    "serial": ScannerSettings(kind="serial", port=str(scanner_sim.path)),
                    "wedge": ScannerSettings(kind="wedge"),
                }[kind]
                settings = Settings(
                    printer=PrinterSettings(
                        kind="network", host="127.0.0.1", port=printer_sim.port
                    ),
                    scanner=scanner,
                )
                register = build_register(engine, settings)
                window, runner = build_main_window(register, "es_ES")
                windows.append((window, runner, register))
                window.showMaximized()
                app.processEvents()
                presenter = window.presenter
                if kind == "serial":
                    _wait(
                        app,
                        lambda w=window: (
                            (s := w.devices.statuses.get("scanner")) is not None and s.ready
                        ),
                        "the serial scanner",
                    )
                wedge_scans = [0]
                if window.devices.wedge is not None:
                    window.activateWindow()
                    window.scan_field.setFocus()
                    window.devices.wedge.scanned.connect(
                        lambda _code, n=wedge_scans: n.__setitem__(0, n[0] + 1)
                    )
                # Stamped by a slot connected after the window's own (the model is updated then),
                # which also ends the local event loop the scan waits in.
                stamp = [0]
                loop = QEventLoop()

                def changed(_view: object, st: list[int] = stamp, lp: QEventLoop = loop) -> None:
                    st[0] = time.perf_counter_ns()
                    lp.quit()

                presenter.cart_changed.connect(changed)
                codes = sample_codes(engine, rng, args.scans + 10, unit_only=True)
                timings: list[int] = []
                for i, sample in enumerate(codes):
                    if i % 20 == 0 and not presenter.view.is_empty:
                        presenter.abandon("benchmark")
                        _wait(app, lambda p=presenter: p.view.is_empty, "abandoning")
                    before = sum(line.quantity for line in presenter.view.lines)
                    stamp[0] = 0
                    t0 = time.perf_counter_ns()
                    if kind == "direct":
                        presenter.scan(sample.code)
                    elif kind == "serial":
                        scanner_sim.scan(sample.code)
                    else:
                        QTest.keyClicks(window.scan_field, sample.code)
                        QTest.keyClick(window.scan_field, Qt.Key.Key_Return)
                    if not stamp[0]:
                        QTimer.singleShot(10_000, loop.quit)
                        loop.exec()
                    done = stamp[0]
                    if not done or sum(line.quantity for line in presenter.view.lines) <= before:
                        raise BenchmarkError(f"{kind} scan of {sample.code}: not in the cart")
                    _wait(app, lambda p=presenter: p._runner.idle, "the runner")
                    app.processEvents()  # the repaint the change asked for, outside the timing
                    if window.cart_model.line_at(window.cart_model.rowCount() - 1) is None:
                        raise BenchmarkError("the cart model shows no line")
                    if i >= 10:  # warm-up
                        timings.append(done - t0)
                summary = summarize_ns(timings)
                say(
                    f"  {kind} scan to cart model p50 {summary.p50:.2f} ms, "
                    f"p99 {summary.p99:.2f} ms"
                )
                result[f"{kind}_scan_to_cart_p50_ms"] = round(summary.p50, 3)
                result[f"{kind}_scan_to_cart_p99_ms"] = round(summary.p99, 3)
                result.setdefault("samples", {})[f"{kind}_scan"] = summary.n
                if kind == "wedge":
                    # how many of the typed codes the wedge took as scans (the rest reached the
                    # scan field as typing, which also adds them)
                    result["wedge_scans_detected"] = wedge_scans[0]

            # Receipts: one real sale, printed again and again through the real adapter.
            window, runner, register = windows[1]
            checkout = register.checkout
            if not window.presenter.view.is_empty:
                window.presenter.abandon("benchmark")
                _wait(app, lambda: window.presenter.view.is_empty, "abandoning")
            runner.shutdown()
            for sample in sample_codes(engine, rng, 5, unit_only=True):
                checkout.scan(sample.code)
            checkout.add_cash(Money(checkout.view().totals.total.cents + 1000))
            sale = checkout.complete_sale().sale
            device = NetworkReceiptPrinter("127.0.0.1", printer_sim.port, timeout=5.0)
            receipts = register.receipts
            receipts.printer = device
            job = receipts.prepare_print(sale.sale_id)
            prints: list[int] = []
            statuses: list[int] = []
            kicks: list[int] = []
            for i in range(args.prints + 5):
                t0 = time.perf_counter_ns()
                printed = receipts.send(job)
                t1 = time.perf_counter_ns()
                if not printed.ok:
                    raise BenchmarkError(f"print failed: {printed.error}")
                device.status()
                t2 = time.perf_counter_ns()
                device.open_drawer()
                t3 = time.perf_counter_ns()
                if i >= 5:
                    prints.append(t1 - t0)
                    statuses.append(t2 - t1)
                    kicks.append(t3 - t2)
            printer_sim.wait_for_receipts(args.prints + 5, timeout=30)
            for name, values in (("print", prints), ("status", statuses), ("kick", kicks)):
                summary = summarize_ns(values)
                say(f"  {name} p50 {summary.p50:.2f} ms, p99 {summary.p99:.2f} ms")
                result[f"{name}_p50_ms"] = round(summary.p50, 3)
                result[f"{name}_p99_ms"] = round(summary.p99, 3)
                result["samples"][name] = summary.n
            result["receipt_bytes"] = len(printer_sim.receipts()[-1].text.encode())
            device.close()
        finally:
            for window, runner, register in windows:  # as the app itself shuts down
                window.close()
                if window.devices is not None:
                    window.devices.close()
                runner.shutdown()
                window.deleteLater()
                register.close()
            app.processEvents()
            scanner_sim.close()
            engine.dispose()
    result.update(
        {
            "benchmark": "devices",
            "products": args.products,
            "commit": git_commit(),
            "machine": machine_description(),
            "measured_at": now_iso(),
        }
    )
    return result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=300, help="scans per kind of scanner")
    parser.add_argument("--prints", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--json", action="store_true", help="print the JSON line only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    args = parse_args(argv)
    say(f"devices benchmark, {args.products} products, on {machine_description()}")
    try:
        result = run(args)
    except BenchmarkError as exc:
        sys.stderr.write(f"devices benchmark failed: {exc}\n")
        return 1
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
