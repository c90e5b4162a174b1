"""Read models for the screens and the command line: inbox, deadlines, registers, allocation.

Every function takes the :class:`Store` first, opens its own session and returns frozen
dataclasses built from plain column values, never live ORM objects. Lists are paged in SQL
by keyset on ``(next_due, id)`` over the composite indexes on ``complaint_case`` (open
cases by due date, and per officer), so a page costs the same at case 100 as at 100,000.

This module is the one place callers import read models from; each part lives in its own
module and is re-exported here: officers (:mod:`~caseworker.store.queries_officers`), the
inbox (:mod:`~caseworker.store.queries_inbox`), the deadline board
(:mod:`~caseworker.store.queries_board`), the adjustments register
(:mod:`~caseworker.store.queries_register`), Stage 2 allocation
(:mod:`~caseworker.store.queries_allocation`) and the case detail
(:mod:`~caseworker.store.queries_case`).
"""

from __future__ import annotations

from caseworker.store.queries_allocation import (
    Allocation,
    AllocationCase,
    Eligibility,
    OfficerLoad,
    allocation,
    eligibility,
)
from caseworker.store.queries_approvals import (
    ExtensionRequestInfo,
    case_extension_requests,
    extension_requests,
)
from caseworker.store.queries_board import (
    BOARD_GROUPS,
    BoardGroup,
    DeadlineBoard,
    OfficerCounts,
    deadline_board,
    non_working_days,
)
from caseworker.store.queries_case import (
    ActionInfo,
    ActionUpdateInfo,
    AdjustmentInfo,
    CaseDetail,
    CaseHeader,
    CorrespondenceInfo,
    DeadlineInfo,
    DisabilityInfo,
    ExclusionInfo,
    ExtensionInfo,
    RemedyInfo,
    RepresentativeInfo,
    ResidentInfo,
    RestrictionInfo,
    StageInfo,
    TimelineEntry,
    case_detail,
    case_id_for_reference,
    rag,
)
from caseworker.store.queries_inbox import (
    FLAGS,
    InboxFilter,
    InboxPage,
    InboxRow,
    due_list,
    inbox_count,
    inbox_page,
)
from caseworker.store.queries_officers import OfficerInfo, OfficerRow, officer_by_login, officer_list, officers
from caseworker.store.queries_register import (
    REVIEW_DUE_DAYS,
    Register,
    RegisterRow,
    register,
)

__all__ = [
    "BOARD_GROUPS",
    "FLAGS",
    "REVIEW_DUE_DAYS",
    "ActionInfo",
    "ActionUpdateInfo",
    "AdjustmentInfo",
    "Allocation",
    "AllocationCase",
    "BoardGroup",
    "CaseDetail",
    "CaseHeader",
    "CorrespondenceInfo",
    "DeadlineBoard",
    "DeadlineInfo",
    "DisabilityInfo",
    "Eligibility",
    "ExclusionInfo",
    "ExtensionInfo",
    "ExtensionRequestInfo",
    "InboxFilter",
    "InboxPage",
    "InboxRow",
    "OfficerCounts",
    "OfficerInfo",
    "OfficerRow",
    "OfficerLoad",
    "Register",
    "RegisterRow",
    "RemedyInfo",
    "RepresentativeInfo",
    "ResidentInfo",
    "RestrictionInfo",
    "StageInfo",
    "TimelineEntry",
    "allocation",
    "case_detail",
    "case_extension_requests",
    "case_id_for_reference",
    "deadline_board",
    "due_list",
    "extension_requests",
    "eligibility",
    "inbox_count",
    "inbox_page",
    "non_working_days",
    "officer_by_login",
    "officer_list",
    "officers",
    "rag",
    "register",
]
