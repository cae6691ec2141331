"""Helpers shared by the benchmarks: percentiles, machine and commit, progress, cached stores.

The generated register databases are cached under ``tests/perf/.cache`` (git-ignored), one
directory per catalog size and generator seed, and rebuilt only when missing or incomplete.
"""

from __future__ import annotations

import inspect
import json
import math
import os
import platform
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

PERF_DIR = Path(__file__).resolve().parent
REPO_ROOT = PERF_DIR.parents[1]
DEFAULT_CACHE_DIR = PERF_DIR / ".cache"
BUILD_INFO = "build.json"

_T0 = time.perf_counter()


class BenchmarkError(Exception):
    """A benchmark cannot run or produced a wrong result; the message says why."""


def say(message: str) -> None:
    """Progress for humans, on stderr (stdout is kept for the result)."""
    sys.stderr.write(f"[{time.perf_counter() - _T0:7.1f} s] {message}\n")
    sys.stderr.flush()


# --- statistics -----------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile by the nearest-rank method (a value that was really observed;
    for p99 of 10,000 samples, the 9,900th smallest)."""
    if not values:
        raise BenchmarkError("no samples to take a percentile of")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    n: int
    p50: float
    p90: float
    p99: float
    max: float
    mean: float

    def as_dict(self, digits: int = 3) -> dict[str, float | int]:
        return {
            "n": self.n,
            "p50": round(self.p50, digits),
            "p90": round(self.p90, digits),
            "p99": round(self.p99, digits),
            "max": round(self.max, digits),
            "mean": round(self.mean, digits),
        }


def summarize_ns(samples_ns: Sequence[int]) -> Summary:
    """Percentiles in milliseconds of durations measured in nanoseconds."""
    ms = [s / 1e6 for s in samples_ns]
    return Summary(
        n=len(ms),
        p50=percentile(ms, 50),
        p90=percentile(ms, 90),
        p99=percentile(ms, 99),
        max=max(ms),
        mean=sum(ms) / len(ms),
    )


# --- where the figures come from --------------------------------------------------------------


def git_commit() -> str:
    """``git rev-parse --short HEAD`` of the repository, or "unknown"."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and commit else "unknown"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _ram_gib() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def machine_description() -> str:
    ram = _ram_gib()
    ram_text = f"{ram:.1f} GiB RAM" if ram is not None else "RAM unknown"
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}, {_cpu_model()}, "
        f"{usable_cores()} cores, {ram_text}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- the cached demo register database ---------------------------------------------------------


def demo_seed() -> int:
    """The catalog generator seed ``open_demo_store`` uses (the generator's default)."""
    from pos_app.demo.catalog_generator import generate_catalog

    default = inspect.signature(generate_catalog).parameters["seed"].default
    if not isinstance(default, int):
        raise BenchmarkError("cannot tell the demo catalog generator's seed")
    return default


def store_dir(cache_dir: Path, products: int) -> Path:
    return cache_dir / f"register-n{products}-seed{demo_seed()}"


def count_products(path: Path) -> int | None:
    """Products in the database at ``path`` (read-only), None if it cannot be read."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return None
    try:
        has_identity = conn.execute("SELECT count(*) FROM store_identity").fetchone()[0]
        count = int(conn.execute("SELECT count(*) FROM products").fetchone()[0])
        return count if has_identity else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


@dataclass(frozen=True)
class CachedStore:
    data_dir: Path
    database: Path
    engine: Engine
    built_now: bool
    build_s: float | None  # how long building took (now, or when it was built)
    built_at: str | None


def open_cached_store(cache_dir: Path, products: int) -> CachedStore:
    """Open the demo register database of ``products`` products, building it the product's
    way (``open_demo_store``) when it is missing or has another product count."""
    from pos_app.demo.store import database_path, open_demo_store, remove_database

    data_dir = store_dir(cache_dir, products)
    database = database_path(data_dir)
    info_path = data_dir / BUILD_INFO
    built_now = False
    if database.exists():
        found = count_products(database)
        if found == products:
            say(f"reusing {database} ({products} products)")
        else:
            say(f"{database} holds {found} products, not {products}: rebuilding it")
            remove_database(database)
            info_path.unlink(missing_ok=True)
    if not database.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        info_path.unlink(missing_ok=True)
        say(f"building {database} with {products} products (seed {demo_seed()})")
        last = [time.perf_counter()]
        started = time.perf_counter()

        def progress(done: int) -> None:
            now = time.perf_counter()
            if now - last[0] >= 10 or done == products:
                last[0] = now
                rate = done / max(now - started, 1e-9)
                say(f"  {done:>9} / {products} products loaded ({rate:,.0f}/s)")

        engine = open_demo_store(data_dir, products=products, progress=progress)
        build_s = time.perf_counter() - started
        built_now = True
        found = count_products(database)
        if found != products:
            engine.dispose()
            raise BenchmarkError(f"built {database} but it holds {found} products")
        info_path.write_text(
            json.dumps(
                {
                    "products": products,
                    "seed": demo_seed(),
                    "build_s": round(build_s, 1),
                    "built_at": now_iso(),
                    "machine": machine_description(),
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        say(f"built {products} products in {build_s:.1f} s")
        return CachedStore(data_dir, database, engine, True, build_s, now_iso())
    engine = open_demo_store(data_dir, products=products)
    info: dict[str, Any] = {}
    if info_path.exists():
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
    recorded = info.get("build_s")
    return CachedStore(
        data_dir,
        database,
        engine,
        built_now,
        float(recorded) if isinstance(recorded, int | float) else None,
        info.get("built_at") if isinstance(info.get("built_at"), str) else None,
    )
