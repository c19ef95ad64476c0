/**
 * Lambda consumers in the synthesized Terraform (modules/consumers/): the event source mapping on the cluster,
 * the execution role (least privilege, trusted by Lambda for this account only), the function and its
 * encrypted log group, the broker group's self-referencing rule, and the poller network (interface endpoints
 * or NAT egress) for every access mode.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${...}" here is Terraform interpolation, not a template.
import { Testing } from "cdktf";
import type {
  EnvironmentConfig,
  LambdaConsumerConfig,
  LambdaConsumerFunction,
  NetworkConfig,
} from "../stacks/config";
import { PolicyPack } from "../stacks/policy";
import { buildStack, ENVIRONMENTS, resourcesOf, synthJson, type TerraformJson } from "./support/synth";

const { dev, staging, prod } = ENVIRONMENTS;

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Principal?: Record<string, string>;
  readonly Condition?: Record<string, Record<string, string>>;
}

/** The one resource of a type whose Terraform name contains `part`. */
function named(json: TerraformJson, type: string, part: string): [string, Record<string, unknown>] {
  const found = Object.entries(resourcesOf(json, type)).filter(([name]) => name.includes(part));
  if (found.length !== 1) throw new Error(`expected one ${type} named *${part}*, found ${found.length}`);
  return found[0];
}
const ref = (type: string, name: string, attribute: string) => `\${${type}.${name}.${attribute}}`;
const statementsOf = (resource: Record<string, unknown>, attribute = "policy"): Statement[] =>
  (JSON.parse(String(resource[attribute])) as { Statement: Statement[] }).Statement;
/** The Lambda pollers' interface endpoints (a Flink application's Glue endpoint is not theirs). */
const interfaceEndpoints = (json: TerraformJson) =>
  Object.entries(resourcesOf(json, "aws_vpc_endpoint"))
    .filter(([name]) => name.startsWith("lambda-consumers_"))
    .map(([, e]) => e)
    .filter((e) => e.vpc_endpoint_type === "Interface")
    .map((e) => String(e.service_name).split(".").pop())
    .sort();

const CLUSTER = "msk_cluster_9F1869F9";
const clusterArn = ref("aws_msk_cluster", CLUSTER, "arn");
const scoped = (account: string, kind: string, name: string) =>
  `arn:aws:kafka:eu-west-1:${account}:${kind}/\${aws_msk_cluster.${CLUSTER}.cluster_name}/\${aws_msk_cluster.${CLUSTER}.cluster_uuid}/${name}`;

/** A consumer for dev, which has no NAT. */
const DEV_CONSUMER: LambdaConsumerConfig = {
  name: "audit",
  topic: "dev.orders",
  consumerGroupId: "dev-audit",
  onFailure: { arn: "arn:aws:sqs:eu-west-1:111111111111:dev-audit-failures" },
  function: {
    source: "s3",
    bucket: "acme-lambda-artifacts-111111111111",
    key: "audit/1.0.0.zip",
    runtime: "python3.13",
    handler: "app.handler",
  },
};
const devWith = (
  consumers: readonly LambdaConsumerConfig[],
  network: Partial<NetworkConfig> = {},
): EnvironmentConfig => ({
  ...dev,
  network: { ...dev.network, ...network } as NetworkConfig,
  consumers: { lambda: consumers },
});

describe("staging's consumer: a function the stack creates from S3, on-demand pollers", () => {
  const json = synthJson(staging);
  const [mappingName, mapping] = named(json, "aws_lambda_event_source_mapping", "orders-audit");
  const [fnName, fn] = named(json, "aws_lambda_function", "orders-audit");
  const [roleName, role] = named(json, "aws_iam_role", "orders-audit");
  const [policyName, policy] = named(json, "aws_iam_role_policy", "orders-audit_policy_");
  const [, logsPolicy] = named(json, "aws_iam_role_policy", "orders-audit_logs-policy");
  const [logGroupName, logGroup] = named(json, "aws_cloudwatch_log_group", "orders-audit");

  it("maps exactly one declared topic on the cluster's ARN, with IAM auth (no secret), its group and destination", () => {
    expect(mappingName).toMatch(/^lambda-consumers_orders-audit_event-source-mapping_/);
    expect(mapping).toMatchObject({
      event_source_arn: clusterArn,
      function_name: ref("aws_lambda_function", fnName, "function_name"),
      topics: ["orders.created"],
      starting_position: "TRIM_HORIZON",
      batch_size: 200,
      maximum_batching_window_in_seconds: 5,
      amazon_managed_kafka_event_source_config: { consumer_group_id: "orders-audit" },
      destination_config: {
        on_failure: { destination_arn: "arn:aws:sqs:eu-west-1:222222222222:orders-audit-failures" },
      },
      enabled: true,
    });
    // No SASL/SCRAM secret: with IAM on the cluster and no secret, Lambda authenticates with IAM.
    expect(mapping.source_access_configuration).toBeUndefined();
    expect(mapping.provisioned_poller_config).toBeUndefined();
  });

  it("creates the mapping only after its permissions, the broker group's self rules and the endpoints", () => {
    const dependsOn = mapping.depends_on as string[];
    expect(dependsOn).toContain(`aws_iam_role_policy.${policyName}`);
    expect(dependsOn.filter((d) => d.includes("-from-self_") || d.includes("-to-self_"))).toHaveLength(2);
    expect(dependsOn.filter((d) => d.startsWith("aws_vpc_endpoint.")).length).toBe(3);
  });

  it("runs the package from S3 as declared: traced, logging to its own group, reserved concurrency", () => {
    expect(fn).toMatchObject({
      function_name: "msk-platform-staging-orders-audit",
      role: ref("aws_iam_role", roleName, "arn"),
      runtime: "python3.13",
      handler: "app.handler",
      s3_bucket: "acme-lambda-artifacts-222222222222",
      s3_key: "orders-audit/1.0.0.zip",
      architectures: ["arm64"],
      memory_size: 512,
      timeout: 120,
      reserved_concurrent_executions: 6,
      tracing_config: { mode: "Active" },
      logging_config: {
        log_format: "Text",
        log_group: ref("aws_cloudwatch_log_group", logGroupName, "name"),
      },
    });
    expect(fn.vpc_config).toBeUndefined();
    expect(fn.environment).toBeUndefined();
  });

  it("logs to /aws/lambda/<function>, KMS-encrypted with the stack's logs key, kept a year", () => {
    expect(logGroup).toMatchObject({
      name: "/aws/lambda/msk-platform-staging-orders-audit",
      retention_in_days: 365,
      kms_key_id: ref("aws_kms_key", "logs-key_44F95A88", "arn"),
    });
  });

  it("has a role only Lambda of this account may assume", () => {
    expect(statementsOf(role, "assume_role_policy")).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "222222222222" } },
      },
    ]);
  });

  it("grants the mapping exactly the Kafka, ENI and destination actions, on exactly this cluster, topic and group", () => {
    const subnets = Object.keys(resourcesOf(json, "aws_subnet"))
      .filter((name) => name.includes("private-subnet"))
      .map((name) => `arn:aws:ec2:eu-west-1:222222222222:subnet/${ref("aws_subnet", name, "id")}`);
    expect(statementsOf(policy)).toEqual([
      {
        Sid: "ConnectToCluster",
        Effect: "Allow",
        Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"],
        Resource: clusterArn,
      },
      {
        Sid: "ReadTopic",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
        Resource: scoped("222222222222", "topic", "orders.created"),
      },
      {
        Sid: "UseConsumerGroup",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
        Resource: scoped("222222222222", "group", "orders-audit"),
      },
      {
        Sid: "FindBrokers",
        Effect: "Allow",
        Action: ["kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"],
        Resource: clusterArn,
      },
      {
        Sid: "CreatePollerInterfaces",
        Effect: "Allow",
        Action: "ec2:CreateNetworkInterface",
        Resource: [
          "arn:aws:ec2:eu-west-1:222222222222:network-interface/*",
          ...subnets,
          `arn:aws:ec2:eu-west-1:222222222222:security-group/${ref("aws_security_group", "security-groups_broker_E530113B", "id")}`,
        ],
      },
      {
        Sid: "DeletePollerInterfaces",
        Effect: "Allow",
        Action: "ec2:DeleteNetworkInterface",
        Resource: "arn:aws:ec2:eu-west-1:222222222222:network-interface/*",
      },
      {
        Sid: "DescribeNetwork",
        Effect: "Allow",
        Action: [
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSubnets",
          "ec2:DescribeVpcs",
        ],
        Resource: "*",
      },
      {
        Sid: "SendDiscardedBatches",
        Effect: "Allow",
        Action: ["sqs:SendMessage"],
        Resource: "arn:aws:sqs:eu-west-1:222222222222:orders-audit-failures",
      },
    ]);
    expect(statementsOf(logsPolicy)).toEqual([
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${ref("aws_cloudwatch_log_group", logGroupName, "arn")}:*`,
      },
      {
        Sid: "WriteTraces",
        Effect: "Allow",
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
      },
    ]);
    // The function waits for what it needs to run; the mapping for what the pollers need.
    expect(fn.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringContaining("_logs-policy_"),
        `aws_cloudwatch_log_group.${logGroupName}`,
      ]),
    );
  });

  it("lets the broker group admit itself on 9098 (and reach itself) for the pollers", () => {
    const [, ingress] = named(json, "aws_vpc_security_group_ingress_rule", "broker-ingress-iam-from-self");
    const [, egress] = named(json, "aws_vpc_security_group_egress_rule", "broker-egress-iam-to-self");
    const broker = ref("aws_security_group", "security-groups_broker_E530113B", "id");
    for (const rule of [ingress, egress]) {
      expect(rule).toMatchObject({
        security_group_id: broker,
        referenced_security_group_id: broker,
        ip_protocol: "tcp",
        from_port: 9098,
        to_port: 9098,
      });
    }
  });

  it("creates Lambda, STS and SQS endpoints in the private subnets, private DNS on, in their own group", () => {
    expect(interfaceEndpoints(json)).toEqual(["lambda", "sqs", "sts"]);
    const [groupName, group] = named(json, "aws_security_group", "endpoint-security-group");
    expect(group).toMatchObject({ name_prefix: "msk-platform-staging-lambda-poller-endpoints-" });
    for (const endpoint of Object.values(resourcesOf(json, "aws_vpc_endpoint")).filter(
      (e) => e.vpc_endpoint_type === "Interface",
    )) {
      expect(endpoint).toMatchObject({
        private_dns_enabled: true,
        security_group_ids: [ref("aws_security_group", groupName, "id")],
        subnet_ids: Object.keys(resourcesOf(json, "aws_subnet"))
          .filter((name) => name.includes("private-subnet"))
          .map((name) => ref("aws_subnet", name, "id")),
      });
    }
    const [, ingress] = named(json, "aws_vpc_security_group_ingress_rule", "endpoint-ingress-https-from-vpc");
    expect(ingress).toMatchObject({
      security_group_id: ref("aws_security_group", groupName, "id"),
      cidr_ipv4: "10.20.0.0/16",
      from_port: 443,
      to_port: 443,
    });
    // No internet egress: staging's NAT is not used by the pollers.
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
    expect(egress.filter((e) => e.cidr_ipv4 === "0.0.0.0/0")).toEqual([]);
  });

  it("exports each consumer's function and mapping", () => {
    expect(json.output?.lambda_consumer_functions.value).toEqual({
      "orders-audit": ref("aws_lambda_function", fnName, "function_name"),
    });
    expect(json.output?.lambda_consumer_mapping_uuids.value).toEqual({
      "orders-audit": ref("aws_lambda_event_source_mapping", mappingName, "uuid"),
    });
  });
});

describe("prod's consumers: provisioned pollers with error handling, and an existing function", () => {
  const json = synthJson(prod);
  const [, provisioned] = named(json, "aws_lambda_event_source_mapping", "orders-fulfilment");
  const [, existing] = named(json, "aws_lambda_event_source_mapping", "payments-audit");

  it("puts orders-fulfilment in provisioned mode with its retry controls", () => {
    expect(provisioned).toMatchObject({
      provisioned_poller_config: { minimum_pollers: 1, maximum_pollers: 4 },
      maximum_retry_attempts: 5,
      bisect_batch_on_function_error: true,
      function_response_types: ["ReportBatchItemFailures"],
      starting_position: "LATEST",
    });
    const [, fn] = named(json, "aws_lambda_function", "orders-fulfilment");
    expect(fn).toMatchObject({
      runtime: "java21",
      code_signing_config_arn:
        "arn:aws:lambda:eu-west-1:333333333333:code-signing-config:csc-0a1b2c3d4e5f6a7b8",
    });
    const [, logGroup] = named(json, "aws_cloudwatch_log_group", "orders-fulfilment");
    expect(logGroup.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("attaches a managed policy to the existing function's role instead of creating a function or role", () => {
    expect(existing.function_name).toBe("arn:aws:lambda:eu-west-1:333333333333:function:payments-audit:live");
    expect(
      Object.keys(resourcesOf(json, "aws_lambda_function")).filter((n) => n.includes("payments")),
    ).toEqual([]);
    expect(Object.keys(resourcesOf(json, "aws_iam_role")).filter((n) => n.includes("payments"))).toEqual([]);
    const [policyName, policy] = named(json, "aws_iam_policy", "payments-audit");
    expect(policy.name).toBe("msk-platform-prod-payments-audit-msk-consumer");
    const [attachmentName, attachment] = named(json, "aws_iam_role_policy_attachment", "payments-audit");
    expect(attachment).toEqual(
      expect.objectContaining({
        role: "payments-audit-execution",
        policy_arn: ref("aws_iam_policy", policyName, "arn"),
      }),
    );
    expect(existing.depends_on).toContain(`aws_iam_role_policy_attachment.${attachmentName}`);
    const statements = statementsOf(policy);
    // No logs or traces: the existing function's own logging is its owner's.
    expect(statements.map((s) => s.Sid)).toEqual([
      "ConnectToCluster",
      "ReadTopic",
      "UseConsumerGroup",
      "FindBrokers",
      "CreatePollerInterfaces",
      "DeletePollerInterfaces",
      "DescribeNetwork",
      "SendDiscardedBatches",
      "EncryptDiscardedBatches",
    ]);
    expect(statements.find((s) => s.Sid === "SendDiscardedBatches")).toMatchObject({
      Action: ["sns:Publish"],
      Resource: "arn:aws:sns:eu-west-1:333333333333:payments-audit-failures",
    });
    expect(statements.find((s) => s.Sid === "EncryptDiscardedBatches")).toEqual({
      Sid: "EncryptDiscardedBatches",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "arn:aws:kms:eu-west-1:333333333333:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
      Condition: { StringEquals: { "kms:ViaService": "sns.eu-west-1.amazonaws.com" } },
    });
  });

  it("creates Lambda and STS endpoints for the on-demand consumer and SQS and SNS endpoints for the destinations", () => {
    expect(interfaceEndpoints(json)).toEqual(["lambda", "sns", "sqs", "sts"]);
  });
});

describe("the broker group's self rule and the endpoints exist only with a Lambda consumer", () => {
  it("dev, without consumers, has neither", () => {
    const json = synthJson(dev);
    const rules = [
      ...Object.keys(resourcesOf(json, "aws_vpc_security_group_ingress_rule")),
      ...Object.keys(resourcesOf(json, "aws_vpc_security_group_egress_rule")),
    ];
    expect(rules.filter((r) => r.includes("self"))).toEqual([]);
    expect(interfaceEndpoints(json)).toEqual([]);
    expect(resourcesOf(json, "aws_lambda_event_source_mapping")).toEqual({});
  });

  it("dev with a consumer (natGateways none) gets Lambda and STS endpoints by default", () => {
    const json = synthJson(devWith([DEV_CONSUMER]));
    expect(interfaceEndpoints(json)).toEqual(["lambda", "sqs", "sts"]);
    expect(
      Object.keys(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((r) => r.includes("self")),
    ).toHaveLength(1);
  });

  it("provisioned pollers need no Lambda or STS endpoint, only the destination's", () => {
    const json = synthJson(devWith([{ ...DEV_CONSUMER, provisionedPollers: { minimum: 1, maximum: 2 } }]));
    expect(interfaceEndpoints(json)).toEqual(["sqs"]);
  });

  it('with "nat", pollers leave through NAT: HTTPS egress to the internet, declared as an exception, no Lambda/STS endpoints', () => {
    const json = synthJson({
      ...staging,
      network: { ...staging.network, lambdaPollerAccess: "nat" } as NetworkConfig,
    });
    expect(interfaceEndpoints(json)).toEqual(["sqs"]);
    const [, egress] = named(json, "aws_vpc_security_group_egress_rule", "broker-egress-https-internet");
    expect(egress).toMatchObject({
      security_group_id: ref("aws_security_group", "security-groups_broker_E530113B", "id"),
      cidr_ipv4: "0.0.0.0/0",
      from_port: 443,
      to_port: 443,
    });
  });

  it('with "existing-endpoints" in an existing VPC, nothing network-level is created', () => {
    const json = synthJson(
      devWith([DEV_CONSUMER], {
        mode: "existing",
        vpcId: "vpc-0123456789abcdef0",
        cidr: "10.40.0.0/16",
        privateSubnets: [
          { id: "subnet-0123456789abcdef0", availabilityZone: "eu-west-1a" },
          { id: "subnet-0123456789abcdef1", availabilityZone: "eu-west-1b" },
        ],
        lambdaPollerAccess: "existing-endpoints",
      } as Partial<NetworkConfig>),
    );
    expect(resourcesOf(json, "aws_vpc_endpoint")).toEqual({});
    expect(Object.keys(resourcesOf(json, "aws_security_group"))).toHaveLength(3);
  });

  it("an S3 destination gets s3:PutObject and s3:ListBucket for this account's bucket, and HTTPS to the S3 prefix list", () => {
    const s3 = { ...DEV_CONSUMER, onFailure: { arn: "arn:aws:s3:::acme-dev-audit-failures" } };
    const json = synthJson(devWith([s3]));
    expect(interfaceEndpoints(json)).toEqual(["lambda", "sts"]);
    const [, policy] = named(json, "aws_iam_role_policy", "audit_policy_");
    expect(statementsOf(policy).find((s) => s.Sid === "SendDiscardedBatches")).toEqual({
      Sid: "SendDiscardedBatches",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:ListBucket"],
      Resource: ["arn:aws:s3:::acme-dev-audit-failures", "arn:aws:s3:::acme-dev-audit-failures/*"],
      Condition: { StringEquals: { "s3:ResourceAccount": "111111111111" } },
    });
    const [, egress] = named(json, "aws_vpc_security_group_egress_rule", "broker-egress-https-s3");
    expect(egress).toMatchObject({
      security_group_id: ref("aws_security_group", "security-groups_broker_E530113B", "id"),
      prefix_list_id: ref("aws_vpc_endpoint", "network_s3-endpoint_3093E6A5", "prefix_list_id"),
      from_port: 443,
      to_port: 443,
    });
  });
});

describe("a serverless cluster", () => {
  it("maps its ARN and admits the broker group to itself on 9098 too", () => {
    const json = synthJson({
      ...devWith([DEV_CONSUMER]),
      cluster: {
        type: "serverless",
        clientAccess: { topicPatterns: ["dev.*"], consumerGroupPatterns: ["dev-*"] },
      },
    });
    const [, mapping] = named(json, "aws_lambda_event_source_mapping", "audit");
    expect(mapping.event_source_arn).toMatch(/^\$\{aws_msk_serverless_cluster\.[^.]+\.arn\}$/);
    const [, rule] = named(json, "aws_vpc_security_group_ingress_rule", "broker-ingress-iam-from-self");
    expect(rule).toMatchObject({ from_port: 9098, to_port: 9098 });
  });
});

describe("choices the environment file makes are declared exceptions, naming the field", () => {
  it("unreserved, unsigned and short-lived logs: excepted with the file and field, nothing violated", () => {
    const stack = buildStack(
      devWith([
        {
          ...DEV_CONSUMER,
          function: {
            ...(DEV_CONSUMER.function as Extract<LambdaConsumerFunction, { source: "s3" }>),
            logRetentionDays: 30,
          },
        },
      ]),
    );
    Testing.synth(stack);
    const report = PolicyPack.of(stack)?.report;
    const findings = (report?.findings ?? []).filter((f) =>
      f.constructPath.includes("lambda-consumers/audit"),
    );
    expect(findings.filter((f) => f.status === "violation")).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.exceptionReason]).sort()).toEqual([
      [
        "MSKP-LAMBDA-002",
        "Records reach it through the event source mapping, whose pollers are in the cluster's VPC; the function itself calls nothing in the VPC",
      ],
      [
        "MSKP-LAMBDA-003",
        "Invoked synchronously by its event source mapping, whose on-failure destination keeps discarded batches; a dead-letter queue serves asynchronous invocations only",
      ],
      [
        "MSKP-LAMBDA-004",
        "environments/dev.ts leaves consumers.lambda[0].function.reservedConcurrency unset: the consumer draws from the account's unreserved concurrency",
      ],
      [
        "MSKP-LAMBDA-005",
        "environments/dev.ts leaves consumers.lambda[0].function.codeSigningConfigArn unset: the package acme-lambda-artifacts-111111111111/audit/1.0.0.zip is trusted as named in the reviewed plan",
      ],
      [
        "MSKP-LOG-001",
        "environments/dev.ts sets consumers.lambda[0].function.logRetentionDays 30: the consumer's logs kept less than a year by choice",
      ],
    ]);
  });
});
