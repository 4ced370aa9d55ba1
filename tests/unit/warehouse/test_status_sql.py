"""The status SQL shared by DuckDB and Redshift, executed on DuckDB; timestamps as the Data API
returns them."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import duckdb
import pytest

from shopsync.warehouse import sql
from shopsync.warehouse import status as status_sql
from shopsync.warehouse.specs import TABLES
from shopsync.warehouse.status import (
    FailedCheck,
    TableStatus,
    TenantStatus,
    duckdb_query,
    never_loaded,
    tenant_status,
)

from .status_data import C1, LOADED_1, LOADED_2, R2, SYNCED, populate


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    populate(con)
    yield con
    con.close()


class Recorder:
    """A :data:`Query` over DuckDB that keeps every statement it ran."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.statements: list[str] = []
        self._run = duckdb_query(con)

    def __call__(self, statement: str) -> Sequence[Sequence[Any]]:
        self.statements.append(statement)
        return self._run(statement)


def _empty_tables(*except_: str) -> list[TableStatus]:
    return [
        TableStatus(table=t, rows=0, deleted=0, newest_synced_at=None)
        for t in TABLES
        if t not in except_
    ]


def test_a_loaded_tenant_with_failed_checks(con: duckdb.DuckDBPyConnection) -> None:
    (acme,) = tenant_status(con, ["acme"])
    tables = {t.table: t for t in acme.tables}
    assert acme == TenantStatus(
        tenant_id="acme",
        last_run_id=R2,
        last_loaded_at=LOADED_2,
        runs_loaded=2,
        cursors={"orders": "2026-11-24T09:30:00Z", "products": "2026-11-24T10:00:00Z"},
        # Only the latest run's: the first run's skipped customers are history.
        skipped={"orders": ["read_orders"]},
        tables=[tables[t] for t in TABLES],
        missing_tables=[],
        failed_checks=[
            FailedCheck(
                run_id=R2,
                table="orders",
                check="pk_unique",
                detail="2 duplicate keys",
                checked_at=LOADED_2,
            ),
            # A run-level check (no table) sorts last in both engines.
            FailedCheck(
                run_id=R2,
                table=None,
                check="freshness",
                detail="newest row 49h old",
                checked_at=LOADED_2,
            ),
        ],
    )
    # rows_vs_records on products failed in R1 and passed in R2: no longer reported.
    assert tables["products"] == TableStatus(
        table="products", rows=2, deleted=1, newest_synced_at=SYNCED
    )
    assert tables["orders"] == TableStatus(
        table="orders", rows=1, deleted=0, newest_synced_at=SYNCED
    )
    assert [t for t in acme.tables if t.table not in ("products", "orders")] == _empty_tables(
        "products", "orders"
    )
    assert acme.loaded
    assert not acme.ok


def test_a_look_alike_tenant_sees_only_its_own_and_lacks_a_table(
    con: duckdb.DuckDBPyConnection,
) -> None:
    acme, corp = tenant_status(con, ["acme", "acme_corp"])
    assert corp.last_run_id == C1
    assert corp.last_loaded_at == LOADED_1
    assert corp.runs_loaded == 1
    assert corp.cursors == {"products": "2026-11-01T00:00:00Z"}
    assert corp.failed_checks == []
    assert corp.skipped == {}
    assert corp.ok
    assert corp.missing_tables == ["customers"]
    assert [t.table for t in corp.tables] == [t for t in TABLES if t != "customers"]
    assert {t.table: t.rows for t in corp.tables}["products"] == 1
    # Nothing of acme_corp's counts for acme: not its runs, and not its later pass of the
    # check that stands failed for acme.
    assert acme.runs_loaded == 2
    assert [(c.table, c.check) for c in acme.failed_checks] == [
        ("orders", "pk_unique"),
        (None, "freshness"),
    ]


def test_skipped_streams_are_the_latest_run_s_and_a_scope_per_row(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute(
        f"INSERT INTO {sql.SKIPPED} VALUES ('acme', {sql.literal(R2)}, 'orders', "  # noqa: S608
        f"'read_customers', {sql.literal(LOADED_2)})"
    )
    (acme,) = tenant_status(con, ["acme"])
    assert acme.skipped == {"orders": ["read_customers", "read_orders"]}
    assert acme.model_dump(mode="json")["skipped"] == {"orders": ["read_customers", "read_orders"]}


def test_a_warehouse_loaded_before_skipped_streams_existed(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute(f"DROP TABLE {sql.SKIPPED}")
    recorder = Recorder(con)
    (acme,) = tenant_status(recorder, ["acme"])
    assert acme.skipped == {}
    assert acme.runs_loaded == 2
    assert not any(sql.SKIPPED in s for s in recorder.statements)


def test_a_tenant_never_loaded(con: duckdb.DuckDBPyConnection) -> None:
    (globex,) = tenant_status(con, ["globex"])
    assert globex == never_loaded("globex")
    assert globex.missing_tables == list(TABLES)
    assert not globex.loaded
    assert globex.ok


def test_an_empty_warehouse_has_nothing_loaded() -> None:
    con = duckdb.connect()
    recorder = Recorder(con)
    statuses = tenant_status(recorder, ["acme", "globex"])
    assert statuses == [never_loaded("acme"), never_loaded("globex")]
    # Existence is asked first; nothing that would fail on a missing table runs.
    assert len(recorder.statements) == 1
    assert "information_schema.tables" in recorder.statements[0]


def test_order_is_kept_duplicates_once_and_no_ids_run_nothing(
    con: duckdb.DuckDBPyConnection,
) -> None:
    statuses = tenant_status(con, ["globex", "acme", "globex", "acme_corp"])
    assert [s.tenant_id for s in statuses] == ["globex", "acme", "acme_corp"]
    recorder = Recorder(con)
    assert tenant_status(recorder, []) == []
    assert recorder.statements == []


@pytest.mark.parametrize("bad", ["Acme", "acme'; DROP SCHEMA shop_acme; --", "ac", ""])
def test_an_invalid_tenant_id_never_reaches_sql(con: duckdb.DuckDBPyConnection, bad: str) -> None:
    recorder = Recorder(con)
    with pytest.raises(ValueError, match="invalid tenant id"):
        tenant_status(recorder, ["acme", bad])
    assert recorder.statements == []


def test_a_fixed_number_of_statements_and_row_counts_in_chunks(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder(con)
    expected = tenant_status(recorder, ["acme", "acme_corp", "globex"])
    # existence, last runs, cursors, skipped streams, checks, and one statement of row counts
    # for 15 tables
    assert len(recorder.statements) == 6
    assert recorder.statements[-1].count(" UNION ALL ") == 2 * len(TABLES) - 2

    monkeypatch.setattr(status_sql, "COUNTS_PER_STATEMENT", 4)
    chunked = Recorder(con)
    assert tenant_status(chunked, ["acme", "acme_corp", "globex"]) == expected
    counted = recorder.statements[-1].count(" UNION ALL ") + 1
    assert len(chunked.statements) == 5 + math.ceil(counted / 4)  # the row counts in chunks of 4


#: Constructs one engine has and the other lacks (or spells differently).
_NOT_SHARED = [
    (r"\?", "bind parameters: the Data API path sends literal SQL"),
    (r"\bFILTER\s*\(", "aggregate FILTER: DuckDB only"),
    (r"::", "Postgres-style casts: avoided for portability"),
    (r"DISTINCT[^()]*\)\s*OVER", "DISTINCT in a window aggregate: not in Redshift"),
    (r"\b(read_parquet|json_extract\w*|strftime|epoch\w*|list_\w+)\(", "DuckDB functions"),
    (r"\bQUALIFY\b", "QUALIFY: not portable to every engine version"),
    (r"\bILIKE\b", "ILIKE: spelled differently"),
]


def test_the_statements_use_only_what_both_engines_share(
    con: duckdb.DuckDBPyConnection,
) -> None:
    recorder = Recorder(con)
    tenant_status(recorder, ["acme", "acme_corp", "globex"])
    for statement in recorder.statements:
        for pattern, why in _NOT_SHARED:
            assert not re.search(pattern, statement, re.IGNORECASE), (why, statement)
        # Redshift requires an alias on every derived table.
        for match in re.finditer(r"FROM \(", statement):
            depth, end = 0, match.end() - 1
            while depth or end == match.end() - 1:
                depth += {"(": 1, ")": -1}.get(statement[end], 0)
                end += 1
            assert re.match(r" AS \w+", statement[end:]), statement


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # TIMESTAMPTZ as the Data API returns it: session time zone UTC, "+00", short fraction
        ("2026-11-24 11:05:30.25+00", datetime(2026, 11, 24, 11, 5, 30, 250000, tzinfo=UTC)),
        ("2026-11-24 10:05:00+00", datetime(2026, 11, 24, 10, 5, tzinfo=UTC)),
        ("2026-11-24 12:05:00+02", datetime(2026, 11, 24, 10, 5, tzinfo=UTC)),
        # TIMESTAMP (no zone): stored as UTC
        ("2026-11-24 10:05:00", datetime(2026, 11, 24, 10, 5, tzinfo=UTC)),
        ("2026-11-24T10:05:00Z", datetime(2026, 11, 24, 10, 5, tzinfo=UTC)),
    ],
)
def test_data_api_timestamps_parse_to_utc(text: str, expected: datetime) -> None:
    check = FailedCheck.model_validate(
        {"run_id": None, "table": None, "check": "c", "detail": None, "checked_at": text}
    )
    assert check.checked_at == expected
    assert check.checked_at.utcoffset() == timedelta(0)
    table = TableStatus.model_validate(
        {"table": "t", "rows": 1, "deleted": 0, "newest_synced_at": text}
    )
    assert table.newest_synced_at == expected


def test_duckdb_instants_in_another_zone_are_converted() -> None:
    at = datetime(2026, 11, 24, 12, 5, tzinfo=timezone(timedelta(hours=2)))
    status = TenantStatus(tenant_id="acme", last_loaded_at=at)
    assert status.last_loaded_at is not None
    assert status.last_loaded_at.tzinfo == UTC
    assert status.model_dump(mode="json")["last_loaded_at"] == "2026-11-24T10:05:00Z"
