/**
 * Lambda limits and the dated runtime table the Lambda-consumer validation reads, as data with sources.
 * Checked 2026-11-30 against botocore's lambda model (2015-03-31, botocore 1.43.11, installed with moto), the
 * hashicorp/aws 5.100.0 provider (its `runtime` validation, measured with `terraform validate` offline) and the
 * Lambda Developer Guide pages named below.
 */

/** Numeric limits of CreateEventSourceMapping / CreateFunction, from botocore's lambda model unless noted. */
export const LAMBDA_LIMITS = {
  /** BatchSize: "Amazon Managed Streaming for Apache Kafka – Default 100. Max 10,000." */
  batchSize: { min: 1, max: 10_000, default: 100 },
  /** MaximumBatchingWindowInSeconds 0-300 (MSK default 500 ms, which cannot be set again once changed). */
  batchingWindowSeconds: { min: 0, max: 300 },
  /** ProvisionedPollerConfig: MinimumPollers 1-200, MaximumPollers 1-2000. */
  pollers: { minimum: { min: 1, max: 200 }, maximum: { min: 1, max: 2000 } },
  /** MaximumRetryAttempts -1..10000 (console: 0-10000 or -1). */
  retryAttempts: { min: -1, max: 10_000 },
  /** MaximumRecordAgeInSeconds: -1, or 60-604800 (Lambda Developer Guide, "Configuring error handling controls for Kafka event sources"). */
  recordAgeSeconds: { min: 60, max: 604_800 },
  /**
   * MemorySize: the model allows 128-32768 for Lambda Managed Instances; a function without a capacity provider
   * takes 128-10240 MB (Lambda quotas, "Function memory allocation").
   */
  memoryMiB: { min: 128, max: 10_240, default: 512 },
  /** Timeout: model minimum 1; maximum 900 seconds (Lambda quotas, "Function timeout"). */
  timeoutSeconds: { min: 1, max: 900, default: 60 },
  /** ReservedConcurrentExecutions >= 0; 0 would stop the function, so at least 1 here. */
  reservedConcurrency: { min: 1 },
  /** FunctionName (CreateFunction) and IAM role names: at most 64 characters. */
  functionNameChars: 64,
  roleNameChars: 64,
} as const;

/** AmazonManagedKafkaEventSourceConfig.ConsumerGroupId: 1-200 characters of [a-zA-Z0-9-/*:_+=.@-]. */
export const CONSUMER_GROUP_ID = /^[a-zA-Z0-9\-/*:_+=.@]{1,200}$/;

/** FunctionName of CreateEventSourceMapping (NamespacedFunctionName): a name, partial or full ARN, optional qualifier. */
export const NAMESPACED_FUNCTION_NAME =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$/;

/** An on-failure destination ARN: an SQS queue, an SNS topic, or an S3 bucket (no key). */
export const DESTINATION_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):(sqs|sns):([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,256})$|^arn:(aws|aws-cn|aws-us-gov):s3:::([^/]+)$/;
/** A KMS key ARN (not an alias). */
export const KMS_KEY_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** What kind of service an on-failure destination ARN names; undefined when it is none of the three. */
export function destinationKind(arn: string): "sqs" | "sns" | "s3" | undefined {
  const match = DESTINATION_ARN.exec(arn);
  if (!match) return undefined;
  return (match[2] as "sqs" | "sns" | undefined) ?? "s3";
}

/** An IAM role name: 1-64 of [\w+=,.@-] (IAM API, RoleName). */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** Handler (CreateFunction): 1-128 characters without whitespace. */
export const HANDLER = /^[^\s]{1,128}$/;

/** CodeSigningConfigArn (CreateFunction). */
export const CODE_SIGNING_CONFIG_ARN =
  /^arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:code-signing-config:csc-[a-z0-9]{17}$/;

/**
 * Runtime identifiers hashicorp/aws 5.100.0 accepts for aws_lambda_function.runtime (its enum, measured with
 * `terraform validate`). botocore's model also lists nodejs24.x, python3.14, java25, dotnet10 and ruby4.0; the
 * pinned provider refuses them at validate ("expected runtime to be one of ..."), so synth does too.
 */
export const PROVIDER_RUNTIMES: readonly string[] = [
  "nodejs",
  "nodejs4.3",
  "nodejs6.10",
  "nodejs8.10",
  "nodejs10.x",
  "nodejs12.x",
  "nodejs14.x",
  "nodejs16.x",
  "java8",
  "java8.al2",
  "java11",
  "python2.7",
  "python3.6",
  "python3.7",
  "python3.8",
  "python3.9",
  "dotnetcore1.0",
  "dotnetcore2.0",
  "dotnetcore2.1",
  "dotnetcore3.1",
  "dotnet6",
  "dotnet8",
  "nodejs4.3-edge",
  "go1.x",
  "ruby2.5",
  "ruby2.7",
  "provided",
  "provided.al2",
  "nodejs18.x",
  "python3.10",
  "java17",
  "ruby3.2",
  "ruby3.3",
  "ruby3.4",
  "python3.11",
  "nodejs20.x",
  "provided.al2023",
  "python3.12",
  "java21",
  "python3.13",
  "nodejs22.x",
];

/** Runtimes botocore knows that the pinned provider does not (refused with their own reason). */
export const RUNTIMES_NEWER_THAN_PROVIDER: readonly string[] = [
  "nodejs24.x",
  "python3.14",
  "java25",
  "dotnet10",
  "ruby4.0",
];

/** One runtime's lifecycle: when Lambda deprecates it and when it stops creating functions on it. */
export interface RuntimeLifecycle {
  /** Deprecation (end of support), YYYY-MM-DD; projected for supported runtimes. */
  readonly deprecated: string;
  /** "Block function create", YYYY-MM-DD, when recorded: from that day CreateFunction refuses the runtime. */
  readonly blockCreate?: string;
  /** The runtime to move to. */
  readonly successor: string;
  readonly source: string;
}

const GUIDE = "Lambda Developer Guide, Lambda runtimes (supported table, as quoted 2026-07/08)";
const BLOCKED =
  "Lambda deprecated-runtimes table, as mirrored by cfn-lint's LmbdRuntimeLifecycle.json (2025-10): creation blocked since then and not among the dates AWS extended in 2026-06";
const EXTENDED =
  "deprecated; AWS moved its block-create date into 2027 in 2026-06 (cfn-lint #4531/#4532, quoting the Lambda runtimes page)";

/**
 * Lifecycle of every runtime the provider accepts, as of `RUNTIME_TABLE_AS_OF`. A runtime whose `blockCreate`
 * has passed is refused (CreateFunction would fail at apply); a deprecated one that Lambda still creates
 * functions on is a warning, as is one within 90 days of deprecation.
 */
export const RUNTIME_LIFECYCLE: Readonly<Record<string, RuntimeLifecycle>> = {
  "nodejs22.x": { deprecated: "2027-04-30", successor: "nodejs24.x", source: GUIDE },
  "nodejs20.x": {
    deprecated: "2026-04-30",
    blockCreate: "2027-02-01",
    successor: "nodejs22.x",
    source: "cfn-lint #4531 (2026-06-02), quoting the Lambda runtimes page: block create Feb 1, 2027",
  },
  "nodejs18.x": { deprecated: "2025-09-01", successor: "nodejs22.x", source: EXTENDED },
  "nodejs16.x": { deprecated: "2024-06-12", successor: "nodejs22.x", source: EXTENDED },
  "nodejs14.x": {
    deprecated: "2023-12-04",
    blockCreate: "2024-07-09",
    successor: "nodejs22.x",
    source: BLOCKED,
  },
  "nodejs12.x": {
    deprecated: "2023-03-31",
    blockCreate: "2023-03-31",
    successor: "nodejs22.x",
    source: BLOCKED,
  },
  "nodejs10.x": {
    deprecated: "2021-07-30",
    blockCreate: "2021-07-30",
    successor: "nodejs22.x",
    source: BLOCKED,
  },
  "nodejs8.10": {
    deprecated: "2020-03-06",
    blockCreate: "2020-03-06",
    successor: "nodejs22.x",
    source: BLOCKED,
  },
  "nodejs6.10": {
    deprecated: "2019-08-12",
    blockCreate: "2019-08-12",
    successor: "nodejs22.x",
    source: BLOCKED,
  },
  "nodejs4.3": {
    deprecated: "2020-03-05",
    blockCreate: "2020-03-05",
    successor: "nodejs22.x",
    source: BLOCKED,
  },
  "nodejs4.3-edge": {
    deprecated: "2020-03-05",
    blockCreate: "2019-04-30",
    successor: "nodejs22.x",
    source: BLOCKED,
  },
  nodejs: { deprecated: "2016-10-31", blockCreate: "2016-10-31", successor: "nodejs22.x", source: BLOCKED },
  "python3.13": { deprecated: "2029-06-30", successor: "python3.14", source: GUIDE },
  "python3.12": { deprecated: "2028-10-31", successor: "python3.13", source: GUIDE },
  "python3.11": { deprecated: "2027-06-30", successor: "python3.13", source: GUIDE },
  "python3.10": { deprecated: "2026-10-31", successor: "python3.13", source: GUIDE },
  "python3.9": { deprecated: "2025-12-15", successor: "python3.13", source: EXTENDED },
  "python3.8": { deprecated: "2024-10-14", successor: "python3.13", source: EXTENDED },
  "python3.7": {
    deprecated: "2023-12-04",
    blockCreate: "2024-01-09",
    successor: "python3.13",
    source: BLOCKED,
  },
  "python3.6": {
    deprecated: "2022-07-18",
    blockCreate: "2022-07-18",
    successor: "python3.13",
    source: BLOCKED,
  },
  "python2.7": {
    deprecated: "2021-07-15",
    blockCreate: "2021-07-15",
    successor: "python3.13",
    source: BLOCKED,
  },
  java21: { deprecated: "2029-06-30", successor: "java25", source: GUIDE },
  java17: { deprecated: "2027-06-30", successor: "java21", source: GUIDE },
  java11: { deprecated: "2027-06-30", successor: "java21", source: GUIDE },
  "java8.al2": { deprecated: "2027-06-30", successor: "java21", source: GUIDE },
  java8: { deprecated: "2024-01-08", blockCreate: "2024-02-08", successor: "java21", source: BLOCKED },
  dotnet8: { deprecated: "2026-11-10", successor: "dotnet10", source: GUIDE },
  dotnet6: { deprecated: "2024-12-20", successor: "dotnet8", source: EXTENDED },
  "dotnetcore3.1": {
    deprecated: "2023-04-03",
    blockCreate: "2023-04-03",
    successor: "dotnet8",
    source: BLOCKED,
  },
  "dotnetcore2.1": {
    deprecated: "2022-01-05",
    blockCreate: "2022-01-05",
    successor: "dotnet8",
    source: BLOCKED,
  },
  "dotnetcore2.0": {
    deprecated: "2019-05-30",
    blockCreate: "2019-05-30",
    successor: "dotnet8",
    source: BLOCKED,
  },
  "dotnetcore1.0": {
    deprecated: "2019-06-27",
    blockCreate: "2019-07-30",
    successor: "dotnet8",
    source: BLOCKED,
  },
  "ruby3.4": { deprecated: "2028-03-31", successor: "ruby4.0", source: GUIDE },
  "ruby3.3": { deprecated: "2027-03-31", successor: "ruby3.4", source: GUIDE },
  "ruby3.2": { deprecated: "2026-03-31", successor: "ruby3.4", source: GUIDE },
  "ruby2.7": { deprecated: "2023-12-07", blockCreate: "2024-01-09", successor: "ruby3.4", source: BLOCKED },
  "ruby2.5": { deprecated: "2021-07-30", blockCreate: "2021-07-30", successor: "ruby3.4", source: BLOCKED },
  "provided.al2023": { deprecated: "2029-06-30", successor: "a newer OS-only runtime", source: GUIDE },
  "provided.al2": {
    deprecated: "2026-06-30",
    successor: "provided.al2023",
    source: "Amazon Linux 2 end of life (2026-06-30); absent from the supported table",
  },
  provided: {
    deprecated: "2024-01-08",
    blockCreate: "2024-02-08",
    successor: "provided.al2023",
    source: BLOCKED,
  },
  "go1.x": {
    deprecated: "2024-01-08",
    blockCreate: "2024-02-08",
    successor: "provided.al2023",
    source: BLOCKED,
  },
};

/** Date the runtime table was last checked. */
export const RUNTIME_TABLE_AS_OF = "2026-11-30";

/** Days before a deprecation that synth starts warning. */
export const RUNTIME_WARNING_DAYS = 90;
