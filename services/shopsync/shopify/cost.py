"""Shopify's calculated query cost, before (requested) and after (actual) execution.

The rules (shopify.dev, "GraphQL Admin API rate limits", and Shopify's engineering write-up of
the calculated query cost):

- scalars and enums cost 0; an object costs 1; an interface or union costs the maximum of its
  possible selections;
- a connection costs 2 plus, for each node it may return (``first`` or ``last``), 1 for the node
  plus the cost of the node's own selection; ``edges``, ``cursor`` and ``pageInfo`` are included
  in the 2;
- a plain list of objects (not a connection) costs one element, whatever its ``first`` or
  ``last``: only connections are sized by those (shopify.dev's table sizes connections, and
  the tally Shopify's staff point to, graphql-ruby's, multiplies only connection fields); a
  list whose ``ids``/``names`` say its length costs that many elements (``nodes(ids:)``);
- each top-level mutation field costs 10.

The requested cost is computed from the query; the actual cost walks the response data the same
way, so a connection that returned fewer nodes, or an object that was null, costs less (a null
object or connection still costs its own 1 or 2; a plain list its dearest element). Shopify
also scales connections logarithmically by a formula it keeps closed (its staff say so); this
linear sizing is an upper bound of its figure (``tests/unit/shopify/test_cost.py`` cites both).

One implementation for both sides: the client's pacer reserves :func:`requested_cost` before a
query shape's first call, and the simulator charges :func:`query_cost` (against its full schema).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeGuard

from graphql import (
    DocumentNode,
    FieldNode,
    FieldsOnCorrectTypeRule,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    KnownFragmentNamesRule,
    KnownTypeNamesRule,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_object_type,
    parse,
    validate,
    value_from_ast_untyped,
)

from .cost_schema import cost_schema, schema_version_for

MUTATION_COST = 10
#: What must hold for the cost walk to see the whole document (it skips what it cannot find).
_KNOWN_NAMES = (FieldsOnCorrectTypeRule, KnownTypeNamesRule, KnownFragmentNamesRule)
Fields = dict[str, tuple[GraphQLNamedType, list[FieldNode]]]


@dataclass
class _Ctx:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: dict[str, Any]
    # Caches for the actual cost, which walks every returned node with the same selections.
    # Keys are ids of AST nodes or of selection sets these caches keep alive.
    children: dict[tuple[int, str], list[tuple[str, GraphQLNamedType, list[FieldNode]]]] = field(
        default_factory=dict
    )
    merged: dict[tuple[int, str], SelectionSetNode] = field(default_factory=dict)
    parts: dict[
        tuple[int, str],
        tuple[GraphQLNamedType, list[tuple[str, str | None, SelectionSetNode]]],
    ] = field(default_factory=dict)
    #: The requested cost's breakdown by field, when asked for (:func:`cost_breakdown`):
    #: response path -> (defined cost, requested total, requested children cost).
    breakdown: dict[tuple[str, ...], tuple[int | None, int, int | None]] | None = None
    path: tuple[str, ...] = ()


def find_operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return ops[0] if len(ops) == 1 else None
    return next((op for op in ops if op.name is not None and op.name.value == name), None)


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    data: Mapping[str, Any] | None = None,
    *,
    actual: bool = False,
) -> int:
    """Requested cost (``actual=False``) or actual cost from the response ``data``."""
    op = find_operation(document, operation_name)
    if op is None:
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    ctx = _Ctx(schema, fragments, dict(variables or {}))
    if op.operation == OperationType.MUTATION:
        root = schema.mutation_type
        if root is None:
            return 0
        fields = _collect(ctx, op.selection_set, root, root)
        return MUTATION_COST * len(fields)
    root_type = schema.query_type
    if root_type is None:
        return 0
    if actual:
        return _selection_actual(ctx, root_type, op.selection_set, data or {})
    return _selection_requested(ctx, root_type, [op.selection_set])


def cost_breakdown(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> list[dict[str, Any]]:
    """The requested cost field by field, as Shopify answers a request with the header
    ``X-GraphQL-Cost-Include-Fields: true`` (or ``Shopify-GraphQL-Cost-Debug: 1``) in
    ``extensions.cost.fields``: per response path, the field's ``definedCost`` (0 a leaf, 1 an
    object, ``null`` a connection: sized by its arguments), its ``requestedTotalCost`` and its
    ``requestedChildrenCost`` (a connection's: one node's; ``null`` for a leaf). Documented at
    shopify.dev (docs/api/usage/limits, "Requested and actual cost"); the entries' shape as a
    real answer shows it (Shopify/shopify-api-js issue 602). Queries only: a mutation's cost
    is its fields' 10 each."""
    op = find_operation(document, operation_name)
    root = schema.query_type
    if op is None or op.operation != OperationType.QUERY or root is None:
        return []
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    ctx = _Ctx(schema, fragments, dict(variables or {}), breakdown={})
    _selection_requested(ctx, root, [op.selection_set])
    assert ctx.breakdown is not None
    return [
        {
            "path": list(path),
            "definedCost": defined,
            "requestedTotalCost": total,
            "requestedChildrenCost": children,
        }
        for path, (defined, total, children) in ctx.breakdown.items()
    ]


def requested_cost(
    document: str, variables: Mapping[str, Any] | None, api_version: str
) -> int | None:
    """The ``requestedQueryCost`` Shopify charges for ``document`` with ``variables``, or
    ``None`` when it cannot be known here: the text does not parse, does not hold exactly one
    operation, or names a field, type or fragment that the shipped schema of that API version
    lacks (the walk would cost what it cannot see as 0).

    Computed against the version's schema (:mod:`.cost_schema`), not from the document alone,
    because a field's cost depends on what it returns and the document does not say:
    ``Order.fulfillments(first: 5)`` is a plain list (one element: 1 + its selection) where
    ``Order.lineItems(first: 5)`` is a connection (2 + 5 x ...), ``quantities(names: [...])``
    is sized by its names, an interface costs its dearest possible type, and whether a
    fragment's type condition applies takes the types' relations. A schema-free estimate would
    have to guess each of these. Shopify gives some fields costs of their own, so the figure it
    reports stays authoritative: the pacer uses this only until a shape has been answered.
    """
    parsed = _checked(document, schema_version_for(api_version))
    if parsed is None:
        return None
    return query_cost(cost_schema(api_version), parsed, None, variables)


@lru_cache(maxsize=256)
def _checked(document: str, version: str) -> DocumentNode | None:
    """``document`` parsed, if it has one operation and every name in it is in the schema."""
    try:
        parsed = parse(document, no_location=True)
    except GraphQLError:
        return None
    if find_operation(parsed, None) is None or validate(cost_schema(version), parsed, _KNOWN_NAMES):
        return None
    return parsed


# -- field collection ----------------------------------------------------------------------
def _included(ctx: _Ctx, node: SelectionNode) -> bool:
    for directive in getattr(node, "directives", None) or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        arg = next((a for a in directive.arguments or () if a.name.value == "if"), None)
        value = bool(value_from_ast_untyped(arg.value, ctx.variables)) if arg else True
        if (name == "skip") == value:
            return False
    return True


def _applies(ctx: _Ctx, condition: str | None, target: GraphQLNamedType) -> bool:
    if condition is None or condition == target.name:
        return True
    cond = ctx.schema.get_type(condition)
    if cond is not None and is_abstract_type(cond) and is_object_type(target):
        return ctx.schema.is_sub_type(cond, target)
    return False


def _collect(
    ctx: _Ctx,
    selection_set: SelectionSetNode | None,
    target: GraphQLNamedType,
    owner: GraphQLNamedType,
    out: Fields | None = None,
) -> Fields:
    """Fields selected on ``target`` (through fragments that apply), by response key."""
    out = {} if out is None else out
    if selection_set is None:
        return out
    for sel in selection_set.selections:
        if not _included(ctx, sel):
            continue
        if isinstance(sel, FieldNode):
            key = sel.alias.value if sel.alias else sel.name.value
            out.setdefault(key, (owner, []))[1].append(sel)
        elif isinstance(sel, InlineFragmentNode):
            cond = sel.type_condition.name.value if sel.type_condition else None
            if _applies(ctx, cond, target):
                inner = ctx.schema.get_type(cond) if cond else owner
                _collect(ctx, sel.selection_set, target, inner or owner, out)
        elif isinstance(sel, FragmentSpreadNode):
            frag = ctx.fragments.get(sel.name.value)
            if frag is not None and _applies(ctx, frag.type_condition.name.value, target):
                inner = ctx.schema.get_type(frag.type_condition.name.value) or owner
                _collect(ctx, frag.selection_set, target, inner, out)
    return out


def _conditions(ctx: _Ctx, sets: list[SelectionSetNode]) -> set[str]:
    names: set[str] = set()
    for selection_set in sets:
        for sel in selection_set.selections:
            if isinstance(sel, InlineFragmentNode) and sel.type_condition:
                names.add(sel.type_condition.name.value)
                names |= _conditions(ctx, [sel.selection_set])
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value in ctx.fragments:
                frag = ctx.fragments[sel.name.value]
                names.add(frag.type_condition.name.value)
                names |= _conditions(ctx, [frag.selection_set])
    return names


def _args(ctx: _Ctx, node: FieldNode) -> dict[str, Any]:
    return {
        a.name.value: value_from_ast_untyped(a.value, ctx.variables) for a in node.arguments or ()
    }


def is_connection(named: object) -> TypeGuard[GraphQLObjectType]:
    """Whether a type is a Relay connection (``...Connection`` with ``edges`` or ``nodes``):
    what the cost sizes by ``first``/``last``, a bulk query may nest and the simulator answers
    empty when a record has none."""
    return (
        isinstance(named, GraphQLObjectType)
        and named.name.endswith("Connection")
        and ("edges" in named.fields or "nodes" in named.fields)
    )


def _page_size(args: dict[str, Any]) -> int:
    """A connection's nodes: its ``first`` or ``last``."""
    size = args.get("first") if args.get("first") is not None else args.get("last")
    return size if isinstance(size, int) else 1


def _listed(args: dict[str, Any]) -> int | None:
    """A plain list's length when its arguments say it (``nodes(ids:)``, ``quantities(names:)``:
    one element per id or name), else ``None``: a plain list costs one element whatever its
    ``first`` (see the module's rules)."""
    for name in ("ids", "names"):
        if isinstance(args.get(name), list):
            return len(args[name])
    return None


def _node_parts(
    ctx: _Ctx, conn: GraphQLObjectType, nodes: list[FieldNode]
) -> tuple[GraphQLNamedType, list[tuple[str, str | None, list[SelectionSetNode]]]]:
    """The node type and, per way of reaching the nodes, (key, edge-node key, selections)."""
    node_type = get_named_type(conn.fields["nodes" if "nodes" in conn.fields else "edges"].type)
    if "nodes" not in conn.fields:
        node_type = get_named_type(node_type.fields["node"].type)
    merged = _collect(ctx, _merge(nodes), conn, conn)
    ways: list[tuple[str, str | None, list[SelectionSetNode]]] = []
    for key, (_, fnodes) in merged.items():
        name = fnodes[0].name.value
        if name == "nodes":
            ways.append((key, None, [f.selection_set for f in fnodes if f.selection_set]))
        elif name == "edges":
            edge_type = get_named_type(conn.fields["edges"].type)
            for ekey, (_, enodes) in _collect(ctx, _merge(fnodes), edge_type, edge_type).items():
                if enodes[0].name.value == "node":
                    sets = [e.selection_set for e in enodes if e.selection_set]
                    ways.append((key, ekey, sets))
    return node_type, ways


def _merge(nodes: list[FieldNode]) -> SelectionSetNode:
    selections = [s for n in nodes if n.selection_set for s in n.selection_set.selections]
    return SelectionSetNode(selections=tuple(selections))


# -- requested -----------------------------------------------------------------------------
def _selection_requested(ctx: _Ctx, named: GraphQLNamedType, sets: list[SelectionSetNode]) -> int:
    merged = _merge_sets(sets)
    if is_abstract_type(named):
        targets: list[GraphQLNamedType] = [named]
        for cond in _conditions(ctx, sets):
            t = ctx.schema.get_type(cond)
            if t is not None and is_object_type(t) and _applies(ctx, named.name, t):
                targets.append(t)
        return max(_fields_requested(ctx, _collect(ctx, merged, t, named)) for t in targets)
    return _fields_requested(ctx, _collect(ctx, merged, named, named))


def _merge_sets(sets: list[SelectionSetNode]) -> SelectionSetNode:
    return SelectionSetNode(selections=tuple(s for ss in sets for s in ss.selections))


def _fields_requested(ctx: _Ctx, fields: Fields) -> int:
    total = 0
    for key, (owner, nodes) in fields.items():
        name = nodes[0].name.value
        if name.startswith("__"):
            continue
        field_def = getattr(owner, "fields", {}).get(name)
        if field_def is None:
            continue
        named = get_named_type(field_def.type)
        path = (*ctx.path, key)
        if is_leaf_type(named):
            _note(ctx, path, 0, 0, None)
            continue
        args = _args(ctx, nodes[0])
        if is_connection(named):
            node_type, ways = _node_parts(ctx, named, nodes)
            size = _page_size(args) if ("first" in args or "last" in args) else 0
            per_node = 0
            for way, edge, sets in ways:
                inner = (*path, way) if edge is None else (*path, way, edge)
                child = _requested_at(ctx, inner, node_type, sets)
                _note(ctx, inner, 1, 1 + child, child)
                per_node = max(per_node, 1 + child)
            _note(ctx, path, None, 2 + size * per_node, per_node)
            total += 2 + size * per_node
            continue
        sets = [n.selection_set for n in nodes if n.selection_set]
        listed = _listed(args) if is_list_type(get_nullable_type(field_def.type)) else None
        size = listed or 1
        child = _requested_at(ctx, path, named, sets)
        _note(ctx, path, 1, size * (1 + child), child)
        total += size * (1 + child)
    return total


def _requested_at(
    ctx: _Ctx, path: tuple[str, ...], named: GraphQLNamedType, sets: list[SelectionSetNode]
) -> int:
    """The selections' requested cost, noted in the breakdown under ``path``."""
    outer, ctx.path = ctx.path, path
    try:
        return _selection_requested(ctx, named, sets)
    finally:
        ctx.path = outer


def _note(
    ctx: _Ctx, path: tuple[str, ...], defined: int | None, total: int, children: int | None
) -> None:
    """One field's line of the breakdown (the dearest, where an interface's possible types
    give a path several)."""
    if ctx.breakdown is not None:
        seen = ctx.breakdown.get(path)
        if seen is None or seen[1] < total:
            ctx.breakdown[path] = (defined, total, children)


# -- actual ----------------------------------------------------------------------------------
def _selection_actual(
    ctx: _Ctx, named: GraphQLNamedType, selection_set: SelectionSetNode, value: Mapping[str, Any]
) -> int:
    typename = value.get("__typename") if isinstance(value, Mapping) else None
    target = ctx.schema.get_type(typename) if isinstance(typename, str) else None
    if target is None:
        target = named
    cache_key = (id(selection_set), target.name)
    children = ctx.children.get(cache_key)
    if children is None:
        fields = _collect(ctx, selection_set, target, named)
        if target is named and is_abstract_type(named):
            for cond in _conditions(ctx, [selection_set]):
                t = ctx.schema.get_type(cond)
                if t is not None:
                    _collect(ctx, selection_set, t, named, fields)
        children = []
        for key, (owner, nodes) in fields.items():
            field_def = getattr(owner, "fields", {}).get(nodes[0].name.value)
            if field_def is not None and not is_leaf_type(get_named_type(field_def.type)):
                children.append((key, get_named_type(field_def.type), nodes))
        ctx.children[cache_key] = children
    total = 0
    for key, child_type, nodes in children:
        if key in value:
            total += _field_actual(ctx, child_type, nodes, value[key])
    return total


def _field_actual(ctx: _Ctx, named: GraphQLNamedType, nodes: list[FieldNode], value: Any) -> int:
    if is_connection(named):
        if not isinstance(value, Mapping):
            return 2
        parts_key = (id(nodes[0]), "__parts__")
        parts = ctx.parts.get(parts_key)
        if parts is None:
            node_type, ways = _node_parts(ctx, named, nodes)
            parts = ctx.parts[parts_key] = (node_type, [(k, e, _merge_sets(s)) for k, e, s in ways])
        node_type, merged_ways = parts
        best = 0
        for key, edge_key, merged in merged_ways:
            items = value.get(key) or []
            if edge_key is not None:
                items = [e.get(edge_key) for e in items if isinstance(e, Mapping)]
            best = max(best, sum(_object_actual(ctx, node_type, merged, item) for item in items))
        return 2 + best
    merged = _merged_for(ctx, nodes)
    if isinstance(value, list):
        each = [_object_actual(ctx, named, merged, item) for item in value]
        return sum(each) if _listed(_args(ctx, nodes[0])) is not None else max(each, default=0)
    return _object_actual(ctx, named, merged, value)


def _merged_for(ctx: _Ctx, nodes: list[FieldNode]) -> SelectionSetNode:
    key = (id(nodes[0]), "__merged__")
    cached = ctx.merged.get(key)
    if cached is None:
        cached = ctx.merged[key] = _merge_sets([n.selection_set for n in nodes if n.selection_set])
    return cached


def _object_actual(
    ctx: _Ctx, named: GraphQLNamedType, selection_set: SelectionSetNode, value: Any
) -> int:
    if not isinstance(value, Mapping):
        return 1
    return 1 + _selection_actual(ctx, named, selection_set, value)
