"""What went wrong, said plainly: every error that reaches the top of the command line or
the app becomes one or two lines naming the cause and what to do, and the full traceback
goes to a log file in the user's log folder (platformdirs ``user_log_path("caseworker")``).

Messages never contain what the database or the driver said (that can quote row data and
SQL parameters: names, addresses, phone numbers); they are chosen by kind of failure.
"Nothing was saved" / "nothing was imported" is said only when the caller knows the
transaction was rolled back (``rolled_back=True``).

Importing this module imports neither SQLAlchemy nor the app: errors are recognised by the
driver's message and the exception's class names, so it can run before anything else.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

#: Exit status for a failure (the database, the disk, a bug) and for bad input.
FAILURE, BAD_INPUT = 1, 2

#: The log file is started afresh (the old one kept as ``.1``) beyond this size (bytes).
_LOG_MAX = 1_000_000


@dataclass(frozen=True)
class Failure:
    """A failure as the user is told it.

    Attributes:
        cause: ``busy``, ``read-only``, ``disk-full``, ``damaged``, ``unreachable``,
            ``permission``, ``file``, ``unavailable`` or ``unexpected``.
        message: One line: the cause and what to do. Never quotes stored data.
        status: The exit status (1: a failure).
    """

    cause: str
    message: str
    status: int = FAILURE


def log_dir() -> Path:
    """The user's log folder for caseworker (``~/.local/state/caseworker/log`` on Linux,
    ``%LOCALAPPDATA%\\caseworker\\Logs`` on Windows, ``~/Library/Logs/caseworker`` on macOS)."""
    from platformdirs import user_log_path

    return user_log_path("caseworker", appauthor=False)


def log_file() -> Path:
    """The log file that holds full tracebacks: ``caseworker.log`` in :func:`log_dir`."""
    return log_dir() / "caseworker.log"


def log_exception(exc: BaseException, context: str = "") -> Path | None:
    """Append ``exc``'s full traceback (with the time and ``context``) to :func:`log_file`.

    Returns:
        The log file's path, or None when it could not be written (a full disk, say).
    """
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > _LOG_MAX:
            os.replace(path, path.with_name(path.name + ".1"))
        stamp = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with path.open("a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"--- {stamp} {context or ' '.join(sys.argv[:2])}\n{text}\n")
    except OSError:
        return None
    return path


def _chain(exc: BaseException):
    """``exc``, the driver's original error (SQLAlchemy's ``orig``) and their causes."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [getattr(e, "orig", None), e.__cause__, e.__context__]


def _names(e: BaseException) -> set[str]:
    return {c.__name__ for c in type(e).__mro__}


def _driver_text(e: BaseException) -> str:
    """The first line of what the driver said, lower case: for recognising, never for showing."""
    try:
        return (str(e).strip().splitlines() or [""])[0].lower()
    except Exception:  # noqa: BLE001 - a broken __str__ must not hide the failure
        return ""


_BUSY = (
    "database is locked",
    "database table is locked",
    "database is busy",
    "lock timeout",
    "could not obtain lock",
    "deadlock detected",
    "canceling statement due to lock",
)
_READ_ONLY = ("readonly database", "read-only", "read only")
_FULL = ("database or disk is full", "no space left on device", "disk is full", "could not extend file")
_DAMAGED = ("file is not a database", "database disk image is malformed", "malformed", "file is encrypted")
_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "timeout expired",
    "server closed the connection",
    "connection failed",
    "network is unreachable",
    "no route to host",
)


def describe(exc: BaseException, *, rolled_back: bool = False) -> Failure:
    """Say what ``exc`` means for the user.

    Args:
        exc: Any exception (SQLAlchemy's wrapped driver errors, ``sqlite3`` errors, ``OSError``,
            ``StoreUnavailable``, a bug).
        rolled_back: The caller knows the failed work was one transaction that was rolled
            back, so nothing of it was saved and nothing already stored changed.

    Returns:
        A :class:`Failure` whose message is one line with no stored data in it.
    """
    saved = " Nothing was saved; what was already stored is unchanged." if rolled_back else ""
    for e in _chain(exc):
        names, text = _names(e), _driver_text(e)
        err = getattr(e, "errno", None) if isinstance(e, OSError) else None
        database = bool(names & {"DatabaseError", "DBAPIError", "InterfaceError"})
        if err == errno.ENOSPC or database and any(s in text for s in _FULL):
            return Failure(
                "disk-full",
                "The disk is full: free some space on the drive holding the database "
                "(or the file being written), then try again." + saved,
            )
        if database and any(s in text for s in _DAMAGED):
            return Failure(
                "damaged",
                "The database file is damaged (or is not a caseworker database): keep a copy "
                "of it for IT, and restore your latest backup (made with `caseworker backup PATH`).",
            )
        if database and any(s in text for s in _BUSY):
            return Failure(
                "busy",
                "The database is busy: another program or user is holding it locked. "
                "Wait a moment and try again." + saved,
            )
        if err == errno.EROFS or database and any(s in text for s in _READ_ONLY):
            return Failure(
                "read-only",
                "The database is read-only: caseworker must be able to write to the file "
                "and its folder. Ask IT for write access, or work on a copy." + saved,
            )
        if database and any(s in text for s in _UNREACHABLE):
            return Failure(
                "unreachable",
                "The database server cannot be reached: check the network and that the "
                "server is running, then try again." + saved,
            )
        if "StoreUnavailable" in names:
            from caseworker import inert

            return Failure("unavailable", inert.visible(str(e), multiline=False))
        if err in (errno.EACCES, errno.EPERM):
            where = f" {e.filename}" if getattr(e, "filename", None) else ""
            return Failure(
                "permission",
                f"Permission denied{where}: caseworker may not read or write it. "
                "Choose another place, or ask IT for access.",
            )
        if isinstance(e, OSError) and err is not None:
            where = f" {e.filename}" if getattr(e, "filename", None) else ""
            return Failure("file", f"Cannot read or write{where}: {os.strerror(err)}.")
    return Failure("unexpected", f"caseworker stopped because of an unexpected error ({type(exc).__name__})." + saved)


def message_lines(
    exc: BaseException, *, rolled_back: bool = False, log: bool = True, context: str = ""
) -> tuple[list[str], int]:
    """The lines to show for ``exc`` and the exit status; logs the traceback first.

    Returns:
        At most two lines (the cause and what to do; where the details are) and the exit status.
    """
    failure = describe(exc, rolled_back=rolled_back)
    lines = [failure.message]
    if log:
        path = log_exception(exc, context)
        lines.append(f"Details are in {path}" if path else "The details could not be written to the log either.")
    return lines, failure.status


def report(exc: BaseException, *, rolled_back: bool = False, prefix: str = "caseworker: ") -> int:
    """Print ``exc`` to standard error as at most two lines (see :func:`message_lines`).

    Returns:
        The exit status to return (1).
    """
    lines, status = message_lines(exc, rolled_back=rolled_back)
    try:
        from caseworker import inert

        for n, line in enumerate(lines):
            lead = "" if n or (prefix == "caseworker: " and line.startswith("caseworker")) else prefix
            print(lead + inert.visible(line, multiline=False), file=sys.stderr, flush=True)
    except (OSError, ValueError):  # standard error closed or broken: nothing more to do
        pass
    return status


def for_officer(exc: BaseException, *, log: bool = True) -> str:
    """What the app tells the officer about ``exc`` (an error dialog, a status line).

    A database or disk failure: its cause and what to do. An error caseworker raised itself (a
    DomainError, a StoreUnavailable, a LetterTemplateError: written for the officer): its own
    words. Anything else: its kind and the log file holding the traceback, never what it says
    (that may quote stored data). The traceback is logged in both of the last two cases
    (unless ``log`` is False: a status line repeating what a dialog already said).
    """
    unexpected = describe(exc).cause == "unexpected"
    if unexpected and type(exc).__module__.startswith("caseworker."):
        return str(exc).strip() or type(exc).__name__
    lines, _status = message_lines(exc, context="the app", log=log)
    if unexpected:  # the app goes on: not "caseworker stopped"
        lines[0] = f"An unexpected error ({type(exc).__name__}) stopped this. Try again; if it happens again, tell IT."
    return "\n".join(lines)
