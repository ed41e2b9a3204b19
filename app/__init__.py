"""Ferry: delivers a document platform's documents into accounting-software folders."""

__version__ = "0.1.0"
