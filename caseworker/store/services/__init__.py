"""The only code that writes: every operation checks the rules, writes the change and its audit
event in one transaction, and raises :class:`DomainError` (message and Code paragraph) on refusal.

Callers import from here: ``from caseworker.store import services`` then
``services.acknowledge(store, login, case_id, version, on, definition)``. Every service
named here is wrapped in :func:`~caseworker.store.services.base.retry_when_busy`: a save
that finds the database busy is tried again (within the busy timeout) before the officer
is told; a new service added to ``__all__`` is wrapped too.
"""

from inspect import isfunction as _isfunction

from caseworker.store.services.account import (
    add_improvement,
    add_order,
    approve_self_assessment,
    complete_order,
    record_annual_letter,
    record_failure_order,
    record_finding,
    record_governing_body_response,
    record_ombudsman_case,
    record_ombudsman_dates,
    save_provision,
    set_learning,
    update_improvement,
)
from caseworker.store.services.approvals import decide_extension, pending_request_count, request_extension
from caseworker.store.services.base import CaseRef, ConcurrentChange, DomainError, StoreBusy, retry_when_busy
from caseworker.store.services.cases import (
    RelatedIssueOutcome,
    acknowledge,
    add_related_issue,
    assign,
    bulk_assign,
    close,
    current_version,
    extend,
    log_case,
    not_accept,
    refuse_escalation,
    request_stage2,
    respond,
    withdraw,
)
from caseworker.store.services.corrections import PersonCorrection, correct_case, correct_person, correct_record
from caseworker.store.services.due_dates import Recomputed, ensure_due_dates_current, recompute_open_cases
from caseworker.store.services.officers import (
    CurrentOfficer,
    acting_login,
    activate_officer,
    add_officer,
    current_officer,
    deactivate_officer,
    reassign_open_cases,
    set_officer,
    system_login,
)
from caseworker.store.services.outcomes import (
    CORRESPONDENCE_KINDS,
    MovedDate,
    add_action,
    add_correspondence,
    calendar_changed,
    issue_letter,
    recompute_due_dates,
    update_action,
)
from caseworker.store.services.people import (
    add_adjustment,
    add_representative,
    add_resident,
    add_restriction,
    record_disability,
    record_review,
    update_representative_contact,
)
from caseworker.store.services.remedies import move_remedy, offer_remedy

__all__ = [
    "add_improvement",
    "add_order",
    "approve_self_assessment",
    "complete_order",
    "record_annual_letter",
    "record_failure_order",
    "record_finding",
    "record_governing_body_response",
    "record_ombudsman_case",
    "record_ombudsman_dates",
    "save_provision",
    "set_learning",
    "update_improvement",
    "Recomputed",
    "correct_case",
    "correct_person",
    "correct_record",
    "PersonCorrection",
    "ensure_due_dates_current",
    "recompute_open_cases",
    "CORRESPONDENCE_KINDS",
    "CaseRef",
    "ConcurrentChange",
    "CurrentOfficer",
    "DomainError",
    "MovedDate",
    "StoreBusy",
    "RelatedIssueOutcome",
    "acknowledge",
    "acting_login",
    "activate_officer",
    "add_action",
    "add_adjustment",
    "add_correspondence",
    "add_officer",
    "add_related_issue",
    "add_representative",
    "add_resident",
    "add_restriction",
    "assign",
    "bulk_assign",
    "calendar_changed",
    "close",
    "current_officer",
    "current_version",
    "deactivate_officer",
    "decide_extension",
    "extend",
    "issue_letter",
    "log_case",
    "move_remedy",
    "not_accept",
    "offer_remedy",
    "pending_request_count",
    "reassign_open_cases",
    "recompute_due_dates",
    "record_disability",
    "record_review",
    "refuse_escalation",
    "request_extension",
    "request_stage2",
    "respond",
    "set_officer",
    "system_login",
    "update_action",
    "update_representative_contact",
    "withdraw",
]

# The working week: actions where officers look, service requests, documents, update intervals
from caseworker.store.services.actions import move_action_due, relist_cases_with_open_actions  # noqa: E402, I001
from caseworker.store.services.documents import (  # noqa: E402
    agree_update_interval,
    attach_document,
    attach_file,
    record_resident_update,
    withdraw_document,
)
from caseworker.store.services.service_requests import (  # noqa: E402
    add_service_request,
    close_service_request,
    raise_complaint_from_request,
)

__all__ += [
    "add_service_request",
    "agree_update_interval",
    "attach_document",
    "attach_file",
    "close_service_request",
    "move_action_due",
    "raise_complaint_from_request",
    "record_resident_update",
    "relist_cases_with_open_actions",
    "withdraw_document",
]

for _name in __all__:
    if _isfunction(globals()[_name]):
        globals()[_name] = retry_when_busy(globals()[_name])
del _name
