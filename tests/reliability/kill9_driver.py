"""A register process for the kill -9 test: sell, push, pull, in a loop, until killed.

    python tests/reliability/kill9_driver.py --db PATH --backend URL --token-file F \
        --barcode CODE --sales K

Prints ``ready`` once the register is open, then ``sale <receipt number>`` (flushed) only after
``complete_sale`` returned: every number printed is a sale the cashier saw completed. The test
arms a failpoint with ``MOSTRADOR_FAILPOINT`` (see ``pos_app.failpoints``), kills the process from
outside while a push's answer is held back (``push.after_send``, by the test's proxy), or kills it
at random. The token is read from a file: a test harness only.

Besides the failpoints in the code, the driver adds one: ``push.before_mark_commit``, inside the
transaction that records a push's answer in the outbox, after its writes and before its
``COMMIT`` (an SQLAlchemy ``commit`` event while ``SyncService.record_push`` runs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event

from pos_app.failpoints import failpoint
from pos_app.services.checkout import CheckoutService
from pos_app.services.ports import SystemClock
from pos_app.services.sync import SyncService
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.db import open_database
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
from sync.client import SyncClient

BEFORE_MARK_COMMIT = "push.before_mark_commit"


def arm_mark_commit_point(engine: Any, sync: SyncService) -> None:
    """Make every COMMIT inside ``sync.record_push`` pass through ``BEFORE_MARK_COMMIT``."""
    marking = False
    record_push = sync.record_push

    def recording(response: Any) -> Any:
        nonlocal marking
        marking = True
        try:
            return record_push(response)
        finally:
            marking = False

    def before_commit(conn: Any) -> None:
        if marking:
            failpoint(BEFORE_MARK_COMMIT)

    sync.record_push = recording  # type: ignore[method-assign]
    event.listen(engine, "commit", before_commit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--token-file", required=True, type=Path)
    parser.add_argument("--barcode", required=True)
    parser.add_argument("--sales", type=int, default=5)
    args = parser.parse_args(argv)

    engine = open_database(args.db)
    factory = SqlUnitOfWorkFactory(engine)
    with factory.reader() as uow:
        identity = uow.catalog.identity()
    assert identity is not None, "the register is not enrolled"
    clock = SystemClock()
    sync = SyncService(factory, clock)
    arm_mark_commit_point(engine, sync)
    client = SyncClient(args.backend, args.token_file.read_text().strip())
    worker = SyncWorker(sync, client, lambda fn: fn())
    checkout = CheckoutService(factory, clock, identity, cashier="kill9")
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    try:
        worker.push_all()  # what an earlier, killed run left in the outbox
        for _ in range(args.sales):
            checkout.scan(args.barcode)
            checkout.add_cash(checkout.view().payment.due)
            receipt = checkout.complete_sale().sale.receipt_number
            out.write(f"sale {receipt}\n")
            out.flush()
            worker.push_all()
            worker.pull_all()
    finally:
        client.close()
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
