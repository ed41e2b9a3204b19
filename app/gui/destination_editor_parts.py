"""Pieces of the destination editor that are not the form itself.

- :func:`placeholder`: an example path that the editor's own rules accept on the OS it checks for;
- :func:`browse_candidates` / :func:`browse_start`: where *Browse…* opens (the field's folder or
  its nearest existing parent, else the last folder browsed, else the person's Documents), with
  the existence check passed in so it can run off the GUI thread;
- :class:`ProblemLine`: a problem area of a fixed height, so that a problem appearing never
  moves the fields below; what does not fit is elided, the whole is in its tooltip;
- :class:`VariableCompletion`: the ``[`` completion list. Not a ``QCompleter``: its popup is a
  ``Qt.Popup`` window that grabs the mouse, so the click that closes it is swallowed, and Qt
  places it right under the line edit, over the field's problem line. This list is a plain
  child of the dialog, shown under the problem line; it never takes focus or grabs the mouse,
  so a click anywhere else reaches what was clicked (and the edit losing focus closes it).
"""

from __future__ import annotations

import ntpath
import posixpath
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from app.core.language import Language
from app.core.names import TargetOS
from app.core.variables import VariableKey, variable
from app.gui.style import ERROR_COLOR

# -- the placeholder -------------------------------------------------------------------------

_FOLDER_WORD = {Language.EN: "Accounting", Language.FR: "Comptabilite", Language.NL: "Boekhouding"}


def placeholder(target: TargetOS, language: Language = Language.EN) -> str:
    """An example path, written the way ``target`` writes paths: a drive on Windows, ``/srv``
    elsewhere; valid under the editor's own rules for that target."""
    spelled = f"[{variable(VariableKey.ACCOUNTING_FILE_ID).spelling(language)}]"
    word = _FOLDER_WORD[language]
    if target is TargetOS.WINDOWS:
        return ntpath.join("C:\\", word, spelled)
    return posixpath.join("/srv", word.lower(), spelled)


# -- where Browse… starts --------------------------------------------------------------------


def browse_candidates(value: str, target: TargetOS) -> list[str]:
    """The folders the field's value names, deepest first: its fixed part (before the first
    variable) and each parent up to the root. Nothing touches the disk."""
    fixed = value.split("[", 1)[0].strip()
    if not fixed:
        return []
    paths = ntpath if target is TargetOS.WINDOWS else posixpath
    if not paths.isabs(fixed):
        return []
    found: list[str] = []
    current = paths.normpath(fixed)
    while current and current not in found:
        found.append(current)
        current = paths.dirname(current)
    return found


def browse_start(
    value: str,
    last: str | None,
    documents: str,
    target: TargetOS,
    exists: Callable[[str], bool],
) -> str:
    """Where *Browse…* opens: the nearest existing folder of the field's value, else the last
    folder browsed (when it still exists), else ``documents``; never the working folder.
    ``exists`` touches the disk (a network share may hang): call this off the GUI thread."""
    for candidate in [*browse_candidates(value, target), *([last] if last else [])]:
        if exists(candidate):
            return candidate
    return documents


# -- a problem line that never moves its neighbours ------------------------------------------

WARNING_COLOR = "#8a5300"


class ProblemLine(QLabel):
    """Problems (or warnings) below a field, in a space of ``lines`` lines that is always
    there: showing a problem never moves the fields below. What does not fit ends with "…";
    the tooltip holds every word."""

    def __init__(self, lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines = lines
        self._items: list[str] = []
        self.warning = False
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._fix_height()

    def _fix_height(self) -> None:
        margins = self.contentsMargins()
        self.setFixedHeight(
            self._lines * QFontMetrics(self.font()).lineSpacing() + margins.top() + margins.bottom()
        )

    def items(self) -> list[str]:
        return list(self._items)

    def set_items(self, items: Iterable[str], *, warning: bool = False) -> None:
        items = list(items)
        if items == self._items and warning == self.warning:
            return
        self._items, self.warning = items, warning
        self.setStyleSheet(f"color: {WARNING_COLOR if warning else ERROR_COLOR};")
        self.setToolTip("\n".join(self._items))
        self._fit()

    def _full_text(self) -> str:
        if len(self._items) == 1:
            return self._items[0]
        return "\n".join(f"• {item}" for item in self._items)

    def _fits(self, text: str, width: int) -> bool:
        bounds = QFontMetrics(self.font()).boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return bounds.height() <= self.contentsRect().height()

    def _fit(self) -> None:
        text = self._full_text()
        width = self.contentsRect().width()
        if not text or width <= 0 or self._fits(text, width):
            self.setText(text)
            return
        low, high = 0, len(text)  # the longest start of the text that fits with "…" after it
        while low < high:
            middle = (low + high + 1) // 2
            if self._fits(text[:middle].rstrip() + "…", width):
                low = middle
            else:
                high = middle - 1
        self.setText(text[:low].rstrip() + "…")

    def shown_text(self) -> str:
        return self.text()

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fix_height()
            self._fit()


# -- completion of variables ------------------------------------------------------------------

VISIBLE_CHOICES = 6


class VariableCompletion(QObject):
    """The list of variables offered after a ``[``, under ``below`` (the field's problem line)
    so it never hides it; keyboard (↑ ↓ Enter Tab Esc) and mouse, never a grab."""

    chosen = Signal(str)

    def __init__(self, edit: QLineEdit, below: QWidget, spellings: list[str]) -> None:
        super().__init__(edit)
        self._edit = edit
        self._below = below
        self.spellings = spellings  # what is offered: the language's spellings and English's
        self.list: QListWidget | None = None
        edit.installEventFilter(self)

    def _ensure_list(self) -> QListWidget:
        window = self._edit.window()
        if self.list is None or self.list.parent() is not window:
            if self.list is not None:
                self.list.deleteLater()
            view = QListWidget(window)
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the edit keeps the focus and the typing
            view.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
            view.setFrameShape(QListWidget.Shape.Box)
            view.itemClicked.connect(self._clicked)
            view.hide()
            self.list = view
        return self.list

    def visible(self) -> bool:
        return self.list is not None and self.list.isVisible()

    def offer(self, prefix: str) -> None:
        """Show the variables that start with ``prefix`` (its ``[`` included), or hide."""
        matches = [s for s in self.spellings if s.lower().startswith(prefix.lower())]
        if not matches or (len(matches) == 1 and matches[0] == prefix):
            self.hide()
            return
        view = self._ensure_list()
        view.clear()
        view.addItems(matches)
        view.setCurrentRow(0)
        window = view.parentWidget()
        assert window is not None
        left = self._edit.mapTo(window, QPoint(0, 0)).x()
        under = self._below.mapTo(window, QPoint(0, self._below.height())).y()
        over = self._edit.mapTo(window, QPoint(0, 0)).y()
        rows = min(len(matches), VISIBLE_CHOICES)
        height = rows * max(view.sizeHintForRow(0), 1) + 2 * view.frameWidth() + 2
        width = max(self._edit.width() // 2, view.sizeHintForColumn(0) + 40)
        top = under if under + height <= window.height() else max(0, over - height)
        view.setGeometry(left, top, width, height)
        view.show()
        view.raise_()

    def hide(self) -> None:
        if self.list is not None:
            self.list.hide()

    def _clicked(self, item: QListWidgetItem) -> None:
        self.hide()
        self.chosen.emit(item.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._edit:
            kind = event.type()
            if kind in (QEvent.Type.FocusOut, QEvent.Type.Hide):
                self.hide()
            elif kind == QEvent.Type.KeyPress and self.visible():
                return self._key(event)  # type: ignore[arg-type]
        return False

    def _key(self, event: QKeyEvent) -> bool:
        view = self.list
        assert view is not None
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            view.setCurrentRow((view.currentRow() + step) % view.count())
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            item = view.currentItem()
            self.hide()
            if item is not None:
                self.chosen.emit(item.text())
            return True
        if key == Qt.Key.Key_Escape:
            self.hide()
            return True
        return False
