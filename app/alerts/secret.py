"""The SMTP password of the alerts' e-mails, kept in the OS keyring beside Ferry's login.

Through :class:`app.auth.secret_store.SecretStore` (the same vault, the same care: a real
keyring or a refusal, never a plain file), under a name of its own. The home's store
(:func:`app.auth.secret_store.store_for`) is the one the engine that sends the e-mails reads:
the person's keyring, or the computer's own store for the Windows service's home.
"""

from __future__ import annotations

from app.auth.secret_store import SecretStore

#: The keyring entry of the SMTP password.
SMTP_PASSWORD = "alerts-smtp-password"


def save_smtp_password(store: SecretStore, password: str) -> None:
    """Keep ``password`` (an empty one removes the entry: no login password)."""
    if password:
        store.save(SMTP_PASSWORD, password)
    else:
        store.delete(SMTP_PASSWORD)


def load_smtp_password(store: SecretStore) -> str | None:
    """The kept password, or None when none is kept."""
    return store.load(SMTP_PASSWORD)
