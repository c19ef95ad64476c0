/**
 * Lambda consumers (`consumers.lambda`) and how their event pollers reach AWS APIs
 * (`network.lambdaPollerAccess`). The Flink half of `consumers` is validated in its own file.
 */

import type { EnvironmentConfig, LambdaConsumerConfig, LambdaConsumerFunction } from "../config";
import { DEFAULTS, partitionOf } from "../defaults";
import type { Checker } from "./checker";
import { isRegion } from "./common";
import { daysBetween } from "./kafka-versions";
import {
  CODE_SIGNING_CONFIG_ARN,
  CONSUMER_GROUP_ID,
  DESTINATION_ARN,
  destinationKind,
  HANDLER,
  KMS_KEY_ARN,
  LAMBDA_LIMITS,
  NAMESPACED_FUNCTION_NAME,
  PROVIDER_RUNTIMES,
  ROLE_NAME,
  RUNTIME_LIFECYCLE,
  RUNTIME_TABLE_AS_OF,
  RUNTIME_WARNING_DAYS,
  RUNTIMES_NEWER_THAN_PROVIDER,
} from "./lambda-limits";
import { bucketNameProblem, topicNameProblem } from "./names";
import { validateSchemaReferences } from "./schema-registry";
import { requireDeclaredTopic } from "./topics";

const ACCESS_MODES = ["endpoints", "nat", "existing-endpoints"] as const;
const STARTING_POSITIONS = ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"] as const;
/** ISO 8601 in UTC, as the provider's starting_position_timestamp takes it (RFC 3339). */
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const CONSUMER_NAME = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/**
 * ARNs are judged against the environment's account and Region only when those are sound (a 12-digit account,
 * a Region that holds the network's AZs): a wrong account or Region is one error, not one per ARN.
 */
function identityOf(config: EnvironmentConfig): { accountId?: string; region?: string } {
  const network = config.network;
  const azs =
    network?.mode === "existing"
      ? (network.privateSubnets ?? []).map((s) => s?.availabilityZone)
      : (network?.availabilityZones ?? []);
  const regionOk =
    isRegion(config.region) &&
    Array.isArray(azs) &&
    azs.every((az) => typeof az === "string" && az.startsWith(config.region));
  return {
    accountId: /^\d{12}$/.test(String(config.accountId)) ? config.accountId : undefined,
    region: regionOk ? config.region : undefined,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The consumers listed, when `consumers.lambda` is a list of objects (else none: already reported). */
export function lambdaConsumersOf(config: EnvironmentConfig): readonly LambdaConsumerConfig[] {
  const list = config.consumers?.lambda;
  return Array.isArray(list) ? list.filter((c): c is LambdaConsumerConfig => isObject(c)) : [];
}

/** Name of the consumer's function and role: "<project>-<env>-<name>". */
const resourceName = (config: EnvironmentConfig, name: string) =>
  `${config.project ?? DEFAULTS.project}-${config.name}-${name}`;

/** `consumers.lambda` and `network.lambdaPollerAccess`. */
export function validateLambdaConsumers(c: Checker, config: EnvironmentConfig): void {
  const consumers = config.consumers;
  if (
    consumers !== undefined &&
    !c.check(isObject(consumers), "consumers", consumers, "must be an object such as { lambda: [...] }")
  )
    return;
  const list = consumers?.lambda;
  if (list !== undefined && !c.list("consumers.lambda", list, "Lambda consumer", true)) return;
  const entries = list ?? [];
  const names = new Map<string, number>();
  const groups = new Map<string, number>();
  entries.forEach((consumer, i) => {
    const path = `consumers.lambda[${i}]`;
    if (!c.check(isObject(consumer), path, consumer, "must be a consumer object { name, topic, ... }"))
      return;
    validateConsumer(c, config, path, consumer, names, groups, i);
  });
  validatePollerAccess(c, config, lambdaConsumersOf(config));
}

function validateConsumer(
  c: Checker,
  config: EnvironmentConfig,
  path: string,
  consumer: LambdaConsumerConfig,
  names: Map<string, number>,
  groups: Map<string, number>,
  index: number,
): void {
  if (
    c.pattern(
      `${path}.name`,
      consumer.name,
      CONSUMER_NAME,
      'lowercase letters, digits and dashes, starting with a letter, e.g. "orders-fulfilment"',
    ) &&
    typeof config.name === "string"
  ) {
    const full = resourceName(config, consumer.name);
    c.check(
      full.length <= LAMBDA_LIMITS.functionNameChars,
      `${path}.name`,
      consumer.name,
      `makes the function and role name "${full}" ${full.length} characters; Lambda and IAM allow ${LAMBDA_LIMITS.functionNameChars}: shorten it`,
    );
    const first = names.get(consumer.name);
    if (
      c.check(
        first === undefined,
        `${path}.name`,
        consumer.name,
        `is used twice (also consumers.lambda[${first}]): each consumer needs its own name`,
      )
    )
      names.set(consumer.name, index);
  }

  validateTopic(c, config, `${path}.topic`, consumer.topic);

  if (
    c.pattern(
      `${path}.consumerGroupId`,
      consumer.consumerGroupId,
      CONSUMER_GROUP_ID,
      "a Kafka consumer group id of 1-200 characters (letters, digits and - / * : _ + = . @)",
    )
  ) {
    const first = groups.get(consumer.consumerGroupId);
    if (
      c.check(
        first === undefined,
        `${path}.consumerGroupId`,
        consumer.consumerGroupId,
        `is also the group of consumers.lambda[${first}]: Lambda requires a consumer group id unique among the Kafka event sources, or the two mappings split the topic's records`,
      )
    )
      groups.set(consumer.consumerGroupId, index);
  }

  validateStart(c, path, consumer, c.context.today);
  if (consumer.batchSize !== undefined) {
    c.integer(
      `${path}.batchSize`,
      consumer.batchSize,
      LAMBDA_LIMITS.batchSize.min,
      LAMBDA_LIMITS.batchSize.max,
    );
  }
  if (consumer.batchingWindowSeconds !== undefined) {
    const { min, max } = LAMBDA_LIMITS.batchingWindowSeconds;
    c.integer(`${path}.batchingWindowSeconds`, consumer.batchingWindowSeconds, min, max);
  }
  if (consumer.enabled !== undefined) c.boolean(`${path}.enabled`, consumer.enabled);
  validateOnFailure(c, config, path, consumer);
  validatePollers(c, path, consumer);
  validateFunction(c, config, `${path}.function`, consumer.function);
  validateSchemaReferences(c, config, `${path}.schemas`, consumer.schemas);
}

function validateTopic(c: Checker, config: EnvironmentConfig, path: string, topic: unknown): void {
  if (Array.isArray(topic)) {
    c.check(
      false,
      path,
      topic,
      "must be one topic name: an MSK event source mapping reads exactly one topic (Topics holds one item); declare one consumer per topic",
    );
    return;
  }
  const problem = topicNameProblem(topic);
  if (!c.problem(path, topic, problem && `must be a Kafka topic name: it ${problem}`)) return;
  requireDeclaredTopic(c, config, path, topic as string);
}

function validateStart(c: Checker, path: string, consumer: LambdaConsumerConfig, today: string): void {
  const position = consumer.startingPosition;
  if (position !== undefined && !c.oneOf(`${path}.startingPosition`, position, STARTING_POSITIONS)) return;
  const timestamp = consumer.startingTimestamp;
  if (position !== "AT_TIMESTAMP") {
    c.check(
      timestamp === undefined,
      `${path}.startingTimestamp`,
      timestamp,
      'is read only with startingPosition "AT_TIMESTAMP": remove it or set that position',
    );
    return;
  }
  if (
    !c.check(
      typeof timestamp === "string" && UTC_TIMESTAMP.test(timestamp) && !Number.isNaN(Date.parse(timestamp)),
      `${path}.startingTimestamp`,
      timestamp,
      'must be an ISO 8601 UTC time such as "2026-11-01T00:00:00Z" with startingPosition "AT_TIMESTAMP"',
    )
  )
    return;
  c.check(
    (timestamp as string).slice(0, 10) <= today,
    `${path}.startingTimestamp`,
    timestamp,
    `must not be in the future (today is ${today}): Lambda refuses a StartingPositionTimestamp after the time the mapping is created`,
  );
}

function validateOnFailure(
  c: Checker,
  config: EnvironmentConfig,
  path: string,
  consumer: LambdaConsumerConfig,
) {
  const onFailure = consumer.onFailure as LambdaConsumerConfig["onFailure"] | undefined;
  if (
    !c.check(
      isObject(onFailure),
      `${path}.onFailure`,
      onFailure,
      'must name where Lambda sends the record of a discarded batch: { arn: "<SQS queue, SNS topic or S3 bucket ARN>" }',
    ) ||
    onFailure === undefined
  )
    return;
  const arn = onFailure.arn;
  const match = DESTINATION_ARN.exec(typeof arn === "string" ? arn : "");
  if (
    !c.check(
      match !== null,
      `${path}.onFailure.arn`,
      arn,
      'must be the ARN of an SQS queue, an SNS topic or an S3 bucket (MSK event source mappings accept these three), e.g. "arn:aws:sqs:eu-west-1:222222222222:orders-dlq" or "arn:aws:s3:::orders-failures"',
    ) ||
    match === null
  ) {
    return;
  }
  const { region } = identityOf(config);
  if (region !== undefined) {
    const partition = partitionOf(region);
    const arnPartition = match[1] ?? match[6];
    const arnRegion = match[3];
    c.check(
      arnPartition === partition && (arnRegion === undefined || arnRegion === region),
      `${path}.onFailure.arn`,
      arn,
      `must be in the environment's partition and Region (${partition}, ${region}): the event pollers reach the destination through a VPC endpoint of the cluster's VPC, which serves its own Region`,
    );
  }
  if (match[7] !== undefined) {
    const problem = bucketNameProblem(match[7], true);
    c.problem(
      `${path}.onFailure.arn`,
      arn,
      problem && `must name a valid S3 bucket: the bucket name ${problem}`,
    );
  }
  if (onFailure.kmsKeyArn !== undefined) {
    const key = KMS_KEY_ARN.exec(typeof onFailure.kmsKeyArn === "string" ? onFailure.kmsKeyArn : "");
    if (
      c.check(
        key !== null,
        `${path}.onFailure.kmsKeyArn`,
        onFailure.kmsKeyArn,
        'must be a KMS key ARN (not an alias: IAM grants name keys), e.g. "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
      ) &&
      key !== null &&
      region !== undefined
    ) {
      c.check(
        key[2] === region,
        `${path}.onFailure.kmsKeyArn`,
        onFailure.kmsKeyArn,
        `must be a key in the environment's Region (${region}), where the destination is`,
      );
    }
  }
}

function validatePollers(c: Checker, path: string, consumer: LambdaConsumerConfig): void {
  const pollers = consumer.provisionedPollers;
  if (pollers !== undefined) {
    if (
      c.check(
        isObject(pollers),
        `${path}.provisionedPollers`,
        pollers,
        "must be { minimum, maximum } event pollers, or left out for on-demand mode",
      )
    ) {
      const { minimum, maximum } = LAMBDA_LIMITS.pollers;
      const minOk = c.integer(
        `${path}.provisionedPollers.minimum`,
        pollers.minimum,
        minimum.min,
        minimum.max,
      );
      const maxOk = c.integer(
        `${path}.provisionedPollers.maximum`,
        pollers.maximum,
        maximum.min,
        maximum.max,
      );
      if (minOk && maxOk) {
        c.check(
          pollers.maximum >= pollers.minimum,
          `${path}.provisionedPollers.maximum`,
          pollers.maximum,
          `must be >= provisionedPollers.minimum (${pollers.minimum})`,
        );
      }
    }
  }
  const retry = consumer.retry;
  if (retry === undefined) return;
  if (
    !c.check(
      pollers !== undefined,
      `${path}.retry`,
      retry,
      "needs provisionedPollers: Lambda offers the Kafka error handling controls (retry attempts, record age, batch splitting, partial batch responses) only in provisioned mode",
    ) ||
    !c.check(isObject(retry), `${path}.retry`, retry, "must be an object of error handling controls")
  )
    return;
  if (retry.maximumAttempts !== undefined) {
    const { min, max } = LAMBDA_LIMITS.retryAttempts;
    c.integer(`${path}.retry.maximumAttempts`, retry.maximumAttempts, min, max);
  }
  if (retry.maximumRecordAgeSeconds !== undefined) {
    const age = retry.maximumRecordAgeSeconds;
    const { min, max } = LAMBDA_LIMITS.recordAgeSeconds;
    c.check(
      age === -1 || (Number.isInteger(age) && age >= min && age <= max),
      `${path}.retry.maximumRecordAgeSeconds`,
      age,
      `must be -1 (never discard by age) or an integer between ${min} and ${max}`,
    );
  }
  if (retry.bisectBatchOnError !== undefined)
    c.boolean(`${path}.retry.bisectBatchOnError`, retry.bisectBatchOnError);
  if (retry.reportBatchItemFailures !== undefined)
    c.boolean(`${path}.retry.reportBatchItemFailures`, retry.reportBatchItemFailures);
}

function validateFunction(
  c: Checker,
  config: EnvironmentConfig,
  path: string,
  fn: LambdaConsumerFunction | undefined,
): void {
  if (
    !c.check(
      isObject(fn),
      path,
      fn,
      'must be { source: "s3", bucket, key, runtime, handler, ... } (a function this stack creates) or { source: "existing", function, executionRoleName }',
    ) ||
    fn === undefined ||
    !c.oneOf(`${path}.source`, fn.source, ["s3", "existing"])
  )
    return;
  if (fn.source === "existing") {
    validateExistingFunction(c, config, path, fn);
    return;
  }
  c.problem(`${path}.bucket`, fn.bucket, bucketNameProblem(fn.bucket, true));
  c.check(
    typeof fn.key === "string" && fn.key.length >= 1 && fn.key.length <= 1024,
    `${path}.key`,
    fn.key,
    'must be an object key of 1-1024 characters, e.g. "orders-fulfilment/1.4.2.zip"',
  );
  if (fn.objectVersion !== undefined) {
    c.check(
      typeof fn.objectVersion === "string" && fn.objectVersion.length >= 1 && fn.objectVersion.length <= 1024,
      `${path}.objectVersion`,
      fn.objectVersion,
      "must be an S3 object version id (1-1024 characters)",
    );
  }
  validateRuntime(c, `${path}.runtime`, fn.runtime);
  c.pattern(
    `${path}.handler`,
    fn.handler,
    HANDLER,
    'a handler of 1-128 characters without spaces, e.g. "index.handler"',
  );
  if (fn.memoryMiB !== undefined) {
    c.integer(`${path}.memoryMiB`, fn.memoryMiB, LAMBDA_LIMITS.memoryMiB.min, LAMBDA_LIMITS.memoryMiB.max);
  }
  if (fn.timeoutSeconds !== undefined) {
    const { min, max } = LAMBDA_LIMITS.timeoutSeconds;
    c.integer(`${path}.timeoutSeconds`, fn.timeoutSeconds, min, max);
  }
  if (fn.architecture !== undefined) c.oneOf(`${path}.architecture`, fn.architecture, ["x86_64", "arm64"]);
  if (fn.reservedConcurrency !== undefined) {
    c.integer(`${path}.reservedConcurrency`, fn.reservedConcurrency, LAMBDA_LIMITS.reservedConcurrency.min);
  }
  if (fn.codeSigningConfigArn !== undefined) {
    const ok = c.pattern(
      `${path}.codeSigningConfigArn`,
      fn.codeSigningConfigArn,
      CODE_SIGNING_CONFIG_ARN,
      'a code signing configuration ARN, e.g. "arn:aws:lambda:eu-west-1:222222222222:code-signing-config:csc-0123456789abcdef0"',
    );
    const { region } = identityOf(config);
    if (ok && region !== undefined) {
      c.check(
        fn.codeSigningConfigArn.split(":")[3] === region,
        `${path}.codeSigningConfigArn`,
        fn.codeSigningConfigArn,
        `must be in the environment's Region (${region}): a function uses a code signing configuration of its own Region`,
      );
    }
  }
  if (fn.logRetentionDays !== undefined) c.retentionDays(`${path}.logRetentionDays`, fn.logRetentionDays);
}

function validateExistingFunction(
  c: Checker,
  config: EnvironmentConfig,
  path: string,
  fn: Extract<LambdaConsumerFunction, { source: "existing" }>,
): void {
  const name = fn.function;
  if (
    c.check(
      typeof name === "string" && name.length <= 256 && NAMESPACED_FUNCTION_NAME.test(name),
      `${path}.function`,
      name,
      'must be a function name or ARN, optionally with a version or alias, e.g. "payments-audit" or "arn:aws:lambda:eu-west-1:333333333333:function:payments-audit:live"',
    ) &&
    name.startsWith("arn:")
  ) {
    const [, partition, , arnRegion, account] = name.split(":");
    const { accountId, region } = identityOf(config);
    if (accountId !== undefined && region !== undefined) {
      c.check(
        partition === partitionOf(region) && arnRegion === region && account === accountId,
        `${path}.function`,
        name,
        `must be a function of the environment's account and Region (${accountId}, ${region}): an event source mapping invokes functions of its own account and Region`,
      );
    }
  }
  c.pattern(
    `${path}.executionRoleName`,
    fn.executionRoleName,
    ROLE_NAME,
    'the name (not the ARN) of the function\'s execution role, e.g. "payments-audit-role": the stack attaches the policy the mapping needs to it',
  );
  const extra = [
    "bucket",
    "key",
    "runtime",
    "handler",
    "memoryMiB",
    "timeoutSeconds",
    "reservedConcurrency",
  ].filter((field) => field in fn);
  c.check(
    extra.length === 0,
    `${path}.${extra[0]}`,
    (fn as Record<string, unknown>)[extra[0]],
    'configures a function this stack creates, and source "existing" creates none: remove it or use source "s3"',
  );
}

/** Runtime: known to the pinned provider, and one Lambda still creates functions on (dated table). */
function validateRuntime(c: Checker, path: string, runtime: unknown): void {
  if (typeof runtime === "string" && RUNTIMES_NEWER_THAN_PROVIDER.includes(runtime)) {
    c.check(
      false,
      path,
      runtime,
      "is newer than the hashicorp/aws provider this project pins (5.100.0 refuses it at validate): use nodejs22.x, python3.13, java21, ruby3.4 or provided.al2023",
    );
    return;
  }
  if (!c.oneOf(path, runtime, PROVIDER_RUNTIMES)) return;
  const life = RUNTIME_LIFECYCLE[runtime as string];
  if (life === undefined) return;
  const today = c.context.today;
  const successor = PROVIDER_RUNTIMES.includes(life.successor)
    ? life.successor
    : `${life.successor} (newer than the pinned hashicorp/aws 5.100 provider accepts: upgrade the provider first)`;
  if (life.blockCreate !== undefined && life.blockCreate <= today) {
    c.check(
      false,
      path,
      runtime,
      `was deprecated on ${life.deprecated} and Lambda refuses new functions on it since ${life.blockCreate}: use ${successor} (runtime table of ${RUNTIME_TABLE_AS_OF}, ${life.source})`,
    );
    return;
  }
  if (life.deprecated <= today) {
    c.warn(
      "lambda-runtime-deprecated",
      path,
      runtime,
      `was deprecated on ${life.deprecated}: it gets no security patches, and Lambda ${life.blockCreate ? `stops creating functions on it on ${life.blockCreate}` : "may stop creating functions on it any day"}; move to ${successor}`,
    );
    return;
  }
  const days = daysBetween(today, life.deprecated);
  if (days <= RUNTIME_WARNING_DAYS) {
    c.warn(
      "lambda-runtime-deprecated",
      path,
      runtime,
      `is deprecated on ${life.deprecated} (in ${days} days); move to ${successor}`,
    );
  }
}

/** The event pollers of on-demand consumers must reach Lambda and STS; refuse an environment where they cannot. */
function validatePollerAccess(
  c: Checker,
  config: EnvironmentConfig,
  consumers: readonly LambdaConsumerConfig[],
): void {
  const network = config.network;
  const access = network?.lambdaPollerAccess;
  const path = "network.lambdaPollerAccess";
  if (access !== undefined) {
    if (!c.oneOf(path, access, ACCESS_MODES)) return;
    if (
      !c.check(
        consumers.length > 0,
        path,
        access,
        "is read only while consumers.lambda lists a consumer: remove it, or add the consumer it is for",
      )
    )
      return;
  }
  if (consumers.length === 0) return;

  const cluster = config.cluster;
  if (cluster?.type === "provisioned") {
    c.check(
      cluster.auth?.iam ?? true,
      "cluster.auth.iam",
      cluster.auth?.iam,
      "must be true while consumers.lambda lists a consumer: the event source mappings authenticate with IAM (kafka-cluster actions of the execution role)",
    );
  }

  if (network?.mode === "existing") {
    c.check(
      access !== undefined,
      path,
      access,
      'must say how Lambda\'s event pollers reach AWS APIs from this existing VPC, which synth cannot inspect: "endpoints" (the stack creates interface endpoints with private DNS for Lambda and STS and for the destinations\' SQS or SNS; AWS refuses them where the VPC already has such endpoints), "nat" (the VPC\'s NAT) or "existing-endpoints" (the VPC has them, admitting the broker group on 443)',
    );
  }
  const mode = access ?? DEFAULTS.lambdaPollerAccess;
  const onDemand = consumers.findIndex((consumer) => consumer.provisionedPollers === undefined);
  if (network?.mode === "create") {
    c.check(
      mode !== "existing-endpoints",
      path,
      access,
      'cannot be "existing-endpoints" for a VPC this stack creates (it has no endpoints but those the stack makes): use "endpoints" or "nat"',
    );
    const nat = network.natGateways ?? DEFAULTS.natGateways;
    if (mode === "nat" && onDemand >= 0) {
      c.check(
        nat !== "none",
        path,
        access,
        `needs NAT, and network.natGateways is "none": the event pollers of consumers.lambda[${onDemand}] ("${consumers[onDemand].name}", on-demand mode) could not reach the Lambda and STS APIs. Fix: leave lambdaPollerAccess out ("endpoints": the stack creates interface endpoints for Lambda and STS), set network.natGateways to "single" or "per-az", or give every consumer provisionedPollers (which need neither)`,
      );
    }
  }

  // S3 destinations are reached through the S3 gateway endpoint, whose prefix list the brokers' group must allow.
  const s3 = consumers.findIndex(
    (consumer) =>
      typeof consumer.onFailure?.arn === "string" && destinationKind(consumer.onFailure.arn) === "s3",
  );
  if (s3 >= 0 && mode === "endpoints" && network?.mode === "existing") {
    c.check(
      (network.privateRouteTableIds ?? []).length > 0 || network.s3PrefixListId !== undefined,
      `consumers.lambda[${s3}].onFailure.arn`,
      consumers[s3].onFailure.arn,
      "is an S3 bucket, reached from the cluster's VPC through an S3 gateway endpoint: give network.privateRouteTableIds (the stack creates one) or network.s3PrefixListId (yours), or choose an SQS queue or SNS topic",
    );
  }
}
