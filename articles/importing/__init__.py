"""Importing the old site's plain-text exports: `parser` reads, `services` writes."""
