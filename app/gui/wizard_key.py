"""The wizard's page for a platform that logs in with an API key (Billit): the key and its
PartyID pasted once, checked with the platform, and what went wrong said in words.

The page only shows and collects; the wizard (:mod:`app.gui.wizard`) runs the check through
the application layer (:mod:`app.application.key_login`) as a coroutine on the GUI's loop, so
the window never waits on the network. The key field hides what is pasted: a key on the
screen is a key in a screenshot or a screen share.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QRegularExpression, Signal, Slot
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFormLayout, QLineEdit, QProgressBar, QVBoxLayout, QWidget

from app.application.key_login import (
    KeyProblem,
    PartyNotReached,
    clean_key,
    parse_party_id,
    without_key,
)
from app.auth.session import LoginNeeded
from app.gui.wizard_login import describe_failure
from app.gui.wizard_pages import _problem_label, _show_problem, _text, _title


class KeyPage(QWidget):
    """The API key and its PartyID, the check under way, and how it ended."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._platform = ""
        # Says the failure shown, again after a switch of language (None: nothing to say).
        self._said: Callable[[], str] | None = None
        self.title = _title("", self)
        self.intro = _text("", self)
        self.where = _text("", self)
        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setClearButtonEnabled(True)
        self.party = QLineEdit(self)
        self.party.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\s*\d{0,18}\s*"), self.party)
        )
        self.party.setPlaceholderText("123456")
        form = QFormLayout()
        self.key_label = _text("", self)
        self.party_label = _text("", self)
        form.addRow(self.key_label, self.key)
        form.addRow(self.party_label, self.party)
        self.status = _text("", self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.failure = _problem_label(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.where)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.failure)
        layout.addStretch(1)
        self.key.textChanged.connect(self._typed)
        self.party.textChanged.connect(self._typed)
        self._retranslate()

    def set_platform(self, name: str) -> None:
        """The platform's name as the office knows it (Billit), in every sentence."""
        self._platform = name
        self._retranslate()

    def _retranslate(self) -> None:
        name = self._platform
        self.title.setText(self.tr("Your {platform} API key").format(platform=name))
        self.intro.setText(
            self.tr(
                "Ferry logs in to {platform} with an API key and its PartyID, which "
                "{platform} gives an office for its own use. Paste both once: Ferry checks "
                "them with {platform}, then keeps the key in this computer's protected store, "
                "never in a file."
            ).format(platform=name)
        )
        self.where.setText(
            self.tr(
                "Where to find them: log in to {platform} in your browser; the API key is on "
                "your user profile, and the PartyID is the number in the browser's address "
                "bar when you open your company's page."
            ).format(platform=name)
        )
        self.key_label.setText(self.tr("API key"))
        self.party_label.setText(self.tr("PartyID"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if self._said is not None:
                _show_problem(self.failure, self._said())
        super().changeEvent(event)

    # -- what was typed -----------------------------------------------------------------------

    def typed(self) -> tuple[str, int] | None:
        """The key and the PartyID, when both can be sent; None otherwise."""
        try:
            return clean_key(self.key.text()), parse_party_id(self.party.text())
        except KeyProblem:
            return None

    def problems(self) -> list[str]:
        """What keeps the person from checking the key (nothing said before they typed)."""
        found = []
        try:
            clean_key(self.key.text())
        except KeyProblem:
            found.append(self.tr("Paste the API key."))
        try:
            parse_party_id(self.party.text())
        except KeyProblem:
            found.append(self.tr("Type the PartyID, a number."))
        return found

    @Slot()
    def _typed(self) -> None:
        self._said = None
        _show_problem(self.failure, None)
        self.changed.emit()

    # -- the check ----------------------------------------------------------------------------

    def reset(self) -> None:
        self._said = None
        self.status.setText("")
        self.progress.hide()
        _show_problem(self.failure, None)

    def checking(self) -> None:
        self._said = None
        self.status.setText(
            self.tr("Checking the key with {platform}…").format(platform=self._platform)
        )
        self.progress.show()
        _show_problem(self.failure, None)
        self.key.setEnabled(False)
        self.party.setEnabled(False)

    def show_error(self, error: BaseException, party_id: int, key: str) -> str:
        """Say why the check failed (in the window's language, now and after a switch), the
        key blanked out of whatever the platform said; returns the words."""
        self._said = lambda: without_key(self.describe(error, party_id), key)
        text = self._said()
        self._show(text)
        return text

    def show_failure(self, text: str | None) -> None:
        self._said = None
        self._show(text)

    def _show(self, text: str | None) -> None:
        self.status.setText("")
        self.progress.hide()
        self.key.setEnabled(True)
        self.party.setEnabled(True)
        _show_problem(self.failure, text)

    def done(self) -> None:
        self.show_failure(None)

    def describe(self, error: BaseException, party_id: int) -> str:
        """One sentence for whatever the check raised; never the key itself (the caller
        passes what the platform said through ``without_key``)."""
        if isinstance(error, LoginNeeded):
            return self.tr(
                "{platform} did not accept this API key. Check that it was pasted whole, or "
                "make a new one in {platform}."
            ).format(platform=self._platform)
        if isinstance(error, PartyNotReached):
            return self.tr(
                "{platform} accepted the key, but it does not reach PartyID {party}. Check "
                "the PartyID given with the key."
            ).format(platform=self._platform, party=party_id)
        return describe_failure(error)
