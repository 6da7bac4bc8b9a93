"""The GraphQL schema, split by domain; `schema.build_schema` assembles it."""
