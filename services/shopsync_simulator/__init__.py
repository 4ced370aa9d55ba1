"""The Shopify Admin API simulator: the local Shopify that the demo, tests and benchmarks use.

- :class:`Simulator` / :func:`running_simulator`: the HTTP server over every tenant's shop.
- :class:`Store` (``store.activity``): the deterministic store and the changes made to it.
- :mod:`shopsync_simulator.truth`: the live records per stream (ground truth).
"""

from shopsync_simulator.running import running_simulator
from shopsync_simulator.server import Simulator, SimulatorOptions
from shopsync_simulator.shop import ShopRuntime
from shopsync_simulator.store import ShopSpec, Store, StoreSize
from shopsync_simulator.store.clock import Clock

__all__ = [
    "Clock",
    "ShopRuntime",
    "ShopSpec",
    "Simulator",
    "SimulatorOptions",
    "Store",
    "StoreSize",
    "running_simulator",
]
