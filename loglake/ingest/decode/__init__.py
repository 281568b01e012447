"""Decode CloudWatch Logs deliveries into ``LogBatch`` objects.

``decode_lambda_event`` reads the events a Lambda function receives from a CloudWatch Logs
subscription, Kinesis Data Streams or a Firehose transformation. ``decode_file`` reads
files and S3 objects: Firehose S3 objects, the JSON output of ``aws logs
filter-log-events`` and ``get-log-events``, CloudWatch Logs exports and saved Lambda
events. Both return one ``DecodedRecord`` per record, with the batches, a control-message
flag or the error that sends the record to quarantine.
"""

from loglake.ingest.decode.files import decode_file
from loglake.ingest.decode.lambda_events import decode_lambda_event, lambda_event_shape
from loglake.ingest.decode.records import DecodedRecord, LambdaEventDecoding
from loglake.ingest.decode.streams import (
    MAX_FILE_DECOMPRESSED_BYTES,
    MAX_RECORD_DECOMPRESSED_BYTES,
)

__all__ = [
    "MAX_FILE_DECOMPRESSED_BYTES",
    "MAX_RECORD_DECOMPRESSED_BYTES",
    "DecodedRecord",
    "LambdaEventDecoding",
    "decode_file",
    "decode_lambda_event",
    "lambda_event_shape",
]
