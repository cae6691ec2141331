"""A register that cannot open its database (made by a newer build of Mostrador) says so in a
window, for the cashier who started it from the desktop, as well as on stderr, and leaves the
file as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import text
from support import IDENTITY, save_screenshot

from pos_app import cli
from pos_app.storage.catalog_loader import set_identity
from pos_app.storage.db import open_database


def _newer_register(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True)
    path = data_dir / "register.sqlite3"
    engine = open_database(path)
    set_identity(engine, IDENTITY)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def test_a_database_of_a_newer_build_is_refused_in_a_window(qapp, tmp_path, capsys):
    path = _newer_register(tmp_path / "data")
    before = path.read_bytes()
    seen: dict[str, str] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        box.resize(640, 260)
        save_screenshot(box, "start_failed_newer_database")
        seen["text"] = box.text()
        seen["detail"] = box.informativeText()
        box.accept()

    QTimer.singleShot(50, answer)
    code = cli.main(
        ["run", "--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "none.toml")]
    )
    assert code == 2
    assert seen["text"] == "Mostrador no puede abrir esta caja."
    assert seen["detail"].startswith("Esta base de datos es de una versión más nueva de Mostrador")
    assert "(revisión 0099)" in seen["detail"]
    assert "mostrador diagnostics" in seen["detail"]
    assert "versión más nueva de Mostrador" in capsys.readouterr().err
    assert path.read_bytes() == before
