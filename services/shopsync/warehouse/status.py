"""What ``shopsync status`` shows per tenant: last run, cursors, streams the last run skipped
for a missing access scope, rows per table, freshness and failed checks, read from the
warehouse's ledger, skipped streams, checks and tenant schemas.

One set of SQL for both engines: :func:`tenant_status` takes a :data:`Query` ("run this SQL,
give me the rows"), which is a DuckDB connection's ``execute(...).fetchall()`` locally and
:meth:`RedshiftDataApiWarehouse.execute` on AWS. The statements use only what DuckDB and
Redshift share (no ``FILTER``, no ``COUNT(DISTINCT ...) OVER``, aliased derived tables,
explicit ``NULLS LAST``), take no bind parameters (the Data API path has none: literals go
through :func:`sql.literal`, identifiers through :func:`sql.tenant_schema`), and a reading
costs a fixed handful of statements, not one per tenant and table.

What exists is asked of ``information_schema.tables`` first, in a statement of its own (on
Redshift the catalog runs on the leader node and must not be joined with tenant tables), so a
tenant that was never loaded, or whose schema lacks a table the specs gained, is reported as
such rather than failing the query. Timestamps arrive as ``datetime`` from DuckDB and as text
(``2026-11-24 12:00:00.5+00``) from the Data API; the models parse both to UTC.
"""

# ruff: noqa: S608 - SQL is generated from specs; identifiers are validated, literals quoted

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Protocol, runtime_checkable

from pydantic import BaseModel, BeforeValidator

from shopsync.state.base import TenantState

from . import sql
from .specs import TABLES

#: Runs one statement and returns its rows.
Query = Callable[[str], Sequence[Sequence[Any]]]

#: SELECTs per UNION ALL statement of row counts: keeps a statement far below the Data API's
#: 100 KB limit however many tenants there are.
COUNTS_PER_STATEMENT = 64

_LEDGER_TABLE = tuple(sql.LEDGER.split("."))
_CHECKS_TABLE = tuple(sql.CHECKS.split("."))
_SKIPPED_TABLE = tuple(sql.SKIPPED.split("."))


def _instant(value: Any) -> Any:
    """A DuckDB ``datetime`` or Data API text (``+00`` offset, any fraction) as UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


Instant = Annotated[datetime, BeforeValidator(_instant)]


class TableStatus(BaseModel):
    table: str
    rows: int
    deleted: int
    newest_synced_at: Instant | None


class FailedCheck(BaseModel):
    run_id: str | None
    table: str | None
    check: str
    detail: str | None
    checked_at: Instant


class IngestionStatus(BaseModel):
    """The tenant's last ingestion run, from the state store (not the warehouse): a run that
    failed loads nothing, so only the state knows it happened and why it failed."""

    run_id: str | None = None
    mode: str | None = None
    status: str | None = None
    started_at: Instant | None = None
    finished_at: Instant | None = None
    error: str | None = None
    #: Shopify cost points the run used
    points: float | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


class TenantStatus(BaseModel):
    tenant_id: str
    last_run_id: str | None = None
    last_loaded_at: Instant | None = None
    runs_loaded: int = 0
    cursors: dict[str, str] = {}
    #: streams the latest loaded run skipped -> the access scopes the token lacked
    skipped: dict[str, list[str]] = {}
    tables: list[TableStatus] = []
    #: tables of the specs that the tenant's schema does not have (all of them until the
    #: tenant's first load)
    missing_tables: list[str] = []
    failed_checks: list[FailedCheck] = []
    #: the last ingestion run (``shopsync status`` adds it from the state store)
    ingestion: IngestionStatus | None = None

    @property
    def ok(self) -> bool:
        """No failed check, and the last ingestion run did not fail."""
        return not self.failed_checks and not (self.ingestion and self.ingestion.failed)

    @property
    def loaded(self) -> bool:
        return self.runs_loaded > 0


def ingestion_status(state: TenantState | None) -> IngestionStatus | None:
    """The last ingestion run the state store recorded for a tenant (None: never run)."""
    if state is None or state.last_run_id is None:
        return None
    return IngestionStatus(
        run_id=state.last_run_id,
        mode=state.last_mode,
        status=state.last_status.value if state.last_status is not None else None,
        started_at=state.last_started_at,
        finished_at=state.last_finished_at,
        error=state.last_error,
        points=state.last_points,
    )


def never_loaded(tenant_id: str) -> TenantStatus:
    """The status of a tenant the warehouse knows nothing of."""
    return TenantStatus(tenant_id=tenant_id, missing_tables=list(TABLES))


@runtime_checkable
class Connection(Protocol):
    """A DB-API-like connection (DuckDB's): ``execute`` returns something to ``fetchall``.

    Typed structurally so that reading status never imports DuckDB, which the Lambda
    package and the Glue job do not have."""

    def execute(self, statement: str, /) -> Any: ...


def duckdb_query(con: Connection) -> Query:
    def run(statement: str) -> Sequence[Sequence[Any]]:
        rows: Sequence[Sequence[Any]] = con.execute(statement).fetchall()
        return rows

    return run


# -- statements ------------------------------------------------------------------------------


def _in(values: Iterable[str]) -> str:
    return "(" + ", ".join(sql.literal(v) for v in values) + ")"


def existing_tables_sql(tenant_ids: Sequence[str]) -> str:
    """``(schema, table)`` of the ops tables and of the tenants' schemas' tables."""
    schemas = [sql.OPS_SCHEMA, *(sql.tenant_schema(t) for t in tenant_ids)]
    return (
        "SELECT table_schema, table_name FROM information_schema.tables "
        f"WHERE table_type = 'BASE TABLE' AND table_schema IN {_in(schemas)}"
    )


def last_runs_sql(tenant_ids: Sequence[str]) -> str:
    """Per tenant: the latest run in the ledger, when it was loaded, how many runs."""
    return (
        "SELECT r.tenant_id, r.last_run_id, MAX(l.loaded_at) AS loaded_at, r.runs FROM ("
        "SELECT tenant_id, MAX(run_id) AS last_run_id, COUNT(DISTINCT run_id) AS runs "
        f"FROM {sql.LEDGER} WHERE tenant_id IN {_in(tenant_ids)} GROUP BY tenant_id) AS r "
        f"JOIN {sql.LEDGER} l ON l.tenant_id = r.tenant_id AND l.run_id = r.last_run_id "
        "GROUP BY r.tenant_id, r.last_run_id, r.runs ORDER BY r.tenant_id"
    )


def cursors_sql(tenant_ids: Sequence[str]) -> str:
    """Per tenant and stream: the furthest cursor a loaded run reached."""
    return (
        f"SELECT tenant_id, stream, MAX(cursor_to) FROM {sql.LEDGER} "
        f"WHERE tenant_id IN {_in(tenant_ids)} AND cursor_to IS NOT NULL "
        "GROUP BY tenant_id, stream ORDER BY tenant_id, stream"
    )


def _latest_runs(tenant_ids: Sequence[str]) -> str:
    return (
        f"SELECT tenant_id, MAX(run_id) AS last_run_id FROM {sql.LEDGER} "
        f"WHERE tenant_id IN {_in(tenant_ids)} GROUP BY tenant_id"
    )


def skipped_sql(tenant_ids: Sequence[str]) -> str:
    """Per tenant: the streams its latest loaded run skipped, and the scopes each lacked."""
    return (
        "SELECT s.tenant_id, s.stream, s.missing_scope FROM "
        f"{sql.SKIPPED} s JOIN ({_latest_runs(tenant_ids)}) AS r "
        "ON s.tenant_id = r.tenant_id AND s.run_id = r.last_run_id "
        "ORDER BY s.tenant_id, s.stream, s.missing_scope"
    )


def failed_checks_sql(tenant_ids: Sequence[str]) -> str:
    """The latest verdict of each check on each table, where it failed: a failure stays until
    a later run of the same check passes."""
    return (
        "SELECT tenant_id, run_id, table_name, check_name, detail, checked_at FROM ("
        "SELECT tenant_id, run_id, table_name, check_name, status, detail, checked_at, "
        "ROW_NUMBER() OVER (PARTITION BY tenant_id, table_name, check_name "
        "ORDER BY checked_at DESC, run_id DESC NULLS LAST) AS n "
        f"FROM {sql.CHECKS} WHERE tenant_id IN {_in(tenant_ids)}) AS latest "
        "WHERE n = 1 AND status = 'failed' "
        "ORDER BY tenant_id, table_name NULLS LAST, check_name"
    )


def table_counts_sql(tables: Sequence[tuple[str, str]]) -> list[str]:
    """Live rows, soft-deleted rows and the newest ``_synced_at`` of ``(tenant, table)``
    pairs, in as few UNION ALL statements as the size bound allows.

    Each row starts with the pair's index in ``tables``: an integer needs no care about how
    either engine types a string literal across the branches of a UNION.
    """
    parts = [
        f"SELECT {index} AS pair, COUNT(CASE WHEN _deleted_at IS NULL THEN 1 END) AS live, "
        "COUNT(_deleted_at) AS deleted, MAX(_synced_at) AS newest_synced_at "
        f"FROM {sql.tenant_schema(tenant)}.{TABLES[table].name}"
        for index, (tenant, table) in enumerate(tables)
    ]
    return [
        " UNION ALL ".join(parts[i : i + COUNTS_PER_STATEMENT])
        for i in range(0, len(parts), COUNTS_PER_STATEMENT)
    ]


# -- reading ---------------------------------------------------------------------------------


def _read_ledger(query: Query, ids: list[str], found: dict[str, dict[str, Any]]) -> None:
    for tenant, run_id, loaded_at, runs in query(last_runs_sql(ids)):
        found[str(tenant)].update(last_run_id=run_id, last_loaded_at=loaded_at, runs_loaded=runs)
    for tenant, stream, cursor in query(cursors_sql(ids)):
        found[str(tenant)].setdefault("cursors", {})[str(stream)] = str(cursor)


def _read_skipped(query: Query, ids: list[str], found: dict[str, dict[str, Any]]) -> None:
    for tenant, stream, scope in query(skipped_sql(ids)):
        skipped = found[str(tenant)].setdefault("skipped", {})
        skipped.setdefault(str(stream), []).append(str(scope))


def _read_checks(query: Query, ids: list[str], found: dict[str, dict[str, Any]]) -> None:
    for tenant, run_id, table, check, detail, at in query(failed_checks_sql(ids)):
        found[str(tenant)].setdefault("failed_checks", []).append(
            {"run_id": run_id, "table": table, "check": check, "detail": detail, "checked_at": at}
        )


def _read_tables(
    query: Query,
    ids: list[str],
    existing: set[tuple[str, str]],
    found: dict[str, dict[str, Any]],
) -> None:
    present = [(t, n) for t in ids for n in TABLES if (sql.tenant_schema(t), n) in existing]
    counts: dict[tuple[str, str], Sequence[Any]] = {}
    for statement in table_counts_sql(present):
        for pair, *values in query(statement):
            counts[present[int(pair)]] = values
    for tenant in ids:
        status = found[tenant]
        status["tables"], status["missing_tables"] = [], []
        for name in TABLES:
            if (tenant, name) not in counts:
                status["missing_tables"].append(name)
                continue
            live, deleted, newest = counts[tenant, name]
            status["tables"].append(
                {"table": name, "rows": live, "deleted": deleted, "newest_synced_at": newest}
            )


def tenant_status(source: Query | Connection, tenant_ids: Iterable[str]) -> list[TenantStatus]:
    """One :class:`TenantStatus` per distinct tenant id, in the order given.

    ``source`` runs SQL: a :data:`Query`, or a connection such as DuckDB's (wrapped in
    :func:`duckdb_query`).
    """
    query = duckdb_query(source) if isinstance(source, Connection) else source
    ids = list(dict.fromkeys(tenant_ids))
    for tenant in ids:
        sql.tenant_schema(tenant)  # a valid id, before any of it reaches SQL
    if not ids:
        return []
    existing = {(str(s), str(t)) for s, t in query(existing_tables_sql(ids))}
    found: dict[str, dict[str, Any]] = {t: {"tenant_id": t} for t in ids}
    if _LEDGER_TABLE in existing:
        _read_ledger(query, ids, found)
        if _SKIPPED_TABLE in existing:  # created by the first load that knew of it
            _read_skipped(query, ids, found)
    if _CHECKS_TABLE in existing:
        _read_checks(query, ids, found)
    _read_tables(query, ids, existing, found)
    return [TenantStatus.model_validate(found[t]) for t in ids]
