"""A Redshift Data API stand-in that executes the generated Redshift SQL on its DuckDB twin.

The translation is small and explicit: Redshift-only types and clauses become DuckDB's, and
``COPY ... FORMAT AS PARQUET`` from a (local) location becomes ``read_parquet``. Anything
else runs exactly as generated, so these tests execute the Redshift SQL's logic. Where DuckDB
has no limit and Redshift has one, the twin enforces Redshift's: a COPY of a value over
65,535 bytes fails as Redshift's does, and so does ``JSON_PARSE`` of a longer text.

Users and privileges have no DuckDB counterpart, so the twin keeps them in tables of its own
(schema ``redshift_twin``), inside the batch's transaction: ``CREATE USER`` inserts a user (a
second one fails, as in Redshift), ``ALTER USER`` updates one (an unknown user fails), and
``GRANT`` / ``REVOKE`` are recorded as sent after checking that the user and every schema they
name exist. ``pg_user`` is a view over the users. What the grants leave the user able to do is
not modelled here: ``test_grants.py`` does that. A statement about users or privileges of any
other shape fails the test, and so does a batch of more than the Data API's 40 statements.
"""

# ruff: noqa: S608 - the twin's own SQL: identifiers are constants or matched \w+, literals quoted

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from botocore.exceptions import ClientError

from shopsync.warehouse import sql
from shopsync.warehouse.base import Deletions
from shopsync.warehouse.specs import TableSpec

#: Redshift's limit on one string (a ``VARCHAR(65535)`` value, a string in ``SUPER``,
#: ``JSON_PARSE``'s input), which the twin enforces where Redshift would fail: a COPY of a
#: longer string, a parse of a longer text.
MAX_STRING_BYTES = 65_535


def _copy(match: re.Match[str]) -> str:
    """``COPY stage (cols) FROM 'dir/' ... PARQUET`` as DuckDB reads it, after a check that
    fails as Redshift's COPY would (error 1204, "String length exceeds DDL length") when a
    value is longer than Redshift takes."""
    stage, names, location = match.group(1), match.group(2), match.group(3)
    files = f"read_parquet('{location}/*.parquet')"
    longest = " OR ".join(
        f"strlen(CAST({c.strip()} AS VARCHAR)) > {MAX_STRING_BYTES}" for c in names.split(",")
    )
    check = (
        f"SELECT error('String length exceeds DDL length: a value over {MAX_STRING_BYTES} "
        f"bytes') FROM {files} WHERE {longest} LIMIT 1"
    )
    return f"{check}; INSERT INTO {stage} ({names}) SELECT {names} FROM {files}"


def _parse(match: re.Match[str]) -> str:
    """``JSON_PARSE(x::VARCHAR(MAX))``: the value itself (DuckDB's JSON), unless Redshift
    could not take the text."""
    expr = match.group(1)
    return (
        f"CASE WHEN strlen(CAST({expr} AS VARCHAR)) > {MAX_STRING_BYTES} THEN "
        f"error('JSON_PARSE: input over {MAX_STRING_BYTES} bytes') ELSE {expr} END"
    )


_RULES: list[tuple[re.Pattern[str], str | Any]] = [
    (re.compile(r"VARCHAR\(65535\)"), "VARCHAR"),
    (re.compile(r"\bSUPER\b"), "JSON"),
    (re.compile(r"JSON_PARSE\((s\.\w+)::VARCHAR\(MAX\)\)"), _parse),
    (re.compile(r" WITH NO SCHEMA BINDING$"), ""),
    (re.compile(r" SORTKEY \([\w, ]+\)$"), ""),
    (
        re.compile(r"^CREATE TEMP TABLE (\w+) \(LIKE ([\w.]+)\)$"),
        r"CREATE TEMP TABLE \1 AS SELECT * FROM \2 LIMIT 0",
    ),
    (
        re.compile(
            r"^COPY (\w+) \(([^)]*)\) FROM '([^']*?)/?' IAM_ROLE '[^']*' FORMAT AS PARQUET$"
        ),
        _copy,
    ),
    (re.compile(r"LIKE 'shop\\\\_%'"), r"LIKE 'shop\\_%' ESCAPE '\\'"),
    (re.compile(r"\bCONVERT_TIMEZONE\('UTC', "), "timezone('UTC', "),
]


TWIN_SCHEMA = "redshift_twin"
USERS = f"{TWIN_SCHEMA}.users"
PRIVILEGE_LOG = f"{TWIN_SCHEMA}.privilege_statements"
_TWIN_DDL = [
    "CREATE SCHEMA public",  # Redshift's default schema; DuckDB's is main
    f"CREATE SCHEMA {TWIN_SCHEMA}",
    f"CREATE TABLE {USERS} (usename VARCHAR PRIMARY KEY, passwd VARCHAR NOT NULL, "
    "usecreatedb BOOLEAN NOT NULL, usesuper BOOLEAN NOT NULL, syslog_access VARCHAR NOT NULL)",
    f"CREATE VIEW pg_user AS SELECT usename, usecreatedb, usesuper, '********' AS passwd "
    f"FROM {USERS}",
    f"CREATE SEQUENCE {TWIN_SCHEMA}.seq",
    f"CREATE TABLE {PRIVILEGE_LOG} (seq BIGINT NOT NULL, statement VARCHAR NOT NULL)",
]
#: Redshift's user attributes (r_CREATE_USER.html): keyword -> (column, value); defaults are
#: NOCREATEDB, NOCREATEUSER, SYSLOG ACCESS RESTRICTED.
_ATTRIBUTES = {
    "CREATEDB": ("usecreatedb", "TRUE"),
    "NOCREATEDB": ("usecreatedb", "FALSE"),
    "CREATEUSER": ("usesuper", "TRUE"),
    "NOCREATEUSER": ("usesuper", "FALSE"),
    "SYSLOG ACCESS RESTRICTED": ("syslog_access", "'RESTRICTED'"),
    "SYSLOG ACCESS UNRESTRICTED": ("syslog_access", "'UNRESTRICTED'"),
}
_ATTRIBUTE_RE = "|".join(sorted(_ATTRIBUTES, key=len, reverse=True))
_CREATE_USER = re.compile(
    rf"CREATE USER (\w+) PASSWORD '(md5[0-9a-f]{{32}})'((?: (?:{_ATTRIBUTE_RE}))*)"
)
_ALTER_PASSWORD = re.compile(r"ALTER USER (\w+) PASSWORD '(md5[0-9a-f]{32})'")
_ALTER_ATTRIBUTE = re.compile(rf"ALTER USER (\w+) ({_ATTRIBUTE_RE})")
_PRIVILEGE = re.compile(
    r"(?:GRANT|REVOKE) (?:\w+) ON (?:ALL TABLES IN SCHEMA|SCHEMA) ([\w, ]+) (?:TO|FROM) (\w+)"
)


def _must_exist(what: str, query: str, name: str) -> str:
    """A statement that fails, as Redshift would, when ``query`` finds nothing."""
    message = sql.literal(f'{what} "{name}" does not exist')
    return f"SELECT error({message}) WHERE NOT EXISTS ({query})"


def _user_exists(user: str) -> str:
    return _must_exist("user", f"SELECT 1 FROM {USERS} WHERE usename = {sql.literal(user)}", user)


def _users_and_privileges(statement: str) -> str | None:
    """The DuckDB statements standing in for a user or privilege statement (``None``: not one)."""
    if not re.match(r"(CREATE USER|ALTER USER|GRANT|REVOKE) ", statement):
        return None
    if m := _CREATE_USER.fullmatch(statement):
        values = {"usecreatedb": "FALSE", "usesuper": "FALSE", "syslog_access": "'RESTRICTED'"}
        for attribute in re.findall(_ATTRIBUTE_RE, m[3]):
            column, value = _ATTRIBUTES[attribute]
            values[column] = value
        return (
            f"INSERT INTO {USERS} (usename, passwd, {', '.join(values)}) VALUES "
            f"({sql.literal(m[1])}, {sql.literal(m[2])}, {', '.join(values.values())})"
        )
    if m := _ALTER_PASSWORD.fullmatch(statement):
        return (
            f"{_user_exists(m[1])}; UPDATE {USERS} SET passwd = {sql.literal(m[2])} "
            f"WHERE usename = {sql.literal(m[1])}"
        )
    if m := _ALTER_ATTRIBUTE.fullmatch(statement):
        column, value = _ATTRIBUTES[m[2]]
        return (
            f"{_user_exists(m[1])}; UPDATE {USERS} SET {column} = {value} "
            f"WHERE usename = {sql.literal(m[1])}"
        )
    if m := _PRIVILEGE.fullmatch(statement):
        checks = [] if m[2] == "PUBLIC" else [_user_exists(m[2])]
        for schema in (s.strip() for s in m[1].split(",")):
            found = (
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = "
                f"{sql.literal(schema)}"
            )
            checks.append(_must_exist("schema", found, schema))
        record = (
            f"INSERT INTO {PRIVILEGE_LOG} VALUES (nextval('{TWIN_SCHEMA}.seq'), "
            f"{sql.literal(statement)})"
        )
        return "; ".join([*checks, record])
    raise AssertionError(f"the twin does not know this statement: {statement}")


def to_duckdb(statement: str) -> str:
    translated = _users_and_privileges(statement)
    if translated is not None:
        return translated
    for pattern, replacement in _RULES:
        statement = pattern.sub(replacement, statement)
    return statement


#: ``SqlList`` in the Data API's model: 1 to 40 statements per batch.
MAX_BATCH = 40
#: ``Sql`` (and each of ``Sqls``) in the Data API's model: at most 100,000 characters.
MAX_SQL = 100_000


def _refuse_long(statements: Sequence[str], operation: str) -> None:
    """The service refuses a call with a statement over :data:`MAX_SQL`, as here."""
    for statement in statements:
        if len(statement) > MAX_SQL:
            message = f"a statement of {len(statement)} characters: at most {MAX_SQL}"
            raise ClientError(
                {"Error": {"Code": "ValidationException", "Message": message}}, operation
            )


def _cell(value: Any) -> dict[str, Any]:
    if value is None:
        return {"isNull": True}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"longValue": value}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, datetime):
        return {"stringValue": value.strftime("%Y-%m-%d %H:%M:%S.%f+00")}
    return {"stringValue": str(value)}


class TwinDataApi:
    """``execute_statement`` / ``batch_execute_statement`` / ``describe_statement`` /
    ``get_statement_result`` / ``cancel_statement`` over one DuckDB connection."""

    def __init__(self, *, pending_polls: int = 1, page_size: int = 2) -> None:
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")
        for statement in _TWIN_DDL:
            self.con.execute(statement)
        self.pending_polls = pending_polls
        self.page_size = page_size
        self.batches: list[list[str]] = []
        self.statements: list[str] = []  # what execute_statement was sent
        self.cancelled: list[str] = []
        #: ``(prefix, error)``: a statement starting with ``prefix`` fails with ``error`` (in
        #: which ``{statement}`` is replaced by the statement, as errors that quote it do)
        self.faults: list[tuple[str, str]] = []
        self.never_finish = False
        self._ids = itertools.count(1)
        self._results: dict[str, dict[str, Any]] = {}
        self._polls: dict[str, int] = {}
        #: Data API sessions: each its own connection, so temporary tables live in one
        #: session only, as in Redshift; a call without a session gets a fresh connection.
        self.sessions: dict[str, duckdb.DuckDBPyConnection] = {}
        self.session_calls: list[str | None] = []  # the session of every call, in order

    def _connection(self, kwargs: dict[str, Any]) -> tuple[duckdb.DuckDBPyConnection, str | None]:
        session = kwargs.get("SessionId")
        if session is not None:  # the session already knows where it is connected
            assert "Database" not in kwargs
            assert "WorkgroupName" not in kwargs
            # Its keep-alive is set when it opens (whether a later call may change it is not
            # documented, so the client never tries).
            assert "SessionKeepAliveSeconds" not in kwargs
            if session not in self.sessions:
                raise ClientError(
                    {"Error": {"Code": "ValidationException", "Message": "no such session"}},
                    "ExecuteStatement",
                )
            return self.sessions[session], session
        assert kwargs.get("Database") == "dev"
        assert "WorkgroupName" in kwargs
        con = self.con.cursor()
        con.execute("SET TimeZone = 'UTC'")
        if kwargs.get("SessionKeepAliveSeconds"):
            session = f"{next(self._ids):08x}-0000-0000-0000-000000000000"
            self.sessions[session] = con
        return con, session

    def _run(self, statements: Sequence[str], kwargs: dict[str, Any]) -> dict[str, str]:
        con, session = self._connection(kwargs)
        self.session_calls.append(session)
        try:
            return self._run_on(con, statements, session)
        finally:
            if session is None:
                con.close()

    def _run_on(
        self, con: duckdb.DuckDBPyConnection, statements: Sequence[str], session: str | None
    ) -> dict[str, str]:
        sid = f"stmt-{next(self._ids)}"
        desc: dict[str, Any] = {"Id": sid, "Status": "FINISHED", "HasResultSet": False}
        rows: list[tuple[Any, ...]] = []
        con.execute("BEGIN TRANSACTION")
        subs = []
        for index, statement in enumerate(statements):
            sub = {"Id": f"{sid}:{index + 1}", "QueryString": statement, "Status": "FINISHED"}
            subs.append(sub)
            try:
                for prefix, error in self.faults:
                    if statement.startswith(prefix):
                        raise duckdb.Error(error.replace("{statement}", statement))
                cursor = con.execute(to_duckdb(statement))
                sub["HasResultSet"] = cursor.description is not None
                if cursor.description is not None:
                    rows = cursor.fetchall()
                    desc["HasResultSet"] = len(statements) == 1
                    # A batch's statement's rows: ``GetStatementResult`` of ``<id>:<n>``.
                    self._results[sub["Id"]] = {"desc": dict(sub), "rows": rows}
            except duckdb.Error as exc:
                con.execute("ROLLBACK")
                sub.update(Status="FAILED", Error=str(exc))
                desc.update(Status="FAILED", Error=str(exc))
                break
        else:
            con.execute("COMMIT")
        if len(statements) > 1:
            desc["SubStatements"] = subs
        self._results[sid] = {"desc": desc, "rows": rows}
        self._polls[sid] = 0
        return {"Id": sid, **({"SessionId": session} if session else {})}

    def execute_statement(self, *, Sql: str, **kwargs: Any) -> dict[str, str]:
        _refuse_long([Sql], "ExecuteStatement")
        self.statements.append(Sql)
        return self._run([Sql], kwargs)

    def batch_execute_statement(self, *, Sqls: list[str], **kwargs: Any) -> dict[str, str]:
        if not 1 <= len(Sqls) <= MAX_BATCH:  # the service refuses the call, as here
            raise ClientError(
                {
                    "Error": {
                        "Code": "ValidationException",
                        "Message": f"{len(Sqls)} statements: a batch takes 1 to {MAX_BATCH}",
                    }
                },
                "BatchExecuteStatement",
            )
        _refuse_long(Sqls, "BatchExecuteStatement")
        self.batches.append(list(Sqls))
        return self._run(Sqls, kwargs)

    def describe_statement(self, *, Id: str) -> dict[str, Any]:
        self._polls[Id] += 1
        if self.never_finish or self._polls[Id] <= self.pending_polls:
            return {"Id": Id, "Status": "STARTED"}
        return dict(self._results[Id]["desc"])

    def get_statement_result(self, *, Id: str, NextToken: str | None = None) -> dict[str, Any]:
        rows = self._results[Id]["rows"]
        start = int(NextToken or 0)
        page = rows[start : start + self.page_size]
        out: dict[str, Any] = {"Records": [[_cell(v) for v in row] for row in page]}
        if start + self.page_size < len(rows):
            out["NextToken"] = str(start + self.page_size)
        return out

    def cancel_statement(self, *, Id: str) -> dict[str, bool]:
        self.cancelled.append(Id)
        return {"Status": True}

    def users(self) -> list[tuple[Any, ...]]:
        """``(usename, passwd, usecreatedb, usesuper, syslog_access)`` of every user."""
        return self.con.execute(f"SELECT * FROM {USERS} ORDER BY usename").fetchall()

    def privilege_statements(self) -> list[str]:
        """The GRANT / REVOKE statements committed, in order."""
        rows = self.con.execute(f"SELECT statement FROM {PRIVILEGE_LOG} ORDER BY seq").fetchall()
        return [r[0] for r in rows]


def write_parquet(directory: Path, spec: TableSpec, rows: Sequence[dict[str, Any]]) -> str:
    """Curated Parquet for one table with the spec's columns and types (no Spark needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"CREATE TABLE t ({sql.DUCKDB.column_defs(spec)})")
    for row in rows:
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"INSERT INTO t ({names}) VALUES ({marks})", list(row.values()))
    con.execute(f"COPY t TO '{directory / 'part-00000.parquet'}' (FORMAT PARQUET)")
    con.close()
    return str(directory)


def write_deletions(
    directory: Path, run: str, deleted: Sequence[tuple[str, str, datetime]]
) -> Deletions:
    """A run's curated deletions, ``(subject_type, subject_id, deleted_at)`` each, as the load
    job writes them."""
    directory.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "CREATE TABLE t (subject_type VARCHAR, subject_id VARCHAR, deleted_at TIMESTAMPTZ, "
        "_tenant_id VARCHAR, _run_id VARCHAR)"
    )
    for subject, gid, at in deleted:
        con.execute("INSERT INTO t VALUES (?, ?, ?, 'acme', ?)", [subject, gid, at, run])
    con.execute(f"COPY t TO '{directory / 'part-00000.parquet'}' (FORMAT PARQUET)")
    con.close()
    return Deletions(str(directory), tuple(sorted({s for s, _, _ in deleted})))
