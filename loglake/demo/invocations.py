"""One invocation as its log stream shows it: init, START, application lines, END, REPORT."""

from __future__ import annotations

import math
from dataclasses import dataclass
from random import Random

from loglake.demo import platform
from loglake.demo.apps.base import AppWriter, InitContext, InvokeContext, LogLines
from loglake.demo.clock import Clock
from loglake.demo.environments import Environment
from loglake.demo.ids import IdSource
from loglake.demo.platform import ReportMetrics, XrayHeader
from loglake.demo.profile import Deployment, FunctionProfile
from loglake.demo.xray import TracedInvocation

# From 2025-08-01T00:00Z Lambda bills the init phase of on-demand ZIP functions on managed
# runtimes, so Billed Duration includes Init Duration. Custom runtimes were billed for it
# before that date.
INIT_BILLING_START_MS = 1_754_006_400_000

# Lambda stops an on-demand init phase after 10 seconds.
_INIT_LIMIT_MS = 9_999.99

# X-Ray's default sampling rule: the first request in each second, then 5 % of the rest.
_XRAY_SAMPLE_RATE = 0.05

# NOTE: Billed Restore Duration is a fraction of Restore Duration in captured REPORT lines
# (167 ms of 371.84 ms). The range of the fraction drawn here is an estimate.
_BILLED_RESTORE_FRACTION = (0.35, 0.6)


@dataclass(slots=True)
class _StartPhase:
    """The phase before an invocation: none when warm, else an init or SnapStart restore."""

    invoke_ms: int
    """Epoch ms at which the invocation itself starts."""
    init_ms: float | None = None
    restore_ms: float | None = None
    billed_restore_ms: int | None = None


class InvocationRunner:
    """Writer of the platform lines of invocations around their application lines."""

    def __init__(
        self,
        *,
        rng: Random,
        clock: Clock,
        ids: IdSource,
        traced: list[TracedInvocation] | None = None,
    ) -> None:
        self._rng = rng
        self._clock = clock
        self._ids = ids
        self._last_sampled_second: dict[str, int] = {}
        self._traced = traced

    def run(
        self,
        deployment: Deployment,
        writer: AppWriter,
        environment: Environment,
        arrival_ms: int,
        scenario: str | None,
        load: float,
    ) -> LogLines:
        """Return the log events of one invocation in time order and update ``environment``."""
        profile = deployment.profile
        events: LogLines = []
        if environment.invocations > 0:
            phase = _StartPhase(invoke_ms=arrival_ms)
        elif profile.snap_start:
            phase = self._restore(deployment, writer, arrival_ms, events)
        else:
            phase = self._init(deployment, writer, environment, arrival_ms, events)

        ctx = InvokeContext(
            rng=self._rng,
            clock=self._clock,
            deployment=deployment,
            request_id=self._ids.request_id(),
            start_ms=phase.invoke_ms,
            cold=environment.invocations == 0,
            scenario=scenario,
            load=load,
            xray=self._xray(profile.name, phase.invoke_ms) if profile.traced else None,
            events=events,
        )
        self._write_start(ctx)
        writer.write_invoke(ctx)

        metrics = _report_metrics(ctx, environment, phase)
        end_ms = ctx.start_ms + math.ceil(ctx.duration_ms)
        self._write_end(ctx, end_ms, metrics)
        if self._traced is not None and ctx.xray is not None and ctx.xray.sampled:
            self._traced.append(_traced_invocation(ctx, arrival_ms, metrics))

        environment.invocations += 1
        environment.free_at_ms = end_ms + 1
        # A timeout or an out-of-memory kill ends the runtime process.
        # NOTE: modelled as the end of the environment, so the next invocation cold-starts
        # in a new log stream. Lambda may instead re-initialise in the same stream.
        if ctx.status == "timeout" or ctx.error_type is not None:
            environment.terminated = True
        return events

    def _init(
        self,
        deployment: Deployment,
        writer: AppWriter,
        environment: Environment,
        arrival_ms: int,
        events: LogLines,
    ) -> _StartPhase:
        profile = deployment.profile
        init_ms = self._draw_phase_ms(profile)
        if profile.log_format == "JSON":
            record = {
                "initializationType": "on-demand",
                "phase": "init",
                "runtimeVersion": profile.runtime_version,
                "runtimeVersionArn": deployment.runtime_version_arn,
                "functionName": profile.name,
                "functionVersion": profile.version,
                "instanceId": environment.log_stream,
                "instanceMaxMemory": profile.memory_size_mb * 1024 * 1024,
            }
            timestamp = self._clock.iso_ms(arrival_ms)
            line = platform.platform_record(timestamp, "platform.initStart", record)
        else:
            line = platform.init_start_line(profile.runtime_version, deployment.runtime_version_arn)
        events.append((arrival_ms, line))

        extension = profile.extension
        if extension is not None:
            events.append((arrival_ms + int(init_ms * 0.05), platform.telemetry_line(extension)))
        writer.write_init(
            InitContext(self._rng, self._clock, deployment, arrival_ms, init_ms, events)
        )
        if extension is not None:
            events.append((arrival_ms + int(init_ms), platform.extension_line(extension)))
        return _StartPhase(invoke_ms=arrival_ms + math.ceil(init_ms), init_ms=init_ms)

    def _restore(
        self, deployment: Deployment, writer: AppWriter, arrival_ms: int, events: LogLines
    ) -> _StartPhase:
        profile = deployment.profile
        restore_ms = self._draw_phase_ms(profile)
        line = platform.restore_start_line(profile.runtime_version, deployment.runtime_version_arn)
        events.append((arrival_ms, line))

        init = InitContext(self._rng, self._clock, deployment, arrival_ms, restore_ms, events)
        writer.write_init(init)

        restored_ms = arrival_ms + math.ceil(restore_ms)
        events.append((restored_ms, platform.restore_report_line(restore_ms)))
        billed_fraction = self._rng.uniform(*_BILLED_RESTORE_FRACTION)
        return _StartPhase(
            invoke_ms=restored_ms + 1,
            restore_ms=restore_ms,
            billed_restore_ms=math.ceil(restore_ms * billed_fraction),
        )

    def _draw_phase_ms(self, profile: FunctionProfile) -> float:
        drawn = profile.init_ms * math.exp(profile.init_sigma * self._rng.gauss(0.0, 1.0))
        return min(drawn, _INIT_LIMIT_MS)

    def _xray(self, function_name: str, start_ms: int) -> XrayHeader:
        second = start_ms // 1000
        if self._last_sampled_second.get(function_name) != second:
            self._last_sampled_second[function_name] = second
            sampled = True
        else:
            sampled = self._rng.random() < _XRAY_SAMPLE_RATE
        return XrayHeader(self._ids.trace_id(second), self._ids.segment_id(), sampled)

    def _write_start(self, ctx: InvokeContext) -> None:
        deployment = ctx.deployment
        profile = deployment.profile
        if profile.log_format == "JSON":
            record = {
                "requestId": ctx.request_id,
                "functionArn": deployment.function_arn,
                "version": profile.version,
            }
            timestamp = ctx.clock.iso_ms(ctx.start_ms)
            line = platform.platform_record(timestamp, "platform.start", record)
        else:
            line = platform.start_line(ctx.request_id, profile.version)
        ctx.events.append((ctx.start_ms, line))

    def _write_end(self, ctx: InvokeContext, end_ms: int, metrics: ReportMetrics) -> None:
        events = ctx.events
        if ctx.deployment.profile.log_format == "JSON":
            # NOTE: no captured platform.report of a function error is known. Such a record
            # gets "status": "error" and no errorType here.
            record = platform.json_report_record(ctx.request_id, metrics)
            line = platform.platform_record(ctx.clock.iso_ms(end_ms), "platform.report", record)
            events.append((end_ms, line))
            return

        events.append((end_ms, platform.end_line(ctx.request_id)))
        events.append((end_ms, platform.report_line(ctx.request_id, metrics, ctx.xray)))
        if ctx.timeout_line:
            seconds = ctx.duration_ms / 1000
            line = platform.task_timed_out_line(ctx.clock.iso_ms(end_ms), ctx.request_id, seconds)
            events.append((end_ms, line))


def _report_metrics(
    ctx: InvokeContext, environment: Environment, phase: _StartPhase
) -> ReportMetrics:
    """Round the invocation's figures as REPORT prints them and compute the billing."""
    profile = ctx.deployment.profile
    # REPORT prints two decimals and the JSON format three. Rounding first keeps Billed
    # Duration equal to the printed figures rounded up.
    digits = 3 if profile.log_format == "JSON" else 2
    ctx.duration_ms = round(ctx.duration_ms, digits)
    init_ms = None if phase.init_ms is None else round(phase.init_ms, digits)

    # A timed-out invocation is billed at the timeout even when Duration runs past it.
    billed = min(ctx.duration_ms, float(profile.timeout_ms))
    if init_ms is not None and (
        profile.runtime.startswith("provided") or ctx.start_ms >= INIT_BILLING_START_MS
    ):
        billed += init_ms

    environment.max_memory_used_mb = max(environment.max_memory_used_mb, ctx.memory_used_mb)
    return ReportMetrics(
        duration_ms=ctx.duration_ms,
        billed_duration_ms=math.ceil(billed) + (phase.billed_restore_ms or 0),
        memory_size_mb=profile.memory_size_mb,
        max_memory_used_mb=environment.max_memory_used_mb,
        init_duration_ms=init_ms,
        restore_duration_ms=phase.restore_ms,
        billed_restore_duration_ms=phase.billed_restore_ms,
        status=ctx.status,
        error_type=ctx.error_type,
    )


def _traced_invocation(
    ctx: InvokeContext, arrival_ms: int, metrics: ReportMetrics
) -> TracedInvocation:
    """Record what the invocation's trace is built from; it draws no random numbers."""
    assert ctx.xray is not None
    return TracedInvocation(
        deployment=ctx.deployment,
        request_id=ctx.request_id,
        trace_id=ctx.xray.trace_id,
        segment_id=ctx.xray.segment_id,
        arrival_ms=arrival_ms,
        start_ms=ctx.start_ms,
        duration_ms=metrics.duration_ms,
        init_ms=metrics.init_duration_ms,
        restore_ms=metrics.restore_duration_ms,
        status=ctx.status,
        error_type=ctx.error_type,
        scenario=ctx.scenario,
    )
