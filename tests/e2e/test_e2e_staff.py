"""Staff end to end over HTTP (the real ``mostrador-server`` on SQLite and PostgreSQL): people
and limits made at the backend reach the store's register by the pull; a cashier signs in with
a PIN, a discount beyond the limit needs the manager's PIN, and the override reaches the
backend's audit log with both names. No PIN travels or is stored in clear.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from support import SERVER_CMD, BackendProcess, backend_process, enrollment_code, server_cli

from hardware.printers import MemoryReceiptPrinter
from pos_app.bootstrap import build_register, enroll_register
from pos_app.config import ScannerSettings, Settings
from pos_app.domain.cart import Discount
from pos_app.domain.money import Money
from pos_app.domain.permissions import Action
from pos_app.services.errors import ManagerApprovalRequired, WrongPin
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from sync.client import SyncClient


def create_staff(backend: BackendProcess, name: str, role: str, pin: str) -> None:
    result = subprocess.run(
        [*SERVER_CMD, "create-staff", "--store", "T01", "--name", name, "--role", role,
         "--pin", "--database", backend.database],
        input=pin + "\n", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert pin not in result.stdout + result.stderr


@pytest.fixture
def backend(backend_database, tmp_path) -> Iterator[BackendProcess]:
    with backend_process(tmp_path, backend_database, products=40) as served:
        create_staff(served, "Ana Cajera", "cashier", "4821")
        create_staff(served, "Marta Encargada", "manager", "7395")
        server_cli("set-limits", "--max-discount-percent", "10", database=served.database)
        yield served


def test_staff_and_limits_reach_the_register_and_an_override_reaches_the_audit_log(
    backend, tmp_path
) -> None:
    engine = open_database(tmp_path / "register.sqlite3")
    tokens = MemoryTokenStore()
    enroll_register(engine, backend.url, enrollment_code(backend), "Caja 1", tokens)
    register = build_register(
        engine, Settings(scanner=ScannerSettings(kind="none")), printer=MemoryReceiptPrinter()
    )
    device = register.sync.device_id()
    assert device is not None and register.staff is not None
    client = SyncClient(backend.url, tokens.get(device))
    worker = SyncWorker(register.sync, client, lambda fn: fn())
    try:
        staff = {m.name: m for m in register.staff.staff_list()}
        assert set(staff) == {"Ana Cajera", "Marta Encargada"}
        with pytest.raises(WrongPin):
            register.staff.sign_in(staff["Ana Cajera"].staff_id, "0000")
        register.staff.sign_in(staff["Ana Cajera"].staff_id, "4821")

        checkout = register.checkout
        with engine.connect() as conn:
            code = conn.execute(text("SELECT code FROM barcodes LIMIT 1")).scalar_one()
        checkout.scan(code)
        with pytest.raises(ManagerApprovalRequired):
            checkout.set_basket_discount(Discount.percent(20))
        approval = register.staff.approve(
            staff["Marta Encargada"].staff_id, "7395", Action.DISCOUNT, "20 %"
        )
        checkout.set_basket_discount(Discount.percent(20), approval)
        checkout.add_cash(Money(checkout.view().payment.due.cents))
        sale = checkout.complete_sale().sale
        assert sale.cashier == "Ana Cajera"

        worker.push_all()
        assert register.sync.unsynced_count() == 0
        assert register.sync.attention_items() == []
        backend_engine = create_engine(backend.database)
        try:
            with backend_engine.connect() as conn:
                rows = conn.execute(
                    text("SELECT kind, action, staff_name, approver_name FROM audit_log")
                ).all()
                cashiers = conn.execute(text("SELECT cashier FROM sales")).scalars().all()
        finally:
            backend_engine.dispose()
        assert [tuple(r) for r in rows] == [
            ("override", "discount", "Ana Cajera", "Marta Encargada")
        ]
        assert cashiers == ["Ana Cajera"]
        log = (tmp_path / "server.log").read_text(errors="replace")
        assert "4821" not in log and "7395" not in log
    finally:
        client.close()
        register.db_executor.shutdown(wait=True)
        engine.dispose()
