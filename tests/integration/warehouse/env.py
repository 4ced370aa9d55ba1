"""The warehouse integration tests' environment: raw lake, curated lake and DuckDB."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
from pyspark.sql import SparkSession

from shopsync.storage import LocalObjectStore
from shopsync.warehouse.base import JobSummary
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse
from shopsync.warehouse.specs import TABLES
from shopsync_glue.job import CuratedLake, run_job

RLS = [("acme-analysts", "acme"), ("corp-analysts", "acme_corp")]


@dataclass
class Env:
    spark: SparkSession
    raw: LocalObjectStore
    lake: CuratedLake
    warehouse: DuckDBWarehouse

    def load(self, **kwargs: Any) -> JobSummary:
        kwargs.setdefault("rls", RLS)
        return run_job(self.spark, self.raw, self.lake, self.warehouse, **kwargs)

    def query(self, statement: str) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(self.warehouse.path), read_only=True)
        try:
            return con.execute(statement).fetchall()
        finally:
            con.close()

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every tenant table, the ledger and the RLS rules, sorted: the warehouse's state."""
        schemas = [s for (s,) in self.query("SELECT schema_name FROM information_schema.schemata")]
        out = {}
        for schema in sorted(s for s in schemas if s.startswith("shop_")):
            for table in TABLES:
                out[f"{schema}.{table}"] = sorted(
                    self.query(f"SELECT * EXCLUDE (_raw), _raw::VARCHAR FROM {schema}.{table}"),  # noqa: S608
                    key=repr,
                )
        out["ledger"] = sorted(
            self.query("SELECT tenant_id, run_id, stream, rows FROM shopsync_ops.load_ledger")
        )
        out["rls"] = sorted(self.query("SELECT * FROM reporting.rls_rules"))
        return out
