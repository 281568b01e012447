"""invoice-renderer: a Python 3.13 function in Lambda's JSON log format.

The runtime writes each ``logging`` record as a JSON object with Python's default
separators (``", "`` and ``": "``), a second-precision ``timestamp`` and ``requestId``.
``print()`` output bypasses the logger and stays plain text. An unhandled exception is
the LAMBDA_WARNING text, a ``\\r`` and a JSON object whose level key is ``log_level``.
"""

from __future__ import annotations

import json

from loglake.demo.apps.base import AppWriter, InitContext, InvokeContext
from loglake.demo.apps.python_runtime import LAMBDA_WARNING, Frame, stack_trace

_LOGGER = "invoices.render"

_UNHANDLED_FRAMES = (
    Frame("/var/task/app.py", 33, "handler", 'customer = load_customer(event["detail"])'),
    Frame(
        "/var/task/invoices/customers.py", 52, "load_customer", "return json.loads(raw.decode())"
    ),
)

_RENDER_FAILED_FRAMES = (
    Frame("/var/task/invoices/render.py", 118, "render_pdf", "raise RenderError(page.errors[0])"),
)


class InvoiceRenderer(AppWriter):
    """Invoice renderer triggered by EventBridge events."""

    daily_scenarios = ("unhandled",)
    scenario_rates = (("unhandled", 0.003), ("render_failed", 0.005), ("fallback", 0.04))

    def write_init(self, ctx: InitContext) -> None:
        """Append the ``print()`` line that template loading writes during init."""
        ctx.events.append((ctx.at(0.6), "Loaded 14 invoice templates from /var/task/templates\n"))

    def write_invoke(self, ctx: InvokeContext) -> None:
        """Append the rendering records, a ``print()`` line, or the scenario's error."""
        scenario = ctx.scenario
        ctx.run_for(0.4 if scenario == "unhandled" else 1.0)
        invoice_id = f"inv-2026-{ctx.draw(100000, 999999)}"
        fields = f', "invoice_id": "{invoice_id}", "customer_id": "c-{ctx.draw(1000, 9999)}"'
        self._record(ctx, 0.03, "INFO", "Rendering invoice", fields)

        if scenario == "unhandled":
            self._unhandled(ctx)
            return
        if scenario == "fallback":
            fields = f', "invoice_id": "{invoice_id}", "template": "default-eu"'
            self._record(ctx, 0.2, "WARNING", "Template fallback used", fields)
        if scenario == "render_failed":
            self._render_failed(ctx, invoice_id)
            return

        printed = f"rendered {ctx.draw(1, 6)} pages in {int(ctx.duration_ms * 0.6)} ms\n"
        ctx.events.append((ctx.at(0.7), printed))
        fields = (
            f', "bucket": "invoices-prod", "key": "2026/{invoice_id}.pdf", '
            f'"bytes": {ctx.draw(20_000, 400_000)}'
        )
        self._record(ctx, 0.95, "INFO", "Invoice stored", fields)

    def _record(
        self, ctx: InvokeContext, fraction: float, level: str, message: str, extra_fields: str
    ) -> None:
        # The layout of json.dumps, with the extra= keys after requestId. ``extra_fields``
        # contains them as JSON members, each preceded by ", ".
        at_ms = ctx.at(fraction)
        line = (
            f'{{"timestamp": "{ctx.clock.iso_seconds(at_ms)}", "level": "{level}", '
            f'"message": "{message}", "logger": "{_LOGGER}", "requestId": "{ctx.request_id}"'
            f"{extra_fields}}}\n"
        )
        ctx.events.append((at_ms, line))

    def _render_failed(self, ctx: InvokeContext, invoice_id: str) -> None:
        # logger.exception() in JSON mode: the exception keys come before requestId.
        at_ms = ctx.at(0.9)
        record = {
            "timestamp": ctx.clock.iso_seconds(at_ms),
            "level": "ERROR",
            "message": "Invoice rendering failed",
            "logger": _LOGGER,
            "stackTrace": stack_trace(_RENDER_FAILED_FRAMES),
            "errorType": "RenderError",
            "errorMessage": "font 'Inter-SemiBold' is not embedded",
            "requestId": ctx.request_id,
            "location": "/var/task/invoices/render.py:render_pdf:121",
            "invoice_id": invoice_id,
        }
        ctx.events.append((at_ms, json.dumps(record) + "\n"))

    def _unhandled(self, ctx: InvokeContext) -> None:
        at_ms = ctx.at(0.99)
        record = {
            "timestamp": ctx.clock.iso_seconds(at_ms),
            "log_level": "ERROR",
            "errorMessage": "'utf-8' codec can't decode byte 0xe9 in position 118: "
            "invalid continuation byte",
            "errorType": "UnicodeDecodeError",
            "requestId": ctx.request_id,
            "stackTrace": stack_trace(_UNHANDLED_FRAMES),
        }
        ctx.events.append((at_ms, f"{LAMBDA_WARNING}\r{json.dumps(record)}\n"))
        ctx.status = "error"
