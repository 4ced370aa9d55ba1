"""Records in Shopify's REST representation: numeric ids, snake_case, admin_graphql_api_id."""

from __future__ import annotations

from typing import Any

from shopsync_simulator.store.ids import numeric_id
from shopsync_simulator.store.store import Store
from shopsync_simulator.store.table import Record

Rest = dict[str, Any]


def ts(value: str | None) -> str | None:
    """REST timestamps carry the shop's offset (UTC here): ``2024-01-01T00:00:00+00:00``."""
    return None if value is None else value.replace("Z", "+00:00")


def _money_set(bag: dict[str, Any]) -> Rest:
    return {
        "shop_money": {
            "amount": bag["shopMoney"]["amount"],
            "currency_code": bag["shopMoney"]["currencyCode"],
        },
        "presentment_money": {
            "amount": bag["presentmentMoney"]["amount"],
            "currency_code": bag["presentmentMoney"]["currencyCode"],
        },
    }


def variant(store: Store, v: Record) -> Rest:
    options = [o["value"] for o in v["selectedOptions"]]
    return {
        "id": v["_n"],
        "product_id": numeric_id("Product", v["_p"]),
        "title": v["title"],
        "price": v["price"],
        "compare_at_price": v["compareAtPrice"],
        "sku": v["sku"],
        "barcode": v["barcode"],
        "position": v["position"],
        "inventory_policy": v["inventoryPolicy"].lower(),
        "option1": options[0] if options else None,
        "option2": None,
        "option3": None,
        "taxable": v["taxable"],
        "inventory_item_id": numeric_id("InventoryItem", v["_i"]),
        "inventory_quantity": sum(lv["_q"]["available"] for lv in store.levels_of(v["_i"])),
        "created_at": ts(v["createdAt"]),
        "updated_at": ts(v["updatedAt"]),
        "admin_graphql_api_id": v["id"],
    }


def product(store: Store, p: Record) -> Rest:
    return {
        "id": p["_n"],
        "title": p["title"],
        "body_html": p["descriptionHtml"],
        "vendor": p["vendor"],
        "product_type": p["productType"],
        "handle": p["handle"],
        "status": p["status"].lower(),
        "tags": ", ".join(p["tags"]),
        "published_scope": "web",
        "template_suffix": None,
        "created_at": ts(p["createdAt"]),
        "updated_at": ts(p["updatedAt"]),
        "published_at": ts(p["publishedAt"]),
        "variants": [variant(store, v) for v in store.variants_of(p["_i"])],
        "options": [
            {
                "id": int(o["id"].rsplit("/", 1)[1]),
                "product_id": p["_n"],
                "name": o["name"],
                "position": o["position"],
                "values": o["values"],
            }
            for o in p["options"]
        ],
        "images": [],
        "image": None,
        "admin_graphql_api_id": p["id"],
    }


def customer(_: Store, c: Record) -> Rest:
    return {
        "id": c["_n"],
        "email": c["email"],
        "first_name": c["firstName"],
        "last_name": c["lastName"],
        "phone": c["phone"],
        "state": c["state"].lower(),
        "verified_email": c["verifiedEmail"],
        "tax_exempt": c["taxExempt"],
        "tags": ", ".join(c["tags"]),
        "orders_count": int(c["numberOfOrders"]),
        "total_spent": c["amountSpent"]["amount"],
        "currency": c["amountSpent"]["currencyCode"],
        "note": c["note"],
        "created_at": ts(c["createdAt"]),
        "updated_at": ts(c["updatedAt"]),
        "email_marketing_consent": {
            "state": c["defaultEmailAddress"]["marketingState"].lower(),
            "opt_in_level": c["defaultEmailAddress"]["marketingOptInLevel"].lower(),
            "consent_updated_at": None,
        },
        "admin_graphql_api_id": c["id"],
    }


def order(store: Store, o: Record) -> Rest:
    cust = store.customers.get(o["_cust"]) if o["_cust"] is not None else None
    fulfilled = o["displayFulfillmentStatus"] == "FULFILLED"
    return {
        "id": o["_n"],
        "name": o["name"],
        "order_number": int(o["name"].lstrip("#")),
        "email": cust["email"] if cust else o["email"],
        "created_at": ts(o["createdAt"]),
        "updated_at": ts(o["updatedAt"]),
        "processed_at": ts(o["processedAt"]),
        "cancelled_at": ts(o["cancelledAt"]),
        "closed_at": ts(o["closedAt"]),
        "currency": o["currencyCode"],
        "presentment_currency": o["presentmentCurrencyCode"],
        "financial_status": o["displayFinancialStatus"].lower(),
        "fulfillment_status": "fulfilled" if fulfilled else None,
        "test": o["test"],
        "tags": ", ".join(o["tags"]),
        "subtotal_price": o["subtotalPriceSet"]["shopMoney"]["amount"],
        "total_tax": o["totalTaxSet"]["shopMoney"]["amount"],
        "total_discounts": o["totalDiscountsSet"]["shopMoney"]["amount"],
        "total_price": o["totalPriceSet"]["shopMoney"]["amount"],
        "total_price_set": _money_set(o["totalPriceSet"]),
        "subtotal_price_set": _money_set(o["subtotalPriceSet"]),
        "total_tax_set": _money_set(o["totalTaxSet"]),
        "customer": customer(store, cust) if cust else None,
        "line_items": [
            {
                "id": int(line["id"].rsplit("/", 1)[1]),
                "variant_id": numeric_id("ProductVariant", line["_v"]),
                "product_id": numeric_id("Product", line["_p"]),
                "title": line["title"],
                "name": line["name"],
                "variant_title": line["variantTitle"],
                "sku": line["sku"],
                "vendor": line["vendor"],
                "quantity": line["quantity"],
                "price": line["originalUnitPriceSet"]["shopMoney"]["amount"],
                "price_set": _money_set(line["originalUnitPriceSet"]),
                "taxable": line["taxable"],
                "admin_graphql_api_id": line["id"],
            }
            for line in o["_lines"]
        ],
        "admin_graphql_api_id": o["id"],
    }


def location(_: Store, loc: Record) -> Rest:
    address = loc["address"]
    return {
        "id": loc["_n"],
        "name": loc["name"],
        "address1": address["address1"],
        "address2": address["address2"],
        "city": address["city"],
        "zip": address["zip"],
        "province_code": address["provinceCode"],
        "country_code": address["countryCode"],
        "phone": address["phone"],
        "active": loc["isActive"],
        "legacy": False,
        "created_at": ts(loc["createdAt"]),
        "updated_at": ts(loc["updatedAt"]),
        "admin_graphql_api_id": loc["id"],
    }


def event(_: Store, e: Record) -> Rest:
    subject = e["subjectId"].rsplit("/", 1)
    return {
        "id": e["_n"],
        "subject_id": int(subject[1]),
        "subject_type": subject[0].rsplit("/", 1)[1],
        "verb": e["action"],
        "message": e["message"],
        "description": e["message"],
        "body": None,
        "arguments": e["arguments"],
        "author": "Shopify",
        "path": None,
        "created_at": ts(e["createdAt"]),
    }


def shop(store: Store) -> Rest:
    s = store.shop_record()
    spec = store.spec
    return {
        "id": int(s["id"].rsplit("/", 1)[1]),
        "name": s["name"],
        "email": s["email"],
        "domain": spec.shop,
        "myshopify_domain": spec.shop,
        "currency": s["currencyCode"],
        "enabled_presentment_currencies": s["enabledPresentmentCurrencies"],
        "iana_timezone": s["ianaTimezone"],
        "timezone": "(GMT+00:00) UTC",
        "plan_name": spec.plan,
        "plan_display_name": s["plan"]["displayName"],
        "weight_unit": "kg",
        "created_at": ts(s["createdAt"]),
        "updated_at": ts(s["updatedAt"]),
    }
