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

    def play_random(self, day, resident: int) -> int:
        """Play a random case of ``resident`` received on ``day`` (3% with a service request
        logged beside it); its case id. One sequence of draws, whichever process plays it."""
        p = self.random_plan(day, resident)
        if self._random() < 0.03:
            p.service_request = self.service_request(resident, day, p.area)
        return self.play(p)

    def play_scripted(self, p, parent: int | None) -> int:
        """Play the scripted plan ``p``, linked to the case ``parent`` when it is a related issue
        split off after a response (Code 6.8, audited as such); its case id."""
        if parent is not None:
            p.related = parent
            self.audit(
                p.received,
                p.o1.login,
                "related issue split",
                "New issue raised after the response: logged as a new linked complaint (6.8)",
                parent,
            )
        return self.play(p)


def play_all(b: Builder, queue, scripted, residents, writer: Writer, progress) -> None:
    """Play every case in order of receipt, handing each batch of rows to the writer."""
    rng = b.rng
    started = time.perf_counter()
    total = len(queue)
    scripted_ids: dict[int, int] = {}
    for n, (day, random_case, i) in enumerate(queue, 1):
        if random_case:
            b.play_random(day, residents[int(rng.random() * len(residents))])
        else:
            p, related_to = scripted[i]
            parent = scripted_ids.get(related_to) if related_to is not None else None
            scripted_ids[i] = b.play_scripted(p, parent)
        if n % 1000 == 0:
            writer.submit(b.take())
            if progress and n % (20000 if total < 400_000 else 100_000) == 0:
                rate = n / (time.perf_counter() - started)
                progress(f"  {n:,} cases ({rate:,.0f} a second, about {(total - n) / rate:,.0f} s to go)...")
