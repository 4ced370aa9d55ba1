"""The GraphQL documents of the streams, generated from their declarations.

Per stream (:mod:`shopsync.streams.declarations`):

- ``<stream>``: the paged document, ``$first``/``$after`` through the root connection (or the
  parents' connection), the window's search as ``$query``; the records' fields are a named
  fragment, ``<NodeType>Fields``, and so are a child connection's nodes';
- ``<parent>_<connection>`` (``order_line_items``, ``location_inventory_levels``): the document
  that completes one record's (or parent's) nested connection past its first page;
- a details stream (``refund_details``): ``<stream>`` reads records by id,
  ``nodes(ids: $ids) { ... on <NodeType> { ...<NodeType>Fields <children> } }``, and each child
  connection has its completing document (``refund_refund_line_items``) and, when the child
  asks again in batches, ``<stream>_<connection>`` (``refund_details_refund_line_items``);
- ``<stream>_whole``: a stream whose records hold a capped plain list (an order's
  ``transactions(first: 10)``) asks the records that filled it again by id, with more entries;
- ``<document>_with_<tag>``: every document again, in the variant of a stream with fields
  that need a scope besides the stream's (:mod:`.variants`), for the stores that granted it;
- ``bulk_<stream>``: the bulk query, the same fields from the same fragments (inlined, so the
  query Shopify stores with the operation is one self-contained selection, as it always was),
  ``edges { node }`` for every connection and the search in its single slot, the listed
  connection's ``query`` argument.

Shopify's cost for each document is computed from its text when a run starts
(:mod:`shopsync.shopify.cost`), so nothing derived from the documents is stored anywhere.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from functools import cache

from .declarations import DECLARATIONS, Child, Parents, StreamDeclaration
from .variants import variants

PAGE_INFO = "pageInfo {\n  hasNextPage\n  endCursor\n}"
PAGED_VARIABLES = "$first: Int!, $after: String, $query: String"
DETAILS_VARIABLES = "$ids: [ID!]!"
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


def document_name(stream: StreamDeclaration) -> str:
    """The name of a stream's paged (or details) document: the stream's, in its variant."""
    return stream.name + stream.variant


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


def _child_paged(child: Child, first: int | None = None) -> str:
    asked = child.first if first is None else first
    return _paged_connection(_call(child.field, f"first: {asked}"), child.node_type)


# -- paged --------------------------------------------------------------------------------------
def paged_document(stream: StreamDeclaration) -> str:
    """The paged document of a stream (variables ``$first``, ``$after``, ``$query``)."""
    parents = stream.parents
    if stream.details_of is not None:
        return details_document(stream)
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
    operation = _block(f"query {camel(document_name(stream))}({PAGED_VARIABLES})", body)
    return "\n\n".join([operation, *(_fragment(t, f) for t, f in fragments)]) + "\n"


def details_document(stream: StreamDeclaration) -> str:
    """A details stream's document: its records by id (variable ``$ids``), children's first
    pages included."""
    children = [_child_paged(c) for c in stream.children]
    body = _block(
        "nodes(ids: $ids)",
        _block(f"... on {stream.node_type}", f"...{fragment_name(stream.node_type)}", *children),
    )
    operation = _block(f"query {camel(document_name(stream))}({DETAILS_VARIABLES})", body)
    fragments = [(stream.node_type, stream.fields)] + [
        (c.node_type, c.fields) for c in stream.children
    ]
    return "\n\n".join([operation, *(_fragment(t, f) for t, f in fragments)]) + "\n"


@dataclass(frozen=True)
class More:
    """A details stream's child asked again, in batches, for the records that had more than
    its ``first`` nodes (:attr:`~.model.Child.more_first`)."""

    #: The document's name: ``<stream>_<connection>``.
    document: str
    field: str
    #: Records per request.
    page_size: int


def _more_name(stream: StreamDeclaration, child: Child) -> str:
    return f"{stream.name}_{snake(child.field)}{stream.variant}"


def more_connections(stream: StreamDeclaration) -> tuple[More, ...]:
    return tuple(
        More(_more_name(stream, c), c.field, c.more_page_size)
        for c in stream.children
        if c.more_first
    )


def capped_name(stream: StreamDeclaration) -> str:
    """The document that asks a stream's records again for their whole capped list."""
    return f"{stream.name}_whole{stream.variant}"


def capped_document(stream: StreamDeclaration) -> str:
    """The records (``$ids``) again, with ``more_first`` entries of their capped list."""
    capped = stream.capped
    assert capped is not None
    fields = stream.fields.replace(capped.asked, f"{capped.field}(first: {capped.more_first})")
    body = _block(
        "nodes(ids: $ids)",
        _block(f"... on {stream.node_type}", f"...{fragment_name(stream.node_type)}"),
    )
    operation = _block(f"query {camel(capped_name(stream))}({DETAILS_VARIABLES})", body)
    return f"{operation}\n\n{_fragment(stream.node_type, fields)}\n"


def more_document(stream: StreamDeclaration, child: Child) -> str:
    """The records (``$ids``) again with ``child.more_first`` of the child's nodes, nothing
    else but their ids."""
    body = _block(
        "nodes(ids: $ids)",
        _block(f"... on {stream.node_type}", "id", _child_paged(child, child.more_first)),
    )
    operation = _block(f"query {camel(_more_name(stream, child))}({DETAILS_VARIABLES})", body)
    return f"{operation}\n\n{_fragment(child.node_type, child.fields)}\n"


# -- completing a nested connection -----------------------------------------------------------
@dataclass(frozen=True)
class Nested:
    """The nested connection of a stream's listed records that is completed past its first
    page by a document of its own: an order's line items, a location's inventory levels."""

    #: The completing document's name: ``<parent type>_<connection>``.
    document: str
    #: The connection in each listed record.
    field: str
    #: Where the completing document's connection sits in its response.
    path: tuple[str, str]
    node_type: str
    fields: str
    #: The window's search filters this connection (``$query``), not the listed records.
    filtered: bool
    #: The completing document's first page size.
    page_size: int


def nested(stream: StreamDeclaration) -> Nested | None:
    """The stream's nested connection: its parents' (then it lands their nodes), or its child's
    (a details stream's children: :func:`nested_connections`)."""
    if stream.details_of is not None:
        return None
    if stream.parents is not None:
        parent_type, field, page_size = (
            stream.parents.node_type,
            stream.parents.connection,
            stream.parents.page_size,
        )
        node_type, fields, filtered = stream.node_type, stream.fields, True
    elif stream.children:
        child = stream.children[0]
        parent_type, field, page_size = stream.node_type, child.field, child.page_size
        node_type, fields, filtered = child.node_type, child.fields, False
    else:
        return None
    return _nested(parent_type, field, node_type, fields, filtered, page_size, stream.variant)


def _nested(
    parent_type: str,
    field: str,
    node_type: str,
    fields: str,
    filtered: bool,
    page_size: int,
    variant: str,
) -> Nested:
    return Nested(
        document=f"{snake(parent_type)}_{snake(field)}{variant}",
        field=field,
        path=(single_field(parent_type), field),
        node_type=node_type,
        fields=fields,
        filtered=filtered,
        page_size=page_size,
    )


def nested_connections(stream: StreamDeclaration) -> tuple[Nested, ...]:
    """Every nested connection of the stream's records completed by a document of its own."""
    if stream.parents is not None:
        found = nested(stream)
        return () if found is None else (found,)
    return tuple(
        _nested(
            stream.node_type, c.field, c.node_type, c.fields, False, c.page_size, stream.variant
        )
        for c in stream.children
    )


def nested_document(stream: StreamDeclaration) -> str | None:
    """The document that pages one record's nested connection (variables ``$id``, ``$first``,
    ``$after`` and, when the window filters that connection, ``$query``)."""
    found = nested(stream)
    return None if found is None else completing_document(found)


def completing_document(found: Nested) -> str:
    """The document that pages one nested connection of one record."""
    query = "query: $query" if found.filtered else ""
    variables = "$id: ID!, $first: Int!, $after: String" + (", $query: String" if query else "")
    parent, field = found.path
    head = _call(field, "first: $first, after: $after", query)
    operation = _block(
        f"query {camel(found.document)}({variables})",
        _block(f"{parent}(id: $id)", _paged_connection(head, found.node_type)),
    )
    return f"{operation}\n\n{_fragment(found.node_type, found.fields)}\n"


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
    return _block(f"query Bulk{camel(document_name(stream))}", body) + "\n"


# -- by name ------------------------------------------------------------------------------------
@cache
def documents() -> dict[str, str]:
    """Every stream document by name: paged, nested, and bulk (unfiltered), of every variant
    of every stream (:mod:`.variants`)."""
    out: dict[str, str] = {}
    for stream in (v for declared in DECLARATIONS for v in variants(declared)):
        out[document_name(stream)] = paged_document(stream)
        for found in nested_connections(stream):
            out[found.document] = completing_document(found)
        if stream.capped is not None:
            out[capped_name(stream)] = capped_document(stream)
        for child in stream.children:
            if child.more_first:
                out[_more_name(stream, child)] = more_document(stream, child)
        if stream.bulk:
            out[BULK_PREFIX + document_name(stream)] = bulk_document(stream)
    return out


def bulk_documents() -> dict[str, str]:
    """Stream name -> the name of its bulk query, for the streams that have one."""
    return {s.name: BULK_PREFIX + s.name for s in DECLARATIONS if s.bulk}
