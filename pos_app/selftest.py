"""``mostrador self-test``: does this installed build work on this machine?

One line per check, first its status, then its name and a detail::

    ok    qt            plataforma xcb; complementos: offscreen, xcb
    warn  keyring       no hay un llavero del sistema ...
    fail  translations  falta .../resources/translations/mostrador_en.qm

then a summary line ``resultado: ...``. The status words and check names are fixed, for scripts
(``grep '^fail'``); the details are for people. Exit code:

- 0: every check ``ok``;
- 1: warnings only: the build is complete, something does not apply on this machine (no printer
  configured, no desktop keyring, no register database yet, no display);
- 2: at least one ``fail``: something is missing from the build, or a configured device or the
  register database is broken.

Whatever must come with the build (Qt and its platform plugins, translations, styles and data,
python-escpos's capability data, the migrations, SQLite with FTS5) fails when it is missing.
Qt is started in a child process (``mostrador self-test --qt-probe``): a platform plugin that
cannot load aborts the process, and the report must still be printed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pos_app.config import ConfigError, Settings, load_layered_settings
from resources import RESOURCES_DIR, STYLES_DIR, TRANSLATIONS_DIR

Status = Literal["ok", "warn", "fail"]
QT_PROBE_TIMEOUT = 60.0
# A string of the app and its English translation, to prove the .qm file translates.
_KNOWN_CONTEXT = "App"
_KNOWN_SOURCE = "No había ninguna venta en curso."
_KNOWN_ENGLISH = "No sale was in progress."
TRANSLATED_LANGUAGES = ("en",)  # Spanish is the source language: no .qm of its own


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    detail: str


def exit_code(results: list[CheckResult]) -> int:
    statuses = {result.status for result in results}
    if "fail" in statuses:
        return 2
    return 1 if "warn" in statuses else 0


def format_result(result: CheckResult) -> str:
    return f"{result.status:<5} {result.name:<13} {result.detail}"


def summary(results: list[CheckResult]) -> str:
    counts = {status: sum(r.status == status for r in results) for status in ("ok", "warn", "fail")}
    return (
        f"resultado: {exit_code(results)} ({counts['ok']} ok, {counts['warn']} warn, "
        f"{counts['fail']} fail)"
    )


def run_self_test(
    *,
    config_files: list[Path],
    data_dir: Path | None,
    out: Callable[[str], None],
) -> int:
    """Run every check, printing each line as it is known; return the exit code.

    ``config_files``: the settings files, later ones overriding (see
    ``pos_app.config.settings_files``); ``data_dir``: where the register database lives, or
    None to take it from the settings (``data_dir``) or the platform's default.
    """
    results: list[CheckResult] = []
    for result in _checks(config_files, data_dir):
        results.append(result)
        out(format_result(result))
    out(summary(results))
    return exit_code(results)


def _checks(config_files: list[Path], data_dir: Path | None) -> Iterator[CheckResult]:
    from pos_app.config import default_data_dir

    settings = Settings()
    try:
        settings = load_layered_settings(config_files)
        found = [str(path) for path in config_files if path.exists()]
        detail = ", ".join(found) if found else "sin archivo de configuración: valores por defecto"
        yield CheckResult("config", "ok", detail)
    except ConfigError as exc:
        yield CheckResult("config", "fail", str(exc))
    if data_dir is None:
        provisioned = settings.data_dir
        data_dir = Path(provisioned) if provisioned else default_data_dir() / "register"
    for check in (
        check_qt,
        check_translations,
        check_resources,
        check_libraries,
        check_escpos,
        check_fts5,
        check_migrations,
    ):
        yield _guarded(check.__name__.removeprefix("check_"), check)
    register_dir = data_dir
    yield _guarded("receipt", lambda: check_receipt(settings))
    yield _guarded("database", lambda: check_register_database(register_dir))
    yield _guarded("keyring", check_keyring)
    yield from check_devices(settings)


def _guarded(name: str, check: Callable[[], CheckResult]) -> CheckResult:
    """A check that raises is a failed check, named, not a crashed report."""
    try:
        return check()
    except Exception as exc:
        return CheckResult(name, "fail", f"{type(exc).__name__}: {exc}")


# --- Qt ------------------------------------------------------------------------------------


def _expected_platforms() -> set[str]:
    if sys.platform == "win32":
        return {"windows", "offscreen"}
    if sys.platform == "darwin":
        return {"cocoa", "offscreen"}
    return {"xcb", "offscreen"}


def _probe_command() -> list[str]:
    if getattr(sys, "frozen", False):
        executable = Path(sys.executable)
        console = executable.with_name("mostrador-cli.exe")  # Windows: the console twin
        program = console if console.exists() else executable
        return [str(program), "self-test", "--qt-probe"]
    return [sys.executable, "-m", "pos_app", "self-test", "--qt-probe"]


def _no_display() -> bool:
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )


def check_qt() -> CheckResult:
    env = dict(os.environ)
    headless = _no_display()
    if headless:
        env["QT_QPA_PLATFORM"] = "offscreen"
    try:
        probe = subprocess.run(
            _probe_command(),
            capture_output=True,
            text=True,
            timeout=QT_PROBE_TIMEOUT,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return CheckResult("qt", "fail", f"Qt no arrancó en {QT_PROBE_TIMEOUT:.0f} s")
    facts = dict(
        line.split("=", 1) for line in probe.stdout.splitlines() if line.startswith("qt-probe-")
    )
    if probe.returncode != 0 or "qt-probe-platform" not in facts:
        lines = [line for line in probe.stderr.splitlines() if line.strip()]
        why = " | ".join(lines[-3:]) or f"código de salida {probe.returncode}"
        return CheckResult("qt", "fail", f"Qt no arranca: {why}")
    plugins = set(filter(None, facts.get("qt-probe-plugins", "").split(",")))
    detail = (
        f"Qt {facts.get('qt-probe-version', '?')}, plataforma {facts['qt-probe-platform']}; "
        f"complementos: {', '.join(sorted(plugins))}"
    )
    missing = _expected_platforms() - plugins
    if missing:
        return CheckResult("qt", "fail", f"{detail}; faltan: {', '.join(sorted(missing))}")
    if headless:
        return CheckResult(
            "qt", "warn", f"{detail} (sin pantalla: DISPLAY vacío, probado con offscreen)"
        )
    return CheckResult("qt", "ok", detail)


def qt_probe(out: Callable[[str], None]) -> int:
    """The child side of :func:`check_qt`: start a QApplication, show a widget, report."""
    from PySide6.QtCore import QCoreApplication, QDir, qVersion
    from PySide6.QtWidgets import QApplication, QLabel

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    label = QLabel("Mostrador")
    label.show()
    app.processEvents()
    plugins: set[str] = set()
    for library_path in QCoreApplication.libraryPaths():
        platforms = QDir(library_path + "/platforms")
        for name in platforms.entryList(QDir.Filter.Files):
            plugins.add(Path(name).stem.removeprefix("lib").removeprefix("q"))
    out(f"qt-probe-version={qVersion()}")
    out(f"qt-probe-platform={app.platformName()}")
    out(f"qt-probe-plugins={','.join(sorted(plugins))}")
    label.close()
    return 0


# --- Files that come with the build ---------------------------------------------------------


def check_translations() -> CheckResult:
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    loaded: list[str] = []
    for language in TRANSLATED_LANGUAGES:
        path = TRANSLATIONS_DIR / f"mostrador_{language}.qm"
        if not path.is_file():
            return CheckResult("translations", "fail", f"falta {path}")
        translator = QTranslator()
        if not translator.load(str(path)):
            return CheckResult("translations", "fail", f"no se puede cargar {path}")
        if translator.translate(_KNOWN_CONTEXT, _KNOWN_SOURCE) != _KNOWN_ENGLISH:
            return CheckResult("translations", "fail", f"{path} no traduce «{_KNOWN_SOURCE}»")
        loaded.append(path.name)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_base = QTranslator()
    if not qt_base.load(QLocale(QLocale.Language.Spanish), "qtbase", "_", qt_dir):
        return CheckResult("translations", "fail", f"falta qtbase_es.qm en {qt_dir}")
    loaded.append("qtbase_es.qm")
    return CheckResult("translations", "ok", ", ".join(loaded))


def check_resources() -> CheckResult:
    style = STYLES_DIR / "mostrador.qss"
    templates = RESOURCES_DIR / "demo" / "catalog_templates.json"
    for path in (style, templates):
        if not path.is_file():
            return CheckResult("resources", "fail", f"falta {path}")
    if not style.read_text(encoding="utf-8").strip():
        return CheckResult("resources", "fail", f"{style} está vacío")
    json.loads(templates.read_text(encoding="utf-8"))
    return CheckResult("resources", "ok", f"estilos y datos de demostración en {RESOURCES_DIR}")


def check_libraries() -> CheckResult:
    """Babel's locale data for es and en, python-stdnum and biip (their data files)."""
    from decimal import Decimal

    from babel.numbers import format_currency
    from biip.gtin import Gtin
    from stdnum.es import nif

    spanish = format_currency(Decimal("1234.5"), "EUR", locale="es_ES")
    english = format_currency(Decimal("1234.5"), "EUR", locale="en_GB")
    if "1234,50" not in spanish.replace("\xa0", "").replace(".", "") or "€1,234.50" != english:
        return CheckResult("libraries", "fail", f"Babel formatea mal: {spanish!r}, {english!r}")
    if not nif.is_valid("12345678Z"):
        return CheckResult("libraries", "fail", "python-stdnum no valida un NIF correcto")
    gtin = Gtin.parse("8412345678905")
    if gtin.prefix is None:
        return CheckResult("libraries", "fail", "biip no encuentra el prefijo GS1 de 841")
    return CheckResult("libraries", "ok", f"Babel ({spanish}, {english}), python-stdnum, biip")


def check_escpos() -> CheckResult:
    from importlib import resources

    from hardware.printers.escpos_setup import ensure_escpos_ready

    data = resources.files("escpos") / "capabilities.json"
    if not data.is_file():
        return CheckResult("escpos", "fail", f"falta la base de impresoras de escpos: {data}")
    ensure_escpos_ready()
    from escpos import capabilities  # type: ignore[import-untyped]

    profiles = capabilities.CAPABILITIES.get("profiles", {})
    if "default" not in profiles:
        return CheckResult("escpos", "fail", "la base de impresoras de escpos no tiene 'default'")
    capabilities.get_profile("default")
    return CheckResult("escpos", "ok", f"{len(profiles)} perfiles de impresora")


def check_fts5() -> CheckResult:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(name)")
        conn.execute("INSERT INTO t(name) VALUES ('café con leche')")
        found = conn.execute("SELECT count(*) FROM t WHERE t MATCH 'caf*'").fetchone()[0]
    except sqlite3.OperationalError as exc:
        return CheckResult("fts5", "fail", f"SQLite {sqlite3.sqlite_version} sin FTS5: {exc}")
    finally:
        conn.close()
    if found != 1:
        return CheckResult("fts5", "fail", "la búsqueda FTS5 no encuentra lo insertado")
    return CheckResult("fts5", "ok", f"SQLite {sqlite3.sqlite_version}")


def check_migrations() -> CheckResult:
    """Every migration present, and a new database migrates to the revision this build expects."""
    from alembic.script import ScriptDirectory

    from pos_app.storage.db import HEAD_REVISION, MIGRATIONS_DIR, current_revision, open_database

    for needed in ("env.py", "script.py.mako", "versions"):
        if not (MIGRATIONS_DIR / needed).exists():
            return CheckResult("migrations", "fail", f"falta {MIGRATIONS_DIR / needed}")
    try:
        script = ScriptDirectory(str(MIGRATIONS_DIR))
        revisions = list(script.walk_revisions())
        head = script.get_current_head()
    except Exception as exc:  # Alembic names the revision that is missing
        return CheckResult("migrations", "fail", f"migraciones incompletas: {exc}")
    if head != HEAD_REVISION:
        return CheckResult(
            "migrations",
            "fail",
            f"la última migración es {head}, esta versión espera {HEAD_REVISION} "
            f"(¿falta un archivo en {MIGRATIONS_DIR / 'versions'}?)",
        )
    with tempfile.TemporaryDirectory(prefix="mostrador-selftest-") as scratch:
        engine = open_database(Path(scratch) / "new.sqlite3")
        try:
            revision = current_revision(engine)
        finally:
            engine.dispose()
    if revision != HEAD_REVISION:
        return CheckResult("migrations", "fail", f"una base nueva quedó en {revision}")
    return CheckResult(
        "migrations", "ok", f"{len(revisions)} migraciones; una base nueva llega a {revision}"
    )


# --- This machine ---------------------------------------------------------------------------


def check_receipt(settings: Settings) -> CheckResult:
    """A receipt encoded to ESC/POS and decoded back: CP858, the euro sign and accents."""
    from hardware.escpos_decoder import decode
    from hardware.printers import receipt_to_bytes
    from hardware.receipt import ReceiptDocument, ReceiptLine

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
    text = decode(receipt_to_bytes(doc, width=settings.printer.width)).text
    if "Café ñ" in text and "€" in text:
        return CheckResult("receipt", "ok", "ESC/POS: CP858, € y acentos")
    return CheckResult("receipt", "fail", "ESC/POS: el recibo no conserva € ni los acentos")


def check_register_database(data_dir: Path) -> CheckResult:
    from pos_app.demo.store import database_path
    from pos_app.storage.db import (
        HEAD_REVISION,
        DatabaseError,
        current_revision,
        integrity_check,
        open_database,
    )

    path = database_path(data_dir)
    if not path.exists():
        return CheckResult("database", "warn", f"no hay base de datos de caja en {path}")
    try:
        engine = open_database(path)
    except DatabaseError as exc:
        return CheckResult("database", "fail", str(exc))
    try:
        revision = current_revision(engine)
        verdict = integrity_check(engine)
        with engine.connect() as conn:
            products = conn.exec_driver_sql("SELECT count(*) FROM products").scalar_one()
    finally:
        engine.dispose()
    if revision != HEAD_REVISION:
        return CheckResult("database", "fail", f"{path}: esquema {revision}, no {HEAD_REVISION}")
    if verdict != "ok":
        return CheckResult("database", "fail", f"{path}: {verdict}")
    detail = f"{path} (esquema {revision}, íntegra, {products} productos)"
    return CheckResult("database", "ok" if products else "warn", detail)


def check_keyring() -> CheckResult:
    from pos_app.storage.credentials import keyring_problem

    problem = keyring_problem()
    if problem is not None:
        return CheckResult("keyring", "warn", problem)
    import keyring

    return CheckResult("keyring", "ok", type(keyring.get_keyring()).__name__)


def check_devices(settings: Settings) -> Iterator[CheckResult]:
    """Ask each configured device for its state (printing nothing). No printer configured
    warns; a configured device that does not answer fails."""
    from hardware.status import DeviceState
    from pos_app.bootstrap import open_devices
    from pos_app.services.devices import device_status

    if settings.printer.kind == "preview":
        yield CheckResult("printer", "warn", "no hay impresora configurada (recibos en pantalla)")
    try:
        devices = open_devices(settings.devices, lambda code: None, lambda status: None)
    except Exception as exc:
        yield CheckResult("devices", "fail", str(exc))
        return
    try:
        checked: dict[str, tuple[str, object]] = {
            "printer": (settings.printer.kind, devices.printer),
            "display": (settings.display.kind, devices.display),
            "scale": (settings.scale.kind, devices.scale),
        }
        for name, (kind, device) in checked.items():
            if kind == "preview":
                continue
            if device is None or kind == "none":
                yield CheckResult(name, "ok", "no configurado")
                continue
            status = device_status(device)
            detail = f"{kind}: {status.state.value}" + (
                f" ({status.detail})" if status.detail else ""
            )
            yield CheckResult(name, "ok" if status.state is DeviceState.READY else "fail", detail)
        scanner = settings.scanner
        if scanner.kind == "serial":
            found = os.path.exists(scanner.port)
            yield CheckResult("scanner", "ok" if found else "fail", f"serie {scanner.port}")
        else:
            yield CheckResult("scanner", "ok", scanner.kind)
    finally:
        devices.close()
