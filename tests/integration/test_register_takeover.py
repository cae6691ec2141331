"""A register taken over from a broken machine, at the register (real SQLite): the backend's
continuation sets the series and anchors the journal, so the first ticket is the old
machine's last + 1, its record chains onto the backend's last one and ``journal verify``
passes; a database whose journal would fork is refused without a change."""

from __future__ import annotations

import sqlite3

import pytest
from support import BREAD, IDENTITY, SOAP, FixedClock

from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import TakeoverRefused
from pos_app.services.journal import verify_journal
from pos_app.services.sync import SyncService
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
from sync.protocol import (
    ChainPosition,
    EnrollResponse,
    RegisterContinuation,
    SeriesPosition,
    StoreInfo,
)

OLD_HASH = "A" * 64
OLD_HUELLA = "B" * 64


def _takeover(device_id: str = "dev-new", chain_seq: int = 41) -> EnrollResponse:
    store = StoreInfo(
        code="T01",
        name=IDENTITY.store_name,
        tax_id=IDENTITY.tax_id,
        address=list(IDENTITY.address),
    )
    return EnrollResponse(
        device_id=device_id,
        register_code="C01",
        token="secret",
        store=store,
        continuation=RegisterContinuation(
            replaced_device_id="dev-old",
            series=[
                SeriesPosition(series="T01-C01-2026", last_number=40),
                SeriesPosition(series="T01-C01-D2026", last_number=3),
                SeriesPosition(series="T01-C01-Z2026", last_number=12),
            ],
            chain=ChainPosition(chain_seq=chain_seq, journal_hash=OLD_HASH, fingerprint=OLD_HUELLA),
        ),
    )


def _sell(factory, clock, code=SOAP):  # type: ignore[no-untyped-def]
    checkout = CheckoutService(factory, clock, IDENTITY, cashier="Ana")
    checkout.scan(code)
    checkout.add_cash(checkout.view().payment.due)
    return checkout.complete_sale()


def test_the_replacement_continues_the_series_and_chains_onto_the_backends_journal(
    engine, clock: FixedClock
):
    factory = SqlUnitOfWorkFactory(engine)
    sync = SyncService(factory, clock)
    sync.save_enrollment(_takeover(), backend_url="http://central", register_name="Caja 1")

    first = _sell(factory, clock)
    assert first.sale.receipt_number == "T01-C01-2026-000041"
    clock.advance(minutes=1)
    assert _sell(factory, clock, BREAD).sale.receipt_number == "T01-C01-2026-000042"
    with factory.reader() as uow:
        records = list(uow.fiscal.records())
    assert [r.chain_seq for r in records] == [42, 43]
    assert records[0].journal_previous == OLD_HASH
    assert records[0].previous_fingerprint == OLD_HUELLA
    verified = verify_journal(factory)
    assert verified.ok, verified.problem
    assert (verified.count, verified.starts_after) == (2, 41)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT series, last_number FROM receipt_series").all()
    numbers = dict(rows)
    assert numbers["T01-C01-D2026"] == 3 and numbers["T01-C01-Z2026"] == 12


def test_the_anchor_is_written_once_and_never_edited(engine, db_path, clock):
    SyncService(SqlUnitOfWorkFactory(engine), clock).save_enrollment(
        _takeover(), backend_url="http://central", register_name="Caja 1"
    )
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="never edited"):
            conn.execute("UPDATE journal_anchor SET chain_seq = 1")
        with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
            conn.execute("DELETE FROM journal_anchor")
    finally:
        conn.close()


def test_a_series_never_goes_backwards(engine, clock):
    factory = SqlUnitOfWorkFactory(engine)
    for _ in range(3):
        _sell(factory, clock)
        clock.advance(minutes=1)
    with factory() as uow:
        uow.series.continue_after("T01-C01-2026", 2)  # behind what this register has issued
        uow.commit()
    assert _sell(factory, clock).sale.receipt_number == "T01-C01-2026-000004"


def test_a_database_with_a_journal_of_its_own_is_refused_and_left_as_it_was(engine, clock):
    factory = SqlUnitOfWorkFactory(engine)
    _sell(factory, clock)
    sync = SyncService(factory, clock)
    with pytest.raises(TakeoverRefused) as refused:
        sync.save_enrollment(_takeover(), backend_url="http://central", register_name="Caja 1")
    assert refused.value.local == 1 and refused.value.backend == 41
    assert "necesita una base de datos nueva" in str(refused.value)
    assert sync.device_id() is None  # the enrolment was not saved either
    with factory.reader() as uow:
        assert uow.fiscal.anchor() is None
    clock.advance(minutes=1)
    assert _sell(factory, clock).sale.receipt_number == "T01-C01-2026-000002"


def test_the_old_machines_database_restored_and_synced_continues_as_it_is(engine, clock):
    """IT restores the old machine's last backup on the new one, everything in it synced: its
    journal ends where the backend's does, so it goes on with no anchor."""
    factory = SqlUnitOfWorkFactory(engine)
    last = _sell(factory, clock)
    with factory.reader() as uow:
        record = uow.fiscal.last()
    assert record is not None
    response = _takeover(chain_seq=record.chain_seq)
    assert response.continuation is not None
    continuation = response.continuation.model_copy(
        update={
            "chain": ChainPosition(
                chain_seq=record.chain_seq,
                journal_hash=record.journal_hash,
                fingerprint=record.fingerprint,
            ),
            "series": [SeriesPosition(series="T01-C01-2026", last_number=1)],
        }
    )
    sync = SyncService(factory, clock)
    sync.save_enrollment(
        response.model_copy(update={"continuation": continuation}),
        backend_url="http://central",
        register_name="Caja 1",
    )
    clock.advance(minutes=1)
    following = _sell(factory, clock)
    assert last.sale.receipt_number == "T01-C01-2026-000001"
    assert following.sale.receipt_number == "T01-C01-2026-000002"
    verified = verify_journal(factory)
    assert verified.ok and verified.count == 2 and verified.starts_after == 0
