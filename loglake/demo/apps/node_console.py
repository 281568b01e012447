"""checkout-web: a Node.js 22 function that logs with ``console`` in the TEXT format.

The Node.js runtime patches ``console`` to write ``<ISO time>\\t<request ID>\\t<LEVEL>\\t
<message>\\n``, with the request ID ``undefined`` before the first invoke. On this path a
``\\n`` inside the message becomes ``\\r``, so a multi-line dump stays one event.
"""

from __future__ import annotations

import base64

import orjson

from loglake.demo.apps.base import AppWriter, InitContext, InvokeContext

_EVENT_DUMP_RATE = 0.15

_INVOKE_ERROR_STACK = [
    "Error: Payment provider returned 502 after 3 attempts",
    "    at chargeCard (file:///var/task/index.mjs:88:11)",
    "    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)",
    "    at async Runtime.handler (file:///var/task/index.mjs:31:5)",
]


def _console_line(iso_timestamp: str, request_id: str, level: str, message: str) -> str:
    text = message.replace("\n", "\r")
    return f"{iso_timestamp}\t{request_id}\t{level}\t{text}\n"


class NodeCheckout(AppWriter):
    """Checkout handler behind an API Gateway HTTP API."""

    daily_scenarios = ("invoke_error",)
    scenario_rates = (("invoke_error", 0.004), ("provider_retry", 0.03))

    def write_init(self, ctx: InitContext) -> None:
        """Append the configuration line that module loading writes with ``undefined``."""
        at_ms = ctx.at(0.7)
        message = "Loaded configuration for stage prod (12 parameters)"
        ctx.events.append(
            (at_ms, _console_line(ctx.clock.iso_ms(at_ms), "undefined", "INFO", message))
        )

    def write_invoke(self, ctx: InvokeContext) -> None:
        """Append the checkout lines, retries and the ``Invoke Error`` of a failed payment."""
        scenario = ctx.scenario
        ctx.run_for(3.0 if scenario == "invoke_error" else 1.0)
        cart = f"c-{ctx.draw(1000, 99999)}"
        items = ctx.draw(1, 6)

        if ctx.rng.random() < _EVENT_DUMP_RATE:
            self._log(ctx, 0.01, "INFO", "EVENT\n" + self._event_json(ctx, cart, items))
        self._log(ctx, 0.05, "INFO", f"Checkout started for cart {cart} with {items} items")

        if scenario in ("provider_retry", "invoke_error"):
            self._log(ctx, 0.35, "WARN", "Payment provider returned 502, retrying (attempt 1 of 3)")
        if scenario == "invoke_error":
            self._log(ctx, 0.65, "WARN", "Payment provider returned 502, retrying (attempt 2 of 3)")
            error = {
                "errorType": "Error",
                "errorMessage": "Payment provider returned 502 after 3 attempts",
                "stack": _INVOKE_ERROR_STACK,
            }
            self._log(ctx, 0.98, "ERROR", "Invoke Error \t" + orjson.dumps(error).decode())
            ctx.status = "error"
            return

        latency = int(ctx.duration_ms * 0.6)
        self._log(ctx, 0.9, "INFO", f"Payment authorized for cart {cart} in {latency} ms")

    def _log(self, ctx: InvokeContext, fraction: float, level: str, message: str) -> None:
        at_ms = ctx.at(fraction)
        ctx.events.append(
            (at_ms, _console_line(ctx.clock.iso_ms(at_ms), ctx.request_id, level, message))
        )

    def _event_json(self, ctx: InvokeContext, cart: str, items: int) -> str:
        # The output of console.log("EVENT\n" + JSON.stringify(event, null, 2)) for an HTTP
        # API event. orjson's two-space indentation writes the same layout.
        api_request_id = base64.b64encode(ctx.rng.getrandbits(88).to_bytes(11, "big")).decode()
        event = {
            "version": "2.0",
            "routeKey": "POST /checkout",
            "rawPath": "/checkout",
            "headers": {
                "content-type": "application/json",
                "x-forwarded-for": f"198.51.100.{ctx.draw(1, 255)}",
            },
            "requestContext": {
                "http": {"method": "POST", "path": "/checkout"},
                "requestId": api_request_id,
                "timeEpoch": ctx.start_ms,
            },
            "body": orjson.dumps({"cartId": cart, "items": items}).decode(),
            "isBase64Encoded": False,
        }
        return orjson.dumps(event, option=orjson.OPT_INDENT_2).decode()
