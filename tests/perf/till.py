"""Z close benchmark: how long a register takes to close its till after a busy day.

The issue asks that closing "works offline and takes seconds". This script copies the cached
demo register database (``tests/perf/_common.py``) of ``--products`` products, opens a till,
commits ``--sales`` sales of 3 to 6 products (cash and card) and ``--returns`` returns through
the real checkout and returns services, then times:

- the X report (a reading of the open session);
- the Z close's transaction (the figures summed from the session's sales and returns, the Z
  number, the journal's "cierre" record, ``till.closed`` in the outbox, one SQLite commit);
- the backup SQLite makes of the whole database after the Z (its online backup API), which
  grows with the catalog.

Each Z's totals are checked against the sales committed. Run::

    python -m tests.perf.till --products 1000000 --sales 2000 --returns 50 --json
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
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
)
from tests.perf.checkout import sample_codes

FLOAT = {5000: 2, 2000: 5, 1000: 5, 500: 4, 200: 10, 100: 10, 50: 10}  # 300,00 €


class _TimedBackup:
    """The register's backup, timed."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds = 0.0

    def backup(self, label: str) -> str:
        t0 = time.perf_counter()
        try:
            return str(self.inner.backup(label))
        finally:
            self.seconds = time.perf_counter() - t0


def run(args: argparse.Namespace) -> dict[str, Any]:
    from pos_app.bootstrap import build_register
    from pos_app.config import Settings
    from pos_app.domain.till import CashCount
    from pos_app.services.returns import RefundRequest, ReturnLineRequest
    from pos_app.storage.db import open_database

    rng = random.Random(args.seed)
    cached = open_cached_store(args.cache_dir, args.products)
    cached.engine.dispose()
    work = Path(tempfile.mkdtemp(prefix="mostrador-till-bench-"))
    try:
        say(f"copying the {args.products}-product register database to {work}")
        database = work / cached.database.name
        shutil.copy2(cached.database, database)
        engine = open_database(database)
        register = build_register(engine, Settings(), backups=work / "backups")
        till = register.till
        if till is None or till.backup is None:
            raise BenchmarkError("the register was built without its till or its backup")
        timed = _TimedBackup(till.backup)
        till.backup = timed
        try:
            if till.current() is not None:
                raise BenchmarkError("the copied database has an open till")
            till.open_till(CashCount(FLOAT))
            pool = sample_codes(engine, rng, 4000, unit_only=True)
            checkout = register.checkout
            say(f"committing {args.sales} sales and {args.returns} returns")
            sold_cents = 0
            receipts: list[tuple[str, str]] = []
            t_sales = time.perf_counter()
            for i in range(args.sales):
                view = None
                for item in [rng.choice(pool) for _ in range(rng.randint(3, 6))]:
                    view = checkout.scan(item.code)
                assert view is not None
                if i % 3:
                    checkout.add_cash(view.payment.due)
                else:
                    checkout.add_card(view.payment.due, f"AUT{i:06d}")
                done = checkout.complete_sale()
                sold_cents += done.sale.total_cents
                receipts.append((done.sale.receipt_number, "cash" if i % 3 else "card"))
            sales_s = time.perf_counter() - t_sales
            returned_cents = 0
            for number, kind in rng.sample(receipts, min(args.returns, len(receipts))):
                found = register.returns.find_original(number)
                done_return = register.returns.complete_return(
                    found,
                    [ReturnLineRequest(1, Decimal(1), "No le gusta")],
                    RefundRequest(kind, "DEV" if kind == "card" else ""),
                )
                returned_cents += done_return.record.total_cents
            t0 = time.perf_counter()
            x = till.x_report()
            x_s = time.perf_counter() - t0
            expected = x.figures.expected_cash_cents
            counted = CashCount(_count_of(expected))
            t0 = time.perf_counter()
            closed = till.close_z(counted)
            z_s = time.perf_counter() - t0
            figures = closed.report.figures
            if figures.sales_count != args.sales or figures.sales_total_cents != sold_cents:
                raise BenchmarkError(
                    f"the Z counts {figures.sales_count} sales of {figures.sales_total_cents} "
                    f"cents; {args.sales} of {sold_cents} were committed"
                )
            if figures.returns_total_cents != returned_cents:
                raise BenchmarkError("the Z's returns differ from the returns committed")
            size_mb = database.stat().st_size / 1024 / 1024
        finally:
            register.close()
            engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    transaction_s = z_s - timed.seconds
    say(
        f"  X report {x_s * 1000:.1f} ms; Z close {z_s:.2f} s "
        f"(transaction {transaction_s * 1000:.1f} ms, backup {timed.seconds:.2f} s "
        f"of {size_mb:.0f} MiB)"
    )
    return {
        "benchmark": "till",
        "when": now_iso(),
        "commit": git_commit(),
        "machine": machine_description(),
        "products": args.products,
        "sales": args.sales,
        "returns": args.returns,
        "sales_commit_s": round(sales_s, 2),
        "x_report_ms": round(x_s * 1000, 1),
        "z_close_s": round(z_s, 3),
        "z_transaction_ms": round(transaction_s * 1000, 1),
        "z_backup_s": round(timed.seconds, 3),
        "database_mib": round(size_mb, 1),
    }


def _count_of(cents: int) -> dict[int, int]:
    """A drawer holding exactly ``cents`` (the cashier's count; the difference is zero)."""
    from pos_app.domain.till import DENOMINATIONS

    pieces: dict[int, int] = {}
    left = cents
    for value in sorted(DENOMINATIONS, reverse=True):
        pieces[value], left = divmod(left, value)
    if left:
        raise BenchmarkError(f"{cents} cents cannot be counted in euro pieces")
    return pieces


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.till", description=__doc__)
    parser.add_argument("--products", type=int, default=1_000_000, help="catalog size")
    parser.add_argument("--sales", type=int, default=2000, help="sales in the session")
    parser.add_argument("--returns", type=int, default=50, help="returns in the session")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    args = parser.parse_args(argv)
    if args.products < 1 or args.sales < 1 or args.returns < 0:
        parser.error("--products and --sales must be at least 1, --returns at least 0")
    args.cache_dir = args.cache_dir.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    args = parse_args(argv)
    say(f"till benchmark, {args.products} products, on {machine_description()}")
    try:
        result = run(args)
    except BenchmarkError as exc:
        sys.stderr.write(f"till benchmark failed: {exc}\n")
        return 1
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        for key, value in result.items():
            sys.stdout.write(f"{key}: {value}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
