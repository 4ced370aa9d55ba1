"""What ``shopsync status`` shows per tenant: last run, cursors, rows per table, freshness
and failed checks, read from the warehouse's ledger, checks and tenant schemas."""

# ruff: noqa: S608 - SQL is generated from specs; identifiers are validated, literals quoted

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import duckdb
from pydantic import BaseModel

from . import sql
from .specs import TABLES


class TableStatus(BaseModel):
    table: str
    rows: int
    deleted: int
    newest_synced_at: datetime | None


class FailedCheck(BaseModel):
    run_id: str | None
    table: str | None
    check: str
    detail: str | None
    checked_at: datetime


class TenantStatus(BaseModel):
    tenant_id: str
    last_run_id: str | None = None
    last_loaded_at: datetime | None = None
    runs_loaded: int = 0
    cursors: dict[str, str] = {}
    tables: list[TableStatus] = []
    failed_checks: list[FailedCheck] = []

    @property
    def ok(self) -> bool:
        return not self.failed_checks


def _one(con: duckdb.DuckDBPyConnection, query: str, params: list[Any]) -> Any:
    row = con.execute(query, params).fetchone()
    return row


def tenant_status(con: duckdb.DuckDBPyConnection, tenant_ids: Iterable[str]) -> list[TenantStatus]:
    schemas = {
        str(s)
        for (s,) in con.execute("SELECT schema_name FROM information_schema.schemata").fetchall()
    }
    has_ops = sql.OPS_SCHEMA in schemas
    out = []
    for tenant in tenant_ids:
        status = TenantStatus(tenant_id=tenant)
        if has_ops:
            last = _one(
                con,
                f"SELECT run_id, loaded_at, (SELECT COUNT(DISTINCT run_id) FROM {sql.LEDGER} "
                f"WHERE tenant_id = ?) FROM {sql.LEDGER} WHERE tenant_id = ? "
                "ORDER BY run_id DESC LIMIT 1",
                [tenant, tenant],
            )
            if last is not None:
                status.last_run_id, status.last_loaded_at, status.runs_loaded = last
            for stream, cursor in con.execute(
                f"SELECT stream, MAX(cursor_to) FROM {sql.LEDGER} WHERE tenant_id = ? "
                "AND cursor_to IS NOT NULL GROUP BY stream ORDER BY stream",
                [tenant],
            ).fetchall():
                status.cursors[str(stream)] = str(cursor)
            # The latest verdict of each check on each table: a failure stays until a later
            # run of the same check passes.
            for run_id, table, check, detail, at in con.execute(
                f"SELECT run_id, table_name, check_name, detail, checked_at FROM ("
                f"SELECT *, ROW_NUMBER() OVER (PARTITION BY table_name, check_name "
                f"ORDER BY checked_at DESC, run_id DESC) AS n FROM {sql.CHECKS} "
                "WHERE tenant_id = ?) WHERE n = 1 AND status = 'failed' ORDER BY table_name",
                [tenant],
            ).fetchall():
                status.failed_checks.append(
                    FailedCheck(
                        run_id=run_id, table=table, check=check, detail=detail, checked_at=at
                    )
                )
        schema = sql.tenant_schema(tenant)
        if schema in schemas:
            for name in TABLES:
                row = _one(
                    con,
                    f"SELECT COUNT(*) FILTER (WHERE _deleted_at IS NULL), "
                    f"COUNT(*) FILTER (WHERE _deleted_at IS NOT NULL), MAX(_synced_at) "
                    f"FROM {schema}.{name}",
                    [],
                )
                if row is not None:
                    status.tables.append(
                        TableStatus(
                            table=name, rows=row[0], deleted=row[1], newest_synced_at=row[2]
                        )
                    )
        out.append(status)
    return out
