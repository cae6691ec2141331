"""A broken register replaced, end to end over HTTP (the real ``mostrador-server`` on SQLite
and PostgreSQL): register A sells, returns and closes its till, all synced; A "breaks"; IT
makes a takeover code; a new machine B enrols with it as the same register, and its tickets,
returns and Z closes go on after A's without a gap or a repeat, its journal chains onto A's
(verified at B and at the backend, no journal_gap), and A's token is refused."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from support import BackendProcess, backend_process, enrollment_code, server_cli

from hardware.printers import MemoryReceiptPrinter
from pos_app.bootstrap import Register, build_register, enroll_register
from pos_app.config import ScannerSettings, Settings
from pos_app.domain.money import Money
from pos_app.domain.till import CashCount
from pos_app.services.journal import verify_journal
from pos_app.services.returns import RefundRequest, ReturnLineRequest
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.credentials import MemoryTokenStore
from pos_app.storage.db import open_database
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
from sync.client import SyncClient
from sync.errors import SyncError
from sync.protocol import RegisterContinuation


@pytest.fixture
def backend(backend_database, tmp_path) -> Iterator[BackendProcess]:
    with backend_process(tmp_path, backend_database, products=40) as served:
        yield served


def _machine(tmp_path: Path, name: str, backend: BackendProcess, code: str, taken=None):  # type: ignore[no-untyped-def]
    engine = open_database(tmp_path / name / "register.sqlite3")
    tokens = MemoryTokenStore()
    identity = enroll_register(
        engine,
        backend.url,
        code,
        "Caja 1",
        tokens,
        on_takeover=(taken if taken is not None else []).append,
    )
    register = build_register(
        engine,
        Settings(cashier="Ana", scanner=ScannerSettings(kind="none")),
        printer=MemoryReceiptPrinter(),
        backups=tmp_path / name / "backups",
    )
    device = register.sync.device_id()
    assert device is not None
    token = tokens.get(device)
    assert token is not None
    return identity, register, token


def _work_a_day(register: Register, codes: list[str]) -> tuple[str, str, str]:
    """Open the till, a cash sale and a card sale, a return of the first, the Z close.
    Returns the last ticket, return and Z numbers."""
    checkout, till, returns = register.checkout, register.till, register.returns
    assert till is not None and returns is not None
    till.open_till(CashCount({2000: 5}))
    checkout.scan(codes[0])
    checkout.add_cash(Money(checkout.view().payment.due.cents))
    first = checkout.complete_sale().sale
    checkout.scan(codes[1])
    checkout.add_card(checkout.view().payment.due, "AUT-1")
    last = checkout.complete_sale().sale
    original = returns.find_original(first.receipt_number)
    returned = returns.complete_return(
        original, [ReturnLineRequest(1, Decimal(1), "No le gusta")], RefundRequest("cash")
    )
    closed = till.close_z(CashCount({2000: 5}))
    return last.receipt_number, returned.record.return_number, closed.report.z_number


def _push_everything(register: Register, token: str, url: str) -> None:
    with SyncClient(url, token) as client:
        SyncWorker(register.sync, client, lambda fn: fn()).push_all()
    assert register.sync.unsynced_count() == 0
    assert register.sync.attention_items() == []  # no conflict (journal_gap...), no rejection


def _next(number: str) -> str:
    prefix, digits = number.rsplit("-", 1)
    return f"{prefix}-{int(digits) + 1:0{len(digits)}d}"


def test_a_replacement_machine_takes_over_the_register_where_the_old_one_stopped(backend, tmp_path):
    identity_a, register_a, token_a = _machine(tmp_path, "a", backend, enrollment_code(backend))
    assert identity_a.register_code == "C01"
    device_a = register_a.sync.device_id()
    engine_a = register_a.engine
    with engine_a.connect() as conn:
        codes = list(
            conn.execute(
                text(
                    "SELECT b.code FROM barcodes b JOIN products p ON p.pk = b.product_pk "
                    "WHERE p.measure = 'unit' AND length(b.code) = 13 LIMIT 2"
                )
            ).scalars()
        )
    try:
        a_ticket, a_return, a_z = _work_a_day(register_a, codes)
        _push_everything(register_a, token_a, backend.url)
        a_records = verify_journal(SqlUnitOfWorkFactory(engine_a)).count
    finally:
        register_a.db_executor.shutdown(wait=True)
        engine_a.dispose()
    # Machine A breaks. IT makes a code that replaces register C01.
    out = server_cli(
        "enrollment-code",
        "--store",
        "T01",
        "--replace-register",
        "C01",
        database=backend.database,
    )
    replace_code = re.findall(r"[A-Za-z0-9_-]{6,}", out.strip().splitlines()[-1])[-1]

    taken: list[RegisterContinuation] = []
    identity_b, register_b, token_b = _machine(tmp_path, "b", backend, replace_code, taken)
    engine_b = register_b.engine
    try:
        assert identity_b.register_code == "C01" and identity_b.store_code == "T01"
        assert [c.replaced_device_id for c in taken] == [device_a]
        assert {(p.series, p.last_number) for p in taken[0].series} == {
            (a_ticket.rsplit("-", 1)[0], int(a_ticket.rsplit("-", 1)[1])),
            (a_return.rsplit("-", 1)[0], int(a_return.rsplit("-", 1)[1])),
            (a_z.rsplit("-", 1)[0], int(a_z.rsplit("-", 1)[1])),
        }
        assert taken[0].chain.chain_seq == a_records
        assert register_b.sync.device_id() != device_a
        b_ticket, b_return, b_z = _work_a_day(register_b, codes)
        # The series go on: A's last + 1 (tickets by two, one return, one Z).
        assert b_ticket == _next(_next(a_ticket))
        assert b_return == _next(a_return)
        assert b_z == _next(a_z)
        journal = verify_journal(SqlUnitOfWorkFactory(engine_b))
        assert journal.ok, journal.problem
        assert journal.count == a_records  # the same day's records, after A's
        with engine_b.connect() as conn:
            first_seq = conn.execute(text("SELECT min(chain_seq) FROM fiscal_records")).scalar()
        assert first_seq == a_records + 1

        _push_everything(register_b, token_b, backend.url)
    finally:
        register_b.db_executor.shutdown(wait=True)
        engine_b.dispose()

    local = subprocess.run(
        [sys.executable, "-m", "pos_app", "journal", "verify", "--data-dir", str(tmp_path / "b")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert local.returncode == 0, local.stderr
    assert f"el diario sigue al registro {a_records} de la máquina anterior" in local.stdout
    assert f"{a_records} registros. OK" in local.stdout
    verified = server_cli(
        "journal", "--store", "T01", "--register", "C01", "--verify", database=backend.database
    )
    assert f"the chain holds: {2 * a_records} record(s) verified" in verified
    backend_engine = create_engine(backend.database)
    try:
        with backend_engine.connect() as conn:
            conflicts = conn.execute(
                text("SELECT count(*) FROM fiscal_records WHERE conflict IS NOT NULL")
            ).scalar_one()
            numbers = conn.execute(
                text("SELECT receipt_number FROM sales ORDER BY receipt_number")
            ).scalars()
            sold = list(numbers)
    finally:
        backend_engine.dispose()
    assert conflicts == 0
    assert len(sold) == len(set(sold)) == 4
    assert sold[-1] == b_ticket

    # Machine A, should it come back, is refused like a revoked register.
    with SyncClient(backend.url, token_a) as client, pytest.raises(SyncError) as refused:
        client.pull("0", 10)
    assert refused.value.code == "revoked"
