"""A query that asks every field of a node type that needs no argument: its scalars, its
objects with their scalars, its connections' nodes with theirs (``first: 2`` where a field
takes ``first``). Shared by the field walk (executed on a store) and the broad queries sent
through the simulator's endpoint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)

#: Whether a field may be asked (a test leaves out what the token may not read).
Allowed = Callable[[GraphQLObjectType, str, GraphQLField], bool]


def _everything(_: GraphQLObjectType, __: str, ___: GraphQLField) -> bool:
    return True


@dataclass
class Selection:
    """The fields asked of one object type: name -> (the field's type, its own selection)."""

    type_: GraphQLNamedType
    fields: dict[str, tuple[GraphQLOutputType, Selection | None, str]] = field(default_factory=dict)
    #: Asked of one possible type of an interface (``... on <type_> { ... }``).
    fragment: bool = False

    def render(self) -> str:
        parts = []
        for name, (_, child, args) in self.fields.items():
            parts.append(f"{name}{args}" + (f" {{ {child.render()} }}" if child else ""))
        if self.fragment:
            return f"__typename ... on {self.type_.name} {{ {' '.join(parts)} }}"
        return " ".join(["__typename", *parts])


def _arguments(definition: GraphQLField) -> str | None:
    """The arguments to ask the field with; ``None``: it needs one we cannot guess."""
    if any(isinstance(a.type, GraphQLNonNull) for a in definition.args.values()):
        return None
    return "(first: 2)" if "first" in definition.args else ""


def _scalars(type_: GraphQLObjectType, allowed: Allowed = _everything) -> Selection:
    selection = Selection(type_)
    for name, definition in type_.fields.items():
        if not allowed(type_, name, definition):
            continue
        leaf = get_named_type(definition.type)
        if definition.deprecation_reason or not isinstance(
            leaf, GraphQLScalarType | GraphQLEnumType
        ):
            continue
        if (args := _arguments(definition)) is not None:
            selection.fields[name] = (definition.type, None, args)
    return selection


def _inner(schema: GraphQLSchema, named: GraphQLNamedType) -> GraphQLObjectType | None:
    """The object type to select fields of: the type, or an abstract type's first."""
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        return min(schema.get_possible_types(named), key=lambda t: t.name)
    return named if isinstance(named, GraphQLObjectType) else None


def node_selection(
    schema: GraphQLSchema,
    type_: GraphQLObjectType,
    allowed: Allowed = _everything,
    *,
    connections: bool = True,
) -> Selection:
    """Every field of ``type_`` that needs no argument; objects with their scalar fields,
    connections (unless not ``connections``) with their nodes' scalar fields."""
    selection = Selection(type_)
    for name, definition in type_.fields.items():
        args = _arguments(definition)
        if definition.deprecation_reason or args is None or not allowed(type_, name, definition):
            continue
        named = get_named_type(definition.type)
        if isinstance(named, GraphQLScalarType | GraphQLEnumType):
            selection.fields[name] = (definition.type, None, args)
            continue
        inner = _inner(schema, named)
        if inner is None or isinstance(named, GraphQLUnionType):
            continue
        if "nodes" in inner.fields and "pageInfo" in inner.fields:  # a connection
            node = _inner(schema, get_named_type(inner.fields["nodes"].type))
            if (
                node is None
                or not connections
                or not allowed(inner, "nodes", inner.fields["nodes"])
            ):
                continue
            scalars = _scalars(node, allowed)
            scalars.fragment = node is not get_named_type(inner.fields["nodes"].type)
            nodes = Selection(inner, {"nodes": (inner.fields["nodes"].type, scalars, "")})
            selection.fields[name] = (definition.type, nodes, args)
        elif not isinstance(named, GraphQLInterfaceType):
            selection.fields[name] = (definition.type, _scalars(inner, allowed), args)
    return selection
