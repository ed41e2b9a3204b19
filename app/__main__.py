"""``python -m app``: Ferry's entry point."""

import multiprocessing

if __name__ == "__main__":
    # the engine runs in a spawned child process; a frozen (PyInstaller) build needs this first
    multiprocessing.freeze_support()
    from app.cli import main

    raise SystemExit(main())
