"""The ``mostrador`` command as a person runs it, in a real process on a real data directory."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
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
    result = run("run", "--data-dir", str(tmp_path / "none"))
    assert result.returncode == 2
    assert "mostrador demo" in result.stderr


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
    result = run("self-test", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout
    assert "[OK] catálogo: 20 productos" in result.stdout
    assert "[OK] recibo ESC/POS" in result.stdout
    diag = run("diagnostics", "--data-dir", str(tmp_path))
    assert diag.returncode == 0 and "'products': 20" in diag.stdout
    missing = run("self-test", "--data-dir", str(tmp_path / "nothing"))
    assert missing.returncode == 1 and "[FALLO] base de datos" in missing.stdout


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
