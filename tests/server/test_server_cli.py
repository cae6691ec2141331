"""``mostrador-server`` for IT: stores, staff, codes, registers, stock, and the demo."""

from __future__ import annotations

import io
import json
import os
import select as select_module
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from sync.protocol import PROTOCOL_HEADER, EnrollRequest
from sync.server.cli import main
from sync.server.core.config import ENV_DATABASE
from sync.server.core.security import hash_enrollment_code, verify_pin
from sync.server.services.catalog import product_id_for_sku
from sync.server.services.registers import enroll
from sync.server.tables import change_log, enrollment_codes, staff, stock_levels, stores

CLI = str(Path(sys.executable).with_name("mostrador-server"))


def run(capsys, *args, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str, fragment: str) -> None:
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("mostrador-server: error: "), err
    assert fragment in err, err
    assert "Traceback" not in err


@pytest.fixture
def db_args(database, database_url):
    return ["--database", database_url]


def store(capsys, db_args, code="T01", name="Ultramarinos La Plaza"):
    return run(
        capsys,
        "create-store",
        "--code",
        code,
        "--name",
        name,
        "--tax-id",
        "B12345678",
        "--address",
        "Calle Mayor 1",
        "--address",
        "28013 Madrid",
        *db_args,
    )


def test_create_store_creates_then_updates_and_logs_the_identity(database, db_args, capsys):
    assert store(capsys, db_args)[:2] == (0, "store T01 created\n")
    assert store(capsys, db_args, name="La Plaza Nueva")[:2] == (0, "store T01 updated\n")
    with database.reading() as conn:
        row = conn.execute(select(stores)).one()
        logged = conn.execute(select(change_log.c.data).where(change_log.c.entity == "store"))
        identities = [json.loads(d)["name"] for d in logged.scalars()]
    assert (row.name, json.loads(row.address)) == (
        "La Plaza Nueva",
        ["Calle Mayor 1", "28013 Madrid"],
    )
    assert identities == ["Ultramarinos La Plaza", "La Plaza Nueva"]

    code, _, err = run(
        capsys, "create-store", "--code", "t 1!", "--name", "x", "--tax-id", "B1",
        "--address", "x", *db_args,
    )  # fmt: skip
    assert code == 2
    one_line_error(err, "a store code is 1-10 letters or digits")
    code, _, err = run(
        capsys, "create-store", "--code", "T9", "--name", "x", "--tax-id", "B1",
        "--address", "x", "--timezone", "Mars/Olympus", *db_args,
    )  # fmt: skip
    assert code == 2
    one_line_error(err, "unknown time zone")
    with pytest.raises(SystemExit) as exited:
        main(["create-store", "--code", "T9", "--name", "x", "--tax-id", "B1", *db_args])
    assert exited.value.code == 2  # argparse: --address is required
    capsys.readouterr()


def test_create_staff_reads_the_pin_from_stdin_and_keeps_only_a_scrypt_hash(
    database, db_args, capsys, monkeypatch
):
    store(capsys, db_args)
    code, out, err = run(
        capsys, "create-staff", "--store", "T01", "--name", "Ana  López", "--role", "manager",
        "--pin", *db_args, stdin="739154\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0, err
    assert out == "Ana López added to store T01 as manager\n"
    assert "739154" not in out + err
    with database.reading() as conn:
        pin_hash = conn.execute(select(staff.c.pin_hash)).scalar_one()
    assert pin_hash.startswith("scrypt$") and "739154" not in pin_hash
    assert verify_pin("739154", pin_hash) and not verify_pin("739155", pin_hash)

    code, _, err = run(
        capsys, "create-staff", "--store", "T01", "--name", "Luis", "--role", "manager", *db_args
    )
    assert code == 2
    one_line_error(err, "a manager needs a PIN")
    code, _, err = run(
        capsys, "create-staff", "--store", "T01", "--name", "Luis", "--role", "cashier", "--pin",
        *db_args, stdin="12a\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 2
    one_line_error(err, "a PIN is 4 to 8 digits")
    code, _, err = run(
        capsys, "create-staff", "--store", "T77", "--name", "Luis", "--role", "cashier", *db_args
    )
    assert code == 2
    one_line_error(err, "no store 'T77'")
    assert (
        run(
            capsys,
            "create-staff",
            "--store",
            "T01",
            "--name",
            "Luis",
            "--role",
            "cashier",
            *db_args,
        )[0]
        == 0
    )


def test_enrollment_code_prints_a_one_time_code_and_stores_only_its_hash(database, db_args, capsys):
    store(capsys, db_args)
    code, out, err = run(
        capsys, "enrollment-code", "--store", "t01", "--valid-hours", "2", *db_args
    )
    assert code == 0, err
    enrolment = out.strip()
    assert len(enrolment) == 14 and enrolment.count("-") == 2
    with database.reading() as conn:
        row = conn.execute(select(enrollment_codes)).one()
    assert row.code_hash == hash_enrollment_code(enrolment)
    assert enrolment not in row.code_hash
    assert 7190 <= (row.expires_at - row.created_at).total_seconds() <= 7210
    with database.writing() as conn:
        enrolled = enroll(conn, EnrollRequest(code=enrolment, register_name="Caja 1"))
    assert enrolled.register_code == "C01"

    code, _, err = run(
        capsys, "enrollment-code", "--store", "T01", "--valid-hours", "9999", *db_args
    )
    assert code == 2
    one_line_error(err, "valid for 1 to 720 hours")


def test_registers_are_listed_and_revoked(database, db_args, capsys):
    store(capsys, db_args)
    store(capsys, db_args, code="T02")
    ids = []
    codes = []
    for shop in ("T01", "T01", "T02"):
        code, out, _ = run(capsys, "enrollment-code", "--store", shop, *db_args)
        codes.append(out.strip())
    for enrolment in codes:
        with database.writing() as conn:
            ids.append(enroll(conn, EnrollRequest(code=enrolment, register_name="Caja")).device_id)

    code, out, _ = run(capsys, "registers", *db_args)
    lines = out.strip().splitlines()
    assert lines[0].split()[:3] == ["STORE", "REGISTER", "DEVICE"]
    assert [line.split()[:2] for line in lines[1:]] == [
        ["T01", "C01"],
        ["T01", "C02"],
        ["T02", "C01"],
    ]
    assert all(line.rstrip().endswith("active") for line in lines[1:])

    code, out, _ = run(capsys, "revoke-register", ids[1], *db_args)
    assert code == 0
    assert out.startswith(f"register T01/C02 ({ids[1]}) revoked on ")
    code, out, _ = run(capsys, "registers", "--store", "T01", *db_args)
    rows = out.strip().splitlines()[1:]
    assert len(rows) == 2 and "revoked" in rows[1] and rows[0].endswith("active")

    code, _, err = run(capsys, "revoke-register", "no-such-device", *db_args)
    assert code == 2
    one_line_error(err, "no register with device id 'no-such-device'")


def test_set_stock_moves_the_level_to_a_count(database, db_args, tmp_path, capsys):
    store(capsys, db_args)
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text(
        "\n".join(
            [
                json.dumps({"kind": "tax_rate", "tax_class": "IVA4", "rate": "4",
                            "valid_from": "1995-01-01"}),
                json.dumps({"kind": "product", "sku": "P1", "name": "Tomate", "tax_class": "IVA4",
                            "price_cents": 299, "measure": "weight"}),
            ]
        ),
        encoding="utf-8",
    )  # fmt: skip
    assert run(capsys, "import-catalog", "--file", str(catalog), *db_args)[0] == 0
    assert run(capsys, "set-stock", "--store", "T01", "--sku", "P1", "--quantity", "12", *db_args)[
        1
    ] == ("P1 at T01: 0 -> 12\n")
    code, out, _ = run(capsys, "set-stock", "--store", "T01", "--sku", "P1", "--quantity", "2,5",
                       *db_args)  # fmt: skip
    assert out == "P1 at T01: 12 -> 2.5\n"
    code, out, _ = run(capsys, "set-stock", "--store", "T01", "--sku", "P1", "--quantity", "2.5",
                       *db_args)  # fmt: skip
    assert out == "P1 at T01 is already 2.5\n"
    with database.reading() as conn:
        level = conn.execute(select(stock_levels.c.quantity_milli)).scalar_one()
        logged = conn.execute(
            select(change_log.c.key, change_log.c.data).where(change_log.c.entity == "stock")
        ).all()
    assert level == 2_500
    assert [(key, json.loads(data)) for key, data in logged] == [
        (product_id_for_sku("P1"), {"quantity": "2.5"})
    ]
    for args, fragment in (
        (["--sku", "NOPE", "--quantity", "1"], "no product with SKU 'NOPE'"),
        (["--sku", "P1", "--quantity", "mucho"], "'mucho' is not a quantity"),
        (["--sku", "P1", "--quantity", "0.0001"], "more than three decimals"),
    ):
        code, _, err = run(capsys, "set-stock", "--store", "T01", *args, *db_args)
        assert code == 2
        one_line_error(err, fragment)


def test_the_database_defaults_to_the_environment(tmp_path, capsys, monkeypatch):
    target = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv(ENV_DATABASE, str(target))
    code, out, _ = run(capsys, "migrate")
    assert (code, out) == (0, "database schema is up to date\n")
    assert target.exists()
    code, _, err = run(capsys, "registers", "--database", "mysql://nobody@nowhere/db")
    assert code == 2
    one_line_error(err, "unsupported database 'mysql'")


def test_serve_on_a_port_in_use_is_one_line(tmp_path, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        code, _, err = run(
            capsys, "serve", "--port", str(port), "--database", str(tmp_path / "x.sqlite3")
        )
    assert code == 2
    one_line_error(err, f"cannot listen on 127.0.0.1:{port}")


def _read_ready_line(process: subprocess.Popen[str], timeout: float = 30) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select_module.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            if line.startswith("mostrador-server: ready on "):
                return line.strip().rsplit(" ", 1)[-1]
        if process.poll() is not None:
            break
    raise AssertionError(f"no ready line; exit code {process.poll()}")


def test_demo_serves_a_ready_demo_store_with_its_catalog(tmp_path, capsys):
    catalog = tmp_path / "demo.json"
    catalog.write_text(
        json.dumps(
            {
                "tax_rates": [{"tax_class": "IVA4", "rate": "4", "valid_from": "1995-01-01"}],
                "products": [
                    {"sku": f"P{i}", "name": f"Producto {i}", "tax_class": "IVA4",
                     "price_cents": 100 + i}
                    for i in range(25)
                ],
            }
        ),
        encoding="utf-8",
    )  # fmt: skip
    data_dir = tmp_path / "demo"
    env = {k: v for k, v in os.environ.items() if k != ENV_DATABASE}
    process = subprocess.Popen(
        [CLI, "demo", "--data-dir", str(data_dir), "--port", "0", "--catalog", str(catalog)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        base_url = _read_ready_line(process)
        assert base_url.startswith("http://127.0.0.1:")
        code, out, _ = run(
            capsys, "enrollment-code", "--store", "T01",
            "--database", str(data_dir / "mostrador-server.sqlite3"),
        )  # fmt: skip
        with httpx.Client(base_url=base_url, headers={PROTOCOL_HEADER: "1"}) as client:
            assert client.get("/v1/health").status_code == 200
            enrolled = client.post(
                "/v1/enroll", json={"code": out.strip(), "register_name": "Demo"}
            ).json()
            assert enrolled["store"] == {
                "code": "T01",
                "name": "Ultramarinos Mostrador (DEMO)",
                "tax_id": "B00000000",
                "address": ["Calle Mayor 1", "28013 Madrid"],
                "currency": "EUR",
                "timezone": "Europe/Madrid",
            }
            pulled = client.get(
                "/v1/sync/pull", headers={"Authorization": f"Bearer {enrolled['token']}"}
            ).json()
        assert sum(c["entity"] == "product" for c in pulled["changes"]) == 25
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 130, err  # interrupted, as after Ctrl-C
    assert "Application shutdown complete" in err
    assert "Traceback" not in err
