"""The documents the project sends to Shopify, one per stream (kept with the tests that prove
the simulator answers each of them in every supported API version)."""

PAGE_INFO = "pageInfo { hasNextPage endCursor }"
MONEY = "{ shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }"

PRODUCTS = f"""
query Products($first: Int!, $after: String, $query: String) {{
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    edges {{ cursor node {{
      id legacyResourceId title handle status vendor productType tags
      createdAt updatedAt publishedAt descriptionHtml totalInventory
      options {{ id name position values }}
    }} }}
    {PAGE_INFO}
  }}
}}"""

PRODUCT_VARIANTS = f"""
query Variants($first: Int!, $after: String, $query: String) {{
  productVariants(first: $first, after: $after, query: $query, sortKey: ID) {{
    nodes {{
      id title sku barcode price compareAtPrice position inventoryQuantity createdAt updatedAt
      selectedOptions {{ name value }}
      product {{ id }}
      inventoryItem {{ id }}
    }}
    {PAGE_INFO}
  }}
}}"""

DELETED_PRODUCTS = f"""
query Deleted($first: Int!, $after: String, $query: String) {{
  events(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {{
    nodes {{
      id createdAt action message
      ... on BasicEvent {{ subjectId subjectType }}
    }}
    {PAGE_INFO}
  }}
}}"""

LOCATIONS = f"""
query Locations($first: Int!, $after: String) {{
  locations(first: $first, after: $after, includeInactive: true) {{
    nodes {{
      id name isActive fulfillsOnlineOrders createdAt updatedAt
      address {{ address1 city countryCode zip }}
    }}
    {PAGE_INFO}
  }}
}}"""

INVENTORY_ITEMS = f"""
query Inventory($first: Int!, $after: String, $query: String) {{
  inventoryItems(first: $first, after: $after, query: $query) {{
    nodes {{
      id sku tracked createdAt updatedAt
      unitCost {{ amount currencyCode }}
      variant {{ id }}
      inventoryLevels(first: 5) {{
        nodes {{
          id updatedAt
          location {{ id }}
          quantities(names: ["available", "on_hand", "committed", "incoming"]) {{ name quantity }}
        }}
      }}
    }}
    {PAGE_INFO}
  }}
}}"""

ORDERS = f"""
query Orders($first: Int!, $after: String, $query: String) {{
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    nodes {{
      id name createdAt updatedAt processedAt cancelledAt closed
      displayFinancialStatus displayFulfillmentStatus currencyCode presentmentCurrencyCode
      totalPriceSet {MONEY}
      subtotalPriceSet {MONEY}
      totalTaxSet {MONEY}
      customer {{ id }}
      lineItems(first: 10) {{
        nodes {{
          id name sku quantity
          variant {{ id }}
          originalUnitPriceSet {MONEY}
        }}
      }}
    }}
    {PAGE_INFO}
  }}
}}"""

CUSTOMERS = f"""
query Customers($first: Int!, $after: String, $query: String) {{
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    nodes {{
      id firstName lastName displayName state createdAt updatedAt tags numberOfOrders
      defaultEmailAddress {{ emailAddress marketingState }}
      amountSpent {{ amount currencyCode }}
    }}
    {PAGE_INFO}
  }}
}}"""

#: stream -> (document, connection field, variables)
STREAM_QUERIES = {
    "products": (PRODUCTS, "products", {"first": 50}),
    "product_variants": (PRODUCT_VARIANTS, "productVariants", {"first": 100}),
    "deleted_products": (DELETED_PRODUCTS, "events",
                         {"first": 100, "query": "subject_type:PRODUCT AND action:destroy"}),
    "locations": (LOCATIONS, "locations", {"first": 50}),
    "inventory_items": (INVENTORY_ITEMS, "inventoryItems", {"first": 10}),
    "orders": (ORDERS, "orders", {"first": 10}),
    "customers": (CUSTOMERS, "customers", {"first": 100}),
}  # fmt: skip
