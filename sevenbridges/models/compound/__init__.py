"""Nested values of resources (prices, errors, metadata, ...)."""
