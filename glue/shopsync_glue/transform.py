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

from collections.abc import Iterable

from pyspark.sql import Column as SparkColumn
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from shopsync.warehouse.specs import (
    DECIMAL_PRECISION,
    DECIMAL_SCALE,
    DELETION_EVENT_FIELDS,
    TABLES,
    Column,
    ColumnType,
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


def _value(column: Column, node: SparkColumn, parent: SparkColumn | None) -> SparkColumn:
    if column.derive == "parent":
        if parent is None:
            raise ValueError(f"{column.name}: a parent column outside an exploded table")
        raw = _at(parent, column.path)
    elif column.derive == "gid_number":
        raw = F.regexp_extract(_at(node, column.path), _GID_NUMBER, 1)
        raw = F.when(raw != "", raw)
    elif column.derive == "quantity":
        name = column.arg or ""
        entries = F.filter(_at(node, column.path), lambda q: q.getField("name").eqNullSafe(name))
        raw = F.get(entries, 0).getField("quantity")
    elif column.derive == "join":
        raw = F.array_join(_at(node, column.path), ", ")
    elif column.derive == "keyed":
        if parent is None:
            raise ValueError(f"{column.name}: a keyed column outside an exploded table")
        raw = F.concat(_at(parent, ("id",)), F.lit("#"), _at(node, column.path))
    else:
        raw = _at(node, column.path)
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


def has_child_lines(lines: DataFrame) -> bool:
    """Whether any line is a bulk child (a cheap text scan that stops at the first one)."""
    return bool(lines.where(F.col(RAW).contains(f'"{PARENT_ID}"')).limit(1).count())


def project(spec: TableSpec, lines: DataFrame, *, child_lines: bool = True) -> DataFrame:
    """Raw lines to the table's typed columns (no dedupe). Lines without a key are dropped.

    Bulk operations land nested nodes as their own lines with ``__parentId``: a table of
    nested rows (order line items) takes them as well as the nested lists of paged fetches;
    other tables skip them, unless their rows *are* such lines (``child_rows``). With
    ``child_lines=False`` (no bulk child lines in the input) that second branch is skipped.
    """
    own = [c for c in spec.columns if c.derive != "parent"]
    parents = [c for c in spec.columns if c.derive == "parent"]
    extra: list[tuple[tuple[str, ...], T.DataType]] = [
        (("_shopsync",), _META),
        ((PARENT_ID,), T.StringType()),
    ]
    if spec.explode:
        extra.append((spec.explode, T.ArrayType(T.StringType())))
        extra += [(c.path, _leaf(c)) for c in parents]
        if any(c.derive == "keyed" for c in own):
            extra.append((("id",), T.StringType()))
        if spec.row_match is not None:
            extra.append((spec.row_match[0], T.StringType()))
    parsed = lines.select(parse_once(node_schema(own, extra)).alias("n"), F.col(RAW).alias("r"))
    node, is_child = F.col("n"), F.col("n").getField(PARENT_ID).isNotNull()
    if not spec.explode:
        rows = parsed if spec.child_rows else parsed.where(~is_child | F.col("n").isNull())
        out = rows.select(*[_value(c, node, None) for c in own], *_meta(node, F.col("r")))
        return out.where(F.col(spec.primary_key).isNotNull()).select(*spec.column_names)
    # Nested lists of paged fetches: explode each parent's list; each element is JSON text.
    # The list's elements are parsed in one go per parent (joined back into one JSON array):
    # a parser per element costs more than the parsing itself. Zipped with their own text,
    # which stays the element's ``_raw``.
    top = parsed.where(~is_child)
    texts = _at(node, spec.explode)
    elements = F.from_json(
        F.concat(F.lit("["), F.array_join(texts, ",", "null"), F.lit("]")),
        T.ArrayType(node_schema(own)),
    )
    pairs = F.zip_with(texts, elements, lambda r, c: F.struct(r.alias("r"), c.alias("c")))
    nested = (
        top.select(F.col("n").alias("p"), F.explode(pairs).alias("e"))
        .select("p", F.col("e.r").alias("r"), F.col("e.c").alias("c"))
        .select(
            *[_value(c, F.col("c"), F.col("p")) for c in spec.columns],
            *_meta(F.col("p"), F.col("r")),
        )
    )
    if not child_lines:
        return nested.where(F.col(spec.primary_key).isNotNull()).select(*spec.column_names)
    # Bulk child lines: the parent's values come from its own line in the same run.
    parent_values = top.select(
        node.getField("id").alias("__pid"),
        *[_value(c, node, node).alias(f"__p_{c.name}") for c in parents],
    ).dropDuplicates(["__pid"])
    own_children = parsed.where(is_child)
    if spec.row_match is not None:  # the child lines of this table's connection only
        path, pattern = spec.row_match
        own_children = own_children.where(_at(node, path).rlike(pattern))
    children = own_children.join(parent_values, node.getField(PARENT_ID) == F.col("__pid"), "left")

    def child_value(c: Column) -> SparkColumn:
        if c.derive == "keyed":  # the parent's id is the line's __parentId
            key = F.concat(node.getField(PARENT_ID), F.lit("#"), _at(node, c.path))
            return key.cast(SPARK_TYPES[c.type]).alias(c.name)
        if c.derive != "parent":
            return _value(c, node, None)
        joined = F.col(f"__p_{c.name}")
        if c.path == ("id",):  # the parent's key is the child's __parentId itself
            joined = F.coalesce(joined, node.getField(PARENT_ID))
        return joined.cast(SPARK_TYPES[c.type]).alias(c.name)

    bulk = children.select(*[child_value(c) for c in spec.columns], *_meta(node, F.col("r")))
    out = nested.unionByName(bulk)
    return out.where(F.col(spec.primary_key).isNotNull()).select(*spec.column_names)


def dedupe_latest(df: DataFrame, spec: TableSpec, *, per_run: bool = False) -> DataFrame:
    """One row per primary key (per run with ``per_run``): latest cursor, run, fetch."""
    keys = ["_run_id", spec.primary_key] if per_run else [spec.primary_key]
    order = Window.partitionBy(*keys).orderBy(
        F.col(spec.cursor).desc_nulls_last(),
        F.col("_run_id").desc_nulls_last(),
        F.col("_synced_at").desc_nulls_last(),
    )
    return df.withColumn("__rank", F.row_number().over(order)).where("__rank = 1").drop("__rank")


def deletions(lines: DataFrame, subject: str) -> DataFrame:
    """A deletions stream's events to ``(subject_type, subject_id, deleted_at, _tenant_id,
    _run_id)``: one row per record of ``subject`` destroyed (its earliest deletion). Events of
    another action or subject type are dropped (one without a subject type counts as one)."""
    schema = T.StructType(
        [T.StructField(f, T.StringType()) for f in DELETION_EVENT_FIELDS]
        + [T.StructField("_shopsync", _META)]
    )
    n = parse_once(schema)
    events = lines.select(n.alias("n")).where(
        (F.col("n.action") == "destroy")
        & (F.coalesce(F.col("n.subjectType"), F.lit(subject)) == subject)
        & F.col("n.subjectId").isNotNull()
    )
    return (
        events.groupBy(F.col("n.subjectId").alias("subject_id"))
        .agg(
            F.min(F.col("n.createdAt").cast(T.TimestampType())).alias("deleted_at"),
            F.max("n._shopsync.tenant_id").alias("_tenant_id"),
            F.max("n._shopsync.run_id").alias("_run_id"),
        )
        .select(
            F.lit(subject).alias("subject_type"),
            "subject_id",
            "deleted_at",
            "_tenant_id",
            "_run_id",
        )
    )


def transform(
    table: str, lines: DataFrame, *, per_run: bool = False, child_lines: bool = True
) -> DataFrame:
    """The whole transform for one table: project, then dedupe. (Deletions are applied by the
    load, to every row in the warehouse: see :func:`deletions`.)"""
    spec = TABLES[table]
    return dedupe_latest(project(spec, lines, child_lines=child_lines), spec, per_run=per_run)
