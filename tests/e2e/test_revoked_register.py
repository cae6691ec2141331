"""A revoked register is refused and says why: the whole app, wired by the composition root,
syncs with the real backend until IT revokes it; then the status bar shows, in Spanish, that
the register was withdrawn by the backend, when, that sales are still kept, and what to do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support import backend_process, enrollment_code, server_cli

from hardware.printers import FileReceiptPrinter
from pos_app.bootstrap import build_main_window, build_register, enroll_register, start_sync_for
from pos_app.config import Settings
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from pos_app.ui.app import style_sheet
from pos_app.ui.error_messages import describe_error, describe_sync_problem
from pos_app.ui.sync_status import SyncStatusBridge
from sync.errors import SyncError, SyncErrorKind


@pytest.fixture
def backend(tmp_path) -> Iterator:
    with backend_process(tmp_path, f"sqlite:///{tmp_path / 'backend.sqlite3'}", products=20) as b:
        yield b


def test_a_revoked_register_shows_why_in_its_status_bar(qtbot, qapp, backend, tmp_path):
    engine = open_database(tmp_path / "register" / "register.sqlite3")
    tokens = MemoryTokenStore()
    enroll_register(engine, backend.url, enrollment_code(backend), "Caja 1", tokens)
    register = build_register(
        engine,
        Settings(cashier="Ana"),
        printer=FileReceiptPrinter(tmp_path / "printer.bin"),
        printer_name="archivo",
    )
    qapp.setStyleSheet(style_sheet())
    window, runner = build_main_window(register, "es_ES")
    qtbot.addWidget(window)
    bridge = SyncStatusBridge()
    bridge.status_changed.connect(window.show_sync_status)
    label = window.sync_status.connection_label
    try:
        window.show()
        assert start_sync_for(register, tokens, bridge.publish, pull_interval=0.2) is None
        qtbot.waitUntil(lambda: label.text() == "● En línea", timeout=20_000)

        device = register.sync.device_id()
        assert device is not None
        revoked = server_cli("revoke-register", device, database=backend.database)
        assert "revoked" in revoked
        assert register.worker is not None
        register.worker.request_push()

        qtbot.waitUntil(lambda: "dada de baja" in label.text(), timeout=20_000)
        assert label.text() == "⚠ Caja dada de baja en la central"
        assert label.property("state") == "error"
        detail = window.sync_status.toolTip()
        assert detail == label.toolTip()
        assert "La central dio de baja esta caja el " in detail
        assert "(UTC)" in detail
        assert "Las ventas se siguen guardando en esta caja" in detail
        assert "código de alta nuevo" in detail
        assert "revoked" not in detail  # Spanish, not the backend's English
    finally:
        runner.shutdown()
        window.close()
        register.close()


def test_the_refusals_a_person_must_act_on_are_described_in_spanish():
    revoked = SyncError(
        SyncErrorKind.AUTH,
        "this register was revoked on 2026-11-25 09:30 UTC; ask IT for a new enrolment code",
        code="revoked",
        status=401,
    )
    problem = describe_sync_problem(str(revoked))
    assert problem is not None
    assert problem.headline == "⚠ Caja dada de baja en la central"
    assert problem.detail.startswith(
        "La central dio de baja esta caja el 25/11/2026 a las 09:30 (UTC)."
    )
    assert describe_error(revoked) == problem.detail

    unknown = SyncError(SyncErrorKind.AUTH, "unknown token", code="unauthorized", status=401)
    assert describe_sync_problem(str(unknown)).headline == "⚠ La central no reconoce esta caja"
    version = SyncError(SyncErrorKind.PROTOCOL, "v1 only", code="protocol_version", status=426)
    assert "Versión incompatible" in describe_sync_problem(str(version)).headline

    # Failures the register retries by itself are not refusals.
    for retried in (
        SyncError(SyncErrorKind.NETWORK, "cannot reach the backend"),
        SyncError(SyncErrorKind.SERVER, "database away", code="unavailable", status=503),
    ):
        assert describe_sync_problem(str(retried)) is None
    assert describe_sync_problem(None) is None
    assert describe_sync_problem("ValueError: a bug") is None
