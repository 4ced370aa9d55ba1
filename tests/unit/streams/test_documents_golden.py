"""Every document the project sends, in canonical form (:mod:`.canonical`), against a golden
file: raw records land exactly as the API returns them, so a change to what is selected (a
field added, removed or moved, an argument changed) shows up here and nowhere else first.

After an intended change, regenerate with ``UPDATE_GOLDEN=1 pytest tests/unit/streams`` and
review the diff of ``tests/golden/shopify/documents.txt``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from shopsync.extract.bulk import BULK_DOCUMENTS, bulk_query
from shopsync.extract.streams import SPECS, Window
from shopsync.shopify import queries
from tests.support.paths import GOLDEN_DIR

from .canonical import canonical

GOLDEN = GOLDEN_DIR / "shopify" / "documents.txt"
CAP = datetime(2026, 11, 24, 19, 59, tzinfo=UTC)
WINDOWS = {
    "full": (Window(None, None, True, CAP), None),
    "window": (Window(datetime(2026, 1, 1, tzinfo=UTC), CAP, False, CAP), None),
    "remainder": (Window(datetime(2026, 1, 1, tzinfo=UTC), None, True, CAP), "id:>5"),
}


def sent_documents() -> dict[str, str]:
    """Every document by name; a bulk query as ``bulk_run`` sends it, per kind of window."""
    sent = {n: queries.load(n) for n in queries.names() if n not in BULK_DOCUMENTS.values()}
    for stream in sorted(BULK_DOCUMENTS):
        for kind, (window, extra) in WINDOWS.items():
            sent[f"bulk_query({stream}, {kind})"] = bulk_query(SPECS[stream], window, extra)
    return sent


def test_documents_select_what_the_golden_file_holds() -> None:
    text = "".join(f"# {name}\n{canonical(doc)}\n" for name, doc in sent_documents().items())
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text)
    assert GOLDEN.read_text() == text, f"{GOLDEN} differs; UPDATE_GOLDEN=1 to regenerate"


def test_canonical_form_inlines_fragments_and_sorts_arguments() -> None:
    written = """
      query Q($b: Int, $a: String) { orders(query: $a, first: $b) { nodes { ...F } } }
      fragment F on Order { id lineItems(first: 2) { nodes { id } } }
    """
    inline = """
      query Q($a: String, $b: Int) {
        orders(first: $b, query: $a) { nodes { id lineItems(first: 2) { nodes { id } } } }
      }
    """
    assert canonical(written) == canonical(inline)
    assert canonical(inline) != canonical(inline.replace("{ nodes { id } }", "{ nodes { name } }"))
