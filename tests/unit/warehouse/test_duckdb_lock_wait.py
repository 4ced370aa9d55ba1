"""A load waits out the readers of the warehouse file (a dashboard request, ``shopsync status``)
and stops, after its short wait, when another writer holds the file."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
print("ready", flush=True)
time.sleep(float(sys.argv[3]))
con.close()
"""


def hold(path: Path, mode: str, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), mode, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "ready"
    return holder


def test_a_writer_waits_for_a_reader_that_lets_go(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(path)).close()
    holder = hold(path, "read", 1.0)
    started = time.monotonic()
    with DuckDBWarehouse(path).connect() as con:
        assert con.execute("SELECT 1").fetchall() == [(1,)]
    assert time.monotonic() - started < DuckDBWarehouse.lock_wait_seconds
    holder.wait(timeout=30)


def test_a_writer_stops_when_the_file_stays_held(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(path)).close()
    warehouse = DuckDBWarehouse(path)
    warehouse.lock_wait_seconds = 0.5
    holder = hold(path, "write", 10.0)
    try:
        with pytest.raises(duckdb.IOException, match="lock"), warehouse.connect():
            pass
    finally:
        holder.kill()
        holder.wait(timeout=30)
