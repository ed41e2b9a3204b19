"""Drive letters a Windows service cannot see: a mapped network drive or a ``subst`` drive
exists only in the session of the user who made it. What ``QueryDosDeviceW`` says a drive is
becomes the path to write instead (pure, with Windows' own path rules on any OS); on the
Windows CPython under Wine, real drives are left alone."""

from __future__ import annotations

import sys

import pytest

from app.os_specific import drive_a_service_cannot_see, subst_target


@pytest.mark.parametrize(
    ("device", "path", "instead"),
    [
        (r"\??\D:\Data\Boekhouding", r"S:\in\[year]", r"D:\Data\Boekhouding\in\[year]"),
        (r"\??\D:\Data", "S:", r"D:\Data"),
        (r"\??\D:\Data", "S:\\", r"D:\Data"),
        (r"\??\UNC\nas\boek", r"S:\in", r"\\nas\boek\in"),
        (r"\Device\HarddiskVolume3", r"C:\in", None),  # a real disk
        (r"\Device\CdRom0", r"E:\in", None),
        (r"\??\unix/home", r"Z:\in", None),  # Wine's view of the Linux root
        (r"\??\D:\Data", r"\\nas\share\in", None),  # not a drive letter at all
    ],
)
def test_a_subst_drive_is_written_on_its_real_folder(
    device: str, path: str, instead: str | None
) -> None:
    assert subst_target(device, path) == instead


def test_other_oses_have_no_such_drives() -> None:
    if sys.platform == "win32":
        pytest.skip("Windows has them")
    assert drive_a_service_cannot_see(r"Z:\in") is None


@pytest.mark.windows
def test_real_drives_are_left_alone_on_windows() -> None:
    if sys.platform != "win32":
        pytest.skip("the Windows CPython (scripts/test-windows)")
    assert drive_a_service_cannot_see("C:\\Windows") is None
    assert drive_a_service_cannot_see("relative\\path") is None
    assert drive_a_service_cannot_see("\\\\nas\\share\\in") is None
