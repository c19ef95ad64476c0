import { isWildcardPrincipal, type PolicyLocation, type Statement } from "../policy-documents";
import { type PolicyContext, type PolicyRule, type RuleViolation, unless } from "../rule";

/**
 * Actions that support no resource-level permissions, so `"Resource": "*"` is the only way to grant them
 * (Service Authorization Reference, "Resource types" column empty). Only read-only and metric actions are
 * listed: anything that reads data, writes or grants credentials must name its resources.
 */
export const UNRESTRICTABLE_ACTIONS: readonly string[] = [
  "cloudwatch:GetMetricData",
  "cloudwatch:ListMetrics",
  "cloudwatch:PutMetricData",
  "ec2:DescribeDhcpOptions",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeVpcs",
  "kafka:DescribeClusterOperation",
  "kafka:GetCompatibleKafkaVersions",
  "kafka:ListClusters",
  "kafka:ListClustersV2",
  "kafka:ListKafkaVersions",
  "kafkaconnect:ListConnectors",
  "kafkaconnect:ListCustomPlugins",
  "kafkaconnect:ListWorkerConfigurations",
  "kms:ListAliases",
  "kms:ListKeys",
  "logs:DescribeLogGroups",
  "s3:ListAllMyBuckets",
  "secretsmanager:GetRandomPassword",
  "secretsmanager:ListSecrets",
  "sts:GetCallerIdentity",
  "xray:PutTelemetryRecords",
  "xray:PutTraceSegments",
].map((a) => a.toLowerCase());

const where = (location: PolicyLocation, statement: Statement): string =>
  `${location.attribute}${statement.sid ? ` statement "${statement.sid}"` : ""}`;

/** Allow statements of the documents of the given kinds, with where they are. */
function allows(context: PolicyContext, ...kinds: PolicyLocation["kind"][]) {
  return context.policies
    .filter((p) => kinds.includes(p.kind) && p.statements !== undefined)
    .flatMap((location) =>
      (location.statements ?? [])
        .filter((s) => s.effect === "Allow")
        .map((statement) => ({ location, statement })),
    );
}

function wildcardPrincipalAllows(
  context: PolicyContext,
  kinds: PolicyLocation["kind"][],
  requireNoCondition: boolean,
) {
  return allows(context, ...kinds).flatMap(({ location, statement }): RuleViolation[] =>
    unless(
      !statement.principals.some(isWildcardPrincipal) ||
        (requireNoCondition && statement.conditions.length > 0),
      location.resource,
      `${where(location, statement)} allows the wildcard principal "*"${requireNoCondition ? " without a condition" : ""}`,
    ),
  );
}

export const IAM_RULES: readonly PolicyRule[] = [
  {
    id: "MSKP-IAM-001",
    mirrors: ["CKV_AWS_60"],
    title: "No IAM role trust policy lets any principal (*) assume the role",
    fix: "trust a specific service or account principal, with aws:SourceAccount / aws:SourceArn conditions",
    check: (context) => wildcardPrincipalAllows(context, ["trust"], false),
  },
  {
    id: "MSKP-IAM-002",
    mirrors: ["CKV_AWS_62", "CKV_AWS_63"],
    title: 'No identity policy allows every action ("Action": "*")',
    fix: "list the actions the role needs",
    check: (context) =>
      allows(context, "identity").flatMap(({ location, statement }) =>
        unless(
          !statement.actions.includes("*"),
          location.resource,
          `${where(location, statement)} allows "Action": "*"`,
        ),
      ),
  },
  {
    id: "MSKP-IAM-003",
    mirrors: ["CKV_AWS_355", "CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289", "CKV_AWS_290"],
    title: 'No identity policy grants restrictable actions on "Resource": "*"',
    fix: "name the resources (cluster, topic, group, bucket, key ARNs); keep * only for actions without resource-level permissions",
    check: (context) =>
      allows(context, "identity").flatMap(({ location, statement }) => {
        if (!statement.resources.includes("*")) return [];
        const restrictable = statement.actions.filter(
          (a) => !UNRESTRICTABLE_ACTIONS.includes(a.toLowerCase()),
        );
        return unless(
          restrictable.length === 0 && statement.notActions.length === 0,
          location.resource,
          `${where(location, statement)} grants ${[...restrictable, ...statement.notActions.map((a) => `NotAction ${a}`)].join(", ")} on "Resource": "*"`,
        );
      }),
  },
  {
    id: "MSKP-IAM-004",
    mirrors: ["AVD-AWS-0345"],
    title: 'No policy allows "s3:*"',
    fix: "list the S3 actions needed (s3:PutObject, s3:GetObject, s3:ListBucket, ...)",
    check: (context) =>
      allows(context, "identity", "resource").flatMap(({ location, statement }) =>
        unless(
          !statement.actions.some((a) => a.toLowerCase() === "s3:*"),
          location.resource,
          `${where(location, statement)} allows "s3:*"`,
        ),
      ),
  },
  {
    id: "MSKP-IAM-005",
    mirrors: [],
    title: "Roles MSK Connect assumes pin aws:SourceAccount and aws:SourceArn (confused deputy)",
    fix: 'add Condition { StringEquals: { "aws:SourceAccount": <account> }, ArnLike: { "aws:SourceArn": "arn:<partition>:kafkaconnect:<region>:<account>:connector/<prefix>-*" } }',
    check: (context) =>
      allows(context, "trust").flatMap(({ location, statement }) => {
        const connect = statement.principals.some(
          (p) => p.type === "Service" && p.id.startsWith("kafkaconnect.amazonaws.com"),
        );
        if (!connect) return [];
        const keys = statement.conditions.map((c) => c.key.toLowerCase());
        const missing = ["aws:SourceAccount", "aws:SourceArn"].filter((k) => !keys.includes(k.toLowerCase()));
        return unless(
          missing.length === 0,
          location.resource,
          `${where(location, statement)} trusts kafkaconnect.amazonaws.com without ${missing.join(" and ")}`,
        );
      }),
  },
  {
    id: "MSKP-IAM-006",
    mirrors: ["CKV_AWS_70"],
    title: "No resource policy (bucket, topic, secret, cluster) allows the wildcard principal",
    fix: "grant named principals (account roots, roles or service principals with a source condition)",
    check: (context) => wildcardPrincipalAllows(context, ["resource"], false),
  },
  {
    id: "MSKP-IAM-007",
    mirrors: ["CKV_AWS_33"],
    title: "No KMS key policy allows the wildcard principal without a condition",
    fix: "grant the account root and service principals; condition any wildcard grant",
    check: (context) => wildcardPrincipalAllows(context, ["key"], true),
  },
  {
    id: "MSKP-IAM-008",
    mirrors: [],
    title: "Every policy document is plain JSON the guardrails (and scanners) can read at synth",
    fix: `render the document with policyDocument() from modules/common/iam.ts (JSON with \${...} references), not an HCL expression`,
    check: (context) =>
      context.policies.flatMap((p) =>
        unless(p.unreadable === undefined, p.resource, `${p.attribute} cannot be read: ${p.unreadable}`),
      ),
  },
  {
    id: "MSKP-IAM-009",
    mirrors: [],
    title:
      'MSK cluster policies grant only the accounts and roles the environment lists (sharing.accounts), never "*", and no wildcard action (kafka:*, kafka-cluster:*)',
    fix: "list the other accounts (or their roles) in sharing.accounts and grant the actions one by one (modules/sharing/cluster-policy.ts)",
    check: (context) =>
      allows(context, "resource")
        .filter(({ location }) => location.resource.type === "aws_msk_cluster_policy")
        .flatMap(({ location, statement }): RuleViolation[] => {
          const strangers = statement.principals
            .filter((p) => p.type !== "AWS" || !context.sharedPrincipals.includes(p.id))
            .map((p) => (p.type === "AWS" ? p.id : `${p.type}:${p.id}`));
          const wildcards = [
            ...statement.actions,
            ...statement.notActions.map((a) => `NotAction ${a}`),
          ].filter((a) => a.includes("*"));
          return [
            ...unless(
              strangers.length === 0 && statement.principals.length > 0,
              location.resource,
              `${where(location, statement)} grants ${strangers.join(", ") || "no principal"}, not an account or role of sharing.accounts (${context.sharedPrincipals.join(", ") || "none listed"})`,
            ),
            ...unless(
              wildcards.length === 0,
              location.resource,
              `${where(location, statement)} allows the wildcard action${wildcards.length === 1 ? "" : "s"} ${wildcards.join(", ")}`,
            ),
          ];
        }),
  },
  {
    id: "MSKP-IAM-010",
    mirrors: ["AVD-AWS-0057"],
    title:
      'No identity policy allows a wildcard action ("kafka-cluster:*", "glue:*", "ec2:Describe*", ...) or NotAction',
    fix: "list each action the role needs by its full name; a wildcard grows with every action AWS adds to the service",
    check: (context) =>
      allows(context, "identity").flatMap(({ location, statement }) => {
        // "Action": "*" alone is MSKP-IAM-002's finding.
        const wildcards = [...statement.actions, ...statement.notActions].filter(
          (a) => a !== "*" && a.includes("*"),
        );
        return unless(
          wildcards.length === 0 && statement.notActions.length === 0,
          location.resource,
          `${where(location, statement)} allows ${[...wildcards, ...statement.notActions.map((a) => `NotAction ${a}`)].join(", ")}`,
        );
      }),
  },
  {
    id: "MSKP-IAM-011",
    mirrors: [],
    title:
      "Roles an AWS service assumes trust that one service only, pinned to this account (aws:SourceAccount)",
    fix: 'trust one service principal per statement with Condition { StringEquals: { "aws:SourceAccount": <account> } } (serviceTrustPolicy in modules/common/iam.ts)',
    check: (context) =>
      allows(context, "trust").flatMap(({ location, statement }) => {
        const services = statement.principals.filter((p) => p.type === "Service");
        if (services.length === 0) return [];
        const others = statement.principals.filter((p) => p.type !== "Service" || p !== services[0]);
        const pinned = statement.conditions.some((c) => c.key.toLowerCase() === "aws:sourceaccount");
        return [
          ...unless(
            others.length === 0,
            location.resource,
            `${where(location, statement)} trusts ${services[0].id} together with ${others.map((p) => `${p.type}:${p.id}`).join(", ")}`,
          ),
          ...unless(
            pinned,
            location.resource,
            `${where(location, statement)} trusts ${services.map((p) => p.id).join(", ")} without an aws:SourceAccount condition (confused deputy)`,
          ),
        ];
      }),
  },
  {
    id: "MSKP-IAM-012",
    mirrors: [],
    title:
      "Roles Managed Service for Apache Flink assumes pin aws:SourceAccount and aws:SourceArn (their application)",
    fix: 'add Condition { StringEquals: { "aws:SourceAccount": <account> }, ArnLike: { "aws:SourceArn": "arn:<partition>:kinesisanalytics:<region>:<account>:application/<name>" } }',
    check: (context) =>
      allows(context, "trust").flatMap(({ location, statement }) => {
        const flink = statement.principals.some(
          (p) => p.type === "Service" && p.id.startsWith("kinesisanalytics.amazonaws.com"),
        );
        if (!flink) return [];
        const arn = statement.conditions.find((c) => c.key.toLowerCase() === "aws:sourcearn");
        const missing = [
          ...(statement.conditions.some((c) => c.key.toLowerCase() === "aws:sourceaccount")
            ? []
            : ["aws:SourceAccount"]),
          ...(arn?.values.every((v) => v.includes(":kinesisanalytics:") && v.includes(":application/")) ===
          true
            ? []
            : ["aws:SourceArn of an application"]),
        ];
        return unless(
          missing.length === 0,
          location.resource,
          `${where(location, statement)} trusts kinesisanalytics.amazonaws.com without ${missing.join(" and ")}`,
        );
      }),
  },
];
