"""Tokens of the Insights query language, scanned on demand with their line and column.

The scanner runs one token at a time because ``/`` means division after an operand and
starts a regular expression after ``like``, ``=~`` or in ``parse``. Only the parser can
tell which, so it scans a regular expression only where the grammar allows one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum

from loglake.analytics.insights.errors import InsightsSyntaxError, Position


class TokenType(StrEnum):
    """Kinds of token."""

    NAME = "name"
    NUMBER = "number"
    PERIOD = "time period"
    STRING = "string"
    REGEX = "regular expression"
    PARAMETER = "parameter"
    OPERATOR = "operator"
    EOF = "end of query"


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its type, its value, and where its text starts and ends."""

    type: TokenType
    value: object
    """The name's segments (a tuple of str), the number, the (amount, unit) of a period, the
    string or regex text, the parameter's name, or the operator's text."""
    position: Position
    end: int
    quoted: bool = False
    """True for a name with a back-quoted segment, which is never a keyword."""

    @property
    def text(self) -> str:
        """Return a short description of the token for error messages."""
        if self.type is TokenType.EOF:
            return "the end of the query"
        if self.type is TokenType.NAME:
            assert isinstance(self.value, tuple)
            return f"'{'.'.join(self.value)}'"
        if self.type is TokenType.STRING:
            return f'the string "{self.value}"'
        return f"'{self.value}'" if self.type is TokenType.OPERATOR else str(self.type)

    def is_keyword(self, *words: str) -> bool:
        """Return whether the token is one of the keywords (compared case-insensitively)."""
        if self.type is not TokenType.NAME or self.quoted:
            return False
        assert isinstance(self.value, tuple)
        return len(self.value) == 1 and self.value[0].lower() in words

    def is_operator(self, *operators: str) -> bool:
        """Return whether the token is one of the operators."""
        return self.type is TokenType.OPERATOR and self.value in operators


# Longest operators first, so `<=` is not read as `<` then `=`.
_OPERATORS = (
    "==",
    "!=",
    "<=",
    ">=",
    "=~",
    "|",
    ",",
    "(",
    ")",
    "[",
    "]",
    "=",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    ":",
)
_WORD = re.compile(r"[A-Za-z0-9_@]+")
_DIGITS = frozenset("0123456789")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_UNIT = re.compile(r"[A-Za-z]+")
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
MAX_QUERY_LENGTH = 100_000
"""Characters a query may have: far beyond any real query, and it bounds compile time."""


class Lexer:
    """A scanner over one query text, started at any offset by the parser."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
        if len(text) > MAX_QUERY_LENGTH:
            raise self.error(
                f"the query has {len(text):,} characters, more than the "
                f"{MAX_QUERY_LENGTH:,} allowed: split it or move text into parameters",
                MAX_QUERY_LENGTH,
            )
        if "\x00" in text:
            raise self.error(
                "the query contains the NUL character (\\x00): remove it", text.index("\x00")
            )

    def position(self, offset: int, length: int = 1) -> Position:
        """Return the line and column of an offset."""
        line = bisect_right(self._line_starts, offset)
        column = offset - self._line_starts[line - 1] + 1
        return Position(line=line, column=column, offset=offset, length=length)

    def error(self, message: str, offset: int, length: int = 1) -> InsightsSyntaxError:
        """Return a syntax error at an offset."""
        error = InsightsSyntaxError(message, self.position(offset, length))
        error.with_text(self.text)
        return error

    def skip_blank(self, offset: int) -> int:
        """Return the offset after whitespace and ``#`` comments."""
        text = self.text
        while offset < len(text):
            char = text[offset]
            if char.isspace():
                offset += 1
            elif char == "#" and (offset == 0 or text[offset - 1].isspace()):
                end = text.find("\n", offset)
                offset = len(text) if end < 0 else end
            else:
                break
        return offset

    def scan(self, offset: int) -> Token:
        """Return the token that starts at or after the offset."""
        offset = self.skip_blank(offset)
        text = self.text
        if offset >= len(text):
            return Token(TokenType.EOF, None, self.position(offset), offset)

        char = text[offset]
        if char in _DIGITS:
            return self._scan_number(offset)
        if (char.isascii() and char.isalpha()) or char in "_@`":
            return self._scan_name(offset)
        if char in "\"'":
            return self._scan_string(offset)
        if char == "$":
            match = _PARAMETER.match(text, offset)
            if match is None:
                raise self.error("expected a parameter name after '$', such as $function", offset)
            return Token(
                TokenType.PARAMETER,
                match.group(1),
                self.position(offset, match.end() - offset),
                match.end(),
            )

        for operator in _OPERATORS:
            if text.startswith(operator, offset):
                end = offset + len(operator)
                return Token(
                    TokenType.OPERATOR, operator, self.position(offset, len(operator)), end
                )

        if char == "#":
            raise self.error(
                "a comment starts with '#' at the start of a line or after a space", offset
            )
        raise self.error(f"unexpected character {char!r}", offset)

    def scan_regex(self, offset: int) -> Token:
        """Return the ``/regex/`` that starts at the offset, where ``\\/`` stands for ``/``."""
        text = self.text
        assert text[offset] == "/"
        chars: list[str] = []
        index = offset + 1
        while index < len(text):
            char = text[index]
            if char == "\\" and index + 1 < len(text) and text[index + 1] == "/":
                chars.append("/")
                index += 2
                continue
            if char == "\\" and index + 1 < len(text):
                chars.append(text[index : index + 2])
                index += 2
                continue
            if char == "/":
                end = index + 1
                return Token(
                    TokenType.REGEX, "".join(chars), self.position(offset, end - offset), end
                )
            if char == "\n":
                break
            chars.append(char)
            index += 1
        raise self.error("this regular expression has no closing '/' on its line", offset)

    def _scan_number(self, offset: int) -> Token:
        match = _NUMBER.match(self.text, offset)
        assert match is not None
        number_text = match.group()
        if len(number_text) > 40:
            raise self.error("this number has more than 40 digits", offset, len(number_text))
        number: int | float = float(number_text) if "." in number_text else int(number_text)
        unit = _UNIT.match(self.text, match.end())
        if unit is not None:
            end = unit.end()
            if end < len(self.text) and (self.text[end] in _DIGITS or self.text[end] in "_@"):
                raise self.error("a name cannot start with a digit", offset, end - offset + 1)
            return Token(
                TokenType.PERIOD,
                (number, unit.group()),
                self.position(offset, end - offset),
                end,
            )
        if match.end() < len(self.text) and self.text[match.end()] in "_@":
            raise self.error("a name cannot start with a digit", offset, match.end() - offset + 1)
        return Token(
            TokenType.NUMBER, number, self.position(offset, match.end() - offset), match.end()
        )

    def _scan_name(self, offset: int) -> Token:
        """Scan ``a.b.c``, ``@x``, back-quoted segments and ``@`quoted```."""
        text = self.text
        segments: list[str] = []
        index = offset
        quoted = False
        while True:
            if index < len(text) and text[index] == "`":
                end = text.find("`", index + 1)
                if end < 0:
                    raise self.error("this back-quoted name has no closing '`'", index)
                if end == index + 1:
                    raise self.error("a back-quoted name cannot be empty", index, 2)
                segment = text[index + 1 : end]
                # `@` outside the quotes belongs to the name: @`aws.region`.
                if segments and segments[-1] == "@" and index == offset + 1:
                    segments[-1] = "@" + segment
                else:
                    segments.append(segment)
                quoted = True
                index = end + 1
            else:
                match = _WORD.match(text, index)
                if match is None:
                    raise self.error("expected a name after '.'", index)
                word = match.group()
                if text.startswith("`", match.end()) and word == "@" and not segments:
                    segments.append("@")
                    index = match.end()
                    continue
                segments.append(word)
                index = match.end()
            if (
                index + 1 < len(text)
                and text[index] == "."
                and (text[index + 1] == "`" or _WORD.match(text, index + 1))
            ):
                index += 1
                continue
            break
        return Token(
            TokenType.NAME,
            tuple(segments),
            self.position(offset, index - offset),
            index,
            quoted=quoted,
        )

    def _scan_string(self, offset: int) -> Token:
        """Scan a quoted string: ``\\"``, ``\\'`` and ``\\\\`` escape, and so does ``''``."""
        text = self.text
        quote = text[offset]
        chars: list[str] = []
        index = offset + 1
        while index < len(text):
            char = text[index]
            if char == "\\" and index + 1 < len(text) and text[index + 1] in ("\\", quote):
                chars.append(text[index + 1])
                index += 2
                continue
            if char == quote:
                if quote == "'" and text.startswith("''", index):
                    chars.append("'")
                    index += 2
                    continue
                end = index + 1
                value = "".join(chars)
                return Token(TokenType.STRING, value, self.position(offset, end - offset), end)
            chars.append(char)
            index += 1
        raise self.error(f"this string has no closing {quote}", offset)
