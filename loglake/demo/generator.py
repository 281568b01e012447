"""Deterministic sample of a day of CloudWatch Logs subscription deliveries.

The sample account runs the functions in ``loglake.demo.functions``. Their traffic
follows a daily curve, and execution environments start, serve invocations and are
reclaimed. Each invocation writes the platform and application lines that its runtime
and logger produce, and each log stream is cut into deliveries as CloudWatch batches
them. All randomness comes from generators seeded with ``seed``, so equal arguments give
byte-identical output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any

from loglake.demo.clock import Clock
from loglake.demo.deliveries import Delivery, DeliveryBatcher, SubscriptionEncoder
from loglake.demo.environments import EnvironmentPool
from loglake.demo.functions import SAMPLE_ACCOUNT
from loglake.demo.ids import IdSource
from loglake.demo.invocations import InvocationRunner
from loglake.demo.kinesis import kinesis_events
from loglake.demo.platform import runtime_version_arn
from loglake.demo.profile import Deployment, FunctionProfile
from loglake.demo.traffic import TrafficPlan
from loglake.demo.xray import TracedInvocation, TraceWindowSample, trace_windows

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ACCOUNT_PATTERN = re.compile(r"\d{12}")
_REGION_PATTERN = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
# Region name prefixes of the AWS partitions other than ``aws``, longest first.
_PARTITIONS = (
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-iso-", "aws-iso"),
    ("cn-", "aws-cn"),
)
# Lambda's Kinesis event source mapping accepts batch sizes from 1 to 10,000 records.
_MAX_KINESIS_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class _Settings:
    start_ms: int
    hours: int
    invocations: int
    seed: int
    account: str
    region: str
    partition: str


def generate_deliveries(
    *,
    start: datetime,
    hours: int = 24,
    invocations: int = 2000,
    seed: int = 7,
    account: str = "123456789012",
    region: str = "us-east-1",
) -> Iterator[dict[str, Any]]:
    """Yield Lambda subscription events ({"awslogs": {"data": ...}}) for a sample account.

    The events come in time order: the order in which CloudWatch Logs would invoke a
    subscribed function. ``invocations`` is the total across the sample functions over
    ``hours`` hours from ``start`` (an aware datetime), and every log event lies in
    ``[start, start + hours)``. Invalid arguments raise ValueError or TypeError at the
    call, before any event is generated.
    """
    settings = _validate(start, hours, invocations, seed, account, region)
    return ({"awslogs": {"data": data}} for _, data in _encoded_payloads(settings))


def generate_log_data(
    *,
    start: datetime,
    hours: int = 24,
    invocations: int = 2000,
    seed: int = 7,
    account: str = "123456789012",
    region: str = "us-east-1",
) -> Iterator[dict[str, Any]]:
    """Yield the decoded subscription JSON documents that ``generate_deliveries`` encodes."""
    settings = _validate(start, hours, invocations, seed, account, region)
    encoder = SubscriptionEncoder(account=settings.account, rng=_encoder_rng(settings.seed))
    return (encoder.log_data(delivery) for delivery in _deliveries(settings))


def generate_kinesis_events(
    *,
    start: datetime,
    hours: int = 24,
    invocations: int = 2000,
    seed: int = 7,
    account: str = "123456789012",
    region: str = "us-east-1",
    batch_size: int = 100,
) -> Iterator[dict[str, Any]]:
    """Yield Lambda Kinesis events whose records carry the payloads of ``generate_deliveries``.

    Each event contains up to ``batch_size`` records, in the same order and with the same
    data text as the direct deliveries of equal arguments.
    """
    settings = _validate(start, hours, invocations, seed, account, region)
    _require_int("batch_size", batch_size, 1, _MAX_KINESIS_BATCH)
    return kinesis_events(
        _encoded_payloads(settings),
        batch_size=batch_size,
        account=settings.account,
        region=settings.region,
        partition=settings.partition,
        rng=Random(f"{settings.seed}/kinesis"),
    )


def generate_traces(
    *,
    start: datetime,
    hours: int = 24,
    invocations: int = 2000,
    seed: int = 7,
    account: str = "123456789012",
    region: str = "us-east-1",
) -> list[TraceWindowSample]:
    """Return the X-Ray traces of the sampled invocations of ``generate_deliveries``' traced
    functions, as GetTraceSummaries pages and BatchGetTraces traces grouped by hour.

    Equal arguments describe the same invocations as ``generate_deliveries``: the trace IDs,
    request IDs and durations match the REPORT lines.
    """
    settings = _validate(start, hours, invocations, seed, account, region)
    traced: list[TracedInvocation] = []
    for _ in _deliveries(settings, traced):
        pass
    return trace_windows(traced, seed=settings.seed)


def _encoded_payloads(settings: _Settings) -> Iterator[tuple[int, str]]:
    encoder = SubscriptionEncoder(account=settings.account, rng=_encoder_rng(settings.seed))
    for delivery in _deliveries(settings):
        yield delivery.send_ms, encoder.awslogs_data(encoder.log_data(delivery))


def _encoder_rng(seed: int) -> Random:
    return Random(f"{seed}/event-ids")


def _deliveries(
    settings: _Settings, traced: list[TracedInvocation] | None = None
) -> Iterator[Delivery]:
    """Run the sample account's traffic and yield its deliveries in send order.

    ``traced`` receives each sampled invocation of a traced function.
    """
    rng = Random(settings.seed)
    clock = Clock()
    ids = IdSource(rng)
    deployments = [_deploy(function.profile, settings) for function in SAMPLE_ACCOUNT]
    writers = [function.writer for function in SAMPLE_ACCOUNT]
    pools = [
        EnvironmentPool(rng=rng, clock=clock, ids=ids, version=deployment.profile.version)
        for deployment in deployments
    ]
    plan = TrafficPlan(
        profiles=[deployment.profile for deployment in deployments],
        writers=writers,
        start_ms=settings.start_ms,
        hours=settings.hours,
        invocations=settings.invocations,
        rng=rng,
    )
    runner = InvocationRunner(rng=rng, clock=clock, ids=ids, traced=traced)
    batcher = DeliveryBatcher(Random(f"{settings.seed}/deliveries"))

    for hour in range(settings.hours):
        for arrival_ms, index, scenario in plan.arrivals(hour):
            yield from batcher.release(arrival_ms)
            deployment = deployments[index]
            environment = pools[index].acquire(arrival_ms)
            load = plan.load(index, hour)
            events = runner.run(deployment, writers[index], environment, arrival_ms, scenario, load)
            batcher.add(deployment.profile.log_group, environment.log_stream, events)
    yield from batcher.release_all()


def _deploy(profile: FunctionProfile, settings: _Settings) -> Deployment:
    partition = settings.partition
    return Deployment(
        profile=profile,
        account=settings.account,
        region=settings.region,
        function_arn=(
            f"arn:{partition}:lambda:{settings.region}:{settings.account}:function:{profile.name}"
        ),
        runtime_version_arn=runtime_version_arn(
            partition, settings.region, profile.runtime_version
        ),
    )


def _validate(
    start: datetime, hours: int, invocations: int, seed: int, account: str, region: str
) -> _Settings:
    if not isinstance(start, datetime):
        raise TypeError(f"start must be a datetime, got {start!r}")
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError(
            f"start={start.isoformat()} has no time zone. Pass an aware datetime such as "
            "datetime(2026, 12, 1, tzinfo=datetime.UTC)"
        )
    start_ms = (start - _EPOCH) // timedelta(milliseconds=1)
    if start_ms < 0:
        raise ValueError(f"start={start.isoformat()} is before 1970. Pass a later start")

    _require_int("hours", hours, 1, None)
    _require_int("invocations", invocations, 0, None)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {seed!r}")
    if not isinstance(account, str) or not _ACCOUNT_PATTERN.fullmatch(account):
        raise ValueError(f"account={account!r} is not a 12-digit AWS account ID")
    if not isinstance(region, str) or not _REGION_PATTERN.fullmatch(region):
        raise ValueError(f"region={region!r} is not an AWS Region name such as 'us-east-1'")

    partition = next((name for prefix, name in _PARTITIONS if region.startswith(prefix)), "aws")
    return _Settings(start_ms, hours, invocations, seed, account, region, partition)


def _require_int(name: str, value: int, minimum: int, maximum: int | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f" and at most {maximum}"
        raise ValueError(f"{name}={value} is out of range. Pass at least {minimum}{upper}")
