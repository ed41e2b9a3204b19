"""The sandbox's defaults, importable without loading the server."""

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_SEED_DOCUMENTS = 40
