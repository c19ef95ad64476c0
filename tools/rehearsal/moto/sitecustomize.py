"""Corrections to moto_server for the deploy rehearsal (loaded through PYTHONPATH, only by the rehearsal).

Each correction makes moto behave like real AWS where a moto defect would otherwise show up as a false
"perpetual diff" in the rehearsal. Each one checks the shape of the code it patches and leaves moto
untouched (saying so on stderr) when that shape is not there, so a newer moto is never broken by it.
"""

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


_security_group_rule_descriptions()
