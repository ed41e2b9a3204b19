"""What Ferry loads by name at run time, which a frozen build must carry all the same.

PyInstaller follows ``import`` statements only. python-stdnum finds each country's VAT rules
with ``importlib`` (and answers "invalid" instead of failing when one is missing), keyring
picks its backend from entry points and module names, uvicorn loads its loop and protocols
from strings. ``build_spec/ferry.spec`` includes every submodule of these packages, and
``ferry self-check`` (:mod:`app.commands.self_check`) asks the built program for each thing
it must find, so a build that lost one fails its test instead of a customer's first client.

On Windows the service (:mod:`app.service.windows_service`) needs pywin32's modules, which it
imports inside functions, and ``win32timezone``, which pywin32's C code imports by name when it
turns a Windows time into a ``datetime``: a service that lacks it dies on its first status.
"""

LOADED_BY_NAME: tuple[str, ...] = ("stdnum", "keyring.backends", "uvicorn")

#: Windows only (pywin32 exists there only): modules the built program must carry.
LOADED_BY_NAME_ON_WINDOWS: tuple[str, ...] = (
    "win32timezone",
    "servicemanager",
    "win32service",
    "win32serviceutil",
    "win32event",
    "win32con",
    "win32security",
    "pywintypes",
)
