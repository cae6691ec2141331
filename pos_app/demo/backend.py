"""The demo's own backend: found on 127.0.0.1:8765, or started there, seeded with the demo
catalog through the backend's catalog import, and an enrolment code for each demo register.

The register talks to the backend only through its command line and HTTP (it never imports the
server), exactly as it would with a real chain's backend.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from pos_app.demo.catalog_generator import CATEGORIES, TAX_CLASSES, generate_catalog
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

log = logging.getLogger(__name__)

DEMO_HOST = "127.0.0.1"
DEMO_PORT = 8765
DEMO_STORE = "T01"
SERVER_DATABASE_FILE = "mostrador-server.sqlite3"  # what `mostrador-server demo` uses


class DemoBackendError(Exception):
    """The demo backend could not be found, started or asked for a code."""


@dataclass
class DemoBackend:
    url: str
    data_dir: Path
    process: subprocess.Popen[str] | None  # set when this app started it

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.data_dir / SERVER_DATABASE_FILE}"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def _server_command() -> list[str]:
    """``mostrador-server`` of this same installation (and Python)."""
    return [sys.executable, "-c", "import sys; from sync.server.cli import main; sys.exit(main())"]


def is_backend(url: str, timeout: float = 1.0) -> bool:
    """Whether a Mostrador backend answers at ``url``."""
    try:
        response = httpx.get(
            f"{url}/v1/health", timeout=timeout, headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        )
    except httpx.HTTPError:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return response.status_code == 200 and PROTOCOL_VERSION in body.get("protocol_versions", [])


def write_demo_catalog(path: Path, products: int) -> Path:
    """The demo catalog as JSON Lines for the backend's ``import-catalog``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for tax in TAX_CLASSES:
            out.write(
                json.dumps(
                    {
                        "kind": "tax_rate",
                        "tax_class": tax.code,
                        "name": tax.name,
                        "rate": str(tax.rate),
                        "valid_from": tax.valid_from.isoformat(),
                        "valid_to": tax.valid_to.isoformat() if tax.valid_to else None,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
        for category in CATEGORIES:
            out.write(
                json.dumps(
                    {"kind": "category", "code": category.code, "name": category.name},
                    ensure_ascii=False,
                )
                + "\n"
            )
        for p in generate_catalog(products):
            out.write(
                json.dumps(
                    {
                        "kind": "product",
                        "sku": p.sku,
                        "name": p.name,
                        "category": p.category,
                        "tax_class": p.tax_class,
                        "price_cents": p.price_cents,
                        "measure": p.measure,
                        "barcodes": list(p.barcodes),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    tmp.replace(path)
    return path


def ensure_demo_backend(
    data_dir: Path,
    *,
    products: int,
    port: int = DEMO_PORT,
    say: Callable[[str], None] = lambda _: None,
    timeout: float = 120.0,
) -> DemoBackend:
    """The backend on 127.0.0.1:``port``: the one already there, or a new one started here."""
    url = f"http://{DEMO_HOST}:{port}"
    if is_backend(url):
        return DemoBackend(url, data_dir, None)
    data_dir.mkdir(parents=True, exist_ok=True)
    catalog = data_dir / f"demo-catalog-{products}.jsonl"
    if not (data_dir / SERVER_DATABASE_FILE).exists() and not catalog.exists():
        say(f"Preparando la central de demostración ({products} productos)…")
        write_demo_catalog(catalog, products)
    log_file = (data_dir / "backend.log").open("a", encoding="utf-8")
    process = subprocess.Popen(
        [
            *_server_command(),
            "demo",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            "--catalog",
            str(catalog),
        ],
        stdout=log_file,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    log_file.close()
    backend = DemoBackend(url, data_dir, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DemoBackendError(
                f"the demo backend stopped at start (exit {process.returncode}); "
                f"see {data_dir / 'backend.log'}"
            )
        if is_backend(url, timeout=0.5):
            return backend
        time.sleep(0.2)
    backend.stop()
    raise DemoBackendError(f"the demo backend did not answer on {url} within {timeout:.0f} s")


_CODE = re.compile(r"\b([A-Za-z0-9_-]{6,64})\s*$")


def enrollment_code(backend: DemoBackend, store: str = DEMO_STORE) -> str:
    """A one-time enrolment code from the backend's own command line."""
    result = subprocess.run(
        [
            *_server_command(),
            "enrollment-code",
            "--store",
            store,
            "--database",
            backend.database_url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        raise DemoBackendError(f"no enrolment code: {result.stderr.strip() or result.stdout}")
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    match = _CODE.search(lines[-1]) if lines else None
    if match is None:
        raise DemoBackendError(f"could not read the enrolment code in {result.stdout!r}")
    return match.group(1)
