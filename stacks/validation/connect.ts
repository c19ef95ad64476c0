import type { EnvironmentConfig, S3SinkConnectorConfig } from "../config";
import { DEFAULTS, partitionOf } from "../defaults";
import { CONNECT_LIMITS } from "./aws-limits";
import type { Checker } from "./checker";
import { checkBucketName } from "./common";
import { isEmail, matchesPattern, patternProblem, topicNameProblem } from "./names";

const S3_BUCKET_ARN = /^arn:(aws|aws-cn|aws-us-gov):s3:::([^/]+)$/;

/** Topics the sink reads: real topic names the exported producer policies can write. */
function validateTopics(c: Checker, config: EnvironmentConfig): void {
  const topics = config.connect?.topics;
  if (!c.list("connect.topics", topics, "topic")) return;
  const namesOk = topics
    .map((topic, i) => c.problem(`connect.topics[${i}]`, topic, topicNameProblem(topic)))
    .every(Boolean);
  if (!namesOk || !c.unique("connect.topics", topics)) return;
  const patterns = config.cluster?.clientAccess?.topicPatterns;
  if (
    !Array.isArray(patterns) ||
    patterns.length === 0 ||
    patterns.some((p) => patternProblem(p) !== undefined)
  ) {
    return;
  }
  topics.forEach((topic, i) => {
    c.check(
      patterns.some((pattern) => matchesPattern(topic as string, pattern)),
      `connect.topics[${i}]`,
      topic,
      `must match one of cluster.clientAccess.topicPatterns (${patterns.join(", ")}), or no exported producer policy can write it: add a pattern or fix the name`,
    );
  });
}

function validateConnector(c: Checker, config: EnvironmentConfig, connector: S3SinkConnectorConfig): void {
  const plugin = connector.plugin;
  const contentTypeOk = c.oneOf("connect.connector.plugin.contentType", plugin?.contentType, ["ZIP", "JAR"]);
  const arn = S3_BUCKET_ARN.exec(typeof plugin?.bucketArn === "string" ? plugin.bucketArn : "");
  if (
    c.check(
      arn !== null,
      "connect.connector.plugin.bucketArn",
      plugin?.bucketArn,
      'must be an S3 bucket ARN such as "arn:aws:s3:::my-plugins-bucket"',
    ) &&
    arn !== null &&
    checkBucketName(c, "connect.connector.plugin.bucketArn", arn[2], true)
  ) {
    const partition = typeof config.region === "string" ? partitionOf(config.region) : arn[1];
    c.check(
      arn[1] === partition,
      "connect.connector.plugin.bucketArn",
      plugin.bucketArn,
      `must be in the environment's partition "${partition}"`,
    );
  }
  const key = plugin?.fileKey;
  if (
    c.check(
      typeof key === "string" && key.length > 0 && key.length <= 1024 && !key.startsWith("/"),
      "connect.connector.plugin.fileKey",
      key,
      'must be an object key of 1-1024 characters not starting with "/", e.g. "plugins/confluentinc-kafka-connect-s3-10.5.0.zip"',
    ) &&
    contentTypeOk
  ) {
    const extension = plugin.contentType === "ZIP" ? ".zip" : ".jar";
    c.check(
      key.toLowerCase().endsWith(extension),
      "connect.connector.plugin.fileKey",
      key,
      `must end in "${extension}" to match contentType "${plugin.contentType}"`,
    );
  }
  if (connector.kafkaConnectVersion !== undefined) {
    c.oneOf(
      "connect.connector.kafkaConnectVersion",
      connector.kafkaConnectVersion,
      CONNECT_LIMITS.kafkaConnectVersions,
    );
  }
  c.integer("connect.connector.tasksMax", connector.tasksMax, 1);
  c.integer("connect.connector.flushSize", connector.flushSize, 1);
  if (connector.rotateIntervalMs !== undefined) {
    c.integer("connect.connector.rotateIntervalMs", connector.rotateIntervalMs, 1);
  }
  if (connector.format !== undefined) {
    c.oneOf("connect.connector.format", connector.format, ["json", "avro", "parquet"]);
  }
  if (connector.partitioner !== undefined) {
    c.oneOf("connect.connector.partitioner", connector.partitioner, ["default", "time"]);
  }

  const capacity = connector.capacity;
  c.oneOf("connect.connector.capacity.mcuCount", capacity?.mcuCount, CONNECT_LIMITS.mcuCounts);
  const { min, max } = CONNECT_LIMITS.workers;
  const minOk = c.integer("connect.connector.capacity.minWorkers", capacity?.minWorkers, min, max);
  if (c.integer("connect.connector.capacity.maxWorkers", capacity?.maxWorkers, min, max) && minOk) {
    c.check(
      capacity.maxWorkers >= capacity.minWorkers,
      "connect.connector.capacity.maxWorkers",
      capacity.maxWorkers,
      `must be >= connect.connector.capacity.minWorkers (${capacity.minWorkers})`,
    );
  }
  const scaleIn = capacity?.scaleInCpuPercent;
  const scaleOut = capacity?.scaleOutCpuPercent;
  const inOk =
    scaleIn === undefined || c.integer("connect.connector.capacity.scaleInCpuPercent", scaleIn, 1, 100);
  const outOk =
    scaleOut === undefined || c.integer("connect.connector.capacity.scaleOutCpuPercent", scaleOut, 1, 100);
  if (inOk && outOk && capacity !== undefined) {
    const effectiveIn = scaleIn ?? DEFAULTS.scaleInCpuPercent;
    const effectiveOut = scaleOut ?? DEFAULTS.scaleOutCpuPercent;
    c.check(
      effectiveIn < effectiveOut,
      scaleIn === undefined
        ? "connect.connector.capacity.scaleOutCpuPercent"
        : "connect.connector.capacity.scaleInCpuPercent",
      scaleIn === undefined ? effectiveOut : effectiveIn,
      `scale-in CPU (${effectiveIn}) must be below scale-out CPU (${effectiveOut}), or workers flap`,
    );
  }

  const cluster = config.cluster;
  if (cluster?.type === "provisioned") {
    c.check(
      cluster.auth?.iam ?? true,
      "cluster.auth.iam",
      cluster.auth?.iam,
      "must be true while connect.connector is set: the Connect execution role authenticates with IAM",
    );
  }
}

/** MSK Connect topics, log retention and the connector. */
export function validateConnect(c: Checker, config: EnvironmentConfig): void {
  const connect = config.connect;
  if (
    !c.check(
      typeof connect === "object" && connect !== null,
      "connect",
      connect,
      "must be an object with at least topics",
    )
  ) {
    return;
  }
  validateTopics(c, config);
  if (connect.logRetentionDays !== undefined)
    c.retentionDays("connect.logRetentionDays", connect.logRetentionDays);
  if (connect.connector !== undefined) validateConnector(c, config, connect.connector);
}

/** Alarm notification endpoints. */
export function validateAlarms(c: Checker, config: EnvironmentConfig): void {
  const emails = config.alarms?.emailEndpoints;
  if (emails === undefined || !c.list("alarms.emailEndpoints", emails, "email address", true)) return;
  const ok = emails
    .map((email, i) =>
      c.check(
        isEmail(email),
        `alarms.emailEndpoints[${i}]`,
        email,
        'must be an email address such as "oncall@example.com"',
      ),
    )
    .every(Boolean);
  if (ok) c.unique("alarms.emailEndpoints", emails);
}
