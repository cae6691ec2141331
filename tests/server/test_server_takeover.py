"""A broken register replaced (issue 9): a takeover code hands the register's code, series and
fiscal chain to a new machine and revokes the old one; a database of a newer backend is
refused untouched."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from sync.protocol import EnrollResponse, ErrorBody, PushResponse
from sync.server.cli import main
from sync.server.core.security import hash_enrollment_code
from sync.server.database import Database
from sync.server.errors import CommandError, SchemaOutOfDate
from sync.server.services.journal import read_journal, verify_journal
from sync.server.services.registers import create_enrollment_code
from sync.server.tables import devices, enrollment_codes, fiscal_chains, fiscal_records

FISCAL = "fiscal.recorded"


def _replace_code(backend, register: str, store: str = "T01") -> str:
    with backend.database.writing() as conn:
        return create_enrollment_code(
            conn, store, valid_for=timedelta(hours=1), replace_register=register
        )


def _push(backend, token: str, events: list[dict]) -> list[tuple[str, str | None]]:
    response = backend.client(token).post("/v1/sync/push", json={"events": events})
    assert response.status_code == 200, response.text
    return [(r.status.value, r.code) for r in PushResponse.model_validate(response.json()).results]


@pytest.fixture
def shop(backend, tmp_path):
    backend.store("T01")
    backend.catalog(tmp_path)
    return backend


def test_a_replacement_takes_over_the_register_its_series_and_its_journal(
    shop, make_sale, make_event, make_journal
):
    old = shop.enroll("T01", "Caja 1")
    other = shop.enroll("T01", "Caja 2")  # C02: untouched by the takeover
    journal = make_journal(old)
    events = []
    for number in (1, 2, 3):
        events.append(make_sale(old, [("P0001", "1", 349)], number=number))
        events.append(journal.ticket())
    events.append(journal.close("till-1"))
    typed = [
        make_event(seq, payload, "sale.completed" if "receipt_number" in payload else FISCAL)
        for seq, payload in enumerate(events, start=1)
    ]
    assert all(status == "applied" for status, _ in _push(shop, old.token, typed))

    code = _replace_code(shop, "c01")  # as typed by IT
    answer = shop.client().post("/v1/enroll", json={"code": code, "register_name": "Caja 1 nueva"})
    assert answer.status_code == 201, answer.text
    enrolled = EnrollResponse.model_validate(answer.json())
    assert enrolled.register_code == "C01" and enrolled.device_id != old.device_id
    continuation = enrolled.continuation
    assert continuation is not None
    assert continuation.replaced_device_id == old.device_id
    assert [(s.series, s.last_number) for s in continuation.series] == [("T01-C01-2026", 3)]
    assert continuation.chain.chain_seq == 4  # three tickets and a Z close
    assert continuation.chain.journal_hash == journal.journal_previous
    assert continuation.chain.fingerprint == journal.fingerprint_previous  # the last ticket's

    # The old machine is refused like any revoked register; C02 goes on.
    refused = shop.client(old.token).get("/v1/sync/pull", params={"since": "0"})
    assert refused.status_code == 401
    assert ErrorBody.model_validate(refused.json()).code == "revoked"
    assert shop.client(other.token).get("/v1/sync/pull", params={"since": "0"}).status_code == 200
    assert shop.scalar(select(devices.c.revoked_at).where(devices.c.id == old.device_id))
    chain = shop.scalar(
        select(fiscal_chains.c.last_chain_seq).where(
            fiscal_chains.c.device_id == enrolled.device_id
        )
    )
    assert chain == 4

    # The new machine's push sequence starts at 1; its records chain onto the old machine's.
    new = shop.register_from(answer.json(), "T01")
    journal.register = new
    following = [make_sale(new, [("P0001", "1", 349)], number=4), journal.ticket()]
    assert _push(
        shop, new.token, [make_event(1, following[0]), make_event(2, following[1], FISCAL)]
    ) == [("applied", None), ("applied", None)]
    assert shop.count(fiscal_records, fiscal_records.c.conflict.is_not(None)) == 0
    with shop.database.reading() as conn:
        entries = read_journal(conn, "T01", "C01")
    assert [e.record.chain_seq for e in entries] == [1, 2, 3, 4, 5]
    assert verify_journal(entries) is None


def test_a_register_that_never_sold_is_taken_over_from_the_start(shop):
    old = shop.enroll("T01")
    answer = shop.client().post(
        "/v1/enroll", json={"code": _replace_code(shop, "C01"), "register_name": "Caja"}
    )
    assert answer.status_code == 201, answer.text
    continuation = EnrollResponse.model_validate(answer.json()).continuation
    assert continuation is not None and continuation.replaced_device_id == old.device_id
    assert continuation.series == [] and continuation.chain.chain_seq == 0
    assert continuation.chain.journal_hash == "" and continuation.chain.fingerprint == ""


def test_an_ordinary_enrolment_answers_without_a_continuation(shop):
    answer = shop.client().post("/v1/enroll", json={"code": shop.code(), "register_name": "Caja"})
    assert answer.status_code == 201
    assert "continuation" not in answer.json()  # older registers forbid unknown fields


def test_a_register_is_taken_over_once_per_code_and_never_by_two_machines(shop):
    old = shop.enroll("T01")
    first, second = _replace_code(shop, "C01"), _replace_code(shop, "C01")
    taken = shop.client().post("/v1/enroll", json={"code": first, "register_name": "Nueva"})
    assert taken.status_code == 201
    again = shop.client().post("/v1/enroll", json={"code": second, "register_name": "Otra"})
    assert again.status_code == 409
    body = ErrorBody.model_validate(again.json())
    assert body.code == "register_taken_over"
    assert "already taken over" in body.message
    # Nothing changed: the second code is unused, one machine holds C01.
    unused = select(enrollment_codes.c.used_at).where(
        enrollment_codes.c.code_hash == hash_enrollment_code(second)
    )
    assert shop.scalar(unused) is None
    holders = shop.count(devices, devices.c.register_code == "C01", devices.c.revoked_at.is_(None))
    assert holders == 1
    assert shop.count(devices, devices.c.id == old.device_id, devices.c.revoked_at.is_(None)) == 0
    # A code made now replaces the machine that holds the register now.
    third = shop.client().post(
        "/v1/enroll", json={"code": _replace_code(shop, "C01"), "register_name": "Tercera"}
    )
    assert third.status_code == 201
    continuation = EnrollResponse.model_validate(third.json()).continuation
    assert continuation is not None
    assert continuation.replaced_device_id == taken.json()["device_id"]


def test_a_replace_code_needs_a_register_in_use(shop):
    registered = shop.enroll("T01")
    with pytest.raises(CommandError, match="no register C09 in use"):
        _replace_code(shop, "C09")
    with shop.database.writing() as conn:
        conn.execute(
            update(devices)
            .where(devices.c.id == registered.device_id)
            .values(revoked_at=devices.c.enrolled_at)
        )
    with pytest.raises(CommandError, match="no register C01 in use"):
        _replace_code(shop, "C01")


def test_the_cli_prints_a_replace_code_that_enrols_the_replacement(
    database, database_url, capsys, backend
):
    backend.store("T01")
    old = backend.enroll("T01")
    code = main(
        [
            "enrollment-code",
            "--store",
            "T01",
            "--replace-register",
            "C01",
            "--database",
            database_url,
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "replaces register C01 of store T01" in err
    answer = backend.client().post(
        "/v1/enroll", json={"code": out.strip(), "register_name": "Caja nueva"}
    )
    assert answer.status_code == 201
    assert answer.json()["continuation"]["replaced_device_id"] == old.device_id

    assert (
        main(
            [
                "enrollment-code",
                "--store",
                "T01",
                "--replace-register",
                "C07",
                "--database",
                database_url,
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("mostrador-server: error: ") and "no register C07 in use" in err


# --- a database of a newer backend ----------------------------------------------------------


def test_a_database_of_a_newer_backend_is_refused_and_left_untouched(database_url, capsys):
    database = Database(database_url)
    try:
        database.migrate()
        with database.writing() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    finally:
        database.dispose()
    sqlite_file = (
        Path(database_url.removeprefix("sqlite:///")) if database_url.startswith("sqlite") else None
    )
    before = (sqlite_file.read_bytes(), sqlite_file.stat().st_mtime_ns) if sqlite_file else None

    database = Database(database_url)
    try:
        for attempt in (database.migrate, database.check_schema):
            with pytest.raises(SchemaOutOfDate) as refused:
                attempt()
            message = str(refused.value)
            assert "made by a newer version of Mostrador (schema revision 0042)" in message
            assert "install that version or a later one" in message
            assert "versión más nueva de Mostrador (revisión 0042)" in message
        with database.reading() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0042"
    finally:
        database.dispose()
    assert main(["registers", "--database", database_url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mostrador-server: error: this database was made by a newer version")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    if sqlite_file is not None:
        assert (sqlite_file.read_bytes(), sqlite_file.stat().st_mtime_ns) == before


def test_the_served_backend_refuses_a_newer_database_at_start(tmp_path):
    import subprocess

    from support import free_port

    url = f"sqlite:///{tmp_path / 'backend.sqlite3'}"
    database = Database(url)
    try:
        database.migrate()
        with database.writing() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    finally:
        database.dispose()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from sync.server.cli import main; sys.exit(main())",
            "serve",
            "--port",
            str(free_port()),
            "--database",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "newer version of Mostrador (schema revision 0042)" in result.stderr
