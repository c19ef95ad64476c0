/**
 * Drift Terraform cannot see, for security groups: the stack manages every rule as a standalone resource
 * (aws_vpc_security_group_ingress_rule / _egress_rule), which reads only the rule it created, and
 * provider 5.100 has no exclusive resource for group rules. So a rule added by hand to a group of the stack
 * (say 0.0.0.0/0 on 9098 of the brokers) never shows in a plan. The audit lists, read-only, every rule in
 * the stack's groups that no resource of the state accounts for.
 */
import { DescribeSecurityGroupsCommand, type EC2Client, type SecurityGroupRule } from "@aws-sdk/client-ec2";
import { describeRule, rulesOfGroupsIn } from "../recovery/kinds-network";
import { type StackJson, stackResources } from "../rehearsal/stack";
import type { AppliedState } from "../rehearsal/state";

export interface AuditFinding {
  readonly groupId: string;
  readonly groupName: string;
  /** The state address of the group. */
  readonly address: string;
  readonly ruleId: string;
  /** e.g. `ingress tcp 9098 from 0.0.0.0/0`. */
  readonly rule: string;
  readonly description: string;
  /** Open to 0.0.0.0/0 or ::/0. */
  readonly internet: boolean;
}

export interface AuditResult {
  readonly environment: string;
  /** Groups of the state that were audited. */
  readonly groups: number;
  /** Rules found in them. */
  readonly rules: number;
  readonly findings: readonly AuditFinding[];
  /** Groups of the state that no longer exist (a plan shows those itself). */
  readonly missingGroups: readonly string[];
}

const GROUP_TYPES = ["aws_security_group", "aws_default_security_group"];
const RULE_TYPES = ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"];

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** One comparable line per rule: direction, group, protocol, ports and one peer. */
function ruleKey(
  egress: boolean,
  group: string,
  protocol: unknown,
  from: unknown,
  to: unknown,
  peer: string,
): string {
  const p = String(protocol).toLowerCase();
  const normalized = { "6": "tcp", "17": "udp", "1": "icmp", all: "-1" }[p] ?? p;
  const ports = normalized === "-1" ? "all" : `${from}-${to}`;
  return [egress ? "egress" : "ingress", group, normalized, ports, peer].join("|");
}

/**
 * Rule keys of legacy aws_security_group_rule resources and of inline blocks, the latter only for groups
 * whose configuration declares them: a group without inline blocks reads every rule into its state, managed
 * or not.
 */
function managedKeys(state: AppliedState, inlineGroups: ReadonlySet<string>): Set<string> {
  const keys = new Set<string>();
  const add = (
    egress: boolean,
    group: string,
    v: Record<string, unknown>,
    self: boolean,
    sources: string[],
  ) => {
    for (const peer of [...sources, ...(self ? [group] : [])])
      keys.add(ruleKey(egress, group, v.protocol, v.from_port, v.to_port, peer));
  };
  for (const r of state.values()) {
    const v = r.values;
    if (GROUP_TYPES.includes(r.type) && inlineGroups.has(r.address)) {
      for (const [direction, egress] of [
        ["ingress", false],
        ["egress", true],
      ] as const) {
        for (const block of (v[direction] as Record<string, unknown>[] | undefined) ?? []) {
          add(egress, String(v.id), block, block.self === true, [
            ...list(block.cidr_blocks),
            ...list(block.ipv6_cidr_blocks),
            ...list(block.prefix_list_ids),
            ...list(block.security_groups),
          ]);
        }
      }
    }
    if (r.type === "aws_security_group_rule") {
      add(v.type === "egress", String(v.security_group_id), v, v.self === true, [
        ...list(v.cidr_blocks),
        ...list(v.ipv6_cidr_blocks),
        ...list(v.prefix_list_ids),
        ...(v.source_security_group_id ? [String(v.source_security_group_id)] : []),
      ]);
    }
  }
  return keys;
}

function liveKey(r: SecurityGroupRule): string {
  const peer = r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? r.ReferencedGroupInfo?.GroupId ?? "";
  return ruleKey(Boolean(r.IsEgress), r.GroupId ?? "", r.IpProtocol, r.FromPort, r.ToPort, peer);
}

export async function auditSecurityGroups(options: {
  readonly environment: string;
  readonly state: AppliedState;
  /** The synthesized stack: which groups declare inline rules. */
  readonly stack: StackJson;
  readonly ec2: EC2Client;
}): Promise<AuditResult> {
  const groups = [...options.state.values()].filter((r) => GROUP_TYPES.includes(r.type));
  const addressOf = new Map(groups.map((g) => [String(g.values.id), g.address]));
  const ids = [...addressOf.keys()];
  const live =
    ids.length === 0
      ? []
      : ((
          await options.ec2.send(
            new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-id", Values: ids }] }),
          )
        ).SecurityGroups ?? []);
  const names = new Map(live.map((g) => [g.GroupId ?? "", g.GroupName ?? ""]));
  const ruleIds = new Set(
    [...options.state.values()].filter((r) => RULE_TYPES.includes(r.type)).map((r) => String(r.values.id)),
  );
  const inlineGroups = new Set(
    stackResources(options.stack)
      .filter((r) => GROUP_TYPES.includes(r.type) && ("ingress" in r.config || "egress" in r.config))
      .map((r) => r.address),
  );
  const keys = managedKeys(options.state, inlineGroups);
  const rules = await rulesOfGroupsIn(
    options.ec2,
    ids.filter((id) => names.has(id)),
  );
  const findings = rules
    .filter((r) => !ruleIds.has(r.SecurityGroupRuleId ?? "") && !keys.has(liveKey(r)))
    .map((r) => ({
      groupId: r.GroupId ?? "",
      groupName: names.get(r.GroupId ?? "") ?? "",
      address: addressOf.get(r.GroupId ?? "") ?? "",
      ruleId: r.SecurityGroupRuleId ?? "",
      rule: describeRule(r),
      description: r.Description ?? "",
      internet: r.CidrIpv4 === "0.0.0.0/0" || r.CidrIpv6 === "::/0",
    }))
    .sort((a, b) => Number(b.internet) - Number(a.internet) || a.address.localeCompare(b.address));
  return {
    environment: options.environment,
    groups: names.size,
    rules: rules.length,
    findings,
    missingGroups: ids.filter((id) => !names.has(id)).map((id) => `${addressOf.get(id)} (${id})`),
  };
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The audit as a Markdown section (the PR review appends it). */
export function auditMarkdown(result: AuditResult): string {
  const lines: string[] = [];
  const n = result.findings.length;
  if (n === 0) {
    lines.push(
      `## Security groups of ${result.environment}: no unmanaged rules`,
      "",
      `All ${result.rules} rules in the ${result.groups} security groups of this stack are managed by it.`,
    );
  } else {
    const open = result.findings.filter((f) => f.internet).length;
    lines.push(
      `## :warning: Security groups of ${result.environment}: ${n} rule${n === 1 ? "" : "s"} not managed by this stack` +
        (open > 0 ? ` (${open} open to the internet)` : ""),
      "",
      "These rules are in the stack's security groups, but no resource of the stack manages them: someone or " +
        "something added them outside this repository. Terraform cannot see them (every rule here is a " +
        "standalone resource that reads only itself), so no plan shows them and no apply removes them. " +
        "Remove them, or add them to the code if they are meant to stay.",
      "",
      "| group | rule | description | rule id |",
      "| --- | --- | --- | --- |",
      ...result.findings.map(
        (f) =>
          `| ${cell(f.groupName)} (\`${f.address}\`) | ${f.internet ? ":no_entry: " : ""}${cell(f.rule)} | ` +
          `${cell(f.description) || "-"} | \`${f.ruleId}\` |`,
      ),
      "",
      "Remove one: `aws ec2 revoke-security-group-ingress --group-id <group> --security-group-rule-ids <rule id>` " +
        "(`revoke-security-group-egress` for egress rules).",
    );
  }
  if (result.missingGroups.length > 0)
    lines.push(
      "",
      `Groups in the state that no longer exist (the next plan re-creates them): ${result.missingGroups.join(", ")}.`,
    );
  return `${lines.join("\n")}\n`;
}
