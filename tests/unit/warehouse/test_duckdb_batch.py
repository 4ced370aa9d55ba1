"""A load job's DuckDB instance checkpoints rarely while its runs load, and once when it ends."""

from __future__ import annotations

from pathlib import Path

import duckdb

from shopsync.warehouse.duckdb_warehouse import BATCH_CHECKPOINT, DuckDBWarehouse


def _threshold(con: duckdb.DuckDBPyConnection) -> str:
    return str(con.execute("SELECT current_setting('checkpoint_threshold')").fetchone()[0])  # type: ignore[index]


def test_a_batch_checkpoints_at_its_threshold_and_leaves_no_log(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    warehouse = DuckDBWarehouse(path)
    with duckdb.connect() as memory:
        default = _threshold(memory)
        memory.execute(f"SET checkpoint_threshold = '{BATCH_CHECKPOINT}'")
        wanted = _threshold(memory)
    assert wanted != default
    with warehouse.batch():
        with warehouse.connect() as con:
            assert _threshold(con) == wanted
            con.execute("CREATE TABLE t AS SELECT range AS n FROM range(1000)")
        assert Path(f"{path}.wal").exists()  # written, not yet checkpointed
    assert not Path(f"{path}.wal").exists()  # the instance checkpointed as it closed
    with warehouse.connect() as con:
        assert _threshold(con) == default  # a later instance has DuckDB's own
        assert con.execute("SELECT COUNT(*) FROM t").fetchone() == (1000,)
