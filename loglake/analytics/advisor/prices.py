"""The price table: AWS list prices per region for Lambda, SnapStart and CloudWatch Logs.

The table is one data file, ``prices.json`` in this package, with its sources and the date
the prices held. A region the table lacks, or a price a region lacks, takes the price of
the table's default region, and the prices returned for it name what they borrowed.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, get_args

import orjson

Architecture = Literal["x86_64", "arm64"]
ARCHITECTURES: tuple[Architecture, ...] = get_args(Architecture)

_LAMBDA_KEYS = (
    "duration_gb_second",
    "requests_per_million",
    "provisioned_concurrency_gb_second",
    "provisioned_duration_gb_second",
)
_PRICE_KEYS = (
    *(f"lambda.{arch}.{key}" for arch in ARCHITECTURES for key in _LAMBDA_KEYS),
    "snapstart.cache_gb_second",
    "snapstart.restore_gb",
    "cloudwatch_logs.ingest_gb",
)


class PriceTableError(ValueError):
    """A price table file that is missing, malformed or lacks a required price."""


@dataclass(frozen=True, slots=True)
class RegionPrices:
    """The prices that apply to functions in one region on one architecture, in USD."""

    region: str | None
    """The region of the functions, as the lake records it; None when unknown."""
    architecture: Architecture
    duration_gb_second: float
    requests_per_million: float
    provisioned_concurrency_gb_second: float
    provisioned_duration_gb_second: float
    snapstart_cache_gb_second: float
    snapstart_restore_gb: float
    logs_ingest_gb: float
    borrowed_from: str | None
    """The default region whose prices filled the gaps, or None when the region had all."""

    def compute_usd(self, gb_seconds: float, requests: float) -> float:
        """Return the on-demand charge for ``gb_seconds`` of duration and ``requests``."""
        return gb_seconds * self.duration_gb_second + requests * self.requests_per_million / 1e6


@dataclass(frozen=True, slots=True)
class PriceTable:
    """List prices by region, with the date they held and where they come from."""

    as_of: date
    sources: tuple[str, ...]
    default_region: str
    prices: dict[str, dict[str, float]]
    """Prices by region, keyed ``lambda.<architecture>.<price>``, ``snapstart.<price>``
    and ``cloudwatch_logs.ingest_gb``."""

    def for_region(self, region: str | None, architecture: Architecture) -> RegionPrices:
        """Return the prices for ``region``, taking any it lacks from the default region."""
        if architecture not in ARCHITECTURES:
            raise ValueError(
                f"architecture {architecture!r} is invalid: use one of {', '.join(ARCHITECTURES)}"
            )
        own = self.prices.get(region or "", {})
        default = self.prices[self.default_region]
        borrowed = any(key not in own for key in _PRICE_KEYS)

        def price(key: str) -> float:
            return own.get(key, default[key])

        lambda_prefix = f"lambda.{architecture}."
        return RegionPrices(
            region=region,
            architecture=architecture,
            duration_gb_second=price(lambda_prefix + "duration_gb_second"),
            requests_per_million=price(lambda_prefix + "requests_per_million"),
            provisioned_concurrency_gb_second=price(
                lambda_prefix + "provisioned_concurrency_gb_second"
            ),
            provisioned_duration_gb_second=price(lambda_prefix + "provisioned_duration_gb_second"),
            snapstart_cache_gb_second=price("snapstart.cache_gb_second"),
            snapstart_restore_gb=price("snapstart.restore_gb"),
            logs_ingest_gb=price("cloudwatch_logs.ingest_gb"),
            borrowed_from=self.default_region if borrowed else None,
        )


def load_prices(path: Path | None = None) -> PriceTable:
    """Load the price table from ``path``, or the one shipped in this package."""
    if path is None:
        resource = importlib.resources.files(__package__).joinpath("prices.json")
        text, name = resource.read_bytes(), "prices.json"
    else:
        try:
            text, name = path.read_bytes(), str(path)
        except OSError as error:
            raise PriceTableError(f"cannot read price table {path}: {error.strerror}") from error
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise PriceTableError(f"price table {name} is not valid JSON: {error}") from error
    return _parse(document, name)


def _parse(document: Any, name: str) -> PriceTable:
    if not isinstance(document, dict):
        raise PriceTableError(f"price table {name} must be a JSON object")
    try:
        as_of = date.fromisoformat(str(document.get("as_of")))
    except ValueError:
        raise PriceTableError(
            f"price table {name}: as_of {document.get('as_of')!r} is not a date such as 2025-06-01"
        ) from None
    sources = document.get("sources")
    if not isinstance(sources, list) or not sources:
        raise PriceTableError(
            f"price table {name}: sources must list the pages the prices are from"
        )
    regions = document.get("regions")
    if not isinstance(regions, dict) or not regions:
        raise PriceTableError(f"price table {name}: regions must map region names to prices")

    prices = {
        str(region): _flatten(entry, f"price table {name}, region {region}")
        for region, entry in regions.items()
    }
    default_region = str(document.get("default_region"))
    if default_region not in prices:
        raise PriceTableError(
            f"price table {name}: default_region {default_region!r} is not one of its regions"
        )
    missing = [key for key in _PRICE_KEYS if key not in prices[default_region]]
    if missing:
        raise PriceTableError(
            f"price table {name}: the default region {default_region} lacks {', '.join(missing)}"
        )
    return PriceTable(
        as_of=as_of,
        sources=tuple(str(source) for source in sources),
        default_region=default_region,
        prices=prices,
    )


def _flatten(entry: Any, where: str) -> dict[str, float]:
    """Return the prices of one region keyed by their dotted path, checking each one."""
    flat: dict[str, float] = {}
    pending: list[tuple[str, Any]] = [("", entry)]
    while pending:
        prefix, node = pending.pop()
        if isinstance(node, dict):
            pending.extend((f"{prefix}{key}.", value) for key, value in node.items())
            continue
        key = prefix.rstrip(".")
        if key not in _PRICE_KEYS:
            raise PriceTableError(f"{where}: unknown price {key!r}")
        if isinstance(node, bool) or not isinstance(node, int | float) or node < 0:
            raise PriceTableError(f"{where}: {key} must be a non-negative number, not {node!r}")
        flat[key] = float(node)
    return flat
