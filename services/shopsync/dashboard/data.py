"""What the dashboard reads: the DuckDB warehouse, read-only, through :mod:`.charts`' SQL.

A connection is opened per query and closed after it: DuckDB lets one process write a file
or many read it, so a dashboard that held the file open would stop every load. While a load
holds it, a query waits up to :data:`BUSY_WAIT_SECONDS` (the same lock wait a load uses,
:meth:`DuckDBWarehouse.connect`) and then the page says the warehouse is busy.
"""

# ruff: noqa: S608 - the SQL is constant; requests only bind parameters

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse
from shopsync.warehouse.sql import LEDGER
from shopsync.warehouse.status import TenantStatus, tenant_status

from .charts import (
    CURRENCY_SQL,
    SALES_DAYS_SQL,
    SUMMARY_COLUMNS,
    SUMMARY_SQL,
    Chart,
    grain_for,
    rls,
    visible_tenants_sql,
)

BUSY_WAIT_SECONDS = 5.0


class WarehouseBusyError(RuntimeError):
    """A load holds the warehouse file."""


@dataclass(frozen=True)
class Rows:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [r[index] for r in self.rows]


@dataclass(frozen=True)
class StreamRun:
    """A stream's latest loaded run (the load ledger)."""

    stream: str
    run_id: str
    loaded_at: Any
    rows: int
    records: int | None
    cursor_to: str | None


class Warehouse:
    """Read-only queries over ``path``, every one scoped by a user's groups."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = DuckDBWarehouse(path)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """A read-only connection, or None when nothing was ever loaded."""
        if not self.path.exists():
            yield None
            return
        with ExitStack() as stack:
            try:
                con = stack.enter_context(
                    self._file.connect(read_only=True, wait=BUSY_WAIT_SECONDS)
                )
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise
                raise WarehouseBusyError(
                    "the warehouse is busy: a load is writing to it; try again in a moment"
                ) from None
            exists = con.execute(
                "SELECT COUNT(*) FROM information_schema.tables "
                "WHERE table_schema = 'reporting' AND table_name = 'rls_rules'"
            ).fetchone()
            yield con if exists and exists[0] else None

    def _query(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        with self.connect() as con:
            if con is None:
                return []
            try:
                return con.execute(sql, params).fetchall()
            except duckdb.CatalogException:  # a reporting table not created yet
                return []

    def visible_tenants(self, groups: Sequence[str]) -> list[str]:
        rows = self._query(visible_tenants_sql(), {"groups": list(groups)})
        return [str(r[0]) for r in rows]

    def chart(
        self,
        chart: Chart,
        tenant: str,
        groups: Sequence[str],
        *,
        start: date,
        end: date,
        low: int,
    ) -> Rows:
        bound = {
            "tenant": tenant,
            "groups": list(groups),
            "start": start,
            "end": end,
            "low": low,
            "grain": grain_for((end - start).days + 1),
        }
        params = {k: bound[k] for k in chart.params}
        return Rows(chart.columns, self._query(chart.statement(), params))

    def summary(self, groups: Sequence[str], *, start: date, end: date) -> list[dict[str, Any]]:
        rows = self._query(SUMMARY_SQL, {"groups": list(groups), "start": start, "end": end})
        return [dict(zip(SUMMARY_COLUMNS, r, strict=True)) for r in rows]

    def currency(self, tenant: str, groups: Sequence[str]) -> str | None:
        rows = self._query(CURRENCY_SQL, {"tenant": tenant, "groups": list(groups)})
        return str(rows[0][0]) if rows else None

    def sales_days(self, tenant: str, groups: Sequence[str]) -> tuple[date, date] | None:
        rows = self._query(SALES_DAYS_SQL, {"tenant": tenant, "groups": list(groups)})
        if not rows or rows[0][0] is None:
            return None
        return rows[0][0], rows[0][1]

    def operations(
        self, groups: Sequence[str]
    ) -> tuple[list[TenantStatus], dict[str, list[StreamRun]]]:
        """Per visible tenant: what ``shopsync status`` shows, and each stream's latest run."""
        with self.connect() as con:
            if con is None:
                return [], {}
            tenants = [
                str(r[0])
                for r in con.execute(visible_tenants_sql(), {"groups": list(groups)}).fetchall()
            ]
            if not tenants:
                return [], {}
            statuses = tenant_status(con, tenants)
            latest = con.execute(
                "SELECT tenant_id, stream, MAX(run_id), arg_max(loaded_at, run_id), "
                "arg_max(rows, run_id), arg_max(records, run_id), arg_max(cursor_to, run_id) "
                f"FROM {LEDGER} WHERE list_contains($tenants, tenant_id) "
                "GROUP BY 1, 2 ORDER BY 1, 2",
                {"tenants": tenants},
            ).fetchall()
        streams: dict[str, list[StreamRun]] = {t: [] for t in tenants}
        for tenant, stream, run_id, loaded_at, n, records, cursor in latest:
            streams[str(tenant)].append(
                StreamRun(str(stream), str(run_id), loaded_at, int(n), records, cursor)
            )
        return statuses, streams


def as_number(value: Any) -> float | int | None:
    """A JSON-friendly number (DuckDB returns decimals as :class:`Decimal`)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float):
        return value
    raise TypeError(f"not a number: {value!r}")


__all__ = ["Rows", "StreamRun", "Warehouse", "WarehouseBusyError", "as_number", "rls"]
