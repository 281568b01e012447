"""The syntax tree of an Insights query: expressions and the commands of its pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from loglake.analytics.insights.errors import Position

# Expressions


@dataclass(frozen=True, slots=True)
class Expression:
    """Base of every expression node; ``source`` is the query text it was parsed from."""

    position: Position
    source: str


@dataclass(frozen=True, slots=True)
class NumberLiteral(Expression):
    """A number: ``3000``, ``0.75``."""

    value: int | float


@dataclass(frozen=True, slots=True)
class StringLiteral(Expression):
    """A quoted string."""

    value: str


@dataclass(frozen=True, slots=True)
class BooleanLiteral(Expression):
    """A boolean, which only a parameter can supply."""

    value: bool


@dataclass(frozen=True, slots=True)
class RegexLiteral(Expression):
    """A ``/regex/`` as written, with ``\\/`` already turned into ``/``."""

    pattern: str


@dataclass(frozen=True, slots=True)
class PeriodLiteral(Expression):
    """A time period such as ``5m`` or ``1hr``."""

    amount: int | float
    unit: str


@dataclass(frozen=True, slots=True)
class FieldReference(Expression):
    """A field name: ``@message``, ``record.metrics.durationMs`` or a back-quoted name."""

    segments: tuple[str, ...]

    @property
    def name(self) -> str:
        """Return the name as the query language writes it, segments joined by dots."""
        return ".".join(self.segments)


@dataclass(frozen=True, slots=True)
class ListLiteral(Expression):
    """A bracketed list of literals, the right side of ``in``."""

    items: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class FunctionCall(Expression):
    """A call such as ``count(*)`` (``star`` set, no arguments) or ``bin(5m)``."""

    name: str
    arguments: tuple[Expression, ...]
    star: bool = False


@dataclass(frozen=True, slots=True)
class UnaryOperation(Expression):
    """``not x`` or ``-x``."""

    operator: str
    operand: Expression


@dataclass(frozen=True, slots=True)
class BinaryOperation(Expression):
    """Arithmetic, comparison, ``and``/``or``, ``like``/``=~`` and ``in``.

    ``operator`` is one of ``+ - * / % ^ = != < <= > >= and or like in``; ``negated`` turns
    ``like`` and ``in`` into ``not like`` and ``not in``.
    """

    operator: str
    left: Expression
    right: Expression
    negated: bool = False


# Commands


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of ``fields``, ``display`` or ``stats``: an expression and its alias."""

    expression: Expression
    alias: str | None

    @property
    def name(self) -> str:
        """Return the output name: the alias, else the expression as written."""
        if self.alias is not None:
            return self.alias
        if isinstance(self.expression, FieldReference):
            return self.expression.name
        return self.expression.source


@dataclass(frozen=True, slots=True)
class Command:
    """Base of every pipeline command; ``position`` is its keyword's."""

    position: Position
    keyword: str


@dataclass(frozen=True, slots=True)
class Fields(Command):
    """``fields``: derive fields and add them to the output."""

    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Display(Command):
    """``display``: choose exactly the output fields (the last one counts)."""

    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Filter(Command):
    """``filter`` or ``where``: keep rows for which the condition is true."""

    condition: Expression


@dataclass(frozen=True, slots=True)
class Stats(Command):
    """``stats aggregates [by groups]``."""

    aggregates: tuple[Item, ...]
    groups: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class SortKey:
    """One key of ``sort``."""

    expression: Expression
    descending: bool


@dataclass(frozen=True, slots=True)
class Sort(Command):
    """``sort key [asc|desc], ...``."""

    keys: tuple[SortKey, ...]


@dataclass(frozen=True, slots=True)
class Limit(Command):
    """``limit n``."""

    count: int


@dataclass(frozen=True, slots=True)
class ParseGlob(Command):
    """``parse field "pattern with *" as a, b``."""

    field: Expression
    pattern: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParseRegex(Command):
    """``parse field /regex with (?<name>...) groups/``."""

    field: Expression
    pattern: str
    group_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dedup(Command):
    """``dedup field, ...``: keep the first row of each distinct combination."""

    keys: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class Pattern(Command):
    """``pattern expression``: group text into patterns with their counts."""

    expression: Expression


@dataclass(frozen=True, slots=True)
class Unmask(Command):
    """``unmask``: lake data is stored unmasked, so the command changes nothing."""


@dataclass(frozen=True, slots=True)
class Source(Command):
    """``SOURCE``: the log groups to read, by exact name or by name prefix and account."""

    log_groups: tuple[str, ...]
    name_prefixes: tuple[str, ...]
    accounts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: its commands in order."""

    commands: tuple[Command, ...]
