"""No token, enrolment code or PIN in any log line, on either side.

The whole life of a register, with every logger at DEBUG: IT creates a manager with a PIN and
prints enrolment codes; the register enrols with ``mostrador enroll -v``, enrols again (a new
token), sells, syncs in the background, is revoked and is refused. Then the logs are scanned:
the served backend's (a ``mostrador-server serve`` process, its log a file), the server
commands' standard error, and the register's (every record, from every thread, and what its
command printed). Only ``enrollment-code``'s standard output may show a code: that is its job.
Every other output of the server commands is scanned too.
"""

from __future__ import annotations

import logging
import subprocess
import threading

from support import SERVER_CMD, backend_process

from pos_app.cli import main as register_cli
from pos_app.demo.store import database_path
from pos_app.services.ports import SystemClock
from pos_app.services.sync import SyncService, SyncStatus
from pos_app.services.sync_worker import SyncWorker
from pos_app.storage.db import open_database
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory
from sync.client import SyncClient

PIN = "739154"


def test_no_token_code_or_pin_reaches_any_log(tmp_path, fake_keyring, caplog, capsys, monkeypatch):
    caplog.set_level(logging.DEBUG)  # every logger, every thread of this process
    monkeypatch.setenv("MOSTRADOR_LOG_DIR", str(tmp_path / "register-logs"))  # its log file
    for name in ("httpx", "httpcore", "sqlalchemy.engine"):
        logging.getLogger(name).setLevel(logging.DEBUG)  # requests, and SQL with parameters
    database = f"sqlite:///{tmp_path / 'backend.sqlite3'}"
    server_output: list[str] = []

    def server(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [*SERVER_CMD, *args, "--database", database],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        server_output.append(done.stderr)
        if args[0] != "enrollment-code":  # the one output meant to show a secret
            server_output.append(done.stdout)
        return done.stdout

    try:
        with backend_process(tmp_path, database, products=20) as backend:
            server("create-staff", "--store", "T01", "--name", "Ana", "--role", "manager",
                   "--pin", stdin=PIN + "\n")  # fmt: skip
            codes = [server("enrollment-code", "--store", "T01").strip().split()[-1]
                     for _ in range(3)]  # fmt: skip
            data_dir = tmp_path / "register"
            enroll = ["enroll", "--backend", backend.url, "--name", "Caja 1"]
            enroll += ["--data-dir", str(data_dir), "-v"]
            assert register_cli([*enroll, "--code", codes[0]]) == 0
            first_token = next(iter(fake_keyring.secrets.values()))
            assert register_cli([*enroll, "--code", codes[0]]) == 2  # used up: refused
            assert register_cli([*enroll, "--code", codes[1]]) == 0  # a new token
            second_token = next(iter(fake_keyring.secrets.values()))
            provision = ["provision", "--backend", backend.url, "--store", "T01", "--register",
                         "Caja 1", "--data-dir", str(data_dir), "--config",
                         str(tmp_path / "mostrador.toml"), "-v", "--force"]  # fmt: skip
            assert register_cli([*provision, "--enrollment-code", codes[2]]) == 0
            (token,) = fake_keyring.secrets.values()
            assert len({first_token, second_token, token}) == 3

            engine = open_database(database_path(data_dir))
            sync = SyncService(SqlUnitOfWorkFactory(engine), SystemClock())
            device = sync.device_id()
            assert device is not None
            _sell_one(engine)
            statuses: list[SyncStatus] = []
            seen = threading.Condition()

            def on_status(status: SyncStatus) -> None:
                with seen:
                    statuses.append(status)
                    seen.notify_all()

            def wait_for(check, what: str) -> None:
                with seen:
                    assert seen.wait_for(lambda: any(check(s) for s in statuses), 30), what

            client = SyncClient(backend.url, token)
            worker = SyncWorker(sync, client, lambda fn: fn(), on_status=on_status,
                                pull_interval=0.2, max_backoff=0.5)  # fmt: skip
            worker.start()
            try:
                wait_for(lambda s: s.pending == 0 and s.last_success_at, "the sale was pushed")
                server("revoke-register", device)
                worker.request_push()
                wait_for(lambda s: "revoked" in (s.last_error or ""), "the refusal was seen")
            finally:
                worker.stop()
                client.close()
                engine.dispose()
        served_log = (tmp_path / "server.log").read_text()
    finally:
        for name in ("httpx", "httpcore", "sqlalchemy.engine"):
            logging.getLogger(name).setLevel(logging.NOTSET)

    printed = capsys.readouterr()
    register_log = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    )
    logs = {
        "the served backend's log": served_log,
        "the server commands' output": "\n".join(server_output),
        "the register's log records": register_log,
        "the register command's output": printed.out + printed.err,
        "the register's log file": (tmp_path / "register-logs" / "mostrador.log").read_text(),
        "the register's settings": (tmp_path / "mostrador.toml").read_text(),
    }
    # The logs are there, and say what happened (without the secrets).
    assert "enrolled" in served_log and "re-enrolled" in served_log
    assert "enrolment refused" in served_log
    assert "revoked" in "\n".join(server_output)
    assert "/v1/sync/push" in register_log and "revoked" in register_log
    assert "dada de alta" in printed.out
    secrets = {"first token": first_token, "second token": second_token, "token": token}
    secrets["PIN"] = PIN
    for i, code in enumerate(codes):
        secrets[f"code {i}"] = code
        secrets[f"code {i} as typed"] = code.replace("-", "").lower()
        secrets[f"code {i} normalized"] = code.replace("-", "").upper()
    for where, text in logs.items():
        assert text.strip(), f"{where} is empty"
        folded = text.lower()
        for name, secret in secrets.items():
            assert secret.lower() not in folded, f"the {name} appears in {where}"


def _sell_one(engine) -> None:
    from sqlalchemy import text

    from pos_app.services.checkout import CheckoutService

    factory = SqlUnitOfWorkFactory(engine)
    with factory.reader() as uow:
        identity = uow.catalog.identity()
    assert identity is not None
    with engine.connect() as conn:
        code = conn.execute(text("SELECT code FROM barcodes LIMIT 1")).scalar_one()
    checkout = CheckoutService(factory, SystemClock(), identity, cashier="Ana")
    checkout.scan(code)
    checkout.add_cash(checkout.view().payment.due)
    checkout.complete_sale()  # the worker pushes it
