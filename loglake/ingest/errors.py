"""Errors of the ingest package, split by whether a retry can help."""

from __future__ import annotations


class IngestError(Exception):
    """Root of every error raised by ``loglake.ingest``."""


class DecodeError(IngestError):
    """A payload that is not a delivery loglake can read.

    Permanent: the same bytes fail the same way on every retry, so the payload goes to
    quarantine instead of being retried.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class LakeWriteError(IngestError):
    """A write to the lake that failed, such as an S3 PutObject error.

    Transient: the Lambda handler raises it so that Lambda retries the delivery.
    """
