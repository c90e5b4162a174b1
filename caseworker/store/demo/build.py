"""Building the demo database: :func:`build_demo` and the file handling around it.

A database holding cases without the demo marker is refused; a SQLite demo is built in a
private temporary file beside the target (no journal syncs, secondary indexes built once
at the end) and moved into place, so a half-built demo is never left behind; a server
database has caseworker's tables dropped and rebuilt.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import inspect, select
from sqlmodel import SQLModel

from caseworker.config import Settings
from caseworker.rules.policy import CODE_2024_IN_FORCE, load_policy, policy_key_for_received
from caseworker.store import models as m
from caseworker.store.bulk import COPY_FREEZE, reset_sequences
from caseworker.store.db import is_sqlite, make_engine, sqlite_path
from caseworker.store.demo.builder import Builder, play_all
from caseworker.store.demo.data import LIVE
from caseworker.store.demo.loading import (
    SetAside,
    fill_open_case_names,
    set_aside_postgresql,
    set_aside_sqlite,
    truncate_for_freeze,
)
from caseworker.store.demo.parallel import PARALLEL_FROM, play_parallel
from caseworker.store.demo.week import finish_week
from caseworker.store.demo.writer import TABLES, Writer, detach_parts
from caseworker.store.due_inputs import SETTING_KEY as DUE_INPUTS_KEY
from caseworker.store.due_inputs import due_inputs_for
from caseworker.store.services.actions import relist_cases_with_open_actions

#: Key of the Setting row that marks a database as a demo built here (JSON: today, cases, seed).
DEMO_SETTING = "demo"


class NotADemoDatabase(RuntimeError):
    """The target holds cases but no demo marker: it may be someone's real data, so it is left alone."""


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo` built."""

    url: str
    today: date
    cases: int
    officers: int
    residents: int
    statuses: dict[str, int]
    seconds: float
    rows: int = 0
    first_received: date | None = None
    path: Path | None = None

    @property
    def live(self) -> int:
        """Cases with a live Code deadline (awaiting acknowledgement or open)."""
        return sum(self.statuses.get(s, 0) for s in LIVE)


def _refuse_if_not_demo(url: str) -> None:
    """Refuse to delete a database that has cases but no demo marker."""
    path = sqlite_path(url) if is_sqlite(url) else None
    if is_sqlite(url):
        if path is None or not path.exists():
            return
        try:
            con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                has_cases = (
                    "complaint_case" in tables and con.execute("SELECT 1 FROM complaint_case LIMIT 1").fetchone()
                )
                marked = (
                    "setting" in tables
                    and con.execute("SELECT 1 FROM setting WHERE key = ?", (DEMO_SETTING,)).fetchone()
                )
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            raise NotADemoDatabase(
                f"{path} is not a caseworker demo database ({exc}); delete it by hand to rebuild the demo"
            ) from None
        if has_cases and not marked:
            raise NotADemoDatabase(
                f"{path} holds cases but was not built as a demo: it is left alone. "
                "Delete or move it by hand to rebuild the demo there"
            )
        return
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if "complaint_case" not in tables:
                return
            has_cases = conn.execute(select(m.Case.__table__.c.id).limit(1)).first()
            marked = (
                "setting" in tables
                and conn.execute(
                    select(m.Setting.__table__.c.key).where(m.Setting.__table__.c.key == DEMO_SETTING)
                ).first()
            )
        if has_cases and not marked:
            raise NotADemoDatabase(
                f"{engine.url.render_as_string(hide_password=True)} holds cases but was not built "
                "as a demo: it is left alone"
            )
    finally:
        engine.dispose()


def _drop_everything(url: str) -> None:
    """Drop caseworker's tables (the models' and PostgreSQL's copy of the open cases' names) and the
    migrations' trigger functions from a server database."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            SQLModel.metadata.drop_all(conn)
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("DROP TABLE IF EXISTS open_case_name")  # not a model (migration 0013g)
                # the migrations' trigger functions (audit, documents, team-mode guards); not an extension's
                functions = conn.exec_driver_sql(
                    "SELECT p.oid::regprocedure::text FROM pg_proc p "
                    "WHERE p.pronamespace = current_schema()::regnamespace AND NOT EXISTS "
                    "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
                ).scalars()
                for function in list(functions):
                    conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function} CASCADE")
    finally:
        engine.dispose()


def _can_fork(dialect) -> bool:
    """Whether the cases may be played in forked worker processes (SQLite or PostgreSQL through
    psycopg, on a system that forks), given the engine's SQLAlchemy ``dialect``."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and (
        dialect.name == "sqlite" or (dialect.name == "postgresql" and dialect.driver == "psycopg")
    )


def vacuum_analyze(engine, connections: int = 2) -> None:
    """``VACUUM (ANALYZE)`` caseworker's tables on a PostgreSQL server, as the last step of a build,
    on ``connections`` connections at once (as ``vacuumdb --analyze --jobs``), largest tables first.

    Rows just loaded have no visibility-map bits and no statistics: until autovacuum comes
    round, an inbox filter cannot answer from its index alone (measured at 1,000,000 cases:
    most filters 2-3x slower before a VACUUM) and the planner guesses. The demo is handed over
    vacuumed and analyzed, as a restored dump would be after ``vacuumdb --analyze``.
    """
    from concurrent.futures import ThreadPoolExecutor

    with engine.connect() as conn:
        tables = list(
            conn.exec_driver_sql(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
                "WHERE schemaname = current_schema() "
                "ORDER BY pg_total_relation_size(quote_ident(schemaname) || '.' || quote_ident(tablename)) DESC, 1"
            ).scalars()
        )

    def vacuum(share: list[str]) -> None:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:  # VACUUM: no transaction
            while share:
                try:
                    table = share.pop(0)
                except IndexError:
                    return
                conn.exec_driver_sql(f"VACUUM (ANALYZE) {table}")

    with ThreadPoolExecutor(max_workers=connections, thread_name_prefix="demo-vacuum") as pool:
        futures = [pool.submit(vacuum, tables) for _ in range(connections)]
    for future in futures:
        future.result()


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", "-writers"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_demo(
    url: str,
    cases: int = 200,
    *,
    today: date | None = None,
    seed: int = 2025,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
    parallel: bool | None = None,
) -> DemoSummary:
    """Delete and rebuild the demo database at ``url`` with ``cases`` realistic cases.

    Args:
        url: the demo database (``config.demo_database_url()`` from the command line; any
            SQLAlchemy URL works). A database holding cases without the demo marker is refused.
        cases: how many cases (at least 1).
        today: the day the demo is built for (due dates are spread around it).
        seed: the random seed: the same seed, day and settings build the same database.
        settings: region, closure days and policy profile (defaults when None).
        progress: called with a line of text now and then (for the command line).
        parallel: play the cases in worker processes (:mod:`.parallel`); None: when there are
            at least ``parallel.PARALLEL_FROM`` of them. Where processes cannot be forked, or
            on a server other than PostgreSQL, one process plays them all.

    Raises:
        NotADemoDatabase: ``url`` holds cases that were not built as a demo.
        ValueError: ``cases`` is less than 1.
    """
    from caseworker.store.migrate import open_store

    if cases < 1:
        raise ValueError(f"cases: at least 1 case is needed (got {cases})")
    started = time.perf_counter()
    today = today or date.today()
    settings = settings or Settings(database_url=url, config_path=Path("demo.toml"))
    from caseworker.store.services import system_login

    _refuse_if_not_demo(url)
    target_path = sqlite_path(url) if is_sqlite(url) else None
    if target_path is not None:
        build_path = target_path.with_name(target_path.name + ".building")
        _remove_sqlite(build_path)
        build_url = f"sqlite:///{build_path}"
    elif is_sqlite(url):
        build_url = url  # in memory
    else:
        _drop_everything(url)
        build_url = url

    engine = open_store(build_url)
    try:
        cal = settings.calendar()
        policy = load_policy(settings.policy, settings.policy_dirs)
        cutover = CODE_2024_IN_FORCE  # the Code became statutory: earlier complaints are worked under the 2022 Code
        old_key = policy_key_for_received(
            settings.policy, cutover - timedelta(days=1), settings.policy_by_received_date
        )
        old_policy = load_policy(old_key, settings.policy_dirs)
        rng = random.Random(seed)
        fy = today.year if today.month >= 4 else today.year - 1
        history_start = date(fy - 2, 3, 1)  # two full financial years before this one, and a month before
        b = Builder(rng, today, cal, policy, old_policy, cutover, system_login(), history_start)
        b.add_officers()
        if parallel is None:
            parallel = cases >= PARALLEL_FROM
        parallel = parallel and _can_fork(engine.dialect)
        # in worker processes each part makes its own residents' rows (parallel.py)
        residents = (b.plan_residents if parallel else b.add_residents)(max(20, int(cases * 0.7)))

        scripted = b.scripted_plans(residents, min(cases, 60))
        n_random = cases - len(scripted)
        recent = min(round(0.25 * n_random), 40)
        first_recent = today - timedelta(days=45)
        dates = [b.random_wd(first_recent, today) for _ in range(recent)]
        for _ in range(n_random - recent):
            day = b.random_wd(history_start, today)
            if rng.random() < 0.06:  # some complaints arrive at weekends (online forms, emails)
                day = min(today, day + timedelta(days=rng.choice((-2, -1, 1))))
                day = max(day, history_start)
            dates.append(day)
        dates.sort()

        # Every case in order of receipt, so references run with the dates as in a live system.
        queue: list[tuple[date, int, int]] = [(p.received, 0, i) for i, (p, _) in enumerate(scripted)]
        queue += [(day, 1, i) for i, day in enumerate(dates)]
        queue.sort()
        with engine.connect() as conn:
            restore = None
            if target_path is not None:
                # A private file, thrown away if the build fails: no rollback journal, no syncs, no foreign-key
                # checks on the builder's own rows, a bigger page cache, and the secondary indexes and
                # BEFORE INSERT guards set aside until the rows are in (loading.py).
                for pragma in (
                    "journal_mode=OFF",  # no rollback journal: a failed build's file is thrown away
                    "synchronous=OFF",
                    "foreign_keys=OFF",
                    "cache_size=-262144",
                    "temp_store=MEMORY",
                    "threads=2",  # CREATE INDEX sorts with a helper thread (the workers are done by then)
                ):
                    conn.exec_driver_sql(f"PRAGMA {pragma}")
                restore = set_aside_sqlite(conn)
                conn.commit()
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")  # index builds in memory
                restore = set_aside_postgresql(conn)
                truncate_for_freeze(conn, [t.__table__.name for t in TABLES])  # rows loaded frozen (COPY FREEZE)
            if parallel:
                play_parallel(b, queue, scripted, residents, conn, seed, progress)
                writer = Writer(conn)
            else:
                writer = Writer(conn)
                try:
                    play_all(b, queue, scripted, residents, writer, progress)
                except BaseException:
                    writer.abandon()
                    raise
            b.rows["setting"].extend(
                [
                    {
                        "key": DEMO_SETTING,
                        "value": json.dumps(
                            {
                                "today": today.isoformat(),
                                "cases": cases,
                                "seed": seed,
                                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                            }
                        ),
                    },
                    {"key": DUE_INPUTS_KEY, "value": json.dumps(due_inputs_for(cal, settings, today), sort_keys=True)},
                ]
            )
            writer.submit(b.take())
            writer.finish()
            if progress:
                progress(f"  {b.total_rows:,} rows written in {time.perf_counter() - started:,.0f} s; indexing ...")
            if isinstance(restore, SetAside):
                # PostgreSQL: the rows committed (frozen) with the open cases' names their triggers would have
                # copied, then the indexes built side by side on connections of their own (loading.py), then
                # the foreign keys and triggers back in this transaction
                fill_open_case_names(conn)
                conn.commit()
                conn.info.pop(COPY_FREEZE, None)
                restore.build_indexes(engine)
                restore.put_back_constraints(conn)
            elif restore is not None:
                restore(conn)
            relist_cases_with_open_actions(conn)  # a case with an open action stays listed (6.6, 6.17)
            reset_sequences(conn, [t.__table__ for t in TABLES if "id" in t.__table__.c])
            conn.commit()
            conn.info.pop(COPY_FREEZE, None)
            if conn.dialect.name == "sqlite":
                detach_parts(conn)
            if target_path is not None:
                conn.exec_driver_sql(
                    "PRAGMA foreign_keys=ON"
                )  # the pooled connection goes back as the engine makes them
            if progress:
                progress(f"  indexed and committed at {time.perf_counter() - started:,.0f} s")
        finish_week(engine, settings, today, seed)  # this week's requests, documents and updates, via the services
        if engine.dialect.name == "postgresql":
            if progress:
                progress(f"  this week recorded at {time.perf_counter() - started:,.0f} s; vacuuming ...")
            vacuum_analyze(engine)
        if target_path is not None:
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=DELETE")  # one self-contained file to move into place
    finally:
        engine.dispose()
    if target_path is not None:
        _remove_sqlite(target_path)
        os.replace(build_path, target_path)
        _remove_sqlite(build_path)
    first = min([p.received for p, _ in scripted] + dates[:1])
    return DemoSummary(
        url=url,
        today=today,
        cases=cases,
        officers=len(b.officers),
        residents=len(residents),
        statuses=dict(b.statuses),
        seconds=time.perf_counter() - started,
        rows=b.total_rows,
        first_received=first,
        path=target_path,
    )
