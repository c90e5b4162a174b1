"""The demo builder, put together from its parts, and the loop that plays every case in
order of receipt, handing each batch of rows to the writer thread.

:class:`Builder` is :class:`~caseworker.store.demo.plans.PlanMaker` (plans) on
:class:`~caseworker.store.demo.timelines.CaseTimelines` (timelines and playing) on
:class:`~caseworker.store.demo.steps.StepRows` (the rows of each step), with
:class:`~caseworker.store.demo.people.PeopleRows` (people and registers), all on
:class:`~caseworker.store.demo.base.BuilderBase` (working days and row collection).
"""

from __future__ import annotations

import time

from caseworker.store.demo.plans import PlanMaker
from caseworker.store.demo.writer import Writer


class Builder(PlanMaker):
    """Turns plans into rows, kept per table until flushed."""


def play_all(b: Builder, queue, scripted, residents, writer: Writer, progress) -> None:
    """Play every case in order of receipt, handing each batch of rows to the writer."""
    rng = b.rng
    started = time.perf_counter()
    total = len(queue)
    scripted_ids: dict[int, int] = {}
    for n, (day, random_case, i) in enumerate(queue, 1):
        if random_case:
            rid = residents[int(rng.random() * len(residents))]
            p = b.random_plan(day, rid)
            if rng.random() < 0.03:
                p.service_request = b.service_request(rid, day, p.area)
            b.play(p)
        else:
            p, related_to = scripted[i]
            parent = scripted_ids.get(related_to) if related_to is not None else None
            if parent is not None:
                p.related = parent
                b.audit(
                    p.received,
                    p.o1.login,
                    "related issue split",
                    "New issue raised after the response: logged as a new linked complaint (6.8)",
                    parent,
                )
            scripted_ids[i] = b.play(p)
        if n % 1000 == 0:
            writer.submit(b.take())
            if progress and n % (20000 if total < 400_000 else 100_000) == 0:
                rate = n / (time.perf_counter() - started)
                progress(f"  {n:,} cases ({rate:,.0f} a second, about {(total - n) / rate:,.0f} s to go)...")
