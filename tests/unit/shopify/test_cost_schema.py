"""The shipped cost schemas are the pruned Admin schemas, one per version the project ships."""

from __future__ import annotations

from graphql import GraphQLObjectType, get_named_type, is_leaf_type

from shopsync.shopify.cost_schema import cost_schema, expected_files, shipped_files, versions
from shopsync_simulator.graphql.schema import SUPPORTED_VERSIONS, admin_schema


def test_shipped_files_match_the_admin_schemas() -> None:
    """Fails after a schema in shopsync/schemas changed: run
    ``python -m shopsync.shopify.cost_schemas`` and commit the result."""
    assert versions() == SUPPORTED_VERSIONS
    assert shipped_files() == expected_files()


def test_every_output_field_keeps_its_type() -> None:
    """What the cost walk reads of each object field is the same as in the full schema."""
    full, pruned = admin_schema("2026-10").schema, cost_schema("2026-10")
    for name, full_type in full.type_map.items():
        if name.startswith("__") or not isinstance(full_type, GraphQLObjectType):
            continue
        kept = pruned.get_type(name)
        assert isinstance(kept, GraphQLObjectType), name
        for field_name, field in full_type.fields.items():
            mine = kept.fields[field_name]
            assert str(mine.type) == str(field.type), f"{name}.{field_name}"
            assert is_leaf_type(get_named_type(mine.type)) == is_leaf_type(
                get_named_type(field.type)
            )
        assert {i.name for i in kept.interfaces} == {i.name for i in full_type.interfaces}
