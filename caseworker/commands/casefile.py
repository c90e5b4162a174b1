"""``caseworker casefile REFERENCE --out DIR``: the case file for the Ombudsman or a subject
access request: ``REF-case-file.pdf`` (contents page, chronology, definition, letters as
issued, notes, correspondence, documents, adjustments, remedies, actions) and
``REF-documents.zip`` (the original attachments and ``MANIFEST-SHA256.txt``).

An unknown reference exits 2; a folder that cannot be written or a stored document that no
longer matches its recorded SHA-256 exits 1, naming the cause.
"""

from __future__ import annotations

from caseworker.cli import CommandError
from caseworker.commands.common import load, open_store


def run(args) -> int:
    """Write the case file; print where it went."""
    from caseworker.casefile import write_casefile
    from caseworker.casefile.build import CaseFileError
    from caseworker.store import services as sv

    store = open_store(load())
    try:
        try:
            try:
                me = sv.current_officer(store).login  # the case file is the record: officers only, audited
            except sv.DomainError as exc:
                raise CommandError(f"casefile: {exc}", status=2) from None
            result = write_casefile(store, args.reference, args.out, me)
        except CaseFileError as exc:
            status = 2 if str(exc).startswith("there is no case") else 1
            raise CommandError(f"casefile: {exc}", status=status) from None
    finally:
        store.engine.dispose()
    print(f"Case file written: {result.pdf}")
    print(f"Original documents: {result.zip} ({len(result.manifest)} file(s), SHA-256 sums in MANIFEST-SHA256.txt)")
    return 0
