"""Errors of the Insights compiler, each pointing at the text that caused it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Position:
    """A place in the query text: 1-based line and column, 0-based offset, and length."""

    line: int
    column: int
    offset: int
    length: int = 1


class InsightsError(ValueError):
    """A query the compiler cannot translate, with the position of the offending text."""

    def __init__(self, message: str, position: Position | None = None, text: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.text = text

    def with_text(self, text: str) -> InsightsError:
        """Return the same error carrying the query text, so it can show the line."""
        self.text = text
        return self

    def render(self) -> str:
        """Return the message with the line of the query and a caret under the position."""
        if self.position is None:
            return self.message
        position = self.position
        lines = self.text.split("\n")
        header = f"line {position.line}, column {position.column}: {self.message}"
        if not 0 < position.line <= len(lines):
            return header
        source_line = lines[position.line - 1].replace("\t", " ")
        width = max(1, min(position.length, len(source_line) - position.column + 1))
        caret = " " * (position.column - 1) + "^" * width
        return f"{header}\n  {source_line}\n  {caret}"

    def __str__(self) -> str:
        return self.render()


class InsightsSyntaxError(InsightsError):
    """Query text that does not follow the grammar of the query language."""
