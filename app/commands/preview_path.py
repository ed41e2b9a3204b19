"""``preview-path``: resolve a path template for one client, as the path editor's preview does."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from app.core.kinds import DocumentKind, parse_kind
from app.core.language import Language
from app.core.names import TargetOS, running_target
from app.core.templates import ClientValues, render_path


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "preview-path",
        help="show where a document would land for one client",
        description="Resolve a path template for one client and one document. Prints the path "
        "and exits 0, or prints every problem on standard error and exits 2.",
    )
    parser.add_argument("template", help=r"e.g. 'C:\Winbooks\Data\[enterprise_identifier]\inbound'")
    parser.add_argument("--name", required=True, help="the client's company name")
    parser.add_argument("--vat", help="the client's VAT number, e.g. BE0123456749")
    parser.add_argument("--file-id", help="the client's accounting file (dossier) id")
    parser.add_argument("--country", help="the client's country code, when the VAT number lacks it")
    parser.add_argument(
        "--kind",
        default=DocumentKind.PURCHASE.value,
        help="purchase, sales, statement, receipt or other (default: purchase)",
    )
    parser.add_argument("--date", help="the document's date, YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--target",
        choices=[target.value for target in TargetOS],
        help="the OS whose path rules apply (default: the one this runs on)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    language: Language = args.language
    try:
        kind = parse_kind(args.kind)
    except ValueError as error:
        print(f"ferry preview-path: {error}", file=sys.stderr)
        return 2
    try:
        on = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError:
        print(
            f"ferry preview-path: '{args.date}' is not a date; write it as YYYY-MM-DD",
            file=sys.stderr,
        )
        return 2
    target = TargetOS(args.target) if args.target else running_target()
    client = ClientValues(
        name=args.name,
        vat_number=args.vat,
        accounting_file_id=args.file_id,
        country=args.country,
    )
    result = render_path(args.template, client, kind, on, target)
    if result.path is None:
        for problem in result.problems:
            print(problem.message(language), file=sys.stderr)
        return 2
    print(result.path)
    return 0
