"""What a document selects for the records a stream lands, whatever way it is written.

A document is read as a tree of the fields it selects (fragments inlined, as in the response),
in which every connection is a list: ``orders[]`` holds each order, ``orders[].lineItems[]``
each line item, whether the document pages (``nodes``, ``pageInfo``) or is a bulk query
(``edges { node }``). The paging arguments of a connection (``first``, ``after``, ``query``,
``sortKey``) are how it is read, not what it selects; every other argument is part of the field
(``quantities(names: [...])``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    value_from_ast_untyped,
)

from shopsync.shopify.cost_schema import cost_schema

from .canonical import operation

PAGING = {"first", "after", "last", "before", "query", "sortKey", "reverse"}
PLUMBING = {"pageInfo", "cursor"}


@dataclass
class Selected:
    """A selected field: its other arguments and what it selects in turn."""

    arguments: dict[str, object] = field(default_factory=dict)
    fields: dict[str, Selected] = field(default_factory=dict)

    def paths(self, prefix: str = "") -> list[str]:
        """Every path below, arguments included (``quantities(names: [...]).name``)."""
        out = []
        for name, sub in self.fields.items():
            args = ", ".join(f"{k}: {v!r}" for k, v in sorted(sub.arguments.items()))
            path = f"{prefix}{name}({args})" if args else f"{prefix}{name}"
            out.append(path)
            out += sub.paths(path + ".")
        return out

    def at(self, *names: str) -> Selected | None:
        node: Selected | None = self
        for name in names:
            node = node.fields.get(name) if node is not None else None
        return node


def selected(document: str, schema: GraphQLSchema | None = None) -> Selected:
    """The tree of what ``document`` selects from the root."""
    schema = schema or cost_schema("2026-10")
    op, fragments = operation(document)
    root = Selected()
    query = schema.query_type
    assert query is not None

    def walk(selection_set: SelectionSetNode, parent: GraphQLNamedType, into: Selected) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FragmentSpreadNode):
                fragment = fragments[selection.name.value]
                target = schema.get_type(fragment.type_condition.name.value)
                assert target is not None
                walk(fragment.selection_set, target, into)
                continue
            if isinstance(selection, InlineFragmentNode):
                cond = selection.type_condition
                target = schema.get_type(cond.name.value) if cond is not None else parent
                assert target is not None
                walk(selection.selection_set, target, into)
                continue
            assert isinstance(selection, FieldNode)
            name = selection.name.value
            if name in PLUMBING:
                continue
            if name == "__typename":  # every type has it (the schema's fields do not list it)
                into.fields.setdefault(name, Selected({}))
                continue
            named = get_named_type(getattr(parent, "fields", {})[name].type)
            connection = named.name.endswith("Connection")
            arguments = {
                a.name.value: value_from_ast_untyped(a.value)
                for a in selection.arguments or ()
                if not (connection and a.name.value in PAGING)
            }
            key = f"{name}[]" if connection else name
            sub = into.fields.setdefault(key, Selected(arguments))
            assert sub.arguments == arguments, f"{name} selected twice with other arguments"
            if selection.selection_set is None:
                continue
            if not connection:
                walk(selection.selection_set, named, sub)
                continue
            assert isinstance(named, GraphQLObjectType)
            node_type = get_named_type(named.fields["nodes"].type)
            for nodes in _nodes(name, selection.selection_set):
                walk(nodes, node_type, sub)

    walk(op.selection_set, query, root)
    return root


def _nodes(connection: str, selection_set: SelectionSetNode) -> list[SelectionSetNode]:
    """What a connection selects of its nodes: ``nodes { ... }``, ``edges { node { ... } }``."""
    out: list[SelectionSetNode] = []
    for part in selection_set.selections:
        assert isinstance(part, FieldNode), f"{connection}: selects nodes or edges"
        name, inner = part.name.value, part.selection_set
        if name == "nodes" and inner is not None:
            out.append(inner)
        elif name == "edges" and inner is not None:
            for edge in inner.selections:
                assert isinstance(edge, FieldNode), f"{connection}: edges select node"
                if edge.name.value == "node" and edge.selection_set is not None:
                    out.append(edge.selection_set)
                elif edge.name.value not in PLUMBING:
                    raise AssertionError(f"{connection}: edges select {edge.name.value}")
        elif name not in PLUMBING:
            raise AssertionError(f"{connection}: the connection selects {name}")
    return out


def records(document: str, *nested: str) -> Selected:
    """What ``document`` selects of each landed record: the nodes of its one top-level field
    (a connection, or one object by id), or of the connection ``nested`` inside them."""
    tree = selected(document)
    [(_, top)] = tree.fields.items()
    found = top.at(*(f"{n}[]" for n in nested))
    assert found is not None, f"no {'.'.join(nested)} in the document"
    return found
