"""A service that runs as a named account keeps its login in that account's Credential Manager.

An administrator logs the service in (``service login``), but a process can write only its
own account's Credential Manager. So the login goes first where the administrator can put it
and the service's account can take it: the computer's own store
(:mod:`app.service.machine_secrets`, a folder that only SYSTEM, administrators and the
service's account may open). When the service starts, it takes the refresh token from there
into its own Credential Manager and deletes it from the folder, so the folder holds a login
only between ``service login`` and the service's next start.

The service keeps a copy of the login it took (``state/service-login.json``: who, where; never
a token). When ``login.json`` no longer names that login (an administrator logged the
service out, or in as someone else), the service ends the old one at the platform and deletes
its token from its Credential Manager: nobody else can reach that token to do it.

An OAuth 2.0 login (Billit's) needs its client secret at every refresh: it moves with the
refresh token, and leaves the service's store when that login ends there. An API key moves as
a refresh token does (it is the login's secret).

Each step can be repeated: the token is written to the service's own store before it is
deleted from the folder, so a crash in between takes it again at the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from app.atomic_files import write_text_atomic
from app.auth.account import StoredLogin, load_login
from app.auth.secret_store import SecretStore
from app.core.platform_kinds import LoginStrategy
from app.home import FerryHome

log = logging.getLogger(__name__)

#: The login the service took into its own Credential Manager (no token), in the state folder.
TAKEN_FILE = "service-login.json"


@dataclass(frozen=True)
class Handoff:
    """What :func:`take_over` did, for the log and the tests."""

    taken: str | None = None
    """The keyring name of the refresh token moved into the service's own store."""
    ended: str | None = None
    """The keyring name of an earlier login ended and deleted from it."""


def taken_login(home: FerryHome) -> StoredLogin | None:
    """The login the service holds in its own store, None when it holds none."""
    path = _taken_path(home)
    try:
        return StoredLogin.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValidationError, ValueError) as error:
        log.warning("ignoring an unreadable %s: %s", path, error)
        return None


def take_over(
    home: FerryHome,
    own: SecretStore,
    inbox: SecretStore | None,
    end: Callable[[StoredLogin, SecretStore], None],
) -> Handoff:
    """Move the login an administrator left in ``inbox`` into ``own`` (the service account's
    Credential Manager), and end in ``own`` a login that ``login.json`` no longer names.

    ``inbox`` is None when the computer's store has no folder (nobody ever logged the service
    in). ``end(login, own)`` revokes ``login`` at the platform and deletes its token from
    ``own`` (best effort: an unreachable platform is logged, the token deleted anyway).
    """
    current = load_login(home.settings_dir)
    before = taken_login(home)
    taken = None
    if current is not None and inbox is not None:
        token = inbox.load(current.secret_name)
        if token is not None:
            own.save(current.secret_name, token)
            for name in _beside(current):  # an OAuth 2.0 client's secret goes along
                kept = inbox.load(name)
                if kept is not None:
                    own.save(name, kept)
            write_text_atomic(_taken_path(home), current.model_dump_json(indent=2) + "\n")
            inbox.delete(current.secret_name)
            for name in _beside(current):
                inbox.delete(name)
            taken = current.secret_name
            log.info(
                "the service took its login (%s) into its account's Credential Manager and "
                "deleted it from %s",
                current.who,
                home.settings_dir.parent / "secrets",
            )
    ended = None
    if before is not None and (current is None or before.secret_name != current.secret_name):
        log.info(
            "the service's earlier login (%s) is no longer the home's: it is ended and "
            "deleted from its account's Credential Manager",
            before.who,
        )
        end(before, own)  # revokes it and deletes its token from ``own``
        for name in set(_beside(before)) - set(_beside(current) if current else ()):
            own.delete(name)
        ended = before.secret_name
        if taken is None:
            _taken_path(home).unlink(missing_ok=True)
    return Handoff(taken=taken, ended=ended)


def _beside(login: StoredLogin) -> tuple[str, ...]:
    """The secrets a login needs besides its token: an OAuth 2.0 client's secret."""
    return (login.client_secret_name,) if login.strategy is LoginStrategy.OAUTH2 else ()


def _taken_path(home: FerryHome) -> Path:
    return home.state_dir / TAKEN_FILE
