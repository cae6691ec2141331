"""The ``mostrador`` command as a person runs it, in a real process on a real data directory."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from datetime import UTC, datetime


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "pos_app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def test_demo_creates_a_store_opens_ready_and_reuses_it(tmp_path):
    first = run(
        "demo", "--offline", "--data-dir", str(tmp_path), "--products", "300", "--exit-after-ready"
    )
    assert first.returncode == 0, first.stderr
    assert "Creando la tienda de demostración" in first.stdout
    assert "mostrador: ready (300 products" in first.stdout
    db = tmp_path / "register.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO parked_sales VALUES ('x', '2026-01-01', 'a', 'keep me', '1', 1, '{}')"
        )
    again = run(
        "demo", "--offline", "--data-dir", str(tmp_path), "--products", "300", "--exit-after-ready"
    )
    assert again.returncode == 0 and "Creando" not in again.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM parked_sales").fetchone()[0] == 1
    reset = run(
        "demo", "--data-dir", str(tmp_path), "--products", "50", "--reset", "--exit-after-ready"
    )
    assert reset.returncode == 0 and "ready (50 products" in reset.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM parked_sales").fetchone()[0] == 0


def test_run_without_a_register_database_says_what_to_do(tmp_path):
    # Unprovisioned, "run" opens the first-run wizard (tests/ui/test_first_run_wizard.py);
    # a script waiting for "ready" gets the instructions instead.
    result = run("run", "--data-dir", str(tmp_path / "none"), "--exit-after-ready")
    assert result.returncode == 2
    assert "mostrador demo" in result.stderr and "mostrador provision" in result.stderr


def test_a_malformed_settings_file_is_named_in_the_error(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[printer]\nkind = 'laser'\n", encoding="utf-8")
    result = run(
        "demo",
        "--data-dir",
        str(tmp_path),
        "--config",
        str(config),
        "--products",
        "10",
        "--exit-after-ready",
    )
    assert result.returncode == 2
    assert "bad.toml" in result.stderr and "printer.kind" in result.stderr


def test_self_test_and_diagnostics_report_on_the_register(tmp_path):
    assert (
        run(
            "demo", "--data-dir", str(tmp_path), "--products", "20", "--exit-after-ready"
        ).returncode
        == 0
    )
    no_settings = str(tmp_path / "absent.toml")
    result = run("self-test", "--data-dir", str(tmp_path), "--config", no_settings)
    # No printer configured: a warning, so exit 1; nothing fails.
    assert result.returncode == 1, result.stdout
    assert "\nfail " not in "\n" + result.stdout
    assert "20 productos" in status_line(result.stdout, "database", "ok")
    assert status_line(result.stdout, "receipt", "ok")
    assert status_line(result.stdout, "printer", "warn")
    assert result.stdout.splitlines()[-1].startswith("resultado: 1 (")
    diag = run("diagnostics", "--data-dir", str(tmp_path), "--output", str(tmp_path / "d.zip"))
    assert diag.returncode == 0 and str(tmp_path / "d.zip") in diag.stdout
    with zipfile.ZipFile(tmp_path / "d.zip") as zf:
        assert json.loads(zf.read("database.json"))["products"] == 20
    missing = run("self-test", "--data-dir", str(tmp_path / "nothing"), "--config", no_settings)
    assert missing.returncode == 1, missing.stdout
    assert "nothing" in status_line(missing.stdout, "database", "warn")


def status_line(report: str, check: str, status: str) -> str:
    """The self-test's line for ``check``, which must have ``status`` (else the test fails)."""
    for line in report.splitlines():
        words = line.split(maxsplit=2)
        if len(words) >= 2 and words[1] == check:
            assert words[0] == status, line
            return line
    raise AssertionError(f"no {check} line in:\n{report}")


def test_self_test_checks_the_build_and_fails_on_an_unreachable_printer(tmp_path):
    import socket

    with socket.socket() as probe:  # a port on loopback that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tmp_path / "mostrador.toml"
    config.write_text(
        f"[printer]\nkind = 'network'\nhost = '127.0.0.1'\nport = {port}\n", encoding="utf-8"
    )
    result = run("self-test", "--data-dir", str(tmp_path), "--config", str(config))
    assert result.returncode == 2, result.stdout
    assert "network" in status_line(result.stdout, "printer", "fail")
    for check in ("qt", "translations", "resources", "libraries", "escpos", "fts5"):
        assert status_line(result.stdout, check, "ok")
    assert "una base nueva llega a" in status_line(result.stdout, "migrations", "ok")
    assert result.stdout.splitlines()[-1].startswith("resultado: 2 (")


def test_self_test_finds_a_configured_printer_that_answers(tmp_path):
    from hardware.simulators.tcp_printer import TcpPrinterSimulator

    with TcpPrinterSimulator() as printer:
        config = tmp_path / "mostrador.toml"
        config.write_text(
            f"[printer]\nkind = 'network'\nhost = '127.0.0.1'\nport = {printer.port}\n",
            encoding="utf-8",
        )
        result = run("self-test", "--data-dir", str(tmp_path), "--config", str(config))
    assert "network" in status_line(result.stdout, "printer", "ok")
    assert printer.receipts() == [], "the self-test asks for the state, it prints nothing"


def test_english_is_available_from_the_command_line(tmp_path):
    result = run(
        "demo",
        "--data-dir",
        str(tmp_path),
        "--products",
        "10",
        "--lang",
        "en",
        "--exit-after-ready",
    )
    assert result.returncode == 0, result.stderr
    assert "no English translation" not in result.stderr


def test_reset_refuses_while_sales_have_not_reached_the_backend(tmp_path):
    assert (
        run(
            "demo", "--data-dir", str(tmp_path), "--products", "20", "--exit-after-ready"
        ).returncode
        == 0
    )
    with sqlite3.connect(tmp_path / "register.sqlite3") as conn:
        conn.execute(
            "INSERT INTO outbox (event_id, event_type, payload, occurred_at) "
            "VALUES ('e1', 'sale.completed', '{}', '2026-11-25T10:00:00+01:00')"
        )
    refused = run(
        "demo", "--data-dir", str(tmp_path), "--products", "20", "--reset", "--exit-after-ready"
    )
    assert refused.returncode == 2
    assert "hay 1 eventos" in refused.stderr and "--discard-unsynced" in refused.stderr
    with sqlite3.connect(tmp_path / "register.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1
    forced = run(
        "demo",
        "--data-dir",
        str(tmp_path),
        "--products",
        "20",
        "--reset",
        "--discard-unsynced",
        "--exit-after-ready",
    )
    assert forced.returncode == 0, forced.stderr


def test_a_register_forgets_customers_unused_for_a_year_when_it_starts(tmp_path):
    demo = ("demo", "--offline", "--data-dir", str(tmp_path), "--products", "20")
    assert run(*demo, "--exit-after-ready").returncode == 0
    recent = datetime.now(UTC).isoformat(timespec="microseconds")
    old = "2024-06-01T10:00:00.000000+00:00"
    with sqlite3.connect(tmp_path / "register.sqlite3") as conn:
        for customer_id, name, used_at in (
            ("c-old", "Ana Ruiz", old),
            ("c-new", "Eva Gil", recent),
        ):
            conn.execute(
                "INSERT INTO customers (customer_id, name, phone, email, loyalty_card, tax_id, "
                "privacy_consent, marketing_consent, consent_at, consent_where, created_at, "
                "created_where, possible_duplicate, updated_at, last_used_at, search_text, "
                "phone_digits, email_norm, card_norm) VALUES (?, ?, '', '', '', '', 1, 0, ?, "
                "'T01/R1', ?, 'T01/R1', 0, ?, ?, ?, '', '', '')",
                (customer_id, name, used_at, used_at, used_at, used_at, name.lower()),
            )

    started = run(*demo, "--verbose", "--exit-after-ready")

    assert started.returncode == 0, started.stderr
    assert "start-up: 1 customer(s) not used for a year forgotten" in started.stderr
    with sqlite3.connect(tmp_path / "register.sqlite3") as conn:
        kept = [row[0] for row in conn.execute("SELECT customer_id FROM customers")]
    assert kept == ["c-new"]
