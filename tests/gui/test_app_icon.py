"""Ferry's program icon: drawn in code like the tray's, written as a multi-size .ico that
Windows (Explorer, Start menu, the installer) and Qt's own ICO reader both read back."""

from __future__ import annotations

import struct

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImageReader

from app.gui.icons import APP_ICON_SIZES, app_icon_ico, ico_bytes, render_app_pixmap


def test_the_ico_holds_every_size_and_qt_reads_each_back(qapp) -> None:
    data = app_icon_ico()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(APP_ICON_SIZES))
    array = QByteArray(data)  # kept alive: the buffer does not own it
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"ico")
    assert reader.imageCount() == len(APP_ICON_SIZES)
    sizes = []
    for index in range(reader.imageCount()):
        assert reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        sizes.append(image.width())
    assert sorted(sizes) == sorted(APP_ICON_SIZES)


def test_the_entries_point_at_their_images() -> None:
    images = [(16, b"\x89PNG-sixteen"), (256, b"\x89PNG-two-five-six")]
    data = ico_bytes(images)
    for index, (size, png) in enumerate(images):
        width, height, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        assert (width, height) == ((0, 0) if size == 256 else (size, size))
        assert (planes, bits, length) == (1, 32, len(png))
        assert data[offset : offset + length] == png


def test_the_icon_is_the_ferry_on_its_blue_disc(qapp) -> None:
    image = render_app_pixmap(64).toImage()
    assert image.pixelColor(32, 4) == QColor("#1565c0")  # the disc, above the ferry
    assert image.pixelColor(0, 0).alpha() == 0  # round: the corners are transparent
    assert image.pixelColor(32, 38) == QColor("#ffffff")  # the hull


def test_the_installer_panel_is_the_size_nsis_wants(qapp) -> None:
    from app.gui.icons import render_installer_panel

    image = render_installer_panel().toImage()
    assert (image.width(), image.height()) == (164, 314)
    assert image.pixelColor(5, 300) == QColor("#1565c0")
