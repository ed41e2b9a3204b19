"""The channel's transport on each OS's own kind of pipe: a Unix socket here, a named pipe on
the Windows CPython under Wine. A face attaches to a host whose engine is not running (the
transport, the handshake and the versioned hello need no platform): it is welcomed, its request
is answered with the engine's absence, and a face with the wrong secret is refused."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.engine import attached, channel
from app.engine.channel import PROTOCOL, ChannelError, DocumentsQuery
from app.engine.host import EngineHost, HostKind
from app.home import FerryHome

pytestmark = pytest.mark.windows


@pytest.fixture
def host(tmp_path: Path) -> Iterator[EngineHost]:
    home = FerryHome.under(tmp_path / "home").ensure()
    hosting = EngineHost(home, host=HostKind.SERVICE)
    hosting.open_channel()
    try:
        yield hosting
    finally:
        hosting.stop(timeout=5)


def test_the_address_is_this_os_s_kind_of_pipe(host: EngineHost) -> None:
    where = channel.address(host.home)
    if sys.platform == "win32":
        assert where.startswith("\\\\.\\pipe\\ferry-engine-")
    else:
        assert where.endswith(".sock")


def test_a_face_is_welcomed_and_its_request_answered(host: EngineHost) -> None:
    face = attached.attach(host.home, face="transport-test")
    assert face is not None and face.welcome is not None
    try:
        assert face.welcome.protocol == PROTOCOL and face.welcome.host == "service"
        reply = face.request(DocumentsQuery(), timeout=10)
        assert reply.error == "the engine is not running"
        assert host.faces == 1
    finally:
        face.stop()


def test_a_face_with_the_wrong_secret_is_refused(host: EngineHost) -> None:
    key = host.home.state_dir / channel.KEY_FILE
    real = key.read_text()
    key.write_text("f" * 64)
    try:
        with pytest.raises(ChannelError) as refused:
            attached.attach(host.home, face="intruder")
        assert refused.value.code == "not_allowed"
    finally:
        key.write_text(real)
    face = attached.attach(host.home, face="transport-test")
    assert face is not None
    face.stop()


def test_no_host_means_no_engine(tmp_path: Path) -> None:
    home = FerryHome.under(tmp_path / "empty").ensure()
    assert attached.attach(home, face="x") is None
    channel.make_key(home)  # a secret left by an engine that is gone
    assert attached.attach(home, face="x") is None


@pytest.mark.parametrize("kind", [HostKind.RUN, HostKind.SERVICE])
def test_the_pipe_s_readers_are_named_not_defaulted(tmp_path: Path, kind: HostKind) -> None:
    """On Windows the pipe is made with its own access list: the person's engine lets its own
    account, administrators and SYSTEM in; the service's also the people logged on to the
    computer (their tray app), and never everyone (the default lets everyone read)."""
    if sys.platform != "win32":
        pytest.skip("a named pipe's access list (Windows; scripts/test-windows)")
    import win32security

    from app.service import pipe_security

    home = FerryHome.under(tmp_path / kind.value).ensure()
    hosting = EngineHost(home, host=kind)
    hosting.open_channel()
    try:
        handle = hosting._listener._handle_queue[0]
        descriptor = win32security.GetSecurityInfo(
            handle, win32security.SE_KERNEL_OBJECT, win32security.DACL_SECURITY_INFORMATION
        )
        dacl = descriptor.GetSecurityDescriptorDacl()
        sids = {
            win32security.ConvertSidToStringSid(dacl.GetAce(n)[2])
            for n in range(dacl.GetAceCount())
        }
        me = pipe_security.current_user_sid()
        expected = {"S-1-5-18", "S-1-5-32-544"} | (
            {"S-1-5-4"} if kind is HostKind.SERVICE else {me}
        )
        assert sids == expected
        assert "S-1-1-0" not in sids  # Everyone
        face = attached.attach(home, face="transport-test")  # and its owner gets in
        assert face is not None
        face.stop()
    finally:
        hosting.stop(timeout=5)


def test_the_access_lists_in_sddl() -> None:
    from app.service import pipe_security

    me = "S-1-5-21-1-2-3-1001"
    assert pipe_security.pipe_sddl(False, me) == "D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;" + me + ")"
    assert pipe_security.pipe_sddl(True, me).endswith("(A;;GRGW;;;IU)")
    assert "IU" not in pipe_security.key_sddl(False, me)
    assert pipe_security.key_sddl(True, me).endswith("(A;;FR;;;IU)")  # read, never write


def test_the_service_s_home_lets_the_people_logged_on_read_only_settings_and_logs() -> None:
    from app.service import pipe_security

    account = "S-1-5-21-1-2-3-1005"  # a named account the service runs as
    for name in ("state", "data"):
        sddl = pipe_security.service_home_sddl(name, account)
        assert "IU" not in sddl and f"(A;OICI;FA;;;{account})" in sddl
    for name in ("settings", "logs"):
        sddl = pipe_security.service_home_sddl(name, "S-1-5-18")
        assert sddl.endswith("(A;OICI;FR;;;IU)") and sddl.startswith("D:P")


def test_protecting_the_service_s_home_keeps_it_usable(tmp_path: Path) -> None:
    """Wine keeps no access lists on files, so this shows the calls are right and the
    folders stay usable by the service's account; who else is kept out needs a real
    Windows."""
    if sys.platform != "win32":
        pytest.skip("Windows' file access lists (scripts/test-windows)")
    from app.service import pipe_security

    home = FerryHome.under(tmp_path / "machine").ensure()
    (home.state_dir / "state.db").write_text("x")
    pipe_security.protect_service_home(
        {
            "settings": home.settings_dir,
            "logs": home.log_dir,
            "state": home.state_dir,
            "data": home.data_dir,
        }
    )
    assert (home.state_dir / "state.db").read_text() == "x"
    (home.settings_dir / "settings.json").write_text("{}")
