"""The ``local`` extra (DuckDB, Spark, the CLI's typer and rich) is not deployed: the Lambda
handlers and the Glue job's AWS path import without it, and the local warehouse says which
extra it needs when DuckDB is missing."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from tests.support.paths import REPO_ROOT

#: Top-level modules that only the ``local`` extra (and what it pulls in) provides.
LOCAL_ONLY = ("duckdb", "pyspark", "py4j", "typer", "rich", "click")


def _without_local_extra(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter where the local-only modules cannot be imported."""
    block = f"import sys\nfor _name in {LOCAL_ONLY!r}:\n    sys.modules[_name] = None\n"
    return subprocess.run(
        [sys.executable, "-c", block + code], capture_output=True, text=True, check=False
    )


def test_the_handlers_import_without_the_local_extra() -> None:
    result = _without_local_extra(
        "import shopsync.handlers.ingestion, shopsync.handlers.scheduler\n"
        "import shopsync.state.dynamodb, shopsync.storage.s3\n"
        "import shopsync.warehouse.redshift, shopsync.reporting.grants\n"
        "import shopsync.warehouse.status, shopsync.runtime\n"
        "assert callable(shopsync.handlers.ingestion.handler)\n"
        "assert callable(shopsync.handlers.scheduler.handler)\n"
    )
    assert result.returncode == 0, result.stderr


def test_the_local_warehouse_without_duckdb_names_the_extra_to_install() -> None:
    for module in ("shopsync.warehouse.duckdb_warehouse",):
        result = _without_local_extra(f"import {module}\n")
        assert result.returncode == 1
        last_line = result.stderr.strip().splitlines()[-1]
        assert last_line == (
            "ModuleNotFoundError: the local warehouse needs duckdb: pip install 'shopsync[local]'"
        ), result.stderr
        assert "No module named" not in result.stderr


def test_the_base_dependencies_hold_nothing_local_only() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    base = {dep.split(">")[0].split("[")[0].lower() for dep in project["dependencies"]}
    assert base.isdisjoint({"duckdb", "pyspark", "typer", "rich"})
    dev = project["optional-dependencies"]["dev"]
    assert "shopsync[local,test]" in dev  # make setup/demo/test keep DuckDB and Spark
    assert any(d.startswith("duckdb") for d in project["optional-dependencies"]["local"])
