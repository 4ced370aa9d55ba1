"""Data-quality checks after each load: rows merged vs manifest records, primary-key
uniqueness, freshness per tenant and table, and the money: ``daily_sales`` reconciles with
``order_financials`` on every day the run touched, and no order's refunds exceed what was
captured (:mod:`shopsync.reporting.finance`). A failed check is recorded, never passed over."""

# ruff: noqa: S608 - SQL is generated from specs; identifiers are validated, literals quoted

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from shopsync.reporting import finance

from . import sql
from .base import CheckResult, LoadResult, RunLoad

#: A run that loaded one of these tables has its days' sales reconciled.
SALES_TABLES = frozenset(
    (
        "orders",
        "order_line_items",
        "refunds",
        "refund_line_items",
        "order_adjustments",
        "refund_shipping_lines",
    )
)
#: A run that loaded one of these has its orders' refunds held to what was captured.
CAPTURE_TABLES = frozenset(("refunds", "transactions"))
SALES_KEY = f"{finance.SALES_CHECK}:{finance.DAILY_SALES}"
CAPTURED_KEY = f"{finance.CAPTURED_CHECK}:refunds"


TABLES_KEY = "tables"
ROWS_KEY = "rows"


def load_queries(dialect: sql.Dialect, run: RunLoad, *, checked: bool) -> dict[str, str]:
    """What a load reads at its end, inside its transaction: the run's rows per table from
    the ledger (:data:`ROWS_KEY`) and, when ``checked``, its checks' inputs."""
    out = {ROWS_KEY: sql.loaded_rows_query(run.tenant_id, run.run_id)}
    return out | (check_statements(dialect, run) if checked else {})


def load_outcome(
    run: RunLoad,
    found: Mapping[str, Sequence[Sequence[Any]]],
    *,
    now: datetime | None,
    freshness_hours: float,
) -> LoadResult:
    """The load's result from the rows :func:`load_queries`' queries returned, with its
    checks evaluated when it was ``checked`` (``now``: when)."""
    rows = {str(stream): int(n) for stream, n in found[ROWS_KEY]}
    result = LoadResult(run.tenant_id, run.run_id, skipped=False, rows=rows)
    if now is None:
        return result
    observed = observations({k: v for k, v in found.items() if k != ROWS_KEY})
    checks = evaluate_checks(run, result, observed, now=now, freshness_hours=freshness_hours)
    return replace(result, checks=tuple(checks))


def check_statements(dialect: sql.Dialect, run: RunLoad) -> dict[str, str]:
    """The queries of the checks' inputs: every loaded table's duplicate keys, rows and newest
    row in one query (a row per table, :data:`TABLES_KEY`: one round trip, not two per table),
    then the money checks' single-row queries. :func:`observations` reads their rows."""
    schema = sql.tenant_schema(run.tenant_id)
    out: dict[str, str] = {}
    per_table = [
        f"SELECT {sql.literal(load.table)} AS table_name, "
        f"COUNT(*) - COUNT(DISTINCT {load.spec.primary_key}) AS dupes, COUNT(*) AS total, "
        f"MAX(_synced_at) AS newest FROM {schema}.{load.table}"
        for load in run.tables
    ]
    if per_table:
        out[TABLES_KEY] = " UNION ALL ".join(per_table)
    loaded = {load.table for load in run.tables}
    if loaded & SALES_TABLES:
        out[SALES_KEY] = finance.sales_check_query(
            dialect, run.tenant_id, run.run_id, run.started_at
        )
    if loaded & CAPTURE_TABLES:
        out[CAPTURED_KEY] = finance.captured_check_query(run.tenant_id, run.run_id)
    return out


def observations(rows: Mapping[str, Sequence[Sequence[Any]]]) -> dict[str, Any]:
    """The rows each of :func:`check_statements`' queries returned, as the inputs
    :func:`evaluate_checks` reads: ``pk_unique:<table>`` (duplicates, rows),
    ``freshness:<table>`` (newest,), and the money checks' single rows."""
    out: dict[str, Any] = {}
    for key, found in rows.items():
        if key == TABLES_KEY:
            for table, dupes, total, newest in found:
                out[f"pk_unique:{table}"] = (dupes, total)
                out[f"freshness:{table}"] = (newest,)
        else:
            out[key] = tuple(found[0]) if found else None
    return out


#: The money checks: observed key -> (table, check, what each observed row counts).
_MONEY_CHECKS = {
    SALES_KEY: (
        finance.DAILY_SALES,
        finance.SALES_CHECK,
        "day(s) touched differ from order_financials + refunds",
    ),
    CAPTURED_KEY: (
        "refunds",
        finance.CAPTURED_CHECK,
        "order(s) refunded more than their SALE + CAPTURE",
    ),
}


def _money_checks(run: RunLoad, observed: Mapping[str, Any]) -> list[CheckResult]:
    """The sales reconciliation and the refunds-within-captured check, where they ran: each
    query's row is (how many were checked, how many failed, the first that failed)."""
    out: list[CheckResult] = []
    for key, (table, name, what) in _MONEY_CHECKS.items():
        row = observed.get(key)
        if row is None:
            continue
        checked, wrong, first = int(row[0]), int(row[1]), row[2]
        detail = f"{wrong} of {checked} {what}" + (f", first {first}" if wrong else "")
        out.append(
            CheckResult(run.tenant_id, run.run_id, table, name, wrong == 0, wrong, 0, detail)
        )
    return out


def checks_insert(checks: Sequence[CheckResult], now: datetime) -> str:
    """One ``INSERT`` of every check of a run into ``shopsync_ops.checks`` (one statement
    whatever their number: one round trip, never over the Data API's batch limit)."""
    rows = ", ".join(
        "("
        + ", ".join(
            sql.literal(v)
            for v in (
                c.tenant_id,
                c.run_id,
                c.table,
                c.name,
                "passed" if c.passed else "failed",
                c.observed,
                c.expected,
                c.detail,
                now,
            )
        )
        + ")"
        for c in checks
    )
    return (
        f"INSERT INTO {sql.CHECKS} (tenant_id, run_id, table_name, check_name, status, observed, "
        f"expected, detail, checked_at) VALUES {rows}"
    )


def _age_seconds(latest: Any, now: datetime) -> int | None:
    if isinstance(latest, str):  # the Data API returns timestamps as text
        try:
            latest = datetime.fromisoformat(latest.replace(" ", "T").replace("+00", "+00:00", 1))
        except ValueError:
            return None
    if not isinstance(latest, datetime):
        return None
    at = latest if latest.tzinfo else latest.replace(tzinfo=UTC)
    return int((now - at).total_seconds())


def evaluate_checks(
    run: RunLoad,
    result: LoadResult,
    observed: Mapping[str, Any],
    *,
    now: datetime,
    freshness_hours: float,
) -> list[CheckResult]:
    tenant, run_id = run.tenant_id, run.run_id
    checks: list[CheckResult] = []
    for load in run.tables:
        table = load.table
        merged = result.rows.get(table)
        if load.records is not None and merged is not None:
            # Dedupe and the updatedAt guard only ever remove rows; a run with records
            # must merge some, and one without records must merge none.
            ok = merged <= load.records and (merged == 0) == (load.records == 0)
            checks.append(
                CheckResult(
                    tenant,
                    run_id,
                    table,
                    "rows_vs_records",
                    ok,
                    merged,
                    load.records,
                    f"{merged} rows merged from {load.records} manifest records",
                )
            )
        dupes = observed.get(f"pk_unique:{table}")
        if dupes is not None:
            checks.append(
                CheckResult(
                    tenant,
                    run_id,
                    table,
                    "pk_unique",
                    dupes[0] == 0,
                    int(dupes[0]),
                    0,
                    f"{dupes[0]} duplicate {load.spec.primary_key} value(s) in {dupes[1]} rows",
                )
            )
        fresh = observed.get(f"freshness:{table}")
        if fresh is not None:
            age = _age_seconds(fresh[0], now)
            limit = int(freshness_hours * 3600)
            if age is None:  # empty: fresh when the run merged nothing into it either
                ok = not merged
                detail = "no rows; the store has none" if ok else f"no rows after {merged} merged"
            else:
                ok, detail = age <= limit, f"newest row synced {age}s ago"
            checks.append(CheckResult(tenant, run_id, table, "freshness", ok, age, limit, detail))
    return checks + _money_checks(run, observed)
