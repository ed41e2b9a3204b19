"""The headless engine commands: destinations, links, sync, run, status, resend, retry."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import json
import signal
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import ValidationError

from app.api.models import Client
from app.application import settings_changes
from app.auth.session import LoginNeeded
from app.core import notes
from app.core.failures import Failure, FailureCode, describe
from app.core.kinds import DeliveryStatus, DocumentKind
from app.core.language import Language
from app.core.names import running_target
from app.core.templates import check_template
from app.engine import attached
from app.engine.channel import (
    ChannelError,
    ClientsQuery,
    CountsQuery,
    DocumentsQuery,
    PassRequest,
    PassSummary,
    Reply,
)
from app.engine.engine import Engine, EngineError, RetryOutcome, RunSummary
from app.engine.host import EngineHost, HostKind, run_summary
from app.engine.messages import (
    DeliverAgain,
    DocumentChanged,
    Event,
    Resend,
    Retry,
    RunFinished,
    StateChanged,
)
from app.engine.state import StateStore, StateTooNew
from app.home import FerryHome
from app.os_specific import drive_a_service_cannot_see
from app.platform.errors import PlatformError
from app.settings import DeliveryFormat, Destination, Settings, SettingsError, load_settings

EXIT_ERRORS = 1
EXIT_USAGE = 2
EXIT_LOGIN_NEEDED = 3

_KIND_OPTIONS = {
    "purchase": DocumentKind.PURCHASE,
    "sales": DocumentKind.SALES,
    "statements": DocumentKind.STATEMENT,
    "receipts": DocumentKind.RECEIPT,
    "other": DocumentKind.OTHER,
}
_STATUS_OPTIONS = {"to-fetch": "to_fetch", "error": "error", "forwarded": "forwarded"}


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    destination = subparsers.add_parser("destination", help="accounting-software configurations")
    actions = destination.add_subparsers(title="actions", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add (or with --replace, change) a destination")
    add.add_argument("name")
    add.add_argument("--path", help="one general path for every kind of document")
    for option in _KIND_OPTIONS:
        add.add_argument(f"--{option}", metavar="TEMPLATE", help=f"path for {option}")
    add.add_argument(
        "--format", choices=[f.value for f in DeliveryFormat], default=DeliveryFormat.UBL.value
    )
    add.add_argument("--replace", action="store_true", help="change an existing destination")
    add.add_argument(
        "--archive",
        action="store_true",
        help="keep it complete: files that disappear are written again by the full sync "
        "(never for a folder the accounting software imports from)",
    )
    add.set_defaults(handler=run_destination_add)
    listing = actions.add_parser("list", help="list the destinations")
    listing.set_defaults(handler=run_destination_list)
    rename = actions.add_parser(
        "rename", help="rename a destination; its client links follow the new name"
    )
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.set_defaults(handler=run_destination_rename)
    remove = actions.add_parser(
        "remove", help="remove a destination (refused while clients are linked, unless --unlink)"
    )
    remove.add_argument("name")
    remove.add_argument(
        "--unlink",
        action="store_true",
        help="also remove it from its clients' links (a client linked only there is unlinked)",
    )
    remove.set_defaults(handler=run_destination_remove)

    link = subparsers.add_parser("link", help="deliver clients to a destination")
    link.add_argument("client_ids", nargs="*", metavar="CLIENT_ID")
    link.add_argument("--all", action="store_true", help="every client that shares documents")
    link.add_argument("--to", required=True, metavar="NAME", help="the destination")
    link.add_argument("--file-id", help="the accounting file id (default: the platform's)")
    link.add_argument(
        "--since", help="deliver documents created from this date on (default: now), YYYY-MM-DD"
    )
    link.set_defaults(handler=run_link)

    unlink = subparsers.add_parser("unlink", help="stop delivering clients' documents")
    unlink.add_argument("client_ids", nargs="+", metavar="CLIENT_ID")
    unlink.add_argument(
        "--from", dest="source", metavar="NAME", help="only from this destination (default: all)"
    )
    unlink.set_defaults(handler=run_unlink)

    sync = subparsers.add_parser("sync", help="one sync pass")
    mode = sync.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="one incremental pass")
    mode.add_argument(
        "--full",
        action="store_true",
        help="reconcile everything: deliver what was never acknowledged or failed",
    )
    sync.add_argument(
        "--new-destinations",
        action="store_true",
        help="with --full: documents delivered elsewhere also go to destinations newly added "
        "to their client's link",
    )
    sync.set_defaults(handler=run_sync)

    run = subparsers.add_parser("run", help="sync continuously until Ctrl-C or SIGTERM")
    run.set_defaults(handler=run_continuously)

    status = subparsers.add_parser("status", help="the documents Ferry knows and their status")
    status.add_argument("--json", action="store_true", help="one JSON object per line")
    status.add_argument("--status", choices=list(_STATUS_OPTIONS))
    status.add_argument(
        "--moved",
        action="store_true",
        help="only forwarded documents whose files the accounting software picked up or moved",
    )
    status.add_argument(
        "--limit", type=_positive, metavar="N", help="at most N documents (the oldest first)"
    )
    status.set_defaults(handler=run_status)

    again = subparsers.add_parser(
        "deliver-again",
        help="write forwarded documents again into their destinations (Deliver again here)",
    )
    again.add_argument("document_ids", nargs="*", metavar="DOC_ID")
    again.add_argument(
        "--moved", action="store_true", help="every document whose files were picked up or moved"
    )
    again.add_argument(
        "--all",
        action="store_true",
        help="with --destination: every document delivered there (after its path changed)",
    )
    again.add_argument("--destination", metavar="NAME", help="only into this destination")
    again.set_defaults(handler=run_deliver_again)

    resend = subparsers.add_parser("resend", help="send documents to the integrations again")
    resend.add_argument("document_ids", nargs="+", metavar="DOC_ID")
    resend.set_defaults(handler=run_resend)

    retry = subparsers.add_parser("retry", help="try failed documents again now")
    retry.add_argument("document_ids", nargs="*", metavar="DOC_ID")
    retry.add_argument("--all-errors", action="store_true")
    retry.set_defaults(handler=run_retry)


def _fail(message: str, code: int = EXIT_ERRORS) -> int:
    print(f"ferry: {message}", file=sys.stderr)
    return code


def _change(
    home: FerryHome,
    change: Callable[[Settings], Settings],
    language: Language,
    refused_code: int = EXIT_ERRORS,
    renaming: tuple[str, str] | None = None,
) -> int | None:
    """Apply ``change`` to the settings file (the application layer's one writer); None when
    done, else the exit code after saying why. ``renaming``: (old, new) destination names,
    whose delivery records follow the name in the same step."""
    try:
        if renaming is not None:
            settings_changes.change_settings_renaming(home, dict([renaming]), change)
        else:
            settings_changes.change_settings(home.settings_dir, change)
    except settings_changes.SettingsRefused as refused:
        return _fail(refused.message(language), refused_code)
    except SettingsError as error:
        return _fail(error.message(language))
    except OSError as error:
        return _fail(f"cannot write the settings: {error}")
    return None


def _for_the_service(home: FerryHome) -> bool:
    """Whether ``home`` is the Windows service's (``%ProgramData%\\Ferry``): its engine runs
    in Session 0, which sees no drive a user mapped or substituted."""
    return sys.platform == "win32" and home.settings_dir == FerryHome.machine().settings_dir


def _settings(home: FerryHome, language: Language) -> Settings | str:
    try:
        return load_settings(home.settings_dir)
    except SettingsError as error:
        return error.message(language)


# -- destinations ----------------------------------------------------------------------------------


def run_destination_add(args: argparse.Namespace) -> int:
    home: FerryHome = args.ferry_home
    settings = _settings(home, args.language)
    if isinstance(settings, str):
        return _fail(settings)
    per_kind = {kind: getattr(args, option) for option, kind in _KIND_OPTIONS.items()}
    per_kind = {kind: path for kind, path in per_kind.items() if path}
    if bool(args.path) == bool(per_kind):
        return _fail(
            "give either --path, or one or more of --purchase --sales --statements --receipts "
            "--other",
            EXIT_USAGE,
        )
    target = running_target()
    problems = []
    for label, template in ([("path", args.path)] if args.path else []) + [
        (kind.value, path) for kind, path in per_kind.items()
    ]:
        for problem in check_template(template, target).problems:
            problems.append(f"{label}: {problem.message(args.language)}")
    if _for_the_service(home):
        for template in [args.path, *per_kind.values()]:
            instead = drive_a_service_cannot_see(template) if template else None
            if instead is not None:
                problems.append(
                    f"{template}: this drive letter exists only in your session (a mapped "
                    "network drive or a subst drive); the Ferry service cannot see it. Write "
                    f"the full path instead: {instead}"
                )
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return EXIT_USAGE
    try:
        destination = Destination(
            name=args.name,
            general_path=args.path,
            paths=per_kind,
            format=DeliveryFormat(args.format),
            archive=args.archive,
        )
    except ValidationError as error:
        return _fail(error.errors()[0]["msg"], EXIT_USAGE)
    existing = settings.destination(args.name)
    if existing is not None and not args.replace:
        return _fail(f"a destination named {args.name!r} exists; add --replace to change it")
    if existing is None:
        change = functools.partial(settings_changes.add_destination, destination=destination)
    else:
        change = functools.partial(
            settings_changes.edit_destination, name=args.name, destination=destination
        )
    failed = _change(home, change, args.language)
    if failed is not None:
        return failed
    print(f"Destination {args.name!r} {'changed' if existing else 'added'}.")
    if existing is not None and existing.templates != destination.templates:
        print(
            "The new paths apply to documents from now on; those already delivered stay where "
            "they are. To write them into the new paths too: "
            f"ferry deliver-again --destination {args.name!r} --all (or DOC_ID...)."
        )
    return 0


def run_destination_list(args: argparse.Namespace) -> int:
    settings = _settings(args.ferry_home, args.language)
    if isinstance(settings, str):
        return _fail(settings)
    if not settings.destinations:
        print("No destinations yet: add one with 'ferry destination add'.")
    for destination in settings.destinations:
        linked = sum(1 for link in settings.links if destination.name in link.destinations)
        print(f"{destination.name}  (format {destination.format.value}, {linked} client(s))")
        for kind, template in destination.templates.templates().items():
            label = "all" if destination.general_path else kind.folder_word
            print(f"  {label:<11} {template}")
            if destination.general_path:
                break
    return 0


def run_destination_rename(args: argparse.Namespace) -> int:
    home: FerryHome = args.ferry_home
    failed = _change(
        home,
        lambda settings: settings_changes.rename_destination(settings, args.old, args.new),
        args.language,
        renaming=(args.old, args.new),
    )
    if failed is not None:
        return failed
    print(f"Destination {args.old!r} renamed {args.new!r}; its client links follow.")
    return 0


def run_destination_remove(args: argparse.Namespace) -> int:
    home: FerryHome = args.ferry_home
    failed = _change(
        home,
        lambda settings: settings_changes.remove_destination(
            settings, args.name, unlink=args.unlink
        ),
        args.language,
    )
    if failed is not None:
        return failed
    print(f"Destination {args.name!r} removed; files delivered there stay where they are.")
    return 0


# -- links -----------------------------------------------------------------------------------------


def run_link(args: argparse.Namespace) -> int:
    home: FerryHome = args.ferry_home
    if bool(args.all) == bool(args.client_ids):
        return _fail("name the clients to link, or --all", EXIT_USAGE)
    try:
        since = (
            dt.datetime.fromisoformat(args.since).replace(tzinfo=dt.UTC)
            if args.since
            else dt.datetime.now(dt.UTC)
        )
    except ValueError:
        return _fail(f"'{args.since}' is not a date; write it as YYYY-MM-DD", EXIT_USAGE)
    settings = _settings(home, args.language)
    if isinstance(settings, str):
        return _fail(settings)
    if settings.destination(args.to) is None:
        known = ", ".join(d.name for d in settings.destinations) or "none yet"
        return _fail(f"no destination named {args.to!r} (known: {known})", EXIT_USAGE)

    async def fetch(engine: Engine) -> list[Any]:
        return await engine.client.all_clients()

    running = _running(home, args.language)
    if isinstance(running, int):
        return running
    if running is not None:  # the running engine reads them (its login, its proxy)
        try:
            listed = _ask(running, ClientsQuery(), args.language)
        finally:
            running.stop()
        if isinstance(listed, int):
            return listed
        clients: Any = [Client.model_validate(client) for client in listed]
    else:
        clients = _with_engine(home, fetch, language=args.language, lock=False)
        if isinstance(clients, int):
            return clients
    by_id = {client.id: client for client in clients}
    wanted = [c.id for c in clients if c.shares_documents] if args.all else args.client_ids
    unknown = [client_id for client_id in wanted if client_id not in by_id]
    if unknown:
        return _fail(f"the platform knows no client {', '.join(unknown)}", EXIT_USAGE)
    file_ids = {
        client_id: args.file_id or by_id[client_id].accounting_file_id or None
        for client_id in wanted
    }
    if not args.file_id:  # an existing link keeps the file id it was given
        for link in settings.links:
            if link.client_id in file_ids and link.accounting_file_id:
                file_ids[link.client_id] = link.accounting_file_id
    failed = _change(
        home,
        lambda current: settings_changes.link_clients(
            current,
            wanted,
            args.to,
            now=dt.datetime.now(dt.UTC),
            file_ids=file_ids,
            since=since if args.since else None,
        ),
        args.language,
        EXIT_USAGE,
    )
    if failed is not None:
        return failed
    for client_id in wanted:
        print(f"Linked {by_id[client_id].name} ({client_id}) to {args.to!r}.")
    return 0


def run_unlink(args: argparse.Namespace) -> int:
    home: FerryHome = args.ferry_home
    settings = _settings(home, args.language)
    if isinstance(settings, str):
        return _fail(settings)
    unknown = [client_id for client_id in args.client_ids if settings.link(client_id) is None]
    if unknown:
        return _fail(f"not linked: {', '.join(unknown)}", EXIT_USAGE)
    failed = _change(
        home,
        lambda current: settings_changes.unlink_clients(current, args.client_ids, args.source),
        args.language,
        EXIT_USAGE,
    )
    if failed is not None:
        return failed
    where = f"from {args.source!r}" if args.source else "from every destination"
    for client_id in args.client_ids:
        print(f"Unlinked {client_id} {where}.")
    return 0


# -- running the engine ----------------------------------------------------------------------------


def _with_engine(
    home: FerryHome,
    work: Callable[[Engine], Awaitable[Any]],
    *,
    language: Language,
    lock: bool = True,
    on_event: Callable[[Event], None] | None = None,
) -> Any:
    """Open an engine, do ``work``, close it; plain errors and exit codes instead of tracebacks."""

    async def main() -> Any:
        engine = Engine(home, on_event=on_event)
        await engine.open(exclusive=lock)
        try:
            return await work(engine)
        finally:
            await engine.close()

    try:
        return asyncio.run(main())
    except EngineError as error:  # its settings errors among them
        return _fail(error.message(language))
    except LoginNeeded as error:
        return _fail(f"login needed: {error}; run 'ferry login'", EXIT_LOGIN_NEEDED)
    except PlatformError as error:
        return _fail(str(error))
    except SettingsError as error:
        return _fail(error.message(language))


def _running(home: FerryHome, language: Language) -> attached.AttachedEngine | int | None:
    """The engine running for ``home`` (the service's, ``ferry run``'s, the tray app's), to go
    through instead of opening its database behind its back; None when none runs; an exit
    code after saying why when one runs that this command may not use."""
    try:
        return attached.attach(home, face="cli")
    except ChannelError as error:
        return _fail(attached.describe(error, language))


def _answer(reply: Reply, language: Language) -> Any:
    """A reply's result, or the exit code after saying why the engine could not do it."""
    if reply.failure is not None:
        failure = reply.failure.failure()
        if failure.code is FailureCode.LOGIN_NEEDED:
            return _fail(f"{failure.message(language)}; run 'ferry login'", EXIT_LOGIN_NEEDED)
        return _fail(failure.message(language))
    if reply.error is not None:
        return _fail(reply.error)
    return reply.result


def _ask(engine: attached.AttachedEngine, body: Any, language: Language) -> Any:
    """Ask the running engine and wait; a result, or an exit code after saying why not."""
    try:
        reply = engine.request(body)
    except ChannelError as error:
        return _fail(attached.describe(error, language))
    return _answer(reply, language)


def _pass_through(
    engine: attached.AttachedEngine, kind: str, language: Language, new_destinations: bool = False
) -> int:
    """One pass by the running engine, said as ``ferry sync`` says its own."""
    result = _ask(engine, PassRequest(kind=kind, new_destinations=new_destinations), language)
    if isinstance(result, int):
        return result
    return _print_summary(run_summary(PassSummary.model_validate(result)), language)


def _print_summary(summary: RunSummary, language: Language) -> int:
    print(summary.line(language))
    for error in dict.fromkeys(summary.errors):
        print(f"  {error.message(language)}")
    if any(error.code is FailureCode.LOGIN_NEEDED for error in summary.errors):
        return EXIT_LOGIN_NEEDED
    return EXIT_ERRORS if summary.failed or summary.errors else 0


def run_sync(args: argparse.Namespace) -> int:
    home: FerryHome = args.ferry_home
    kind = "full" if args.full else "incremental"
    running = _running(home, args.language)
    if isinstance(running, int):
        return running
    if running is not None:
        try:
            return _pass_through(running, kind, args.language, args.new_destinations)
        finally:
            running.stop()

    async def work(engine: Engine) -> RunSummary:
        return await engine.run_pass(kind, new_destinations=args.new_destinations)

    result = _with_engine(home, work, language=args.language)
    if isinstance(result, int):
        return result
    return _print_summary(result, args.language)


def run_continuously(args: argparse.Namespace) -> int:
    """``ferry run``: this home's engine, kept until Ctrl-C or SIGTERM (what systemd and
    launchd send), with the tray app and other commands free to attach to it."""
    home: FerryHome = args.ferry_home

    def show(event: Event) -> None:
        language: Language = args.language
        if isinstance(event, DocumentChanged):
            failures = [info.failure() for info in event.failures]
            where = describe(failures, language) if failures else ", ".join(event.locations)
            print(f"{event.status:<9} {event.kind:<9} {event.number}  {where}", flush=True)
        elif isinstance(event, RunFinished) and (event.documents or event.failures):
            failures = [info.failure() for info in event.failures]
            print(
                f"-- {event.kind} run: {event.delivered} delivered, {event.failed} in error"
                + (f" ({describe(failures, language)})" if failures else ""),
                flush=True,
            )
        elif isinstance(event, StateChanged):
            why = event.failure.failure().message(language) if event.failure else None
            print(f"-- {event.state.value}" + (f": {why}" if why else ""), flush=True)

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    host = EngineHost(home, host=HostKind.RUN, on_event=show)
    try:
        host.start()
    except EngineError as error:
        return _fail(error.message(args.language))
    print(f"Ferry is syncing (home {home.state_dir.parent}); Ctrl-C stops.", flush=True)
    try:
        host.wait(stop)
    finally:
        host.stop()
    print("Ferry stopped.", flush=True)
    return 0


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return number


#: How many documents ``ferry status`` reads at a time: its memory is a page, not the history.
STATUS_PAGE = 500


def run_status(args: argparse.Namespace) -> int:
    """The documents Ferry knows, streamed a page at a time in the order they were created
    (the first line at once and memory flat, however long the history), the filters applied
    by the state's indexes; then the counts of everything the filters match."""
    home: FerryHome = args.ferry_home
    language: Language = args.language
    from app.engine.engine import STATE_FILE

    status = _STATUS_OPTIONS.get(args.status or "")
    limit: int | None = args.limit
    running = _running(home, language)
    if isinstance(running, int):
        return running
    if running is not None:
        engine = running

        def read_page(after: tuple[str, str] | None, size: int) -> list[dict[str, Any]] | int:
            query = DocumentsQuery(status=status, moved=args.moved, after=after, limit=size)
            result = _ask(engine, query, language)
            return result if isinstance(result, int) else list(result)

        def read_counts() -> dict[str, int] | int:
            result = _ask(engine, CountsQuery(status=status, moved=args.moved), language)
            return result if isinstance(result, int) else dict(result)

        try:
            return _print_status(read_page, read_counts, limit, args.json, language)
        finally:
            running.stop()
    path = home.state_dir / STATE_FILE
    if not path.exists():
        print("Ferry has not synced yet.")
        return 0
    try:
        store = StateStore(path)
    except StateTooNew as error:
        return _fail(error.message(language))
    try:
        return _print_status(
            lambda after, size: store.documents_page(
                status, moved=args.moved, after=after, limit=size
            ),
            lambda: store.status_counts(status, moved=args.moved),
            limit,
            args.json,
            language,
        )
    finally:
        store.close()


def _print_status(
    read_page: Callable[[tuple[str, str] | None, int], list[dict[str, Any]] | int],
    read_counts: Callable[[], dict[str, int] | int],
    limit: int | None,
    as_json: bool,
    language: Language,
) -> int:
    """Print the documents page by page (each page flushed: a reader sees the first line at
    once), at most ``limit``; then, in words, the counts; an exit code."""
    shown = 0
    after: tuple[str, str] | None = None
    while limit is None or shown < limit:
        size = STATUS_PAGE if limit is None else min(STATUS_PAGE, limit - shown)
        page = read_page(after, size)
        if isinstance(page, int):
            return page
        for document in page:
            if as_json:
                print(json.dumps(document, default=str))
                continue
            print(
                f"{document['id']}  {_status_word(document, language):<11} "
                f"{document['kind']:<9} {document['number']}  {_why_or_where(document, language)}"
            )
        sys.stdout.flush()
        shown += len(page)
        if len(page) < size:
            break
        after = (str(page[-1]["created_at"]), str(page[-1]["id"]))
    if not as_json:
        counts = read_counts()
        if isinstance(counts, int):
            return counts
        line = ", ".join(
            f"{counts.get(s.value, 0)} {s.label(language).lower()}" for s in DeliveryStatus
        )
        if counts.get("waiting"):
            line += f" ({counts['waiting']} {notes.waiting(language).lower()})"
        print(line)
    return 0


def _waits(document: dict[str, Any]) -> bool:
    """To fetch, with a failure: a destination waits on a cause that passes by itself."""
    return document["status"] == DeliveryStatus.TO_FETCH.value and bool(document.get("failures"))


def _status_word(document: dict[str, Any], language: Language) -> str:
    if _waits(document):
        return notes.waiting(language)
    return DeliveryStatus(document["status"]).label(language)


def _why_or_where(document: dict[str, Any], language: Language) -> str:
    """Why it failed or waits (in ``language``), else where it went and what became of it."""
    failures = [Failure.from_json(item) for item in document.get("failures") or []]
    if failures:
        text = describe(failures, language)
        if document["locations"]:
            text = ", ".join(document["locations"]) + " — " + text
        return text
    where = ", ".join(document["locations"]) or (document["message"] or "")
    if document.get("moved"):
        where += ("  " if where else "") + notes.moved(document["moved"], language)
    return where


def run_deliver_again(args: argparse.Namespace) -> int:
    """*Deliver again here*: documents Ferry delivered, written again (once) into the
    destinations they went to; a person's act, since the accounting software may import them
    a second time. The engine picks the documents for ``--moved`` and ``--all``."""
    home: FerryHome = args.ferry_home
    if [bool(args.moved), bool(args.all), bool(args.document_ids)].count(True) != 1:
        return _fail("name the documents to deliver again, or --moved, or --all", EXIT_USAGE)
    if args.all and not args.destination:
        return _fail("--all needs --destination NAME", EXIT_USAGE)
    settings = _settings(home, args.language)
    if isinstance(settings, str):
        return _fail(settings)
    if args.destination and settings.destination(args.destination) is None:
        known = ", ".join(d.name for d in settings.destinations) or "none yet"
        return _fail(f"no destination named {args.destination!r} (known: {known})", EXIT_USAGE)

    running = _running(home, args.language)
    if isinstance(running, int):
        return running
    if running is not None:
        try:
            asked = DeliverAgain(
                document_ids=args.document_ids, destination=args.destination, moved=args.moved
            )
            queued = _ask(running, asked, args.language)
            if isinstance(queued, int):
                return queued
            if not queued:
                print("No document to deliver again.")
                return 0
            return _pass_through(running, "incremental", args.language)
        finally:
            running.stop()

    async def work(engine: Engine) -> RunSummary | None:
        queued = await engine.deliver_again(
            args.document_ids or None, args.destination, moved=args.moved
        )
        if not queued:
            return None
        return await engine.sync_once("incremental")

    result = _with_engine(home, work, language=args.language)
    if result is None:
        print("No document to deliver again.")
        return 0
    if isinstance(result, int):
        return result
    return _print_summary(result, args.language)


def run_resend(args: argparse.Namespace) -> int:
    home: FerryHome = args.ferry_home
    running = _running(home, args.language)
    if isinstance(running, int):
        return running
    if running is not None:
        try:
            sent = _ask(running, Resend(document_ids=args.document_ids), args.language)
            if isinstance(sent, int):
                return sent
            return _pass_through(running, "resend", args.language)
        finally:
            running.stop()

    async def work(engine: Engine) -> RunSummary:
        await engine.resend(args.document_ids)
        return await engine.sync_once("resend")

    result = _with_engine(home, work, language=args.language)
    if isinstance(result, int):
        return result
    return _print_summary(result, args.language)


_RETRY_UNKNOWN: dict[Language, str] = {
    Language.EN: "Ferry knows no document {ids}: nothing to retry",
    Language.FR: "Ferry ne connaît aucun document {ids} : rien à réessayer",
    Language.NL: "Ferry kent geen document {ids}: niets om opnieuw te proberen",
}
_RETRY_NOT_FAILED: dict[Language, str] = {
    Language.EN: "Not in error and not waiting, so not tried again: {ids}",
    Language.FR: "Ni en erreur ni en attente, donc pas réessayé : {ids}",
    Language.NL: "Niet in fout en niet wachtend, dus niet opnieuw geprobeerd: {ids}",
}


def _print_retry(outcome: RetryOutcome, language: Language) -> None:
    """What :meth:`Engine.retry` left out, in ``language`` (what it queued, the summary says)."""
    if outcome.unknown:
        print(_RETRY_UNKNOWN[language].format(ids=", ".join(outcome.unknown)))
    if outcome.not_failed:
        print(_RETRY_NOT_FAILED[language].format(ids=", ".join(outcome.not_failed)))


def run_retry(args: argparse.Namespace) -> int:
    """``ferry retry``: the engine's own retry (the GUI's *Retry*), then a retry pass."""
    home: FerryHome = args.ferry_home
    if bool(args.all_errors) == bool(args.document_ids):
        return _fail("name the documents to retry, or --all-errors", EXIT_USAGE)

    running = _running(home, args.language)
    if isinstance(running, int):
        return running
    if running is not None:
        try:
            asked = Retry(document_ids=args.document_ids, all_errors=args.all_errors)
            result = _ask(running, asked, args.language)
            if isinstance(result, int):
                return result
            _print_retry(RetryOutcome(**result), args.language)
            return _pass_through(running, "retry", args.language)
        finally:
            running.stop()

    async def work(engine: Engine) -> tuple[RetryOutcome, RunSummary]:
        outcome = await engine.retry(args.document_ids, all_errors=args.all_errors)
        return outcome, await engine.sync_once("retry")

    result = _with_engine(home, work, language=args.language)
    if isinstance(result, int):
        return result
    outcome, summary = result
    _print_retry(outcome, args.language)
    return _print_summary(summary, args.language)
