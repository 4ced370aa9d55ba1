"""Deterministic base records: record ``i`` of each kind is a pure function of (seed, i).

Base timestamps spread evenly over :data:`BASE_START`..:data:`BASE_END` and are monotonic in
``i`` (``createdAt`` in the first half, ``updatedAt`` half a span later), so ordering by
``UPDATED_AT`` or ``CREATED_AT`` over the base records is ordering by index.
"""

from __future__ import annotations

import time

from shopsync_simulator.store.config import ShopSpec
from shopsync_simulator.store.ids import gid, numeric_id
from shopsync_simulator.store.money import Bag
from shopsync_simulator.store.table import Record

BASE_START = 1_672_531_200  # 2023-01-01T00:00:00Z
BASE_END = 1_767_225_600  # 2026-01-01T00:00:00Z
HALF = (BASE_END - BASE_START) // 2
_M = 0xFFFFFFFFFFFFFFFF

ADJECTIVES = ("Classic", "Rugged", "Light", "Urban", "Alpine", "Coastal", "Vintage", "Swift")
MATERIALS = ("Cotton", "Wool", "Canvas", "Leather", "Bamboo", "Steel", "Linen", "Nylon")
NOUNS = ("Jacket", "Backpack", "Tent", "Mug", "Boots", "Hat", "Bottle", "Lantern", "Scarf")
VENDORS = ("Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark Goods", "Wayne & Co")
TYPES = ("Apparel", "Outdoor", "Kitchen", "Footwear", "Accessories")
TAGS = ("sale", "new", "bestseller", "eco", "limited", "gift")
SIZES = ("XS", "S", "M", "L", "XL", "XXL")
FIRST = ("Ada", "Ben", "Cleo", "Dev", "Eva", "Finn", "Gia", "Hugo", "Iris", "Jon", "Kai", "Lea")
LAST = ("Smith", "Garcia", "Chen", "Okafor", "Müller", "Rossi", "Novak", "Silva", "Kim")
CITIES = (("Portland", "US", "OR"), ("Toronto", "CA", "ON"), ("Berlin", "DE", "BE"))
FINANCIAL = ("PAID",) * 15 + ("PENDING", "PENDING", "REFUNDED", "PARTIALLY_REFUNDED", "AUTHORIZED")


def mix(x: int) -> int:
    """splitmix64 finaliser: a fast, well-spread 64-bit hash."""
    x = (x + 0x9E3779B97F4A7C15) & _M
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M
    return x ^ (x >> 31)


_DAYS: dict[int, str] = {}


def iso(ts: int) -> str:
    """``ts`` as Shopify's UTC ``DateTime``; the date part is formatted once per day (an order
    read formats a dozen timestamps)."""
    if type(ts) is not int or ts < 0:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
    day, sec = divmod(ts, 86_400)
    date = _DAYS.get(day)
    if date is None:
        if len(_DAYS) > 100_000:
            _DAYS.clear()
        date = _DAYS[day] = time.strftime("%Y-%m-%dT", time.gmtime(ts - sec))
    hour, rest = divmod(sec, 3600)
    return f"{date}{hour:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


class Generator:
    """Pure record generators for one shop (no state beyond the spec)."""

    def __init__(self, spec: ShopSpec) -> None:
        self.spec = spec
        self.seed = spec.effective_seed
        size = spec.size
        self.n_products = size.products
        self.n_variants_per = size.variants_per_product
        self.n_variants = size.products * size.variants_per_product
        self.n_locations = size.locations
        self.n_customers = size.customers
        self.n_orders = size.orders
        self.max_lines = size.max_line_items
        self.currency = spec.currency

    def h(self, salt: int, i: int) -> int:
        return mix(self.seed ^ (salt * 0x632BE59BD9B4E019) ^ ((i * 0x9E3779B97F4A7C15) & _M))

    # -- time --------------------------------------------------------------------------------
    @staticmethod
    def created_at(i: int, n: int) -> int:
        return BASE_START + (i * HALF) // max(n, 1)

    def product_created(self, i: int) -> int:
        return self.created_at(i, self.n_products)

    def product_updated(self, i: int) -> int:
        return self.product_created(i) + HALF

    def iso_updated(self, p: int) -> str:
        """``updatedAt`` of base product ``p`` (handy for building time windows)."""
        return iso(self.product_updated(p))

    def variant_created(self, j: int) -> int:
        return self.product_created(j // self.n_variants_per)

    def variant_updated(self, j: int) -> int:
        return self.product_updated(j // self.n_variants_per)

    def level_created(self, k: int) -> int:
        return self.variant_created(k // self.n_locations)

    def level_updated(self, k: int) -> int:
        return self.variant_updated(k // self.n_locations)

    def location_created(self, i: int) -> int:
        return BASE_START + i * 86_400

    def location_updated(self, i: int) -> int:
        return BASE_START + HALF + i * 86_400

    def customer_created(self, i: int) -> int:
        return self.created_at(i, self.n_customers)

    def customer_updated(self, i: int) -> int:
        return self.customer_created(i) + HALF

    def order_created(self, i: int) -> int:
        return self.created_at(i, self.n_orders)

    def order_updated(self, i: int) -> int:
        return self.order_created(i) + HALF

    # -- shared pieces ----------------------------------------------------------------------
    def _stamp(self, rec: Record, kind: str, i: int, created: int, updated: int) -> Record:
        number = numeric_id(kind, i)
        rec.update(
            __typename=kind,
            _i=i,
            _n=number,
            _c=created,
            _u=updated,
            id=gid(kind, i),
            legacyResourceId=str(number),
            createdAt=iso(created),
            updatedAt=iso(updated),
        )
        return rec

    def product_title(self, p: int) -> str:
        h = self.h(1, p)
        return f"{ADJECTIVES[h % 8]} {MATERIALS[(h >> 8) % 8]} {NOUNS[(h >> 16) % 9]} {p + 1}"

    def sku(self, j: int) -> str:
        p, k = divmod(j, self.n_variants_per)
        return f"SKU-{self.seed % 10_000:04d}-{p:07d}-{k}"

    def size_name(self, k: int) -> str:
        return SIZES[k] if k < len(SIZES) else f"Size {k + 1}"

    def variant_price_cents(self, j: int) -> int:
        base = 500 + self.h(1, j // self.n_variants_per) % 19_500
        return base + (j % self.n_variants_per) * 100

    def bag(self, cents: int, presentment: str, rate_pct: int) -> Bag:
        return Bag.convert(cents, self.currency, presentment, rate_pct)

    def quantities(self, k: int) -> dict[str, int]:
        h = self.h(7, k)
        available, committed, incoming = h % 60, (h >> 8) % 5, (h >> 16) % 3 * 10
        return {
            "available": available,
            "committed": committed,
            "incoming": incoming,
            "on_hand": available + committed,
            "reserved": 0,
            "damaged": 0,
            "safety_stock": 0,
            "quality_control": 0,
        }
