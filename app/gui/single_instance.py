"""One desktop app per Ferry home: a second launch brings the running one's window forward.

A local socket (a named pipe on Windows, a Unix socket elsewhere) named after the home: the
first instance listens; a later one connects, says "show", and exits.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 1000


def socket_name(home_root: Path) -> str:
    digest = hashlib.sha256(str(home_root.resolve()).encode()).hexdigest()[:16]
    return f"ferry-{digest}"


class SingleInstance(QObject):
    """Claims the home; ``show_requested`` fires when another launch asks for the window."""

    show_requested = Signal()

    def __init__(self, home_root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = socket_name(home_root)
        self._server: QLocalServer | None = None

    def ask_running_instance(self) -> bool:
        """True when another instance runs for this home (and was asked to show itself)."""
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(b"show\n")
        socket.flush()
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def claim(self) -> bool:
        """Listen for later launches; False if the name cannot be taken."""
        QLocalServer.removeServer(self._name)  # a crashed instance's stale socket
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
            return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    @Slot()
    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(self.show_requested.emit)
            socket.disconnected.connect(socket.deleteLater)
