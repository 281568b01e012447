"""The sample account: six Lambda functions, each on a different runtime or log format.

Memory sizes, durations and init times are typical values for these runtimes, not
measurements. Three functions are over-provisioned on purpose (orders-api, checkout-web
and payments-java use about a tenth of their memory), as many production functions are.
"""

from __future__ import annotations

from dataclasses import dataclass

from loglake.demo.apps.base import AppWriter
from loglake.demo.apps.log4j import Log4jPayments
from loglake.demo.apps.node_console import NodeCheckout
from loglake.demo.apps.powertools import PowertoolsApi
from loglake.demo.apps.python_json import InvoiceRenderer
from loglake.demo.apps.structlog_worker import StructlogLedgerWorker
from loglake.demo.apps.zap import ZapThumbnails
from loglake.demo.profile import FunctionProfile


@dataclass(frozen=True, slots=True)
class SampleFunction:
    """A sample function's profile and the writer of its application output."""

    profile: FunctionProfile
    writer: AppWriter


SAMPLE_ACCOUNT: tuple[SampleFunction, ...] = (
    SampleFunction(
        FunctionProfile(
            name="orders-api",
            runtime="python3.12",
            runtime_version="python:3.12.v16",
            log_format="Text",
            memory_size_mb=1024,
            timeout_s=29,
            version="$LATEST",
            traced=True,
            snap_start=False,
            extension=None,
            traffic_share=0.28,
            peak_hour_utc=15.0,
            night_floor=0.08,
            burst_mean=1.5,
            init_ms=640.0,
            init_sigma=0.2,
            duration_ms=48.0,
            duration_sigma=0.55,
            cold_duration_factor=2.5,
            memory_used_mb=(88, 112),
        ),
        PowertoolsApi(),
    ),
    SampleFunction(
        FunctionProfile(
            name="checkout-web",
            runtime="nodejs22.x",
            runtime_version="nodejs:22.mainline.v122",
            log_format="Text",
            memory_size_mb=1024,
            timeout_s=10,
            version="31",
            traced=True,
            snap_start=False,
            extension="collector",
            traffic_share=0.22,
            peak_hour_utc=15.5,
            night_floor=0.06,
            burst_mean=1.3,
            init_ms=310.0,
            init_sigma=0.2,
            duration_ms=140.0,
            duration_sigma=0.5,
            cold_duration_factor=2.0,
            memory_used_mb=(104, 141),
        ),
        NodeCheckout(),
    ),
    SampleFunction(
        FunctionProfile(
            name="invoice-renderer",
            runtime="python3.13",
            runtime_version="python:3.13.v14",
            log_format="JSON",
            memory_size_mb=256,
            timeout_s=30,
            version="$LATEST",
            traced=False,
            snap_start=False,
            extension=None,
            traffic_share=0.12,
            peak_hour_utc=9.0,
            night_floor=0.2,
            burst_mean=1.2,
            init_ms=420.0,
            init_sigma=0.2,
            duration_ms=260.0,
            duration_sigma=0.45,
            cold_duration_factor=1.6,
            memory_used_mb=(71, 96),
        ),
        InvoiceRenderer(),
    ),
    SampleFunction(
        FunctionProfile(
            name="thumbnail-generator",
            runtime="provided.al2023",
            runtime_version="provided:al2023.v109",
            log_format="Text",
            memory_size_mb=1024,
            timeout_s=60,
            version="$LATEST",
            traced=False,
            snap_start=False,
            extension=None,
            traffic_share=0.10,
            peak_hour_utc=18.0,
            night_floor=0.15,
            burst_mean=1.3,
            init_ms=72.0,
            init_sigma=0.25,
            duration_ms=650.0,
            duration_sigma=0.6,
            cold_duration_factor=1.1,
            memory_used_mb=(61, 284),
        ),
        ZapThumbnails(),
    ),
    SampleFunction(
        FunctionProfile(
            name="payments-java",
            runtime="java21",
            runtime_version="java:21.v27",
            log_format="Text",
            memory_size_mb=2048,
            timeout_s=15,
            version="14",
            traced=True,
            snap_start=True,
            extension=None,
            traffic_share=0.10,
            peak_hour_utc=15.0,
            night_floor=0.05,
            burst_mean=1.2,
            # With SnapStart the init figures describe the restore phase.
            init_ms=420.0,
            init_sigma=0.25,
            duration_ms=160.0,
            duration_sigma=0.45,
            cold_duration_factor=4.5,
            memory_used_mb=(182, 247),
        ),
        Log4jPayments(),
    ),
    SampleFunction(
        FunctionProfile(
            name="ledger-worker",
            runtime="python3.12",
            runtime_version="python:3.12.v16",
            log_format="Text",
            memory_size_mb=512,
            timeout_s=30,
            version="$LATEST",
            traced=False,
            snap_start=False,
            extension=None,
            traffic_share=0.18,
            peak_hour_utc=15.5,
            night_floor=0.1,
            burst_mean=1.6,
            init_ms=900.0,
            init_sigma=0.2,
            duration_ms=340.0,
            duration_sigma=0.5,
            cold_duration_factor=1.8,
            memory_used_mb=(131, 168),
        ),
        StructlogLedgerWorker(),
    ),
)

SAMPLE_FUNCTIONS: tuple[str, ...] = tuple(function.profile.name for function in SAMPLE_ACCOUNT)
"""Names of the sample account's functions, each with the log group ``/aws/lambda/<name>``."""
