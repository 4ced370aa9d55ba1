"""The Admin GraphQL endpoint: schemas, access scopes, cost, resolvers and execution."""
