"""``mostrador diagnostics``: a zip for support, from a provisioned register, without a secret.

The register is provisioned with a real backend on loopback (its token in the in-memory
keyring); a settings file holds secret-looking keys and a log file a bearer token, as a
careless tool might leave them. The zip is opened and read member by member."""

from __future__ import annotations

import json
import logging
import zipfile

from support import backend_process, enrollment_code

from pos_app.cli import main as register_cli
from pos_app.storage.db import head_revision


def test_diagnostics_zip_has_versions_settings_database_and_logs_and_no_secret(
    tmp_path, fake_keyring, monkeypatch, capsys
):
    logs = tmp_path / "logs"
    monkeypatch.setenv("MOSTRADOR_LOG_DIR", str(logs))
    config = tmp_path / "mostrador.toml"
    data_dir = tmp_path / "data"
    common = ["--data-dir", str(data_dir), "--config", str(config)]
    with backend_process(tmp_path, f"sqlite:///{tmp_path / 'backend.sqlite3'}", products=7) as b:
        code = enrollment_code(b)
        assert register_cli(["provision", "--backend", b.url, "--store", "T01", "--register",
                             "Caja 3", "--enrollment-code", code, *common]) == 0  # fmt: skip
    (token,) = fake_keyring.secrets.values()
    with config.open("a", encoding="utf-8") as f:
        f.write('\n[support]\nadmin_password = "hunter2-secret"\n')
        f.write('proxy = { api_key = "k", pin = 4321 }\n')
    with (logs / "mostrador.log").open("a", encoding="utf-8") as f:
        f.write(f"2026-11-25 10:00:00 DEBUG x: Authorization: Bearer {token}\n")

    capsys.readouterr()
    output = tmp_path / "support" / "diag.zip"
    assert register_cli(["diagnostics", "--output", str(output), *common]) == 0
    printed = capsys.readouterr().out
    assert str(output.resolve()) in printed

    with zipfile.ZipFile(output) as zf:
        names = set(zf.namelist())
        members = {name: zf.read(name).decode("utf-8") for name in names}
    assert {"LEEME.txt", "versions.json", "database.json", "self-test.txt"} <= names
    assert "settings/1-mostrador.toml" in names and "logs/mostrador.log" in names

    versions = json.loads(members["versions.json"])
    assert versions["python"]["version"] and versions["PySide6"] and versions["qt"]
    assert versions["sqlalchemy"] and versions["sqlite"]["version"]
    assert any("THREADSAFE" in o for o in versions["sqlite"]["compile_options"])
    assert versions["keyring"]["backend"].endswith("FakeKeyring")

    database = json.loads(members["database.json"])
    assert database["revision"] == database["head_revision"] == head_revision()
    assert database["quick_check"] == "ok"
    assert database["products"] == 7 and database["sales"] == 0
    assert database["outbox_pending"] == 0
    assert database["identity"]["store_code"] == "T01"
    assert database["sync"]["backend_url"] == b.url

    settings = members["settings/1-mostrador.toml"]
    assert f'backend_url = "{b.url}"' in settings and 'store = "T01"' in settings
    assert 'admin_password = "<redactado>"' in settings and "hunter2" not in settings
    assert 'api_key = "<redactado>"' in settings and "4321" not in settings

    assert "provisioning register 'Caja 3' of store T01" in members["logs/mostrador.log"]
    assert "Bearer <redactado>" in members["logs/mostrador.log"]
    assert "config" in members["self-test.txt"] and "(código de salida" in members["self-test.txt"]

    secrets = {"token": token, "code": code, "password": "hunter2-secret"}
    for name, text in members.items():
        for what, secret in secrets.items():
            assert secret.lower() not in text.lower(), f"the {what} is in {name}"


def test_diagnostics_are_written_for_a_register_that_never_started(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MOSTRADOR_LOG_DIR", str(tmp_path / "no-logs"))
    config = tmp_path / "broken.toml"
    config.write_text("[printer]\nkind = 'laser'\n", encoding="utf-8")
    output = tmp_path / "d.zip"
    logging.getLogger().setLevel(logging.WARNING)
    status = register_cli(["diagnostics", "--data-dir", str(tmp_path / "none"), "--config",
                           str(config), "--output", str(output), "--no-self-test"])  # fmt: skip
    assert status == 0
    with zipfile.ZipFile(output) as zf:
        database = json.loads(zf.read("database.json"))
        assert database["exists"] is False
        assert "kind = 'laser'" in zf.read("settings/1-broken.toml").decode()
        assert "self-test.txt" not in zf.namelist()
