/**
 * Every delete or replacement that loses no data still interrupts something: a port closes, an alarm stops
 * watching, a route disappears. The review lists each of them, grouped by kind, with what stops; for
 * security-group rules, the port and the source that lose access.
 */
import type { PlannedResource } from "../terraform";
import { DISRUPTIVE_TYPES } from "./stateful";

type Values = Readonly<Record<string, unknown>>;

/** Human names of resource kinds, for the group headings; other types show as their Terraform type. */
export const KIND_NAMES: Readonly<Record<string, string>> = {
  aws_vpc_security_group_ingress_rule: "Security group ingress rules",
  aws_vpc_security_group_egress_rule: "Security group egress rules",
  aws_security_group_rule: "Security group rules",
  aws_security_group: "Security groups",
  aws_default_security_group: "Default security groups",
  aws_route_table_association: "Route table associations",
  aws_route_table: "Route tables",
  aws_route: "Routes",
  aws_vpc_endpoint: "VPC endpoints",
  aws_vpc_endpoint_route_table_association: "VPC endpoint route table associations",
  aws_nat_gateway: "NAT gateways",
  aws_eip: "Elastic IPs",
  aws_internet_gateway: "Internet gateways",
  aws_subnet: "Subnets",
  aws_vpc: "VPCs",
  aws_flow_log: "VPC flow logs",
  aws_cloudwatch_metric_alarm: "CloudWatch alarms",
  aws_sns_topic: "SNS topics",
  aws_sns_topic_policy: "SNS topic policies",
  aws_sns_topic_subscription: "SNS subscriptions",
  aws_appautoscaling_target: "Storage autoscaling targets",
  aws_appautoscaling_policy: "Storage autoscaling policies",
  aws_mskconnect_connector: "MSK Connect connectors",
  aws_mskconnect_custom_plugin: "MSK Connect custom plugins",
  aws_mskconnect_worker_configuration: "MSK Connect worker configurations",
  aws_msk_configuration: "MSK configurations (not in use)",
  aws_msk_scram_secret_association: "SCRAM secret associations",
  aws_secretsmanager_secret_policy: "Secret policies",
  aws_iam_role: "IAM roles",
  aws_iam_role_policy: "IAM role policies",
  aws_iam_policy: "IAM policies",
  aws_iam_role_policy_attachment: "IAM policy attachments",
  aws_kms_alias: "KMS aliases",
  aws_s3_bucket_policy: "S3 bucket policies",
  aws_s3_bucket_versioning: "S3 bucket versioning",
  aws_s3_bucket_lifecycle_configuration: "S3 lifecycle configurations",
  aws_s3_bucket_logging: "S3 access logging",
  aws_s3_bucket_public_access_block: "S3 public access blocks",
  aws_s3_bucket_ownership_controls: "S3 ownership controls",
  aws_s3_bucket_server_side_encryption_configuration: "S3 default encryption",
  aws_kinesisanalyticsv2_application: "Flink applications (snapshots off)",
  aws_cloudwatch_log_stream: "CloudWatch log streams",
};

/** What stops while a resource of these types is gone, beyond DISRUPTIVE_TYPES. */
const EFFECTS: Readonly<Record<string, (b: Values) => string>> = {
  aws_route_table_association: (b) =>
    `subnet ${String(b.subnet_id ?? b.gateway_id ?? "?")} falls back to the VPC's main route table (its NAT and S3 endpoint routes stop applying) until re-associated`,
  aws_route: (b) =>
    `traffic to ${String(b.destination_cidr_block ?? b.destination_prefix_list_id ?? "the destination")} has no route until it is re-created`,
  aws_vpc_endpoint: () =>
    "traffic through the endpoint (S3 from the private subnets) stops until it is re-created",
  aws_cloudwatch_metric_alarm: (b) =>
    `nothing watches ${String(b.alarm_name ?? "this signal")} until it is re-created (an alarm in ALARM state starts over)`,
  aws_sns_topic_subscription: (b) =>
    `${String(b.endpoint ?? "the subscriber")} stops receiving alarms; an email subscription must be confirmed again`,
  aws_sns_topic_policy: () => "CloudWatch cannot publish alarms to the topic until the policy is back",
  aws_appautoscaling_policy: () => "broker storage stops growing on its own until the policy is re-created",
  aws_mskconnect_custom_plugin: () =>
    "the connector that uses it is replaced with it (it restarts from its offsets)",
  aws_mskconnect_worker_configuration: () =>
    "the connector that uses it is replaced with it (it restarts from its offsets)",
  aws_iam_role_policy: (b) =>
    `the role loses the permissions of ${String(b.name ?? "this policy")} until re-created`,
  aws_iam_role_policy_attachment: () => "the role loses the attached policy's permissions until re-attached",
  aws_iam_policy: (b) =>
    `roles lose ${String(b.name ?? "the policy")} until it is re-created and re-attached`,
  aws_s3_bucket_policy: () =>
    "the bucket's TLS-only and encryption guard rails are off until the policy is back",
  aws_s3_bucket_public_access_block: () => "the bucket's public access block is off until it is re-created",
  aws_flow_log: () => "VPC flow logs stop until re-created",
  aws_secretsmanager_secret_policy: () => "MSK cannot read the SCRAM secret until the policy is back",
};

const protocolText = (p: unknown) =>
  p === "-1" || p === -1 || p === "all" ? "all traffic" : String(p ?? "tcp");
const portText = (from: unknown, to: unknown, protocol: unknown) => {
  if (protocolText(protocol) === "all traffic") return "all ports";
  return from === to
    ? `${protocolText(protocol)} ${String(from)}`
    : `${protocolText(protocol)} ${String(from)}-${String(to)}`;
};

/** Security groups by id, named, from the prior state. */
function groupName(groups: readonly PlannedResource[], id: unknown): string | undefined {
  if (typeof id !== "string") return undefined;
  const group = groups.find((g) => g.values.id === id);
  // Groups named by prefix get a random suffix: the prefix is the name people recognise.
  const prefix = group?.values.name_prefix;
  const name = typeof prefix === "string" && prefix ? prefix.replace(/-$/, "") : group?.values.name;
  return typeof name === "string" ? `${name} (${id})` : id;
}

/** The port a security-group rule opens and between whom, e.g. "tcp 9098 into X from Y". */
export function rulePath(type: string, before: Values, groups: readonly PlannedResource[]): string {
  const egress = type === "aws_vpc_security_group_egress_rule" || before.type === "egress";
  const port = portText(before.from_port, before.to_port, before.ip_protocol ?? before.protocol);
  const group = groupName(groups, before.security_group_id) ?? "its group";
  const peer =
    groupName(groups, before.referenced_security_group_id ?? before.source_security_group_id) ??
    (before.cidr_ipv4 as string | undefined) ??
    (before.cidr_ipv6 as string | undefined) ??
    (before.prefix_list_id as string | undefined) ??
    (Array.isArray(before.cidr_blocks) ? before.cidr_blocks.join(", ") : undefined) ??
    "its source";
  return egress ? `${port} out of ${group} to ${peer}` : `${port} into ${group} from ${peer}`;
}

const RULE_TYPES = [
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
  "aws_security_group_rule",
];

/** Same port, protocol, group and peer: the rule re-created under another address. */
function sameRule(a: Values, b: Values): boolean {
  const keys = [
    "from_port",
    "to_port",
    "ip_protocol",
    "protocol",
    "type",
    "security_group_id",
    "referenced_security_group_id",
    "source_security_group_id",
    "cidr_ipv4",
    "prefix_list_id",
  ];
  return keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** A deleted or replaced resource that loses no data, with what it interrupts. */
export interface Disruption {
  /** Group heading: the resource kind. */
  readonly kind: string;
  /** What stops. */
  readonly effect: string;
  /** For security-group rules: the port path that closes. */
  readonly closes?: string;
}

/**
 * What a delete or replacement interrupts. `replacedFirstDeleted` is true when Terraform destroys before it
 * creates; `twins` are the resources the same plan creates (a rule re-created under a new address).
 */
export function disruptionOf(
  type: string,
  action: "replace" | "delete",
  before: Values,
  options: {
    readonly destroyFirst: boolean;
    readonly groups: readonly PlannedResource[];
    readonly created: readonly { readonly type: string; readonly address: string; readonly after: Values }[];
  },
): Disruption {
  const kind = KIND_NAMES[type] ?? type;
  if (RULE_TYPES.includes(type)) {
    const closes = rulePath(type, before, options.groups);
    const twin = options.created.find((c) => c.type === type && sameRule(before, c.after));
    const effect =
      action === "replace"
        ? options.destroyFirst
          ? `closes ${closes} while the rule is replaced (deleted first, then created)`
          : `is replaced; ${closes} stays open (created first)`
        : twin
          ? `closes ${closes} until \`${twin.address}\` re-opens it later in the same apply`
          : `closes ${closes}`;
    return { kind, effect, closes };
  }
  const known = DISRUPTIVE_TYPES[type] ?? EFFECTS[type]?.(before);
  const effect =
    known ??
    (action === "replace"
      ? "is destroyed and re-created; what depends on it is interrupted meanwhile"
      : "is removed; what depended on it loses it");
  return { kind, effect };
}
