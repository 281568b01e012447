"""The price table: the shipped file, region fallback and invalid files."""

from __future__ import annotations

import importlib.resources
from datetime import date
from pathlib import Path

import orjson
import pytest

from loglake.analytics.advisor import PriceTableError, load_prices


def test_shipped_table_has_source_and_date() -> None:
    table = load_prices()
    assert table.as_of == date(2025, 6, 1)
    assert "https://aws.amazon.com/lambda/pricing/" in table.sources
    assert table.default_region == "us-east-1"


def test_arm64_cheaper_than_x86() -> None:
    table = load_prices()
    x86 = table.for_region("us-east-1", "x86_64")
    arm = table.for_region("us-east-1", "arm64")
    assert arm.duration_gb_second < x86.duration_gb_second
    assert x86.duration_gb_second == 0.0000166667
    assert x86.requests_per_million == 0.20
    assert x86.borrowed_from is None


def test_region_missing_prices_borrows_default() -> None:
    prices = load_prices().for_region("eu-west-1", "x86_64")
    assert prices.logs_ingest_gb == 0.57
    assert prices.snapstart_cache_gb_second == 0.0000015046
    assert prices.borrowed_from == "us-east-1"


def test_unknown_region_borrows_default() -> None:
    prices = load_prices().for_region("ap-south-2", "arm64")
    assert prices.duration_gb_second == 0.0000133334
    assert prices.borrowed_from == "us-east-1"


def test_compute_usd() -> None:
    prices = load_prices().for_region("us-east-1", "x86_64")
    # 1,000,000 requests of 1 GB for 1 s.
    assert prices.compute_usd(1_000_000, 1_000_000) == pytest.approx(16.6667 + 0.20)


def test_invalid_architecture_rejected() -> None:
    with pytest.raises(ValueError, match="architecture 'sparc'"):
        load_prices().for_region("us-east-1", "sparc")  # type: ignore[arg-type]


def write_table(tmp_path: Path, **changes: object) -> Path:
    shipped = importlib.resources.files("loglake.analytics.advisor") / "prices.json"
    document = orjson.loads(shipped.read_bytes())
    document.update(changes)
    path = tmp_path / "prices.json"
    path.write_bytes(orjson.dumps(document))
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"as_of": "June"}, "as_of 'June' is not a date"),
        ({"sources": []}, "sources must list"),
        ({"default_region": "mars-1"}, "default_region 'mars-1'"),
        (
            {"regions": {"us-east-1": {"lambda": {"x86_64": {"duration_gb_second": -1}}}}},
            "non-negative",
        ),
        ({"regions": {"us-east-1": {"lambda": {"x86_64": {"per_hour": 1}}}}}, "unknown price"),
        ({"regions": {"us-east-1": {"cloudwatch_logs": {"ingest_gb": 0.5}}}}, "lacks lambda"),
    ],
)
def test_invalid_table_rejected(tmp_path: Path, changes: dict[str, object], message: str) -> None:
    with pytest.raises(PriceTableError, match=message):
        load_prices(write_table(tmp_path, **changes))


def test_table_not_json_rejected(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_text("{not json")
    with pytest.raises(PriceTableError, match="not valid JSON"):
        load_prices(path)


def test_missing_table_rejected(tmp_path: Path) -> None:
    with pytest.raises(PriceTableError, match="cannot read price table"):
        load_prices(tmp_path / "absent.json")
