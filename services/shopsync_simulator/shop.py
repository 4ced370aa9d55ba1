"""One tenant's shop inside the simulator: its store, buckets, token, bulk operations, faults.

The server (:mod:`shopsync_simulator.server`) builds one per tenant and routes requests to it;
the control endpoint (:mod:`shopsync_simulator.control`) reads and changes it (activity,
faults, the granted access scopes).
"""

from __future__ import annotations

from dataclasses import dataclass

from shopsync_simulator.bulk.runner import BulkManager
from shopsync_simulator.faults import FaultInjector
from shopsync_simulator.graphql.bucket import LeakyBucket
from shopsync_simulator.graphql.schema import DEFAULT_SCOPES
from shopsync_simulator.store.config import ShopSpec
from shopsync_simulator.store.store import Store


@dataclass
class ShopRuntime:
    spec: ShopSpec
    store: Store
    bucket: LeakyBucket
    token: str
    bulks: BulkManager
    rest_bucket: LeakyBucket
    faults: FaultInjector
    #: What the shop granted the app's token (``SimulatorOptions.scopes``, or :meth:`grant`):
    #: GraphQL, bulk operations and REST all check it; ``currentAppInstallation`` lists it.
    scopes: frozenset[str] = DEFAULT_SCOPES
    requests: int = 0

    def grant(self, scopes: frozenset[str]) -> None:
        """Change what the token may read, as a merchant approving or revoking scopes does."""
        self.scopes = scopes
        self.bulks._scopes = scopes  # bulk operations started from now on check these
