/**
 * Validation of `consumers.lambda` and `network.lambdaPollerAccess` (stacks/validation/consumers-lambda.ts): every
 * refusal names the file, the field, the value and what is allowed; deprecated runtimes warn. "Today" is injected.
 */
import type {
  EnvironmentConfig,
  LambdaConsumerConfig,
  LambdaConsumerFunction,
  NetworkConfig,
} from "../stacks/config";
import { checkEnvironment, formatWarning } from "../stacks/validation";
import { defaultContext, formatIssue } from "../stacks/validation/checker";
import { PROVIDER_RUNTIMES, RUNTIME_LIFECYCLE } from "../stacks/validation/lambda-limits";
import { ENVIRONMENTS } from "./support/synth";

const TODAY = "2026-11-30";
const { dev, staging, prod } = ENVIRONMENTS;

/** An invalid value where the schema wants another type (what a JS user could write). */
const wrong = <T>(value: unknown): T => value as T;

const FUNCTION: LambdaConsumerFunction = {
  source: "s3",
  bucket: "acme-lambda-artifacts-111111111111",
  key: "audit/1.0.0.zip",
  runtime: "python3.13",
  handler: "app.handler",
};

/** A valid consumer for dev (which declares no topics, so any topic name is accepted there). */
const CONSUMER: LambdaConsumerConfig = {
  name: "audit",
  topic: "dev.orders",
  consumerGroupId: "dev-audit",
  onFailure: { arn: "arn:aws:sqs:eu-west-1:111111111111:dev-audit-failures" },
  function: FUNCTION,
};

function withConsumers(
  config: EnvironmentConfig,
  consumers: readonly LambdaConsumerConfig[],
  network: Partial<NetworkConfig> = {},
): EnvironmentConfig {
  return {
    ...config,
    network: { ...config.network, ...network } as NetworkConfig,
    consumers: { lambda: consumers },
  };
}

/** dev with one consumer changed. */
const devWith = (changes: Partial<LambdaConsumerConfig>, network: Partial<NetworkConfig> = {}) =>
  withConsumers(dev, [{ ...CONSUMER, ...changes }], network);
const devFunction = (changes: Record<string, unknown>) =>
  devWith({ function: { ...FUNCTION, ...changes } as LambdaConsumerFunction });

function check(config: EnvironmentConfig, today = TODAY) {
  return checkEnvironment(config, config.name, defaultContext(today));
}
const errors = (config: EnvironmentConfig, today = TODAY) =>
  check(config, today).issues.map((i) => formatIssue(`environments/${config.name}.ts`, i));
const warnings = (config: EnvironmentConfig, today = TODAY) =>
  check(config, today).warnings.map((w) => formatWarning(`environments/${config.name}.ts`, w));

const D = "environments/dev.ts";
const S = "environments/staging.ts";
const C = `${D}: consumers.lambda[0]`;

describe("valid Lambda consumers", () => {
  it("accepts the example environments and a minimal consumer in dev (no NAT: endpoints by default)", () => {
    for (const config of [staging, prod, devWith({})]) expect(errors(config)).toEqual([]);
    expect(warnings(devWith({}))).toEqual([]);
  });

  it("accepts every field at its limits", () => {
    const full = devWith({
      startingPosition: "AT_TIMESTAMP",
      startingTimestamp: "2026-11-30T00:00:00Z",
      batchSize: 10000,
      batchingWindowSeconds: 300,
      provisionedPollers: { minimum: 200, maximum: 2000 },
      retry: {
        maximumAttempts: -1,
        maximumRecordAgeSeconds: 604800,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
      },
      enabled: false,
      function: {
        ...FUNCTION,
        objectVersion: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY",
        memoryMiB: 10240,
        timeoutSeconds: 900,
        architecture: "arm64",
        reservedConcurrency: 1,
        codeSigningConfigArn:
          "arn:aws:lambda:eu-west-1:111111111111:code-signing-config:csc-0123456789abcdef0",
        logRetentionDays: 3653,
      },
    });
    expect(errors(full)).toEqual([]);
  });

  it("accepts provisioned-only consumers with natGateways none and lambdaPollerAccess nat (they need neither)", () => {
    expect(
      errors(devWith({ provisionedPollers: { minimum: 1, maximum: 2 } }, { lambdaPollerAccess: "nat" })),
    ).toEqual([]);
  });
});

type Row = readonly [string, EnvironmentConfig, readonly string[]];

const rows: Row[] = [
  [
    "consumers that are not an object",
    { ...dev, consumers: wrong([]) },
    [`${D}: consumers: got []; must be an object such as { lambda: [...] }`],
  ],
  [
    "a consumer list that is not a list",
    { ...dev, consumers: { lambda: wrong({}) } },
    [`${D}: consumers.lambda: got {}; must be a list of Lambda consumer`],
  ],
  [
    "a name with capitals",
    devWith({ name: "Audit" }),
    [
      `${C}.name: got "Audit"; must be lowercase letters, digits and dashes, starting with a letter, e.g. "orders-fulfilment"`,
    ],
  ],
  [
    "a name too long for Lambda and IAM",
    devWith({ name: `a${"b".repeat(50)}` }),
    [
      `${C}.name: got "a${"b".repeat(50)}"; makes the function and role name "msk-platform-dev-a${"b".repeat(50)}" 68 characters; Lambda and IAM allow 64: shorten it`,
    ],
  ],
  [
    "two consumers of one name",
    withConsumers(dev, [CONSUMER, { ...CONSUMER, consumerGroupId: "dev-other" }]),
    [
      `${D}: consumers.lambda[1].name: got "audit"; is used twice (also consumers.lambda[0]): each consumer needs its own name`,
    ],
  ],
  [
    "two topics in one mapping",
    devWith({ topic: wrong(["dev.orders", "dev.payments"]) }),
    [
      `${C}.topic: got ["dev.orders","dev.payments"]; must be one topic name: an MSK event source mapping reads exactly one topic (Topics holds one item); declare one consumer per topic`,
    ],
  ],
  [
    "a topic name Kafka refuses",
    devWith({ topic: "orders created" }),
    [
      `${C}.topic: got "orders created"; must be a Kafka topic name: it may contain only letters, digits, '.', '_' and '-'`,
    ],
  ],
  [
    "a topic staging does not declare",
    withConsumers(staging, [{ ...CONSUMER, topic: "orders.cancelled" }]),
    [
      `${S}: consumers.lambda[0].topic: got "orders.cancelled"; must be a declared topic (orders.created, payments.settled): declare it in topics or fix the name`,
    ],
  ],
  [
    "a retired topic",
    {
      ...withConsumers(staging, [{ ...CONSUMER, topic: "orders.v1" }]),
      topics: [
        ...(staging.topics ?? []),
        { name: "orders.v1", retired: true, reason: "replaced by orders.created" },
      ],
    },
    [
      `${S}: consumers.lambda[0].topic: got "orders.v1"; names a retired topic (topics[] marks it retired: true): point it at a live topic`,
    ],
  ],
  [
    "a consumer group id with spaces",
    devWith({ consumerGroupId: "dev audit" }),
    [
      `${C}.consumerGroupId: got "dev audit"; must be a Kafka consumer group id of 1-200 characters (letters, digits and - / * : _ + = . @)`,
    ],
  ],
  [
    "two consumers in one group",
    withConsumers(dev, [CONSUMER, { ...CONSUMER, name: "audit-2" }]),
    [
      `${D}: consumers.lambda[1].consumerGroupId: got "dev-audit"; is also the group of consumers.lambda[0]: Lambda requires a consumer group id unique among the Kafka event sources, or the two mappings split the topic's records`,
    ],
  ],
  [
    "an unknown starting position",
    devWith({ startingPosition: wrong("EARLIEST") }),
    [`${C}.startingPosition: got "EARLIEST"; must be one of "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"`],
  ],
  [
    "AT_TIMESTAMP without a time",
    devWith({ startingPosition: "AT_TIMESTAMP" }),
    [
      `${C}.startingTimestamp: got undefined; must be an ISO 8601 UTC time such as "2026-11-01T00:00:00Z" with startingPosition "AT_TIMESTAMP"`,
    ],
  ],
  [
    "a time without AT_TIMESTAMP",
    devWith({ startingTimestamp: "2026-11-01T00:00:00Z" }),
    [
      `${C}.startingTimestamp: got "2026-11-01T00:00:00Z"; is read only with startingPosition "AT_TIMESTAMP": remove it or set that position`,
    ],
  ],
  [
    "a starting time in the future",
    devWith({ startingPosition: "AT_TIMESTAMP", startingTimestamp: "2026-12-01T00:00:00Z" }),
    [
      `${C}.startingTimestamp: got "2026-12-01T00:00:00Z"; must not be in the future (today is 2026-11-30): Lambda refuses a StartingPositionTimestamp after the time the mapping is created`,
    ],
  ],
  [
    "a batch size over 10000",
    devWith({ batchSize: 10001 }),
    [`${C}.batchSize: got 10001; must be an integer between 1 and 10000`],
  ],
  [
    "a batching window over 300 seconds",
    devWith({ batchingWindowSeconds: 301 }),
    [`${C}.batchingWindowSeconds: got 301; must be an integer between 0 and 300`],
  ],
  [
    "no on-failure destination",
    devWith({ onFailure: wrong(undefined) }),
    [
      `${C}.onFailure: got undefined; must name where Lambda sends the record of a discarded batch: { arn: "<SQS queue, SNS topic or S3 bucket ARN>" }`,
    ],
  ],
  [
    "a Lambda function as the destination (MSK mappings take SQS, SNS or S3)",
    devWith({ onFailure: { arn: "arn:aws:lambda:eu-west-1:111111111111:function:dlq" } }),
    [
      `${C}.onFailure.arn: got "arn:aws:lambda:eu-west-1:111111111111:function:dlq"; must be the ARN of an SQS queue, an SNS topic or an S3 bucket (MSK event source mappings accept these three), e.g. "arn:aws:sqs:eu-west-1:222222222222:orders-dlq" or "arn:aws:s3:::orders-failures"`,
    ],
  ],
  [
    "a destination in another Region",
    devWith({ onFailure: { arn: "arn:aws:sqs:us-east-1:111111111111:dev-audit-failures" } }),
    [
      `${C}.onFailure.arn: got "arn:aws:sqs:us-east-1:111111111111:dev-audit-failures"; must be in the environment's partition and Region (aws, eu-west-1): the event pollers reach the destination through a VPC endpoint of the cluster's VPC, which serves its own Region`,
    ],
  ],
  [
    "a destination key given by alias",
    devWith({
      onFailure: { ...CONSUMER.onFailure, kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:alias/dlq" },
    }),
    [
      `${C}.onFailure.kmsKeyArn: got "arn:aws:kms:eu-west-1:111111111111:alias/dlq"; must be a KMS key ARN (not an alias: IAM grants name keys), e.g. "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"`,
    ],
  ],
  [
    "more minimum than maximum pollers",
    devWith({ provisionedPollers: { minimum: 5, maximum: 2 } }),
    [`${C}.provisionedPollers.maximum: got 2; must be >= provisionedPollers.minimum (5)`],
  ],
  [
    "a minimum of pollers over 200",
    devWith({ provisionedPollers: { minimum: 201, maximum: 2000 } }),
    [`${C}.provisionedPollers.minimum: got 201; must be an integer between 1 and 200`],
  ],
  [
    "error handling controls in on-demand mode",
    devWith({ retry: { maximumAttempts: 3 } }),
    [
      `${C}.retry: got {"maximumAttempts":3}; needs provisionedPollers: Lambda offers the Kafka error handling controls (retry attempts, record age, batch splitting, partial batch responses) only in provisioned mode`,
    ],
  ],
  [
    "a record age under a minute",
    devWith({ provisionedPollers: { minimum: 1, maximum: 1 }, retry: { maximumRecordAgeSeconds: 30 } }),
    [
      `${C}.retry.maximumRecordAgeSeconds: got 30; must be -1 (never discard by age) or an integer between 60 and 604800`,
    ],
  ],
  [
    "no function",
    devWith({ function: wrong(undefined) }),
    [
      `${C}.function: got undefined; must be { source: "s3", bucket, key, runtime, handler, ... } (a function this stack creates) or { source: "existing", function, executionRoleName }`,
    ],
  ],
  [
    "a runtime newer than the pinned provider",
    devFunction({ runtime: "nodejs24.x" }),
    [
      `${C}.function.runtime: got "nodejs24.x"; is newer than the hashicorp/aws provider this project pins (5.100.0 refuses it at validate): use nodejs22.x, python3.13, java21, ruby3.4 or provided.al2023`,
    ],
  ],
  [
    "a runtime Lambda no longer creates functions on",
    devFunction({ runtime: "nodejs12.x" }),
    [
      `${C}.function.runtime: got "nodejs12.x"; was deprecated on 2023-03-31 and Lambda refuses new functions on it since 2023-03-31: use nodejs22.x (runtime table of 2026-11-30, ${RUNTIME_LIFECYCLE["nodejs12.x"].source})`,
    ],
  ],
  [
    "a runtime that does not exist",
    devFunction({ runtime: "nodejs99.x" }),
    [
      `${C}.function.runtime: got "nodejs99.x"; must be one of ${PROVIDER_RUNTIMES.map((r) => `"${r}"`).join(", ")}`,
    ],
  ],
  [
    "a handler with a space",
    devFunction({ handler: "app handler" }),
    [
      `${C}.function.handler: got "app handler"; must be a handler of 1-128 characters without spaces, e.g. "index.handler"`,
    ],
  ],
  [
    "memory over 10240 MiB",
    devFunction({ memoryMiB: 20480 }),
    [`${C}.function.memoryMiB: got 20480; must be an integer between 128 and 10240`],
  ],
  [
    "a timeout over 15 minutes",
    devFunction({ timeoutSeconds: 901 }),
    [`${C}.function.timeoutSeconds: got 901; must be an integer between 1 and 900`],
  ],
  [
    "an unknown architecture",
    devFunction({ architecture: "arm" }),
    [`${C}.function.architecture: got "arm"; must be one of "x86_64", "arm64"`],
  ],
  [
    "zero reserved concurrency (the function would never run)",
    devFunction({ reservedConcurrency: 0 }),
    [`${C}.function.reservedConcurrency: got 0; must be an integer >= 1`],
  ],
  [
    "a code signing configuration of another Region",
    devFunction({
      codeSigningConfigArn: "arn:aws:lambda:us-east-1:111111111111:code-signing-config:csc-0123456789abcdef0",
    }),
    [
      `${C}.function.codeSigningConfigArn: got "arn:aws:lambda:us-east-1:111111111111:code-signing-config:csc-0123456789abcd...; must be in the environment's Region (eu-west-1): a function uses a code signing configuration of its own Region`,
    ],
  ],
  [
    "a package bucket S3 refuses",
    devFunction({ bucket: "Acme_Artifacts" }),
    [
      `${C}.function.bucket: got "Acme_Artifacts"; may contain only lowercase letters, digits, dots and hyphens`,
    ],
  ],
  [
    "a log retention CloudWatch refuses",
    devFunction({ logRetentionDays: 100 }),
    [
      `${C}.function.logRetentionDays: got 100; must be a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days), or 0 to never expire`,
    ],
  ],
  [
    "an existing function of another account",
    devWith({
      function: {
        source: "existing",
        function: "arn:aws:lambda:eu-west-1:999999999999:function:audit",
        executionRoleName: "audit-role",
      },
    }),
    [
      `${C}.function.function: got "arn:aws:lambda:eu-west-1:999999999999:function:audit"; must be a function of the environment's account and Region (111111111111, eu-west-1): an event source mapping invokes functions of its own account and Region`,
    ],
  ],
  [
    "an existing function's role given by ARN",
    devWith({
      function: {
        source: "existing",
        function: "audit",
        executionRoleName: "arn:aws:iam::111111111111:role/audit",
      },
    }),
    [
      `${C}.function.executionRoleName: got "arn:aws:iam::111111111111:role/audit"; must be the name (not the ARN) of the function's execution role, e.g. "payments-audit-role": the stack attaches the policy the mapping needs to it`,
    ],
  ],
  [
    "a runtime on an existing function",
    devWith({
      function: wrong({
        source: "existing",
        function: "audit",
        executionRoleName: "audit-role",
        runtime: "java21",
      }),
    }),
    [
      `${C}.function.runtime: got "java21"; configures a function this stack creates, and source "existing" creates none: remove it or use source "s3"`,
    ],
  ],
  [
    "a cluster without IAM auth",
    {
      ...devWith({}),
      cluster: {
        ...(dev.cluster as Extract<EnvironmentConfig["cluster"], { type: "provisioned" }>),
        auth: { iam: false, scram: { users: ["etl"] } },
      },
    },
    [
      `${D}: cluster.auth.iam: got false; must be true while consumers.lambda lists a consumer: the event source mappings authenticate with IAM (kafka-cluster actions of the execution role)`,
    ],
  ],
];

describe.each(rows)("refuses %s", (_title, config, expected) => {
  it("with the file, field, value and what is allowed", () => {
    expect(errors(config)).toEqual(expected);
  });
});

describe("how the event pollers reach Lambda and STS (network.lambdaPollerAccess)", () => {
  it("refuses NAT where dev has none, saying how to fix it", () => {
    expect(errors(devWith({}, { lambdaPollerAccess: "nat" }))).toEqual([
      `${D}: network.lambdaPollerAccess: got "nat"; needs NAT, and network.natGateways is "none": the event pollers of consumers.lambda[0] ("audit", on-demand mode) could not reach the Lambda and STS APIs. Fix: leave lambdaPollerAccess out ("endpoints": the stack creates interface endpoints for Lambda and STS), set network.natGateways to "single" or "per-az", or give every consumer provisionedPollers (which need neither)`,
    ]);
  });

  it("accepts NAT where the VPC has it", () => {
    expect(
      errors(withConsumers(staging, staging.consumers?.lambda ?? [], { lambdaPollerAccess: "nat" })),
    ).toEqual([]);
  });

  it('refuses "existing-endpoints" for a VPC the stack creates', () => {
    expect(errors(devWith({}, { lambdaPollerAccess: "existing-endpoints" }))).toEqual([
      `${D}: network.lambdaPollerAccess: got "existing-endpoints"; cannot be "existing-endpoints" for a VPC this stack creates (it has no endpoints but those the stack makes): use "endpoints" or "nat"`,
    ]);
  });

  it("refuses a setting no consumer reads, and an unknown mode", () => {
    expect(
      errors({ ...dev, network: { ...dev.network, lambdaPollerAccess: "endpoints" } as NetworkConfig }),
    ).toEqual([
      `${D}: network.lambdaPollerAccess: got "endpoints"; is read only while consumers.lambda lists a consumer: remove it, or add the consumer it is for`,
    ]);
    expect(errors(devWith({}, { lambdaPollerAccess: wrong("vpn") }))).toEqual([
      `${D}: network.lambdaPollerAccess: got "vpn"; must be one of "endpoints", "nat", "existing-endpoints"`,
    ]);
  });

  const existingVpc: NetworkConfig = {
    mode: "existing",
    vpcId: "vpc-0123456789abcdef0",
    cidr: "10.40.0.0/16",
    privateSubnets: [
      { id: "subnet-0123456789abcdef0", availabilityZone: "eu-west-1a" },
      { id: "subnet-0123456789abcdef1", availabilityZone: "eu-west-1b" },
    ],
  };

  it("makes an existing VPC say how (synth cannot see its NAT or endpoints)", () => {
    const config = withConsumers({ ...dev, network: existingVpc }, [CONSUMER]);
    expect(errors(config)).toEqual([
      `${D}: network.lambdaPollerAccess: got undefined; must say how Lambda's event pollers reach AWS APIs from this existing VPC, which synth cannot inspect: "endpoints" (the stack creates interface endpoints with private DNS for Lambda and STS and for the destinations' SQS or SNS; AWS refuses them where the VPC already has such endpoints), "nat" (the VPC's NAT) or "existing-endpoints" (the VPC has them, admitting the broker group on 443)`,
    ]);
    for (const mode of ["endpoints", "nat", "existing-endpoints"] as const) {
      expect(
        errors(withConsumers({ ...dev, network: existingVpc }, [CONSUMER], { lambdaPollerAccess: mode })),
      ).toEqual([]);
    }
  });

  it("refuses an S3 destination an existing VPC has no S3 route for, and accepts it with one", () => {
    const s3 = { ...CONSUMER, onFailure: { arn: "arn:aws:s3:::acme-dev-audit-failures" } };
    const noRoute = withConsumers({ ...dev, network: existingVpc }, [s3], {
      lambdaPollerAccess: "endpoints",
    });
    expect(errors(noRoute)).toEqual([
      `${C}.onFailure.arn: got "arn:aws:s3:::acme-dev-audit-failures"; is an S3 bucket, reached from the cluster's VPC through an S3 gateway endpoint: give network.privateRouteTableIds (the stack creates one) or network.s3PrefixListId (yours), or choose an SQS queue or SNS topic`,
    ]);
    const withRoute = withConsumers({ ...dev, network: existingVpc }, [s3], {
      lambdaPollerAccess: "endpoints",
      s3PrefixListId: "pl-6ea54007",
    });
    expect(errors(withRoute)).toEqual([]);
    expect(errors(withConsumers(dev, [s3]))).toEqual([]);
  });
});

describe("runtimes: the pinned provider's list and a dated lifecycle table, today injected", () => {
  it("knows the lifecycle of every runtime the provider accepts", () => {
    expect(Object.keys(RUNTIME_LIFECYCLE).sort()).toEqual([...PROVIDER_RUNTIMES].sort());
  });

  it("warns, and still synthesizes, for a deprecated runtime Lambda still creates functions on", () => {
    expect(warnings(devFunction({ runtime: "nodejs20.x" }))).toEqual([
      `${C}.function.runtime: got "nodejs20.x"; was deprecated on 2026-04-30: it gets no security patches, and Lambda stops creating functions on it on 2027-02-01; move to nodejs22.x`,
    ]);
    expect(warnings(devFunction({ runtime: "python3.9" }))).toEqual([
      `${C}.function.runtime: got "python3.9"; was deprecated on 2025-12-15: it gets no security patches, and Lambda may stop creating functions on it any day; move to python3.13`,
    ]);
  });

  it("refuses it once the block-create date has passed", () => {
    expect(errors(devFunction({ runtime: "nodejs20.x" }), "2027-02-01")).toEqual([
      `${C}.function.runtime: got "nodejs20.x"; was deprecated on 2026-04-30 and Lambda refuses new functions on it since 2027-02-01: use nodejs22.x (runtime table of 2026-11-30, ${RUNTIME_LIFECYCLE["nodejs20.x"].source})`,
    ]);
  });

  it("warns 90 days ahead of a deprecation, naming a successor the provider may not know yet", () => {
    expect(warnings(devFunction({ runtime: "nodejs22.x" }), "2027-02-01")).toEqual([
      `${C}.function.runtime: got "nodejs22.x"; is deprecated on 2027-04-30 (in 88 days); move to nodejs24.x (newer than the pinned hashicorp/aws 5.100 provider accepts: upgrade the provider first)`,
    ]);
    expect(warnings(devFunction({ runtime: "nodejs22.x" }), "2027-01-01")).toEqual([]);
  });
});
