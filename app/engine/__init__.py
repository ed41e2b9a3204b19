"""The sync engine: exactly-once delivery of platform documents into accounting folders."""
