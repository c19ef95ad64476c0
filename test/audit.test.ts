/**
 * The security-group audit's decisions without AWS (the emulator test in test/recovery.test.ts runs it
 * against moto): which rules count as managed, what is reported, and the Markdown the PR review shows.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${...}" here is Terraform interpolation, not a template.
import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import { parseAuditArgs } from "../tools/audit";
import { auditMarkdown, auditSecurityGroups } from "../tools/audit/security-groups";
import type { StackJson } from "../tools/rehearsal/stack";
import { appliedResources } from "../tools/rehearsal/state";

/** An EC2 client answering the two calls the audit makes from fixed data. */
function fakeEc2(groups: Record<string, string>, rules: SecurityGroupRule[]): EC2Client {
  return {
    send: async (command: unknown) => {
      if (command instanceof DescribeSecurityGroupsCommand)
        return {
          SecurityGroups: Object.entries(groups).map(([GroupId, GroupName]) => ({ GroupId, GroupName })),
        };
      if (command instanceof DescribeSecurityGroupRulesCommand) return { SecurityGroupRules: rules };
      throw new Error("unexpected call");
    },
  } as unknown as EC2Client;
}

const rule = (id: string, group: string, extra: Partial<SecurityGroupRule>): SecurityGroupRule => ({
  SecurityGroupRuleId: id,
  GroupId: group,
  IsEgress: false,
  IpProtocol: "tcp",
  FromPort: 9098,
  ToPort: 9098,
  ...extra,
});

const stack: StackJson = {
  resource: {
    aws_security_group: { broker: { name_prefix: "b-", vpc_id: "vpc-1" } },
    aws_default_security_group: { default: { vpc_id: "vpc-1", ingress: [], egress: [] } },
    aws_vpc_security_group_ingress_rule: { iam: { security_group_id: "${aws_security_group.broker.id}" } },
  },
};

const state = appliedResources({
  values: {
    root_module: {
      resources: [
        // A group without inline blocks reads every rule into its state, managed or not.
        [
          "aws_security_group.broker",
          {
            id: "sg-b",
            ingress: [{ protocol: "tcp", from_port: 9098, to_port: 9098, cidr_blocks: ["0.0.0.0/0"] }],
          },
        ],
        ["aws_default_security_group.default", { id: "sg-d", ingress: [], egress: [] }],
        ["aws_vpc_security_group_ingress_rule.iam", { id: "sgr-managed" }],
        [
          "aws_security_group_rule.legacy",
          {
            id: "sgrule-1",
            type: "ingress",
            security_group_id: "sg-b",
            protocol: "tcp",
            from_port: 443,
            to_port: 443,
            cidr_blocks: ["10.0.0.0/8"],
          },
        ],
      ].map(([address, values]) => ({
        address: address as string,
        mode: "managed" as const,
        type: (address as string).split(".")[0],
        name: (address as string).split(".")[1],
        values: values as Record<string, unknown>,
      })),
    },
  },
});

describe("npm run audit", () => {
  it("reports exactly the rules no resource of the stack manages, internet-open ones first", async () => {
    const result = await auditSecurityGroups({
      environment: "dev",
      state,
      stack,
      ec2: fakeEc2({ "sg-b": "b-123", "sg-d": "default" }, [
        rule("sgr-managed", "sg-b", { ReferencedGroupInfo: { GroupId: "sg-c" } }),
        rule("sgr-legacy", "sg-b", { FromPort: 443, ToPort: 443, CidrIpv4: "10.0.0.0/8" }),
        rule("sgr-open", "sg-b", { CidrIpv4: "0.0.0.0/0", Description: "debug" }),
        rule("sgr-default", "sg-d", {
          IsEgress: true,
          IpProtocol: "-1",
          FromPort: -1,
          ToPort: -1,
          CidrIpv4: "0.0.0.0/0",
        }),
      ]),
    });
    expect(result.findings.map((f) => [f.ruleId, f.rule, f.internet, f.address])).toEqual([
      ["sgr-default", "egress all traffic to 0.0.0.0/0", true, "aws_default_security_group.default"],
      ["sgr-open", "ingress tcp 9098 from 0.0.0.0/0", true, "aws_security_group.broker"],
    ]);
    expect(result.rules).toBe(4);
    expect(result.groups).toBe(2);
  });

  it("says which groups of the state no longer exist", async () => {
    const result = await auditSecurityGroups({
      environment: "dev",
      state,
      stack,
      ec2: fakeEc2({ "sg-d": "default" }, []),
    });
    expect(result.missingGroups).toEqual(["aws_security_group.broker (sg-b)"]);
  });

  it("renders a review section: a warning table when it found some, one line when not", () => {
    const finding = {
      groupId: "sg-b",
      groupName: "b-123",
      address: "aws_security_group.broker",
      ruleId: "sgr-open",
      rule: "ingress tcp 9098 from 0.0.0.0/0",
      description: "debug | temp",
      internet: true,
    };
    const found = auditMarkdown({
      environment: "dev",
      groups: 3,
      rules: 9,
      findings: [finding],
      missingGroups: [],
    });
    expect(found).toContain(
      "## :warning: Security groups of dev: 1 rule not managed by this stack (1 open to the internet)",
    );
    expect(found).toContain(
      "| b-123 (`aws_security_group.broker`) | :no_entry: ingress tcp 9098 from 0.0.0.0/0 | debug \\| temp | `sgr-open` |",
    );
    expect(auditMarkdown({ environment: "dev", groups: 3, rules: 9, findings: [], missingGroups: [] })).toBe(
      "## Security groups of dev: no unmanaged rules\n\nAll 9 rules in the 3 security groups of this stack are managed by it.\n",
    );
  });

  it("takes one environment and an optional output file", () => {
    expect(parseAuditArgs(["dev", "--out", "audit.md", "--no-synth"])).toEqual({
      environment: "dev",
      out: "audit.md",
      synth: false,
    });
    expect(parseAuditArgs(["first", "second"])).toBe("name exactly one environment");
    expect(parseAuditArgs(["dev", "--fix"])).toBe("unknown option --fix");
  });
});
