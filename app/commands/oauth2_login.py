"""``ferry login`` (and ``ferry service login``) for a region that logs in with OAuth 2.0 and
the office's own registered client (Billit's).

The client id comes from the region (a distributor's entry) or ``--client-id``; the client
secret from standard input, never the command line (a prompt without echo on a terminal).
The browser login then goes as ``ferry login``'s does: the address printed, the browser
opened unless ``--no-browser``, Ferry's loopback listener waiting. The refresh token and the
client secret go to the store ``ferry login`` uses (the computer's for a service, from where
the service takes both into its own: :mod:`app.service.login_handoff`).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
import webbrowser

from app.application.key_login import KeyLoggedIn
from app.application.oauth2_login import OAuth2Place, log_in_with_oauth2
from app.auth.account import load_login, save_login
from app.auth.loopback import LoginCancelled, LoginTimedOut, plain_http_elsewhere
from app.auth.oidc import LoginError
from app.auth.secret_store import SecretStore
from app.auth.session import LoginNeeded
from app.core.platform_kinds import LoginStrategy, PlatformName
from app.home import FerryHome
from app.platform.client import make_http_client
from app.platform.errors import PlatformError
from app.regions import RegionsError, regions
from app.settings import ProxySettings

#: The line to print after a login, or (what went wrong, the exit code).
SaidOrFailure = str | tuple[str, int]


def add_oauth_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--client-id",
        help="for a region that logs in with OAuth 2.0 and the office's own client: its client "
        "id (when the region names none); the client secret is read from standard input",
    )
    parser.add_argument(
        "--login-page",
        metavar="URL",
        help="a custom server that speaks Billit's API with OAuth 2.0 (with --api and "
        "--client-id): its login page",
    )
    parser.add_argument(
        "--token-url",
        metavar="URL",
        help="with --login-page: the token endpoint, when it is not API/OAuth2/token",
    )


def oauth_place(args: argparse.Namespace) -> OAuth2Place | str | None:
    """Where ``args`` log in with OAuth 2.0; None for another login; a string when wrong."""
    code = getattr(args, "region", None)
    client_id = getattr(args, "client_id", None)
    login_page, tokens_at = getattr(args, "login_page", None), getattr(args, "token_url", None)
    if login_page or tokens_at:
        return _custom_place(args, login_page, tokens_at, client_id)
    try:
        region = regions().get(code) if code else None
    except (RegionsError, KeyError):
        region = None
    if region is None or region.login is not LoginStrategy.OAUTH2:
        return "--client-id goes with a region that logs in with OAuth 2.0" if client_id else None
    client_id = client_id or region.oauth_client_id
    if not client_id:
        return f"{region.code} logs in with the office's own OAuth 2.0 client: give --client-id"
    assert region.api_url is not None and region.authorize_url is not None
    given = getattr(args, "redirect_ports", None)
    return OAuth2Place(
        region.code,
        region.platform,
        str(region.api_url).rstrip("/"),
        str(region.authorize_url),
        client_id,
        tuple(given) if given is not None else region.redirect_ports,
    )


def _custom_place(
    args: argparse.Namespace, login_page: str | None, tokens_at: str | None, client_id: str | None
) -> OAuth2Place | str:
    """A custom server that speaks Billit's API, logging in with the office's client."""
    api = getattr(args, "api", None)
    if not login_page:
        return "--token-url goes with --login-page"
    if getattr(args, "region", None) or getattr(args, "issuer", None):
        return "--login-page is for a custom server: give --api instead of --region or --issuer"
    if not api or not client_id:
        return "--login-page needs --api (the platform's API address) and --client-id"
    for option, url in (("--api", api), ("--login-page", login_page), ("--token-url", tokens_at)):
        if url and plain_http_elsewhere(url):
            return f"{option}: use https:// (plain http only to this computer)"
    given = getattr(args, "redirect_ports", None)
    return OAuth2Place(
        "custom",
        PlatformName.BILLIT,
        api.strip().rstrip("/"),
        login_page.strip(),
        client_id,
        tuple(given) if given else (),
        tokens_at.strip() if tokens_at else None,
    )


def read_secret() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Client secret (not shown): ")
    return sys.stdin.readline()


def run_oauth_login(
    args: argparse.Namespace,
    place: OAuth2Place,
    store: SecretStore,
    proxy: ProxySettings,
    secret_text: str,
) -> SaidOrFailure:
    secret = secret_text.strip()
    if not secret:
        return ("no client secret on standard input", 2)
    home: FerryHome = args.ferry_home
    try:
        checked = asyncio.run(_log_in(args, place, secret, store, proxy, home))
    except (KeyboardInterrupt, LoginCancelled):
        return ("login cancelled", 1)
    except LoginTimedOut:
        return ("nobody finished the login in the browser in time; run 'ferry login' again", 1)
    except (LoginError, PlatformError, LoginNeeded) as error:
        return (f"login failed: {str(error).replace(secret, '[secret]')}", 1)
    login = checked.login
    return f"Logged in as {login.who} for {login.office_name} (region {login.region}, OAuth 2.0)"


async def _log_in(
    args: argparse.Namespace,
    place: OAuth2Place,
    secret: str,
    store: SecretStore,
    proxy: ProxySettings,
    home: FerryHome,
) -> KeyLoggedIn:
    def open_url(url: str) -> None:
        print("Open this address in a browser to log in:", flush=True)
        print(url, flush=True)
        if not args.no_browser and not webbrowser.open(url):
            print("(no browser could be opened here; open the address yourself)", flush=True)

    async with make_http_client(proxy=proxy) as http:
        checked = await log_in_with_oauth2(
            place,
            secret,
            store=store,
            http=http,
            open_url=open_url,
            language=args.language,
            timeout=args.timeout,
        )
    previous = load_login(home.settings_dir)
    if previous is not None and previous.secret_name != checked.login.secret_name:
        store.delete(previous.secret_name)
    save_login(home.settings_dir, checked.login)
    return checked
