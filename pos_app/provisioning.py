"""Provisioning a register (``mostrador provision`` and the first-run wizard).

One call does it all, in an order that loses nothing and leaks nothing:

1. check the request (:meth:`ProvisionRequest.validated`), the keyring and that the settings
   file can be written, before any network call, so no one-time code is spent in vain;
2. enrol with the backend (which refuses a code of another store and leaves it unused), keep
   the token in the keyring, download the catalog;
3. write the non-secret settings (backend URL, store, register name and code, data directory)
   to the user's or the machine-wide settings file.

The token and the code never reach a file or a log. Errors are
:class:`~pos_app.domain.provisioning.ProvisioningError`, each with its exit code.

Taking over the identity of a broken register (a replacement machine) is a different way of
enrolling in step 2: it belongs in :func:`_enroll`, chosen by a field of the request.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from pos_app.config import ConfigError, load_settings, save_register_settings
from pos_app.demo.store import database_path, remove_database
from pos_app.domain.provisioning import Problem, ProvisioningError, ProvisionRequest
from pos_app.services.ports import StoreIdentity
from pos_app.storage.credentials import CredentialsUnavailable, KeyringTokenStore, TokenStore
from pos_app.storage.unit_of_work import SqlUnitOfWorkFactory

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 5.0  # seconds, for "test the connection"


@dataclass(frozen=True)
class BackendInfo:
    url: str
    server_version: str


@dataclass(frozen=True)
class Provisioned:
    identity: StoreIdentity
    database: Path
    config_path: Path
    catalog_changes: int
    catalog_complete: bool  # False: enrolled, the rest of the catalog comes at the next start


def register_database(data_dir: Path) -> Path:
    return database_path(data_dir)


def is_provisioned(data_dir: Path) -> bool:
    """Whether the register database in ``data_dir`` exists and has a store identity
    (enrolled, or set up by hand for a register on its own)."""
    import sqlite3

    path = register_database(data_dir)
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return True  # there is a file: opening it says what is wrong with it
    try:
        row = conn.execute("SELECT count(*) FROM store_identity").fetchone()
        return bool(row and row[0])
    except sqlite3.Error:
        return False  # created, never set up
    finally:
        conn.close()


def check_backend(url: str, *, timeout: float = CHECK_TIMEOUT) -> BackendInfo:
    """Ask the backend at ``url`` for its health (no code spent); ProvisioningError when it
    cannot be reached or is not a Mostrador backend."""
    from sync.client import SyncClient
    from sync.errors import SyncError

    url = ProvisionRequest(url, "-", "-", "----").validated().backend_url
    try:
        with SyncClient(url, timeout=timeout) as client:
            health = client.health()
    except SyncError as exc:
        raise _translate(exc, url) from exc
    return BackendInfo(url, health.server_version)


def provision(
    request: ProvisionRequest,
    *,
    data_dir: Path,
    config_path: Path,
    write_data_dir: bool = False,
    force: bool = False,
    tokens: TokenStore | None = None,
    progress: Callable[[int], None] | None = None,
) -> Provisioned:
    """Enrol this register and write its settings (see the module's docstring).

    ``tokens`` defaults to the system keyring; ``write_data_dir`` records ``data_dir`` in the
    settings (it was chosen, not the platform's default)."""
    from pos_app.storage.db import DatabaseError, open_database

    request = request.validated()
    if tokens is None:
        try:
            tokens = KeyringTokenStore(request.backend_url)
        except CredentialsUnavailable as exc:
            raise ProvisioningError(Problem.NO_KEYRING, str(exc)) from exc
    _check_writable(config_path)
    database = register_database(data_dir)
    existed = database.exists()
    try:
        engine = open_database(database)
    except (DatabaseError, OSError) as exc:
        raise ProvisioningError(Problem.NOT_WRITABLE, str(exc)) from exc
    log.info(
        "provisioning register %r of store %s with %s (database %s)",
        request.register_name,
        request.store_code,
        request.backend_url,
        database,
    )
    try:
        _refuse_if_provisioned(engine, request, database, force=force)
        identity, changes, complete = _enroll(engine, request, tokens, progress)
    except BaseException:
        engine.dispose()
        if not existed and not is_provisioned(data_dir):
            _remove(database)  # nothing was kept: no half-made register left behind
        raise
    engine.dispose()
    values = {
        "backend_url": request.backend_url,
        "store": identity.store_code,
        "register_name": request.register_name,
        "register_code": identity.register_code,
    }
    if write_data_dir:
        values["data_dir"] = str(data_dir.resolve())
    try:
        save_register_settings(config_path, values)
    except ConfigError as exc:
        raise ProvisioningError(
            Problem.NOT_WRITABLE,
            f"la caja está dada de alta, pero no se pudo escribir la configuración: {exc}",
        ) from exc
    log.info(
        "register %s of store %s provisioned (%d catalog changes%s); settings in %s",
        identity.register_code,
        identity.store_code,
        changes,
        "" if complete else ", catalog incomplete",
        config_path,
    )
    return Provisioned(identity, database, config_path, changes, complete)


class LocalProvisioner:
    """The first-run wizard's provisioner (``pos_app.ui.first_run_wizard.Provisioner``): this
    machine's keyring (or ``tokens``), ``data_dir`` and settings file."""

    def __init__(
        self,
        data_dir: Path,
        config_path: Path,
        *,
        write_data_dir: bool = False,
        tokens: TokenStore | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.config_path = config_path
        self.write_data_dir = write_data_dir
        self.tokens = tokens

    def check(self, backend_url: str) -> str:
        info = check_backend(backend_url)
        return f"{info.url} (Mostrador {info.server_version})"

    def provision(
        self, request: ProvisionRequest, progress: Callable[[int], None]
    ) -> StoreIdentity:
        return provision(
            request,
            data_dir=self.data_dir,
            config_path=self.config_path,
            write_data_dir=self.write_data_dir,
            tokens=self.tokens,
            progress=progress,
        ).identity


class _Recording:
    """The token store, noting that the backend gave a token (the code is spent)."""

    def __init__(self, tokens: TokenStore) -> None:
        self._tokens = tokens
        self.stored = False

    def get(self, device_id: str) -> str | None:
        return self._tokens.get(device_id)

    def set(self, device_id: str, token: str) -> None:
        self._tokens.set(device_id, token)
        self.stored = True

    def delete(self, device_id: str) -> None:
        self._tokens.delete(device_id)


def _enroll(
    engine: Engine,
    request: ProvisionRequest,
    tokens: TokenStore,
    progress: Callable[[int], None] | None,
) -> tuple[StoreIdentity, int, bool]:
    """Enrol with the one-time code and download the catalog. A catalog download cut short
    still leaves an enrolled register (the sync goes on from its cursor at the next start)."""
    from pos_app.bootstrap import enroll_register
    from pos_app.services.errors import UnsyncedEvents
    from sync.errors import SyncError

    recording = _Recording(tokens)
    changes = [0]

    def counted(total: int) -> None:
        changes[0] = total
        if progress is not None:
            progress(total)

    try:
        identity = enroll_register(
            engine,
            request.backend_url,
            request.enrollment_code,
            request.register_name,
            recording,
            progress=counted,
            store_code=request.store_code,
        )
    except CredentialsUnavailable as exc:
        raise ProvisioningError(
            Problem.NO_KEYRING,
            f"la central dio de alta la caja pero su token no se pudo guardar; el código ya "
            f"está usado: arregle el almacén de claves, pida otro código y repita con --force. "
            f"({exc})",
        ) from exc
    except UnsyncedEvents as exc:
        raise ProvisioningError(
            Problem.ALREADY,
            f"esta caja tiene {exc.count} eventos sin enviar a su central; no se cambia de "
            "central ni de caja hasta que se sincronicen",
        ) from exc
    except SyncError as exc:
        if recording.stored:
            log.warning("register enrolled; catalog download stopped: %s", exc)
            return _identity(engine), changes[0], False
        raise _translate(exc, request.backend_url) from exc
    return identity, changes[0], True


def _refuse_if_provisioned(
    engine: Engine, request: ProvisionRequest, database: Path, *, force: bool
) -> None:
    with SqlUnitOfWorkFactory(engine).reader() as uow:
        state = uow.sync.state()
        identity = uow.catalog.identity()
    if identity is None:
        return
    if identity.store_code.upper() != request.store_code.upper():
        raise ProvisioningError(
            Problem.ALREADY,
            f"la base de datos {database} es de la caja {identity.register_code} de la tienda "
            f"{identity.store_code}, no de la tienda {request.store_code}: use otro directorio "
            "de datos (--data-dir)",
        )
    if not force:
        where = f" con {state.backend_url}" if state.backend_url else ""
        raise ProvisioningError(
            Problem.ALREADY,
            f"esta caja ya está dada de alta: caja {identity.register_code} de la tienda "
            f"{identity.store_code}{where} ({database}). Para darla de alta de nuevo con otro "
            "código añada --force (conserva sus ventas y su numeración).",
        )


def _identity(engine: Engine) -> StoreIdentity:
    with SqlUnitOfWorkFactory(engine).reader() as uow:
        identity = uow.catalog.identity()
    assert identity is not None
    return identity


def _remove(database: Path) -> None:
    try:
        remove_database(database)
    except OSError as exc:
        log.warning("could not remove the unused database %s: %s", database, exc)


def _check_writable(config_path: Path) -> None:
    """Fail before enrolling when the settings file cannot be written (a code would be spent
    for a register that then has no settings)."""
    try:
        load_settings(config_path)  # a malformed file is named now, not after enrolling
    except ConfigError as exc:
        raise ProvisioningError(Problem.NOT_WRITABLE, str(exc)) from exc
    try:
        config_path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=config_path.parent):
            pass  # the settings are written beside the file, then renamed over it
        if config_path.exists() and not os.access(config_path, os.W_OK):
            raise PermissionError(f"{config_path} is read-only")
    except OSError as exc:
        raise ProvisioningError(
            Problem.NOT_WRITABLE,
            f"no se puede escribir la configuración en {config_path} ({exc}); con --system "
            "hace falta ser administrador (sudo en Linux, «Ejecutar como administrador» en "
            "Windows)",
        ) from exc


def _translate(exc: Exception, url: str) -> ProvisioningError:
    """The sync client's error as a provisioning problem with a message for IT."""
    from sync.errors import SyncError, SyncErrorKind

    assert isinstance(exc, SyncError)
    if exc.kind is SyncErrorKind.NETWORK:
        return ProvisioningError(
            Problem.UNREACHABLE,
            f"no se puede conectar con la central {url}: compruebe la dirección, el puerto, "
            f"la red y que la central esté en marcha ({exc.message})",
        )
    if exc.code == "wrong_store":
        return ProvisioningError(
            Problem.WRONG_STORE,
            f"el código de alta es de otra tienda; no se ha usado ({exc.message})",
        )
    if exc.kind is SyncErrorKind.AUTH or exc.code in (
        "enrollment_code_used",
        "enrollment_code_expired",
    ):
        return ProvisioningError(
            Problem.CODE_REFUSED,
            f"la central no acepta el código de alta: {exc.message}",
        )
    if exc.kind is SyncErrorKind.REJECTED and exc.status == 422:
        return ProvisioningError(
            Problem.BAD_INPUT, f"la central no acepta los datos: {exc.message}"
        )
    return ProvisioningError(
        Problem.BAD_BACKEND,
        f"lo que responde en {url} no es una central de Mostrador que esta caja entienda ({exc})",
    )
