"""One ingestion run of one store: lease, fetch every stream into raw parts, manifest, commit.

The run first reads the access scopes the store granted the app: a stream that needs a scope
the token lacks is skipped (not fetched, its cursor unmoved) and named in the manifest's
``skipped``, and the run goes on with the others; a failure to read the scopes fails the run.
The manifest is written last and only then do the cursors advance (``commit_run``), which
also releases the lease. Any failure before that records the run as failed, moves no cursor
and writes no manifest: the parts already written are never loaded, and the next run fetches
the same window again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from shopsync.lake.manifest import Manifest, StreamManifest, describe_skipped, write_manifest
from shopsync.logcontext import log_context, submit
from shopsync.runid import run_started
from shopsync.schedule.payload import IngestionPayload
from shopsync.settings import Settings
from shopsync.shopify import ClientStats, SecretSource
from shopsync.shopify.scopes import AccessScopesError, read_access_scopes
from shopsync.state import Cursor, RunStatus, StateStore
from shopsync.storage import ObjectStore
from shopsync.tenants import Registry, Tenant

from .bulk import BULK_DOCUMENTS, BulkSource
from .config import IngestionConfig
from .details import DetailSource, IdCollector
from .fetch import StreamFetch, slice_fetch
from .landing import LandingSink, StreamOutcome, merge_outcomes
from .paged import PagedSource
from .paging import PageSizes
from .raw import RawStreamWriter
from .result import IngestionFailedError, RunResult, StreamSummary
from .session import StoreSession, open_store_session
from .source import Source
from .streams import (
    NESTED_PAGE_SIZES,
    StreamSpec,
    Window,
    granted_variant,
    lacking_scopes,
    plan_window,
    streams_for,
)
from .whole import WholeLists

log = logging.getLogger(__name__)

#: (tenant_id, stream, records in the page, the store's client counters so far)
ProgressHook = Callable[[str, str, int, Mapping[str, float]], None]


@dataclass
class Services:
    """The adapters a run needs (:meth:`shopsync.runtime.Runtime.services` builds them)."""

    state: StateStore
    store: ObjectStore
    registry: Registry
    secrets: SecretSource
    config: IngestionConfig = field(default_factory=IngestionConfig)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


def run_payload(
    payload: IngestionPayload,
    *,
    settings: Settings,
    services: Services,
    deadline: float | None = None,
    progress: ProgressHook | None = None,
) -> RunResult:
    """Run one payload. ``deadline`` (``time.monotonic()`` seconds) makes it stop between pages
    and commit a partial run. Raises :class:`IngestionFailedError` when the run failed."""
    tenant = services.registry.get(payload.tenant_id)
    return _Run(payload, settings, services, tenant, deadline, progress).execute()


class _Run:
    def __init__(
        self,
        payload: IngestionPayload,
        settings: Settings,
        services: Services,
        tenant: Tenant,
        deadline: float | None,
        progress: ProgressHook | None,
    ) -> None:
        self.payload = payload
        self.settings = settings
        self.services = services
        self.tenant = tenant
        self.deadline = deadline
        self.progress = progress
        self.stop = threading.Event()
        self.ttl = timedelta(seconds=settings.lease_ttl_seconds)
        self._lease_lock = threading.Lock()
        self._renewed_at = time.monotonic()
        self.client_stats: ClientStats | None = None

    def execute(self) -> RunResult:
        with log_context(tenant_id=self.payload.tenant_id, run_id=self.payload.run_id):
            return self._execute()

    def _execute(self) -> RunResult:
        p, state = self.payload, self.services.state
        started_at = self.services.clock()
        if not state.acquire_lease(p.tenant_id, p.run_id, started_at, self.ttl):
            holder = state.get_tenant(p.tenant_id).lease
            other = holder.run_id if holder is not None else "another run"
            log.info("skipped: run %s in progress", other)
            return RunResult(p.tenant_id, p.run_id, "skipped", f"skipped: run {other} in progress")
        latest = state.get_tenant(p.tenant_id).last_run_id
        if latest is not None and run_started(latest) > run_started(p.run_id):
            # A stale invocation (a retry that came late): a run of a later second was
            # dispatched. Running would land a manifest older than runs the load may have
            # loaded already, which the load's discovery (from the second of each tenant's
            # last loaded run on) would never see.
            state.release_lease(p.tenant_id, p.run_id)
            log.info("skipped: run %s is newer", latest)
            return RunResult(p.tenant_id, p.run_id, "skipped", f"skipped: run {latest} is newer")
        state.record_run_started(p.tenant_id, p.run_id, p.mode, started_at)
        log.info("ingestion run started (%s: %s)", p.mode, ", ".join(p.streams))
        session: StoreSession | None = None
        try:
            session = open_store_session(
                self.tenant, self.settings, self.services.config, self.services.secrets
            )
            self.client_stats = session.client.stats
            specs, skipped = self._plan_streams(session)
            outcomes = self._fetch_all(session, specs, started_at)
            return self._commit(session, started_at, outcomes, skipped)
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}"
            log.exception("ingestion run failed: %s", message)
            stats = session.client.stats.snapshot() if session else {}
            state.record_run_failed(
                p.tenant_id, p.run_id, self.services.clock(), message, points=stats.get("points")
            )
            result = RunResult(p.tenant_id, p.run_id, "failed", message, stats=stats)
            raise IngestionFailedError(result) from exc
        finally:
            if session is not None:
                session.close()

    def _plan_streams(
        self, session: StoreSession
    ) -> tuple[list[StreamSpec], dict[str, tuple[str, ...]]]:
        """The streams to fetch, and those skipped for the scopes they lack."""
        try:
            granted = read_access_scopes(session.client)
        except AccessScopesError as exc:
            raise AccessScopesError(
                f"tenant {self.tenant.id}: cannot read the token's access scopes, so no "
                f"stream was fetched: {exc}"
            ) from exc
        specs = streams_for(self.payload.streams)
        skipped = lacking_scopes(specs, granted)
        for spec in specs:  # a details stream reads the ids its parent lands: skipped with it
            details = spec.details
            if details is not None and details.of in skipped:
                own = skipped.get(spec.name, ())
                skipped[spec.name] = tuple(sorted({*own, *skipped[details.of]}))
        for stream, missing in skipped.items():
            log.warning("stream %s skipped: the token lacks %s", stream, ", ".join(missing))
        fetched = [granted_variant(s, granted) for s in specs if s.name not in skipped]
        if "read_all_orders" not in granted and any(s.name == "orders" for s in fetched):
            log.info("without read_all_orders Shopify returns only the last 60 days of orders")
        return fetched, skipped

    def _forget_bulk_operations(self, outcomes: list[StreamOutcome]) -> None:
        """Committed streams need their recorded bulk operations no more."""
        done = {o.stream for o in outcomes if o.finished}
        state = self.services.state
        for record in state.list_bulk_operations(self.payload.tenant_id):
            if record.stream in done:
                state.delete_bulk_operation(record.tenant_id, record.stream, record.operation_id)

    def _should_stop(self) -> bool:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            return True
        return self.stop.is_set()

    def _keep_lease(self) -> None:
        with self._lease_lock:  # keep the lease while a long run is making progress
            if time.monotonic() - self._renewed_at > self.ttl.total_seconds() / 3:
                self.services.state.renew_lease(
                    self.payload.tenant_id, self.payload.run_id, self.services.clock(), self.ttl
                )
                self._renewed_at = time.monotonic()

    def _on_page(self, stream: str, records: int) -> None:
        self._keep_lease()
        if self.progress is not None and self.client_stats is not None:
            self.progress(self.payload.tenant_id, stream, records, self.client_stats.snapshot())

    def _fetch_all(
        self, session: StoreSession, specs: list[StreamSpec], started_at: datetime
    ) -> list[StreamOutcome]:
        p, cfg = self.payload, self.services.config
        if not specs:
            return []
        cursors = {
            name: s.cursor for name, s in self.services.state.get_streams(p.tenant_id).items()
        }
        first_sizes = {s.document: s.page_size for s in specs} | NESTED_PAGE_SIZES
        sizes = PageSizes(
            cfg.ingest_page_size,
            **{doc: min(size, cfg.ingest_page_size) for doc, size in first_sizes.items()},
        )
        span = timedelta(hours=cfg.ingest_slice_min_hours)
        collectors = {s.details.of: IdCollector(s.details) for s in specs if s.details is not None}
        fetches: dict[str, list[StreamFetch]] = {}
        for spec in specs:
            if spec.details is not None:
                continue
            fetch = self._stream_fetch(
                session, spec, sizes, cursors, started_at, collectors.get(spec.name)
            )
            # A first sync of a long window is sliced; later runs' windows are short anyway.
            sliced = fetch.sink.cursor_from is None and not isinstance(fetch.source, BulkSource)
            group = slice_fetch(fetch, cfg.ingest_slices, span) if sliced else [fetch]
            fetches[spec.name] = [self._whole_lists(session, spec, f) for f in group]
        outcomes = self._run_fetches(fetches)
        by_name = {o.stream: o for o in outcomes}
        for spec in specs:
            parent = by_name.get(spec.details.of) if spec.details is not None else None
            if spec.details is not None and parent is not None:
                ids = collectors[spec.details.of].ids()
                outcomes.append(self._fetch_details(session, spec, sizes, ids, parent, started_at))
        return outcomes

    def _whole_lists(
        self, session: StoreSession, spec: StreamSpec, fetch: StreamFetch
    ) -> StreamFetch:
        """A stream with a capped list asks the records that filled it again (:mod:`.whole`)."""
        if spec.whole is None:
            return fetch
        source = WholeLists(fetch.source, session.client, spec, self.services.clock)
        return StreamFetch(source, fetch.sink)

    def _run_fetches(self, fetches: dict[str, list[StreamFetch]]) -> list[StreamOutcome]:
        """Every fetch at once (bounded); the first failure stops the others and is raised."""
        cfg = self.services.config
        tasks = [f for group in fetches.values() for f in group]
        if not tasks:
            return []
        pool = ThreadPoolExecutor(min(cfg.ingest_concurrency, len(tasks)), "fetch")
        try:
            futures: list[Future[None]] = [submit(pool, f.run) for f in tasks]
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            failed = [f for f in done if f.exception() is not None]
            if failed:
                self.stop.set()
                wait(futures)
                for fetch in tasks:
                    fetch.sink.writer.abort()
                failed[0].result()  # raises the first error
        finally:
            pool.shutdown(wait=True)
        return [
            self._contiguous(merge_outcomes([f.sink for f in group])) for group in fetches.values()
        ]

    def _fetch_details(
        self,
        session: StoreSession,
        spec: StreamSpec,
        sizes: PageSizes,
        ids: list[str],
        parent: StreamOutcome,
        started_at: datetime,
    ) -> StreamOutcome:
        """A details stream, for the ids its parent landed in this run, all of them even past
        the deadline (they are bounded by what landed, and stopping would hold the parent's
        cursor: a run stopped at its budget would then never make progress). Stopped anyway
        (another stream failed), the parent's cursor stays where it was, so the next run lands
        that window and its details again."""
        source = DetailSource(
            session.client, spec, sizes, ids, self.stop.is_set, self.services.clock
        )
        window = Window(None, None, parent.complete_snapshot, started_at)
        sink = LandingSink(self._writer(spec, started_at), spec, window, None, self._on_page)
        [outcome] = self._run_fetches({spec.name: [StreamFetch(source, sink)]})
        if not outcome.finished:
            parent.cursor_to, parent.finished = parent.cursor_from, False
        return outcome

    def _contiguous(self, outcome: StreamOutcome) -> StreamOutcome:
        """A resync window that starts after the cursor leaves a gap: it must not move it."""
        since, start = self.payload.since, outcome.cursor_from
        gap = since is not None and (start is None or since > start.updated_at)
        if self.payload.mode == "resync" and gap:
            outcome.cursor_to = start
        return outcome

    def _stream_fetch(
        self,
        session: StoreSession,
        spec: StreamSpec,
        sizes: PageSizes,
        cursors: Mapping[str, Cursor | None],
        started_at: datetime,
        collector: IdCollector | None = None,
    ) -> StreamFetch:
        p, cfg = self.payload, self.services.config
        cursor_from = cursors.get(spec.name)
        window = plan_window(
            spec,
            mode=p.mode,
            cursor=cursor_from,
            start_date=self.tenant.start_date,
            run_start=started_at,
            since=p.since,
            overlap=timedelta(seconds=cfg.ingest_overlap_seconds),
            lag=timedelta(seconds=cfg.ingest_lag_seconds),
        )
        writer = self._writer(spec, started_at)
        paged = PagedSource(session.client, spec, sizes, self._should_stop, self.services.clock)
        source: Source = paged
        if self._use_bulk(spec, window):
            source = BulkSource(
                paged,
                state=self.services.state,
                tenant_id=p.tenant_id,
                run_id=p.run_id,
                keep_alive=self._keep_lease,
                poll_initial=cfg.bulk_poll_seconds,
                max_poll_seconds=cfg.bulk_max_poll_seconds,
            )
        sink = LandingSink(writer, spec, window, cursor_from, self._on_page, collector)
        return StreamFetch(source, sink)

    def _writer(self, spec: StreamSpec, started_at: datetime) -> RawStreamWriter:
        p, cfg = self.payload, self.services.config
        return RawStreamWriter(
            self.services.store,
            tenant_id=p.tenant_id,
            run_id=p.run_id,
            stream=spec.name,
            day=started_at.astimezone(UTC).date(),
            max_lines=cfg.ingest_part_max_lines,
            max_bytes=cfg.ingest_part_max_bytes,
        )

    def _use_bulk(self, spec: StreamSpec, window: Window) -> bool:
        cfg = self.services.config
        if not cfg.bulk_enabled or self.payload.mode == "incremental":
            return False
        if spec.name not in BULK_DOCUMENTS or spec.always_full:
            return False
        if window.start is None:
            return True
        if spec.nested_query:
            # The bulk document filters the parents (inventory items), not the nested levels:
            # only a whole snapshot is right that way; a bounded window is paged.
            return False
        end = window.end or window.cap
        return end - window.start >= timedelta(days=cfg.bulk_threshold_days)

    def _commit(
        self,
        session: StoreSession,
        started_at: datetime,
        outcomes: list[StreamOutcome],
        skipped: dict[str, tuple[str, ...]],
    ) -> RunResult:
        p, state = self.payload, self.services.state
        finished = all(o.finished for o in outcomes)
        manifest = Manifest(
            tenant_id=p.tenant_id,
            run_id=p.run_id,
            mode=p.mode,
            api_version=session.api_version,
            started_at=started_at,
            finished_at=self.services.clock(),
            streams={
                o.stream: StreamManifest(
                    parts=tuple(o.parts),
                    records=o.records,
                    cursor_from=o.cursor_from,
                    cursor_to=o.cursor_to,
                    complete_snapshot=o.complete_snapshot,
                )
                for o in outcomes
            },
            skipped=skipped,
        )
        key = write_manifest(self.services.store, manifest)
        status = RunStatus.SUCCEEDED if finished else RunStatus.PARTIAL
        cursors = {o.stream: o.cursor_to for o in outcomes if o.cursor_to is not None}
        state.commit_run(
            p.tenant_id,
            p.run_id,
            status,
            manifest.finished_at,
            cursors,
            points=session.client.stats.snapshot().get("points"),
        )
        self._forget_bulk_operations(outcomes)
        summaries = {
            o.stream: StreamSummary(
                o.records, o.pages, len(o.parts), o.complete_snapshot, o.finished
            )
            for o in outcomes
        }
        total = sum(o.records for o in outcomes)
        message = f"{total} records in {len(outcomes)} streams" + (
            "" if finished else " (partial: stopped at the time budget)"
        )
        if skipped:
            message += "; skipped: " + describe_skipped(skipped)
        log.info("ingestion run committed: %s", message, extra={"manifest": key})
        return RunResult(
            p.tenant_id,
            p.run_id,
            "succeeded" if finished else "partial",
            message,
            manifest_key=key,
            streams=summaries,
            stats=session.client.stats.snapshot(),
            skipped=skipped,
        )
