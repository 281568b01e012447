"""X-Ray traces in the lake: trace summaries in ``traces``, segments and spans in ``segments``.

Three routes write them, all through ``write_trace_data``: the poller (``poller``, its
scheduled Lambda ``handler``), saved ``aws xray`` output (``files``) and span records of the
``aws/spans`` log group arriving on the log ingest path (``spans``).
"""
