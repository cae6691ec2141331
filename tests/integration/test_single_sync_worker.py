"""Only one sync worker per register database: a second copy of the app on the same database
must not push the same queue (the field's most common cause of duplicated sales)."""

from __future__ import annotations

from support import FixedClock, make_register_db

from pos_app.bootstrap import build_register, start_sync_for
from pos_app.config import Settings
from pos_app.storage.credentials import MemoryTokenStore
from sync.protocol import EnrollResponse, StoreInfo


def enrolled_register(path, tokens):
    engine = make_register_db(path) if not path.exists() else None
    if engine is None:
        from pos_app.storage.db import open_database

        engine = open_database(path)
    reg = build_register(engine, Settings(), clock=FixedClock())  # type: ignore[arg-type]
    store = StoreInfo(code="T01", name="Tienda", tax_id="B1", address=["Calle 1"])
    reg.sync.save_enrollment(
        EnrollResponse(device_id="dev-1", register_code="C01", token="t", store=store),
        backend_url="http://127.0.0.1:9",
        register_name="Caja",  # nothing listens there
    )
    tokens.set("dev-1", "t")
    return reg


def test_a_second_copy_on_the_same_database_does_not_sync(tmp_path):
    path = tmp_path / "register.sqlite3"
    tokens = MemoryTokenStore()
    first = enrolled_register(path, tokens)
    second = enrolled_register(path, tokens)
    seen = []
    try:
        assert start_sync_for(first, tokens, lambda s: None, pull_interval=60) is None
        assert first.worker is not None and first.worker.running
        problem = start_sync_for(second, tokens, seen.append, pull_interval=60)
        assert problem is not None and "another copy" in problem
        assert second.worker is None
        assert seen and seen[-1].busy_elsewhere
    finally:
        first.close()
        second.close()
    # once the first copy has closed, the next start may sync
    third = enrolled_register(path, tokens)
    try:
        assert start_sync_for(third, tokens, lambda s: None, pull_interval=60) is None
    finally:
        third.close()


def test_a_register_without_its_token_does_not_sync_and_says_why(tmp_path):
    tokens = MemoryTokenStore()
    reg = enrolled_register(tmp_path / "register.sqlite3", tokens)
    try:
        problem = start_sync_for(reg, MemoryTokenStore(), lambda s: None)
        assert problem is not None and "enrol" in problem
    finally:
        reg.close()
