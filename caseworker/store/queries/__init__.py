"""Read models for the screens and the command line, one module per read model.

Every function takes the :class:`~caseworker.store.db.Store` first, opens its own session and
returns frozen dataclasses built from plain column values, never live ORM objects. Lists are
paged in SQL by keyset on ``(next_due, id)`` over the composite indexes on ``complaint_case``,
so a page costs the same at case 100 as at 100,000.

Import from the module that holds the read model: ``inbox`` (the inbox and ``caseworker due``),
``board`` (the deadlines board), ``case`` and ``case_model`` (the case detail), ``register``
(the adjustments register), ``allocation`` (Stage 2 allocation), ``approvals`` (extension
requests), ``officers``, ``people``, ``record``, ``remedies``, ``documents``,
``service_requests`` and ``account`` (the year's account). This package re-exports nothing.
"""
