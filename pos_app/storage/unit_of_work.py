"""The SQLite unit of work: one connection, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from pos_app.storage.cancellation_repository import SqlCancellationRepository
from pos_app.storage.customer_repository import SqlCustomerRepository
from pos_app.storage.db import IMMEDIATE
from pos_app.storage.fiscal_repository import SqlFiscalRepository
from pos_app.storage.pickup_repository import SqlPickupRepository
from pos_app.storage.repositories import (
    SqlAbandonedSaleRepository,
    SqlCatalogRepository,
    SqlDrawerLogRepository,
    SqlOutboxRepository,
    SqlParkedSaleRepository,
    SqlPrintLogRepository,
    SqlReceiptSeriesRepository,
    SqlSaleRepository,
    SqlStockRepository,
)
from pos_app.storage.return_repository import SqlReturnRepository
from pos_app.storage.staff_repository import SqlStaffRepository
from pos_app.storage.sync_repository import SqlSyncRepository
from pos_app.storage.till_repository import SqlTillRepository
from pos_app.storage.voucher_repository import SqlVoucherRepository


class SqlUnitOfWork:
    catalog: SqlCatalogRepository
    sales: SqlSaleRepository
    series: SqlReceiptSeriesRepository
    outbox: SqlOutboxRepository
    stock: SqlStockRepository
    parked: SqlParkedSaleRepository
    abandoned: SqlAbandonedSaleRepository
    prints: SqlPrintLogRepository
    drawer: SqlDrawerLogRepository
    sync: SqlSyncRepository
    pickups: SqlPickupRepository
    staff: SqlStaffRepository
    returns: SqlReturnRepository
    vouchers: SqlVoucherRepository
    customers: SqlCustomerRepository
    tills: SqlTillRepository
    fiscal: SqlFiscalRepository
    cancellations: SqlCancellationRepository

    def __init__(self, engine: Engine, *, write: bool = True, currency: str = "EUR") -> None:
        self._engine = engine
        self._write = write
        self._currency = currency
        self._conn: Connection | None = None

    def __enter__(self) -> SqlUnitOfWork:
        conn = self._engine.connect()
        if self._write:
            conn = conn.execution_options(**{IMMEDIATE: True})
        conn.begin()
        self._conn = conn
        self.catalog = SqlCatalogRepository(conn, self._currency)
        self.sales = SqlSaleRepository(conn)
        self.series = SqlReceiptSeriesRepository(conn)
        self.outbox = SqlOutboxRepository(conn)
        self.stock = SqlStockRepository(conn)
        self.parked = SqlParkedSaleRepository(conn)
        self.abandoned = SqlAbandonedSaleRepository(conn)
        self.prints = SqlPrintLogRepository(conn)
        self.drawer = SqlDrawerLogRepository(conn)
        self.sync = SqlSyncRepository(conn)
        self.pickups = SqlPickupRepository(conn)
        self.staff = SqlStaffRepository(conn)
        self.returns = SqlReturnRepository(conn)
        self.vouchers = SqlVoucherRepository(conn)
        self.customers = SqlCustomerRepository(conn)
        self.tills = SqlTillRepository(conn)
        self.fiscal = SqlFiscalRepository(conn)
        self.cancellations = SqlCancellationRepository(conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn = self._conn
        self._conn = None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                conn.rollback()
        finally:
            conn.close()

    def commit(self) -> None:
        if self._conn is None:
            raise RuntimeError("commit outside the unit of work")
        self._conn.commit()

    def rollback(self) -> None:
        if self._conn is not None and self._conn.in_transaction():
            self._conn.rollback()


class SqlUnitOfWorkFactory:
    """Makes units of work on one engine: ``uow = factory()`` then ``with uow: ...``."""

    def __init__(self, engine: Engine, currency: str = "EUR") -> None:
        self.engine = engine
        self.currency = currency

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, currency=self.currency)

    def reader(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, write=False, currency=self.currency)
