"""Pure ``DataFrame -> DataFrame`` transforms from raw JSON lines to curated tables.

Input: a DataFrame with one string column ``value``, one raw line each (a Shopify node plus
``_shopsync``), as ``spark.read.text`` gives it. Output: exactly the columns of the table's
spec (:mod:`shopsync.warehouse.specs`), in order, typed:

- money as ``DECIMAL(20,4)`` next to its currency; timestamps as UTC instants;
- the gid as the key (``id``) plus its numeric id; ``_raw`` the full line, so no field is lost;
- ``_tenant_id``, ``_run_id``, ``_synced_at`` (when the node was fetched), ``_deleted_at``;
- one row per primary key: the latest cursor wins, then the latest run, then the latest fetch.

Nothing here reads, writes or knows about Glue.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce

from pyspark.sql import Column as SparkColumn
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from shopsync.warehouse.specs import (
    DECIMAL_PRECISION,
    DECIMAL_SCALE,
    DELETION_EVENT_FIELDS,
    EXPLODED_DERIVATIONS,
    MAX_TEXT_BYTES,
    TABLES,
    Column,
    ColumnType,
    Derivation,
    Explode,
    TableSpec,
)

RAW = "value"
_GID_NUMBER = r"/(\d+)(\?.*)?$"
_META = T.StructType(
    [T.StructField(f, T.StringType()) for f in ("tenant_id", "run_id", "stream", "fetched_at")]
)
_QUANTITIES = T.ArrayType(
    T.StructType([T.StructField("name", T.StringType()), T.StructField("quantity", T.StringType())])
)

SPARK_TYPES: dict[ColumnType, T.DataType] = {
    "varchar": T.StringType(),
    "json": T.StringType(),
    "bigint": T.LongType(),
    "integer": T.IntegerType(),
    "decimal": T.DecimalType(DECIMAL_PRECISION, DECIMAL_SCALE),
    "boolean": T.BooleanType(),
    "timestamp": T.TimestampType(),
}


def _leaf(column: Column) -> T.DataType:
    if column.derive == "join":
        return T.ArrayType(T.StringType())
    if column.derive == "quantity":
        return _QUANTITIES
    # Strings everywhere else: Spark keeps a number's text and a nested object's JSON text,
    # so the cast below decides the type and nothing is lost to a parse-time guess.
    return T.StringType()


def _insert(tree: dict[str, object], path: tuple[str, ...], leaf: T.DataType) -> None:
    head, *rest = path
    if not rest:
        tree.setdefault(head, leaf)
        return
    sub = tree.setdefault(head, {})
    if isinstance(sub, dict):
        _insert(sub, tuple(rest), leaf)


def _struct(tree: dict[str, object]) -> T.StructType:
    fields = []
    for name, node in tree.items():
        kind = _struct(node) if isinstance(node, dict) else node
        assert isinstance(kind, T.DataType)
        fields.append(T.StructField(name, kind))
    return T.StructType(fields)


def node_schema(
    columns: Iterable[Column], extra: Iterable[tuple[tuple[str, ...], T.DataType]] = ()
) -> T.StructType:
    """The read schema for the paths the columns use (plus ``extra`` paths)."""
    tree: dict[str, object] = {}
    for column in columns:
        _insert(tree, column.path, _leaf(column))
    for path, leaf in extra:
        _insert(tree, path, leaf)
    return _struct(tree)


def _at(node: SparkColumn, path: tuple[str, ...]) -> SparkColumn:
    for step in path:
        node = node.getField(step)
    return node


_Lookup = Callable[[Column], SparkColumn]


@dataclass(frozen=True)
class _Place:
    """Where an exploded row sits: what its ``parent``, ``owner``, ``position``, ``kind`` and
    ``keyed`` columns read. A paged row reads its stream's node and its owner as structs; a
    bulk row reads its record's values as joined columns (the record is another line)."""

    parent: _Lookup
    owner: _Lookup
    owner_id: SparkColumn
    position: SparkColumn
    kind: SparkColumn

    def value(self, column: Column, row: SparkColumn) -> SparkColumn:
        if column.derive == "parent":
            return self.parent(column)
        if column.derive == "owner":
            return self.owner(column)
        if column.derive == "position":
            return self.position
        if column.derive == "kind":
            return self.kind
        key = _at(row, column.path) if column.path else self.position
        return F.concat(self.owner_id, F.lit(f"#{column.arg or ''}"), key.cast(T.StringType()))


def _value(column: Column, row: SparkColumn, place: _Place | None = None) -> SparkColumn:
    if column.derive in EXPLODED_DERIVATIONS:
        if place is None:
            raise ValueError(f"{column.name}: a {column.derive} column outside an exploded table")
        raw = place.value(column, row)
    elif column.derive == "gid_number":
        raw = F.regexp_extract(_at(row, column.path), _GID_NUMBER, 1)
        raw = F.when(raw != "", raw)
    elif column.derive == "quantity":
        name = column.arg or ""
        entries = F.filter(_at(row, column.path), lambda q: q.getField("name").eqNullSafe(name))
        raw = F.get(entries, 0).getField("quantity")
    elif column.derive == "join":
        raw = F.array_join(_at(row, column.path), ", ")
    else:
        raw = _at(row, column.path)
    return raw.cast(SPARK_TYPES[column.type]).alias(column.name)


def _meta(node: SparkColumn, raw: SparkColumn) -> list[SparkColumn]:
    meta = node.getField("_shopsync")
    return [
        meta.getField("tenant_id").alias("_tenant_id"),
        meta.getField("run_id").alias("_run_id"),
        meta.getField("fetched_at").cast(T.TimestampType()).alias("_synced_at"),
        F.lit(None).cast(T.TimestampType()).alias("_deleted_at"),
        raw.alias("_raw"),
    ]


PARENT_ID = "__parentId"


def parse_once(schema: T.StructType) -> SparkColumn:
    """``from_json`` that Spark evaluates once per row.

    Spark pushes a filter on a parsed field below the projection that parses, substituting
    the ``from_json`` call into the filter: each line was parsed once per filter and once
    more for the columns (three times for most tables). Spark never moves a filter through
    a non-deterministic expression, so the parse is tied to ``spark_partition_id()`` (free,
    never negative): one parse per line, then filters on its result.
    """
    return F.when(F.spark_partition_id() >= 0, F.from_json(F.col(RAW), schema))


#: Columns of the input that say which tenant run each line's file belongs to (its key's
#: ``tenant=`` and ``run=``, see :func:`shopsync_glue.job.read_lines`). When present, they, not
#: the line's own ``_shopsync``, give the rows' ``_tenant_id`` and ``_run_id``: a batch of many
#: tenant runs is split by them, and a line can never claim another tenant than its file's.
PATH_TENANT, PATH_RUN = "_path_tenant", "_path_run"


def parsed_lines(lines: DataFrame, schema: T.StructType) -> DataFrame:
    """``n`` (each line parsed once, :func:`parse_once`) and ``r`` (its text); with the path
    columns, ``n._shopsync`` carries the file's tenant and run."""
    parsed = lines.select(parse_once(schema).alias("n"), F.col(RAW).alias("r"), *_path(lines))
    if PATH_TENANT not in lines.columns:
        return parsed
    node = F.col("n")
    meta = (
        node.getField("_shopsync")
        .withField("tenant_id", F.col(PATH_TENANT))
        .withField("run_id", F.col(PATH_RUN))
    )
    return parsed.select(node.withField("_shopsync", meta).alias("n"), "r")


def _path(lines: DataFrame) -> list[str]:
    return [PATH_TENANT, PATH_RUN] if PATH_TENANT in lines.columns else []


def has_child_lines(lines: DataFrame) -> bool:
    """Whether any line is a bulk child (a cheap text scan that stops at the first one)."""
    return bool(lines.where(F.col(RAW).contains(f'"{PARENT_ID}"')).limit(1).count())


def _own(spec: TableSpec) -> list[Column]:
    """The columns read from the row's own node."""
    return [c for c in spec.columns if c.derive not in EXPLODED_DERIVATIONS]


def _of(spec: TableSpec, derive: Derivation) -> list[Column]:
    return [c for c in spec.columns if c.derive == derive]


def _row_schema(spec: TableSpec) -> T.StructType | None:
    """The schema of a row of an exploded list; ``None``: the rows are strings (a column with
    no path is the row itself)."""
    own = _own(spec)
    if any(not c.path for c in own):
        return None
    return node_schema(own)


def _owner_schema(spec: TableSpec, source: Explode) -> T.StructType:
    """The schema of an owner of rows (a line item holding tax lines): its ``owner`` columns'
    paths, its id (the rows' key) and its list of rows, each element's JSON text."""
    return node_schema(_of(spec, "owner"), [(("id",), T.StringType()), (source.within, _TEXTS)])


def _elements(texts: SparkColumn, schema: T.StructType | None) -> SparkColumn:
    """A list's elements (JSON text each) as ``(r, c)`` structs: the text, which stays the
    row's ``_raw``, and the element parsed. The elements are parsed in one go (joined back
    into one JSON array): a parser per element costs more than the parsing itself."""
    if schema is None:  # strings: their text is the value
        parsed = texts
    else:
        joined = F.concat(F.lit("["), F.array_join(texts, ",", "null"), F.lit("]"))
        parsed = F.from_json(joined, T.ArrayType(schema))
    return F.zip_with(texts, parsed, lambda r, c: F.struct(r.alias("r"), c.alias("c")))


def _raw_text(spec: TableSpec, text: SparkColumn) -> SparkColumn:
    """A row's ``_raw``: its JSON text; a string row's text is the string, quoted here."""
    if _row_schema(spec) is not None:
        return text
    return F.regexp_replace(F.to_json(F.array(text)), r"^\[|\]$", "")


#: What a row of a list carries until its columns are read: its JSON text, its parsed node, its
#: place in the list, the list's kind and its owner's id (and the owner's ``owner`` columns).
_TEXT, _ROW, _PLACE, _KIND, _OWNER_ID = "__text", "__row", "__place", "__kind", "__owner_id"
_TEXTS = T.ArrayType(T.StringType())


def _placed(
    spec: TableSpec, source: Explode, owner: SparkColumn, texts: SparkColumn
) -> SparkColumn:
    """The rows of the list ``texts`` of ``owner`` (none when it has no list), each a struct
    of what its columns read, the same struct for every list of the table, so the rows of all
    of them are exploded in one go: one read of the input rather than one per list."""
    elements = _elements(_or_empty(texts), _row_schema(spec))
    return F.transform(
        elements,
        lambda e, i: F.struct(
            e.getField("r").alias(_TEXT),
            e.getField("c").alias(_ROW),
            i.alias(_PLACE),
            F.lit(source.kind).alias(_KIND),
            _at(owner, ("id",)).alias(_OWNER_ID),
            *[_at(owner, c.path).alias(c.name) for c in _of(spec, "owner")],
        ),
    )


def _owned(spec: TableSpec, source: Explode, texts: SparkColumn) -> SparkColumn:
    """The rows of the list ``within`` of each element of the list ``texts`` (each line item's
    tax lines), each element their owner."""
    owners = _elements(_or_empty(texts), _owner_schema(spec, source))

    def rows_of(element: SparkColumn) -> SparkColumn:
        owner = element.getField("c")
        return _placed(spec, source, owner, _at(owner, source.within))

    return F.flatten(F.transform(owners, rows_of))


def _or_empty(texts: SparkColumn) -> SparkColumn:
    """A list's texts, empty when the node has none: lists concatenated stay lists."""
    return F.coalesce(texts, F.array().cast(_TEXTS))


def _row_columns(spec: TableSpec, meta: SparkColumn, parent: _Lookup) -> list[SparkColumn]:
    """The table's columns of exploded rows (column ``e``: :func:`_placed`'s structs)."""
    row = F.col("e")
    place = _Place(
        parent=parent,
        owner=lambda c: row.getField(c.name),
        owner_id=row.getField(_OWNER_ID),
        position=row.getField(_PLACE),
        kind=row.getField(_KIND),
    )
    return _columns(spec, row.getField(_ROW), row.getField(_TEXT), meta, place)


def _columns(
    spec: TableSpec, row: SparkColumn, text: SparkColumn, meta: SparkColumn, place: _Place
) -> list[SparkColumn]:
    return [
        *[_value(c, row, place) for c in spec.columns],
        *_meta(F.struct(meta.alias("_shopsync")), _raw_text(spec, text)),
    ]


def _paged(spec: TableSpec, top: DataFrame) -> DataFrame:
    """Rows of the lists inside each record's line (a paged fetch's nested connection, or a
    plain list), or of a list in each element of one (``within``: a line item's tax lines)."""
    explode, columns = _paged_columns(spec)
    return top.select(F.col("n").alias("p"), explode).select(*columns)


# The columns of a table are expressions over named columns (``n``, ``p``, ``e``), not over one
# DataFrame: built once per table and process, they serve every batch. (Building them costs
# thousands of calls into the JVM: 5 s of driver time for all 23 tables' transforms, each
# batch; 1.8 s with the expressions built once.)


@functools.cache
def _paged_columns(spec: TableSpec) -> tuple[SparkColumn, tuple[SparkColumn, ...]]:
    """The explode of a record's lists into rows (``e``) and the rows' columns."""
    record = F.col("n")
    lists = [
        _owned(spec, s, _at(record, s.path))
        if s.within
        else _placed(spec, s, record, _at(record, s.path))
        for s in spec.explode
    ]
    columns = _row_columns(spec, F.col("p._shopsync"), lambda c: _at(F.col("p"), c.path))
    return F.explode(F.concat(*lists)).alias("e"), tuple(columns)


@functools.cache
def _flat_columns(spec: TableSpec) -> tuple[SparkColumn, ...]:
    """The columns of a table of one row per line (not exploded)."""
    node = F.col("n")
    return (*[_value(c, node) for c in _own(spec)], *_meta(node, F.col("r")))


def _bulk(spec: TableSpec, parsed: DataFrame, top: DataFrame) -> list[DataFrame]:
    """Rows of connections a bulk operation landed as child lines (``__parentId``): the lines
    themselves, or (``within``) a list in each; the lists of every such connection in one go.
    The record's values come from its own line in the same run, joined."""
    node = F.col("n")
    pid = node.getField(PARENT_ID)

    def matches(source: Explode) -> SparkColumn:
        assert source.row_match is not None
        path, pattern = source.row_match
        return _at(node, path).rlike(pattern)

    def joined(sources: list[Explode], of_record: list[Column]) -> DataFrame:
        """The child lines of ``sources`` with the record's values of ``of_record``."""
        lines = parsed.where(pid.isNotNull() & reduce(lambda a, b: a | b, map(matches, sources)))
        values = top.select(
            node.getField("id").alias("__pid"),
            *[_at(node, c.path).alias(f"__p_{c.name}") for c in of_record],
        ).dropDuplicates(["__pid"])
        return lines.join(values, pid == F.col("__pid"), "left")

    def record(c: Column) -> SparkColumn:
        value = F.col(f"__p_{c.name}")
        # the record's key is the line's __parentId, whether or not its own line is here
        return F.coalesce(value, pid) if c.path == ("id",) else value

    bulk = [s for s in spec.explode if s.row_match is not None]
    frames = []
    owners = [s for s in bulk if s.within]
    if owners:  # each line is the owner (a line item) of a list of rows
        lists = [_placed(spec, s, node, F.when(matches(s), _at(node, s.within))) for s in owners]
        rows = joined(owners, _of(spec, "parent")).select(
            "__pid",
            *[F.col(f"__p_{c.name}") for c in _of(spec, "parent")],
            node,
            F.explode(F.concat(*lists)).alias("e"),
        )
        frames.append(rows.select(*_row_columns(spec, node.getField("_shopsync"), record)))
    for source in (s for s in bulk if not s.within):  # the line is the row; the record owns it
        lines = joined([source], _of(spec, "parent") + _of(spec, "owner"))
        place = _Place(record, record, pid, F.lit(None), F.lit(source.kind))
        frames.append(
            lines.select(*_columns(spec, node, F.col("r"), node.getField("_shopsync"), place))
        )
    return frames


def line_schema(spec: TableSpec) -> T.StructType:
    """What :func:`project` reads of each raw line for ``spec``: its own columns' paths, the
    meta and ``__parentId``; for an exploded table also each list (as its elements' texts),
    what tells a bulk child line apart, and the paths of its parent and owner columns."""
    extra: list[tuple[tuple[str, ...], T.DataType]] = [
        (("_shopsync",), _META),
        ((PARENT_ID,), T.StringType()),
    ]
    if spec.explode:
        extra += [(("id",), T.StringType())]
        extra += [(c.path, _leaf(c)) for c in spec.columns if c.derive in ("parent", "owner")]
        for source in spec.explode:
            extra.append((source.path, _TEXTS))
            if source.row_match is not None:
                extra.append((source.row_match[0], T.StringType()))
            if source.within:
                extra.append((source.within, _TEXTS))
    return node_schema([c for c in _own(spec) if c.path], extra)


def _merged(a: T.StructType, b: T.StructType) -> T.StructType | None:
    """One schema that reads every path of ``a`` and ``b`` as each does; ``None`` when a path
    is read as two types (a list's JSON text in one, its elements' texts in the other)."""
    fields = {f.name: f.dataType for f in a.fields}
    for field in b.fields:
        mine = fields.get(field.name)
        if mine is None or mine == field.dataType:
            fields[field.name] = field.dataType
        elif isinstance(mine, T.StructType) and isinstance(field.dataType, T.StructType):
            both = _merged(mine, field.dataType)
            if both is None:
                return None
            fields[field.name] = both
        else:
            return None
    return T.StructType([T.StructField(name, kind) for name, kind in fields.items()])


def shared_parses(specs: Iterable[TableSpec]) -> list[tuple[T.StructType, list[str]]]:
    """The tables of one stream in groups whose lines can be parsed once for all of them: each
    group's schema reads every path each of its tables reads, as that table reads it (with
    Spark's partial results, a value one table cannot read is null for it alone, as before).
    Tables go in order into the first group they fit; orders' seven tables make two groups."""
    groups: list[tuple[T.StructType, list[str]]] = []
    for spec in specs:
        schema = line_schema(spec)
        for number, (shared, names) in enumerate(groups):
            if (both := _merged(shared, schema)) is not None:
                groups[number] = (both, [*names, spec.name])
                break
        else:
            groups.append((schema, [spec.name]))
    return groups


def project(
    spec: TableSpec,
    lines: DataFrame,
    *,
    child_lines: bool = True,
    parsed: DataFrame | None = None,
) -> DataFrame:
    """Raw lines to the table's typed columns (no dedupe). Lines without a key are dropped.

    Bulk operations land nested nodes as their own lines with ``__parentId``: a table of
    nested rows (order line items) takes them as well as the nested lists of paged fetches;
    other tables skip them, unless their rows *are* such lines (``child_rows``). With
    ``child_lines=False`` (no bulk child lines in the input) that second branch is skipped.
    Each of an exploded table's lists (:attr:`TableSpec.explode`) gives rows of both shapes.

    ``parsed``: the lines already parsed (:func:`parsed_lines`) with a schema that reads at
    least :func:`line_schema`'s paths, as it does (:func:`shared_parses`): several tables of
    one stream then parse its lines once.
    """
    if parsed is None:
        parsed = parsed_lines(lines, line_schema(spec))
    is_child = F.col("n").getField(PARENT_ID).isNotNull()
    if not spec.explode:
        rows = parsed if spec.child_rows else parsed.where(~is_child | F.col("n").isNull())
        out = rows.select(*_flat_columns(spec))
    else:
        top = parsed.where(~is_child)
        frames = [_paged(spec, top), *(_bulk(spec, parsed, top) if child_lines else [])]
        out = reduce(DataFrame.unionByName, frames)
    return out.where(F.col(spec.primary_key).isNotNull()).select(*fitted(spec))


#: The text columns every table has that come from us, not from Shopify (ids we checked).
_OURS = frozenset({"_tenant_id", "_run_id"})


@functools.cache
def fitted(spec: TableSpec) -> tuple[SparkColumn, ...]:
    """The table's columns, each text value made to fit the warehouse (Redshift's limits,
    which DuckDB follows so that both hold the same rows), then ``_truncated``: the names of
    the columns it changed, NULL when none.

    - text (``varchar``): NUL characters removed (Redshift's text cannot hold them), then cut
      to :data:`MAX_TEXT_BYTES` bytes at the last whole UTF-8 character;
    - JSON (``json``, ``_raw`` among them): one over :data:`MAX_TEXT_BYTES` bytes cannot be
      parsed into ``SUPER``: a stand-in object saying how large it was (the raw lake keeps the
      record whole).

    Everything is cheap column arithmetic (a byte length is stored with each string), so the
    99.99 % of rows that fit cost almost nothing.
    """
    columns: list[SparkColumn] = []
    changed: list[SparkColumn] = []
    for name, kind in spec.column_types():
        if name == "_truncated":
            continue
        value = F.col(name)
        if kind == "varchar" and name not in _OURS:
            has_nul = F.instr(value, "\x00") > 0
            clean = F.when(has_nul, F.translate(value, "\x00", "")).otherwise(value)
            too_long = F.octet_length(clean) > MAX_TEXT_BYTES
            columns.append(F.when(too_long, _cut(clean)).otherwise(clean).alias(name))
            changed.append(F.when(has_nul | too_long, F.lit(name)))
        elif kind == "json":
            too_long = F.octet_length(value) > MAX_TEXT_BYTES
            columns.append(F.when(too_long, _stand_in(value)).otherwise(value).alias(name))
            changed.append(F.when(too_long, F.lit(name)))
        else:
            columns.append(value)
    names = F.concat_ws(",", *changed) if changed else F.lit("")
    columns.append(F.when(names != "", names).cast(T.StringType()).alias("_truncated"))
    return tuple(columns)


def _cut(text: SparkColumn) -> SparkColumn:
    """``text``'s first :data:`MAX_TEXT_BYTES` bytes, ending at a whole character: the cut
    moves back over the (at most three) continuation bytes (``10xxxxxx``) of a character it
    would split."""
    data = F.encode(text, "UTF-8")

    def starts_a_character(position: int) -> SparkColumn:  # 1-based byte position
        byte = F.conv(F.hex(data.substr(F.lit(position), F.lit(1))), 16, 10).cast("int")
        return F.shiftright(byte, 6) != 2

    limit = MAX_TEXT_BYTES
    length = (
        F.when(starts_a_character(limit + 1), limit)
        .when(starts_a_character(limit), limit - 1)
        .when(starts_a_character(limit - 1), limit - 2)
        .otherwise(limit - 3)
    )
    return F.decode(data.substr(F.lit(1), length), "UTF-8")


def _stand_in(text: SparkColumn) -> SparkColumn:
    """What a JSON value too large for the warehouse becomes: ``{"_shopsync_omitted":
    {"bytes": <its size>, "limit": 65535}}``."""
    omitted = F.struct(F.octet_length(text).alias("bytes"), F.lit(MAX_TEXT_BYTES).alias("limit"))
    return F.to_json(F.struct(omitted.alias("_shopsync_omitted")))


def deletions(lines: DataFrame, subject: str) -> DataFrame:
    """A deletions stream's events to ``(subject_type, subject_id, deleted_at, _tenant_id,
    _run_id)``: one row per record of ``subject`` destroyed (its earliest deletion) per run.
    Events of another action or subject type are dropped (one without a subject type counts
    as one)."""
    schema = T.StructType(
        [T.StructField(f, T.StringType()) for f in DELETION_EVENT_FIELDS]
        + [T.StructField("_shopsync", _META)]
    )
    events = parsed_lines(lines, schema).where(
        (F.col("n.action") == "destroy")
        & (F.coalesce(F.col("n.subjectType"), F.lit(subject)) == subject)
        & F.col("n.subjectId").isNotNull()
    )
    return (
        events.groupBy(
            F.col("n._shopsync.tenant_id").alias("_tenant_id"),
            F.col("n._shopsync.run_id").alias("_run_id"),
            F.col("n.subjectId").alias("subject_id"),
        )
        .agg(F.min(F.col("n.createdAt").cast(T.TimestampType())).alias("deleted_at"))
        .select(
            F.lit(subject).alias("subject_type"),
            "subject_id",
            "deleted_at",
            "_tenant_id",
            "_run_id",
        )
    )


def transform(
    table: str,
    lines: DataFrame,
    *,
    child_lines: bool = True,
    parsed: DataFrame | None = None,
) -> DataFrame:
    """The curated rows of one table: the lines' rows projected (from ``parsed`` when given,
    see :func:`project`), one for each time a record was fetched. A run that fetched a record
    twice (a page boundary moved under it) has two rows of it here; the load keeps the latest
    as it stages the batch (:func:`shopsync.warehouse.sql.latest_per_key`), and keeps an older
    ``updatedAt`` from overwriting a newer one. Deduping here cost a shuffle of every row
    (Spark's window), a quarter of a small batch's curation. (Deletions are applied by the
    load too, to every row in the warehouse: see :func:`deletions`.)"""
    return project(TABLES[table], lines, child_lines=child_lines, parsed=parsed)
