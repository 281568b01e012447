"""orders-api: a Python 3.12 API that logs through Powertools for AWS Lambda (Python).

Powertools writes compact JSON lines straight to stdout, so the TEXT log format adds no
runtime prefix. Unhandled exceptions still go through the runtime's own error record.
"""

from __future__ import annotations

import orjson

from loglake.demo.apps.base import AppWriter, InitContext, InvokeContext
from loglake.demo.apps.python_runtime import (
    Frame,
    format_exception,
    unhandled_error,
    warning_line,
)

_SERVICE = "orders"

_DECORATOR_FRAME = Frame(
    "/opt/python/aws_lambda_powertools/logging/logger.py",
    449,
    "decorate",
    "return lambda_handler(event, context, *args, **kwargs)",
)

_KEY_ERROR_FRAMES = (
    _DECORATOR_FRAME,
    Frame(
        "/var/task/app.py", 41, "lambda_handler", 'order = parse_order(json.loads(event["body"]))'
    ),
    Frame("/var/task/orders/parsing.py", 18, "parse_order", 'customer_id = payload["customer_id"]'),
)

_BOTO_FRAMES = (
    Frame(
        "/var/lang/lib/python3.12/site-packages/boto3/resources/factory.py",
        581,
        "do_action",
        "response = action(self, *args, **kwargs)",
        "action(self, *args, **kwargs)",
    ),
    Frame(
        "/var/lang/lib/python3.12/site-packages/boto3/resources/action.py",
        88,
        "__call__",
        "response = getattr(parent.meta.client, operation_name)(*args, **params)",
        "getattr(parent.meta.client, operation_name)(*args, **params)",
    ),
    Frame(
        "/var/lang/lib/python3.12/site-packages/botocore/client.py",
        569,
        "_api_call",
        "return self._make_api_call(operation_name, kwargs)",
        "self._make_api_call(operation_name, kwargs)",
    ),
    Frame(
        "/var/lang/lib/python3.12/site-packages/botocore/client.py",
        1023,
        "_make_api_call",
        "raise error_class(parsed_response, operation_name)",
        "raise error_class(parsed_response, operation_name)",
    ),
)

_THROUGHPUT_FRAMES = (
    _DECORATOR_FRAME,
    Frame("/var/task/app.py", 44, "lambda_handler", "store_order(order)"),
    Frame("/var/task/orders/store.py", 27, "store_order", "table.put_item(Item=order.to_item())"),
    *_BOTO_FRAMES,
)

_THROUGHPUT_MESSAGE = (
    "An error occurred (ProvisionedThroughputExceededException) when calling the PutItem "
    "operation (reached max retries: 9): The level of configured provisioned throughput for "
    "the table was exceeded. Consider increasing your provisioning level with the "
    "UpdateTable API."
)

_CONDITIONAL_CHECK_TRACEBACK = format_exception(
    (
        Frame(
            "/var/task/orders/store.py",
            31,
            "store_order",
            'table.put_item(Item=item, ConditionExpression="attribute_not_exists(order_id)")',
        ),
        *_BOTO_FRAMES,
    ),
    "botocore.exceptions.ClientError: An error occurred (ConditionalCheckFailedException) "
    "when calling the PutItem operation: The conditional request failed",
)


# How much longer than usual a scenario's invocation runs: a KeyError fails early, and a
# throttled PutItem spends its time in botocore's retries.
_DURATION_SCALE = {"key_error": 0.3, "throughput_exceeded": 9.0}


class PowertoolsApi(AppWriter):
    """Order API handler decorated with ``@logger.inject_lambda_context``."""

    daily_scenarios = ("key_error", "throughput_exceeded")
    scenario_rates = (
        ("key_error", 0.002),
        ("throughput_exceeded", 0.002),
        ("conditional_check", 0.006),
        ("low_stock", 0.03),
    )

    def write_init(self, ctx: InitContext) -> None:
        """Append the module-level log line, written before any Lambda context exists."""
        at_ms = ctx.at(0.8)
        line = (
            '{"level":"INFO","location":"<module>:24","message":"Configuration loaded",'
            f'"timestamp":"{ctx.clock.powertools(at_ms)}","service":"{_SERVICE}",'
            '"table":"orders-prod"}\n'
        )
        ctx.events.append((at_ms, line))

    def write_invoke(self, ctx: InvokeContext) -> None:
        """Append the request, inventory and storage lines, or the scenario's error."""
        scenario = ctx.scenario
        ctx.run_for(_DURATION_SCALE.get(scenario, 1.0) if scenario else 1.0)
        fields = (
            f'"http_method":"POST","path":"/orders","source_ip":"198.51.100.{ctx.draw(1, 255)}",'
        )
        self._log(ctx, 0.02, "INFO", "lambda_handler:37", "Received order request", fields)

        if scenario == "key_error":
            self._unhandled(ctx, "KeyError", "'customer_id'", _KEY_ERROR_FRAMES)
            return
        if scenario == "throughput_exceeded":
            self._unhandled(ctx, "ClientError", _THROUGHPUT_MESSAGE, _THROUGHPUT_FRAMES)
            return

        if scenario == "low_stock":
            fields = f'"sku":"SKU-{ctx.draw(1000, 9999)}","remaining":{ctx.draw(1, 9)},'
            message = "Inventory below reorder level"
            self._log(ctx, 0.55, "WARNING", "check_inventory:58", message, fields)

        order_id = f"o-{ctx.rng.getrandbits(32):08x}"
        if scenario == "conditional_check":
            exception = orjson.dumps(_CONDITIONAL_CHECK_TRACEBACK).decode()
            fields = (
                f'"order_id":"{order_id}","exception":{exception},"exception_name":"ClientError",'
            )
            self._log(ctx, 0.9, "ERROR", "store_order:35", "Failed to store order", fields)
            return

        items = ctx.draw(1, 8)
        total_cents = items * ctx.draw(499, 8999)
        fields = f'"order_id":"{order_id}","items":{items},"total_cents":{total_cents},'
        self._log(ctx, 0.93, "INFO", "create_order:84", "Order stored", fields)

    def _log(
        self,
        ctx: InvokeContext,
        fraction: float,
        level: str,
        location: str,
        message: str,
        extra_fields: str,
    ) -> None:
        # Powertools key order: level, location, message, timestamp, service, the Lambda
        # context keys, extra keys, exception keys, and xray_trace_id last.
        at_ms = ctx.at(fraction)
        deployment = ctx.deployment
        profile = deployment.profile
        cold = "true" if ctx.cold else "false"
        body = (
            f'{{"level":"{level}","location":"{location}","message":"{message}",'
            f'"timestamp":"{ctx.clock.powertools(at_ms)}","service":"{_SERVICE}",'
            f'"cold_start":{cold},"function_name":"{profile.name}",'
            f'"function_memory_size":"{profile.memory_size_mb}",'
            f'"function_arn":"{deployment.function_arn}",'
            f'"function_request_id":"{ctx.request_id}",{extra_fields}'
        )
        if ctx.xray is not None:
            line = f'{body}"xray_trace_id":"{ctx.xray.trace_id}"}}\n'
        else:
            line = f"{body[:-1]}}}\n"
        ctx.events.append((at_ms, line))

    def _unhandled(
        self, ctx: InvokeContext, error_type: str, message: str, frames: tuple[Frame, ...]
    ) -> None:
        at_ms = ctx.at(0.99)
        ctx.events.append((at_ms, warning_line(ctx.clock.iso_ms(at_ms))))
        ctx.events.append((at_ms, unhandled_error(error_type, message, frames)))
        ctx.status = "error"
