"""``mostrador journal verify`` as a person runs it, in a real process, on a register's data
directory: sales made through the product, then the file tampered with by hand."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from support import BREAD, IDENTITY, SOAP, FixedClock, make_register_db

from pos_app.demo.store import DATABASE_NAME
from pos_app.services.checkout import CheckoutService
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory


def verify(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pos_app", "journal", "verify", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_the_command_verifies_the_journal_and_names_the_first_broken_record(tmp_path):
    engine = make_register_db(tmp_path / DATABASE_NAME)
    clock = FixedClock()
    checkout = CheckoutService(SqlUnitOfWorkFactory(engine), clock, IDENTITY, cashier="Ana")
    numbers = []
    for code in (SOAP, BREAD, SOAP):
        checkout.scan(code)
        checkout.add_cash(checkout.view().payment.due)
        numbers.append(checkout.complete_sale().sale.receipt_number)
        clock.advance(minutes=2)
    engine.dispose()

    result = verify(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "3 registros. OK" in result.stdout

    conn = sqlite3.connect(tmp_path / DATABASE_NAME, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER fiscal_records_no_update")
        conn.execute("UPDATE fiscal_records SET amount_total = '1.21' WHERE chain_seq = 2")
    finally:
        conn.close()
    result = verify(tmp_path)
    assert result.returncode == 1
    assert f"Primer registro roto: record 2 ({numbers[1]}): fingerprint does not match" in (
        result.stdout
    )

    missing = verify(tmp_path / "nowhere")
    assert missing.returncode == 2 and "no hay base de datos" in missing.stderr
