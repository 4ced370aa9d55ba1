"""``currentAppInstallation``: the app's installation on the shop, as far as shopsync reads it.

``accessScopes`` lists the handles the shop granted the token (its :class:`ExecContext`'s
scopes), as they were granted: like Shopify's, the list may hold ``write_x`` without the
``read_x`` it implies. No scope is needed to read it.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema

from shopsync_simulator.graphql.resolvers import ExecContext


def _current_app_installation(_: Any, info: GraphQLResolveInfo[Any]) -> dict[str, Any]:
    context: ExecContext = info.context
    scopes = [{"handle": s, "description": ""} for s in sorted(context.scopes)]
    return {"id": "gid://shopify/AppInstallation/1", "accessScopes": scopes}


def install_app(schema: GraphQLSchema) -> None:
    """Attach the resolver to ``QueryRoot.currentAppInstallation``."""
    root = schema.query_type
    if isinstance(root, GraphQLObjectType) and "currentAppInstallation" in root.fields:
        root.fields["currentAppInstallation"].resolve = _current_app_installation
