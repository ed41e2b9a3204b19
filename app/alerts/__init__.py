"""Loud alerts when delivery stops: the watchdog (pure), its words, and where they are said
(the log, the Windows Event Log, e-mail, the tray)."""
