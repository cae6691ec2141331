"""No secret in any log line: tokens, enrolment codes and PINs never reach the logs."""

from __future__ import annotations

import io
import logging
import sys

from sync.server.cli import main


def test_tokens_codes_and_pins_never_appear_in_logs(
    backend, database_url, tmp_path, make_sale, make_event, caplog, capsys, monkeypatch
):
    caplog.set_level(logging.DEBUG)  # everything, from every logger (server thread included)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # SQL, with parameters
    db_args = ["--database", database_url]
    assert main(
        ["create-store", "--code", "T01", "--name", "Tienda", "--tax-id", "B1",
         "--address", "Calle 1", *db_args]
    ) == 0  # fmt: skip
    pin = "739154"
    monkeypatch.setattr(sys, "stdin", io.StringIO(pin + "\n"))
    assert main(
        ["create-staff", "--store", "T01", "--name", "Ana", "--role", "manager", "--pin", *db_args]
    ) == 0  # fmt: skip
    assert main(["enrollment-code", "--store", "T01", *db_args]) == 0
    code = capsys.readouterr().out.strip().splitlines()[-1]
    backend.catalog(tmp_path)

    client = backend.client()
    enrolled = client.post("/v1/enroll", json={"code": code, "register_name": "Caja 1"}).json()
    token = enrolled["token"]
    refused = client.post("/v1/enroll", json={"code": code, "register_name": "Caja 2"})
    assert refused.status_code == 410
    register_client = backend.client(token)
    register = backend.register_from(enrolled, "T01")
    pushed = register_client.post(
        "/v1/sync/push",
        json={"events": [make_event(1, make_sale(register, [("P0001", "1", 349)]))]},
    )
    assert pushed.status_code == 200
    assert register_client.get("/v1/sync/pull").status_code == 200
    assert register_client.get("/v1/stock/P0001").status_code == 200
    assert main(["revoke-register", enrolled["device_id"], *db_args]) == 0
    assert register_client.get("/v1/sync/pull").status_code == 401
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

    text = "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    assert len(caplog.records) > 20, "the logs were not captured"
    assert "enrolled" in text and "revoked" in text  # the events themselves are logged
    normalized_code = code.replace("-", "")
    for secret in (token, code, normalized_code, pin):
        assert secret not in text
