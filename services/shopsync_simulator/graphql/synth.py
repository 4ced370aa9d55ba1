"""Values for the fields a record does not carry, generated from the requested version's schema.

The simulator's records hold what carries business meaning (titles, prices, quantities, an
order's money, its history) and :data:`SEMANTIC` derives a few more from them (a product's
media and their count, an order's email and addresses from its customer, a customer's
addresses and marketing consent, a variant's presentment prices). Every other field resolves
here, from its type alone, so a query of any field of the version gets a value of the right
type and shape, the same on every request (a hash of the record's id and the field's path):

* a count is 0 with ``EXACT`` precision, a connection and a list are empty, money is zero
  (``MoneyV2`` in the shop's currency, ``MoneyBag`` in the shop's and the record's presentment
  currency): nothing generated here adds to a total, a count or a list the record does hold,
  so the record stays consistent with itself;
* an object is generated the same way, field by field as the query asks (an interface or a
  union as the first of its possible types);
* scalars by their Shopify type: ``ID`` a gid of the object's type, ``DateTime`` the record's
  own ``createdAt``, ``URL`` a URL of the shop, ``Boolean`` false, an enum its first value;
  strings say what they are (``email``, ``phone``, ``name``...);
* a nullable field is set too, but stays null where Shopify's would for an ordinary record:
  a lookup that takes a required argument (``metafield(namespace:, key:)``: nothing by that
  key) and a field that names an event the record has not had (:data:`NULL_UNLESS_HAPPENED`:
  ``cancelledAt``, ``closedAt``, ``deletedAt``, ...).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLUnionType,
)

from shopsync.shopify.cost import is_connection
from shopsync_simulator.graphql.nested import list_connection, store_of
from shopsync_simulator.store.ids import GID_PREFIX
from shopsync_simulator.store.money import money_v2

Info = GraphQLResolveInfo[Any]

#: A nullable field whose name says it happened (or failed, or ended) stays null unless the
#: record says so: an ordinary record was not cancelled, closed, deleted or refused.
NULL_UNLESS_HAPPENED = re.compile(
    r"(cancel|closed|delet|archiv|deactivat|disabled|expir|error|fail|dispute|unpublish|"
    r"suspend|revoked|retir|rejected|blocked|lastOrder|mergeable|redirect|returned)",
    re.IGNORECASE,
)
#: Keys every generated object carries: where its values come from.
SEED, AT, PRESENTMENT = "_seed", "_at", "_presentment"


def gid(kind: str, number: int) -> str:
    """A made-up object's global id (never one of the store's records: those are numbered
    from :data:`shopsync_simulator.store.ids.ID_BASE`, and these kinds are not theirs)."""
    return f"{GID_PREFIX}{kind}/{number}"


def _hash(*parts: str) -> int:
    digest = hashlib.blake2b("/".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _seed(source: dict[str, Any]) -> str:
    return str(source.get(SEED) or source.get("id") or source.get("__typename") or "")


def _at(source: dict[str, Any]) -> str:
    return str(source.get(AT) or source.get("createdAt") or "2026-01-01T00:00:00Z")


def _presentment(source: dict[str, Any], info: Info) -> str:
    found = source.get(PRESENTMENT) or source.get("presentmentCurrencyCode")
    return str(found or _shop_currency(info))


def _shop_currency(info: Info) -> str:
    return str(store_of(info).shop_record()["currencyCode"])


def _zero(currency: str) -> dict[str, Any]:
    return {"__typename": "MoneyV2", "amount": "0.0", "currencyCode": currency}


@dataclass(frozen=True)
class _Field:
    """A field being generated: its name, a number from its seed, its record, the request."""

    name: str
    n: int
    source: dict[str, Any]
    info: Info


#: A value for each of Shopify's scalar types (a string for any other).
SCALARS: dict[str, Callable[[_Field], Any]] = {
    "ID": lambda f: gid(str(f.source.get("__typename") or "Node"), f.n % 10**10),
    "Boolean": lambda f: False,
    "Int": lambda f: 0 if re.search("count|quantity", f.name, re.IGNORECASE) else f.n % 100,
    "Float": lambda f: 0.0,
    "Decimal": lambda f: "0.0",
    "Money": lambda f: "0.0",
    "UnsignedInt64": lambda f: str(f.n % 10**9),
    "BigInt": lambda f: str(f.n % 10**9),
    "DateTime": lambda f: _at(f.source),
    "Date": lambda f: _at(f.source)[:10],
    "URL": lambda f: f"https://{store_of(f.info).spec.shop}/{f.name}/{f.n % 10**6}",
    "HTML": lambda f: f"<p>{f.name} {f.n % 1000}</p>",
    "JSON": lambda f: {},
    "Color": lambda f: f"#{f.n % 0xFFFFFF:06x}",
    "UtcOffset": lambda f: "+00:00",
    "ARN": lambda f: f"arn:aws:events:us-east-1::event-source/aws.partner/shopify.com/{f.n}/x",
}
#: Strings by what their name says they hold.
STRINGS: list[tuple[re.Pattern[str], Callable[[_Field], str]]] = [
    (re.compile("email", re.I), lambda f: f"{f.name.lower()}.{f.n % 10**4}@example.com"),
    (re.compile("phone", re.I), lambda f: f"+1555{f.n % 10**7:07d}"),
    (re.compile("(currencycode|^currency)$", re.I), lambda f: _shop_currency(f.info)),
]


def _scalar(name: str, field: _Field) -> Any:
    if name in SCALARS:
        return SCALARS[name](field)
    for pattern, make in STRINGS:
        if pattern.search(field.name):
            return make(field)
    return f"{field.name} {field.n % 10**4}"


def generate(type_: GraphQLOutputType, source: dict[str, Any], info: Info) -> Any:
    """A value of ``type_`` for field ``info.field_name`` of ``source``, as the module says."""
    field = info.field_name
    nullable = not isinstance(type_, GraphQLNonNull)
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if nullable:
        definition = info.parent_type.fields[field]
        required = any(isinstance(a.type, GraphQLNonNull) for a in definition.args.values())
        if required or NULL_UNLESS_HAPPENED.search(field):
            return None
    if isinstance(inner, GraphQLList):
        return []
    if isinstance(inner, GraphQLEnumType):
        return next(iter(inner.values))
    if isinstance(inner, GraphQLScalarType):
        return _scalar(inner.name, _Field(field, _hash(_seed(source), field), source, info))
    if isinstance(inner, GraphQLInterfaceType | GraphQLUnionType):
        inner = min(info.schema.get_possible_types(inner), key=lambda t: t.name)
    assert isinstance(inner, GraphQLObjectType)
    return _object(inner, source, info)


def _object(type_: GraphQLObjectType, source: dict[str, Any], info: Info) -> Any:
    if is_connection(type_):
        return {
            "edges": [],
            "nodes": [],
            "pageInfo": {
                "hasNextPage": False,
                "hasPreviousPage": False,
                "startCursor": None,
                "endCursor": None,
            },
        }
    if type_.name == "Count":
        return {"count": 0, "precision": "EXACT"}
    if type_.name == "MoneyV2":
        return _zero(_shop_currency(info))
    if type_.name == "MoneyBag":
        return {
            "shopMoney": _zero(_shop_currency(info)),
            "presentmentMoney": _zero(_presentment(source, info)),
        }
    return {
        "__typename": type_.name,
        SEED: f"{_seed(source)}/{info.field_name}",
        AT: _at(source),
        PRESENTMENT: _presentment(source, info),
    }


# -- fields with business meaning, derived from the record ------------------------------------
Derive = Callable[[dict[str, Any], Info, dict[str, Any]], Any]


def _image(source: dict[str, Any], n: int) -> dict[str, Any]:
    title = str(source.get("title") or source.get("displayName") or "")
    return {
        "__typename": "Image",
        "id": gid("ProductImage", _hash(_seed(source), "image", str(n)) % 10**10),
        "altText": title,
        "url": f"https://cdn.shopify.com/s/files/1/{_hash(_seed(source)) % 10**6}/{n}.jpg",
        "width": 1024,
        "height": 1024,
        AT: _at(source),
    }


def _media(source: dict[str, Any]) -> list[dict[str, Any]]:
    """A product's media: one image, its featured one."""
    image = _image(source, 0)
    return [
        {
            "__typename": "MediaImage",
            "id": gid("MediaImage", _hash(_seed(source), "media") % 10**10),
            "alt": image["altText"],
            "mediaContentType": "IMAGE",
            "status": "READY",
            "image": image,
            "preview": {"__typename": "MediaPreviewImage", "image": image, "status": "READY"},
            AT: _at(source),
        }
    ]


def _address(customer: dict[str, Any], info: Info) -> dict[str, Any]:
    """A customer's one address, in a city of the store's locations."""
    n = _hash(_seed(customer), "address")
    location = store_of(info).locations.get(n % max(1, store_of(info).factory.n_locations))
    where = (location or {}).get("address") or {}
    first, last = customer.get("firstName"), customer.get("lastName")
    return {
        "__typename": "MailingAddress",
        "id": gid("MailingAddress", n % 10**10),
        "firstName": first,
        "lastName": last,
        "name": f"{first} {last}",
        "address1": f"{n % 900 + 100} Main Street",
        "address2": None,
        "city": where.get("city"),
        "provinceCode": where.get("provinceCode"),
        "countryCodeV2": where.get("countryCode"),
        "zip": f"{n % 90000 + 10000}",
        "phone": customer.get("phone"),
        "company": None,
        AT: _at(customer),
    }


def _customer_of(order: dict[str, Any], info: Info) -> dict[str, Any] | None:
    index = order.get("_cust")
    return None if index is None else store_of(info).customers.get(index)


def _consent(customer: dict[str, Any]) -> dict[str, Any]:
    email = customer.get("defaultEmailAddress") or {}
    return {
        "marketingState": email.get("marketingState", "NOT_SUBSCRIBED"),
        "marketingOptInLevel": email.get("marketingOptInLevel", "SINGLE_OPT_IN"),
        "consentUpdatedAt": customer.get("updatedAt"),
    }


def _presentment_prices(variant: dict[str, Any], info: Info, args: dict[str, Any]) -> Any:
    """The variant's price in each of the shop's presentment currencies, at the rates orders
    use (:mod:`shopsync_simulator.store.money`)."""
    shop = store_of(info).shop_record()
    base = str(shop["currencyCode"])
    cents = round(float(variant["price"]) * 100)
    compare = variant.get("compareAtPrice")
    items = []
    for currency in shop["enabledPresentmentCurrencies"]:
        rate = 100 if currency == base else (92 if currency == "EUR" else 108)
        if args.get("presentmentCurrencies") and currency not in args["presentmentCurrencies"]:
            continue

        def priced(c: int, cur: str = str(currency), r: int = rate) -> dict[str, Any]:
            return money_v2(c * r // 100, cur)

        items.append(
            {
                "price": priced(cents),
                "compareAtPrice": priced(round(float(compare) * 100)) if compare else None,
            }
        )
    return list_connection(items, info, args)


def _with_customer(derive: Callable[[dict[str, Any], Info], Any]) -> Derive:
    def resolve(order: dict[str, Any], info: Info, _: dict[str, Any]) -> Any:
        customer = _customer_of(order, info)
        return None if customer is None else derive(customer, info)

    return resolve


SEMANTIC: dict[tuple[str, str], Derive] = {
    ("Product", "media"): lambda s, i, a: list_connection(_media(s), i, a),
    ("Product", "mediaCount"): lambda s, _, __: {"count": len(_media(s)), "precision": "EXACT"},
    ("Product", "images"): lambda s, i, a: list_connection([_image(s, 0)], i, a),
    ("Product", "featuredImage"): lambda s, _, __: _image(s, 0),
    ("Product", "featuredMedia"): lambda s, _, __: _media(s)[0],
    ("Product", "seo"): lambda s, _, __: {"title": s.get("title"), "description": None},
    ("ProductVariant", "presentmentPrices"): _presentment_prices,
    ("ProductVariant", "image"): lambda s, i, _: None,  # the product's image stands for it
    ("Customer", "defaultAddress"): lambda s, i, _: _address(s, i),
    ("Customer", "addresses"): lambda s, i, a: [_address(s, i)][: a.get("first") or 1],
    ("Customer", "addressesV2"): lambda s, i, a: list_connection([_address(s, i)], i, a),
    ("Customer", "emailMarketingConsent"): lambda s, _, __: _consent(s),
    ("Customer", "smsMarketingConsent"): lambda s, _, __: None,  # no phone: no SMS consent
    ("Order", "shippingAddress"): _with_customer(_address),
    ("Order", "billingAddress"): _with_customer(_address),
    ("Order", "billingAddressMatchesShippingAddress"): lambda s, _, __: True,
}


def resolve_missing(source: dict[str, Any], info: Info, args: dict[str, Any]) -> Any:
    """The value of a field the record does not carry: derived (:data:`SEMANTIC`) or
    generated from its type (:func:`generate`)."""
    typename = str(source.get("__typename") or info.parent_type.name)
    derive = SEMANTIC.get((typename, info.field_name))
    if derive is not None:
        return derive(source, info, args)
    return generate(info.return_type, source, info)
