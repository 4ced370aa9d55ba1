"""Shopify's rules for a bulk query, checked before the operation is created."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)

from shopsync.shopify.cost import is_connection

MAX_CONNECTIONS = 5
MAX_DEPTH = 2


def bulk_query_errors(schema: GraphQLSchema, document: DocumentNode) -> list[str]:
    """Messages for every rule the (already valid) query breaks; empty when it may run."""
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(ops) != 1 or ops[0].operation.value != "query":
        return ["Bulk queries must contain exactly one query operation."]
    root = schema.query_type
    assert root is not None
    errors: list[str] = []
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    connections = 0

    def walk(sel: SelectionSetNode | None, parent: object, depth: int, in_list: bool) -> None:
        nonlocal connections
        if sel is None:
            return
        for node in sel.selections:
            if isinstance(node, InlineFragmentNode):
                cond = node.type_condition
                walk(
                    node.selection_set,
                    schema.get_type(cond.name.value) if cond else parent,
                    depth,
                    in_list,
                )
                continue
            if isinstance(node, FragmentSpreadNode):
                frag = fragments.get(node.name.value)
                if frag is not None:
                    walk(
                        frag.selection_set,
                        schema.get_type(frag.type_condition.name.value),
                        depth,
                        in_list,
                    )
                continue
            assert isinstance(node, FieldNode)
            fields = getattr(parent, "fields", {})
            field_def = fields.get(node.name.value)
            if field_def is None:
                continue
            if parent is root and node.name.value in ("node", "nodes"):
                errors.append("Bulk queries cannot contain a top-level `node` or `nodes` field.")
                continue
            named = get_named_type(field_def.type)
            if is_connection(named):
                connections += 1
                if in_list:
                    errors.append(
                        "Queries that contain a connection field within a list field are not "
                        "currently supported."
                    )
                if depth + 1 > MAX_DEPTH:
                    errors.append(
                        f"Bulk queries cannot contain connections with a nesting depth greater "
                        f"than {MAX_DEPTH}."
                    )
                walk(node.selection_set, named, depth + 1, in_list)
            else:
                edges = is_connection(parent)  # edges/nodes of a connection are not "lists"
                listed = in_list or (is_list_type(get_nullable_type(field_def.type)) and not edges)
                walk(node.selection_set, named, depth, listed)

    walk(ops[0].selection_set, root, 0, False)
    top = [s for s in ops[0].selection_set.selections if isinstance(s, FieldNode)]
    if len(top) > 1:
        errors.append("Bulk queries must contain exactly one top-level field.")
    if connections == 0:
        errors.insert(0, "Bulk queries must contain at least one connection.")
    if connections > MAX_CONNECTIONS:
        errors.append(f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections.")
    return list(dict.fromkeys(errors))
