"""Signed automatic updates (issue 17): TUF metadata through tufup, versioned folders, rollback.

- :mod:`.failures`: what went wrong, as a code and its parameters;
- :mod:`.policy`: whether to update, from which address, on which channel (a setting, and on
  Windows the administrator's policy in the registry, which wins);
- :mod:`.schedule`: when to check next (pure);
- :mod:`.client`: check, download and verify against the update repository (tufup);
- :mod:`.layout`: the installation's versioned folders, its pointer and health marks;
- :mod:`.apply`: make a verified archive a version folder, plan the switch;
- :mod:`.helper`: the process that switches, starts the new version and rolls back by itself.

The repository is made by ``scripts/release-update``.
"""
