"""Warehouse integration: raw lake + curated lake + DuckDB in a temp dir; Spark from tests/."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from shopsync.storage import LocalObjectStore
from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse
from shopsync_glue.job import CuratedLake

from .env import Env


@pytest.fixture
def env(spark: SparkSession, tmp_path: Path) -> Env:
    return Env(
        spark,
        LocalObjectStore(tmp_path / "raw"),
        CuratedLake(str(tmp_path / "curated")),
        DuckDBWarehouse(tmp_path / "warehouse.duckdb"),
    )
