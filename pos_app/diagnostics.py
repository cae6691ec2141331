"""``mostrador diagnostics``: one zip for support, with secrets removed.

What it holds (``LEEME.txt`` inside says the same):

- ``versions.json``: Mostrador, Python, Qt/PySide6, SQLAlchemy, Alembic, httpx, keyring (and
  which keyring backend), SQLite with its compile options, the operating system;
- ``settings/``: each settings file read (machine-wide, user, or the one given), every value
  whose key names a token, secret, password, PIN or code replaced by ``<redactado>``;
- ``database.json``: the register database's schema revision, size, counts (pending events,
  sales, products), ``PRAGMA quick_check``, its store and register and sync state, read
  without changing the file (read-only, no migration);
- ``logs/``: the newest log files (the tail of each), with bearer tokens blanked;
- ``self-test.txt``: the output of ``mostrador self-test``, when it was run.

The token is never read: it stays in the keyring.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import sqlite3
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pos_app import __version__

log = logging.getLogger(__name__)

REDACTED = "<redactado>"
LOG_TAIL_BYTES = 2 * 1024 * 1024  # of each log file
_SECRET_KEY = r"[\w.-]*(?:token|secret|password|passwd|pin|code|api[_-]?key)[\w.-]*"
_SECRET_ASSIGNMENT = re.compile(
    rf"""(?im)(^|[{{,\s])(["']?{_SECRET_KEY}["']?\s*=\s*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^,}}\]\n#]*[^,}}\]\n#\s])"""
)
# Names that match the pattern but hold nothing secret, which support needs to see: the
# register's and the store's codes.
_NOT_SECRET = frozenset({"register_code", "store_code"})
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)

README = """Diagnóstico de Mostrador para soporte técnico.

versions.json   versiones de Mostrador, Python, Qt, SQLAlchemy, SQLite y del sistema
settings/       archivos de configuración leídos; tokens, contraseñas, PIN y códigos quitados
database.json   resumen de la base de datos de la caja (sin datos de clientes ni ventas)
logs/           registros recientes de la aplicación
self-test.txt   resultado de «mostrador self-test» (si se pudo ejecutar)

El token de la caja no está en este archivo: vive en el almacén de claves del sistema.
"""


@dataclass(frozen=True)
class DiagnosticsInput:
    settings_files: list[Path]
    database: Path
    log_files: list[Path]
    self_test: Callable[[], str] | None = None


def redact_settings(text: str) -> str:
    """The TOML text with the value of every key naming a secret blanked (comments and the
    rest kept, so support sees the file as IT wrote it)."""

    def blank(m: re.Match[str]) -> str:
        key = m.group(2).split("=", 1)[0].strip().strip("\"'").lower()
        if key in _NOT_SECRET:
            return m.group(0)
        return f'{m.group(1)}{m.group(2)}"{REDACTED}"'

    return _SECRET_ASSIGNMENT.sub(blank, text)


def redact_log(text: str) -> str:
    return _BEARER.sub(rf"\1{REDACTED}", text)


def default_output(now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    name = f"mostrador-diagnostico-{platform.node() or 'caja'}-{stamp}.zip"
    folder = Path.cwd()
    if not os.access(folder, os.W_OK):
        from pos_app.logging_setup import default_log_dir

        folder = default_log_dir()
    return folder / name


def write_diagnostics(output: Path, what: DiagnosticsInput) -> Path:
    """Write the zip to ``output`` (replacing it); returns its path."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("LEEME.txt", README)
        zf.writestr("versions.json", _json(versions()))
        for index, path in enumerate(what.settings_files, start=1):
            zf.writestr(f"settings/{index}-{path.name}", _settings_text(path))
        zf.writestr("database.json", _json(database_summary(what.database)))
        for path in what.log_files:
            zf.writestr(f"logs/{path.name}", redact_log(_tail(path, LOG_TAIL_BYTES)))
        if what.self_test is not None:
            zf.writestr("self-test.txt", redact_log(_self_test(what.self_test)))
    partial.replace(output)
    log.info("diagnostics written to %s", output)
    return output


def versions() -> dict[str, Any]:
    info: dict[str, Any] = {
        "mostrador": __version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": sys.executable,
        },
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "version": platform.version(),
            "machine": platform.machine(),
            "platform": platform.platform(),
        },
        "sqlite": _sqlite(),
        "collected_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    for name, attribute in (
        ("PySide6", "__version__"),
        ("sqlalchemy", "__version__"),
        ("alembic", "__version__"),
        ("httpx", "__version__"),
        ("pydantic", "VERSION"),
        ("platformdirs", "__version__"),
    ):
        info[name] = _module_version(name, attribute)
    info["qt"] = _qt_version()
    info["keyring"] = _keyring()
    return info


def database_summary(path: Path) -> dict[str, Any]:
    """What support needs to know of the register database, read-only."""
    summary: dict[str, Any] = {"path": str(path), "exists": path.exists()}
    if not path.exists():
        return summary
    summary["size_bytes"] = path.stat().st_size
    try:
        from pos_app.storage.db import head_revision

        summary["head_revision"] = head_revision()
    except Exception as exc:  # a build without its migrations: say so, go on
        summary["head_revision"] = f"error: {exc}"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        summary["error"] = str(exc)
        return summary
    try:
        queries = {
            "revision": "SELECT version_num FROM alembic_version",
            "quick_check": "PRAGMA quick_check",
            "journal_mode": "PRAGMA journal_mode",
            "outbox_pending": "SELECT count(*) FROM outbox WHERE state = 'pending'",
            "outbox_attention": "SELECT count(*) FROM outbox WHERE state NOT IN ('pending')",
            "sales": "SELECT count(*) FROM sales",
            "products": "SELECT count(*) FROM products",
            "parked_sales": "SELECT count(*) FROM parked_sales",
        }
        for key, sql in queries.items():
            try:
                row = conn.execute(sql).fetchone()
                summary[key] = row[0] if row else None
            except sqlite3.Error as exc:
                summary[key] = f"error: {exc}"
        summary["identity"] = _row(
            conn, "SELECT store_code, register_code, store_name FROM store_identity"
        )
        summary["sync"] = _row(
            conn,
            "SELECT device_id, backend_url, register_name, cursor, last_success_at, "
            "last_error, last_error_at FROM sync_state",
        )
    finally:
        conn.close()
    return summary


def _row(conn: sqlite3.Connection, sql: str) -> dict[str, Any] | str | None:
    try:
        cursor = conn.execute(sql)
        row = cursor.fetchone()
    except sqlite3.Error as exc:
        return f"error: {exc}"
    if row is None:
        return None
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


def _settings_text(path: Path) -> str:
    header = f"# {path}\n"
    if not path.exists():
        return header + "# (no existe)\n"
    try:
        return header + redact_settings(path.read_text(encoding="utf-8", errors="replace"))
    except OSError as exc:
        return header + f"# (no se pudo leer: {exc})\n"


def _tail(path: Path, limit: int) -> str:
    try:
        with path.open("rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - limit))
            data = f.read()
    except OSError as exc:
        return f"(no se pudo leer {path}: {exc})\n"
    text = data.decode("utf-8", errors="replace")
    if size > limit:
        text = f"(… los primeros {size - limit} bytes omitidos)\n" + text.split("\n", 1)[-1]
    return text


def _self_test(run: Callable[[], str]) -> str:
    try:
        return run()
    except Exception as exc:  # the zip is worth having even when the self-test breaks
        log.warning("self-test for diagnostics failed", exc_info=exc)
        return f"self-test no se pudo ejecutar: {type(exc).__name__}: {exc}\n"


def _sqlite() -> dict[str, Any]:
    conn = sqlite3.connect(":memory:")
    try:
        options = [row[0] for row in conn.execute("PRAGMA compile_options")]
    finally:
        conn.close()
    return {"version": sqlite3.sqlite_version, "compile_options": options}


def _module_version(name: str, attribute: str) -> str:
    try:
        module = __import__(name)
    except Exception as exc:
        return f"not available: {exc}"
    value = getattr(module, attribute, None)
    if value is None:
        from importlib import metadata

        try:
            value = metadata.version(name)
        except metadata.PackageNotFoundError:
            value = "unknown"
    return str(value)


def _qt_version() -> str:
    try:
        from PySide6 import QtCore
    except Exception as exc:
        return f"not available: {exc}"
    return str(QtCore.qVersion())


def _keyring() -> dict[str, str]:
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as exc:
        return {"error": str(exc)}
    return {
        "version": _module_version("keyring", "__version__"),
        "backend": f"{type(backend).__module__}.{type(backend).__qualname__}",
        "priority": str(getattr(backend, "priority", "?")),
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n"
