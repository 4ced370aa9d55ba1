"""A document's canonical text: what it asks Shopify for, whatever way it is written.

Named fragments and inline fragments on the enclosing type are inlined, arguments and variable
definitions sorted; the order of the fields (the order of the keys in the landed JSON) is kept.
Two documents with the same canonical text get the same answer from Shopify.
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    parse,
    print_ast,
)

from shopsync.shopify.cost_schema import cost_schema


def operation(
    text: str,
) -> tuple[OperationDefinitionNode, dict[str, FragmentDefinitionNode]]:
    """The one operation of a document and its named fragments."""
    document = parse(text, no_location=True)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    [op] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return op, fragments


def canonical(text: str, schema: GraphQLSchema | None = None) -> str:
    schema = schema or cost_schema("2026-10")
    op, fragments = operation(text)
    variables = sorted(
        f"${v.variable.name.value}: {print_ast(v.type)}"
        + (f" = {print_ast(v.default_value)}" if v.default_value else "")
        for v in op.variable_definitions or ()
    )
    name = op.name.value if op.name else ""
    lines = [f"{op.operation.value} {name}({', '.join(variables)})"]
    root = schema.mutation_type if op.operation.value == "mutation" else schema.query_type
    assert root is not None

    def walk(selection_set: SelectionSetNode, parent: GraphQLNamedType, depth: int) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                args = sorted(
                    f"{a.name.value}: {print_ast(a.value)}" for a in selection.arguments or ()
                )
                alias = f"{selection.alias.value}: " if selection.alias else ""
                call = f"({', '.join(args)})" if args else ""
                lines.append("  " * depth + alias + selection.name.value + call)
                if selection.selection_set is not None:
                    field = getattr(parent, "fields", {})[selection.name.value]
                    walk(selection.selection_set, get_named_type(field.type), depth + 1)
                continue
            if isinstance(selection, FragmentSpreadNode):
                fragment = fragments[selection.name.value]
                condition, inner = fragment.type_condition.name.value, fragment.selection_set
            else:
                assert isinstance(selection, InlineFragmentNode)
                cond = selection.type_condition
                condition = cond.name.value if cond is not None else parent.name
                inner = selection.selection_set
            if condition == parent.name:
                walk(inner, parent, depth)
            else:
                lines.append("  " * depth + f"... on {condition}")
                target = schema.get_type(condition)
                assert target is not None, condition
                walk(inner, target, depth + 1)

    walk(op.selection_set, root, 1)
    return "\n".join(lines) + "\n"
