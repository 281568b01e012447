"""X-Ray traces of the sample account's traced functions, in the API's own shapes.

Every sampled invocation of a function with active tracing becomes a trace: a
GetTraceSummaries summary and a BatchGetTraces trace whose segment documents are JSON
text. The trace ID, the function segment's ID and the figures come from the invocation's
REPORT, so a cold start's ``Initialization`` (or SnapStart ``Restore``) subsegment lasts
exactly the REPORT's Init (or Restore) Duration. Downstream calls run one after the other
inside ``Invocation``, where the function's log lines place them.

The traces draw from their own seeded generator, so the log deliveries stay the same
whether or not traces are generated.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from random import Random
from typing import Any

from loglake.demo.profile import Deployment

_HOUR_MS = 3_600_000

# Functions behind an API Gateway REST API stage, with the route their log lines show.
_GATEWAY_ROUTES = {"orders-api": ("POST", "/orders"), "checkout-web": ("POST", "/checkout")}
# Fractions of checkout-web's invocation that its payment provider calls take, by the number
# of attempts. Its log lines warn of each retry at 35 % and 65 %.
_PAYMENT_ATTEMPTS = {
    1: [(0.1, 0.88)],
    2: [(0.06, 0.34), (0.36, 0.88)],
    3: [(0.06, 0.34), (0.36, 0.64), (0.66, 0.96)],
}
_JAVA_TIME = re.compile(r'"(start_time|end_time)":(\d+\.\d+|\d+)')


@dataclass(frozen=True, slots=True)
class TracedInvocation:
    """The figures of a sampled, traced invocation's REPORT, from which its trace is built."""

    deployment: Deployment
    request_id: str
    trace_id: str
    segment_id: str
    """The SegmentId of REPORT's XRAY line: the function segment's ID."""
    arrival_ms: int
    """When the invoke arrived: the start of the init or restore phase of a cold start."""
    start_ms: int
    duration_ms: float
    init_ms: float | None
    restore_ms: float | None
    status: str
    error_type: str | None
    scenario: str | None


@dataclass(slots=True)
class TraceWindowSample:
    """The summaries and traces updated in one hour, as a poller window would read them."""

    start_s: int
    end_s: int
    summary_pages: list[dict[str, Any]] = field(default_factory=list)
    traces: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class _Segment:
    """One segment or subsegment being built; times in epoch ms."""

    name: str
    start_ms: float
    end_ms: float
    id: str
    extra: dict[str, Any] = field(default_factory=dict)
    children: list[_Segment] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "start_time": round(self.start_ms / 1000, 6),
            "end_time": round(self.end_ms / 1000, 6),
            **self.extra,
        }
        if self.children:
            body["subsegments"] = [child.document() for child in self.children]
        return body


def trace_windows(invocations: list[TracedInvocation], *, seed: int) -> list[TraceWindowSample]:
    """Build every invocation's trace and group the traces by the hour they were last updated."""
    builder = _TraceBuilder(Random(f"{seed}/xray"))
    windows: dict[int, TraceWindowSample] = {}
    for invocation in invocations:
        summary, trace, end_ms = builder.build(invocation)
        hour = int(end_ms) // _HOUR_MS
        window = windows.get(hour)
        if window is None:
            start_s = hour * 3600
            window = windows[hour] = TraceWindowSample(start_s, start_s + 3600, [{}])
        page = window.summary_pages[0]
        page.setdefault("TraceSummaries", []).append(summary)
        window.traces.append(trace)
    for window in windows.values():
        page = window.summary_pages[0]
        # The API lists the most recent traces first.
        page["TraceSummaries"].reverse()
        page["ApproximateTime"] = float(window.end_s)
        page["TracesProcessedCount"] = len(page["TraceSummaries"])
    return [windows[hour] for hour in sorted(windows)]


class _TraceBuilder:
    def __init__(self, rng: Random) -> None:
        self._rng = rng

    def _id(self) -> str:
        return f"{self._rng.getrandbits(64):016x}"

    def build(self, call: TracedInvocation) -> tuple[dict[str, Any], dict[str, Any], float]:
        """Return the summary, the BatchGetTraces trace and the trace's end in epoch ms."""
        profile = call.deployment.profile
        function = self._function_segment(call)
        service_start = call.arrival_ms - self._rng.uniform(0.3, 1.5)
        service = _Segment(
            profile.name,
            service_start,
            function.end_ms + self._rng.uniform(0.2, 0.8),
            self._id(),
            {
                "http": {"response": {"status": 200}},
                "aws": {"request_id": call.request_id},
                "origin": "AWS::Lambda",
                "resource_arn": self._qualified_arn(call),
            },
        )
        function.extra["parent_id"] = service.id
        documents = [service, function]
        root = service
        gateway = self._gateway(call, service) if profile.name in _GATEWAY_ROUTES else None
        if gateway is not None:
            documents.insert(0, gateway)
            root = gateway

        texts = [self._document_text(call, segment, documents) for segment in documents]
        summary = self._summary(call, root, documents)
        trace = {
            "Id": call.trace_id,
            "Duration": summary["Duration"],
            "LimitExceeded": False,
            "Segments": [
                {"Id": segment.id, "Document": text}
                for segment, text in zip(documents, texts, strict=True)
            ],
        }
        return summary, trace, root.end_ms

    def _qualified_arn(self, call: TracedInvocation) -> str:
        version = call.deployment.profile.version
        arn = call.deployment.function_arn
        return arn if version == "$LATEST" else f"{arn}:{version}"

    def _function_segment(self, call: TracedInvocation) -> _Segment:
        arn = call.deployment.function_arn
        aws = {"function_arn": arn}
        invocation_end = call.start_ms + call.duration_ms
        overhead_end = invocation_end + self._rng.uniform(0.2, 2.0)
        children = []
        if call.init_ms is not None:
            end = call.arrival_ms + call.init_ms
            children.append(
                _Segment("Initialization", call.arrival_ms, end, self._id(), {"aws": aws})
            )
        if call.restore_ms is not None:
            end = call.arrival_ms + call.restore_ms
            children.append(_Segment("Restore", call.arrival_ms, end, self._id(), {"aws": aws}))
        invocation = _Segment("Invocation", call.start_ms, invocation_end, self._id(), {"aws": aws})
        invocation.children = self._downstream(call, invocation)
        children.append(invocation)
        children.append(
            _Segment("Overhead", invocation_end, overhead_end, self._id(), {"aws": aws})
        )

        profile = call.deployment.profile
        extra: dict[str, Any] = {
            "origin": "AWS::Lambda::Function",
            "aws": {
                "function_arn": arn,
                "resource_names": [profile.name],
                "account_id": call.deployment.account,
            },
        }
        start = (
            call.arrival_ms if children[0].name in ("Initialization", "Restore") else call.start_ms
        )
        segment = _Segment(profile.name, start, overhead_end, call.segment_id, extra, children)
        if call.status != "success":
            kind, message = _function_error(call)
            exception = {"id": self._id(), "type": kind, "message": message}
            extra["fault"] = True
            extra["cause"] = {"working_directory": "/var/task", "exceptions": [exception]}
            invocation.extra["fault"] = True
            invocation.extra["cause"] = exception["id"]
        return segment

    def _gateway(self, call: TracedInvocation, service: _Segment) -> _Segment:
        profile = call.deployment.profile
        method, path = _GATEWAY_ROUTES[profile.name]
        start = service.start_ms - self._rng.uniform(1.0, 4.0)
        end = service.end_ms + self._rng.uniform(0.5, 3.0)
        status = 502 if call.status != "success" else 200
        api_id = f"{profile.name.replace('-', '')[:6]}{Random(profile.name).getrandbits(20):05x}"
        region = call.deployment.region

        invoke = _Segment(
            "Lambda",
            start + 0.5,
            end - 0.3,
            self._id(),
            {
                "namespace": "aws",
                "http": {"response": {"status": 200}},
                "aws": {
                    "function_name": profile.name,
                    "region": region,
                    "operation": "Invoke",
                    "resource_names": [profile.name],
                },
            },
        )
        service.extra["parent_id"] = invoke.id

        extra: dict[str, Any] = {
            "origin": "AWS::ApiGateway::Stage",
            "resource_arn": f"arn:aws:apigateway:{region}::/restapis/{api_id}/stages/prod",
            "http": {
                "request": {
                    "url": f"https://{api_id}.execute-api.{region}.amazonaws.com/prod{path}",
                    "method": method,
                    "user_agent": "okhttp/4.12.0",
                    "client_ip": f"198.51.100.{self._rng.randrange(1, 255)}",
                },
                "response": {"status": status},
            },
            "aws": {"api_gateway": {"rest_api_id": api_id, "stage": "prod"}},
        }
        if status >= 500:
            extra["fault"] = True
        return _Segment(f"{profile.name}/prod", start, end, self._id(), extra, [invoke])

    def _downstream(self, call: TracedInvocation, invocation: _Segment) -> list[_Segment]:
        """Return the calls the function made, one after the other, at its log lines' places."""
        name = call.deployment.profile.name
        if name == "orders-api":
            return self._orders_calls(call, invocation)
        if name == "checkout-web":
            return self._checkout_calls(call, invocation)
        return self._payments_calls(call, invocation)

    def _span(self, invocation: _Segment, first: float, last: float) -> tuple[float, float]:
        length = invocation.end_ms - invocation.start_ms
        return invocation.start_ms + length * first, invocation.start_ms + length * last

    def _dynamodb(
        self, invocation: _Segment, span: tuple[float, float], operation: str, table: str
    ) -> _Segment:
        start, end = self._span(invocation, *span)
        request_id = f"{self._rng.getrandbits(200):050X}"[:52]
        return _Segment(
            "DynamoDB",
            start,
            end,
            self._id(),
            {
                "namespace": "aws",
                "http": {"response": {"status": 200}},
                "aws": {
                    "operation": operation,
                    "region": "us-east-1",
                    "request_id": request_id,
                    "retries": 0,
                    "table_name": table,
                    "resource_names": [table],
                },
            },
        )

    def _orders_calls(self, call: TracedInvocation, invocation: _Segment) -> list[_Segment]:
        if call.scenario == "key_error":
            return []
        calls = [self._dynamodb(invocation, (0.05, 0.25), "GetItem", "inventory")]
        if call.scenario == "throughput_exceeded":
            put = self._dynamodb(invocation, (0.1, 0.97), "PutItem", "orders-prod")
            _fail(put, 400, "ProvisionedThroughputExceededException", self._id(), throttle=True)
            put.extra["aws"]["retries"] = 9
            calls = [put]
        elif call.scenario == "conditional_check":
            put = self._dynamodb(invocation, (0.6, 0.88), "PutItem", "orders-prod")
            _fail(put, 400, "ConditionalCheckFailedException", self._id())
            calls.append(put)
        else:
            calls.append(self._dynamodb(invocation, (0.6, 0.9), "PutItem", "orders-prod"))
        return calls

    def _checkout_calls(self, call: TracedInvocation, invocation: _Segment) -> list[_Segment]:
        calls = [self._dynamodb(invocation, (0.02, 0.04), "GetItem", "carts")]
        attempts = {"provider_retry": 2, "invoke_error": 3}.get(call.scenario or "", 1)
        bounds = _PAYMENT_ATTEMPTS[attempts]
        for number, span in enumerate(bounds, start=1):
            request = self._http(invocation, span, "payments.example.com", "/v1/charges")
            if call.scenario == "invoke_error" or number < attempts:
                _fail(request, 502, None, self._id())
            calls.append(request)
        return calls

    def _payments_calls(self, call: TracedInvocation, invocation: _Segment) -> list[_Segment]:
        calls = [self._dynamodb(invocation, (0.01, 0.02), "GetItem", "idempotency")]
        if call.scenario == "unhandled":
            return calls
        if call.scenario == "risk_review":
            calls.append(self._http(invocation, (0.04, 0.28), "risk.internal.example", "/score"))
        if call.scenario != "provider_timeout":
            calls.append(
                self._http(invocation, (0.31, 0.93), "api.provider.example", "/v2/authorize")
            )
            return calls
        # The provider call waits out the client's 3 s timeout; the error is logged at 97 %.
        provider = self._http(invocation, (0.04, 0.96), "api.provider.example", "/v2/authorize")
        provider.extra["fault"] = True
        del provider.extra["http"]["response"]
        provider.extra["cause"] = {
            "exceptions": [
                {
                    "id": self._id(),
                    "type": "java.net.http.HttpTimeoutException",
                    "message": "request timed out",
                    "remote": True,
                }
            ]
        }
        calls.append(provider)
        return calls

    def _http(
        self, invocation: _Segment, span: tuple[float, float], host: str, path: str
    ) -> _Segment:
        start, end = self._span(invocation, *span)
        return _Segment(
            host,
            start,
            end,
            self._id(),
            {
                "namespace": "remote",
                "http": {
                    "request": {"url": f"https://{host}{path}", "method": "POST"},
                    "response": {"status": 200},
                },
            },
        )

    def _document_text(
        self, call: TracedInvocation, segment: _Segment, documents: list[_Segment]
    ) -> str:
        body = {**segment.document(), "trace_id": call.trace_id}
        text = json.dumps(body, separators=(",", ":"))
        if call.deployment.profile.runtime.startswith("java") and segment is documents[-1]:
            # The Java X-Ray SDK prints doubles as Java does: 1.793607262118E9.
            text = _JAVA_TIME.sub(lambda match: f'"{match[1]}":{_java_double(match[2])}', text)
        return text

    def _summary(
        self, call: TracedInvocation, root: _Segment, documents: list[_Segment]
    ) -> dict[str, Any]:
        profile = call.deployment.profile
        everything = _flatten(documents)
        root_fault = bool(root.extra.get("fault"))
        function_fault = bool(documents[-1].extra.get("fault"))
        duration = round((root.end_ms - root.start_ms) / 1000, 3)
        services = self._service_ids(call, documents, everything)
        summary: dict[str, Any] = {
            "Id": call.trace_id,
            "StartTime": round(root.start_ms / 1000, 6),
            "Duration": duration,
            "ResponseTime": round(duration - 0.001, 3),
            "HasFault": root_fault or function_fault,
            "HasError": any(segment.extra.get("error") for segment in everything),
            "HasThrottle": any(segment.extra.get("throttle") for segment in everything),
            "IsPartial": False,
            "Users": [],
            "ServiceIds": services,
            "ResourceARNs": self._resource_arns(call, documents, everything),
            "EntryPoint": services[0],
            "FaultRootCauses": _root_causes(call, everything, "fault"),
            "ErrorRootCauses": _root_causes(call, everything, "error"),
            "ResponseTimeRootCauses": [],
            "Revision": len(documents),
            "MatchedEventTime": round(root.end_ms / 1000, 6),
            "Annotations": {},
        }
        http = root.extra.get("http", {})
        if "request" in http:
            request = http["request"]
            summary["Http"] = {
                "HttpURL": request["url"],
                "HttpStatus": http["response"]["status"],
                "HttpMethod": request["method"],
                "UserAgent": request["user_agent"],
                "ClientIp": request["client_ip"],
            }
        if profile.name == "orders-api":
            # Powertools' Tracer annotates every trace with these two keys.
            summary["Annotations"] = {
                "ColdStart": [{"AnnotationValue": {"BooleanValue": call.init_ms is not None}}],
                "Service": [{"AnnotationValue": {"StringValue": "orders"}}],
            }
        return summary

    def _service_ids(
        self, call: TracedInvocation, documents: list[_Segment], everything: list[_Segment]
    ) -> list[dict[str, Any]]:
        account = call.deployment.account
        name = call.deployment.profile.name
        services = []
        if documents[0].extra.get("origin") == "AWS::ApiGateway::Stage":
            stage = documents[0].name
            services.append(_service(stage, "AWS::ApiGateway::Stage", account))
        services.append(_service(name, "AWS::Lambda", account))
        services.append(_service(name, "AWS::Lambda::Function", account))
        for segment in everything:
            namespace = segment.extra.get("namespace")
            if namespace == "remote" and all(s["Name"] != segment.name for s in services):
                services.append(_service(segment.name, "remote", None))
            if segment.name == "DynamoDB" and all(s["Name"] != "DynamoDB" for s in services):
                services.append(_service("DynamoDB", "AWS::DynamoDB::Table", None))
        return services

    def _resource_arns(
        self, call: TracedInvocation, documents: list[_Segment], everything: list[_Segment]
    ) -> list[dict[str, str]]:
        arns = [
            segment.extra["resource_arn"]
            for segment in documents
            if "resource_arn" in segment.extra
        ]
        region = call.deployment.region
        account = call.deployment.account
        for segment in everything:
            table = segment.extra.get("aws", {}).get("table_name")
            arn = f"arn:aws:dynamodb:{region}:{account}:table/{table}"
            if table and arn not in arns:
                arns.append(arn)
        return [{"ARN": arn} for arn in arns]


def _service(name: str, kind: str, account: str | None) -> dict[str, Any]:
    service: dict[str, Any] = {"Name": name, "Names": [name], "Type": kind}
    if account is not None:
        service["AccountId"] = account
    return service


def _fail(
    segment: _Segment, status: int, exception: str | None, exception_id: str, throttle: bool = False
) -> None:
    """Mark a downstream call failed: a 5xx is a fault, a 4xx an error, a throttle both."""
    segment.extra["http"]["response"]["status"] = status
    segment.extra["fault" if status >= 500 else "error"] = True
    if throttle:
        segment.extra["throttle"] = True
    if exception is not None:
        segment.extra["cause"] = {
            "exceptions": [{"id": exception_id, "type": exception, "remote": True}]
        }


def _function_error(call: TracedInvocation) -> tuple[str, str]:
    """Return the exception type and message a failed invocation's function segment records."""
    messages = {
        "key_error": ("KeyError", "'customer_id'"),
        "throughput_exceeded": ("ClientError", "ProvisionedThroughputExceededException on PutItem"),
        "invoke_error": ("Error", "Payment provider returned 502 after 3 attempts"),
        "unhandled": (
            "java.lang.IllegalStateException",
            "Idempotency key reused with a different amount",
        ),
    }
    if call.scenario in messages:
        return messages[call.scenario or ""]
    if call.status == "timeout":
        return "Sandbox.Timedout", "Task timed out"
    return call.error_type or "Error", "The function returned an error"


def _flatten(documents: list[_Segment]) -> list[_Segment]:
    found: list[_Segment] = []
    pending = list(documents)
    while pending:
        segment = pending.pop()
        found.append(segment)
        pending += segment.children
    return found


def _root_causes(
    call: TracedInvocation, everything: list[_Segment], flag: str
) -> list[dict[str, Any]]:
    """Name the deepest failed segment with an exception as the root cause of faults or errors."""
    failed = [
        segment
        for segment in everything
        if segment.extra.get(flag) and isinstance(segment.extra.get("cause"), dict)
    ]
    if not failed:
        return []
    culprit = min(failed, key=lambda segment: segment.end_ms - segment.start_ms)
    exception = culprit.extra["cause"]["exceptions"][0]
    downstream = culprit.extra.get("namespace") in ("aws", "remote")
    entity: dict[str, Any] = {
        "Name": culprit.name,
        "Exceptions": [{"Name": exception["type"], "Message": exception.get("message", "")}],
    }
    if downstream:
        entity["Remote"] = True
    service = _service(
        culprit.name if downstream else call.deployment.profile.name,
        ("AWS::DynamoDB::Table" if culprit.name == "DynamoDB" else "remote")
        if downstream
        else "AWS::Lambda::Function",
        None if downstream else call.deployment.account,
    )
    service["EntityPath"] = [entity]
    service["Inferred"] = downstream
    return [{"Services": [service], "ClientImpacting": flag == "fault"}]


def _java_double(text: str) -> str:
    """Format epoch seconds as Java's ``Double.toString`` does for values of 10**7 and more."""
    value = Decimal(text)
    exponent = len(str(int(value))) - 1
    mantissa = format(value.scaleb(-exponent).normalize(), "f")
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}E{exponent}"
