"""Redshift Serverless through the Data API: the same specs and SQL as the DuckDB twin.

Each tenant run loads in one Data API session, as batches (``batch_execute_statement`` runs
a batch as one transaction and takes at most 40 statements; a full run has ~80): the
idempotent set-up (schema and tables if missing, new columns), the staging (``CREATE TEMP
TABLE ... (LIKE ...)``, ``COPY ... FORMAT AS PARQUET``: session-only), then the changes:
snapshot soft deletes and guarded ``MERGE`` by whole tables, as few batches as hold them, then
the deletions and the ledger rows in the last (see :func:`.base.load_batches`: a load that
fails between two batches leaves no ledger row and replays whole). Statements are polled
with ``describe_statement`` up to a bounded wait; a failure names the statement that failed,
with any password literal in it redacted.

The reporting refresh is one transaction too: the finance views, ``reporting.rls_rules`` and,
when the warehouse has the reporting user's credentials, that user and its grants (see
:meth:`RedshiftDataApiWarehouse.refresh_reporting`).
"""

# ruff: noqa: S608 - SQL is generated from specs; identifiers are validated, literals quoted

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from shopsync.reporting import grants
from shopsync.reporting import tables as reporting_tables

from . import sql
from .base import (
    CheckResult,
    LoadResult,
    RunLoad,
    TableLoad,
    WarehouseError,
    backfill_error,
    backfills,
    batch_stages,
    chunks,
    columns_by_table,
    last_loaded_by_tenant,
    load_batches,
    tenants_by_table,
)
from .checks import (
    check_statements,
    checks_insert,
    evaluate_checks,
    load_outcome,
    load_queries,
    observations,
)

logger = logging.getLogger(__name__)

_DONE = {"FINISHED"}
_FAILED = {"FAILED", "ABORTED"}
#: ``BatchExecuteStatement`` takes 1 to 40 statements (``SqlList`` in the Data API's model).
MAX_BATCH_STATEMENTS = 40
#: How long a load's session stays open after each batch: the job sends the next one as soon
#: as the previous finishes, so this only bounds how long a finished (or failed) load's session
#: and its temporary tables linger.
SESSION_KEEP_ALIVE_SECONDS = 300
#: The first pause before asking whether a statement ended (then doubled up to poll_seconds).
FIRST_POLL_SECONDS = 0.05
REDACTED = "<redacted>"
#: A password literal (``PASSWORD '...'``, also cut short) and the hashed forms Redshift takes
#: (``md5`` + 32 hex digits, ``sha256|...``): an MD5 hash logs on as well as the password does.
_PASSWORD_LITERAL = re.compile(r"(PASSWORD\s+)'[^']*'?", re.IGNORECASE)
_PASSWORD_HASH = re.compile(r"md5[0-9a-f]{32}|sha256\|[^\s'\\]+", re.IGNORECASE)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without the given secrets, any password literal or any password hash."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = _PASSWORD_LITERAL.sub(rf"\1'{REDACTED}'", text)
    return _PASSWORD_HASH.sub(REDACTED, text)


def _field(cell: dict[str, Any]) -> Any:
    if cell.get("isNull"):
        return None
    for key in ("stringValue", "longValue", "doubleValue", "booleanValue"):
        if key in cell:
            return cell[key]
    return None


class RedshiftDataApiWarehouse:
    """Redshift Serverless (``workgroup``) or a provisioned cluster, via the Data API.

    ``iam_role`` is the role COPY reads the curated Parquet with: loads need it, reads (status,
    checks) do not. ``reporting`` is the read-only reporting user QuickSight connects as: when
    given, every reporting refresh creates or updates that user and its grants.
    """

    dialect = sql.REDSHIFT
    #: A batch's runs load one after another, in the one Data API session that holds the
    #: batch's staged tables.
    concurrency = 1

    def __init__(
        self,
        *,
        database: str,
        iam_role: str | None = None,
        workgroup: str | None = None,
        cluster_identifier: str | None = None,
        secret_arn: str | None = None,
        client: Any | None = None,
        region: str | None = None,
        poll_seconds: float = 1.0,
        timeout_seconds: float = 900.0,
        sleep: Callable[[float], None] = time.sleep,
        freshness_hours: float = 48.0,
        reporting: grants.ReportingCredentials | None = None,
    ) -> None:
        if (workgroup is None) == (cluster_identifier is None):
            raise ValueError("give exactly one of workgroup or cluster_identifier")
        self.database = database
        self.iam_role = iam_role
        self.workgroup = workgroup
        self.cluster_identifier = cluster_identifier
        self.secret_arn = secret_arn
        self._client = client
        self._region = region
        self.poll_seconds = poll_seconds
        self.timeout_seconds = timeout_seconds
        self._sleep = sleep
        self.freshness_hours = freshness_hours
        self.reporting = reporting
        #: Inside :meth:`batch`: the Data API session the batch's loads share, and the batch
        #: tables staged in it (stage name -> location).
        self._batch = False
        self._ready = False
        #: The id of the last batch sent (its statements' results are ``<id>:<n>``).
        self.last_batch_id = ""
        self._session: str | None = None
        self._staged: dict[str, str] = {}

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = boto3.client("redshift-data", region_name=self._region)
        return self._client

    def _target(self) -> dict[str, str]:
        out = {"Database": self.database}
        if self.workgroup is not None:
            out["WorkgroupName"] = self.workgroup
        if self.cluster_identifier is not None:
            out["ClusterIdentifier"] = self.cluster_identifier
        if self.secret_arn is not None:
            out["SecretArn"] = self.secret_arn
        return out

    # -- statements ----------------------------------------------------------------------

    def _wait(self, statement_id: str, statements: Sequence[str]) -> dict[str, Any]:
        """Poll until the statement ends: first after :data:`FIRST_POLL_SECONDS`, then twice as
        long each time up to ``poll_seconds``. A tenant run's load is a handful of statements
        that take a fraction of a second each: polling once a second from the start made each
        cost a whole second, the largest part of a small run's load."""
        waited = 0.0
        pause = min(FIRST_POLL_SECONDS, self.poll_seconds)
        while True:
            desc: dict[str, Any] = self.client.describe_statement(Id=statement_id)
            status = desc.get("Status")
            if status in _DONE:
                return desc
            if status in _FAILED:
                raise self._failure(desc, statements)
            if waited >= self.timeout_seconds:
                self.client.cancel_statement(Id=statement_id)
                raise WarehouseError(
                    f"statement {statement_id} still {status} after {self.timeout_seconds:.0f}s; "
                    "cancelled"
                )
            self._sleep(pause)
            waited += pause
            pause = min(pause * 2, self.poll_seconds)

    def _secrets(self) -> list[str]:
        if self.reporting is None:
            return []
        user, password = self.reporting.username, self.reporting.password
        return [grants.password_hash(user, password), password.get_secret_value()]

    def _failure(self, desc: dict[str, Any], statements: Sequence[str]) -> WarehouseError:
        secrets = self._secrets()
        for sub in desc.get("SubStatements") or []:
            if sub.get("Status") in _FAILED:
                failing = sub.get("QueryString") or None
                return WarehouseError(
                    redact(f"Redshift: {sub.get('Error') or desc.get('Error')}", secrets),
                    redact(failing, secrets) if failing else None,
                )
        failing = redact(statements[0], secrets) if len(statements) == 1 else None
        message = f"Redshift: {desc.get('Error', desc.get('Status'))}"
        return WarehouseError(redact(message, secrets), failing)

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        """A Data API call; an error that would show a password is raised redacted, without
        the original as its cause (a traceback would print it)."""
        try:
            response: dict[str, Any] = getattr(self.client, operation)(**kwargs)
            return response
        except (BotoCoreError, ClientError) as exc:
            text = str(exc)
            safe = redact(text, self._secrets())
            if safe == text:
                raise
        raise WarehouseError(f"Redshift Data API {operation}: {safe}")

    def execute(self, statement: str) -> list[list[Any]]:
        """Run one statement and return its rows (``[]`` when it returns none)."""
        started = self._call("execute_statement", Sql=statement, **self._target())
        desc = self._wait(started["Id"], [statement])
        if not desc.get("HasResultSet"):
            return []
        return self.result(started["Id"])

    def result(self, statement_id: str) -> list[list[Any]]:
        """The rows of a finished statement, every page; of a batch's ``n``-th statement with
        ``<batch id>:<n>`` (the Data API's ``GetStatementResult`` takes that suffix)."""
        rows: list[list[Any]] = []
        token: str | None = None
        while True:
            kwargs = {"Id": statement_id, **({"NextToken": token} if token else {})}
            page = self.client.get_statement_result(**kwargs)
            rows += [[_field(c) for c in record] for record in page.get("Records", [])]
            token = page.get("NextToken")
            if not token:
                return rows

    def execute_batch(
        self,
        statements: Sequence[str],
        *,
        session: str | None = None,
        keep_alive: int | None = None,
    ) -> str | None:
        """Run statements as one transaction (one ``batch_execute_statement``).

        In ``session`` when given (the call then names the session and nothing else: it
        already knows its workgroup, database and credentials); otherwise ``keep_alive``
        seconds open a new session. Returns the session's id, if there is one."""
        if len(statements) > MAX_BATCH_STATEMENTS:
            raise WarehouseError(
                f"{len(statements)} statements in one transaction; the Data API takes at most "
                f"{MAX_BATCH_STATEMENTS} per batch"
            )
        where: dict[str, Any] = {"SessionId": session} if session else self._target()
        if session is None and keep_alive is not None:
            where["SessionKeepAliveSeconds"] = keep_alive
        started = self._call("batch_execute_statement", Sqls=list(statements), **where)
        self._wait(started["Id"], statements)
        self.last_batch_id = str(started["Id"])
        opened: str | None = started.get("SessionId")
        return session or opened

    def execute_in_session(self, batches: Sequence[Sequence[str]]) -> None:
        """Batches one after another in one database session (a Data API session), so the
        temporary tables of one batch are there for the next; each batch is a transaction.
        The session's keep-alive is set when the first batch opens it; it ends
        :data:`SESSION_KEEP_ALIVE_SECONDS` after the last batch, its temporary tables with it."""
        session: str | None = self._session
        for index, statements in enumerate(batches):
            session = self.execute_batch(
                statements, session=session, keep_alive=SESSION_KEEP_ALIVE_SECONDS
            )
            if session is None and (self._batch or index < len(batches) - 1):
                raise WarehouseError("the Data API did not open a session for the load")
        if self._batch:
            self._session = session

    # -- Warehouse -------------------------------------------------------------------------

    def ensure_ops(self) -> None:
        """The ops tables and the reporting tables (created, or brought from the union-view
        layout), once per warehouse object: a job's loads do not pay a round trip each."""
        if self._ready:
            return
        layout = columns_by_table(self.execute(reporting_tables.layout_query()))
        statements = sql.ops_ddl(self.dialect) + reporting_tables.layout_statements(
            self.dialect, layout
        )
        for batch in chunks(statements, MAX_BATCH_STATEMENTS):
            self.execute_batch(batch)
        self._ready = True

    def prepare(self) -> list[str]:
        self.ensure_ops()
        copies = backfills(
            self.execute(self.dialect.tenant_tables_query()),
            self.execute(reporting_tables.held_query()),
        )
        errors = []
        for tenant, statements in copies.items():
            try:  # in as many batches as it takes, the tenant recorded as held in the last
                for batch in chunks(statements, MAX_BATCH_STATEMENTS):
                    self.execute_batch(batch)
            except WarehouseError as exc:
                errors.append(backfill_error(tenant, exc))
        return errors

    def loaded_runs(self, tenant_id: str | None = None) -> set[tuple[str, str]]:
        self.ensure_ops()
        where = f" WHERE tenant_id = {sql.literal(tenant_id)}" if tenant_id else ""
        rows = self.execute(f"SELECT DISTINCT tenant_id, run_id FROM {sql.LEDGER}{where}")
        return {(str(t), str(r)) for t, r in rows}

    def last_loaded_runs(self, tenant_id: str | None = None) -> dict[str, set[str]]:
        self.ensure_ops()
        return last_loaded_by_tenant(self.execute(sql.last_loaded_query(tenant_id)))

    def existing_columns(self, tenant_id: str) -> dict[str, list[str]]:
        return columns_by_table(self.execute(sql.columns_query(tenant_id)))

    def load_run(
        self,
        run: RunLoad,
        *,
        loaded_at: datetime,
        arriving: Iterable[TableLoad] = (),
        checked_at: datetime | None = None,
    ) -> LoadResult:
        """A run's load in as few Data API calls as it takes: one query (is the run loaded,
        is its tenant's layout current), the load's batches with its reads at their end (its
        ledger rows and, with ``checked_at``, its checks' inputs: results of the last batch's
        statements, no calls of their own), then one batch recording the checks. Three calls
        for a small run of a tenant set up before, where there were eight."""
        if not self.iam_role:
            raise WarehouseError(
                "loading into Redshift needs the IAM role COPY reads the curated Parquet with: "
                "RedshiftDataApiWarehouse(iam_role=...)"
            )
        # Redshift's COPY and MERGE run in the cluster: there is nothing to overlap with the
        # job's writes here, so the load starts once every table is written.
        run = dataclasses.replace(run, tables=(*run.tables, *arriving))
        self.ensure_ops()
        (done, recorded), *_ = self.execute(sql.run_state_query(run.tenant_id, run.run_id))
        if int(done) > 0:
            logger.info("run already loaded; skipped")
            return LoadResult(run.tenant_id, run.run_id, skipped=True, rows={})
        current = recorded == sql.layout_fingerprint()
        queries = load_queries(self.dialect, run, checked=checked_at is not None)
        batches = load_batches(
            self.dialect,
            run,
            loaded_at=loaded_at,
            existing_columns=None if current else self.existing_columns(run.tenant_id),
            recorded=recorded,
            max_statements=MAX_BATCH_STATEMENTS,
            tail=list(queries.values()),
        )
        staging: list[str] = []
        pending = batch_stages(
            self.dialect, run, run.tables, iam_role=self.iam_role, staged=self._staged
        )
        for stage, (location, statements) in pending.items():
            staging += statements
            self._staged[stage] = location
        try:
            self.execute_in_session([*chunks(staging, MAX_BATCH_STATEMENTS), *batches])
        except BaseException:
            self._staged = {}  # the session's stages are not known any more
            raise
        first = len(batches[-1]) - len(queries) + 1  # the reads end the last batch
        found = {
            key: self.result(f"{self.last_batch_id}:{first + n}") for n, key in enumerate(queries)
        }
        result = load_outcome(run, found, now=checked_at, freshness_hours=self.freshness_hours)
        if result.checks and checked_at is not None:
            recorded_checks = [checks_insert(result.checks, checked_at)]
            if self._batch:
                self.execute_in_session([recorded_checks])
            else:
                self.execute_batch(recorded_checks)
        logger.info("run loaded: %s", result.rows)
        return result

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The loads inside share one Data API session: each batch table is copied from S3
        once (its ``COPY`` into a temporary table of the session) and every run of the batch
        loads its rows from there, each run still its own transactions."""
        if self._batch:
            yield
            return
        self._batch, self._session, self._staged = True, None, {}
        try:
            yield
        finally:
            self._batch, self._session, self._staged = False, None, {}

    def refresh_reporting(self, rls: Sequence[tuple[str, str]]) -> None:
        """The finance views, ``reporting.rls_rules`` and the reporting user's access: the new
        rules staged in the session's temporary table (as many batches as they take), then
        one batch, one transaction, for the rest.

        One transaction, because the parts must change together: the rules are never seen
        empty between their ``DELETE`` and ``INSERT``, and each ``REVOKE`` is never committed
        without the ``GRANT`` after it. The batch barely grows with the tenants: the two
        finance views, three statements to swap the rules in, at most 4 for the user, and
        3 + 2 per ~1,500 tenant schemas (of 40-character ids) for the grants: 20 statements at
        5,000 tenants (``tests/unit/warehouse/test_redshift.py`` builds it), within the Data
        API's 40.

        ``CREATE USER`` and ``ALTER USER`` may run in a transaction block: Redshift documents
        the commands that may not (``CREATE``/``DROP DATABASE``, ``ALTER TABLE APPEND``,
        ``VACUUM``, ``CREATE EXTERNAL TABLE``, ...) on their own pages, and r_CREATE_USER.html
        and r_ALTER_USER.html say no such thing. Redshift has no ``CREATE USER IF NOT EXISTS``:
        ``pg_user`` is asked first; a user created in between fails the batch (nothing is
        committed) and the next refresh alters it instead.
        """
        self.ensure_ops()
        stage, apply = reporting_tables.refresh_statements(self.dialect, rls)
        if self.reporting is not None:
            tenants = tenants_by_table(self.execute(self.dialect.tenant_tables_query()))
            schemas = sorted({t for ts in tenants.values() for t in ts})
            apply += self._reporting_access(self.reporting, schemas)
        self.execute_in_session([*chunks(stage, MAX_BATCH_STATEMENTS), apply])

    def _reporting_access(
        self, reporting: grants.ReportingCredentials, tenant_ids: Sequence[str]
    ) -> list[str]:
        """Create or update the reporting user; exactly its grants (nothing on the tenants'
        schemas)."""
        user = reporting.username
        found = self.execute(grants.user_exists(user))
        exists = bool(found) and int(found[0][0]) > 0
        return grants.reporting_user(
            user, reporting.password, exists=exists
        ) + grants.reporting_grants(user, tenant_ids)

    def run_checks(self, run: RunLoad, result: LoadResult, *, now: datetime) -> list[CheckResult]:
        queries = check_statements(self.dialect, run)
        observed = observations({name: self.execute(q) for name, q in queries.items()})
        checks = evaluate_checks(
            run, result, observed, now=now, freshness_hours=self.freshness_hours
        )
        if checks:
            self.execute_batch([checks_insert(checks, now)])
        return checks
