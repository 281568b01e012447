"""Run SQL through Amazon Athena over the Glue tables that template.yaml defines."""

from loglake.analytics.athena.errors import AthenaError, AthenaTimeoutError
from loglake.analytics.athena.runner import AthenaRun, AthenaTarget, athena_client, run_athena

__all__ = [
    "AthenaError",
    "AthenaRun",
    "AthenaTarget",
    "AthenaTimeoutError",
    "athena_client",
    "run_athena",
]
