"""The embedded document platform (sandbox): a real local platform that Ferry ships."""
