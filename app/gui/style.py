"""The few colours Ferry's windows share, so that a problem looks the same everywhere."""

from __future__ import annotations

#: A problem a person must act on (Material's error red: readable on light and dark grey).
ERROR_COLOR = "#b3261e"
PROBLEM_STYLE = f"color: {ERROR_COLOR};"
