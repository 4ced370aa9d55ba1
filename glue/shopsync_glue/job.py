"""The load job: pending manifests -> curated Parquet -> warehouse, one tenant run at a time.

Events only say "something arrived". The job decides from the manifests themselves: every
manifest under ``_manifests/`` that is not in the load ledger is pending; each tenant's
pending runs load in run_id order, each in one warehouse transaction with its ledger rows.
So a missed, late or repeated event never matters, and running the job again is a no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import reduce

from pyspark.sql import DataFrame, SparkSession

from shopsync.lake.keys import MANIFESTS_PREFIX, manifest_prefix, parse_manifest_key
from shopsync.lake.manifest import Manifest, StreamManifest
from shopsync.logcontext import log_context, submit
from shopsync.storage import ObjectStore
from shopsync.warehouse.base import (
    Deletions,
    JobSummary,
    RunLoad,
    TableLoad,
    Warehouse,
)
from shopsync.warehouse.specs import (
    DELETIONS,
    TABLES,
    TableSpec,
    tables_for_stream,
)
from shopsync.warehouse.sql import DELETIONS_TABLE

from . import transform as tf

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CuratedLake:
    """Where curated Parquet goes: ``<root>/tenant=<id>/table=<t>/run=<run_id>/``."""

    root: str

    def location(self, tenant_id: str, table: str, run_id: str) -> str:
        return f"{self.root.rstrip('/')}/tenant={tenant_id}/table={table}/run={run_id}"


def pending_manifests(
    raw: ObjectStore,
    loaded: set[tuple[str, str]],
    *,
    tenant_id: str | None = None,
    older_than: timedelta | None = None,
    now: datetime | None = None,
    errors: list[str] | None = None,
) -> dict[str, list[Manifest]]:
    """Manifests not in the ledger, by tenant, each tenant's in run_id order.

    ``older_than`` keeps only manifests that finished at least that long ago (the safety
    net for runs whose event never came). A manifest that cannot be read, or that names
    another tenant or run than its key, raises; with ``errors`` it is reported there and
    that tenant's later runs are held back (they must not overtake it), the rest go on.
    """
    prefix = manifest_prefix(tenant_id) if tenant_id else MANIFESTS_PREFIX
    cutoff = (now or datetime.now(UTC)) - older_than if older_than is not None else None
    out: dict[str, list[Manifest]] = {}
    held: set[str] = set()
    for key in raw.list(prefix):
        parsed = parse_manifest_key(key)
        if parsed is None:
            continue
        tenant, run = parsed
        if (tenant, run) in loaded or tenant in held:
            continue
        try:
            manifest = Manifest.model_validate_json(raw.get(key))
            if (manifest.tenant_id, manifest.run_id) != (tenant, run):
                raise ValueError(f"manifest is for {manifest.tenant_id}/{manifest.run_id}")
            manifest.check_parts_belong_to_tenant()
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            if errors is None:
                raise ValueError(f"{key}: {exc}") from exc
            with log_context(tenant_id=tenant, run_id=run):
                logger.error("bad manifest %s: %s", key, exc)
            errors.append(f"{tenant}/{run}: bad manifest: {exc}")
            held.add(tenant)  # keys list in run order: earlier runs still load
            continue
        if cutoff is not None and manifest.finished_at > cutoff:
            continue
        out.setdefault(tenant, []).append(manifest)
    for runs in out.values():
        runs.sort(key=lambda m: m.run_id)
    return dict(sorted(out.items()))


def _lines(spark: SparkSession, raw: ObjectStore, parts: Sequence[str]) -> DataFrame:
    if not parts:
        return spark.createDataFrame([], "value string")
    return spark.read.text([raw.uri(p) for p in parts])


class Curation:
    """One run's curated tables, written by a small pool of Spark jobs.

    ``header`` is the run's load plan before any table (deletions included, written first);
    iterating yields each table as its Parquet is complete, in the order they finish, so the
    warehouse can load one while Spark writes the next; ``plan`` is the whole plan after.
    Leaving the ``with`` block cancels what has not started and waits for what has.
    """

    def __init__(
        self,
        spark: SparkSession,
        raw: ObjectStore,
        lake: CuratedLake,
        manifest: Manifest,
        *,
        parallel_tables: int = 2,
    ) -> None:
        self.spark, self.raw, self.lake, self.manifest = spark, raw, lake, manifest
        self.parallel_tables = parallel_tables
        self.done: list[TableLoad] = []
        self._pool: ThreadPoolExecutor | None = None
        self.header = RunLoad(
            tenant_id=manifest.tenant_id,
            run_id=manifest.run_id,
            mode=manifest.mode,
            started_at=manifest.started_at,
            tables=(),
            deletions=self._write_deletions(),
            stream_records={s: e.records for s, e in manifest.streams.items()},
            skipped=manifest.skipped,  # {} for a version 1 manifest
        )

    def _write_deletions(self) -> Deletions | None:
        """The run's deletions streams, curated into one table (``table=deletions``)."""
        m = self.manifest
        landed = [
            (s, m.streams[s]) for s in sorted(m.streams) if s in DELETIONS and m.streams[s].parts
        ]
        if not landed:
            return None
        frames = [
            tf.deletions(_lines(self.spark, self.raw, entry.parts), DELETIONS[stream].subject)
            for stream, entry in landed
        ]
        location = self.lake.location(m.tenant_id, DELETIONS_TABLE, m.run_id)
        reduce(DataFrame.unionByName, frames).write.mode("overwrite").parquet(location)
        return Deletions(location, tuple(sorted({DELETIONS[s].subject for s, _ in landed})))

    def _write(self, spec: TableSpec, entry: StreamManifest) -> TableLoad:
        # Orders feed two tables: reading the gzip text twice costs less than caching it.
        lines = _lines(self.spark, self.raw, entry.parts)
        location = self.lake.location(self.manifest.tenant_id, spec.name, self.manifest.run_id)
        children = bool(spec.explode) and tf.has_child_lines(lines)
        df = tf.transform(spec.name, lines, child_lines=children)
        df.write.mode("overwrite").parquet(location)
        return TableLoad(
            spec.name,
            location,
            records=None if spec.explode else entry.records,
            complete_snapshot=entry.complete_snapshot,
            cursor_to=entry.cursor_to.updated_at.isoformat() if entry.cursor_to else None,
        )

    def __enter__(self) -> Curation:
        # Gzip parts are not splittable: one task per part. Writing tables concurrently keeps
        # every core busy when a stream has fewer parts than there are cores.
        self._pool = ThreadPoolExecutor(self.parallel_tables, thread_name_prefix="curate")
        return self

    def __iter__(self) -> Iterator[TableLoad]:
        if self._pool is None:
            raise RuntimeError("use Curation in a with block")
        # Largest streams first: the last table to finish is a small one, so neither the cores
        # nor the warehouse wait long at the end for one big table.
        streams = sorted(self.manifest.streams.items(), key=lambda s: (-s[1].records, s[0]))
        futures = [
            submit(self._pool, self._write, spec, entry)
            for stream, entry in streams
            if entry.parts or entry.complete_snapshot
            for spec in tables_for_stream(stream)
        ]
        for future in as_completed(futures):
            self.done.append(future.result())
            yield self.done[-1]

    @property
    def plan(self) -> RunLoad:
        order = list(TABLES)
        tables = tuple(sorted(self.done, key=lambda t: order.index(t.table)))
        return replace(self.header, tables=tables)

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def run_job(
    spark: SparkSession,
    raw: ObjectStore,
    lake: CuratedLake,
    warehouse: Warehouse,
    *,
    tenant_id: str | None = None,
    rls: Sequence[tuple[str, str]] = (),
    older_than: timedelta | None = None,
    now: datetime | None = None,
) -> JobSummary:
    """Load every pending manifest (of one tenant, or all); refresh the reporting layer."""
    summary = JobSummary()
    pending = pending_manifests(
        raw,
        warehouse.loaded_runs(tenant_id),
        tenant_id=tenant_id,
        older_than=older_than,
        now=now,
        errors=summary.errors,
    )
    for tenant, manifests in pending.items():
        for manifest in manifests:
            with log_context(tenant_id=tenant, run_id=manifest.run_id):
                try:
                    with Curation(spark, raw, lake, manifest) as curation:
                        result = warehouse.load_run(
                            curation.header, loaded_at=datetime.now(UTC), arriving=curation
                        )
                        plan = curation.plan
                except Exception as exc:
                    # Later runs of this tenant wait: they must not overtake a failed one.
                    logger.exception("load failed; the tenant's later runs wait")
                    summary.errors.append(f"{tenant}/{manifest.run_id}: {exc}")
                    break
                summary.loaded.append(result)
                if not result.skipped:
                    summary.checks += warehouse.run_checks(plan, result, now=datetime.now(UTC))
    if pending or not summary.errors:
        warehouse.refresh_reporting(rls)
    return summary
