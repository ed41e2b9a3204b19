"""Where Ferry keeps its settings, state, logs and data.

By default each goes where its OS expects it (platformdirs). ``--home DIR`` or ``FERRY_HOME``
puts all of them under one folder instead, so tests, benchmarks and a second instance never
touch a user's real data.
"""

from __future__ import annotations

import ntpath
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Ferry"
APP_AUTHOR = "Ferry"
HOME_ENV = "FERRY_HOME"
#: The file whose presence says the service's home is set up (``app.auth.account``'s login).
MACHINE_LOGIN_FILE = "login.json"


@dataclass(frozen=True)
class FerryHome:
    """The folders of one Ferry installation (or one test's sandboxed copy)."""

    settings_dir: Path
    state_dir: Path
    log_dir: Path
    data_dir: Path

    @classmethod
    def under(cls, root: Path) -> FerryHome:
        root = root.expanduser().resolve()
        return cls(root / "settings", root / "state", root / "logs", root / "data")

    @classmethod
    def standard(cls) -> FerryHome:
        return cls(
            Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR, roaming=True)),
            Path(platformdirs.user_state_dir(APP_NAME, APP_AUTHOR)),
            Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
            Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        )

    @classmethod
    def machine(cls, environ: Mapping[str, str] | None = None) -> FerryHome:
        """The computer's own Ferry home, ``%ProgramData%\\Ferry``: the Windows service's.

        A service runs with nobody logged on, often as LocalSystem, whose per-user folders
        (under ``system32\\config\\systemprofile``) nobody looks in and an update may wipe;
        ``%ProgramData%`` is where Windows keeps per-machine data that administrators can
        read. Windows paths are built with :mod:`ntpath` whatever the OS, so this is the same
        pure function in a Linux test; nothing is resolved or made here (:meth:`ensure` does).
        """
        root = machine_root(os.environ if environ is None else environ)
        return cls(
            *(Path(ntpath.join(root, name)) for name in ("settings", "state", "logs", "data"))
        )

    @classmethod
    def resolve(cls, option: str | None, environ: Mapping[str, str] | None = None) -> FerryHome:
        """The home chosen by ``--home``, else ``FERRY_HOME``; else, on a Windows computer
        whose Ferry service is set up (its home holds a login), the service's home: one
        engine per computer, which the tray app and the command line attach to; else the
        OS's standard folders for this person."""
        env = os.environ if environ is None else environ
        chosen = option or env.get(HOME_ENV) or None
        if chosen:
            return cls.under(Path(chosen))
        if sys.platform == "win32":
            machine = cls.machine(env)
            if (machine.settings_dir / MACHINE_LOGIN_FILE).is_file():
                return machine
        return cls.standard()

    def ensure(self) -> FerryHome:
        """Make the four folders; :class:`HomeFolderError` names the one that cannot be."""
        for folder in (self.settings_dir, self.state_dir, self.log_dir, self.data_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise HomeFolderError(folder, error) from error
        return self


def machine_root(environ: Mapping[str, str]) -> str:
    """``%ProgramData%\\Ferry``; without the variable (a stripped environment), under the
    folder ``%ALLUSERSPROFILE%`` names, else ``ProgramData`` on the system drive (Windows 10's
    own defaults). Names are matched whatever their case, as Windows does."""
    upper = {name.upper(): value for name, value in environ.items() if value}
    base = upper.get("PROGRAMDATA") or upper.get("ALLUSERSPROFILE")
    if not base:
        base = ntpath.join(upper.get("SYSTEMDRIVE", "C:") + "\\", "ProgramData")
    return ntpath.join(base, APP_NAME)


class HomeFolderError(OSError):
    """One of Ferry's own folders cannot be made: ``folder`` says which (the path Ferry
    wanted, rather than whichever the system named), ``strerror`` what the system said."""

    def __init__(self, folder: Path, error: OSError) -> None:
        super().__init__(error.errno, error.strerror or str(error), str(folder))
        self.folder = folder
