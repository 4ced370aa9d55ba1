"""A Redshift Data API stand-in that executes the generated Redshift SQL on its DuckDB twin.

The translation is small and explicit: Redshift-only types and clauses become DuckDB's, and
``COPY ... FORMAT AS PARQUET`` from a (local) location becomes ``read_parquet``. Anything
else runs exactly as generated, so these tests execute the Redshift SQL's logic.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from shopsync.warehouse import sql
from shopsync.warehouse.specs import TableSpec

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"VARCHAR\(65535\)"), "VARCHAR"),
    (re.compile(r"\bSUPER\b"), "JSON"),
    (re.compile(r"JSON_PARSE\((s\.\w+)::VARCHAR\)"), r"\1"),
    (re.compile(r" WITH NO SCHEMA BINDING$"), ""),
    (
        re.compile(r"^CREATE TEMP TABLE (\w+) \(LIKE ([\w.]+)\)$"),
        r"CREATE TEMP TABLE \1 AS SELECT * FROM \2 LIMIT 0",
    ),
    (
        re.compile(
            r"^COPY (\w+) \(([^)]*)\) FROM '([^']*?)/?' IAM_ROLE '[^']*' FORMAT AS PARQUET$"
        ),
        r"INSERT INTO \1 (\2) SELECT \2 FROM read_parquet('\3/*.parquet')",
    ),
    (re.compile(r"LIKE 'shop\\\\_%'"), r"LIKE 'shop\\_%' ESCAPE '\\'"),
]


def to_duckdb(statement: str) -> str:
    for pattern, replacement in _RULES:
        statement = pattern.sub(replacement, statement)
    return statement


def _cell(value: Any) -> dict[str, Any]:
    if value is None:
        return {"isNull": True}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"longValue": value}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, datetime):
        return {"stringValue": value.strftime("%Y-%m-%d %H:%M:%S.%f+00")}
    return {"stringValue": str(value)}


class TwinDataApi:
    """``execute_statement`` / ``batch_execute_statement`` / ``describe_statement`` /
    ``get_statement_result`` / ``cancel_statement`` over one DuckDB connection."""

    def __init__(self, *, pending_polls: int = 1, page_size: int = 2) -> None:
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")
        self.pending_polls = pending_polls
        self.page_size = page_size
        self.batches: list[list[str]] = []
        self.cancelled: list[str] = []
        self.never_finish = False
        self._ids = itertools.count(1)
        self._results: dict[str, dict[str, Any]] = {}
        self._polls: dict[str, int] = {}

    def _run(self, statements: Sequence[str], kwargs: dict[str, Any]) -> dict[str, str]:
        assert kwargs.get("Database") == "dev"
        assert "WorkgroupName" in kwargs
        sid = f"stmt-{next(self._ids)}"
        desc: dict[str, Any] = {"Id": sid, "Status": "FINISHED", "HasResultSet": False}
        rows: list[tuple[Any, ...]] = []
        self.con.execute("BEGIN TRANSACTION")
        subs = []
        for index, statement in enumerate(statements):
            sub = {"Id": f"{sid}:{index + 1}", "QueryString": statement, "Status": "FINISHED"}
            subs.append(sub)
            try:
                cursor = self.con.execute(to_duckdb(statement))
                if cursor.description is not None:
                    rows = cursor.fetchall()
                    desc["HasResultSet"] = len(statements) == 1
            except duckdb.Error as exc:
                self.con.execute("ROLLBACK")
                sub.update(Status="FAILED", Error=str(exc))
                desc.update(Status="FAILED", Error=str(exc))
                break
        else:
            self.con.execute("COMMIT")
        if len(statements) > 1:
            desc["SubStatements"] = subs
        self._results[sid] = {"desc": desc, "rows": rows}
        self._polls[sid] = 0
        return {"Id": sid}

    def execute_statement(self, *, Sql: str, **kwargs: Any) -> dict[str, str]:
        return self._run([Sql], kwargs)

    def batch_execute_statement(self, *, Sqls: list[str], **kwargs: Any) -> dict[str, str]:
        self.batches.append(list(Sqls))
        return self._run(Sqls, kwargs)

    def describe_statement(self, *, Id: str) -> dict[str, Any]:
        self._polls[Id] += 1
        if self.never_finish or self._polls[Id] <= self.pending_polls:
            return {"Id": Id, "Status": "STARTED"}
        return dict(self._results[Id]["desc"])

    def get_statement_result(self, *, Id: str, NextToken: str | None = None) -> dict[str, Any]:
        rows = self._results[Id]["rows"]
        start = int(NextToken or 0)
        page = rows[start : start + self.page_size]
        out: dict[str, Any] = {"Records": [[_cell(v) for v in row] for row in page]}
        if start + self.page_size < len(rows):
            out["NextToken"] = str(start + self.page_size)
        return out

    def cancel_statement(self, *, Id: str) -> dict[str, bool]:
        self.cancelled.append(Id)
        return {"Status": True}


def write_parquet(directory: Path, spec: TableSpec, rows: Sequence[dict[str, Any]]) -> str:
    """Curated Parquet for one table with the spec's columns and types (no Spark needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"CREATE TABLE t ({sql.DUCKDB.column_defs(spec)})")
    for row in rows:
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"INSERT INTO t ({names}) VALUES ({marks})", list(row.values()))  # noqa: S608
    con.execute(f"COPY t TO '{directory / 'part-00000.parquet'}' (FORMAT PARQUET)")
    con.close()
    return str(directory)
