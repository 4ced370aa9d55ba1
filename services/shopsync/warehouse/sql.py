"""SQL generated from the table specs, for Redshift and for its DuckDB twin.

The load of one tenant run is one list of statements (one transaction in DuckDB; in Redshift
a few Data API batches, ledger last: see :func:`.base.load_batches`):

1. create the schema and the tables if missing, add columns the spec gained;
2. per table: a staging table like the target, filled from the run's curated Parquet;
3. soft-delete (``_deleted_at``) rows absent from a ``complete_snapshot`` stream;
4. drop staged rows that are older than the warehouse's (the ``updatedAt`` guard: an older
   version never overwrites a newer one; on a tie the later run wins), then ``MERGE``;
5. soft-delete the rows of the records Shopify destroyed (the run's deletions: products,
   orders, customers), with the rows deleted with them (:attr:`TableSpec.deleted_with`);
6. the ledger rows (``INSERT ... WHERE NOT EXISTS``: replaying a run adds nothing), and the
   streams the run skipped for a missing access scope (one row per stream and scope).

What differs between the engines is in :class:`Dialect` (DuckDB's SQL) and the overrides of
:class:`RedshiftDialect`: types, staging (``LIKE`` + ``COPY`` vs ``read_parquet``), JSON values,
keys, late-binding views. Everything else is the same text, so executing the DuckDB twin tests
the Redshift SQL. Every identifier comes from a spec or a validated tenant id, every literal
goes through :func:`literal`.
"""

# ruff: noqa: S608 - SQL is generated from specs; identifiers are validated, literals quoted

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from shopsync.runid import RUN_ID_PATTERN, run_started
from shopsync.tenantid import is_tenant_id

from .specs import DECIMAL_PRECISION, DECIMAL_SCALE, TABLES, ColumnType, TableSpec

OPS_SCHEMA = "shopsync_ops"
REPORTING_SCHEMA = "reporting"
LEDGER = f"{OPS_SCHEMA}.load_ledger"
CHECKS = f"{OPS_SCHEMA}.checks"
SKIPPED = f"{OPS_SCHEMA}.skipped_streams"
RLS_RULES = f"{REPORTING_SCHEMA}.rls_rules"
#: The tenants whose rows the ``reporting`` tables hold (every run since keeps them there).
REPORTING_TENANTS = f"{OPS_SCHEMA}.reporting_tenants"
#: Each tenant's schema as last set up: the specs' fingerprint (:func:`layout_fingerprint`).
LAYOUTS = f"{OPS_SCHEMA}.tenant_layouts"
MANIFEST_STREAM = "_manifest"
DELETIONS_TABLE = "deletions"


def literal(value: str | int | datetime | None) -> str:
    """A SQL literal: strings quoted with ``'`` doubled, instants as UTC timestamps."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        at = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return f"CAST('{at}+00' AS TIMESTAMPTZ)"
    if "\0" in value:
        raise ValueError("NUL in a SQL string literal")
    return "'" + value.replace("'", "''") + "'"


def tenant_schema(tenant_id: str) -> str:
    """``shop_<tenant_id>``, only for a valid tenant id (so it is a safe identifier)."""
    if not is_tenant_id(tenant_id):
        raise ValueError(f"invalid tenant id {tenant_id!r}")
    return f"shop_{tenant_id}"


def _check_run(run_id: str) -> str:
    if not RUN_ID_PATTERN.fullmatch(run_id):
        raise ValueError(f"invalid run id {run_id!r}")
    return run_id


def tenant_literal(tenant_id: str) -> str:
    """A tenant id as a SQL literal, only for a valid tenant id."""
    return literal(tenant_schema(tenant_id)[len("shop_") :])


def run_literal(run_id: str) -> str:
    """A run id as a SQL literal, only for a valid run id."""
    return literal(_check_run(run_id))


def stage_name(table: str) -> str:
    return f"stage_{table}"


def batch_stage_name(dialect: Dialect, table: str) -> str:
    """The table that holds a table's curated rows of every run of a job's batch: temporary
    where the session loads the runs one after another (Redshift), a table of its own schema
    where several connections load runs at once (DuckDB: temporary tables are per
    connection)."""
    if dialect.batch_stage_schema is None:
        return f"batch_{table}"
    return f"{dialect.batch_stage_schema}.batch_{table}"


#: The columns of the curated deletions (:data:`DELETIONS_TABLE`), and their types.
DELETIONS_COLUMNS: tuple[tuple[str, ColumnType], ...] = (
    ("subject_type", "varchar"),
    ("subject_id", "varchar"),
    ("deleted_at", "timestamp"),
    ("_tenant_id", "varchar"),
    ("_run_id", "varchar"),
)


class Dialect:
    """DuckDB's SQL, and the base of every dialect: a dialect overrides only what differs."""

    #: Where a batch's staged tables live (``None``: temporary tables of the session).
    batch_stage_schema: str | None = "shopsync_stage"

    types: ClassVar[Mapping[ColumnType, str]] = {
        "varchar": "VARCHAR",
        "bigint": "BIGINT",
        "integer": "INTEGER",
        "decimal": f"DECIMAL({DECIMAL_PRECISION},{DECIMAL_SCALE})",
        "boolean": "BOOLEAN",
        "timestamp": "TIMESTAMPTZ",
        "json": "JSON",
    }
    #: The tenant schemas' names, ``shop_`` then anything (a bare ``_`` is a wildcard).
    tenant_schema_like: ClassVar[str] = r"LIKE 'shop\_%' ESCAPE '\'"
    #: Ends ``CREATE VIEW``.
    view_suffix: ClassVar[str] = ""
    #: Ends the ``CREATE TABLE`` of a ``reporting`` table.
    reporting_table_suffix: ClassVar[str] = ""

    def tenant_tables_query(self) -> str:
        """``(schema, table)`` of every table in a tenant schema."""
        return (
            "SELECT table_schema, table_name FROM information_schema.tables "
            f"WHERE table_schema {self.tenant_schema_like} AND table_type = 'BASE TABLE'"
        )

    def type_of(self, column_type: ColumnType) -> str:
        return self.types[column_type]

    def utc_date(self, expr: str) -> str:
        """The UTC calendar day of a ``TIMESTAMPTZ``, whatever the session's time zone."""
        return f"CAST(timezone('UTC', {expr}) AS DATE)"

    def column_defs(self, spec: TableSpec) -> str:
        return ", ".join(f"{n} {self.types[t]}{self.encoding(t)}" for n, t in spec.column_types())

    def encoding(self, column_type: ColumnType) -> str:
        """DuckDB stores ``_raw`` (whole JSON documents) with zstd: a load of 200k orders wrote
        it in 0.7 s instead of 1.6 s with the default string compression, into 13 MB instead
        of 100 MB."""
        return " USING COMPRESSION zstd" if column_type == "json" else ""

    def key_constraint(self, spec: TableSpec) -> str:
        """No key: DuckDB would enforce it with an index that costs more on every bulk MERGE
        than it protects (the MERGE keeps keys unique, the pk_unique check verifies it)."""
        return ""

    def raw_value(self, expr: str) -> str:
        """A staged JSON column as the target's type (DuckDB: already JSON)."""
        return expr

    def create_stage(self, stage: str, target: str) -> str:
        """A temporary table with ``target``'s columns."""
        return f"CREATE TEMP TABLE {stage} AS SELECT * FROM {target} LIMIT 0"

    def batch_stage(
        self,
        stage: str,
        columns: Sequence[tuple[str, ColumnType]],
        location: str,
        *,
        iam_role: str | None,
        latest: str = "",
    ) -> list[str]:
        """A table of the batch's rows, read once from its Parquet files in ``location``
        (``latest``: a ``QUALIFY`` keeping the rows it names, :func:`latest_per_key`), in
        tenant and run order, as the files hold them: a run's rows then fill a few row
        groups, which its stage reads alone (by their min and max), where the window's
        order would spread every run over all of them (6 s more for a batch of 200 runs)."""
        del iam_role  # DuckDB reads the files itself
        names = ", ".join(name for name, _ in columns)
        rows = f"SELECT {names} FROM {parquet_files(location)} f"
        if latest:
            rows += f" {latest} ORDER BY _tenant_id, _run_id"
        return [
            f"CREATE SCHEMA IF NOT EXISTS {self.batch_stage_schema}",
            f"CREATE OR REPLACE TABLE {stage} AS {rows}",
        ]

    def column_definitions(self, columns: Sequence[tuple[str, ColumnType]]) -> str:
        """``name TYPE, ...`` of a table being created."""
        return ", ".join(f"{name} {self.type_of(kind)}" for name, kind in columns)


def parquet_files(location: str) -> str:
    """DuckDB's table of the Parquet files in directory ``location``: what a run of a batch
    of one reads its rows from, with nothing staged (its rows are the whole batch)."""
    return f"read_parquet({literal(location.rstrip('/') + '/*.parquet')})"


class RedshiftDialect(Dialect):
    """What Redshift does differently from DuckDB."""

    types = {**Dialect.types, "varchar": "VARCHAR(65535)", "json": "SUPER"}
    batch_stage_schema = None
    #: Redshift's string literals take ``\\`` for a backslash, and ``\`` is LIKE's escape.
    tenant_schema_like = r"LIKE 'shop\\_%'"
    #: Late binding: the tables a view reads may be dropped and recreated under it.
    view_suffix = " WITH NO SCHEMA BINDING"
    #: Every query of a reporting table filters on ``tenant_id`` (the row-level security, a
    #: run's refresh, a backfill): sorted on it, each reads only its tenant's blocks.
    reporting_table_suffix = " SORTKEY (tenant_id)"

    def utc_date(self, expr: str) -> str:
        """``CONVERT_TIMEZONE`` of a ``TIMESTAMPTZ`` gives the ``TIMESTAMP`` in that zone."""
        return f"CAST(CONVERT_TIMEZONE('UTC', {expr}) AS DATE)"

    def encoding(self, column_type: ColumnType) -> str:
        """Redshift chooses its own encodings."""
        return ""

    def key_constraint(self, spec: TableSpec) -> str:
        """Redshift keeps the key as a planner hint (it does not enforce it)."""
        return f", PRIMARY KEY ({spec.primary_key})"

    def raw_value(self, expr: str) -> str:
        """Redshift's COPY puts Parquet text into SUPER as a string scalar; ``JSON_PARSE`` makes
        it navigable SUPER. ``VARCHAR(MAX)``: the whole text, up to Redshift's string limit
        (65,535 bytes; 16,000,000 with ``enable_large_strings_opt_in``); the curation replaces a
        longer one with a stand-in (``_truncated`` names it), so a parse never fails on size."""
        return f"JSON_PARSE({expr}::VARCHAR(MAX))"

    def create_stage(self, stage: str, target: str) -> str:
        return f"CREATE TEMP TABLE {stage} (LIKE {target})"

    def batch_stage(
        self,
        stage: str,
        columns: Sequence[tuple[str, ColumnType]],
        location: str,
        *,
        iam_role: str | None,
        latest: str = "",
    ) -> list[str]:
        """A temporary table of the session, filled by one ``COPY`` of the batch's directory
        (the trailing ``/`` keeps ``table=orders/`` from matching ``table=orders_x/``); with
        ``latest`` (a ``QUALIFY``, :func:`latest_per_key`), the COPY fills a table of every
        row and the stage keeps the rows ``latest`` names (a COPY cannot filter)."""
        if not iam_role:
            raise ValueError("Redshift COPY needs an IAM role")
        names = ", ".join(name for name, _ in columns)
        prefix = literal(location.rstrip("/") + "/")
        copied = f"{stage}_copied" if latest else stage
        out = [
            *(f"DROP TABLE IF EXISTS {t}" for t in dict.fromkeys((stage, copied))),
            f"CREATE TEMP TABLE {copied} ({self.column_definitions(columns)})",
            f"COPY {copied} ({names}) FROM {prefix} IAM_ROLE {literal(iam_role)} FORMAT AS PARQUET",
        ]
        if latest:
            out += [
                f"CREATE TEMP TABLE {stage} AS SELECT {names} FROM {copied} f {latest}",
                f"DROP TABLE {copied}",
            ]
        return out


DUCKDB = Dialect()
REDSHIFT = RedshiftDialect()


def ops_ddl(dialect: Dialect) -> list[str]:
    ts, vc = dialect.type_of("timestamp"), dialect.type_of("varchar")
    return [
        f"CREATE SCHEMA IF NOT EXISTS {OPS_SCHEMA}",
        f"CREATE SCHEMA IF NOT EXISTS {REPORTING_SCHEMA}",
        f"CREATE TABLE IF NOT EXISTS {LEDGER} (tenant_id {vc} NOT NULL, run_id {vc} NOT NULL, "
        f"stream {vc} NOT NULL, rows BIGINT NOT NULL, loaded_at {ts} NOT NULL, "
        f"records BIGINT, mode {vc}, cursor_to {vc}, PRIMARY KEY (tenant_id, run_id, stream))",
        f"CREATE TABLE IF NOT EXISTS {CHECKS} (tenant_id {vc} NOT NULL, run_id {vc}, "
        f"table_name {vc}, check_name {vc} NOT NULL, status {vc} NOT NULL, observed BIGINT, "
        f"expected BIGINT, detail {vc}, checked_at {ts} NOT NULL)",
        # A table of its own, not a ledger column: an existing ledger would need an ALTER
        # that Redshift cannot make conditional, and the ledger's rows stay one per table.
        f"CREATE TABLE IF NOT EXISTS {SKIPPED} (tenant_id {vc} NOT NULL, run_id {vc} NOT NULL, "
        f"stream {vc} NOT NULL, missing_scope {vc} NOT NULL, loaded_at {ts} NOT NULL, "
        "PRIMARY KEY (tenant_id, run_id, stream, missing_scope))",
        f"CREATE TABLE IF NOT EXISTS {RLS_RULES} "
        f"(groupname {vc} NOT NULL, tenant_id {vc} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {REPORTING_TENANTS} (tenant_id {vc} NOT NULL, "
        f"since {ts} NOT NULL, PRIMARY KEY (tenant_id))",
        f"CREATE TABLE IF NOT EXISTS {LAYOUTS} (tenant_id {vc} NOT NULL, "
        f"fingerprint {vc} NOT NULL, recorded_at {ts} NOT NULL, PRIMARY KEY (tenant_id))",
    ]


def table_ddl(dialect: Dialect, tenant_id: str, spec: TableSpec) -> str:
    schema = tenant_schema(tenant_id)
    columns, key = dialect.column_defs(spec), dialect.key_constraint(spec)
    return f"CREATE TABLE IF NOT EXISTS {schema}.{spec.name} ({columns}{key})"


def schema_ddl(dialect: Dialect, tenant_id: str, specs: Iterable[TableSpec]) -> list[str]:
    schema = tenant_schema(tenant_id)
    return [f"CREATE SCHEMA IF NOT EXISTS {schema}"] + [
        table_ddl(dialect, tenant_id, s) for s in specs
    ]


def add_columns(
    dialect: Dialect, tenant_id: str, spec: TableSpec, existing: Iterable[str]
) -> list[str]:
    """``ALTER TABLE ... ADD COLUMN`` for each spec column the table lacks."""
    have = {c.lower() for c in existing}
    schema = tenant_schema(tenant_id)
    return [
        f"ALTER TABLE {schema}.{spec.name} ADD COLUMN {name} {dialect.type_of(kind)}"
        for name, kind in spec.column_types()
        if name.lower() not in have
    ]


def column_list(spec: TableSpec) -> str:
    return ", ".join(spec.column_names)


def batch_stage_statements(
    dialect: Dialect,
    table: str,
    columns: Sequence[tuple[str, ColumnType]],
    location: str,
    *,
    iam_role: str | None = None,
) -> list[str]:
    """Stage a table's curated Parquet of a whole batch (``location``: every run's rows) once,
    for the session that then loads each run of the batch from it (:func:`stage_statements`):
    one ``COPY`` per table per batch on Redshift, not one per run; one read of its files on
    DuckDB. A table's stage keeps one row per key per run (:func:`latest_per_key`), once for
    the batch: a window per run cost DuckDB 5 ms a table."""
    spec = TABLES.get(table)
    return dialect.batch_stage(
        batch_stage_name(dialect, table),
        columns,
        location,
        iam_role=iam_role,
        latest=latest_per_key(spec) if spec is not None else "",
    )


def drop_batch_stages(stages: Iterable[str]) -> list[str]:
    """Drop a batch's staged tables (by their :func:`batch_stage_name`)."""
    return [f"DROP TABLE IF EXISTS {stage}" for stage in stages]


def _run_rows(source: str, columns: str, tenant_id: str, run_id: str) -> str:
    """A tenant run's rows of a batch table (``source``: its staged table, or its files)."""
    return (
        f"SELECT {columns} FROM {source} WHERE _tenant_id = "
        f"{literal(tenant_id)} AND _run_id = {literal(_check_run(run_id))}"
    )


def stage_statements(
    dialect: Dialect, tenant_id: str, run_id: str, spec: TableSpec, source: str | None = None
) -> list[str]:
    """Create the run's staging table of ``spec`` and fill it with the run's rows of the
    staged batch table (:func:`batch_stage_statements`: one per key already), or of the files
    ``source``, keeping one row per key (:func:`latest_per_key`)."""
    target, stage = f"{tenant_schema(tenant_id)}.{spec.name}", stage_name(spec.name)
    columns = column_list(spec)
    if source is None:
        rows = _run_rows(batch_stage_name(dialect, spec.name), columns, tenant_id, run_id)
    else:
        rows = f"{_run_rows(source, columns, tenant_id, run_id)} {latest_per_key(spec)}"
    return [dialect.create_stage(stage, target), f"INSERT INTO {stage} ({columns}) {rows}"]


def latest_per_key(spec: TableSpec) -> str:
    """Of a run's rows of one key (a record the run fetched twice: the curated table keeps
    every fetch), the latest: newest cursor, then newest fetch. A ``QUALIFY`` (Redshift and
    DuckDB both have it) of a ``SELECT`` from a relation aliased (Redshift needs the alias
    when nothing comes between FROM and QUALIFY); Spark's dedupe was a shuffle of the whole
    batch."""
    return (
        f"QUALIFY ROW_NUMBER() OVER (PARTITION BY _tenant_id, _run_id, {spec.primary_key} "
        f"ORDER BY {spec.cursor} DESC NULLS LAST, _synced_at DESC NULLS LAST) = 1"
    )


def deletions_stage(
    dialect: Dialect, tenant_id: str, run_id: str, source: str | None = None
) -> list[str]:
    """The run's curated deletions, from the staged batch's (or ``source``): one row per
    destroyed record."""
    source = source or batch_stage_name(dialect, DELETIONS_TABLE)
    stage = stage_name(DELETIONS_TABLE)
    columns = ", ".join(name for name, _ in DELETIONS_COLUMNS)
    return [
        f"CREATE TEMP TABLE {stage} ({dialect.column_definitions(DELETIONS_COLUMNS)})",
        f"INSERT INTO {stage} ({columns}) " + _run_rows(source, columns, tenant_id, run_id),
    ]


def snapshot_soft_delete(tenant_id: str, run_id: str, spec: TableSpec, as_of: datetime) -> str:
    """Rows absent from a complete snapshot are gone: mark them, once, as changed by the run
    (``_run_id``: its checks and the reporting tables then see them, as a merge's rows)."""
    target, stage, pk = (
        f"{tenant_schema(tenant_id)}.{spec.name}",
        stage_name(spec.name),
        spec.primary_key,
    )
    return (
        f"UPDATE {target} SET _deleted_at = {literal(as_of)}, _run_id = {run_literal(run_id)} "
        f"WHERE _deleted_at IS NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {stage} s WHERE s.{pk} = {target}.{pk})"
    )


def guard_and_merge(dialect: Dialect, tenant_id: str, spec: TableSpec) -> list[str]:
    """Drop staged rows older than the warehouse's, then MERGE the rest."""
    target, stage = f"{tenant_schema(tenant_id)}.{spec.name}", stage_name(spec.name)
    pk, cur = spec.primary_key, spec.cursor
    newer_in_target = (
        f"t.{cur} IS NOT NULL AND ({stage}.{cur} IS NULL OR t.{cur} > {stage}.{cur} OR "
        f"(t.{cur} = {stage}.{cur} AND t._run_id > {stage}._run_id))"
    )
    types = dict(spec.column_types())
    names = spec.column_names
    values = [dialect.raw_value(f"s.{n}") if types[n] == "json" else f"s.{n}" for n in names]
    updates = ", ".join(f"{n} = {v}" for n, v in zip(names, values, strict=True) if n != pk)
    return [
        f"DELETE FROM {stage} USING {target} t WHERE {stage}.{pk} = t.{pk} AND {newer_in_target}",
        f"MERGE INTO {target} USING {stage} s ON {target}.{pk} = s.{pk} "
        f"WHEN MATCHED THEN UPDATE SET {updates} "
        f"WHEN NOT MATCHED THEN INSERT ({', '.join(names)}) VALUES ({', '.join(values)})",
    ]


def apply_deletions(tenant_id: str, spec: TableSpec) -> str:
    """Soft-delete the rows of the run's destroyed subjects (a row that reaches its subject
    through ``via`` joins those tables), once, and not a row that changed after the deletion
    (its cursor is later: a newer version than the one Shopify destroyed). The row's
    ``_run_id`` becomes the deleting run's, as a merge's would: the run's checks then see
    it (the days of destroyed orders are reconciled again)."""
    deleted_with = spec.deleted_with
    if deleted_with is None:
        raise ValueError(f"{spec.name} is not deleted with any subject")
    schema = tenant_schema(tenant_id)
    target, cursor = f"{schema}.{spec.name}", f"{schema}.{spec.name}.{spec.cursor}"
    sources, links = [f"{stage_name(DELETIONS_TABLE)} d"], []
    link = f"{target}.{deleted_with.key}"
    for hop, (table, column) in enumerate(deleted_with.via, 1):
        sources.append(f"{schema}.{table} h{hop}")
        links.append(f"{link} = h{hop}.id")
        link = f"h{hop}.{column}"
    links.append(f"{link} = d.subject_id")
    return (
        f"UPDATE {target} SET _deleted_at = d.deleted_at, _run_id = d._run_id "
        f"FROM {', '.join(sources)} "
        f"WHERE d.subject_type = {literal(deleted_with.subject)} AND {' AND '.join(links)} "
        f"AND {target}._deleted_at IS NULL AND ({cursor} IS NULL OR {cursor} <= d.deleted_at)"
    )


@dataclass(frozen=True)
class LedgerEntry:
    stream: str
    rows_sql: str  # a scalar SQL expression (e.g. a count over the staging table)
    records: int | None = None
    cursor_to: str | None = None


def ledger_insert(
    tenant_id: str, run_id: str, mode: str, loaded_at: datetime, entries: Sequence[LedgerEntry]
) -> list[str]:
    """One INSERT for every stream of the run; a stream already in the ledger is not added
    again, so replaying a run adds nothing."""
    tenant, run = literal(tenant_id), literal(_check_run(run_id))
    rows = " UNION ALL ".join(
        f"SELECT {literal(e.stream)} AS stream, {e.rows_sql} AS n, "
        f"CAST({literal(e.records)} AS BIGINT) AS records, "
        f"CAST({literal(e.cursor_to)} AS VARCHAR(256)) AS cursor_to"
        for e in entries
    )
    return [
        f"INSERT INTO {LEDGER} (tenant_id, run_id, stream, rows, loaded_at, records, mode, "
        f"cursor_to) SELECT {tenant}, {run}, e.stream, e.n, {literal(loaded_at)}, e.records, "
        f"{literal(mode)}, e.cursor_to FROM ({rows}) e WHERE NOT EXISTS (SELECT 1 FROM "
        f"{LEDGER} l WHERE l.tenant_id = {tenant} AND l.run_id = {run} AND l.stream = e.stream)"
    ]


def skipped_insert(
    tenant_id: str, run_id: str, loaded_at: datetime, skipped: Mapping[str, Sequence[str]]
) -> list[str]:
    """One row per skipped stream and missing scope, with the ledger's replay guard; nothing
    when the run skipped nothing."""
    pairs = [(stream, scope) for stream, scopes in sorted(skipped.items()) for scope in scopes]
    if not pairs:
        return []
    tenant, run = literal(tenant_id), literal(_check_run(run_id))
    rows = " UNION ALL ".join(
        f"SELECT {literal(stream)} AS stream, {literal(scope)} AS missing_scope"
        for stream, scope in pairs
    )
    return [
        f"INSERT INTO {SKIPPED} (tenant_id, run_id, stream, missing_scope, loaded_at) "
        f"SELECT {tenant}, {run}, e.stream, e.missing_scope, {literal(loaded_at)} FROM ({rows}) e "
        f"WHERE NOT EXISTS (SELECT 1 FROM {SKIPPED} s WHERE s.tenant_id = {tenant} AND "
        f"s.run_id = {run} AND s.stream = e.stream AND s.missing_scope = e.missing_scope)"
    ]


def layout_fingerprint() -> str:
    """What the specs want of a tenant's schema (every table, column and type, in order), as
    a short hash: a tenant whose recorded fingerprint equals it needs no DDL, so its load
    neither reads the catalog nor sends any."""
    wanted = [(name, spec.column_types()) for name, spec in TABLES.items()]
    return hashlib.sha256(json.dumps(wanted).encode()).hexdigest()[:16]


def record_layout(tenant_id: str) -> list[str]:
    """The tenant's schema is as :func:`layout_fingerprint` says (last in its set-up)."""
    tenant = tenant_literal(tenant_id)
    return [
        f"DELETE FROM {LAYOUTS} WHERE tenant_id = {tenant}",
        f"INSERT INTO {LAYOUTS} (tenant_id, fingerprint, recorded_at) VALUES "
        f"({tenant}, {literal(layout_fingerprint())}, CURRENT_TIMESTAMP)",
    ]


def run_state_query(tenant_id: str, run_id: str) -> str:
    """One row: (the run's ledger rows, the tenant's recorded layout fingerprint or NULL):
    whether the run is loaded already and whether its tenant's schema needs any DDL, in one
    round trip."""
    tenant, run = literal(tenant_id), run_literal(run_id)
    return (
        f"SELECT (SELECT COUNT(*) FROM {LEDGER} WHERE tenant_id = {tenant} AND run_id = {run}), "
        f"(SELECT MAX(fingerprint) FROM {LAYOUTS} WHERE tenant_id = {tenant})"
    )


def columns_query(tenant_id: str) -> str:
    """``(table_name, column_name)`` of the tenant's tables, in column order."""
    return (
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
        f"{literal(tenant_schema(tenant_id))} ORDER BY table_name, ordinal_position"
    )


#: The characters of a run id that say the second it was made in (:func:`run_started`).
RUN_STARTED_CHARS = len(run_started("20261124T201500Z-00000000"))


def last_loaded_query(tenant_id: str | None = None) -> str:
    """``(tenant_id, run_id)``: each tenant's loaded runs of the second its latest was made in
    (run ids of one second do not sort by time: see :func:`shopsync.runid.run_started`)."""
    where = f" WHERE tenant_id = {literal(tenant_id)}" if tenant_id is not None else ""
    return (
        f"SELECT l.tenant_id, l.run_id FROM {LEDGER} l JOIN (SELECT tenant_id, MAX(run_id) AS "
        f"last FROM {LEDGER}{where} GROUP BY tenant_id) m ON l.tenant_id = m.tenant_id AND "
        f"LEFT(l.run_id, {RUN_STARTED_CHARS}) = LEFT(m.last, {RUN_STARTED_CHARS}) "
        "GROUP BY l.tenant_id, l.run_id"
    )


def loaded_rows_query(tenant_id: str, run_id: str) -> str:
    """``(stream, rows)`` of a loaded run's tables, from the ledger."""
    return (
        f"SELECT stream, rows FROM {LEDGER} WHERE tenant_id = {literal(tenant_id)} AND run_id = "
        f"{literal(_check_run(run_id))} AND stream <> {literal(MANIFEST_STREAM)}"
    )


def staged_rows(spec: TableSpec) -> str:
    return f"(SELECT COUNT(*) FROM {stage_name(spec.name)})"


def drop_stages(names: Iterable[str]) -> list[str]:
    return [f"DROP TABLE IF EXISTS {stage_name(n)}" for n in names]
