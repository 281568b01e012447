"""Saved query files: loading, every error path, parameter binding and the listing command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglake.analytics.saved_queries import (
    ParameterError,
    QueryFileError,
    SavedQuery,
    SavedQueryError,
    bind_parameters,
    default_queries_folder,
    format_value,
    load_saved_queries,
)
from loglake.cli.main import cli

REPOSITORY_QUERIES = Path(__file__).parents[2] / "queries"

SHIPPED = {
    "errors-by-function",
    "top-error-messages",
    "error-rate-over-time",
    "cold-starts-by-function",
    "memory-headroom",
    "duration-percentiles-over-time",
    "timeouts",
    "out-of-memory-kills",
    "slowest-invocations",
    "billed-cost-by-function",
    "request-lines",
    "trace-lines",
    "event-id-lines",
}

VALID = """\
name: lookup
description: Lines of one request.
since: 2h
parameters:
  request_id:
    type: string
    description: Lambda request ID.
  rows:
    type: integer
    default: 50
  ratio:
    type: number
    default: 2
  label:
    type: string
    default: ""
query: |
  filter @requestId = $request_id
  | limit 50
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def load_error(tmp_path: Path, text: str, name: str = "lookup.yaml") -> QueryFileError:
    """Write one file, load the folder, and return the QueryFileError it raises."""
    folder = tmp_path / "queries"
    write(folder, name, text)
    with pytest.raises(QueryFileError) as raised:
        load_saved_queries(folder)
    assert raised.value.path == folder / name
    return raised.value


def replaced(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new)


# Loading a valid file


def test_valid_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path / "queries", "lookup.yaml", VALID)
    saved = load_saved_queries(tmp_path / "queries")["lookup"]

    assert saved.name == "lookup"
    assert saved.description == "Lines of one request."
    assert saved.since == "2h"
    assert saved.query == "filter @requestId = $request_id\n| limit 50\n"
    assert saved.path == path
    assert [parameter.name for parameter in saved.parameters] == [
        "request_id",
        "rows",
        "ratio",
        "label",
    ]


def test_parameter_types_and_defaults(tmp_path: Path) -> None:
    write(tmp_path / "queries", "lookup.yaml", VALID)
    request_id, rows, ratio, label = load_saved_queries(tmp_path / "queries")["lookup"].parameters

    assert (request_id.type, request_id.default, request_id.required) == ("string", None, True)
    assert request_id.description == "Lambda request ID."
    assert (rows.type, rows.default, rows.required) == ("integer", 50, False)
    assert (ratio.type, ratio.default) == ("number", 2.0)
    assert isinstance(ratio.default, float)
    assert (label.type, label.default, label.required) == ("string", "", False)
    assert label.description == ""


def test_parameters_may_be_absent_or_empty(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    write(folder, "plain.yaml", "name: plain\ndescription: d\nsince: 1h\nquery: fields @message\n")
    write(folder, "empty.yaml", "name: empty\ndescription: d\nsince: 1h\nparameters:\nquery: x\n")
    loaded = load_saved_queries(folder)

    assert loaded["plain"].parameters == ()
    assert loaded["empty"].parameters == ()


def test_queries_sorted_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    for name in ("b-second", "a-first", "c-third"):
        write(folder, f"{name}.yaml", f"name: {name}\ndescription: d\nsince: 1h\nquery: x\n")

    assert list(load_saved_queries(folder)) == ["a-first", "b-second", "c-third"]


# Files the loader skips or rejects by name


def test_other_files_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    write(folder, "README.md", "# notes\n")
    write(folder, ".#lookup.yaml", "not: [valid")
    (folder / "drafts.yaml").mkdir()
    write(folder, "lookup.yaml", VALID)

    assert list(load_saved_queries(folder)) == ["lookup"]


def test_yml_suffix_rejected(tmp_path: Path) -> None:
    error = load_error(tmp_path, VALID, name="lookup.yml")

    assert "rename the file to lookup.yaml" in str(error)


def test_alert_rules_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    write(folder, "alerts.yaml", "rules:\n  - name: many-errors\n    threshold: 5\n")
    write(folder, "lookup.yaml", VALID)

    assert list(load_saved_queries(folder)) == ["lookup"]


def test_alert_rules_list_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    write(folder, "alerts.yaml", "- name: many-errors\n")

    assert load_saved_queries(folder) == {}


def test_invalid_alert_rules_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    write(folder, "alerts.yaml", "rules: [unclosed\n")

    assert load_saved_queries(folder) == {}


def test_alert_rules_with_query_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    write(folder, "alerts.yaml", VALID.replace("name: lookup", "name: alerts"))

    assert list(load_saved_queries(folder)) == ["alerts"]


def test_alert_rules_with_query_checked(tmp_path: Path) -> None:
    error = load_error(tmp_path, "query: fields @message\n", name="alerts.yaml")

    assert error.line == 1
    assert "the key 'name' is missing" in error.problem


def test_missing_folder_named(tmp_path: Path) -> None:
    with pytest.raises(SavedQueryError, match=re.escape(f"{tmp_path / 'nowhere'} does not exist")):
        load_saved_queries(tmp_path / "nowhere")


def test_every_bad_file_listed(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    write(folder, "one.yaml", "name: one\n")
    write(folder, "two.yaml", "- a list\n")
    write(folder, "fine.yaml", "name: fine\ndescription: d\nsince: 1h\nquery: x\n")

    with pytest.raises(SavedQueryError) as raised:
        load_saved_queries(folder)
    message = str(raised.value)
    assert message.startswith("2 saved query files are invalid:\n")
    assert f"{folder / 'one.yaml'}:1: the key 'description' is missing" in message
    assert f"{folder / 'two.yaml'}:1: expected a mapping" in message


# Malformed files: each names its path, line and key


def test_invalid_yaml_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("since: 2h\n", "since: [2h\n"))

    assert error.line is not None
    assert error.line >= 3
    assert "invalid YAML" in error.problem


def test_two_documents_rejected(tmp_path: Path) -> None:
    error = load_error(tmp_path, VALID + "---\nname: other\n")

    assert "invalid YAML" in error.problem
    assert error.line == 20


def test_unknown_tag_value_names_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("since: 2h\n", "since: !!python/name:os.system 2h\n"))

    assert error.line == 3
    assert error.key is None
    assert error.problem.startswith("invalid YAML: could not determine a constructor")


def test_unknown_tag_key_names_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("since: 2h\n", "!!python/name:os.system since: 2h\n"))

    assert error.line == 3
    assert error.problem.startswith("invalid YAML: could not determine a constructor")


def test_not_utf8_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "lookup.yaml").write_bytes(b"name: lookup\ndescription: caf\xe9\n")

    with pytest.raises(QueryFileError, match="is not UTF-8 text"):
        load_saved_queries(folder)


def test_empty_file_rejected(tmp_path: Path) -> None:
    error = load_error(tmp_path, "")

    assert error.line == 1
    assert "the file is empty" in error.problem


def test_top_level_list_rejected(tmp_path: Path) -> None:
    error = load_error(tmp_path, "- name: lookup\n")

    assert error.line == 1
    assert error.problem.startswith("expected a mapping with the keys name, description")
    assert error.problem.endswith("found a list")


@pytest.mark.parametrize("key", ["name", "description", "since", "query"])
def test_missing_key_named(tmp_path: Path, key: str) -> None:
    text = VALID.split("query:")[0]
    if key != "query":
        lines = text.splitlines(keepends=True)
        text = "".join(line for line in lines if not line.startswith(key)) + "query: x\n"
    error = load_error(tmp_path, text)

    assert f"the key {key!r} is missing" in error.problem


def test_unknown_key_suggests_nearest(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("description:", "descripton:"))

    assert error.line == 2
    assert error.key == "descripton"
    assert "did you mean 'description'?" in error.problem


def test_duplicate_key_rejected(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("since: 2h\n", "since: 2h\nsince: 3h\n"))

    assert error.line == 4
    assert error.key == "since"
    assert "appears twice" in error.problem


def test_name_differs_from_file(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("name: lookup", "name: look-up"))

    assert str(error) == (
        f"{tmp_path / 'queries' / 'lookup.yaml'}:1: name: 'look-up' differs from the file "
        "name: write name: lookup, or rename the file to look-up.yaml"
    )


def test_invalid_file_name_rejected(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("name: lookup", "name: Lookup"), name="Lookup.yaml")

    assert error.key == "name"
    assert "the file name 'Lookup' is not a valid query name" in error.problem


@pytest.mark.parametrize("value", ["24 hours", "0h", "2H", "1y", "60", "-1h"])
def test_invalid_since_rejected(tmp_path: Path, value: str) -> None:
    error = load_error(tmp_path, replaced("since: 2h", f"since: '{value}'"))

    assert error.line == 3
    assert error.key == "since"
    assert f"{value!r} is not a duration" in error.problem


def test_since_number_rejected(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("since: 2h", "since: 60"))

    assert error.key == "since"
    assert error.problem == "expected text, found int 60"


def test_multiline_description_rejected(tmp_path: Path) -> None:
    error = load_error(
        tmp_path, replaced("description: Lines of one request.", "description: |\n  a\n  b")
    )

    assert error.key == "description"
    assert error.problem == "write one line"


def test_empty_query_rejected(tmp_path: Path) -> None:
    text = VALID.split("query:")[0] + "query: ''\n"
    error = load_error(tmp_path, text)

    assert error.key == "query"
    assert error.problem == "expected text, found empty text"


def test_query_list_rejected(tmp_path: Path) -> None:
    text = VALID.split("query:")[0] + "query:\n  - fields @message\n"
    error = load_error(tmp_path, text)

    assert error.key == "query"
    assert error.line == 18
    assert error.problem == "expected text, found a list"


def test_parameters_list_rejected(tmp_path: Path) -> None:
    text = "name: lookup\ndescription: d\nsince: 1h\nparameters:\n  - request_id\nquery: x\n"
    error = load_error(tmp_path, text)

    assert error.key == "parameters"
    assert error.line == 5
    assert "expected a mapping for the parameters, found a list" in error.problem


def test_parameter_not_mapping(tmp_path: Path) -> None:
    text = "name: lookup\ndescription: d\nsince: 1h\nparameters:\n  rows: 5\nquery: x\n"
    error = load_error(tmp_path, text)

    assert error.key == "parameters.rows"
    assert "expected a mapping for the parameter rows" in error.problem


def test_parameter_invalid_name(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("  rows:", "  row-count:"))

    assert error.key == "parameters"
    assert error.line == 8
    assert "'row-count' is not a valid parameter name" in error.problem


def test_parameter_missing_type(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("    type: integer\n", ""))

    assert error.key == "parameters.rows"
    assert "the key 'type' is missing" in error.problem


def test_parameter_unknown_type(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("type: integer", "type: int"))

    assert error.line == 9
    assert error.key == "parameters.rows.type"
    assert "'int' is not a parameter type: use one of string, number, integer" in error.problem


def test_parameter_unknown_key(tmp_path: Path) -> None:
    error = load_error(tmp_path, replaced("    default: 50", "    defualt: 50"))

    assert error.line == 10
    assert error.key == "parameters.rows.defualt"
    assert "did you mean 'default'?" in error.problem


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("default: 50", "default: 1.5", "1.5 is not an integer"),
        ("default: 50", "default: true", "True is not an integer"),
        ("default: 50", "default: '50'", "'50' is not an integer"),
        ("default: 2", "default: abc", "'abc' is not a number"),
        ("default: 2", "default: .nan", "nan is not a number"),
        ('default: ""', "default: 5", '5 is not a string (quote it: default: "...")'),
        ("default: 50", "default: null", "is null: remove the key"),
    ],
)
def test_parameter_default_wrong_type(tmp_path: Path, old: str, new: str, problem: str) -> None:
    error = load_error(tmp_path, replaced(old, new))

    assert error.key is not None
    assert error.key.endswith(".default")
    assert problem in error.problem


# Binding --param values


def saved_lookup(tmp_path: Path) -> SavedQuery:
    write(tmp_path / "queries", "lookup.yaml", VALID)
    return load_saved_queries(tmp_path / "queries")["lookup"]


def test_bind_converts_and_fills_defaults(tmp_path: Path) -> None:
    saved = saved_lookup(tmp_path)
    values = bind_parameters(saved, {"request_id": "abc", "rows": "+7", "ratio": "2.5e-3"})

    assert values == {"request_id": "abc", "rows": 7, "ratio": 0.0025, "label": ""}
    assert isinstance(values["rows"], int)


def test_bind_number_accepts_integer_text(tmp_path: Path) -> None:
    values = bind_parameters(saved_lookup(tmp_path), {"request_id": "", "ratio": "3"})

    assert values["ratio"] == 3.0
    assert isinstance(values["ratio"], float)
    assert values["request_id"] == ""


def test_bind_unknown_suggests_nearest(tmp_path: Path) -> None:
    with pytest.raises(ParameterError) as raised:
        bind_parameters(saved_lookup(tmp_path), {"request_ids": "abc"})

    assert str(raised.value) == (
        "saved query lookup has no parameter 'request_ids': did you mean 'request_id'? "
        "its parameters are request_id, rows, ratio, label"
    )


def test_bind_unknown_without_match(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="no parameter 'zzz': its parameters are"):
        bind_parameters(saved_lookup(tmp_path), {"zzz": "1"})


def test_bind_to_query_without_parameters(tmp_path: Path) -> None:
    write(tmp_path / "queries", "plain.yaml", "name: plain\ndescription: d\nsince: 1h\nquery: x\n")
    saved = load_saved_queries(tmp_path / "queries")["plain"]

    assert bind_parameters(saved, {}) == {}
    with pytest.raises(
        ParameterError, match=re.escape("takes no parameters, but --param rows=... was")
    ):
        bind_parameters(saved, {"rows": "5"})


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("rows", "ten", "an integer"),
        ("rows", "1.5", "an integer"),
        ("rows", "1_000", "an integer"),
        ("ratio", "abc", "a number"),
        ("ratio", "nan", "a number"),
        ("ratio", "inf", "a number"),
        ("ratio", "1e400", "a number"),
        ("ratio", "", "a number"),
    ],
)
def test_bind_wrong_type_rejected(tmp_path: Path, name: str, text: str, kind: str) -> None:
    with pytest.raises(ParameterError) as raised:
        bind_parameters(saved_lookup(tmp_path), {"request_id": "x", name: text})

    message = str(raised.value)
    assert message.startswith(f"--param {name}={text!r} is invalid: saved query lookup takes")
    assert f"takes {kind} there, such as --param {name}=" in message


def test_bind_missing_required_named(tmp_path: Path) -> None:
    with pytest.raises(ParameterError) as raised:
        bind_parameters(saved_lookup(tmp_path), {"rows": "5"})

    assert str(raised.value) == (
        "saved query lookup needs --param request_id=VALUE (request_id: Lambda request ID.)"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.0000166667, "0.0000166667"), (0.2, "0.2"), (2.0, "2"), (1e20, "100000000000000000000")],
)
def test_format_value_plain(value: float, text: str) -> None:
    assert format_value(value) == text


# The default folder


def test_default_folder_is_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOGLAKE_QUERIES", raising=False)

    assert default_queries_folder() == REPOSITORY_QUERIES


def test_setting_overrides_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "mine", "lookup.yaml", VALID)
    monkeypatch.setenv("LOGLAKE_QUERIES", str(tmp_path / "mine"))

    assert default_queries_folder() == tmp_path / "mine"
    assert list(load_saved_queries()) == ["lookup"]


# The shipped queries


def test_shipped_queries_load() -> None:
    shipped = load_saved_queries(REPOSITORY_QUERIES)

    assert set(shipped) >= SHIPPED


# loglake queries


def test_queries_command_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOGLAKE_QUERIES", raising=False)
    result = CliRunner().invoke(cli, ["queries"])

    assert result.exit_code == 0, result.output
    assert f"Saved queries in {REPOSITORY_QUERIES}" in result.output
    for name in SHIPPED:
        assert name in result.output
    assert "price_per_gb_second: number = 0.0000166667" in result.output
    assert "request_id: string, required" in result.output


def test_queries_command_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "mine", "lookup.yaml", VALID)
    monkeypatch.setenv("LOGLAKE_QUERIES", str(tmp_path / "mine"))
    result = CliRunner().invoke(cli, ["queries", "--format", "json"])

    assert result.exit_code == 0, result.output
    listing = json.loads(result.output)
    assert [entry["name"] for entry in listing] == ["lookup"]
    assert listing[0]["since"] == "2h"
    assert listing[0]["path"] == str(path)
    assert listing[0]["query"].startswith("filter @requestId = $request_id")
    assert listing[0]["parameters"][:2] == [
        {
            "name": "request_id",
            "type": "string",
            "required": True,
            "default": None,
            "description": "Lambda request ID.",
        },
        {"name": "rows", "type": "integer", "required": False, "default": 50, "description": ""},
    ]


def test_queries_command_bad_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "mine", "lookup.yaml", replaced("since: 2h", "since: soon"))
    monkeypatch.setenv("LOGLAKE_QUERIES", str(tmp_path / "mine"))
    result = CliRunner().invoke(cli, ["queries"])

    assert result.exit_code == 1
    assert f"{tmp_path / 'mine' / 'lookup.yaml'}:3: since: 'soon' is not a duration" in (
        result.output
    )


def test_queries_command_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGLAKE_QUERIES", str(tmp_path / "absent"))
    result = CliRunner().invoke(cli, ["queries"])

    assert result.exit_code == 1
    assert "does not exist or is not a folder" in result.output
    assert "LOGLAKE_QUERIES" in result.output
