"""Every change to Ferry's settings, one rule each, for every face.

The decisions are pure: each takes the settings as they are and returns them changed, or
raises :class:`SettingsRefused` with the problems as data (a :class:`SettingsProblemCode` and
its values; :meth:`SettingsProblem.message` words them in the reader's language). No disk, no
Qt: the wizard applies them to the set-up it holds in memory, the other faces through
:func:`change_settings`, the one function that reads the settings file, applies a change to
what is on disk *now* (never to a copy a window read minutes ago) and writes it atomically
(:func:`app.settings.save_settings`, which keeps the previous file as a backup).

A destination is known by its name everywhere: client links list the names they deliver to.
Renaming one (:func:`edit_destination`, :func:`rename_destination`) therefore renames it in
every link, so its clients keep being delivered there; the old name is gone everywhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, cast

from pydantic import ValidationError

from app.alerts.settings import AlertSettings
from app.core.language import FALLBACK, Language
from app.home import FerryHome
from app.os_specific import AlreadyLocked, lock_exclusively
from app.settings import (
    ClientLink,
    Destination,
    ProxySettings,
    Settings,
    SettingsError,
    load_settings,
    save_settings,
    settings_path,
)
from app.settings_migrations import WRITERS_LOCK

log = logging.getLogger(__name__)


class SettingsProblemCode(StrEnum):
    """Why a change to the settings is refused."""

    UNKNOWN_DESTINATION = "unknown_destination"  # name, known
    NAME_TAKEN = "name_taken"  # name
    STILL_LINKED = "still_linked"  # name, count
    NO_CLIENTS = "no_clients"
    INVALID = "invalid"  # detail (the settings model's own words)
    NOT_PERMITTED = "not_permitted"  # folder: another account's settings (the service's)


_MESSAGES: dict[SettingsProblemCode, dict[Language, str]] = {
    SettingsProblemCode.NOT_PERMITTED: {
        Language.EN: "Only an administrator may change these settings (in {folder}, the Ferry "
        "service's): ask one, or start Ferry as administrator.",
        Language.FR: "Seul un administrateur peut modifier ces paramètres (dans {folder}, "
        "ceux du service Ferry) : demandez-le à un administrateur, ou lancez Ferry en tant "
        "qu'administrateur.",
        Language.NL: "Alleen een beheerder mag deze instellingen wijzigen (in {folder}, die "
        "van de Ferry-service): vraag het een beheerder, of start Ferry als beheerder.",
    },
    SettingsProblemCode.UNKNOWN_DESTINATION: {
        Language.EN: "There is no destination named '{name}' (known: {known}).",
        Language.FR: "Aucune destination ne s'appelle « {name} » (connues : {known}).",
        Language.NL: "Er is geen bestemming met de naam '{name}' (bekend: {known}).",
    },
    SettingsProblemCode.NAME_TAKEN: {
        Language.EN: "Another destination is already named '{name}'.",
        Language.FR: "Une autre destination s'appelle déjà « {name} ».",
        Language.NL: "Een andere bestemming heet al '{name}'.",
    },
    SettingsProblemCode.STILL_LINKED: {
        Language.EN: "'{name}' still receives the documents of {count} client(s): unlink them "
        "first, or remove the destination with its links.",
        Language.FR: "« {name} » reçoit encore les documents de {count} client(s) : retirez "
        "d'abord ces liens, ou supprimez la destination avec ses liens.",
        Language.NL: "'{name}' ontvangt nog de documenten van {count} klant(en): ontkoppel ze "
        "eerst, of verwijder de bestemming samen met haar koppelingen.",
    },
    SettingsProblemCode.NO_CLIENTS: {
        Language.EN: "No client was named.",
        Language.FR: "Aucun client n'a été indiqué.",
        Language.NL: "Er werd geen klant opgegeven.",
    },
    SettingsProblemCode.INVALID: {
        Language.EN: "These settings cannot be kept: {detail}",
        Language.FR: "Ces paramètres ne peuvent pas être gardés : {detail}",
        Language.NL: "Deze instellingen kunnen niet bewaard worden: {detail}",
    },
}
_NONE_YET = {Language.EN: "none yet", Language.FR: "aucune", Language.NL: "nog geen"}


@dataclass(frozen=True)
class SettingsProblem:
    """One reason a change is refused: a code and the values its sentence needs."""

    code: SettingsProblemCode
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: SettingsProblemCode, **params: str) -> SettingsProblem:
        return cls(code, tuple(sorted(params.items())))

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)

    def message(self, language: Language = FALLBACK) -> str:
        values = dict(self.params)
        if "known" in values and not values["known"]:
            values["known"] = _NONE_YET[language]
        return _MESSAGES[self.code][language].format(**values)

    def __str__(self) -> str:
        return self.message()


class SettingsRefused(ValueError):
    """A change that cannot be made; ``problems`` say why, as data."""

    def __init__(self, *problems: SettingsProblem) -> None:
        super().__init__("; ".join(problem.message() for problem in problems))
        self.problems = problems

    def message(self, language: Language = FALLBACK) -> str:
        return " ".join(problem.message(language) for problem in self.problems)


def _refuse(code: SettingsProblemCode, **params: str) -> SettingsRefused:
    return SettingsRefused(SettingsProblem.of(code, **params))


def validated(settings: Settings) -> Settings:
    """``settings`` checked as a whole (names used once, links to known destinations...), as
    loading them would check them; a refusal says why."""
    try:
        return Settings.model_validate(settings.model_dump())
    except ValidationError as error:
        detail = "; ".join(
            str(item["msg"]).removeprefix("Value error, ") for item in error.errors()
        )
        raise _refuse(SettingsProblemCode.INVALID, detail=detail) from None


def _unknown(settings: Settings, name: str) -> SettingsRefused:
    known = ", ".join(destination.name for destination in settings.destinations)
    return _refuse(SettingsProblemCode.UNKNOWN_DESTINATION, name=name, known=known)


# -- destinations ----------------------------------------------------------------------------------


def add_destination(settings: Settings, destination: Destination) -> Settings:
    """A new destination, under a name no other has; nothing is linked to it yet."""
    if settings.destination(destination.name) is not None:
        raise _refuse(SettingsProblemCode.NAME_TAKEN, name=destination.name)
    return validated(
        settings.model_copy(update={"destinations": [*settings.destinations, destination]})
    )


def edit_destination(settings: Settings, name: str, destination: Destination) -> Settings:
    """The destination called ``name`` becomes ``destination``, in its place in the list.

    When ``destination`` has another name, it is a rename: every client link to ``name`` now
    names the new one, so its clients keep being delivered there, and the old name is gone.
    The new name must not be another destination's.
    """
    if settings.destination(name) is None:
        raise _unknown(settings, name)
    if destination.name != name and settings.destination(destination.name) is not None:
        raise _refuse(SettingsProblemCode.NAME_TAKEN, name=destination.name)
    destinations = [destination if d.name == name else d for d in settings.destinations]
    links = [
        link.model_copy(
            update={
                "destinations": [destination.name if n == name else n for n in link.destinations]
            }
        )
        for link in settings.links
    ]
    return validated(settings.model_copy(update={"destinations": destinations, "links": links}))


def rename_destination(settings: Settings, old: str, new: str) -> Settings:
    """Only the name changes; the paths, the format and every client link stay."""
    current = settings.destination(old)
    if current is None:
        raise _unknown(settings, old)
    if old == new:
        return settings
    try:
        renamed = Destination.model_validate({**current.model_dump(), "name": new})
    except ValidationError as error:
        raise _refuse(SettingsProblemCode.INVALID, detail=str(error.errors()[0]["msg"])) from None
    return edit_destination(settings, old, renamed)


def save_destination(
    settings: Settings, destination: Destination, previous: str | None = None
) -> Settings:
    """What the destination editor's *Save* means: a new destination (``previous`` None), or
    the one that was called ``previous`` changed (renamed when the names differ)."""
    if previous is None:
        return add_destination(settings, destination)
    return edit_destination(settings, previous, destination)


def remove_destination(settings: Settings, name: str, *, unlink: bool = False) -> Settings:
    """The destination called ``name`` removed.

    While clients are linked to it, it is refused (``STILL_LINKED``, with how many) unless
    ``unlink``: then it is also removed from their links, and a client it was the only
    destination of is no longer linked at all (its documents wait on the platform, *To
    fetch*, until it is linked again). Nothing on disk is touched: files already delivered
    there stay where they are.
    """
    if settings.destination(name) is None:
        raise _unknown(settings, name)
    linked = [link for link in settings.links if name in link.destinations]
    if linked and not unlink:
        raise _refuse(SettingsProblemCode.STILL_LINKED, name=name, count=str(len(linked)))
    destinations = [d for d in settings.destinations if d.name != name]
    links = []
    for link in settings.links:
        kept = [n for n in link.destinations if n != name]
        if kept:
            links.append(link.model_copy(update={"destinations": kept}))
    return validated(settings.model_copy(update={"destinations": destinations, "links": links}))


# -- client links ----------------------------------------------------------------------------------


def link_clients(
    settings: Settings,
    client_ids: Iterable[str],
    destination: str,
    *,
    now: dt.datetime,
    file_ids: Mapping[str, str | None] | None = None,
    since: dt.datetime | None = None,
) -> Settings:
    """Deliver each client's documents to ``destination`` too.

    A client not linked yet is delivered from ``since``, or from ``now`` (documents created
    before are not delivered by themselves); an existing link keeps its start unless ``since``
    is given, and its other destinations. ``file_ids`` gives the accounting file id per client
    (a missing or empty one keeps the link's).
    """
    ids = list(dict.fromkeys(client_ids))
    if not ids:
        raise _refuse(SettingsProblemCode.NO_CLIENTS)
    if settings.destination(destination) is None:
        raise _unknown(settings, destination)
    file_ids = file_ids or {}
    links = {link.client_id: link for link in settings.links}
    for client_id in ids:
        current = links.get(client_id)
        file_id = file_ids.get(client_id) or (current.accounting_file_id if current else None)
        links[client_id] = ClientLink(
            client_id=client_id,
            destinations=[*(current.destinations if current else []), destination],
            accounting_file_id=file_id or None,
            since=since or (current.since if current else now),
        )
    return validated(settings.model_copy(update={"links": list(links.values())}))


def unlink_clients(
    settings: Settings, client_ids: Iterable[str], destination: str | None = None
) -> Settings:
    """Stop delivering each client's documents to ``destination`` (to every destination when
    None); a client left with no destination is no longer linked."""
    ids = set(client_ids)
    if not ids:
        raise _refuse(SettingsProblemCode.NO_CLIENTS)
    if destination is not None and settings.destination(destination) is None:
        raise _unknown(settings, destination)
    links = []
    for link in settings.links:
        if link.client_id in ids:
            kept = [n for n in link.destinations if destination is not None and n != destination]
            if not kept:
                continue
            link = link.model_copy(update={"destinations": kept})
        links.append(link)
    return validated(settings.model_copy(update={"links": links}))


def apply_links(settings: Settings, changed: Mapping[str, ClientLink | None]) -> Settings:
    """The client links screen's edits: each changed client's new link (None: unlinked).

    Only the changed clients are touched, so a destination added or a client linked elsewhere
    meanwhile stays. A destination removed meanwhile is dropped from the edited link; a link
    left without any destination is no link.
    """
    names = {destination.name for destination in settings.destinations}
    links = {link.client_id: link for link in settings.links}
    for client_id, link in changed.items():
        kept = [name for name in link.destinations if name in names] if link else []
        if link is None or not kept:
            links.pop(client_id, None)
        else:
            links[client_id] = link.model_copy(update={"destinations": kept})
    return validated(settings.model_copy(update={"links": list(links.values())}))


def replace_setup(
    settings: Settings, destinations: Iterable[Destination], links: Iterable[ClientLink]
) -> Settings:
    """What the first-run wizard (or the demo) sets up: these destinations and links, the
    preferences chosen before (a proxy, the language) kept."""
    return validated(
        settings.model_copy(update={"destinations": list(destinations), "links": list(links)})
    )


# -- preferences -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    """What the Settings dialog chooses; ``language`` None means *the system's language*."""

    language: Language | None
    notifications: bool
    full_sync_every_days: int
    proxy: ProxySettings
    alerts: AlertSettings | None = None  # None: as they are


def change_preferences(settings: Settings, preferences: Preferences) -> Settings:
    """The Settings dialog's choices; destinations and links stay as they are."""
    return validated(
        settings.model_copy(
            update={
                "language": preferences.language,
                "notifications": preferences.notifications,
                "full_sync_every_days": preferences.full_sync_every_days,
                "proxy": preferences.proxy,
                "alerts": preferences.alerts or settings.alerts,
            }
        )
    )


# -- the settings file -----------------------------------------------------------------------------

_WRITING = threading.Lock()
LOCK_FILE = WRITERS_LOCK  # the same lock as a settings upgrade's, on purpose
LOCK_WAIT_S = 10.0


@contextlib.contextmanager
def _only_writer(settings_dir: Path) -> Iterator[None]:
    """This process and thread alone change the settings until the block ends: the command
    line and the app (or two commands) never undo each other's change. The OS frees the lock
    of a process that dies, however it dies."""
    with _WRITING:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                handle = cast(BinaryIO, lock_exclusively(settings_dir / LOCK_FILE))
                break
            except AlreadyLocked:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"another Ferry has been changing the settings in {settings_dir} for "
                        f"{LOCK_WAIT_S:.0f} seconds; try again"
                    ) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            handle.close()


def change_settings(
    settings_dir: Path,
    change: Callable[[Settings], Settings],
    *,
    replace_unreadable: bool = False,
) -> Settings:
    """Read the settings file, apply ``change`` to what it holds now, write the result
    atomically (keeping the previous file as a backup) and return it.

    The one writer of the settings file. Blocking: a GUI calls it off its thread. Raises
    :class:`~app.settings.SettingsError` when the file cannot be read (it is never replaced
    by defaults then), :class:`SettingsRefused` when the change is refused (nothing is
    written), and ``OSError`` when it cannot be written (``TimeoutError`` when another
    process kept changing them for :data:`LOCK_WAIT_S`). Changes are made one at a time, by
    every thread and process of this settings folder, so two never undo each other.

    ``replace_unreadable``: a file that cannot be read is replaced, the change applied to the
    default settings (the first-run wizard, which sets everything up again, does this).
    """
    try:
        with _only_writer(settings_dir):
            return _change_locked(settings_dir, change, replace_unreadable)
    except PermissionError:
        # another account's settings (the service's, which only administrators may change)
        raise _refuse(SettingsProblemCode.NOT_PERMITTED, folder=str(settings_dir)) from None


def _change_locked(
    settings_dir: Path, change: Callable[[Settings], Settings], replace_unreadable: bool
) -> Settings:
    try:
        current = load_settings(settings_dir)
    except SettingsError as error:
        if not replace_unreadable:
            raise
        log.warning("starting from default settings: %s", error)
        current = Settings()
    updated = validated(change(current))
    if updated != current or not settings_path(settings_dir).exists():
        settings_dir.mkdir(parents=True, exist_ok=True)
        save_settings(settings_dir, updated)
    return updated


def change_settings_renaming(
    home: FerryHome,
    renames: Mapping[str, str],
    change: Callable[[Settings], Settings],
) -> Settings:
    """:func:`change_settings` for a change that renames destinations (``renames``: old name
    to new; the editor's *Save* under another name, ``destination rename``, the wizard's
    set-up after a logout): the engine's record of what it delivered there follows the name
    in the same step, so a renamed destination keeps its history (what was picked up or moved
    is never written again) and nothing is delivered twice.

    The state's transaction is held while the settings are written and rolled back when the
    change is refused or cannot be written. Without a state yet (nothing delivered), only the
    settings change. An engine running in another process sees the new names at its next
    settings read; a delivery it finishes in between is recorded under the old name.
    """
    from app.engine.engine import STATE_FILE
    from app.engine.state import StateStore

    path = home.state_dir / STATE_FILE
    renames = {old: new for old, new in renames.items() if old != new}
    if not renames or not path.exists():
        return change_settings(home.settings_dir, change)
    store = StateStore(path)
    try:
        with store.renaming_destinations(renames) as moved:
            updated = change_settings(home.settings_dir, change)
            log.info("destinations renamed %s; %d deliveries follow", renames, moved)
            return updated
    finally:
        store.close()
