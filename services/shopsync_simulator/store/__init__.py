"""The simulated store: deterministic base records plus an overlay of changes."""

from shopsync_simulator.store.config import ShopSpec, StoreSize
from shopsync_simulator.store.ids import gid, parse_gid
from shopsync_simulator.store.store import Store
from shopsync_simulator.store.table import Record, Table

__all__ = ["Record", "ShopSpec", "Store", "StoreSize", "Table", "gid", "parse_gid"]
