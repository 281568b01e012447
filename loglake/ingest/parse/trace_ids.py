"""Normalise X-Ray and W3C trace IDs to X-Ray's ``1-<8 hex>-<24 hex>`` form."""

from __future__ import annotations

import re

# The shape is checked, not the hex digits, because AWS documentation samples replace
# digits with the letters ``xmpl`` (1-5e3af9c0-4a7exmpl93c08d1e62b7f04c), and those IDs
# still have to match the other lines of the same sample.
_XRAY_TRACE_ID = re.compile(r"1-[0-9A-Za-z]{8}-[0-9A-Za-z]{24}")
_XRAY_HEADER_ROOT = re.compile(r"(?:^|;)\s*Root=(1-[0-9A-Za-z]{8}-[0-9A-Za-z]{24})(?:;|$)")
_W3C_TRACE_ID = re.compile(r"[0-9a-fA-F]{32}")
# W3C traceparent: version, trace ID, parent ID and flags.
_W3C_TRACEPARENT = re.compile(r"[0-9a-fA-F]{2}-([0-9a-fA-F]{32})-[0-9a-fA-F]{16}-[0-9a-fA-F]{2}")


def normalise_trace_id(value: object) -> str | None:
    """Convert a trace ID to the ``1-<8 hex>-<24 hex>`` form, or None when it is not one.

    Accepts the X-Ray form itself, the ``X-Amzn-Trace-Id`` header form
    (``Root=1-...;Parent=...;Sampled=1``, reduced to the root ID), a W3C trace ID of
    32 hex digits and a W3C ``traceparent``. A W3C ID maps one to one: its first 8 hex
    digits are the epoch seconds of the X-Ray form.
    """
    if not isinstance(value, str):
        return None

    if _XRAY_TRACE_ID.fullmatch(value):
        return value

    if "Root=" in value:
        match = _XRAY_HEADER_ROOT.search(value)
        return match.group(1) if match else None

    if _W3C_TRACE_ID.fullmatch(value):
        return _from_w3c(value)

    match = _W3C_TRACEPARENT.fullmatch(value)
    return _from_w3c(match.group(1)) if match else None


def _from_w3c(trace_id: str) -> str | None:
    trace_id = trace_id.lower()
    if trace_id == "0" * 32:
        # W3C reserves the all-zero ID as invalid.
        return None
    return f"1-{trace_id[:8]}-{trace_id[8:]}"
