"""A day typed the way the person writes days, or picked on a calendar that opens on today.

*Deliver from* needs "now" (nothing earlier) or a day in the past. Qt's ``QDateEdit`` can do
"now" only as a special value that is really its minimum day (2000-01-01): its calendar then
opened on January 2000, and it refused every key typed over "now"; typed days must also
follow its sections exactly. Here the day is plain text, read on every keystroke in Ferry's
regional format (:func:`app.gui.i18n.date_format`) and the usual variants of it ("3/11/2026",
"3-11-2026", "2026-11-03"); empty means "now" (shown greyed as the placeholder). A day that
cannot be read, or lies in the future, is said under the mouse and in a red frame, and the
last good day stays the value.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from app.gui.i18n import date_format, ferry_locale

#: The value that means "now": nothing earlier than the moment of saving.
NOW = QDate(2000, 1, 1)

#: What else a person may type for a day, besides the region's own format.
_VARIANTS = ("d/M/yyyy", "d-M-yyyy", "d.M.yyyy", "yyyy-M-d", "d/M/yy", "d-M-yy", "d.M.yy")


def read_day(text: str, locale: QLocale | None = None) -> QDate | None:
    """The day ``text`` names in the region's format or a usual variant; None if none."""
    text = text.strip()
    if not text:
        return None
    locale = locale or ferry_locale()
    formats = [date_format(), locale.dateFormat(QLocale.FormatType.ShortFormat)]
    if date_format().startswith(("M", "MM")):  # the United States: month first
        formats += ["M/d/yyyy", "M-d-yyyy", "M/d/yy", "M-d-yy"]
    formats += list(_VARIANTS)
    for form in formats:
        day = locale.toDate(text, form)
        if day.isValid():
            if "yyyy" not in form and day.year() < 2000:  # "3/11/26": this century
                day = day.addYears(100)
            return day
    return None


class DayEdit(QWidget):
    """A day field with a calendar button; :meth:`date` is :data:`NOW` when left empty."""

    dateChanged = Signal(QDate)  # noqa: N815 - named as QDateEdit's
    editingFinished = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date = NOW
        self._maximum = QDate.currentDate()
        self._problem = ""
        self.line = QLineEdit(self)
        self.line.setClearButtonEnabled(True)
        self.pick = QToolButton(self)
        self.pick.setArrowType(Qt.ArrowType.DownArrow)
        self.calendar = QCalendarWidget()
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.pick.clicked.connect(self.open_calendar)
        self.line.textEdited.connect(self._typed)
        self.line.editingFinished.connect(self._finished)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.pick)
        self.setFocusProxy(self.line)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.retranslate()

    # -- the value ---------------------------------------------------------------------------

    def date(self) -> QDate:
        return QDate(self._date)

    def setDate(self, day: QDate) -> None:  # noqa: N802 - named as QDateEdit's
        """Show ``day`` (:data:`NOW`, or anything before it, shows the empty field)."""
        day = NOW if not day.isValid() or day <= NOW else min(day, self._maximum)
        self.line.setText("" if day == NOW else ferry_locale().toString(day, date_format()))
        self._set_problem("")
        self._set(day)

    def maximumDate(self) -> QDate:  # noqa: N802 - named as QDateEdit's
        return QDate(self._maximum)

    def text(self) -> str:
        """What the field shows: the day, or "now" in the person's language."""
        return self.line.text() or self.line.placeholderText()

    @property
    def problem(self) -> str:
        """Why what is typed is not taken, in the person's language; empty when it is."""
        return self._problem

    # -- words -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """The placeholder ("now") and the day in Ferry's language and region."""
        self.line.setPlaceholderText(QCoreApplication.translate("ClientLinksView", "now"))
        self.pick.setToolTip(QCoreApplication.translate("DayEdit", "Pick a day on a calendar"))
        self.calendar.setLocale(ferry_locale())
        if self._date != NOW and not self._problem:
            self.line.setText(ferry_locale().toString(self._date, date_format()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the calendar ------------------------------------------------------------------------

    @Slot()
    def open_calendar(self) -> None:
        """Open on the chosen day's month, or on today's for "now"."""
        today = QDate.currentDate()
        self._maximum = today
        self.calendar.setMaximumDate(today)
        self.calendar.setMinimumDate(NOW.addDays(1))
        shown = self._date if self._date != NOW else today
        self.calendar.setSelectedDate(shown)
        self.calendar.setCurrentPage(shown.year(), shown.month())
        below = self.mapToGlobal(self.rect().bottomLeft())
        self.calendar.adjustSize()
        self.calendar.move(below)
        self.calendar.show()
        self.calendar.setFocus()

    @Slot(QDate)
    def _picked(self, day: QDate) -> None:
        self.calendar.hide()
        self.setDate(day)
        self.editingFinished.emit()

    # -- typing ------------------------------------------------------------------------------

    @Slot(str)
    def _typed(self, text: str) -> None:
        if not text.strip():
            self._set_problem("")
            self._set(NOW)
            return
        day = read_day(text)
        if day is None:
            example = ferry_locale().toString(QDate.currentDate().addDays(-7), date_format())
            self._set_problem(
                QCoreApplication.translate("DayEdit", "Type a day like {example}.").format(
                    example=example
                )
            )
        elif day > QDate.currentDate():
            self._set_problem(
                QCoreApplication.translate(
                    "DayEdit", "Documents cannot be delivered from a day still to come."
                )
            )
        elif day <= NOW:
            self._set_problem(
                QCoreApplication.translate("DayEdit", "Pick a day after {day}.").format(
                    day=ferry_locale().toString(NOW, date_format())
                )
            )
        else:
            self._set_problem("")
            self._set(day)

    @Slot()
    def _finished(self) -> None:
        if not self._problem and self._date != NOW:  # written the region's way once done
            self.line.setText(ferry_locale().toString(self._date, date_format()))
        self.editingFinished.emit()

    def _set(self, day: QDate) -> None:
        if day != self._date:
            self._date = QDate(day)
            self.dateChanged.emit(QDate(day))

    def _set_problem(self, problem: str) -> None:
        self._problem = problem
        self.line.setToolTip(problem)
        self.line.setStyleSheet("QLineEdit { border: 1px solid #b00020; }" if problem else "")
