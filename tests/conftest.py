"""Fixtures shared by every test: dummy AWS credentials, local lakes, and S3 over real HTTP."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, settings

EVENTS = Path(__file__).parent / "events"

# Property tests draw nested JSON and long texts. On a machine shared with other work the
# draws alone can exceed Hypothesis's too_slow limit, which measures the machine, not the code.
settings.register_profile("loglake", suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("loglake")


@pytest.fixture(autouse=True)
def aws_sandbox(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Point every AWS client at nothing real: dummy credentials, no profile, no metadata."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    monkeypatch.delenv("LOGLAKE_LAKE", raising=False)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """Start moto's S3 server on 127.0.0.1 for the session and return its URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_lake(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, request: Any) -> str:
    """Create an empty bucket on the moto server and return an s3:// lake URL inside it."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", moto_endpoint)
    bucket = "lake-" + request.node.name.lower().replace("_", "-")[:40].strip("-[]")
    boto3.client("s3", endpoint_url=moto_endpoint).create_bucket(Bucket=bucket)
    return f"s3://{bucket}/prod"


@pytest.fixture
def load_handler(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], ModuleType]:
    """Import the ingest handler afresh for a lake, as a new execution environment would."""

    def load(lake: str) -> ModuleType:
        monkeypatch.setenv("LOGLAKE_LAKE", lake)
        monkeypatch.setenv("LOGLAKE_LOG_LEVEL", "INFO")
        name = "loglake.ingest.handler"
        module = sys.modules.get(name)
        return importlib.reload(module) if module else importlib.import_module(name)

    return load
