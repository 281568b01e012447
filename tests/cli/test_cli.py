"""The loglake command: ingest files, query, and the demo."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import orjson
from click.testing import CliRunner

from loglake.cli.main import cli
from tests.helpers import awslogs_event, subscription_payload

MESSAGES = [
    "START RequestId: 5b7e1d22-9c4a-4e3f-b8d1-6a2c0f9e7d31 Version: $LATEST\n",
    "2026-11-02T08:14:10.002Z\t5b7e1d22-9c4a-4e3f-b8d1-6a2c0f9e7d31\tERROR\tInvoke Error \t"
    '{"errorType":"TypeError","errorMessage":"x is not a function",'
    '"stack":["TypeError: x is not a function"]}\n',
    "REPORT RequestId: 5b7e1d22-9c4a-4e3f-b8d1-6a2c0f9e7d31\tDuration: 12.00 ms\t"
    "Billed Duration: 12 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n",
]


def write_inputs(folder: Path) -> None:
    folder.mkdir()
    event = awslogs_event(subscription_payload(MESSAGES, log_group="/aws/lambda/checkout"))
    (folder / "event.json").write_bytes(orjson.dumps(event))
    (folder / "firehose-object.gz").write_bytes(
        gzip.compress(orjson.dumps(subscription_payload(["hello\n"], first_id=900)))
    )


def sql_csv(lake: Path, query: str) -> str:
    """Return the CSV that loglake sql prints for ``query``."""
    return CliRunner().invoke(cli, ["sql", "--lake", str(lake), "--format", "csv", query]).output


def test_ingest_then_sql_json(tmp_path: Path) -> None:
    inputs, lake = tmp_path / "inputs", tmp_path / "lake"
    write_inputs(inputs)
    runner = CliRunner()

    ingested = runner.invoke(cli, ["ingest", "--lake", str(lake), str(inputs)])
    assert ingested.exit_code == 0, ingested.output
    assert "4 events in, 4 rows written" in ingested.output

    queried = runner.invoke(
        cli,
        ["sql", "--lake", str(lake), "--format", "json",
         "SELECT function_name, status, error_type FROM invocations"],
    )  # fmt: skip
    assert queried.exit_code == 0, queried.output
    assert json.loads(queried.output) == [
        {"function_name": "checkout", "status": "error", "error_type": "TypeError"}
    ]


def test_ingest_twice_same_rows(tmp_path: Path) -> None:
    inputs, lake = tmp_path / "inputs", tmp_path / "lake"
    write_inputs(inputs)
    runner = CliRunner()
    runner.invoke(cli, ["ingest", "--lake", str(lake), str(inputs)])
    runner.invoke(cli, ["ingest", "--lake", str(lake), str(inputs)])
    assert sql_csv(lake, "SELECT count(*) AS n FROM logs") == "n\n4\n"


def test_bad_file_named_and_rest_lands(tmp_path: Path) -> None:
    inputs, lake = tmp_path / "inputs", tmp_path / "lake"
    write_inputs(inputs)
    (inputs / "notes.txt").write_text("this is not a delivery\n")
    result = CliRunner().invoke(cli, ["ingest", "--lake", str(lake), str(inputs)])
    assert result.exit_code == 1
    assert f"error: file {inputs / 'notes.txt'}#0: file is neither JSON" in result.output
    assert "4 events in, 4 rows written" in result.output
    assert len(list(lake.glob("quarantine/*/*.json.gz"))) == 1


def test_sql_error_exits_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sql", "--lake", str(tmp_path), "DROP VIEW logs"])
    assert result.exit_code == 1
    assert "only SELECT statements are allowed" in result.output


def test_lake_from_environment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    inputs, lake = tmp_path / "inputs", tmp_path / "env-lake"
    write_inputs(inputs)
    monkeypatch.setenv("LOGLAKE_LAKE", str(lake))
    result = CliRunner().invoke(cli, ["ingest", str(inputs)])
    assert result.exit_code == 0, result.output
    assert list(lake.glob("logs/*/*/*.parquet"))


def test_demo_summary_covers_every_function(tmp_path: Path) -> None:
    from loglake.demo import SAMPLE_FUNCTIONS

    result = CliRunner().invoke(
        cli,
        ["demo", "--lake", str(tmp_path / "lake"), "--date", "2026-11-02", "--invocations", "300"],
    )
    assert result.exit_code == 0, result.output
    for name in SAMPLE_FUNCTIONS:
        assert name in result.output


def test_quarantined_export_replays_with_log_group(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    export = tmp_path / "000000.gz"
    export.write_bytes(
        gzip.compress(
            b"2026-11-02T08:14:09.551Z START RequestId: 3f1c9a52-7d4e-4b8a-9f61-2c0e5d7a4b19 "
            b"Version: $LATEST\n"
        )
    )
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", "--lake", str(lake), str(export)])
    assert first.exit_code == 1
    assert "--log-group" in first.output

    replayed = runner.invoke(
        cli,
        ["ingest", "--lake", str(lake), "--log-group", "/aws/lambda/orders-api",
         "--log-stream", "2026/11/02/[$LATEST]abc", str(lake / "quarantine")],
    )  # fmt: skip
    assert replayed.exit_code == 0, replayed.output
    assert (
        sql_csv(lake, "SELECT type, function_name FROM logs")
        == "type,function_name\nSTART,orders-api\n"
    )


def test_ingest_skips_lake_inside_folder(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    write_inputs(inputs)
    lake = inputs / "lake"
    runner = CliRunner()
    runner.invoke(cli, ["ingest", "--lake", str(lake), str(inputs)])
    again = runner.invoke(cli, ["ingest", "--lake", str(lake), str(inputs)])
    assert again.exit_code == 0, again.output
    assert "2 file(s): 4 events in" in again.output


def test_quarantined_export_keeps_stream_from_key(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    export = tmp_path / "exports" / "task-1" / "app-stream" / "000000.gz"
    export.parent.mkdir(parents=True)
    export.write_bytes(gzip.compress(b"2026-11-02T08:14:09.551Z hello\n"))
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "--lake", str(lake), str(export)]).exit_code == 1

    replayed = runner.invoke(
        cli, ["ingest", "--lake", str(lake), "--log-group", "/app", str(lake / "quarantine")]
    )
    assert replayed.exit_code == 0, replayed.output
    assert sql_csv(lake, "SELECT log_stream FROM logs") == "log_stream\napp-stream\n"


def test_quarantined_utf8_copy_not_ingested_twice(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    payload = orjson.dumps(subscription_payload(["caf\xe9 ok\n"])).replace(
        "caf\xe9".encode(), b"caf\xe9"
    )
    source = tmp_path / "latin1.json"
    source.write_bytes(payload)
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", "--lake", str(lake), str(source)])
    assert "1 payload(s) quarantined" in first.output

    runner.invoke(cli, ["ingest", "--lake", str(lake), str(lake / "quarantine")])
    assert sql_csv(lake, "SELECT count(*) AS n FROM logs") == "n\n1\n"
