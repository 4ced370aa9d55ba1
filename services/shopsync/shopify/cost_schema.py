"""The type information Shopify's calculated query cost needs, per Admin API version.

Shopify charges a field by what it returns (scalar or enum 0, object 1, connection 2 plus its
nodes, interface or union the dearest of its possible types), so a query's requested cost can
only be read off the document together with the schema. ``shopsync/schemas`` ships the full
introspection of each supported version (~11 MB of JSON: descriptions, arguments, input types,
scopes); building one costs ~0.5 s and ~60 MB at its peak, too much for every ingestion run.
The files here keep only what the cost walk reads — object, interface and union types with their
fields' names and types, the interfaces objects implement, the members of unions — and turn
enums and input types into bare scalars (enums are leaves that cost 0; input types only appear as
variables' types): ~80 KB each, built in ~0.2 s and ~20 MB.

They are generated from ``shopsync/schemas`` and a test fails when they drift; after adding or
changing a schema there, run ``python -m shopsync.shopify.cost_schemas``.
"""

from __future__ import annotations

import gzip
import json
import threading
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, cast

from graphql import GraphQLSchema, IntrospectionQuery, build_client_schema

PACKAGE = "shopsync.shopify.cost_schemas"
SOURCE_PACKAGE = "shopsync.schemas"

_lock = threading.Lock()


def _files(package: str) -> dict[str, Traversable]:
    """``admin_<version>.json.gz`` in ``package``, by version."""
    return {
        p.name.removeprefix("admin_").removesuffix(".json.gz"): p
        for p in resources.files(package).iterdir()
        if p.name.startswith("admin_") and p.name.endswith(".json.gz")
    }


@cache
def versions() -> tuple[str, ...]:
    return tuple(sorted(_files(PACKAGE)))


def schema_version_for(api_version: str) -> str:
    """The shipped version whose schema stands in for ``api_version``: itself, or else the
    newest one before it (a newer Shopify version mostly adds fields), or else the oldest."""
    shipped = versions()
    older = [v for v in shipped if v <= api_version]
    return older[-1] if older else shipped[0]


def cost_schema(api_version: str) -> GraphQLSchema:
    """The cost schema for ``api_version`` (see :func:`schema_version_for`), built once."""
    with _lock:  # once, even when every stream of a run asks at the same moment
        return _build(schema_version_for(api_version))


@cache
def _build(version: str) -> GraphQLSchema:
    return build_client_schema(cast("IntrospectionQuery", _read(_files(PACKAGE)[version])))


def _read(path: Traversable) -> dict[str, Any]:
    with path.open("rb") as raw, gzip.open(raw) as fh:
        data: dict[str, Any] = json.load(fh)
    return data


# -- generation ----------------------------------------------------------------------------
def prune(introspection: dict[str, Any]) -> dict[str, Any]:
    """The cost schema of a full introspection result (its ``data``)."""
    schema = introspection["__schema"]
    types: list[dict[str, Any]] = []
    for full in schema["types"]:
        kind, name = full["kind"], full["name"]
        if name.startswith("__"):
            continue  # introspection types: graphql-core brings its own
        # Enums are leaves like scalars; input types matter only by name (variables' types).
        leaf = kind in ("ENUM", "INPUT_OBJECT")
        pruned: dict[str, Any] = {"kind": "SCALAR" if leaf else kind, "name": name}
        if kind in ("OBJECT", "INTERFACE"):
            pruned["fields"] = [
                {"name": f["name"], "args": [], "type": f["type"]} for f in full["fields"]
            ]
            pruned["interfaces"] = full.get("interfaces") or []
        if kind == "UNION":
            pruned["possibleTypes"] = full["possibleTypes"]
        types.append(pruned)
    return {
        "__schema": {
            "queryType": schema["queryType"],
            "mutationType": schema.get("mutationType"),
            "subscriptionType": schema.get("subscriptionType"),
            "types": types,
            "directives": [],
        }
    }


def expected_files() -> dict[str, dict[str, Any]]:
    """What this package should hold: the pruned schema of every version in shopsync.schemas."""
    return {version: prune(_read(path)["data"]) for version, path in _files(SOURCE_PACKAGE).items()}


def shipped_files() -> dict[str, dict[str, Any]]:
    return {version: _read(path) for version, path in _files(PACKAGE).items()}


def main() -> int:
    """Regenerate the package's files from shopsync.schemas (run from a source checkout)."""
    target = Path(__file__).with_name("cost_schemas")
    for version, pruned in expected_files().items():
        data = json.dumps(pruned, separators=(",", ":")).encode()
        (target / f"admin_{version}.json.gz").write_bytes(gzip.compress(data, mtime=0))
    stale = set(_files(PACKAGE)) - set(_files(SOURCE_PACKAGE))
    for version in sorted(stale):
        print(f"no schema for {version} in {SOURCE_PACKAGE}: remove admin_{version}.json.gz")
    return 1 if stale else 0
