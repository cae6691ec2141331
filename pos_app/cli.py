"""``mostrador``: the register's command line.

mostrador [run]        open this register (its database in --data-dir)
mostrador demo         a demo store with a generated catalog, ready to sell
mostrador self-test    check the database, the catalog and the receipt printer path
mostrador diagnostics  versions, paths and counts, for IT
mostrador journal verify  recompute the register's fiscal journal; exit 1 at its first break
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from pos_app import __version__
from pos_app.config import (
    ConfigError,
    Settings,
    default_config_file,
    default_data_dir,
    load_settings,
)

log = logging.getLogger("mostrador")
_STARTED = time.perf_counter()


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help="where the register database lives")
    common.add_argument("--config", type=Path, help="settings file (TOML)")
    common.add_argument("--lang", choices=("es", "en"), help="language of the screens")
    common.add_argument("-v", "--verbose", action="store_true", help="log more")

    parser = argparse.ArgumentParser(
        prog="mostrador", description="Mostrador: point of sale", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"mostrador {__version__}")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", parents=[common], help="open this register")
    demo = sub.add_parser("demo", parents=[common], help="open a demo store, no setup needed")
    demo.add_argument("--products", type=int, default=5000, help="catalog size (default 5000)")
    demo.add_argument("--reset", action="store_true", help="start the demo store afresh")
    for p in (run, demo):
        p.add_argument(
            "--exit-after-ready", action="store_true", help=argparse.SUPPRESS
        )  # start-up benchmark and smoke tests
    demo.add_argument(
        "--register", type=int, default=1, help="which demo register (2 opens a second one)"
    )
    demo.add_argument(
        "--offline", action="store_true", help="no demo backend: a register on its own"
    )
    demo.add_argument("--backend-port", type=int, default=8765, help=argparse.SUPPRESS)
    demo.add_argument(
        "--discard-unsynced",
        action="store_true",
        help="with --reset: discard sales that never reached the backend",
    )
    enroll = sub.add_parser(
        "enroll", parents=[common], help="enrol this register with the backend (one-time code)"
    )
    enroll.add_argument("--backend", required=True, help="backend URL, e.g. https://central:8765")
    enroll.add_argument("--code", required=True, help="one-time enrolment code from IT")
    enroll.add_argument("--name", default="Caja", help="a name for this register")
    sub.add_parser("self-test", parents=[common], help="check database, catalog and printer")
    sub.add_parser("diagnostics", parents=[common], help="print versions, paths and counts")
    journal = sub.add_parser("journal", help="the register's fiscal journal (VERI*FACTU)")
    journal_sub = journal.add_subparsers(dest="journal_command", required=True)
    journal_sub.add_parser(
        "verify", parents=[common], help="recompute the whole chain; exit 1 at its first break"
    )
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    path = args.config or default_config_file()
    return load_settings(path)


def _data_dir(args: argparse.Namespace, demo: bool) -> Path:
    if args.data_dir:
        return Path(args.data_dir)
    base = default_data_dir()
    return base / "demo" if demo else base / "register"


def run_gui(args: argparse.Namespace, *, demo: bool) -> int:
    from PySide6.QtWidgets import QApplication

    from pos_app.bootstrap import (
        build_main_window,
        build_register,
        forget_unused_customers,
        start_sync_for,
    )
    from pos_app.demo.store import database_path
    from pos_app.storage.credentials import MemoryTokenStore
    from pos_app.storage.db import open_database
    from pos_app.ui.app import (
        choose_language,
        install_excepthook,
        install_translators,
        style_sheet,
        ui_locale,
    )
    from pos_app.ui.gc_guard import GuiGarbageCollector
    from pos_app.ui.sync_status import SyncStatusBridge

    settings = _settings(args)
    data_dir = _data_dir(args, demo)
    backend = None
    tokens = MemoryTokenStore()  # the demo's token lives in memory only
    if demo:
        if args.products < 1 or args.products > 2_000_000:
            _err("--products must be between 1 and 2000000")
            return 2
        if args.register < 1 or args.register > 9:
            _err("--register must be between 1 and 9")
            return 2
        base = data_dir
        if args.register > 1:
            data_dir = base / f"register-{args.register}"
        engine, backend = _open_demo(args, base, data_dir, tokens)
    else:
        path = database_path(data_dir)
        if not path.exists():
            _err(
                f"Esta caja aún no está configurada (no hay base de datos en {data_dir}).\n"
                "Para probar Mostrador: mostrador demo"
            )
            return 2
        engine = open_database(path)
    config_path = args.config or (data_dir / "mostrador.toml" if demo else default_config_file())
    if demo and args.config is None:
        settings = load_settings(config_path)  # the demo keeps its own device settings
    printer_sim = None
    demo_printer = (settings.printer.kind, settings.printer.host) in (
        ("preview", ""),
        ("network", "127.0.0.1"),
    )
    if demo and demo_printer:
        # The demo's receipt printer is a simulated network printer on loopback, so the
        # receipt goes through real ESC/POS bytes over TCP (see hardware/README.md).
        settings, printer_sim = _demo_printer(settings)
    register = build_register(engine, settings, backups=data_dir / "backups")
    register.config_path = config_path
    language = choose_language(args.lang or settings.locale)

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Mostrador")
    collector = GuiGarbageCollector(app)
    install_translators(app, language)
    app.setStyleSheet(style_sheet())
    window, runner = build_main_window(register, ui_locale(language))

    def sale_state() -> str:
        if window.presenter.view.is_empty:
            return app.translate("App", "No había ninguna venta en curso.")
        return app.translate(
            "App", "La venta en curso NO se ha guardado; las ventas completadas sí lo están."
        )

    install_excepthook(sale_state)
    bridge = SyncStatusBridge()
    bridge.status_changed.connect(window.show_sync_status)
    if not demo:
        _start_register_sync(register, bridge)
    elif backend is not None:
        problem = start_sync_for(register, tokens, bridge.publish)
        if problem:
            _err(f"mostrador: sin sincronización: {problem}")
    forget_unused_customers(register, runner)  # the register keeps only the customers it needs
    window.showMaximized()
    app.processEvents()
    with register.uow_factory.reader() as uow:
        products = uow.catalog.product_count()
    rss = _rss_mb()
    _out(
        f"mostrador: ready ({products} products, {time.perf_counter() - _STARTED:.2f} s, "
        f"{rss:.0f} MiB)"
    )
    if args.exit_after_ready:
        code = 0
    else:
        code = app.exec()
    window.close()
    if window.devices is not None:
        window.devices.close()
    if printer_sim is not None:
        printer_sim.stop()
    if register.worker is not None:
        register.worker.stop()  # first: it uses the database writer the runner shares
    runner.shutdown()
    window.deleteLater()
    register.close()
    if backend is not None:
        backend.stop()
    collector.stop()
    return int(code)


def _demo_printer(settings: Settings) -> tuple[Settings, Any]:
    """Start the demo's simulated TCP 9100 printer (on 127.0.0.1:9100, or any free port)."""
    from dataclasses import replace

    from hardware.simulators.tcp_printer import TcpPrinterSimulator

    try:
        sim = TcpPrinterSimulator(port=9100)
        sim.start()
    except OSError:
        sim = TcpPrinterSimulator(port=0)
        sim.start()
    printer = replace(settings.printer, kind="network", host="127.0.0.1", port=sim.port)
    return replace(settings, printer=printer), sim


def _open_demo(args: argparse.Namespace, base: Path, data_dir: Path, tokens: Any) -> Any:
    """The demo register's database, enrolled with the demo backend when one can be had
    (found on 127.0.0.1:8765 or started there); otherwise a register on its own."""
    from pos_app.bootstrap import enroll_register
    from pos_app.demo.backend import DemoBackendError, enrollment_code, ensure_demo_backend
    from pos_app.demo.store import (
        database_path,
        open_demo_store,
        reset_register_database,
    )
    from pos_app.storage.db import open_database
    from sync.errors import SyncError

    path = database_path(data_dir)
    if args.reset:
        reset_register_database(path, discard_unsynced=args.discard_unsynced)
    if not args.offline:
        backend = None
        try:
            backend = ensure_demo_backend(
                base / "backend", products=args.products, port=args.backend_port, say=_out
            )
            engine = open_database(path)
            code = enrollment_code(backend)
            identity = enroll_register(
                engine,
                backend.url,
                code,
                f"Caja demo {args.register}",
                tokens,
                progress=lambda n: _out(f"Sincronizando catálogo: {n} cambios…"),
            )
            _out(
                f"Caja {identity.register_code} de {identity.store_name} conectada a la central "
                f"de demostración {backend.url}"
            )
            return engine, backend
        except (DemoBackendError, SyncError, OSError) as exc:
            _err(
                f"mostrador: sin central de demostración ({exc}); la caja funciona sola, "
                "con su propio catálogo"
            )
            if backend is not None:
                backend.stop()
    if not path.exists():
        _out(f"Creando la tienda de demostración ({args.products} productos) en {data_dir}…")
    engine = open_demo_store(data_dir, products=args.products)
    return engine, None


def _start_register_sync(register: Any, bridge: Any) -> None:
    from pos_app.bootstrap import start_sync_for
    from pos_app.storage.credentials import CredentialsUnavailable, KeyringTokenStore

    with register.uow_factory.reader() as uow:
        state = uow.sync.state()
    if not state.enrolled:
        return
    try:
        tokens = KeyringTokenStore(state.backend_url)
    except CredentialsUnavailable as exc:
        _err(f"mostrador: sin sincronización: {exc}")
        return
    problem = start_sync_for(register, tokens, bridge.publish)
    if problem:
        _err(f"mostrador: sin sincronización: {problem}")


def enroll(args: argparse.Namespace) -> int:
    from pos_app.bootstrap import enroll_register
    from pos_app.demo.store import database_path
    from pos_app.storage.credentials import CredentialsUnavailable, KeyringTokenStore
    from pos_app.storage.db import open_database
    from sync.errors import SyncError

    try:
        tokens = KeyringTokenStore(args.backend)
    except CredentialsUnavailable as exc:
        _err(f"mostrador: {exc}")
        return 2
    engine = open_database(database_path(_data_dir(args, demo=False)))
    try:
        identity = enroll_register(
            engine,
            args.backend,
            args.code,
            args.name,
            tokens,
            progress=lambda n: _out(f"Catálogo: {n} cambios aplicados"),
        )
    except SyncError as exc:
        _err(f"mostrador: no se pudo dar de alta la caja: {exc}")
        return 2
    finally:
        engine.dispose()
    _out(
        f"Caja {identity.register_code} de {identity.store_name} ({identity.store_code}) "
        "dada de alta. Ábrala con: mostrador run"
    )
    return 0


def _rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def self_test(args: argparse.Namespace) -> int:
    """Check what a register needs, printing one line per check; exit 1 if any failed."""
    from hardware.escpos_decoder import decode
    from hardware.printers import receipt_to_bytes
    from hardware.receipt import ReceiptDocument, ReceiptLine
    from pos_app.demo.store import database_path
    from pos_app.storage.db import (
        current_revision,
        head_revision,
        integrity_check,
        open_database,
    )

    failures = 0

    def check(name: str, ok: bool, detail: str) -> None:
        nonlocal failures
        failures += 0 if ok else 1
        _out(f"[{'OK' if ok else 'FALLO'}] {name}: {detail}")

    try:
        settings = _settings(args)
        config_path = args.config or default_config_file()
        note = "" if config_path.exists() else " (no existe: valores por defecto)"
        check("configuración", True, f"{config_path}{note}")
    except ConfigError as exc:
        check("configuración", False, str(exc))
        settings = Settings()
    path = database_path(_data_dir(args, demo=False))
    if path.exists():
        try:
            engine = open_database(path)
            revision = current_revision(engine)
            check("base de datos", revision == head_revision(), f"{path} (esquema {revision})")
            verdict = integrity_check(engine)
            check("integridad", verdict == "ok", verdict)
            with engine.connect() as conn:
                count = conn.exec_driver_sql("SELECT count(*) FROM products").scalar_one()
            check("catálogo", count > 0, f"{count} productos")
            engine.dispose()
        except Exception as exc:
            check("base de datos", False, str(exc))
    else:
        check("base de datos", False, f"no existe {path}")
    doc = ReceiptDocument(
        header=("Mostrador",),
        title="PRUEBA",
        meta=(),
        lines=(ReceiptLine("Café ñ", "1", "1,00 €", "1,00 €"),),
        totals=(("TOTAL", "1,00 €"),),
        total_label="TOTAL",
        tax_columns=("Tipo", "Base", "Cuota", "Total"),
        tax_rows=(),
        tenders=(),
        change=None,
        barcode="T01-C01-2026-000001",
    )
    try:
        text = decode(receipt_to_bytes(doc, width=settings.printer.width)).text
        check("recibo ESC/POS", "Café ñ" in text and "€" in text, "CP858, € y acentos")
    except Exception as exc:
        check("recibo ESC/POS", False, str(exc))
    _check_devices(settings, check)
    return 1 if failures else 0


def _check_devices(settings: Settings, check: Any) -> None:
    """Ask each configured device for its state (without printing anything)."""
    from hardware.status import DeviceState
    from pos_app.bootstrap import open_devices
    from pos_app.services.devices import device_status

    try:
        devices = open_devices(settings.devices, lambda code: None, lambda status: None)
    except Exception as exc:
        check("dispositivos", False, str(exc))
        return
    try:
        checked: dict[str, tuple[str, object]] = {
            "impresora": (settings.printer.kind, devices.printer),
            "visor": (settings.display.kind, devices.display),
            "báscula": (settings.scale.kind, devices.scale),
        }
        for name, (kind, device) in checked.items():
            if device is None or kind == "preview":
                check(name, True, f"{kind} (sin dispositivo)")
                continue
            status = device_status(device)
            detail = f"{kind}: {status.state.value}" + (
                f" ({status.detail})" if status.detail else ""
            )
            check(name, status.state is DeviceState.READY, detail)
        scanner = settings.scanner
        if scanner.kind == "serial":
            import os

            check("escáner", os.path.exists(scanner.port), f"serie {scanner.port}")
        else:
            check("escáner", True, scanner.kind)
    finally:
        devices.close()


def diagnostics(args: argparse.Namespace) -> int:
    import platform

    import PySide6
    import sqlalchemy

    from pos_app.demo.store import database_path

    _out(f"mostrador {__version__}")
    _out(f"python {platform.python_version()} on {platform.platform()}")
    _out(f"PySide6 {PySide6.__version__}, SQLAlchemy {sqlalchemy.__version__}")
    _out(f"config: {args.config or default_config_file()}")
    for demo in (False, True):
        path = database_path(_data_dir(args, demo))
        label = "demo" if demo else "register"
        if not path.exists():
            _out(f"{label} database: {path} (not created)")
            continue
        import sqlite3

        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            counts = {
                table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                for table in ("products", "sales", "outbox", "parked_sales")
            }
        finally:
            conn.close()
        _out(f"{label} database: {path} ({path.stat().st_size // 1024} KiB) {counts}")
        if args.data_dir:
            break
    return 0


def journal_verify(args: argparse.Namespace) -> int:
    """Recompute the register's whole fiscal journal: 0 when it holds, 1 at the first break
    (named), 2 when there is no database."""
    from pos_app.demo.store import database_path
    from pos_app.services.journal import verify_journal
    from pos_app.storage.db import DatabaseError, open_database
    from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory

    path = database_path(_data_dir(args, demo=False))
    if not path.exists():
        raise DatabaseError(f"no hay base de datos de caja en {path}")
    engine = open_database(path)
    try:
        result = verify_journal(SqlUnitOfWorkFactory(engine))
    finally:
        engine.dispose()
    if result.ok:
        _out(f"Diario fiscal de {path}: {result.count} registros. OK")
        return 0
    _out(f"Diario fiscal de {path}: {result.count} registros. ROTO")
    _out(f"Primer registro roto: {result.problem}")
    return 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    from pos_app.domain.errors import PosError
    from pos_app.services.errors import UnsyncedEvents
    from pos_app.storage.db import DatabaseError

    try:
        if args.command == "demo":
            return run_gui(args, demo=True)
        if args.command in (None, "run"):
            if not hasattr(args, "exit_after_ready"):
                args.exit_after_ready = False
            return run_gui(args, demo=False)
        if args.command == "enroll":
            return enroll(args)
        if args.command == "self-test":
            return self_test(args)
        if args.command == "diagnostics":
            return diagnostics(args)
        if args.command == "journal":
            return journal_verify(args)
    except UnsyncedEvents as exc:
        hint = " o añada --discard-unsynced para descartarlos" if args.command == "demo" else ""
        _err(
            f"mostrador: hay {exc.count} eventos (ventas, anulaciones…) que aún no han llegado a "
            f"la central; no se borra ni se cambia esta caja. Conecte la caja para que se "
            f"sincronicen{hint}."
        )
        return 2
    except (ConfigError, DatabaseError, PosError) as exc:
        _err(f"mostrador: {exc}")
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
