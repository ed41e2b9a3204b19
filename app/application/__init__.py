"""The application layer: what every face (the GUI, the command line, the service) calls to
change Ferry's settings and its login, so that each change is written once, by one rule.

- :mod:`app.application.settings_changes`: the decisions on settings (add, edit, rename and
  remove a destination; link and unlink clients; the preferences), pure functions from
  :class:`~app.settings.Settings` to ``Settings`` that refuse with problems as data, and
  :func:`~app.application.settings_changes.change_settings`, the one place that reads, changes
  and writes the settings file.
- :mod:`app.application.account`: ending a login (*Log out*, ``ferry logout``).

No Qt here, and no words decided from: a refusal is a code and its values, worded by the face
in its reader's language.
"""
