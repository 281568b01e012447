"""payments-java: a Java 21 SnapStart function that logs through log4j2.

The ``aws-lambda-java-log4j2`` appender is configured with the layout
``%d{yyyy-MM-dd HH:mm:ss} %X{AWSRequestId} %-5p %c{1} - %m%n``, so a line outside an
invocation (a SnapStart restore hook) has an empty request ID and two spaces. log4j2 appends
a logged exception's stack trace after the line, in the same event, with TAB-indented frames.
"""

from __future__ import annotations

from loglake.demo.apps.base import AppWriter, InitContext, InvokeContext

_TIMEOUT_STACK = (
    "java.net.http.HttpTimeoutException: request timed out\n"
    "\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:950)\n"
    "\tat java.net.http/jdk.internal.net.http.HttpClientFacade.send(HttpClientFacade.java:133)\n"
    "\tat com.example.payments.ProviderClient.authorize(ProviderClient.java:74)\n"
    "\tat com.example.payments.PaymentHandler.handleRequest(PaymentHandler.java:52)\n"
    "\tat com.example.payments.PaymentHandler.handleRequest(PaymentHandler.java:21)\n"
    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke"
    "(DirectMethodHandleAccessor.java:103)\n"
    "\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)\n"
)

# The payment provider client's request timeout.
_PROVIDER_TIMEOUT_MS = 3_000.0

_UNHANDLED_STACK = (
    "java.lang.IllegalStateException: Idempotency key reused with a different amount\n"
    "\tat com.example.payments.IdempotencyStore.check(IdempotencyStore.java:47)\n"
    "\tat com.example.payments.PaymentHandler.handleRequest(PaymentHandler.java:39)\n"
    "\tat com.example.payments.PaymentHandler.handleRequest(PaymentHandler.java:21)\n"
    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke"
    "(DirectMethodHandleAccessor.java:103)\n"
    "\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)\n"
)


class Log4jPayments(AppWriter):
    """Payment authorisation handler invoked through an alias of a published version."""

    daily_scenarios = ("provider_timeout", "unhandled")
    scenario_rates = (("provider_timeout", 0.006), ("unhandled", 0.002), ("risk_review", 0.04))

    def write_init(self, ctx: InitContext) -> None:
        """Append the line of the ``afterRestore`` hook, which runs with no request ID."""
        at_ms = ctx.at(0.8)
        message = "afterRestore: refreshed provider credentials and connection pool"
        ctx.events.append((at_ms, f"{ctx.clock.log4j(at_ms)}  INFO  SnapStartHooks - {message}\n"))

    def write_invoke(self, ctx: InvokeContext) -> None:
        """Append the authorisation lines, or a logged or unhandled exception's stack trace."""
        scenario = ctx.scenario
        ctx.run_for()
        if scenario == "provider_timeout":
            ctx.duration_ms += _PROVIDER_TIMEOUT_MS
        payment = f"pay_{ctx.rng.getrandbits(40):010x}"
        amount = f"{ctx.draw(100, 50000) / 100:.2f}"
        message = f"Authorizing payment {payment} for {amount} USD"
        self._log(ctx, 0.03, "INFO", "PaymentHandler", message)

        if scenario == "risk_review":
            score = f"{ctx.rng.uniform(0.8, 0.99):.2f}"
            message = f"Risk score {score} above review threshold for {payment}"
            self._log(ctx, 0.3, "WARN", "RiskClient", message)
        if scenario == "provider_timeout":
            message = f"Authorization failed for {payment}\n{_TIMEOUT_STACK}"
            self._log(ctx, 0.97, "ERROR", "PaymentHandler", message.removesuffix("\n"))
            return
        if scenario == "unhandled":
            # NOTE: no captured sample shows the Java runtime's own output for an unhandled
            # exception. Only the stack trace as plain text is documented.
            ctx.events.append((ctx.at(0.98), _UNHANDLED_STACK))
            ctx.status = "error"
            return

        message = f"Payment {payment} authorized in {int(ctx.duration_ms * 0.7)} ms"
        self._log(ctx, 0.95, "INFO", "PaymentHandler", message)

    def _log(
        self, ctx: InvokeContext, fraction: float, level: str, logger: str, message: str
    ) -> None:
        at_ms = ctx.at(fraction)
        line = f"{ctx.clock.log4j(at_ms)} {ctx.request_id} {level:<5} {logger} - {message}\n"
        ctx.events.append((at_ms, line))
