"""Connection arguments: Shopify search syntax, sort keys, cursors and pagination."""
