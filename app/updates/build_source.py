"""Where a release build updates from: the update repository's root metadata and address,
put into the build by ``scripts/build`` (``FERRY_UPDATE_ROOT``, ``FERRY_UPDATE_URL``).

    app/resources/updates/root.json     the release key set's root metadata (TUF): the only
                                        keys this build trusts, never one read at first use
    app/resources/updates/source.json   {"url": "https://..."}: the repository's address

A run from source and a build made without them carry neither: updates then say they are
not set up (:attr:`~app.updates.failures.UpdateFailureCode.NOT_CONFIGURED`) unless a setting
or an administrator's policy names an address and the tests give a root.
"""

from __future__ import annotations

import json
import logging
from importlib.resources import files
from pathlib import Path

from app.updates.settings import UpdateSettings

log = logging.getLogger(__name__)

FOLDER = Path(str(files("app") / "resources" / "updates"))
#: The release key set's root metadata, shipped with a release build (absent from source).
TRUSTED_ROOT = FOLDER / "root.json"
SOURCE_FILE = FOLDER / "source.json"


def build_url(source: Path | None = None) -> str | None:
    """The update repository's address this build was made for (``source``: the build's
    file unless given); None when it names none. A file that does not read as one address
    is logged and ignored: a build must start."""
    source = source or SOURCE_FILE
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        log.warning("updates: the build's %s cannot be read: %s", source, error)
        return None
    url = data.get("url") if isinstance(data, dict) else None
    try:
        return UpdateSettings(url=url).url if isinstance(url, str) else None
    except ValueError as error:
        log.warning("updates: the build's %s names no usable address: %s", source, error)
        return None
