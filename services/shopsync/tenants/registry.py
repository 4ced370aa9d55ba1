"""The set of valid tenants: the single source for the scheduler, Terraform, RLS and the demo."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from shopsync.tenants.models import Tenant

_MAX_LISTED = 10


class UnknownTenantError(LookupError):
    """No tenant has this exact id (ids are matched exactly, never by prefix)."""

    def __init__(self, tenant_id: str, known: Iterable[str]) -> None:
        self.tenant_id = tenant_id
        known_ids = sorted(known)
        self.suggestions: tuple[str, ...] = tuple(
            difflib.get_close_matches(tenant_id, known_ids, n=3, cutoff=0.6)
        )
        if self.suggestions:
            hint = f"did you mean {', '.join(self.suggestions)}?"
        elif not known_ids:
            hint = "there are no tenants"
        else:
            shown = ", ".join(known_ids[:_MAX_LISTED])
            more = (
                f" (and {len(known_ids) - _MAX_LISTED} more)"
                if len(known_ids) > _MAX_LISTED
                else ""
            )
            hint = f"known tenants: {shown}{more}"
        super().__init__(f"unknown tenant {tenant_id!r}; {hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class Registry:
    """An immutable, validated set of tenants, sorted by id."""

    __slots__ = ("_by_id", "_tenants")

    def __init__(self, tenants: Iterable[Tenant]) -> None:
        ordered = tuple(sorted(tenants, key=lambda t: t.id))
        by_id = {t.id: t for t in ordered}
        if len(by_id) != len(ordered):
            raise ValueError("duplicate tenant ids")  # load_registry reports these per file
        self._tenants = ordered
        self._by_id = by_id

    @property
    def tenants(self) -> tuple[Tenant, ...]:
        return self._tenants

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def get(self, tenant_id: str) -> Tenant:
        """The tenant with exactly this id; :class:`UnknownTenantError` lists close matches."""
        try:
            return self._by_id[tenant_id]
        except KeyError:
            raise UnknownTenantError(tenant_id, self._by_id) from None

    def enabled(self) -> tuple[Tenant, ...]:
        return tuple(t for t in self._tenants if t.enabled)

    def by_shop(self, shop: str) -> Tenant | None:
        return next((t for t in self._tenants if t.shop == shop), None)

    def __contains__(self, tenant_id: object) -> bool:
        return isinstance(tenant_id, str) and tenant_id in self._by_id

    def __iter__(self) -> Iterator[Tenant]:
        return iter(self._tenants)

    def __len__(self) -> int:
        return len(self._tenants)

    def __repr__(self) -> str:
        return f"Registry({len(self)} tenants: {', '.join(self._by_id)})"
