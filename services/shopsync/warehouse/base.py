"""The Warehouse interface and the plan of one tenant run's load.

A :class:`RunLoad` says which curated Parquet to load for which table; :func:`load_statements`
turns it into the statements both implementations run (see :mod:`.sql`): a prologue
(schema and tables, when they lack something), the batch's tables staged (once per session for
every run of the batch), one group per table (the run's rows staged from the batch's, snapshot
soft delete, guarded MERGE), an epilogue (deletions, ledger). A table's group needs nothing
but its own table of the batch, so an implementation may run it while the job is still
writing the next table. DuckDB runs them as one transaction; Redshift as Data API batches of at
most 40 (:func:`load_batches`), the ledger in the last, so a run whose ledger row is missing is
replayed whole.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from shopsync.reporting import tables as reporting_tables

from . import sql
from .specs import TABLES, ColumnType, TableSpec


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
    #: directory of the curated Parquet of this table for the run's whole batch (local path
    #: or ``s3://`` URI): the run's rows are those with its ``_tenant_id`` and ``_run_id``
    location: str
    #: records of the table's stream in the manifest (``None``: not comparable, e.g. exploded)
    records: int | None
    complete_snapshot: bool = False
    cursor_to: str | None = None

    @property
    def spec(self) -> TableSpec:
        return TABLES[self.table]


@dataclass(frozen=True)
class Deletions:
    """A run's curated deletions: ``(subject_type, subject_id, deleted_at)`` per record that
    Shopify destroyed, from the run's deletions streams."""

    #: directory of the Parquet (local path or ``s3://`` URI)
    location: str
    #: the subjects (``PRODUCT``, ``ORDER``, ``CUSTOMER``) whose deletions streams landed events
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class RunLoad:
    tenant_id: str
    run_id: str
    mode: str
    started_at: datetime
    tables: tuple[TableLoad, ...]
    #: curated deletions of this run, if any
    deletions: Deletions | None = None
    #: records per manifest stream (the ledger's ``_manifest`` row holds their sum)
    stream_records: Mapping[str, int] = field(default_factory=dict)
    #: streams the run skipped -> the access scopes the token lacked (the manifest's)
    skipped: Mapping[str, Sequence[str]] = field(default_factory=dict)


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


@dataclass(frozen=True)
class LoadResult:
    tenant_id: str
    run_id: str
    skipped: bool
    rows: Mapping[str, int]
    #: The run's checks, when the load ran them (``checked_at``): committed with the run.
    checks: tuple[CheckResult, ...] = ()


@dataclass
class JobSummary:
    """What one run of the load job did: runs loaded, checks run, errors (one per run that
    failed)."""

    loaded: list[LoadResult] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Seconds spent per stage of the job (curation, warehouse, checks, reporting).
    timing: dict[str, float] = field(default_factory=dict)

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed_checks


class Warehouse(Protocol):
    """One implementation per engine: DuckDB locally, Redshift via the Data API on AWS."""

    #: Runs of different tenants of one batch that may load at once (each in its own
    #: transaction, a tenant's runs always one after another).
    concurrency: int

    def loaded_runs(self, tenant_id: str | None = None) -> set[tuple[str, str]]:
        """``(tenant_id, run_id)`` of every run in the load ledger."""
        ...

    def last_loaded_runs(self, tenant_id: str | None = None) -> dict[str, set[str]]:
        """Each tenant's loaded runs of the second its latest loaded run was made in: the
        load discovers the tenant's manifests from that second on
        (:func:`last_loaded_by_tenant` reads :func:`sql.last_loaded_query`'s rows)."""
        ...

    def load_run(
        self,
        run: RunLoad,
        *,
        loaded_at: datetime,
        arriving: Iterable[TableLoad] = (),
        checked_at: datetime | None = None,
    ) -> LoadResult:
        """Load one tenant run, ledger last; skip a run already in the ledger.

        ``arriving`` yields more of the run's tables as the job writes them (blocking until the
        next is written); they load in the same transaction, which commits after the last.
        If it raises, the run's ledger row is not committed (DuckDB: nothing is), and
        loading the run again completes it without duplicates. With ``checked_at``, the run's
        checks (:mod:`.checks`) are read at the end of the load and recorded with it (in
        ``LoadResult.checks``): no round trips and no transaction of their own.
        """
        ...

    def prepare(self) -> list[str]:
        """Before a job's loads: the ops and reporting tables in place (created, or brought
        from an earlier layout), and every tenant the reporting tables do not hold yet copied
        in, once (:func:`shopsync.reporting.tables.backfill`). Returns an error per tenant
        whose copy failed: the others are copied, and it is tried again next time."""
        ...

    def refresh_reporting(self, rls: Sequence[tuple[str, str]]) -> None:
        """After a job's loads: the finance views over the reporting tables and
        ``reporting.rls_rules`` (and, on Redshift, the reporting user's grants)."""
        ...

    def batch(self) -> AbstractContextManager[None]:
        """The loads and checks inside are one job's batch: an implementation may share one
        connection or session among them (each run stays its own transaction)."""
        ...

    def run_checks(self, run: RunLoad, result: LoadResult, *, now: datetime) -> list[CheckResult]:
        """Data-quality checks after a load, recorded in ``shopsync_ops.checks``."""
        ...


def columns_by_table(rows: Iterable[Sequence[Any]]) -> dict[str, list[str]]:
    """:func:`sql.columns_query`'s rows as table -> its columns in order."""
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(str(table), []).append(str(column))
    return out


def last_loaded_by_tenant(rows: Iterable[Sequence[Any]]) -> dict[str, set[str]]:
    """:func:`sql.last_loaded_query`'s rows as tenant -> its runs."""
    out: dict[str, set[str]] = {}
    for tenant, run in rows:
        out.setdefault(str(tenant), set()).add(str(run))
    return out


def backfills(
    tenant_tables: Iterable[Sequence[Any]], held: Iterable[Sequence[Any]]
) -> dict[str, list[str]]:
    """tenant -> the statements that copy it into the reporting tables, for every tenant with
    a schema (``tenant_tables``: :meth:`sql.Dialect.tenant_tables_query`'s rows) that is not
    ``held`` (:func:`reporting_tables.held_query`'s rows)."""
    have = {str(row[0]) for row in held}
    tables: dict[str, list[str]] = {}
    for table, tenants in tenants_by_table(tenant_tables).items():
        for tenant in tenants:
            tables.setdefault(tenant, []).append(table)
    return {t: reporting_tables.backfill(t, tables[t]) for t in sorted(tables) if t not in have}


def backfill_error(tenant_id: str, exc: BaseException) -> str:
    return f"{tenant_id}: copying its rows into the reporting tables failed: {exc}"


def tenants_by_table(rows: Iterable[Sequence[Any]]) -> dict[str, list[str]]:
    """:meth:`sql.Dialect.tenant_tables_query`'s rows as table -> the tenant ids whose schema
    has it (tables the specs do not know are left out)."""
    out: dict[str, list[str]] = {}
    for schema, table in rows:
        if str(table) in TABLES:
            out.setdefault(str(table), []).append(str(schema)[len("shop_") :])
    return out


def prologue_statements(
    dialect: sql.Dialect,
    tenant_id: str,
    *,
    existing_columns: Mapping[str, Sequence[str]] | None = None,
    recorded: str | None = None,
) -> list[str]:
    """Ops tables, the tenant's schema and tables, columns the specs gained since, and the
    layout recorded (:func:`sql.record_layout`): every statement idempotent, so this may also
    commit on its own before the load. Nothing when the tenant's ``recorded`` fingerprint is
    the specs' (what most loads find: then nobody read ``existing_columns`` either); only the
    record when ``existing_columns`` shows every table with every column."""
    if recorded == sql.layout_fingerprint():
        return []
    all_specs = list(TABLES.values())
    if existing_columns and all(
        not sql.add_columns(dialect, tenant_id, spec, existing_columns.get(spec.name) or ())
        for spec in all_specs
    ):
        return sql.record_layout(tenant_id)
    out = sql.ops_ddl(dialect) + sql.schema_ddl(dialect, tenant_id, all_specs)
    for spec in all_specs:
        have = (existing_columns or {}).get(spec.name)
        if have:  # a table that existed before this load may lack newer columns
            out += sql.add_columns(dialect, tenant_id, spec, have)
    if not existing_columns:  # a new tenant: the reporting tables hold all of its (no) rows
        out.append(reporting_tables.mark(tenant_id))
    return out + sql.record_layout(tenant_id)


@dataclass(frozen=True)
class Phase:
    """Statements of one part of a load: ``stage`` fills temporary tables (they live in the
    session and change nothing anyone else sees); ``apply`` changes the tenant's tables and
    the ledger; a table's ``apply`` is one transaction (see :func:`load_batches`)."""

    stage: list[str]
    apply: list[str]

    @property
    def statements(self) -> list[str]:
        return self.stage + self.apply


def batch_stages(
    dialect: sql.Dialect,
    run: RunLoad,
    tables: Sequence[TableLoad],
    *,
    iam_role: str | None = None,
    staged: Mapping[str, str] | None = None,
) -> dict[str, tuple[str, list[str]]]:
    """The batch tables the run's load reads its rows from: stage name -> (the batch's
    curated directory, the statements that stage it), but those ``staged`` (stage name ->
    location: what the session holds already). A session stages each once for every run of
    its batch (:func:`sql.batch_stage_statements`)."""
    sources: list[tuple[str, Sequence[tuple[str, ColumnType]], str]] = [
        (t.table, t.spec.column_types(), t.location) for t in tables
    ]
    if run.deletions is not None:
        sources.append((sql.DELETIONS_TABLE, sql.DELETIONS_COLUMNS, run.deletions.location))
    held = staged or {}
    return {
        stage: (
            location,
            sql.batch_stage_statements(dialect, table, columns, location, iam_role=iam_role),
        )
        for table, columns, location in sources
        if held.get(stage := sql.batch_stage_name(dialect, table)) != location
    }


def deleted_tables(run: RunLoad) -> list[TableSpec]:
    """The tables the run's deletions reach (deleted with a subject it deleted records of)."""
    subjects = run.deletions.subjects if run.deletions is not None else ()
    return [s for s in TABLES.values() if s.deleted_with and s.deleted_with.subject in subjects]


def table_statements(
    dialect: sql.Dialect, run: RunLoad, load: TableLoad, *, staged: bool = True
) -> Phase:
    """One table of the run: stage its rows from the batch's (its staged table, or its files
    when not ``staged``: DuckDB, a batch of one run); soft-delete what a snapshot lacks,
    MERGE; the reporting rows of what changed (after the deletions instead, for a table they
    reach: :func:`deletion_phases`)."""
    tenant, spec = run.tenant_id, load.spec
    source = None if staged else sql.parquet_files(load.location)
    stage = sql.stage_statements(dialect, tenant, run.run_id, spec, source)
    apply = (
        [sql.snapshot_soft_delete(tenant, run.run_id, spec, run.started_at)]
        if load.complete_snapshot
        else []
    )
    apply += sql.guard_and_merge(dialect, tenant, spec)
    if spec not in deleted_tables(run):
        apply += reporting_tables.run_refresh(tenant, run.run_id, spec)
    return Phase(stage, apply)


def deletion_phases(dialect: sql.Dialect, run: RunLoad, *, staged: bool = True) -> list[Phase]:
    """After every table: the run's deletions, one phase per table they reach (its rows of
    the destroyed records soft-deleted, then its reporting rows of what the run changed), the
    first staging the run's deletions. None for a run without deletions."""
    if run.deletions is None:
        return []
    source = None if staged else sql.parquet_files(run.deletions.location)
    tenant, run_id = run.tenant_id, run.run_id
    phases = [
        Phase(
            [],
            [
                sql.apply_deletions(tenant, spec),
                *reporting_tables.run_refresh(tenant, run_id, spec),
            ],
        )
        for spec in deleted_tables(run)
    ] or [Phase([], [])]
    stage = sql.deletions_stage(dialect, tenant, run_id, source)
    return [Phase(stage, phases[0].apply), *phases[1:]]


def epilogue_statements(
    run: RunLoad,
    tables: Sequence[TableLoad],
    *,
    loaded_at: datetime,
    empty: Collection[str] = (),
) -> Phase:
    """Last, after the tables and the deletions (:func:`deletion_phases`): the ledger and the
    streams the run skipped. ``empty``: tables the run had no row of, whose statements were
    skipped (no stage: 0 rows in the ledger)."""
    tenant = run.tenant_id
    entries = [
        sql.LedgerEntry(
            t.table, "0" if t.table in empty else sql.staged_rows(t.spec), t.records, t.cursor_to
        )
        for t in tables
    ]
    entries.append(
        sql.LedgerEntry(sql.MANIFEST_STREAM, "0", sum(run.stream_records.values()), None)
    )
    apply = sql.ledger_insert(tenant, run.run_id, run.mode, loaded_at, entries)
    apply += sql.skipped_insert(tenant, run.run_id, loaded_at, run.skipped)
    return Phase([], apply)


def cleanup_statements(run: RunLoad, tables: Sequence[TableLoad]) -> list[str]:
    stages = [t.table for t in tables] + ([sql.DELETIONS_TABLE] if run.deletions else [])
    return sql.drop_stages(stages)


def _phases(dialect: sql.Dialect, run: RunLoad, *, loaded_at: datetime) -> list[Phase]:
    """Every table's phase, the deletions', then the epilogue's."""
    phases = [table_statements(dialect, run, t) for t in run.tables]
    phases += deletion_phases(dialect, run)
    return [*phases, epilogue_statements(run, run.tables, loaded_at=loaded_at)]


def load_statements(
    dialect: sql.Dialect,
    run: RunLoad,
    *,
    loaded_at: datetime,
    existing_columns: Mapping[str, Sequence[str]] | None = None,
    iam_role: str | None = None,
) -> list[str]:
    """The statements of one tenant run's load, in order, as one transaction (DuckDB's) runs
    them, its batch's tables staged first."""
    out = prologue_statements(dialect, run.tenant_id, existing_columns=existing_columns)
    for _, staging in batch_stages(dialect, run, run.tables, iam_role=iam_role).values():
        out += staging
    for phase in _phases(dialect, run, loaded_at=loaded_at):
        out += phase.statements
    return out + cleanup_statements(run, run.tables)


def load_batches(
    dialect: sql.Dialect,
    run: RunLoad,
    *,
    loaded_at: datetime,
    existing_columns: Mapping[str, Sequence[str]] | None = None,
    recorded: str | None = None,
    max_statements: int,
    tail: Sequence[str] = (),
) -> list[list[str]]:
    """The same load as batches of at most ``max_statements``, for one database session in
    which the run's batch tables are staged (:func:`batch_stages`), and ``tail`` (the reads of
    the load's end: its ledger rows, its checks' inputs) last, in the last batch when it has
    room: they then cost no round trip of their own.

    The idempotent set-up (none when the tenant's ``recorded`` layout is the specs'), then
    the run's stages
    (temporary tables, session-only) and its changes, packed into as few batches as hold them
    (each Data API call costs a round trip: a small run's stages and changes are one batch),
    a table's changes never split, and the epilogue (deletions, ledger, skipped streams) in
    the LAST batch.

    A batch is a transaction. A run whose changes take several (more tables than one Data
    API batch holds) is visible table group by table group for the seconds between them,
    and its ledger row commits last: a load that fails between two batches has no ledger
    row, so the next load replays the whole run, and every change replays to the same rows
    (the guard keeps a staged row whose cursor and run equal the warehouse's, the MERGE
    writes what it wrote, soft deletes touch only rows not yet deleted, the ledger and the
    skipped streams add no row twice). ``tests/unit/warehouse/test_redshift.py`` loads a run
    that fails after its first change batch and replays it.
    """
    setup = prologue_statements(
        dialect, run.tenant_id, existing_columns=existing_columns, recorded=recorded
    )
    phases = _phases(dialect, run, loaded_at=loaded_at)  # epilogue last
    phases.append(Phase([], list(tail)))
    longest = max(len(p.apply) for p in phases)
    if longest > max_statements:
        raise ValueError(f"{longest} statements in one part of the load; at most {max_statements}")
    # The session may have loaded another run of the batch: its run stages go first.
    stage = cleanup_statements(run, run.tables) + [s for p in phases for s in p.stage]
    batches: list[list[str]] = []

    def room(statements: int) -> bool:
        return bool(batches) and len(batches[-1]) + statements <= max_statements

    for statement in stage:  # the stages, then the changes in the same batches where they fit
        if not room(1):
            batches.append([])
        batches[-1].append(statement)
    for phase in phases:  # whole phases, packed in order: the epilogue lands in the last batch
        if not room(len(phase.apply)):
            batches.append([])
        batches[-1] += phase.apply
    return [*chunks(setup, max_statements), *batches]


def chunks(statements: list[str], size: int) -> list[list[str]]:
    """``statements`` in lists of at most ``size``, in order."""
    return [statements[i : i + size] for i in range(0, len(statements), size)]
