"""Saved queries: Logs Insights queries kept as one YAML file each, with typed parameters.

A file ``NAME.yaml`` in the queries folder contains ``name`` (equal to NAME), a one-line
``description``, ``since`` (the default time range, such as ``24h``), optional
``parameters`` and the ``query`` text. The query writes a parameter as ``$name``; the
compiler binds its value as a literal, so a value never becomes query text.

``alerts.yaml`` in the same folder contains alert rules, not a query, and the loader skips it
unless it has a top-level ``query`` key.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, NoReturn

from yaml.nodes import MappingNode, Node, ScalarNode

from loglake.analytics.yaml_source import (
    Entries,
    YamlDocument,
    YamlSyntaxError,
    entry_node,
    line_of,
    mapping_entries,
)
from loglake.settings import QUERIES, load_settings

ParameterType = Literal["string", "number", "integer"]
ParameterValue = str | int | float

PARAMETER_TYPES: tuple[ParameterType, ...] = ("string", "number", "integer")
QUERY_KEYS = ("name", "description", "since", "parameters", "query")
REQUIRED_QUERY_KEYS = ("name", "description", "since", "query")
PARAMETER_KEYS = ("type", "default", "description")
ALERT_RULES_FILE = "alerts.yaml"

QUERY_NAME = re.compile(r"[a-z0-9-]+")
PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""The characters a ``$name`` reference in query text may use."""
SINCE = re.compile(r"([1-9][0-9]*)(s|m|h|d|w)")
"""A default time range, the same units that ``--since`` accepts: 30s, 15m, 2h, 7d, 1w."""

_ARTICLES: dict[ParameterType, str] = {"string": "a", "number": "a", "integer": "an"}
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INSTALLED_FOLDER = ("share", "loglake", "queries")


class SavedQueryError(ValueError):
    """A saved query that cannot be loaded, or parameter values that do not fit one."""


class QueryFileError(SavedQueryError):
    """A query file that is not valid, with the place of the problem."""

    def __init__(self, path: Path, line: int | None, key: str | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.key = key
        self.problem = problem
        place = str(path) if line is None else f"{path}:{line}"
        super().__init__(f"{place}: {key}: {problem}" if key else f"{place}: {problem}")


class ParameterError(SavedQueryError):
    """``--param`` values that a saved query does not declare, or that do not fit its types."""


@dataclass(frozen=True, slots=True)
class QueryParameter:
    """A parameter that a saved query declares and its text writes as ``$name``."""

    name: str
    type: ParameterType
    default: ParameterValue | None
    """The value used when none is given; None makes the parameter required."""
    description: str

    @property
    def required(self) -> bool:
        """Return whether a value must be given, because the parameter has no default."""
        return self.default is None


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A saved Logs Insights query as its file declares it."""

    name: str
    description: str
    since: str
    """Default time range, such as ``24h``, in the syntax of ``--since``."""
    parameters: tuple[QueryParameter, ...]
    query: str
    path: Path


def load_saved_queries(folder: Path | None = None) -> dict[str, SavedQuery]:
    """Load every saved query in ``folder`` (by default :func:`default_queries_folder`).

    Raises SavedQueryError naming every invalid file with the line and key of its problem,
    as a QueryFileError when only one file is invalid.
    """
    folder = default_queries_folder() if folder is None else folder
    if not folder.is_dir():
        raise SavedQueryError(
            f"saved queries folder {folder} does not exist or is not a folder: "
            f"create it, or point {QUERIES.env} at the folder that contains the NAME.yaml files"
        )

    queries: dict[str, SavedQuery] = {}
    errors: list[QueryFileError] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix == ".yml":
            errors.append(
                QueryFileError(path, None, None, f"rename the file to {path.stem}.yaml to load it")
            )
            continue
        if path.suffix != ".yaml":
            continue
        try:
            saved = _load_file(path)
        except QueryFileError as error:
            errors.append(error)
            continue
        if saved is not None:
            queries[saved.name] = saved

    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise SavedQueryError(
            f"{len(errors)} saved query files are invalid:\n"
            + "\n".join(str(error) for error in errors)
        )
    return queries


def default_queries_folder() -> Path:
    """Return the saved queries folder: ``LOGLAKE_QUERIES``, else the one loglake ships.

    A source checkout or editable install uses the repository's ``queries/`` folder. A
    wheel installs the files under ``<prefix>/share/loglake/queries``, which the
    distribution's file list locates whatever the install scheme.
    """
    configured = load_settings().queries_folder
    if configured:
        return Path(configured)

    source_root = Path(__file__).resolve().parents[2]
    if (source_root / "pyproject.toml").is_file() and (source_root / "queries").is_dir():
        return source_root / "queries"

    installed = _installed_queries_folder()
    if installed is not None:
        return installed
    raise SavedQueryError(
        "loglake's saved queries are not installed: reinstall loglake from its wheel, "
        f"or set {QUERIES.env} to a folder of NAME.yaml query files"
    )


def bind_parameters(saved: SavedQuery, given: Mapping[str, str]) -> dict[str, ParameterValue]:
    """Convert ``--param NAME=VALUE`` texts to the declared types and add the defaults.

    Raises ParameterError for a name the query does not declare (naming the nearest one),
    a value of the wrong type, or a required parameter without a value.
    """
    declared = {parameter.name: parameter for parameter in saved.parameters}
    for name in given:
        if name not in declared:
            raise ParameterError(_unknown_parameter_message(saved, name))

    values: dict[str, ParameterValue] = {}
    missing: list[QueryParameter] = []
    for parameter in saved.parameters:
        if parameter.name in given:
            values[parameter.name] = _convert(saved, parameter, given[parameter.name])
        elif parameter.default is not None:
            values[parameter.name] = parameter.default
        else:
            missing.append(parameter)

    if missing:
        needed = " ".join(f"--param {parameter.name}=VALUE" for parameter in missing)
        described = "; ".join(
            f"{parameter.name}: {parameter.description or parameter.type}" for parameter in missing
        )
        raise ParameterError(f"saved query {saved.name} needs {needed} ({described})")
    return values


def format_value(value: ParameterValue) -> str:
    """Return a parameter value as a person types it: ``0.0000166667``, not ``1.66667e-05``."""
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def _installed_queries_folder() -> Path | None:
    try:
        distribution = importlib.metadata.distribution("loglake")
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in distribution.files or ():
        if file.parts[-4:-1] == _INSTALLED_FOLDER and file.suffix == ".yaml":
            return Path(str(distribution.locate_file(file))).resolve().parent
    return None


def _unknown_parameter_message(saved: SavedQuery, name: str) -> str:
    names = [parameter.name for parameter in saved.parameters]
    if not names:
        return f"saved query {saved.name} takes no parameters, but --param {name}=... was given"
    nearest = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    hint = f"did you mean {nearest[0]!r}? " if nearest else ""
    return (
        f"saved query {saved.name} has no parameter {name!r}: {hint}"
        f"its parameters are {', '.join(names)}"
    )


def _convert(saved: SavedQuery, parameter: QueryParameter, text: str) -> ParameterValue:
    if parameter.type == "string":
        return text
    stripped = text.strip()
    if parameter.type == "integer" and _INTEGER_TEXT.fullmatch(stripped):
        return int(stripped)
    if parameter.type == "number" and _NUMBER_TEXT.fullmatch(stripped):
        value = float(stripped)
        if math.isfinite(value):
            return value
    example = format_value(parameter.default) if parameter.default is not None else "10"
    raise ParameterError(
        f"--param {parameter.name}={text!r} is invalid: saved query {saved.name} takes "
        f"{_ARTICLES[parameter.type]} {parameter.type} there, such as "
        f"--param {parameter.name}={example}"
    )


# Reading and checking one file


def _load_file(path: Path) -> SavedQuery | None:
    """Return the saved query in ``path``; None for an alert rules file without ``query``."""
    text = _read_text(path)
    try:
        document = YamlDocument(text)
    except YamlSyntaxError as error:
        if path.name == ALERT_RULES_FILE:
            # The alert rules loader reports the problems of its own file.
            return None
        raise QueryFileError(path, error.line, None, str(error)) from None
    with document:
        root = document.root
        if path.name == ALERT_RULES_FILE and entry_node(root, "query") is None:
            return None
        if root is None:
            raise QueryFileError(path, 1, None, f"the file is empty: {_EXPECTED_KEYS}")
        return _FileReader(path, document).saved_query(root)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise QueryFileError(path, None, None, f"is not UTF-8 text ({error.reason})") from None


_EXPECTED_KEYS = f"expected a mapping with the keys {', '.join(QUERY_KEYS)}"


class _FileReader:
    """Checker of one query file's node tree, raising QueryFileError at the first problem."""

    def __init__(self, path: Path, document: YamlDocument) -> None:
        self._path = path
        self._document = document

    def saved_query(self, root: Node) -> SavedQuery:
        entries = self._mapping(root, None, QUERY_KEYS, "query file")
        for key in REQUIRED_QUERY_KEYS:
            if key not in entries:
                self._fail(root, None, f"the key {key!r} is missing: {_EXPECTED_KEYS}")

        name = self._text(entries["name"], "name")
        stem = self._path.stem
        if not QUERY_NAME.fullmatch(stem):
            self._fail(
                entries["name"][0],
                "name",
                f"the file name {stem!r} is not a valid query name: rename the file to "
                "lower-case letters, digits and hyphens, such as errors-by-function.yaml",
            )
        if name != stem:
            self._fail(
                entries["name"][1],
                "name",
                f"{name!r} differs from the file name: write name: {stem}, or rename the file "
                f"to {name}.yaml",
            )

        description = self._text(entries["description"], "description")
        if "\n" in description.strip():
            self._fail(entries["description"][1], "description", "write one line")

        since = self._text(entries["since"], "since")
        if not SINCE.fullmatch(since):
            self._fail(
                entries["since"][1],
                "since",
                f"{since!r} is not a duration: use a number and a unit (s, m, h, d or w), "
                "such as 15m, 2h or 7d",
            )

        query = self._text(entries["query"], "query")
        parameters: tuple[QueryParameter, ...] = ()
        if "parameters" in entries:
            parameters = self._parameters(entries["parameters"][1])
        return SavedQuery(
            name=name,
            description=description.strip(),
            since=since,
            parameters=parameters,
            query=query,
            path=self._path,
        )

    def _parameters(self, node: Node) -> tuple[QueryParameter, ...]:
        if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return ()
        entries = self._mapping(node, "parameters", None, "parameters")
        parameters = []
        for name, (key_node, value_node) in entries.items():
            if not PARAMETER_NAME.fullmatch(name):
                self._fail(
                    key_node,
                    "parameters",
                    f"{name!r} is not a valid parameter name: use letters, digits and "
                    "underscores, starting with a letter or an underscore",
                )
            parameters.append(self._parameter(name, value_node))
        return tuple(parameters)

    def _parameter(self, name: str, node: Node) -> QueryParameter:
        key = f"parameters.{name}"
        entries = self._mapping(node, key, PARAMETER_KEYS, f"parameter {name}")
        if "type" not in entries:
            self._fail(
                node, key, f"the key 'type' is missing: give one of {', '.join(PARAMETER_TYPES)}"
            )
        parameter_type = self._text(entries["type"], f"{key}.type")
        if parameter_type not in PARAMETER_TYPES:
            self._fail(
                entries["type"][1],
                f"{key}.type",
                f"{parameter_type!r} is not a parameter type: use one of "
                f"{', '.join(PARAMETER_TYPES)}",
            )

        default: ParameterValue | None = None
        if "default" in entries:
            default = self._default(entries["default"][1], f"{key}.default", parameter_type)
        description = ""
        if "description" in entries:
            description = self._text(entries["description"], f"{key}.description").strip()
        return QueryParameter(name, parameter_type, default, description)

    def _default(self, node: Node, key: str, parameter_type: ParameterType) -> ParameterValue:
        value = self._value(node)
        if value is None:
            self._fail(node, key, "is null: remove the key to make the parameter required")
        if parameter_type == "string" and isinstance(value, str):
            return value
        if parameter_type == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if (
            parameter_type == "number"
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
        ):
            return float(value)
        hint = ' (quote it: default: "...")' if parameter_type == "string" else ""
        self._fail(
            node, key, f"{value!r} is not {_ARTICLES[parameter_type]} {parameter_type}{hint}"
        )

    def _mapping(
        self, node: Node, key: str | None, allowed: tuple[str, ...] | None, what: str
    ) -> Entries:
        """Return a mapping node's entries by key, with their key and value nodes."""
        if not isinstance(node, MappingNode):
            expected = _EXPECTED_KEYS if key is None else f"expected a mapping for the {what}"
            self._fail(node, key, f"{expected}, found {_kind(node)}")
        entries, problems = mapping_entries(self._document, node, key, allowed, what, cutoff=0.5)
        if problems:
            first = problems[0]
            self._fail(first.node, first.key, first.problem)
        return entries

    def _text(self, entry: tuple[Node, Node], key: str) -> str:
        node = entry[1]
        value = self._value(node)
        if not isinstance(value, str) or not value.strip():
            self._fail(node, key, f"expected text, found {_kind(node, value)}")
        return value

    def _value(self, node: Node) -> Any:
        try:
            return self._document.value(node)
        except YamlSyntaxError as error:
            self._fail(node, None, str(error))

    def _fail(self, node: Node, key: str | None, problem: str) -> NoReturn:
        raise QueryFileError(self._path, line_of(node), key, problem)


def _kind(node: Node, value: Any = None) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if not isinstance(node, ScalarNode):
        return "a list"
    if value is None and node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    if isinstance(value, str):
        return "empty text"
    return f"{type(value).__name__} {node.value}"
