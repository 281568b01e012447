"""Run every query case on every engine, warm, and count the rows each engine returns.

Engines:

* ``loglake``: ``run_insights`` on the lake's sandboxed connection (compile and run).
* ``sql``: the hand-written SQL through ``run_select`` on the same connection.
* ``ndjson``: DuckDB over the NDJSON export with ``read_json`` and the schema's column types.
* ``jq``: ``jq -n -c`` over the NDJSON export, one process per run.
* ``chdb``: chDB (embedded ClickHouse) over the lake's Parquet files.

DuckDB and chDB use both cores; ``jq`` uses one.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench.query_cases import ROW_LIMIT, QueryCase
from bench.storage import LAKE_GLOB, ndjson_columns, plain_connection
from bench.timing import Timing, measure
from loglake.analytics.insights import ParameterValue, QueryScope
from loglake.analytics.lake import open_lake
from loglake.analytics.query import run_insights
from loglake.analytics.saved_queries import SavedQuery, bind_parameters, load_saved_queries
from loglake.analytics.sql import run_select

ENGINES = ("loglake", "sql", "ndjson", "jq", "chdb")


@dataclass(frozen=True, slots=True)
class EngineRun:
    """One engine's runs of one case, or why it did not run."""

    timing: Timing | None
    rows: int | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CaseResult:
    """The runs of one case on every engine."""

    case: QueryCase
    insights: str
    runs: dict[str, EngineRun]

    @property
    def rows_agree(self) -> bool:
        """Whether every engine that ran returned the same number of rows."""
        counts = {run.rows for run in self.runs.values() if run.rows is not None}
        return len(counts) <= 1


@dataclass(frozen=True, slots=True)
class QueryInputs:
    """Inputs of the cases: the files they read and the values their templates need."""

    lake: Path
    ndjson: Path
    start: datetime
    end: datetime
    values: dict[str, str]
    """``request_id``, ``trace_id`` and ``event_id``."""


def saved_queries(cases: tuple[QueryCase, ...]) -> tuple[dict[str, SavedQuery], list[str]]:
    """Return the saved query of each saved case, and the saved queries that have no case."""
    saved = load_saved_queries(Path(__file__).resolve().parents[1] / "queries")
    names = {case.name for case in cases if case.saved}
    missing_files = sorted(names - saved.keys())
    if missing_files:
        raise RuntimeError(
            f"query cases {missing_files} name no file in queries/: rename or remove the cases"
        )
    return {name: saved[name] for name in names}, sorted(saved.keys() - names)


def insights_of(
    case: QueryCase, saved: dict[str, SavedQuery], values: dict[str, str]
) -> tuple[str, dict[str, ParameterValue]]:
    """Return a case's Insights text and parameter values, from the case or its saved query."""
    filled = {name: fill_template(value, values) for name, value in case.parameters.items()}
    if case.insights is not None:
        return case.insights, dict(filled)
    return saved[case.name].query, bind_parameters(saved[case.name], filled)


def run_cases(
    cases: tuple[QueryCase, ...], inputs: QueryInputs, *, repeat: int, slow_budget: float
) -> list[CaseResult]:
    """Run each case on each engine; slow engines get fewer runs within ``slow_budget`` s."""
    saved, _ = saved_queries(cases)
    lake = open_lake(str(inputs.lake))
    ndjson = plain_connection()
    ndjson.execute(
        f"CREATE VIEW logs AS SELECT * FROM read_json('{inputs.ndjson}', "
        f"format = 'newline_delimited', columns = {ndjson_columns()})"
    )
    chdb_connection = _chdb_connection()
    jq = shutil.which("jq")
    scope = QueryScope(start=inputs.start, end=inputs.end)
    values = {
        **inputs.values,
        "start": f"{inputs.start:%Y-%m-%d %H:%M:%S}",
        "end": f"{inputs.end:%Y-%m-%d %H:%M:%S}",
        "parquet": f"file('{inputs.lake / LAKE_GLOB}', Parquet)",
    }

    results = []
    for case in cases:
        insights, parameters = insights_of(case, saved, values)
        sql = fill_template(case.sql, values)
        ndjson_sql = fill_template(case.ndjson_sql or case.sql, values)

        def loglake_rows(
            text: str = insights, parameters: dict[str, ParameterValue] = parameters
        ) -> int:
            found = run_insights(
                lake, text, scope=scope, parameters=parameters, row_limit=ROW_LIMIT
            )
            return len(found.result.rows)

        def sql_rows(sql: str = sql) -> int:
            return len(run_select(lake, sql).rows)

        def ndjson_rows(sql: str = ndjson_sql) -> int:
            return len(ndjson.execute(sql).fetchall())

        runs = {
            "loglake": _run(loglake_rows, repeat, budget=60),
            "sql": _run(sql_rows, repeat, budget=60),
            "ndjson": _run(ndjson_rows, repeat, budget=slow_budget),
        }
        if case.jq is None:
            runs["jq"] = EngineRun(None, None, "not expressible")
        elif jq is None:
            runs["jq"] = EngineRun(None, None, "jq not installed")
        else:
            command = [jq, "-n", "-c", *_jq_arguments(values), case.jq, str(inputs.ndjson)]
            runs["jq"] = _run(partial(_jq_rows, command), repeat, slow_budget)
        if case.chdb is None:
            runs["chdb"] = EngineRun(None, None, "not expressible")
        elif chdb_connection is None:
            runs["chdb"] = EngineRun(None, None, "chdb not installed")
        else:
            chdb_sql = fill_template(case.chdb, values)
            runs["chdb"] = _run(partial(_chdb_rows, chdb_connection, chdb_sql), repeat, budget=60)
        results.append(CaseResult(case, insights, runs))
    lake.connection.close()
    return results


def _run(action: Callable[[], int], repeat: int, budget: float) -> EngineRun:
    """Time ``action``; a failure becomes the run's note, so one bad case stops no other."""
    rows: list[int] = []
    try:
        timing = measure(lambda: rows.append(action()), repeat=repeat, budget_seconds=budget)
    except Exception as error:  # any engine's error is reported in the table instead
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return EngineRun(None, None, f"failed: {type(error).__name__}: {first_line}")
    return EngineRun(timing, rows[-1])


def fill_template(template: str, values: dict[str, str]) -> str:
    """Replace each ``${name}`` of a case's template with its value."""
    text = template
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    if "${" in text:
        raise ValueError(f"template has a placeholder without a value: {template}")
    return text


def _jq_arguments(values: dict[str, str]) -> list[str]:
    # jq reserves ``end`` as a keyword, so the range's variables have longer names.
    arguments = ["--arg", "range_start", values["start"], "--arg", "range_end", values["end"]]
    for name in ("request_id", "trace_id", "event_id"):
        arguments += ["--arg", name, values[name]]
    return arguments


def _jq_rows(command: list[str]) -> int:
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"jq exited with {completed.returncode}: {completed.stderr.strip()}")
    return len(completed.stdout.splitlines())


def _chdb_connection() -> Any:
    """Open an in-memory chDB session, or return None when chDB is not installed."""
    try:
        import chdb
    except ImportError:
        return None
    return chdb.connect(":memory:")  # type: ignore[no-untyped-call]


def _chdb_rows(connection: Any, sql: str) -> int:
    # One JSON array per row and line: CSV would split rows at newlines inside messages.
    result = connection.query(sql, "JSONCompactEachRow")
    return len(str(result).splitlines())
