"""``login``, ``whoami`` and ``logout``: the login of a headless Ferry (servers, scripts)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import sys
import webbrowser

from app.application.account import end_login, session_for, stored_proxy
from app.auth.account import StoredLogin, load_login, save_login
from app.auth.login import LOGIN_TIMEOUT_S, Login, LoginTarget
from app.auth.loopback import LoginCancelled, LoginTimedOut
from app.auth.oidc import LoginError
from app.auth.secret_store import SecretStore, SecretStoreError, store_for
from app.auth.session import LoginNeeded, LogoutOutcome
from app.commands.key_login import add_key_arguments, key_place, read_key, run_key_login
from app.commands.oauth2_login import (
    add_oauth_arguments,
    oauth_place,
    read_secret,
    run_oauth_login,
)
from app.core.platform_kinds import DISPLAY_NAMES, LoginStrategy
from app.home import FerryHome
from app.login_record import record_login
from app.platform.client import PlatformClient, make_http_client
from app.platform.errors import PlatformError
from app.platforms.choose import open_login, platform_factory
from app.regions import RegionKind, RegionsError, redirect_ports_problem, regions
from app.sandbox.defaults import DEFAULT_PORT
from app.settings import ProxySettings, SettingsError

log = logging.getLogger(__name__)

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOGIN_NEEDED = 3
SANDBOX_DEFAULT_PORT = DEFAULT_PORT


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    login = subparsers.add_parser(
        "login",
        help="log in to the platform through the browser",
        description="Print the address to open, open the system browser (unless --no-browser), "
        "wait for the login to finish, then say who is logged in for which office.",
    )
    add_login_arguments(login)
    login.set_defaults(handler=run_login)
    whoami = subparsers.add_parser("whoami", help="say who is logged in (exit 3: login needed)")
    whoami.set_defaults(handler=run_whoami)
    logout = subparsers.add_parser("logout", help="revoke the login and forget it")
    logout.set_defaults(handler=run_logout)


def add_login_arguments(parser: argparse.ArgumentParser) -> None:
    """Where to log in and how: ``ferry login``'s options, which ``ferry service login``
    shares."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--region", help="a region code from the regions file (e.g. be-billit, sandbox)"
    )
    where.add_argument("--issuer", help="the OpenID issuer of a custom server")
    parser.add_argument(
        "--api",
        help="the API address of a custom server: with --issuer (Ferry's API), with --party-id "
        "(Billit's API, an API key) or with --login-page (Billit's API, OAuth 2.0)",
    )
    parser.add_argument(
        "--redirect-port",
        dest="redirect_ports",
        action="append",
        type=int,
        metavar="PORT",
        help="a fixed loopback port the login server accepts redirects to (repeat for more, "
        "tried in order); instead of the region's, or of a port the system picks",
    )
    add_key_arguments(parser)
    add_oauth_arguments(parser)
    parser.add_argument("--no-browser", action="store_true", help="only print the address")
    parser.add_argument(
        "--timeout", type=float, default=LOGIN_TIMEOUT_S, help="seconds to wait (default 600)"
    )


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"ferry: {message}", file=sys.stderr)
    return code


def _target(args: argparse.Namespace) -> LoginTarget | str:
    """The login target named on the command line, or why there is none.

    ``--redirect-port`` replaces the region's fixed ports (for a custom server: those of the
    regions file's *Custom server* entry); without either, the OS picks a port.
    """
    try:
        known = regions()
    except RegionsError as error:
        return str(error)
    given: list[int] | None = getattr(args, "redirect_ports", None)
    if given is not None:
        problem = redirect_ports_problem(given)
        if problem:
            return f"--redirect-port: {problem}"
    if args.issuer:
        if not args.api:
            return "--issuer needs --api, the platform's API address"
        custom = next((r for r in known.regions if r.kind is RegionKind.CUSTOM), None)
        ports = tuple(given) if given is not None else custom.redirect_ports if custom else ()
        return LoginTarget("custom", args.issuer, args.api, known.client_id, redirect_ports=ports)
    if args.api:
        return "--api goes with --issuer"
    code = args.region or "sandbox"
    try:
        region = known.get(code)
    except KeyError as error:
        return str(error.args[0])
    ports = tuple(given) if given is not None else region.redirect_ports
    if region.kind is RegionKind.CUSTOM:
        return "for a custom server give --issuer and --api"
    if region.login is not LoginStrategy.OIDC:  # key_place and oauth_place take them first
        return (
            f"{region.code} logs in to {DISPLAY_NAMES[region.platform]} with "
            f"{region.login.value}, which this Ferry cannot do yet"
        )
    if region.kind is RegionKind.SANDBOX:
        base = f"http://127.0.0.1:{SANDBOX_DEFAULT_PORT}"
        realm = region.sandbox_realm
        return LoginTarget(
            region.code,
            f"{base}/realms/{realm}",
            f"{base}/api/v1",
            known.client_id,
            redirect_ports=ports,
        )
    return LoginTarget(
        region.code, str(region.issuer), str(region.api_url), known.client_id, redirect_ports=ports
    )


def _describe(login: StoredLogin) -> str:
    office = f" for {login.office_name}" if login.office_name else ""
    return f"Logged in as {login.who}{office} (region {login.region}, {login.issuer})"


def run_login(args: argparse.Namespace, store: SecretStore | None = None) -> int:
    """``store``: where the refresh token (or the API key) goes (default: :func:`store_for`
    the home)."""
    place = key_place(args)
    if isinstance(place, str):
        return _fail(place, EXIT_USAGE)
    oauth = oauth_place(args)
    if isinstance(oauth, str):
        return _fail(oauth, EXIT_USAGE)
    target = _target(args) if place is None and oauth is None else None
    if isinstance(target, str):
        return _fail(target, EXIT_USAGE)
    home: FerryHome = args.ferry_home
    proxy = stored_proxy(home)
    if isinstance(proxy, SettingsError):
        return _fail(proxy.message(args.language))
    store = store or store_for(home)
    try:
        store.check()
    except SecretStoreError as error:
        return _fail(str(error))
    if oauth is not None:
        said = run_oauth_login(args, oauth, store, proxy, read_secret())
        if isinstance(said, tuple):
            return _fail(*said)
        print(said, flush=True)
        return 0
    if place is not None:
        said = run_key_login(args, place, store, proxy, read_key())
        if isinstance(said, tuple):
            return _fail(*said)
        print(said, flush=True)
        return 0
    assert target is not None
    target = dataclasses.replace(target, proxy=proxy)
    try:
        stored = asyncio.run(_login(target, home, store, args))
    except KeyboardInterrupt:
        return _fail("login cancelled")
    except LoginTimedOut:
        return _fail("nobody finished the login in the browser in time; run 'ferry login' again")
    except LoginCancelled:
        return _fail("login cancelled")
    except (LoginError, SecretStoreError, PlatformError, LoginNeeded) as error:
        return _fail(f"login failed: {error}")
    print(_describe(stored), flush=True)
    return 0


async def _login(
    target: LoginTarget, home: FerryHome, store: SecretStore, args: argparse.Namespace
) -> StoredLogin:
    async with make_http_client(proxy=target.proxy) as http:
        login = Login(target, http=http, language=args.language)
        url = await login.begin()
        print("Open this address in a browser to log in to Ferry:", flush=True)
        print(url, flush=True)
        if not args.no_browser and not webbrowser.open(url):
            print("(no browser could be opened here; open the address yourself)", flush=True)
        tokens = await login.finish(args.timeout)
        previous = load_login(home.settings_dir)
        stored, _platform = await record_login(target, tokens, store=store, http=http)
        if previous is not None and previous.secret_name != stored.secret_name:
            store.delete(previous.secret_name)
        save_login(home.settings_dir, stored)
        log.info("logged in as %s at %s", stored.subject, stored.issuer)
        return stored


def run_whoami(args: argparse.Namespace) -> int:
    home: FerryHome = args.ferry_home
    stored = load_login(home.settings_dir)
    if stored is None:
        return _fail("login needed: Ferry is not logged in; run 'ferry login'", EXIT_LOGIN_NEEDED)
    proxy = stored_proxy(home)
    if isinstance(proxy, SettingsError):
        return _fail(proxy.message(args.language))
    store = store_for(home)
    try:
        store.check()
        fresh = asyncio.run(_whoami(stored, store, proxy))
    except LoginNeeded as error:
        return _fail(f"login needed: {error}; run 'ferry login'", EXIT_LOGIN_NEEDED)
    except (LoginError, SecretStoreError, PlatformError) as error:
        return _fail(str(error))
    save_login(home.settings_dir, fresh)
    print(_describe(fresh), flush=True)
    return 0


async def _whoami(stored: StoredLogin, store: SecretStore, proxy: ProxySettings) -> StoredLogin:
    async with make_http_client(proxy=proxy) as http:
        if not stored.oidc:  # a key: the platform's own account call says it still works
            login = open_login(stored, store=store, http=http, proxy=proxy)
            office = await platform_factory(lambda: "")(stored, login, http).office()
            return stored.model_copy(update={"office_id": office.id, "office_name": office.name})
        session = session_for(stored, store, http, proxy)
        await session.access_token()
        if not stored.api_url:
            return stored
        office = await PlatformClient(stored.api_url, session, http).office()
        return stored.model_copy(update={"office_id": office.id, "office_name": office.name})


def run_logout(args: argparse.Namespace) -> int:
    home: FerryHome = args.ferry_home
    stored = load_login(home.settings_dir)
    if stored is None:
        print("Ferry was not logged in.")
        return 0
    try:
        outcome = end_login(home, stored)
    except SecretStoreError as error:
        return _fail(str(error))
    print(f"Logged out {stored.who} (region {stored.region}).")
    told = LOGOUT_WORDS[outcome]
    if told:
        print(told)
    return 0


#: What ``ferry logout`` adds about the platform, by outcome (nothing when all went well).
LOGOUT_WORDS: dict[LogoutOutcome, str] = {
    LogoutOutcome.REVOKED: "",
    LogoutOutcome.NOT_SUPPORTED: "The platform was not told: its login server offers no way "
    "to end a login from an application, so the login stays valid there until it expires. "
    "Ferry has forgotten it on this computer.",
    LogoutOutcome.FAILED: "The platform was not told: its login server could not be reached "
    "or refused (see the log). Ferry has forgotten the login on this computer; it stays valid "
    "at the platform until it expires.",
    LogoutOutcome.KEY_FORGOTTEN: "Ferry has forgotten the API key on this computer. The key "
    "stays valid at the platform until someone deletes it there.",
    LogoutOutcome.NO_TOKEN: "The platform was not told: Ferry no longer held this login's "
    "token, so there was nothing to end there.",
}
