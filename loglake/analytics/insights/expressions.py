"""Compilation of expressions: operators, comparisons, calls and sort keys to typed SQL."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime
from functools import cache

import duckdb

from loglake.analytics.insights import ast
from loglake.analytics.insights.dialects import Dialect, Period, UnsupportedFeature
from loglake.analytics.insights.errors import InsightsError
from loglake.analytics.insights.functions import (
    CallContext,
    Percentiles,
    Regex,
    lookup,
    period_of,
)
from loglake.analytics.insights.regexes import prepare_regex
from loglake.analytics.insights.values import Kind, Value, combine, sql_string

MAX_EXPRESSION_SQL = 1_000_000
"""Characters of SQL one expression may compile to. Conversions repeat their operand (a
dateceil reads its argument three times), so nesting them grows the SQL geometrically."""

_WHOLE = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?\d+(\.\d+)?(e-?\d+)?")


class ExpressionCompiler:
    """Compilation of one expression tree into a typed SQL value."""

    def __init__(
        self,
        *,
        dialect: Dialect,
        resolve: Callable[[ast.FieldReference], Value],
        timestamp: Callable[[ast.Expression], Value],
        now: datetime,
        range_start: datetime | None,
        range_end: datetime | None,
        warnings: list[str],
        aggregates_allowed: bool,
        percentiles: Percentiles | None = None,
    ) -> None:
        self.dialect = dialect
        self.resolve = resolve
        self.timestamp = timestamp
        self.now = now
        self.range_start = range_start
        self.range_end = range_end
        self.warnings = warnings
        self.aggregates_allowed = aggregates_allowed
        self.percentiles = percentiles
        self.inside_aggregate = False

    def compile(self, node: ast.Expression) -> Value:
        value = self._compile(node)
        if len(value.sql) > MAX_EXPRESSION_SQL:
            raise InsightsError(
                f"this expression compiles to more than {MAX_EXPRESSION_SQL:,} characters of "
                "SQL: split it into several fields commands",
                node.position,
            )
        return value

    def _compile(self, node: ast.Expression) -> Value:
        match node:
            case ast.NumberLiteral() | ast.StringLiteral() | ast.BooleanLiteral():
                return self.dialect.literal(node.value)
            case ast.FieldReference():
                return self.resolve(node)
            case ast.FunctionCall():
                return self.call(node)
            case ast.UnaryOperation():
                operand = self.compile(node.operand)
                if node.operator == "not":
                    condition = self.dialect.as_boolean(operand)
                    return combine(f"(NOT {condition})", Kind.BOOLEAN, operand)
                # The parentheses keep "-" apart from a negative operand: "--" starts a
                # SQL comment.
                number = self.dialect.as_number(operand)
                return combine(f"(-({number}))", Kind.NUMBER, operand)
            case ast.BinaryOperation():
                return self.binary(node)
            case ast.RegexLiteral():
                raise InsightsError(
                    "a /regular expression/ is allowed only after like, =~ or in parse",
                    node.position,
                )
            case ast.PeriodLiteral():
                raise InsightsError(
                    f"the time period {node.source} is allowed only as an argument of bin, "
                    "datefloor or dateceil",
                    node.position,
                )
            case ast.ListLiteral():
                raise InsightsError("a [list] is allowed only after in", node.position)
        raise InsightsError("unsupported expression", node.position)

    def binary(self, node: ast.BinaryOperation) -> Value:
        if node.operator in ("and", "or"):
            # A chain a or b or c compiles in one loop, so its length is not bounded by
            # Python's stack.
            operands: list[ast.Expression] = [node.right]
            first = node.left
            while isinstance(first, ast.BinaryOperation) and first.operator == node.operator:
                operands.append(first.right)
                first = first.left
            operands.append(first)
            values = [self.compile(operand) for operand in reversed(operands)]
            joined = f" {node.operator.upper()} ".join(
                self.dialect.as_boolean(value) for value in values
            )
            return combine(f"({joined})", Kind.BOOLEAN, *values)
        if node.operator == "like":
            return self.like(node)
        if node.operator == "in":
            return self.membership(node)
        left, right = self.compile(node.left), self.compile(node.right)
        dialect = self.dialect
        if node.operator in ("+", "-", "*", "/", "%", "^"):
            a, b = _operand(left, dialect), _operand(right, dialect)
            match node.operator:
                case "+" | "-" | "*":
                    sql = f"({a} {node.operator} {b})"
                case "/":
                    # Division by zero gives NULL, not infinity.
                    sql = dialect.divide(a, _nonzero(right, dialect))
                case "%":
                    sql = dialect.modulo(a, _nonzero(right, dialect))
                case _:
                    sql = f"power({a}, {b})"
            return combine(sql, Kind.NUMBER, left, right)
        sql = comparison(node.operator, left, right, dialect)
        return combine(sql, Kind.BOOLEAN, left, right)

    def like(self, node: ast.BinaryOperation) -> Value:
        left = self.compile(node.left)
        text = self.dialect.as_text(left)
        if isinstance(node.right, ast.RegexLiteral):
            regex, _ = prepare_regex(node.right.pattern)
            check_regex(regex, node.right)
            sql = self.dialect.regex_matches(text, self.dialect.regex_literal(regex))
            parts = [left]
        else:
            right = self.compile(node.right)
            sql = self.dialect.contains(text, self.dialect.as_text(right))
            parts = [left, right]
        if node.negated:
            sql = f"(NOT {sql})"
        return combine(sql, Kind.BOOLEAN, *parts)

    def membership(self, node: ast.BinaryOperation) -> Value:
        left = self.compile(node.left)
        assert isinstance(node.right, ast.ListLiteral)
        numbers: list[str] = []
        texts: list[str] = []
        for item in node.right.items:
            if isinstance(item, ast.NumberLiteral | ast.BooleanLiteral):
                numbers.append(self.dialect.number(item.value))
            elif isinstance(item, ast.StringLiteral):
                texts.append(sql_string(item.value))
            else:
                raise InsightsError(
                    "a list after in may contain only numbers and strings", item.position
                )
        tests: list[str] = []
        if numbers:
            tests.append(f"{self.dialect.as_number(left)} IN ({', '.join(numbers)})")
        if texts:
            tests.append(f"{self.dialect.as_text(left)} IN ({', '.join(texts)})")
        sql = "(" + " OR ".join(tests) + ")"
        if node.negated:
            sql = f"(NOT {sql})"
        return combine(sql, Kind.BOOLEAN, left)

    def call(self, node: ast.FunctionCall) -> Value:
        function = lookup(node)
        if function.aggregate:
            if not self.aggregates_allowed:
                raise InsightsError(
                    f"{function.name}() is an aggregate function: use it in stats",
                    node.position,
                )
            if self.inside_aggregate:
                raise InsightsError(
                    f"{function.name}() cannot be inside another aggregate function",
                    node.position,
                )
        outer = self.inside_aggregate
        self.inside_aggregate = outer or function.aggregate
        try:
            arguments = [self.argument(argument, function.name) for argument in node.arguments]
        finally:
            self.inside_aggregate = outer
        context = CallContext(
            node,
            arguments,
            dialect=self.dialect,
            percentiles=self.percentiles,
            timestamp=lambda: self.timestamp(node),
            now=self.now,
            range_start=self.range_start,
            range_end=self.range_end,
        )
        try:
            return function.build(context)
        except UnsupportedFeature as error:
            raise InsightsError(str(error), node.position) from None

    def argument(self, node: ast.Expression, function: str) -> Value | Period | Regex:
        if isinstance(node, ast.PeriodLiteral):
            return period_of(node, self.warnings, capped=function.lower() == "bin")
        if isinstance(node, ast.RegexLiteral):
            regex, _ = prepare_regex(node.pattern)
            check_regex(regex, node)
            return Regex(regex)
        return self.compile(node)


def comparison(operator: str, left: Value, right: Value, dialect: Dialect) -> str:
    sql_operator = "<>" if operator == "!=" else operator
    as_number, as_text, as_timestamp = dialect.as_number, dialect.as_text, dialect.as_timestamp
    kinds = {left.kind, right.kind}
    if Kind.NULL in kinds:
        return "CAST(NULL AS BOOLEAN)"
    if Kind.TIMESTAMP in kinds and kinds & {Kind.NUMBER, Kind.BOOLEAN}:
        return f"({as_number(left)} {sql_operator} {as_number(right)})"
    if Kind.TIMESTAMP in kinds:
        return f"({as_timestamp(left)} {sql_operator} {as_timestamp(right)})"
    if kinds & {Kind.NUMBER, Kind.BOOLEAN}:
        return f"({as_number(left)} {sql_operator} {as_number(right)})"
    if Kind.JSON in kinds and not (is_constant(left) or is_constant(right)):
        # Two values of unknown type compare as numbers when both are numbers.
        numeric = f"({as_number(left)} {sql_operator} {as_number(right)})"
        textual = f"({as_text(left)} {sql_operator} {as_text(right)})"
        return f"coalesce({numeric}, {textual})"
    return f"({as_text(left)} {sql_operator} {as_text(right)})"


def _operand(value: Value, dialect: Dialect) -> str:
    """Return SQL for an arithmetic operand; whole-number constants widen to BIGINT, so
    products such as now() * 1000 do not overflow DuckDB's 32-bit INTEGER."""
    if value.kind is Kind.NUMBER and is_constant(value) and _WHOLE.fullmatch(value.sql):
        return f"CAST({value.sql} AS BIGINT)"
    return dialect.as_number(value)


def _nonzero(divisor: Value, dialect: Dialect) -> str:
    """Return SQL for a divisor that gives NULL, not infinity, when it is 0."""
    number = _operand(divisor, dialect)
    constant = divisor.sql.removesuffix("::DOUBLE")
    constant_number = divisor.kind is Kind.NUMBER and is_constant(divisor)
    if constant_number and _NUMBER.fullmatch(constant) and float(constant) != 0:
        return number
    return f"NULLIF({number}, 0)"


def is_constant(value: Value) -> bool:
    return not value.row_level and not value.aggregate


def order_terms(value: Value, descending: bool, dialect: Dialect) -> list[str]:
    if is_constant(value):
        # Every row has the same value. DuckDB would also read ORDER BY 2 as "the second
        # column".
        return []
    direction = "DESC" if descending else "ASC"
    if value.row_level and (value.kind is Kind.JSON or value.numeric_text):
        return dialect.natural_order(value, direction)
    return [f"{dialect.as_output(value)} {direction} NULLS LAST"]


_REGEX_LOCK = threading.Lock()


@cache
def _regex_connection() -> duckdb.DuckDBPyConnection:
    # An in-memory database that reads nothing, used only to compile regexes.
    return duckdb.connect(config={"enable_external_access": False})


@cache
def regex_problem(pattern: str) -> str | None:
    """Return DuckDB's reason for rejecting a regular expression, or None if it is valid."""
    with _REGEX_LOCK:
        try:
            _regex_connection().execute("SELECT regexp_matches('', ?)", [pattern])
        except duckdb.Error as error:
            return str(error).split("\n")[0]
    return None


def check_regex(pattern: str, node: ast.Expression | ast.Command) -> None:
    """Raise InsightsError at the node when RE2, the regex engine of DuckDB, rejects it."""
    problem = regex_problem(pattern)
    if problem is not None:
        raise InsightsError(
            f"invalid regular expression: {problem.removeprefix('Invalid Input Error: ')}. "
            "Regular expressions use RE2 syntax, which has no look-around or back-references",
            node.position,
        )
