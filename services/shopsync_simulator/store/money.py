"""Money in two currencies: the shop's and the order's presentment currency.

Every amount is a pair of integer cents. A leaf amount is converted once (``presentment =
shop x rate // 100``); every total is a sum of pairs, so totals reconcile to the cent in *both*
currencies. :class:`Bag` is the pair as Shopify's ``MoneyBag``: it formats its ``MoneyV2``
values only when read, which keeps generating an order cheap.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

#: "00".."99": the cents of an amount by table lookup (every money field read formats two).
_CENTS = tuple(f"{c:02d}" for c in range(100))


def money(cents: int) -> str:
    if cents < 0:
        return f"-{-cents // 100}.{_CENTS[-cents % 100]}"
    return f"{cents // 100}.{_CENTS[cents % 100]}"


def money_v2(cents: int, currency: str) -> dict[str, Any]:
    return {"amount": money(cents), "currencyCode": currency}


class Bag(Mapping[str, Any]):
    """An immutable ``MoneyBag``: ``shop``/``pres`` cents and their currencies."""

    __slots__ = ("cur", "pcur", "pres", "shop")
    KEYS = ("shopMoney", "presentmentMoney")

    def __init__(self, shop: int, pres: int, cur: str, pcur: str) -> None:
        self.shop = shop
        self.pres = pres
        self.cur = cur
        self.pcur = pcur

    @classmethod
    def convert(cls, cents: int, cur: str, pcur: str, rate_pct: int) -> Bag:
        return cls(cents, cents * rate_pct // 100, cur, pcur)

    @property
    def shopMoney(self) -> dict[str, Any]:
        return {"amount": money(self.shop), "currencyCode": self.cur}

    @property
    def presentmentMoney(self) -> dict[str, Any]:
        return {"amount": money(self.pres), "currencyCode": self.pcur}

    def __getitem__(self, key: str) -> dict[str, Any]:
        if key not in self.KEYS:
            raise KeyError(key)
        return self.shopMoney if key == "shopMoney" else self.presentmentMoney

    def __iter__(self) -> Iterator[str]:
        return iter(self.KEYS)

    def __len__(self) -> int:
        return 2

    def zero(self) -> Bag:
        return Bag(0, 0, self.cur, self.pcur)

    def __add__(self, other: Bag) -> Bag:
        return Bag(self.shop + other.shop, self.pres + other.pres, self.cur, self.pcur)

    def __sub__(self, other: Bag) -> Bag:
        return Bag(self.shop - other.shop, self.pres - other.pres, self.cur, self.pcur)

    def __neg__(self) -> Bag:
        return Bag(-self.shop, -self.pres, self.cur, self.pcur)

    def part(self, num: int, den: int) -> Bag:
        """``self x num / den`` in each currency, rounded down (a share of a quantity)."""
        return Bag(self.shop * num // den, self.pres * num // den, self.cur, self.pcur)

    def bp(self, basis_points: int) -> Bag:
        return self.part(basis_points, 10_000)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Bag):
            return (self.shop, self.pres, self.cur, self.pcur) == (
                other.shop,
                other.pres,
                other.cur,
                other.pcur,
            )
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __hash__(self) -> int:
        return hash((self.shop, self.pres, self.cur, self.pcur))

    def __copy__(self) -> Bag:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Bag:
        return self

    def __repr__(self) -> str:
        return f"Bag({money(self.shop)} {self.cur}, {money(self.pres)} {self.pcur})"

    def plain(self) -> dict[str, Any]:
        return {"shopMoney": self.shopMoney, "presentmentMoney": self.presentmentMoney}


def total(bags: list[Bag], zero: Bag) -> Bag:
    """The sum of ``bags`` (``zero`` gives the currencies of an empty sum)."""
    if not bags:
        return zero
    return Bag(sum(b.shop for b in bags), sum(b.pres for b in bags), zero.cur, zero.pcur)


def split(amount: Bag, weights: list[int]) -> list[Bag]:
    """``amount`` shared out in proportion to ``weights``; the last share takes the remainder,
    so the shares add up to ``amount`` exactly in both currencies."""
    whole = sum(weights) or 1
    shares = [amount.part(w, whole) for w in weights[:-1]]
    return [*shares, amount - total(shares, amount.zero())]


def plain(value: Any) -> Any:
    """``value`` with every :class:`Bag` as a plain dict (for JSON)."""
    if isinstance(value, Bag):
        return value.plain()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
