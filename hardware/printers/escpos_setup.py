"""Make python-escpos safe to import.

Importing ``escpos`` (its ``escpos.capabilities`` module, pulled in by every printer class)
has three side effects that this module neutralises:

* it pickles its printer database into ``ESCPOS_CAPABILITIES_PICKLE_DIR`` and crashes with
  ``FileNotFoundError`` when that directory does not exist;
* it calls ``tempfile.mkdtemp()`` unconditionally (the call is the default argument of
  ``os.environ.get``, evaluated even when the variable is set), leaving an empty temporary
  directory behind on every start;
* it calls ``logging.basicConfig()``, installing a stderr handler on the root logger when the
  application has not configured logging yet.

Call :func:`ensure_escpos_ready` before any ``import escpos...``; every module of this package
that needs escpos imports it lazily, after calling it.

The printer classes (``Network``, ``Serial``, ``Usb``, ``Win32Raw``) log their ``open()`` and
``close()`` with the module-level ``logging.info()``, which also calls ``logging.basicConfig()``
when the root logger has no handler; wrap those calls in :func:`root_logging_untouched`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import platformdirs

from hardware.errors import HardwareError

__all__ = ["PICKLE_DIR_ENV", "ensure_escpos_ready", "escpos_cache_dir", "root_logging_untouched"]

logger = logging.getLogger(__name__)

PICKLE_DIR_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"
_APP_NAME = "mostrador"
_CAPABILITIES_MODULE = "escpos.capabilities"

_lock = threading.Lock()


def escpos_cache_dir() -> Path:
    """Return the default directory for escpos's capabilities pickle (not created here)."""
    return Path(platformdirs.user_cache_dir(_APP_NAME, appauthor=False)) / "escpos"


def _usable_directory(candidate: Path) -> bool:
    try:
        candidate.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        logger.warning("Cannot create escpos cache directory %s: %s", candidate, exc)
        return False
    if not os.access(candidate, os.W_OK | os.X_OK):
        logger.warning("escpos cache directory %s is not writable", candidate)
        return False
    return True


def _choose_pickle_dir() -> Path:
    candidates: list[Path] = []
    configured = os.environ.get(PICKLE_DIR_ENV)
    if configured:
        candidates.append(Path(configured))
    candidates.append(escpos_cache_dir())
    user_suffix = f"-{os.getuid()}" if hasattr(os, "getuid") else ""
    candidates.append(Path(tempfile.gettempdir()) / f"{_APP_NAME}-escpos{user_suffix}")
    for candidate in candidates:
        if _usable_directory(candidate):
            return candidate
    raise HardwareError(
        "No writable directory for the escpos printer database cache; tried "
        + ", ".join(str(c) for c in candidates)
    )


def _import_capabilities(pickle_dir: Path) -> None:
    """Import escpos.capabilities without leaking a temp dir or a root log handler."""
    scratch = Path(tempfile.mkdtemp(prefix="import-", dir=pickle_dir))
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    saved_tempdir = tempfile.tempdir
    tempfile.tempdir = str(scratch)
    try:
        importlib.import_module(_CAPABILITIES_MODULE)
    finally:
        tempfile.tempdir = saved_tempdir
        shutil.rmtree(scratch, ignore_errors=True)
        for handler in list(root.handlers):
            if handler not in handlers_before:
                root.removeHandler(handler)


def _discard_pickles(pickle_dir: Path) -> None:
    for stale in pickle_dir.glob("*.capabilities.pickle"):
        try:
            stale.unlink()
        except OSError as exc:
            logger.warning("Cannot remove stale escpos cache %s: %s", stale, exc)


def ensure_escpos_ready() -> Path:
    """Prepare the environment and import ``escpos.capabilities`` once.

    Sets ``ESCPOS_CAPABILITIES_PICKLE_DIR`` to an existing, writable directory (the one
    already configured, else the platform cache dir ``<user cache>/mostrador/escpos``),
    then imports escpos's capabilities module so that later ``import escpos...`` statements
    have no side effects. Returns the pickle directory. Idempotent and thread-safe.

    Raises :class:`HardwareError` when escpos cannot be imported at all.
    """
    with _lock:
        configured = os.environ.get(PICKLE_DIR_ENV)
        if _CAPABILITIES_MODULE in sys.modules and configured:
            return Path(configured)
        pickle_dir = _choose_pickle_dir()
        os.environ[PICKLE_DIR_ENV] = str(pickle_dir)
        if _CAPABILITIES_MODULE in sys.modules:
            return pickle_dir
        try:
            _import_capabilities(pickle_dir)
        except ImportError as exc:
            raise HardwareError(f"python-escpos cannot be imported: {exc}") from exc
        except Exception as first:  # a corrupt pickle can raise anything
            logger.warning(
                "Importing escpos failed (%s); discarding its cache in %s and retrying",
                first,
                pickle_dir,
            )
            _discard_pickles(pickle_dir)
            try:
                _import_capabilities(pickle_dir)
            except Exception as exc:
                raise HardwareError(f"python-escpos cannot be imported: {exc}") from exc
        logger.debug("escpos ready, capabilities cache in %s", pickle_dir)
        return pickle_dir


@contextlib.contextmanager
def root_logging_untouched() -> Iterator[None]:
    """Undo a ``logging.basicConfig()`` that python-escpos triggers inside the block.

    Only acts when the root logger had no handler on entry (the application has not set up
    logging yet): any handler added meanwhile is removed on exit.
    """
    root = logging.getLogger()
    if root.handlers:
        yield
        return
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
