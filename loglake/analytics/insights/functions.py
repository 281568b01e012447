"""The Insights functions, each compiled to an SQL expression of the query's dialect.

Names are case-insensitive. Each entry takes the compiled arguments and returns a typed
``Value``; aggregate functions are allowed only inside ``stats``. SQL that differs between
DuckDB and Athena comes from the dialect.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from loglake.analytics.insights import ast
from loglake.analytics.insights.dialects import Dialect, Period
from loglake.analytics.insights.errors import InsightsError
from loglake.analytics.insights.values import Kind, Value, combine, sql_string


@dataclass(frozen=True, slots=True)
class Regex:
    """A ``/regex/`` argument, already in RE2 syntax."""

    pattern: str


Argument = Value | Period | Regex


class Percentiles:
    """The percentiles that one stats command requests of each value.

    Several percentiles of one value, such as pct(@duration, 50) and pct(@duration, 99),
    compile to one list aggregate that sorts the values once. The generator compiles a
    stats command, calls ``share`` and, when it returns True, compiles the command again.
    """

    def __init__(self) -> None:
        self.requested: dict[str, list[float]] = {}
        self.shared: dict[str, tuple[float, ...]] = {}

    def sql(self, dialect: Dialect, number: str, fraction: float) -> str:
        """Return SQL for one percentile of the value ``number`` and record the request."""
        fractions = self.requested.setdefault(number, [])
        if fraction not in fractions:
            fractions.append(fraction)
        shared = self.shared.get(number)
        if shared is not None:
            return dialect.percentile_of_list(number, shared, shared.index(fraction))
        return dialect.percentile(number, fraction)

    def share(self) -> bool:
        """Share one list aggregate among the percentiles of each value with several requests."""
        self.shared = {
            number: tuple(fractions)
            for number, fractions in self.requested.items()
            if len(fractions) > 1
        }
        self.requested = {}
        return bool(self.shared)


class CallContext:
    """The context of a call beyond its arguments: the call, the row's time, the clock."""

    def __init__(
        self,
        call: ast.FunctionCall,
        arguments: Sequence[Argument],
        *,
        dialect: Dialect,
        percentiles: Percentiles | None = None,
        timestamp: Callable[[], Value],
        now: datetime,
        range_start: datetime | None,
        range_end: datetime | None,
    ) -> None:
        self.call = call
        self.arguments = arguments
        self.dialect = dialect
        self.percentiles = percentiles or Percentiles()
        self.timestamp = timestamp
        self.now = now
        self.range_start = range_start
        self.range_end = range_end

    def error(self, message: str, index: int | None = None) -> InsightsError:
        """Return an error at the call, or at one of its arguments."""
        if index is not None and index < len(self.call.arguments):
            return InsightsError(message, self.call.arguments[index].position)
        return InsightsError(message, self.call.position)

    def value(self, index: int) -> Value:
        """Return an argument that must be a value, not a period or a regex."""
        argument = self.arguments[index]
        if not isinstance(argument, Value):
            raise self.error(f"argument {index + 1} of {self.call.name}() must be a value", index)
        return argument

    def values(self) -> list[Value]:
        """Return every argument as a value."""
        return [self.value(index) for index in range(len(self.arguments))]

    def text(self, index: int) -> str:
        """Return SQL for an argument as text."""
        return self.dialect.as_text(self.value(index))

    def number(self, index: int) -> str:
        """Return SQL for an argument as a number."""
        return self.dialect.as_number(self.value(index))

    def boolean(self, index: int) -> str:
        """Return SQL for an argument as a condition."""
        return self.dialect.as_boolean(self.value(index))

    def timestamp_of(self, index: int) -> str:
        """Return SQL for an argument as a timestamp."""
        return self.dialect.as_timestamp(self.value(index))

    def constant_number(self, index: int) -> float:
        """Return an argument that must be a number literal."""
        node = self.call.arguments[index]
        if isinstance(node, ast.NumberLiteral):
            return float(node.value)
        raise self.error(f"argument {index + 1} of {self.call.name}() must be a number", index)

    def period(self, index: int) -> Period:
        """Return an argument that must be a time period."""
        argument = self.arguments[index]
        if not isinstance(argument, Period):
            raise self.error(
                f"argument {index + 1} of {self.call.name}() must be a time period such as 5m",
                index,
            )
        return argument

    def pattern(self, index: int) -> str:
        """Return SQL for a regex argument, written as ``/regex/`` or as a string."""
        argument = self.arguments[index]
        if isinstance(argument, Regex):
            return self.dialect.regex_literal(argument.pattern)
        return self.text(index)

    def result(self, sql: str, kind: Kind) -> Value:
        """Return a value computed from every value argument."""
        parts = [argument for argument in self.arguments if isinstance(argument, Value)]
        return combine(sql, kind, *parts)


@dataclass(frozen=True, slots=True)
class Function:
    """One function of the catalogue."""

    name: str
    min_arguments: int
    max_arguments: int | None
    build: Callable[[CallContext], Value]
    aggregate: bool = False
    star: bool = False
    """Whether ``name(*)`` is allowed (only ``count``)."""


FUNCTIONS: dict[str, Function] = {}


def _register(
    name: str,
    min_arguments: int,
    max_arguments: int | None,
    *,
    aggregate: bool = False,
    star: bool = False,
    aliases: Sequence[str] = (),
) -> Callable[[Callable[[CallContext], Value]], Callable[[CallContext], Value]]:
    def register(build: Callable[[CallContext], Value]) -> Callable[[CallContext], Value]:
        function = Function(name, min_arguments, max_arguments, build, aggregate, star)
        for key in (name, *aliases):
            FUNCTIONS[key.lower()] = function
        return build

    return register


def lookup(call: ast.FunctionCall) -> Function:
    """Return the catalogue entry of a call, or an error naming the nearest function."""
    function = FUNCTIONS.get(call.name.lower())
    if function is None:
        names = sorted({entry.name for entry in FUNCTIONS.values()})
        lowered = {name.lower(): name for name in names}
        close = difflib.get_close_matches(call.name.lower(), list(lowered), n=1, cutoff=0.6)
        hint = f": did you mean {lowered[close[0]]}?" if close else ""
        raise InsightsError(f"unknown function {call.name}(){hint}", call.position)
    count = len(call.arguments)
    if call.star and not function.star:
        raise InsightsError(f"{function.name}(*) is not allowed: name a field", call.position)
    if count < function.min_arguments or (
        function.max_arguments is not None and count > function.max_arguments
    ):
        if function.max_arguments == function.min_arguments:
            expected = f"{function.min_arguments}"
        elif function.max_arguments is None:
            expected = f"at least {function.min_arguments}"
        else:
            expected = f"{function.min_arguments} to {function.max_arguments}"
        raise InsightsError(
            f"{function.name}() takes {expected} argument(s), not {count}", call.position
        )
    return function


def _boolean(context: CallContext, sql: str) -> Value:
    return context.result(sql, Kind.BOOLEAN)


# Periods

_UNITS: dict[str, tuple[str, int]] = {}
for _names, _unit, _factor in (
    (("ms", "msec", "msecs", "millisecond", "milliseconds"), "ms", 1),
    (("s", "sec", "secs", "second", "seconds"), "s", 1),
    (("m", "min", "mins", "minute", "minutes"), "m", 1),
    (("h", "hr", "hrs", "hour", "hours"), "h", 1),
    (("d", "day", "days"), "d", 1),
    (("w", "week", "weeks"), "w", 1),
    (("mo", "mon", "mons", "month", "months"), "mo", 1),
    (("q", "qtr", "qtrs", "quarter", "quarters"), "mo", 3),
    (("y", "yr", "yrs", "year", "years"), "mo", 12),
):
    for _name in _names:
        _UNITS[_name] = (_unit, _factor)

BIN_CAPS = {"ms": 1000, "s": 60, "m": 60, "h": 24}
"""Insights documents that ``bin`` caps each unit: bin(300s) runs as bin(60s)."""


def period_of(node: ast.PeriodLiteral, warnings: list[str], *, capped: bool) -> Period:
    """Return the interval of a period literal; ``capped`` applies the caps of ``bin``."""
    entry = _UNITS.get(node.unit.lower())
    if entry is None:
        raise InsightsError(
            f"unknown time unit {node.unit!r}: use ms, s, m, h, d, w, mo, q or y",
            node.position,
        )
    if not isinstance(node.amount, int) or node.amount <= 0:
        raise InsightsError(
            f"{node.source} is not a whole, positive number of {node.unit}", node.position
        )
    unit, factor = entry
    amount = node.amount * factor
    cap = BIN_CAPS.get(unit)
    if capped and cap is not None and amount > cap:
        warnings.append(
            f"bin({node.source}) runs as bin({cap}{unit}), because Insights caps {unit} at "
            f"{cap}; write a larger unit instead, such as bin(5m) for bin(300s)"
        )
        amount = cap
    if amount >= 2**31:
        raise InsightsError(f"{node.source} is too long a period", node.position)
    return Period(unit, amount)


# Aggregates


def _check_aggregate_argument(context: CallContext) -> None:
    for index, argument in enumerate(context.arguments):
        if isinstance(argument, Value) and argument.aggregate:
            raise context.error(
                f"{context.call.name}() cannot contain another aggregate function", index
            )


def _aggregate(context: CallContext, sql: str, kind: Kind) -> Value:
    _check_aggregate_argument(context)
    return Value(sql=sql, kind=kind, aggregate=True)


@_register("count", 0, 1, aggregate=True, star=True)
def _count(context: CallContext) -> Value:
    if context.call.star or not context.arguments:
        return Value("count(*)", Kind.NUMBER, aggregate=True)
    value = context.value(0)
    return _aggregate(context, f"count({value.sql})", Kind.NUMBER)


@_register("count_distinct", 1, 1, aggregate=True)
def _count_distinct(context: CallContext) -> Value:
    return _aggregate(context, f"count(DISTINCT {context.text(0)})", Kind.NUMBER)


@_register("sum", 1, 1, aggregate=True)
def _sum(context: CallContext) -> Value:
    return _aggregate(context, f"sum({context.number(0)})", Kind.NUMBER)


@_register("avg", 1, 1, aggregate=True)
def _avg(context: CallContext) -> Value:
    return _aggregate(context, f"avg({context.number(0)})", Kind.NUMBER)


@_register("stddev", 1, 1, aggregate=True)
def _stddev(context: CallContext) -> Value:
    # NOTE: Insights does not say whether stddev is the sample or the population deviation.
    return _aggregate(context, f"stddev_samp({context.number(0)})", Kind.NUMBER)


def _extreme(context: CallContext, function: str) -> Value:
    value = context.value(0)
    if value.kind in (Kind.NUMBER, Kind.TIMESTAMP):
        return _aggregate(context, f"{function}({value.sql})", value.kind)
    dialect = context.dialect
    if value.kind is Kind.BOOLEAN:
        return _aggregate(context, f"{function}({dialect.as_number(value)})", Kind.NUMBER)
    # Text that is all numbers compares as numbers; anything else compares as text. JSON
    # keeps either type in one column.
    number = dialect.as_number(value)
    text = dialect.as_text(value)
    sql = (
        f"CASE WHEN count({number}) = count({text}) "
        f"THEN {dialect.to_json(f'{function}({number})')} "
        f"ELSE {dialect.to_json(f'{function}({text})')} END"
    )
    return _aggregate(context, sql, Kind.JSON)


@_register("max", 1, 1, aggregate=True)
def _max(context: CallContext) -> Value:
    return _extreme(context, "max")


@_register("min", 1, 1, aggregate=True)
def _min(context: CallContext) -> Value:
    return _extreme(context, "min")


@_register("sortsFirst", 1, 1, aggregate=True)
def _sorts_first(context: CallContext) -> Value:
    return _extreme(context, "min")


@_register("sortsLast", 1, 1, aggregate=True)
def _sorts_last(context: CallContext) -> Value:
    return _extreme(context, "max")


@_register("pct", 2, 2, aggregate=True, aliases=("percentile",))
def _pct(context: CallContext) -> Value:
    percent = context.constant_number(1)
    if not 0 <= percent <= 100:
        raise context.error(f"percentile {percent:g} is outside 0 to 100", 1)
    sql = context.percentiles.sql(context.dialect, context.number(0), percent / 100)
    return _aggregate(context, sql, Kind.NUMBER)


@_register("median", 1, 1, aggregate=True)
def _median(context: CallContext) -> Value:
    sql = context.percentiles.sql(context.dialect, context.number(0), 0.5)
    return _aggregate(context, sql, Kind.NUMBER)


def _selector(context: CallContext, *, latest: bool) -> Value:
    value = context.value(0)
    timestamp = context.timestamp()
    sql = context.dialect.value_at_extreme(value.sql, timestamp.sql, latest=latest)
    return _aggregate(context, sql, value.kind)


@_register("earliest", 1, 1, aggregate=True)
def _earliest(context: CallContext) -> Value:
    return _selector(context, latest=False)


@_register("latest", 1, 1, aggregate=True)
def _latest(context: CallContext) -> Value:
    return _selector(context, latest=True)


# Datetime


@_register("bin", 1, 1)
def _bin(context: CallContext) -> Value:
    timestamp = context.timestamp()
    period = context.period(0)
    sql = context.dialect.floor_to(timestamp.sql, period)
    return combine(sql, Kind.TIMESTAMP, timestamp)


@_register("datefloor", 2, 2)
def _datefloor(context: CallContext) -> Value:
    sql = context.dialect.floor_to(context.timestamp_of(0), context.period(1))
    return context.result(sql, Kind.TIMESTAMP)


@_register("dateceil", 2, 2)
def _dateceil(context: CallContext) -> Value:
    timestamp = context.timestamp_of(0)
    period = context.period(1)
    floor = context.dialect.floor_to(timestamp, period)
    # A time already on a boundary stays where it is.
    later = context.dialect.add_period(floor, period)
    sql = f"CASE WHEN {floor} = {timestamp} THEN {floor} ELSE {later} END"
    return context.result(sql, Kind.TIMESTAMP)


@_register("fromMillis", 1, 1)
def _from_millis(context: CallContext) -> Value:
    return context.result(context.dialect.timestamp_from_ms(context.number(0)), Kind.TIMESTAMP)


@_register("toMillis", 1, 1)
def _to_millis(context: CallContext) -> Value:
    return context.result(context.dialect.epoch_ms(context.timestamp_of(0)), Kind.NUMBER)


def _epoch_ms(moment: datetime | None) -> str:
    if moment is None:
        return "CAST(NULL AS BIGINT)"
    return f"CAST({int(moment.timestamp() * 1000)} AS BIGINT)"


@_register("now", 0, 0)
def _now(context: CallContext) -> Value:
    return Value(f"CAST({int(context.now.timestamp())} AS BIGINT)", Kind.NUMBER)


@_register("queryStartTime", 0, 0)
def _query_start_time(context: CallContext) -> Value:
    return Value(_epoch_ms(context.range_start), Kind.NUMBER)


@_register("queryEndTime", 0, 0)
def _query_end_time(context: CallContext) -> Value:
    return Value(_epoch_ms(context.range_end or context.now), Kind.NUMBER)


@_register("queryTimeRange", 0, 0)
def _query_time_range(context: CallContext) -> Value:
    if context.range_start is None:
        return Value("CAST(NULL AS BIGINT)", Kind.NUMBER)
    end = context.range_end or context.now
    milliseconds = int((end - context.range_start).total_seconds() * 1000)
    return Value(f"CAST({milliseconds} AS BIGINT)", Kind.NUMBER)


@_register("formatDate", 2, 2, aliases=("strftime",))
def _format_date(context: CallContext) -> Value:
    node = context.call.arguments[1]
    constant = node.value if isinstance(node, ast.StringLiteral) else None
    sql = context.dialect.format_date(context.timestamp_of(0), context.text(1), constant)
    return context.result(sql, Kind.STRING)


# Numeric


def _numeric(name: str, sql_function: str) -> None:
    @_register(name, 1, 1)
    def build(context: CallContext) -> Value:
        return context.result(f"{sql_function}({context.number(0)})", Kind.NUMBER)


for _name, _sql in (
    ("abs", "abs"),
    ("ceil", "ceil"),
    ("floor", "floor"),
):
    _numeric(_name, _sql)


@_register("log", 1, 1)
def _log(context: CallContext) -> Value:
    # DuckDB raises an error for the logarithm of 0 or of a negative number, and that error
    # would fail the whole query. Such a value gives a missing value instead.
    number = context.number(0)
    return context.result(f"ln(CASE WHEN {number} > 0 THEN {number} END)", Kind.NUMBER)


@_register("sqrt", 1, 1)
def _sqrt(context: CallContext) -> Value:
    # The square root of a negative number is a missing value, not a failed query.
    number = context.number(0)
    return context.result(f"sqrt(CASE WHEN {number} >= 0 THEN {number} END)", Kind.NUMBER)


@_register("round", 1, 2)
def _round(context: CallContext) -> Value:
    if len(context.arguments) == 1:
        return context.result(f"round({context.number(0)})", Kind.NUMBER)
    digits = f"CAST({context.number(1)} AS INTEGER)"
    return context.result(f"round({context.number(0)}, {digits})", Kind.NUMBER)


@_register("greatest", 1, None)
def _greatest(context: CallContext) -> Value:
    numbers = [context.number(index) for index in range(len(context.arguments))]
    return context.result(context.dialect.extreme_of(numbers, greatest=True), Kind.NUMBER)


@_register("least", 1, None)
def _least(context: CallContext) -> Value:
    numbers = [context.number(index) for index in range(len(context.arguments))]
    return context.result(context.dialect.extreme_of(numbers, greatest=False), Kind.NUMBER)


@_register("toNumber", 1, 1, aliases=("toDouble",))
def _to_number(context: CallContext) -> Value:
    return context.result(context.number(0), Kind.NUMBER)


@_register("toInt", 1, 1)
def _to_int(context: CallContext) -> Value:
    whole = context.dialect.truncate(context.number(0))
    return context.result(f"TRY_CAST({whole} AS INTEGER)", Kind.NUMBER)


@_register("toLong", 1, 1)
def _to_long(context: CallContext) -> Value:
    whole = context.dialect.truncate(context.number(0))
    return context.result(f"TRY_CAST({whole} AS BIGINT)", Kind.NUMBER)


@_register("haversine", 4, 4)
def _haversine(context: CallContext) -> Value:
    lat1, lon1, lat2, lon2 = (context.number(index) for index in range(4))
    # Great-circle distance in km on a sphere of the Earth's mean radius. Rounding can put
    # the square root just above 1, where asin raises an error.
    sql = (
        f"(2 * 6371.0088 * asin(least(1, sqrt(power(sin(radians({lat2} - {lat1}) / 2), 2) + "
        f"cos(radians({lat1})) * cos(radians({lat2})) * "
        f"power(sin(radians({lon2} - {lon1}) / 2), 2)))))"
    )
    return context.result(sql, Kind.NUMBER)


# Strings


@_register("isempty", 1, 1)
def _isempty(context: CallContext) -> Value:
    text = context.text(0)
    return _boolean(context, f"({text} IS NULL OR {text} = '')")


@_register("isblank", 1, 1)
def _isblank(context: CallContext) -> Value:
    text = context.text(0)
    blank = context.dialect.regex_full_match(text, sql_string(r"\s*"))
    return _boolean(context, f"({text} IS NULL OR {blank})")


@_register("concat", 1, None)
def _concat(context: CallContext) -> Value:
    # A missing value counts as empty text.
    texts = [context.text(index) for index in range(len(context.arguments))]
    return context.result(context.dialect.concat(texts), Kind.STRING)


def _trim(name: str, blank_regex: str, side: str) -> None:
    @_register(name, 1, 2)
    def build(context: CallContext) -> Value:
        text = context.text(0)
        if len(context.arguments) == 1:
            sql = context.dialect.regex_replace_all(text, sql_string(blank_regex), "''")
            return context.result(sql, Kind.STRING)
        # With characters given, only those characters are stripped.
        sql = context.dialect.trim_characters(text, context.text(1), side)
        return context.result(sql, Kind.STRING)


_trim("ltrim", r"^\s+", "LEADING")
_trim("rtrim", r"\s+$", "TRAILING")
_trim("trim", r"^\s+|\s+$", "BOTH")


@_register("strlen", 1, 1)
def _strlen(context: CallContext) -> Value:
    return context.result(f"length({context.text(0)})", Kind.NUMBER)


@_register("toupper", 1, 1)
def _toupper(context: CallContext) -> Value:
    return context.result(f"upper({context.text(0)})", Kind.STRING)


@_register("tolower", 1, 1)
def _tolower(context: CallContext) -> Value:
    return context.result(f"lower({context.text(0)})", Kind.STRING)


@_register("substr", 2, 3)
def _substr(context: CallContext) -> Value:
    # Insights counts from 0 and DuckDB from 1.
    start = f"CAST({context.number(1)} AS BIGINT) + 1"
    if len(context.arguments) == 2:
        return context.result(f"substr({context.text(0)}, {start})", Kind.STRING)
    length = f"CAST({context.number(2)} AS BIGINT)"
    return context.result(f"substr({context.text(0)}, {start}, {length})", Kind.STRING)


@_register("replace", 3, 3)
def _replace(context: CallContext) -> Value:
    text, search, replacement = (context.text(index) for index in range(3))
    return context.result(f"replace({text}, {search}, {replacement})", Kind.STRING)


@_register("strcontains", 2, 3)
def _strcontains(context: CallContext) -> Value:
    text, part = context.text(0), context.text(1)
    contains = context.dialect.contains
    if len(context.arguments) == 3:
        sql = (
            f"CASE WHEN {context.boolean(2)} THEN {contains(f'lower({text})', f'lower({part})')} "
            f"ELSE {contains(text, part)} END"
        )
        return _boolean(context, sql)
    return _boolean(context, contains(text, part))


@_register("regexReplace", 3, 3)
def _regex_replace(context: CallContext) -> Value:
    node = context.call.arguments[2]
    constant = node.value if isinstance(node, ast.StringLiteral) else None
    replacement = context.dialect.regex_replacement(context.text(2), constant)
    sql = context.dialect.regex_replace_all(context.text(0), context.pattern(1), replacement)
    return context.result(sql, Kind.STRING)


@_register("startsWith", 2, 2)
def _starts_with(context: CallContext) -> Value:
    return _boolean(context, f"starts_with({context.text(0)}, {context.text(1)})")


@_register("endsWith", 2, 2)
def _ends_with(context: CallContext) -> Value:
    return _boolean(context, context.dialect.ends_with(context.text(0), context.text(1)))


@_register("urlencode", 1, 1)
def _urlencode(context: CallContext) -> Value:
    return context.result(context.dialect.url_encode(context.text(0)), Kind.STRING)


@_register("urldecode", 1, 1)
def _urldecode(context: CallContext) -> Value:
    return context.result(f"url_decode({context.text(0)})", Kind.STRING)


@_register("base64encode", 1, 1)
def _base64encode(context: CallContext) -> Value:
    return context.result(context.dialect.base64_encode(context.text(0)), Kind.STRING)


@_register("base64decode", 1, 1)
def _base64decode(context: CallContext) -> Value:
    # Text that is not base64, or not UTF-8 once decoded, gives NULL.
    return context.result(context.dialect.base64_decode(context.text(0)), Kind.STRING)


@_register("split", 2, 2)
def _split(context: CallContext) -> Value:
    return context.result(context.dialect.split(context.text(0), context.text(1)), Kind.LIST)


@_register("hexToAscii", 1, 1)
def _hex_to_ascii(context: CallContext) -> Value:
    return context.result(context.dialect.hex_to_text(context.text(0)), Kind.STRING)


@_register("hexToDec", 1, 1)
def _hex_to_dec(context: CallContext) -> Value:
    text = context.dialect.regex_replace_all(context.text(0), "'^0[xX]'", "''")
    return context.result(context.dialect.hex_to_number(text), Kind.NUMBER)


@_register("decToHex", 1, 1)
def _dec_to_hex(context: CallContext) -> Value:
    whole = f"TRY_CAST({context.number(0)} AS BIGINT)"
    return context.result(context.dialect.number_to_hex(whole), Kind.STRING)


@_register("md5", 1, 1)
def _md5(context: CallContext) -> Value:
    return context.result(context.dialect.md5_hex(context.text(0)), Kind.STRING)


@_register("sha256", 1, 1)
def _sha256(context: CallContext) -> Value:
    return context.result(context.dialect.sha256_hex(context.text(0)), Kind.STRING)


# General


@_register("ispresent", 1, 1)
def _ispresent(context: CallContext) -> Value:
    return _boolean(context, f"({context.value(0).sql} IS NOT NULL)")


@_register("coalesce", 1, None)
def _coalesce(context: CallContext) -> Value:
    values = context.values()
    kinds = {value.kind for value in values} - {Kind.NULL}
    if len(kinds) == 1:
        kind = kinds.pop()
        return context.result(f"coalesce({', '.join(v.sql for v in values)})", kind)
    jsons = ", ".join(context.dialect.as_json(value) for value in values)
    return context.result(f"coalesce({jsons})", Kind.JSON)


@_register("if", 3, 3)
def _if(context: CallContext) -> Value:
    return _choice(context, [(context.boolean(0), context.value(1))], context.value(2))


@_register("case", 2, 21)
def _case(context: CallContext) -> Value:
    values = context.values()
    branches = [
        (context.dialect.as_boolean(values[index]), values[index + 1])
        for index in range(0, len(values) - 1, 2)
    ]
    default = values[-1] if len(values) % 2 else None
    return _choice(context, branches, default)


def _choice(
    context: CallContext, branches: list[tuple[str, Value]], default: Value | None
) -> Value:
    results = [value for _, value in branches] + ([default] if default else [])
    kinds = {value.kind for value in results} - {Kind.NULL}
    kind = kinds.pop() if len(kinds) == 1 else Kind.JSON
    render = (lambda v: v.sql) if kind is not Kind.JSON else context.dialect.as_json
    whens = " ".join(f"WHEN {condition} THEN {render(value)}" for condition, value in branches)
    otherwise = f" ELSE {render(default)}" if default else ""
    return context.result(f"CASE {whens}{otherwise} END", kind)


@_register("isNumeric", 1, 1)
def _is_numeric(context: CallContext) -> Value:
    return _boolean(context, f"(TRY_CAST({context.text(0)} AS DOUBLE) IS NOT NULL)")


@_register("messageSize", 1, 1)
def _message_size(context: CallContext) -> Value:
    return context.result(context.dialect.byte_length(context.text(0)), Kind.NUMBER)


@_register("unmask", 1, 1)
def _unmask(context: CallContext) -> Value:
    # The lake stores events as delivered, before any data-protection masking.
    return context.value(0)


# IP addresses

_PRIVATE_V4 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
_RESERVED = (
    "0.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "::/128",
    "::1/128",
    "fe80::/10",
    "fc00::/7",
    "ff00::/8",
    "2001:db8::/32",
)


def _address(context: CallContext) -> str:
    """Return SQL for the argument as an IP address, NULL unless it is a plain address."""
    return context.dialect.ip_address(context.text(0))


def _in_networks(context: CallContext, address: str, networks: Sequence[str]) -> str:
    tests = (context.dialect.ip_in_network(address, sql_string(n)) for n in networks)
    return "(" + " OR ".join(tests) + ")"


@_register("isValidIp", 1, 1)
def _is_valid_ip(context: CallContext) -> Value:
    return _boolean(context, f"({_address(context)} IS NOT NULL)")


@_register("isValidIpV4", 1, 1)
def _is_valid_ipv4(context: CallContext) -> Value:
    return _boolean(
        context, f"coalesce({context.dialect.ip_family_is(_address(context), 4)}, false)"
    )


@_register("isValidIpV6", 1, 1)
def _is_valid_ipv6(context: CallContext) -> Value:
    return _boolean(
        context, f"coalesce({context.dialect.ip_family_is(_address(context), 6)}, false)"
    )


def _subnet(name: str, family: int | None) -> None:
    @_register(name, 2, 2)
    def build(context: CallContext) -> Value:
        address = _address(context)
        condition = context.dialect.ip_in_network(address, context.text(1))
        if family is not None:
            condition += f" AND {context.dialect.ip_family_is(address, family)}"
        return _boolean(context, f"coalesce({condition}, false)")


_subnet("isIpInSubnet", None)
_subnet("isIpv4InSubnet", 4)
_subnet("isIpv6InSubnet", 6)


@_register("ipv4ToNumber", 1, 1)
def _ipv4_to_number(context: CallContext) -> Value:
    text = context.text(0)
    octets = " + ".join(
        f"CAST(split_part({text}, '.', {position}) AS BIGINT) * {256 ** (4 - position)}"
        for position in range(1, 5)
    )
    ipv4 = context.dialect.ip_family_is(_address(context), 4)
    return context.result(f"CASE WHEN {ipv4} THEN {octets} END", Kind.NUMBER)


@_register("isPrivateIP", 1, 1)
def _is_private_ip(context: CallContext) -> Value:
    networks = _in_networks(context, _address(context), _PRIVATE_V4)
    return _boolean(context, f"coalesce({networks}, false)")


@_register("isReservedIP", 1, 1)
def _is_reserved_ip(context: CallContext) -> Value:
    networks = _in_networks(context, _address(context), _RESERVED)
    return _boolean(context, f"coalesce({networks}, false)")


@_register("isPublicIP", 1, 1)
def _is_public_ip(context: CallContext) -> Value:
    address = _address(context)
    hidden = _in_networks(context, address, (*_PRIVATE_V4, *_RESERVED))
    return _boolean(context, f"coalesce({address} IS NOT NULL AND NOT {hidden}, false)")
