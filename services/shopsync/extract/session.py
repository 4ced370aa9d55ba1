"""The per-store objects of one run: an HTTP session, credentials, a cost bucket, a client."""

from __future__ import annotations

from dataclasses import dataclass

from shopsync.settings import Settings
from shopsync.shopify import (
    CostBucket,
    RetryPolicy,
    SecretSource,
    ShopifyClient,
    TokenProvider,
    make_session,
)
from shopsync.shopify.client import base_url_for, token_url
from shopsync.tenants import Tenant

from .config import IngestionConfig


@dataclass
class StoreSession:
    client: ShopifyClient
    api_version: str

    def close(self) -> None:
        self.client.session.close()


def open_store_session(
    tenant: Tenant,
    settings: Settings,
    config: IngestionConfig,
    secrets: SecretSource,
) -> StoreSession:
    """Open the tenant's session, its client reading credentials from ``secrets``."""
    api_version = tenant.api_version_or(settings.default_api_version)
    session = make_session(pool_size=config.ingest_concurrency * 2)
    base = base_url_for(config.shopify_base_url, tenant.shop)
    timeout = (config.shopify_connect_timeout, config.shopify_read_timeout)
    tokens = TokenProvider(
        tenant_id=tenant.id,
        secret_name=tenant.secret_name,
        secrets=secrets,
        token_url=token_url(base),
        session=session,
        timeout=timeout,
    )
    client = ShopifyClient(
        shop=tenant.shop,
        api_version=api_version,
        tokens=tokens,
        session=session,
        base_url=config.shopify_base_url,
        bucket=CostBucket(str(tenant.plan.value)),
        timeout=timeout,
        retry=RetryPolicy(
            max_attempts=config.shopify_max_attempts, max_seconds=config.shopify_max_retry_seconds
        ),
    )
    return StoreSession(client=client, api_version=api_version)
