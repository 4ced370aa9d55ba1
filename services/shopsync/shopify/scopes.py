"""The access scopes a store granted the app, read once at the start of every run.

``currentAppInstallation.accessScopes`` needs no scope of its own (Shopify's schemas, every
shipped version) and lists the handles granted, which may leave out what a handle implies.
Shopify's rules (https://shopify.dev/docs/api/usage/access-scopes: "any scope that writes a
resource also grants read access to it"; its API libraries expand ``AuthScopes`` with
``^(unauthenticated_)?write_(.*)$`` -> ``\\1read_\\2``):

- ``write_<x>`` implies ``read_<x>``, and ``unauthenticated_write_<x>`` implies
  ``unauthenticated_read_<x>``;
- nothing else: ``read_all_orders`` only widens what ``read_orders`` (or ``write_orders``)
  reads past the last 60 days of orders; it grants neither.

A requirement is one scope, or several of which any one will do
(:func:`shopsync.streams.scopes.any_of`): Shopify's
schemas grant a fulfillment order to ``read_assigned_fulfillment_orders``,
``read_merchant_managed_fulfillment_orders`` or ``read_third_party_fulfillment_orders``, each
app holding the one that fits how it fulfills.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from shopsync.streams.scopes import options

from .client import ShopifyClient
from .errors import FatalError
from .queries import load as load_query

DOCUMENT = "access_scopes"
_WRITE = re.compile(r"(unauthenticated_)?write_(.+)")


class AccessScopesError(FatalError):
    """The granted scopes could not be read: the run fails rather than skip every stream."""


def implied_scopes(granted: Iterable[str]) -> frozenset[str]:
    """``granted`` and every scope it implies (see the module docstring)."""
    out = set(granted)
    for scope in list(out):
        if (match := _WRITE.fullmatch(scope)) is not None:
            out.add(f"{match[1] or ''}read_{match[2]}")
    return frozenset(out)


def missing_scopes(needed: Iterable[str], granted: Iterable[str]) -> tuple[str, ...]:
    """The requirements of ``needed`` that nothing ``granted`` holds or implies, sorted."""
    held = implied_scopes(granted)
    return tuple(sorted(r for r in set(needed) if held.isdisjoint(options(r))))


def read_access_scopes(client: ShopifyClient) -> frozenset[str]:
    """The handles the store granted the app; :class:`AccessScopesError` when the query
    fails or its answer is not a non-empty list of handles (an empty list would skip
    every stream without a word)."""
    try:
        data = client.execute(load_query(DOCUMENT), shape=DOCUMENT).data
    except Exception as exc:
        # The client's errors name the shop; their type says what went wrong (a 401, ...).
        raise AccessScopesError(f"{type(exc).__name__}: {exc}") from exc
    handles = _handles(data)
    if not handles:
        raise AccessScopesError(
            f"{client.shop}: currentAppInstallation.accessScopes came back empty or malformed"
        )
    return handles


def _handles(data: dict[str, Any]) -> frozenset[str]:
    installation = data.get("currentAppInstallation")
    scopes = installation.get("accessScopes") if isinstance(installation, dict) else None
    if not isinstance(scopes, list):
        return frozenset()
    handles = [s.get("handle") if isinstance(s, dict) else None for s in scopes]
    if not all(isinstance(h, str) and h for h in handles):
        return frozenset()
    return frozenset(str(h) for h in handles)
