"""``python -m shopsync_chaos.victim POINT N -- <shopsync arguments>``: the ``shopsync`` CLI in a
process that SIGKILLs itself the ``N``-th time (0 = the first) it reaches ``POINT``.

A kill at a random moment rarely lands in the narrow places where a crash hurts most (between
the last part and the manifest, between the manifest and the cursors, inside the warehouse
transaction), so each of those is a named point here: the process runs the real code up to it
and dies there with a real ``SIGKILL`` (no ``finally``, no ``atexit``, no flush; its Spark JVM
sees its parent gone and exits). A point the run never reaches ``N`` times leaves it alive: the
runner counts only the processes that died.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

#: Where a sync can die: after receiving its N-th Shopify response (mid-page: read, not yet
#: landed), in the middle of writing its N-th raw part, after the last part with the manifest
#: not written, with the manifest written and the cursors not committed, right after the
#: cursors are committed, at its N-th poll of a bulk operation.
SYNC_POINTS = ("response", "part", "manifest", "cursor", "after-cursor", "bulk-poll")
#: Where a load can die: after Spark wrote its N-th curated table, as the N-th run's load
#: starts, at the N-th MERGE inside a run's transaction, right after the N-th run's COMMIT,
#: when the reporting refresh starts.
LOAD_POINTS = ("curated", "before-transaction", "in-transaction", "after-commit", "reporting")
POINTS = SYNC_POINTS + LOAD_POINTS


def die() -> None:
    """A real SIGKILL of this process, now."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


class Countdown:
    """Dies on the ``n``-th :meth:`tick` (thread-safe: a sync fetches streams in threads)."""

    def __init__(self, n: int) -> None:
        self.left = n
        self._lock = threading.Lock()

    def tick(self) -> None:
        with self._lock:
            self.left -= 1
            if self.left < 0:
                die()


def _before(owner: Any, name: str, countdown: Countdown) -> None:
    """``owner.name`` ticks ``countdown`` before each call."""
    original = getattr(owner, name)

    def patched(*args: Any, **kwargs: Any) -> Any:
        countdown.tick()
        return original(*args, **kwargs)

    setattr(owner, name, patched)


def _after(owner: Any, name: str, countdown: Countdown) -> None:
    """``owner.name`` ticks ``countdown`` after each call returns."""
    original = getattr(owner, name)

    def patched(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        countdown.tick()
        return result

    setattr(owner, name, patched)


def _part_writes(countdown: Countdown) -> None:
    """The ``n``-th raw part (not a manifest) dies after its first write: half a file."""
    from shopsync.storage.directory import LocalObjectStore

    original = LocalObjectStore.open_write

    @contextlib.contextmanager
    def open_write(self: LocalObjectStore, key: str) -> Iterator[Any]:
        with original(self, key) as stream:
            if key.startswith("_manifests/"):
                yield stream
                return

            class Dying:
                def write(self, data: bytes) -> int:
                    written = stream.write(data)
                    countdown.tick()
                    return int(written)

                def __getattr__(self, name: str) -> Any:
                    return getattr(stream, name)

            yield Dying()

    LocalObjectStore.open_write = open_write  # type: ignore[method-assign]


def _statements(countdown: Countdown, match: str, *, after: bool) -> None:
    """Each DuckDB statement starting with ``match`` ticks (before it runs, or ``after``)."""
    from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse

    original = DuckDBWarehouse.connect

    class Connection:
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def execute(self, statement: str, *args: Any) -> Any:
            hit = statement.lstrip().upper().startswith(match)
            if hit and not after:
                countdown.tick()
            self._inner.execute(statement, *args)
            if hit and after:
                countdown.tick()
            return self

        def __getattr__(self, name: str) -> Any:
            return getattr(self._inner, name)

    @contextlib.contextmanager
    def connect(self: DuckDBWarehouse, **kwargs: Any) -> Iterator[Any]:
        with original(self, **kwargs) as con:
            yield Connection(con)

    DuckDBWarehouse.connect = connect  # type: ignore[method-assign]


def install(point: str, n: int) -> None:
    """Arms ``point`` to kill this process the ``n``-th time it is reached."""
    countdown = Countdown(n)
    if point == "response":
        import requests

        _after(requests.Session, "send", countdown)
    elif point == "part":
        _part_writes(countdown)
    elif point == "manifest":
        from shopsync.extract import service

        _before(service, "write_manifest", countdown)
    elif point == "cursor":
        from shopsync.state.sqlite import SqliteStateStore

        _before(SqliteStateStore, "commit_run", countdown)
    elif point == "after-cursor":
        from shopsync.state.sqlite import SqliteStateStore

        _after(SqliteStateStore, "commit_run", countdown)
    elif point == "bulk-poll":
        from shopsync.extract.bulk import BulkSource

        _before(BulkSource, "_poll", countdown)
    elif point == "curated":
        from shopsync_glue.job import Curation

        _after(Curation, "_write", countdown)
    elif point == "before-transaction":
        from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse

        _before(DuckDBWarehouse, "load_run", countdown)
    elif point == "in-transaction":
        _statements(countdown, "MERGE", after=False)
    elif point == "after-commit":
        _statements(countdown, "COMMIT", after=True)
    elif point == "reporting":
        from shopsync.warehouse.duckdb_warehouse import DuckDBWarehouse

        _before(DuckDBWarehouse, "refresh_reporting", countdown)
    else:
        raise SystemExit(f"unknown kill point {point!r}; expected one of: {', '.join(POINTS)}")


def main(argv: list[str]) -> None:
    if len(argv) < 3 or argv[2] != "--":
        raise SystemExit("usage: python -m shopsync_chaos.victim POINT N -- <shopsync args>")
    point, n, rest = argv[0], int(argv[1]), argv[3:]
    install(point, n)
    from shopsync.cli import main as shopsync

    sys.argv = ["shopsync", *rest]
    shopsync()


if __name__ == "__main__":
    main(sys.argv[1:])
