"""The generated store: deterministic, lazy (size costs no memory), and changed by activity."""

from __future__ import annotations

import pytest

from shopsync_simulator.store import ShopSpec, Store, StoreSize, gid, parse_gid
from shopsync_simulator.store.activity import UnknownRecordError
from shopsync_simulator.store.clock import Clock
from shopsync_simulator.store.generate import BASE_END
from shopsync_simulator.truth import public

NOW = 1_795_000_000  # 2026-11-18T11:06:40Z


def make(shop: str = "acme.myshopify.com", **size: int) -> Store:
    return Store(ShopSpec("acme", shop, size=StoreSize(**size)), Clock(start=NOW))


def test_same_shop_same_store_and_other_shop_differs() -> None:
    a, b, other = make(), make(), make("acme-corp.myshopify.com")
    for kind in ("Product", "ProductVariant", "Customer", "Order", "InventoryLevel"):
        assert list(a.tables[kind].iter_live()) == list(b.tables[kind].iter_live())
    assert [p["title"] for p in a.products.iter_live()] != [
        p["title"] for p in other.products.iter_live()
    ]


def test_explicit_seed_overrides_the_shop_name() -> None:
    x = Store(ShopSpec("x", "x.myshopify.com", seed=7))
    y = Store(ShopSpec("y", "y.myshopify.com", seed=7))
    assert x.products.get(3)["title"] == y.products.get(3)["title"]  # type: ignore[index]


def test_sizes_and_relations() -> None:
    store = make(products=5, variants_per_product=2, locations=4, customers=3, orders=6)
    assert store.live_counts() == {
        "products": 5,
        "product_variants": 10,
        "inventory_items": 10,
        "inventory_levels": 40,
        "locations": 4,
        "customers": 3,
        "orders": 6,
        "events": 0,
    }
    variants = store.variants_of(2)
    assert [v["_p"] for v in variants] == [2, 2]
    assert len(store.levels_of(variants[0]["_i"])) == 4
    for order in store.orders.iter_live():
        assert order["_lines"], "every base order has line items"
        for line in order["_lines"]:
            assert store.variants.get(line["_v"]) is not None
        if order["_cust"] is not None:
            assert store.customers.get(order["_cust"]) is not None
        bag = order["totalPriceSet"]
        assert set(bag) == {"shopMoney", "presentmentMoney"}
        assert bag["shopMoney"]["currencyCode"] == "USD"


def test_a_million_products_cost_nothing_until_read() -> None:
    store = make(products=1_000_000, customers=2_000_000, orders=3_000_000)
    last = store.products.get(999_999)
    assert last is not None
    assert last["id"] == gid("Product", 999_999)
    assert store.products.get(1_000_000) is None
    assert store.products.changed == {}


def test_base_timestamps_are_monotonic_and_before_the_clock() -> None:
    store = make(products=50)
    updated = [p["_u"] for p in store.products.iter_live()]
    assert updated == sorted(updated)
    assert max(updated) < BASE_END < NOW
    assert all(p["_c"] < p["_u"] for p in store.products.iter_live())


def test_gids_round_trip() -> None:
    assert parse_gid(gid("Order", 41)) == ("Order", 41)
    level = make().inventory_levels.get(4)
    assert level is not None
    assert parse_gid(level["id"]) == ("InventoryLevel", 4)
    assert parse_gid("gid://shopify/Nope/1") is None
    assert parse_gid("not a gid") is None


def test_price_update_stamps_variant_and_product() -> None:
    store = make()
    store.clock.advance(60)
    variant = store.activity.update_variant_price(4, "12.34")
    product = store.products.get(variant["_p"])
    assert variant["price"] == "12.34"
    assert variant["_u"] == product["_u"] == NOW + 60  # type: ignore[index]
    assert variant["updatedAt"] == "2026-11-18T11:07:40Z"
    assert store.factory.variant(4)["price"] != "12.34", "the base record is untouched"


def test_title_update_and_unknown_records() -> None:
    store = make(products=3)
    store.activity.update_product_title(gid("Product", 1), "Renamed")
    assert store.products.get(1)["title"] == "Renamed"  # type: ignore[index]
    with pytest.raises(UnknownRecordError):
        store.activity.update_product_title(99, "x")
    with pytest.raises(UnknownRecordError):
        store.activity.update_product_title(gid("Order", 1), "x")


def test_delete_product_removes_children_and_logs_destroy_event() -> None:
    store = make(products=4, variants_per_product=2, locations=2)
    event = store.activity.delete_product(1)
    assert store.products.get(1) is None
    assert store.variants.get(2) is None
    assert store.variants.get(3) is None
    assert store.inventory_items.get(2) is None
    assert store.inventory_levels.get(4) is None
    assert store.live_counts()["products"] == 3
    assert store.live_counts()["inventory_levels"] == 12
    assert event["action"] == "destroy"
    assert event["subjectId"] == gid("Product", 1)
    assert event["subjectType"] == "PRODUCT"
    with pytest.raises(UnknownRecordError):
        store.activity.delete_product(1)


def test_adjust_inventory_moves_quantities_and_stamps() -> None:
    store = make()
    before = dict(store.inventory_levels.get(store.level_index(3, 1))["_q"])  # type: ignore[index]
    item_before = dict(store.inventory_items.get(3))  # type: ignore[arg-type]
    level = store.activity.adjust_inventory(3, 1, 7)
    assert level["_q"]["available"] == before["available"] + 7
    assert level["_q"]["on_hand"] == before["on_hand"] + 7
    assert level["_u"] == NOW
    # Shopify does not modify the inventory item when a quantity changes.
    assert store.inventory_items.get(3) == item_before


def test_new_orders_and_customers_reference_live_records() -> None:
    store = make(products=3, customers=2, orders=2)
    customer = store.activity.create_customer("Zoe", "Park")
    assert customer["id"] == gid("Customer", 2)
    assert customer["numberOfOrders"] == "0"
    store.activity.delete_product(0)
    order = store.activity.create_order(customer=customer["id"])
    assert order["id"] == gid("Order", 2)
    assert order["_cust"] == 2
    assert store.customers.get(2)["numberOfOrders"] == "1"  # type: ignore[index]
    assert all(store.variants.get(line["_v"]) is not None for line in order["_lines"])
    explicit = store.activity.create_order(lines=[(gid("ProductVariant", 4), 2)])
    assert [(line["_v"], line["quantity"]) for line in explicit["_lines"]] == [(4, 2)]
    assert "lineItems" in public(explicit)
    assert "_lines" not in public(explicit)


def test_a_new_order_always_has_a_line_item_and_none_without_live_variants() -> None:
    # Its variants are drawn at random; with most of them deleted every draw may miss.
    store = make(products=3, variants_per_product=1, customers=1, orders=0)
    store.activity.delete_product(0)
    store.activity.delete_product(1)
    orders = [store.activity.create_order() for _ in range(20)]
    assert all({line["_v"] for line in order["_lines"]} == {2} for order in orders)
    store.activity.delete_product(2)
    with pytest.raises(UnknownRecordError, match="no live ProductVariant"):
        store.activity.create_order()
    # Random activity on a store with no product left skips the orders it cannot place.
    assert store.activity.random_activity(50, seed=4).get("order") is None


def test_random_activity_is_deterministic() -> None:
    a, b = make(), make()
    assert a.activity.random_activity(40, seed=3) == b.activity.random_activity(40, seed=3)
    assert list(a.products.iter_live()) == list(b.products.iter_live())
    assert list(a.orders.iter_live()) == list(b.orders.iter_live())


def test_clock_only_moves_forward() -> None:
    clock = Clock(start=NOW)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)
    assert clock.advance(10) == NOW + 10


@pytest.mark.parametrize(
    ("field", "value"),
    [("products", -1), ("variants_per_product", 0), ("locations", 0), ("max_line_items", 0)],
)
def test_store_size_is_validated(field: str, value: int) -> None:
    with pytest.raises(ValueError, match=field):
        StoreSize(**{field: value})


def test_shop_spec_is_validated() -> None:
    with pytest.raises(ValueError, match="myshopify"):
        ShopSpec("acme", "acme.example.com")
    with pytest.raises(ValueError, match="plan"):
        ShopSpec("acme", "acme.myshopify.com", plan="gold")  # type: ignore[arg-type]
