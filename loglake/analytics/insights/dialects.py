"""The SQL dialects the compiler writes: DuckDB for the local lake, Athena (Trino) for S3.

A dialect contains every piece of SQL that differs between the engines: the conversions
between Insights types, time buckets, regular expressions, JSON paths and table sources.
The generator, the expression compiler and the function catalogue write everything else
the same way for both. ``DUCKDB`` and ``ATHENA`` are the two instances.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from loglake.analytics.insights.regexes import plain_groups
from loglake.analytics.insights.values import Kind, Value, sql_string

ROW = "src"
"""The alias of every query block's source: columns are always read as ``src.<column>``,
so an output column named like a source column never changes what ORDER BY reads."""


@dataclass(frozen=True, slots=True)
class Period:
    """A time period argument such as ``5m``: a whole number of one unit.

    ``unit`` is one of ms, s, m, h, d, w and mo; quarters and years arrive as months.
    """

    unit: str
    amount: int


_SECONDS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800}
# 1970-01-05 was a Monday: weeks start on Monday, as in ISO 8601.
_MONDAY_SECONDS = 4 * 86_400

_DUCKDB_INTERVALS = {
    "ms": "to_milliseconds",
    "s": "to_seconds",
    "m": "to_minutes",
    "h": "to_hours",
    "d": "to_days",
    "w": "to_weeks",
    "mo": "to_months",
}
_TRINO_UNITS = {
    "ms": "millisecond",
    "s": "second",
    "m": "minute",
    "h": "hour",
    "d": "day",
    "w": "week",
    "mo": "month",
}


@dataclass(frozen=True, slots=True)
class CompactionState:
    """The objects and hours to skip, so that a reader of every object reads each event once.

    ``replaced`` lists the URLs of objects that a merged object replaced and that are not yet
    deleted. ``overlapping`` lists the hours, as (date, hour), where a merged object and other
    objects are both current, so their events are read with one row per event.
    """

    replaced: tuple[str, ...] = ()
    overlapping: tuple[tuple[str, int], ...] = ()


class Dialect:
    """DuckDB's SQL, which the local lake runs; ``AthenaDialect`` overrides what differs."""

    name = "duckdb"
    supports_qualify = True
    """Whether a SELECT may filter window functions with QUALIFY."""

    # Literals and sources

    def number(self, number: int | float) -> str:
        """Return a number as a SQL literal; floats stay DOUBLE."""
        if isinstance(number, bool):
            return "1" if number else "0"
        if isinstance(number, int) and -(2**63) <= number < 2**63:
            return str(number)
        number = float(number)
        if not math.isfinite(number):
            raise ValueError(f"{number} is not a finite number")
        # DuckDB reads 2.5 as a DECIMAL; Insights numbers are doubles.
        return f"{number!r}::DOUBLE"

    def literal(self, value: str | int | float | bool) -> Value:
        """Return a constant as a typed value."""
        if isinstance(value, bool):
            return Value("true" if value else "false", Kind.BOOLEAN)
        if isinstance(value, int | float):
            return Value(self.number(value), Kind.NUMBER)
        return Value(sql_string(value), Kind.STRING)

    def timestamp_literal(self, moment: datetime) -> str:
        """Return a UTC instant as a literal that compares with the ``timestamp`` column."""
        text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return f"TIMESTAMPTZ '{text}+00'"

    def date_literal(self, day: str) -> str:
        """Return a day (yyyy-mm-dd) as a literal that compares with the ``date`` partition."""
        return f"DATE '{day}'"

    def events_from(self, where: list[str]) -> tuple[str, list[str]]:
        """Return the FROM item of the first block and the WHERE conditions left to apply.

        ``where`` contains the block's conditions on ``logs``. DuckDB's ``logs`` view already
        has one row per event, so the conditions stay in the block.
        """
        return f"logs AS {ROW}", where

    # Conversions between Insights types

    def as_number(self, value: Value) -> str:
        """Return SQL for the value as a DOUBLE; text that is not a number becomes NULL."""
        match value.kind:
            case Kind.NUMBER:
                return value.sql
            case Kind.BOOLEAN:
                return f"CAST({value.sql} AS INTEGER)"
            case Kind.TIMESTAMP:
                return self.epoch_ms(value.sql)
            case Kind.NULL:
                return "CAST(NULL AS DOUBLE)"
            case Kind.JSON:
                # JSON true and false count as 1 and 0, as Insights counts them.
                text = self.as_text(value)
                return (
                    f"TRY_CAST(CASE {text} WHEN 'true' THEN '1' WHEN 'false' THEN '0' "
                    f"ELSE {text} END AS DOUBLE)"
                )
            case _:
                return f"TRY_CAST({self.as_text(value)} AS DOUBLE)"

    def as_text(self, value: Value) -> str:
        """Return SQL for the value as VARCHAR, in the form Insights shows it."""
        match value.kind:
            case Kind.STRING:
                return value.sql
            case Kind.JSON:
                return value.text_sql or self.json_text(value.sql)
            case Kind.NUMBER:
                return self.number_text(value.sql)
            case Kind.BOOLEAN:
                return f"CAST(CAST({value.sql} AS INTEGER) AS VARCHAR)"
            case Kind.TIMESTAMP:
                return self.format_timestamp(value.sql)
            case Kind.NULL:
                return "CAST(NULL AS VARCHAR)"
            case Kind.LIST:
                return self.list_text(value.sql)
            case _:
                return f"CAST({value.sql} AS VARCHAR)"

    def as_boolean(self, value: Value) -> str:
        """Return SQL for the value as a condition: numbers are true when not 0."""
        match value.kind:
            case Kind.BOOLEAN:
                return value.sql
            case Kind.NUMBER:
                return f"({value.sql} <> 0)"
            case Kind.NULL:
                return "CAST(NULL AS BOOLEAN)"
            case Kind.TIMESTAMP | Kind.LIST:
                return f"({value.sql} IS NOT NULL)"
            case _:
                text = self.as_text(value)
                return f"(TRY_CAST({text} AS DOUBLE) <> 0 OR lower({text}) = 'true')"

    def as_timestamp(self, value: Value) -> str:
        """Return SQL for the value as a timestamp; numbers are epoch milliseconds."""
        match value.kind:
            case Kind.TIMESTAMP:
                return value.sql
            case Kind.NUMBER | Kind.BOOLEAN:
                return self.timestamp_from_ms(self.as_number(value))
            case Kind.NULL:
                return self.null_timestamp()
            case _:
                return self.parse_timestamp(self.as_text(value))

    def as_output(self, value: Value) -> str:
        """Return SQL for the value as an output column: booleans show as 1 and 0."""
        if value.kind is Kind.BOOLEAN:
            return f"CAST({value.sql} AS INTEGER)"
        return value.sql

    def as_json(self, value: Value) -> str:
        """Return SQL for the value as JSON, so values of mixed types fit one column."""
        if value.kind is Kind.JSON:
            return value.sql
        if value.kind is Kind.BOOLEAN:
            return self.to_json(f"CAST({value.sql} AS INTEGER)")
        if value.kind is Kind.TIMESTAMP:
            return self.to_json(self.as_text(value))
        return self.to_json(value.sql)

    def natural_order(self, value: Value, direction: str) -> list[str]:
        """Return ORDER BY terms for values of unknown type: text before numbers, numbers
        by value, and missing values last."""
        number = self.as_number(value)
        text = self.as_text(value)
        return [
            f"({value.sql} IS NULL) ASC",
            f"({number} IS NOT NULL) {direction}",
            f"{number} {direction}",
            f"{text} {direction}",
        ]

    def group_order(self, position: int, key: Value) -> list[str]:
        """Return the ORDER BY terms that sort grouped rows by the key at ``position``."""
        return [str(position)]

    # Primitives of the conversions

    def number_text(self, number: str) -> str:
        # 27.0 shows as 27, as Insights shows whole numbers.
        return f"regexp_replace(CAST({number} AS VARCHAR), '\\.0$', '')"

    def epoch_ms(self, timestamp: str) -> str:
        return f"epoch_ms({timestamp})"

    def timestamp_from_ms(self, milliseconds: str) -> str:
        return f"make_timestamptz(CAST({milliseconds} * 1000 AS BIGINT))"

    def null_timestamp(self) -> str:
        return "CAST(NULL AS TIMESTAMPTZ)"

    def parse_timestamp(self, text: str) -> str:
        return (
            f"coalesce(TRY_CAST({text} AS TIMESTAMPTZ), "
            f"make_timestamptz(CAST(TRY_CAST({text} AS DOUBLE) * 1000 AS BIGINT)))"
        )

    def format_timestamp(self, timestamp: str) -> str:
        return f"strftime({timestamp}, '%Y-%m-%d %H:%M:%S.%g')"

    def json_text(self, json: str) -> str:
        return f"json_extract_string({json}, '$')"

    def to_json(self, sql: str) -> str:
        return f"to_json({sql})"

    def list_text(self, sql: str) -> str:
        return f"CAST({sql} AS VARCHAR)"

    # Operators and common functions

    def divide(self, dividend: str, divisor: str) -> str:
        return f"({dividend} / {divisor})"

    def modulo(self, dividend: str, divisor: str) -> str:
        return f"fmod({dividend}, {divisor})"

    def contains(self, text: str, part: str) -> str:
        return f"contains({text}, {part})"

    def regex_literal(self, regex: str) -> str:
        """Return an RE2 regex, as the compiler checked it, as a literal of this engine."""
        return sql_string(regex)

    def regex_matches(self, text: str, pattern: str) -> str:
        return f"regexp_matches({text}, {pattern})"

    def regex_replace_all(self, text: str, pattern: str, replacement: str) -> str:
        return f"regexp_replace({text}, {pattern}, {replacement}, 'g')"

    def sha256_hex(self, text: str) -> str:
        return f"sha256({text})"

    def any_value(self, sql: str) -> str:
        return f"any_value({sql})"

    def percentile(self, number: str, fraction: float) -> str:
        # The nearest-rank percentile returns a value that occurs in the data, as Insights does.
        return f"quantile_disc({number}, {self.number(fraction)})"

    def percentile_of_list(self, number: str, fractions: tuple[float, ...], index: int) -> str:
        """Return one percentile of a list aggregate, which sorts the values once for all."""
        listed = ", ".join(self.number(fraction) for fraction in fractions)
        return f"quantile_disc({number}, [{listed}])[{index + 1}]"

    def value_at_extreme(self, value: str, timestamp: str, *, latest: bool) -> str:
        return f"{'arg_max' if latest else 'arg_min'}({value}, {timestamp})"

    def captures(
        self, text: str, regex: str, groups: list[int], required: str | None = None
    ) -> list[str]:
        """Return SQL for the numbered capture groups of ``regex`` in ``text``.

        A row that does not match gets NULL for every capture and keeps its other fields.
        ``required`` is text that every match contains; rows without it skip the regex.
        """
        pattern = sql_string(regex)
        labels = ", ".join(sql_string(f"g{number}") for number in range(1, max(groups) + 1))
        # One regexp_extract reads every group; its labels name the groups by position.
        extract = f"regexp_extract({text}, {pattern}, [{labels}])"
        matches = self.regex_matches(text, pattern)
        if required:
            matches = f"{self.contains(text, sql_string(required))} AND {matches}"
        return [f"CASE WHEN {matches} THEN {extract}['g{number}'] END" for number in groups]

    # Time periods

    def floor_to(self, timestamp: str, period: Period) -> str:
        """Return SQL that floors a timestamp to a multiple of the period since 1970."""
        origin = "1970-01-05" if period.unit == "w" else "1970-01-01"
        return f"time_bucket({_interval(period)}, {timestamp}, TIMESTAMPTZ '{origin} 00:00:00+00')"

    def add_period(self, timestamp: str, period: Period) -> str:
        return f"{timestamp} + {_interval(period)}"

    # Functions of the catalogue whose SQL differs between the engines

    def format_date(self, timestamp: str, format_sql: str, constant: str | None) -> str:
        """Return SQL for formatDate with a strftime format (``constant`` when a literal)."""
        return f"strftime({timestamp}, {format_sql})"

    def extreme_of(self, numbers: list[str], *, greatest: bool) -> str:
        # DuckDB's greatest and least skip NULL arguments, as Insights does for missing fields.
        return f"{'greatest' if greatest else 'least'}({', '.join(numbers)})"

    def truncate(self, number: str) -> str:
        return f"trunc({number})"

    def regex_full_match(self, text: str, pattern: str) -> str:
        return f"regexp_full_match({text}, {pattern})"

    def concat(self, texts: list[str]) -> str:
        # DuckDB's concat treats NULL as empty text.
        return f"concat({', '.join(texts)})"

    def trim_characters(self, text: str, characters: str, side: str) -> str:
        function = {"LEADING": "ltrim", "TRAILING": "rtrim", "BOTH": "trim"}[side]
        return f"{function}({text}, {characters})"

    def ends_with(self, text: str, suffix: str) -> str:
        return f"ends_with({text}, {suffix})"

    def base64_encode(self, text: str) -> str:
        return f"to_base64(encode({text}))"

    def base64_decode(self, text: str) -> str:
        return f"TRY(decode(from_base64({text})))"

    def split(self, text: str, separator: str) -> str:
        return f"string_split({text}, {separator})"

    def hex_to_text(self, text: str) -> str:
        return f"TRY(decode(unhex({text})))"

    def hex_to_number(self, digits: str) -> str:
        return f"TRY_CAST('0x' || {digits} AS BIGINT)"

    def number_to_hex(self, whole: str) -> str:
        return f"lower(hex({whole}))"

    def md5_hex(self, text: str) -> str:
        return f"md5({text})"

    def url_encode(self, text: str) -> str:
        return f"url_encode({text})"

    def regex_replacement(self, replacement: str, constant: str | None) -> str:
        """Return the replacement of regexReplace; ``\\1`` names a group, as in RE2."""
        return replacement

    def byte_length(self, text: str) -> str:
        return f"octet_length(encode({text}))"

    def ip_address(self, text: str) -> str:
        """Return SQL for text as an IP address, NULL unless it is a plain address."""
        return f"CASE WHEN NOT contains({text}, '/') THEN TRY_CAST({text} AS INET) END"

    def ip_family_is(self, address: str, family: int) -> str:
        return f"family({address}) = {family}"

    def ip_in_network(self, address: str, network: str) -> str:
        return f"{address} <<= TRY_CAST({network} AS INET)"

    # Structured fields

    def json_path(self, segments: tuple[str, ...]) -> str:
        """Return the path of a key sequence inside a JSON document, as a SQL literal."""
        # JSON Pointer (RFC 6901) escapes ~ as ~0 and / as ~1, so any key is addressable.
        escaped = (segment.replace("~", "~0").replace("/", "~1") for segment in segments)
        return sql_string("/" + "/".join(escaped))

    def json_extract(self, document: str, path: str) -> str:
        return f"json_extract({document}, {path})"

    def json_extract_text(self, document: str, path: str) -> str:
        return f"json_extract_string({document}, {path})"


class AthenaDialect(Dialect):
    """Athena engine version 3 (Trino) over the Glue tables of the stack.

    The Glue ``logs`` table reads every object under its prefix and ignores
    compaction's manifests. With a ``CompactionState`` from a listing of the lake, the first
    block leaves out the replaced objects by ``"$path"`` and keeps one row per event in the
    overlapping hours. Without one, it keeps one row per log group, stream and event ID
    everywhere, which reads three more columns and sorts every row the filters select.
    """

    name = "athena"
    supports_qualify = False

    def __init__(self, compaction: CompactionState | None = None) -> None:
        self.compaction = compaction

    def number(self, number: int | float) -> str:
        if isinstance(number, bool) or (isinstance(number, int) and -(2**63) <= number < 2**63):
            return super().number(number)
        number = float(number)
        if not math.isfinite(number):
            raise ValueError(f"{number} is not a finite number")
        # A literal with an exponent is a DOUBLE in Trino; 2.5 alone is a DECIMAL.
        text = repr(number)
        return text if "e" in text else f"{text}e0"

    def timestamp_literal(self, moment: datetime) -> str:
        # The Glue column is a timestamp without a zone, holding UTC.
        text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        return f"TIMESTAMP '{text}'"

    def date_literal(self, day: str) -> str:
        # The date partition key is a string in the Glue table.
        return sql_string(day)

    def events_from(self, where: list[str]) -> tuple[str, list[str]]:
        # The conditions apply before duplicates are removed, so the window reads only the
        # rows they select: an event counts once when any of its copies matches.
        state = self.compaction
        if state is None:
            return self._first_copies(where), []
        conditions = list(where)
        if state.replaced:
            paths = ", ".join(sql_string(path) for path in state.replaced)
            conditions.append(f'{ROW}."$path" NOT IN ({paths})')
        if not state.overlapping:
            return f"logs AS {ROW}", conditions
        hours = " OR ".join(
            f"({ROW}.date = {sql_string(day)} AND {ROW}.hour = {hour})"
            for day, hour in state.overlapping
        )
        plain = _where([*conditions, f"NOT ({hours})"])
        rows = f"SELECT {ROW}.*, 1 AS _copy FROM logs AS {ROW}{plain}"
        copies = self._first_copies([*conditions, f"({hours})"])
        return f"(SELECT * FROM ({rows}) UNION ALL SELECT * FROM {copies}) AS {ROW}", []

    def _first_copies(self, where: list[str]) -> str:
        """Return a subquery of the rows that match ``where``, one copy of each event."""
        copies = (
            f"row_number() OVER (PARTITION BY {ROW}.log_group, {ROW}.log_stream, "
            f"{ROW}.event_id ORDER BY {ROW}.request_id IS NULL, {ROW}.ingestion_time)"
        )
        events = f"SELECT {ROW}.*, {copies} AS _copy FROM logs AS {ROW}{_where(where)}"
        return f"(SELECT * FROM ({events}) WHERE _copy = 1) AS {ROW}"

    def natural_order(self, value: Value, direction: str) -> list[str]:
        if value.kind is not Kind.JSON:
            return super().natural_order(value, direction)
        # Trino cannot sort JSON, and a grouped query may sort only by functions of its
        # group keys, so the terms read the JSON value itself rather than its text path.
        number = f"TRY_CAST({value.sql} AS DOUBLE)"
        return [
            f"({value.sql} IS NULL) ASC",
            f"({number} IS NOT NULL) {direction}",
            f"{number} {direction}",
            f"json_format({value.sql}) {direction}",
        ]

    def group_order(self, position: int, key: Value) -> list[str]:
        if key.kind is Kind.JSON:
            return self.natural_order(key, "ASC")
        return [str(position)]

    def epoch_ms(self, timestamp: str) -> str:
        return f"CAST(round(to_unixtime({timestamp}) * 1000) AS BIGINT)"

    def timestamp_from_ms(self, milliseconds: str) -> str:
        return f"from_unixtime(CAST({milliseconds} AS DOUBLE) / 1000)"

    def null_timestamp(self) -> str:
        return "CAST(NULL AS TIMESTAMP)"

    def parse_timestamp(self, text: str) -> str:
        return (
            f"coalesce(try(from_iso8601_timestamp({text})), "
            f"try(CAST({text} AS TIMESTAMP WITH TIME ZONE)), "
            f"{self.timestamp_from_ms(f'TRY_CAST({text} AS DOUBLE)')})"
        )

    def format_timestamp(self, timestamp: str) -> str:
        return f"format_datetime({timestamp}, 'yyyy-MM-dd HH:mm:ss.SSS')"

    def json_text(self, json: str) -> str:
        return f"coalesce(json_extract_scalar({json}, '$'), json_format({json}))"

    def to_json(self, sql: str) -> str:
        return f"CAST({sql} AS JSON)"

    def list_text(self, sql: str) -> str:
        return f"('[' || array_join({sql}, ', ') || ']')"

    def divide(self, dividend: str, divisor: str) -> str:
        # Trino divides integers without a remainder; Insights numbers are doubles.
        return f"(CAST({dividend} AS DOUBLE) / {divisor})"

    def modulo(self, dividend: str, divisor: str) -> str:
        return f"mod({dividend}, {divisor})"

    def contains(self, text: str, part: str) -> str:
        return f"(strpos({text}, {part}) > 0)"

    def regex_literal(self, regex: str) -> str:
        # Java's syntax, which Trino reads, writes a named group as (?<name>, not (?P<name>.
        return sql_string(plain_groups(regex))

    def regex_matches(self, text: str, pattern: str) -> str:
        return f"regexp_like({text}, {pattern})"

    def regex_replace_all(self, text: str, pattern: str, replacement: str) -> str:
        return f"regexp_replace({text}, {pattern}, {replacement})"

    def sha256_hex(self, text: str) -> str:
        return f"lower(to_hex(sha256(to_utf8({text}))))"

    def any_value(self, sql: str) -> str:
        return f"arbitrary({sql})"

    def percentile(self, number: str, fraction: float) -> str:
        # Trino has no exact percentile; approx_percentile errs by about 1% of the rank.
        return f"approx_percentile({number}, {self.number(fraction)})"

    def percentile_of_list(self, number: str, fractions: tuple[float, ...], index: int) -> str:
        listed = ", ".join(self.number(fraction) for fraction in fractions)
        return f"approx_percentile({number}, ARRAY[{listed}])[{index + 1}]"

    def value_at_extreme(self, value: str, timestamp: str, *, latest: bool) -> str:
        return f"{'max_by' if latest else 'min_by'}({value}, {timestamp})"

    def captures(
        self, text: str, regex: str, groups: list[int], required: str | None = None
    ) -> list[str]:
        # Trino's regexp_extract gives NULL where the text does not match.
        pattern = self.regex_literal(regex)
        extracts = [f"regexp_extract({text}, {pattern}, {number})" for number in groups]
        if not required:
            return extracts
        has_text = self.contains(text, sql_string(required))
        return [f"CASE WHEN {has_text} THEN {extract} END" for extract in extracts]

    def floor_to(self, timestamp: str, period: Period) -> str:
        if period.unit == "mo":
            months = f"((year({timestamp}) - 1970) * 12 + month({timestamp}) - 1)"
            floored = f"({months} - mod({months}, {period.amount}))"
            return f"date_add('month', {floored}, TIMESTAMP '1970-01-01 00:00:00.000')"
        if period.unit == "ms":
            step = f"{period.amount}e0"
            return f"from_unixtime(floor(to_unixtime({timestamp}) * 1000 / {step}) * {step} / 1000)"
        seconds = _SECONDS[period.unit] * period.amount
        offset = _MONDAY_SECONDS if period.unit == "w" else 0
        shifted = (
            f"(to_unixtime({timestamp}) - {offset})" if offset else f"to_unixtime({timestamp})"
        )
        floored = f"floor({shifted} / {seconds}) * {seconds}"
        if offset:
            floored = f"{floored} + {offset}"
        return f"from_unixtime({floored})"

    def add_period(self, timestamp: str, period: Period) -> str:
        return f"date_add('{_TRINO_UNITS[period.unit]}', {period.amount}, {timestamp})"

    def format_date(self, timestamp: str, format_sql: str, constant: str | None) -> str:
        if constant is None:
            raise UnsupportedFeature(
                "on Athena, the format of formatDate() must be a string literal, such as '%Y-%m-%d'"
            )
        return f"date_format({timestamp}, {sql_string(_trino_format(constant))})"

    def extreme_of(self, numbers: list[str], *, greatest: bool) -> str:
        # Trino's greatest and least give NULL when any argument is NULL.
        function = "array_max" if greatest else "array_min"
        return f"{function}(filter(ARRAY[{', '.join(numbers)}], v -> v IS NOT NULL))"

    def truncate(self, number: str) -> str:
        return f"truncate({number})"

    def regex_full_match(self, text: str, pattern: str) -> str:
        return f"regexp_like({text}, '^(?:' || {pattern} || ')$')"

    def concat(self, texts: list[str]) -> str:
        return "(" + " || ".join(f"coalesce({text}, '')" for text in texts) + ")"

    def trim_characters(self, text: str, characters: str, side: str) -> str:
        return f"trim({side} {characters} FROM {text})"

    def ends_with(self, text: str, suffix: str) -> str:
        return (
            f"(length({suffix}) <= length({text}) AND "
            f"substr({text}, length({text}) - length({suffix}) + 1) = {suffix})"
        )

    def base64_encode(self, text: str) -> str:
        return f"to_base64(to_utf8({text}))"

    def base64_decode(self, text: str) -> str:
        return f"try(from_utf8(from_base64({text})))"

    def split(self, text: str, separator: str) -> str:
        return f"split({text}, {separator})"

    def hex_to_text(self, text: str) -> str:
        return f"try(from_utf8(from_hex({text})))"

    def hex_to_number(self, digits: str) -> str:
        return f"try(from_base({digits}, 16))"

    def number_to_hex(self, whole: str) -> str:
        return f"lower(to_base({whole}, 16))"

    def md5_hex(self, text: str) -> str:
        return f"lower(to_hex(md5(to_utf8({text}))))"

    def url_encode(self, text: str) -> str:
        # Trino writes a space as +, and DuckDB as %20; a + in the text is %2B in both.
        return f"replace(url_encode({text}), '+', '%20')"

    def regex_replacement(self, replacement: str, constant: str | None) -> str:
        if constant is None:
            # NOTE: a replacement computed per row keeps Java's syntax ($1 names a group).
            return replacement
        return sql_string(_java_replacement(constant))

    def number_text(self, number: str) -> str:
        # Trino writes a DOUBLE as text in scientific notation (3.7193E2); ten decimals,
        # then trailing zeros dropped, give 371.93 and 27 as DuckDB does.
        formatted = f"format('%.10f', CAST({number} AS DOUBLE))"
        return f"regexp_replace({formatted}, '\\.?0+$', '')"

    def byte_length(self, text: str) -> str:
        return f"length(to_utf8({text}))"

    def ip_address(self, text: str) -> str:
        return f"CASE WHEN strpos({text}, '/') = 0 THEN TRY_CAST({text} AS IPADDRESS) END"

    def ip_family_is(self, address: str, family: int) -> str:
        # Trino writes an IPv4 address in dotted form and an IPv6 address with colons.
        operator = "=" if family == 4 else ">"
        return f"strpos(CAST({address} AS VARCHAR), ':') {operator} 0"

    def ip_in_network(self, address: str, network: str) -> str:
        return f"try(contains({network}, {address}))"

    def json_path(self, segments: tuple[str, ...]) -> str:
        steps: list[str] = []
        for segment in segments:
            if segment.isdigit() and segment.isascii():
                steps.append(f"[{int(segment)}]")
            else:
                # Trino's JSON path reads a quoted key without escapes.
                if '"' in segment or "\\" in segment:
                    raise UnsupportedFeature(
                        f"Athena's JSON paths cannot name the key {segment!r}, which contains "
                        "a quote or a backslash: query it with the DuckDB engine"
                    )
                steps.append(f'["{segment}"]')
        return sql_string("$" + "".join(steps))

    def json_extract_text(self, document: str, path: str) -> str:
        # json_extract_scalar gives NULL for an object or array; Insights shows them as JSON.
        return (
            f"coalesce(json_extract_scalar({document}, {path}), "
            f"json_format(json_extract({document}, {path})))"
        )


def _interval(period: Period) -> str:
    """Return a period as a DuckDB interval."""
    return f"{_DUCKDB_INTERVALS[period.unit]}({period.amount})"


def _where(conditions: list[str]) -> str:
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""


def _java_replacement(replacement: str) -> str:
    """Return an RE2 replacement (\\1 for a group, \\\\ for a backslash) in Java's syntax."""
    output: list[str] = []
    index = 0
    while index < len(replacement):
        char = replacement[index]
        following = replacement[index + 1 : index + 2]
        if char == "\\" and following.isdigit():
            output.append("$" + following)
            index += 2
        elif char == "\\" and following:
            output.append("\\" + following if following in "\\$" else following)
            index += 2
        elif char == "$":
            output.append("\\$")
            index += 1
        else:
            output.append(char)
            index += 1
    return "".join(output)


class UnsupportedFeature(ValueError):
    """Part of a query that the dialect cannot express; the message names what to write."""


_STRFTIME_TO_TRINO = {
    "%Y": "%Y",
    "%y": "%y",
    "%m": "%m",
    "%d": "%d",
    "%e": "%e",
    "%H": "%H",
    "%I": "%I",
    "%M": "%i",
    "%S": "%s",
    "%f": "%f",
    "%p": "%p",
    "%j": "%j",
    "%a": "%a",
    "%A": "%W",
    "%b": "%b",
    "%B": "%M",
    "%%": "%%",
}


def _trino_format(strftime_format: str) -> str:
    """Return a strftime format in the MySQL form of Trino's date_format."""
    output: list[str] = []
    index = 0
    while index < len(strftime_format):
        char = strftime_format[index]
        if char != "%":
            output.append(char)
            index += 1
            continue
        specifier = strftime_format[index : index + 2]
        if specifier not in _STRFTIME_TO_TRINO:
            supported = " ".join(sorted(_STRFTIME_TO_TRINO))
            raise UnsupportedFeature(
                f"formatDate() on Athena does not support {specifier!r}: use one of {supported}"
            )
        output.append(_STRFTIME_TO_TRINO[specifier])
        index += 2
    return "".join(output)


DUCKDB = Dialect()
ATHENA = AthenaDialect()
DIALECTS = {dialect.name: dialect for dialect in (DUCKDB, ATHENA)}
