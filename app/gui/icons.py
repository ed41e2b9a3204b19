"""Ferry's tray icons, drawn at run time: a ferry on a round badge, plus a small state badge.

Drawing them (instead of shipping PNGs) keeps them crisp at every size a tray asks for: each
pixel size is painted on its own, with lines snapped to whole pixels, so a 16 px icon is not a
blurred 256 px one. The state must read at a glance even at 16 px, so each state has its own
colour *and* its own symbol (colour alone fails colour-blind users): a check (up to date),
arrows (syncing), bars (paused), a slash (offline), a padlock (login needed), "!" (errors).
"""

from __future__ import annotations

import struct
from functools import cache

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from app.engine.messages import EngineState

SIZES = (16, 20, 22, 24, 32, 40, 48, 64, 128)

_BRAND = QColor("#1565c0")  # the ferry's disc: Ferry's blue
_MUTED = QColor("#78909c")  # the disc when Ferry is not delivering (paused, offline, stopped)
_WHITE = QColor("#ffffff")

# state -> (badge colour, symbol, whether the disc is muted)
_STYLE: dict[EngineState, tuple[QColor | None, str, bool]] = {
    EngineState.STARTING: (None, "", True),
    EngineState.UP_TO_DATE: (QColor("#2e7d32"), "check", False),
    EngineState.SYNCING: (QColor("#0288d1"), "arrows", False),
    EngineState.PAUSED: (QColor("#546e7a"), "bars", True),
    EngineState.OFFLINE: (QColor("#5f6368"), "slash", True),
    EngineState.LOGIN_NEEDED: (QColor("#ef6c00"), "lock", False),
    EngineState.ERRORS: (QColor("#c62828"), "bang", False),
    EngineState.STOPPED: (QColor("#5f6368"), "stop", True),
}


def render_state_pixmap(state: EngineState, size: int) -> QPixmap:
    """The icon for ``state``, painted for exactly ``size`` × ``size`` pixels."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(size / 32.0, size / 32.0)  # draw in a 32-unit box
        badge, symbol, muted = _STYLE[state]
        _draw_ferry(painter, _MUTED if muted else _BRAND, size <= 24)
        if badge is not None:
            _draw_badge(painter, badge, symbol, size)
    finally:
        painter.end()
    return pixmap


@cache
def state_icon(state: EngineState) -> QIcon:
    """A QIcon with a hand-painted pixmap per tray size (cached: icons never change)."""
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(render_state_pixmap(state, size))
    return icon


def _draw_ferry(painter: QPainter, disc: QColor, small: bool) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(disc))
    painter.drawEllipse(QRectF(1, 1, 30, 30))
    painter.setBrush(QBrush(_WHITE))
    # Funnel, cabin, hull: a ferry seen from the side, sitting a little high and left so the
    # badge in the bottom-right corner does not hide it. Edges fall on whole pixels at 16 px.
    painter.drawRect(QRectF(16, 6, 2, 4) if small else QRectF(15, 7, 3, 4))
    painter.drawRect(QRectF(10, 10, 12, 6) if small else QRectF(10, 11, 11, 5))
    hull = QPainterPath()
    hull.moveTo(4, 16)
    hull.lineTo(28, 16)
    hull.lineTo(24, 22)
    hull.lineTo(8, 22)
    hull.closeSubpath()
    if not small:
        hull = QPainterPath()
        hull.moveTo(5, 17)
        hull.lineTo(26, 17)
        hull.lineTo(22, 22)
        hull.lineTo(8, 22)
        hull.closeSubpath()
    painter.drawPath(hull)
    if not small:  # windows of the cabin: noise below 24 px
        painter.setBrush(QBrush(disc))
        for x in (12, 16):
            painter.drawRect(QRectF(x, 12.5, 2.5, 2))


def _draw_badge(painter: QPainter, colour: QColor, symbol: str, size: int) -> None:
    """The state badge in the bottom-right corner, drawn in device pixels.

    Below 24 px the badge is larger and its symbol simpler, with one-pixel strokes on pixel
    centres, so a 16 px tray icon still shows a check, two bars or a "!", not a smudge.
    """
    painter.save()
    painter.resetTransform()
    px = size / 32.0  # device pixels per unit of the 32-unit box
    small = size <= 24
    radius = (9.5 if small else 7.5) * px
    centre = QPointF((23 if small else 24) * px, (23 if small else 24) * px)
    if small:  # centre on a pixel centre, so one-pixel strokes through it are sharp
        centre = QPointF(int(centre.x()) + 0.5, int(centre.y()) + 0.5)
    ring = max(1.0, 1.5 * px)
    # A transparent ring around the badge keeps it apart from the disc on any tray colour.
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
    painter.setBrush(QBrush(Qt.GlobalColor.black))
    painter.drawEllipse(centre, radius + ring, radius + ring)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
    painter.setBrush(QBrush(colour))
    painter.drawEllipse(centre, radius, radius)
    # s: half the symbol's extent; stroke: one device pixel when small, thicker when large.
    s = radius * 0.55
    stroke = 1.0 if small else max(1.5, 2.2 * px)
    pen = QPen(_WHITE, stroke)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap if small else Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin if small else Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x, y = centre.x(), centre.y()
    solid = QBrush(_WHITE)
    if symbol == "check":
        if small:  # a diagonal one pixel wide reads as grey: a little bolder
            pen.setWidthF(1.6)
            painter.setPen(pen)
        path = QPainterPath()
        path.moveTo(x - s, y)
        path.lineTo(x - s * 0.3, y + s * 0.75)
        path.lineTo(x + s, y - s * 0.75)
        painter.drawPath(path)
    elif symbol == "arrows":
        box = QRectF(x - s, y - s, 2 * s, 2 * s)
        if small:  # one open ring with one head
            painter.drawArc(box, 90 * 16, 270 * 16)
            head = QPainterPath()
            head.moveTo(x, y - s - 2)
            head.lineTo(x + 2.5, y - s)
            head.lineTo(x, y - s + 2)
            head.closeSubpath()
        else:
            painter.drawArc(box, 30 * 16, 150 * 16)
            painter.drawArc(box, 210 * 16, 150 * 16)
            head = QPainterPath()
            for tip, d in (
                (QPointF(x + s * 0.87, y - s * 0.5), 1),
                (QPointF(x - s * 0.87, y + s * 0.5), -1),
            ):
                head.moveTo(tip.x() + s * 0.55 * d, tip.y())
                head.lineTo(tip.x() - s * 0.55 * d, tip.y())
                head.lineTo(tip.x(), tip.y() + s * 0.65 * d)
                head.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(solid)
        painter.drawPath(head)
    elif symbol == "bars":
        gap = 2.0 if small else s * 0.55
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(solid)
        width = 1.0 if small else stroke
        for left in (x - gap - width / 2, x + gap - width / 2):
            painter.drawRect(QRectF(round(left) if small else left, y - s, width, 2 * s))
    elif symbol == "slash":
        painter.drawLine(QPointF(x - s, y + s), QPointF(x + s, y - s))
        if not small:
            painter.drawEllipse(QPointF(x, y), s * 0.95, s * 0.95)
    elif symbol == "lock":
        painter.drawArc(QRectF(x - s * 0.6, y - s * 1.1, s * 1.2, s * 1.3), 0, 180 * 16)
        painter.drawLine(QPointF(x - s * 0.6, y - s * 0.45), QPointF(x - s * 0.6, y))
        painter.drawLine(QPointF(x + s * 0.6, y - s * 0.45), QPointF(x + s * 0.6, y))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(solid)
        painter.drawRect(QRectF(x - s, y - s * 0.1, 2 * s, s * 1.2))
    elif symbol == "bang":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(solid)
        width = 1.0 if small else stroke
        painter.drawRect(QRectF(x - width / 2, y - s * 1.1, width, s * 1.35))
        dot = 1.0 if small else stroke
        painter.drawRect(QRectF(x - dot / 2, y + s * 0.65, dot, dot))
    elif symbol == "stop":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(solid)
        painter.drawRect(QRectF(x - s * 0.75, y - s * 0.75, s * 1.5, s * 1.5))
    painter.restore()


#: The sizes of the program's own icon (Explorer, Start menu, the installer, the taskbar).
APP_ICON_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def render_app_pixmap(size: int) -> QPixmap:
    """Ferry's own icon: the ferry on its blue disc, without a state badge."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(size / 32.0, size / 32.0)
        _draw_ferry(painter, _BRAND, size <= 24)
    finally:
        painter.end()
    return pixmap


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """A Windows .ico holding PNG images (Windows Vista and later read PNG entries).

    ``images``: (size in pixels, PNG bytes), one per size. Qt's own ICO writer stores one
    image per file, and Windows picks the size it needs from the file, so the file is
    written here: a 6-byte header, a 16-byte entry per image, then the images.
    """
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = [], []
    for size, png in images:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO entry
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset))
        blobs.append(png)
        offset += len(png)
    return header + b"".join(entries) + b"".join(blobs)


def app_icon_ico() -> bytes:
    """Ferry's icon as an .ico, every size painted on its own (needs a QGuiApplication)."""
    images = []
    for size in APP_ICON_SIZES:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not render_app_pixmap(size).save(buffer, "PNG"):
            raise OSError(f"Qt could not encode the {size} px icon as PNG")
        images.append((size, bytes(buffer.data().data())))
    return ico_bytes(images)


def render_installer_panel(width: int = 164, height: int = 314) -> QPixmap:
    """The installer's welcome and finish pages' side panel (NSIS wants 164 × 314): Ferry's
    blue with the ferry on a white disc, in place of NSIS's stock picture."""
    pixmap = QPixmap(width, height)
    pixmap.fill(_BRAND)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = int(width * 0.7)
        painter.translate((width - side) / 2, height * 0.18)
        painter.scale(side / 32.0, side / 32.0)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(_WHITE))
        painter.drawEllipse(QRectF(1, 1, 30, 30))
        painter.translate(16, 16)
        painter.scale(0.8, 0.8)
        painter.translate(-16, -16)
        _draw_ferry(painter, _BRAND, False)
    finally:
        painter.end()
    return pixmap
