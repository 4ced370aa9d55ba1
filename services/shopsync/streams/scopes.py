"""Access-scope requirements as streams declare them: one scope, or several of which any one
will do (``read_assigned_fulfillment_orders|read_merchant_managed_fulfillment_orders|...``).

Plain strings, so a manifest, the warehouse's skipped-stream rows and ``shopsync status`` carry
a requirement as it was declared; :func:`describe` is how people read it.
"""

from __future__ import annotations

_ANY = "|"


def any_of(*scopes: str) -> str:
    """A requirement met by any one of ``scopes``."""
    if len(scopes) < 2 or any(not s or _ANY in s for s in scopes):
        raise ValueError(f"any_of needs two or more scope handles, got {scopes!r}")
    return _ANY.join(scopes)


def options(requirement: str) -> tuple[str, ...]:
    """The scopes any one of which meets ``requirement``."""
    return tuple(requirement.split(_ANY))


def describe(requirement: str) -> str:
    """``read_orders``, or ``read_a or read_b`` for a requirement any of several meets."""
    return " or ".join(options(requirement))
