/**
 * The policy pack: every rule fires on a minimal stack that breaks it and stays quiet on one that does not;
 * exceptions, reference following, synth enforcement and the real environments.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn, LocalBackend, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { policyDocument, serviceTrustPolicy } from "../modules/common/iam";
import { declarePolicyException } from "../modules/common/policy-exceptions";
import {
  buildEnvironmentStacks,
  POLICY_EXCEPTIONS_FILE,
  type StackFactory,
  synthesizeEnvironments,
} from "../stacks/app";
import type { EnvironmentConfig } from "../stacks/config";
import { resolveEnvironment } from "../stacks/defaults";
import { loadEnvironments } from "../stacks/environments";
import { PlatformStack } from "../stacks/platform-stack";
import { POLICY_REPORT_FILE, POLICY_RULES, PolicyPack, type PolicyReport } from "../stacks/policy";
import { clientStacksOf } from "../stacks/stack-names";
import {
  compliantPlatform,
  denyInsecureTransport,
  evaluate,
  type Platform,
  SERVER_PROPERTIES,
  violationsOf,
} from "./support/policy-fixtures";
import { buildStack, ENVIRONMENTS } from "./support/synth";

const ids = POLICY_RULES.map((r) => r.id);

/**
 * Exceptions a Lambda consumer function the stack creates carries: outside the VPC and without a dead-letter
 * queue by design (modules/consumers/lambda-consumer.ts), unreserved or unsigned when its environment file says
 * so (stacks/policy/opt-ins.ts).
 */
function lambdaConsumerExceptions(config: EnvironmentConfig): string[] {
  return (config.consumers?.lambda ?? []).flatMap((consumer) => {
    const fn = consumer.function;
    // glue:GetSchemaVersion on "*" for the schemas the function deserializes: on its own inline policy when the
    // stack creates the function, on the managed policy attached to an existing function's role otherwise.
    const schemaPolicy = fn.source === "s3" ? "schemas-policy" : "policy";
    const schemaExceptions =
      (consumer.schemas ?? []).length > 0 && config.schemaRegistry
        ? [`MSKP-IAM-003 lambda-consumers/${consumer.name}/${schemaPolicy}`]
        : [];
    if (fn.source !== "s3") return schemaExceptions;
    const path = `lambda-consumers/${consumer.name}/function`;
    return [
      ...schemaExceptions,
      `MSKP-LAMBDA-002 ${path}`,
      `MSKP-LAMBDA-003 ${path}`,
      ...(fn.reservedConcurrency === undefined ? [`MSKP-LAMBDA-004 ${path}`] : []),
      ...(fn.codeSigningConfigArn === undefined ? [`MSKP-LAMBDA-005 ${path}`] : []),
    ];
  });
}

describe("the compliant minimal stack", () => {
  const report = evaluate(compliantPlatform().stack, true);

  it("passes every rule, production ones included", () => {
    expect(report.findings).toEqual([]);
    expect(report.rulesEvaluated).toEqual(ids);
  });

  it("gives every rule something to check (no rule passes by finding nothing)", () => {
    const types = Object.keys(
      (compliantPlatform().stack.toTerraform() as { resource: Record<string, unknown> }).resource,
    );
    for (const type of [
      "aws_msk_cluster",
      "aws_s3_bucket",
      "aws_kms_key",
      "aws_cloudwatch_log_group",
      "aws_sns_topic",
      "aws_secretsmanager_secret",
      "aws_vpc",
      "aws_subnet",
      "aws_security_group",
      "aws_vpc_security_group_ingress_rule",
      "aws_vpc_security_group_egress_rule",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_s3_bucket_policy",
      "aws_cloudwatch_metric_alarm",
      "aws_msk_cluster_policy",
      "aws_lambda_function",
      "aws_lambda_event_source_mapping",
    ]) {
      expect(types).toContain(type);
    }
  });
});

it("has stable, unique rule ids, each with a title and a fix", () => {
  expect(new Set(ids).size).toBe(ids.length);
  for (const rule of POLICY_RULES) {
    expect(rule.id).toMatch(/^MSKP-(ENC|LOG|NET|IAM|LAMBDA|S3|REL|PROT|STATE)-\d{3}$/);
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.fix.length).toBeGreaterThan(10);
    for (const mirror of rule.mirrors) expect(mirror).toMatch(/^(CKV2?_AWS_\d+|AVD-AWS-\d{4})$/);
  }
});

it("is documented: the README's Guardrails table lists every rule id with the ids it mirrors", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
  for (const rule of POLICY_RULES) {
    const row = readme.split("\n").find((line) => line.startsWith(`| \`${rule.id}\` |`));
    expect(row).toBeDefined();
    expect(row?.endsWith(`| ${rule.mirrors.length > 0 ? rule.mirrors.join(", ") : "-"} |`)).toBe(true);
  }
});

/** One rule, one way to break it, and the exact findings it must produce. */
interface Case {
  readonly rule: string;
  readonly title: string;
  readonly production?: boolean;
  readonly breakIt: (p: Platform) => void;
  readonly expected: readonly string[];
  /** Sibling rules the same break rightly fires too. @default [] */
  readonly alsoFires?: readonly string[];
}

const CLUSTER = "aws_msk_cluster.cluster";

/** Places the brokers in other subnets (overrides would append to the list, not replace it). */
function placeBrokers(p: Platform, subnetIds: string[]): void {
  p.cluster.putBrokerNodeGroupInfo({
    instanceType: "kafka.m5.large",
    clientSubnets: subnetIds,
    securityGroups: [p.brokerSecurityGroup.id],
    connectivityInfo: { publicAccess: { type: "DISABLED" } },
  });
}
const BUCKET = "aws_s3_bucket.bucket";

const FN = "aws_lambda_function.fn";

const cases: Case[] = [
  {
    rule: "MSKP-LAMBDA-001",
    title: "a function without X-Ray tracing",
    breakIt: (p) => p.fn.resetTracingConfig(),
    expected: [`${FN}: tracing_config mode is not set`],
  },
  {
    rule: "MSKP-LAMBDA-001",
    title: "a function passing traces through only",
    breakIt: (p) => p.fn.putTracingConfig({ mode: "PassThrough" }),
    expected: [`${FN}: tracing_config mode is PassThrough`],
  },
  {
    rule: "MSKP-LAMBDA-002",
    title: "a function outside the VPC",
    breakIt: (p) => p.fn.resetVpcConfig(),
    expected: [`${FN}: has no vpc_config`],
  },
  {
    rule: "MSKP-LAMBDA-003",
    title: "a function without a dead-letter queue",
    breakIt: (p) => p.fn.resetDeadLetterConfig(),
    expected: [`${FN}: has no dead_letter_config target`],
  },
  {
    rule: "MSKP-LAMBDA-004",
    title: "a function without reserved concurrency",
    breakIt: (p) => p.fn.resetReservedConcurrentExecutions(),
    expected: [`${FN}: reserved_concurrent_executions is not set`],
  },
  {
    rule: "MSKP-LAMBDA-005",
    title: "a function without code signing",
    breakIt: (p) => p.fn.resetCodeSigningConfigArn(),
    expected: [`${FN}: has no code_signing_config_arn`],
  },
  {
    rule: "MSKP-LAMBDA-006",
    title: "environment variables without a customer key",
    breakIt: (p) => p.fn.resetKmsKeyArn(),
    expected: [`${FN}: has environment variables and no kms_key_arn`],
  },
  {
    rule: "MSKP-LAMBDA-007",
    title: "a function logging to the group Lambda would create",
    breakIt: (p) => {
      // The stack's /aws/lambda/test-fn would still count for a function of that name.
      p.fn.resetLoggingConfig();
      p.fn.functionName = "other-fn";
    },
    expected: [
      `${FN}: logs to a group this stack does not manage (Lambda would create one unencrypted and never expiring)`,
    ],
  },
  {
    rule: "MSKP-LAMBDA-007",
    title: "a function logging to a group outside the stack",
    breakIt: (p) => p.fn.putLoggingConfig({ logFormat: "JSON", logGroup: "/shared/lambda" }),
    expected: [
      `${FN}: logs to a group this stack does not manage (Lambda would create one unencrypted and never expiring)`,
    ],
  },
  {
    rule: "MSKP-LAMBDA-008",
    title: "an MSK event source mapping without an on-failure destination",
    breakIt: (p) => p.mapping.resetDestinationConfig(),
    expected: [
      "aws_lambda_event_source_mapping.mapping: has no on-failure destination: a batch Lambda discards (payload over 6 MB, retries exhausted) leaves no trace",
    ],
  },
  {
    rule: "MSKP-IAM-010",
    title: "a service-wide wildcard action",
    breakIt: (p) => {
      p.connectPolicy.policy = policyDocument({
        Sid: "Topics",
        Effect: "Allow",
        Action: ["kafka-cluster:*Topic*", "kafka-cluster:ReadData"],
        Resource: p.cluster.arn,
      });
    },
    expected: ['aws_iam_role_policy.connect-policy: policy statement "Topics" allows kafka-cluster:*Topic*'],
  },
  {
    rule: "MSKP-IAM-011",
    title: "a role a service assumes without aws:SourceAccount",
    breakIt: (p) => {
      p.connectRole.assumeRolePolicy = policyDocument({
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
      });
    },
    expected: [
      "aws_iam_role.connect-role: assume_role_policy trusts lambda.amazonaws.com without an aws:SourceAccount condition (confused deputy)",
    ],
  },
  {
    rule: "MSKP-IAM-011",
    title: "a role trusted by a service and an account in one statement",
    breakIt: (p) => {
      p.connectRole.assumeRolePolicy = policyDocument({
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com", AWS: "arn:aws:iam::111111111111:root" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
      });
    },
    expected: [
      "aws_iam_role.connect-role: assume_role_policy trusts lambda.amazonaws.com together with AWS:arn:aws:iam::111111111111:root",
    ],
  },
  {
    rule: "MSKP-ENC-001",
    title: "TLS_PLAINTEXT between clients and brokers",
    breakIt: (p) =>
      p.cluster.addOverride("encryption_info.encryption_in_transit.client_broker", "TLS_PLAINTEXT"),
    expected: [`${CLUSTER}: encryption_in_transit is client_broker TLS_PLAINTEXT, in_cluster true`],
  },
  {
    rule: "MSKP-ENC-001",
    title: "no in-cluster encryption",
    breakIt: (p) => p.cluster.addOverride("encryption_info.encryption_in_transit.in_cluster", false),
    expected: [`${CLUSTER}: encryption_in_transit is client_broker TLS, in_cluster false`],
  },
  {
    rule: "MSKP-ENC-002",
    title: "at-rest encryption with the AWS-managed key",
    breakIt: (p) => p.cluster.addOverride("encryption_info.encryption_at_rest_kms_key_arn", ""),
    expected: [`${CLUSTER}: encryption_at_rest_kms_key_arn is not set, so MSK uses an AWS-managed key`],
  },
  {
    rule: "MSKP-ENC-003",
    title: "a bucket with SSE-S3",
    breakIt: (p) =>
      p.bucketEncryption.putRule([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]),
    expected: [`${BUCKET}: default encryption is AES256 without a customer key`],
  },
  {
    rule: "MSKP-ENC-003",
    title: "a bucket without an encryption configuration",
    breakIt: (p) => p.stack.node.tryRemoveChild("bucket-encryption"),
    expected: [`${BUCKET}: no server-side encryption configuration references this bucket`],
  },
  {
    rule: "MSKP-ENC-004",
    title: "a log group without a KMS key",
    breakIt: (p) => p.logGroup.resetKmsKeyId(),
    expected: ["aws_cloudwatch_log_group.log-group: kms_key_id is not set"],
  },
  {
    rule: "MSKP-ENC-005",
    title: "a key without rotation",
    breakIt: (p) => {
      p.key.enableKeyRotation = false;
    },
    expected: ["aws_kms_key.key: enable_key_rotation is not true"],
  },
  {
    rule: "MSKP-ENC-006",
    title: "a key without an explicit policy",
    breakIt: (p) => p.key.resetPolicy(),
    expected: ["aws_kms_key.key: the key has no explicit policy, so AWS applies the default key policy"],
  },
  {
    rule: "MSKP-ENC-007",
    title: "an unencrypted alarm topic",
    breakIt: (p) => p.topic.resetKmsMasterKeyId(),
    expected: ["aws_sns_topic.alarm-topic: kms_master_key_id is not set"],
  },
  {
    rule: "MSKP-ENC-007",
    title: "an alarm topic under the AWS-managed key",
    breakIt: (p) => {
      p.topic.kmsMasterKeyId = "alias/aws/sns";
    },
    expected: ["aws_sns_topic.alarm-topic: kms_master_key_id is the AWS-managed alias/aws/sns"],
  },
  {
    rule: "MSKP-ENC-008",
    title: "a SCRAM secret under the AWS-managed key",
    breakIt: (p) => {
      p.secret.kmsKeyId = "alias/aws/secretsmanager";
    },
    expected: ["aws_secretsmanager_secret.secret: kms_key_id is the AWS-managed alias/aws/secretsmanager"],
  },
  {
    rule: "MSKP-LOG-001",
    title: "a log group kept 30 days",
    breakIt: (p) => {
      p.logGroup.retentionInDays = 30;
    },
    expected: ["aws_cloudwatch_log_group.log-group: retention_in_days is 30"],
  },
  {
    rule: "MSKP-LOG-001",
    title: "a log group without retention",
    breakIt: (p) => p.logGroup.resetRetentionInDays(),
    expected: ["aws_cloudwatch_log_group.log-group: retention_in_days is not set"],
  },
  {
    rule: "MSKP-LOG-002",
    title: "broker logs switched off",
    breakIt: (p) => p.cluster.addOverride("logging_info.broker_logs.cloudwatch_logs.enabled", false),
    expected: [`${CLUSTER}: no broker log destination is enabled`],
  },
  {
    rule: "MSKP-NET-001",
    title: "broker ingress from the internet",
    breakIt: (p) => {
      p.ingress.resetReferencedSecurityGroupId();
      p.ingress.cidrIpv4 = "0.0.0.0/0";
    },
    expected: [
      "aws_vpc_security_group_ingress_rule.ingress-iam: allows ingress on tcp 9098-9098 from 0.0.0.0/0",
    ],
  },
  {
    rule: "MSKP-NET-001",
    title: "inline ingress from ::/0",
    breakIt: (p) =>
      p.brokerSecurityGroup.addOverride("ingress", [
        { ipv6_cidr_blocks: ["::/0"], protocol: "tcp", from_port: 9098, to_port: 9098, description: "x" },
      ]),
    expected: ["aws_security_group.brokers: ingress[0] allows ingress on tcp 9098-9098 from ::/0"],
  },
  {
    rule: "MSKP-NET-002",
    title: "egress to the internet on all ports",
    breakIt: (p) => {
      p.egress.cidrIpv4 = "0.0.0.0/0";
      p.egress.ipProtocol = "-1";
    },
    expected: ["aws_vpc_security_group_egress_rule.egress-vpc: allows egress on all ports to the internet"],
    alsoFires: ["MSKP-NET-003"],
  },
  {
    rule: "MSKP-NET-003",
    title: "HTTPS egress to the internet",
    breakIt: (p) => {
      p.egress.cidrIpv4 = "0.0.0.0/0";
      p.egress.fromPort = 443;
      p.egress.toPort = 443;
    },
    expected: ["aws_vpc_security_group_egress_rule.egress-vpc: allows egress on tcp 443-443 to 0.0.0.0/0"],
  },
  {
    rule: "MSKP-NET-004",
    title: "a security group with the provider's default description",
    breakIt: (p) => {
      p.clientSecurityGroup.description = "Managed by Terraform";
    },
    expected: ['aws_security_group.clients: description is "Managed by Terraform"'],
  },
  {
    rule: "MSKP-NET-004",
    title: "a security group without a description",
    breakIt: (p) => p.clientSecurityGroup.resetDescription(),
    expected: [
      'aws_security_group.clients: description is not set (the provider writes "Managed by Terraform")',
    ],
  },
  {
    rule: "MSKP-NET-005",
    title: "a rule without a description",
    breakIt: (p) => p.ingress.resetDescription(),
    expected: [
      "aws_vpc_security_group_ingress_rule.ingress-iam: ingress rule on tcp 9098-9098 has no description",
    ],
  },
  {
    rule: "MSKP-NET-006",
    title: "a VPC without flow logs",
    breakIt: (p) => p.stack.node.tryRemoveChild("flow-log"),
    expected: ["aws_vpc.vpc: no aws_flow_log references this VPC"],
  },
  {
    rule: "MSKP-NET-007",
    title: "a default security group left unmanaged",
    breakIt: (p) => p.stack.node.tryRemoveChild("default-sg"),
    expected: ["aws_vpc.vpc: the default security group is not managed, so it keeps its allow-all rules"],
  },
  {
    rule: "MSKP-NET-007",
    title: "a default security group with a rule",
    breakIt: (p) =>
      p.defaultSecurityGroup.addOverride("egress", [
        { cidr_blocks: ["10.0.0.0/16"], protocol: "-1", from_port: 0, to_port: 0, description: "all" },
      ]),
    expected: ["aws_default_security_group.default-sg: the default security group has rules"],
  },
  {
    rule: "MSKP-NET-008",
    title: "a subnet mapping public IPs",
    breakIt: (p) => {
      p.publicSubnet.mapPublicIpOnLaunch = true;
    },
    expected: ["aws_subnet.public: map_public_ip_on_launch is true"],
  },
  {
    rule: "MSKP-NET-009",
    title: "public broker access",
    breakIt: (p) =>
      p.cluster.addOverride(
        "broker_node_group_info.connectivity_info.public_access.type",
        "SERVICE_PROVIDED_EIPS",
      ),
    expected: [
      `${CLUSTER}: public_access.type is SERVICE_PROVIDED_EIPS: brokers get internet-facing addresses`,
    ],
  },
  {
    rule: "MSKP-NET-010",
    title: "brokers in a subnet routed to the internet gateway",
    breakIt: (p) => placeBrokers(p, [...p.privateSubnets.slice(0, 2).map((s) => s.id), p.publicSubnet.id]),
    expected: [
      `${CLUSTER}: uses aws_subnet.public, a public subnet (it routes to an internet gateway or maps public IPs)`,
    ],
  },
  {
    rule: "MSKP-NET-011",
    title: "a security group nothing attaches",
    breakIt: (p) => {
      new SecurityGroup(p.stack, "stray", {
        vpcId: p.vpc.id,
        description: "Left over from a debugging session",
      });
    },
    expected: ["aws_security_group.stray: is not attached to any resource of this stack"],
  },
  {
    rule: "MSKP-IAM-001",
    title: "a role anyone may assume",
    breakIt: (p) => {
      p.connectRole.assumeRolePolicy = policyDocument({
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "sts:AssumeRole",
      });
    },
    expected: ['aws_iam_role.connect-role: assume_role_policy allows the wildcard principal "*"'],
  },
  {
    rule: "MSKP-IAM-002",
    title: "a policy allowing every action",
    breakIt: (p) => {
      p.connectPolicy.policy = policyDocument({
        Sid: "All",
        Effect: "Allow",
        Action: "*",
        Resource: p.bucket.arn,
      });
    },
    expected: ['aws_iam_role_policy.connect-policy: policy statement "All" allows "Action": "*"'],
  },
  {
    rule: "MSKP-IAM-003",
    title: "reading every object of every bucket",
    breakIt: (p) => {
      p.connectPolicy.policy = policyDocument({
        Sid: "Read",
        Effect: "Allow",
        Action: ["ec2:DescribeVpcs", "s3:GetObject"],
        Resource: "*",
      });
    },
    expected: [
      'aws_iam_role_policy.connect-policy: policy statement "Read" grants s3:GetObject on "Resource": "*"',
    ],
  },
  {
    rule: "MSKP-IAM-004",
    title: "s3:* on the sink bucket",
    breakIt: (p) => {
      p.connectPolicy.policy = policyDocument({
        Sid: "S3",
        Effect: "Allow",
        Action: "s3:*",
        Resource: [p.bucket.arn, `${p.bucket.arn}/*`],
      });
    },
    expected: ['aws_iam_role_policy.connect-policy: policy statement "S3" allows "s3:*"'],
    // s3:* is a service-wide wildcard action too.
    alsoFires: ["MSKP-IAM-010"],
  },
  {
    rule: "MSKP-IAM-005",
    title: "a Connect role trusted without aws:SourceArn",
    breakIt: (p) => {
      p.connectRole.assumeRolePolicy = policyDocument({
        Effect: "Allow",
        Principal: { Service: "kafkaconnect.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
      });
    },
    expected: [
      "aws_iam_role.connect-role: assume_role_policy trusts kafkaconnect.amazonaws.com without aws:SourceArn",
    ],
  },
  {
    rule: "MSKP-IAM-011",
    title: "a role a service assumes for any account",
    breakIt: (p) => {
      p.connectRole.assumeRolePolicy = policyDocument({
        Effect: "Allow",
        Principal: { Service: "kafkaconnect.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          ArnLike: { "aws:SourceArn": "arn:aws:kafkaconnect:eu-west-1:111111111111:connector/test-*" },
        },
      });
    },
    expected: [
      "aws_iam_role.connect-role: assume_role_policy trusts kafkaconnect.amazonaws.com without an aws:SourceAccount condition (confused deputy)",
    ],
    // The Connect rule asks for both conditions, so it fires too.
    alsoFires: ["MSKP-IAM-005"],
  },
  {
    rule: "MSKP-IAM-012",
    title: "a Flink role trusted for any application of the account",
    breakIt: (p) => {
      p.flinkRole.assumeRolePolicy = serviceTrustPolicy("kinesisanalytics.amazonaws.com", "111111111111");
    },
    expected: [
      "aws_iam_role.flink-role: assume_role_policy trusts kinesisanalytics.amazonaws.com without aws:SourceArn of an application",
    ],
  },
  {
    rule: "MSKP-IAM-010",
    title: "a service-wide wildcard action on one registry",
    breakIt: (p) => {
      p.connectPolicy.policy = policyDocument({
        Sid: "Glue",
        Effect: "Allow",
        Action: ["glue:*", "glue:GetSchemaVersion"],
        Resource: "arn:aws:glue:eu-west-1:111111111111:registry/test",
      });
    },
    expected: ['aws_iam_role_policy.connect-policy: policy statement "Glue" allows glue:*'],
  },
  {
    rule: "MSKP-LOG-003",
    title: "a Flink application without CloudWatch logging",
    breakIt: (p) => {
      p.flinkApp.resetCloudwatchLoggingOptions();
      p.stack.node.tryRemoveChild("flink-log-stream");
    },
    expected: [
      "aws_kinesisanalyticsv2_application.flink-app: cloudwatch_logging_options names no log stream of this stack",
    ],
  },
  {
    rule: "MSKP-IAM-006",
    title: "a bucket policy granting anyone",
    breakIt: (p) => {
      p.bucketPolicy.policy = policyDocument(denyInsecureTransport(p.bucket), {
        Sid: "PublicRead",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `${p.bucket.arn}/*`,
      });
    },
    expected: [
      'aws_s3_bucket_policy.bucket-policy: policy statement "PublicRead" allows the wildcard principal "*"',
    ],
  },
  {
    rule: "MSKP-IAM-007",
    title: "a key policy open to anyone without a condition",
    breakIt: (p) => {
      p.key.policy = policyDocument({
        Sid: "Anyone",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "kms:Decrypt",
        Resource: "*",
      });
    },
    expected: [
      'aws_kms_key.key: policy statement "Anyone" allows the wildcard principal "*" without a condition',
    ],
  },
  {
    rule: "MSKP-IAM-008",
    title: "a policy rendered by an HCL expression",
    breakIt: (p) => {
      p.connectPolicy.policy = Fn.jsonencode({ Version: "2012-10-17", Statement: [] });
    },
    expected: [
      `aws_iam_role_policy.connect-policy: policy cannot be read: it is the expression \${jsonencode({"Version" = "2012-10-17", "Statement" = []})}, not a JSON document (references: none)`,
    ],
  },
  {
    rule: "MSKP-IAM-009",
    title: "a cluster policy granting an account the environment does not list",
    breakIt: (p) => {
      p.clusterPolicy.policy = policyDocument({
        Sid: "Stranger",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::444444444444:root", "arn:aws:iam::555555555555:role/x"] },
        Action: "kafka:GetBootstrapBrokers",
        Resource: p.cluster.arn,
      });
    },
    expected: [
      'aws_msk_cluster_policy.cluster-policy: policy statement "Stranger" grants arn:aws:iam::555555555555:role/x, not an account or role of sharing.accounts (arn:aws:iam::444444444444:root)',
    ],
  },
  {
    rule: "MSKP-IAM-009",
    title: "a cluster policy allowing kafka:* and kafka-cluster:*",
    breakIt: (p) => {
      p.clusterPolicy.policy = policyDocument({
        Sid: "Everything",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::444444444444:root" },
        Action: ["kafka:*", "kafka-cluster:*"],
        Resource: p.cluster.arn,
      });
    },
    expected: [
      'aws_msk_cluster_policy.cluster-policy: policy statement "Everything" allows the wildcard actions kafka:*, kafka-cluster:*',
    ],
  },
  {
    rule: "MSKP-IAM-009",
    title: "a cluster policy granting anyone",
    breakIt: (p) => {
      p.clusterPolicy.policy = policyDocument({
        Sid: "Anyone",
        Effect: "Allow",
        Principal: "*",
        Action: "kafka:GetBootstrapBrokers",
        Resource: p.cluster.arn,
      });
    },
    expected: [
      'aws_msk_cluster_policy.cluster-policy: policy statement "Anyone" grants *:*, not an account or role of sharing.accounts (arn:aws:iam::444444444444:root)',
    ],
    alsoFires: ["MSKP-IAM-006"],
  },
  {
    rule: "MSKP-S3-001",
    title: "a bucket without versioning",
    breakIt: (p) => p.stack.node.tryRemoveChild("bucket-versioning"),
    expected: [`${BUCKET}: no aws_s3_bucket_versioning references this bucket`],
  },
  {
    rule: "MSKP-S3-001",
    title: "suspended versioning",
    breakIt: (p) => p.bucketVersioning.putVersioningConfiguration({ status: "Suspended" }),
    expected: [`${BUCKET}: versioning status is Suspended`],
  },
  {
    rule: "MSKP-S3-002",
    title: "a public access block that ignores no public ACLs",
    breakIt: (p) => {
      p.bucketPublicAccessBlock.ignorePublicAcls = false;
    },
    expected: [`${BUCKET}: the public access block leaves ignore_public_acls off`],
  },
  {
    rule: "MSKP-S3-002",
    title: "no public access block",
    breakIt: (p) => p.stack.node.tryRemoveChild("bucket-public-access-block"),
    expected: [`${BUCKET}: no aws_s3_bucket_public_access_block references this bucket`],
  },
  {
    rule: "MSKP-S3-003",
    title: "ACLs still honoured",
    breakIt: (p) => p.bucketOwnership.putRule({ objectOwnership: "BucketOwnerPreferred" }),
    expected: [`${BUCKET}: object_ownership is BucketOwnerPreferred`],
  },
  {
    rule: "MSKP-S3-004",
    title: "a bucket policy without the TLS-only statement",
    breakIt: (p) => {
      p.bucketPolicy.policy = policyDocument({
        Sid: "Owner",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111111111111:root" },
        Action: "s3:GetObject",
        Resource: `${p.bucket.arn}/*`,
      });
    },
    expected: [
      `${BUCKET}: no bucket policy referencing this bucket denies requests without TLS on the bucket and its objects`,
    ],
  },
  {
    rule: "MSKP-S3-005",
    title: "a lifecycle that keeps incomplete uploads",
    breakIt: (p) =>
      p.bucketLifecycle.putRule([
        { id: "expire", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: 365 }] },
      ]),
    expected: [`${BUCKET}: no enabled lifecycle rule aborts incomplete multipart uploads`],
  },
  {
    rule: "MSKP-S3-006",
    title: "a bucket without access logging",
    breakIt: (p) => p.stack.node.tryRemoveChild("bucket-logging"),
    expected: [`${BUCKET}: no aws_s3_bucket_logging references this bucket`],
  },
  {
    rule: "MSKP-S3-007",
    title: "a bucket without event notifications",
    breakIt: (p) => p.stack.node.tryRemoveChild("bucket-notification"),
    expected: [`${BUCKET}: no aws_s3_bucket_notification references this bucket`],
  },
  {
    rule: "MSKP-S3-008",
    title: "a bucket without replication",
    breakIt: (p) => p.stack.node.tryRemoveChild("bucket-replication"),
    expected: [`${BUCKET}: no aws_s3_bucket_replication_configuration references this bucket`],
  },
  {
    rule: "MSKP-REL-001",
    title: "a production cluster in two AZs",
    production: true,
    breakIt: (p) =>
      placeBrokers(
        p,
        p.privateSubnets.slice(0, 2).map((s) => s.id),
      ),
    expected: [`${CLUSTER}: client_subnets spans 2 subnets`],
  },
  {
    rule: "MSKP-REL-002",
    title: "replication factor 2 in production",
    production: true,
    breakIt: (p) => {
      p.configuration.serverProperties = SERVER_PROPERTIES.replace(
        "replication.factor = 3",
        "replication.factor = 2",
      );
    },
    expected: [`${CLUSTER}: default.replication.factor is 2`],
  },
  {
    rule: "MSKP-REL-002",
    title: "MSK's default configuration in production",
    production: true,
    breakIt: (p) => p.cluster.resetConfigurationInfo(),
    alsoFires: ["MSKP-REL-003", "MSKP-REL-004"],
    expected: [
      `${CLUSTER}: uses MSK's default configuration (no configuration_info with an aws_msk_configuration), where default.replication.factor is not guaranteed`,
    ],
  },
  {
    rule: "MSKP-REL-003",
    title: "min ISR 1 in production",
    production: true,
    breakIt: (p) => {
      p.configuration.serverProperties = SERVER_PROPERTIES.replace(
        "insync.replicas = 2",
        "insync.replicas = 1",
      );
    },
    expected: [`${CLUSTER}: min.insync.replicas is 1`],
  },
  {
    rule: "MSKP-REL-004",
    title: "unclean election left at MSK's default",
    production: true,
    breakIt: (p) => {
      p.configuration.serverProperties = SERVER_PROPERTIES.replace(
        "\nunclean.leader.election.enable = false",
        "",
      );
    },
    expected: [`${CLUSTER}: unclean.leader.election.enable is (not set)`],
  },
  {
    rule: "MSKP-REL-005",
    title: "no offline-partitions alarm",
    production: true,
    breakIt: (p) => p.stack.node.tryRemoveChild("alarm-OfflinePartitionsCount"),
    expected: [`${CLUSTER}: no alarm with actions watches OfflinePartitionsCount (offline partitions > 0)`],
  },
  {
    rule: "MSKP-REL-005",
    title: "a disk alarm that notifies nobody",
    production: true,
    breakIt: (p) => p.alarms.KafkaDataLogsDiskUsed.resetAlarmActions(),
    expected: [`${CLUSTER}: no alarm with actions watches KafkaDataLogsDiskUsed (data volume >= 85 % full)`],
  },
  {
    rule: "MSKP-PROT-001",
    title: "a production cluster without prevent_destroy",
    production: true,
    breakIt: (p) => p.cluster.addOverride("lifecycle.prevent_destroy", false),
    expected: [`${CLUSTER}: lifecycle.prevent_destroy is not true: a plan could destroy it and its data`],
  },
  {
    rule: "MSKP-PROT-002",
    title: "a force_destroy bucket",
    breakIt: (p) => {
      p.bucket.forceDestroy = true;
    },
    expected: [`${BUCKET}: force_destroy is true: destroying it deletes every object`],
  },
  {
    rule: "MSKP-PROT-003",
    title: "a production secret deleted without recovery",
    production: true,
    breakIt: (p) => {
      p.secret.recoveryWindowInDays = 0;
    },
    expected: [
      "aws_secretsmanager_secret.secret: recovery_window_in_days is 0: a destroy deletes the secret immediately",
    ],
  },
  {
    rule: "MSKP-STATE-001",
    title: "local state in production",
    production: true,
    breakIt: (p) => {
      p.stack.node.tryRemoveChild("backend");
      new LocalBackend(p.stack, { path: "x.tfstate" });
    },
    expected: ["terraform.backend: the backend is local, not s3"],
  },
  {
    rule: "MSKP-STATE-001",
    title: "S3 state without a lock",
    production: true,
    breakIt: (p) => p.backend.addOverride("use_lockfile", false),
    expected: [
      "terraform.backend: the s3 backend has encrypt true and no lock (use_lockfile or dynamodb_table)",
    ],
  },
];

describe.each(ids)("rule %s", (ruleId) => {
  const ruleCases = cases.filter((c) => c.rule === ruleId);

  it("has at least one violating stack in this suite", () => {
    expect(ruleCases.length).toBeGreaterThan(0);
  });

  it.each(ruleCases.map((c) => ({ ...c, name: c.title })))("fires on $name, and only there", (c) => {
    const platform = compliantPlatform();
    c.breakIt(platform);
    const report = evaluate(platform.stack, c.production ?? false);
    expect(violationsOf(report, ruleId)).toEqual(c.expected);
    // The break is specific: no other rule fires, except declared siblings that the same break violates.
    const others = report.findings
      .filter((f) => f.ruleId !== ruleId && f.status === "violation")
      .map((f) => f.ruleId);
    expect([...new Set(others)]).toEqual(c.alsoFires ?? []);
  });
});

describe("production-only rules", () => {
  it("are not evaluated for non-production stacks", () => {
    const platform = compliantPlatform();
    platform.cluster.addOverride("lifecycle.prevent_destroy", false);
    platform.stack.node.tryRemoveChild("alarm-CpuUser");
    const report = evaluate(platform.stack, false);
    expect(report.findings).toEqual([]);
    expect(report.rulesEvaluated).not.toContain("MSKP-PROT-001");
    expect(report.rulesEvaluated).not.toContain("MSKP-REL-005");
    expect(report.rulesEvaluated).toContain("MSKP-PROT-002");
  });
});

describe("reference following", () => {
  it("does not accept a companion tied by the bucket's name instead of a reference", () => {
    const stack = new TerraformStack(Testing.app(), "names");
    new S3Bucket(stack, "bucket", { bucket: "acme-literal" });
    new S3BucketVersioningA(stack, "versioning", {
      bucket: "acme-literal",
      versioningConfiguration: { status: "Enabled" },
    });
    expect(violationsOf(evaluate(stack, false), "MSKP-S3-001")).toEqual([
      "aws_s3_bucket.bucket: no aws_s3_bucket_versioning references this bucket",
    ]);
  });

  it("reads policy documents whose ARNs are Terraform function calls", () => {
    const platform = compliantPlatform();
    platform.connectPolicy.policy = policyDocument({
      Sid: "Topics",
      Effect: "Allow",
      Action: ["kafka-cluster:ReadData"],
      Resource: `${Fn.replace(platform.cluster.arn, ":cluster/", ":topic/")}/orders.*`,
    });
    expect(evaluate(platform.stack, true).findings).toEqual([]);
  });
});

describe("exceptions", () => {
  const brokenBucket = () => {
    const platform = compliantPlatform();
    platform.stack.node.tryRemoveChild("bucket-logging");
    return platform;
  };

  it("turn a finding into 'excepted' when declared next to the resource with the rule id", () => {
    const platform = brokenBucket();
    declarePolicyException(platform.bucket, {
      checks: ["MSKP-S3-006"],
      reason: "access-log target bucket itself",
    });
    const report = evaluate(platform.stack, true);
    expect(report.findings).toEqual([
      {
        ruleId: "MSKP-S3-006",
        mirrors: ["CKV_AWS_18", "AVD-AWS-0089"],
        address: BUCKET,
        constructPath: "test/bucket",
        message: "no aws_s3_bucket_logging references this bucket",
        fix: `add an aws_s3_bucket_logging with bucket = "\${aws_s3_bucket.<name>.id}" (a reference, not the name) and target_bucket set to the access-log bucket`,
        status: "excepted",
        exceptionReason: "access-log target bucket itself",
      },
    ]);
  });

  it("match the checkov or trivy id the rule mirrors", () => {
    for (const check of ["CKV_AWS_18", "AVD-AWS-0089"]) {
      const platform = brokenBucket();
      declarePolicyException(platform.bucket, { checks: [check], reason: "scanner id named in the module" });
      expect(evaluate(platform.stack, false).findings.map((f) => f.status)).toEqual(["excepted"]);
    }
  });

  it("cover the resources below the construct they are declared on", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "scoped");
    new SecurityGroup(stack, "group", { description: "Managed by Terraform" });
    declarePolicyException(stack, {
      checks: ["MSKP-NET-004"],
      reason: "declared on the whole stack for the test",
    });
    const report = evaluate(stack, false);
    expect(report.findings.filter((f) => f.ruleId === "MSKP-NET-004").map((f) => f.status)).toEqual([
      "excepted",
    ]);
  });

  it("do not cover other rules or other resources", () => {
    const platform = brokenBucket();
    declarePolicyException(platform.bucket, { checks: ["CKV_AWS_21"], reason: "versioning, not logging" });
    declarePolicyException(platform.key, {
      checks: ["MSKP-S3-006"],
      reason: "a different resource entirely",
    });
    expect(violationsOf(evaluate(platform.stack, false), "MSKP-S3-006")).toEqual([
      `${BUCKET}: no aws_s3_bucket_logging references this bucket`,
    ]);
    const pack = PolicyPack.of(platform.stack);
    expect(pack?.exceptions.map((e) => [e.constructPath, e.used])).toEqual([
      ["test/key", false],
      ["test/bucket", false],
    ]);
  });
});

describe("the policy pack on the platform stack", () => {
  it("is an aspect of every PlatformStack and runs on every synth", () => {
    const stack = buildStack(ENVIRONMENTS.dev);
    expect(PolicyPack.of(stack)?.report).toBeUndefined();
    Testing.synth(stack);
    expect(PolicyPack.of(stack)?.report?.environment).toBe("dev");
  });

  it("synth writes the Terraform the pack evaluated, which is what a fresh rendering gives", () => {
    // Synth reuses the document the pack evaluated instead of rendering the stack again (stacks/policy/pack.ts).
    const app = Testing.app();
    const stacks = Object.values(ENVIRONMENTS).flatMap((config) =>
      buildEnvironmentStacks(app, resolveEnvironment(config)),
    );
    app.synth();
    for (const stack of stacks) {
      const written = JSON.parse(
        readFileSync(join(app.outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8"),
      );
      expect(written).toEqual(JSON.parse(JSON.stringify(stack.toTerraform())));
    }
    // Handed out once: a change after synth shows in the next rendering.
    const [first] = stacks;
    new TerraformOutput(first, "added_after_synth", { value: "x" });
    expect(Object.keys(first.toTerraform().output ?? {})).toContain("added_after_synth");
  });

  it("records an environment's deliberate choices as exceptions naming the file and field", () => {
    const dev = ENVIRONMENTS.dev;
    const shortLogs = {
      ...dev,
      network: { ...dev.network, flowLogRetentionDays: 30 },
      connect: { ...dev.connect, logRetentionDays: 14 },
      cluster: {
        ...(dev.cluster as Extract<typeof dev.cluster, { type: "provisioned" }>),
        clientBroker: "TLS_PLAINTEXT" as const,
        auth: { iam: true, unauthenticated: true },
        logging: { retentionDays: 7 },
      },
    };
    const stack = buildStack(shortLogs);
    Testing.synth(stack);
    const excepted = (PolicyPack.of(stack)?.report?.findings ?? [])
      .filter((f) => f.status === "excepted" && f.exceptionReason?.startsWith("environments/dev.ts"))
      .map((f) => `${f.ruleId} ${f.constructPath}: ${f.exceptionReason}`);
    expect(excepted).toEqual([
      'MSKP-ENC-001 dev/msk/cluster: environments/dev.ts sets cluster.clientBroker "TLS_PLAINTEXT": a plaintext listener for non-production clients (refused in production)',
      "MSKP-LOG-001 dev/network/flow-log-group: environments/dev.ts sets network.flowLogRetentionDays 30: flow logs kept less than a year by choice",
      "MSKP-LOG-001 dev/msk/broker-log-group: environments/dev.ts sets cluster.logging.retentionDays 7: broker logs kept less than a year by choice",
      "MSKP-LOG-001 dev/connect/log-group: environments/dev.ts sets connect.logRetentionDays 14: connector logs kept less than a year by choice",
    ]);
  });
});

/** Every real environment, synthesized as `npm run synth` does, into a temporary folder. */
function synthesizeReal(): { code: number; out: string; lines: string[] } {
  const out = join(mkdtempSync(join(tmpdir(), "msk-policy-")), "out");
  const lines: string[] = [];
  const environments = loadEnvironments(
    Object.entries(ENVIRONMENTS).map(([name, config]) => ({ file: `environments/${name}.ts`, config })),
  );
  return { code: synthesizeEnvironments(environments, out, (l) => lines.push(l)), out, lines };
}

describe("npm run synth with the policy pack", () => {
  const real = synthesizeReal();
  const reports = Object.keys(ENVIRONMENTS).map(
    (name) =>
      JSON.parse(readFileSync(join(real.out, "stacks", name, POLICY_REPORT_FILE), "utf8")) as PolicyReport,
  );

  it("synthesizes every real environment with zero violations", () => {
    expect(real.code).toBe(0);
    expect(reports.flatMap((r) => r.findings.filter((f) => f.status === "violation"))).toEqual([]);
    expect(real.lines.join("\n")).toContain("0 violations");
  });

  it("writes the client stack's own report, with the production rules of its environment", () => {
    const client = JSON.parse(
      readFileSync(join(real.out, "stacks", "prod-client-analytics", POLICY_REPORT_FILE), "utf8"),
    ) as PolicyReport;
    expect(client.environment).toBe("prod-client-analytics");
    expect(client.rulesEvaluated).toEqual(ids);
    expect(client.findings.filter((f) => f.status === "violation")).toEqual([]);
  });

  it("writes policy-report.json into each stack folder, with every rule evaluated", () => {
    expect(reports.map((r) => r.environment)).toEqual(Object.keys(ENVIRONMENTS));
    const prod = reports.find((r) => r.environment === "prod");
    expect(prod?.rulesEvaluated).toEqual(ids);
    const dev = reports.find((r) => r.environment === "dev");
    expect(dev?.rulesEvaluated).toEqual(POLICY_RULES.filter((r) => !r.productionOnly).map((r) => r.id));
  });

  it("excepts nothing in the real environments but the exceptions declared in the modules", () => {
    const excepted = reports.flatMap((r) =>
      r.findings
        .filter((f) => f.status === "excepted")
        .map((f) => `${f.ruleId} ${f.constructPath.split("/").slice(1).join("/")}`),
    );
    const perEnvironment = [
      "MSKP-ENC-003 sink/access-logs/bucket",
      "MSKP-NET-011 security-groups/client",
      "MSKP-NET-011 security-groups/connect",
      "MSKP-S3-006 sink/access-logs/bucket",
      "MSKP-S3-007 sink/access-logs/bucket",
      "MSKP-S3-007 sink/bucket",
      "MSKP-S3-008 sink/access-logs/bucket",
      "MSKP-S3-008 sink/bucket",
    ];
    // The topic manager runs outside the VPC, synchronously, unreserved and unsigned, each for a stated reason.
    const withTopics = [
      "MSKP-LAMBDA-002 topics/function",
      "MSKP-LAMBDA-003 topics/function",
      "MSKP-LAMBDA-004 topics/function",
      "MSKP-LAMBDA-005 topics/function",
    ];
    // glue:GetSchemaVersion by version id can only be granted on "*": declared wherever it is granted.
    const withRegistry = [
      "MSKP-IAM-003 msk/client-policies/consumer",
      "MSKP-IAM-003 msk/client-policies/producer",
    ];
    const flinkWithSchemas = (config: (typeof ENVIRONMENTS)[string]) =>
      (config.consumers?.flink ?? [])
        .filter((app) => (app.schemas ?? []).length > 0)
        .map((app) => `MSKP-IAM-003 flink/${app.name}/execution-policy`);
    expect(excepted.sort()).toEqual(
      Object.values(ENVIRONMENTS)
        .flatMap((config) => [
          ...perEnvironment,
          ...(config.topics ? withTopics : []),
          ...lambdaConsumerExceptions(config),
          ...(config.schemaRegistry ? withRegistry : []),
          ...flinkWithSchemas(config),
        ])
        .sort(),
    );
  });

  /** Findings and declarations the real environments except (module exceptions, per-config ones). */
  function exceptionCounts() {
    // Eight module exceptions in each environment, four on the topic manager of each environment that declares
    // topics, and one per client stack (it exports its client group).
    const topicEnvironments = Object.values(ENVIRONMENTS).filter((config) => config.topics).length;
    const clientStacks = Object.values(ENVIRONMENTS).flatMap((c) =>
      clientStacksOf(resolveEnvironment(c)),
    ).length;
    // Each Lambda consumer function the stack creates declares its own (its address differs per consumer).
    const consumerExceptions = Object.values(ENVIRONMENTS).flatMap(lambdaConsumerExceptions).length;
    // Two on the client policies of each environment with a schema registry, one per Flink role with schemas.
    const registryEnvironments = Object.values(ENVIRONMENTS).filter((config) => config.schemaRegistry).length;
    const flinkPaths = new Set(
      Object.values(ENVIRONMENTS).flatMap((c) =>
        (c.consumers?.flink ?? []).filter((a) => (a.schemas ?? []).length > 0).map((a) => a.name),
      ),
    );
    const flinkRoles = Object.values(ENVIRONMENTS).flatMap((c) =>
      (c.consumers?.flink ?? []).filter((a) => (a.schemas ?? []).length > 0),
    ).length;
    const findings =
      8 * Object.keys(ENVIRONMENTS).length +
      4 * topicEnvironments +
      clientStacks +
      consumerExceptions +
      2 * registryEnvironments +
      flinkRoles;
    const declarations =
      8 +
      (topicEnvironments > 0 ? 4 : 0) +
      (clientStacks > 0 ? 1 : 0) +
      consumerExceptions +
      (registryEnvironments > 0 ? 2 : 0) +
      flinkPaths.size;
    return { findings, declarations };
  }

  it("prints one summary line naming the file that lists every exception", () => {
    const { findings, declarations } = exceptionCounts();
    const listFile = join(real.out, POLICY_EXCEPTIONS_FILE);
    expect(real.lines.filter((l) => l.startsWith("Policy:"))).toEqual([
      `Policy: ${ids.length} rules evaluated, 0 violations; ${findings} findings excepted by ${declarations} declared exceptions (list: ${listFile}).`,
    ]);
    // No exception is listed on the console: only "Synthesized ...", the summary and the warnings, if any.
    expect(real.lines.join("\n")).not.toContain("MSKP-S3-006");
    expect(real.lines.join("\n")).not.toContain("Unused policy exceptions");
  });

  it("lists every exception with environment, resource, rule and reason in that file", () => {
    const { findings, declarations } = exceptionCounts();
    const list = readFileSync(join(real.out, POLICY_EXCEPTIONS_FILE), "utf8");
    expect(list).toContain(`Policy exceptions (${findings} findings, ${declarations} declarations):`);
    expect(list).toMatch(
      /prod-client-analytics: aws_security_group\.connection_client_[0-9A-F]+ \(connection\/client\): MSKP-NET-011 \(CKV2_AWS_5\): Exported for the Kafka clients of this VPC/,
    );
    expect(list).toMatch(
      new RegExp(
        `${Object.keys(ENVIRONMENTS).join(", ")}: aws_s3_bucket\\.sink_access-logs_bucket_[0-9A-F]+ \\(sink/access-logs/bucket\\): MSKP-S3-006 \\(CKV_AWS_18, AVD-AWS-0089\\): This bucket is the access-log target`,
      ),
    );
  });
});

describe("a policy violation at synth", () => {
  /** The real dev and staging stacks, each with an internet-facing ingress rule added. */
  const exposed: StackFactory = (app, env) => {
    const stack = new PlatformStack(app, env);
    new VpcSecurityGroupIngressRule(stack, "debug-ingress", {
      securityGroupId: stack.securityGroups.brokerSecurityGroup.id,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "tcp",
      fromPort: 9098,
      toPort: 9098,
      description: "temporary debugging access",
    });
    return stack;
  };

  it("fails synth for every stack at once, names resource, rule and fix, and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "msk-policy-fail-"));
    const out = join(dir, "out");
    mkdirSync(join(out, "stacks", "dev"), { recursive: true });
    writeFileSync(join(out, "stacks", "dev", "cdk.tf.json"), "previous synth");
    const lines: string[] = [];
    const environments = loadEnvironments([
      { file: "environments/dev.ts", config: ENVIRONMENTS.dev },
      { file: "environments/staging.ts", config: ENVIRONMENTS.staging },
    ]);
    expect(synthesizeEnvironments(environments, out, (l) => lines.push(l), exposed)).toBe(1);
    const fix = "Fix: allow the client security group or named client CIDRs (network.clientCidrs) instead";
    expect(lines).toEqual([
      [
        "Policy violations (2):",
        `  dev: aws_vpc_security_group_ingress_rule.debug-ingress (dev/debug-ingress): MSKP-NET-001 (CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277, AVD-AWS-0107): allows ingress on tcp 9098-9098 from 0.0.0.0/0. ${fix}`,
        `  staging: aws_vpc_security_group_ingress_rule.debug-ingress (staging/debug-ingress): MSKP-NET-001 (CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277, AVD-AWS-0107): allows ingress on tcp 9098-9098 from 0.0.0.0/0. ${fix}`,
        "Nothing was synthesized.",
      ].join("\n"),
    ]);
    expect(readFileSync(join(out, "stacks", "dev", "cdk.tf.json"), "utf8")).toBe("previous synth");
    expect(existsSync(join(out, "stacks", "staging"))).toBe(false);
    expect(existsSync(`${out}.staging-${process.pid}`)).toBe(false);
  });
});
