"""Deterministic sample data: CloudWatch Logs subscription deliveries of a sample account.

``generate_deliveries`` yields the events that a subscription Lambda receives for a day of
traffic from the functions named in ``SAMPLE_FUNCTIONS``. ``generate_kinesis_events``
wraps the same payloads into Kinesis events, and ``generate_log_data`` yields them decoded.
``generate_traces`` returns the X-Ray traces of the same invocations of the traced functions.
"""

from loglake.demo.functions import SAMPLE_FUNCTIONS
from loglake.demo.generator import (
    generate_deliveries,
    generate_kinesis_events,
    generate_log_data,
    generate_traces,
)

__all__ = [
    "SAMPLE_FUNCTIONS",
    "generate_deliveries",
    "generate_kinesis_events",
    "generate_log_data",
    "generate_traces",
]
