"""Fixtures and hooks shared by every test; the material they use is in ``support.py``."""

from __future__ import annotations

import gc
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The register's log file (pos_app/logging_setup.py) of commands run by tests: not the user's.
os.environ.setdefault("MOSTRADOR_LOG_DIR", tempfile.mkdtemp(prefix="mostrador-test-logs-"))

from support import FixedClock, make_register_db  # noqa: E402

from hardware.printers import FileReceiptPrinter  # noqa: E402
from pos_app.bootstrap import build_main_window, build_register  # noqa: E402
from pos_app.config import ScannerSettings, Settings  # noqa: E402
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory  # noqa: E402
from pos_app.ui.app import style_sheet  # noqa: E402

# --- Cyclic garbage only on the main thread (see pos_app/ui/gc_guard.py) --------------------


def pytest_configure(config: pytest.Config) -> None:
    gc.disable()


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_main_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if {"qtbot", "qapp", "window"} & set(request.fixturenames) or gc.get_count()[0] > 50_000:
        gc.collect()


# --- PostgreSQL-marked tests: skipped without MOSTRADOR_TEST_PG_URL, counted for CI ----------

_PG_OUTCOMES = {"collected": 0, "passed": 0, "skipped": 0, "failed": 0}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="MOSTRADOR_TEST_PG_URL is not set")
    for item in items:
        if "postgres" in item.keywords:
            _PG_OUTCOMES["collected"] += 1
            if not os.environ.get("MOSTRADOR_TEST_PG_URL"):
                item.add_marker(skip)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "postgres" not in report.keywords:
        return
    if report.skipped:
        _PG_OUTCOMES["skipped"] += 1
    elif report.when == "call":
        _PG_OUTCOMES["passed" if report.passed else "failed"] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get("MOSTRADOR_PG_REPORT")
    if target:
        Path(target).write_text(json.dumps(_PG_OUTCOMES), encoding="utf-8")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.sqlite3"


@pytest.fixture
def engine(db_path: Path) -> Iterator[object]:
    eng = make_register_db(db_path)
    yield eng
    eng.dispose()


@pytest.fixture
def uow_factory(engine) -> SqlUnitOfWorkFactory:  # type: ignore[no-untyped-def]
    return SqlUnitOfWorkFactory(engine)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


# --- UI: the real main window, wired by the composition root, on the real database ----------


# --- UI: the real main window, wired by the composition root, on the real database ----------


@pytest.fixture
def printer_file(tmp_path: Path) -> Path:
    return tmp_path / "printer.bin"


@pytest.fixture
def register(engine, printer_file, clock: FixedClock):  # type: ignore[no-untyped-def]
    reg = build_register(
        engine,
        # No keyboard-wedge filter: QTest types as fast as a scanner, so the UI tests of typed
        # input would read as scans. The wedge has its own tests (tests/ui/test_wedge.py and
        # tests/ui/test_devices_ui.py), with the whole window.
        Settings(cashier="Ana", scanner=ScannerSettings(kind="none")),
        printer=FileReceiptPrinter(printer_file),
        printer_name=str(printer_file),
        clock=clock,  # type: ignore[arg-type]
    )
    yield reg
    reg.db_executor.shutdown(wait=True)


@pytest.fixture
def window(qtbot, qapp, register):  # type: ignore[no-untyped-def]
    qapp.setStyleSheet(style_sheet())
    win, runner = build_main_window(register, "es_ES")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    runner.shutdown()
    win.close()


class FakeKeyring(KeyringBackend):
    """An in-memory keyring backend: the OS keyring's API, for tests of the token store."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):  # type: ignore[no-untyped-def]
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):  # type: ignore[no-untyped-def]
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):  # type: ignore[no-untyped-def]
        self.secrets.pop((service, username), None)


@pytest.fixture
def fake_keyring() -> Iterator[FakeKeyring]:
    previous = keyring.get_keyring()
    backend = FakeKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
