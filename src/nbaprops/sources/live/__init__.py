"""Live adapters, one small module per source: URL building, a fetch through `sources.http`, pure parsers."""
