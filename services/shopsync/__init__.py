"""shopsync: keeps a data warehouse in step with many Shopify stores."""
