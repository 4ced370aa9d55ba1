"""The GraphQL documents of the streams, generated from their declarations.

Per stream (:mod:`shopsync.streams.declarations`):

- ``<stream>``: the paged document, ``$first``/``$after`` through the root connection (or the
  parents' connection), the window's search as ``$query``; the records' fields are a named
  fragment, ``<NodeType>Fields``, and so are a child connection's nodes';
- ``<parent>_<connection>`` (``order_line_items``, ``location_inventory_levels``): the document
  that completes one record's (or parent's) nested connection past its first page;
- ``bulk_<stream>``: the bulk query, the same fields from the same fragments (inlined: a bulk
  query is one top-level field with its selection), ``edges { node }`` for every connection and
  the search in its single slot, the root connection's ``query`` argument.

Shopify's cost for each document is computed from its text when a run starts
(:mod:`shopsync.shopify.cost`), so nothing derived from the documents is stored anywhere.
"""

from __future__ import annotations

import json
import textwrap
from functools import cache

from .declarations import BY_NAME, DECLARATIONS, Child, Parents, StreamDeclaration

PAGE_INFO = "pageInfo {\n  hasNextPage\n  endCursor\n}"
PAGED_VARIABLES = "$first: Int!, $after: String, $query: String"
BULK_PREFIX = "bulk_"


def camel(name: str) -> str:
    """``order_line_items`` -> ``OrderLineItems``."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def snake(name: str) -> str:
    """``inventoryLevels`` / ``InventoryLevel`` -> ``inventory_levels`` / ``inventory_level``."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def single_field(node_type: str) -> str:
    """The root field that reads one object of a type by id: ``Order`` -> ``order``."""
    return node_type[:1].lower() + node_type[1:]


def fragment_name(node_type: str) -> str:
    return f"{node_type}Fields"


def _selection(text: str) -> str:
    return textwrap.dedent(text).strip()


def _block(head: str, *body: str) -> str:
    inner = "\n".join(part for part in body if part)
    return f"{head} {{\n{textwrap.indent(inner, '  ')}\n}}"


def _call(field: str, *arguments: str) -> str:
    args = ", ".join(a for a in arguments if a)
    return f"{field}({args})" if args else field


def _fragment(node_type: str, fields: str) -> str:
    return _block(f"fragment {fragment_name(node_type)} on {node_type}", _selection(fields))


def _paged_connection(head: str, node_type: str, *extra: str) -> str:
    """``head { pageInfo nodes { ...<NodeType>Fields <extra> } }``."""
    return _block(head, PAGE_INFO, _block("nodes", f"...{fragment_name(node_type)}", *extra))


def _child_paged(child: Child) -> str:
    return _paged_connection(_call(child.field, f"first: {child.first}"), child.node_type)


# -- paged --------------------------------------------------------------------------------------
def paged_document(stream: StreamDeclaration) -> str:
    """The paged document of a stream (variables ``$first``, ``$after``, ``$query``)."""
    parents = stream.parents
    if parents is None:
        assert stream.root is not None
        head = _call(
            stream.root,
            "first: $first, after: $after, query: $query",
            f"sortKey: {stream.sort_key}" if stream.sort_key else "",
            stream.arguments,
        )
        children = [_child_paged(c) for c in stream.children]
        body = _paged_connection(head, stream.node_type, *children)
        fragments = [(stream.node_type, stream.fields)]
        fragments += [(c.node_type, c.fields) for c in stream.children]
    else:
        nested = _call(parents.connection, f"first: {parents.first}, query: $query")
        head = _call(parents.root, "first: $first, after: $after", parents.arguments)
        body = _block(
            head,
            PAGE_INFO,
            _block(
                "nodes", _selection(parents.fields), _paged_connection(nested, stream.node_type)
            ),
        )
        fragments = [(stream.node_type, stream.fields)]
    operation = _block(f"query {camel(stream.name)}({PAGED_VARIABLES})", body)
    return "\n\n".join([operation, *(_fragment(t, f) for t, f in fragments)]) + "\n"


# -- completing a nested connection -----------------------------------------------------------
def _nested_parts(stream: StreamDeclaration) -> tuple[str, str, str, bool] | None:
    """(parent type, connection field, node type, filtered by the window) or None."""
    if stream.parents is not None:
        p = stream.parents
        return p.node_type, p.connection, stream.node_type, True
    if stream.children:
        child = stream.children[0]
        return stream.node_type, child.field, child.node_type, False
    return None


def nested_document_name(stream: StreamDeclaration) -> str | None:
    parts = _nested_parts(stream)
    if parts is None:
        return None
    parent_type, connection, _, _ = parts
    return f"{snake(parent_type)}_{snake(connection)}"


def nested_page_size(stream: StreamDeclaration) -> int | None:
    if stream.parents is not None:
        return stream.parents.page_size
    return stream.children[0].page_size if stream.children else None


def nested_document(stream: StreamDeclaration) -> str | None:
    """The document that pages one record's nested connection (variables ``$id``, ``$first``,
    ``$after`` and, when the window filters that connection, ``$query``)."""
    parts, name = _nested_parts(stream), nested_document_name(stream)
    if parts is None or name is None:
        return None
    parent_type, connection, node_type, filtered = parts
    variables = "$id: ID!, $first: Int!, $after: String" + (", $query: String" if filtered else "")
    head = _call(connection, "first: $first, after: $after", "query: $query" if filtered else "")
    fields = stream.fields if filtered else stream.children[0].fields
    operation = _block(
        f"query {camel(name)}({variables})",
        _block(f"{single_field(parent_type)}(id: $id)", _paged_connection(head, node_type)),
    )
    return f"{operation}\n\n{_fragment(node_type, fields)}\n"


# -- bulk ---------------------------------------------------------------------------------------
def _edges(head: str, *selection: str) -> str:
    return _block(head, _block("edges", _block("node", *selection)))


def bulk_document(stream: StreamDeclaration, search: str | None = None) -> str:
    """The bulk query of a stream, filtered by ``search`` (the whole stream when ``None``)."""
    if not stream.bulk:
        raise ValueError(f"{stream.name} has no bulk query")
    slot = f"query: {json.dumps(search)}" if search is not None else ""
    parents: Parents | None = stream.bulk_parents
    if parents is None:
        assert stream.root is not None
        children = [_edges(c.field, _selection(c.fields)) for c in stream.children]
        body = _edges(
            _call(stream.root, slot, stream.arguments), _selection(stream.fields), *children
        )
    else:
        nested = _edges(parents.connection, _selection(stream.fields))
        head = _call(parents.root, slot, parents.arguments)
        body = _edges(head, _selection(parents.fields), nested)
    return _block(f"query Bulk{camel(stream.name)}", body) + "\n"


# -- by name ------------------------------------------------------------------------------------
@cache
def documents() -> dict[str, str]:
    """Every stream document by name: paged, nested, and bulk (unfiltered)."""
    out: dict[str, str] = {}
    for stream in DECLARATIONS:
        out[stream.name] = paged_document(stream)
        name, text = nested_document_name(stream), nested_document(stream)
        if name is not None and text is not None:
            out[name] = text
        if stream.bulk:
            out[BULK_PREFIX + stream.name] = bulk_document(stream)
    return out


def bulk_documents() -> dict[str, str]:
    """Stream name -> the name of its bulk query, for the streams that have one."""
    return {s.name: BULK_PREFIX + s.name for s in DECLARATIONS if s.bulk}


def bulk_query(stream: str, search: str | None) -> str:
    return bulk_document(BY_NAME[stream], search)
