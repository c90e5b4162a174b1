"""``caseworker document add|list|save|withdraw``: a case's documents (Code 5.12) from the
command line, as on the case's Documents screen (key ``D``).

- ``add REF FILE [FILE ...] [--description TEXT]`` stores each file inside the database with
  its SHA-256 (refused above the configured ``document_size_limit_mb``, naming the limit);
- ``list REF`` prints the case's documents, numbered 1, 2, ... in the order attached, withdrawn
  ones included and marked with the reason;
- ``save REF N --out PATH`` saves a copy of document N (a folder, or a file name; nothing is
  ever overwritten);
- ``withdraw REF N --reason TEXT`` withdraws a wrong attachment (it stays stored and listed).

Documents are numbered within their case and never deleted, so a number always names the same
document. Bad input exits 2 naming the option; a refusal by the rules exits 1 with its Code
paragraph.
"""

from __future__ import annotations

from caseworker import inert
from caseworker.cli import CommandError
from caseworker.commands.common import load, open_store


def _size(n: int) -> str:
    return f"{n:,} B" if n < 1024 else f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / 1048576:,.1f} MB"


def _refused(exc) -> CommandError:
    ref = f" (Code {exc.code_ref})" if getattr(exc, "code_ref", "") else ""
    return CommandError(f"document: {exc.message}{ref}", status=1)


def _pick(docs, number: str):
    """Document ``number`` (1-based, as ``list`` prints it) of the case, or exit 2 naming the range."""
    try:
        n = int(number)
    except ValueError:
        n = 0
    if not 1 <= n <= len(docs):
        have = f"1 to {len(docs)}" if docs else "none: the case has no documents"
        raise CommandError(f"document: N: {inert.terminal(number)!r} is not a document of the case (numbers: {have})")
    return docs[n - 1]


def _check_files(paths, limit: int) -> None:
    """Every file named exists and is within the size limit, or exit 2 naming each problem (nothing stored)."""
    from pathlib import Path

    problems = []
    for given in paths:
        p = Path(given).expanduser()
        try:
            if not p.is_file():
                problems.append(f"{p} is not a file" if p.exists() else f"there is no file {p}")
            elif p.stat().st_size > limit:
                problems.append(
                    f"{p.name} is {p.stat().st_size:,} bytes, above the limit of {limit:,} bytes "
                    f"({limit / 1048576:g} MB, document_size_limit_mb in the configuration)"
                )
        except OSError as exc:
            problems.append(f"{p} cannot be read ({exc.strerror or exc})")
    if problems:
        raise CommandError(
            "document: FILE: " + "; ".join(inert.terminal(x) for x in problems) + ": nothing was attached"
        )


def _print_list(reference: str, docs, local) -> None:
    if not docs:
        print(f"{reference} has no documents.")
        return
    header = ("NO", "NAME", "TYPE", "SIZE", "ATTACHED", "BY", "SHA-256", "STATE")
    body = []
    for n, d in enumerate(docs, 1):
        state = f"withdrawn {local(d.withdrawn_at)}: {d.withdrawn_reason}" if d.withdrawn else "on the record"
        body.append(
            tuple(
                inert.terminal(x)
                for x in (
                    str(n),
                    d.name,
                    d.media_type,
                    _size(d.size),
                    local(d.added_at),
                    d.added_by,
                    d.sha256[:12] + "…",
                    state,
                )
            )
        )
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for row in [header, *body]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for n, d in enumerate(docs, 1):
        if d.description:
            print(f"  {n}: {inert.terminal(d.description)}")
    withdrawn = sum(d.withdrawn for d in docs)
    print(f"\n{len(docs)} document(s) on {reference}" + (f"; {withdrawn} withdrawn" if withdrawn else "") + ".")


def run(args) -> int:
    """Run one document sub-command."""
    from caseworker.desktop import DesktopError, save_copy
    from caseworker.store import services as sv
    from caseworker.store.queries.case import case_id_for_reference
    from caseworker.store.queries.documents import case_documents, document_content
    from caseworker.store.services.documents import size_limit_bytes

    reference = (args.reference or "").strip().upper()
    if not reference:
        raise CommandError("document: REF: give a case reference, e.g. CMP-000123")
    store = open_store(load())

    def local(at) -> str:
        from caseworker.clock import local as uk_time

        return uk_time(at).strftime("%d %b %Y %H:%M") if at else ""

    try:
        case_id = case_id_for_reference(store, reference)
        if case_id is None:
            raise CommandError(f"document: REF: no case with reference {inert.terminal(reference)!r}")
        try:
            if args.doc_command == "add":
                login = sv.current_officer(store).login
                _check_files(args.files, size_limit_bytes(store))
                for path in args.files:
                    doc_id = sv.attach_file(store, login, case_id, path, description=args.description or "")
                    doc = next(d for d in case_documents(store, case_id) if d.id == doc_id)
                    number = [d.id for d in case_documents(store, case_id)].index(doc_id) + 1
                    print(
                        f"Attached to {reference} as document {number}: {inert.terminal(doc.name)} "
                        f"({_size(doc.size)}, SHA-256 {doc.sha256})"
                    )
                return 0
            docs = case_documents(store, case_id)
            if args.doc_command == "list":
                _print_list(reference, docs, local)
                return 0
            doc = _pick(docs, args.number)
            if args.doc_command == "save":
                try:
                    dest = save_copy(doc.name, document_content(store, doc.id), args.out)
                except DesktopError as exc:
                    raise CommandError(f"document: --out: {exc}", status=1) from None
                note = " (withdrawn from the record)" if doc.withdrawn else ""
                print(f"Saved a copy of {inert.terminal(doc.name)}{note} as {dest}")
                return 0
            sv.withdraw_document(store, sv.current_officer(store).login, doc.id, args.reason)
            print(f"Document {args.number} ({inert.terminal(doc.name)}) withdrawn from {reference}; it stays stored.")
            return 0
        except sv.DomainError as exc:
            raise _refused(exc) from None
    finally:
        store.engine.dispose()
