"""Measure how many log lines per second ``parse_message`` parses on one core.

Run: ``python bench/parse_lines.py [--seconds 3]``. The mix represents the log stream
of typical functions: per invocation a START, END and REPORT line plus a few application
lines, across the Python and Node.js runtimes in the TEXT and JSON log formats.
"""

from __future__ import annotations

import argparse
import platform
import time

from loglake.ingest.parse import parse_message

REQUEST_ID = "5b7e1d22-9c4a-4e3f-b8d1-6a2c0f9e7d31"

# (shape, message, weight): the weight is how many lines of that shape the mix contains.
MIX: list[tuple[str, str, int]] = [
    ("text START", f"START RequestId: {REQUEST_ID} Version: $LATEST\n", 4),
    ("text END", f"END RequestId: {REQUEST_ID}\n", 4),
    (
        "text REPORT",
        f"REPORT RequestId: {REQUEST_ID}\tDuration: 41.27 ms\tBilled Duration: 42 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 53 MB\t\n",
        3,
    ),
    (
        "text REPORT cold + XRAY",
        f"REPORT RequestId: {REQUEST_ID}\tDuration: 412.07 ms\tBilled Duration: 1038 ms\t"
        "Memory Size: 512 MB\tMax Memory Used: 97 MB\tInit Duration: 625.33 ms\t\n"
        "XRAY TraceId: 1-674d8f21-5b0c3e9a7d2f4a61c8e0b735\tSegmentId: 9a4c2e7f1b3d5a08\t"
        "Sampled: true\t\n",
        1,
    ),
    (
        "Python app",
        f"[INFO]\t2026-11-02T08:14:09.551Z\t{REQUEST_ID}\tUpdated cache entry orders/2026-11-02\n",
        6,
    ),
    (
        "Node.js app",
        f"2026-11-02T08:14:10.002Z\t{REQUEST_ID}\tINFO\tLoaded configuration for tenant t-0042\n",
        6,
    ),
    (
        "Node.js Invoke Error",
        f"2026-11-02T08:14:10.002Z\t{REQUEST_ID}\tERROR\tInvoke Error \t"
        '{"errorType":"TypeError","errorMessage":"x is not a function",'
        '"stack":["TypeError: x is not a function",'
        '"    at Runtime.handler (/var/task/index.js:3:9)"]}\n',
        1,
    ),
    (
        "JSON platform.start",
        '{"time":"2026-11-02T08:14:11.120Z","type":"platform.start","record":'
        f'{{"requestId":"{REQUEST_ID}","version":"$LATEST"}}}}',
        2,
    ),
    (
        "JSON platform.report",
        '{"time":"2026-11-02T08:14:11.120Z","type":"platform.report","record":'
        f'{{"requestId":"{REQUEST_ID}","metrics":{{"durationMs":88.412,"billedDurationMs":89,'
        '"memorySizeMB":256,"maxMemoryUsedMB":101},"status":"success"}}',
        2,
    ),
    (
        "JSON app record",
        '{"timestamp":"2026-11-02T08:14:11.119Z","level":"INFO",'
        f'"requestId":"{REQUEST_ID}","message":"order accepted"}}\n',
        4,
    ),
    (
        "Powertools",
        '{"level":"INFO","location":"handler:10","message":"Collecting order",'
        '"timestamp":"2026-11-02 08:14:11,306+0000","service":"checkout","cold_start":false,'
        '"function_name":"checkout","function_memory_size":"128",'
        '"function_arn":"arn:aws:lambda:eu-west-1:123456789012:function:checkout",'
        f'"function_request_id":"{REQUEST_ID}",'
        '"xray_trace_id":"1-674d8f21-5b0c3e9a7d2f4a61c8e0b735"}\n',
        3,
    ),
    ("print output", "processed 12 records in 41 ms\n", 3),
    (
        "Python traceback",
        "[ERROR] KeyError: 'sku'\rTraceback (most recent call last):\r"
        '\u00a0\u00a0File "/var/task/app.py", line 12, in handler\r'
        "\u00a0\u00a0\u00a0\u00a0return event['sku']\n",
        1,
    ),
]


def lines_per_second(messages: list[str], seconds: float) -> float:
    """Parse ``messages`` repeatedly for about ``seconds`` and return the lines per second."""
    parsed_lines = 0
    started = time.perf_counter()
    deadline = started + seconds

    while time.perf_counter() < deadline:
        for message in messages:
            parse_message(message)
        parsed_lines += len(messages)

    return parsed_lines / (time.perf_counter() - started)


def main() -> None:
    """Print the rate for the whole mix, then for each shape alone."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=3.0, help="time to spend on the mix, in seconds"
    )
    arguments = parser.parse_args()

    mix = [message for _, message, weight in MIX for _ in range(weight)]
    print(f"Python {platform.python_version()} on {platform.machine()}, one process")
    print(f"mix of {len(mix)} lines: {lines_per_second(mix, arguments.seconds):,.0f} lines/s")

    for shape, message, _ in MIX:
        rate = lines_per_second([message] * 100, arguments.seconds / 10)
        print(f"  {shape:<24} {rate:>12,.0f} lines/s")


if __name__ == "__main__":
    main()
