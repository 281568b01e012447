"""thumbnail-generator: a Go function on ``provided.al2023`` that logs with uber-go/zap.

zap's production encoder writes compact JSON with a lower-case ``level``, ``ts`` in epoch
seconds as a float, ``caller``, ``msg`` and, at error level, ``stacktrace``. A custom
runtime's JSON log format would change only the platform lines, so the function keeps TEXT.

Every line about an object carries the ``eventId`` of the EventBridge "Object Created"
event that delivered it, as a handler's ``logger.With(zap.String("eventId", ...))`` adds it.
"""

from __future__ import annotations

import hashlib
import uuid
import weakref
from random import Random

import orjson

from loglake.demo.apps.base import AppWriter, InitContext, InvokeContext
from loglake.demo.clock import epoch_seconds

_DECODE_STACKTRACE = (
    "main.(*Handler).processRecord\n"
    "\t/build/thumbnail/handler.go:61\n"
    "main.(*Handler).Handle\n"
    "\t/build/thumbnail/handler.go:40\n"
    "github.com/aws/aws-lambda-go/lambda.(*handlerOptions).Invoke.func1\n"
    "\t/go/pkg/mod/github.com/aws/aws-lambda-go@v1.47.0/lambda/handler.go:284"
)

# Pixel count above which the handler warns about an image.
_LARGE_IMAGE_PIXELS = 40_000_000

PLANTED_EVENT_ID = "abc123"
"""The ``eventId`` of the first object the function processes in each run.

Every sample lake thus has exactly one object to look up by a known event ID.
"""


class ZapThumbnails(AppWriter):
    """Thumbnail generator triggered by S3 object-created notifications."""

    daily_scenarios = ("out_of_memory",)
    scenario_rates = (("out_of_memory", 0.0015), ("decode_failed", 0.01), ("large_image", 0.05))

    def __init__(self) -> None:
        # One writer serves every run, and each run has its own random generator, so the
        # generators identify the runs that have already processed an object.
        self._runs_started: weakref.WeakSet[Random] = weakref.WeakSet()

    def write_init(self, ctx: InitContext) -> None:
        """Append the start-up line of ``main``."""
        at_ms = ctx.at(0.9)
        ts = epoch_seconds(at_ms, ctx.draw(0, 1000))
        fields = '"go_version":"go1.23.4","build":"4f2c9a1"'
        ctx.events.append(
            (at_ms, _zap_line("info", ts, "thumbnail/main.go:27", "starting", fields))
        )

    def write_invoke(self, ctx: InvokeContext) -> None:
        """Append the object, warning and result lines, or end in an out-of-memory kill."""
        scenario = ctx.scenario
        ctx.run_for(8.0 if scenario == "out_of_memory" else 1.0)
        key = f"uploads/u/{ctx.draw(1, 20000)}/IMG_{ctx.draw(1000, 9999)}.jpg"
        large = scenario in ("out_of_memory", "large_image")
        size = ctx.draw(60_000_000, 240_000_000) if large else ctx.draw(200_000, 9_000_000)
        event = f'"eventId":"{self._event_id(ctx)}"'
        fields = f'{event},"bucket":"uploads-prod","key":"{key}","size_bytes":{size}'
        self._log(ctx, 0.02, "info", "thumbnail/handler.go:52", "processing object", fields)

        if large:
            pixels = ctx.draw(_LARGE_IMAGE_PIXELS, 4 * _LARGE_IMAGE_PIXELS)
            message = "image exceeds recommended size"
            fields = f'{event},"key":"{key}","pixels":{pixels}'
            self._log(ctx, 0.1, "warn", "thumbnail/decode.go:33", message, fields)
        if scenario == "out_of_memory":
            # Lambda kills the runtime, so no further line follows and only REPORT states
            # the error.
            ctx.memory_used_mb = ctx.deployment.profile.memory_size_mb
            ctx.status = "error"
            ctx.error_type = "Runtime.OutOfMemory"
            return
        if scenario == "decode_failed":
            stacktrace = orjson.dumps(_DECODE_STACKTRACE).decode()
            fields = (
                f'{event},"key":"{key}","error":"image: unknown format","stacktrace":{stacktrace}'
            )
            self._log(ctx, 0.6, "error", "thumbnail/handler.go:61", "decode failed", fields)
            return

        height = ctx.rng.choice((180, 213, 240, 320, 427))
        fields = (
            f'{event},"key":"thumbs/{key}","width":320,"height":{height},'
            f'"duration_ms":{int(ctx.duration_ms)}'
        )
        self._log(ctx, 0.97, "info", "thumbnail/handler.go:88", "thumbnail written", fields)

    def _event_id(self, ctx: InvokeContext) -> str:
        """Return the event ID of the invocation's object: a UUID, or the planted one."""
        if ctx.rng not in self._runs_started:
            self._runs_started.add(ctx.rng)
            return PLANTED_EVENT_ID
        # Derived from the request ID rather than drawn, because one more draw from the
        # seeded generator would change every later line of every sample function.
        digest = hashlib.blake2b(ctx.request_id.encode(), digest_size=16).digest()
        return str(uuid.UUID(bytes=digest, version=4))

    def _log(
        self,
        ctx: InvokeContext,
        fraction: float,
        level: str,
        caller: str,
        message: str,
        fields: str,
    ) -> None:
        at_ms = ctx.at(fraction)
        ts = epoch_seconds(at_ms, ctx.draw(0, 1000))
        ctx.events.append((at_ms, _zap_line(level, ts, caller, message, fields)))


def _zap_line(level: str, ts: str, caller: str, message: str, fields: str) -> str:
    """Format a zap line whose ``fields`` are the call's own keys as JSON members."""
    return f'{{"level":"{level}","ts":{ts},"caller":"{caller}","msg":"{message}",{fields}}}\n'
