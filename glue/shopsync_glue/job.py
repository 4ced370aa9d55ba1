"""The load job: pending manifests -> curated Parquet -> warehouse, in batches of tenant runs.

Events only say "something arrived". The job decides from the manifests themselves: every
manifest under ``_manifests/`` that is not in the load ledger is pending; each tenant's
pending runs load in run_id order, each in one warehouse transaction with its ledger rows.
So a missed, late or repeated event never matters, and running the job again is a no-op.

The pending runs are curated in batches (:class:`Curation`): one Spark job per table for every
run of the batch, however many tenants it holds, since a Spark job's fixed cost, not the
records, is what a small run pays for. A run that fails holds back its tenant's later runs and
nothing else.
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
import threading
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import reduce
from typing import Any

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

from shopsync.lake.keys import (
    MANIFESTS_PREFIX,
    manifest_prefix,
    parse_manifest_key,
)
from shopsync.lake.manifest import Manifest, StreamManifest
from shopsync.logcontext import log_context, submit
from shopsync.runid import run_started
from shopsync.storage import ObjectStore
from shopsync.tenantid import is_tenant_id
from shopsync.warehouse.base import (
    Deletions,
    JobSummary,
    LoadResult,
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
    """Where curated Parquet goes: ``<root>/batch=<batch_id>/table=<t>/``, the rows of every
    run of the batch (``_tenant_id`` and ``_run_id`` tell them apart)."""

    root: str

    def batch_location(self, batch_id: str, table: str) -> str:
        """A table's Parquet for every run of one batch of the job."""
        return f"{self.root.rstrip('/')}/batch={batch_id}/table={table}"


def pending_manifests(
    raw: ObjectStore,
    last_loaded: Mapping[str, Collection[str]],
    *,
    tenant_id: str | None = None,
    older_than: timedelta | None = None,
    now: datetime | None = None,
    errors: list[str] | None = None,
) -> dict[str, list[Manifest]]:
    """Manifests not loaded yet, by tenant, each tenant's in run_id order.

    ``last_loaded`` is, for each tenant, its loaded runs of the second its latest loaded run
    was made in (:meth:`Warehouse.last_loaded_runs`): a tenant's runs load in run order, so
    its pending manifests are the keys from that second on (S3's ``StartAfter``) but those
    runs (ids of one second sort by their random part). The listing costs one call for the
    tenants (``_manifests/tenant=<id>/``, a thousand a call) and one per tenant with nothing
    new, however many runs were loaded before.

    ``older_than`` keeps only manifests that finished at least that long ago (the safety
    net for runs whose event never came). A manifest that cannot be read, or that names
    another tenant or run than its key, raises; with ``errors`` it is reported there and
    that tenant's later runs are held back (they must not overtake it), the rest go on.
    """
    cutoff = (now or datetime.now(UTC)) - older_than if older_than is not None else None
    tenants = [tenant_id] if tenant_id else list(_tenants_with_manifests(raw))
    out: dict[str, list[Manifest]] = {}
    for tenant in tenants:
        loaded = last_loaded.get(tenant, ())
        # The key of a run of that second sorts after "run=<second>".
        after = f"{manifest_prefix(tenant)}run={run_started(max(loaded))}" if loaded else None
        for key in raw.list(manifest_prefix(tenant), start_after=after):
            parsed = parse_manifest_key(key)
            if parsed is None or parsed[0] != tenant or parsed[1] in loaded:
                continue
            try:
                manifest = _read_manifest(raw, key, *parsed)
            except ValueError as exc:  # pydantic's ValidationError is a ValueError
                if errors is None:
                    raise ValueError(f"{key}: {exc}") from exc
                with log_context(tenant_id=tenant, run_id=parsed[1]):
                    logger.error("bad manifest %s: %s", key, exc)
                errors.append(f"{tenant}/{parsed[1]}: bad manifest: {exc}")
                break  # keys list in run order: earlier runs still load, later ones wait
            if cutoff is not None and manifest.finished_at > cutoff:
                continue
            out.setdefault(tenant, []).append(manifest)
    return dict(sorted(out.items()))


def _tenants_with_manifests(raw: ObjectStore) -> Iterator[str]:
    for prefix in raw.list_prefixes(MANIFESTS_PREFIX):
        name = prefix.removeprefix(MANIFESTS_PREFIX).rstrip("/")
        tenant = name.removeprefix("tenant=")
        if name.startswith("tenant=") and is_tenant_id(tenant):
            yield tenant


def _read_manifest(raw: ObjectStore, key: str, tenant: str, run: str) -> Manifest:
    manifest = Manifest.model_validate_json(raw.get(key))
    if (manifest.tenant_id, manifest.run_id) != (tenant, run):
        raise ValueError(f"manifest is for {manifest.tenant_id}/{manifest.run_id}")
    manifest.check_parts_belong_to_tenant()
    return manifest


def read_lines(
    spark: SparkSession, raw: ObjectStore, parts: Mapping[RunKey, Sequence[str]]
) -> DataFrame:
    """The raw lines of the runs' ``parts``, each with the tenant and run of its file
    (:data:`~shopsync_glue.transform.PATH_TENANT`, :data:`~shopsync_glue.transform.PATH_RUN`):
    a constant for a batch of one run, else read from each file's key."""
    for (tenant_id, run_id), found in parts.items():
        for part in found:  # what the key says is what the rows will say: it must be the run
            match = re.search(_PART_KEY, "/" + part)
            if match is None or match.groups() != (tenant_id, run_id):
                raise ValueError(f"part {part!r} is not a part of {tenant_id}/{run_id}")
    uris = [raw.uri(p) for found in parts.values() for p in found]
    if not uris:
        schema = f"{tf.RAW} string, {tf.PATH_TENANT} string, {tf.PATH_RUN} string"
        return spark.createDataFrame([], schema)
    lines = spark.read.text(uris)
    if len(parts) == 1:
        ((tenant, run),) = parts
        return lines.select(
            tf.RAW, F.lit(tenant).alias(tf.PATH_TENANT), F.lit(run).alias(tf.PATH_RUN)
        )
    key = F.input_file_name()
    return lines.select(
        tf.RAW,
        F.regexp_extract(key, _PART_KEY, 1).alias(tf.PATH_TENANT),
        F.regexp_extract(key, _PART_KEY, 2).alias(tf.PATH_RUN),
    )


#: A raw part's key, at the end of its URI: ``tenant=<id>/stream=<s>/date=<d>/run=<id>/part-...``
#: (:func:`shopsync.lake.keys.part_key`); the ids are checked, so never URI-escaped.
_PART_KEY = r"/tenant=([^/]+)/stream=[^/]+/date=[^/]+/run=([^/]+)/[^/]+$"

RunKey = tuple[str, str]


class Curation:
    """The curated tables of a batch of tenant runs: one Spark job per table for the whole
    batch (every run's parts read at once, each row told its tenant and run by its file's
    key), not one per table per run.

    A table of the batch is one directory, ``<root>/batch=<id>/table=<t>/``, a few files
    sorted by tenant and run; the warehouse stages it once and loads each run's rows from the
    stage in the run's own transaction (:mod:`shopsync.warehouse.sql`, ``batch_stage``).

    ``headers`` are the runs' load plans before any table (deletions, written first);
    iterating yields each table as its Parquet is complete, in the order they finish (the
    runs' loads of it, by run), so a batch of one run loads a table while Spark writes the
    next; ``plan`` gives a run's whole plan after. Leaving the ``with`` block cancels what has
    not started and waits for what has.
    """

    def __init__(
        self,
        spark: SparkSession,
        raw: ObjectStore,
        lake: CuratedLake,
        manifests: Sequence[Manifest],
        *,
        batch_id: str | None = None,
        parallel_tables: int = 2,
    ) -> None:
        self.spark, self.raw, self.lake, self.manifests = spark, raw, lake, list(manifests)
        self.batch_id = batch_id or new_batch_id()
        self.parallel_tables = parallel_tables
        self.done: dict[RunKey, list[TableLoad]] = {_key(m): [] for m in self.manifests}
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._stream_locks: dict[str, threading.Lock] = {}
        self._inputs: dict[str, tuple[DataFrame | None, bool | None]] = {}
        self._shared: dict[tuple[str, int], _Shared] = {}
        deletions = self._write_deletions()
        self.headers: dict[RunKey, RunLoad] = {
            _key(m): RunLoad(
                tenant_id=m.tenant_id,
                run_id=m.run_id,
                mode=m.mode,
                started_at=m.started_at,
                tables=(),
                deletions=deletions.get(_key(m)),
                stream_records={s: e.records for s, e in m.streams.items()},
                skipped=m.skipped,  # {} for a version 1 manifest
            )
            for m in self.manifests
        }

    def _entries(self, stream: str) -> list[tuple[Manifest, StreamManifest]]:
        """The runs whose ``stream`` is loaded: it landed parts, or is a complete snapshot."""
        return [
            (m, entry)
            for m in self.manifests
            if (entry := m.streams.get(stream)) is not None
            and (entry.parts or entry.complete_snapshot)
        ]

    def _write_deletions(self) -> dict[RunKey, Deletions]:
        """The batch's deletions streams, curated into one table (``table=deletions``)."""
        frames: list[DataFrame] = []
        subjects: dict[RunKey, set[str]] = {}
        for stream in sorted(DELETIONS):
            subject = DELETIONS[stream].subject
            entries = [(m, e) for m, e in self._entries(stream) if e.parts]
            for m, _ in entries:
                subjects.setdefault(_key(m), set()).add(subject)
            if entries:
                lines = read_lines(self.spark, self.raw, _parts(entries))
                frames.append(tf.deletions(lines, subject))
        if not frames:
            return {}
        location = self.lake.batch_location(self.batch_id, DELETIONS_TABLE)
        _sorted(reduce(DataFrame.unionByName, frames), len(subjects)).parquet(location)
        return {run: Deletions(location, tuple(sorted(found))) for run, found in subjects.items()}

    def _input(
        self, stream: str, entries: list[tuple[Manifest, StreamManifest]], explode: bool
    ) -> tuple[DataFrame, bool]:
        """A stream's lines and whether any is a bulk child line, worked out once for all the
        tables the stream feeds (the orders feed seven): listing a batch's parts and scanning
        them for child lines are Spark work a table need not repeat."""
        with self._stream_lock(stream):
            lines, children = self._inputs.get(stream, (None, None))
            if lines is None:
                lines = read_lines(self.spark, self.raw, _parts(entries))
            if explode and children is None:
                children = tf.has_child_lines(lines)
            self._inputs[stream] = (lines, children)
            return lines, bool(children)

    def _stream_lock(self, stream: str) -> threading.Lock:
        with self._lock:
            return self._stream_locks.setdefault(stream, threading.Lock())

    def _parsed(
        self,
        stream: str,
        table: str,
        lines: DataFrame,
        entries: list[tuple[Manifest, StreamManifest]],
    ) -> DataFrame | None:
        """The stream's lines parsed once for ``table`` and the other tables of its group
        (:func:`~shopsync_glue.transform.shared_parses`), kept in memory until the group's last
        table is written; ``None`` (the table parses its own) for a table alone in its group
        (a stream feeding one table) or a stream whose lines in the batch are too many to keep
        (:data:`SHARED_PARSE_RECORDS`)."""
        if sum(e.records for _, e in entries) > SHARED_PARSE_RECORDS:
            return None
        with self._stream_lock(stream):
            for number, (schema, names) in enumerate(_shared_parses(stream)):
                if table not in names:
                    continue
                if len(names) < 2:
                    return None  # nothing to share
                key = (stream, number)
                with self._lock:
                    shared = self._shared.get(key)
                if shared is None:
                    parsed = tf.parsed_lines(lines, schema).persist(StorageLevel.MEMORY_AND_DISK)
                    shared = _Shared(parsed, waiting=set(names))
                    with self._lock:
                        self._shared[key] = shared
                return shared.parsed
        return None

    def _release(self, stream: str, table: str) -> None:
        """``table`` is written: its group's parsed lines go once no other table waits."""
        with self._stream_lock(stream), self._lock:
            for key, shared in list(self._shared.items()):
                if key[0] == stream and table in shared.waiting:
                    shared.waiting.discard(table)
                    if not shared.waiting:
                        shared.parsed.unpersist()
                        del self._shared[key]

    def _write(
        self, stream: str, spec: TableSpec, entries: list[tuple[Manifest, StreamManifest]]
    ) -> dict[RunKey, TableLoad]:
        # Orders feed several tables: their lines are parsed once for them (kept parsed, not
        # as text: reading the gzip text again costs less than caching it; parsing does not).
        location = self.lake.batch_location(self.batch_id, spec.name)
        self.spark.sparkContext.setJobDescription(f"curate {spec.name}")
        lines, children = self._input(stream, entries, bool(spec.explode))
        parsed = self._parsed(stream, spec.name, lines, entries)
        df = tf.transform(spec.name, lines, child_lines=children, parsed=parsed)
        try:
            _sorted(df, len(entries)).parquet(location)
        finally:
            self._release(stream, spec.name)
        return {
            _key(m): TableLoad(
                spec.name,
                location,
                records=None if spec.explode else entry.records,
                complete_snapshot=entry.complete_snapshot,
                cursor_to=entry.cursor_to.updated_at.isoformat() if entry.cursor_to else None,
            )
            for m, entry in entries
        }

    def __enter__(self) -> Curation:
        # Gzip parts are not splittable: one task per part. Writing tables concurrently keeps
        # every core busy when a stream has fewer parts than there are cores.
        self._pool = ThreadPoolExecutor(self.parallel_tables, thread_name_prefix="curate")
        return self

    def __iter__(self) -> Iterator[dict[RunKey, TableLoad]]:
        if self._pool is None:
            raise RuntimeError("use Curation in a with block")
        # Largest streams first: the last table to finish is a small one, so neither the cores
        # nor the warehouse wait long at the end for one big table.
        records: dict[str, int] = {}
        for m in self.manifests:
            for stream, entry in m.streams.items():
                records[stream] = records.get(stream, 0) + entry.records
        futures = [
            submit(self._pool, self._write, stream, spec, entries)
            for stream in sorted(records, key=lambda s: (-records[s], s))
            if (entries := self._entries(stream))
            for spec in tables_for_stream(stream)
        ]
        for future in as_completed(futures):
            loads = future.result()
            for run, load in loads.items():
                self.done[run].append(load)
            yield loads

    def plan(self, run: RunKey) -> RunLoad:
        order = list(TABLES)
        tables = tuple(sorted(self.done[run], key=lambda t: order.index(t.table)))
        return replace(self.headers[run], tables=tables)

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        for shared in self._shared.values():  # a table failed: its group's lines are not needed
            shared.parsed.unpersist()
        self._shared.clear()


@functools.cache
def _shared_parses(stream: str) -> list[tuple[StructType, list[str]]]:
    """The groups of ``stream``'s tables that share a parse (worked out once per stream)."""
    return tf.shared_parses(tables_for_stream(stream))


@dataclass
class _Shared:
    """A stream's lines parsed once for a group of its tables, and the tables still to write."""

    parsed: DataFrame
    waiting: set[str]


#: A stream's lines in a batch are parsed once for all its tables (and kept in memory while
#: they are written) up to this many records; past it, each table parses them itself, as a
#: large run's tables did before: the parsed lines of 200,000 orders would not fit a 2 GiB heap.
SHARED_PARSE_RECORDS = 100_000


def _key(manifest: Manifest) -> RunKey:
    return manifest.tenant_id, manifest.run_id


def _parts(entries: list[tuple[Manifest, StreamManifest]]) -> dict[RunKey, Sequence[str]]:
    return {_key(m): e.parts for m, e in entries}


#: Parquet row groups of a batch table: small, so a reader looking for one run's rows skips
#: the others' by the row groups' statistics of ``_tenant_id`` and ``_run_id``.
ROW_GROUP_BYTES = 2 * 1024 * 1024


def _sorted(df: DataFrame, runs: int) -> Any:
    """The writer of a batch table: with several runs, each file's rows sorted by tenant and
    run, so the warehouse finds one run's rows in a few row groups."""
    if runs == 1:
        return df.write.mode("overwrite")
    rows = df.sortWithinPartitions("_tenant_id", "_run_id").write.mode("overwrite")
    return rows.option("parquet.block.size", ROW_GROUP_BYTES)


def new_batch_id() -> str:
    """A batch's id: when it started, then random (sorts by time; two jobs never collide)."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


#: A batch holds at most this many raw records and runs: its tables are Spark jobs over every
#: run's parts at once, so a batch is as large as one job comfortably reads.
BATCH_RECORDS = 2_000_000
BATCH_RUNS = 1_000


def batches(
    pending: dict[str, list[Manifest]],
    *,
    max_records: int = BATCH_RECORDS,
    max_runs: int = BATCH_RUNS,
) -> Iterator[list[Manifest]]:
    """The pending runs in batches, tenant by tenant, each tenant's in run order (a tenant's
    runs may span batches: they load in order all the same)."""
    batch: list[Manifest] = []
    records = 0
    for runs in pending.values():
        for manifest in runs:
            size = sum(e.records for e in manifest.streams.values())
            if batch and (records + size > max_records or len(batch) >= max_runs):
                yield batch
                batch, records = [], 0
            batch.append(manifest)
            records += size
    if batch:
        yield batch


@dataclass
class _Job:
    """One run of the job: what it loaded, which tenants wait (a run of theirs failed), and
    where its time went."""

    spark: SparkSession
    raw: ObjectStore
    lake: CuratedLake
    warehouse: Warehouse
    summary: JobSummary
    held: set[str]
    #: Runs of several tenants load at once (:attr:`Warehouse.concurrency`).
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Adds the time the block takes to ``stage`` in the summary's timing."""
        started = time.perf_counter()
        try:
            yield
        finally:
            with self._lock:
                timing = self.summary.timing
                timing[stage] = timing.get(stage, 0.0) + time.perf_counter() - started

    def _failed(self, manifest: Manifest, exc: BaseException) -> None:
        with log_context(tenant_id=manifest.tenant_id, run_id=manifest.run_id):
            # Later runs of this tenant wait: they must not overtake a failed one.
            logger.error("load failed; the tenant's later runs wait: %s", exc, exc_info=exc)
        with self._lock:
            self.summary.errors.append(f"{manifest.tenant_id}/{manifest.run_id}: {exc}")
            self.held.add(manifest.tenant_id)

    def load_batch(self, batch: list[Manifest]) -> None:
        batch = [m for m in batch if m.tenant_id not in self.held]
        if len(batch) == 1:
            self._load_one(batch[0])
        elif batch:
            self._load_many(batch)

    def _load_one(self, manifest: Manifest) -> None:
        """A batch of one run: each table loads while Spark writes the next."""
        run = _key(manifest)
        with log_context(tenant_id=run[0], run_id=run[1]):
            try:
                with self.timed("curate+load"), self._curation([manifest]) as curation:
                    result = self.warehouse.load_run(
                        curation.headers[run],
                        loaded_at=datetime.now(UTC),
                        arriving=(loads[run] for loads in curation if run in loads),
                        checked_at=datetime.now(UTC),
                    )
            except Exception as exc:
                self._failed(manifest, exc)
                return
            self._loaded(result)

    def _load_many(self, batch: list[Manifest]) -> None:
        """One Spark job per table for the batch, then each run in its own transaction. If the
        batch cannot be curated (one run's parts are bad), each run is curated on its own, so
        the bad one holds back only its tenant."""
        try:
            with self.timed("curate"), self._curation(batch) as curation:
                for _ in curation:
                    pass
        except Exception as exc:
            logger.warning("a batch of %d runs failed (%s): one run at a time", len(batch), exc)
            for manifest in batch:
                self.load_batch([manifest])
            return
        tenants: dict[str, list[Manifest]] = {}
        for manifest in batch:
            tenants.setdefault(manifest.tenant_id, []).append(manifest)
        workers = max(1, min(self.warehouse.concurrency, len(tenants)))
        with self.timed("load+checks"), ThreadPoolExecutor(workers, "load") as pool:
            for done in [submit(pool, self._load_tenant, curation, r) for r in tenants.values()]:
                done.result()

    def _load_tenant(self, curation: Curation, runs: list[Manifest]) -> None:
        """One tenant's runs of a curated batch, in order, each in its own transaction; the
        first that fails holds back the rest."""
        for manifest in runs:
            run = _key(manifest)
            with log_context(tenant_id=run[0], run_id=run[1]):
                try:
                    now = datetime.now(UTC)
                    plan = curation.plan(run)
                    result = self.warehouse.load_run(plan, loaded_at=now, checked_at=now)
                except Exception as exc:
                    self._failed(manifest, exc)
                    return
                self._loaded(result)

    def _curation(self, manifests: list[Manifest]) -> Curation:
        return Curation(self.spark, self.raw, self.lake, manifests)

    def _loaded(self, result: LoadResult) -> None:
        """The run's result and its checks (none for a run already loaded: they were
        recorded with its load)."""
        with self._lock:
            self.summary.loaded.append(result)
            self.summary.checks += result.checks


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
    """Load every pending manifest (of one tenant, or all), in batches; refresh the
    reporting layer."""
    summary = JobSummary()
    started = time.perf_counter()
    copies = warehouse.prepare()  # the reporting tables, before any run writes to them
    summary.timing["prepare"] = time.perf_counter() - started
    pending = pending_manifests(
        raw,
        warehouse.last_loaded_runs(tenant_id),
        tenant_id=tenant_id,
        older_than=older_than,
        now=now,
        errors=summary.errors,
    )
    job = _Job(spark, raw, lake, warehouse, summary, held=set())
    summary.timing["discover"] = time.perf_counter() - started - summary.timing["prepare"]
    with warehouse.batch():
        for batch in batches(pending):
            job.load_batch(batch)
    summary.loaded.sort(key=lambda r: (r.tenant_id, r.run_id))
    if pending or not summary.errors:
        with job.timed("reporting"):
            warehouse.refresh_reporting(rls)
    summary.errors += copies
    return summary
