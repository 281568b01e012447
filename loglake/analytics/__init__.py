"""DuckDB over the lake: views, read-only SQL and the summaries built on them."""
