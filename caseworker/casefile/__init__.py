"""The case file for the Ombudsman or a subject access request (5.12): one PDF with a contents
page (the full record: definition, chronology, letters as issued, notes and correspondence,
updates to the resident, documents, adjustments, remedies, actions) and a ZIP of the original
attachments with a manifest of their SHA-256 sums.

``build`` gathers the record (store reads only), ``pdf`` lays it out, ``write_casefile`` writes both.
"""

from caseworker.casefile.build import CaseFileResult, write_casefile

__all__ = ["CaseFileResult", "write_casefile"]
