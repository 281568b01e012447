"""template.yaml: the properties the stack promises, read from the template itself."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from cfnlint.api import lint_all
from cfnlint.decode.cfn_yaml import load

from loglake.ingest.schema import LOGS_SCHEMA
from loglake.ingest.xray.schema import SEGMENTS_SCHEMA, TRACES_SCHEMA

ROOT = Path(__file__).parents[2]
TEMPLATE_PATH = ROOT / "template.yaml"


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    # A JSON round trip turns cfn-lint's node classes into plain dicts, lists and strings.
    loaded: dict[str, Any] = json.loads(json.dumps(load(str(TEMPLATE_PATH))))
    return loaded


def resources_of(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if isinstance(resource, dict) and resource.get("Type") == kind
    }


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: resource["Properties"]
        for name, resource in resources_of(template, "AWS::Serverless::Function").items()
    }


def statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement of every function policy, bucket policy and queue policy."""
    found = []
    for properties in functions(template).values():
        for policy in properties.get("Policies", []):
            found.extend(policy["Statement"])
    for kind in ("AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy"):
        for resource in resources_of(template, kind).values():
            found.extend(resource["Properties"]["PolicyDocument"]["Statement"])
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_cfn_lint_clean() -> None:
    # Errors and warnings, which the cfn-lint command reports by default.
    matches = lint_all(TEMPLATE_PATH.read_text())
    assert [str(match) for match in matches if match.rule.id[0] in "EW"] == []
    assert [str(match) for match in matches if match.rule.id == "I3011"] == []


def test_ingest_never_subscribes_own_log_group(template: dict[str, Any]) -> None:
    ingest = functions(template)["IngestFunction"]
    assert ingest["LoggingConfig"]["LogGroup"] == {"Ref": "IngestLogGroup"}
    own_group = template["Resources"]["IngestLogGroup"]["Properties"]["LogGroupName"]
    assert not own_group["Fn::Sub"].startswith("/aws/lambda/")

    policy = template["Resources"]["IngestAccountSubscription"]["Properties"]
    assert policy["PolicyType"] == "SUBSCRIPTION_FILTER_POLICY"
    assert policy["SelectionCriteria"] == {"Fn::Sub": 'LogGroupName NOT IN ["${IngestLogGroup}"]'}
    assert "${IngestFunction.Arn}" in policy["PolicyDocument"]["Fn::Sub"]


def test_log_group_list_gets_one_filter_each(template: dict[str, Any]) -> None:
    loop = template["Resources"]["Fn::ForEach::LogGroupSubscriptions"]
    assert loop[0] == "LogGroupName"
    assert loop[1] == {"Ref": "LogGroupNames"}
    (body,) = loop[2].values()
    assert body["Type"] == "AWS::Logs::SubscriptionFilter"
    assert body["Condition"] == "UseLogGroupList"
    assert body["Properties"]["DestinationArn"] == {"Fn::GetAtt": ["IngestFunction", "Arn"]}
    assert body["DependsOn"] == "IngestInvokePermission"
    assert "AWS::LanguageExtensions" in template["Transform"]


def test_logs_may_invoke_ingest_from_this_account(template: dict[str, Any]) -> None:
    permission = template["Resources"]["IngestInvokePermission"]["Properties"]
    assert permission["Principal"] == "logs.amazonaws.com"
    assert permission["SourceAccount"] == {"Ref": "AWS::AccountId"}
    assert ":log-group:*" in permission["SourceArn"]["Fn::Sub"]


def test_no_policy_grants_everything(template: dict[str, Any]) -> None:
    for statement in statements(template):
        if statement["Effect"] != "Allow":
            continue
        actions = as_list(statement["Action"])
        resources = as_list(statement["Resource"])
        assert not any(action == "*" or action.endswith(":*") for action in actions), statement
        if "*" in resources:
            # Only X-Ray's read actions, which support no resource-level permissions.
            assert set(actions) <= {"xray:GetTraceSummaries", "xray:BatchGetTraces"}, statement


def test_functions_touch_only_their_prefixes(template: dict[str, Any]) -> None:
    def granted(function: str, action: str) -> set[str]:
        prefixes = set()
        for policy in functions(template)[function]["Policies"]:
            for statement in policy["Statement"]:
                if action in as_list(statement["Action"]):
                    for resource in as_list(statement["Resource"]):
                        text = resource["Fn::Sub"] if "Fn::Sub" in resource else str(resource)
                        prefixes.add(text.removeprefix("${LakeBucket.Arn}/${LakePrefix}/"))
        return prefixes

    assert granted("IngestFunction", "s3:PutObject") == {"logs/*", "segments/*", "quarantine/*"}
    assert granted("IngestFunction", "s3:GetObject") == set()
    assert granted("IngestFunction", "s3:DeleteObject") == set()
    assert granted("XrayPollerFunction", "s3:PutObject") == {
        "traces/*",
        "segments/*",
        "_state/xray/*",
    }
    assert granted("CompactFunction", "s3:DeleteObject") == {
        "logs/*",
        "traces/*",
        "segments/*",
        "_state/compaction/*",
    }
    assert granted("AlertsFunction", "s3:PutObject") == {"_state/alerts/*"}
    assert granted("AlertsFunction", "s3:DeleteObject") == set()


def test_bucket_is_private_encrypted_and_tls_only(template: dict[str, Any]) -> None:
    bucket = template["Resources"]["LakeBucket"]["Properties"]
    (encryption,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms")
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}

    (statement,) = template["Resources"]["LakeBucketPolicy"]["Properties"]["PolicyDocument"][
        "Statement"
    ]
    assert statement["Effect"] == "Deny"
    assert statement["Principal"] == "*"
    assert statement["Action"] == "s3:*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statement["Resource"] == [
        {"Fn::GetAtt": ["LakeBucket", "Arn"]},
        {"Fn::Sub": "${LakeBucket.Arn}/*"},
    ]


def test_lifecycle_expires_tables_and_quarantine(template: dict[str, Any]) -> None:
    rules = template["Resources"]["LakeBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    expiry = {
        rule["Prefix"]["Fn::Sub"] if isinstance(rule.get("Prefix"), dict) else rule.get("Prefix"): (
            rule.get("ExpirationInDays")
        )
        for rule in rules
        if rule["Status"] == "Enabled"
    }
    for table in ("logs", "traces", "segments"):
        assert expiry[f"${{LakePrefix}}/{table}/"] == {"Ref": "LakeRetentionDays"}
    assert expiry["${LakePrefix}/quarantine/"] == {"Ref": "QuarantineRetentionDays"}
    assert expiry["athena-results/"] == {"Ref": "AthenaResultsRetentionDays"}


def test_ingest_has_dead_letter_queue(template: dict[str, Any]) -> None:
    ingest = functions(template)["IngestFunction"]
    assert ingest["DeadLetterQueue"] == {
        "Type": "SQS",
        "TargetArn": {"Fn::GetAtt": ["IngestDeadLetterQueue", "Arn"]},
    }
    queue = template["Resources"]["IngestDeadLetterQueue"]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["MessageRetentionPeriod"] == 1209600


def test_functions_run_on_arm64_python(template: dict[str, Any]) -> None:
    defaults = template["Globals"]["Function"]
    assert defaults["Architectures"] == ["arm64"]
    assert re.fullmatch(r"python3\.1[23]", defaults["Runtime"])
    for properties in functions(template).values():
        assert "Architectures" not in properties
        assert "Runtime" not in properties


def test_ingest_sizing_parameters(template: dict[str, Any]) -> None:
    ingest = functions(template)["IngestFunction"]
    assert ingest["MemorySize"] == {"Ref": "IngestMemorySize"}
    assert ingest["Timeout"] == {"Ref": "IngestTimeout"}
    assert ingest["ReservedConcurrentExecutions"] == {
        "Fn::If": [
            "ReserveIngestConcurrency",
            {"Ref": "IngestReservedConcurrency"},
            {"Ref": "AWS::NoValue"},
        ]
    }
    assert template["Parameters"]["IngestReservedConcurrency"]["Default"] == -1


def test_scheduled_functions(template: dict[str, Any]) -> None:
    schedules = {
        name: [event["Properties"]["Schedule"] for event in properties["Events"].values()]
        for name, properties in functions(template).items()
        if "Events" in properties
    }
    assert schedules == {
        "XrayPollerFunction": ["rate(5 minutes)"],
        "CompactFunction": ["rate(1 hour)"],
        "AlertsFunction": [{"Ref": "AlertsSchedule"}],
    }
    for name in schedules:
        (event,) = functions(template)[name]["Events"].values()
        # An EventBridge rule's event carries "time", which the alerts handler evaluates at.
        assert event["Type"] == "Schedule"


def test_handlers_and_packages_exist(template: dict[str, Any]) -> None:
    makefile = (ROOT / "Makefile").read_text()
    for name, properties in functions(template).items():
        module, function = properties["Handler"].rsplit(".", 1)
        source = ROOT / (module.replace(".", "/") + ".py")
        assert f"def {function}(" in source.read_text(), name
        assert properties["CodeUri"] in makefile, name
        assert template["Resources"][name]["Metadata"]["SkipBuild"] is True


def glue_type(data_type: pa.DataType) -> str:
    if isinstance(data_type, pa.BaseExtensionType):
        return "string"  # JSON text
    if pa.types.is_list(data_type):
        return f"array<{glue_type(data_type.value_type)}>"
    names = {"string": "string", "double": "double", "int32": "int", "int64": "bigint"}
    if pa.types.is_timestamp(data_type):
        return "timestamp"
    if pa.types.is_boolean(data_type):
        return "boolean"
    return names[str(data_type)]


@pytest.mark.parametrize(
    ("resource", "table", "schema"),
    [
        ("LogsTable", "logs", LOGS_SCHEMA),
        ("TracesTable", "traces", TRACES_SCHEMA),
        ("SegmentsTable", "segments", SEGMENTS_SCHEMA),
    ],
)
def test_glue_table_matches_schema(
    template: dict[str, Any], resource: str, table: str, schema: pa.Schema
) -> None:
    table_input = template["Resources"][resource]["Properties"]["TableInput"]
    assert table_input["Name"] == table
    columns = [(column["Name"], column["Type"]) for column in
               table_input["StorageDescriptor"]["Columns"]]  # fmt: skip
    assert columns == [(field.name, glue_type(field.type)) for field in schema]
    assert table_input["PartitionKeys"] == [
        {"Name": "date", "Type": "string"},
        {"Name": "hour", "Type": "int"},
    ]

    parameters = table_input["Parameters"]
    assert parameters["projection.enabled"] == "true"
    assert parameters["projection.date.type"] == "date"
    assert parameters["projection.date.format"] == "yyyy-MM-dd"
    assert parameters["projection.hour.type"] == "integer"
    assert parameters["projection.hour.range"] == "0,23"
    assert parameters["projection.hour.digits"] == "2"
    assert parameters["storage.location.template"] == {
        "Fn::Sub": f"s3://${{LakeBucket}}/${{LakePrefix}}/{table}/date=${{!date}}/hour=${{!hour}}/"
    }


def test_no_crawler(template: dict[str, Any]) -> None:
    assert resources_of(template, "AWS::Glue::Crawler") == {}


def test_athena_workgroup_results_location(template: dict[str, Any]) -> None:
    (workgroup,) = resources_of(template, "AWS::Athena::WorkGroup").values()
    configuration = workgroup["Properties"]["WorkGroupConfiguration"]
    assert configuration["EnforceWorkGroupConfiguration"] is True
    assert configuration["ResultConfiguration"]["OutputLocation"] == {
        "Fn::Sub": "s3://${LakeBucket}/athena-results/"
    }
