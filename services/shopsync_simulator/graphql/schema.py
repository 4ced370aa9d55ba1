"""Shopify's real Admin schemas, one per supported API version, built once and cached.

A request for an unsupported or unknown version falls forward to the oldest supported one,
as Shopify does; the response header says which version answered.
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass
from importlib import resources

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_client_schema,
    get_named_type,
    visit,
)
from graphql.language import FieldNode

from shopsync_simulator.graphql.app import install_app
from shopsync_simulator.graphql.resolvers import install

SUPPORTED_VERSIONS: tuple[str, ...] = ("2025-10", "2026-01", "2026-04", "2026-07", "2026-10")
LATEST_VERSION = SUPPORTED_VERSIONS[-1]

#: What a token may read unless told otherwise: everything the project's streams need.
DEFAULT_SCOPES: frozenset[str] = frozenset(
    {
        "read_products",
        "read_inventory",
        "read_locations",
        "read_orders",
        "read_all_orders",
        "read_customers",
        "read_merchant_managed_fulfillment_orders",
    }
)


def resolve_version(requested: str) -> str:
    return requested if requested in SUPPORTED_VERSIONS else SUPPORTED_VERSIONS[0]


@dataclass(frozen=True)
class AdminSchema:
    version: str
    schema: GraphQLSchema
    type_scopes: dict[str, tuple[frozenset[str], str]]
    field_scopes: dict[tuple[str, str], tuple[frozenset[str], str]]

    def scope_errors(self, document: DocumentNode, granted: frozenset[str]) -> list[GraphQLError]:
        """ACCESS_DENIED errors for every field whose type or field scope the token lacks."""
        implied = granted | {s.replace("write_", "read_", 1) for s in granted}
        errors: list[GraphQLError] = []
        seen: set[tuple[str, str]] = set()
        type_info = TypeInfo(self.schema)
        admin = self

        class _Check(Visitor):
            def enter_field(self, node: FieldNode, *_: object) -> None:
                parent = type_info.get_parent_type()
                field_def = type_info.get_field_def()
                if parent is None or field_def is None or node.name.value.startswith("__"):
                    return
                name = node.name.value
                needs = [admin.field_scopes.get((parent.name, name))]
                needs.append(admin.type_scopes.get(get_named_type(field_def.type).name))
                for need in needs:
                    if need is None or need[0] & implied or (parent.name, name) in seen:
                        continue
                    seen.add((parent.name, name))
                    errors.append(
                        GraphQLError(
                            f"Access denied for {name} field. Required access: {need[1]}",
                            node,
                            extensions={
                                "code": "ACCESS_DENIED",
                                "documentation": "https://shopify.dev/api/usage/access-scopes",
                                "requiredAccess": need[1],
                            },
                        )
                    )

        visit(document, TypeInfoVisitor(type_info, _Check()))
        return errors


_cache: dict[str, AdminSchema] = {}
_lock = threading.Lock()


def admin_schema(version: str) -> AdminSchema:
    """The schema for ``version`` (after fall-forward), with the simulator's resolvers."""
    version = resolve_version(version)
    cached = _cache.get(version)
    if cached is not None:
        return cached
    with _lock:
        cached = _cache.get(version)
        if cached is None:
            cached = _cache[version] = _load(version)
        return cached


def _load(version: str) -> AdminSchema:
    path = resources.files("shopsync.schemas") / f"admin_{version}.json.gz"
    with path.open("rb") as raw, gzip.open(raw) as fh:
        payload = json.load(fh)
    schema = build_client_schema(payload["data"])
    # graphql-core rejects one rule that Shopify's published schemas break (deprecated fields
    # on interface implementations); the schema is Shopify's own, so treat it as valid.
    schema._validation_errors = []
    install(schema)
    install_app(schema)
    type_scopes: dict[str, tuple[frozenset[str], str]] = {}
    field_scopes: dict[tuple[str, str], tuple[frozenset[str], str]] = {}
    for item in payload.get("offline_scopes", {}).get("items", []):
        scopes = frozenset(item.get("offlineScopes") or ())
        if not scopes:
            continue
        entry = (scopes, item.get("requiredAccess") or "")
        if item["type"] == "type":
            type_scopes[item["typeName"]] = entry
        else:
            field_scopes[(item["typeName"], item["fieldName"])] = entry
    return AdminSchema(version, schema, type_scopes, field_scopes)
