"""Benchmark of the backend's catalog import (not a test: run it by hand).

    python tests/server/perf_server_import.py --products 100000 [--database URL] [--format jsonl]

Writes the demo generator's catalog (pos_app.demo) to a file, imports it into a fresh backend
database (a temporary SQLite file by default), then imports it again (nothing changed), and
prints one JSON object with the figures as the last line.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from pos_app.demo.catalog_generator import CATEGORIES, TAX_CLASSES, generate_catalog
from sync.server.core.config import sqlite_url
from sync.server.database import Database
from sync.server.services.catalog import import_catalog


def write_catalog(path: Path, n: int, fmt: str) -> None:
    taxes = [
        {
            "kind": "tax_rate",
            "tax_class": t.code,
            "name": t.name,
            "rate": str(t.rate),
            "valid_from": t.valid_from.isoformat(),
            "valid_to": t.valid_to.isoformat() if t.valid_to else None,
        }
        for t in TAX_CLASSES
    ]
    cats = [{"kind": "category", "code": c.code, "name": c.name} for c in CATEGORIES]
    products = (
        {
            "kind": "product",
            "sku": p.sku,
            "name": p.name,
            "category": p.category,
            "tax_class": p.tax_class,
            "price_cents": p.price_cents,
            "measure": p.measure,
            "barcodes": list(p.barcodes),
        }
        for p in generate_catalog(n)
    )
    with path.open("w", encoding="utf-8") as out:
        if fmt == "jsonl":
            for record in (*taxes, *cats):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            for record in products:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            out.write('{"tax_rates": ' + json.dumps(taxes) + ', "categories": ' + json.dumps(cats))
            out.write(', "products": [\n')
            for i, record in enumerate(products):
                out.write(("," if i else "") + json.dumps(record, ensure_ascii=False) + "\n")
            out.write("]}\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--database", help="default: a temporary SQLite file")
    parser.add_argument("--format", choices=["jsonl", "json"], default="jsonl")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"catalog.{args.format}"
        started = time.perf_counter()
        write_catalog(path, args.products, args.format)
        written = time.perf_counter() - started
        database = Database(args.database or sqlite_url(Path(tmp) / "backend.sqlite3"))
        try:
            database.migrate()
            first = import_catalog(database, path)
            second = import_catalog(database, path)
        finally:
            database.dispose()
        figures = {
            "products": args.products,
            "format": args.format,
            "database": database.dialect,
            "file_mb": round(path.stat().st_size / 2**20, 1),
            "generate_s": round(written, 1),
            "import_s": round(first.seconds, 1),
            "products_per_s": round(args.products / first.seconds),
            "reimport_unchanged_s": round(second.seconds, 1),
            "changes": first.changes,
            "barcodes": first.barcodes,
            "machine": platform.machine(),
            "python": platform.python_version(),
        }
    sys.stdout.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
