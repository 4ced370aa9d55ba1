"""What a simulated shop is: its identity, plan and size."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

Plan = Literal["standard", "advanced", "plus", "enterprise"]
PLANS: tuple[Plan, ...] = ("standard", "advanced", "plus", "enterprise")


@dataclass(frozen=True)
class StoreSize:
    """How many records the generated (base) store holds."""

    products: int = 40
    variants_per_product: int = 3
    locations: int = 3
    customers: int = 50
    orders: int = 80
    max_line_items: int = 4

    def __post_init__(self) -> None:
        for name in ("products", "customers", "orders"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if not 1 <= self.variants_per_product <= 100:
            raise ValueError("variants_per_product must be between 1 and 100")
        if not 1 <= self.locations <= 50:
            raise ValueError("locations must be between 1 and 50")
        if not 1 <= self.max_line_items <= 20:
            raise ValueError("max_line_items must be between 1 and 20")


@dataclass(frozen=True)
class ShopSpec:
    """One simulated shop. ``seed`` is derived from the shop domain unless given."""

    tenant_id: str
    shop: str
    plan: Plan = "standard"
    size: StoreSize = field(default_factory=StoreSize)
    seed: int | None = None
    currency: str = "USD"

    def __post_init__(self) -> None:
        if not self.shop.endswith(".myshopify.com"):
            raise ValueError(f"shop must end in .myshopify.com: {self.shop!r}")
        if self.plan not in PLANS:
            raise ValueError(f"unknown plan {self.plan!r}; expected one of {', '.join(PLANS)}")

    @property
    def effective_seed(self) -> int:
        if self.seed is not None:
            return self.seed & 0xFFFFFFFFFFFFFFFF
        digest = hashlib.sha256(self.shop.encode()).digest()
        return int.from_bytes(digest[:8], "big")

    @property
    def name(self) -> str:
        return self.shop.removesuffix(".myshopify.com")
