"""Documents on the case record (5.12): files stored inside the database with their name, type,
size, SHA-256, who and when; never altered once stored (database triggers refuse it); a wrong
attachment is withdrawn with a reason, never deleted. Also the updates agreed with and given
to the resident (5.9).
"""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import date
from pathlib import Path

from caseworker.rules.calendar import short_date
from caseworker.rules.facts import LIVE_STATUSES, Status
from caseworker.store.context import Store
from caseworker.store.models import Case, Document, DocumentWithdrawal, ResidentUpdate, UpdateInterval
from caseworker.store.services.base import (
    ConcurrentChange,
    DomainError,
    actor_for,
    audit,
    local_time,
    officer_name,
    refresh_deadlines,
    utcnow,
)
from caseworker.store.services.cases import transaction

#: The size limit per file when the configuration sets none, in megabytes.
DEFAULT_LIMIT_MB = 25


def size_limit_bytes(store: Store) -> int:
    """The largest file that may be attached, in bytes (``document_size_limit_mb`` in the configuration)."""
    mb = store.settings.document_size_limit_mb or DEFAULT_LIMIT_MB
    return int(mb * 1024 * 1024)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB ({n:,} bytes)"


def attach_document(
    store: Store, login: str, case_id: int, name: str, content: bytes, *, media_type: str = "", description: str = ""
) -> int:
    """Store a file on the case record (5.12). Returns the document's id.

    Args:
        store: the store.
        login: the officer attaching it.
        case_id: the case.
        name: the file's name as the officer knows it (no folders).
        content: the file's bytes, stored as given.
        media_type: its type (guessed from the name when empty).
        description: what it is (e.g. "contractor's report").

    Raises:
        DomainError: an empty name or file, a file above the configured size limit (naming it),
            an unknown case.
    """
    name = Path(name.replace("\\", "/")).name.strip()
    limit = size_limit_bytes(store)
    if not name:
        raise DomainError("give the file a name", "5.12", "name")
    if not content:
        raise DomainError(f"{name} is empty: nothing to attach", "5.12", "file")
    if len(content) > limit:
        raise DomainError(
            f"{name} is {_mb(len(content))}, above the limit of {_mb(limit)} per file set in the "
            "configuration (document_size_limit_mb): attach a smaller copy or ask an administrator",
            "5.12",
            "file",
        )
    media_type = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    digest = hashlib.sha256(content).hexdigest()
    with transaction(store) as session:
        actor_for(session, login)
        if session.get(Case, case_id) is None:
            raise DomainError(f"no case with id {case_id}", "", "case")
        row = Document(
            case_id=case_id,
            name=name,
            media_type=media_type,
            size=len(content),
            sha256=digest,
            description=description.strip(),
            content=content,
            added_by=login,
            added_at=utcnow(store),
        )
        session.add(row)
        session.flush()
        audit(
            session,
            store,
            login,
            "document attached",
            case_id=case_id,
            detail=f"{name} ({len(content):,} bytes, SHA-256 {digest[:12]}…){': ' + description.strip() if description.strip() else ''}",
            after={
                "document_id": row.id,
                "name": name,
                "media_type": media_type,
                "size": len(content),
                "sha256": digest,
            },
        )
        return row.id


def attach_file(store: Store, login: str, case_id: int, path: str | Path, *, description: str = "") -> int:
    """Read a file from disk and attach it (see :func:`attach_document`); a missing or unreadable
    file is a DomainError naming it, and one above the limit is refused before it is read whole."""
    p = Path(path).expanduser()
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise DomainError(f"{p} is not a file", "5.12", "file")
        if size > size_limit_bytes(store):
            raise DomainError(
                f"{p.name} is {_mb(size)}, above the limit of {_mb(size_limit_bytes(store))} per file "
                "set in the configuration (document_size_limit_mb)",
                "5.12",
                "file",
            )
        content = p.read_bytes()
    except FileNotFoundError:
        raise DomainError(f"there is no file {p}", "5.12", "file") from None
    except PermissionError:
        raise DomainError(f"{p} cannot be read (permission denied)", "5.12", "file") from None
    except IsADirectoryError:
        raise DomainError(f"{p} is a folder, not a file", "5.12", "file") from None
    return attach_document(store, login, case_id, p.name, content, description=description)


def withdraw_document(store: Store, login: str, document_id: int, reason: str) -> None:
    """Withdraw a wrongly attached document with a reason; it stays stored and listed as withdrawn.

    A document is withdrawn once (the withdrawal's document is unique): of two officers
    withdrawing it at once exactly one succeeds, and the other is told who did and when.

    Raises:
        DomainError: no reason, an unknown document, or one already withdrawn (saying by whom
            and when).
        ConcurrentChange: another officer withdrew it at the same moment (5.12).
    """
    if not reason.strip():
        raise DomainError("say why the document is withdrawn", "5.12", "reason")
    try:
        with transaction(store) as session:
            actor_for(session, login)
            doc = session.get(Document, document_id)
            if doc is None:
                raise DomainError(f"no document with id {document_id}", "", "document")
            done = _withdrawal(session, document_id)
            if done is not None:
                raise DomainError(
                    f"{doc.name} was already withdrawn by {officer_name(session, done.by)} at {local_time(done.at)}",
                    "5.12",
                    "document",
                )
            session.add(DocumentWithdrawal(document_id=document_id, reason=reason.strip(), by=login, at=utcnow(store)))
            session.flush()  # the unique document_id decides between two officers withdrawing at once
            audit(
                session,
                store,
                login,
                "document withdrawn",
                case_id=doc.case_id,
                detail=f"{doc.name}: {reason.strip()}",
                after={"document_id": document_id, "reason": reason.strip()},
            )
    except DomainError as exc:
        if not getattr(exc, "constraint", False):
            raise
        with store.session() as session:  # the other officer's withdrawal won the race
            done, doc = _withdrawal(session, document_id), session.get(Document, document_id)
            if done is None or doc is None:
                raise
            raise ConcurrentChange(
                f"{doc.name} was withdrawn by {officer_name(session, done.by)} at {local_time(done.at)} "
                "while you were withdrawing it; your withdrawal was not saved",
                "5.12",
                "version",
            ) from None


def _withdrawal(session, document_id: int) -> DocumentWithdrawal | None:
    from sqlmodel import select

    return session.exec(select(DocumentWithdrawal).where(DocumentWithdrawal.document_id == document_id)).first()


# -- updates to the resident (5.9) -----------------------------------------------------------


def agree_update_interval(
    store: Store,
    login: str,
    case_id: int,
    every_days: int | None,
    agreed_on: date | None,
    *,
    how: str = "",
    notes: str = "",
) -> int:
    """Record how often the resident agreed to be updated while the response is late or extended (5.9).

    Args:
        every_days: working days between updates (1 to 20).
        agreed_on: the date it was agreed (not in the future).

    The next update then stands as a deadline (kind ``update``) in the inbox and on the board
    until the stage's response is sent.

    Raises:
        DomainError: every wrong field named at once; a case with no response outstanding.
    """
    problems = []
    if every_days is None:
        problems.append(("every_days", "give the interval in working days"))
    elif not 1 <= every_days <= 20:
        problems.append(("every_days", f"the interval must be 1 to 20 working days (got {every_days})"))
    if agreed_on is None:
        problems.append(("agreed_on", "give the date it was agreed with the resident"))
    elif agreed_on > store.today():
        problems.append(("agreed_on", f"the date agreed ({short_date(agreed_on)}) is in the future"))
    if problems:
        raise DomainError("; ".join(m for _, m in problems), "5.9", problems[0][0])
    with transaction(store) as session:
        actor_for(session, login)
        case = session.get(Case, case_id)
        if case is None:
            raise DomainError(f"no case with id {case_id}", "", "case")
        if Status(case.status) not in LIVE_STATUSES:
            raise DomainError(
                "the response has been sent: updates under 5.9 are agreed only while it is awaited", "5.9", "every_days"
            )
        row = UpdateInterval(
            case_id=case_id,
            stage_number=case.stage,
            every_days=every_days,
            agreed_on=agreed_on,
            how=how,
            notes=notes.strip(),
            recorded_by=login,
            created_at=utcnow(store),
        )
        session.add(row)
        session.flush()
        refresh_deadlines(session, store, case)
        audit(
            session,
            store,
            login,
            "update interval agreed",
            case_id=case_id,
            detail=f"every {every_days} working day{'s' if every_days != 1 else ''} from {short_date(agreed_on)}"
            + (f" by {how}" if how else "")
            + (f": {notes.strip()}" if notes.strip() else ""),
            after={"every_days": every_days, "agreed_on": agreed_on, "how": how, "stage": case.stage},
        )
        return row.id


def record_resident_update(
    store: Store, login: str, case_id: int, given_on: date | None, summary: str, *, how: str = ""
) -> int:
    """Record an update given to the resident on progress (5.9, 6.6); the next agreed update moves on.

    Raises:
        DomainError: every wrong field named at once; an unknown case.
    """
    problems = []
    if given_on is None:
        problems.append(("given_on", "give the date the update was given"))
    elif given_on > store.today():
        problems.append(("given_on", f"the date given ({short_date(given_on)}) is in the future"))
    if not summary.strip():
        problems.append(("summary", "say what the resident was told"))
    if problems:
        raise DomainError("; ".join(m for _, m in problems), "5.9", problems[0][0])
    with transaction(store) as session:
        actor_for(session, login)
        case = session.get(Case, case_id)
        if case is None:
            raise DomainError(f"no case with id {case_id}", "", "case")
        row = ResidentUpdate(
            case_id=case_id, given_on=given_on, how=how, summary=summary.strip(), by=login, created_at=utcnow(store)
        )
        session.add(row)
        session.flush()
        refresh_deadlines(session, store, case)
        audit(
            session,
            store,
            login,
            "resident updated",
            case_id=case_id,
            detail=f"{short_date(given_on)}{' by ' + how if how else ''}: {summary.strip()}",
            after={"given_on": given_on, "how": how},
        )
        return row.id
