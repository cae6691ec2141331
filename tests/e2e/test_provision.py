"""``mostrador provision``, as IT runs it: a real backend served on loopback, the register's
command in a child process with a keyring backend of its own (tests/file_keyring.py, a file
outside the register's data, as the system keyring would be), its settings, data and logs in
the test's directory. Each failure has its own exit code; none spends the code in vain, and
the token never reaches a file of the register or a log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support import backend_process, enrollment_code, free_port, server_cli

from pos_app.cli import main as register_cli
from pos_app.config import load_layered_settings

TESTS = Path(__file__).resolve().parents[1]


class Machine:
    """A register machine's places: user and machine-wide settings, data, logs, keyring."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config_home = root / "config"
        self.data_home = root / "data"
        self.system_config = root / "etc" / "mostrador" / "mostrador.toml"
        self.logs = root / "logs"
        self.keyring = root / "keyring" / "secrets.json"
        self.keyring.parent.mkdir(parents=True)

    @property
    def user_config(self) -> Path:
        return self.config_home / "mostrador" / "mostrador.toml"

    @property
    def data_dir(self) -> Path:
        return self.data_home / "mostrador" / "register"

    def env(self, keyring_backend: str = "file_keyring.FileKeyring") -> dict[str, str]:
        return {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
            "PYTHON_KEYRING_BACKEND": keyring_backend,
            "MOSTRADOR_TEST_KEYRING": str(self.keyring),
            "XDG_CONFIG_HOME": str(self.config_home),
            "XDG_DATA_HOME": str(self.data_home),
            "MOSTRADOR_SYSTEM_CONFIG": str(self.system_config),
            "MOSTRADOR_LOG_DIR": str(self.logs),
        }

    def run(self, *args: str, keyring_backend: str = "file_keyring.FileKeyring"):  # type: ignore[no-untyped-def]
        return subprocess.run(
            [sys.executable, "-m", "pos_app", *args],
            capture_output=True,
            text=True,
            timeout=180,
            env=self.env(keyring_backend),
        )

    def tokens(self) -> list[str]:
        if not self.keyring.exists():
            return []
        return list(json.loads(self.keyring.read_text()).values())

    def files_outside_the_keyring(self) -> list[Path]:
        return [
            p
            for p in self.root.rglob("*")
            if p.is_file() and not p.is_relative_to(self.keyring.parent)
        ]


def provision_args(backend_url: str, code: str, *extra: str) -> list[str]:
    return ["provision", "--backend", backend_url, "--store", "T01", "--register",
            "Caja entrada", "--enrollment-code", code, *extra]  # fmt: skip


def assert_nowhere(machine: Machine, *secrets: str) -> None:
    files = machine.files_outside_the_keyring()
    assert any(p.suffix == ".toml" for p in files) and any(p.name == "mostrador.log" for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"a secret is in {path}"


def test_provision_enrols_keeps_the_token_in_the_keyring_and_writes_only_settings(
    tmp_path, backend_database
):
    machine = Machine(tmp_path / "machine")
    machine.user_config.parent.mkdir(parents=True)
    machine.user_config.write_text(
        '# Caja de la entrada (IT)\n[register]\ncashier = "Ana"  # la titular\n\n'
        '[printer]\nkind = "file"\npath = "/dev/null"\n',
        encoding="utf-8",
    )
    with backend_process(tmp_path, backend_database, products=20) as backend:
        code = enrollment_code(backend)
        done = machine.run(*provision_args(backend.url, code))
        assert done.returncode == 0, done.stderr
        assert "Caja C01 de Tienda Centro (T01) dada de alta" in done.stdout
        assert "Catálogo: 20 cambios aplicados" in done.stdout or "Catálogo:" in done.stdout
        (token,) = machine.tokens()

        # The settings: what IT gave, IT's own lines kept, no secret.
        text = machine.user_config.read_text(encoding="utf-8")
        assert "# Caja de la entrada (IT)" in text and "# la titular" in text
        settings = tomllib.loads(text)
        assert settings["register"] == {
            "cashier": "Ana",
            "backend_url": backend.url,
            "store": "T01",
            "register_name": "Caja entrada",
            "register_code": "C01",
        }
        assert settings["printer"] == {"kind": "file", "path": "/dev/null"}
        assert not machine.system_config.exists()

        # The register opens from those settings, with its token from the keyring.
        opened = machine.run("run", "--exit-after-ready")
        assert opened.returncode == 0, opened.stderr
        assert "mostrador: ready (20 products" in opened.stdout
        assert "sin sincronización" not in opened.stderr

        # Already provisioned: refused, the code not asked for; --force enrols again.
        second = enrollment_code(backend)
        again = machine.run(*provision_args(backend.url, second))
        assert again.returncode == 8, again.stderr
        assert "ya está dada de alta" in again.stderr and "--force" in again.stderr
        forced = machine.run(*provision_args(backend.url, second, "--force"))
        assert forced.returncode == 0, forced.stderr
        assert "Caja C01 de Tienda Centro" in forced.stdout  # the same register, a new token
        (new_token,) = machine.tokens()
        assert new_token != token

    log = (machine.logs / "mostrador.log").read_text(encoding="utf-8")
    assert "provisioning register 'Caja entrada' of store T01" in log
    assert "register C01 of store T01 provisioned" in log
    assert_nowhere(machine, token, new_token, code, second)


def test_a_missing_keyring_stops_provisioning_before_the_code_is_spent(tmp_path):
    machine = Machine(tmp_path / "machine")
    with backend_process(tmp_path, f"sqlite:///{tmp_path / 'backend.sqlite3'}", products=5) as b:
        code = enrollment_code(b)
        refused = machine.run(
            *provision_args(b.url, code), keyring_backend="keyring.backends.fail.Keyring"
        )
        assert refused.returncode == 7, refused.stderr
        assert "almacén de claves" in refused.stderr and "PYTHON_KEYRING_BACKEND" in refused.stderr
        assert not machine.data_dir.exists() or not any(machine.data_dir.iterdir())
        assert not machine.user_config.exists()
        # The same code still works once a keyring is there.
        done = machine.run(*provision_args(b.url, code))
        assert done.returncode == 0, done.stderr


def test_system_provisioning_writes_the_machine_wide_file_which_the_user_file_overrides(tmp_path):
    machine = Machine(tmp_path / "machine")
    with backend_process(tmp_path, f"sqlite:///{tmp_path / 'backend.sqlite3'}", products=5) as b:
        data_dir = tmp_path / "srv" / "mostrador"
        done = machine.run(
            *provision_args(b.url, enrollment_code(b), "--system", "--data-dir", str(data_dir))
        )
        assert done.returncode == 0, done.stderr
        assert str(machine.system_config) in done.stdout
        assert not machine.user_config.exists()
        system = tomllib.loads(machine.system_config.read_text(encoding="utf-8"))
        assert system["register"]["data_dir"] == str(data_dir.resolve())
        assert (data_dir / "register.sqlite3").exists()
        # Any user of the machine opens the register the machine-wide file names.
        opened = machine.run("run", "--exit-after-ready")
        assert opened.returncode == 0, opened.stderr
        assert "ready (5 products" in opened.stdout

    machine.user_config.parent.mkdir(parents=True)
    machine.user_config.write_text('[register]\ncashier = "Luis"\n', encoding="utf-8")
    settings = load_layered_settings([machine.system_config, machine.user_config])
    assert settings.cashier == "Luis"  # the user's file wins
    assert settings.backend_url == b.url and settings.register_code == "C01"  # the rest stays


def test_a_settings_file_that_cannot_be_written_is_found_before_the_code_is_spent(tmp_path):
    machine = Machine(tmp_path / "machine")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with backend_process(tmp_path, f"sqlite:///{tmp_path / 'backend.sqlite3'}", products=5) as b:
        code = enrollment_code(b)
        refused = machine.run(*provision_args(b.url, code, "--config", str(blocker / "m.toml")))
        assert refused.returncode == 9, refused.stderr
        assert "no se puede escribir la configuración" in refused.stderr
        assert machine.run(*provision_args(b.url, code)).returncode == 0  # still unused


# --- every refusal, in this process (the token store: the in-memory fake keyring) ----------


class GarbageServer:
    """Something on loopback that answers every request with 200 and a body of nonsense."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                body = b"<html>router admin</html>"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def in_process(tmp_path, fake_keyring, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MOSTRADOR_LOG_DIR", str(tmp_path / "logs"))

    def provision(backend_url: str, code: str, store: str = "T01", *extra: str):  # type: ignore[no-untyped-def]
        args = ["provision", "--backend", backend_url, "--store", store, "--register", "Caja",
                "--enrollment-code", code, "--data-dir", str(tmp_path / "data"),
                "--config", str(tmp_path / "mostrador.toml"), *extra]  # fmt: skip
        capsys.readouterr()
        code_ = register_cli(args)
        printed = capsys.readouterr()
        return code_, printed.out, printed.err

    return provision


def test_each_refusal_has_its_message_and_exit_code_and_leaves_nothing_behind(
    tmp_path, in_process, fake_keyring
):
    database = f"sqlite:///{tmp_path / 'backend.sqlite3'}"
    with backend_process(tmp_path, database, products=5) as backend:
        server_cli("create-store", "--code", "T02", "--name", "Tienda Norte", "--tax-id",
                   "B22222222", "--address", "Calle Norte 2", database=database)  # fmt: skip
        code = enrollment_code(backend)

        status, _, err = in_process(backend.url, "WRONG-CODE-1234")
        assert status == 3 and "no acepta el código de alta" in err

        status, _, err = in_process(backend.url, code, "T02")
        assert status == 4 and "es de otra tienda" in err and "T01" in err

        status, _, err = in_process(f"http://127.0.0.1:{free_port()}", code)
        assert status == 5 and "no se puede conectar con la central" in err

        status, _, err = in_process("http://mostrador-central.invalid:8765", code)
        assert status == 5 and "mostrador-central.invalid" in err

        garbage = GarbageServer()
        try:
            status, _, err = in_process(garbage.url, code)
        finally:
            garbage.close()
        assert status == 6 and "no es una central de Mostrador" in err

        status, _, err = in_process("central:8765", code)
        assert status == 2 and "dirección de la central no es válida" in err

        # None of them spent the code, left a database or wrote settings.
        assert fake_keyring.secrets == {}
        assert not (tmp_path / "mostrador.toml").exists()
        assert not (tmp_path / "data" / "register.sqlite3").exists()
        status, out, err = in_process(backend.url, code)
        assert status == 0, err
        assert "Caja C01 de Tienda Centro (T01)" in out

        status, _, err = in_process(backend.url, code, "T01", "--force")
        assert status == 3 and "already used" in err  # a used code, even with --force
    assert len(fake_keyring.secrets) == 1
    (token,) = fake_keyring.secrets.values()
    log = (tmp_path / "logs" / "mostrador.log").read_text(encoding="utf-8")
    assert "provisioning register 'Caja'" in log
    for secret in (token, code):
        assert secret not in log
        assert secret not in (tmp_path / "mostrador.toml").read_text(encoding="utf-8")
