"""``mostrador``: the register's command line.

mostrador [run]        open this register (its database in --data-dir); unprovisioned, the
                       first-run wizard asks for the backend, the store and the enrolment code
mostrador demo         a demo store with a generated catalog, ready to sell
mostrador provision    enrol this register and write its settings (IT, scriptable exit codes)
mostrador self-test    check this installation: Qt, translations, migrations, database, devices
mostrador diagnostics  a zip of versions, settings, database summary and logs, for support
mostrador journal verify  recompute the register's fiscal journal; exit 1 at its first break
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pos_app import __version__
from pos_app.config import (
    ConfigError,
    Settings,
    default_config_file,
    default_data_dir,
    load_layered_settings,
    load_settings,
    machine_config_file,
    settings_files,
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
    common.add_argument(
        "--log-dir", type=Path, help="where the log file goes (default: the platform's)"
    )

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
    provision = sub.add_parser(
        "provision",
        parents=[common],
        help="enrol this register with the backend and write its settings",
        description="Enrol this register with a one-time code, keep its token in the system "
        "keyring and write the backend, store and register to the settings file. Exit codes: "
        "0 done, 2 bad input, 3 code refused (wrong, used, expired), 4 code of another store, "
        "5 backend unreachable, 6 not a Mostrador backend, 7 no usable keyring, "
        "8 already provisioned (see --force), 9 settings file not writable.",
    )
    provision.add_argument(
        "--backend", required=True, help="backend URL, e.g. https://central:8765"
    )
    provision.add_argument("--store", required=True, help="the store's code, e.g. T01")
    provision.add_argument("--register", required=True, help="a name for this register")
    provision.add_argument(
        "--enrollment-code", required=True, help="one-time code (mostrador-server enrollment-code)"
    )
    provision.add_argument(
        "--system",
        action="store_true",
        help=f"write the machine-wide settings ({machine_config_file()}) instead of the user's",
    )
    provision.add_argument(
        "--force",
        action="store_true",
        help="enrol again a register already provisioned (it keeps its sales and numbering)",
    )
    enroll = sub.add_parser(
        "enroll",
        parents=[common],
        help="deprecated: use 'provision' (enrol with a one-time code, no settings written)",
    )
    enroll.add_argument("--backend", required=True, help="backend URL, e.g. https://central:8765")
    enroll.add_argument("--code", required=True, help="one-time enrolment code from IT")
    enroll.add_argument("--name", default="Caja", help="a name for this register")
    self_test_parser = sub.add_parser(
        "self-test", parents=[common], help="check this installation: exit 0 ok, 1 warn, 2 fail"
    )
    self_test_parser.add_argument(
        "--qt-probe", action="store_true", help=argparse.SUPPRESS
    )  # the child process in which the self-test starts Qt
    diagnostics_parser = sub.add_parser(
        "diagnostics", parents=[common], help="write a zip for support (no secrets in it)"
    )
    diagnostics_parser.add_argument("--output", type=Path, help="the zip to write")
    diagnostics_parser.add_argument(
        "--no-self-test", action="store_true", help="leave the self-test's report out"
    )
    journal = sub.add_parser("journal", help="the register's fiscal journal (VERI*FACTU)")
    journal_sub = journal.add_subparsers(dest="journal_command", required=True)
    journal_sub.add_parser(
        "verify", parents=[common], help="recompute the whole chain; exit 1 at its first break"
    )
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    """The machine-wide settings overridden by the user's, or only the file of --config."""
    return load_layered_settings(settings_files(args.config))


def _data_dir(args: argparse.Namespace, demo: bool) -> Path:
    if args.data_dir:
        return Path(args.data_dir)
    base = default_data_dir()
    if demo:
        return base / "demo"
    provisioned = _settings(args).data_dir  # written by ``mostrador provision --data-dir``
    return Path(provisioned) if provisioned else base / "register"


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
        from pos_app.provisioning import is_provisioned

        if not is_provisioned(data_dir):
            # Unprovisioned: the first-run wizard (not when a script waits for "ready").
            if args.exit_after_ready or not _first_run_wizard(args, settings, data_dir):
                _err(
                    f"Esta caja aún no está configurada (no hay base de datos en {data_dir}).\n"
                    "Configúrela con: mostrador provision --backend URL --store TIENDA "
                    "--register NOMBRE --enrollment-code CÓDIGO (o abra «mostrador run» en "
                    "pantalla para el asistente).\nPara probar Mostrador: mostrador demo"
                )
                return 2
            settings = _settings(args)  # the wizard wrote them
        from pos_app.storage.db import DatabaseError

        try:
            engine = open_database(database_path(data_dir))
        except DatabaseError as exc:  # newer build, corrupt file...: nothing was changed
            _start_failed(args, settings, str(exc))
            return 2
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


def _first_run_wizard(args: argparse.Namespace, settings: Settings, data_dir: Path) -> bool:
    """Show the first-run wizard; True once this register is provisioned."""
    from PySide6.QtWidgets import QApplication

    from pos_app.provisioning import LocalProvisioner
    from pos_app.ui.app import choose_language, install_translators, style_sheet
    from pos_app.ui.first_run_wizard import FirstRunWizard
    from pos_app.ui.task_runner import TaskRunner

    config_path = args.config or default_config_file()

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Mostrador")
    translators = install_translators(app, choose_language(args.lang or settings.locale))
    app.setStyleSheet(style_sheet())
    runner = TaskRunner()
    provisioner = LocalProvisioner(data_dir, config_path, write_data_dir=args.data_dir is not None)
    wizard = FirstRunWizard(runner, provisioner)
    try:
        accepted = bool(wizard.exec())
        identity = wizard.identity
    finally:
        runner.shutdown()
        wizard.deleteLater()
        for translator in translators:
            app.removeTranslator(translator)
    return accepted and identity is not None


def _start_failed(args: argparse.Namespace, settings: Settings, problem: str) -> None:
    """The register cannot open: said on stderr for IT, and in a window for the person at the
    counter (who started it from the desktop and sees no terminal)."""
    _err(f"mostrador: {problem}")
    if args.exit_after_ready:
        return
    from PySide6.QtWidgets import QApplication, QMessageBox

    from pos_app.ui.app import choose_language, install_translators

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    install_translators(app, choose_language(args.lang or settings.locale))
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        app.translate("App", "Mostrador"),
        app.translate("App", "Mostrador no puede abrir esta caja."),
    )
    box.setObjectName("startFailedBox")
    box.setInformativeText(
        problem[:1].upper()
        + problem[1:]
        + "\n\n"
        + app.translate(
            "App",
            "Avise al departamento de informática; «mostrador diagnostics» prepara un "
            "archivo para soporte.",
        )
    )
    box.exec()


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


def provision_command(args: argparse.Namespace) -> int:
    """``mostrador provision``: enrol, keep the token in the keyring, write the settings.
    Each failure has its own exit code (see ``pos_app.domain.provisioning``)."""
    from pos_app.domain.provisioning import ProvisioningError, ProvisionRequest
    from pos_app.provisioning import provision

    if args.system and args.config:
        _err("mostrador: --system y --config no van juntos: elija uno")
        return 2
    config_path = machine_config_file() if args.system else (args.config or default_config_file())
    data_dir = Path(args.data_dir) if args.data_dir else _data_dir(args, demo=False)
    request = ProvisionRequest(args.backend, args.store, args.register, args.enrollment_code)
    try:
        done = provision(
            request,
            data_dir=data_dir,
            config_path=config_path,
            write_data_dir=args.data_dir is not None,
            force=args.force,
            progress=lambda n: _out(f"Catálogo: {n} cambios aplicados"),
        )
    except ProvisioningError as exc:
        _err(f"mostrador: no se pudo configurar la caja: {exc.message}")
        return exc.exit_code
    identity = done.identity
    _out(
        f"Caja {identity.register_code} de {identity.store_name} ({identity.store_code}) "
        f"dada de alta con {args.backend.strip()}."
    )
    if not done.catalog_complete:
        _out("El catálogo no terminó de descargarse: se completará al abrir la caja.")
    _out(f"Configuración: {done.config_path}")
    _out(f"Base de datos: {done.database}")
    _out("Ábrala con: mostrador run")
    return 0


def enroll(args: argparse.Namespace) -> int:
    """Deprecated: ``mostrador provision`` does this and writes the settings too."""
    from pos_app.bootstrap import enroll_register
    from pos_app.demo.store import database_path
    from pos_app.storage.credentials import CredentialsUnavailable, KeyringTokenStore
    from pos_app.storage.db import open_database
    from sync.errors import SyncError

    _err("mostrador: «enroll» está obsoleto; use «mostrador provision» (escribe también la "
         "configuración)")  # fmt: skip
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
    """Check the installed build on this machine (see ``pos_app.selftest`` for the report and
    its exit codes: 0 all ok, 1 warnings only, 2 a failure)."""
    from pos_app import selftest

    if args.qt_probe:
        return selftest.qt_probe(_out)
    data_dir = Path(args.data_dir) if args.data_dir else None
    return selftest.run_self_test(
        config_files=settings_files(args.config), data_dir=data_dir, out=_out
    )


def diagnostics(args: argparse.Namespace) -> int:
    """Write the support zip (see ``pos_app.diagnostics``) and say where it is."""
    from pos_app.demo.store import database_path
    from pos_app.diagnostics import DiagnosticsInput, default_output, write_diagnostics
    from pos_app.logging_setup import default_log_dir, log_files

    try:
        data_dir = _data_dir(args, demo=False)
    except ConfigError as exc:  # the zip is most wanted when the settings are broken
        _err(f"mostrador: {exc}")
        data_dir = default_data_dir() / "register"
    database = database_path(data_dir)
    self_test_output = None if args.no_self_test else _captured_self_test(args, data_dir)
    what = DiagnosticsInput(
        settings_files=settings_files(args.config),
        database=database,
        log_files=log_files(args.log_dir or default_log_dir()),
        self_test=self_test_output,
    )
    output = args.output or default_output()
    try:
        path = write_diagnostics(output, what)
    except OSError as exc:
        _err(f"mostrador: no se pudo escribir el diagnóstico en {output}: {exc}")
        return 2
    _out(f"mostrador {__version__}: diagnóstico para soporte en {path.resolve()}")
    _out(f"  base de datos: {database}")
    return 0


def _captured_self_test(args: argparse.Namespace, data_dir: Path) -> Callable[[], str]:
    """The self-test's report as text, run when the zip is written."""

    def run() -> str:
        from pos_app import selftest

        lines: list[str] = []
        code = selftest.run_self_test(
            config_files=settings_files(args.config), data_dir=data_dir, out=lines.append
        )
        return "\n".join([*lines, f"(código de salida {code})", ""])

    return run


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
    if result.starts_after:
        _out(
            f"Caja sustituida: el diario sigue al registro {result.starts_after} de la máquina "
            "anterior, según la central."
        )
    if result.ok:
        _out(f"Diario fiscal de {path}: {result.count} registros. OK")
        return 0
    _out(f"Diario fiscal de {path}: {result.count} registros. ROTO")
    _out(f"Primer registro roto: {result.problem}")
    return 1


LOGGED_COMMANDS = (None, "run", "demo", "provision", "enroll")  # to the rotating log file


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[console],
    )
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    log_file = None
    if args.command in LOGGED_COMMANDS:
        from pos_app.logging_setup import start_log_file

        log_file = start_log_file(args.log_dir, verbose=args.verbose)
        log.info("mostrador %s: %s", __version__, args.command or "run")
    try:
        return _dispatch(args)
    finally:
        if log_file is not None:
            log_file.close()


def _dispatch(args: argparse.Namespace) -> int:
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
        if args.command == "provision":
            return provision_command(args)
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
