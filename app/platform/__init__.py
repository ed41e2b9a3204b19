"""Talking to a document platform over its HTTP API."""
