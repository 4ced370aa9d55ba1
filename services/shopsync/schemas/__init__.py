"""Shopify Admin GraphQL introspection schemas shipped with shopsync (see README.md)."""
