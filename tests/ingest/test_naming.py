"""Function name and version from log group and stream names."""

from __future__ import annotations

import pytest

from loglake.ingest.naming import FunctionIdentity, function_identity

CASES = [
    ("/aws/lambda/orders-api", "2019/03/13/[$LATEST]59603c968d2b0c1b6d2bf2490b1e82c4",
     FunctionIdentity("orders-api", "$LATEST")),
    ("/aws/lambda/report-builder", "2023/06/20/[14]bcf933b6573ae0d95e26445fb442bc2b",
     FunctionIdentity("report-builder", "14")),
    ("/aws/lambda/legacy", "2015/09/02/[HEAD]552fefcd6a2684f94683f1655a13392b",
     FunctionIdentity("legacy", "HEAD")),
    ("/shared/orders", "2026/10/21/orders-api[$LATEST]bad06c278ced402f3bfa5ca25f4bce51",
     FunctionIdentity("orders-api", "$LATEST")),
    ("/aws/lambda/orders-api", "not-a-lambda-stream", FunctionIdentity("orders-api", None)),
    ("API-Gateway-Execution-Logs_a1b2c3d4e5/prod", "e4da3b7fbbce2345d7772b0674a318d5",
     FunctionIdentity(None, None)),
    ("/custom/group", "2026/10/21/[$LATEST]bad06c278ced402f3bfa5ca25f4bce51",
     FunctionIdentity(None, None)),
]  # fmt: skip


@pytest.mark.parametrize(("log_group", "log_stream", "expected"), CASES)
def test_function_identity(log_group: str, log_stream: str, expected: FunctionIdentity) -> None:
    assert function_identity(log_group, log_stream) == expected
