"""The register's fiscal journal (VERI*FACTU) on a real SQLite file: every ticket, return and
exchange writes its record in the same transaction as the fact, chained to the previous one;
the database refuses to edit or delete a record; tampering with the file is found by the
verifier and by ``mostrador journal verify``, which names the first broken record."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from support import BREAD, COFFEE, IDENTITY, SOAP, FixedClock, ean13, make_register_db

from hardware.printers import MemoryReceiptPrinter
from pos_app.cli import main
from pos_app.demo.store import DATABASE_NAME
from pos_app.domain.money import Money
from pos_app.services import checkout as checkout_module
from pos_app.services import returns as returns_module
from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import NotConfigured, ReturnNotSaved, SaleNotSaved
from pos_app.services.journal import append_record, record_till_close, verify_journal
from pos_app.services.no_receipt_returns import NoReceiptLine, NoReceiptReturns
from pos_app.services.returns import RefundRequest, ReturnLineRequest, ReturnsService
from pos_app.services.sync import SyncService
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
from sync.fiscal import alta_fingerprint, journal_hash, verify_chain
from sync.protocol import FiscalRecordPayload

COFFEE_MAKER = ean13("841000000008")  # 24,95 €, IVA 21


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    # Where `mostrador journal verify --data-dir tmp_path` looks for it.
    return tmp_path / DATABASE_NAME


@pytest.fixture
def returns(uow_factory, clock) -> ReturnsService:  # type: ignore[no-untyped-def]
    return ReturnsService(
        uow_factory, clock, IDENTITY, cashier="Ana", printer=MemoryReceiptPrinter()
    )


@pytest.fixture
def checkout(uow_factory, clock, returns) -> CheckoutService:  # type: ignore[no-untyped-def]
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana", returns=returns)


def sell(checkout: CheckoutService, *codes: str) -> str:
    for code in codes:
        checkout.scan(code)
    checkout.add_cash(checkout.view().payment.due)
    return checkout.complete_sale().sale.receipt_number


def rows(engine, sql: str) -> list[tuple]:  # type: ignore[no-untyped-def, type-arg]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def journal(uow_factory) -> list[FiscalRecordPayload]:  # type: ignore[no-untyped-def]
    with uow_factory.reader() as uow:
        return list(uow.fiscal.records())


def events(engine) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def, type-arg]
    return [
        (kind, json.loads(payload))
        for kind, payload in rows(engine, "SELECT event_type, payload FROM outbox ORDER BY seq")
    ]


def verify_cli(data_dir: Path, capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(["journal", "verify", "--data-dir", str(data_dir)])
    return code, capsys.readouterr().out


def raw(db_path: Path) -> sqlite3.Connection:
    """A connection that bypasses the product: what someone editing the file would use."""
    return sqlite3.connect(db_path, isolation_level=None)


# --- one record per fact, in the fact's transaction ------------------------------------------


def test_a_sale_writes_its_f2_record_chained_and_queued_in_the_same_transaction(
    checkout, uow_factory, engine, clock
):
    first = sell(checkout, SOAP)  # 12,10 €: 10,00 + 2,10 IVA
    clock.advance(minutes=1)
    second = sell(checkout, COFFEE, BREAD)
    one, two = journal(uow_factory)
    assert (one.chain_seq, one.record_type, one.invoice_type) == (1, "alta", "F2")
    assert (one.series_number, one.amount_total, one.tax_total) == (first, "12.10", "2.10")
    assert (one.issuer_tax_id, one.store_code, one.register_code) == ("B12345678", "T01", "C01")
    assert (one.issue_date, one.generated_at) == ("25-11-2026", "2026-11-25T10:30:00+01:00")
    assert one.previous_fingerprint == "" and one.journal_previous == ""
    assert one.source_kind == "sale" and one.rectified == [] and one.replaced == []
    assert one.fingerprint == alta_fingerprint(
        issuer_tax_id="B12345678",
        series_number=first,
        issue_date="25-11-2026",
        invoice_type="F2",
        tax_total="2.10",
        amount_total="12.10",
        previous="",
        generated_at="2026-11-25T10:30:00+01:00",
    )
    assert two.series_number == second and two.chain_seq == 2
    assert two.previous_fingerprint == one.fingerprint
    assert two.journal_previous == one.journal_hash == journal_hash(one)
    assert verify_chain([one, two]) is None
    # The outbox carries each record as stored, right after its sale.
    kinds = [kind for kind, _ in events(engine)]
    assert kinds == ["sale.completed", "fiscal.recorded"] * 2
    pushed = [FiscalRecordPayload.model_validate(p) for k, p in events(engine)[1::2]]
    assert pushed == [one, two]
    assert [p["sale_id"] for _, p in events(engine)[::2]] == [one.source_id, two.source_id]


def test_a_sale_that_fails_before_its_commit_leaves_no_record_and_no_gap(
    checkout, uow_factory, engine, monkeypatch
):
    sell(checkout, SOAP)

    def dies_before_commit(name: str) -> None:
        if name == "sale.before_commit":
            raise OSError("disk I/O error")

    checkout.scan(BREAD)
    checkout.add_cash(checkout.view().payment.due)
    with monkeypatch.context() as patch:
        patch.setattr(checkout_module, "failpoint", dies_before_commit)
        with pytest.raises(SaleNotSaved):
            checkout.complete_sale()
    assert [r.chain_seq for r in journal(uow_factory)] == [1]
    assert rows(engine, "SELECT count(*) FROM outbox WHERE event_type='fiscal.recorded'") == [(1,)]
    checkout.complete_sale()  # nothing lost: the same sale goes through, the chain goes on
    assert [r.chain_seq for r in journal(uow_factory)] == [1, 2]
    assert verify_journal(uow_factory).ok


def test_a_return_is_an_r5_by_differences_rectifying_the_ticket(
    checkout, returns, uow_factory, engine
):
    number = sell(checkout, SOAP, COFFEE)  # 12,10 € (IVA 21) + 3,49 € (IVA 10)
    done = returns.complete_return(
        returns.find_original(number),
        [ReturnLineRequest(1, Decimal(1), "Talla equivocada")],
        RefundRequest("cash"),
    )
    sale_record, return_record = journal(uow_factory)
    assert (return_record.invoice_type, return_record.series_number) == (
        "R5",
        done.record.return_number,
    )
    assert (return_record.amount_total, return_record.tax_total) == ("-12.10", "-2.10")
    assert return_record.rectified == [number] and return_record.source_kind == "return"
    assert return_record.source_id == done.record.return_id
    assert return_record.previous_fingerprint == sale_record.fingerprint
    assert [k for k, _ in events(engine)][-2:] == ["return.completed", "fiscal.recorded"]
    assert verify_journal(uow_factory).ok


def test_a_return_without_a_receipt_rectifies_nothing(returns, uow_factory):
    no_receipt = NoReceiptReturns(returns)
    done = no_receipt.complete_return(
        [NoReceiptLine(no_receipt.item_for_code(COFFEE), Decimal(2), "Sin ticket")]
    )
    [record] = journal(uow_factory)
    assert (record.invoice_type, record.series_number, record.rectified) == (
        "R5",
        done.record.return_number,
        [],
    )
    assert record.amount_total == f"-{Decimal(done.record.total_cents) / 100:.2f}"


def test_a_return_that_fails_before_its_commit_leaves_no_record(
    checkout, returns, uow_factory, monkeypatch
):
    number = sell(checkout, SOAP)

    def dies_before_commit(name: str) -> None:
        if name == "return.before_commit":
            raise OSError("disk I/O error")

    original = returns.find_original(number)
    with monkeypatch.context() as patch:
        patch.setattr(returns_module, "failpoint", dies_before_commit)
        with pytest.raises(ReturnNotSaved):
            returns.complete_return(
                original, [ReturnLineRequest(1, Decimal(1), "x")], RefundRequest("cash")
            )
    assert [r.invoice_type for r in journal(uow_factory)] == ["F2"]


def test_an_exchange_writes_the_r5_and_the_new_f2_in_one_transaction(
    checkout, returns, uow_factory, engine, monkeypatch
):
    number = sell(checkout, SOAP)
    checkout.start_exchange(
        returns.exchange_credit(
            returns.find_original(number), [ReturnLineRequest(1, Decimal(1), "Talla")]
        )
    )
    checkout.scan(COFFEE_MAKER)
    checkout.add_cash(Money(2000))

    def dies_before_commit(name: str) -> None:
        if name == "sale.before_commit":
            raise OSError("disk I/O error")

    with monkeypatch.context() as patch:
        patch.setattr(checkout_module, "failpoint", dies_before_commit)
        with pytest.raises(SaleNotSaved):
            checkout.complete_sale()
    assert [r.invoice_type for r in journal(uow_factory)] == ["F2"]  # neither half

    done = checkout.complete_sale()
    _, r5, f2 = journal(uow_factory)
    assert done.exchange is not None
    assert (r5.invoice_type, r5.series_number, r5.amount_total, r5.rectified) == (
        "R5",
        done.exchange.record.return_number,
        "-12.10",
        [number],
    )
    assert (f2.invoice_type, f2.series_number, f2.amount_total) == (
        "F2",
        done.sale.receipt_number,
        "24.95",
    )
    assert f2.previous_fingerprint == r5.fingerprint
    assert verify_journal(uow_factory).ok


def test_a_z_close_is_in_the_journal_chain_without_a_fingerprint(checkout, uow_factory, clock):
    sell(checkout, SOAP)
    clock.advance(hours=9)
    with uow_factory() as uow:
        z = record_till_close(
            uow,
            IDENTITY,
            z_number="T01-C01-Z2026-000001",
            till_id="till-1",
            total_cents=1210,
            tax_cents=210,
            at=clock.now(),
        )
        uow.commit()
    clock.advance(hours=15)
    sell(checkout, BREAD)
    sale, close, after = journal(uow_factory)
    assert close == z
    assert (close.record_type, close.invoice_type, close.fingerprint) == ("cierre", None, "")
    assert (close.source_kind, close.source_id, close.amount_total) == (
        "till_close",
        "till-1",
        "12.10",
    )
    assert close.journal_previous == sale.journal_hash
    assert after.previous_fingerprint == sale.fingerprint  # the huella skips the Z close
    assert after.journal_previous == close.journal_hash
    assert verify_journal(uow_factory).ok


def test_a_store_without_a_tax_id_is_refused_clearly_and_nothing_is_written(
    uow_factory, clock, engine
):
    nameless = CheckoutService(uow_factory, clock, replace(IDENTITY, tax_id=" "), cashier="Ana")
    nameless.scan(SOAP)
    nameless.add_cash(nameless.view().payment.due)
    with pytest.raises(NotConfigured, match="tax id"):
        nameless.complete_sale()
    assert rows(engine, "SELECT count(*) FROM sales") == [(0,)]
    assert rows(engine, "SELECT count(*) FROM outbox") == [(0,)]
    assert nameless.view().payment.due.cents == 0  # the sale is still there, paid


# --- a clock behind the chain ----------------------------------------------------------------


def test_a_clock_behind_the_journal_never_stops_a_sale_and_tells_the_manager(
    checkout, uow_factory, clock
):
    sell(checkout, SOAP)
    clock.advance(hours=-2)  # someone set the clock back
    sell(checkout, BREAD)
    sell(checkout, COFFEE)
    first, second, third = journal(uow_factory)
    assert second.generated_at == third.generated_at == first.generated_at  # never before it
    assert verify_journal(uow_factory).ok
    sync = SyncService(uow_factory, clock)
    [alarm] = sync.attention_items()  # once, not once per sale
    assert (alarm.event_type, alarm.status, alarm.code) == ("fiscal.clock", "alarm", "clock_behind")
    assert "2026-11-25T08:30:00+01:00" in alarm.message and "no. 1" in alarm.message
    assert sync.status().attention == 1
    clock.advance(hours=3)  # set right: the records follow the clock again
    sell(checkout, SOAP)
    assert journal(uow_factory)[-1].generated_at == "2026-11-25T11:30:00+01:00"


# --- the database refuses edits; tampering is found ------------------------------------------


def test_the_database_refuses_to_edit_or_delete_a_record(checkout, db_path):
    sell(checkout, SOAP)
    conn = raw(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="never edited"):
            conn.execute("UPDATE fiscal_records SET amount_total = '0.01'")
        with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
            conn.execute("DELETE FROM fiscal_records")
        assert conn.execute("SELECT amount_total FROM fiscal_records").fetchall() == [("12.10",)]
    finally:
        conn.close()


@pytest.fixture
def tampered(checkout, db_path, clock):  # type: ignore[no-untyped-def]
    """Five tickets, then a raw connection with the triggers dropped: what a forger would do."""
    numbers = []
    for code in (SOAP, BREAD, COFFEE, SOAP, BREAD):
        numbers.append(sell(checkout, code))
        clock.advance(minutes=3)
    conn = raw(db_path)
    conn.execute("DROP TRIGGER fiscal_records_no_update")
    conn.execute("DROP TRIGGER fiscal_records_no_delete")
    yield conn, numbers
    conn.close()


def test_an_untouched_journal_verifies_by_the_service_and_the_command(
    tampered, uow_factory, tmp_path, capsys
):
    assert verify_journal(uow_factory).ok and verify_journal(uow_factory).count == 5
    code, out = verify_cli(tmp_path, capsys)
    assert code == 0 and "5 registros. OK" in out


def test_a_flipped_byte_in_an_amount_is_found(tampered, uow_factory, tmp_path, capsys):
    conn, numbers = tampered
    (amount,) = conn.execute(
        "SELECT amount_total FROM fiscal_records WHERE chain_seq = 3"
    ).fetchone()
    flipped = amount[:-1] + chr(ord(amount[-1]) ^ 1)  # one bit of the last digit
    conn.execute("UPDATE fiscal_records SET amount_total = ? WHERE chain_seq = 3", (flipped,))
    result = verify_journal(uow_factory)
    assert not result.ok
    assert result.problem == f"record 3 ({numbers[2]}): fingerprint does not match"
    code, out = verify_cli(tmp_path, capsys)
    assert code == 1 and "ROTO" in out
    assert f"Primer registro roto: record 3 ({numbers[2]})" in out


def test_a_record_edited_into_something_that_is_no_record_is_found(
    tampered, uow_factory, tmp_path, capsys
):
    conn, _numbers = tampered
    conn.execute("UPDATE fiscal_records SET amount_total = '12.1X' WHERE chain_seq = 3")
    problem = verify_journal(uow_factory).problem
    assert problem is not None and problem.startswith(
        "record 3: its stored fields are not valid (amount_total:"
    )
    code, out = verify_cli(tmp_path, capsys)
    assert code == 1 and "Primer registro roto: record 3: its stored fields" in out


def test_a_deleted_record_is_found(tampered, uow_factory, tmp_path, capsys):
    conn, _numbers = tampered
    conn.execute("DELETE FROM fiscal_records WHERE chain_seq = 2")
    result = verify_journal(uow_factory)
    assert result.problem == "record 2 is missing (found 3 in its place)"
    code, out = verify_cli(tmp_path, capsys)
    assert code == 1 and "record 2 is missing" in out


def test_a_deleted_last_record_renumbered_away_is_found_by_its_successors_link(
    tampered, uow_factory
):
    """A forger who deletes record 4 and renumbers 5 as 4 breaks record 4's link."""
    conn, numbers = tampered
    conn.execute("DELETE FROM fiscal_records WHERE chain_seq = 4")
    conn.execute("UPDATE fiscal_records SET chain_seq = 4 WHERE chain_seq = 5")
    assert verify_journal(uow_factory).problem == (
        f"record 4 ({numbers[4]}): not linked to record 3"
    )


def test_two_records_swapped_are_found(tampered, uow_factory, tmp_path, capsys):
    conn, numbers = tampered
    conn.execute("UPDATE fiscal_records SET chain_seq = -1 WHERE chain_seq = 2")
    conn.execute("UPDATE fiscal_records SET chain_seq = 2 WHERE chain_seq = 3")
    conn.execute("UPDATE fiscal_records SET chain_seq = 3 WHERE chain_seq = -1")
    result = verify_journal(uow_factory)
    assert result.problem == f"record 2 ({numbers[2]}): not linked to record 1"
    code, out = verify_cli(tmp_path, capsys)
    assert code == 1 and f"record 2 ({numbers[2]})" in out


def test_the_command_says_so_when_there_is_no_register_database(tmp_path, capsys):
    code = main(["journal", "verify", "--data-dir", str(tmp_path / "nowhere")])
    assert code == 2 and "no hay base de datos" in capsys.readouterr().err


# --- thousands of records --------------------------------------------------------------------


def test_a_journal_of_thousands_of_records_verifies_and_a_late_break_is_named(tmp_path, capsys):
    """Sales through the service, then the same ``append_record`` many times per transaction
    (the fast path: a sale through the service takes ~20 ms)."""
    db_path = tmp_path / DATABASE_NAME
    engine = make_register_db(db_path)
    try:
        factory = SqlUnitOfWorkFactory(engine)
        clock = FixedClock()
        checkout = CheckoutService(factory, clock, IDENTITY, cashier="Ana")
        for _ in range(100):
            checkout.scan(BREAD)
            checkout.add_cash(checkout.view().payment.due)
            checkout.complete_sale()
            clock.advance(seconds=7)
        total = 100
        for batch in range(10):
            with factory() as uow:
                for i in range(490):
                    returned = i % 7 == 0
                    append_record(
                        uow,
                        IDENTITY,
                        invoice_type="R5" if returned else "F2",
                        series_number=f"T01-C01-{'D' if returned else ''}2026-{total + 1:06d}",
                        tax_cents=-21 if returned else 21 * (i % 13 + 1),
                        total_cents=-121 if returned else 121 * (i % 13 + 1),
                        source_kind="return" if returned else "sale",
                        source_id=f"s-{batch}-{i}",
                        at=clock.now(),
                    )
                    total += 1
                    clock.advance(seconds=7)
                uow.commit()
        assert total == 5000
        result = verify_journal(factory)
        assert result.ok and result.count == total
        assert rows(engine, "SELECT min(chain_seq), max(chain_seq) FROM fiscal_records") == [
            (1, total)
        ]
        last = journal(factory)[-1]
        assert last.generated_at == (clock.now() - timedelta(seconds=7)).isoformat()
        code, out = verify_cli(tmp_path, capsys)
        assert code == 0 and f"{total} registros. OK" in out
        conn = raw(db_path)
        try:
            conn.execute("DROP TRIGGER fiscal_records_no_update")
            conn.execute("UPDATE fiscal_records SET tax_total = '0.00' WHERE chain_seq = 4321")
        finally:
            conn.close()
        code, out = verify_cli(tmp_path, capsys)
        assert code == 1 and "record 4321 " in out
    finally:
        engine.dispose()
