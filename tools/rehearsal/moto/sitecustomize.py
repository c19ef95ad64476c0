"""Corrections to moto_server for the deploy rehearsal (loaded through PYTHONPATH, only by the rehearsal).

Each correction makes moto behave like real AWS where a moto defect would otherwise show up as a false
"perpetual diff" in the rehearsal. Each one checks the shape of the code it patches and leaves moto
untouched (saying so on stderr) when that shape is not there, so a newer moto is never broken by it.
"""

import json
import sys


def _say(message):
    print("[rehearsal] " + message, file=sys.stderr, flush=True)


def _security_group_rule_descriptions():
    """moto 5.2.1 drops the description of rules that reference a security group or a prefix list.

    Real EC2 returns it from DescribeSecurityGroupRules for every rule; moto reads it only from the CIDR
    part of a rule, so Terraform's aws_vpc_security_group_ingress_rule/egress_rule would plan to set the
    description again on every plan.
    """
    try:
        from moto.ec2.models import security_groups
    except Exception as error:  # moto missing or restructured: nothing to correct
        _say("not applied: security-group rule descriptions (%s)" % error)
        return
    rule = getattr(security_groups, "SecurityGroupRule", None)
    if rule is None or not isinstance(rule.__dict__.get("description"), property):
        _say("not applied: security-group rule descriptions (SecurityGroupRule.description changed)")
        return
    original_init = rule.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        # (ec2_backend, ip_protocol, group_id, from_port, to_port, ip_range, source_group, prefix_list_id)
        prefix_list = kwargs.get("prefix_list_id", args[7] if len(args) > 7 else None)
        self.rehearsal_prefix_list_description = (prefix_list or {}).get("Description")

    def description(self):
        return (
            self.ip_range.get("Description")
            or (self.source_group or {}).get("Description")
            or getattr(self, "rehearsal_prefix_list_description", None)
        )

    rule.__init__ = __init__
    rule.description = property(description)
    _say("applied: security-group rule descriptions for group and prefix-list references")


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _bucket_logging_policy_forms():
    """moto 5.2.1 accepts a log bucket's policy grant only in one JSON shape.

    PutBucketLogging needs the target bucket's policy to let logging.s3.amazonaws.com s3:PutObject into
    it. moto compares Principal.Service and Resource as single strings, so the same grant written with
    lists (equivalent for IAM, and what policy builders often emit) is refused and the apply fails.
    This keeps moto's rule and only reads the policy the way IAM does: string or list alike.
    """
    try:
        from moto.s3 import models
    except Exception as error:
        _say("not applied: bucket-logging policy forms (%s)" % error)
        return
    bucket = getattr(models, "FakeBucket", None)
    if bucket is None or not isinstance(bucket.__dict__.get("_log_permissions_enabled_policy"), staticmethod):
        _say("not applied: bucket-logging policy forms (FakeBucket._log_permissions_enabled_policy changed)")
        return

    def _log_permissions_enabled_policy(target_bucket, target_prefix):
        if not target_bucket.policy:
            return False
        policy = target_bucket.policy
        document = json.loads(policy.decode() if isinstance(policy, bytes) else policy)
        arn = "arn:%s:s3:::%s" % (target_bucket.partition, target_bucket.name)
        accepted = {"%s/%s*" % (arn, target_prefix or ""), arn + "/*", arn}
        for statement in _as_list(document.get("Statement")):
            principal = statement.get("Principal")
            services = _as_list(principal.get("Service")) if isinstance(principal, dict) else []
            if (
                statement.get("Effect") == "Allow"
                and "logging.s3.amazonaws.com" in services
                and "s3:PutObject" in _as_list(statement.get("Action"))
                and accepted.intersection(_as_list(statement.get("Resource")))
            ):
                return True
        return False

    bucket._log_permissions_enabled_policy = staticmethod(_log_permissions_enabled_policy)
    _say("applied: bucket-logging policy grants read in string or list form")


def _bucket_logging_key_format():
    """moto 5.2.1 stores a bucket's TargetObjectKeyFormat but leaves it out of GetBucketLogging.

    Real S3 returns it (simple or date-partitioned prefixes), so without this Terraform's
    aws_s3_bucket_logging would plan to set target_object_key_format again on every plan.
    """
    try:
        from moto.core.responses import ActionResult
        from moto.s3 import responses
    except Exception as error:
        _say("not applied: bucket-logging key format (%s)" % error)
        return
    response = getattr(responses, "S3Response", None)
    if response is None or not callable(getattr(response, "get_bucket_logging", None)):
        _say("not applied: bucket-logging key format (S3Response.get_bucket_logging changed)")
        return
    original = response.get_bucket_logging

    def get_bucket_logging(self):
        logging = self.backend.get_bucket_logging(self.bucket_name)
        key_format = (logging or {}).get("TargetObjectKeyFormat")
        if not key_format or logging.get("TargetGrants"):
            return original(self)
        # xmltodict reads an empty <SimplePrefix/> as None; the response shape wants an empty structure.
        key_format = {name: value or {} for name, value in key_format.items()}
        result = {
            "LoggingEnabled": {
                "TargetBucket": logging["TargetBucket"],
                "TargetPrefix": logging["TargetPrefix"],
                "TargetObjectKeyFormat": key_format,
            }
        }
        self.data["Action"] = "GetBucketLogging"
        return self.serialized(ActionResult(result))

    response.get_bucket_logging = get_bucket_logging
    _say("applied: bucket-logging TargetObjectKeyFormat returned by GetBucketLogging")


_security_group_rule_descriptions()
_bucket_logging_policy_forms()
_bucket_logging_key_format()

# Corrections in modules of their own (one line each; each module documents what it corrects and why).
import error_log  # noqa: E402,F401
import ec2_idempotency  # noqa: E402,F401
import ec2_nat_gateways  # noqa: E402,F401
import sdk_retries  # noqa: E402,F401
import request_trace  # noqa: E402,F401
import lambda_logging_config  # noqa: E402,F401
import glue_registry_tags  # noqa: E402,F401
import glue_list_schemas  # noqa: E402,F401
import held_responses  # noqa: E402,F401  (test hook; inert unless REHEARSAL_HOLD_ACTIONS is set)
