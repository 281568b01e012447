"""loglake query: text, files and saved queries, formats, errors and the row limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglake.cli.main import cli
from tests.insights.fixture_lake import R2, R5, build_fixture_lake

WHOLE_DAY = ["--start", "2026-11-02T00:00:00Z", "--end", "2026-11-03T00:00:00Z"]


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(build_fixture_lake(tmp_path_factory.mktemp("query-cli")))


def invoke(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["query", *arguments])
    return result.exit_code, result.stdout, result.stderr


def test_json_rows_keyed_by_column(lake: str) -> None:
    query = 'filter @type = "REPORT" | stats count(*) as n, max(@duration) as slowest by @function'
    code, out, _ = invoke("--lake", lake, "--format", "json", query)
    assert code == 0
    assert json.loads(out) == [
        {"@function": "orders-api", "n": 3, "slowest": 3000.0},
        {"@function": "renderer", "n": 1, "slowest": 250.5},
        {"@function": "thumbs", "n": 1, "slowest": 480.0},
    ]


def test_json_timestamps_are_iso_utc(lake: str) -> None:
    code, out, _ = invoke(
        "--lake", lake, "--format", "json", f'filter @requestId = "{R5}" | limit 1'
    )
    assert code == 0
    assert json.loads(out)[0]["@timestamp"] == "2026-11-02T08:05:00.300Z"


def test_ndjson_and_csv(lake: str) -> None:
    query = 'filter @type = "REPORT" | stats count(*) as n by @function'
    _, out, _ = invoke("--lake", lake, "--format", "ndjson", query)
    assert [json.loads(line)["n"] for line in out.splitlines()] == [3, 1, 1]
    _, out, _ = invoke("--lake", lake, "--format", "csv", query)
    assert out.splitlines() == ["@function,n", "orders-api,3", "renderer,1", "thumbs,1"]


def test_table_output(lake: str) -> None:
    code, out, _ = invoke("--lake", lake, 'filter @type = "REPORT" | stats count(*) as n')
    assert code == 0
    assert "│ 5 │" in out


def test_time_range_and_function_options(lake: str) -> None:
    query = "stats count(*) as n"
    _, out, _ = invoke("--lake", lake, "--format", "json", "--function", "renderer", query)
    assert json.loads(out) == [{"n": 3}]
    _, out, _ = invoke(
        "--lake", lake, "--format", "json", "--log-group", "/aws/lambda/thumbs", query
    )
    assert json.loads(out) == [{"n": 5}]
    _, out, _ = invoke(
        "--lake",
        lake,
        "--format",
        "json",
        "--start",
        "2026-11-02T09:00:00Z",
        "--end",
        "2026-11-02T10:00:00Z",
        query,
    )
    assert json.loads(out) == [{"n": 4}]


def test_query_from_a_file(lake: str, tmp_path: Path) -> None:
    path = tmp_path / "errors.insights"
    path.write_text('# errors\nfilter @level = "ERROR"\n| stats count(*) as n\n')
    _, out, _ = invoke("--lake", lake, "--format", "json", str(path))
    assert json.loads(out) == [{"n": 2}]


def test_saved_query_with_parameter(lake: str) -> None:
    code, out, err = invoke(
        "--lake",
        lake,
        "--format",
        "json",
        *WHOLE_DAY,
        "request-lines",
        "--param",
        f"request_id={R2}",
    )
    assert code == 0, err
    assert len(json.loads(out)) == 5


def test_parameters_of_query_text(lake: str) -> None:
    query = "filter @function = $name | stats count(*) as n"
    _, out, _ = invoke("--lake", lake, "--format", "json", "--param", "name=thumbs", query)
    assert json.loads(out) == [{"n": 5}]


def test_truncation_is_reported_on_stderr(lake: str) -> None:
    code, out, err = invoke("--lake", lake, "--format", "json", "--limit", "3", "fields @message")
    assert code == 0
    assert len(json.loads(out)) == 3
    assert "showing the first 3 rows; more matched" in err


def test_explain_prints_sql(lake: str) -> None:
    code, out, _ = invoke("--explain", 'filter @type = "REPORT" | stats count(*) as n')
    assert code == 0
    assert out.startswith('SELECT count(*) AS "n"\nFROM logs AS src')


def test_syntax_error_exits_2_with_caret(lake: str) -> None:
    code, _, err = invoke("--lake", lake, "filter @type = | limit 1")
    assert code == 2
    assert "line 1, column 16: expected a field, a value or a function call, found '|'" in err
    assert "\n                 ^" in err


def test_unknown_function_exits_2_with_nearest(lake: str) -> None:
    code, _, err = invoke("--lake", lake, "stats cont(*)")
    assert code == 2
    assert "did you mean count?" in err


def test_invalid_regex_exits_2(lake: str) -> None:
    code, _, err = invoke("--lake", lake, "filter @message like /(/")
    assert code == 2
    assert "invalid regular expression: missing )" in err


def test_bin_cap_warning(lake: str) -> None:
    code, _, err = invoke("--lake", lake, "stats count(*) by bin(300s)")
    assert code == 0
    assert "bin(300s) runs as bin(60s)" in err


def test_misspelled_saved_query_suggests_name(lake: str) -> None:
    code, _, err = invoke("--lake", lake, "cold-start-by-function")
    assert code == 2
    assert "no saved query named cold-start-by-function" in err
    assert "did you mean cold-starts-by-function?" in err


def test_missing_query_file(lake: str) -> None:
    code, _, err = invoke("--lake", lake, "./missing.insights")
    assert code == 2
    assert "file ./missing.insights not found" in err


def test_epoch_seconds_are_rejected(lake: str) -> None:
    code, _, err = invoke("--lake", lake, "--start", "1796299200", "stats count(*)")
    assert code == 2
    assert "looks like epoch seconds" in err


def test_unknown_function_gets_a_note(lake: str) -> None:
    code, _, err = invoke("--lake", lake, "--function", "thumb", "stats count(*) as n")
    assert code == 0
    assert "note: --function thumb has no events in the lake; did you mean thumbs?" in err


def test_parameter_given_twice_is_rejected(lake: str) -> None:
    code, _, err = invoke("--lake", lake, "--param", "a=1", "--param", "a=2", "fields $a")
    assert code == 2
    assert "a is given twice ('1' and '2')" in err


def test_saved_query_names_its_default_range(lake: str) -> None:
    code, _, err = invoke("--lake", lake, "errors-by-function")
    assert code == 0
    assert "note: reading the last 24h, the default range of errors-by-function" in err


def test_table_rounds_float_noise(lake: str) -> None:
    code, out, _ = invoke("--lake", lake, "fields 0.1 + 0.2 as x | limit 1")
    assert code == 0
    assert "0.3 " in out
    assert "0.30000000000000004" not in out


def test_table_shows_objects_as_json(lake: str) -> None:
    code, out, _ = invoke(
        "--lake", lake, "filter ispresent(user.id) | fields user | sort user.id | limit 1"
    )

    assert code == 0
    assert '{"id":"u-1","tier":"gold"}' in out
    assert "{'id'" not in out
