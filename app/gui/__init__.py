"""The desktop app (PySide6): tray, first-run wizard, destinations, links, status, activity."""
