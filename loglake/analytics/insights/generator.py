"""SQL generation: one SELECT from a parsed query, one query block at a time.

Commands are applied in order to the current block, which follows SQL's order of clauses:
WHERE, GROUP BY, QUALIFY, ORDER BY, LIMIT. Some commands would have to act before a clause
the block already has: a ``filter`` after a ``limit``, or anything but ``sort`` and
``limit`` after ``stats``. Such a command first closes the block into a common table
expression and starts a new block over it. Derived fields are inlined as expressions until
a block closes. Then they become columns with internal names (``_c1``, ``_c2``, ...), and
the final SELECT gives every output column its Insights name. The dialect decides the
SQL that differs between DuckDB and Athena.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from loglake.analytics.insights import ast
from loglake.analytics.insights.dialects import DUCKDB, ROW, Dialect, UnsupportedFeature
from loglake.analytics.insights.errors import InsightsError
from loglake.analytics.insights.expressions import ExpressionCompiler, check_regex, order_terms
from loglake.analytics.insights.fields import SYSTEM_FIELDS, structured_field, system_field
from loglake.analytics.insights.functions import Percentiles
from loglake.analytics.insights.regexes import group_numbers, prepare_regex
from loglake.analytics.insights.values import (
    Kind,
    Value,
    as_column,
    combine,
    sql_identifier,
    sql_string,
)
from loglake.analytics.patterns import pattern_id_sql, pattern_template_sql

DEFAULT_ROW_LIMIT = 10_000
"""Rows a query returns without its own ``limit``, as in CloudWatch Logs Insights."""

MAX_STATS = 2
MIN_SQL_BUDGET = 100_000
SQL_PER_QUERY_CHARACTER = 50
"""A query may compile to 50 characters of SQL per character of its text, and at least to
100,000. Derived fields and stats items are inlined where they are read, so a query that
reads each alias twice in a chain would otherwise double its SQL at every link."""
MATERIALIZE_SQL = 2_000
"""Characters of SQL above which a derived field becomes a column of its own block."""
_REGEX_META = set("\\.^$|?*+()[]{}")


@dataclass(frozen=True, slots=True)
class QueryScope:
    """The reach of a query beyond its text: the time range, log groups and functions.

    ``start`` is inclusive and ``end`` exclusive; either may be None for an open range.
    ``now`` is the query's start time, which ``now()`` returns (the current time if None).
    """

    start: datetime | None = None
    end: datetime | None = None
    log_groups: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    now: datetime | None = None


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """The SQL of a query and what its runner needs to know about it."""

    sql: str
    """The statement, with the row limit that applies."""
    probe_sql: str
    """The same statement asking for one row more than the default limit, so a runner can
    tell that rows were cut off. It equals ``sql`` when the query has its own limit."""
    columns: tuple[str, ...]
    row_limit: int
    limited_by_query: bool
    """True when the query's own ``limit`` decides how many rows come back."""
    warnings: tuple[str, ...]


@dataclass(slots=True)
class _Block:
    source: str
    events: bool
    """Rows are log events, so system and structured fields resolve."""
    where: list[str] = field(default_factory=list)
    group_keys: list[tuple[str, Value]] | None = None
    aggregates: list[tuple[str, Value]] = field(default_factory=list)
    qualify: str | None = None
    order: list[str] | None = None
    sort_keys: list[tuple[Value, bool]] | None = None
    """The values and directions ``order`` was rendered from, so a closed block's sort
    can carry over to the block that reads it."""
    limit: int | None = None
    default_order: list[str] | None = None
    """ORDER BY of a grouped block without a sort: its keys by position."""
    default_sort_keys: list[tuple[Value, bool]] | None = None
    """The same order as values, carried to the block that reads this one."""

    @property
    def aggregated(self) -> bool:
        return self.group_keys is not None


class Generator:
    """Compiler state for one query: the blocks written so far and the names in scope."""

    def __init__(
        self,
        query: ast.Query,
        scope: QueryScope,
        row_limit: int,
        text_length: int = 0,
        dialect: Dialect = DUCKDB,
    ) -> None:
        self.query = query
        self.dialect = dialect
        self.sql_budget = max(MIN_SQL_BUDGET, SQL_PER_QUERY_CHARACTER * text_length)
        self.scope = scope
        self.row_limit = row_limit
        self.now = scope.now or datetime.now(tz=UTC)
        self.ctes: list[str] = []
        self.block = _Block(source="logs", events=True)
        self.names: dict[str, Value] = {}
        self.visible: list[str] | None = None
        self.display_chosen = False
        self.stats_seen = 0
        self.column_count = 0
        self.warnings: list[str] = []
        self.dedup_seen: ast.Command | None = None
        self.timestamp_after_stats: Value | None = None

    # Entry

    def generate(self) -> CompiledQuery:
        """Return the compiled query."""
        for value in (*self.scope.log_groups, *self.scope.functions):
            if "\x00" in value or not value:
                raise InsightsError(
                    f"log group or function name {value!r} is empty or contains the NUL character"
                )
        self._check_order()
        self.block.where.extend(self._scope_conditions())
        for command in self.query.commands:
            self._apply(command)
        return self._finish()

    def _check_order(self) -> None:
        commands = self.query.commands
        stats = [command for command in commands if isinstance(command, ast.Stats | ast.Pattern)]
        if len(stats) > MAX_STATS:
            raise InsightsError(
                f"a query may have at most {MAX_STATS} stats commands", stats[MAX_STATS].position
            )
        if len(stats) == MAX_STATS:
            second = commands.index(stats[1])
            for command in commands[:second]:
                if isinstance(command, ast.Sort | ast.Limit):
                    raise InsightsError(
                        f"{command.keyword} must come after the second stats in a query with "
                        "two stats commands",
                        command.position,
                    )
        for index, command in enumerate(commands):
            if isinstance(command, ast.Dedup):
                for later in commands[index + 1 :]:
                    if not isinstance(later, ast.Limit):
                        raise InsightsError(
                            f"only limit may follow dedup, not {later.keyword}", later.position
                        )

    def _scope_conditions(self) -> list[str]:
        conditions: list[str] = []
        start, end = self.scope.start, self.scope.end
        timestamp, date = self.dialect.timestamp_literal, self.dialect.date_literal
        if start is not None:
            start = start.astimezone(UTC)
            day = date(start.date().isoformat())
            conditions.append(f"{ROW}.timestamp >= {timestamp(start)}")
            conditions.append(f"{ROW}.date >= {day}")
            conditions.append(f"({ROW}.date > {day} OR {ROW}.hour >= {start.hour})")
        if end is not None:
            end = end.astimezone(UTC)
            last = end - timedelta(microseconds=1)
            day = date(last.date().isoformat())
            conditions.append(f"{ROW}.timestamp < {timestamp(end)}")
            conditions.append(f"{ROW}.date <= {day}")
            conditions.append(f"({ROW}.date < {day} OR {ROW}.hour <= {last.hour})")
        if self.scope.log_groups:
            conditions.append(f"{ROW}.log_group IN ({_string_list(self.scope.log_groups)})")
        if self.scope.functions:
            conditions.append(f"{ROW}.function_name IN ({_string_list(self.scope.functions)})")
        return conditions

    # Commands

    def _apply(self, command: ast.Command) -> None:
        match command:
            case ast.Fields():
                self._fields(command)
            case ast.Display():
                self._display(command)
            case ast.Filter():
                self._filter(command)
            case ast.Stats():
                self._stats(command)
            case ast.Sort():
                self._sort(command)
            case ast.Limit():
                self._limit(command)
            case ast.ParseGlob():
                self._parse_glob(command)
            case ast.ParseRegex():
                self._parse_regex(command)
            case ast.Dedup():
                self._dedup(command)
            case ast.Pattern():
                self._pattern(command)
            case ast.Source():
                self._source(command)
            case ast.Unmask():
                pass
            case _:
                raise InsightsError(f"{command.keyword} is not supported", command.position)

    def _fields(self, command: ast.Fields) -> None:
        if self.block.aggregated:
            self._close_block()
        new_names: list[str] = []
        for item in command.items:
            value = self._expression(item.expression)
            self._require_row_level(value, item.expression, "fields")
            name = item.name
            self.names[name] = value
            new_names.append(name)
        if not self.display_chosen:
            visible = self.visible if self.visible is not None else []
            self.visible = visible + [name for name in new_names if name not in visible]
        if any(len(self.names[name].sql) > MATERIALIZE_SQL for name in new_names):
            # Later references read a column instead of repeating the expression, so
            # fields built from fields cannot grow the SQL geometrically.
            self._close_block()

    def _display(self, command: ast.Display) -> None:
        if self.block.aggregated:
            self._close_block()
        names: list[str] = []
        for item in command.items:
            value = self._expression(item.expression)
            self._require_row_level(value, item.expression, "display")
            self.names[item.name] = value
            names.append(item.name)
        self.visible = names
        self.display_chosen = True

    def _filter(self, command: ast.Filter) -> None:
        block = self.block
        if block.aggregated or block.limit is not None or block.qualify is not None:
            self._close_block()
        value = self._expression(command.condition)
        self._require_row_level(value, command.condition, "filter")
        self.block.where.append(self.dialect.as_boolean(value))

    def _stats(self, command: ast.Stats) -> None:
        self._start_aggregation()
        keys: list[tuple[str, Value]] = []
        for item in command.groups:
            value = self._expression(item.expression)
            if value.aggregate:
                raise InsightsError(
                    "a stats group cannot contain an aggregate function",
                    item.expression.position,
                )
            keys.append((item.name, value))

        percentiles = Percentiles()
        aggregates = self._aggregates(command, percentiles)
        if percentiles.share():
            # Several percentiles of one value: compile again, so they share one sort.
            aggregates = self._aggregates(command, percentiles)

        seen: set[str] = set()
        for item in (*command.groups, *command.aggregates):
            if item.name in seen:
                raise InsightsError(
                    f"stats names two columns {item.name}: give one of them another alias",
                    item.expression.position,
                )
            seen.add(item.name)
        self._set_aggregation(keys, aggregates)
        bins = [
            value
            for item, (_, value) in zip(command.groups, keys, strict=True)
            if isinstance(item.expression, ast.FunctionCall)
            and item.expression.name.lower() == "bin"
        ]
        self.timestamp_after_stats = bins[0] if len(bins) == 1 else None
        # Grouped rows come out in the order of their keys, the first columns of the SELECT.
        self.block.default_order = [
            term
            for position, (_, value) in enumerate(keys, start=1)
            for term in self.dialect.group_order(position, value)
        ]
        self.block.default_sort_keys = [(value, False) for _, value in keys]

    def _aggregates(self, command: ast.Stats, percentiles: Percentiles) -> list[tuple[str, Value]]:
        """Compile the aggregate items of a stats command; each may read the ones before it."""
        aggregates: list[tuple[str, Value]] = []
        earlier: dict[str, Value] = {}
        for item in command.aggregates:
            value = self._expression(
                item.expression,
                aggregates_allowed=True,
                overlay=earlier,
                percentiles=percentiles,
            )
            if not value.aggregate:
                raise InsightsError(
                    f"{item.name} is not an aggregate: use a function such as count(*), "
                    "avg(), sum() or pct() in stats",
                    item.expression.position,
                )
            if value.row_level:
                raise InsightsError(
                    f"{item.name} reads a field outside an aggregate function: put the field "
                    "inside one, or group by it",
                    item.expression.position,
                )
            earlier[item.name] = value
            aggregates.append((item.name, value))
            total = sum(len(value.sql) for _, value in aggregates)
            if total > self.sql_budget:
                raise InsightsError(
                    f"these stats items compile to more than {self.sql_budget:,} characters "
                    "of SQL, because each one repeats the items it reads: read fewer aliases, "
                    "or compute them in a second stats",
                    item.expression.position,
                )
        return aggregates

    def _pattern(self, command: ast.Pattern) -> None:
        # Rows after stats have no @level to label severity with.
        events = self.block.events and not self.block.aggregated
        self._start_aggregation()
        value = self._expression(command.expression)
        self._require_row_level(value, command.expression, "pattern")
        dialect = self.dialect
        text = dialect.as_text(value)
        template = pattern_template_sql(text, dialect.regex_replace_all)
        ratio = dialect.divide("count(*)", "sum(count(*)) OVER ()")
        pattern_id = pattern_id_sql(template, dialect.sha256_hex)
        keys = [("@pattern", Value(template, Kind.STRING))]
        aggregates = [
            ("@ratio", Value(ratio, Kind.NUMBER, aggregate=True)),
            ("@sampleCount", Value("count(*)", Kind.NUMBER, aggregate=True)),
            ("@severityLabel", Value(_severity_sql(events), Kind.STRING, aggregate=True)),
            # A function of the group key alone, so the engine computes it once per pattern.
            ("@patternId", Value(pattern_id, Kind.STRING, aggregate=True)),
            ("@sample", Value(dialect.any_value(text), Kind.STRING, aggregate=True)),
        ]
        self._set_aggregation(keys, aggregates)
        self.timestamp_after_stats = None
        self.block.default_order = ["count(*) DESC", "1"]
        self.block.default_sort_keys = [(aggregates[1][1], True), (keys[0][1], False)]

    def _start_aggregation(self) -> None:
        block = self.block
        if block.aggregated or block.limit is not None or block.qualify is not None:
            self._close_block()
        self.stats_seen += 1
        self.block.order = None

    def _set_aggregation(
        self, keys: list[tuple[str, Value]], aggregates: list[tuple[str, Value]]
    ) -> None:
        self.block.group_keys = keys
        self.block.aggregates = aggregates
        self.names = dict(keys + aggregates)
        self.visible = [name for name, _ in keys + aggregates]
        self.display_chosen = False

    def _sort(self, command: ast.Sort) -> None:
        if self.block.limit is not None:
            self._close_block()
        sort_keys = [(self._expression(key.expression), key.descending) for key in command.keys]
        order = [
            term
            for value, descending in sort_keys
            for term in order_terms(value, descending, self.dialect)
        ]
        if not order:
            # Sorting by constants keeps the order the rows had.
            return
        self.block.sort_keys = sort_keys
        self.block.order = order

    def _limit(self, command: ast.Limit) -> None:
        current = self.block.limit
        self.block.limit = command.count if current is None else min(current, command.count)

    def _dedup(self, command: ast.Dedup) -> None:
        block = self.block
        if block.aggregated or block.limit is not None or block.qualify is not None:
            self._close_block()
        keys = [self._expression(expression) for expression in command.keys]
        for value, expression in zip(keys, command.keys, strict=True):
            self._require_row_level(value, expression, "dedup")
        partition = ", ".join(
            self.dialect.as_text(value) if value.kind is Kind.JSON else value.sql for value in keys
        )
        order = self.block.order or ([f"{ROW}.timestamp DESC"] if self.block.events else [])
        window = f"PARTITION BY {partition}" + (f" ORDER BY {', '.join(order)}" if order else "")
        # Rows with a missing key are never duplicates of each other: all of them stay.
        missing = " OR ".join(f"{value.sql} IS NULL" for value in keys)
        self.block.qualify = f"row_number() OVER ({window}) = 1 OR {missing}"
        self.dedup_seen = command

    def _parse_glob(self, command: ast.ParseGlob) -> None:
        source = self._parse_source(command.field)
        parts = command.pattern.split("*")
        regex = "(?s)" + _escape_regex(parts[0])
        for index, part in enumerate(parts[1:], start=1):
            # A * that ends the pattern reads to the end of the text. Any other * matches as
            # little as it can, so the literal text after it ends the capture.
            last = index == len(parts) - 1 and part == ""
            regex += ("(.*)" if last else "(.*?)") + _escape_regex(part)
        groups = list(range(1, len(parts)))
        # Every match contains each literal part, so the longest one can be tested first
        # with a plain substring search, which is much cheaper than the regex.
        required = max(parts, key=len)
        self._add_captures(source, regex, list(command.aliases), groups, required)

    def _parse_regex(self, command: ast.ParseRegex) -> None:
        source = self._parse_source(command.field)
        regex, _ = prepare_regex(command.pattern)
        check_regex(regex, command)
        self._add_captures(source, regex, list(command.group_names), group_numbers(regex))

    def _parse_source(self, expression: ast.Expression) -> Value:
        if self.block.aggregated:
            self._close_block()
        value = self._expression(expression)
        self._require_row_level(value, expression, "parse")
        return value

    def _add_captures(
        self,
        source: Value,
        regex: str,
        names: list[str],
        groups: list[int],
        required: str | None = None,
    ) -> None:
        """Bind each name to the capture group of the same position in ``groups``."""
        if not names:
            return
        text = self.dialect.as_text(source)
        captures = self.dialect.captures(text, regex, groups, required)
        for name, sql in zip(names, captures, strict=True):
            capture = combine(sql, Kind.STRING, source)
            self.names[name] = replace(capture, numeric_text=True)

    def _source(self, command: ast.Source) -> None:
        conditions: list[str] = []
        if command.log_groups:
            conditions.append(f"{ROW}.log_group IN ({_string_list(command.log_groups)})")
        if command.name_prefixes:
            prefixes = " OR ".join(
                f"starts_with({ROW}.log_group, {sql_string(prefix)})"
                for prefix in command.name_prefixes
            )
            conditions.append(f"({prefixes})")
        if command.accounts:
            conditions.append(f"{ROW}.account IN ({_string_list(command.accounts)})")
        self.block.where.extend(conditions)

    # Blocks

    def _new_column(self) -> str:
        self.column_count += 1
        return f"_c{self.column_count}"

    def _close_block(self) -> None:
        """Write the current block as a CTE and start a new block that reads it."""
        block = self.block
        name = f"step{len(self.ctes) + 1}"
        if block.aggregated:
            select, renamed, renamed_values = self._grouped_columns(block)
            positions = ", ".join(str(i) for i in range(1, len(block.group_keys or []) + 1))
            group_by = f" GROUP BY {positions}" if block.group_keys else ""
        else:
            select, renamed, renamed_values = self._row_columns()
            group_by = ""

        sql = self._select(block, select, group_by)
        self.ctes.append(f"{name} AS (\n  {sql}\n)")

        self.names = renamed
        if block.aggregated and self.timestamp_after_stats is not None:
            # The bin() key that stands in for @timestamp is now a column of the CTE.
            self.timestamp_after_stats = renamed_values.get(id(self.timestamp_after_stats))
        self.block = _Block(source=name, events=block.events and not block.aggregated)
        self._carry_sort(block, renamed_values)

    def _grouped_columns(
        self, block: _Block
    ) -> tuple[list[str], dict[str, Value], dict[int, Value]]:
        """Return the SELECT items of a grouped block and its names as the next block reads them."""
        select: list[str] = []
        renamed: dict[str, Value] = {}
        renamed_values: dict[int, Value] = {}
        for user_name, value in (block.group_keys or []) + block.aggregates:
            column = self._new_column()
            select.append(f"{value.sql} AS {column}")
            renamed[user_name] = as_column(value, f"{ROW}.{column}")
            renamed_values[id(value)] = renamed[user_name]
        return select, renamed, renamed_values

    def _row_columns(self) -> tuple[list[str], dict[str, Value], dict[int, Value]]:
        """Return the SELECT items of a row block: every column, plus derived fields."""
        select = [f"{ROW}.*"]
        renamed: dict[str, Value] = {}
        renamed_values: dict[int, Value] = {}
        for user_name, value in self.names.items():
            if value.stable:
                # A column, or a path into one, that SELECT src.* passes through.
                renamed[user_name] = value
                continue
            if id(value) not in renamed_values:
                column = self._new_column()
                select.append(f"{value.sql} AS {column}")
                renamed_values[id(value)] = as_column(value, f"{ROW}.{column}")
            renamed[user_name] = renamed_values[id(value)]
        return select, renamed, renamed_values

    def _carry_sort(self, closed: _Block, renamed: dict[int, Value]) -> None:
        """Keep the closed block's sort, or a grouped block's key order, for the new block."""
        if not closed.aggregated:
            if closed.sort_keys is None:
                return
            # The sort expressions read columns that SELECT src.* passes through.
            self.block.sort_keys = closed.sort_keys
            self.block.order = closed.order
            return
        sort_keys = closed.sort_keys or closed.default_sort_keys
        if sort_keys is None:
            return
        keys = [(renamed.get(id(value)), descending) for value, descending in sort_keys]
        if all(value is not None for value, _ in keys):
            self.block.sort_keys = [(value, descending) for value, descending in keys if value]
            self.block.order = [
                term
                for value, descending in self.block.sort_keys
                for term in order_terms(value, descending, self.dialect)
            ]

    def _finish(self) -> CompiledQuery:
        block = self.block
        if block.aggregated:
            assert block.group_keys is not None
            all_items = dict(block.group_keys + block.aggregates)
            names = self.visible or list(all_items)
            select = [
                f"{self.dialect.as_output(all_items[name])} AS {sql_identifier(name)}"
                for name in names
            ]
            # The group keys are the first columns of the SELECT.
            positions = ", ".join(str(i) for i in range(1, len(block.group_keys) + 1))
            group_by = f" GROUP BY {positions}" if block.group_keys else ""
        else:
            names = self.visible or ["@timestamp", "@message"]
            select = []
            for name in names:
                value = self.names.get(name) or self._resolve_name(name, None)
                select.append(f"{self.dialect.as_output(value)} AS {sql_identifier(name)}")
            group_by = ""
        if block.order is None:
            if block.default_order is not None:
                block.order = block.default_order
            elif block.events:
                block.order = [f"{ROW}.timestamp DESC"]
        limited_by_query = block.limit is not None
        statements: list[str] = []
        for limit in (block.limit or self.row_limit, block.limit or self.row_limit + 1):
            final = replace(block, limit=limit)
            sql = self._select(final, select, group_by, "\n")
            if self.ctes:
                sql = "WITH " + ",\n".join(self.ctes) + "\n" + sql
            statements.append(sql)
        if len(statements[1]) > self.sql_budget:
            raise InsightsError(
                f"the query compiles to more than {self.sql_budget:,} characters of SQL: "
                "read derived fields fewer times, or split the query"
            )
        return CompiledQuery(
            sql=statements[0],
            probe_sql=statements[0] if limited_by_query else statements[1],
            columns=tuple(names),
            row_limit=block.limit or self.row_limit,
            limited_by_query=limited_by_query,
            warnings=tuple(dict.fromkeys(self.warnings)),
        )

    def _select(self, block: _Block, select: list[str], group_by: str, separator: str = " ") -> str:
        """Return the SELECT of a block; without QUALIFY, its window filter reads a subquery."""
        source = f"{block.source} AS {ROW}"
        if block.source == "logs":
            source, where = self.dialect.events_from(block.where)
            block = replace(block, where=where)
        if block.qualify is not None and not self.dialect.supports_qualify:
            # dedup, the only command that sets QUALIFY, never shares a block with stats.
            assert not group_by
            inner = replace(block, qualify=None, order=None, limit=None)
            keep = f"SELECT {ROW}.*, ({block.qualify}) AS _keep FROM {source}"
            source = f"({keep}{_clauses(inner, '')}) AS {ROW}"
            block = replace(block, where=[f"{ROW}._keep"], qualify=None)
        return f"SELECT {', '.join(select)}{separator}FROM {source}" + _clauses(
            block, group_by, separator
        )

    # Expressions

    def _expression(
        self,
        node: ast.Expression,
        *,
        aggregates_allowed: bool = False,
        overlay: dict[str, Value] | None = None,
        percentiles: Percentiles | None = None,
    ) -> Value:
        compiler = ExpressionCompiler(
            dialect=self.dialect,
            resolve=lambda field: self._resolve(field, overlay),
            timestamp=self.timestamp,
            now=self.now,
            range_start=self.scope.start,
            range_end=self.scope.end,
            warnings=self.warnings,
            aggregates_allowed=aggregates_allowed,
            percentiles=percentiles,
        )
        return compiler.compile(node)

    def _resolve(self, node: ast.FieldReference, overlay: dict[str, Value] | None = None) -> Value:
        return self._resolve_name(node.name, node, overlay)

    def _resolve_name(
        self, name: str, node: ast.FieldReference | None, overlay: dict[str, Value] | None = None
    ) -> Value:
        if overlay and name in overlay:
            return overlay[name]
        if name in self.names:
            return self.names[name]
        if self.block.events and not self.block.aggregated:
            value = system_field(name)
            if value is not None:
                return value
            if name.startswith("@") and not name.startswith("@@"):
                raise InsightsError(
                    f"unknown field {name}: loglake's @-fields are listed in docs/insights.md"
                    + _nearest_field(name),
                    node.position if node else None,
                )
            segments = node.segments if node is not None else tuple(name.split("."))
            try:
                return structured_field(segments, self.dialect)
            except UnsupportedFeature as error:
                raise InsightsError(str(error), node.position if node else None) from None
        if name.lower() == "@timestamp" and self.timestamp_after_stats is not None:
            return self.timestamp_after_stats
        available = ", ".join(self.names) or "none"
        raise InsightsError(
            f"unknown field {name} after stats: only the fields stats produced exist ({available})",
            node.position if node else None,
        )

    def _require_row_level(self, value: Value, node: ast.Expression, command: str) -> None:
        if value.aggregate:
            raise InsightsError(
                f"aggregate functions are allowed only in stats, not in {command}",
                node.position,
            )

    def timestamp(self, node: ast.Expression) -> Value:
        """Return @timestamp where the current rows have one."""
        try:
            return self._resolve_name("@timestamp", None)
        except InsightsError:
            raise InsightsError(
                "this function reads @timestamp, which the rows after stats do not have: "
                "carry it through the first stats, for example by bin(5m) as @timestamp",
                node.position,
            ) from None


def _severity_sql(events: bool) -> str:
    if not events:
        return "CAST(NULL AS VARCHAR)"
    return (
        f"CASE WHEN bool_or({ROW}.level IN ('ERROR', 'FATAL')) THEN 'Error' "
        f"WHEN bool_or({ROW}.level = 'WARN') THEN 'Warning' "
        f"WHEN bool_or({ROW}.level = 'INFO') THEN 'Info' "
        f"WHEN bool_or({ROW}.level IN ('DEBUG', 'TRACE')) THEN 'Debug' "
        "ELSE 'Unknown' END"
    )


def _clauses(block: _Block, group_by: str, separator: str = " ") -> str:
    parts: list[str] = []
    if block.where:
        parts.append("WHERE " + " AND ".join(block.where))
    if group_by:
        parts.append(group_by.strip())
    if block.qualify:
        parts.append(f"QUALIFY {block.qualify}")
    if block.order:
        parts.append("ORDER BY " + ", ".join(block.order))
    if block.limit is not None:
        parts.append(f"LIMIT {block.limit}")
    return "".join(separator + part for part in parts)


def _escape_regex(text: str) -> str:
    return "".join("\\" + char if char in _REGEX_META else char for char in text)


def _string_list(values: tuple[str, ...]) -> str:
    return ", ".join(sql_string(value) for value in values)


def _nearest_field(name: str) -> str:
    close = difflib.get_close_matches(name, list(SYSTEM_FIELDS), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""
