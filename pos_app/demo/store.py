"""The demo store: a register database with a realistic Spanish catalog, made on first use."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, text

from pos_app.demo.catalog_generator import CATEGORIES, TAX_CLASSES, generate_catalog
from pos_app.services.errors import UnsyncedEvents
from pos_app.services.ports import StoreIdentity
from pos_app.storage.catalog_loader import load_catalog, set_identity
from pos_app.storage.db import open_database

log = logging.getLogger(__name__)

DEMO_IDENTITY = StoreIdentity(
    store_code="T01",
    register_code="C01",
    store_name="Ultramarinos Mostrador (DEMO)",
    tax_id="B00000000",
    address=("Calle Mayor 1", "28013 Madrid"),
)
DATABASE_NAME = "register.sqlite3"


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_NAME


def _demo_stock(pk: int) -> Decimal:
    return Decimal(random.Random(pk).randint(0, 120))


def unsynced_events(path: Path) -> int:
    """Events in the outbox of the register database at ``path`` (0 if there is none)."""
    engine = open_database(path)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT count(*) FROM outbox WHERE state = 'pending'")
                ).scalar_one()
            )
    finally:
        engine.dispose()


def reset_register_database(path: Path, *, discard_unsynced: bool = False) -> None:
    """Delete the register database at ``path``; refused (``UnsyncedEvents``) while events
    have not reached the backend, unless ``discard_unsynced``."""
    if path.exists() and not discard_unsynced:
        pending = unsynced_events(path)
        if pending:
            raise UnsyncedEvents(pending)
    remove_database(path)


def demo_is_ready(engine: Engine) -> bool:
    with engine.connect() as conn:
        has_identity = conn.execute(text("SELECT count(*) FROM store_identity")).scalar_one()
        has_products = conn.execute(text("SELECT count(*) FROM products")).scalar_one()
    return bool(has_identity and has_products)


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()


def open_demo_store(
    data_dir: Path,
    *,
    products: int = 5000,
    reset: bool = False,
    register_code: str = "C01",
    progress: Callable[[int], None] | None = None,
    discard_unsynced: bool = False,
) -> Engine:
    """Open the demo register in ``data_dir``, creating it (or recreating it with ``reset``).

    A reset refuses while sales or other events have not reached the backend, saying how many,
    unless ``discard_unsynced`` says to throw them away.
    """
    path = database_path(data_dir)
    if reset:
        reset_register_database(path, discard_unsynced=discard_unsynced)
    engine = open_database(path)
    if demo_is_ready(engine):
        return engine
    log.info("creating the demo store with %d products in %s", products, path)
    identity = StoreIdentity(
        DEMO_IDENTITY.store_code,
        register_code,
        DEMO_IDENTITY.store_name,
        DEMO_IDENTITY.tax_id,
        DEMO_IDENTITY.address,
    )
    set_identity(engine, identity)
    load_catalog(
        engine,
        tax_classes=TAX_CLASSES,
        categories=CATEGORIES,
        products=generate_catalog(products),
        stock=_demo_stock,
        progress=progress,
    )
    return engine
