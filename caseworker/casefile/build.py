"""Gather a case's complete record and write the case file: the PDF and the ZIP of originals.

The ZIP holds every stored document as it was attached (``documents/``; withdrawn ones under
``withdrawn/``) and ``MANIFEST-SHA256.txt`` in the format ``sha256sum -c`` reads. Each
document's bytes are checked against the SHA-256 stored when it was attached before they are
written, so a file changed in the database behind caseworker's back is refused, not sent.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from caseworker.store.context import Store
from caseworker.store.queries.case import case_detail, case_id_for_reference
from caseworker.store.queries.case_model import CaseDetail
from caseworker.store.queries.documents import (
    DocumentInfo,
    ResidentUpdateInfo,
    UpdateIntervalInfo,
    case_documents,
    document_content,
    resident_updates,
    update_intervals,
)
from caseworker.store.queries.service_requests import ServiceRequestRow, service_request_by_reference


class CaseFileError(Exception):
    """The case file cannot be written: an unknown case, an unwritable folder, a changed document."""


@dataclass(frozen=True)
class CaseFileRecord:
    """Everything the case file shows, read in one go."""

    detail: CaseDetail
    documents: tuple[DocumentInfo, ...]
    intervals: tuple[UpdateIntervalInfo, ...]
    updates: tuple[ResidentUpdateInfo, ...]
    officers: dict[str, str]  # login -> name
    generated_at: datetime
    generated_by: str
    service_request: ServiceRequestRow | None = None  # the service request the complaint was raised from (1.5)


@dataclass(frozen=True)
class CaseFileResult:
    """What was written: the PDF, the ZIP, and (archive name, SHA-256) of each original in it."""

    pdf: Path
    zip: Path
    manifest: tuple[tuple[str, str], ...]


def _officer_names(store: Store) -> dict[str, str]:
    from sqlmodel import select

    from caseworker.store.models import Officer

    with store.session() as s:
        return {login: name for login, name in s.exec(select(Officer.login, Officer.name)).all()}


def gather(store: Store, case_id: int, login: str) -> CaseFileRecord:
    """The case's full record for the case file.

    Raises:
        CaseFileError: no such case.
    """
    detail = case_detail(store, case_id, whole_history=True)
    if detail is None:
        raise CaseFileError(f"no case with id {case_id}")
    return CaseFileRecord(
        detail=detail,
        documents=case_documents(store, case_id),
        intervals=update_intervals(store, case_id),
        updates=resident_updates(store, case_id),
        officers=_officer_names(store),
        generated_at=store.clock.now(),
        generated_by=login,
        service_request=(
            service_request_by_reference(store, detail.header.service_request)
            if detail.header.service_request
            else None
        ),
    )


def _safe_name(name: str) -> str:
    """A file name safe inside a ZIP on every system (no folders, no reserved characters)."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .") or "document"
    return cleaned[:150]


def write_casefile(store: Store, reference: str, out_dir: str | Path, login: str = "") -> CaseFileResult:
    """Write ``<REF>-case-file.pdf`` and ``<REF>-documents.zip`` into ``out_dir`` (created if missing).

    Args:
        store: the store.
        reference: the case reference (e.g. CMP-000123), any case.
        out_dir: the folder to write into.
        login: who is producing it (shown on the file).

    Raises:
        CaseFileError: an unknown reference, a folder that cannot be written, or a stored document
            whose bytes no longer match the SHA-256 recorded when it was attached.
    """
    from caseworker.casefile.pdf import render_pdf

    case_id = case_id_for_reference(store, reference.strip())
    if case_id is None:
        raise CaseFileError(f"there is no case {reference.strip()!r} on this database")
    record = gather(store, case_id, login)
    ref = record.detail.header.reference
    out = Path(out_dir).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CaseFileError(f"the folder {out} cannot be made: {exc.strerror or exc}") from None
    if not out.is_dir():
        raise CaseFileError(f"{out} is not a folder")
    pdf_path, zip_path = out / f"{ref}-case-file.pdf", out / f"{ref}-documents.zip"
    manifest: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for doc in record.documents:
                content = document_content(store, doc.id)
                digest = hashlib.sha256(content).hexdigest()
                if digest != doc.sha256:
                    raise CaseFileError(
                        f"document {doc.name} (id {doc.id}) no longer matches the SHA-256 recorded "
                        "when it was attached: the database has been changed outside caseworker"
                    )
                folder = "withdrawn" if doc.withdrawn else "documents"
                arcname = f"{folder}/{doc.id:04d}-{_safe_name(doc.name)}"
                zf.writestr(arcname, content)
                manifest.append((arcname, digest))
            lines = [f"{digest}  {name}" for name, digest in manifest]
            zf.writestr("MANIFEST-SHA256.txt", "\n".join(lines) + ("\n" if lines else ""))
        pdf_path.write_bytes(render_pdf(record, manifest))
    except OSError as exc:
        raise CaseFileError(f"the case file could not be written to {out}: {exc.strerror or exc}") from None
    return CaseFileResult(pdf=pdf_path, zip=zip_path, manifest=tuple(manifest))
