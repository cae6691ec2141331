"""Staff, their limits and the audit log: they reach the registers of their store, and the audit
entries registers push come back once."""

from __future__ import annotations

import io
import json
import logging
import sys
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import insert, select

from pos_app.domain.ids import new_id
from sync.pins import verify_pin
from sync.protocol import PushResponse, StaffData, StaffLimits
from sync.server.cli import _seed_demo_staff, main
from sync.server.core.config import sqlite_url
from sync.server.database import MIGRATIONS_DIR, Database
from sync.server.services.policies import STAFF_LIMITS
from sync.server.tables import audit_log, change_log, policies, staff, stores

PIN = "73915482"  # 8 digits: no hash hex holds it by chance


def cli(capsys, database_url, *args, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main([*args, "--database", database_url])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str, fragment: str) -> None:
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("mostrador-server: error: "), err
    assert fragment in err, err


def add_staff(capsys, database_url, monkeypatch, name, role, pin=None, store="T01"):
    args = ["create-staff", "--store", store, "--name", name, "--role", role]
    if pin is None:
        return cli(capsys, database_url, *args)
    return cli(capsys, database_url, *args, "--pin", stdin=pin + "\n", monkeypatch=monkeypatch)


def staff_changes(changes):
    return [c for c in changes if c["entity"] == "staff"]


def policy_changes(changes):
    return [c for c in changes if c["entity"] == "policy"]


def test_staff_reach_only_their_stores_registers_with_a_pin_hash_the_register_can_verify(
    backend, database_url, capsys, monkeypatch
):
    backend.store("T01")
    backend.store("T02")
    assert add_staff(capsys, database_url, monkeypatch, "Ana", "cashier", PIN)[:2] == (
        0,
        "Ana added to store T01 as cashier\n",
    )
    assert add_staff(capsys, database_url, monkeypatch, "Luis", "clerk")[0] == 0
    assert add_staff(capsys, database_url, monkeypatch, "Marta", "manager", "9999")[0] == 0
    t01 = backend.client(backend.enroll("T01").token)
    t02 = backend.client(backend.enroll("T02").token)

    seen = {c["data"]["name"]: c for c in staff_changes(backend.pull_all(t01))}
    assert sorted(seen) == ["Ana", "Luis", "Marta"]
    ana = StaffData.model_validate(seen["Ana"]["data"])
    assert seen["Ana"]["key"] == ana.staff_id
    assert (ana.store_code, ana.role.value, ana.active) == ("T01", "cashier", True)
    assert ana.pin_hash is not None and ana.pin_hash.startswith("scrypt$")
    assert verify_pin(PIN, ana.pin_hash) and not verify_pin("73915483", ana.pin_hash)
    assert seen["Luis"]["data"]["role"] == "clerk" and seen["Luis"]["data"]["pin_hash"] is None
    assert staff_changes(backend.pull_all(t02)) == []  # another store's staff: never


def test_a_deactivated_person_is_sent_again_inactive_and_saving_them_brings_them_back(
    backend, database_url, capsys, monkeypatch
):
    backend.store("T01")
    add_staff(capsys, database_url, monkeypatch, "Ana  López", "cashier", PIN)
    client = backend.client(backend.enroll().token)
    first = client.get("/v1/sync/pull").json()

    code, out, err = cli(
        capsys, database_url, "deactivate-staff", "--store", "t01", "--name", "Ana López"
    )
    assert (code, out) == (0, "Ana López of store T01 deactivated\n"), err
    later = client.get("/v1/sync/pull", params={"since": first["cursor"]}).json()
    assert [(c["entity"], c["data"]["active"]) for c in later["changes"]] == [("staff", False)]
    assert later["changes"][0]["data"]["name"] == "Ana López"

    code, out, _ = cli(
        capsys, database_url, "deactivate-staff", "--store", "T01", "--name", "Ana López"
    )
    assert (code, out) == (0, "Ana López of store T01 was already inactive\n")
    again = client.get("/v1/sync/pull", params={"since": later["cursor"]}).json()
    assert again["changes"] == []  # nothing written the second time

    code, _, err = cli(capsys, database_url, "deactivate-staff", "--store", "T01", "--name", "Pepe")
    assert code == 2
    one_line_error(err, "store T01 has no staff member 'Pepe'")

    # Saved again (a new role, no --pin): active again, and the PIN stays.
    assert add_staff(capsys, database_url, monkeypatch, "Ana López", "manager")[0] == 0
    back = client.get("/v1/sync/pull", params={"since": again["cursor"]}).json()["changes"]
    assert [(c["data"]["active"], c["data"]["role"]) for c in back] == [(True, "manager")]
    assert verify_pin(PIN, back[0]["data"]["pin_hash"])


def test_publish_staff_sends_every_person_of_the_store_again(
    backend, database_url, capsys, monkeypatch
):
    backend.store("T01")
    backend.store("T02")
    add_staff(capsys, database_url, monkeypatch, "Ana", "cashier", PIN)
    add_staff(capsys, database_url, monkeypatch, "Luis", "clerk")
    add_staff(capsys, database_url, monkeypatch, "Eva", "cashier", store="T02")
    cli(capsys, database_url, "deactivate-staff", "--store", "T01", "--name", "Luis")
    before = backend.scalar(select(change_log.c.seq).order_by(change_log.c.seq.desc()).limit(1))

    assert cli(capsys, database_url, "publish-staff", "--store", "T01")[:2] == (
        0,
        "2 staff of store T01 sent to its registers\n",
    )
    with backend.database.reading() as conn:
        published = conn.execute(
            select(change_log.c.entity, change_log.c.scope, change_log.c.data).where(
                change_log.c.seq > before
            )
        ).all()
    assert sorted((r.entity, r.scope, json.loads(r.data)["name"]) for r in published) == [
        ("staff", "T01", "Ana"),
        ("staff", "T01", "Luis"),
    ]
    code, _, err = cli(capsys, database_url, "publish-staff", "--store", "T77")
    assert code == 2
    one_line_error(err, "no store 'T77'")


def test_no_clear_pin_in_the_change_log_the_tables_or_the_logs(
    backend, database_url, capsys, monkeypatch, caplog
):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # SQL, with parameters
    try:
        backend.store("T01")
        add_staff(capsys, database_url, monkeypatch, "Ana", "manager", PIN)
        cli(capsys, database_url, "publish-staff", "--store", "T01")
        cli(capsys, database_url, "deactivate-staff", "--store", "T01", "--name", "Ana")
        pulled = backend.pull_all(backend.client(backend.enroll().token))
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    out, err = capsys.readouterr()
    with backend.database.reading() as conn:
        logged = " ".join(conn.execute(select(change_log.c.data)).scalars())
        stored = " ".join(str(v) for row in conn.execute(select(staff)) for v in row)
    text = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert len(staff_changes(pulled)) == 3  # saved, published, deactivated
    assert "scrypt$" in logged
    for where in (logged, stored, text, json.dumps(pulled), out, err):
        assert PIN not in where


def test_a_fresh_register_pulls_the_default_limits_once(backend):
    backend.store("T01")
    backend.store("T02")  # the defaults are written with the first store only
    changes = backend.pull_all(backend.client(backend.enroll().token))
    # (the other policy, return_policy, has its own tests: test_server_return_policy.py)
    (policy,) = [c for c in policy_changes(changes) if c["key"] == STAFF_LIMITS]
    assert StaffLimits.model_validate(policy["data"]) == StaffLimits()
    assert policy["data"] == StaffLimits().model_dump(mode="json")
    assert policy_changes(backend.pull_all(backend.client(backend.enroll("T02").token)))


def test_set_limits_checks_stores_and_sends_the_limits_to_every_register(
    backend, database_url, capsys
):
    backend.store("T01")
    backend.store("T02")
    t02 = backend.client(backend.enroll("T02").token)
    code, out, err = cli(
        capsys, database_url, "set-limits", "--max-discount-percent", "12,50",
        "--max-refund-cents", "2000", "--void-needs-manager", "no", "--pin-attempts", "3",
    )  # fmt: skip
    assert code == 0, err
    assert "max-discount-percent: 12.5\n" in out and "void-needs-manager: no\n" in out
    expected = StaffLimits(
        max_discount_percent="12.5", max_refund_cents=2000, void_needs_manager=False, pin_attempts=3
    )
    (latest,) = policy_changes(backend.pull_all(t02))[-1:]
    assert StaffLimits.model_validate(latest["data"]) == expected
    assert backend.scalar(select(policies.c.data).where(policies.c.name == STAFF_LIMITS)) == (
        json.dumps(expected.model_dump(mode="json"), separators=(",", ":"), sort_keys=True)
    )

    # Only what is given changes.
    assert cli(capsys, database_url, "set-limits", "--lockout-minutes", "15")[0] == 0
    (latest,) = policy_changes(backend.pull_all(t02))[-1:]
    assert latest["data"] == expected.model_copy(update={"lockout_minutes": 15}).model_dump(
        mode="json"
    )

    policy_rows = backend.count(change_log, change_log.c.entity == "policy")
    for args, fragment in (
        (["--max-discount-percent", "150"], "a percentage from 0 to 100"),
        (["--max-discount-percent", "diez"], "a percentage from 0 to 100"),
        (["--max-discount-percent", "10.125"], "up to 2 decimals"),
        (["--max-refund-cents", "-1"], "max_refund_cents: an amount in cents, 0 or more"),
        (["--pin-attempts", "0"], "pin_attempts"),
        (["--lockout-minutes", "2000"], "lockout_minutes"),
    ):
        code, _, err = cli(capsys, database_url, "set-limits", *args)
        assert code == 2, args
        one_line_error(err, fragment)
    assert backend.count(change_log, change_log.c.entity == "policy") == policy_rows

    with pytest.raises(SystemExit) as exited:
        main(["set-limits", "--drawer-needs-manager", "maybe", "--database", database_url])
    assert exited.value.code == 2  # argparse: yes or no
    capsys.readouterr()


def test_every_staff_limit_has_its_option(capsys):
    with pytest.raises(SystemExit):
        main(["set-limits", "--help"])
    text = capsys.readouterr().out
    for name in StaffLimits.model_fields:
        assert "--" + name.replace("_", "-") in text


# --- the audit log ---------------------------------------------------------------------------


def audit_payload(register, **overrides):
    payload = {
        "audit_id": new_id(),
        "register_code": register.register_code,
        "at": datetime(2026, 11, 25, 9, 30, tzinfo=UTC).isoformat(),
        "kind": "override",
        "action": "discount",
        "staff_id": "s-ana",
        "staff_name": "Ana",
        "approver_id": "s-marta",
        "approver_name": "Marta",
        "reference": "T01-C01-2026-000007",
        "detail": "15 % on line 2",
    }
    payload.update(overrides)
    return payload


def push(backend, register, *events) -> PushResponse:
    response = backend.client(register.token).post("/v1/sync/push", json={"events": list(events)})
    assert response.status_code == 200, response.text
    return PushResponse.model_validate(response.json())


def outcomes(result: PushResponse):
    return [(r.seq, r.status.value, r.code) for r in result.results]


def test_an_audit_entry_is_stored_once_and_a_replay_is_a_duplicate(backend, make_event):
    backend.store("T01")
    register = backend.enroll()
    payload = audit_payload(register)
    event = make_event(1, payload, "audit.recorded")
    assert outcomes(push(backend, register, event)) == [(1, "applied", None)]
    assert outcomes(push(backend, register, event)) == [(1, "duplicate", None)]
    with backend.database.reading() as conn:
        rows = conn.execute(select(audit_log)).all()
    assert len(rows) == 1
    row = rows[0]
    assert (row.store_code, row.register_code, row.audit_id, row.event_id) == (
        "T01",
        register.register_code,
        payload["audit_id"],
        event["event_id"],
    )
    assert (row.kind, row.action, row.staff_name, row.approver_name, row.detail) == (
        "override",
        "discount",
        "Ana",
        "Marta",
        "15 % on line 2",
    )
    assert row.at == datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    assert json.loads(row.payload) == payload

    # The same audit id again in a new event: taken, the first entry stands.
    again = make_event(
        2, audit_payload(register, audit_id=payload["audit_id"], detail="x"), "audit.recorded"
    )
    assert outcomes(push(backend, register, again)) == [(2, "applied", None)]
    assert backend.count(audit_log) == 1


def test_audit_entries_of_another_register_or_malformed_are_rejected(backend, make_event):
    backend.store("T01")
    backend.store("T02")
    register = backend.enroll("T01")
    other = backend.enroll("T02")
    bad_at = audit_payload(register)
    bad_at["at"] = "yesterday"
    no_id = audit_payload(register)
    del no_id["audit_id"]
    result = push(
        backend,
        register,
        make_event(1, audit_payload(register, register_code="C09"), "audit.recorded"),
        make_event(2, bad_at, "audit.recorded"),
        make_event(3, no_id, "audit.recorded"),
        make_event(4, audit_payload(register, kind=""), "audit.recorded"),
        make_event(5, audit_payload(register), "audit.recorded"),
    )
    assert outcomes(result) == [
        (1, "rejected", "wrong_store"),
        (2, "rejected", "invalid_payload"),
        (3, "rejected", "invalid_payload"),
        (4, "rejected", "invalid_payload"),
        (5, "applied", None),
    ]
    assert result.last_seq == 5  # the queue went on
    assert "audit_id" in (result.results[2].message or "")
    # Another store's register with the same register code: its own entries only.
    assert other.register_code == register.register_code
    assert outcomes(
        push(backend, other, make_event(1, audit_payload(other), "audit.recorded"))
    ) == [(1, "applied", None)]
    assert backend.count(audit_log, audit_log.c.store_code == "T01") == 1
    assert backend.count(audit_log, audit_log.c.store_code == "T02") == 1


def test_audit_log_prints_a_stores_entries_in_its_time_zone(
    backend, database_url, capsys, make_event
):
    backend.store("T01")
    backend.store("T02")
    register = backend.enroll("T01")
    push(
        backend,
        register,
        make_event(1, audit_payload(register), "audit.recorded"),
        make_event(
            2,
            audit_payload(
                register,
                at="2026-11-27T23:30:00+00:00",
                kind="pin_lockout",
                action="",
                approver_id="",
                approver_name="",
                reference="",
                detail="5 wrong PINs",
            ),
            "audit.recorded",
        ),
    )
    code, out, err = cli(capsys, database_url, "audit-log", "--store", "T01")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == [
        "AT", "REGISTER", "KIND", "ACTION", "STAFF", "APPROVER", "REFERENCE", "DETAIL"
    ]  # fmt: skip
    assert lines[1].startswith("2026-11-25 10:30:00  C01 ")  # Madrid time
    assert "discount" in lines[1] and "Marta" in lines[1] and "15 % on line 2" in lines[1]
    assert lines[2].startswith("2026-11-28 00:30:00  C01 ") and "pin_lockout" in lines[2]
    assert len(lines) == 3

    code, out, _ = cli(capsys, database_url, "audit-log", "--store", "T01", "--since", "2026-11-28")
    assert code == 0 and len(out.splitlines()) == 2 and "pin_lockout" in out
    assert cli(capsys, database_url, "audit-log", "--store", "T02")[:2] == (0, "no audit entries\n")
    code, _, err = cli(capsys, database_url, "audit-log", "--store", "T77")
    assert code == 2
    one_line_error(err, "no store 'T77'")


# --- the demo and the migration ----------------------------------------------------------------


def test_the_demo_staff_are_added_once_with_their_pins(backend):
    from sync.server.cli import DEMO_STORE
    from sync.server.services.stores import save_store

    with backend.database.writing() as conn:
        save_store(conn, DEMO_STORE)
    _seed_demo_staff(backend.database)
    _seed_demo_staff(backend.database)  # a restart adds nobody
    changes = staff_changes(backend.pull_all(backend.client(backend.enroll().token)))
    people = {c["data"]["name"]: c["data"] for c in changes}
    assert len(changes) == 3
    assert {name: d["role"] for name, d in people.items()} == {
        "Ana": "cashier",
        "Luis": "clerk",
        "Marta": "manager",
    }
    for name, pin in (("Ana", "1234"), ("Luis", "2345"), ("Marta", "9999")):
        assert verify_pin(pin, people[name]["pin_hash"])


def _migration_publishes_existing_staff_and_the_default_limits(url: str) -> None:
    database = Database(url)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with database.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0002")  # a database made before staff reached registers
        now = datetime(2026, 11, 1, tzinfo=UTC)
        with database.writing() as conn:
            conn.execute(
                insert(stores).values(
                    code="T01", name="Tienda", tax_id="B1", address='["Calle 1"]',
                    currency="EUR", timezone="Europe/Madrid", created_at=now, updated_at=now,
                )
            )  # fmt: skip
            conn.execute(
                insert(staff).values(
                    id="s-ana", store_code="T01", name="Ana", role="manager",
                    pin_hash="scrypt$16384$8$1$00$00", active=True, created_at=now, updated_at=now,
                )
            )  # fmt: skip
        database.migrate()
        with database.reading() as conn:
            rows = conn.execute(select(change_log).order_by(change_log.c.seq)).all()
            stored = conn.execute(select(policies.c.data)).scalar_one()
        assert [(r.seq, r.entity, r.key, r.scope) for r in rows] == [
            (1, "policy", STAFF_LIMITS, ""),
            (2, "staff", "s-ana", "T01"),
        ]
        assert (
            json.loads(rows[0].data) == json.loads(stored) == StaffLimits().model_dump(mode="json")
        )
        assert StaffData.model_validate_json(rows[1].data) == StaffData(
            staff_id="s-ana", store_code="T01", name="Ana", role="manager",
            pin_hash="scrypt$16384$8$1$00$00", active=True,
        )  # fmt: skip
        with database.writing() as conn:  # a later store writes no second default
            from sync.server.services.stores import StoreSpec, save_store

            save_store(conn, StoreSpec("T02", "Otra", "B2", ("Calle 2",)))
        with database.reading() as conn:
            keys = list(
                conn.execute(
                    select(change_log.c.key).where(change_log.c.entity == "policy")
                ).scalars()
            )
        assert keys.count(STAFF_LIMITS) == 1
    finally:
        database.dispose()


def test_the_migration_publishes_existing_staff_and_the_default_limits_on_sqlite(tmp_path):
    _migration_publishes_existing_staff_and_the_default_limits(sqlite_url(tmp_path / "old.sqlite3"))


@pytest.mark.postgres
def test_the_migration_publishes_existing_staff_and_the_default_limits_on_postgres(pg_url):
    _migration_publishes_existing_staff_and_the_default_limits(pg_url)
