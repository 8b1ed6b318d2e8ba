"""Live adapters: per source, pure request builders and pure parsers of captured payloads."""
