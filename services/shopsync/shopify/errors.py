"""Typed Shopify errors: retriable ones are retried by the client, fatal ones end the run.

Messages name the shop and the HTTP status or GraphQL code; never a token, header or URL query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class ShopifyError(Exception):
    """Base class; ``retriable`` says whether the client retries it."""

    retriable = False

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RetriableError(ShopifyError):
    retriable = True


class ThrottledError(RetriableError):
    """GraphQL ``THROTTLED`` (HTTP 200) or HTTP 429: wait for the bucket to refill."""


class ServerError(RetriableError):
    """HTTP 5xx."""


class TransportError(RetriableError):
    """Connection error, timeout, or a truncated / unparsable body."""


class MaxCostExceededError(ShopifyError):
    """``MAX_COST_EXCEEDED``: the query is too expensive; the pager halves the page size."""


class FatalError(ShopifyError):
    """Ends the tenant's run; the cursor does not move."""


class UnauthorizedError(FatalError):
    """HTTP 401 after one credential refresh."""


class PaymentRequiredError(FatalError):
    """HTTP 402: the store is frozen (unpaid)."""


class ForbiddenError(FatalError):
    """HTTP 403 or ``ACCESS_DENIED``: the token lacks a scope."""


class NotFoundError(FatalError):
    """HTTP 404: no such shop (or API version path)."""


class LockedError(FatalError):
    """HTTP 423: the shop is locked."""


class HttpError(FatalError):
    """Any other unexpected HTTP status."""


class QueryError(FatalError):
    """GraphQL errors that retrying cannot fix (validation, unknown field, bad argument)."""


class PaginationLoopError(FatalError):
    """The same page cursor came back twice."""


class AuthConfigError(FatalError):
    """The tenant's secret is missing or malformed."""


_FATAL_STATUS: dict[int, tuple[type[FatalError], str]] = {
    401: (UnauthorizedError, "unauthorized: the access token was rejected"),
    402: (PaymentRequiredError, "payment required: the store is frozen"),
    403: (ForbiddenError, "forbidden: the token lacks an access scope"),
    404: (NotFoundError, "not found: no such shop or API version"),
    423: (LockedError, "locked: the shop is locked"),
}


def parse_retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(seconds, 0.0)


def error_for_status(shop: str, status: int, headers: Mapping[str, str]) -> ShopifyError | None:
    """The error for a non-200 HTTP status, or ``None`` for 200."""
    if status == 200:
        return None
    if status == 429:
        retry_after = parse_retry_after(headers.get("Retry-After"))
        return ThrottledError(f"{shop}: HTTP 429 too many requests", retry_after=retry_after)
    if status >= 500:
        return ServerError(f"{shop}: HTTP {status} server error")
    if status in _FATAL_STATUS:
        kind, text = _FATAL_STATUS[status]
        return kind(f"{shop}: HTTP {status} {text}")
    return HttpError(f"{shop}: unexpected HTTP {status}")


def error_for_graphql(shop: str, errors: Sequence[Any]) -> ShopifyError:
    """The error for a response's top-level ``errors`` list."""
    codes: list[str] = []
    messages: list[str] = []
    for error in errors:
        if isinstance(error, Mapping):
            ext = error.get("extensions")
            code = ext.get("code") if isinstance(ext, Mapping) else None
            codes.append(str(code) if code else "")
            messages.append(str(error.get("message", ""))[:300])
        else:
            codes.append("")
            messages.append(str(error)[:300])
    summary = "; ".join(m for m in messages if m) or "unknown GraphQL error"
    if "THROTTLED" in codes:
        return ThrottledError(f"{shop}: throttled")
    if "MAX_COST_EXCEEDED" in codes:
        return MaxCostExceededError(f"{shop}: query cost exceeds the maximum: {summary}")
    if "ACCESS_DENIED" in codes:
        return ForbiddenError(f"{shop}: access denied: {summary}")
    if "INTERNAL_SERVER_ERROR" in codes:
        return ServerError(f"{shop}: internal server error: {summary}")
    return QueryError(f"{shop}: GraphQL error: {summary}")
