"""``python -m app``: Ferry's entry point."""

from app.cli import main

raise SystemExit(main())
