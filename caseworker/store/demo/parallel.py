"""Playing the demo's cases in worker processes, one a CPU core, with one process writing.

Generating a case's rows is Python work (about a quarter of a millisecond a case); the
database work is not. So for a large demo the cases are split into :data:`PARTS` parts by
resident (every case of a resident in one part, so a resident's MP or councillor is
recorded once and a related case sits with the case it came from), each part played in a
forked worker process with its own random stream (``seed``, part), and the rows sent back
window by window (:data:`WINDOW` cases of the queue at a time) to the parent, which inserts
them in the order of receipt through its writer thread: on SQLite as a serialized in-memory
database per part and window, copied in by ``INSERT ... SELECT`` (:func:`~.writer.merge_parts`),
on PostgreSQL as stored tuples for COPY.

The residents are made in the workers too, each part its own (every resident of a part is
only ever named by that part's cases): the parent decides only their ids and who has a
representative (:meth:`~caseworker.store.demo.people.PeopleRows.plan_residents`), so a
scripted case made in the parent can name one.

What is decided in the parent, before the workers start, is what crosses parts: the order
of receipt, so each case's id (and reference) is its place in the queue as before, and
which resident each case is for. Other rows are numbered by part: part ``k`` of ``n`` takes
every ``n``-th id (:meth:`~caseworker.store.demo.base.BuilderBase.number_as_part`), so the
ids of a table run in step with the dates and leave no gaps beyond the last few.

The same seed, day, settings and number of parts build the same database, whatever the
number of CPU cores: :data:`PARTS` is fixed, not read from the machine.
"""

from __future__ import annotations

import multiprocessing
import random
import traceback
from collections import Counter
from datetime import date

from caseworker.store.demo.base import POSTGRESQL_CLOCK, SQLITE_CLOCK
from caseworker.store.demo.builder import Builder
from caseworker.store.demo.writer import Parts, Writer, prepare_batch, register_part_adapters, serialized_batch

#: Worker processes (parts) for a large demo: this machine's two cores. Fixed, so that a seed
#: builds the same demo on any machine.
PARTS = 2
#: Cases of the queue per window: each part sends one batch of rows per window.
WINDOW = 2_000
#: Demos of fewer cases are built in one process (starting workers costs more than it saves).
PARALLEL_FROM = 20_000

# (case id, received, scripted index or None, resident for a random case / parent case id for a scripted one)
Job = tuple[int, date, int | None, int | None]


def split(b: Builder, queue, scripted, residents) -> list[list[Job]]:
    """The cases of ``queue`` (in order of receipt) shared into :data:`PARTS` parts by resident.

    Draws each random case's resident from the builder's random stream, and gives each
    scripted case the id of the case it is related to when that came first.
    """
    parts: list[list[Job]] = [[] for _ in range(PARTS)]
    first_id = b.ids["complaint_case"] + 1
    rng_random = b.rng.random
    scripted_ids: dict[int, int] = {}
    for n, (day, random_case, i) in enumerate(queue):
        cid = first_id + n
        if random_case:
            rid = residents[int(rng_random() * len(residents))]
            parts[rid % PARTS].append((cid, day, None, rid))
        else:
            p, related_to = scripted[i]
            parent = scripted_ids.get(related_to) if related_to is not None else None
            scripted_ids[i] = cid
            parts[p.resident % PARTS].append((cid, day, i, parent))
    return parts


def _play_part(
    send, b: Builder, jobs: list[Job], part: int, seed: int, scripted, dialect: str, windows: int, residents
) -> None:
    """In a worker: make the part's residents and send them as one batch; play ``jobs`` and send
    one batch per window; then the counts. A batch is a serialized SQLite database on SQLite,
    stored tuples elsewhere."""

    def batch():
        rows = b.take()
        return serialized_batch(rows) if dialect == "sqlite" else prepare_batch(dialect, rows)

    try:
        b.rng = random.Random(f"{seed}:{part}:{PARTS}")
        b._random = b.rng.random
        b.number_as_part(part, PARTS)
        # event times made as the text the database stores (base.py), rows bound without a conversion pass
        if dialect == "sqlite":
            register_part_adapters()
            b.clock = SQLITE_CLOCK
        elif dialect == "postgresql":
            b.clock = POSTGRESQL_CLOCK
        b.statuses = Counter()
        b.total_rows = 0
        b.resident_rows([rid for rid in residents if rid % PARTS == part])
        send.send(batch())
        first_id = b.ids["complaint_case"] + 1
        sent = 0
        for cid, day, i, x in jobs:
            window = (cid - first_id) // WINDOW
            while sent < window:
                send.send(batch())
                sent += 1
            b.ids["complaint_case"] = cid - 1
            if i is None:
                b.play_random(day, x)
            else:
                b.play_scripted(scripted[i][0], x)
        while sent < windows:
            send.send(batch())
            sent += 1
        send.send(("done", dict(b.statuses), b.total_rows))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        send.send(("failed", traceback.format_exc()))
    finally:
        send.close()


def play_parallel(b: Builder, queue, scripted, residents, writer_conn, seed: int, progress) -> None:
    """Play every case of ``queue`` in :data:`PARTS` worker processes and insert their rows,
    window by window, through a :class:`Writer` on ``writer_conn``; the builder's own rows
    (officers, restrictions, ...) first, then the residents the workers make (``residents``:
    planned by ``b.plan_residents``). Adds the parts' statuses and row counts to ``b``.

    Raises:
        RuntimeError: a worker failed (its traceback in the message).
    """
    import time

    started = time.perf_counter()
    parts = split(b, queue, scripted, residents)
    own = b.take()
    windows = (len(queue) + WINDOW - 1) // WINDOW
    context = multiprocessing.get_context("fork")
    pipes, workers = [], []
    for part, jobs in enumerate(parts):
        receive, send = context.Pipe(duplex=False)
        worker = context.Process(
            target=_play_part,
            args=(send, b, jobs, part, seed, scripted, writer_conn.dialect.name, windows, residents),
            name=f"demo-part-{part}",
            daemon=True,
        )
        worker.start()
        send.close()
        pipes.append(receive)
        workers.append(worker)
    writer = Writer(writer_conn)  # its thread starts after the fork: a child never inherits it
    try:
        writer.submit(own)
        for window in range(-1, windows + 1):  # the residents, each window, the counts
            batches = []
            for receive in pipes:
                message = receive.recv()
                if isinstance(message, tuple):
                    if message[0] == "failed":
                        raise RuntimeError(f"a demo worker failed:\n{message[1]}")
                    _done, statuses, rows = message
                    b.statuses.update(statuses)
                    b.total_rows += rows
                else:
                    batches.append(message)
            if batches and isinstance(batches[0], bytes):
                writer.submit(Parts(batches))
            else:
                for message in batches:
                    writer.submit(message)
            if progress and window > 0 and window * WINDOW % (100_000 if len(queue) >= 400_000 else 20_000) == 0:
                n = window * WINDOW
                rate = n / (time.perf_counter() - started)
                progress(f"  {n:,} cases ({rate:,.0f} a second, about {(len(queue) - n) / rate:,.0f} s to go)...")
        writer.finish()
    except BaseException:
        writer.abandon()
        for worker in workers:
            worker.kill()
        raise
    finally:
        for worker in workers:
            worker.join()
        for receive in pipes:
            receive.close()
