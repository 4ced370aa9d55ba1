"""The record builders: one method per kind, each a pure function of (seed, index)."""

from __future__ import annotations

from shopsync_simulator.store.generate import (
    CITIES,
    FINANCIAL,
    FIRST,
    LAST,
    TAGS,
    TYPES,
    VENDORS,
    Generator,
    iso,
)
from shopsync_simulator.store.ids import gid, numeric_id
from shopsync_simulator.store.money import Bag, money
from shopsync_simulator.store.order_record import LineRecord, OrderRecord, Pending
from shopsync_simulator.store.table import Record

STATUSES = ("ACTIVE",) * 10 + ("DRAFT", "DRAFT", "ARCHIVED")
#: An order's tags: most have none.
ORDER_TAGS: tuple[list[str], ...] = ([],) * 6 + (["gift"], ["wholesale"], ["gift", "vip"])


class RecordFactory(Generator):
    def product(self, p: int) -> Record:
        h = self.h(1, p)
        title = self.product_title(p)
        status = STATUSES[(h >> 24) % len(STATUSES)]
        created = self.product_created(p)
        sizes = [self.size_name(k) for k in range(self.n_variants_per)]
        rec: Record = {
            "title": title,
            "handle": title.lower().replace(" ", "-"),
            "status": status,
            "vendor": VENDORS[(h >> 32) % len(VENDORS)],
            "productType": TYPES[(h >> 40) % len(TYPES)],
            "tags": sorted(
                {TAGS[(h >> s) % len(TAGS)] for s in range(44, 44 + 4 * ((h >> 52) % 4), 4)}
            ),
            "descriptionHtml": f"<p>{title}, made to last.</p>",
            "description": f"{title}, made to last.",
            "publishedAt": iso(created) if status == "ACTIVE" else None,
            "isGiftCard": False,
            "tracksInventory": True,
            "hasOnlyDefaultVariant": self.n_variants_per == 1,
            "variantsCount": {"count": self.n_variants_per, "precision": "EXACT"},
            "options": [
                {
                    "__typename": "ProductOption",
                    "id": gid("ProductOption", p),
                    "name": "Size",
                    "position": 1,
                    "values": sizes,
                    "optionValues": [{"name": s, "hasVariants": True} for s in sizes],
                }
            ],
        }
        return self._stamp(rec, "Product", p, created, self.product_updated(p))

    def variant(self, j: int) -> Record:
        p, k = divmod(j, self.n_variants_per)
        h = self.h(2, j)
        price = self.variant_price_cents(j)
        size = self.size_name(k)
        sku = self.sku(j)
        rec: Record = {
            "_p": p,
            "title": size,
            "displayName": f"{self.product_title(p)} - {size}",
            "sku": sku,
            "barcode": f"{(self.seed + j) % 10**12:012d}",
            "price": money(price),
            "compareAtPrice": money(price + price // 4) if h % 5 == 0 else None,
            "position": k + 1,
            "taxable": True,
            "availableForSale": True,
            "inventoryPolicy": "DENY",
            "selectedOptions": [{"name": "Size", "value": size}],
        }
        return self._stamp(
            rec, "ProductVariant", j, self.variant_created(j), self.variant_updated(j)
        )

    def inventory_item(self, j: int) -> Record:
        cost = self.variant_price_cents(j) * 45 // 100
        rec: Record = {
            "_v": j,
            "sku": self.sku(j),
            "tracked": True,
            "requiresShipping": True,
            "countryCodeOfOrigin": "US",
            "harmonizedSystemCode": None,
            "unitCost": {"amount": money(cost), "currencyCode": self.currency},
        }
        return self._stamp(
            rec, "InventoryItem", j, self.variant_created(j), self.variant_updated(j)
        )

    def inventory_level(self, k: int) -> Record:
        j, loc = divmod(k, self.n_locations)
        rec: Record = {"_item": j, "_loc": loc, "_q": self.quantities(k), "canDeactivate": True}
        self._stamp(rec, "InventoryLevel", k, self.level_created(k), self.level_updated(k))
        rec["id"] += f"?inventory_item_id={numeric_id('InventoryItem', j)}"
        return rec

    def location(self, i: int) -> Record:
        city, country, province = CITIES[i % len(CITIES)]
        name = f"{city} Warehouse" + (f" {i // len(CITIES) + 1}" if i >= len(CITIES) else "")
        rec: Record = {
            "name": name,
            "isActive": True,
            "isPrimary": i == 0,
            "fulfillsOnlineOrders": True,
            "shipsInventory": True,
            "hasActiveInventory": True,
            "isFulfillmentService": False,
            "activatable": False,
            "deactivatable": i != 0,
            "deletable": False,
            "addressVerified": True,
            "hasUnfulfilledOrders": False,
            "deactivatedAt": None,
            "address": {
                "address1": f"{100 + i} Commerce Way",
                "address2": None,
                "city": city,
                "countryCode": country,
                "provinceCode": province,
                "zip": f"{10000 + i * 7}",
                "phone": None,
                "formatted": [f"{100 + i} Commerce Way", city, country],
            },
        }
        return self._stamp(rec, "Location", i, self.location_created(i), self.location_updated(i))

    def customer_name(self, c: int) -> tuple[str, str]:
        h = self.h(4, c)
        return FIRST[h % len(FIRST)], LAST[(h >> 8) % len(LAST)]

    def customer_email(self, c: int) -> str:
        first, last = self.customer_name(c)
        return f"{first}.{last}.{c + 1}@example.com".lower()

    def customer(self, c: int) -> Record:
        h = self.h(4, c)
        first, last = self.customer_name(c)
        email = self.customer_email(c)
        orders = (h >> 16) % 8
        rec: Record = {
            "firstName": first,
            "lastName": last,
            "displayName": f"{first} {last}",
            "email": email,
            "phone": None,
            "defaultEmailAddress": {
                "emailAddress": email,
                "marketingState": "SUBSCRIBED" if (h >> 24) % 3 == 0 else "NOT_SUBSCRIBED",
                "marketingOptInLevel": "SINGLE_OPT_IN",
                "marketingUpdatedAt": None,
            },
            "defaultPhoneNumber": None,
            "state": "ENABLED" if (h >> 28) % 6 else "DISABLED",
            "verifiedEmail": True,
            "taxExempt": False,
            "tags": ["vip"] if (h >> 32) % 10 == 0 else [],
            "note": None,
            "locale": "en",
            "numberOfOrders": str(orders),
            "amountSpent": {
                "amount": money(orders * ((h >> 36) % 9000 + 1000)),
                "currencyCode": self.currency,
            },
        }
        return self._stamp(rec, "Customer", c, self.customer_created(c), self.customer_updated(c))

    def order(self, o: int) -> Record:
        h = self.h(5, o)
        customer = None
        if self.n_customers and (h >> 4) % 10:
            customer = (h >> 8) % self.n_customers
        lines = []
        if self.n_variants:
            for j in range(1 + h % self.max_lines):
                hj = self.h(6, o * self.max_lines + j)
                lines.append((hj % self.n_variants, 1 + (hj >> 32) % 3))
        created = self.order_created(o)
        return self.build_order(o, created, self.order_updated(o), customer, lines, h)

    def build_order(
        self,
        o: int,
        created: int,
        updated: int,
        customer: int | None,
        lines: list[tuple[int, int]],
        h: int,
        prices: list[int] | None = None,
    ) -> Record:
        """An order from its customer and ``(variant index, quantity)`` lines; its money ledger
        (:mod:`~shopsync_simulator.store.orders`) is built on first read
        (:mod:`~shopsync_simulator.store.order_record`). A base order (``prices`` None) also
        gets its history; a new one (activity) is paid by a sale and not yet fulfilled."""
        eur = (h >> 20) % 4 == 0
        alt, alt_rate = ("EUR", 92) if self.currency != "EUR" else ("USD", 108)
        cur, rate = (alt, alt_rate) if eur else (self.currency, 100)
        line_recs: list[LineRecord] = []
        for j, (v, qty) in enumerate(lines):
            price = self.variant_price_cents(v) if prices is None else prices[j]
            p, k = divmod(v, self.n_variants_per)
            title = self.product_title(p)
            unit = Bag.convert(price, self.currency, cur, rate)
            line_recs.append(
                LineRecord(
                    {
                        "__typename": "LineItem",
                        "_v": v,
                        "_p": p,
                        "_unit": unit,
                        "id": gid("LineItem", o * self.max_lines + j),
                        "title": title,
                        "name": f"{title} - {self.size_name(k)}",
                        "variantTitle": self.size_name(k),
                        "sku": self.sku(v),
                        "vendor": VENDORS[(self.h(1, p) >> 32) % len(VENDORS)],
                        "quantity": qty,
                        "requiresShipping": True,
                        "taxable": True,
                        "isGiftCard": False,
                        "originalUnitPriceSet": unit,
                    }
                )
            )
        rec = OrderRecord(
            {
                "_cust": customer,
                "_lines": line_recs,
                "name": f"#{1001 + o}",
                # The customer's, as Shopify copies it onto the order (none without one).
                "email": None if customer is None else self.customer_email(customer),
                "phone": None,
                "processedAt": iso(created),
                "cancelledAt": None,
                "cancelReason": None,
                "confirmed": True,
                "test": False,
                "currencyCode": self.currency,
                "presentmentCurrencyCode": cur,
                "tags": list(ORDER_TAGS[(h >> 50) % len(ORDER_TAGS)]),
                "note": None,
            }
        )
        for line in line_recs:
            line.order = rec
        self._stamp(rec, "Order", o, created, updated)
        financial = FINANCIAL[(h >> 32) % len(FINANCIAL)] if prices is None else None
        rec.lazy = Pending(self.h(8, o), rate, financial, (h >> 40) % 3 != 0, self.n_locations)
        return rec
