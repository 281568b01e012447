"""Configuration and behaviour figures of one sample Lambda function."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FunctionProfile:
    """A sample function's Lambda configuration and the statistics of its traffic.

    Durations are in milliseconds. A median and a lognormal sigma describe each
    distribution.
    """

    name: str
    runtime: str
    """Lambda runtime identifier, such as ``python3.12`` or ``provided.al2023``."""
    runtime_version: str
    """The runtime version that INIT_START names, such as ``python:3.12.v16``."""
    log_format: str
    """``Text`` or ``JSON``, as in the function's ``LoggingConfig.LogFormat``."""
    memory_size_mb: int
    timeout_s: int
    version: str
    """``$LATEST`` or the published version number that an alias invokes."""
    traced: bool
    """Active X-Ray tracing, which adds an XRAY line to every REPORT."""
    snap_start: bool
    extension: str | None
    """Name of a Lambda extension that subscribes to the Telemetry API, if any."""
    traffic_share: float
    """This function's fraction of the account's invocations."""
    peak_hour_utc: float
    night_floor: float
    """Traffic at the quietest hour as a fraction of the peak hour's traffic."""
    burst_mean: float
    """Mean number of invocations that arrive together (API fan-out, SQS batches)."""
    init_ms: float
    init_sigma: float
    duration_ms: float
    duration_sigma: float
    cold_duration_factor: float
    """How much longer the first invocation of an environment runs than a warm one."""
    memory_used_mb: tuple[int, int]
    """Range of the memory a normal invocation uses, in MB."""

    @property
    def timeout_ms(self) -> int:
        """Return the configured timeout in milliseconds."""
        return self.timeout_s * 1000

    @property
    def log_group(self) -> str:
        """Return the default log group ``/aws/lambda/<name>``."""
        return f"/aws/lambda/{self.name}"


@dataclass(frozen=True, slots=True)
class Deployment:
    """A sample function as deployed in one account and Region."""

    profile: FunctionProfile
    account: str
    region: str
    function_arn: str
    runtime_version_arn: str
