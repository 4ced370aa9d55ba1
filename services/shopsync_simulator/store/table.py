"""One kind of record: base record ``i`` is a pure function of ``i``; changes live in an overlay.

Memory grows with the number of changes, never with the store's size. Every base key used for
ordering (numeric id, ``createdAt``, ``updatedAt``) is monotonic in ``i``, so ordering and range
filters over the base records are index arithmetic plus a binary search.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterator
from typing import Any

from shopsync_simulator.store.ids import numeric_id

Record = dict[str, Any]
Key = tuple[int, ...]


class UnknownRecordError(LookupError):
    """A reference to a record that does not exist (or was deleted)."""


#: Sort keys that map onto the base index order.
INDEX_SORTS = ("ID", "UPDATED_AT", "CREATED_AT")


def record_key(sort: str, rec: Record) -> Key:
    if sort == "UPDATED_AT":
        return (rec["_u"], rec["_n"])
    if sort == "CREATED_AT":
        return (rec["_c"], rec["_n"])
    return (rec["_n"],)


class Table:
    """Records of one kind: generated base records, an overlay of changed or new ones, deletions."""

    def __init__(
        self,
        kind: str,
        base_count: int,
        gen: Callable[[int], Record],
        created: Callable[[int], int],
        updated: Callable[[int], int],
    ) -> None:
        self.kind = kind
        self.base_count = base_count
        self._gen = gen
        self._created = created
        self._updated = updated
        self.changed: dict[int, Record] = {}
        self.deleted: set[int] = set()
        self.next_index = base_count
        self.lock = threading.RLock()
        self._sorted: dict[str, list[tuple[Key, Record]]] = {}
        #: Counts the changes: what is derived from the records is current while it stands.
        self.version = 0

    # -- reading ---------------------------------------------------------------------------
    def get(self, index: int) -> Record | None:
        if index < 0 or index >= self.next_index or index in self.deleted:
            return None
        rec = self.changed.get(index)
        if rec is not None:
            return rec
        return self._gen(index) if index < self.base_count else None

    def base(self, index: int) -> Record:
        """The generated record ``index`` (ignores the overlay)."""
        return self._gen(index)

    def is_plain_base(self, index: int) -> bool:
        return index not in self.changed and index not in self.deleted

    def live_count(self) -> int:
        return self.next_index - len(self.deleted)

    def iter_live(self) -> Iterator[Record]:
        """Every live record in index (= id) order."""
        for index in range(self.next_index):
            rec = self.get(index)
            if rec is not None:
                yield rec

    def base_key(self, sort: str, index: int) -> Key:
        number = numeric_id(self.kind, index)
        if sort == "UPDATED_AT":
            return (self._updated(index), number)
        if sort == "CREATED_AT":
            return (self._created(index), number)
        return (number,)

    def base_bisect(self, sort: str, key: Key, *, right: bool) -> int:
        """Insertion point of ``key`` among the base records in ``sort`` order."""
        find = bisect.bisect_right if right else bisect.bisect_left
        return find(range(self.base_count), key, key=lambda i: self.base_key(sort, i))

    def base_range_for(self, field: str, lo: float | None, hi: float | None) -> tuple[int, int]:
        """Base indices whose ``field`` (created/updated/id) lies in ``[lo, hi]``."""
        fn: Callable[[int], int]
        if field == "created":
            fn = self._created
        elif field == "updated":
            fn = self._updated
        else:
            kind = self.kind
            fn = lambda i: numeric_id(kind, i)  # noqa: E731
        n = range(self.base_count)
        start = 0 if lo is None else bisect.bisect_left(n, lo, key=fn)
        stop = self.base_count if hi is None else bisect.bisect_right(n, hi, key=fn)
        return start, stop

    def overlay_sorted(self, sort: str) -> list[tuple[Key, Record]]:
        """Live changed/new records with their ``sort`` key, ascending (cached until a change)."""
        cached = self._sorted.get(sort)
        if cached is not None:
            return cached
        with self.lock:
            items = sorted(
                (
                    (record_key(sort, rec), rec)
                    for i, rec in self.changed.items()
                    if i not in self.deleted
                ),
                key=lambda kr: kr[0],
            )
            self._sorted[sort] = items
            return items

    # -- writing (callers hold the store lock) ----------------------------------------------
    def new_index(self) -> int:
        with self.lock:
            index = self.next_index
            self.next_index += 1
            return index

    def put(self, rec: Record) -> None:
        with self.lock:
            self.changed[rec["_i"]] = rec
            self._sorted = {}
            self.version += 1

    def delete(self, index: int) -> bool:
        with self.lock:
            if self.get(index) is None:
                return False
            self.deleted.add(index)
            self.changed.pop(index, None)
            self._sorted = {}
            self.version += 1
            return True
