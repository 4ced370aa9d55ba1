"""What a chaos scenario is judged by: the warehouse against the simulator's ground truth, the
cursors against the committed manifests, and every byte produced against the secrets in use.

- **expected**: every live record of every table in the store (the simulator's truth);
- **loaded**: those the tenant's schema holds live, at the truth's version where the table has
  one (``updated_at``);
- **lost**: expected but not loaded (missing, or an older version), plus rows live in the
  warehouse that the store deleted;
- **duplicates**: rows beyond one per key (live or soft-deleted);
- **cursor lead**: how far a stream's committed cursor is ahead of the newest cursor of that
  stream in a manifest (seconds; a cursor must never claim more than landed data holds).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from shopsync.lake.keys import manifest_prefix, parse_manifest_key
from shopsync.lake.manifest import Manifest, read_manifest
from shopsync.state.sqlite import SqliteStateStore
from shopsync.storage import LocalObjectStore
from shopsync.warehouse.specs import TABLES
from shopsync.warehouse.sql import tenant_schema
from shopsync_simulator import truth
from shopsync_simulator.money_truth import MONEY_STREAMS
from shopsync_simulator.store.store import STREAM_KINDS, Store

from .world import World


@dataclass
class Tally:
    """One tenant's (or a scenario's summed) exactness figures."""

    expected: int = 0
    loaded: int = 0
    duplicates: int = 0
    lost: int = 0
    cursor_lead: float = 0.0
    #: What was lost or duplicated, ``table: id`` (the first few), for the report.
    examples: list[str] = field(default_factory=list)

    def __iadd__(self, other: Tally) -> Tally:
        self.expected += other.expected
        self.loaded += other.loaded
        self.duplicates += other.duplicates
        self.lost += other.lost
        self.cursor_lead = max(self.cursor_lead, other.cursor_lead)
        self.examples += other.examples[: max(0, 5 - len(self.examples))]
        return self

    @property
    def exact(self) -> bool:
        return self.lost == 0 and self.duplicates == 0 and self.cursor_lead <= 0


def _instant(text: str | None) -> float | None:
    if text is None:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def expected_rows(store: Store) -> dict[str, dict[str, float | None]]:
    """Per table, each live record's id and its ``updatedAt`` (None: the table has no version
    of its own), from the simulator's store."""
    out: dict[str, dict[str, float | None]] = {}
    for stream in STREAM_KINDS:
        if stream in TABLES:
            out[stream] = {
                r["id"]: _instant(r.get("updatedAt")) for r in truth.records(store, stream)
            }
    out["order_line_items"] = {
        line["id"]: None for order in truth.records(store, "orders") for line in order["lineItems"]
    }
    for stream in MONEY_STREAMS:
        if stream in TABLES:
            out[stream] = {_key(r): None for r in truth.records(store, stream)}
    return out


def _key(row: dict[str, Any]) -> str:
    """A row's key in the warehouse: its id, or (a discount application has none) its
    order's id and its place in the order's list."""
    return str(row["id"]) if "id" in row else f"{row['orderId']}#{row['index']}"


def _warehouse_rows(
    con: duckdb.DuckDBPyConnection, tenant: str, table: str
) -> list[tuple[str, int, int, float | None]]:
    """(id, rows, live rows, the live row's version) per key of the tenant's table."""
    versioned = TABLES[table].cursor == "updated_at"
    version = "MAX(epoch(updated_at)) FILTER (WHERE _deleted_at IS NULL)" if versioned else "NULL"
    relation = f"{tenant_schema(tenant)}.{table}"
    try:
        return con.execute(
            f"SELECT id, COUNT(*), COUNT(*) FILTER (WHERE _deleted_at IS NULL), {version} "  # noqa: S608 - our ids
            f"FROM {relation} GROUP BY id"
        ).fetchall()
    except duckdb.CatalogException:
        return []  # nothing loaded for the tenant yet


def compare(world: World, tenant: str) -> Tally:
    """The tenant's warehouse schema against its store's truth, and its cursors' lead."""
    tally = Tally(cursor_lead=cursor_lead(world, tenant))
    expected = expected_rows(world.sim.store(tenant))
    path = world.settings.warehouse_path
    con = duckdb.connect(str(path), read_only=True) if path.exists() else None
    try:
        for table, rows in expected.items():
            tally.expected += len(rows)
            found = _warehouse_rows(con, tenant, table) if con is not None else []
            live: set[str] = set()
            for key, count, live_count, version in found:
                tally.duplicates += count - 1
                if count > 1:
                    tally.examples.append(f"duplicate {table} {key}")
                if live_count:
                    live.add(key)
                    if key not in rows:
                        tally.lost += 1  # deleted in the store, live in the warehouse
                        tally.examples.append(f"not deleted {table} {key}")
                        continue
                    want = rows[key]
                    if want is not None and version is not None and version < want:
                        tally.lost += 1  # an older version
                        tally.examples.append(f"stale {table} {key}")
                    else:
                        tally.loaded += 1
            for key in rows.keys() - live:
                tally.lost += 1
                tally.examples.append(f"missing {table} {key}")
    finally:
        if con is not None:
            con.close()
    del tally.examples[5:]
    return tally


def manifests(world: World, tenant: str) -> Iterator[Manifest]:
    """Every manifest the tenant's runs committed, in run order."""
    lake = LocalObjectStore(world.settings.lake_path / world.settings.raw_bucket)
    for key in lake.list(manifest_prefix(tenant)):
        parsed = parse_manifest_key(key)
        if parsed is not None:
            yield read_manifest(lake, *parsed)


def cursor_lead(world: World, tenant: str) -> float:
    """Seconds the furthest committed cursor of the tenant is ahead of the newest cursor its
    stream reached in a manifest (a cursor with no manifest behind it: infinitely)."""
    reached: dict[str, float] = {}
    for manifest in manifests(world, tenant):
        for stream, entry in manifest.streams.items():
            if entry.cursor_to is not None:
                at = entry.cursor_to.updated_at.timestamp()
                reached[stream] = max(reached.get(stream, at), at)
    lead = 0.0
    with SqliteStateStore(world.settings.state_path) as state:
        for stream, current in state.get_streams(tenant).items():
            if current.cursor is not None:
                at = current.cursor.updated_at.timestamp()
                lead = max(lead, at - reached.get(stream, float("-inf")))
    return lead


# -- secrets -----------------------------------------------------------------------------------


def secrets_in_use(world: World) -> list[str]:
    """Every token and client secret the simulator issued (the local secrets file's values)."""
    data = json.loads(world.settings.secrets_path.read_text())
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and len(value) >= 16:
            found.append(value)

    walk(data)
    return sorted(set(found))


def _files(root: Path, skip: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and path != skip:
            yield path


def secret_leaks(world: World, extra_text: Iterable[str] = ()) -> list[str]:
    """Where a secret appears: any file under the world (lake, state, warehouse, curated
    Parquet, logs; the secrets file itself aside) or any child process's output."""
    needles = [secret.encode() for secret in secrets_in_use(world)]
    leaks = []
    for path in _files(world.root, world.settings.secrets_path):
        data = path.read_bytes()
        leaks += [f"{path.relative_to(world.root)}" for needle in needles if needle in data]
    outputs = [
        (f"the output of `shopsync {' '.join(proc.args)}`", proc.stdout + proc.stderr)
        for proc in world.procs
    ]
    outputs += [(f"log {n}", text) for n, text in enumerate(extra_text)]
    for where, text in outputs:
        data = text.encode()
        leaks += [where for needle in needles if needle in data]
    return leaks
