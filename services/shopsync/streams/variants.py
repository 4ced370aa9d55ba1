"""A stream's variants: as declared, and with the fields only some stores may be asked for.

A declaration's :class:`~.model.ScopedFields` need a scope besides the stream's own. Each
non-empty set of them makes a variant of the declaration: the same stream (same name, tables,
raw layout and cursor) whose selections hold those fields too, whose documents are named
``<document>_with_<tag>`` and whose scopes include their requirements. A run reads the scopes
the store granted and fetches each stream in the fullest variant the store allows
(:func:`shopsync.extract.streams.granted_variant`); the warehouse columns read from the
fields a store's variant left out are null for it.

The fields are added to the declared selection text where ``within`` says, by parsing it
(graphql-core) rather than by editing strings, so a path that names no field of the selection
fails when the module is imported.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from functools import cache

from graphql import parse, print_ast
from graphql.language import FieldNode, FragmentDefinitionNode, SelectionNode, SelectionSetNode

from .model import Child, ScopedFields, StreamDeclaration

#: What a variant's documents' names carry: ``<document>_with_<tag>``.
VARIANT_MARK = "_with_"


def _selection_set(fields: str, node_type: str) -> SelectionSetNode:
    definition = parse(f"fragment Fields on {node_type} {{\n{fields}\n}}").definitions[0]
    assert isinstance(definition, FragmentDefinitionNode)
    return definition.selection_set


def _inserted(
    selection: SelectionSetNode, within: tuple[str, ...], added: tuple[SelectionNode, ...]
) -> SelectionSetNode:
    if not within:
        return SelectionSetNode(selections=(*selection.selections, *added))
    step, rest = within[0], within[1:]
    found = [s for s in selection.selections if isinstance(s, FieldNode) and s.name.value == step]
    field = found[0] if len(found) == 1 else None
    if field is None or field.selection_set is None:
        raise ValueError(f"no object field {step!r} to add fields to")
    inner = _inserted(field.selection_set, rest, added)
    kept = {k: getattr(field, k) for k in field.keys if k not in ("selection_set", "loc")}
    copied = FieldNode(**kept, selection_set=inner)
    return SelectionSetNode(
        selections=tuple(copied if s is field else s for s in selection.selections)
    )


def with_fields(fields: str, node_type: str, extra: str, within: tuple[str, ...]) -> str:
    """``fields`` (a selection on ``node_type``) with ``extra`` added inside the field at
    ``within`` (the selection itself when empty)."""
    added = tuple(_selection_set(extra, node_type).selections)
    try:
        top = _inserted(_selection_set(fields, node_type), within, added)
    except ValueError as exc:
        raise ValueError(f"{node_type} {{{fields}}}: {exc}") from None
    return print_ast(top)[1:-1].strip("\n")


def _add(stream: StreamDeclaration, scoped: ScopedFields) -> StreamDeclaration:
    first = scoped.within[:1]
    child = next((c for c in stream.children if (c.field,) == first), None)
    if child is None:
        fields = with_fields(stream.fields, stream.node_type, scoped.fields, scoped.within)
        return replace(stream, fields=fields)
    added: Child = replace(
        child,
        fields=with_fields(child.fields, child.node_type, scoped.fields, scoped.within[1:]),
    )
    children = tuple(added if c is child else c for c in stream.children)
    return replace(stream, children=children)


@cache
def variants(stream: StreamDeclaration) -> tuple[StreamDeclaration, ...]:
    """The stream as declared, then with each non-empty set of its scoped fields."""
    out = [stream]
    for size in range(1, len(stream.scoped) + 1):
        for chosen in itertools.combinations(stream.scoped, size):
            variant = stream
            for scoped in chosen:
                variant = _add(variant, scoped)
            out.append(
                replace(
                    variant,
                    scopes=(*stream.scopes, *(s.requirement for s in chosen)),
                    scoped=(),
                    variant=VARIANT_MARK + "_".join(s.tag for s in chosen),
                )
            )
    return tuple(out)


def variant_named(stream: StreamDeclaration, variant: str) -> StreamDeclaration:
    """The variant of ``stream`` named ``variant`` (``""``: as declared)."""
    for found in variants(stream):
        if found.variant == variant:
            return found
    raise KeyError(f"{stream.name} has no variant {variant!r}")


def declared_document(name: str) -> str:
    """The name of the declared variant's document a variant's document was made from:
    ``order_fulfillments_whole_with_locations`` -> ``order_fulfillments_whole``."""
    head, found, _ = name.partition(VARIANT_MARK)
    return head if found else name


__all__ = ["ScopedFields", "declared_document", "variant_named", "variants", "with_fields"]
