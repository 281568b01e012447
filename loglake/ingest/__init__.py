"""Decode CloudWatch Logs deliveries, parse Lambda log lines and write them to the lake.

This package is what the ingest Lambda carries: it imports nothing from
``loglake.analytics`` or ``loglake.dashboard``.
"""
