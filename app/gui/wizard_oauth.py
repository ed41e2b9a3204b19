"""The wizard's page for a platform that logs in with OAuth 2.0 and the office's own client
(Billit): the client id (the region's, when it names one) and the client secret, typed once
before the browser login.

The platform registers each client with exact redirect addresses, so the page says which
ones to register: Ferry's loopback listener on the region's fixed ports. The page only shows
and collects; the wizard runs the login (:mod:`app.application.oauth2_login`) as a coroutine
on the GUI's loop and shows its progress on the login page, as for any browser login.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from app.gui.wizard_pages import _text, _title


class ClientPage(QWidget):
    """The office's OAuth 2.0 client at the platform: its id and its secret."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._platform = ""
        self._ports: tuple[int, ...] = ()
        self.title = _title("", self)
        self.intro = _text("", self)
        self.redirects = _text("", self)
        self.client_id = QLineEdit(self)
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setClearButtonEnabled(True)
        self.id_label = _text("", self)
        self.secret_label = _text("", self)
        form = QFormLayout()
        form.addRow(self.id_label, self.client_id)
        form.addRow(self.secret_label, self.secret)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.redirects)
        layout.addLayout(form)
        layout.addStretch(1)
        self.client_id.textChanged.connect(self._typed)
        self.secret.textChanged.connect(self._typed)
        self._retranslate()

    def set_region(self, platform: str, client_id: str | None, ports: tuple[int, ...]) -> None:
        """The platform's name, the client id the region names (then not editable), and the
        fixed redirect ports registered with it."""
        self._platform, self._ports = platform, ports
        if client_id:
            self.client_id.setText(client_id)
        self.client_id.setReadOnly(bool(client_id))
        self._retranslate()

    def _retranslate(self) -> None:
        name = self._platform
        self.title.setText(self.tr("Your office's {platform} client").format(platform=name))
        self.intro.setText(
            self.tr(
                "{platform} lets Ferry log in for your office with the client id and secret "
                "{platform} registered for your office or its IT partner. Ferry then opens "
                "{platform}'s login page in your browser, and keeps the secret in this "
                "computer's protected store, never in a file."
            ).format(platform=name)
        )
        addresses = ", ".join(f"http://127.0.0.1:{port}/callback" for port in self._ports)
        self.redirects.setText(
            self.tr("Redirect addresses registered with the client: {addresses}").format(
                addresses=addresses
            )
            if addresses
            else ""
        )
        self.redirects.setVisible(bool(addresses))
        self.id_label.setText(self.tr("Client id"))
        self.secret_label.setText(self.tr("Client secret"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def typed(self) -> tuple[str, str] | None:
        client_id, secret = self.client_id.text().strip(), self.secret.text().strip()
        return (client_id, secret) if client_id and secret else None

    def problems(self) -> list[str]:
        found = []
        if not self.client_id.text().strip():
            found.append(self.tr("Type the client id."))
        if not self.secret.text().strip():
            found.append(self.tr("Paste the client secret."))
        return found

    @Slot()
    def _typed(self) -> None:
        self.changed.emit()
