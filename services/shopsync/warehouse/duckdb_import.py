"""DuckDB, the local warehouse's engine, comes with the ``local`` extra only.

The deployed code (the Lambda functions, the Glue job) never uses it, and the Lambda runtime
could not load it (DuckDB 2 ships no wheel for Amazon Linux 2's glibc). The modules of the
local warehouse import it from here, so an install without it says what to add instead of a
bare ``No module named 'duckdb'``.
"""

from __future__ import annotations

__all__ = ["MISSING", "duckdb"]

#: What importing the local warehouse says when DuckDB is not installed.
MISSING = "the local warehouse needs duckdb: pip install 'shopsync[local]'"

try:
    import duckdb
except ModuleNotFoundError as exc:
    if exc.name != "duckdb":  # DuckDB is there but something it needs is not
        raise
    raise ModuleNotFoundError(MISSING, name="duckdb") from None
