"""The Warehouse interface and the plan of one tenant run's load.

A :class:`RunLoad` says which curated Parquet to load for which table; :func:`load_statements`
turns it into the one transaction both implementations run (see :mod:`.sql`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from . import sql
from .specs import TABLES, TableSpec


class WarehouseError(RuntimeError):
    """A load failed; ``statement`` is the SQL that failed, when known."""

    def __init__(self, message: str, statement: str | None = None) -> None:
        super().__init__(
            message if statement is None else f"{message}\n-- failing statement:\n{statement}"
        )
        self.statement = statement


@dataclass(frozen=True)
class TableLoad:
    table: str
    #: directory of the run's curated Parquet for this table (local path or ``s3://`` URI)
    location: str
    #: records of the table's stream in the manifest (``None``: not comparable, e.g. exploded)
    records: int | None
    complete_snapshot: bool = False
    cursor_to: str | None = None

    @property
    def spec(self) -> TableSpec:
        return TABLES[self.table]


@dataclass(frozen=True)
class RunLoad:
    tenant_id: str
    run_id: str
    mode: str
    started_at: datetime
    tables: tuple[TableLoad, ...]
    #: curated product deletions of this run, if any
    deletions: str | None = None
    #: records per manifest stream (the ledger's ``_manifest`` row holds their sum)
    stream_records: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadResult:
    tenant_id: str
    run_id: str
    skipped: bool
    rows: Mapping[str, int]


@dataclass(frozen=True)
class CheckResult:
    tenant_id: str
    run_id: str | None
    table: str | None
    name: str
    passed: bool
    observed: int | None = None
    expected: int | None = None
    detail: str = ""


class Warehouse(Protocol):
    """One implementation per engine: DuckDB locally, Redshift via the Data API on AWS."""

    def loaded_runs(self, tenant_id: str | None = None) -> set[tuple[str, str]]:
        """``(tenant_id, run_id)`` of every run in the load ledger."""
        ...

    def load_run(self, run: RunLoad, *, loaded_at: datetime) -> LoadResult:
        """Load one tenant run in one transaction, ledger included; skip if already loaded."""
        ...

    def refresh_reporting(self, rls: Sequence[tuple[str, str]]) -> None:
        """Recreate ``reporting.<table>`` views over every tenant, and ``reporting.rls_rules``."""
        ...

    def run_checks(self, run: RunLoad, result: LoadResult, *, now: datetime) -> list[CheckResult]:
        """Data-quality checks after a load, recorded in ``shopsync_ops.checks``."""
        ...


def load_statements(
    dialect: sql.Dialect,
    run: RunLoad,
    *,
    loaded_at: datetime,
    existing_columns: Mapping[str, Sequence[str]] | None = None,
    iam_role: str | None = None,
) -> list[str]:
    """The statements of one tenant run's load, in order (without BEGIN/COMMIT)."""
    tenant = run.tenant_id
    specs = [t.spec for t in run.tables]
    all_specs = list(TABLES.values())
    out = sql.ops_ddl(dialect) + sql.schema_ddl(dialect, tenant, all_specs)
    for spec in all_specs:
        have = (existing_columns or {}).get(spec.name)
        if have:  # a table that existed before this load may lack newer columns
            out += sql.add_columns(dialect, tenant, spec, have)
    for load in run.tables:
        out += sql.stage_statements(dialect, tenant, load.spec, load.location, iam_role=iam_role)
    for load in run.tables:
        if load.complete_snapshot:
            out.append(sql.snapshot_soft_delete(tenant, load.spec, run.started_at))
        out += sql.guard_and_merge(dialect, tenant, load.spec)
    if run.deletions is not None:
        out += sql.deletions_stage(dialect, run.deletions, iam_role=iam_role)
        for spec in all_specs:
            if spec.deleted_product_key is not None:
                out.append(sql.apply_deletions(tenant, spec))
        out += sql.cascade_deletions(tenant)
    entries = [
        sql.LedgerEntry(t.table, sql.staged_rows(t.spec), t.records, t.cursor_to)
        for t in run.tables
    ]
    entries.append(
        sql.LedgerEntry(sql.MANIFEST_STREAM, "0", sum(run.stream_records.values()), None)
    )
    out += sql.ledger_insert(tenant, run.run_id, run.mode, loaded_at, entries)
    stages = [s.name for s in specs] + ([sql.DELETIONS_TABLE] if run.deletions else [])
    out += sql.drop_stages(stages)
    return out
