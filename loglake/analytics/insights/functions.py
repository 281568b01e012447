"""The Insights functions, each compiled to a DuckDB expression.

Names are case-insensitive. Each entry takes the compiled arguments and returns a typed
``Value``; aggregate functions are allowed only inside ``stats``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from loglake.analytics.insights import ast
from loglake.analytics.insights.errors import InsightsError
from loglake.analytics.insights.values import (
    Kind,
    Value,
    as_boolean,
    as_json,
    as_number,
    as_text,
    as_timestamp,
    combine,
    sql_number,
    sql_string,
)


@dataclass(frozen=True, slots=True)
class Period:
    """A time period argument such as ``5m``, as a DuckDB interval and its bucket origin."""

    interval_sql: str
    origin_sql: str


@dataclass(frozen=True, slots=True)
class Regex:
    """A ``/regex/`` argument, already in RE2 syntax."""

    pattern: str


Argument = Value | Period | Regex


class CallContext:
    """The context of a call beyond its arguments: the call, the row's time, the clock."""

    def __init__(
        self,
        call: ast.FunctionCall,
        arguments: Sequence[Argument],
        *,
        timestamp: Callable[[], Value],
        now: datetime,
        range_start: datetime | None,
        range_end: datetime | None,
    ) -> None:
        self.call = call
        self.arguments = arguments
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
        return as_text(self.value(index))

    def number(self, index: int) -> str:
        """Return SQL for an argument as a number."""
        return as_number(self.value(index))

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
            return sql_string(argument.pattern)
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

_INTERVAL_FUNCTIONS = {
    "ms": "to_milliseconds",
    "s": "to_seconds",
    "m": "to_minutes",
    "h": "to_hours",
    "d": "to_days",
    "w": "to_weeks",
    "mo": "to_months",
}
BIN_CAPS = {"ms": 1000, "s": 60, "m": 60, "h": 24}
"""Insights documents that ``bin`` caps each unit: bin(300s) runs as bin(60s)."""

EPOCH = "TIMESTAMPTZ '1970-01-01 00:00:00+00'"
# 1970-01-05 was a Monday: weeks start on Monday, as in ISO 8601.
MONDAY = "TIMESTAMPTZ '1970-01-05 00:00:00+00'"


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
    origin = MONDAY if unit == "w" else EPOCH
    return Period(f"{_INTERVAL_FUNCTIONS[unit]}({amount})", origin)


def floor_to(timestamp_sql: str, period: Period) -> str:
    """Return SQL that floors a timestamp to a multiple of the period."""
    return f"time_bucket({period.interval_sql}, {timestamp_sql}, {period.origin_sql})"


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
    if value.kind is Kind.BOOLEAN:
        return _aggregate(context, f"{function}({as_number(value)})", Kind.NUMBER)
    # Text that is all numbers compares as numbers; anything else compares as text. JSON
    # keeps either type in one column.
    number = as_number(value)
    text = as_text(value)
    sql = (
        f"CASE WHEN count({number}) = count({text}) THEN to_json({function}({number})) "
        f"ELSE to_json({function}({text})) END"
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
    # The nearest-rank percentile returns a value that occurs in the data, as Insights does.
    fraction = sql_number(percent / 100)
    return _aggregate(context, f"quantile_disc({context.number(0)}, {fraction})", Kind.NUMBER)


@_register("median", 1, 1, aggregate=True)
def _median(context: CallContext) -> Value:
    return _aggregate(context, f"quantile_disc({context.number(0)}, 0.5)", Kind.NUMBER)


def _selector(context: CallContext, function: str) -> Value:
    value = context.value(0)
    timestamp = context.timestamp()
    return _aggregate(context, f"{function}({value.sql}, {timestamp.sql})", value.kind)


@_register("earliest", 1, 1, aggregate=True)
def _earliest(context: CallContext) -> Value:
    return _selector(context, "arg_min")


@_register("latest", 1, 1, aggregate=True)
def _latest(context: CallContext) -> Value:
    return _selector(context, "arg_max")


# Datetime


@_register("bin", 1, 1)
def _bin(context: CallContext) -> Value:
    timestamp = context.timestamp()
    period = context.period(0)
    return combine(floor_to(timestamp.sql, period), Kind.TIMESTAMP, timestamp)


@_register("datefloor", 2, 2)
def _datefloor(context: CallContext) -> Value:
    timestamp = as_timestamp(context.value(0))
    return context.result(floor_to(timestamp, context.period(1)), Kind.TIMESTAMP)


@_register("dateceil", 2, 2)
def _dateceil(context: CallContext) -> Value:
    timestamp = as_timestamp(context.value(0))
    period = context.period(1)
    floor = floor_to(timestamp, period)
    # A time already on a boundary stays where it is.
    sql = f"CASE WHEN {floor} = {timestamp} THEN {floor} ELSE {floor} + {period.interval_sql} END"
    return context.result(sql, Kind.TIMESTAMP)


@_register("fromMillis", 1, 1)
def _from_millis(context: CallContext) -> Value:
    return context.result(
        f"make_timestamptz(CAST({context.number(0)} * 1000 AS BIGINT))", Kind.TIMESTAMP
    )


@_register("toMillis", 1, 1)
def _to_millis(context: CallContext) -> Value:
    return context.result(f"epoch_ms({as_timestamp(context.value(0))})", Kind.NUMBER)


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
    return context.result(
        f"strftime({as_timestamp(context.value(0))}, {context.text(1)})", Kind.STRING
    )


# Numeric


def _numeric(name: str, sql_function: str) -> None:
    @_register(name, 1, 1)
    def build(context: CallContext) -> Value:
        return context.result(f"{sql_function}({context.number(0)})", Kind.NUMBER)


for _name, _sql in (
    ("abs", "abs"),
    ("ceil", "ceil"),
    ("floor", "floor"),
    ("log", "ln"),
    ("sqrt", "sqrt"),
):
    _numeric(_name, _sql)


@_register("round", 1, 2)
def _round(context: CallContext) -> Value:
    if len(context.arguments) == 1:
        return context.result(f"round({context.number(0)})", Kind.NUMBER)
    digits = f"CAST({context.number(1)} AS INTEGER)"
    return context.result(f"round({context.number(0)}, {digits})", Kind.NUMBER)


@_register("greatest", 1, None)
def _greatest(context: CallContext) -> Value:
    # DuckDB's greatest and least skip NULL arguments, as Insights does for missing fields.
    numbers = ", ".join(context.number(index) for index in range(len(context.arguments)))
    return context.result(f"greatest({numbers})", Kind.NUMBER)


@_register("least", 1, None)
def _least(context: CallContext) -> Value:
    numbers = ", ".join(context.number(index) for index in range(len(context.arguments)))
    return context.result(f"least({numbers})", Kind.NUMBER)


@_register("toNumber", 1, 1, aliases=("toDouble",))
def _to_number(context: CallContext) -> Value:
    return context.result(context.number(0), Kind.NUMBER)


@_register("toInt", 1, 1)
def _to_int(context: CallContext) -> Value:
    return context.result(f"TRY_CAST(trunc({context.number(0)}) AS INTEGER)", Kind.NUMBER)


@_register("toLong", 1, 1)
def _to_long(context: CallContext) -> Value:
    return context.result(f"TRY_CAST(trunc({context.number(0)}) AS BIGINT)", Kind.NUMBER)


@_register("haversine", 4, 4)
def _haversine(context: CallContext) -> Value:
    lat1, lon1, lat2, lon2 = (context.number(index) for index in range(4))
    # Great-circle distance in km on a sphere of the Earth's mean radius.
    sql = (
        f"(2 * 6371.0088 * asin(sqrt(power(sin(radians({lat2} - {lat1}) / 2), 2) + "
        f"cos(radians({lat1})) * cos(radians({lat2})) * "
        f"power(sin(radians({lon2} - {lon1}) / 2), 2))))"
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
    return _boolean(context, f"({text} IS NULL OR regexp_full_match({text}, '\\s*'))")


@_register("concat", 1, None)
def _concat(context: CallContext) -> Value:
    # DuckDB's concat treats NULL as empty text.
    texts = ", ".join(context.text(index) for index in range(len(context.arguments)))
    return context.result(f"concat({texts})", Kind.STRING)


def _trim(name: str, blank_regex: str, sql_function: str) -> None:
    @_register(name, 1, 2)
    def build(context: CallContext) -> Value:
        text = context.text(0)
        if len(context.arguments) == 1:
            return context.result(
                f"regexp_replace({text}, {sql_string(blank_regex)}, '', 'g')", Kind.STRING
            )
        # With characters given, only those characters are stripped.
        return context.result(f"{sql_function}({text}, {context.text(1)})", Kind.STRING)


_trim("ltrim", r"^\s+", "ltrim")
_trim("rtrim", r"\s+$", "rtrim")
_trim("trim", r"^\s+|\s+$", "trim")


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
    if len(context.arguments) == 3:
        insensitive = as_boolean(context.value(2))
        sql = (
            f"CASE WHEN {insensitive} THEN contains(lower({text}), lower({part})) "
            f"ELSE contains({text}, {part}) END"
        )
        return _boolean(context, sql)
    return _boolean(context, f"contains({text}, {part})")


@_register("regexReplace", 3, 3)
def _regex_replace(context: CallContext) -> Value:
    sql = f"regexp_replace({context.text(0)}, {context.pattern(1)}, {context.text(2)}, 'g')"
    return context.result(sql, Kind.STRING)


@_register("startsWith", 2, 2)
def _starts_with(context: CallContext) -> Value:
    return _boolean(context, f"starts_with({context.text(0)}, {context.text(1)})")


@_register("endsWith", 2, 2)
def _ends_with(context: CallContext) -> Value:
    return _boolean(context, f"ends_with({context.text(0)}, {context.text(1)})")


@_register("urlencode", 1, 1)
def _urlencode(context: CallContext) -> Value:
    return context.result(f"url_encode({context.text(0)})", Kind.STRING)


@_register("urldecode", 1, 1)
def _urldecode(context: CallContext) -> Value:
    return context.result(f"url_decode({context.text(0)})", Kind.STRING)


@_register("base64encode", 1, 1)
def _base64encode(context: CallContext) -> Value:
    return context.result(f"to_base64(encode({context.text(0)}))", Kind.STRING)


@_register("base64decode", 1, 1)
def _base64decode(context: CallContext) -> Value:
    # Text that is not base64, or not UTF-8 once decoded, gives NULL.
    return context.result(f"TRY(decode(from_base64({context.text(0)})))", Kind.STRING)


@_register("split", 2, 2)
def _split(context: CallContext) -> Value:
    return context.result(f"string_split({context.text(0)}, {context.text(1)})", Kind.LIST)


@_register("hexToAscii", 1, 1)
def _hex_to_ascii(context: CallContext) -> Value:
    return context.result(f"TRY(decode(unhex({context.text(0)})))", Kind.STRING)


@_register("hexToDec", 1, 1)
def _hex_to_dec(context: CallContext) -> Value:
    text = context.text(0)
    sql = f"TRY_CAST('0x' || regexp_replace({text}, '^0[xX]', '') AS BIGINT)"
    return context.result(sql, Kind.NUMBER)


@_register("decToHex", 1, 1)
def _dec_to_hex(context: CallContext) -> Value:
    return context.result(f"lower(hex(TRY_CAST({context.number(0)} AS BIGINT)))", Kind.STRING)


@_register("md5", 1, 1)
def _md5(context: CallContext) -> Value:
    return context.result(f"md5({context.text(0)})", Kind.STRING)


@_register("sha256", 1, 1)
def _sha256(context: CallContext) -> Value:
    return context.result(f"sha256({context.text(0)})", Kind.STRING)


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
    return context.result(f"coalesce({', '.join(as_json(v) for v in values)})", Kind.JSON)


@_register("if", 3, 3)
def _if(context: CallContext) -> Value:
    condition = as_boolean(context.value(0))
    return _choice(context, [(condition, context.value(1))], context.value(2))


@_register("case", 2, 21)
def _case(context: CallContext) -> Value:
    values = context.values()
    branches = [
        (as_boolean(values[index]), values[index + 1]) for index in range(0, len(values) - 1, 2)
    ]
    default = values[-1] if len(values) % 2 else None
    return _choice(context, branches, default)


def _choice(
    context: CallContext, branches: list[tuple[str, Value]], default: Value | None
) -> Value:
    results = [value for _, value in branches] + ([default] if default else [])
    kinds = {value.kind for value in results} - {Kind.NULL}
    kind = kinds.pop() if len(kinds) == 1 else Kind.JSON
    render = (lambda v: v.sql) if kind is not Kind.JSON else as_json
    whens = " ".join(f"WHEN {condition} THEN {render(value)}" for condition, value in branches)
    otherwise = f" ELSE {render(default)}" if default else ""
    return context.result(f"CASE {whens}{otherwise} END", kind)


@_register("isNumeric", 1, 1)
def _is_numeric(context: CallContext) -> Value:
    return _boolean(context, f"(TRY_CAST({context.text(0)} AS DOUBLE) IS NOT NULL)")


@_register("messageSize", 1, 1)
def _message_size(context: CallContext) -> Value:
    return context.result(f"octet_length(encode({context.text(0)}))", Kind.NUMBER)


@_register("unmask", 1, 1)
def _unmask(context: CallContext) -> Value:
    # The lake stores events as delivered, before any data-protection masking.
    return context.value(0)


# IP addresses, through DuckDB's inet extension

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


def _address(context: CallContext, index: int = 0) -> tuple[str, str]:
    """Return SQL for the argument as INET (NULL unless a plain address) and its text."""
    text = context.text(index)
    return f"CASE WHEN NOT contains({text}, '/') THEN TRY_CAST({text} AS INET) END", text


def _in_networks(address: str, networks: Sequence[str]) -> str:
    return "(" + " OR ".join(f"{address} <<= INET {sql_string(n)}" for n in networks) + ")"


@_register("isValidIp", 1, 1)
def _is_valid_ip(context: CallContext) -> Value:
    address, _ = _address(context)
    return _boolean(context, f"({address} IS NOT NULL)")


@_register("isValidIpV4", 1, 1)
def _is_valid_ipv4(context: CallContext) -> Value:
    address, _ = _address(context)
    return _boolean(context, f"coalesce(family({address}) = 4, false)")


@_register("isValidIpV6", 1, 1)
def _is_valid_ipv6(context: CallContext) -> Value:
    address, _ = _address(context)
    return _boolean(context, f"coalesce(family({address}) = 6, false)")


def _subnet(name: str, family: int | None) -> None:
    @_register(name, 2, 2)
    def build(context: CallContext) -> Value:
        address, _ = _address(context)
        network = f"TRY_CAST({context.text(1)} AS INET)"
        condition = f"{address} <<= {network}"
        if family is not None:
            condition += f" AND family({address}) = {family}"
        return _boolean(context, f"coalesce({condition}, false)")


_subnet("isIpInSubnet", None)
_subnet("isIpv4InSubnet", 4)
_subnet("isIpv6InSubnet", 6)


@_register("ipv4ToNumber", 1, 1)
def _ipv4_to_number(context: CallContext) -> Value:
    address, text = _address(context)
    octets = " + ".join(
        f"CAST(split_part({text}, '.', {position}) AS BIGINT) * {256 ** (4 - position)}"
        for position in range(1, 5)
    )
    return context.result(f"CASE WHEN family({address}) = 4 THEN {octets} END", Kind.NUMBER)


@_register("isPrivateIP", 1, 1)
def _is_private_ip(context: CallContext) -> Value:
    address, _ = _address(context)
    return _boolean(context, f"coalesce({_in_networks(address, _PRIVATE_V4)}, false)")


@_register("isReservedIP", 1, 1)
def _is_reserved_ip(context: CallContext) -> Value:
    address, _ = _address(context)
    return _boolean(context, f"coalesce({_in_networks(address, _RESERVED)}, false)")


@_register("isPublicIP", 1, 1)
def _is_public_ip(context: CallContext) -> Value:
    address, _ = _address(context)
    hidden = _in_networks(address, (*_PRIVATE_V4, *_RESERVED))
    return _boolean(context, f"coalesce({address} IS NOT NULL AND NOT {hidden}, false)")
