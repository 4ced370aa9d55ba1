"""The one way a test (or a benchmark) builds a :class:`ShopifyClient`.

Quiet and deterministic by default: a fresh cost bucket, no sleeping, a seeded RNG and two
attempts without jitter. Any :class:`ShopifyClient` argument can be overridden by keyword.
"""

from __future__ import annotations

import random
from typing import Any

import requests

from shopsync.shopify import (
    CostBucket,
    Credentials,
    RetryPolicy,
    ShopifyClient,
    TokenProvider,
    make_session,
)

SHOP = "acme.myshopify.com"
TOKEN = "shpat_not_a_real_token_0123456789"


class StaticSecrets:
    """Hands out ``tokens`` in turn, then the last one for good; records each call's refresh."""

    def __init__(self, *tokens: str) -> None:
        self.tokens = list(tokens or (TOKEN,))
        self.calls: list[bool] = []

    def credentials(
        self, tenant_id: str, secret_name: str, *, refresh: bool = False
    ) -> Credentials:
        self.calls.append(refresh)
        token = self.tokens.pop(0) if len(self.tokens) > 1 else self.tokens[0]
        return Credentials.model_validate({"access_token": token})


def make_client(
    session: requests.Session | None = None,
    *,
    tenant_id: str = "acme",
    shop: str | None = None,
    secrets: StaticSecrets | None = None,
    api_version: str = "2026-10",
    **overrides: Any,
) -> ShopifyClient:
    """A client for ``tenant_id``'s shop (``<tenant_id>.myshopify.com`` unless given) over
    ``session`` (a new one unless given), its token from ``secrets`` (:data:`TOKEN`)."""
    session = session or make_session()
    shop = shop or f"{tenant_id.replace('_', '-')}.myshopify.com"
    tokens = TokenProvider(
        tenant_id=tenant_id,
        secret_name=f"shopsync/tenants/{tenant_id}",
        secrets=secrets or StaticSecrets(),
        token_url=f"https://{shop}/admin/oauth/access_token",
        session=session,
    )
    quiet: dict[str, Any] = {
        "bucket": CostBucket(),
        "sleep": lambda _seconds: None,
        "rng": random.Random(1),
        "retry": RetryPolicy(max_attempts=2, jitter=0),
    }
    return ShopifyClient(
        shop=shop,
        api_version=api_version,
        tokens=tokens,
        session=session,
        **(quiet | overrides),
    )
