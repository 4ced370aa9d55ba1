"""Tender transactions: the money that actually moved between buyers and the shop.

Shopify's ``tenderTransactions`` root connection lists them for the whole shop: a sale or a
capture is a positive amount, a refund a negative one; authorizations, voids and failed
attempts are not tender. Unlike an order's transactions they need not be read through the
orders: each one is immutable once created (Shopify's docs, ``TenderTransaction``), so the
stream's cursor is its own ``processedAt`` (search field ``processed_at``) and an incremental
run lands only the new ones, as an event log does.

What Shopify's schemas say, every supported version (2025-10 to 2026-10):

- ``tenderTransactions(first, after, last, before, query, reverse)``: no ``sortKey``, so the
  results are not sorted by ``processedAt`` and the cursor moves only when the stream finished;
  the search filters on ``id``, ``processed_at``, ``test`` and ``point_of_sale_device_id``;
- ``TenderTransaction`` needs ``read_orders``; ``user`` (a ``StaffMember``) would need
  ``read_users``, which Shopify grants only to some apps, so it is not selected;
- ``transactionDetails`` is a union with one member, ``TenderTransactionCreditCardDetails``;
- ``order`` is null once the order was deleted: the warehouse's row goes with its order, like
  every other row of an order (the load soft-deletes it on the order's destroy event).
"""

from __future__ import annotations

from .model import StreamDeclaration
from .orders import WITH_ORDER
from .tables import TableSpec, col, gid, money, number

TENDER_TRANSACTIONS = StreamDeclaration(
    name="tender_transactions",
    group="orders",
    node_type="TenderTransaction",
    root="tenderTransactions",
    cursor_field="processedAt",
    search_field="processed_at",
    #: 4 points a record (the record, its amount, order and details): 802 points a page.
    page_size=200,
    scopes=("read_orders",),
    tables=(
        TableSpec(
            "tender_transactions",
            "tender_transactions",
            (
                col("id", "varchar", "id"),
                number("tender_transaction_id"),
                gid("order_id", "order"),
                col("payment_method", "varchar", "paymentMethod"),
                col("remote_reference", "varchar", "remoteReference"),
                col("test", "boolean", "test"),
                *money("amount", "amount"),
                col("credit_card_company", "varchar", "transactionDetails", "creditCardCompany"),
                col("credit_card_number", "varchar", "transactionDetails", "creditCardNumber"),
                col("processed_at", "timestamp", "processedAt"),
            ),
            cursor="processed_at",
            deleted_with=WITH_ORDER,
        ),
    ),
    fields="""
        id
        processedAt
        paymentMethod
        remoteReference
        test
        amount { amount currencyCode }
        order { id }
        transactionDetails {
          ... on TenderTransactionCreditCardDetails { creditCardCompany creditCardNumber }
        }
    """,
)
