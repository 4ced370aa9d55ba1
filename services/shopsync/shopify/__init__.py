"""Shopify Admin GraphQL: client, cost pacing, typed errors, credentials, query documents."""

from .auth import AwsSecrets, Credentials, LocalSecrets, SecretSource, TokenProvider
from .client import ClientStats, GraphQLResult, RetryPolicy, ShopifyClient, make_session
from .errors import FatalError, RetriableError, ShopifyError
from .pacing import CostBucket, CostInfo

__all__ = [
    "AwsSecrets",
    "ClientStats",
    "CostBucket",
    "CostInfo",
    "Credentials",
    "FatalError",
    "GraphQLResult",
    "LocalSecrets",
    "RetriableError",
    "RetryPolicy",
    "SecretSource",
    "ShopifyClient",
    "ShopifyError",
    "TokenProvider",
    "make_session",
]
