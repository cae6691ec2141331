"""The backend as its own package (issue 9): ``python packaging/server/build.py`` makes a wheel
that pip installs into a fresh virtual environment without the register app's libraries, and
the example systemd unit's commands, with the example settings, migrate and serve from there:
on SQLite, and on a fresh PostgreSQL database when ``$MOSTRADOR_TEST_PG_URL`` is set.

The wheel's dependencies come from the package index through pip's cache.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import select
import shlex
import shutil
import signal
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SERVER_DIR = ROOT / "packaging" / "server"
UNIT = SERVER_DIR / "mostrador-server.service"
ENV_EXAMPLE = SERVER_DIR / "mostrador-server.env.example"
INSTALL_DIR = "/opt/mostrador-server"  # where the unit expects the virtual environment
PG_ENV = "MOSTRADOR_TEST_PG_URL"

# The register app's own libraries: none of them may reach the backend's environment.
REGISTER_ONLY = {
    "pyside6",
    "pyside6-essentials",
    "pyside6-addons",
    "shiboken6",
    "python-escpos",
    "pyserial",
    "pyusb",
    "keyring",
}


def _root_project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]
    return project


def _build_module() -> ModuleType:
    """packaging/server/build.py, loaded from its file (packaging/ is no package)."""
    spec = importlib.util.spec_from_file_location("server_build", SERVER_DIR / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


APP_VERSION = str(_build_module().app_version())  # the app's, read as build.py reads it


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of a command of the installed backend: nothing of this checkout or its
    virtual environment, no backend settings but ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
        and not key.startswith("MOSTRADOR_")
    }
    env.update(extra)
    return env


# --- the wheel and its virtual environment ---------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(SERVER_DIR / "build.py"), "--dist", str(dist)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    built = Path(result.stdout.strip())
    assert built == dist / f"mostrador_server-{APP_VERSION}-py3-none-any.whl"
    sys.stderr.write(
        f"\nmostrador-server wheel: {built.stat().st_size / 1024:.0f} KiB, "
        f"built in {time.monotonic() - started:.1f} s\n"
    )
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed by pip, as IT does it."""
    where = tmp_path_factory.mktemp("opt") / "mostrador-server"
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, timeout=300)
    result = subprocess.run(
        [
            str(where / "bin" / "python"), "-m", "pip", "install",
            "--disable-pip-version-check", "--quiet", str(wheel),
        ],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=900,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return where


def test_the_version_is_the_apps_however_its_pyproject_declares_it(tmp_path: Path) -> None:
    build = _build_module()
    pyproject = tmp_path / "pyproject.toml"

    pyproject.write_text('[project]\nname = "mostrador"\nversion = "1.2.3"\n')
    assert build.app_version(pyproject) == "1.2.3"

    (tmp_path / "pos_app").mkdir()
    (tmp_path / "pos_app" / "__init__.py").write_text('"""App."""\n\n__version__ = "2.0.1"\n')
    pyproject.write_text(
        '[project]\nname = "mostrador"\ndynamic = ["version"]\n'
        '[tool.setuptools.dynamic]\nversion = {attr = "pos_app.__version__"}\n'
    )
    assert build.app_version(pyproject) == "2.0.1"

    (tmp_path / "VERSION").write_text("3.1.0\n")
    pyproject.write_text(
        '[project]\nname = "mostrador"\ndynamic = ["version"]\n'
        '[tool.setuptools.dynamic]\nversion = {file = ["VERSION"]}\n'
    )
    assert build.app_version(pyproject) == "3.1.0"

    pyproject.write_text('[project]\nname = "mostrador"\n')
    with pytest.raises(build.BuildError, match="no \\[project\\] version"):
        build.app_version(pyproject)


def test_the_wheel_holds_the_backend_and_nothing_of_the_register_app(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"mostrador_server-{APP_VERSION}.dist-info/METADATA").decode()
        entry_points = archive.read(
            f"mostrador_server-{APP_VERSION}.dist-info/entry_points.txt"
        ).decode()

    top_level = {name.split("/", 1)[0] for name in names}
    assert top_level == {"sync", "pos_app", f"mostrador_server-{APP_VERSION}.dist-info"}
    # Of the register app, only the pure core the backend shares (DESIGN.md section 2).
    assert {name for name in names if name.startswith("pos_app/")} - {
        "pos_app/__init__.py",
        "pos_app/py.typed",
    } == {f"pos_app/domain/{path.name}" for path in (ROOT / "pos_app" / "domain").glob("*.py")}
    # The whole of sync: every module, and Alembic's template and every migration.
    expected_sync = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "sync").rglob("*")
        if path.suffix in (".py", ".mako", ".ini") or path.name == "py.typed"
    }
    assert expected_sync <= names
    assert "sync/server/migrations/script.py.mako" in names
    assert "mostrador-server = sync.server.cli:main" in entry_points

    assert re.search(rf"^Version: {re.escape(APP_VERSION)}$", metadata, re.MULTILINE)
    requires = [
        line.removeprefix("Requires-Dist: ")
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist: ")
    ]
    assert not {_name(requirement) for requirement in requires} & REGISTER_ONLY
    # Each dependency as the app's pyproject.toml states it, so the two never drift apart.
    app_dependencies = {
        _name(str(requirement)): str(requirement).replace(" ", "")
        for requirement in _root_project()["dependencies"]
    }
    for requirement in requires:
        assert app_dependencies.get(_name(requirement)) == requirement.replace(" ", "")


def test_it_installs_with_pip_without_qt_or_device_libraries(venv: Path) -> None:
    listed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=120,
        check=True,
    )
    installed = {
        package["name"].lower().replace("_", "-"): package["version"]
        for package in json.loads(listed.stdout)
    }
    assert installed["mostrador-server"] == APP_VERSION
    assert "mostrador" not in installed
    assert not set(installed) & REGISTER_ONLY
    assert {"fastapi", "uvicorn", "sqlalchemy", "alembic", "psycopg", "psycopg-binary"} <= set(
        installed
    )

    # Every module of sync imports from the wheel (the migrations run only inside Alembic).
    probe = (
        "import importlib, pkgutil, sync\n"
        "for module in pkgutil.walk_packages(sync.__path__, 'sync.'):\n"
        "    if not module.name.startswith('sync.server.migrations'):\n"
        "        importlib.import_module(module.name)\n"
        "import sys\n"
        "print(sync.__file__)\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in "
        "('PySide6', 'escpos', 'serial', 'usb', 'keyring', 'hardware')))\n"
    )
    imported = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe],
        capture_output=True,
        text=True,
        env=_clean_env(),
        cwd=venv,
        timeout=120,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    location, register_modules = imported.stdout.splitlines()
    assert Path(location).is_relative_to(venv / "lib")
    assert register_modules == "[]"

    helped = subprocess.run(
        [str(venv / "bin" / "mostrador-server"), "--help"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=60,
        check=False,
    )
    assert helped.returncode == 0, helped.stderr
    for command in ("serve", "migrate", "create-store", "enrollment-code"):
        assert command in helped.stdout


# --- the example systemd unit and settings ----------------------------------------------------


def _unit_service_section() -> list[tuple[str, str]]:
    """The ``[Service]`` settings of the unit, in order (a key may repeat)."""
    settings: list[tuple[str, str]] = []
    section = ""
    for raw in UNIT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not a setting: {raw!r}"
        if section == "[Service]":
            settings.append((key.strip(), value.strip()))
    return settings


def _unit_defaults() -> dict[str, str]:
    """The variables the unit sets itself (``Environment=KEY=value``)."""
    defaults: dict[str, str] = {}
    for key, value in _unit_service_section():
        if key == "Environment":
            name, _, default = value.partition("=")
            defaults[name] = default
    return defaults


def _env_file(path: Path) -> dict[str, str]:
    """The assignments of a systemd environment file (``KEY=value``, ``KEY="value"``)."""
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Z_][A-Z0-9_]*", key), f"not an assignment: {raw!r}"
        words = shlex.split(value)
        assert len(words) == 1, f"one value per line: {raw!r}"
        values[key] = words[0]
    return values


def test_the_unit_runs_as_its_own_user_hardened_and_restarted(venv: Path, tmp_path: Path) -> None:
    settings = _unit_service_section()
    single = dict(settings)
    assert single["User"] == single["Group"] == "mostrador-server"
    assert single["EnvironmentFile"] == "/etc/mostrador-server/mostrador-server.env"
    assert single["ExecStartPre"] == f"{INSTALL_DIR}/bin/mostrador-server migrate"
    assert single["ExecStart"].startswith(f"{INSTALL_DIR}/bin/mostrador-server serve ")
    assert single["Restart"] == "on-failure"
    assert single["NoNewPrivileges"] == "yes"
    assert single["ProtectSystem"] == "strict"
    assert single["ReadWritePaths"] == "/var/lib/mostrador-server"
    assert single["StateDirectory"] == "mostrador-server"
    assert single["CapabilityBoundingSet"] == ""

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return  # the settings above are what can be checked without systemd
    # systemd's own check, with the commands pointing at the real virtual environment.
    unit = tmp_path / "mostrador-server.service"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace(INSTALL_DIR, str(venv)))
    verified = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    # It exits 0 on unknown keys and bad values too, but says so on standard error.
    assert (verified.returncode, verified.stderr) == (0, ""), verified.stderr


def test_the_example_settings_name_postgresql_and_hold_no_password() -> None:
    values = _env_file(ENV_EXAMPLE)
    url = make_url(values["MOSTRADOR_SERVER_DATABASE"])
    assert (url.get_backend_name(), url.get_driver_name()) == ("postgresql", "psycopg")
    assert url.password is None
    assert url.query.get("host") == "/run/postgresql"  # the Unix socket: peer authentication
    assert values["MOSTRADOR_SERVER_HOST"] == "127.0.0.1"
    assert 0 < int(values["MOSTRADOR_SERVER_PORT"]) < 65536
    # Every variable the unit's commands use is set by the unit or by the file.
    unit_defaults = _unit_defaults()
    commands = " ".join(
        value for key, value in _unit_service_section() if key.startswith("ExecStart")
    )
    assert set(re.findall(r"\$\{(\w+)\}", commands)) <= set(unit_defaults) | set(values)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty backend database: a SQLite file, or a new PostgreSQL database dropped after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'mostrador-server.sqlite3'}"
        return
    admin = create_engine(
        make_url(os.environ[PG_ENV]).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
    )
    name = f"mostrador_pkg_{secrets.token_hex(6)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _unit_command(key: str, venv: Path, env: dict[str, str]) -> list[str]:
    """A command of the unit as systemd runs it: ``${VAR}`` replaced from its environment,
    and the virtual environment where the unit expects it."""
    (value,) = [value for name, value in _unit_service_section() if name == key]
    return [
        re.sub(r"\$\{(\w+)\}", lambda match: env[match.group(1)], word).replace(
            INSTALL_DIR, str(venv)
        )
        for word in shlex.split(value)
    ]


def _ready_url(process: subprocess.Popen[str], timeout: float = 60) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        readable, _, _ = select.select([process.stdout], [], [], 0.2)
        if readable:
            line = process.stdout.readline()
            if line.startswith("mostrador-server: ready on "):
                return line.strip().rsplit(" ", 1)[-1]
        if process.poll() is not None:
            break
    raise AssertionError(f"no ready line; exit code {process.poll()}")


def test_the_units_commands_migrate_and_serve_from_the_installed_wheel(
    venv: Path, database_url: str, tmp_path: Path
) -> None:
    # The unit's defaults, then the example settings, then this test's database and any port.
    env = _clean_env(HOME=str(tmp_path / "home"))
    env.update(_unit_defaults())
    env.update(_env_file(ENV_EXAMPLE))
    env.update(MOSTRADOR_SERVER_DATABASE=database_url, MOSTRADOR_SERVER_PORT="0")
    cli = str(venv / "bin" / "mostrador-server")

    def run(*command: str) -> str:
        result = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
            check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert run(*_unit_command("ExecStartPre", venv, env)) == "database schema is up to date\n"
    created = run(
        cli, "create-store", "--code", "T01", "--name", "Ultramarinos Centro",
        "--tax-id", "B12345678", "--address", "Calle Mayor 1", "--address", "28013 Madrid",
    )  # fmt: skip
    assert created == "store T01 created\n"

    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        _unit_command("ExecStart", venv, env),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        code = run(cli, "enrollment-code", "--store", "T01").strip()  # while it starts
        base_url = _ready_url(process)
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
        with httpx.Client(base_url=base_url, timeout=10) as client:
            health = client.get("/v1/health")
            assert health.status_code == 200
            assert health.json()["status"] == "ok"
            assert health.json()["server_version"] == APP_VERSION
            enrolled = client.post(
                "/v1/enroll",
                json={"code": code, "register_name": "Caja 1"},
                headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
            )
            assert enrolled.status_code == 201, enrolled.text
            assert enrolled.json()["store"]["code"] == "T01"
        # systemd stops it with SIGTERM. uvicorn shuts down gracefully, then ends by the same
        # signal, which systemd counts as a clean stop (SuccessExitStatus), all within the
        # unit's TimeoutStopSec.
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()
        if process.stdout is not None:
            process.stdout.close()
    served = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Application shutdown complete." in served
    assert "Traceback" not in served
