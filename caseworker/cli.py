"""Command line: parses arguments and hands each sub-command to its module, imported lazily
so that ``caseworker deadline`` never imports SQLAlchemy and ``caseworker`` paints fast.

Every sub-command module under ``caseworker.commands`` has ``run(args) -> int``. Bad input
prints one clear line on stderr and exits with status 2; a refused action exits 1. Any other
error is caught here: one or two lines on stderr naming the cause and what to do, the full
traceback in the log file they name (``caseworker.failures``), exit status 1. No traceback
ever reaches the user.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:  # pragma: no cover
    import argparse


class CommandError(Exception):
    """Bad input or an unusable environment: printed as one line, exit status 2 by default."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    """The ``caseworker`` argument parser with every sub-command (``argparse`` is imported
    here, not with the module: ``caseworker`` with no sub-command never needs it)."""
    import argparse

    from caseworker import __version__

    class _Parser(argparse.ArgumentParser):
        """An argument parser whose errors are one line on stderr and exit status 2."""

        def error(self, message: str) -> NoReturn:
            raise CommandError(f"{self.prog}: {message}")

    parser = _Parser(prog="caseworker", description="Complaint case handling under the Complaint Handling Code 2024.")
    parser.add_argument("--version", action="version", version=f"caseworker {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("demo", help="open the app on a separate demo database")
    p.add_argument("--cases", type=int, default=200, help="how many cases to build (default 200)")
    p.add_argument("--rebuild", action="store_true", help="build the demo database again even if it exists")
    p.add_argument(
        "--no-app", action="store_true", help="build the database and print where it is, without opening the app"
    )
    p.add_argument(
        "--as",
        dest="as_login",
        default=None,
        metavar="LOGIN",
        help="open the demo as this demo officer (e.g. bhughes, a supervisor): the demo database only",
    )

    p = sub.add_parser("deadline", help="the date N working days after DATE")
    p.add_argument("date", help="start date, YYYY-MM-DD or DD/MM/YYYY")
    p.add_argument("n", help="number of working days (0 or more)")
    p.add_argument("--region", default=None, help="england-and-wales (default), scotland or northern-ireland")
    p.add_argument("--explain", action="store_true", help="say which days were skipped and why")

    p = sub.add_parser("due", help="open cases by next deadline, with working days left")
    p.add_argument("--within", type=int, default=None, help="only cases due within N working days (or overdue)")
    p.add_argument("--officer", default=None, help="only this officer's cases (login)")

    p = sub.add_parser("case", help="one case's record: who, and per stage its events and deadlines")
    p.add_argument("reference", help="the case reference, e.g. CMP-000123")
    p.add_argument("--json", action="store_true", help="print it as JSON, for scripts")

    p = sub.add_parser("letter", help="render and check one letter for a case")
    p.add_argument("reference")
    p.add_argument("kind")
    p.add_argument("--format", default="txt", help="txt, html, docx or pdf (comma-separated for several)")
    p.add_argument("--out", default=None, help="folder to write into (default: print the text)")
    p.add_argument(
        "--draft",
        action="store_true",
        help='write it even if the check fails, marked "DRAFT: not for issue" with what is missing',
    )
    p.add_argument(
        "--to",
        choices=("usual", "resident"),
        default="usual",
        help="resident: the resident's own copy of a letter to their MP, councillor or representative",
    )
    p.add_argument(
        "--copy", action="store_true", help="reprint the last issued KIND letter exactly as sent, marked as a copy"
    )

    p = sub.add_parser("report", help="the annual complaints performance report")
    p.add_argument("--year", type=int, required=True, help="financial year starting April of YEAR")
    p.add_argument("--format", default="md", help="md, csv, html or docx (comma-separated for several)")
    p.add_argument("--out", default=None, help="folder to write into (default: print Markdown)")

    p = sub.add_parser("self-assessment", help="the Code self-assessment with evidence measured from the record")
    p.add_argument("--year", type=int, required=True, help="financial year starting April of YEAR")
    p.add_argument("--format", default="md", help="md or docx (comma-separated for both)")
    p.add_argument("--out", default=None, help="folder to write into (default: print Markdown)")

    p = sub.add_parser("import", help="bring in a spreadsheet tracker (.xlsx or CSV), or undo an import")
    p.add_argument("file", nargs="?", help="the tracker: .xlsx, or CSV (UTF-8, UTF-16 or Windows-1252)")
    p.add_argument(
        "--dry-run", action="store_true", help="check everything and say what would be stored; store nothing"
    )
    p.add_argument(
        "--map",
        action="append",
        metavar="HEADER=FIELD",
        help='put a column into a field, e.g. --map "Contact No=phone" or --map "Notes 2=ignore" (repeatable)',
    )
    p.add_argument("--mapping", metavar="FILE", help="a saved mapping file: one 'Header = field' per line")
    p.add_argument("--save-mapping", metavar="FILE", help="write the mapping used to FILE, for next time")
    p.add_argument("--undo", type=int, metavar="BATCH", help="remove what import batch BATCH created")
    p.add_argument("--batches", action="store_true", help="list the import batches")

    p.add_argument(
        "--create-officers",
        action="store_true",
        help="create the tracker's unknown officer names as officers (administrators only); "
        "without it they are listed and nothing is imported",
    )

    p = sub.add_parser("import-export", help="load a JSON export into an empty database")
    p.add_argument("file")

    p = sub.add_parser("export", help="export everything")
    p.add_argument("--format", default="json", help="csv or json")
    p.add_argument("--out", default=None, help="file (json) or folder (csv); default: standard output for json")

    from caseworker.commands.officer import add_arguments as officer_arguments

    officer_arguments(sub)

    p = sub.add_parser("backup", help="a consistent copy of the database while it is in use")
    p.add_argument("path")

    p = sub.add_parser("restore", help="put a backup in place of the database (the current files are kept aside)")
    p.add_argument("backup")

    p = sub.add_parser("upgrade", help="bring the database's schema up to date, taking a backup first")
    p.add_argument("--dump", metavar="FILE", help="PostgreSQL: a pg_dump file made just now, as the backup")
    p.add_argument("--no-backup", action="store_true", help="PostgreSQL: upgrade without a backup (not advised)")
    p = sub.add_parser("casefile", help="the case file for the Ombudsman: one PDF and a ZIP of the documents")
    p.add_argument("reference", help="the case reference, e.g. CMP-000123")
    p.add_argument("--out", required=True, help="folder to write the PDF and the ZIP into")

    p = sub.add_parser("service-request", help="record, list, close service requests and raise complaints from them")
    sr = p.add_subparsers(dest="sr_command", parser_class=_Parser, required=True)
    q = sr.add_parser("add", help="record a service request (Code 1.4)")
    q.add_argument("--resident", required=True, help="the resident's name (an existing resident, or a new one)")
    q.add_argument("--area", required=True, help="the service area, e.g. Repairs")
    q.add_argument("--description", required=True, help="what the resident asked for")
    q.add_argument("--received", default=None, help="date received, YYYY-MM-DD or DD/MM/YYYY (default today)")
    q.add_argument("--owner", default=None, help="the officer who owns it (login; default you)")
    q.add_argument("--address", default="", help="the resident's address, for a new resident")
    q = sr.add_parser("list", help="the register of service requests with their age")
    q.add_argument("--all", action="store_true", help="closed ones too")
    q = sr.add_parser("close", help="close a service request, saying what was done")
    q.add_argument("reference")
    q.add_argument("--outcome", required=True, help="what was done")
    q = sr.add_parser("raise", help="raise a complaint from a service request; the request stays open (Code 1.5)")
    q.add_argument("reference")
    q.add_argument("--summary", required=True, help="what the resident is complaining about")
    q.add_argument("--channel", default="phone", help="how the complaint came in (default phone)")
    q.add_argument("--category", default="", help="category (optional)")
    q.add_argument("--received", default=None, help="date the complaint was received (default today)")

    p = sub.add_parser("document", help="attach, list, save and withdraw a case's documents (Code 5.12)")
    dp = p.add_subparsers(dest="doc_command", parser_class=_Parser, required=True)
    q = dp.add_parser("add", help="attach files to a case (stored inside the database with their SHA-256)")
    q.add_argument("reference", help="the case reference, e.g. CMP-000123")
    q.add_argument("files", nargs="+", metavar="FILE", help="the file(s) to attach")
    q.add_argument("--description", default="", help='what it is, e.g. "contractor\'s report"')
    q = dp.add_parser("list", help="the case's documents, numbered, withdrawn ones marked")
    q.add_argument("reference")
    q = dp.add_parser("save", help="save a copy of document N (never overwriting a file)")
    q.add_argument("reference")
    q.add_argument("number", metavar="N", help="the document's number, as `document list` prints it")
    q.add_argument("--out", required=True, help="a folder to save into, or a file name")
    q = dp.add_parser("withdraw", help="withdraw a wrong attachment with a reason (it stays stored)")
    q.add_argument("reference")
    q.add_argument("number", metavar="N", help="the document's number, as `document list` prints it")
    q.add_argument("--reason", required=True, help="why it is withdrawn")
    return parser


#: Sub-command to the module that runs it.
COMMANDS = {
    "demo": "caseworker.commands.demo",
    "deadline": "caseworker.commands.deadline",
    "due": "caseworker.commands.due",
    "case": "caseworker.commands.case",
    "letter": "caseworker.commands.letter",
    "report": "caseworker.commands.report",
    "self-assessment": "caseworker.commands.self_assessment",
    "import": "caseworker.commands.tracker",
    "import-export": "caseworker.commands.tracker",
    "export": "caseworker.commands.tracker",
    "backup": "caseworker.commands.backup",
    "restore": "caseworker.commands.backup",
    "upgrade": "caseworker.commands.upgrade",
    "casefile": "caseworker.commands.casefile",
    "service-request": "caseworker.commands.service_request",
    "document": "caseworker.commands.document",
    "officer": "caseworker.commands.officer",
    None: "caseworker.commands.open_app",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``caseworker`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        # No arguments: the app, without building every sub-command's parser first (start-up).
        args: argparse.Namespace | SimpleNamespace = (
            SimpleNamespace(command=None) if not argv else build_parser().parse_args(argv)
        )
        module = importlib.import_module(COMMANDS[args.command])
        return int(module.run(args) or 0)
    except CommandError as exc:
        from caseworker.inert import visible

        message = visible(str(exc), multiline=False)
        print(message if message.startswith("caseworker") else f"caseworker: {message}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        _quiet_stdout()
        return 1
    except Exception as exc:  # noqa: BLE001 - the top: every error becomes a message, never a traceback
        from caseworker.failures import report

        return report(exc)


def _quiet_stdout() -> None:
    """Point standard output at the null device so Python's exit flush cannot fail again."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
