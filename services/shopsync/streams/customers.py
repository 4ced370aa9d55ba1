"""The ``customers`` group: customers, and customer deletions."""

from __future__ import annotations

from .deletions import deletions_stream
from .model import StreamDeclaration
from .tables import STAMPS, Column, DeletedWith, TableSpec, col, money, number

CUSTOMERS = StreamDeclaration(
    name="customers",
    group="customers",
    node_type="Customer",
    root="customers",
    sort_key="UPDATED_AT",
    page_size=125,
    scopes=("read_customers",),
    tables=(
        TableSpec(
            "customers",
            "customers",
            (
                col("id", "varchar", "id"),
                number("customer_id"),
                col("first_name", "varchar", "firstName"),
                col("last_name", "varchar", "lastName"),
                col("display_name", "varchar", "displayName"),
                col("email", "varchar", "defaultEmailAddress", "emailAddress"),
                col("email_marketing_state", "varchar", "defaultEmailAddress", "marketingState"),
                col("phone", "varchar", "defaultPhoneNumber", "phoneNumber"),
                col("state", "varchar", "state"),
                Column("tags", "varchar", ("tags",), derive="join"),
                col("note", "varchar", "note"),
                col("verified_email", "boolean", "verifiedEmail"),
                col("tax_exempt", "boolean", "taxExempt"),
                col("number_of_orders", "bigint", "numberOfOrders"),
                *money("amount_spent", "amountSpent"),
                *STAMPS,
            ),
            deleted_with=DeletedWith("CUSTOMER"),
        ),
    ),
    fields="""
        id
        legacyResourceId
        firstName
        lastName
        displayName
        defaultEmailAddress { emailAddress marketingState }
        defaultPhoneNumber { phoneNumber }
        state
        tags
        note
        verifiedEmail
        taxExempt
        numberOfOrders
        amountSpent { amount currencyCode }
        createdAt
        updatedAt
    """,
)

#: Customer deletions: the event log soft-deletes customers in the warehouse (their orders are
#: not deleted with them).
DELETED_CUSTOMERS = deletions_stream(
    "deleted_customers", "customers", "CUSTOMER", of="customers", subject_scope="read_customers"
)
