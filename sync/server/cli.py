"""``mostrador-server``: run the backend and administer it (for IT).

Every command takes ``--database URL`` (default ``$MOSTRADOR_SERVER_DATABASE``, else a SQLite
file in the platform data directory) and brings the schema up to date first. Expected errors
(bad input, an unknown store, a refused catalog) print one line — or one per bad catalog row —
and exit 2; the database being unreachable exits 1; never a traceback for either.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import getpass
import logging
import os
import socket
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from uvicorn.supervisors.multiprocess import Multiprocess

from sync.protocol import StaffLimits
from sync.server.core.config import (
    APP_NAME,
    DATABASE_FILE,
    DEFAULT_HOST,
    DEFAULT_PORT,
    ENV_NOTIFY_WEBHOOK,
    ENV_ORDER_EXPIRY_DAYS,
    ServerSettings,
    default_database_url,
    normalize_database_url,
    settings_from_env,
    sqlite_url,
)
from sync.server.database import Database, describe
from sync.server.errors import CatalogRejected, CommandError, ServerError
from sync.server.services._sql import utcnow
from sync.server.services.aeat_sender import DirectorySender, queue_counts, send_pending
from sync.server.services.audit import list_audit
from sync.server.services.catalog import BATCH_SIZE, import_catalog
from sync.server.services.catalog_files import CatalogFormat
from sync.server.services.changelog import record_changes
from sync.server.services.customers import (
    erase_customer,
    merge_customers,
    open_duplicates,
    search_customers,
)
from sync.server.services.housekeeping import expire_due_orders
from sync.server.services.journal import read_journal, verify_journal
from sync.server.services.orders import create_channel_key
from sync.server.services.policies import (
    LIMIT_FIELDS,
    publish_missing_defaults,
    set_limits,
    set_return_policy,
)
from sync.server.services.registers import (
    create_enrollment_code,
    list_registers,
    revoke_register,
)
from sync.server.services.returns import list_returns
from sync.server.services.stock import milli_to_text, set_level
from sync.server.services.stores import (
    ROLES,
    StoreSpec,
    deactivate_staff,
    publish_staff,
    save_staff,
    save_store,
)
from sync.server.services.till import list_closes
from sync.server.services.vouchers import list_vouchers, set_voucher_active
from sync.server.tables import products, staff, stores

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger(__name__)

DEMO_STORE = StoreSpec(
    code="T01",
    name="Ultramarinos Mostrador (DEMO)",
    tax_id="B00000000",
    address=("Calle Mayor 1", "28013 Madrid"),
)


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[Database]:
    database = Database(_url(args), pool_size=2, max_overflow=2)
    try:
        database.migrate()
        with database.writing() as conn:
            # A policy added after the stores were created (return_policy) reaches them too.
            publish_missing_defaults(conn)
        yield database
    finally:
        database.dispose()


def _url(args: argparse.Namespace) -> str:
    given: str | None = args.database
    return normalize_database_url(given) if given else default_database_url()


# --- serving ---------------------------------------------------------------------------------


class _Server(uvicorn.Server):
    """uvicorn's server, telling when it accepts connections."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and not self.should_exit:
            self._on_ready()


def _listen(host: str, port: int) -> socket.socket:
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as exc:
        raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def _configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Alembic says which implementation it uses at every connection; the upgrade itself is
    # logged by Database.migrate.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _collect_garbage_rarely() -> None:
    """Keep Python's cycle collector from stalling a busy server (call it once the app is made).

    Measured under load (tests/perf/backend_load.py): with the default thresholds a full
    collection ran every ~0.45 s and took ~90 ms each time, the GIL held (a fifth of the
    time): it walks every object of the app (~116,000 after start-up), and the requests waiting
    for their group outlive the young generations, so full collections keep coming. Frozen,
    the start-up objects are never walked again; with 50,000 new objects between young
    collections (700 by default), the short-lived ones of a request are freed by reference
    counting before a collection sees them. About 7 collections of ~35 ms in 30 s remain;
    the process holds ~14 MB more (126 against 112 MB resident under that load).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000)


def _uvicorn_options(access_log: bool) -> dict[str, Any]:
    """The uvicorn settings of every way of serving (one process or several workers)."""
    return {
        # uvloop and httptools (uvicorn[standard]) when installed, else asyncio and h11; the
        # log says which. They saved ~0.07 ms of CPU per pushed sale (~7 %) in
        # tests/perf/backend_load.py.
        "loop": "auto",
        "http": "auto",
        "log_config": None,
        "lifespan": "on",
        "timeout_graceful_shutdown": 10,
        "server_header": False,
        "access_log": access_log,
    }


def run_server(
    url: str,
    host: str,
    port: int,
    *,
    workers: int = 1,
    access_log: bool = False,
    settings: ServerSettings | None = None,
) -> int:
    """Serve the (migrated) database at ``url`` until interrupted, in this process or in
    ``workers`` worker processes sharing one listening socket."""
    sock = _listen(host, port)
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host

    def ready() -> None:
        _out(f"{APP_NAME}: ready on http://{shown_host}:{bound_port}")

    try:
        if workers > 1:
            if settings is not None:  # worker processes read them from the environment
                if settings.notify_webhook:
                    os.environ[ENV_NOTIFY_WEBHOOK] = settings.notify_webhook
                os.environ[ENV_ORDER_EXPIRY_DAYS] = str(settings.order_expiry_days)
            return _run_workers(url, sock, workers, access_log, ready)
        from sync.server.app import create_app  # FastAPI only when serving

        config = uvicorn.Config(create_app(url, settings=settings), **_uvicorn_options(access_log))

        def serving() -> None:
            _collect_garbage_rarely()
            log.info(
                "event loop %s, HTTP protocol %s",
                type(asyncio.get_running_loop()).__module__,
                config.http_protocol_class.__name__,
            )
            ready()

        server = _Server(config, serving)
        server.run(sockets=[sock])
        return 0 if server.started else 1
    finally:
        sock.close()


# Worker processes are started afresh (spawned): they find the database here.
_WORKER_DATABASE = "MOSTRADOR_SERVER_WORKER_DATABASE"


def worker_app() -> FastAPI:
    """The app of one worker process of ``serve --workers N`` (a uvicorn app factory)."""
    from sync.server.app import create_app

    _configure_logging()
    app = create_app(os.environ[_WORKER_DATABASE])
    _collect_garbage_rarely()
    return app


class _Workers(Multiprocess):
    """uvicorn's supervisor of worker processes (it restarts a worker that dies), telling when
    every worker accepts connections."""

    def __init__(
        self, config: uvicorn.Config, sockets: list[socket.socket], on_ready: Callable[[], None]
    ) -> None:
        super().__init__(config, sockets)
        self._on_ready = on_ready
        self.ready = False

    def init_processes(self) -> None:
        super().init_processes()
        if all(p.wait_until_ready(120, self.should_exit) for p in self.processes):
            self.ready = True
            self._on_ready()


def _run_workers(
    url: str, sock: socket.socket, workers: int, access_log: bool, on_ready: Callable[[], None]
) -> int:
    os.environ[_WORKER_DATABASE] = url
    config = uvicorn.Config(
        "sync.server.cli:worker_app",
        factory=True,
        workers=workers,
        **_uvicorn_options(access_log),
    )
    supervisor = _Workers(config, [sock], on_ready)
    supervisor.run()
    return 0 if supervisor.ready else 1


def _cmd_serve(args: argparse.Namespace) -> int:
    _configure_logging()
    with _database(args):
        pass  # migrated
    settings = ServerSettings(
        notify_webhook=args.notify_webhook or None, order_expiry_days=args.order_expiry_days
    )
    return run_server(
        _url(args),
        args.host,
        args.port,
        workers=args.workers,
        access_log=args.access_log,
        settings=settings,
    )


def _cmd_demo(args: argparse.Namespace) -> int:
    _configure_logging()
    data_dir = Path(args.data_dir).expanduser()
    data_dir.mkdir(parents=True, exist_ok=True)
    url = sqlite_url(data_dir / DATABASE_FILE)
    database = Database(url, pool_size=2)
    try:
        database.migrate()
        with database.writing() as conn:
            exists = conn.execute(select(stores.c.code).where(stores.c.code == "T01")).first()
            if exists is None:
                save_store(conn, DEMO_STORE)
        if args.catalog:
            with database.reading() as conn:
                count = conn.execute(select(func.count()).select_from(products)).scalar_one()
            if count == 0:
                result = import_catalog(database, Path(args.catalog))
                log.info("demo catalog: %d products imported", result.products)
        _seed_demo_orders(database)
        _seed_demo_staff(database)
    finally:
        database.dispose()
    return run_server(url, "127.0.0.1", args.port)


# The demo's web orders, placed once so the register's "Recogidas" screen has a queue.
_DEMO_ORDERS = (
    ("María Pérez", "+34 600 111 222", "maria@example.com", True, ((0, 2), (3, 1))),
    ("Jorge Núñez", "+34 600 333 444", "jorge@example.com", False, ((1, 1), (4, 3), (7, 1))),
    ("Lucía Gómez", "+34 611 555 666", "lucia@example.com", True, ((2, 1),)),
)


def _seed_demo_orders(database: Database) -> None:
    """Place the demo's web orders for store T01 through the order service, once."""
    from sync.protocol import OrderCreate, OrderLineRequest, PickupCustomer
    from sync.server.services.orders import OrderSettings, create_order
    from sync.server.tables import pickup_orders

    with database.reading() as conn:
        if conn.execute(select(func.count()).select_from(pickup_orders)).scalar_one():
            return
        skus = list(
            conn.execute(
                select(products.c.sku).where(products.c.active).order_by(products.c.sku).limit(8)
            ).scalars()
        )
    if len(skus) < 8:
        return
    for name, phone, email, paid, lines in _DEMO_ORDERS:
        request = OrderCreate(
            channel="web",
            external_ref=f"demo-{phone[-3:]}",
            store_code=DEMO_STORE.code,
            customer=PickupCustomer(name=name, phone=phone, email=email),
            lines=[OrderLineRequest(sku=skus[i], quantity=str(q)) for i, q in lines],
            paid_online=paid,
        )
        with database.writing() as conn:
            order, _new = create_order(conn, "web", request, settings=OrderSettings())
        log.info("demo web order %s for %s", order.number, name)


# The demo's staff, with PINs everyone knows: the demo only, never a real store's.
_DEMO_STAFF = (("Ana", "cashier", "1234"), ("Luis", "clerk", "2345"), ("Marta", "manager", "9999"))


def _seed_demo_staff(database: Database) -> None:
    """Add the demo's staff to store T01, once (when it has nobody)."""
    with database.writing() as conn:
        if conn.execute(
            select(func.count()).select_from(staff).where(staff.c.store_code == DEMO_STORE.code)
        ).scalar_one():
            return
        for name, role, pin in _DEMO_STAFF:
            save_staff(conn, store_code=DEMO_STORE.code, name=name, role=role, pin=pin)
    log.info("demo staff: %s", ", ".join(f"{name} ({role})" for name, role, _ in _DEMO_STAFF))


# --- administration ----------------------------------------------------------------------------


def _cmd_migrate(args: argparse.Namespace) -> int:
    with _database(args):
        pass
    _out("database schema is up to date")
    return 0


def _cmd_create_store(args: argparse.Namespace) -> int:
    spec = StoreSpec(
        code=args.code,
        name=args.name,
        tax_id=args.tax_id,
        address=tuple(args.address),
        currency=args.currency,
        timezone=args.timezone,
    )
    with _database(args) as database, database.writing() as conn:
        created = save_store(conn, spec)
    _out(f"store {spec.code.strip().upper()} {'created' if created else 'updated'}")
    return 0


def _read_pin() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("PIN: ")
        again = getpass.getpass("PIN again: ")
        if first != again:
            raise CommandError("the two PINs differ")
        return first.strip()
    line = sys.stdin.readline()
    if not line.strip():
        raise CommandError("no PIN on standard input")
    return line.strip()


def _cmd_create_staff(args: argparse.Namespace) -> int:
    pin = _read_pin() if args.pin else None
    with _database(args) as database, database.writing() as conn:
        created = save_staff(conn, store_code=args.store, name=args.name, role=args.role, pin=pin)
    what = "added to" if created else "updated in"
    _out(f"{' '.join(args.name.split())} {what} store {args.store.upper()} as {args.role}")
    return 0


def _cmd_deactivate_staff(args: argparse.Namespace) -> int:
    name = " ".join(args.name.split())
    with _database(args) as database, database.writing() as conn:
        changed = deactivate_staff(conn, store_code=args.store, name=name)
    store = args.store.strip().upper()
    _out(f"{name} of store {store} {'deactivated' if changed else 'was already inactive'}")
    return 0


def _cmd_publish_staff(args: argparse.Namespace) -> int:
    with _database(args) as database, database.writing() as conn:
        count = publish_staff(conn, store_code=args.store)
    _out(f"{count} staff of store {args.store.strip().upper()} sent to its registers")
    return 0


def _cmd_set_limits(args: argparse.Namespace) -> int:
    settings = {
        name: getattr(args, name) for name in LIMIT_FIELDS if getattr(args, name) is not None
    }
    with _database(args) as database, database.writing() as conn:
        limits = set_limits(conn, settings)
    _out("staff limits sent to every register:")
    for name, value in limits.model_dump(mode="json").items():
        shown = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        _out(f"  {name.replace('_', '-')}: {shown}")
    return 0


def _cmd_set_return_policy(args: argparse.Namespace) -> int:
    settings: dict[str, Any] = {}
    if args.days is not None:
        settings["days"] = args.days
    if args.category_days:
        settings["category_days"] = dict(args.category_days)
    if args.non_returnable is not None:
        settings["non_returnable_categories"] = [c for c in args.non_returnable if c.strip()]
    if args.receipt_required is not None:
        settings["receipt_required"] = args.receipt_required
    if args.no_receipt_price_days is not None:
        settings["no_receipt_price_days"] = args.no_receipt_price_days
    if args.offline_max_refund is not None:
        settings["offline_max_refund_cents"] = args.offline_max_refund
    with _database(args) as database, database.writing() as conn:
        policy = set_return_policy(conn, settings)
    _out("return policy sent to every register:")
    _out(f"  days: {policy.days}")
    days = ", ".join(f"{c}={n}" for c, n in sorted(policy.category_days.items()))
    _out(f"  category-days: {days or '-'}")
    _out(f"  non-returnable: {', '.join(policy.non_returnable_categories) or '-'}")
    _out(f"  receipt-required: {'yes' if policy.receipt_required else 'no'}")
    _out(f"  no-receipt-price-days: {policy.no_receipt_price_days}")
    _out(f"  offline-max-refund: {_cents(policy.offline_max_refund_cents)}")
    return 0


def _cmd_audit_log(args: argparse.Namespace) -> int:
    with _database(args) as database, database.reading() as conn:
        entries = list_audit(conn, args.store, since=args.since)
    if not entries:
        _out("no audit entries")
        return 0
    header = ("AT", "REGISTER", "KIND", "ACTION", "STAFF", "APPROVER", "REFERENCE", "DETAIL")
    table = [header]
    for e in entries:
        table.append(
            (
                f"{e.at:%Y-%m-%d %H:%M:%S}",
                e.register_code,
                e.kind,
                e.action or "-",
                e.staff_name or "-",
                e.approver_name or "-",
                e.reference or "-",
                " ".join(e.detail.split()) or "-",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        _out("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _cmd_deactivate_voucher(args: argparse.Namespace) -> int:
    active = bool(args.reactivate)
    with _database(args) as database, database.writing() as conn:
        changed = set_voucher_active(conn, args.code, active=active)
    state = "active" if active else "inactive"
    _out(f"voucher {args.code.strip().upper()} {'is now' if changed else 'was already'} {state}")
    return 0


def _cmd_vouchers(args: argparse.Namespace) -> int:
    with _database(args) as database, database.reading() as conn:
        entries = list_vouchers(conn, args.store)
    if not entries:
        _out("no vouchers")
        return 0
    header = ("ISSUED", "STORE", "CODE", "AMOUNT", "BALANCE", "STATUS")
    table = [header]
    for e in entries:
        table.append(
            (
                f"{e.issued_at:%Y-%m-%d %H:%M:%S}",
                e.store_code,
                e.code,
                _cents(e.issued_cents),
                _cents(e.balance_cents),
                ("overspent" if e.balance_cents < 0 else "active") if e.active else "inactive",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        _out("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _cmd_returns(args: argparse.Namespace) -> int:
    with _database(args) as database, database.reading() as conn:
        entries = list_returns(conn, args.store, since=args.since)
    if not entries:
        _out("no returns")
        return 0
    header = ("AT", "REGISTER", "NUMBER", "ORIGINAL", "REFUNDED", "CASHIER", "CONFLICT")
    table = [header]
    for e in entries:
        kind = "order" if e.original_kind == "web_order" else "sale"
        table.append(
            (
                f"{e.completed_at:%Y-%m-%d %H:%M:%S}",
                e.register_code,
                e.return_number,
                f"{kind} {e.original_reference}",
                _cents(e.total_cents),
                e.cashier or "-",
                e.conflict or "-",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        _out("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _cmd_journal(args: argparse.Namespace) -> int:
    with _database(args) as database, database.reading() as conn:
        entries = read_journal(conn, args.store, args.register)
    _table(
        ("SEQ", "TYPE", "NUMBER", "DATE", "TOTAL", "TAX", "HUELLA", "CONFLICT"),
        [
            (
                str(e.record.chain_seq),
                e.record.invoice_type or "Z",
                e.record.series_number,
                e.record.issue_date,
                e.record.amount_total,
                e.record.tax_total,
                e.record.fingerprint[:16] or "-",
                e.conflict or "-",
            )
            for e in entries
        ],
    )
    if not args.verify:
        return 0
    broken = verify_journal(entries)
    if broken is not None:
        _out(f"BROKEN: {broken}")
        return 1
    _out(f"the chain holds: {len(entries)} record(s) verified")
    return 0


def _cmd_till_closes(args: argparse.Namespace) -> int:
    with _database(args) as database, database.reading() as conn:
        closes = list_closes(conn, args.store, since=args.since)
    if not closes:
        _out("no Z closes")
        return 0
    for close in closes:
        z = close.z
        _out(
            f"{z.z_number}  {z.register_code}  {z.opened_at:%Y-%m-%d %H:%M} - "
            f"{z.closed_at:%Y-%m-%d %H:%M}  {z.cashier}  "
            + ("MISMATCH" if close.mismatch else "matched")
        )
        _out(
            f"  sales {z.sales_count} {_cents(z.sales_total_cents)}  "
            f"returns {z.returns_count} {_cents(z.returns_total_cents)}  "
            f"discounts {_cents(z.discounts_cents)}  "
            f"abandoned {z.abandoned_count} {_cents(z.abandoned_total_cents)}  "
            f"drawer openings {z.drawer_openings}"
        )
        _out(
            f"  cash: float {_cents(z.float_cents)} in {_cents(z.cash_in_cents)} "
            f"out {_cents(z.cash_out_cents)} expected {_cents(z.expected_cash_cents)} "
            f"counted {_cents(z.counted_cash_cents)} difference {_cents(z.difference_cents)}"
        )
        tenders = ", ".join(f"{t.kind} {_cents(t.amount_cents)}" for t in z.tenders)
        _out(
            f"  tenders: {tenders or '-'}  tickets {z.first_number or '-'} .. "
            f"{z.last_number or '-'}"
        )
        if close.mismatch:
            _out(f"  mismatch: {close.mismatch}")
    return 0


def _cmd_send_records(args: argparse.Namespace) -> int:
    sender = DirectorySender(Path(args.to))
    sent = failed = 0
    with _database(args) as database:
        while True:
            summary = send_pending(database, sender, args.limit)
            sent, failed = sent + summary.sent, failed + summary.failed
            for error in summary.errors:
                _err(f"{APP_NAME}: not sent: {error}")
            if summary.failed or summary.sent < args.limit:
                break
        counts = queue_counts(database)
    _out(
        f"sent {sent}, failed {failed}; queue: {counts.pending} pending, "
        f"{counts.failed} failed (tried again later), {counts.sent} sent"
    )
    return 1 if failed else 0


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        _out("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _cmd_customers(args: argparse.Namespace) -> int:
    with _database(args) as database, database.reading() as conn:
        try:
            found = search_customers(conn, args.query)
        except ServerError as exc:
            raise CommandError(str(exc)) from exc
    if not found:
        _out("no customers")
        return 0
    _table(
        ("ID", "NAME", "PHONE", "EMAIL", "CARD", "CREATED", "DUPLICATE?"),
        [
            (
                c.customer_id,
                c.name,
                c.phone or "-",
                c.email or "-",
                c.loyalty_card or "-",
                c.created_where or "-",
                "yes" if c.possible_duplicate else "-",
            )
            for c in found
        ],
    )
    return 0


def _cmd_customer_duplicates(args: argparse.Namespace) -> int:
    with _database(args) as database, database.reading() as conn:
        flags = open_duplicates(conn)
    if not flags:
        _out("no suspected duplicates")
        return 0
    _table(
        ("FLAGGED", "SAME", "CUSTOMER", "NAME", "OTHER", "OTHER NAME"),
        [
            (
                f"{f.flagged_at:%Y-%m-%d %H:%M:%S}",
                f.reason,
                f.customer_id,
                f.names[0] or "-",
                f.other_id,
                f.names[1] or "-",
            )
            for f in flags
        ],
    )
    return 0


def _cmd_merge_customers(args: argparse.Namespace) -> int:
    with _database(args) as database, database.writing() as conn:
        kept = merge_customers(conn, args.keep, args.other)
    _out(f"customer {args.other} merged into {kept.customer_id} ({kept.name})")
    return 0


def _cmd_erase_customer(args: argparse.Namespace) -> int:
    with _database(args) as database, database.writing() as conn:
        try:
            erase_customer(conn, args.customer_id)
        except ServerError as exc:
            raise CommandError(str(exc)) from exc
    _out(f"customer {args.customer_id} erased; every register drops them at its next pull")
    return 0


def _cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def _cmd_import_catalog(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"no such file: {path}")

    def progress(done: int) -> None:
        if done % 100_000 < args.batch_size:
            _err(f"{APP_NAME}: {done} products applied")

    with _database(args) as database:
        result = import_catalog(
            database, path, fmt=args.format, batch_size=args.batch_size, progress=progress
        )
    _out(
        f"imported {result.products} products ({result.products_new} new, "
        f"{result.products_changed} changed, {result.products_unchanged} unchanged), "
        f"{result.tax_rates} tax rates and {result.categories} categories written, "
        f"{result.changes} changes for registers, in {result.seconds:.1f} s"
    )
    return 0


def _quantity(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise CommandError(f"{text!r} is not a quantity") from exc
    if not value.is_finite():
        raise CommandError(f"{text!r} is not a quantity")
    return value


def _cmd_set_stock(args: argparse.Namespace) -> int:
    quantity = _quantity(args.quantity)
    with _database(args) as database, database.writing() as conn:
        result, change = set_level(conn, args.store.strip().upper(), args.sku.strip(), quantity)
        if change is not None:
            record_changes(conn, [change])
    before, after = milli_to_text(result.before_milli), milli_to_text(result.after_milli)
    if change is None:
        _out(f"{args.sku} at {args.store.upper()} is already {after}")
    else:
        _out(f"{args.sku} at {args.store.upper()}: {before} -> {after}")
    return 0


def _cmd_enrollment_code(args: argparse.Namespace) -> int:
    with _database(args) as database, database.writing() as conn:
        code = create_enrollment_code(
            conn,
            args.store,
            valid_for=timedelta(hours=args.valid_hours),
            replace_register=args.replace_register,
        )
    _out(code)
    if args.replace_register:
        _err(
            f"{APP_NAME}: one-time code for a machine that replaces register "
            f"{args.replace_register.strip().upper()} of store {args.store.upper()}, valid "
            f"{args.valid_hours} h; enrolling with it revokes the machine it replaces"
        )
        return 0
    _err(
        f"{APP_NAME}: one-time code for a register of store {args.store.upper()}, "
        f"valid {args.valid_hours} h"
    )
    return 0


def _cmd_channel_key(args: argparse.Namespace) -> int:
    with _database(args) as database, database.writing() as conn:
        key = create_channel_key(conn, args.name)
    _out(key)
    _err(
        f"{APP_NAME}: key of channel {args.name.strip().lower()} for /v1/orders "
        "(Authorization: Bearer KEY); shown once, only its hash is kept"
    )
    return 0


def _cmd_expire_orders(args: argparse.Namespace) -> int:
    with _database(args) as database:
        expired = expire_due_orders(database, now=utcnow())
    _out(f"{len(expired)} order(s) expired" + (f": {', '.join(expired)}" if expired else ""))
    return 0


def _cmd_registers(args: argparse.Namespace) -> int:
    with _database(args) as database, database.reading() as conn:
        rows = list_registers(conn, args.store)
    if not rows:
        _out("no registers")
        return 0
    header = ("STORE", "REGISTER", "DEVICE ID", "NAME", "LAST SEQ", "LAST SEEN", "STATUS")
    table = [header]
    for r in rows:
        seen = f"{r.last_seen_at:%Y-%m-%d %H:%M}" if r.last_seen_at else "-"
        status = f"revoked {r.revoked_at:%Y-%m-%d %H:%M}" if r.revoked_at else "active"
        table.append(
            (r.store_code, r.register_code, r.device_id, r.name, str(r.last_seq), seen, status)
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        _out("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _cmd_revoke_register(args: argparse.Namespace) -> int:
    with _database(args) as database, database.writing() as conn:
        row = revoke_register(conn, args.device_id)
    assert row.revoked_at is not None
    _out(
        f"register {row.store_code}/{row.register_code} ({row.device_id}) revoked "
        f"on {row.revoked_at:%Y-%m-%d %H:%M} UTC"
    )
    return 0


# --- the parser ---------------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from exc
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is 0 to 65535 (0: any free port)")
    return value


def _yes_no(text: str) -> bool:
    answer = text.strip().lower()
    if answer in ("yes", "y", "true", "1", "si", "sí"):
        return True
    if answer in ("no", "n", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"{text!r}: answer yes or no")


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-25") from exc


_LIMIT_HELP = {
    "max_discount_percent": "largest discount, in percent, a cashier or clerk gives alone",
    "max_discount_cents": "largest discount, in cents, a cashier or clerk gives alone",
    "max_refund_cents": "largest refund, in cents, a cashier or clerk gives alone",
    "void_needs_manager": "voiding a sale needs a manager's PIN",
    "drawer_needs_manager": "opening the drawer without a sale needs a manager's PIN",
    "refund_without_receipt_needs_manager": "a refund without its receipt needs a manager's PIN",
    "price_edit_needs_manager": "changing a price at the counter needs a manager's PIN",
    "pin_attempts": "wrong PINs in a row before a sign-in locks (1-20)",
    "lockout_minutes": "how long a sign-in stays locked, in minutes (1-1440)",
}


def _category_days(text: str) -> tuple[str, int]:
    code, sep, days = text.partition("=")
    if not sep or not code.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: write CATEGORY=DAYS, like ELEC=15")
    try:
        number = int(days)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: the days are a whole number") from exc
    return code.strip().upper(), number


def _euros_to_cents(text: str) -> int:
    try:
        amount = Decimal(text.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount in euros") from exc
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise argparse.ArgumentTypeError(f"{text!r}: euros, 0 or more, up to 2 decimals")
    return int(amount * 100)


def _add_limit_options(sub: argparse.ArgumentParser) -> None:
    """One option per field of ``StaffLimits`` (``--max-discount-percent``, ...)."""
    for name, info in StaffLimits.model_fields.items():
        flag = "--" + name.replace("_", "-")
        default = info.default
        if info.annotation is bool:
            sub.add_argument(
                flag,
                dest=name,
                type=_yes_no,
                metavar="yes|no",
                help=f"{_LIMIT_HELP.get(name, name)} (initially {'yes' if default else 'no'})",
            )
        else:
            sub.add_argument(
                flag,
                dest=name,
                type=_whole_number if info.annotation is int else str,
                metavar="N" if info.annotation is int else name.rsplit("_", 1)[-1].upper(),
                help=f"{_LIMIT_HELP.get(name, name)} (initially {default})",
            )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_NAME, description="The Mostrador backend: serve it, and administer it."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database",
        metavar="URL",
        help="sqlite:///FILE, a file path, or postgresql://user@host/db "
        "(default: $MOSTRADOR_SERVER_DATABASE, else a file in the data directory)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str,
        handler: Callable[[argparse.Namespace], int],
        help_text: str,
        *,
        database: bool = True,
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            parents=[common] if database else [],
            help=help_text,
            description=help_text,
        )
        sub.set_defaults(handler=handler)
        return sub

    sub = command("serve", _cmd_serve, "migrate the database, then serve the API")
    sub.add_argument("--host", default=DEFAULT_HOST)
    sub.add_argument("--port", type=_port, default=DEFAULT_PORT)
    sub.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        help="server processes sharing the port (default 1); each takes its own connections",
    )
    sub.add_argument(
        "--access-log",
        action="store_true",
        help="log every request (off by default: a line per request costs time under load)",
    )

    sub.add_argument(
        "--notify-webhook",
        metavar="URL",
        default=os.environ.get(ENV_NOTIFY_WEBHOOK, ""),
        help="POST customer notifications (order ready, cancelled, expired) to URL as JSON "
        f"(default ${ENV_NOTIFY_WEBHOOK}; without it they are logged)",
    )
    sub.add_argument(
        "--order-expiry-days",
        type=_positive_int,
        default=settings_from_env().order_expiry_days,
        help="an order not collected within this many days of its creation expires "
        f"(default ${ENV_ORDER_EXPIRY_DAYS}, else 7)",
    )

    command("migrate", _cmd_migrate, "bring the database schema up to date")

    sub = command("create-store", _cmd_create_store, "create a store, or update it")
    sub.add_argument("--code", required=True, help="like T01")
    sub.add_argument("--name", required=True)
    sub.add_argument("--tax-id", required=True, help="the NIF/CIF printed on receipts")
    sub.add_argument("--address", action="append", required=True, help="one line; repeat")
    sub.add_argument("--currency", default="EUR")
    sub.add_argument("--timezone", default="Europe/Madrid")

    sub = command("create-staff", _cmd_create_staff, "add a person to a store, or update them")
    sub.add_argument("--store", required=True)
    sub.add_argument("--name", required=True)
    sub.add_argument("--role", required=True, choices=ROLES)
    sub.add_argument(
        "--pin",
        action="store_true",
        help="set a PIN, typed when asked (or one line on standard input); never an argument",
    )

    sub = command(
        "deactivate-staff",
        _cmd_deactivate_staff,
        "deactivate a person of a store: their PIN opens nothing at its registers any more",
    )
    sub.add_argument("--store", required=True)
    sub.add_argument("--name", required=True)

    sub = command(
        "publish-staff",
        _cmd_publish_staff,
        "send every person of a store to its registers again",
    )
    sub.add_argument("--store", required=True)

    sub = command(
        "set-limits",
        _cmd_set_limits,
        "set what cashiers and clerks may do without a manager's PIN (the others stay)",
    )
    _add_limit_options(sub)

    sub = command(
        "set-return-policy",
        _cmd_set_return_policy,
        "set the return policy of every channel (the settings not given stay as they are)",
    )
    sub.add_argument(
        "--days", type=_whole_number, metavar="N", help="days to return after the sale (30)"
    )
    sub.add_argument(
        "--category-days",
        type=_category_days,
        action="append",
        metavar="CAT=N",
        help="days for one category (like ELEC=15); repeat",
    )
    sub.add_argument(
        "--non-returnable",
        action="append",
        metavar="CAT",
        help="a category never taken back; repeat (replaces the list; '' for none)",
    )
    sub.add_argument(
        "--receipt-required",
        action=argparse.BooleanOptionalAction,
        help="no return without a receipt or gift receipt (initially no)",
    )
    sub.add_argument(
        "--no-receipt-price-days",
        type=_whole_number,
        metavar="N",
        help="a return without receipt refunds the lowest price of these last days (30)",
    )
    sub.add_argument(
        "--offline-max-refund",
        type=_euros_to_cents,
        metavar="EUROS",
        help="above it a return the register cannot check needs a manager (100.00)",
    )

    sub = command(
        "audit-log",
        _cmd_audit_log,
        "print a store's audit log: manager approvals and PIN lock-outs at its registers",
    )
    sub.add_argument("--store", required=True)
    sub.add_argument("--since", type=_day, metavar="DATE", help="from this day on (2026-11-25)")

    sub = command(
        "returns",
        _cmd_returns,
        "print the returns made at a store, with the conflicts a manager must settle",
    )
    sub.add_argument("--store", required=True)
    sub.add_argument("--since", type=_day, metavar="DATE", help="from this day on (2026-11-25)")

    sub = command(
        "journal",
        _cmd_journal,
        "print a register's fiscal records as the backend holds them (--verify: recompute the "
        "whole chain and name the first broken record; exit 1 on a break)",
    )
    sub.add_argument("--store", required=True)
    sub.add_argument("--register", required=True)
    sub.add_argument("--verify", action="store_true")

    sub = command(
        "till-closes",
        _cmd_till_closes,
        "print a store's Z closes with their figures and whether the backend's sums matched",
    )
    sub.add_argument("--store", required=True)
    sub.add_argument("--since", type=_day, metavar="DATE", help="from this day on (2026-11-25)")

    sub = command(
        "send-records",
        _cmd_send_records,
        "send the queued billing records to the tax agency; without a live connection, "
        "each batch is written as a JSON file into DIR (the stand-in)",
    )
    sub.add_argument("--to", required=True, metavar="DIR")
    sub.add_argument("--limit", type=_positive_int, default=100, help="records per batch")

    sub = command(
        "vouchers",
        _cmd_vouchers,
        "print the store-credit vouchers (issued at a store) with their balances",
    )
    sub.add_argument("--store", help="only those issued at this store")

    sub = command(
        "deactivate-voucher",
        _cmd_deactivate_voucher,
        "withdraw a store-credit voucher (lost, stolen, issued by mistake): no register takes it",
    )
    sub.add_argument("code")
    sub.add_argument("--reactivate", action="store_true", help="give it back instead")

    sub = command(
        "customers", _cmd_customers, "look customers up by phone, email, name or loyalty card"
    )
    sub.add_argument("query", metavar="QUERY")

    command(
        "customer-duplicates",
        _cmd_customer_duplicates,
        "list the suspected duplicate customers (same email or phone) to merge",
    )

    sub = command(
        "merge-customers",
        _cmd_merge_customers,
        "merge customer OTHER into KEEP: sales, orders and stores move to KEEP, its empty fields "
        "are filled from OTHER, and OTHER is erased",
    )
    sub.add_argument("keep", metavar="KEEP")
    sub.add_argument("other", metavar="OTHER")

    sub = command(
        "erase-customer",
        _cmd_erase_customer,
        "erase a customer (a data-protection request): their personal data is blanked and every "
        "register drops them; their sales stay, naming only the id",
    )
    sub.add_argument("customer_id", metavar="ID")

    sub = command("import-catalog", _cmd_import_catalog, "import tax rates, categories, products")
    sub.add_argument("--file", required=True, help=".json, .jsonl or .csv (see sync/README.md)")
    sub.add_argument("--format", choices=[f.value for f in CatalogFormat])
    sub.add_argument("--batch-size", type=_positive_int, default=BATCH_SIZE)

    sub = command("set-stock", _cmd_set_stock, "count a product at a store (sets its level)")
    sub.add_argument("--store", required=True)
    sub.add_argument("--sku", required=True)
    sub.add_argument("--quantity", required=True, help="units, or kilograms like 2.5")

    sub = command("enrollment-code", _cmd_enrollment_code, "print a one-time enrolment code")
    sub.add_argument("--store", required=True)
    sub.add_argument("--valid-hours", type=_positive_int, default=24)
    sub.add_argument(
        "--replace-register",
        metavar="REGISTER",
        help="a code for a machine that takes over this register (C01) of the store: its "
        "series and fiscal journal go on, and the machine it replaces is revoked",
    )

    sub = command(
        "channel-key", _cmd_channel_key, "print a new key of a channel for the orders API"
    )
    sub.add_argument("--name", required=True, help="the channel: web, phone, ...")

    command(
        "expire-orders",
        _cmd_expire_orders,
        "expire the pickup orders not collected in time (serve does it every minute)",
    )

    sub = command("registers", _cmd_registers, "list registers")
    sub.add_argument("--store")

    sub = command("revoke-register", _cmd_revoke_register, "revoke a register's token")
    sub.add_argument("device_id", metavar="DEVICE_ID")

    sub = command(
        "demo",
        _cmd_demo,
        "serve a demo backend (SQLite in --data-dir) on 127.0.0.1",
        database=False,
    )
    sub.add_argument("--data-dir", required=True)
    sub.add_argument("--port", type=_port, default=DEFAULT_PORT)
    sub.add_argument("--catalog", help="a catalog file to import when the catalog is empty")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except CatalogRejected as exc:
        for problem in exc.problems:
            _err(f"{APP_NAME}: {problem}")
        _err(f"{APP_NAME}: error: {exc}")
        return 2
    except ServerError as exc:
        _err(f"{APP_NAME}: error: {exc}")
        return 2
    except SQLAlchemyError as exc:
        _err(f"{APP_NAME}: error: database: {describe(exc)}")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
