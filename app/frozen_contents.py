"""What Ferry loads by name at run time, which a frozen build must carry all the same.

PyInstaller follows ``import`` statements only. python-stdnum finds each country's VAT rules
with ``importlib`` (and answers "invalid" instead of failing when one is missing), keyring
picks its backend from entry points and module names, uvicorn loads its loop and protocols
from strings. ``build_spec/ferry.spec`` includes every submodule of these packages, and
``ferry self-check`` (:mod:`app.commands.self_check`) asks the built program for each thing
it must find, so a build that lost one fails its test instead of a customer's first client.
"""

LOADED_BY_NAME: tuple[str, ...] = ("stdnum", "keyring.backends", "uvicorn")
