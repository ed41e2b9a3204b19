from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import json
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from app.core.kinds import DocumentKind
from app.core.language import Language
from app.settings import (
    PROXY_PROBLEM_TEXT,
    PROXY_SCHEMES,
    ClientLink,
    DeliveryFormat,
    Destination,
    ProxyMode,
    ProxyProblem,
    ProxySettings,
    Settings,
    SettingsError,
    httpx_proxy_options,
    load_settings,
    proxy_url_problem,
    save_settings,
)

SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _settings() -> Settings:
    return Settings(
        destinations=[
            Destination(name="Winbooks", general_path=r"C:\Winbooks\Data\[identifiant_entreprise]"),
            Destination(
                name="Archive",
                paths={DocumentKind.PURCHASE: r"\\nas\in", DocumentKind.STATEMENT: r"\\nas\coda"},
                format=DeliveryFormat.UBL_PDF,
            ),
        ],
        links=[ClientLink(client_id="c1", destinations=["Winbooks", "Archive"], since=SINCE)],
    )


def test_round_trip_and_no_secret_fields(tmp_path: Path) -> None:
    save_settings(tmp_path, _settings())
    loaded = load_settings(tmp_path)
    assert loaded == _settings()
    assert loaded.destination("Archive") is not None
    assert loaded.destination("Archive").templates.template_for(DocumentKind.SALES) is None  # type: ignore[union-attr]
    assert "token" not in (tmp_path / "settings.json").read_text().lower()


def test_missing_file_is_empty_settings(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()


def test_a_damaged_file_is_reported_not_replaced(tmp_path: Path) -> None:
    save_settings(tmp_path, _settings())
    save_settings(tmp_path, _settings())  # makes a backup of the first
    (tmp_path / "settings.json").write_text('{"destinations": [')
    with pytest.raises(SettingsError, match=r"damaged.*settings\.json\.bak"):
        load_settings(tmp_path)
    assert Settings.model_validate_json((tmp_path / "settings.json.bak").read_text()) == _settings()


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: Destination(name="x"), "either one general path or paths per kind"),
        (
            lambda: Destination(name="x", general_path="C:\\", paths={DocumentKind.SALES: "C:\\"}),
            "either one",
        ),
        (lambda: Destination(name="", general_path="C:\\"), "at least 1 character"),
        (
            lambda: Settings(destinations=[Destination(name="a", general_path="/a")] * 2),
            "destination names used twice: a",
        ),
        (
            lambda: Settings(links=[ClientLink(client_id="c", destinations=["nope"], since=SINCE)]),
            "unknown destinations: nope",
        ),
        (lambda: ClientLink(client_id="c", destinations=[], since=SINCE), "at least 1 item"),
    ],
)
def test_invalid_settings_are_refused(build, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=words):
        build()


def test_naive_since_is_utc_and_duplicates_fold() -> None:
    link = ClientLink(client_id="c", destinations=["a", "a"], since=dt.datetime(2026, 1, 1))
    assert link.since.tzinfo is dt.UTC and link.destinations == ["a"]


# -- the Settings dialog's preferences ---------------------------------------------------------


def test_preferences_have_safe_defaults_and_round_trip(tmp_path: Path) -> None:
    assert Settings().proxy == ProxySettings(mode=ProxyMode.SYSTEM)
    assert Settings().notifications is True and Settings().language is None
    chosen = _settings().model_copy(
        update={
            "language": Language.NL,
            "notifications": False,
            "full_sync_every_days": 7,
            "proxy": ProxySettings(mode=ProxyMode.MANUAL, url="http://proxy.kantoor.be:3128"),
        }
    )
    save_settings(tmp_path, chosen)
    assert load_settings(tmp_path) == chosen
    stored = json.loads((tmp_path / "settings.json").read_text())
    assert stored["proxy"] == {"mode": "manual", "url": "http://proxy.kantoor.be:3128"}
    # A file from before the proxy setting existed still loads, with the system's proxy.
    del stored["proxy"]
    (tmp_path / "settings.json").write_text(json.dumps(stored))
    assert load_settings(tmp_path).proxy.mode is ProxyMode.SYSTEM


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://proxy.example.com:3128", None),
        ("http://proxy.example.com:3128/", None),
        ("HTTPS://Proxy.Example.com:443", None),
        ("socks5://10.0.0.1:1080", None),
        ("socks5h://gateway:1080", None),
        ("http://[fe80::1]:8080", None),
        ("http://proxy_01.corp:8080", None),
        ("http://prøxy.example.com:3128", None),
        ("", ProxyProblem.EMPTY),
        ("   ", ProxyProblem.EMPTY),
        ("http://proxy:3128 ", ProxyProblem.NOT_AN_ADDRESS),
        ("http://pro xy:3128", ProxyProblem.NOT_AN_ADDRESS),
        ("proxy.example.com:3128", ProxyProblem.NO_SCHEME),
        ("ftp://proxy:21", ProxyProblem.SCHEME),
        ("socks4://proxy:1080", ProxyProblem.SCHEME),
        ("http://anna:s3cret@proxy:3128", ProxyProblem.CREDENTIALS),
        ("http://anna@proxy:3128", ProxyProblem.CREDENTIALS),
        ("http://anna:se/cr#et@proxy:3128", ProxyProblem.CREDENTIALS),
        ("http://proxy", ProxyProblem.NO_PORT),
        ("http://[::1]", ProxyProblem.NO_PORT),
        ("http://proxy:", ProxyProblem.NO_PORT),
        ("http://proxy:0", ProxyProblem.PORT),
        ("http://proxy:65536", ProxyProblem.PORT),
        ("http://proxy:80a", ProxyProblem.PORT),
        ("http://proxy:٣١٢٨", ProxyProblem.PORT),  # Arabic-Indic digits are digits, not a port
        ("http://:3128", ProxyProblem.HOST),
        ("http://", ProxyProblem.HOST),
        ("http://-proxy:3128", ProxyProblem.HOST),
        ("http://a..b:3128", ProxyProblem.HOST),
        ("http://300.1.1.1:3128", ProxyProblem.HOST),
        ("http://[::1:3128", ProxyProblem.HOST),
        ("http://[::g]:3128", ProxyProblem.HOST),
        ("http://proxy:3128/pac", ProxyProblem.EXTRA),
        ("http://proxy:3128?x=1", ProxyProblem.EXTRA),
    ],
)
def test_proxy_addresses_are_checked(url: str, problem: ProxyProblem | None) -> None:
    assert proxy_url_problem(url) is problem
    if problem is None:
        assert ProxySettings(mode=ProxyMode.MANUAL, url=url).url == url
    else:
        with pytest.raises(ValidationError, match=re.escape(PROXY_PROBLEM_TEXT[problem][:30])):
            ProxySettings(mode=ProxyMode.MANUAL, url=url)


def test_manual_proxy_needs_an_address() -> None:
    with pytest.raises(ValidationError, match="Type the proxy's address"):
        ProxySettings(mode=ProxyMode.MANUAL)
    # An address kept from an earlier manual choice is still checked.
    with pytest.raises(ValidationError, match="cannot be kept"):
        ProxySettings(mode=ProxyMode.SYSTEM, url="http://a:b@proxy:1")


def test_a_proxy_password_never_reaches_the_file_nor_the_message(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        Settings(proxy={"mode": "manual", "url": "http://anna:Sup3rS3cret@proxy:3128"})
    (tmp_path / "settings.json").write_text(
        json.dumps({"proxy": {"mode": "manual", "url": "http://anna:Sup3rS3cret@proxy:3128"}})
    )
    with pytest.raises(SettingsError, match="user name or password") as caught:
        load_settings(tmp_path)
    assert "Sup3rS3cret" not in str(caught.value)


HOST_LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
HOSTS = st.one_of(
    st.lists(HOST_LABEL, min_size=1, max_size=4)
    .map(".".join)
    .filter(lambda name: not re.fullmatch(r"[0-9.]+", name)),  # numbers only: an IP address
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(lambda address: f"[{address.compressed}]"),
)


@given(st.sampled_from(PROXY_SCHEMES), HOSTS, st.integers(1, 65535))
def test_every_well_formed_proxy_is_accepted_as_httpx_reads_it(
    scheme: str, host: str, port: int
) -> None:
    url = f"{scheme}://{host}:{port}"
    assert proxy_url_problem(url) is None
    parsed = httpx.Proxy(url).url
    assert parsed.scheme == scheme
    assert parsed.host == host.strip("[]").lower() or ":" in host
    assert ProxySettings.model_validate_json(
        ProxySettings(mode=ProxyMode.MANUAL, url=url).model_dump_json()
    ) == ProxySettings(mode=ProxyMode.MANUAL, url=url)


@given(st.text(max_size=60))
def test_any_text_gets_an_answer_and_what_passes_is_usable(text: str) -> None:
    problem = proxy_url_problem(text)
    if problem is None:
        assert "@" not in text
        httpx.Proxy(text)
        ProxySettings(mode=ProxyMode.MANUAL, url=text)


@given(
    st.sampled_from(PROXY_SCHEMES),
    st.text(min_size=1, max_size=12).filter(lambda t: not any(c.isspace() for c in t)),
    HOSTS,
)
def test_credentials_are_always_refused(scheme: str, user: str, host: str) -> None:
    url = f"{scheme}://{user}@{host}:3128"
    assert proxy_url_problem(url) in (ProxyProblem.CREDENTIALS, ProxyProblem.NOT_AN_ADDRESS)


def test_httpx_options_for_each_choice() -> None:
    assert httpx_proxy_options(ProxySettings()) == {
        "trust_env": True,
        "proxy": None,
        "mounts": None,
    }
    assert httpx_proxy_options(ProxySettings(mode=ProxyMode.NONE, url="http://p:1")) == {
        "trust_env": False,
        "proxy": None,
        "mounts": None,
    }
    manual = httpx_proxy_options(ProxySettings(mode=ProxyMode.MANUAL, url="http://p:1"))
    assert manual["trust_env"] is False and manual["proxy"] == "http://p:1"
    assert set(manual["mounts"]) == {"all://127.0.0.1", "all://localhost", "all://[::1]"}
    for options in (manual, httpx_proxy_options(ProxySettings())):
        httpx.AsyncClient(**options)  # accepted as they are


# -- the proxy really used, over real sockets ------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with the server's name; records each request line it saw."""

    def do_GET(self) -> None:
        self.server.seen.append(self.requestline)  # type: ignore[attr-defined]
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def _server(name: str) -> Iterator[tuple[str, list[str]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.name = name  # type: ignore[attr-defined]
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.seen  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)

    def set_proxy(url: str) -> None:
        monkeypatch.setenv("HTTP_PROXY", url)
        monkeypatch.setenv("http_proxy", url)

    yield set_proxy


async def _get(options: dict[str, object], url: str) -> str:
    async with httpx.AsyncClient(timeout=10, **options) as client:  # type: ignore[arg-type]
        response = await client.get(url)
        response.raise_for_status()
        return response.text


async def test_a_manual_proxy_carries_the_requests(proxy_env: Callable[[str], None]) -> None:
    with (
        _server("proxy") as (proxy, via_proxy),
        _server("other proxy") as (other, via_other),
        _server("platform") as (platform, direct),
    ):
        proxy_env(other)  # the environment says otherwise: the person's choice wins
        options = httpx_proxy_options(ProxySettings(mode=ProxyMode.MANUAL, url=proxy))
        answer = await _get(options, "http://platform.example.be/api/v1/office?page=2")
        assert answer == "proxy"
        assert via_proxy == ["GET http://platform.example.be/api/v1/office?page=2 HTTP/1.1"]
        # This computer's own addresses (the sandbox platform) are reached directly.
        assert await _get(options, platform + "/api/v1/office") == "platform"
        assert direct == ["GET /api/v1/office HTTP/1.1"]
        assert len(via_proxy) == 1 and via_other == []


async def test_system_follows_the_environment_and_none_ignores_it(
    proxy_env: Callable[[str], None],
) -> None:
    with _server("proxy") as (proxy, via_proxy), _server("platform") as (platform, direct):
        proxy_env(proxy)
        system = httpx_proxy_options(ProxySettings())
        assert await _get(system, platform + "/x") == "proxy"
        assert via_proxy == [f"GET {platform}/x HTTP/1.1"] and direct == []
        none = httpx_proxy_options(ProxySettings(mode=ProxyMode.NONE))
        assert await _get(none, platform + "/y") == "platform"
        assert direct == ["GET /y HTTP/1.1"] and len(via_proxy) == 1
